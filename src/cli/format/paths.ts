/** How every output format names a file: relative to the report root, with `/` separators. */
import * as path from 'node:path';
import { repositoryRoot } from '../../core/git/repository-root';

/**
 * The folder report paths are relative to: the repository's top level (what GitHub's annotations,
 * SARIF upload and GitLab's Code Quality need, whatever the job's working directory); without
 * git, GITHUB_WORKSPACE when the working directory is inside it; else the working directory.
 */
export function reportRoot(cwd: string, env: Readonly<Record<string, string | undefined>>): string {
  const top = repositoryRoot(cwd);
  if (top) return top;
  const workspace = env.GITHUB_WORKSPACE ? path.resolve(env.GITHUB_WORKSPACE) : null;
  if (workspace && !path.relative(workspace, path.resolve(cwd)).startsWith('..')) return workspace;
  return cwd;
}

/** `file` (absolute, or relative to `root`) as a path relative to `root` with `/` separators. */
export function displayPath(root: string, file: string): string {
  // Every finding and statement of a file asks again (civitai: tens of thousands of times).
  const key = `${root}\0${file}`;
  let shown = displayed.get(key);
  if (shown === undefined) {
    const relative = path.relative(root, path.resolve(root, file));
    shown = (relative === '' ? '.' : relative).split(path.sep).join('/');
    if (displayed.size > 10_000) displayed.clear();
    displayed.set(key, shown);
  }
  return shown;
}

const displayed = new Map<string, string>();

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
