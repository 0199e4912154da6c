import * as path from 'node:path';
import type { Catalog } from '../catalog/model';
import { nodeBody, nodeType, walk, type PgNode } from '../pg/ast';
import { displayTable, keyOf, listName, quoteLiteral, rangeVarName } from '../pg/names';
import { columnTypeOf } from '../pg/types';
import type { Fix } from '../types';
import { defineRule, type AnalyzedStatement, type MigrationContext } from './rule';
import { followUpMigrationPath, removeStatementEdit, statementSql } from './support/fixes';
import { lineOf, sharedTransactionReason } from './support/transactions';

export default defineRule({
  meta: {
    id: 'enum-value-used-same-transaction',
    category: 'deploy-failure',
    defaultSeverity: 'error',
    fixAvailability: 'sometimes',
    summary: 'An enum value added with `ALTER TYPE ... ADD VALUE` and used later in the same transaction',
    docs: {
      whatItDoes:
        'Flags the first statement that uses a value added by `ALTER TYPE ... ADD VALUE` when both run in the same transaction: inside the file’s own `BEGIN ... COMMIT`, or anywhere in a file that runs as one batch (Prisma ≤ 7.3, an unknown version, or the Prisma ≥ 7.4 fallback for files its splitter cannot parse). A use is the value as a literal cast to the enum (`\'X\'::"Role"`), or compared with, assigned to, inserted into or given as the default of a column of that enum type: `SET DEFAULT`, `UPDATE ... SET`, `INSERT ... VALUES`, `WHERE`, `CHECK`. Values added to an enum created in the same transaction are not flagged (PostgreSQL allows those).',
      whyIsThisBad:
        'PostgreSQL does not let a transaction use an enum value it added itself until it commits: the statement fails with SQLSTATE 55P04 ("unsafe use of new value"), and `prisma migrate deploy` stops with P3018. It happens as soon as the literal is read, even when an `UPDATE` matches no rows.',
      setup: 'CREATE TYPE "Role" AS ENUM (\'USER\', \'ADMIN\');\nCREATE TABLE "User" ("id" SERIAL NOT NULL, "role" "Role" NOT NULL DEFAULT \'USER\', CONSTRAINT "User_pkey" PRIMARY KEY ("id"));',
      example: '-- AlterEnum\nALTER TYPE "Role" ADD VALUE \'MEMBER\';\n\n-- AlterTable\nALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT \'MEMBER\';',
      useInstead: '-- Migration 1, committed on its own:\nALTER TYPE "Role" ADD VALUE \'MEMBER\';\n-- Migration 2 (the next folder):\n-- ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT \'MEMBER\';',
      fixSafety:
        'Unsafe: the fix moves the `ALTER TYPE ... ADD VALUE` into a new migration folder that sorts just before this one (one second earlier), so it commits first. That changes the migration history: only apply it to a migration that has not run anywhere yet. Offered when the migration folder name starts with Prisma’s timestamp.',
      references: ['https://www.postgresql.org/docs/current/sql-altertype.html#id-1.9.3.42.7', 'https://www.prisma.io/docs/orm/prisma-migrate/workflows/customizing-migrations'],
    },
  },
  checkMigration(ctx) {
    // A use needs the value as a string constant: the constants of each statement are collected
    // once, so a long batch with many ADD VALUEs is not walked once per value.
    const literals = new Map<number, ReadonlySet<string>>();
    const literalsOf = (i: number): ReadonlySet<string> => {
      let set = literals.get(i);
      if (!set) literals.set(i, (set = stringConstants(ctx.statements[i].sql.node)));
      return set;
    };
    for (const st of ctx.statements) {
      if (nodeType(st.sql.node) !== 'AlterEnumStmt') continue;
      const s = nodeBody(st.sql.node);
      if (!s.newVal || s.oldVal !== undefined) continue;
      const group = ctx.transactionOf(st.index);
      if (!group) continue;
      const enumKey = keyOf(listName(s.typeName));
      const value: string = s.newVal;
      const later = group.filter((i) => i > st.index);
      const createdHere = group.some((i) => i < st.index && nodeType(ctx.statements[i].sql.node) === 'CreateEnumStmt' && keyOf(listName(nodeBody(ctx.statements[i].sql.node).typeName)) === enumKey);
      if (createdHere) continue;
      const userIndex = later.find((i) => literalsOf(i).has(value) && usesEnumValue(ctx.statements[i], enumKey, value));
      const user = userIndex === undefined ? undefined : ctx.statements[userIndex];
      if (!user) continue;
      const enumName = displayTable(enumKey);
      ctx.report({
        statement: user.index,
        message: `Uses ${quoteLiteral(value)}, which ALTER TYPE ${enumName} ADD VALUE on line ${lineOf(ctx, st.index)} adds in the same transaction: PostgreSQL rejects it (SQLSTATE 55P04, unsafe use of new value) until that transaction commits. ${sharedTransactionReason(ctx, user.index)}.`,
        help: `Add the value in a migration folder of its own that runs before this one, so it is committed before ${quoteLiteral(value)} is used.`,
        fixes: addValueFirstFix(ctx, st, `add_${enumKey.split('.').pop()}_${value}`),
      });
    }
  },
});

