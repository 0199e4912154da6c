/**
 * Rollback SQL for a migration, generated from the catalog before and after it: statements are
 * undone in reverse order; what cannot be undone (dropped data) is said plainly.
 */
import type { MigrationAnalysis } from '../analysis/analyze-migration';
import type { Catalog, Constraint } from '../catalog/model';
import { nodeBody, nodeType, strings, type PgNode } from '../pg/ast';
import { displayTable, keyOf, listName, quoteAlways, quoteLiteral, rangeVarName } from '../pg/names';

export interface RollbackPlan {
  sql: string[];
  notes: string[];
  irreversible: { key: string; title: string }[];
  /** down.sql needs psql (statement by statement) because it drops or builds indexes CONCURRENTLY (see rollbackRunCommand). */
  needsPsql: boolean;
}

function indexName(schema: string, name: string): string {
  return `${quoteAlways(schema)}.${quoteAlways(name)}`;
}

export function foreignKeySql(table: string, c: Constraint): string {
  const fk = c.foreignKey!;
  return `ALTER TABLE ${displayTable(table)} ADD CONSTRAINT ${quoteAlways(c.name)} FOREIGN KEY (${fk.columns.map(quoteAlways).join(', ')}) REFERENCES ${displayTable(fk.refTable)}(${fk.refColumns.map(quoteAlways).join(', ')}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate};`;
}

export function rollbackPlan(analysis: MigrationAnalysis, before: Catalog): RollbackPlan {
  const plan: RollbackPlan = { sql: [], notes: [], irreversible: [], needsPsql: false };
  const statements = analysis.parsed.statements;
  for (let i = statements.length - 1; i >= 0; i--) {
    const st = statements[i];
    const line = st.range.start.line;
    const out: string[] = [];
    const type = nodeType(st.node);
    const s = nodeBody(st.node);
    const unknown = () => plan.notes.push(`Line ${line} (${type || 'invalid SQL'}) has no automatic rollback; undo it by hand.`);
    switch (type) {
      case 'CreateStmt':
        out.push(`DROP TABLE IF EXISTS ${displayTable(keyOf(rangeVarName(s.relation)))};`);
        break;
      case 'IndexStmt': {
        const rel = rangeVarName(s.relation);
        if (s.idxname) {
          out.push(`DROP INDEX CONCURRENTLY IF EXISTS ${indexName(rel.schema, s.idxname)};`);
          plan.needsPsql = true;
        } else unknown();
        break;
      }
      case 'AlterTableStmt':
        for (const c of [...(s.cmds ?? [])].reverse()) alterTableRollback(keyOf(rangeVarName(s.relation)), c.AlterTableCmd ?? {}, before, out, plan, line);
        break;
      case 'DropStmt':
        for (const obj of s.objects ?? []) {
          if (s.removeType === 'OBJECT_TABLE') {
            const key = keyOf(listName(obj.List?.items));
            if (before.tables.has(key)) plan.irreversible.push({ key: `table.${key}`, title: `Table ${displayTable(key)} and all its rows (dropped on line ${line})` });
          } else if (s.removeType === 'OBJECT_INDEX') {
            const n = listName(obj.List?.items);
            const ix = before.indexes.get(keyOf(n));
            if (ix && ix.columns.every((c) => c !== null)) {
              out.push(`CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${quoteAlways(ix.name)} ON ${displayTable(ix.table)}(${ix.columns.map((c) => quoteAlways(c!)).join(', ')});`);
              plan.needsPsql = true;
            } else unknown();
          } else if (s.removeType !== 'OBJECT_TYPE') unknown();
        }
        break;
      case 'CreateEnumStmt': {
        const n = listName(s.typeName);
        const m = /^(.*)_new$/.exec(n.name);
        const old = m ? before.enums.get(keyOf({ schema: n.schema, name: m[1] })) : undefined;
        if (old) {
          const kept = new Set(strings(s.vals));
          for (const v of old.values.filter((x) => !kept.has(x))) out.push(`ALTER TYPE ${displayTable(keyOf(old))} ADD VALUE IF NOT EXISTS ${quoteLiteral(v)};`);
        } else if (!m) out.push(`DROP TYPE IF EXISTS ${displayTable(keyOf(n))};`);
        break;
      }
      case 'AlterEnumStmt':
        if (s.newVal !== undefined && s.oldVal === undefined) plan.notes.push(`PostgreSQL cannot remove the enum value ${quoteLiteral(s.newVal)} added on line ${line}; leaving it in place is harmless.`);
        else if (s.oldVal !== undefined) out.push(`ALTER TYPE ${displayTable(keyOf(listName(s.typeName)))} RENAME VALUE ${quoteLiteral(s.newVal)} TO ${quoteLiteral(s.oldVal)};`);
        break;
      case 'RenameStmt':
        if (s.renameType === 'OBJECT_TABLE') out.push(`ALTER TABLE ${displayTable(keyOf({ schema: rangeVarName(s.relation).schema, name: s.newname }))} RENAME TO ${quoteAlways(rangeVarName(s.relation).name)};`);
        else if (s.renameType === 'OBJECT_COLUMN') out.push(`ALTER TABLE ${displayTable(keyOf(rangeVarName(s.relation)))} RENAME COLUMN ${quoteAlways(s.newname)} TO ${quoteAlways(s.subname)};`);
        else if (s.renameType === 'OBJECT_INDEX') out.push(`ALTER INDEX ${indexName(rangeVarName(s.relation).schema, s.newname)} RENAME TO ${quoteAlways(rangeVarName(s.relation).name)};`);
        else if (s.renameType === 'OBJECT_TYPE') {
          const n = listName(s.object?.List?.items ?? s.object);
          // Prisma's enum swap renames X → X_old and X_new → X; undoing the value removal above is enough.
          if (!/_(old|new)$/.test(n.name) && !/_(old|new)$/.test(s.newname)) out.push(`ALTER TYPE ${displayTable(keyOf({ schema: n.schema, name: s.newname }))} RENAME TO ${quoteAlways(n.name)};`);
        } else if (s.renameType === 'OBJECT_TABCONSTRAINT') out.push(`ALTER TABLE ${displayTable(keyOf(rangeVarName(s.relation)))} RENAME CONSTRAINT ${quoteAlways(s.newname)} TO ${quoteAlways(s.subname)};`);
        else unknown();
        break;
      case 'TruncateStmt':
        for (const r of s.relations ?? []) plan.irreversible.push({ key: `truncate.${i}`, title: `Every row of ${displayTable(keyOf(rangeVarName(r.RangeVar)))} (truncated on line ${line})` });
        break;
      case 'UpdateStmt':
      case 'DeleteStmt':
      case 'InsertStmt':
        plan.irreversible.push({ key: `dml.${i}`, title: `The data changed by the ${type.replace('Stmt', '').toUpperCase()} on line ${line} (restore the affected rows from the export or backup)` });
        break;
      case 'TransactionStmt':
      case 'VariableSetStmt':
      case 'CommentStmt':
      case 'GrantStmt':
      case 'SelectStmt':
        break;
      case 'CreateExtensionStmt':
        plan.notes.push(`Line ${line} created extension ${quoteAlways(s.extname)}; it is left in place.`);
        break;
      default:
        unknown();
    }
    if (out.length) plan.sql.push(`-- undo line ${line}`, ...out);
  }
  return plan;
}

