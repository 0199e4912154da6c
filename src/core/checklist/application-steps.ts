/**
 * The application side of a migration, as the hand-written checklists carry it: the code paths
 * an onDelete change alters, the release order for a dropped or renamed column or table
 * (expand / contract), and the backfill a required column needs.
 */
import type { MigrationAnalysis } from '../analysis/analyze-migration';
import type { Catalog } from '../catalog/model';
import { nodeBody, nodeType, strings, type PgNode } from '../pg/ast';
import { displayTable, keyOf, listName, quoteAlways, quoteLiteral, rangeVarName } from '../pg/names';
import { columnTypeOf } from '../pg/types';
import { notNullColumnsOf, onDeleteConsequence } from '../rules/support/referential-actions';
import { alterCmds } from './alter-commands';
import { idPart, type ItemDraft } from './model';

export function applicationSteps(analysis: MigrationAnalysis, before: Catalog): ItemDraft[] {
  const out: ItemDraft[] = [];
  const after = analysis.after;
  for (const st of analysis.parsed.statements) {
    const at = { statementIndex: st.index, line: st.range.start.line, basis: st.text.replace(/\s+/g, ' ').trim() };
    for (const { table, cmd } of alterCmds(st)) {
      if (!before.tables.has(table)) continue;
      const t = displayTable(table);
      switch (cmd.subtype) {
        case 'AT_AddConstraint': {
          const name: string | undefined = cmd.def?.Constraint?.conname;
          const now = name ? after.findConstraint(table, name)?.foreignKey : undefined;
          const was = name ? before.findConstraint(table, name)?.foreignKey : undefined;
          if (!now || !was || was.onDelete === now.onDelete) break;
          const parent = displayTable(now.refTable);
          const refuses = (a: string) => a === 'RESTRICT' || a === 'NO ACTION';
          const notNull = notNullColumnsOf(after, table, now);
          // SET NULL on a NOT NULL column fails the delete (23502); RESTRICT <-> NO ACTION refused it before too.
          const failing = (refuses(now.onDelete) && !refuses(was.onDelete)) || (now.onDelete === 'SET NULL' && notNull.length > 0);
          out.push({
            id: `app.on-delete.${idPart(name!)}`,
            section: 'app',
            title: `Find the code that deletes ${parent} rows and decide what it does now`,
            detail: `ON DELETE goes ${was.onDelete} → ${now.onDelete}: ${onDeleteConsequence(now.onDelete, t, parent, { from: was.onDelete, notNull })}. Look at every delete and deleteMany on the model of ${parent}, raw DELETEs, and cascades from other tables that reach it${failing ? `; such a delete now fails where it used to succeed: delete or reassign the ${t} rows first, or handle the error` : now.onDelete === 'CASCADE' ? `; such a delete now removes ${t} rows too: make sure that is wanted` : ''}.`,
            ...at,
          });
          break;
        }
        case 'AT_DropColumn': {
          const col = before.table(table)?.columns.get(cmd.name);
          if (!col) break;
          out.push({
            id: `app.release-order.${idPart(table)}.${idPart(col.name)}`,
            section: 'app',
            title: `Release first the code that no longer reads or writes ${t}.${quoteAlways(col.name)}`,
            detail: `Instances running the previous Prisma Client select the column by name and fail once it is gone. Expand / contract: release 1 stops using the field (in schema.prisma, @ignore keeps it out of the Client) and is deployed everywhere; this migration ships after it.`,
            ...at,
          });
          break;
        }
        case 'AT_AddColumn': {
          const def = cmd.def?.ColumnDef ?? {};
          const cons: PgNode[] = (def.constraints ?? []).map((c: PgNode) => c.Constraint ?? {});
          const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL');
          const hasDefault = cons.some((c) => c.contype === 'CONSTR_DEFAULT' || c.contype === 'CONSTR_IDENTITY') || columnTypeOf(def.typeName).serial;
          if (!notNull || hasDefault) break;
          const c = quoteAlways(def.colname);
          const type = columnTypeOf(def.typeName).display;
          out.push({
            id: `app.backfill.${idPart(table)}.${idPart(def.colname)}`,
            section: 'app',
            title: `Backfill ${t}.${c} before it becomes required`,
            detail: `On a table with rows this statement fails. Split it: add the column as optional (or with a default), release code that writes it, fill the existing rows, then make it required in a later migration.`,
            code: { lang: 'sql', text: `ALTER TABLE ${t} ADD COLUMN ${c} ${type};\nUPDATE ${t} SET ${c} = <value> WHERE ${c} IS NULL;  -- in batches on a large table\nALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;  -- in the later migration` },
            ...at,
          });
          break;
        }
        case 'AT_SetNotNull': {
          const c = quoteAlways(cmd.name);
          out.push({
            id: `app.backfill.${idPart(table)}.${idPart(cmd.name)}`,
            section: 'app',
            title: `Backfill ${t}.${c} and release code that always sets it`,
            detail: 'The statement fails while any row holds NULL, and writes of NULL from running instances fail after it.',
            code: { lang: 'sql', text: `UPDATE ${t} SET ${c} = <value> WHERE ${c} IS NULL;` },
            ...at,
          });
          break;
        }
      }
    }
    const type = nodeType(st.node);
    const s = nodeBody(st.node);
    if (type === 'RenameStmt' && (s.renameType === 'OBJECT_COLUMN' || s.renameType === 'OBJECT_TABLE')) {
      const table = keyOf(rangeVarName(s.relation));
      if (!before.tables.has(table)) continue;
      const what = s.renameType === 'OBJECT_COLUMN' ? `${displayTable(table)}.${quoteAlways(s.subname)}` : displayTable(table);
      out.push({
        id: `app.release-order.rename.${idPart(table)}${s.subname ? `.${idPart(s.subname)}` : ''}`,
        section: 'app',
        title: `Release order for the rename of ${what}`,
        detail: `Instances running the previous Prisma Client still use the old name and fail after the rename. Either keep the database name and rename only in Prisma (${s.renameType === 'OBJECT_COLUMN' ? '@map' : '@@map'}), or expand / contract: add the new ${s.renameType === 'OBJECT_COLUMN' ? 'column' : 'table'}, write both, copy the data, switch reads, drop the old one in a later release.`,
        ...at,
      });
    }
    if (type === 'DropStmt' && s.removeType === 'OBJECT_TABLE') {
      for (const o of s.objects ?? []) {
        const table = keyOf(listName(o.List?.items));
        if (!before.tables.has(table)) continue;
        out.push({
          id: `app.release-order.${idPart(table)}`,
          section: 'app',
          title: `Release first the code that no longer uses ${displayTable(table)}`,
          detail: 'Instances running the previous Prisma Client query the table and fail once it is gone: release the code without the model everywhere, then this migration.',
          ...at,
        });
      }
    }
    if (type === 'CreateEnumStmt') {
      const n = listName(s.typeName);
      const m = /^(.*)_new$/.exec(n.name);
      const old = m ? before.enums.get(keyOf({ schema: n.schema, name: m[1] })) : undefined;
      if (!old) continue;
      const kept = new Set(strings(s.vals));
      const removed = old.values.filter((v) => !kept.has(v));
      if (!removed.length) continue;
      out.push({
        id: `app.enum-values.${idPart(old.name)}`,
        section: 'app',
        title: `Release first the code that no longer writes ${removed.map(quoteLiteral).join(', ')}, then move the rows that hold ${removed.length === 1 ? 'it' : 'them'}`,
        detail: `The type change fails while any row holds ${removed.length === 1 ? 'the value' : 'one of the values'}, and instances still writing ${removed.length === 1 ? 'it' : 'them'} fail after the deploy. Decide which value those rows get instead.`,
        ...at,
      });
    }
  }
  return out;
}
