/**
 * Loads the dry run (`trace-api.ts`) on first need, as `core-loader.ts` does for the analysis. In
 * the build it is a bundle of its own, `dist/trace.js` (scripts/build.mjs), so that activation
 * never even parses it.
 */
export type Trace = typeof import('./trace-api');

let loading: Promise<Trace> | null = null;

export function loadTrace(): Promise<Trace> {
  loading ??= import('./trace-api');
  return loading;
}
