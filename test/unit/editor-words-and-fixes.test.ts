/**
 * Editor logic that runs without VS Code: where a fix's new migration folder goes when its
 * timestamp is taken, the plain-text wording of the Problems panel and tooltips, and the Problems
 * panel's scope without git.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { freeMigrationFile } from '../../src/editor/free-migration-folder';
import { findingCounts, plainText, plural } from '../../src/editor/plain-words';
import { ProjectSession } from '../../src/editor/project-session';
import type { Core } from '../../src/editor/core-loader';
import type { PrismaProject } from '../../src/editor/core-api';
import { groupRepeated } from '../../src/extension/checklist/view-models';
import { renderRuleDocPage } from '../../src/extension/rule-doc-page';
import type { FindingView } from '../../src/shared/messages';

const DIR = path.join('/p', 'prisma', 'migrations');
const file = (folder: string) => path.join(DIR, folder, 'migration.sql');

describe('a fix that creates a migration folder', () => {
  const source = '20250527160833_tenant';
  it('keeps the proposed folder when its timestamp is free', () => {
    assert.equal(freeMigrationFile(file('20250527160834_create_index'), source, [source]), file('20250527160834_create_index'));
  });
  it('takes the next free second when the same fix was applied before (the folder exists)', () => {
    const existing = [source, '20250527160834_create_index'];
    assert.equal(freeMigrationFile(file('20250527160834_create_index'), source, existing), file('20250527160835_create_index'));
  });
  it('skips every taken second, across a minute boundary', () => {
    const existing = ['20250527160858_a', '20250527160859_x', '20250527160900_y'];
    assert.equal(freeMigrationFile(file('20250527160859_x'), '20250527160858_a', existing), file('20250527160901_x'));
  });
  it('goes earlier for a fix that runs before its migration (ADD VALUE moved ahead)', () => {
    const existing = ['20250527160833_tenant', '20250527160832_add_value'];
    assert.equal(freeMigrationFile(file('20250527160832_add_value'), '20250527160833_tenant', existing), file('20250527160831_add_value'));
  });
  it('a timestamp another folder holds is taken too, whatever its name', () => {
    assert.equal(freeMigrationFile(file('20250527160834_b'), source, [source, '20250527160834_other']), file('20250527160835_b'));
  });
  it('without Prisma timestamps, refuses a folder that exists rather than failing silently', () => {
    assert.equal(freeMigrationFile(file('init_1'), 'init', ['init', 'init_1']), null);
    assert.equal(freeMigrationFile(file('init_1'), 'init', ['init']), file('init_1'));
  });
});

describe('plain-text wording', () => {
  it('drops Markdown backticks from Problems-panel text', () => {
    assert.equal(plainText('Run `prisma migrate dev --create-only` first; a lone ` goes'), 'Run prisma migrate dev --create-only first; a lone  goes');
  });
  it('uses real plurals', () => {
    assert.equal(plural(1, 'error'), '1 error');
    assert.equal(plural(3, 'warning'), '3 warnings');
    assert.equal(findingCounts(2, 1, 0), '2 errors, 1 warning');
    assert.equal(findingCounts(0, 0, 0), 'no findings');
  });
});

describe('the review lists a rule repeated with the same advice once', () => {
  it('groups five locks-accumulate findings into one entry with four more statements', () => {
    const f = (line: number, rule = 'locks-accumulate'): FindingView => ({ rule, severity: 'warning', line, message: `statement on line ${line}`, help: 'Split the file.' });
    const grouped = groupRepeated([f(3), f(5), f(7), f(9), f(11), f(4, 'non-concurrent-index')]);
    assert.equal(grouped.length, 2);
    assert.equal(grouped[0].line, 3);
    assert.deepEqual(grouped[0].more?.map((m) => m.line), [5, 7, 9, 11]);
    assert.equal(grouped[1].more, undefined);
  });
});

describe('the Problems panel without git', () => {
  const fakeCore = { HistoryAnalyzer: class {} } as unknown as Core;
  const project = {
    root: '/p',
    migrationsDir: DIR,
    schemaPath: null,
    schemaFiles: [],
    migrations: ['20250101000000_init', '20250201000000_add', '20250301000000_stray'].map((name, i) => ({ name, dir: path.join(DIR, name), sqlFile: i < 2 ? file(name) : null })),
  } as unknown as PrismaProject;
  it('covers the newest migration with a migration.sql, and project-wide findings', () => {
    const session = new ProjectSession(fakeCore, project, {}, '/p', []);
    assert.equal(session.inBranchScope('20250201000000_add'), true);
    assert.equal(session.inBranchScope('20250101000000_init'), false);
    assert.equal(session.inBranchScope(null), true);
    assert.match(session.problemsScopeText(false), /newest migration \(20250201000000_add\).*no git.*preflight\.problems\.scope to all/);
  });
  it('on a branch, covers the branch changes', () => {
    const session = new ProjectSession(fakeCore, project, {}, '/p', []);
    session.branch = { label: 'main', ref: 'abc', changed: new Set(['20250101000000_init']) };
    assert.equal(session.inBranchScope('20250101000000_init'), true);
    assert.equal(session.inBranchScope('20250201000000_add'), false);
  });
});

describe('the rule documentation page', () => {
  it('runs no script and shows the Markdown as text when no renderer is there', () => {
    const html = renderRuleDocPage({ cspSource: 'vscode-resource:', styleUri: 'vscode-resource:/webview.css', nonce: 'n0nce', id: 'drop-table', html: null, markdown: '# drop-table\n<script>alert(1)</script>' });
    assert.match(html, /default-src &#39;none&#39;/);
    assert.doesNotMatch(html, /<script/);
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&#60;script&#62;alert\(1\)&#60;\/script&#62;/);
    assert.match(html, /<main class="rule-doc" data-rule="drop-table">/);
  });
});
