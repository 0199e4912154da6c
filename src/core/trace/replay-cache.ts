/**
 * Replayed histories, kept so that the next dry run on the same history starts warm: the PGlite
 * data directory after migrations 1..N-1 (a gzipped tarball, a few MB) plus what the replay
 * reported, keyed by a hash of everything that decides that state (PGlite version, extensions,
 * each migration's name, text and execution mode). Kept in memory (the most recent few) and,
 * when a directory is given, on disk (the most recent few files; older ones are removed).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ReplayFailure } from './types';

export interface CachedReplay {
  dump: Blob;
  failures: ReplayFailure[];
  migrations: number;
}

export class ReplayCache {
  private readonly memory = new Map<string, CachedReplay>();

  /**
   * @param dir where dumps are stored between processes; null keeps them in memory only
   * @param keep how many states to keep (in memory and on disk)
   */
  constructor(
    readonly dir: string | null = defaultCacheDir(),
    private readonly keep = 3,
  ) {}

  async get(key: string): Promise<CachedReplay | undefined> {
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      return hit;
    }
    if (!this.dir) return undefined;
    try {
      const meta = JSON.parse(readFileSync(path.join(this.dir, `${key}.json`), 'utf8')) as Omit<CachedReplay, 'dump'>;
      const bytes = readFileSync(path.join(this.dir, `${key}.tar.gz`));
      const entry: CachedReplay = { ...meta, dump: new Blob([bytes]) };
      this.remember(key, entry);
      return entry;
    } catch {
      return undefined;
    }
  }

  async set(key: string, entry: CachedReplay): Promise<void> {
    this.remember(key, entry);
    if (!this.dir) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(path.join(this.dir, `${key}.tar.gz`), Buffer.from(await entry.dump.arrayBuffer()));
      writeFileSync(path.join(this.dir, `${key}.json`), JSON.stringify({ failures: entry.failures, migrations: entry.migrations }));
      this.prune();
    } catch {
      // A cache that cannot be written only makes the next run cold.
    }
  }

  private remember(key: string, entry: CachedReplay): void {
    this.memory.set(key, entry);
    while (this.memory.size > this.keep) this.memory.delete(this.memory.keys().next().value as string);
  }

  private prune(): void {
    if (!this.dir) return;
    const dumps = readdirSync(this.dir)
      .filter((f) => f.endsWith('.tar.gz'))
      .map((f) => ({ f, t: statSync(path.join(this.dir!, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of dumps.slice(this.keep)) {
      rmSync(path.join(this.dir, f), { force: true });
      rmSync(path.join(this.dir, f.replace(/\.tar\.gz$/, '.json')), { force: true });
    }
  }
}

export function defaultCacheDir(): string {
  return path.join(tmpdir(), 'preflight-trace-cache');
}

export function replayKey(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(createHash('sha256').update(p).digest('hex')).update('\0');
  return h.digest('hex').slice(0, 32);
}
