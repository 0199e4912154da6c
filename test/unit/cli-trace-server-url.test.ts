import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

const ROOT = path.resolve(__dirname, '..', '..');

async function run(args: string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: ROOT, env, isTTY: false });
  return { code, out, err };
}

describe('preflight trace: which server URL it reads', function () {
  this.timeout(120_000);

  it('--database-url is refused on trace with a one-line hint to --shadow-database-url (exit 2)', async () => {
    const r = await run(['trace', 'examples/shop', '--database-url', 'postgresql://u:topsecret@127.0.0.1:1/db']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^preflight: trace has no --database-url: use --shadow-database-url or PREFLIGHT_SHADOW_DATABASE_URL/);
    assert.ok(!r.err.includes('topsecret'));
  });

  it('with PREFLIGHT_DATABASE_URL set (the read-only URL) trace still runs in PGlite', async () => {
    const r = await run(['trace', 'examples/shop', '--format', 'json', '--no-cache'], { NO_COLOR: '1', PREFLIGHT_DATABASE_URL: 'postgresql://prod:secret@127.0.0.1:1/production' });
    assert.equal(JSON.parse(r.out).engine, 'pglite', r.err);
  });

  it('an unparsable shadow URL is a usage error that shows no part of the password', async () => {
    const r = await run(['trace', 'examples/shop'], { PREFLIGHT_SHADOW_DATABASE_URL: 'postgresql://admin:p@ss:w@rd@db.example:notaport/app' });
    assert.equal(r.code, 2);
    assert.match(r.err, /postgresql:\/\/\*\*\*\*@db\.example:notaport\/app/);
    assert.ok(!/ss:w|rd@/.test(r.err), r.err);
  });

  it('an unknown sslmode is a usage error', async () => {
    const r = await run(['trace', 'examples/shop', '--shadow-database-url', 'postgresql://u@127.0.0.1/db?sslmode=sometimes']);
    assert.equal(r.code, 2);
    assert.match(r.err, /sslmode=sometimes is not one of disable, allow, prefer, require, verify-ca, verify-full/);
  });

  it('--connect-timeout must be seconds above 0', async () => {
    const r = await run(['trace', 'examples/shop', '--connect-timeout', '0']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--connect-timeout must be a number of seconds above 0/);
  });
});
