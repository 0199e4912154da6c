/**
 * Applies one parsed statement to a catalog. Everything Prisma generates is modelled, plus the
 * common hand-written DDL. A statement the catalog cannot model marks what it touches as
 * uncertain, and rules stay quiet about uncertain objects rather than guess. Never throws.
 */
import { nodeBody, nodeType, SCALAR_NODES, strings, walk, type PgNode } from '../pg/ast';
import { DEFAULT_SCHEMA, keyOf, listName, quoteAlways, quoteIdent, rangeVarName, splitKey } from '../pg/names';
import { columnTypeOf } from '../pg/types';
import { readDoBlockText } from '../sql/do-block';
import type { Catalog, Column, Constraint, Index, Origin, Table } from './model';
import { fkActionOf } from './model';

export function applyStatement(catalog: Catalog, node: PgNode | null, origin: Origin, text = ''): void {
  if (!node) return;
  try {
    applyNode(catalog, node, origin, text);
  } catch {
    // A shape we did not expect: lose certainty, never the analysis.
    for (const key of tablesMentioned(catalog, node)) catalog.markUncertain(key);
  }
}

function applyNode(catalog: Catalog, node: PgNode, origin: Origin, text: string): void {
  const type = nodeType(node);
  const s = nodeBody(node);
  switch (type) {
    case 'CreateStmt':
      return createTable(catalog, s, origin);
    case 'AlterTableStmt':
      return alterTable(catalog, s, origin);
    case 'RenameStmt':
      return rename(catalog, s);
    case 'IndexStmt':
      return createIndex(catalog, s, origin);
    case 'DropStmt':
      return drop(catalog, s);
    case 'CreateEnumStmt': {
      const n = listName(s.typeName);
      catalog.setEnum(keyOf(n), { ...n, values: strings(s.vals), origin });
      return;
    }
    case 'AlterEnumStmt':
      return alterEnum(catalog, s);
    case 'CreateSchemaStmt':
      if (s.schemaname) catalog.addSchema(s.schemaname);
      return;
    case 'ViewStmt': {
      const n = rangeVarName(s.view);
      // A query on the view locks the tables the view reads (the rewriter expands it).
      catalog.addTable(keyOf(n), { ...emptyTable(n.schema, n.name, 'view', origin, true), reads: relationsRead(s.query) });
      return;
    }
    case 'CreateTableAsStmt': {
      const n = rangeVarName(s.into?.rel);
      if (s.into?.rel?.relpersistence === 't') return catalog.addOther(`temp-table:${keyOf(n)}`);
      const kind = s.objtype === 'OBJECT_MATVIEW' ? 'materialized-view' : 'table';
      // REFRESH MATERIALIZED VIEW runs the view's query again: it reads these tables.
      catalog.addTable(keyOf(n), { ...emptyTable(n.schema, n.name, kind, origin, true), ...(kind === 'materialized-view' ? { reads: relationsRead(s.query) } : {}) });
      return;
    }
    case 'SelectStmt': {
      // SELECT ... INTO t creates a table, as CREATE TABLE t AS SELECT does.
      const into = s.intoClause?.rel;
      if (!into) return;
      const n = rangeVarName(into);
      if (into.relpersistence === 't') return catalog.addOther(`temp-table:${keyOf(n)}`);
      catalog.addTable(keyOf(n), emptyTable(n.schema, n.name, 'table', origin, true));
      return;
    }
    case 'CreateSeqStmt':
      catalog.addOther(`sequence:${keyOf(rangeVarName(s.sequence))}`);
      return;
    case 'CreateExtensionStmt':
      catalog.addOther(`extension:${s.extname}`);
      return;
    case 'CreateFunctionStmt':
      catalog.addOther(`function:${keyOf(listName(s.funcname))}`);
      return;
    case 'CreateTrigStmt':
      // Known triggers: DROP TRIGGER IF EXISTS locks its table only when the trigger is there.
      catalog.addOther(`trigger:${keyOf(rangeVarName(s.relation))}:${s.trigname}`);
      return;
    case 'DoStmt':
      return applyDoBlock(catalog, node, origin, text);
    case 'CreatePLangStmt':
      return;
    default:
      // Statements without schema effects we model: DML, SET, GRANT, COMMENT, transactions, ...
      return;
  }
}

