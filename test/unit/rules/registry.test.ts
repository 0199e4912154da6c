import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRuleDoc, renderRuleIndex } from '../../../src/core/rules/docs';
import { RULES } from '../../../src/core/rules/index';
import { lint } from '../support/lint';

const ROOT = join(__dirname, '..', '..', '..');
const RULE_DIR = join(ROOT, 'src', 'core', 'rules');
const NOT_RULES = new Set(['index.ts', 'rule.ts', 'helpers.ts', 'docs.ts']);

/** The rule catalog of DESIGN.md: ids are a public interface. */
export const CATALOG_IDS = [
  'parse-error', 'drop-table', 'drop-column', 'truncate-table', 'drop-schema', 'drop-enum-value', 'narrowing-type-change',
  'unbounded-data-change', 'non-concurrent-index', 'non-concurrent-index-drop', 'concurrently-in-transaction',
  'rewrite-column-type', 'volatile-default', 'add-required-column', 'set-not-null', 'foreign-key-validation',
  'check-constraint-validation', 'unique-constraint', 'rename-table', 'rename-column', 'enum-value-used-same-transaction',
  'lock-timeout-missing', 'locks-accumulate', 'on-delete-change', 'set-null-on-required-column', 'foreign-key-without-index',
  'prisma-on-delete-change', 'prisma-schema-drift', 'migration-modified', 'concurrently-breaks-migrate-dev',
  'non-atomic-migration', 'transaction-control', 'set-local-ineffective', 'stray-migration-folder', 'unreadable-file', 'nul-byte',
].sort();

describe('rule registry, files and docs agree', () => {
  it('every catalog id has a rule, and there is no other', () => {
    assert.deepEqual(RULES.map((r) => r.meta.id).sort(), CATALOG_IDS);
  });

  it('rule ids are lower-case words joined by hyphens, so code-point order is their localeCompare order', () => {
    const ids = RULES.map((r) => r.meta.id);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    for (const a of ids) for (const b of ids) assert.equal(Math.sign(a < b ? -1 : a > b ? 1 : 0), Math.sign(a.localeCompare(b)), `${a} vs ${b}`);
  });

  it('the registry is alphabetical and lists every rule file, each named by its id', () => {
    const files = readdirSync(RULE_DIR).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f)).map((f) => f.replace(/\.ts$/, '')).sort();
    assert.deepEqual(RULES.map((r) => r.meta.id), files);
  });

  it('docs/rules holds exactly the rendered docs of every rule (run `npm run docs` after editing a rule)', () => {
    const docsDir = join(ROOT, 'docs', 'rules');
    const pages = readdirSync(docsDir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
    assert.deepEqual(pages, RULES.map((r) => `${r.meta.id}.md`).sort());
    for (const r of RULES) assert.equal(readFileSync(join(docsDir, `${r.meta.id}.md`), 'utf8'), renderRuleDoc(r.meta), `docs/rules/${r.meta.id}.md is stale`);
    assert.equal(readFileSync(join(docsDir, 'README.md'), 'utf8'), renderRuleIndex(RULES.map((r) => r.meta)));
  });

  it('the extension declares a preflight.rules severity setting for every rule, and for nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const declared = manifest.contributes.configuration.properties['preflight.rules'].properties as Record<string, { enum: string[] }>;
    assert.deepEqual(Object.keys(declared).sort(), RULES.map((r) => r.meta.id).sort());
    for (const [id, setting] of Object.entries(declared)) assert.deepEqual(setting.enum, ['error', 'warning', 'info', 'off'], id);
  });

  it('no rule file imports another rule file: what several rules share lives in support/', () => {
    const ruleFiles = readdirSync(RULE_DIR).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f));
    // Packages, the rest of src/, and this folder's shared modules; never a sibling rule.
    const allowed = (spec: string) => !spec.startsWith('.') || spec.startsWith('../') || spec === './helpers' || spec === './rule' || spec.startsWith('./support/');
    const offending: string[] = [];
    for (const f of ruleFiles) {
      const specs = importSpecifiers(readFileSync(join(RULE_DIR, f), 'utf8'));
      assert.ok(specs.includes('./rule'), `no imports found in ${f}: the import pattern needs updating`);
      offending.push(...specs.filter((s) => !allowed(s)).map((s) => `${f} imports '${s}'`));
    }
    assert.deepEqual(offending, []);
  });

  for (const rule of RULES) {
    if (!rule.checkMigration || rule.meta.exampleLanguage === 'prisma') continue;
    it(`${rule.meta.id}: the doc example is flagged and "use instead" is not`, async () => {
      const { setup, prismaVersion } = rule.meta.docs;
      const flagged = await lint(rule.meta.docs.example, { setup, prismaVersion, rules: [rule.meta.id] });
      assert.ok(flagged.length > 0, `example of ${rule.meta.id} is not flagged`);
      const clean = await lint(rule.meta.docs.useInstead, { setup, prismaVersion, rules: [rule.meta.id] });
      assert.deepEqual(clean.map((f) => f.message), [], `"use instead" of ${rule.meta.id} is flagged`);
    });
  }
});

/** The module specifiers of a file's `import ... from '…'`, `export ... from '…'` and `import '…'` statements. */
function importSpecifiers(source: string): string[] {
  return [...source.matchAll(/^\s*(?:import|export)\b(?:[^'";]*?\bfrom)?\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}
