/**
 * The editor's side of the dry run, without VS Code: a TraceResult turned into problems (range,
 * severity, message), the hover's words for what a statement took, the static-versus-observed
 * comparison, the keying that hides observations of a text that changed, and the review panel's
 * "observed in a dry run" column (as text, with hostile identifiers).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeProject } from '../../src/core/analysis/analyze-project';
import { discoverProject } from '../../src/core/project/discover';
import { ensureSqlParser } from '../../src/core/sql/parser';
import { parseMigrationSql } from '../../src/core/sql/parse-migration';
import type { TracedStatement, TraceResult } from '../../src/core/trace/types';
import type { StatementFacts, TableLock } from '../../src/core/types';
import { reviewViewModel } from '../../src/extension/checklist/view-models';
import * as core from '../../src/extension/core-api';
import { DRY_RUN_ERROR, dryRunProblems, errorRange } from '../../src/extension/dry-run/dry-run-problems';
import { historyHash, ObservationStore, textHash, type DryRunObservation } from '../../src/extension/dry-run/observation-store';
import { editorNotices, engineLabel, escapeMarkdown, formatDuration, observedHover, observedSummary, staticVsObserved } from '../../src/extension/dry-run/observed-words';
import { DryRunCancelled, TraceRunner } from '../../src/extension/dry-run/trace-runner';
import { textOf, toHtml } from '../../src/webview/dom';
import { renderReview } from '../../src/webview/review/render';

const SERVER = 'PostgreSQL 18.6 (PGlite 0.5.16) on wasm32-unknown-emscripten, compiled by emcc 6.0.13, 32-bit';
const BATCH = { mode: 'batch' as const, reason: 'Prisma 7.3.0 sends the whole file as one batch: one implicit transaction' };
const SPLIT = { mode: 'split' as const, reason: 'Prisma 7.4.0 runs each statement on its own' };

/** A TraceResult for `text`, its statements cut as the dry run cuts them, each one `applied` unless `set` says otherwise. */
function traceOf(text: string, set: Record<number, Partial<TracedStatement>> = {}, extra: Partial<TraceResult> = {}): TraceResult {
  const parsed = parseMigrationSql(text);
  const statements: TracedStatement[] = parsed.statements.map((s) => ({
    index: s.index,
    range: s.range,
    start: s.range.start,
    end: s.range.end,
    status: 'applied',
    locks: [],
    heldLocks: [],
    locksObserved: true,
    rewrites: [],
    durationMs: 1,
    ...set[s.index],
  }));
  const failed = statements.some((s) => s.status === 'failed');
  return {
    engine: 'pglite',
    serverVersion: SERVER,
    migration: { name: '20250301000000_change' },
    execution: BATCH,
    outcome: failed ? 'failed' : 'applied',
    statements,
    replay: { migrations: 1, cached: false, durationMs: 900, failures: [] },
    extensions: { loaded: [], unsupported: [] },
    notices: [],
    totalMs: 1200,
    ...extra,
  };
}

/** The error TraceResult carries for a failure at `needle` (PostgreSQL's position) or at the statement start. */
function errorAt(text: string, sqlstate: string, message: string, needle?: string, more: { hint?: string; detail?: string } = {}) {
  return (st: { range: { startOffset: number } }) => {
    const offset = needle ? text.indexOf(needle) : st.range.startOffset;
    const before = text.slice(0, offset).split('\n');
    return { sqlstate, message, ...more, line: before.length, column: before[before.length - 1].length + 1, offset };
  };
}

