import { nodeBody, nodeType, strings, type PgNode } from '../pg/ast';
import { displayTable, keyOf, quoteAlways, rangeVarName } from '../pg/names';
import { columnTypeOf, isNarrowing, type ColumnType } from '../pg/types';
import { isExistingTable } from './helpers';
import { defineRule, type AnalyzedStatement, type MigrationContext } from './rule';
import { lineOf } from './support/transactions';

export default defineRule({
  meta: {
    id: 'non-atomic-migration',
    category: 'deploy-failure',
    defaultSeverity: 'info',
    fixAvailability: 'never',
    summary: 'A multi-statement file that Prisma ≥ 7.4.0 runs statement by statement, where a statement that can fail on existing data follows statements that cannot be re-run',
    docs: {
      prismaVersion: '7.4.0',
      whatItDoes:
        'With Prisma ≥ 7.4.0, when the file is split into statements that each commit on their own, flags the first statement that can fail because of the data already in an existing table, if at least one earlier statement — committed by then, outside its transaction — cannot simply run again. Can fail on data: adding a foreign key, check, unique or primary-key constraint (without `NOT VALID` / `USING INDEX`), `VALIDATE CONSTRAINT`, `SET NOT NULL`, a column type change that can fail a cast or narrows the type, `ADD COLUMN ... NOT NULL` without a default, `CREATE UNIQUE INDEX` — except a foreign key or unique constraint on a column this migration added without a default (NULL in every row), and a foreign key or primary key re-created exactly as it was before (Prisma does that to change actions or names). Cannot run again: `CREATE` without `IF NOT EXISTS` / `OR REPLACE`, `DROP` without `IF EXISTS`, `ADD COLUMN` / `DROP COLUMN` / `DROP CONSTRAINT` without their guards, `ADD CONSTRAINT`, renames, `ALTER TYPE ... ADD VALUE` without `IF NOT EXISTS`, and `INSERT` without `ON CONFLICT`. Reported once per file.',
      whyIsThisBad:
        'When a statement fails midway, the statements before it stay applied: `prisma migrate deploy` stops with P3018 and refuses to run again (P3009) until someone runs `prisma migrate resolve`. Marking the migration rolled back re-runs the whole file, which then fails on the first statement that already ran; marking it applied skips the rest. Either way the database is half migrated until a person finishes it by hand.',
      setup: 'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
      example: 'CREATE TABLE "Profile" ("id" SERIAL NOT NULL, "userId" INTEGER NOT NULL, CONSTRAINT "Profile_pkey" PRIMARY KEY ("id"));\n\nALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;',
      useInstead: '-- Re-runnable: a failure leaves nothing that blocks the next attempt.\nCREATE TABLE IF NOT EXISTS "Profile" ("id" SERIAL NOT NULL, "userId" INTEGER NOT NULL, CONSTRAINT "Profile_pkey" PRIMARY KEY ("id"));\n\nALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;',
      fixSafety: 'No fix: check the data before deploying, put the statement that can fail in a migration folder of its own (first), or make the earlier statements re-runnable.',
      references: ['https://github.com/prisma/prisma-engines/pull/5767', 'https://www.prisma.io/docs/orm/prisma-migrate/workflows/patching-and-hotfixing#failed-migration', 'https://www.prisma.io/docs/orm/reference/error-reference#p3018'],
    },
  },
  checkMigration(ctx) {
    if (ctx.execution.mode !== 'split' || ctx.statements.length < 2) return;
    for (const st of ctx.statements) {
      const failure = dataFailureOf(ctx, st);
      if (!failure) continue;
      const together = new Set(ctx.transactionOf(st.index) ?? [st.index]);
      const applied = ctx.statements.slice(0, st.index).filter((o) => !together.has(o.index));
      const stuck = applied.filter((o) => notRerunnable(o.sql.node));
      if (!stuck.length) continue;
      const first = stuck[0];
      const more = stuck.length > 1 ? ` (and ${stuck.length - 1} more)` : '';
      ctx.report({
        statement: st.index,
        message: `Prisma ${ctx.prismaVersion} runs this file statement by statement, each committed on its own. If this statement fails — ${failure} — ${applied.length > 1 ? `the ${applied.length} statements before it stay` : 'the statement before it stays'} applied, and re-running the file fails at ${leadingWords(first)} on line ${lineOf(ctx, first.index)}${more}, which has no IF [NOT] EXISTS guard.`,
        help: 'Check the data before deploying, move this statement into a migration folder of its own that runs first, or make the earlier statements re-runnable (IF NOT EXISTS / IF EXISTS).',
      });
      return;
    }
  },
});

