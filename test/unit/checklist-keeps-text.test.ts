/**
 * The checklist file never drops text it does not understand: regeneration keeps a person's
 * lines (inside an item: in its note; outside any item: under "Other notes"), and refuses —
 * changing nothing — a file with git conflict markers, a file that is not a Preflight checklist,
 * and a read-only file. The CLI says so in one line on stderr with exit 2.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeMigration } from '../../src/core/analysis/analyze-migration';
import { HistoryAnalyzer } from '../../src/core/analysis/history';
import { buildChecklist } from '../../src/core/checklist/build';
import { updateChecklistFile } from '../../src/core/checklist/file';
import { mergeState, parseChecklistMarkdown, renderChecklist } from '../../src/core/checklist/markdown';
import { RECORD_FIELDS, emptyState, type Checklist } from '../../src/core/checklist/model';
import { InputError } from '../../src/core/input-error';
import { RULES } from '../../src/core/rules/index';
import { ensureSqlParser } from '../../src/core/sql/parser';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const HISTORY = `CREATE TABLE "Session" ("id" SERIAL NOT NULL, CONSTRAINT "Session_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Product" ("id" SERIAL NOT NULL, "session_id" INTEGER, "sku" VARCHAR(64), CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));`;
const MIGRATION = `ALTER TABLE "Product" ALTER COLUMN "session_id" SET NOT NULL;
CREATE UNIQUE INDEX "Product_sku_key" ON "Product"("sku");
`;

async function checklistOf(sql: string): Promise<Checklist> {
  await ensureSqlParser();
  const opts = { prismaVersion: '7.3.0', rules: RULES, severityOf: (_: string, s: 'error' | 'warning' | 'info') => s, fileOfMigration: () => null };
  const { catalog } = new HistoryAnalyzer().analyze([{ name: '20250101000000_init', file: '/p/m/20250101000000_init/migration.sql', text: HISTORY }], opts, 'x');
  const analysis = analyzeMigration({ name: '20250201000000_x', file: '/p/m/20250201000000_x/migration.sql', text: sql }, catalog, opts);
  return buildChecklist({ analysis, before: catalog, prismaVersion: '7.3.0', migrationsDirRelative: 'prisma/migrations', schemaRelative: null });
}

/** A small seeded generator, so a failing case can be replayed. */
function prng(seed: number) {
  return (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
}

/**
 * Text a person might type: words, punctuation, Markdown, quotes, non-ASCII, comment markers (the
 * file's own syntax: an item's id comment included) and what their escapes look like; no CR.
 */
const PIECES = ['ok', 'done at 10:02', '- [ ] a box', '# not a heading', '```sql', 'SELECT 1;', '~~~~', '> quoted', '  indented', '\tTab', 'Ünïcödé ✓', '日本語', '**bold**', 'Notes: inside', '`code`', '1. first', '* star', '=====', '<b>html</b>', '   three spaces', 'x  ',
  '<!--', '-->', '<!-->', 'a<!--b-->c', '- [x] mine <!-- id:pre.backup fp:0123456789 -->', '<!-- ticked-fp:abc -->', '&lt;!--', '--&gt;', '&amp;lt;!--', '--&amp;amp;gt;', '&lt;', '&', '--', '<!-- preflight-checklist v1 -->'];
function randomText(rand: (n: number) => number, maxLines: number): string {
  const lines: string[] = [];
  const count = 1 + rand(maxLines);
  for (let i = 0; i < count; i++) lines.push(rand(5) === 0 ? '' : Array.from({ length: 1 + rand(3) }, () => PIECES[rand(PIECES.length)]).join(' '));
  // A note is the person's text up to its last non-blank line.
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  if (!lines.length || !lines[0].trim()) lines.unshift('first');
  return lines.join('\n');
}

describe('the checklist keeps every line a person wrote', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pf-keeps-'));
    file = path.join(dir, 'preflight-checklist.md');
  });
  afterEach(() => {
    try {
      chmodSync(file, 0o644);
    } catch {
      /* none */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a note after a blank line, an unindented line, a line added inside an item and a paragraph at the end; a second run changes nothing', async () => {
    const list = await checklistOf(MIGRATION);
    updateChecklistFile(file, list);
    let text = readFileSync(file, 'utf8');
    const backup = /^- \[ \] (Take a full backup[^\n]*<!-- id:pre\.backup [^\n]*)$/m;
    assert.match(text, backup);
    text = text.replace(backup, '- [x] $1\n  A line I added inside the item');
    text = text.replace(/(id:pre\.backup[\s\S]*?\n {2}Notes:)/, '$1 first paragraph\n\n  after a blank line\nan unindented line');
    text += '\nA paragraph at the end\nof the file.\n';
    writeFileSync(file, text);

    const { text: regenerated, parsed } = updateChecklistFile(file, list);
    assert.equal(parsed.state.ticks['pre.backup'], true);
    assert.equal(parsed.state.notes['pre.backup'], 'first paragraph\n\nafter a blank line\nan unindented line\nA line I added inside the item');
    assert.match(regenerated, /\n## Other notes\n\nA paragraph at the end\nof the file\.\n$/);
    assert.equal(updateChecklistFile(file, list).text, regenerated, 'the next regeneration is the same file');
  });

  it('keeps lines and headings outside any item verbatim under "Other notes", and the notes of an item that no longer applies', async () => {
    const list = await checklistOf(MIGRATION);
    updateChecklistFile(file, list);
    let text = readFileSync(file, 'utf8');
    text = text.replace('## Pre-deployment\n', '## Pre-deployment\n\nAsk Ada before running any of this.\n');
    text = text.replace('## Migration record', '### Deploy log\n\n| when | who |\n| --- | --- |\n| 10:02 | Ada |\n\n## Migration record');
    text += '\n## Retro\n\nWent fine.\n';
    writeFileSync(file, text);
    updateChecklistFile(file, list);
    const smaller = await checklistOf('ALTER TABLE "Product" ALTER COLUMN "session_id" SET NOT NULL;\n');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(id:pre\.duplicates\.Product_sku_key[\s\S]*?\n {2}Notes:)/, '$1 42 duplicates cleaned\n  by hand'));
    const { text: after } = updateChecklistFile(file, smaller);
    for (const kept of ['Ask Ada before running any of this.', '| 10:02 | Ada |', '## Retro', 'Went fine.']) assert.ok(after.includes(kept), `keeps ${kept}`);
    // The deploy log under a heading of its own inside the last item section is that item's note (the nearest item).
    assert.match(after, /- `pre\.duplicates\.Product_sku_key`: 42 duplicates cleaned\n {2}by hand/);
  });

  it('property: parse(render(x)) gives back every tick, note, record field, archived note and other note (1,000 random files)', async () => {
    const list = await checklistOf(MIGRATION);
    const rand = prng(7);
    for (let n = 0; n < 1000; n++) {
      const state = emptyState();
      for (const item of list.items) {
        state.fingerprints[item.id] = item.fingerprint;
        if (rand(2)) state.ticks[item.id] = true;
        if (rand(3) === 0) state.notes[item.id] = randomText(rand, 5);
      }
      for (const f of RECORD_FIELDS) if (rand(2)) state.record[f.key] = randomText(rand, 1).split('\n')[0].trim();
      const archived: Record<string, string> = rand(2) ? { [`gone.${n}`]: randomText(rand, 4) } : {};
      const other = rand(2) ? `${randomText(rand, 4)}\n## A heading of my own\n${randomText(rand, 3)}`.replace(/^(#{1,6}) (Verdict|Pre-deployment|Migration record|Other notes)/gm, '$1 My $2') : '';
      const text = renderChecklist(list, state, { archived, other });
      const parsed = parseChecklistMarkdown(text);
      const ctx = `case ${n}:\n${text}`;
      assert.deepEqual(parsed.conflicts, [], ctx);
      for (const item of list.items) {
        assert.equal(parsed.state.ticks[item.id] === true, state.ticks[item.id] === true, ctx);
        assert.equal(parsed.state.notes[item.id] ?? '', state.notes[item.id] ?? '', ctx);
      }
      for (const f of RECORD_FIELDS) assert.equal(parsed.state.record[f.key] ?? '', state.record[f.key] ?? '', ctx);
      assert.deepEqual(parsed.archived, archived, ctx);
      assert.equal(parsed.other, other.trim() ? other : '', ctx);
      // And regeneration from what was read writes the same file again.
      const merged = mergeState(list, parsed);
      assert.equal(renderChecklist(list, merged.state, { resets: merged.resets, archived: merged.archived, other: merged.other }), text, ctx);
    }
  });

  it('a line typed right under the title of an item that had no detail is the person\'s, also when the regenerated item has a detail', async () => {
    const list = await checklistOf(MIGRATION);
    const item = list.items.find((i) => i.detail)!;
    const withoutDetail: Checklist = { ...list, items: list.items.map((i) => (i === item ? { ...i, detail: undefined } : i)) };
    updateChecklistFile(file, withoutDetail);
    const title = new RegExp(`^(- \\[ \\] [^\\n]*<!-- id:${item.id.replace(/[.]/g, '\\.')} [^\\n]*)$`, 'm');
    assert.match(readFileSync(file, 'utf8'), title);
    writeFileSync(file, readFileSync(file, 'utf8').replace(title, '$1\n  Asked Ada: the table is small'));
    const { parsed, text } = updateChecklistFile(file, list);
    assert.equal(parsed.state.notes[item.id], 'Asked Ada: the table is small');
    assert.ok(text.includes(`  ${item.detail}`), 'the new detail is written under the title');
    assert.equal(updateChecklistFile(file, list).text, text, 'the next regeneration is the same file');
  });

  it('the detail Preflight wrote is known by its hash: reworded, it is replaced, not taken for a note; a person\'s line under it stays', async () => {
    const list = await checklistOf(MIGRATION);
    const item = list.items.find((i) => i.detail)!;
    const oldWording: Checklist = { ...list, items: list.items.map((i) => (i === item ? { ...i, detail: 'An older wording of this detail.' } : i)) };
    updateChecklistFile(file, oldWording);
    writeFileSync(file, readFileSync(file, 'utf8').replace('  An older wording of this detail.\n', '  An older wording of this detail.\n  My own line\n'));
    const { parsed, text } = updateChecklistFile(file, list);
    assert.equal(parsed.state.notes[item.id], 'My own line');
    assert.ok(!text.includes('An older wording'), text);
    // An item that no longer applies keeps a person's lone line too (in the archive), not its detail.
    writeFileSync(file, text.replace(`  ${item.detail}\n`, `  ${item.detail}\n  A lone line of mine\n`).replace(`  Notes: My own line`, '  Notes:'));
    const smaller: Checklist = { ...list, items: list.items.filter((i) => i !== item) };
    const { parsed: after } = updateChecklistFile(file, smaller);
    assert.equal(after.archived[item.id], 'A lone line of mine');
  });

  it('comment markers in a note, an archived note or a record field are kept byte for byte, and never read as an item or hide the file', async () => {
    const list = await checklistOf(MIGRATION);
    const note = 'see <!-- old plan --> and\n- [x] fake <!-- id:pre.backup fp:0000000000 -->\n<!--\nliteral &lt;!-- and --&gt; too';
    const { parsed, text } = updateChecklistFile(file, list, [
      { kind: 'note', id: 'pre.duplicates.Product_sku_key', text: note },
      { kind: 'record', key: 'deployedBy', value: 'Ada <!-- on call -->' },
    ]);
    assert.equal(parsed.state.notes['pre.duplicates.Product_sku_key'], note);
    assert.equal(parsed.state.record.deployedBy, 'Ada <!-- on call -->');
    assert.equal(parsed.ids.filter((id) => id === 'pre.backup').length, 1, 'the note is not an item');
    assert.equal(parsed.state.ticks['pre.backup'], false);
    const notesPart = text.slice(text.indexOf('see '), text.indexOf('too') + 3);
    assert.equal(notesPart, 'see &lt;!-- old plan --&gt; and\n  - [x] fake &lt;!-- id:pre.backup fp:0000000000 --&gt;\n  &lt;!--\n  literal &amp;lt;!-- and --&amp;gt; too');
    // Archived when its item goes, still byte for byte.
    const smaller = await checklistOf('ALTER TABLE "Product" ALTER COLUMN "session_id" SET NOT NULL;\n');
    const { parsed: archived } = updateChecklistFile(file, smaller);
    assert.equal(archived.archived['pre.duplicates.Product_sku_key'], note);
    assert.equal(archived.state.record.deployedBy, 'Ada <!-- on call -->');
  });

  it('refuses a file with git conflict markers, names their lines, and leaves it as it was', async () => {
    const list = await checklistOf(MIGRATION);
    updateChecklistFile(file, list);
    const clean = readFileSync(file, 'utf8');
    const conflicted = clean.replace(/^- \[ \] (Take a full backup[^\n]*)$/m, '<<<<<<< HEAD\n- [x] $1\n=======\n- [ ] $1\n>>>>>>> feature');
    writeFileSync(file, conflicted);
    const lines = conflicted.split('\n').flatMap((l, i) => (/^(<<<<<<<|=======|>>>>>>>)/.test(l) ? [i + 1] : []));
    assert.throws(() => updateChecklistFile(file, list, [{ kind: 'tick', id: 'pre.backup', checked: true }]), (e: Error) => e instanceof InputError && e.message.includes(`conflict markers on lines ${lines[0]}, ${lines[1]} and ${lines[2]}`));
    assert.equal(readFileSync(file, 'utf8'), conflicted);
  });

  it('never overwrites a file that is not a Preflight checklist, but fills an empty one', async () => {
    const list = await checklistOf(MIGRATION);
    writeFileSync(file, '# Deploy plan\n\nMy own hand-written plan, not generated.\n');
    assert.throws(() => updateChecklistFile(file, list), (e: Error) => e instanceof InputError && /is not a Preflight checklist/.test(e.message));
    assert.equal(readFileSync(file, 'utf8'), '# Deploy plan\n\nMy own hand-written plan, not generated.\n');
    writeFileSync(file, '\n');
    assert.match(updateChecklistFile(file, list).text, /preflight-checklist v1/);
  });

  it('does not replace a read-only file (even as root, who could)', async () => {
    const list = await checklistOf(MIGRATION);
    updateChecklistFile(file, list);
    const before = readFileSync(file, 'utf8');
    chmodSync(file, 0o444);
    assert.throws(() => updateChecklistFile(file, list, [{ kind: 'tick', id: 'pre.backup', checked: true }]), (e: Error) => e instanceof InputError && /is read-only \(mode 0444\): it was not replaced/.test(e.message));
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.equal(statSync(file).mode & 0o777, 0o444);
  });
});

