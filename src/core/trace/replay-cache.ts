/**
 * Replayed histories, kept so that the next dry run on the same history starts warm: the PGlite
 * data directory after migrations 1..N-1 plus what the replay reported, keyed by a hash of
 * everything that decides that state (PGlite version, extensions, each migration's name, text and
 * execution mode). Kept in memory (the most recent few) and, when a directory is given, on disk.
 *
 * On disk the cache is trusted only as far as its owner: a dump restored into PGlite decides what
 * the dry run reports, so
 * - the directory is per user (`$XDG_CACHE_HOME/preflight/trace`, else `~/.cache/preflight/trace`),
 *   created with mode 0700 (an existing one of ours is tightened to 0700), and a directory or
 *   entry owned by another user, or a symlink, is never read or written;
 * - dumps are content-addressed: `<sha256>.tar.gz` holds the gzipped tarball whose SHA-256 is its
 *   name, `<key>.json` names the dump of a history; a dump whose bytes do not hash to its name is
 *   ignored (and removed), so a truncated or altered file makes a cold run, never a wrong one.
 */
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ReplayFailure } from './types';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const FORMAT = 2;

export interface CachedReplay {
  dump: Blob;
  failures: ReplayFailure[];
  migrations: number;
}

interface Entry {
  format: number;
  /** SHA-256 (hex) of the gzipped dump, which is also its file name. */
  dump: string;
  failures: ReplayFailure[];
  migrations: number;
}

export class ReplayCache {
  private readonly memory = new Map<string, CachedReplay>();
  private checked: boolean | null = null;
  /** Why the directory is not used (another user's, a symlink...), once found; null while it is usable. */
  refused: string | null = null;

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
    if (!this.usableDir()) return undefined;
    const dir = this.dir!;
    let entry: Entry;
    let gz: Buffer;
    try {
      entry = JSON.parse(readOwnFile(path.join(dir, `${key}.json`)).toString('utf8')) as Entry;
      if (entry.format !== FORMAT || !/^[0-9a-f]{64}$/.test(entry.dump)) return undefined;
      gz = readOwnFile(path.join(dir, `${entry.dump}.tar.gz`));
    } catch {
      return undefined;
    }
    if (sha256(gz) !== entry.dump) {
      // Truncated or altered: never restored; removed so the next run writes a good one.
      rmSync(path.join(dir, `${entry.dump}.tar.gz`), { force: true });
      rmSync(path.join(dir, `${key}.json`), { force: true });
      return undefined;
    }
    try {
      const tar = await gunzipAsync(gz);
      const restored: CachedReplay = { dump: new Blob([tar]), failures: entry.failures, migrations: entry.migrations };
      this.remember(key, restored);
      return restored;
    } catch {
      return undefined;
    }
  }

  async set(key: string, entry: CachedReplay): Promise<void> {
    this.remember(key, entry);
    if (!this.usableDir()) return;
    const dir = this.dir!;
    try {
      const gz = await gzipAsync(Buffer.from(await entry.dump.arrayBuffer()), { level: 6 });
      const hash = sha256(gz);
      writeAtomically(path.join(dir, `${hash}.tar.gz`), gz);
      const meta: Entry = { format: FORMAT, dump: hash, failures: entry.failures, migrations: entry.migrations };
      writeAtomically(path.join(dir, `${key}.json`), Buffer.from(JSON.stringify(meta)));
      this.prune();
    } catch {
      // A cache that cannot be written only makes the next run cold.
    }
  }

  /** Creates the directory (0700) or checks the one there: ours, a real directory; tightened to 0700. */
  private usableDir(): boolean {
    if (!this.dir) return false;
    if (this.checked !== null) return this.checked;
    this.refused = checkOwnDirectory(this.dir);
    this.checked = this.refused === null;
    return this.checked;
  }

  private remember(key: string, entry: CachedReplay): void {
    this.memory.set(key, entry);
    while (this.memory.size > this.keep) this.memory.delete(this.memory.keys().next().value as string);
  }

  /** Keeps the `keep` most recent histories, and the dumps they name. */
  private prune(): void {
    const dir = this.dir!;
    const files = readdirSync(dir);
    const metas = files
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ f, t: lstatSync(path.join(dir, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of metas.slice(this.keep)) rmSync(path.join(dir, f), { force: true });
    const used = new Set<string>();
    for (const { f } of metas.slice(0, this.keep)) {
      try {
        used.add(`${(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Entry).dump}.tar.gz`);
      } catch {
        /* unreadable: its dump goes too */
      }
    }
    for (const f of files) if ((f.endsWith('.tar.gz') || f.endsWith('.tmp')) && !used.has(f)) rmSync(path.join(dir, f), { force: true });
  }
}

/**
 * Null when `dir` is fit to hold the cache (creating it, and its missing parents, with mode 0700);
 * else why not, in words.
 */
export function checkOwnDirectory(dir: string): string | null {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    if (st.isSymbolicLink()) return `${dir} is a symbolic link: the replay cache is not used`;
    if (!st.isDirectory()) return `${dir} is not a directory: the replay cache is not used`;
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) return `${dir} belongs to another user (uid ${st.uid}): the replay cache is not used`;
    if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return null;
  } catch (e) {
    return `${dir} cannot be used (${(e as NodeJS.ErrnoException).code ?? String(e)}): the replay cache is not used`;
  }
}

/** A file of ours (not a symlink, not another user's), read whole. @throws otherwise */
function readOwnFile(file: string): Buffer {
  const st = lstatSync(file);
  const uid = process.getuid?.();
  if (!st.isFile() || (uid !== undefined && st.uid !== uid)) throw new Error(`${file} is not a file of this user`);
  return readFileSync(file);
}

function writeAtomically(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `$XDG_CACHE_HOME/preflight/trace` (an absolute XDG_CACHE_HOME only, as the spec says), else `~/.cache/preflight/trace`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache');
  return path.join(base, 'preflight', 'trace');
}

export function replayKey(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(createHash('sha256').update(p).digest('hex')).update('\0');
  return h.digest('hex').slice(0, 32);
}
