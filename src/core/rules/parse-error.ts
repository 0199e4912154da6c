import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'parse-error',
    category: 'deploy-failure',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    summary: 'SQL that PostgreSQL’s parser rejects',
    docs: {
      whatItDoes: 'Reports every statement that PostgreSQL’s own parser (libpg-query, PostgreSQL 18 grammar) rejects, at the position PostgreSQL names. The other statements of the file are still analysed.',
      whyIsThisBad: '`prisma migrate deploy` sends the file to PostgreSQL, which rejects it: the deploy stops with P3018 and, depending on the Prisma version, earlier statements may already be applied (Prisma ≥ 7.4 runs statements one by one) or the whole file is rolled back (one batch).',
      example: 'UPDATE "Model" SET "a" = 1 "b" = 2;',
      useInstead: 'UPDATE "Model" SET "a" = 1, "b" = 2;',
      fixSafety: 'No fix: only the author knows what the statement should say.',
      references: ['https://www.postgresql.org/docs/current/sql-commands.html'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      const err = st.sql.error;
      if (!err) continue;
      ctx.report({
        statement: st.index,
        range: err.range,
        message: `PostgreSQL cannot parse this statement: ${err.message}.`,
        help: 'Fix the syntax; `prisma migrate deploy` would stop here with P3018.',
      });
    }
  },
});
