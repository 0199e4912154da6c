/**
 * A bounded walk of the folders below a directory, for finding Prisma projects in a repository:
 * node_modules and hidden folders are skipped, the depth and the number of directory entries read
 * are capped (a huge tree ends the search rather than the run), unreadable folders are passed over.
 */
import { readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';

export interface FoldersBelowOptions {
  /** How many levels below `dir` are read (0 = `dir` itself only). */
  maxDepth: number;
  /** Directory entries read at most, over the whole walk. */
  maxEntries: number;
  /** Whether a folder, given its entries, is one of those sought. */
  matches(entries: Dirent[]): boolean;
  /** Do not look inside a folder that matched. */
  stopAtMatch?: boolean;
  /** Do not look inside a folder whose entries say nothing sought is below it. */
  nothingBelow?(entries: Dirent[]): boolean;
}

/** The folders at or below `dir` that match, sorted. */
export function foldersBelow(dir: string, options: FoldersBelowOptions): string[] {
  const found: string[] = [];
  let budget = options.maxEntries;
  const walk = (current: string, depth: number): void => {
    if (depth > options.maxDepth || budget <= 0) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    budget -= entries.length;
    if (options.matches(entries)) {
      found.push(current);
      if (options.stopAtMatch) return;
    }
    if (options.nothingBelow?.(entries)) return;
    for (const e of entries) {
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) walk(path.join(current, e.name), depth + 1);
    }
  };
  walk(dir, 0);
  return found.sort();
}
