/**
 * Extension-host tests: the activated extension against a scratch copy of examples/shop, through
 * VS Code's own API (the same calls the editor makes for diagnostics, hovers and quick fixes).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'preflight-dev.preflight-prisma';

interface PreflightApi {
  idle(): Promise<void>;
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the suite needs a workspace folder (examples/shop)');
  return folder.uri.fsPath;
}

async function api(): Promise<PreflightApi> {
  const ext = vscode.extensions.getExtension<PreflightApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

async function ours(uri: vscode.Uri, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await (await api()).idle();
    const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'preflight');
    if (found.length || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

async function newMigration(name: string, sql: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.file(path.join(workspaceRoot(), 'prisma', 'migrations', name, 'migration.sql'));
  await vscode.workspace.fs.writeFile(uri, Buffer.from(sql, 'utf8'));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

describe('Preflight in the extension host', () => {
  it('registers its palette commands', async () => {
    await api();
    const all = await vscode.commands.getCommands(true);
    for (const id of ['preflight.reviewMigration', 'preflight.showRuleDocumentation', 'preflight.reanalyse', 'preflight.showOutput']) assert.ok(all.includes(id), id);
  });

  it('reports a plain CREATE INDEX on an existing table, with the rule id linked to its documentation', async () => {
    const doc = await newMigration('20990101000000_index_product_name', 'CREATE INDEX "Product_name_idx" ON "Product"("name");\n');
    const diags = await ours(doc.uri);
    const d = diags.find((x) => ruleOf(x) === 'non-concurrent-index');
    assert.ok(d, `no non-concurrent-index in ${diags.map(ruleOf).join(', ')}`);
    assert.equal(d.range.start.line, 0);
    assert.ok(typeof d.code === 'object' && d.code.target.path.endsWith('/docs/rules/non-concurrent-index.md'));
  });

  it('shows the lock in plain words on hover', async () => {
    const doc = await newMigration('20990101000001_index_sale', 'CREATE INDEX "Sale_created_at_idx" ON "Sale"("created_at");\n');
    await ours(doc.uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /SHARE/);
    assert.match(text, /blocks inserts, updates and deletes/);
  });

  it('offers "Add CONCURRENTLY" as the preferred fix, and applying it clears the diagnostic', async () => {
    const doc = await newMigration('20990101000002_index_customer', 'CREATE INDEX "Customer_name_idx" ON "Customer"("name");\n');
    const diag = (await ours(doc.uri)).find((x) => ruleOf(x) === 'non-concurrent-index');
    assert.ok(diag);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Add CONCURRENTLY');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /CREATE INDEX CONCURRENTLY "Customer_name_idx"/);
    const deadline = Date.now() + 20_000;
    while ((await ours(doc.uri, 0)).some((x) => ruleOf(x) === 'non-concurrent-index') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(!(await ours(doc.uri, 0)).some((x) => ruleOf(x) === 'non-concurrent-index'));
  });

  it('analyses the unsaved buffer: a typed DROP TABLE is reported, and statements after a syntax error still are', async () => {
    const doc = await newMigration('20990101000003_typing', 'SELECT 1;\n');
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(1, 0), 'ALTER TABLEE "Sale" ADD COLUMN "x" TEXT;\nDROP TABLE "Category";\n'));
    const deadline = Date.now() + 20_000;
    let rules: string[] = [];
    while (Date.now() < deadline) {
      rules = (await ours(doc.uri, 0)).map((d) => `${d.range.start.line + 1}:${ruleOf(d)}`);
      if (rules.includes('3:drop-table')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(rules.includes('2:parse-error'), rules.join(', '));
    assert.ok(rules.includes('3:drop-table'), rules.join(', '));
  });
});
