/** What a CLI command reads and writes through: its output streams, working folder and environment (tests pass their own). */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}