/**
 * A DO block: the static statements of its body (and the string literals it EXECUTEs) apply as if
 * written in the file. One in an ELSE / CASE branch, a loop or an exception handler may or may not
 * have run: what it touches loses certainty. Dynamic SQL (EXECUTE of a computed string) can change
 * any table the block names, as can a body Preflight cannot read.
 */
function applyDoBlock(catalog: Catalog, node: PgNode, origin: Origin, text: string): void {
  const reading = readDoBlockText(node, text);
  if (!reading || reading.unreadable || reading.dynamic.length) {
    if (SCHEMA_CHANGING.test(text)) for (const key of tablesNamedInText(catalog, text)) catalog.markUncertain(key);
    if (!reading || reading.unreadable) return;
  }
  for (const st of reading.statements) {
    if (st.expression) continue;
    applyStatement(catalog, st.node, origin, st.text);
    if (st.branch === 'alternative') for (const key of tablesMentioned(catalog, st.node)) catalog.markUncertain(key);
  }
}

const SCHEMA_CHANGING = /\b(ALTER|CREATE|DROP|RENAME|TRUNCATE|EXECUTE)\b/i;

function emptyTable(schema: string, name: string, kind: Table['kind'], origin: Origin, uncertain: boolean): Table {
  return { schema, name, kind, columns: new Map(), constraints: new Map(), origin, uncertain };
}

function createTable(catalog: Catalog, s: PgNode, origin: Origin): void {
  const n = rangeVarName(s.relation);
  const key = keyOf(n);
  // Temporary tables live in the session's own schema and vanish with it: not part of the database.
  if (s.relation?.relpersistence === 't') return catalog.addOther(`temp-table:${key}`);
  const existing = catalog.table(key);
  if (existing && s.if_not_exists) return;
  // The table is there (as far as the catalog can tell): PostgreSQL rejects the CREATE (42P07).
  if (existing && !catalog.isUncertain(key)) return;
  const table = emptyTable(n.schema, n.name, s.partspec ? 'partitioned' : 'table', origin, false);
  if (s.inhRelations?.length || s.ofTypename || s.partbound) table.uncertain = true;
  catalog.addTable(key, table);
  for (const elt of s.tableElts ?? []) {
    if (elt.ColumnDef) addColumn(catalog, key, elt.ColumnDef, origin);
    else if (elt.Constraint) addConstraint(catalog, key, elt.Constraint, origin);
    else if (elt.TableLikeClause) table.uncertain = true;
  }
}

function addColumn(catalog: Catalog, tableKey: string, def: PgNode, origin: Origin): void {
  const table = catalog.writableTable(tableKey);
  if (!table) return;
  const type = columnTypeOf(def.typeName);
  const column: Column = {
    name: def.colname,
    type,
    notNull: type.serial || def.is_not_null === true,
    hasDefault: type.serial,
    defaultText: null,
    identity: false,
    generated: false,
  };
  table.columns.set(column.name, column);
  for (const c of def.constraints ?? []) {
    const con = c.Constraint ?? {};
    switch (con.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_NULL':
        column.notNull = false;
        break;
      case 'CONSTR_DEFAULT':
        column.hasDefault = true;
        break;
      case 'CONSTR_IDENTITY':
        column.identity = true;
        column.hasDefault = true;
        column.notNull = true;
        break;
      case 'CONSTR_GENERATED':
        column.generated = true;
        break;
      case 'CONSTR_PRIMARY':
        column.notNull = true;
        addConstraint(catalog, tableKey, { ...con, keys: [{ String: { sval: column.name } }] }, origin);
        break;
      case 'CONSTR_UNIQUE':
        addConstraint(catalog, tableKey, { ...con, keys: [{ String: { sval: column.name } }] }, origin);
        break;
      case 'CONSTR_FOREIGN':
        addConstraint(catalog, tableKey, { ...con, fk_attrs: [{ String: { sval: column.name } }] }, origin);
        break;
      case 'CONSTR_CHECK':
        addConstraint(catalog, tableKey, { ...con, keys: [{ String: { sval: column.name } }], columnCheck: true }, origin);
        break;
    }
  }
}

