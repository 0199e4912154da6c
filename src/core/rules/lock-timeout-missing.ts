import type { TableLock } from '../types';
import { describeLocks, isExistingTable, notInHistoryNote, unknownIndexDropLock } from './helpers';
import { defineRule } from './rule';
import { lockTimeoutFix } from './support/fixes';
import { settingChangesOf } from './support/settings';
import { listWords } from '../text/list-words';

export default defineRule({
  meta: {
    id: 'lock-timeout-missing',
    category: 'locking',
    defaultSeverity: 'info',
    fixAvailability: 'always',
    summary: 'A statement takes ACCESS EXCLUSIVE on an existing table with no `lock_timeout` set before it',
    docs: {
      whatItDoes:
        'Flags a statement that takes an ACCESS EXCLUSIVE lock on a table that existed before this migration when no `SET lock_timeout` (or `SET LOCAL lock_timeout`, or `set_config(\'lock_timeout\', ...)`) with a non-zero value is in effect: earlier in the same transaction for `SET LOCAL`, earlier on the connection for a plain `SET` (until a `RESET`). A `SET LOCAL` that runs outside a transaction block (Prisma ≥ 7.4 runs statements one by one) does not count. To keep the list short, one finding covers every later statement that the same `SET` would cover: the message lists their lines. A lock that only a branch of a `DO` block takes (an `IF`, `CASE` or loop body, an exception handler) is one the statement may take: the message says so.',
      whyIsThisBad:
        'An ACCESS EXCLUSIVE lock has to wait for every running query on the table, including a long report or a forgotten open transaction. While it waits, every new query on the table — reads included — queues behind it, so a statement that would take milliseconds can stall the application for as long as the longest query runs. A `lock_timeout` makes the statement give up instead (the deploy fails and can simply be retried).',
      setup: 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Post" ADD COLUMN "slug" TEXT;',
      useInstead: "-- Prisma ≤ 7.3 runs the file as one transaction:\nSET LOCAL lock_timeout = '5s';\nALTER TABLE \"Post\" ADD COLUMN \"slug\" TEXT;\n-- Prisma ≥ 7.4 runs statements one by one: use SET lock_timeout = '5s'; and RESET lock_timeout; at the end.",
      fixSafety:
        'Safe: the fix inserts `SET LOCAL lock_timeout = \'5s\';` before the statement where it runs in a transaction, or `SET lock_timeout = \'5s\';` plus `RESET lock_timeout;` at the end of the file where Prisma runs statements one by one. The statement still does the same thing; it only gives up when it cannot get the lock in time.',
      references: ['https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-LOCK-TIMEOUT', 'https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES'],
    },
  },
  checkMigration(ctx) {
    const groupOf = new Map<number, number[]>();
    for (const g of ctx.transactions) for (const i of g) groupOf.set(i, g);
    const inTransaction = (i: number) => ctx.execution.mode === 'batch' || ctx.inExplicitBlock(i);

    let session = false;
    let local: { on: boolean; group: number[] | undefined } | null = null;
    // Statements one inserted SET would cover: a SET LOCAL covers its transaction, a SET the rest of the file.
    let open: Uncovered | null = null;
    const groups: Uncovered[] = [];

    for (const st of ctx.statements) {
      const i = st.index;
      const group = groupOf.get(i);
      if (local && local.group !== group) local = null;
      const changes = settingChangesOf(st.sql.node).filter((c) => c.name === 'lock_timeout' || c.name === '*');
      if (changes.length) {
        for (const c of changes) {
          if (c.kind === 'reset') {
            if (!c.local) session = false;
            local = null;
          } else if (c.local) {
            if (inTransaction(i)) local = { on: isTimeout(c.value), group };
          } else {
            session = isTimeout(c.value);
            local = null;
          }
        }
        open = null;
        continue;
      }
      const covered = local ? local.on : session;
      if (covered) continue;
      // DROP CONSTRAINT of a foreign key, DROP TABLE, ...: every table this statement locks so.
      const locks = st.facts.locks.filter((l) => l.mode === 'AccessExclusiveLock' && isExistingTable(ctx, st, l.table));
      const described = locks.length ? describeLocks(locks) : unknownIndexDropLock(ctx, st);
      if (!described) continue;
      const key = inTransaction(i) && group ? group : 'session';
      if (open && (open.key === key || open.key === 'session')) open.more.push(i);
      else {
        open = { key, first: i, takes: locks.length ? takesWords(locks) : `takes an ${described}`, plural: locks.length > 1, note: locks.length ? notInHistoryNote(ctx, st, locks[0].table) : '', more: [] };
        groups.push(open);
      }
    }

    for (const g of groups) {
      const st = ctx.statements[g.first];
      const lines = g.more.map((i) => ctx.statements[i].sql.range.start.line);
      const more = lines.length
        ? lines.length > 1
          ? ` The statements on lines ${listWords(lines)} take ACCESS EXCLUSIVE locks too; a lock_timeout set before this one covers them as well.`
          : ` The statement on line ${lines[0]} takes an ACCESS EXCLUSIVE lock too; a lock_timeout set before this one covers it as well.`
        : '';
      const fix = lockTimeoutFix(ctx, st);
      ctx.report({
        statement: g.first,
        message: `This statement ${g.takes} with no lock_timeout set: while it waits for running queries on ${g.plural ? 'these tables, every new query on them' : 'the table, every new query on it'} queues behind it.${g.note}${more}`,
        help: `${fix.title.replace(/^Insert/, 'Add')}${/RESET/.test(fix.edits.map((e) => e.newText).join('')) ? ', and RESET lock_timeout; at the end of the file' : ''}.`,
        fixes: [fix],
      });
    }
  },
});

/**
 * "takes an ACCESS EXCLUSIVE lock on "Post" (...)"; a lock that only a branch of a DO block takes
 * (an IF, CASE or loop body, an exception handler) "may" be taken, and the words say when.
 */
function takesWords(locks: readonly TableLock[]): string {
  const sure = locks.filter((l) => !l.may);
  const maybe = locks.filter((l) => l.may);
  const phrase = (ls: readonly TableLock[]) => `${ls.length > 1 ? '' : 'an '}${describeLocks(ls)}`;
  const when = `if the branch of its DO block that takes ${maybe.length > 1 ? 'them' : 'it'} runs`;
  if (!maybe.length) return `takes ${phrase(sure)}`;
  if (!sure.length) return `may take ${phrase(maybe)}, only ${when},`;
  return `takes ${phrase(sure)}, and ${phrase(maybe)} ${when},`;
}

interface Uncovered {
  key: number[] | 'session';
  first: number;
  /** What the first statement takes, as a verb phrase. */
  takes: string;
  plural: boolean;
  /** Said of a table no migration creates (it may hold rows). */
  note: string;
  more: number[];
}

/** Whether a lock_timeout value turns the timeout on (0 disables it). */
function isTimeout(value: string | null): boolean {
  if (value === null) return true;
  const v = value.replace(/^'|'$/g, '').trim().toLowerCase();
  return !/^0+(\.0+)?\s*(ms|s|min|h|d|us)?$/.test(v) && v !== 'default';
}
