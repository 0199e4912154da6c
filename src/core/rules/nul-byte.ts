import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'nul-byte',
    category: 'deploy-failure',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    summary: 'A NUL byte in migration.sql: PostgreSQL never executes the text after it',
    docs: {
      whatItDoes:
        'Flags the first NUL byte (U+0000) in a `migration.sql`, at its position. Preflight reviews the statements before it, as PostgreSQL would see them; the text after it is not reviewed, and `checklist`, `down.sql` and `trace` refuse the file.',
      whyIsThisBad:
        'PostgreSQL takes a query as a NUL-terminated string, so it never executes the text after a NUL: a query message holding one is rejected whole (`invalid message format`, checked on PGlite), and a client that stops at the NUL sends only the text before it. Either way what follows the NUL does not run, while an editor or a diff may still show it: a statement hidden there looks reviewed and deployed, and is neither.',
      example: 'CREATE TABLE "Audit" ("id" SERIAL NOT NULL);\u0000DROP TABLE "User";',
      useInstead: 'CREATE TABLE "Audit" ("id" SERIAL NOT NULL);\nDROP TABLE "User";',
      fixSafety: 'No fix: delete the NUL byte, then review the text that was behind it.',
      references: ['https://www.postgresql.org/docs/current/protocol-message-formats.html', 'https://www.postgresql.org/docs/current/datatype-character.html'],
    },
  },
  checkMigration(ctx) {
    const at = ctx.parsed.nulOffset;
    if (at === null) return;
    const after = ctx.text.slice(at + 1);
    const hidden = after.trim() === '' ? 'nothing follows it' : `the ${after.length} character${after.length === 1 ? '' : 's'} after it were not reviewed`;
    ctx.report({
      statement: null,
      range: ctx.parsed.lines.range(at, at + 1),
      message: `NUL byte: PostgreSQL never executes the text after it, and ${hidden}.`,
      help: 'Delete the NUL byte (an editor shows it as a control character), then review what follows it.',
    });
  },
});
