/**
 * The webview's side of the channel to the extension. `acquireVsCodeApi()` may be called only
 * once per page, so each view's entry script calls `connect()` once and passes the result on.
 */

declare function acquireVsCodeApi(): {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
};

export interface WebviewChannel<State, Out> {
  post(message: Out): void;
  /** What `setState` stored before the view was last hidden (or the panel reloaded). */
  getState(): State | undefined;
  setState(state: State): void;
}

export function connect<State, Out>(): WebviewChannel<State, Out> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => (api.getState() as State | null) ?? undefined,
    setState: (state) => api.setState(state),
  };
}