/** How a statement can fail because of rows already in an existing table, or null. */
export function dataFailureOf(ctx: MigrationContext, st: AnalyzedStatement): string | null {
  const node = st.sql.node;
  const s = nodeBody(node);
  if (nodeType(node) === 'IndexStmt') {
    const table = keyOf(rangeVarName(s.relation));
    if (!s.unique || !isExistingTable(ctx, st, table)) return null;
    const columns: (string | undefined)[] = (s.indexParams ?? []).map((p: PgNode) => p.IndexElem?.name);
    if (!s.nulls_not_distinct && columns.some((c) => c !== undefined && stillNull(ctx, st, table, c))) return null;
    return `when ${displayTable(table)} holds duplicates`;
  }
  if (nodeType(node) !== 'AlterTableStmt' || (s.objtype && s.objtype !== 'OBJECT_TABLE')) return null;
  const table = keyOf(rangeVarName(s.relation));
  if (!isExistingTable(ctx, st, table)) return null;
  const t = st.catalog.table(table);
  // A foreign key or unique constraint passes every row where one of its columns is NULL.
  const passesAsNull = (cols: unknown) => strings(cols).some((c) => stillNull(ctx, st, table, c));
  for (const item of s.cmds ?? []) {
    const cmd = item.AlterTableCmd ?? {};
    const con = cmd.def?.Constraint;
    switch (cmd.subtype) {
      case 'AT_AddConstraint':
        if (con?.contype === 'CONSTR_FOREIGN' && (passesAsNull(con.fk_attrs) || heldBefore(ctx, table, con))) break;
        if (con?.contype === 'CONSTR_UNIQUE' && !con.nulls_not_distinct && passesAsNull(con.keys)) break;
        if ((con?.contype === 'CONSTR_UNIQUE' || con?.contype === 'CONSTR_PRIMARY') && heldBefore(ctx, table, con)) break;
        if ((con?.contype === 'CONSTR_FOREIGN' || con?.contype === 'CONSTR_CHECK') && !con.skip_validation) return `when a row of ${displayTable(table)} violates ${con.contype === 'CONSTR_FOREIGN' ? 'the foreign key' : 'the check'}`;
        if ((con?.contype === 'CONSTR_UNIQUE' || con?.contype === 'CONSTR_PRIMARY' || con?.contype === 'CONSTR_EXCLUSION') && !con.indexname) return `when ${displayTable(table)} holds duplicates${con.contype === 'CONSTR_PRIMARY' ? ' or NULLs' : ''}`;
        break;
      case 'AT_ValidateConstraint':
        return `when a row of ${displayTable(table)} violates ${quoteAlways(cmd.name)}`;
      case 'AT_SetNotNull':
        if (!t?.columns.get(cmd.name)?.notNull) return `when a row of ${displayTable(table)} has NULL in ${quoteAlways(cmd.name)}`;
        break;
      case 'AT_AlterColumnType': {
        const col = t?.columns.get(cmd.name);
        const to = columnTypeOf(cmd.def?.ColumnDef?.typeName);
        const using = cmd.def?.ColumnDef?.raw_default !== undefined;
        if (col && (using || castCanFail(col.type, to))) return `when a value in ${quoteAlways(cmd.name)} does not convert to ${to.display}`;
        break;
      }
      case 'AT_AddColumn': {
        const def = cmd.def?.ColumnDef ?? {};
        const cons: PgNode[] = (def.constraints ?? []).map((c: PgNode) => c.Constraint ?? {});
        const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
        const filled = cons.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED') || columnTypeOf(def.typeName).serial;
        if (notNull && !filled) return `when ${displayTable(table)} has rows (a NOT NULL column without a default)`;
        break;
      }
      default:
        break;
    }
  }
  return null;
}

/**
 * A column this migration added without a default and that no earlier statement of the file wrote
 * to: NULL in every existing row.
 */
function stillNull(ctx: MigrationContext, st: AnalyzedStatement, table: string, column: string): boolean {
  const col = st.catalog.table(table)?.columns.get(column);
  if (!col || col.hasDefault || ctx.before.table(table)?.columns.has(column)) return false;
  return !ctx.statements.slice(0, st.index).some((o) => {
    const type = nodeType(o.sql.node);
    return (type === 'UpdateStmt' || type === 'InsertStmt' || type === 'MergeStmt') && keyOf(rangeVarName(nodeBody(o.sql.node).relation)) === table;
  });
}

