import { nodeBody, nodeType, strings, type PgNode } from '../pg/ast';
import { defaultConstraintName } from '../catalog/apply';
import { keyOf, quoteAlways, rangeVarName, splitKey } from '../pg/names';
import { alterTableCommands, displayTable } from './helpers';
import { defineRule, type AnalyzedStatement } from './rule';

export default defineRule({
  meta: {
    id: 'set-null-on-required-column',
    category: 'referential-action',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ON DELETE SET NULL` / `SET DEFAULT` on a NOT NULL column',
    docs: {
      whatItDoes: 'Flags a foreign key whose `ON DELETE` (or `ON UPDATE`) action is `SET NULL` on a column that is NOT NULL once the migration has run, or `SET DEFAULT` on a NOT NULL column without a default.',
      whyIsThisBad: 'The migration succeeds, but the first delete of a parent row that has children fails at run time with a NOT NULL violation (23502): the action can never be carried out. In Prisma this happens when `onDelete: SetNull` is set on a required relation.',
      setup: 'CREATE TABLE "CashDrawer" ("id" SERIAL NOT NULL, CONSTRAINT "CashDrawer_pkey" PRIMARY KEY ("id"));\nCREATE TABLE "Sale" ("id" SERIAL NOT NULL, "cash_drawer_id" INTEGER NOT NULL, CONSTRAINT "Sale_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Sale" ADD CONSTRAINT "Sale_cash_drawer_id_fkey" FOREIGN KEY ("cash_drawer_id") REFERENCES "CashDrawer"("id") ON DELETE SET NULL ON UPDATE CASCADE;',
      useInstead: '-- Make the relation optional (cashDrawerId Int?) so Prisma drops NOT NULL in the same migration:\nALTER TABLE "Sale" ALTER COLUMN "cash_drawer_id" DROP NOT NULL;\nALTER TABLE "Sale" ADD CONSTRAINT "Sale_cash_drawer_id_fkey" FOREIGN KEY ("cash_drawer_id") REFERENCES "CashDrawer"("id") ON DELETE SET NULL ON UPDATE CASCADE;',
      fixSafety: 'No fix: either the column becomes nullable or the action changes (RESTRICT, CASCADE); both are decisions.',
      references: ['https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK', 'https://www.prisma.io/docs/orm/prisma-schema/data-model/relations/referential-actions#setnull'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      for (const { table, con } of foreignKeysAdded(st)) {
        const name: string | undefined = con.conname;
        const saved = name ? ctx.after.findConstraint(table, name) : undefined;
        if (name && !saved) continue; // dropped again later in this migration
        const t = ctx.after.table(table);
        if (!t || ctx.after.isUncertain(table)) continue;
        const columns: string[] = saved?.columns ?? [];
        for (const [which, code] of [['ON DELETE', con.fk_del_action], ['ON UPDATE', con.fk_upd_action]] as const) {
          if (code !== 'n' && code !== 'd') continue;
          // SET NULL / SET DEFAULT may name a subset of the columns (PostgreSQL 15+).
          const targeted = con.fk_del_set_cols?.length && which === 'ON DELETE' ? (con.fk_del_set_cols as PgNode[]).map((c) => c.String?.sval) : columns;
          const bad = targeted.filter((c: string) => {
            const col = t.columns.get(c);
            return col?.notNull && (code === 'n' || !col.hasDefault);
          });
          if (!bad.length) continue;
          const action = code === 'n' ? 'SET NULL' : 'SET DEFAULT';
          ctx.report({
            statement: st.index,
            message: `${which} ${action} on ${bad.map(quoteAlways).join(', ')} of ${displayTable(table)}, which ${bad.length > 1 ? 'are' : 'is'} NOT NULL${code === 'd' ? ' without a default' : ''}: deleting a referenced row will fail with a NOT NULL violation.`,
            help: code === 'n' ? 'Make the column nullable (an optional relation in schema.prisma), or choose RESTRICT or CASCADE.' : 'Give the column a default, or choose another action.',
          });
        }
      }
    }
  },
});

function foreignKeysAdded(st: AnalyzedStatement): { table: string; con: PgNode }[] {
  const out: { table: string; con: PgNode }[] = [];
  for (const { table, cmd } of alterTableCommands(st)) {
    if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN') out.push({ table, con: cmd.def.Constraint });
    if (cmd.subtype === 'AT_AddColumn') for (const c of cmd.def?.ColumnDef?.constraints ?? []) if (c.Constraint?.contype === 'CONSTR_FOREIGN') out.push({ table, con: { ...c.Constraint, conname: c.Constraint.conname ?? defaultConstraintName(splitKey(table).name, [cmd.def.ColumnDef.colname], 'fkey') } });
  }
  if (nodeType(st.sql.node) === 'CreateStmt') {
    const s = nodeBody(st.sql.node);
    const table = keyOf(rangeVarName(s.relation));
    const name = rangeVarName(s.relation).name;
    for (const elt of s.tableElts ?? []) {
      if (elt.Constraint?.contype === 'CONSTR_FOREIGN') out.push({ table, con: elt.Constraint });
      for (const c of elt.ColumnDef?.constraints ?? []) if (c.Constraint?.contype === 'CONSTR_FOREIGN') out.push({ table, con: { ...c.Constraint, conname: c.Constraint.conname ?? defaultConstraintName(name, [elt.ColumnDef.colname], 'fkey') } });
    }
  }
  // Unnamed table constraints get PostgreSQL's default name.
  return out.map(({ table, con }) => ({ table, con: con.conname ? con : { ...con, conname: defaultConstraintName(splitKey(table).name, strings(con.fk_attrs), 'fkey') } }));
}
