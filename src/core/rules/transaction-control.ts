import { nodeBody, nodeType, strings, transactionKindOf, type PgNode } from '../pg/ast';
import { defineRule, type MigrationContext } from './rule';
import { lineOf, oneBatchReason } from './support/transactions';

export default defineRule({
  meta: {
    id: 'transaction-control',
    category: 'deploy-failure',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    summary: '`BEGIN` / `COMMIT` / `ROLLBACK` other than Prisma’s own generated enum block',
    docs: {
      whatItDoes:
        'Flags transaction control that changes what a migration does when it fails: a `COMMIT` (or `END`) with statements after it, in a file that runs as one batch (Prisma ≤ 7.3, an unknown version, or the Prisma ≥ 7.4 fallback); every `ROLLBACK`; a `BEGIN` never committed; a `BEGIN` inside an open block; and two-phase commit. Not flagged: the block Prisma itself generates to recreate an enum (`BEGIN; CREATE TYPE "X_new" ...; ALTER TABLE ... TYPE "X_new" USING ...; ALTER TYPE ... RENAME ...; DROP TYPE ...; COMMIT;`, recognised by its contents), a block that ends the file (in a batch it changes nothing), and any `BEGIN ... COMMIT` where Prisma ≥ 7.4 runs the file statement by statement (there a block only makes its own lines atomic, which they would not be otherwise).',
      whyIsThisBad:
        'Prisma ≤ 7.3 sends the file as one batch, which PostgreSQL runs as one transaction: a `COMMIT` in the middle commits the first part, so when a later statement fails Prisma marks the migration failed (P3018) while half of it is applied, and re-running it fails on what is already there. A `ROLLBACK` silently undoes work while Prisma records the migration as applied, and a `BEGIN` without `COMMIT` leaves the outcome to whatever runs next on the connection. A mid-file `COMMIT` is often there to commit a new enum value before it is used: a migration folder of its own does that without the half-applied failure.',
      setup: 'CREATE TABLE "Post" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));',
      example: 'BEGIN;\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;\nCOMMIT;\n\nCREATE UNIQUE INDEX "Post_slug_key" ON "Post"("slug");',
      useInstead: '-- Let the file be one unit (Prisma ≤ 7.3 runs it as one transaction);\n-- put statements that must commit first in an earlier migration folder.\nALTER TABLE "Post" ADD COLUMN "slug" TEXT;\n\nCREATE UNIQUE INDEX "Post_slug_key" ON "Post"("slug");',
      fixSafety: 'No fix: which statements belong together is the author’s decision; split the file into migration folders where parts must commit separately.',
      references: ['https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-MULTI-STATEMENT', 'https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations', 'https://github.com/prisma/prisma-engines/pull/5767'],
    },
  },
  checkMigration(ctx) {
    const n = ctx.statements.length;
    const batch = ctx.execution.mode === 'batch';
    let begin: number | null = null;
    let lastCommit: number | null = null;
    const line = (i: number) => lineOf(ctx, i);
    for (const st of ctx.statements) {
      const i = st.index;
      const kind = transactionKind(st.sql.node);
      if (!kind) continue;
      if (kind === 'begin') {
        if (begin !== null) {
          ctx.report({ statement: i, message: `This BEGIN runs while the block opened on line ${line(begin)} is still open: PostgreSQL ignores it with a warning, and the first COMMIT ends both.`, help: 'Remove the inner BEGIN.' });
          continue;
        }
        begin = i;
      } else if (kind === 'commit') {
        const prismaBlock = begin !== null && isPrismaEnumBlock(ctx, begin, i);
        if (batch && i < n - 1 && !prismaBlock) {
          const from = lastCommit === null ? 1 : line(lastCommit + 1);
          const addsEnumValue = ctx.statements.slice(lastCommit === null ? 0 : lastCommit + 1, i).some((o) => nodeType(o.sql.node) === 'AlterEnumStmt' && nodeBody(o.sql.node).newVal && nodeBody(o.sql.node).oldVal === undefined);
          ctx.report({
            statement: i,
            message: `This COMMIT ends the transaction early. ${oneBatchReason(ctx)} (one transaction), but this COMMIT commits lines ${from}–${line(i)} before the rest runs: if a later statement fails, Prisma marks the migration failed with that part already applied.`,
            help: addsEnumValue
              ? 'To commit a new enum value before it is used, put the ALTER TYPE ... ADD VALUE in a migration folder of its own instead of committing mid-file.'
              : 'Remove the COMMIT (and its BEGIN), or move the statements after it into a migration folder of their own.',
          });
        }
        begin = null;
        lastCommit = i;
      } else if (kind === 'rollback') {
        const undone = batch
          ? `everything since ${lastCommit === null ? 'the start of the file' : `the COMMIT on line ${line(lastCommit)}`} (${lowerFirst(oneBatchReason(ctx))}, one transaction)`
          : begin !== null
            ? `everything since the BEGIN on line ${line(begin)}`
            : null;
        ctx.report({
          statement: i,
          message: undone
            ? `ROLLBACK undoes ${undone}, yet Prisma records the migration as applied when the file finishes.`
            : `ROLLBACK does nothing here (Prisma ${ctx.prismaVersion} runs it on its own, outside any transaction), yet reads as if it undid something.`,
          help: 'Remove the ROLLBACK and the statements it is meant to undo.',
        });
        begin = null;
        lastCommit = i;
      } else {
        ctx.report({ statement: i, message: 'Two-phase commit statements leave a prepared transaction behind that holds its locks until someone commits or rolls it back by hand.', help: 'Remove PREPARE TRANSACTION / COMMIT PREPARED from the migration.' });
      }
    }
    if (begin !== null) {
      ctx.report({
        statement: begin,
        message: 'This BEGIN has no COMMIT: the transaction is still open when the file ends, so whether the migration’s changes commit depends on what Prisma runs next on the connection.',
        help: 'Add COMMIT; where the block should end, or remove the BEGIN.',
      });
    }
  },
});

