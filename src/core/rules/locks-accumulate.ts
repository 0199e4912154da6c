import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { displayTable, keyOf, quoteAlways, rangeVarName } from '../pg/names';
import { lockRank, type LockMode } from '../types';
import { describeLock, isExistingTable, unknownIndexDropLock } from './helpers';
import { defineRule, type AnalyzedStatement, type MigrationContext } from './rule';
import { lineOf, sharedTransactionReason } from './support/transactions';

/** Locks that stop ordinary writes (or more): the ones application traffic notices. */
const BLOCKS_WRITES = lockRank('ShareLock');

export default defineRule({
  meta: {
    id: 'locks-accumulate',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    summary: 'A lock on an existing table is still held while a later slow statement of the same transaction runs',
    docs: {
      whatItDoes:
        'Where statements share one transaction — the whole file when it runs as one batch (Prisma ≤ 7.3, an unknown version, or the Prisma ≥ 7.4 fallback), or the file’s own `BEGIN ... COMMIT` — flags a slow statement that runs while an earlier statement of that transaction holds a lock that blocks writes (SHARE or stronger) on a table that existed before this migration. On the same table, only a lock stronger than the slow statement’s own counts (an ACCESS EXCLUSIVE from `ADD COLUMN` held during a plain index build blocks reads the build alone would allow). Slow means work that grows with the size of an existing table: building an index (`CREATE INDEX` without `CONCURRENTLY`, `REINDEX`, `ADD UNIQUE` / `PRIMARY KEY`), rewriting it (type change, volatile default, `VACUUM FULL`, `CLUSTER`, `REFRESH MATERIALIZED VIEW`), scanning it to validate (`ADD FOREIGN KEY` / `CHECK` without `NOT VALID`, `VALIDATE CONSTRAINT`, `SET NOT NULL` without a validated `IS NOT NULL` check), and changing or copying its rows (`UPDATE`, `DELETE`, `MERGE`, `INSERT ... SELECT`, `CREATE TABLE ... AS`) — Preflight cannot see row counts, so every data change counts. Not raised for statements that Prisma ≥ 7.4 runs one by one.',
      whyIsThisBad:
        'PostgreSQL releases table locks only when the transaction ends. A lock that alone would last milliseconds — the ACCESS EXCLUSIVE of an `ALTER TABLE ... ADD COLUMN` — is held for as long as every later statement of the transaction takes, so a table the slow statement does not even touch stays blocked for the whole index build or backfill.',
      setup:
        'CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
      example: '-- AlterTable\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\n\n-- CreateIndex\nCREATE INDEX "Post_authorId_idx" ON "Post"("authorId");',
      useInstead: '-- Each in a migration folder of its own, so each lock ends with its statement:\n-- 1/\nALTER TABLE "User" ADD COLUMN "bio" TEXT;\n-- 2/\n-- CREATE INDEX CONCURRENTLY "Post_authorId_idx" ON "Post"("authorId");',
      fixSafety: 'No fix: splitting a file decides what commits separately, and later statements may depend on earlier ones.',
      references: ['https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES', 'https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT'],
    },
  },
  checkMigration(ctx) {
    // Per transaction, the strongest write-blocking lock on each existing table so far, and the
    // first statement that took it: kept up to date in one pass (a batch file can be thousands of
    // statements long).
    const heldByGroup = new Map<readonly number[], Map<string, Held>>();
    for (const st of ctx.statements) {
      const group = ctx.transactionOf(st.index);
      if (!group) continue;
      let held = heldByGroup.get(group);
      if (!held) heldByGroup.set(group, (held = new Map()));
      const slow = slowWorkOf(ctx, st);
      if (slow) report(ctx, st, slow, held);
      for (const l of st.facts.locks) {
        if (lockRank(l.mode) < BLOCKS_WRITES || !isExistingTable(ctx, st, l.table)) continue;
        const prev = held.get(l.table);
        // A lock certainly held wins over one only a branch of a DO block may have taken.
        if (!prev || lockRank(l.mode) > lockRank(prev.mode) || (prev.may && !l.may && lockRank(l.mode) === lockRank(prev.mode))) held.set(l.table, { mode: l.mode, statement: st.index, ...(l.may ? { may: true } : {}) });
      }
      // DROP INDEX of an index no migration creates locks a table nobody can name: held all the same.
      const unknownTable = unknownIndexDropLock(ctx, st);
      if (unknownTable) held.set(`(statement ${st.index})`, { mode: 'AccessExclusiveLock', statement: st.index, words: unknownTable });
    }
  },
});

/** A write-blocking lock held so far: `words` describes it when its table cannot be named. */
interface Held {
  mode: LockMode;
  statement: number;
  words?: string;
  /** Taken only in a branch of a DO block: held only if that branch ran. */
  may?: boolean;
}

