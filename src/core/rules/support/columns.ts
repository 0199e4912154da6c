/** Columns inside `ALTER TABLE`: whether one predates the migration, and where its sub-command is written. */
import { nodeBody, nodeType } from '../../pg/ast';
import { keyOf, rangeVarName } from '../../pg/names';
import type { SourceRange } from '../../types';
import { alterTableCommands, tableProvenance } from '../helpers';
import type { PgNode } from '../../pg/ast';
import type { AnalyzedStatement, MigrationContext } from '../rule';
import { isExistingTable } from '../helpers';

/**
 * Whether `column` of `table` at statement `st` is the column that existed before this migration:
 * the catalog had it, and no earlier statement of this migration dropped it, renamed it away, or
 * renamed another column into its name (a column re-created in the migration holds no old data
 * and is unknown to running code). On a table the migrations do not fully show (none creates it,
 * or a DO block changed it), any column this migration did not add may be an original one.
 */
export function isOriginalColumn(ctx: MigrationContext, st: AnalyzedStatement, table: string, column: string): boolean {
  if (!ctx.before.table(table)?.columns.has(column)) {
    const provenance = tableProvenance(ctx, st, table);
    if (provenance !== 'not-in-history' && provenance !== 'uncertain') return false;
  }
  for (const o of ctx.statements.slice(0, st.index)) {
    for (const { table: t, cmd } of alterTableCommands(o)) {
      if (t === table && cmd.subtype === 'AT_DropColumn' && cmd.name === column) return false;
      if (t === table && cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef?.colname === column) return false;
    }
    if (nodeType(o.sql.node) === 'RenameStmt') {
      const r = nodeBody(o.sql.node);
      if (r.renameType === 'OBJECT_COLUMN' && keyOf(rangeVarName(r.relation)) === table && (r.subname === column || r.newname === column)) return false;
    }
  }
  return true;
}

/**
 * The range of one column's sub-command inside an `ALTER TABLE` (Prisma puts each on its own
 * line), so a finding points at the line that causes it; `prefix` is a regex source ending just
 * before the column name, `suffix` one following it. Falls back to the whole statement.
 */
export function columnCommandRange(ctx: MigrationContext, st: AnalyzedStatement, prefix: string, column: string, suffix = ''): SourceRange | undefined {
  // One pattern per prefix finds every `<prefix> <identifier>`; the identifier is compared in code.
  // (A pattern per column would be compiled by V8 on first use, once per finding: ~0.1 ms each.)
  const heads = pattern(`\\b${prefix}("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)`, 'gi');
  const tail = suffix ? pattern(suffix, 'iy') : null;
  const text = st.sql.text;
  for (const m of text.matchAll(heads)) {
    const written = m[1];
    const name = written.startsWith('"') ? written.slice(1, -1).replace(/""/g, '"') : /^[a-z_][a-z0-9_$]*$/.test(column) ? written.toLowerCase() : null;
    if (name !== column) continue;
    let end = m.index + m[0].length;
    if (tail) {
      tail.lastIndex = end;
      const t = tail.exec(text);
      if (!t) continue;
      end += t[0].length;
    }
    const start = st.sql.range.startOffset + m.index;
    return ctx.parsed.lines.range(start, st.sql.range.startOffset + end);
  }
  return undefined;
}

const PATTERNS = new Map<string, RegExp>();

function pattern(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = PATTERNS.get(key);
  if (!re) PATTERNS.set(key, (re = new RegExp(source, flags)));
  return re;
}

/** The `ADD [COLUMN] [IF NOT EXISTS]` prefix of an added column's sub-command, for its range. */
export const ADD_COLUMN_PREFIX = 'ADD\\s+(?:COLUMN\\s+)?(?:IF\\s+NOT\\s+EXISTS\\s+)?';

/**
 * Every `ADD COLUMN` of the migration on a table that existed before it, except
 * `ADD COLUMN IF NOT EXISTS` of a column that is already there (which does nothing).
 */
export function* columnsAddedToExistingTables(ctx: MigrationContext): Generator<{ st: AnalyzedStatement; table: string; def: PgNode; range: () => SourceRange | undefined }> {
  for (const st of ctx.statements) {
    for (const { table, cmd } of alterTableCommands(st)) {
      if (cmd.subtype !== 'AT_AddColumn') continue;
      const def = cmd.def?.ColumnDef;
      if (!def || !isExistingTable(ctx, st, table)) continue;
      if (cmd.missing_ok && st.catalog.table(table)?.columns.has(def.colname)) continue;
      // The range (a regex over the statement) is only worked out for a column that is reported.
      yield { st, table, def, range: () => columnCommandRange(ctx, st, ADD_COLUMN_PREFIX, def.colname) };
    }
  }
}
