/** Renders a rule's docs (written once, in its rule file) as Markdown: docs/rules, `preflight explain`, hovers. */
import type { RuleMeta } from '../types';

export const DOCS_BASE_URL = 'https://github.com/preflight-dev/preflight/blob/main/docs/rules';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE_URL}/${id}.md`;
}

const SEVERITY_WORDS = { error: 'error', warning: 'warning', info: 'info' } as const;
const FIX_WORDS = { never: 'no fix', sometimes: 'a fix is sometimes available', always: 'a fix is always available' } as const;

export function renderRuleDoc(meta: RuleMeta): string {
  const lang = meta.exampleLanguage ?? 'sql';
  const d = meta.docs;
  const lines = [
    `# ${meta.id}`,
    '',
    `${meta.summary}.`,
    '',
    `Category: ${meta.category} · default severity: ${SEVERITY_WORDS[meta.defaultSeverity]} · ${FIX_WORDS[meta.fixAvailability]}`,
    '',
    '## What it does',
    '',
    d.whatItDoes,
    '',
    '## Why is this bad?',
    '',
    d.whyIsThisBad,
    '',
    '## Example',
    '',
  ];
  if (d.setup) {
    const setupIsSchema = isPrismaSchemaText(d.setup);
    const intro = setupIsSchema ? 'Given this schema at the base git ref:' : lang === 'prisma' ? 'Given this migration history:' : 'Given an earlier migration:';
    lines.push(intro, '', '```' + (setupIsSchema ? 'prisma' : 'sql'), d.setup, '```', '', `${d.prismaVersion ? `with Prisma ${d.prismaVersion}, ` : ''}this is flagged:`, '');
  } else if (d.prismaVersion) lines.push(`With Prisma ${d.prismaVersion}, this is flagged:`, '');
  lines.push('```' + lang, d.example, '```', '', '## Use instead', '', '```' + lang, d.useInstead, '```', '', '## Fix safety', '', d.fixSafety, '', '## References', '');
  for (const r of d.references) lines.push(`- <${r}>`);
  lines.push('', `Suppress with \`-- preflight-ignore ${meta.id}: <reason>\` on the line before the statement, or \`-- preflight-ignore-file ${meta.id}\` anywhere in the file; turn it off or change its severity in \`preflight.config.json\` (\`"rules": { "${meta.id}": "off" }\`).`, '');
  // A NUL in an example (nul-byte) is shown as its control picture: Markdown files hold no NUL bytes.
  return lines.join('\n').replace(/\u0000/g, '\u2400');
}

export function renderRuleIndex(rules: readonly RuleMeta[]): string {
  const rows = rules.map((r) => `| [\`${r.id}\`](${r.id}.md) | ${r.category} | ${r.defaultSeverity} | ${r.fixAvailability} | ${r.summary} |`);
  return ['# Rules', '', 'Generated from `src/core/rules/*.ts` by `npm run docs`. Rule ids are a public interface and do not change.', '', EXISTING_TABLES, '', '| id | category | default | fix | flags |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/** What every locking, rewrite and data-loss rule means by an existing table (unknown is not safe). */
const EXISTING_TABLES =
  'An *existing table* is every table that an earlier statement of the same migration did not create: one an earlier migration created, and also one that no migration creates, which may already hold rows (a history without a baseline migration, after adopting Prisma Migrate on a database created with `db push` or by hand), or one a `DO` block or a statement Preflight cannot follow changed. A finding on a table no migration creates says so. Where a rule needs a fact that only the missing history would show (the current type of a column, the values of an enum), it reports a note saying it cannot tell, at severity info whatever the configured severity (`uncertain: true` in the JSON output), instead of passing.';

/** Whether a docs `setup` is schema.prisma text (a base schema) rather than SQL. */
export function isPrismaSchemaText(text: string): boolean {
  return /^\s*(model|enum|datasource|generator)\s+\w+\s*\{/m.test(text);
}
