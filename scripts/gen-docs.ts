// Writes docs/rules/<id>.md and docs/rules/README.md from the rule files (the single source).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRuleDoc, renderRuleIndex } from '../src/core/rules/docs';
import { RULES } from '../src/core/rules/index';

const dir = join(__dirname, '..', 'docs', 'rules');
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.md')) rmSync(join(dir, f));
for (const rule of RULES) writeFileSync(join(dir, `${rule.meta.id}.md`), renderRuleDoc(rule.meta));
writeFileSync(join(dir, 'README.md'), renderRuleIndex(RULES.map((r) => r.meta)));
console.log(`wrote ${RULES.length} rule pages to docs/rules`);