/**
 * The one way to run down.sql: `prisma db execute` sends the file as one batch, where CONCURRENTLY
 * fails (25001), so a down.sql that builds or drops indexes CONCURRENTLY runs with psql, which
 * sends statement by statement.
 */
export function rollbackRunCommand(plan: RollbackPlan, downSql: string, schemaArg: string): { command: string; why: string } {
  if (plan.needsPsql) {
    return {
      command: `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f ${downSql}`,
      why: 'down.sql builds or drops indexes CONCURRENTLY, which cannot run inside one batch (as prisma db execute sends it): psql runs it statement by statement. psql rejects Prisma-only URL parameters such as ?schema=: remove them from the URL you give it.',
    };
  }
  return { command: `npx prisma db execute --file ${downSql}${schemaArg}`, why: 'prisma db execute runs down.sql as one batch: all of it or nothing.' };
}

/** How to make Prisma forget a migration that succeeded (`migrate resolve --rolled-back` only takes a failed one). */
export function forgetMigrationSql(name: string): string {
  return `DELETE FROM _prisma_migrations WHERE migration_name = ${quoteLiteral(name)};`;
}

function alterTableRollback(table: string, cmd: PgNode, before: Catalog, out: string[], plan: RollbackPlan, line: number): void {
  const t = displayTable(table);
  const old = before.table(table);
  const col = cmd.name !== undefined ? old?.columns.get(cmd.name) : undefined;
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      out.push(`ALTER TABLE ${t} DROP COLUMN IF EXISTS ${quoteAlways(cmd.def?.ColumnDef?.colname)};`);
      break;
    case 'AT_DropColumn':
      if (col) {
        out.push(`ALTER TABLE ${t} ADD COLUMN ${quoteAlways(col.name)} ${col.type.display};  -- values come back only from the backup${col.notNull ? '; SET NOT NULL once restored' : ''}`);
        plan.irreversible.push({ key: `column.${table}.${col.name}`, title: `The values of ${t}.${quoteAlways(col.name)} (dropped on line ${line})` });
      }
      break;
    case 'AT_AlterColumnType':
      if (col) out.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteAlways(col.name)} SET DATA TYPE ${col.type.display};`);
      break;
    case 'AT_SetNotNull':
      out.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteAlways(cmd.name)} DROP NOT NULL;`);
      break;
    case 'AT_DropNotNull':
      out.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteAlways(cmd.name)} SET NOT NULL;  -- fails if NULLs were written since`);
      break;
    case 'AT_ColumnDefault':
      if (col && !col.hasDefault) out.push(`ALTER TABLE ${t} ALTER COLUMN ${quoteAlways(cmd.name)} DROP DEFAULT;`);
      else plan.notes.push(`Line ${line} changed the default of ${t}.${quoteAlways(cmd.name)}; restore the previous default by hand.`);
      break;
    case 'AT_AddConstraint': {
      const name: string | undefined = cmd.def?.Constraint?.conname;
      if (name) out.push(`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${quoteAlways(name)};`);
      break;
    }
    case 'AT_DropConstraint': {
      const con = old?.constraints.get(cmd.name);
      if (con?.foreignKey) out.push(foreignKeySql(table, con));
      else if (con) plan.notes.push(`Line ${line} dropped constraint ${quoteAlways(con.name)}; re-create it by hand.`);
      break;
    }
    default:
      break;
  }
}
