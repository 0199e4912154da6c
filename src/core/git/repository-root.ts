/**
 * The working tree's top level found without starting git: the nearest folder at or above `dir`
 * holding `.git` (a folder, or a file in worktrees and submodules), as `git rev-parse
 * --show-toplevel` answers for an ordinary checkout.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export function repositoryRoot(dir: string): string | null {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}
