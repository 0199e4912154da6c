/**
 * The language server as a plain LSP client sees it: `node dist/cli.js lsp --stdio` spoken to
 * over stdio with vscode-jsonrpc. Diagnostics with rule codes on didOpen, a hover that names the
 * lock, the CONCURRENTLY fix (a new migration folder, preferred) and the ignore actions, a new
 * analysis after didChange, a clean shutdown and exit.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SHOP = path.join(ROOT, 'examples/shop');
const FILE = path.join(SHOP, 'prisma/migrations/20250527160833_tenant_indexes_and_cash_drawer_set_null/migration.sql');
const URI = pathToFileURL(FILE).href;

interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  source: string;
  codeDescription?: { href: string };
  message: string;
}

describe('preflight lsp --stdio, spoken to by a plain LSP client', function () {
  this.timeout(30000);
  let server: ChildProcessWithoutNullStreams;
  let rpc: MessageConnection;
  const published: { uri: string; diagnostics: Diagnostic[] }[] = [];
  let stderr = '';

  const nextDiagnostics = (uri: string, after: number) =>
    new Promise<Diagnostic[]>((resolve, reject) => {
      const started = Date.now();
      const poll = () => {
        const hit = published.slice(after).find((p) => p.uri === uri);
        if (hit) resolve(hit.diagnostics);
        else if (Date.now() - started > 20000) reject(new Error(`no diagnostics for ${uri}; stderr: ${stderr}`));
        else setTimeout(poll, 20);
      };
      poll();
    });

  before(async function () {
    if (!existsSync(CLI)) this.skip();
    server = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: SHOP });
    server.stderr.on('data', (d) => (stderr += String(d)));
    rpc = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    rpc.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => void published.push(p));
    rpc.onNotification('window/logMessage', () => {});
    rpc.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({ problems: { scope: 'branch' } })));
    rpc.onRequest('client/registerCapability', () => null);
    rpc.listen();
    const init = await rpc.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(SHOP).href,
      workspaceFolders: [{ uri: pathToFileURL(SHOP).href, name: 'shop' }],
      capabilities: {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] }, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { codeDescriptionSupport: true } },
      },
    });
    assert.equal((init.capabilities.textDocumentSync as { change: number }).change, 2, 'incremental sync');
    await rpc.sendNotification('initialized', {});
  });

  after(() => {
    rpc?.dispose();
    if (server && server.exitCode === null) server.kill();
  });

  it('publishes diagnostics with rule codes and doc links on didOpen', async () => {
    const mark = published.length;
    await rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'sql', version: 1, text: readFileSync(FILE, 'utf8') } });
    const diagnostics = await nextDiagnostics(URI, mark);
    const index = diagnostics.find((d) => d.code === 'non-concurrent-index' && d.range.start.line === 29);
    assert.ok(index, JSON.stringify(diagnostics.map((d) => d.code)));
    assert.equal(index.source, 'preflight');
    assert.equal(index.severity, 2);
    assert.match(index.codeDescription?.href ?? '', /docs\/rules\/non-concurrent-index\.md$/);
    assert.match(index.message, /SHARE lock on "Appointment"/);
  });

  it('answers a hover that names the lock', async () => {
    const hover = await rpc.sendRequest<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 29, character: 4 } });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*SHARE\*\* on `"Appointment"`/);
  });

  it('offers the CONCURRENTLY fix as a workspace edit that creates the migration folder, preferred, then the ignore comments', async () => {
    const diagnostic = published.filter((p) => p.uri === URI).at(-1)!.diagnostics.find((d) => d.code === 'non-concurrent-index' && d.range.start.line === 29)!;
    const actions = await rpc.sendRequest<{ title: string; isPreferred?: boolean; edit?: { documentChanges: { kind?: string; uri?: string; textDocument?: { uri: string }; edits?: { newText: string }[] }[] }; command?: { command: string } }[]>(
      'textDocument/codeAction',
      { textDocument: { uri: URI }, range: diagnostic.range, context: { diagnostics: [diagnostic] } },
    );
    const fix = actions[0];
    assert.match(fix.title, /CONCURRENTLY/);
    assert.equal(fix.isPreferred, true);
    const create = fix.edit!.documentChanges.find((c) => c.kind === 'create')!;
    assert.match(create.uri!, /_[a-z_]+\/migration\.sql$/);
    assert.ok(fix.edit!.documentChanges.some((c) => c.textDocument?.uri === create.uri && /CREATE INDEX CONCURRENTLY/.test(c.edits![0].newText)));
    assert.equal(fix.command?.command, 'preflight.openNewMigration');
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Ignore non-concurrent-index for this statement'), titles.join('\n'));
    assert.ok(titles.includes('Ignore non-concurrent-index for this file'));
    assert.equal(titles.at(-1), 'Show documentation for non-concurrent-index');
  });

  it('analyses the document again after didChange (incremental)', async () => {
    const mark = published.length;
    // Replace line 30's CREATE INDEX by a DROP TABLE of an existing table.
    const line = readFileSync(FILE, 'utf8').split(/\r?\n/)[29];
    await rpc.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 29, character: 0 }, end: { line: 29, character: line.length } }, text: 'DROP TABLE "Appointment";' }],
    });
    const diagnostics = await nextDiagnostics(URI, mark);
    assert.ok(diagnostics.some((d) => d.code === 'drop-table' && d.range.start.line === 29), JSON.stringify(diagnostics.map((d) => [d.code, d.range.start.line])));
    assert.ok(!diagnostics.some((d) => d.code === 'non-concurrent-index' && d.range.start.line === 29));
  });

  it('shuts down and exits cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    await rpc.sendRequest('shutdown');
    await rpc.sendNotification('exit');
    assert.equal(await exited, 0);
  });
});
