/** How every output format names a file: relative to the working directory, with `/` separators. */
import * as path from 'node:path';

/** `file` (absolute, or relative to `cwd`) as a path relative to `cwd` with `/` separators. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

/**
 * A relative path as a URI reference (SARIF `artifactLocation.uri`): each segment percent-encoded,
 * so spaces, non-ASCII letters, `#`, `?` and `:` survive URI parsing.
 */
export function pathToUriReference(relativePath: string): string {
  return relativePath
    .split('/')
    .map((segment) => (segment === '.' || segment === '..' ? segment : encodeURIComponent(segment)))
    .join('/');
}