/** Moves the ADD VALUE into a new migration folder one second before this one. */
function addValueFirstFix(ctx: MigrationContext, st: AnalyzedStatement, name: string): Fix[] | undefined {
  if (!/^\d{14}_/.test(ctx.name)) return undefined;
  const file = followUpMigrationPath(ctx, name, -1);
  return [
    {
      title: `Move the ADD VALUE into a new migration that runs first (${path.basename(path.dirname(file))})`,
      safe: false,
      edits: [{ file: ctx.file, ...removeStatementEdit(ctx, st), newText: '' }],
      newFiles: [{ file, content: `${statementSql(st)}\n` }],
    },
  ];
}

/** Whether a statement reads `value` as a value of the enum `enumKey`. */
export function usesEnumValue(st: AnalyzedStatement, enumKey: string, value: string): boolean {
  const node = st.sql.node;
  if (!node) return false;
  const isEnum = (typeName: PgNode | undefined) => typeName !== undefined && columnTypeOf(typeName).base === enumKey;
  const hasLiteral = (v: unknown): boolean => {
    let found = false;
    walk({ v }, (key, n) => {
      if (key === 'A_Const' && n.sval?.sval === value) found = true;
    });
    return found;
  };
  const enumColumns = enumColumnsOf(node, st.catalog, enumKey);
  const isEnumColumn = (n: PgNode | undefined) => {
    const fields = n?.ColumnRef?.fields;
    const name = Array.isArray(fields) ? fields[fields.length - 1]?.String?.sval : undefined;
    return name !== undefined && enumColumns.has(name);
  };

  let used = false;
  walk(node, (key, n) => {
    if (used) return;
    switch (key) {
      case 'TypeCast':
        if (isEnum(n.typeName) && n.arg?.A_Const?.sval?.sval === value) used = true;
        break;
      case 'A_Expr':
        if ((isEnumColumn(n.lexpr) && hasLiteral(n.rexpr)) || (isEnumColumn(n.rexpr) && hasLiteral(n.lexpr))) used = true;
        break;
      case 'ColumnDef':
        if (isEnum(n.typeName) && (n.constraints ?? []).some((c: PgNode) => c.Constraint?.contype === 'CONSTR_DEFAULT' && hasLiteral(c.Constraint.raw_expr))) used = true;
        break;
      case 'AlterTableCmd':
        if (n.subtype === 'AT_ColumnDefault' && enumColumns.has(n.name) && hasLiteral(n.def)) used = true;
        break;
      default:
        break;
    }
  });
  if (used) return true;

  const s = nodeBody(node);
  if (nodeType(node) === 'UpdateStmt') {
    return (s.targetList ?? []).some((t: PgNode) => enumColumns.has(t.ResTarget?.name) && hasLiteral(t.ResTarget?.val));
  }
  if (nodeType(node) === 'InsertStmt') {
    const table = st.catalog.table(keyOf(rangeVarName(s.relation)));
    const cols: string[] = s.cols?.length ? s.cols.map((c: PgNode) => c.ResTarget?.name) : [...(table?.columns.keys() ?? [])];
    const positions = cols.map((c, k) => (enumColumns.has(c) ? k : -1)).filter((k) => k >= 0);
    const rows: PgNode[] = s.selectStmt?.SelectStmt?.valuesLists ?? [];
    return rows.some((row) => positions.some((k) => hasLiteral(row.List?.items?.[k])));
  }
  return false;
}

/** Every string constant (`A_Const.sval`) in a statement. */
function stringConstants(node: PgNode | null): Set<string> {
  const out = new Set<string>();
  if (node) {
    walk(node, (key, n) => {
      if (key === 'A_Const' && typeof n.sval?.sval === 'string') out.add(n.sval.sval);
    });
  }
  return out;
}

/** Names of the columns of type `enumKey` in the tables the statement names, or defines. */
function enumColumnsOf(node: PgNode, catalog: Catalog, enumKey: string): Set<string> {
  const out = new Set<string>();
  walk(node, (key, n) => {
    if (key === 'ColumnDef' && n.colname && columnTypeOf(n.typeName).base === enumKey) out.add(n.colname);
    if ((key === 'relation' || key === 'RangeVar') && typeof n.relname === 'string') {
      const table = catalog.table(keyOf(rangeVarName(n)));
      for (const c of table?.columns.values() ?? []) if (c.type.base === enumKey) out.add(c.name);
    }
  });
  return out;
}