const lock = (table: string, mode: TableLock['mode']): TableLock => ({ table, mode });
const facts = (locks: TableLock[], rewrites: string[] = [], more: Partial<StatementFacts> = {}): StatementFacts => ({ kind: 'AlterTableStmt', locks, rewrites, newTables: [], ...more });
const traced = (more: Partial<TracedStatement>): TracedStatement => ({
  index: 0,
  range: { startOffset: 0, endOffset: 1, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
  start: { line: 1, column: 1 },
  end: { line: 1, column: 2 },
  status: 'applied',
  locks: [],
  heldLocks: [],
  locksObserved: true,
  rewrites: [],
  durationMs: 3.1,
  ...more,
});

describe('dry run in the editor', () => {
  before(() => ensureSqlParser());

  describe('problems from a TraceResult', () => {
    const BARCODE = '-- AlterTable\nALTER TABLE "public"."Product" ADD COLUMN     "barcode" TEXT;\n\n-- CreateIndex\nCREATE INDEX CONCURRENTLY "Product_barcode_idx" ON "public"."Product"("barcode");\n';

    it('a batch CONCURRENTLY failure (25001) is an error on the failing statement, with SQLSTATE, message, hint and what it means', () => {
      const st1 = parseMigrationSql(BARCODE).statements[1];
      const result = traceOf(BARCODE, {
        0: { status: 'rolled-back', locks: [lock('public.Product', 'AccessExclusiveLock')] },
        1: { status: 'failed', locksObserved: false, error: { ...errorAt(BARCODE, '25001', 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block')(st1), hint: 'Move it into a migration of its own.' } },
      });
      const problems = dryRunProblems(result, BARCODE);
      assert.equal(problems.length, 1, 'only the failing statement is a problem (the rolled-back one is not)');
      const [p] = problems;
      assert.equal(p.severity, 'error');
      assert.deepEqual([p.range.start, p.range.end], [st1.range.start, st1.range.end], 'the whole failing statement');
      assert.equal(p.range.start.line, 5);
      const lines = p.message.split('\n');
      assert.equal(lines[0], 'SQLSTATE 25001: CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
      assert.equal(lines[1], 'Hint: Move it into a migration of its own.');
      assert.match(lines[2], /^Dry run on PGlite, PostgreSQL 18\.6 \(Prisma 7\.3\.0 sends the whole file as one batch.*\): nothing of the file stays applied/);
      assert.equal(DRY_RUN_ERROR, 'dry-run-error');
    });

    it('a failure midway in split mode says the earlier statements stay applied', () => {
      const text = 'ALTER TABLE "A" ADD COLUMN "x" INT;\nALTER TABLE "Nope" ADD COLUMN "y" INT;\n';
      const st = parseMigrationSql(text).statements[1];
      const result = traceOf(text, { 1: { status: 'failed', error: errorAt(text, '42P01', 'relation "Nope" does not exist', '"Nope"')(st) } }, { execution: SPLIT, outcome: 'partially-applied' });
      const [p] = dryRunProblems(result, text);
      assert.match(p.message, /statements before it stay applied/);
    });

    it("PostgreSQL's error position inside a statement marks the token there, not the whole statement", () => {
      const text = 'CREATE INDEX "i" ON "Sale"("created_at");\nALTER TABLE "Sale"\n  ADD COLUMN "note" TEXT REFERENCES "Missing"("id");\n';
      const st = parseMigrationSql(text).statements[1];
      const error = errorAt(text, '42P01', 'relation "Missing" does not exist', '"Missing"')(st);
      const r = errorRange(text, traced({ range: st.range }), error);
      assert.deepEqual(r.start, { line: 3, column: 37 });
      assert.deepEqual(r.end, { line: 3, column: 46 }, 'the quoted identifier "Missing"');
      assert.equal(text.slice(r.startOffset, r.endOffset), '"Missing"');
      const atStart = errorRange(text, traced({ range: st.range }), errorAt(text, '42P01', 'x')(st));
      assert.deepEqual(atStart, st.range, 'a position at the statement start marks the statement');
    });

    it('statements PGlite cannot run (an extension it does not ship, or PGlite giving up) are information, not errors', () => {
      const text = 'CREATE EXTENSION IF NOT EXISTS "vector";\nALTER TABLE "Doc" ADD COLUMN "embedding" vector(3);\nALTER TABLE "Doc" ADD COLUMN "n" INT;\n';
      const sts = parseMigrationSql(text).statements;
      const unsupported = { extensions: { loaded: [], unsupported: ['vector'] } };
      const first = dryRunProblems(traceOf(text, { 0: { status: 'failed', error: errorAt(text, '0A000', 'extension "vector" is not available')(sts[0]) }, 1: { status: 'not-run' }, 2: { status: 'not-run' } }, unsupported), text);
      assert.deepEqual(first.map((p) => [p.statementIndex, p.severity]), [[0, 'info']]);
      assert.match(first[0].message, /PGlite does not provide the extension "vector"/);
      assert.match(first[0].message, /preflight trace --shadow-database-url/);
      const typeMissing = dryRunProblems(traceOf(text, { 1: { status: 'failed', error: errorAt(text, '42704', 'type "vector" does not exist', 'vector(3)')(sts[1]) } }, { ...unsupported, execution: SPLIT }), text);
      assert.deepEqual(typeMissing.map((p) => p.severity), ['info'], 'a statement that needs the missing extension');
      const crashed = dryRunProblems(traceOf(text, { 2: { status: 'failed', error: errorAt(text, 'XX000', 'the embedded database could not run this statement: RuntimeError: unreachable')(sts[2]) } }), text);
      assert.deepEqual(crashed.map((p) => p.severity), ['info']);
      const real = dryRunProblems(traceOf(text, { 2: { status: 'failed', error: errorAt(text, '42P01', 'relation "Doc" does not exist')(sts[2]) } }, unsupported), text);
      assert.deepEqual(real.map((p) => p.severity), ['error'], 'a failure unrelated to the missing extension stays an error');
    });

    it('a migration that applied has no problems', () => {
      assert.deepEqual(dryRunProblems(traceOf(BARCODE), BARCODE), []);
    });
  });

  describe('what a statement took, in words', () => {
    it('names the engine and the PostgreSQL version', () => {
      assert.equal(engineLabel({ engine: 'pglite', serverVersion: SERVER }), 'PGlite, PostgreSQL 18.6');
      assert.equal(engineLabel({ engine: 'postgres', serverVersion: 'PostgreSQL 16.4 (Debian 16.4-1) on x86_64-pc-linux-gnu' }), 'PostgreSQL 16.4');
    });

    const cases: { name: string; st: Partial<TracedStatement>; says: string }[] = [
      { name: 'locks, rewrites and time', st: { locks: [lock('public.User', 'AccessExclusiveLock')], heldLocks: [lock('public.User', 'AccessExclusiveLock')], rewrites: ['public.User'] }, says: 'ACCESS EXCLUSIVE on "User"; rewrote "User"; 3.1 ms' },
      { name: 'a table outside public keeps its schema', st: { locks: [lock('billing.Invoice', 'ShareLock')], durationMs: 0.42 }, says: 'SHARE on "billing"."Invoice"; 0.4 ms' },
      { name: 'nothing new because the batch already holds it', st: { heldLocks: [lock('public.Product', 'AccessExclusiveLock')] }, says: 'no new table lock (ACCESS EXCLUSIVE on "Product" already held); 3.1 ms' },
      {
        name: 'a weaker mode taken inside a stronger one an earlier statement holds (a rewrite after a DROP INDEX in the same batch)',
        st: { locks: [lock('public.Sale', 'ShareLock')], heldLocks: [lock('public.Sale', 'AccessExclusiveLock'), lock('public.Sale', 'ShareLock')], rewrites: ['public.Sale'], durationMs: 19.7 },
        says: 'SHARE on "Sale" (ACCESS EXCLUSIVE already held); rewrote "Sale"; 19.7 ms',
      },
      { name: 'a statement outside a transaction block', st: { locksObserved: false, durationMs: 250 }, says: 'locks not observable (it runs outside a transaction block); 250 ms' },
      { name: 'rolled back with its batch', st: { status: 'rolled-back', locks: [lock('public.Product', 'AccessExclusiveLock')] }, says: 'ACCESS EXCLUSIVE on "Product"; 3.1 ms; rolled back when a later statement failed' },
      { name: 'failed', st: { status: 'failed', locksObserved: false, error: { sqlstate: '25001', message: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block', line: 5, column: 1, offset: 0 } }, says: 'failed with SQLSTATE 25001: CREATE INDEX CONCURRENTLY cannot run inside a transaction block' },
      { name: 'not run', st: { status: 'not-run' }, says: 'not run: an earlier statement failed' },
    ];
    for (const c of cases) {
      it(c.name, () => assert.equal(observedSummary(core, traced(c.st)), c.says));
    }

    it('leaves out locks the transaction holds on tables the statement is not about', () => {
      const st = traced({ heldLocks: [lock('public.A', 'AccessExclusiveLock'), lock('public.B', 'AccessExclusiveLock'), lock('public.C', 'AccessExclusiveLock'), lock('public.D', 'AccessExclusiveLock')] });
      assert.equal(observedSummary(core, st, ['public.B']), 'no new table lock (ACCESS EXCLUSIVE on "B" already held); 3.1 ms');
      assert.equal(observedSummary(core, st, ['public.X']), 'no table lock; 3.1 ms');
      assert.equal(observedSummary(core, st), 'no new table lock (ACCESS EXCLUSIVE on "A", ACCESS EXCLUSIVE on "B", ACCESS EXCLUSIVE on "C" and 1 more already held); 3.1 ms');
    });

    it("points the replay's notice at the output channel, not at a field of the CLI's JSON", () => {
      assert.deepEqual(editorNotices({ notices: ['2 statements of earlier migrations failed in the replay and were skipped; the shadow database may differ from yours (see replay.failures).', 'other'] }), [
        '2 statements of earlier migrations failed in the replay and were skipped; the shadow database may differ from yours (listed in the Preflight output).',
        'other',
      ]);
    });

    it('formats durations for people', () => {
      assert.deepEqual([0.04, 3.14, 99.9, 120.4, 2400].map(formatDuration), ['0.0 ms', '3.1 ms', '99.9 ms', '120 ms', '2.4 s']);
    });
  });

  describe('static claim against the observation', () => {
    const AE = 'AccessExclusiveLock' as const;
    const cases: { name: string; facts: StatementFacts; st: Partial<TracedStatement>; differs: string[] | null }[] = [
      { name: 'the same lock and rewrite agree', facts: facts([lock('public.User', AE)], ['public.User']), st: { locks: [lock('public.User', AE)], rewrites: ['public.User'] }, differs: [] },
      { name: 'a weaker lock observed differs', facts: facts([lock('public.Product', AE)]), st: { locks: [lock('public.Product', 'ShareLock')] }, differs: ['"Product": static ACCESS EXCLUSIVE, observed SHARE'] },
      { name: 'a lock the static analysis does not know differs', facts: facts([]), st: { locks: [lock('public.Sale', 'ShareRowExclusiveLock')] }, differs: ['"Sale": static no lock, observed SHARE ROW EXCLUSIVE'] },
      { name: 'an unexpected rewrite differs', facts: facts([lock('public.Sale', AE)]), st: { locks: [lock('public.Sale', AE)], rewrites: ['public.Sale'] }, differs: ['"Sale": static no rewrite, observed a rewrite'] },
      { name: 'a lock an earlier statement of the batch already holds agrees', facts: facts([lock('public.Product', 'ShareLock')]), st: { heldLocks: [lock('public.Product', AE)] }, differs: [] },
      { name: 'a weaker new mode inside a claimed mode already held agrees', facts: facts([lock('public.Sale', AE)], ['public.Sale']), st: { locks: [lock('public.Sale', 'ShareLock')], heldLocks: [lock('public.Sale', AE)], rewrites: ['public.Sale'] }, differs: [] },
      { name: 'a stronger mode than claimed differs even when held', facts: facts([lock('public.Sale', 'ShareLock')]), st: { locks: [lock('public.Sale', AE)], heldLocks: [lock('public.Sale', AE)] }, differs: ['"Sale": static SHARE, observed ACCESS EXCLUSIVE'] },
      { name: 'foreign-key trigger row locks an empty table does not show agree', facts: facts([lock('public.Post', 'ShareRowExclusiveLock'), lock('public.User', 'RowShareLock')]), st: { locks: [lock('public.Post', 'ShareRowExclusiveLock')] }, differs: [] },
      { name: 'locks not observable: only rewrites are compared', facts: facts([lock('public.Sale', 'ShareUpdateExclusiveLock')]), st: { locksObserved: false }, differs: [] },
      { name: 'a failed statement cannot be compared', facts: facts([lock('public.Sale', AE)]), st: { status: 'failed' }, differs: null },
      { name: 'an uncertain static claim is not compared', facts: facts([], [], { uncertain: true }), st: { locks: [lock('public.Sale', AE)] }, differs: null },
    ];
    for (const c of cases) {
      it(c.name, () => assert.deepEqual(staticVsObserved(core, c.facts, traced(c.st)), c.differs));
    }
  });

  describe('the hover', () => {
    const result = { engine: 'pglite' as const, serverVersion: SERVER };
    const unescape = (md: string) => md.replace(/\\(.)/g, '$1');

    it('says what was observed, with the engine, and that the static claim agrees', () => {
      const md = observedHover(core, result, facts([lock('public.User', 'AccessExclusiveLock')], ['public.User']), traced({ locks: [lock('public.User', 'AccessExclusiveLock')], rewrites: ['public.User'] }));
      assert.equal(unescape(md), '**Observed in a dry run** (PGlite, PostgreSQL 18.6): ACCESS EXCLUSIVE on "User"; rewrote "User"; 3.1 ms.\n\nThe static analysis above agrees.');
    });

    it('says where the static claim and the observation differ', () => {
      const md = observedHover(core, result, facts([lock('public.Product', 'ShareLock')]), traced({ locks: [lock('public.Product', 'AccessExclusiveLock')] }));
      assert.match(unescape(md), /\*\*The static analysis and the dry run differ:\*\* "Product": static SHARE, observed ACCESS EXCLUSIVE\.$/);
    });

    it('says nothing about agreement for a statement that failed', () => {
      const md = observedHover(core, result, facts([]), traced({ status: 'failed', error: { sqlstate: '25001', message: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block', line: 5, column: 1, offset: 0 } }));
      assert.equal(unescape(md), '**Observed in a dry run** (PGlite, PostgreSQL 18.6): failed with SQLSTATE 25001: CREATE INDEX CONCURRENTLY cannot run inside a transaction block.');
    });

    it('shows workspace names literally: no Markdown, links or HTML from a table name', () => {
      const hostile = 'public.*x*](command:evil)<img src=x>`';
      const md = observedHover(core, result, facts([lock(hostile, 'ShareLock')]), traced({ locks: [lock(hostile, 'ShareLock')] }));
      assert.ok(!/[^\\][*`<>[\]()]/.test(md.replace(/^\*\*Observed in a dry run\*\* \(/, '').replace(/\): /, '')), `unescaped Markdown in ${md}`);
      assert.equal(escapeMarkdown('a_b*c'), 'a\\_b\\*c');
    });
  });

  describe('observations are keyed by the text and history they were made on', () => {
    const file = '/p/prisma/migrations/2_b/migration.sql';
    const history = [
      { name: '1_a', text: 'CREATE TABLE "A"(id int);\n' },
      { name: '2_b', text: 'ALTER TABLE "A" ADD COLUMN "x" int;\n' },
    ];
    const hashed = (h: { name: string; text: string }[]) => h.map((m) => ({ name: m.name, textHash: textHash(m.text) }));
    const observation = (): DryRunObservation => ({
      file,
      migration: '2_b',
      projectKey: '/p/prisma/migrations',
      textHash: textHash(history[1].text),
      historyHash: historyHash(hashed(history.slice(0, 1))),
      result: traceOf(history[1].text),
      finishedAt: 0,
    });

    it('shows an observation for the text it was made on, and hides it after an edit', () => {
      const store = new ObservationStore();
      store.set(observation());
      assert.ok(store.current(file, history[1].text));
      assert.ok(store.current(file, `\ufeff${history[1].text}`), 'a BOM is not an edit');
      assert.equal(store.current(file, `${history[1].text}-- edited\n`), undefined);
      assert.equal(store.current('/p/other/migration.sql', history[1].text), undefined);
    });

    it('drops an observation when its file or an earlier migration changed, and keeps it otherwise', () => {
      const store = new ObservationStore();
      store.set(observation());
      assert.equal(store.dropIfStale(file, hashed(history)), false, 'nothing changed');
      assert.equal(store.dropIfStale(file, hashed([...history, { name: '3_c', text: 'SELECT 1;' }])), false, 'a later migration does not matter');
      assert.ok(store.last(file));
      assert.equal(store.dropIfStale(file, hashed([{ name: '1_a', text: 'CREATE TABLE "A"(id bigint);\n' }, history[1]])), true, 'the history changed');
      assert.equal(store.last(file), undefined);
      store.set(observation());
      assert.equal(store.dropIfStale(file, hashed([history[0], { name: '2_b', text: 'SELECT 2;' }])), true, 'the file changed');
      store.set(observation());
      assert.equal(store.dropIfStale(file, hashed([history[0]])), true, 'the migration is gone');
      assert.deepEqual(store.files('/elsewhere'), []);
    });
  });

  describe('review panel: the observed column', () => {
    let dir: string;
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    it('shows per statement what the dry run saw, as text, and says where the static analysis differs', async () => {
      const IMG = 'X<img src=x onerror=alert(1)>';
      dir = mkdtempSync(path.join(tmpdir(), 'preflight-dry-run-'));
      const migrations = path.join(dir, 'prisma', 'migrations');
      const write = (rel: string, text: string) => {
        mkdirSync(path.dirname(path.join(migrations, rel)), { recursive: true });
        writeFileSync(path.join(migrations, rel), text);
      };
      const change = `ALTER TABLE "${IMG}" ALTER COLUMN "n" SET DATA TYPE BIGINT;\nCREATE INDEX CONCURRENTLY "i" ON "${IMG}"("n");\n`;
      write('migration_lock.toml', 'provider = "postgresql"\n');
      write('20250101000000_init/migration.sql', `CREATE TABLE "${IMG}" ("id" SERIAL NOT NULL, "n" INTEGER, CONSTRAINT "p" PRIMARY KEY ("id"));\n`);
      write('20250301000000_change/migration.sql', change);
      const project = discoverProject(dir, { prismaVersion: '7.3.0' });
      const analysis = await analyzeProject(project);
      const table = `public.${IMG}`;
      const result = traceOf(change, {
        0: { status: 'rolled-back', locks: [lock(table, 'ShareLock')], heldLocks: [lock(table, 'ShareLock')], rewrites: [table], durationMs: 3.1 },
        1: { status: 'failed', locksObserved: false, error: { sqlstate: '25001', message: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block', line: 2, column: 1, offset: change.indexOf('CREATE') } },
      });
      const input = {
        core,
        analysis,
        migration: analysis.migrations[1],
        before: analysis.migrations[0].after,
        file: 'prisma/migrations/20250301000000_change/migration.sql',
        checklist: null,
        dryRun: true,
        revision: 1,
      };
      const model = reviewViewModel({ ...input, observed: { file: '', migration: '20250301000000_change', projectKey: '', textHash: textHash(change), historyHash: '', result, finishedAt: Date.UTC(2025, 0, 1, 12) } });
      assert.equal(model.dryRun?.outcome, 'failed');
      assert.equal(model.dryRun?.engine, 'PGlite, PostgreSQL 18.6');
      const [first, second] = model.statements;
      assert.equal(first.observed?.summary, `SHARE on "${IMG}"; rewrote "${IMG}"; 3.1 ms; rolled back when a later statement failed`);
      assert.deepEqual(first.observed?.differences, [`"${IMG}": static ACCESS EXCLUSIVE, observed SHARE`]);
      assert.equal(second.observed?.error?.sqlstate, '25001');

      const page = renderReview(model, { notice: null });
      const text = textOf(page);
      assert.match(text, /Observed in a dry run/);
      assert.match(text, /Differs from the static analysis: "X<img src=x onerror=alert\(1\)>": static ACCESS EXCLUSIVE, observed SHARE/);
      assert.match(text, /SQLSTATE 25001: CREATE INDEX CONCURRENTLY cannot run inside a transaction block/);
      assert.match(text, /Dry run on PGlite, PostgreSQL 18\.6: failed: nothing of it stays applied/);
      const html = toHtml(page);
      assert.ok(!html.includes('<img'), 'a table name is text, never markup');
      assert.ok(html.includes('X&lt;img src=x onerror=alert(1)&gt;'));

      const without = renderReview(reviewViewModel(input), { notice: null });
      assert.equal(reviewViewModel(input).dryRun, null);
      assert.doesNotMatch(textOf(without), /Observed in a dry run/, 'no column before a dry run');
      assert.equal(reviewViewModel(input).statements[0].observed, undefined);
    });
  });

  describe('the contribution', () => {
    const root = path.join(__dirname, '..', '..');
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

    it('declares the command, shows it only in trusted workspaces, and declares its setting', () => {
      // The id the review panel looks for (src/extension/checklist/review-panel.ts) and dry-run-command.ts registers.
      const DRY_RUN_COMMAND = 'preflight.dryRunMigration';
      for (const file of ['src/extension/dry-run/dry-run-command.ts', 'src/extension/checklist/review-panel.ts']) assert.ok(readFileSync(path.join(root, file), 'utf8').includes(`'${DRY_RUN_COMMAND}'`), `${file} does not name ${DRY_RUN_COMMAND}`);
      const command = manifest.contributes.commands.find((c: { command: string }) => c.command === DRY_RUN_COMMAND);
      assert.equal(`${command?.category}: ${command?.title}`, 'Preflight: Dry-run Migration');
      const entries = Object.entries(manifest.contributes.menus as Record<string, { command: string; when?: string }[]>).flatMap(([menu, items]) => items.filter((i) => i.command === DRY_RUN_COMMAND).map((i) => ({ menu, when: i.when ?? '' })));
      assert.deepEqual(entries.map((e) => e.menu).sort(), ['commandPalette', 'editor/context', 'editor/title', 'explorer/context', 'view/item/context']);
      for (const e of entries) assert.match(e.when, /^isWorkspaceTrusted && /, `${e.menu} shows the dry run without workspace trust`);
      const setting = manifest.contributes.configuration.properties['preflight.dryRun.sampleRows'];
      assert.equal(setting?.type, 'boolean');
      assert.equal(setting?.default, false);
    });

    it('ships PGlite and the page the dry-run-error code links to', () => {
      const ignore = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split(/\r?\n/);
      assert.ok(ignore.includes('!dist/pglite/**'), '.vscodeignore keeps dist/pglite/ out of the .vsix');
      assert.ok(ignore.includes('!docs/dry-run.md'), '.vscodeignore keeps docs/dry-run.md out of the .vsix');
    });
  });

  describe('the worker thread the dry run runs in', () => {
    // A stand-in for dist/trace.js that speaks the same protocol: what it does depends on the first migration's text.
    const STUB = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (r) => {
  const what = r.migrations[0].text;
  if (what === 'hang') return;
  if (what === 'crash') process.exit(3);
  if (what === 'error') return parentPort.postMessage({ type: 'error', id: r.id, message: 'could not start the embedded database' });
  parentPort.postMessage({ type: 'progress', id: r.id, message: 'Replaying 1 migrations' });
  parentPort.postMessage({ type: 'result', id: r.id, result: { outcome: 'applied', migration: { name: r.options.target }, notices: [r.cacheDir] } });
});
`;
    let dir: string;
    let runner: TraceRunner;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'preflight-runner-'));
      writeFileSync(path.join(dir, 'trace.js'), STUB);
    });
    beforeEach(() => (runner = new TraceRunner(path.join(dir, 'trace.js'))));
    afterEach(() => runner.dispose());
    after(() => rmSync(dir, { recursive: true, force: true }));
    const run = (text: string, progress: string[] = []) => runner.run([{ name: '1_a', text }], { prismaVersion: '7.3.0', target: '1_a', sampleRows: false }, '/cache', (m) => progress.push(m));

    it('hands over the request and brings back the progress and the result', async () => {
      const progress: string[] = [];
      const r = await run('SELECT 1;', progress).result;
      assert.equal(r.outcome, 'applied');
      assert.deepEqual(r.notices, ['/cache'], 'the cache folder reaches the worker');
      assert.deepEqual(progress, ['Replaying 1 migrations']);
    });

    it("a failure in the worker rejects the run with the worker's message", async () => {
      await assert.rejects(run('error').result, /could not start the embedded database/);
      assert.equal((await run('SELECT 1;').result).outcome, 'applied', 'the next run works');
    });

    it('Cancel ends a run at once, and the next run gets a new thread', async () => {
      const job = run('hang');
      const t0 = Date.now();
      setTimeout(() => job.cancel(), 20);
      await assert.rejects(job.result, (e) => e instanceof DryRunCancelled);
      assert.ok(Date.now() - t0 < 2000, 'cancelled promptly');
      assert.equal((await run('SELECT 1;').result).outcome, 'applied');
    });

    it('a thread that dies fails its run, and the next run gets a new thread', async () => {
      await assert.rejects(run('crash').result, /exited \(code 3\)/);
      assert.equal((await run('SELECT 1;').result).outcome, 'applied');
    });

    it('runs one dry run at a time', async () => {
      const first = run('hang');
      assert.throws(() => run('SELECT 1;'), /already running/);
      first.cancel();
      await assert.rejects(first.result, (e) => e instanceof DryRunCancelled);
    });
  });
});
