/** A mistake in how preflight was called: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {}

/** The run was interrupted (SIGINT, SIGTERM) after saying so on stderr: exit with `code` (130, 143), print nothing more. */
export class Interrupted extends Error {
  constructor(readonly code: number) {
    super(`interrupted (exit ${code})`);
  }
}
