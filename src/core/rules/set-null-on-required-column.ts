import { nodeBody, nodeType, strings, type PgNode } from '../pg/ast';
import { defaultConstraintName } from '../catalog/apply';
import { keyOf, quoteAlways, rangeVarName, splitKey } from '../pg/names';
import type { SourceRange } from '../types';
import { alterTableCommands, displayTable, relatedOrigin } from './helpers';
import { defineRule, type AnalyzedStatement, type MigrationContext } from './rule';
import { columnCommandRange } from './support/columns';

export default defineRule({
  meta: {
    id: 'set-null-on-required-column',
    category: 'referential-action',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ON DELETE SET NULL` / `SET DEFAULT` on a NOT NULL column',
    docs: {
      whatItDoes: 'Flags a foreign key whose `ON DELETE` (or `ON UPDATE`) action is `SET NULL` on a column that is NOT NULL once the migration has run, or `SET DEFAULT` on a NOT NULL column without a default; and a later `SET NOT NULL` (or primary key) on a column whose foreign key an earlier migration made `SET NULL`: the combination is judged wherever it arises.',
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
      // The other way round: a column made NOT NULL (SET NOT NULL, or a primary key over it) under
      // a foreign key that an earlier migration gave ON DELETE / ON UPDATE SET NULL.
      for (const { table, columns, range } of columnsMadeNotNull(ctx, st)) {
        const before = ctx.before.table(table);
        const t = ctx.after.table(table);
        if (!before || !t || ctx.after.isUncertain(table)) continue;
        for (const con of before.constraints.values()) {
          const fk = con.foreignKey;
          if (!fk) continue;
          const now = ctx.after.findConstraint(table, con.name)?.foreignKey;
          for (const [which, action] of [['ON DELETE', fk.onDelete], ['ON UPDATE', fk.onUpdate]] as const) {
            if (action !== 'SET NULL' || (which === 'ON DELETE' ? now?.onDelete : now?.onUpdate) !== 'SET NULL') continue;
            const bad = fk.columns.filter((c) => columns.includes(c) && !before.columns.get(c)?.notNull && t.columns.get(c)?.notNull);
            if (!bad.length) continue;
            ctx.report({
              statement: st.index,
              range,
              message: `This makes ${bad.map(quoteAlways).join(', ')} of ${displayTable(table)} NOT NULL, but foreign key ${quoteAlways(con.name)} (from an earlier migration) is ${which} SET NULL on ${bad.length > 1 ? 'them' : 'it'}: from now on, ${which === 'ON DELETE' ? 'deleting' : 'changing the key of'} a ${displayTable(fk.refTable)} row that ${displayTable(table)} rows reference fails with a NOT NULL violation (23502).`,
              help: `Re-create ${quoteAlways(con.name)} with ${which} RESTRICT or CASCADE in this migration (in schema.prisma: a required relation with onDelete Restrict or Cascade), or keep the column nullable.`,
              related: relatedOrigin(ctx, con.origin, `${quoteAlways(con.name)} is ${which} SET NULL here`),
            });
          }
        }
      }
    }
  },
});

/** Columns a statement makes NOT NULL (SET NOT NULL, ADD PRIMARY KEY), with the range of the command. */
function columnsMadeNotNull(ctx: MigrationContext, st: AnalyzedStatement): { table: string; columns: string[]; range: SourceRange | undefined }[] {
  const out: { table: string; columns: string[]; range: SourceRange | undefined }[] = [];
  for (const { table, cmd } of alterTableCommands(st)) {
    if (cmd.subtype === 'AT_SetNotNull' && cmd.name) out.push({ table, columns: [cmd.name], range: columnCommandRange(ctx, st, 'ALTER\\s+(?:COLUMN\\s+)?', cmd.name, '\\s+SET\\s+NOT\\s+NULL') });
    const con = cmd.def?.Constraint;
    if (cmd.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_PRIMARY') out.push({ table, columns: strings(con.keys), range: undefined });
  }
  return out;
}

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
