/**
 * "statsFile" in preflight.config.json: the file `preflight stats` wrote, read by the CLI (without
 * --stats-file or --database-url) and by the editor layer (VS Code and the language server), so the
 * Problems panel, the review and CI state the same table sizes.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DiagnosticsScope } from '../../src/editor/diagnostics';
import { EditorSettings } from '../../src/editor/settings';
import { WorkspaceAnalyzer, type EditorHost } from '../../src/editor/workspace-analyzer';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const TENANT = '20250527160833_tenant_indexes_and_cash_drawer_set_null';
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

const STATS = {
  version: 1,
  collectedAt: '2026-12-01T00:00:00.000Z',
  tables: [{ schema: 'public', name: 'Appointment', reltuples: 2_000_000, liveTuples: 2_000_000, totalBytes: 400 * 1024 * 1024, tableBytes: 300 * 1024 * 1024, indexBytes: 100 * 1024 * 1024 }],
};

describe('"statsFile" in preflight.config.json', function () {
  this.timeout(30_000);
  let dir: string;
  let sql: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pf-stats-config-'));
    cpSync(path.join(ROOT, 'examples', 'shop'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'preflight-stats.json'), JSON.stringify(STATS));
    writeFileSync(path.join(dir, 'preflight.config.json'), JSON.stringify({ statsFile: 'preflight-stats.json' }));
    sql = path.join(dir, 'prisma', 'migrations', TENANT, 'migration.sql');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const check = (...args: string[]) => spawnSync(process.execPath, [CLI, 'check', dir, '--no-cache', '--format', 'json', '--fail-on', 'never', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  const sized = (messages: string[]) => messages.filter((m) => m.includes('"Appointment" (≈2 M rows, 400 MB)'));

  it('check states the sizes the file gives, as --stats-file does; without the key the findings carry none', () => {
    const r = check();
    assert.equal(r.status, 0, r.stderr);
    const messages: string[] = JSON.parse(r.stdout).findings.map((f: { message: string }) => f.message);
    assert.ok(sized(messages).length > 0, messages.join('\n'));
    const flag = check('--stats-file', path.join(dir, 'preflight-stats.json'));
    assert.deepEqual(JSON.parse(flag.stdout).findings, JSON.parse(r.stdout).findings);
    writeFileSync(path.join(dir, 'preflight.config.json'), '{}');
    assert.equal(sized(JSON.parse(check().stdout).findings.map((f: { message: string }) => f.message)).length, 0);
  });

  it('a stats file that is missing or is not one: one line on stderr, exit 2', () => {
    rmSync(path.join(dir, 'preflight-stats.json'));
    const r = check();
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^preflight: cannot read .*preflight-stats\.json \("statsFile" in .*preflight\.config\.json\): ENOENT\n$/);
    writeFileSync(path.join(dir, 'preflight-stats.json'), '{"version": 1}');
    const bad = check();
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /preflight-stats\.json is not a stats file/);
  });

  it('the editor layer (VS Code, the language server) shows the same sizes, and says so when the file is bad', async () => {
    const host = (): EditorHost => ({
      log: quiet,
      isTrusted: () => false,
      workspaceFolders: () => [dir],
      workspaceFolderOf: () => dir,
      settingsFor: () => EditorSettings.fromObject({ problems: { scope: 'all' } }),
      findProjectMarkers: async () => [path.join(dir, 'prisma', 'migrations', 'migration_lock.toml')],
      openDocuments: () => [{ file: sql, version: 1, dirty: false, text: () => readFileSync(sql, 'utf8') }],
    });
    const analyzer = new WorkspaceAnalyzer(host());
    await analyzer.discoverAll();
    await analyzer.idle();
    const session = analyzer.sessionOf(sql)!;
    const messages = new DiagnosticsScope((id) => id).publish(session, new Set([sql]), true).set.get(sql)!.map((d) => d.message);
    assert.ok(sized(messages).length > 0, messages.join('\n'));

    writeFileSync(path.join(dir, 'preflight-stats.json'), 'not json');
    const again = new WorkspaceAnalyzer(host());
    await again.discoverAll();
    await again.idle();
    const s2 = again.sessionOf(sql)!;
    assert.ok(s2.analysis!.result.notices.some((n) => /preflight-stats\.json is not JSON .*; findings carry no table sizes$/.test(n)), s2.analysis!.result.notices.join('\n'));
    assert.equal(sized(s2.findingsOf(sql).map((f) => f.message)).length, 0);
  });
});
