/**
 * A problem with the user's files or folders, not a bug in Preflight: a migration folder without
 * migration.sql, a file that cannot be read, a checklist file that must not be overwritten. Front
 * ends show its message alone (the CLI: one line on stderr, exit 2), never a stack trace.
 */
export class InputError extends Error {
  override name = 'InputError';
}