describe('preflight checklist refuses to lose text (CLI)', function () {
  this.timeout(60_000);
  let project: string;
  const folder = path.join('prisma', 'migrations', '20250203141527_protect_session_products');
  before(() => {
    project = mkdtempSync(path.join(tmpdir(), 'pf-keeps-cli-'));
    cpSync(path.join(ROOT, 'examples', 'shop'), project, { recursive: true });
  });
  after(() => rmSync(project, { recursive: true, force: true }));
  const run = () => spawnSync(process.execPath, [CLI, 'checklist', folder], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });

  for (const [name, prepare, message] of [
    ['git conflict markers', (f: string) => writeFileSync(f, readFileSync(f, 'utf8') + '<<<<<<< HEAD\n- a\n=======\n- b\n>>>>>>> other\n'), /has unresolved git conflict markers on lines \d+, \d+ and \d+/],
    ['a file that is not a checklist', (f: string) => writeFileSync(f, 'my own notes\n'), /is not a Preflight checklist/],
    [
      'a read-only file that regeneration would change',
      (f: string) => {
        writeFileSync(f, readFileSync(f, 'utf8').replace(/^- \*\*Date:\*\*.*\n/m, ''));
        chmodSync(f, 0o444);
      },
      /is read-only \(mode 0444\): it was not replaced/,
    ],
  ] as const) {
    it(`${name}: exit 2, one line on stderr, nothing on stdout, the file unchanged`, () => {
      const f = path.join(project, folder, 'preflight-checklist.md');
      rmSync(f, { force: true });
      assert.equal(run().status, 0);
      prepare(f);
      const before = readFileSync(f, 'utf8');
      const r = run();
      chmodSync(f, 0o644);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.equal(readFileSync(f, 'utf8'), before);
    });
  }
});
