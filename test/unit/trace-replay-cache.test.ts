/**
 * The PGlite replay cache cannot be poisoned: it lives in a per-user directory (mode 0700), is
 * never read from a directory or entry another user owns, and restores a dump only when its bytes
 * hash to the name the entry gives; dumps are stored gzipped.
 */
import { strict as assert } from 'node:assert';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { ReplayCache, defaultCacheDir } from '../../src/core/trace/replay-cache';

const IS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;

/** A compressible stand-in for a PGlite data-directory tarball. */
function fakeDump(seed: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`${seed}\n`.repeat(20_000));
}

async function bytesOf(blob: Blob): Promise<string> {
  return Buffer.from(await blob.arrayBuffer()).toString('utf8');
}

describe('the replay cache', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'pf-cache-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lives under XDG_CACHE_HOME, else ~/.cache — never in the shared temporary folder', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), path.join('/x/cache', 'preflight', 'trace'));
    assert.equal(defaultCacheDir({}), path.join(homedir(), '.cache', 'preflight', 'trace'));
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }), path.join(homedir(), '.cache', 'preflight', 'trace'), 'a relative XDG_CACHE_HOME is ignored, as the XDG spec says');
    assert.ok(!defaultCacheDir({}).startsWith(tmpdir() + path.sep) || homedir().startsWith(tmpdir()));
  });

  it('creates its directory with mode 0700 and tightens an existing one of ours to 0700', async () => {
    const dir = path.join(root, 'a', 'preflight', 'trace');
    await new ReplayCache(dir).set('k1', { dump: new Blob([fakeDump('one')]), failures: [], migrations: 1 });
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const loose = path.join(root, 'loose');
    mkdirSync(loose, { mode: 0o777 });
    chmodSync(loose, 0o777);
    await new ReplayCache(loose).set('k1', { dump: new Blob([fakeDump('one')]), failures: [], migrations: 1 });
    assert.equal(statSync(loose).mode & 0o777, 0o700);
  });

  it('stores the dump gzipped, content-addressed by its SHA-256, and restores the same bytes', async () => {
    const dir = path.join(root, 'c');
    const dump = fakeDump('history');
    await new ReplayCache(dir).set('key', { dump: new Blob([dump]), failures: [{ migration: 'm', statementIndex: 0, error: { sqlstate: '42P01', message: 'x' } }], migrations: 7 });
    const gz = readdirSync(dir).filter((f) => f.endsWith('.tar.gz'));
    assert.equal(gz.length, 1);
    const bytes = readFileSync(path.join(dir, gz[0]));
    assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], 'gzip magic');
    assert.ok(bytes.length < dump.length / 10, `${bytes.length} bytes on disk for ${dump.length}`);
    assert.match(gz[0], /^[0-9a-f]{64}\.tar\.gz$/);
    assert.equal(statSync(path.join(dir, gz[0])).mode & 0o777, 0o600);
    const hit = await new ReplayCache(dir).get('key');
    assert.ok(hit);
    assert.equal(await bytesOf(hit.dump), Buffer.from(dump).toString('utf8'));
    assert.equal(hit.migrations, 7);
  });

  it('ignores (and removes) a dump whose bytes do not match its hash: a planted or truncated file makes a cold run', async () => {
    const dir = path.join(root, 'p');
    await new ReplayCache(dir).set('key', { dump: new Blob([fakeDump('honest')]), failures: [], migrations: 1 });
    const name = readdirSync(dir).find((f) => f.endsWith('.tar.gz'))!;
    const { gzipSync } = await import('node:zlib');
    writeFileSync(path.join(dir, name), gzipSync(Buffer.from(fakeDump('poisoned'))));
    assert.equal(await new ReplayCache(dir).get('key'), undefined);
    assert.ok(!readdirSync(dir).includes(name));
  });

  it('never reads a directory another user owns, nor a symlink, and says why', async function () {
    if (!IS_ROOT) this.skip(); // only root can give a directory to another user here
    const dir = path.join(root, 'theirs');
    const planter = new ReplayCache(dir);
    await planter.set('key', { dump: new Blob([fakeDump('planted')]), failures: [], migrations: 1 });
    for (const f of readdirSync(dir)) chownSync(path.join(dir, f), NOBODY, NOBODY);
    chownSync(dir, NOBODY, NOBODY);
    const mine = new ReplayCache(dir);
    assert.equal(await mine.get('key'), undefined);
    assert.match(mine.refused ?? '', /belongs to another user \(uid 65534\): the replay cache is not used/);
    await mine.set('other', { dump: new Blob([fakeDump('x')]), failures: [], migrations: 1 });
    assert.equal(readdirSync(dir).filter((f) => f.endsWith('.json')).length, 1, 'nothing written into it');

    const link = path.join(root, 'link');
    symlinkSync(dir, link);
    const viaLink = new ReplayCache(link);
    assert.equal(await viaLink.get('key'), undefined);
    assert.match(viaLink.refused ?? '', /is a symbolic link/);
  });

  it('never restores an entry another user planted in our directory', async function () {
    if (!IS_ROOT) this.skip();
    const dir = path.join(root, 'ours');
    await new ReplayCache(dir).set('key', { dump: new Blob([fakeDump('planted')]), failures: [], migrations: 1 });
    for (const f of readdirSync(dir)) chownSync(path.join(dir, f), NOBODY, NOBODY);
    assert.equal(await new ReplayCache(dir).get('key'), undefined);
  });
});