function report(ctx: MigrationContext, st: AnalyzedStatement, slow: string, held: ReadonlyMap<string, Held>): void {
  const own = new Map(st.facts.locks.map((l) => [l.table, l.mode]));
  const still = [...held].filter(([table, h]) => !own.has(table) || lockRank(own.get(table)!) < lockRank(h.mode));
  if (!still.length) return;
  still.sort(([, a], [, b]) => lockRank(b.mode) - lockRank(a.mode) || a.statement - b.statement);
  const [table, h] = still[0];
  const others = still.length > 1 ? ` (and locks on ${still.length - 1} more table${still.length > 2 ? 's' : ''})` : '';
  ctx.report({
    statement: st.index,
    message: `While this statement ${slow}, the ${h.words ?? describeLock({ table, mode: h.mode })} taken on line ${lineOf(ctx, h.statement)} is still held${h.may ? ' if the branch of the DO block that takes it ran' : ''}${others}. ${sharedTransactionReason(ctx, st.index)}.`,
    help: 'Move the slow statement (or the one that takes the lock) into a migration folder of its own, so the lock ends before the slow work starts.',
  });
}

/** What makes a statement slow on an existing table, as a verb phrase ("builds an index on "Post""), or null. */
export function slowWorkOf(ctx: MigrationContext, st: AnalyzedStatement): string | null {
  const node = st.sql.node;
  if (!node) return null;
  const s = nodeBody(node);
  const type = nodeType(node);
  const existing = (t: string) => isExistingTable(ctx, st, t);
  const relation = (rv: PgNode | undefined) => keyOf(rangeVarName(rv));
  const readsExisting = () => st.facts.locks.filter((l) => l.mode === 'AccessShareLock' && existing(l.table)).map((l) => l.table);

  if (type !== 'TruncateStmt') {
    const rewritten = st.facts.rewrites.find(existing);
    if (rewritten) return `rewrites ${displayTable(rewritten)}`;
  }
  switch (type) {
    case 'IndexStmt':
      return !s.concurrent && existing(relation(s.relation)) ? `builds an index on ${displayTable(relation(s.relation))}` : null;
    case 'ReindexStmt': {
      const concurrent = (s.params ?? []).some((p: PgNode) => p.DefElem?.defname === 'concurrently');
      const table = st.facts.locks.find((l) => existing(l.table))?.table;
      return !concurrent && table ? `rebuilds indexes of ${displayTable(table)}` : null;
    }
    case 'UpdateStmt':
      return existing(relation(s.relation)) ? `updates rows of ${displayTable(relation(s.relation))}` : null;
    case 'DeleteStmt':
      return existing(relation(s.relation)) ? `deletes rows of ${displayTable(relation(s.relation))}` : null;
    case 'MergeStmt':
      return existing(relation(s.relation)) ? `merges rows into ${displayTable(relation(s.relation))}` : null;
    case 'InsertStmt':
    case 'CreateTableAsStmt': {
      if (type === 'CreateTableAsStmt' && s.into?.skipData) return null;
      const from = readsExisting();
      return from.length ? `copies rows of ${displayTable(from[0])}` : null;
    }
    case 'AlterTableStmt': {
      const table = relation(s.relation);
      if (s.objtype === 'OBJECT_INDEX' || !existing(table)) return null;
      const t = st.catalog.table(table);
      for (const item of s.cmds ?? []) {
        const cmd = item.AlterTableCmd ?? {};
        const con = cmd.def?.Constraint;
        if (cmd.subtype === 'AT_AddConstraint' && (con?.contype === 'CONSTR_FOREIGN' || con?.contype === 'CONSTR_CHECK') && !con.skip_validation) {
          return `scans ${displayTable(table)} to check ${con.conname ? `constraint ${quoteAlways(con.conname)}` : 'a new constraint'}`;
        }
        if (cmd.subtype === 'AT_AddConstraint' && (con?.contype === 'CONSTR_UNIQUE' || con?.contype === 'CONSTR_PRIMARY') && !con.indexname) return `builds a unique index on ${displayTable(table)}`;
        if (cmd.subtype === 'AT_ValidateConstraint') return `scans ${displayTable(table)} to validate ${quoteAlways(cmd.name)}`;
        if (cmd.subtype === 'AT_SetNotNull') {
          const col = t?.columns.get(cmd.name);
          const provenByCheck = [...(t?.constraints.values() ?? [])].some((c) => c.type === 'check' && c.validated && c.expression === `${quoteAlways(cmd.name)} IS NOT NULL`);
          if (!col?.notNull && !provenByCheck) return `scans ${displayTable(table)} for NULLs in ${quoteAlways(cmd.name)}`;
        }
      }
      return null;
    }
    default:
      return null;
  }
}
