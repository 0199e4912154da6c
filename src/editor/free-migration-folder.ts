/**
 * A fix that creates a migration folder proposes `<timestamp>_<name>` one second after (or
 * before) the migration it comes from. When that timestamp is already taken — the same fix applied
 * twice, or a folder created meanwhile — VS Code refuses the whole edit without a word. This picks
 * the next free timestamp in the same direction (past the folders that hold the taken ones, which
 * are the earlier applications), so the new folder still sorts on the same side of the migration.
 * No `vscode` here: unit tests call it with folder lists.
 */
import * as path from 'node:path';

const STAMP = /^(\d{14})_/;

function stampDate(stamp: string): Date {
  return new Date(Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(8, 10), +stamp.slice(10, 12), +stamp.slice(12, 14)));
}

function stampOf(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * The folder a proposed migration.sql should go to: unchanged when its timestamp is free, else
 * moved on by whole seconds. `source` is the migration the fix comes from, `existing` every folder
 * name in the migrations directory. Null when an hour of seconds is taken (nothing sensible left).
 */
export function freeMigrationFile(proposed: string, source: string, existing: readonly string[]): string | null {
  const folder = path.basename(path.dirname(proposed));
  const mine = STAMP.exec(folder);
  const from = STAMP.exec(source);
  if (!mine || !from) return existing.includes(folder) ? null : proposed;
  const taken = new Set(existing.map((n) => STAMP.exec(n)?.[1]).filter((s): s is string => s !== undefined));
  if (!taken.has(mine[1]) && !existing.includes(folder)) return proposed;
  const step = mine[1] >= from[1] ? 1 : -1;
  const slug = folder.slice(mine[0].length);
  const date = stampDate(mine[1]);
  for (let i = 0; i < 3600; i++) {
    date.setUTCSeconds(date.getUTCSeconds() + step);
    const stamp = stampOf(date);
    if (stamp === from[1]) return null;
    if (!taken.has(stamp)) return path.join(path.dirname(path.dirname(proposed)), `${stamp}_${slug}`, path.basename(proposed));
  }
  return null;
}