/**
 * The data already satisfied the same constraint before this migration (Prisma re-creates a foreign
 * key to change its actions, and a primary key to rename it): re-adding it cannot fail.
 */
function heldBefore(ctx: MigrationContext, table: string, con: PgNode): boolean {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, k) => x === b[k]);
  const before = ctx.before.table(table);
  if (!before) return false;
  if (con.contype === 'CONSTR_FOREIGN') {
    const cols = strings(con.fk_attrs);
    const ref = keyOf(rangeVarName(con.pktable));
    const refCols = strings(con.pk_attrs);
    return [...before.constraints.values()].some((c) => c.validated && c.foreignKey && same(c.foreignKey.columns, cols) && c.foreignKey.refTable === ref && (!refCols.length || same(c.foreignKey.refColumns, refCols)));
  }
  const cols = strings(con.keys);
  const unique = [...before.constraints.values()].some((c) => (c.type === 'unique' || c.type === 'primary') && same(c.columns, cols));
  const notNull = con.contype !== 'CONSTR_PRIMARY' || cols.every((c) => before.columns.get(c)?.notNull);
  return (unique || ctx.before.indexesOf(table).some((ix) => ix.unique && !ix.partial && same(ix.columns.map(String), cols))) && notNull;
}

const INT_WIDTH: Record<string, number> = { int2: 2, int4: 4, int8: 8 };

/** Whether converting existing values can fail: narrowing, or a cast that parses or checks values. */
function castCanFail(from: ColumnType, to: ColumnType): boolean {
  if (from.display === to.display) return false;
  if (isNarrowing(from, to)) return true;
  if (from.array !== to.array) return true;
  if (to.base === 'text' || (to.base === 'varchar' && to.mods.length === 0)) return false;
  if (from.base === to.base) return false;
  if (INT_WIDTH[from.base] && (INT_WIDTH[to.base] > INT_WIDTH[from.base] || to.base === 'float8' || (to.base === 'numeric' && to.mods.length === 0))) return false;
  if ((from.base === 'varchar' && to.base === 'varchar') || (from.base === 'timestamp' && to.base === 'timestamptz') || (from.base === 'json' && to.base === 'jsonb')) return false;
  return true;
}

/** Whether running the statement a second time, after it succeeded once, fails or changes data again. */
export function notRerunnable(node: PgNode | null): boolean {
  const s = nodeBody(node);
  switch (nodeType(node)) {
    case 'CreateStmt':
    case 'IndexStmt':
    case 'CreateSeqStmt':
    case 'CreateSchemaStmt':
    case 'CreateExtensionStmt':
    case 'CreateTableAsStmt':
      return !s.if_not_exists && !s.into?.rel?.if_not_exists;
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
    case 'CreateDomainStmt':
    case 'CreatePolicyStmt':
      return true;
    case 'CreateFunctionStmt':
    case 'ViewStmt':
    case 'CreateTrigStmt':
      return !s.replace;
    case 'DropStmt':
      return !s.missing_ok;
    case 'RenameStmt':
      return !(s.renameType === 'OBJECT_TABLE' && s.missing_ok);
    case 'AlterEnumStmt':
      return s.oldVal !== undefined || !s.skipIfNewValExists;
    case 'InsertStmt':
      return !s.onConflictClause;
    case 'AlterTableStmt':
      return (s.cmds ?? []).some((item: PgNode) => {
        const cmd = item.AlterTableCmd ?? {};
        switch (cmd.subtype) {
          case 'AT_AddColumn':
          case 'AT_DropColumn':
          case 'AT_DropConstraint':
            return !cmd.missing_ok;
          case 'AT_AddConstraint':
            return true;
          default:
            return false;
        }
      });
    default:
      return false;
  }
}

const LEADING = new Set('CREATE ALTER DROP INSERT INTO TABLE INDEX UNIQUE TYPE SEQUENCE SCHEMA EXTENSION VIEW MATERIALIZED FUNCTION TRIGGER POLICY DOMAIN OR REPLACE'.split(' '));

/** `CREATE TABLE`, `ALTER TABLE`, `DROP INDEX`: the statement's leading keywords. */
function leadingWords(st: AnalyzedStatement): string {
  const words: string[] = [];
  for (const w of st.sql.text.trim().split(/\s+/)) {
    if (!LEADING.has(w.toUpperCase()) || words.length === 3) break;
    words.push(w.toUpperCase());
  }
  return words.join(' ') || 'the statement';
}
