import type { Fix } from '../types';
import { defineRule, type AnalyzedStatement, type MigrationContext } from './rule';
import { settingChangesOf, type SettingChange } from './support/settings';

export default defineRule({
  meta: {
    id: 'set-local-ineffective',
    category: 'hygiene',
    defaultSeverity: 'warning',
    fixAvailability: 'sometimes',
    summary: '`SET LOCAL` that runs outside a transaction block, or a plain `SET` that leaks into later migrations',
    docs: {
      whatItDoes:
        'Flags two ways a setting does not do what the file suggests. `SET LOCAL` (or `set_config(..., true)`) that runs outside a transaction block: on Prisma ≥ 7.4.0, which runs a file statement by statement, unless it sits inside the file’s own `BEGIN ... COMMIT` (or the file falls back to one batch). And a plain `SET` (or `SET SESSION`, `SET ROLE`, `set_config(..., false)`) with no `RESET` of the same setting later in the file, on every Prisma version. `SET TRANSACTION` and `SET CONSTRAINTS` end with their transaction and are not flagged; neither is `SET LOCAL` where the file runs as one batch.',
      whyIsThisBad:
        '`SET LOCAL` lasts until the end of the current transaction; outside a transaction block PostgreSQL only warns and the setting never applies, so the `lock_timeout` or `statement_timeout` the author relied on is not there. A plain `SET` stays on the database connection, and `prisma migrate deploy` applies every pending migration over the same connection: later migrations of the same deploy run with the setting too (a short `statement_timeout`, another `search_path` or role), but only when they happen to be deployed together.',
      setup: 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, "slug" TEXT, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
      example: "-- The backfill may take a while:\nSET statement_timeout = '15min';\nUPDATE \"Post\" SET \"slug\" = lower(\"title\") WHERE \"slug\" IS NULL;",
      useInstead: "SET statement_timeout = '15min';\nUPDATE \"Post\" SET \"slug\" = lower(\"title\") WHERE \"slug\" IS NULL;\nRESET statement_timeout;",
      fixSafety:
        'For a leaking `SET`, the fix appends `RESET <setting>;` at the end of the file; it changes nothing inside this migration (safe). Not offered for `search_path`: `RESET` returns to the server default, not necessarily to the schema Prisma connected with. For an ineffective `SET LOCAL`, the fix turns it into a plain `SET` and appends the `RESET`; the setting then really applies, which can make statements time out (unsafe: review it).',
      references: ['https://www.postgresql.org/docs/current/sql-set.html', 'https://www.postgresql.org/docs/current/sql-reset.html', 'https://github.com/prisma/prisma-engines/pull/5767'],
    },
  },
  checkMigration(ctx) {
    const changes = ctx.statements.map((st) => settingChangesOf(st.sql.node));
    const outsideTransaction = (i: number) => ctx.execution.mode === 'split' && !ctx.inExplicitBlock(i);
    const resetLater = (i: number, name: string) => changes.slice(i + 1).some((cs) => cs.some((c) => c.kind === 'reset' && !c.local && (c.name === name || c.name === '*')));
    ctx.statements.forEach((st, i) => {
      for (const c of changes[i]) {
        if (c.kind !== 'set') continue;
        if (c.local) {
          if (!outsideTransaction(i)) continue;
          ctx.report({
            statement: i,
            message: `${c.spelling} lasts only until the end of the current transaction, and Prisma ${ctx.prismaVersion} runs this statement on its own, outside any transaction block: PostgreSQL only warns, and ${c.name} is never set.`,
            help: `Use a plain SET ${c.name} and add RESET ${c.name}; at the end of the file.`,
            fixes: localToSessionFix(ctx, st, c),
          });
        } else if (!resetLater(i, c.name)) {
          const shown = c.value === null ? c.name : `${c.name} = ${c.value}`;
          const searchPath = c.name === 'search_path';
          ctx.report({
            statement: i,
            message: `${c.spelling} stays in effect on the connection after this file: later migrations applied by the same \`prisma migrate deploy\` also run with ${shown}${searchPath ? ' and resolve unqualified names through it' : ''}.`,
            help: searchPath
              ? 'Qualify names instead (Prisma writes "public"."Table"), or set search_path back at the end of the file.'
              : `Add ${resetStatement(c.name)} at the end of the file${ctx.execution.mode === 'batch' ? ', or use SET LOCAL (the file runs as one transaction)' : ''}.`,
            fixes: searchPath ? undefined : [appendResetFix(ctx, c.name)],
          });
        }
      }
    });
  },
});

export function resetStatement(name: string): string {
  if (name === 'session_authorization') return 'RESET SESSION AUTHORIZATION;';
  if (name === 'timezone') return 'RESET TIME ZONE;';
  return `RESET ${name};`;
}

function appendReset(ctx: MigrationContext, name: string): Fix['edits'][number] {
  const end = ctx.text.length;
  return { file: ctx.file, startOffset: end, endOffset: end, newText: `${ctx.text.endsWith('\n') || end === 0 ? '' : '\n'}${resetStatement(name)}\n` };
}

function appendResetFix(ctx: MigrationContext, name: string): Fix {
  return { title: `Add ${resetStatement(name)} at the end of the file`, safe: true, edits: [appendReset(ctx, name)] };
}

/** `SET LOCAL x` → `SET x`, plus `RESET x;` at the end of the file unless one is there. */
function localToSessionFix(ctx: MigrationContext, st: AnalyzedStatement, c: SettingChange): Fix[] | undefined {
  const m = /^(\s*SET\s+)(LOCAL\s+)/i.exec(st.sql.text);
  if (c.viaFunction || !m) return undefined;
  const at = st.sql.range.startOffset + m[1].length;
  const edits: Fix['edits'] = [{ file: ctx.file, startOffset: at, endOffset: at + m[2].length, newText: '' }];
  const laterReset = ctx.statements.slice(st.index + 1).some((o) => settingChangesOf(o.sql.node).some((r) => r.kind === 'reset' && !r.local && (r.name === c.name || r.name === '*')));
  if (!laterReset) edits.push(appendReset(ctx, c.name));
  return [{ title: `Use SET ${c.name} and reset it at the end of the file`, safe: false, edits }];
}