/** PostgreSQL's default constraint names (ChooseConstraintName), truncated to 63 bytes. */
export function defaultConstraintName(table: string, columns: string[], suffix: string): string {
  const base = columns.length ? `${table}_${columns.join('_')}` : table;
  return truncateIdentifier(`${base}`, 63 - suffix.length - 1) + `_${suffix}`;
}

function truncateIdentifier(name: string, maxBytes: number): string {
  let out = name;
  while (Buffer.byteLength(out, 'utf8') > maxBytes) out = out.slice(0, -1);
  return out;
}

function addConstraint(catalog: Catalog, tableKey: string, con: PgNode, origin: Origin): void {
  const table = catalog.writableTable(tableKey);
  if (!table) return;
  const keys = strings(con.keys);
  const validated = con.skip_validation !== true;
  switch (con.contype) {
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      const primary = con.contype === 'CONSTR_PRIMARY';
      let columns = keys;
      let name: string = con.conname ?? (primary ? `${table.name}_pkey` : defaultConstraintName(table.name, keys, 'key'));
      if (con.indexname) {
        // ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's, renamed to it.
        const ixKey = keyOf({ schema: table.schema, name: con.indexname });
        const ix = catalog.indexes.get(ixKey);
        columns = (ix?.columns.filter((c): c is string => c !== null) ?? []);
        name = con.conname ?? con.indexname;
        catalog.deleteIndex(ixKey);
      }
      if (primary) for (const c of columns) { const col = table.columns.get(c); if (col) col.notNull = true; }
      table.constraints.set(name, { name, type: primary ? 'primary' : 'unique', columns, validated: true, origin });
      catalog.setIndex(keyOf({ schema: table.schema, name }), {
        schema: table.schema, name, table: tableKey, columns, unique: true, partial: false, valid: true, constraint: true, origin,
      });
      return;
    }
    case 'CONSTR_FOREIGN': {
      const columns = strings(con.fk_attrs);
      const ref = rangeVarName(con.pktable);
      const refKey = keyOf(ref);
      let refColumns = strings(con.pk_attrs);
      if (refColumns.length === 0) {
        const pk = [...(catalog.table(refKey)?.constraints.values() ?? [])].find((c) => c.type === 'primary');
        refColumns = pk?.columns ?? [];
      }
      const name: string = con.conname ?? defaultConstraintName(table.name, columns, 'fkey');
      table.constraints.set(name, {
        name, type: 'foreign', columns, validated, origin,
        foreignKey: { columns, refTable: refKey, refColumns, onDelete: fkActionOf(con.fk_del_action), onUpdate: fkActionOf(con.fk_upd_action) },
      });
      return;
    }
    case 'CONSTR_CHECK': {
      const name: string = con.conname ?? defaultConstraintName(table.name, con.columnCheck ? keys : [], 'check');
      const columns = con.columnCheck ? keys : columnsReferenced(con.raw_expr);
      const expression = notNullCheckExpression(con.raw_expr);
      table.constraints.set(name, { name, type: 'check', columns, validated, ...(expression ? { expression } : {}), origin });
      return;
    }
    case 'CONSTR_EXCLUSION': {
      // EXCLUDE USING gist ("room" WITH =, "during" WITH &&): backed by an index of the same name.
      const columns: (string | null)[] = (con.exclusions ?? []).map((pair: PgNode) => {
        const items: PgNode[] = pair?.List?.items ?? (Array.isArray(pair) ? pair : []);
        return items[0]?.IndexElem ? (items[0].IndexElem.name ?? null) : null;
      });
      const name: string = con.conname ?? defaultConstraintName(table.name, columns.map((c) => c ?? 'expr'), 'excl');
      table.constraints.set(name, { name, type: 'exclusion', columns: columns.filter((c): c is string => c !== null), validated: true, origin });
      catalog.setIndex(keyOf({ schema: table.schema, name }), {
        schema: table.schema, name, table: tableKey, columns, unique: false, partial: con.where_clause !== undefined, valid: true, constraint: true, origin,
      });
      return;
    }
    case 'CONSTR_NOTNULL': {
      for (const c of keys) { const col = table.columns.get(c); if (col) col.notNull = true; }
      return;
    }
    default:
      table.uncertain = true;
  }
}