/** The transaction statements this rule speaks about; savepoints and the rest change no block. */
function transactionKind(node: PgNode | null): 'begin' | 'commit' | 'rollback' | 'two-phase' | null {
  const kind = transactionKindOf(node);
  return kind === 'savepoint' || kind === 'other' ? null : kind;
}

/**
 * Prisma's generated enum recreation: `CREATE TYPE "X_new"`, columns moved to it (`ALTER COLUMN ...
 * TYPE "X_new" USING`, with their defaults dropped and set again), the renames and `DROP TYPE`.
 */
export function isPrismaEnumBlock(ctx: MigrationContext, begin: number, commit: number): boolean {
  const inner = ctx.statements.slice(begin + 1, commit).map((s) => s.sql.node);
  if (!inner.length || nodeType(inner[0]) !== 'CreateEnumStmt') return false;
  const newTypes = new Set<string>();
  for (const node of inner) {
    const s = nodeBody(node);
    switch (nodeType(node)) {
      case 'CreateEnumStmt': {
        const name = strings(s.typeName).pop() ?? '';
        if (!name.endsWith('_new')) return false;
        newTypes.add(name);
        break;
      }
      case 'AlterTableStmt':
        for (const item of s.cmds ?? []) {
          const cmd = item.AlterTableCmd ?? {};
          if (cmd.subtype === 'AT_ColumnDefault') continue;
          if (cmd.subtype !== 'AT_AlterColumnType' || !newTypes.has(strings(cmd.def?.ColumnDef?.typeName?.names).pop() ?? '')) return false;
        }
        break;
      case 'RenameStmt':
        if (s.renameType !== 'OBJECT_TYPE') return false;
        break;
      case 'DropStmt':
        if (s.removeType !== 'OBJECT_TYPE') return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function lowerFirst(s: string): string {
  return s.startsWith('The ') ? `the ${s.slice(4)}` : s;
}
