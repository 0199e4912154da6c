/**
 * The editor layer (src/editor) without any editor: the same diagnostics, hover and code actions
 * that VS Code and the language server show, computed from examples/shop through a plain host.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { codeActionsFor } from '../../src/editor/code-actions';
import { loadCore } from '../../src/editor/core-loader';
import { DiagnosticsScope } from '../../src/editor/diagnostics';
import { hoverAt } from '../../src/editor/hovers';
import { DocumentText } from '../../src/editor/positions';
import { EditorSettings } from '../../src/editor/settings';
import { WorkspaceAnalyzer, type EditorHost } from '../../src/editor/workspace-analyzer';

const SHOP = path.resolve(__dirname, '../../examples/shop');
const FILE = path.join(SHOP, 'prisma/migrations/20250527160833_tenant_indexes_and_cash_drawer_set_null/migration.sql');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function host(settings: object = {}): EditorHost {
  return {
    log: quiet,
    isTrusted: () => false,
    workspaceFolders: () => [SHOP],
    workspaceFolderOf: () => SHOP,
    settingsFor: () => EditorSettings.fromObject(settings),
    findProjectMarkers: async () => [path.join(SHOP, 'prisma/migrations/migration_lock.toml')],
    openDocuments: () => [{ file: FILE, version: 3, dirty: false, text: () => readFileSync(FILE, 'utf8') }],
  };
}

describe('editor services over examples/shop', function () {
  this.timeout(20000);
  let analyzer: WorkspaceAnalyzer;
  before(async () => {
    analyzer = new WorkspaceAnalyzer(host());
    await analyzer.discoverAll();
    await analyzer.idle();
  });

  it('in a batch, a lock that an earlier statement of the transaction already holds at least as strongly is named in the hover', async () => {
    const session = analyzer.sessionOf(FILE)!;
    const text = readFileSync(FILE, 'utf8');
    const lineOf = (start: string) => text.split('\n').findIndex((l) => l.startsWith(start));
    const doc = new DocumentText(text);
    const create = hoverAt(await loadCore(), session, FILE, 3, doc.offsetAt({ line: lineOf('CREATE INDEX "Appointment_tenant_id_start_time_idx"'), character: 3 }))!;
    assert.match(create.markdown, new RegExp(`- \\*\\*SHARE\\*\\* on \`"Appointment"\`: already covered by the \\*\\*ACCESS EXCLUSIVE\\*\\* lock taken on line ${lineOf('DROP INDEX "Appointment_tenant_id_idx"') + 1} and held until the migration ends: blocks all reads and writes`));
    // The first statement to lock a table says what its own lock blocks.
    const drop = hoverAt(await loadCore(), session, FILE, 3, doc.offsetAt({ line: lineOf('DROP INDEX "Appointment_tenant_id_idx"'), character: 3 }))!;
    assert.match(drop.markdown, /- \*\*ACCESS EXCLUSIVE\*\* on `"Appointment"`: blocks all reads and writes/);
    assert.doesNotMatch(drop.markdown, /already covered/);
  });

  it("Prisma's own Warnings header: the statement it is about says so in its hover, and the header line names that statement and Preflight's findings on it", async () => {
    const session = analyzer.sessionOf(FILE)!;
    const text = readFileSync(FILE, 'utf8');
    const doc = new DocumentText(text);
    const statementLine = text.split('\n').findIndex((l) => l.startsWith('ALTER TABLE "Sale" ALTER COLUMN "subtotal"'));
    const onStatement = hoverAt(await loadCore(), session, FILE, 3, doc.offsetAt({ line: statementLine, character: 3 }))!;
    const warned = onStatement.markdown.match(/\*\*Prisma's own warning\*\* \(from the header of this file\): You are about to alter the column `(\w+)` on the `Sale` table/g) ?? [];
    assert.deepEqual(warned.map((w) => /`(\w+)` on/.exec(w)![1]), ['subtotal', 'tax', 'total']);
    const elsewhere = hoverAt(await loadCore(), session, FILE, 3, doc.offsetAt({ line: text.split('\n').findIndex((l) => l.startsWith('DROP INDEX "Sale_tenant_id_idx"')), character: 3 }))!;
    assert.doesNotMatch(elsewhere.markdown, /Prisma's own warning/, 'a statement on "Sale" that changes none of the columns is not what the warning is about');
    const onHeader = hoverAt(await loadCore(), session, FILE, 3, text.indexOf('You are about to alter the column `tax`') + 5)!;
    assert.match(onHeader.markdown, /^\*\*Prisma's own warning\*\* \(written by `prisma migrate dev` when it generated this file\): You are about to alter the column `tax`/);
    assert.match(onHeader.markdown, new RegExp(`- Line ${statementLine + 1}: Preflight reports [^\\n]*\`narrowing-type-change\``));
  });

  it('publishes diagnostics for the open file with rule codes, links and plain text', () => {
    const session = analyzer.sessionOf(FILE)!;
    const update = new DiagnosticsScope((id) => `https://docs/${id}`).publish(session, new Set([FILE]), false);
    const diagnostics = update.set.get(FILE)!;
    const index = diagnostics.find((d) => d.code === 'non-concurrent-index')!;
    assert.equal(index.severity, 2);
    assert.equal(index.source, 'preflight');
    assert.equal(index.codeDescription?.href, 'https://docs/non-concurrent-index');
    assert.equal(index.range.start.line, 29);
    assert.doesNotMatch(index.message, /`/);
  });

  it('names the lock in the hover of a statement', async () => {
    const session = analyzer.sessionOf(FILE)!;
    const doc = new DocumentText(readFileSync(FILE, 'utf8'));
    const hover = hoverAt(await loadCore(), session, FILE, 3, doc.offsetAt({ line: 29, character: 3 }))!;
    assert.match(hover.markdown, /\*\*SHARE\*\* on `"Appointment"`/);
    assert.equal(hover.range?.start.line, 29);
    assert.equal(hoverAt(await loadCore(), session, FILE, 4, 0), undefined, 'no hover from an analysis of another version');
  });

  it('offers the real fix first and preferred (a new migration folder), then ignore comments, then the docs', () => {
    const session = analyzer.sessionOf(FILE)!;
    const diagnostic = new DiagnosticsScope((id) => id).publish(session, new Set([FILE]), false).set.get(FILE)!.find((d) => d.code === 'non-concurrent-index')!;
    const actions = codeActionsFor({ file: FILE, document: new DocumentText(readFileSync(FILE, 'utf8')), version: 3, session, diagnostics: [diagnostic], textOf: () => undefined, log: quiet });
    const titles = actions.map((a) => a.title);
    assert.match(titles[0], /CONCURRENTLY/);
    assert.equal(actions[0].isPreferred, true);
    assert.ok(actions[0].edit?.changes.some((c) => c.kind === 'create' && c.file.endsWith('migration.sql')), JSON.stringify(actions[0].edit));
    assert.deepEqual(titles.slice(-3), ['Ignore non-concurrent-index for this statement', 'Ignore non-concurrent-index for this file', 'Show documentation for non-concurrent-index']);
    const ignore = actions.find((a) => a.title.endsWith('this statement'))!;
    assert.deepEqual(ignore.edit?.changes[0], { kind: 'edit', file: FILE, edits: [{ range: { start: { line: 29, character: 0 }, end: { line: 29, character: 0 } }, newText: '-- preflight-ignore non-concurrent-index\n' }] });
  });

  it('reads settings nested or dotted, as editors send them', () => {
    assert.equal(EditorSettings.fromObject({ problems: { scope: 'all' } }).problemsScope, 'all');
    assert.equal(EditorSettings.fromObject({ 'problems.scope': 'all' }).problemsScope, 'all');
    assert.deepEqual(EditorSettings.fromObject({ rules: { 'drop-table': 'off', x: 'loud' } }).rules, { 'drop-table': 'off' });
    assert.equal(EditorSettings.fromObject(null).analysisDelayMs, 250);
  });
});

describe('editor services: the hover of a DO block', function () {
  this.timeout(30000);
  const INIT = `CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" ("id" INTEGER NOT NULL, "authorId" INTEGER, "b" TEXT, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
`;
  const DO_BLOCKS = `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'Post_authorId_fkey') THEN
    ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");
  END IF;
END $$;

DO $$
BEGIN
  CASE WHEN (SELECT count(*) FROM "User") > 0 THEN
    ALTER TABLE "User" ADD COLUMN "c" TEXT;
  ELSE
    NULL;
  END CASE;
END $$;

DO $$
BEGIN
  EXECUTE format('CREATE INDEX %I ON "Post" ("b")', 'Post_b_idx');
END $$;
`;
  let root: string;
  let file: string;
  let analyzer: WorkspaceAnalyzer;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'pf-editor-do-'));
    const migrations = path.join(root, 'prisma', 'migrations');
    mkdirSync(path.join(migrations, '20250101000000_init'), { recursive: true });
    mkdirSync(path.join(migrations, '20250102000000_do_blocks'));
    writeFileSync(path.join(migrations, 'migration_lock.toml'), 'provider = "postgresql"\n');
    writeFileSync(path.join(migrations, '20250101000000_init', 'migration.sql'), INIT);
    file = path.join(migrations, '20250102000000_do_blocks', 'migration.sql');
    writeFileSync(file, DO_BLOCKS);
    analyzer = new WorkspaceAnalyzer({
      log: quiet,
      isTrusted: () => false,
      workspaceFolders: () => [root],
      workspaceFolderOf: () => root,
      settingsFor: () => EditorSettings.fromObject({ prismaVersion: '7.3.0' }),
      findProjectMarkers: async () => [path.join(migrations, 'migration_lock.toml')],
      openDocuments: () => [{ file, version: 1, dirty: false, text: () => DO_BLOCKS }],
    });
    await analyzer.discoverAll();
    await analyzer.idle();
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const hoverOn = async (line: string) => {
    const offset = DO_BLOCKS.indexOf(line) + 2;
    return hoverAt(await loadCore(), analyzer.sessionOf(file)!, file, 1, offset)!.markdown;
  };

  it('a lock taken only in an IF branch: the hover says it is taken only if the branch runs', async () => {
    const md = await hoverOn('ALTER TABLE "Post" ADD CONSTRAINT');
    assert.match(md, /- \*\*SHARE ROW EXCLUSIVE\*\* on `"Post"`: [^\n]* \(only if the branch of the DO block that takes it runs\)\.\n/);
    assert.match(md, /- \*\*SHARE ROW EXCLUSIVE\*\* on `"User"`: [^\n]* \(only if the branch of the DO block that takes it runs\)\.\n/);
  });

  it('a lock taken only in a CASE branch says so too', async () => {
    const md = await hoverOn('ALTER TABLE "User" ADD COLUMN "c"');
    assert.match(md, /- \*\*ACCESS EXCLUSIVE\*\* on `"User"`: blocks all reads and writes [^\n]* \(only if the branch of the DO block that takes it runs\)\.\n/);
    assert.doesNotMatch(md, /Uncertain/);
  });

  it('dynamic EXECUTE: the hover shows why Preflight cannot tell, with Markdown escaped', async () => {
    const md = await hoverOn("EXECUTE format('CREATE INDEX");
    assert.match(md, /- \*\*Uncertain:\*\* the DO block runs dynamic SQL \(EXECUTE of format\('CREATE INDEX %I ON "Post" \("b"\)', 'Post\\_b\\_idx'\)\), which Preflight cannot read ahead: what it locks or changes is not known\.\n/);
  });
});