/** Columns a check expression names (as `pg_constraint.conkey` lists them). */
function columnsReferenced(expr: unknown): string[] {
  const out = new Set<string>();
  walk(expr, (key, value) => {
    if (key !== 'ColumnRef') return;
    const fields = strings(value.fields);
    if (fields.length) out.add(fields[fields.length - 1]);
  });
  return [...out];
}

/**
 * `"col" IS NOT NULL` for a check that is exactly that test (what lets `SET NOT NULL` skip its
 * scan once validated); undefined for any other expression.
 */
function notNullCheckExpression(expr: PgNode | undefined): string | undefined {
  const test = expr?.NullTest;
  if (!test || test.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = strings(test.arg?.ColumnRef?.fields);
  return fields.length === 1 ? notNullCheckText(fields[0]) : undefined;
}

function notNullCheckText(column: string): string {
  return `${quoteAlways(column)} IS NOT NULL`;
}

function alterTable(catalog: Catalog, s: PgNode, origin: Origin): void {
  const n = rangeVarName(s.relation);
  const key = keyOf(n);
  if (s.objtype && s.objtype !== 'OBJECT_TABLE' && s.objtype !== 'OBJECT_FOREIGN_TABLE') {
    if (s.objtype === 'OBJECT_INDEX') return; // ALTER INDEX ... SET (...) etc.
    return;
  }
  if (!catalog.table(key)) {
    if (!s.missing_ok) catalog.markUncertain(key);
    return;
  }
  const table = catalog.writableTable(key)!;
  for (const item of s.cmds ?? []) {
    const cmd = item.AlterTableCmd ?? {};
    const colName: string | undefined = cmd.name;
    const col = colName !== undefined ? table.columns.get(colName) : undefined;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = cmd.def?.ColumnDef;
        if (!def) break;
        if (table.columns.has(def.colname) && cmd.missing_ok) break;
        addColumn(catalog, key, def, origin);
        break;
      }
      case 'AT_DropColumn':
        if (colName !== undefined) dropColumn(catalog, key, colName);
        break;
      case 'AT_AlterColumnType':
        if (col) col.type = columnTypeOf(cmd.def?.ColumnDef?.typeName);
        else table.uncertain = true;
        break;
      case 'AT_ColumnDefault':
        if (col) col.hasDefault = cmd.def !== undefined;
        break;
      case 'AT_SetNotNull':
        if (col) col.notNull = true;
        break;
      case 'AT_DropNotNull':
        if (col) col.notNull = false;
        break;
      case 'AT_AddIdentity':
        if (col) { col.identity = true; col.hasDefault = true; col.notNull = true; }
        break;
      case 'AT_DropIdentity':
        if (col) { col.identity = false; col.hasDefault = false; }
        break;
      case 'AT_AddConstraint':
        if (cmd.def?.Constraint) addConstraint(catalog, key, cmd.def.Constraint, origin);
        break;
      case 'AT_DropConstraint':
        if (colName !== undefined) {
          const con = table.constraints.get(colName);
          table.constraints.delete(colName);
          if (con?.foreignKey) table.droppedForeignKeys = { ...table.droppedForeignKeys, [colName]: origin };
          if (con && (con.type === 'primary' || con.type === 'unique')) catalog.deleteIndex(keyOf({ schema: table.schema, name: colName }));
        }
        break;
      case 'AT_ValidateConstraint': {
        const con = colName !== undefined ? table.constraints.get(colName) : undefined;
        if (con) con.validated = true;
        break;
      }
      case 'AT_AlterConstraint':
      case 'AT_SetStatistics':
      case 'AT_SetOptions':
      case 'AT_ResetOptions':
      case 'AT_SetStorage':
      case 'AT_SetCompression':
      case 'AT_SetRelOptions':
      case 'AT_ResetRelOptions':
      case 'AT_ReplaceRelOptions':
      case 'AT_EnableRowSecurity':
      case 'AT_DisableRowSecurity':
      case 'AT_ForceRowSecurity':
      case 'AT_NoForceRowSecurity':
      case 'AT_EnableTrig':
      case 'AT_DisableTrig':
      case 'AT_EnableAlwaysTrig':
      case 'AT_EnableReplicaTrig':
      case 'AT_EnableTrigAll':
      case 'AT_DisableTrigAll':
      case 'AT_EnableTrigUser':
      case 'AT_DisableTrigUser':
      case 'AT_ChangeOwner':
      case 'AT_ReplicaIdentity':
      case 'AT_ClusterOn':
      case 'AT_DropCluster':
      case 'AT_SetLogged':
      case 'AT_SetUnLogged':
      case 'AT_SetIdentity':
      case 'AT_AttachPartition':
      case 'AT_DetachPartition':
      case 'AT_DetachPartitionFinalize':
      case 'AT_SetAccessMethod':
      case 'AT_SetTableSpace':
        break;
      default:
        table.uncertain = true;
    }
  }
}

function dropColumn(catalog: Catalog, tableKey: string, column: string): void {
  const table = catalog.writableTable(tableKey);
  if (!table) return;
  table.columns.delete(column);
  for (const [name, con] of table.constraints) if (con.columns.includes(column)) table.constraints.delete(name);
  for (const [ixKey, ix] of catalog.indexEntriesOf(tableKey)) if (ix.columns.includes(column)) catalog.deleteIndex(ixKey);
}

function rename(catalog: Catalog, s: PgNode): void {
  const newname: string = s.newname;
  switch (s.renameType) {
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_FOREIGN_TABLE': {
      const n = rangeVarName(s.relation);
      const oldKey = keyOf(n);
      const table = catalog.writableTable(oldKey);
      if (!table) {
        if (!s.missing_ok) catalog.markUncertain(keyOf({ schema: n.schema, name: newname }));
        return;
      }
      const newKey = keyOf({ schema: n.schema, name: newname });
      catalog.deleteTable(oldKey);
      table.name = newname;
      catalog.addTable(newKey, table);
      for (const [k, ix] of catalog.indexEntriesOf(oldKey)) catalog.setIndex(k, { ...ix, table: newKey });
      for (const ref of catalog.referencingForeignKeys(oldKey)) {
        const t = catalog.writableTable(ref.table)!;
        const con = t.constraints.get(ref.constraint.name)!;
        con.foreignKey = { ...con.foreignKey!, refTable: newKey };
      }
      return;
    }
    case 'OBJECT_COLUMN': {
      const key = keyOf(rangeVarName(s.relation));
      const table = catalog.writableTable(key);
      const col = table?.columns.get(s.subname);
      if (!table || !col) {
        if (table) table.uncertain = true;
        return;
      }
      const old: string = s.subname;
      table.columns.delete(old);
      col.name = newname;
      table.columns.set(newname, col);
      const swap = (cols: (string | null)[]) => cols.map((c) => (c === old ? newname : c));
      for (const con of table.constraints.values()) {
        con.columns = swap(con.columns) as string[];
        if (con.expression === notNullCheckText(old)) con.expression = notNullCheckText(newname);
        if (con.foreignKey) con.foreignKey = { ...con.foreignKey, columns: con.columns };
      }
      for (const [k, ix] of catalog.indexEntriesOf(key)) if (ix.columns.includes(old)) catalog.setIndex(k, { ...ix, columns: swap(ix.columns) });
      for (const ref of catalog.referencingForeignKeys(key)) {
        const t = catalog.writableTable(ref.table)!;
        const con = t.constraints.get(ref.constraint.name)!;
        con.foreignKey = { ...con.foreignKey!, refColumns: swap(con.foreignKey!.refColumns) as string[] };
      }
      return;
    }
    case 'OBJECT_INDEX': {
      const n = rangeVarName(s.relation);
      const oldKey = keyOf(n);
      const ix = catalog.indexes.get(oldKey);
      if (!ix) return;
      catalog.deleteIndex(oldKey);
      catalog.setIndex(keyOf({ schema: n.schema, name: newname }), { ...ix, name: newname });
      if (ix.constraint) renameConstraint(catalog, ix.table, n.name, newname);
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const key = keyOf(rangeVarName(s.relation));
      const table = catalog.table(key);
      const con = table?.constraints.get(s.subname);
      if (!table || !con) return;
      renameConstraint(catalog, key, s.subname, newname);
      if (con.type === 'primary' || con.type === 'unique') {
        const ixKey = keyOf({ schema: table.schema, name: s.subname });
        const ix = catalog.indexes.get(ixKey);
        if (ix) {
          catalog.deleteIndex(ixKey);
          catalog.setIndex(keyOf({ schema: table.schema, name: newname }), { ...ix, name: newname });
        }
      }
      return;
    }
    case 'OBJECT_TYPE': {
      const n = listName(s.object?.List?.items ?? s.object);
      const e = catalog.enums.get(keyOf(n));
      if (!e) return;
      catalog.deleteEnum(keyOf(n));
      catalog.setEnum(keyOf({ schema: n.schema, name: newname }), { ...e, name: newname });
      renameTypeInColumns(catalog, keyOf(n), keyOf({ schema: n.schema, name: newname }));
      return;
    }
    case 'OBJECT_SCHEMA': {
      catalog.deleteSchema(s.subname);
      catalog.addSchema(newname);
      return;
    }
    default:
      return;
  }
}

function renameConstraint(catalog: Catalog, tableKey: string, oldName: string, newName: string): void {
  const table = catalog.writableTable(tableKey);
  const con = table?.constraints.get(oldName);
  if (!table || !con) return;
  table.constraints.delete(oldName);
  con.name = newName;
  table.constraints.set(newName, con);
}

/** Columns keep pointing at a type by its OID, so a renamed type is renamed in every column. */
function renameTypeInColumns(catalog: Catalog, oldBase: string, newBase: string): void {
  const { schema, name } = splitKey(newBase);
  for (const [key, t] of catalog.tables) {
    const hit = [...t.columns.values()].some((c) => c.type.base === oldBase);
    if (!hit) continue;
    const table = catalog.writableTable(key)!;
    for (const c of table.columns.values()) {
      if (c.type.base !== oldBase) continue;
      // As format_type() shows it: quoted only where PostgreSQL needs quotes.
      const shown = schema === DEFAULT_SCHEMA ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
      c.type = { ...c.type, base: newBase, display: shown + (c.type.array ? '[]' : '') };
    }
  }
}

function createIndex(catalog: Catalog, s: PgNode, origin: Origin): void {
  const rel = rangeVarName(s.relation);
  const tableKey = keyOf(rel);
  const table = catalog.table(tableKey);
  const columns: (string | null)[] = (s.indexParams ?? []).map((p: PgNode) => p.IndexElem?.name ?? null);
  const name: string = s.idxname ?? defaultIndexName(rel.name, columns, s.unique === true);
  const key = keyOf({ schema: rel.schema, name });
  if (catalog.indexes.has(key) && s.if_not_exists) return;
  if (!table) catalog.markUncertain(tableKey);
  catalog.setIndex(key, {
    schema: rel.schema, name, table: tableKey, columns, unique: s.unique === true, partial: s.whereClause !== undefined,
    valid: true, constraint: false, origin,
  });
}

function defaultIndexName(table: string, columns: (string | null)[], unique: boolean): string {
  const cols = columns.map((c) => c ?? 'expr');
  return defaultConstraintName(table, cols, unique ? 'key' : 'idx');
}

function drop(catalog: Catalog, s: PgNode): void {
  const objects: PgNode[] = s.objects ?? [];
  for (const obj of objects) {
    switch (s.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_FOREIGN_TABLE': {
        const key = keyOf(listName(obj.List?.items));
        if (!catalog.table(key)) continue;
        catalog.deleteTable(key);
        for (const [k] of catalog.indexEntriesOf(key)) catalog.deleteIndex(k);
        for (const ref of catalog.referencingForeignKeys(key)) catalog.writableTable(ref.table)?.constraints.delete(ref.constraint.name);
        break;
      }
      case 'OBJECT_INDEX': {
        catalog.deleteIndex(keyOf(listName(obj.List?.items)));
        break;
      }
      case 'OBJECT_TYPE':
      case 'OBJECT_DOMAIN': {
        catalog.deleteEnum(keyOf(listName(obj.TypeName?.names)));
        break;
      }
      case 'OBJECT_SCHEMA': {
        const schema = obj.String?.sval;
        if (!schema) break;
        catalog.deleteSchema(schema);
        for (const k of [...catalog.tables.keys()]) if (k.startsWith(`${schema}.`)) catalog.deleteTable(k);
        for (const k of [...catalog.indexes.keys()]) if (k.startsWith(`${schema}.`)) catalog.deleteIndex(k);
        for (const k of [...catalog.enums.keys()]) if (k.startsWith(`${schema}.`)) catalog.deleteEnum(k);
        break;
      }
      case 'OBJECT_TRIGGER': {
        const parts = strings(obj.List?.items);
        const table = keyOf(listName(parts.slice(0, -1).map((sval) => ({ String: { sval } }))));
        catalog.deleteOther(`trigger:${table}:${parts[parts.length - 1]}`);
        break;
      }
      case 'OBJECT_SEQUENCE':
        catalog.deleteOther(`sequence:${keyOf(listName(obj.List?.items))}`);
        break;
      default:
        break;
    }
  }
}

function alterEnum(catalog: Catalog, s: PgNode): void {
  const n = listName(s.typeName);
  const e = catalog.enums.get(keyOf(n));
  if (!e) {
    catalog.markUncertain(keyOf(n));
    return;
  }
  const values = [...e.values];
  if (s.oldVal !== undefined) {
    const i = values.indexOf(s.oldVal);
    if (i >= 0) values[i] = s.newVal;
  } else if (s.newVal !== undefined) {
    if (values.includes(s.newVal)) return;
    const at = s.newValNeighbor !== undefined ? values.indexOf(s.newValNeighbor) : -1;
    if (at < 0) values.push(s.newVal);
    else values.splice(s.newValIsAfter === false || s.newValIsAfter === undefined ? at : at + 1, 0, s.newVal);
  }
  catalog.setEnum(keyOf(n), { ...e, values });
}

/** `schema.name` of every relation a query names, WITH-clause names excluded (for views). */
function relationsRead(query: unknown): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, ctes: ReadonlySet<string>): void => {
    if (Array.isArray(v)) return v.forEach((x) => visit(x, ctes));
    if (!v || typeof v !== 'object') return;
    const o = v as PgNode;
    const withClause = o.withClause?.WithClause ?? o.withClause;
    const scope = withClause?.ctes ? new Set([...ctes, ...withClause.ctes.map((c: PgNode) => c.CommonTableExpr?.ctename).filter(Boolean)]) : ctes;
    if (typeof o.relname === 'string' && o.inh !== undefined && !(o.schemaname === undefined && scope.has(o.relname))) out.add(keyOf(rangeVarName(o)));
    for (const k in o) {
      const val = o[k];
      if (val !== null && typeof val === 'object' && !SCALAR_NODES.has(k)) visit(val, scope);
    }
  };
  visit(query, new Set());
  return [...out];
}

/** Tables of the catalog that a node names through RangeVars. */
export function tablesMentioned(catalog: Catalog, node: unknown): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as PgNode;
      if (typeof o.relname === 'string') {
        const key = keyOf(rangeVarName(o));
        if (catalog.table(key)) out.add(key);
      }
      for (const k in o) {
        const val = o[k];
        if (val !== null && typeof val === 'object') visit(val);
      }
    }
  };
  visit(node);
  return [...out];
}

function tablesNamedInText(catalog: Catalog, text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  // `\bname\b` for a name of word characters only is one of the text's maximal words: look those
  // up in a set instead of compiling a regex per table.
  const words = new Set(lower.match(/[a-z0-9_]+/g));
  for (const [key, t] of catalog.tables) {
    const name = t.name.toLowerCase();
    const named = /^[a-z0-9_]+$/.test(name) ? words.has(name) : new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(lower);
    if (named || text.includes(`"${t.name}"`)) out.push(key);
  }
  return out;
}

/** Convenience for rules: the index created by an `IndexStmt`, as the catalog would record it. */
export function indexKeyOf(s: PgNode): string {
  const rel = rangeVarName(s.relation);
  const columns: (string | null)[] = (s.indexParams ?? []).map((p: PgNode) => p.IndexElem?.name ?? null);
  return keyOf({ schema: rel.schema, name: s.idxname ?? defaultIndexName(rel.name, columns, s.unique === true) });
}

export type { Constraint, Index };
