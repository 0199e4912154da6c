/**
 * What a statement does to tables: the strongest lock it takes on each (named as pg_locks names
 * them), which tables it rewrites, and which of them did not exist before the migration.
 * Lock modes follow PostgreSQL 18 (see the "Explicit Locking" chapter and each command's page);
 * the dry run (src/core/trace) checks these claims against what PostgreSQL actually takes.
 */
import { applyStatement } from '../catalog/apply';
import type { Catalog, Origin } from '../catalog/model';
import { calledFunctions, nodeBody, nodeType, SCALAR_NODES, strings, type PgNode } from '../pg/ast';
import { keyOf, listName, rangeVarName } from '../pg/names';
import { columnTypeOf, typeChangeKind } from '../pg/types';
import { readDoBlockText, type RelativeStatement } from '../sql/do-block';
import { parseRaw } from '../sql/parser';
import { lockRank, type LockMode, type StatementFacts } from '../types';

export function strongerLock(a: LockMode, b: LockMode): LockMode {
  return lockRank(a) >= lockRank(b) ? a : b;
}

/** Volatile functions: a column default calling one forces a table rewrite on ADD COLUMN. */
const VOLATILE = new Set([
  'random', 'gen_random_uuid', 'uuid_generate_v4', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuidv4', 'uuidv7',
  'clock_timestamp', 'timeofday', 'nextval', 'setseed', 'txid_current', 'gen_random_bytes', 'random_normal',
]);

export function isVolatileExpression(expr: unknown): boolean {
  return calledFunctions(expr).some((f) => VOLATILE.has(f));
}

class Facts {
  readonly locks = new Map<string, LockMode>();
  readonly rewrites = new Set<string>();
  uncertain = false;

  lock(table: string, mode: LockMode): void {
    const prev = this.locks.get(table);
    this.locks.set(table, prev ? strongerLock(prev, mode) : mode);
  }
}

/**
 * @param catalog the database just before this statement
 * @param existedBefore whether a table existed before the migration began
 * @param text the statement's text (a DO block is read from it)
 */
export function statementFacts(node: PgNode | null, catalog: Catalog, existedBefore: (table: string) => boolean, text?: string): StatementFacts {
  if (text !== undefined && nodeType(node) === 'DoStmt') {
    const body = doBlockFacts(node, text, catalog, existedBefore);
    if (body) return body.facts;
  }
  const kind = nodeType(node) || 'Invalid';
  const f = new Facts();
  if (node) {
    try {
      collect(node, catalog, f);
    } catch {
      f.uncertain = true;
    }
  }
  const locks = [...f.locks].map(([table, mode]) => ({ table, mode }));
  const touched = new Set([...f.locks.keys(), ...f.rewrites]);
  return {
    kind,
    locks,
    rewrites: [...f.rewrites],
    newTables: [...touched].filter((t) => !existedBefore(t)),
    ...(f.uncertain ? { uncertain: true } : {}),
  };
}

/** One statement of a DO block's body with its facts and the database just before it. */
export interface DoBodyStatementFacts {
  statement: RelativeStatement;
  facts: StatementFacts;
  catalog: Catalog;
}

/**
 * A DO block's facts: those of the statements of its body (and of the string literals it
 * EXECUTEs), each on the database the statements before it leave. A lock taken only in a branch
 * is marked `may`. Dynamic SQL, or a body Preflight cannot read, leaves the facts uncertain, with
 * the reason. Null for any other statement.
 */
export function doBlockFacts(node: PgNode | null, text: string, catalog: Catalog, existedBefore: (table: string) => boolean, origin: Origin = { migration: '', statementIndex: -1 }): { facts: StatementFacts; inner: DoBodyStatementFacts[] } | null {
  const reading = readDoBlockText(node, text);
  if (!reading) return null;
  const current = catalog.fork();
  const inner: DoBodyStatementFacts[] = [];
  const certain = new Map<string, LockMode>();
  const maybe = new Map<string, LockMode>();
  const rewrites = new Set<string>();
  let uncertain = false;
  for (const statement of reading.statements) {
    const snapshot = current.fork();
    const facts = statementFacts(statement.node, snapshot, existedBefore, statement.text);
    inner.push({ statement, facts, catalog: snapshot });
    const into = statement.branch === 'always' ? certain : maybe;
    for (const l of facts.locks) {
      const prev = into.get(l.table);
      into.set(l.table, prev ? strongerLock(prev, l.mode) : l.mode);
    }
    for (const t of facts.rewrites) rewrites.add(t);
    if (facts.uncertain) uncertain = true;
    if (!statement.expression) applyStatement(current, statement.node, origin, statement.text);
  }
  const locks: StatementFacts['locks'] = [];
  for (const table of new Set([...certain.keys(), ...maybe.keys()])) {
    const c = certain.get(table);
    const m = maybe.get(table);
    if (c && (!m || lockRank(c) >= lockRank(m))) locks.push({ table, mode: c });
    else locks.push({ table, mode: m!, may: true });
  }
  const touched = new Set([...locks.map((l) => l.table), ...rewrites]);
  const reason = reading.unreadable
    ? `${reading.unreadable}: Preflight cannot tell what it locks or changes`
    : reading.dynamic.length
      ? `the DO block runs dynamic SQL (EXECUTE of ${reading.dynamic.map((d) => d.text.replace(/\s+/g, ' ').slice(0, 60)).join('; ')}), which Preflight cannot read ahead: what it locks or changes is not known`
      : uncertain
        ? 'a statement of the DO block touches something the migrations do not show'
        : null;
  return {
    facts: {
      kind: 'DoStmt',
      locks,
      rewrites: [...rewrites],
      newTables: [...touched].filter((t) => !existedBefore(t)),
      ...(reason ? { uncertain: true, uncertainReason: reason } : {}),
    },
    inner,
  };
}

function collect(node: PgNode, catalog: Catalog, f: Facts): void {
  const s = nodeBody(node);
  switch (nodeType(node)) {
    case 'CreateStmt': {
      const key = keyOf(rangeVarName(s.relation));
      if (s.relation?.relpersistence !== 't') f.lock(key, 'AccessExclusiveLock');
      for (const elt of s.tableElts ?? []) {
        const cons: PgNode[] = elt.Constraint ? [elt.Constraint] : (elt.ColumnDef?.constraints ?? []).map((c: PgNode) => c.Constraint);
        for (const c of cons) if (c?.contype === 'CONSTR_FOREIGN') f.lock(keyOf(rangeVarName(c.pktable)), 'ShareRowExclusiveLock');
      }
      for (const inh of s.inhRelations ?? []) if (inh.RangeVar) f.lock(keyOf(rangeVarName(inh.RangeVar)), s.partbound ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock');
      return;
    }
    case 'AlterTableStmt':
      return alterTable(s, catalog, f);
    case 'IndexStmt': {
      const key = keyOf(rangeVarName(s.relation));
      f.lock(key, s.concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
      return;
    }
    case 'DropStmt':
      return drop(s, catalog, f);
    case 'RenameStmt': {
      // ALTER INDEX ... RENAME locks only the index (SHARE UPDATE EXCLUSIVE), not its table.
      if (s.renameType === 'OBJECT_INDEX') return;
      if (s.relation) f.lock(keyOf(rangeVarName(s.relation)), 'AccessExclusiveLock');
      return;
    }
    case 'TruncateStmt':
      for (const r of s.relations ?? []) {
        const key = keyOf(rangeVarName(r.RangeVar));
        f.lock(key, 'AccessExclusiveLock');
        f.rewrites.add(key);
      }
      return;
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      queryLocks(node, catalog, f);
      return;
    case 'SelectStmt':
      if (s.intoClause?.rel && s.intoClause.rel.relpersistence !== 't') f.lock(keyOf(rangeVarName(s.intoClause.rel)), 'AccessExclusiveLock');
      queryLocks(node, catalog, f);
      return;
    case 'AlterSeqStmt': {
      // OWNED BY "T"."c" reads the table's definition.
      const owned = (s.options ?? []).find((o: PgNode) => o.DefElem?.defname === 'owned_by')?.DefElem?.arg;
      const parts = strings(owned?.List?.items ?? owned);
      if (parts.length >= 2) {
        const key = keyOf(listName(parts.slice(0, -1).map((p) => ({ String: { sval: p } }))));
        if (catalog.table(key)) f.lock(key, 'AccessShareLock');
      }
      return;
    }
    case 'CreateTrigStmt':
      f.lock(keyOf(rangeVarName(s.relation)), 'ShareRowExclusiveLock');
      return;
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      f.lock(keyOf(rangeVarName(s.table)), 'AccessExclusiveLock');
      return;
    case 'ReindexStmt': {
      const concurrent = (s.params ?? []).some((p: PgNode) => p.DefElem?.defname === 'concurrently');
      if (s.kind === 'REINDEX_OBJECT_TABLE' && s.relation) f.lock(keyOf(rangeVarName(s.relation)), concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
      else if (s.kind === 'REINDEX_OBJECT_INDEX' && s.relation) {
        const ix = catalog.indexes.get(keyOf(rangeVarName(s.relation)));
        if (ix) f.lock(ix.table, concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
        else f.uncertain = true;
      } else f.uncertain = true;
      return;
    }
    case 'VacuumStmt': {
      const full = (s.options ?? []).some((o: PgNode) => o.DefElem?.defname === 'full');
      for (const r of s.rels ?? []) {
        const rel = r.VacuumRelation?.relation;
        if (!rel) continue;
        const key = keyOf(rangeVarName(rel));
        f.lock(key, full ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock');
        if (full) f.rewrites.add(key);
      }
      return;
    }
    case 'ClusterStmt':
      if (s.relation) {
        const key = keyOf(rangeVarName(s.relation));
        f.lock(key, 'AccessExclusiveLock');
        f.rewrites.add(key);
      }
      return;
    case 'LockStmt': {
      const modes: LockMode[] = ['AccessShareLock', 'AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];
      for (const r of s.relations ?? []) f.lock(keyOf(rangeVarName(r.RangeVar)), modes[s.mode ?? 8] ?? 'AccessExclusiveLock');
      return;
    }
    case 'CommentStmt':
      if (s.objtype === 'OBJECT_TABLE' || s.objtype === 'OBJECT_COLUMN' || s.objtype === 'OBJECT_VIEW' || s.objtype === 'OBJECT_MATVIEW' || s.objtype === 'OBJECT_FOREIGN_TABLE') {
        const parts = strings(s.object?.List?.items);
        const n = s.objtype === 'OBJECT_COLUMN' ? listName(parts.slice(0, -1).map((p) => ({ String: { sval: p } }))) : listName(s.object?.List?.items);
        f.lock(keyOf(n), 'ShareUpdateExclusiveLock');
      }
      return;
    case 'RefreshMatViewStmt': {
      const key = keyOf(rangeVarName(s.relation));
      f.lock(key, s.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock');
      f.rewrites.add(key);
      // It runs the view's query again: ACCESS SHARE on every table it reads (through views).
      const seen = new Set<string>([key]);
      const read = (table: string): void => {
        if (seen.has(table)) return;
        seen.add(table);
        const t = catalog.table(table);
        if (!t || isTempTable(catalog, table)) return;
        f.lock(table, 'AccessShareLock');
        if (t.kind === 'view') for (const dep of t.reads ?? []) read(dep);
      };
      for (const dep of catalog.table(key)?.reads ?? []) read(dep);
      return;
    }
    case 'ViewStmt':
      f.lock(keyOf(rangeVarName(s.view)), 'AccessExclusiveLock');
      // Defining a view only parses its query: the views it names are locked, not expanded.
      queryLocks(s.query, catalog, f, { expandViews: false });
      return;
    case 'CreateTableAsStmt':
      if (s.into?.rel?.relpersistence !== 't') f.lock(keyOf(rangeVarName(s.into?.rel)), 'AccessExclusiveLock');
      queryLocks(s.query, catalog, f);
      return;
    case 'DoStmt':
      f.uncertain = true;
      return;
    case 'CreateFunctionStmt':
      return sqlFunctionBodyLocks(s, catalog, f);
    default:
      return;
  }
}

/**
 * Locks of a query, as the executor takes them: ROW EXCLUSIVE on every table it writes (also in
 * WITH clauses), ROW SHARE on tables read `FOR UPDATE/SHARE`, ACCESS SHARE on every other table it
 * reads — through views, whose own tables are locked when the query is rewritten. Writes also run
 * foreign-key triggers for the rows they touch (see `foreignKeyTriggerLocks`).
 */
function queryLocks(root: unknown, catalog: Catalog, f: Facts, options: { expandViews?: boolean } = {}): void {
  const expandViews = options.expandViews !== false;
  const read = new Set<string>();
  const visit = (v: unknown, ctes: ReadonlySet<string>): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x, ctes);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as PgNode;
    // Names a WITH clause defines hide tables of the same name inside its query.
    let scope = ctes;
    const withClause = o.withClause?.WithClause ?? o.withClause;
    if (withClause?.ctes) {
      scope = new Set([...ctes, ...withClause.ctes.map((c: PgNode) => c.CommonTableExpr?.ctename).filter(Boolean)]);
    }
    for (const k in o) {
      const val = o[k];
      if (val === null || typeof val !== 'object' || SCALAR_NODES.has(k)) continue;
      if (k === 'InsertStmt' || k === 'UpdateStmt' || k === 'DeleteStmt' || k === 'MergeStmt') {
        const body = val as PgNode;
        const target = keyOf(rangeVarName(body.relation));
        if (!isTempTable(catalog, target)) {
          f.lock(target, 'RowExclusiveLock');
          foreignKeyTriggerLocks(k, body, target, catalog, f);
        }
        const { relation: _target, ...rest } = body;
        visit(rest, scope);
        continue;
      }
      if (k === 'SelectStmt' && (val as PgNode)?.lockingClause) {
        for (const lc of (val as PgNode).lockingClause as PgNode[]) {
          const rels: PgNode[] = lc.LockingClause?.lockedRels ?? [];
          if (rels.length) for (const rv of rels) rv.RangeVar && lockForUpdate(rangeVarKey(rv.RangeVar));
          // FOR UPDATE without OF: every table of this query level's FROM list.
          else fromTables((val as PgNode).fromClause, scope).forEach(lockForUpdate);
        }
      }
      if (k === 'intoClause') continue;
      visit(val, scope);
    }
    if (typeof o.relname === 'string' && o.inh !== undefined) {
      if (o.schemaname === undefined && scope.has(o.relname)) return;
      readTable(keyOf(rangeVarName(o)));
    }
  };
  const rangeVarKey = (rv: PgNode) => keyOf(rangeVarName(rv));
  const fromTables = (from: unknown, scope: ReadonlySet<string>): string[] => {
    const out: string[] = [];
    const walkFrom = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walkFrom);
      const o = n as PgNode | undefined;
      if (o?.RangeVar && !(o.RangeVar.schemaname === undefined && scope.has(o.RangeVar.relname))) out.push(rangeVarKey(o.RangeVar));
      if (o?.JoinExpr) {
        walkFrom(o.JoinExpr.larg);
        walkFrom(o.JoinExpr.rarg);
      }
    };
    walkFrom(from);
    return out;
  };
  const lockForUpdate = (key: string) => {
    if (catalog.table(key) && !isTempTable(catalog, key)) f.lock(key, 'RowShareLock');
  };
  const readTable = (key: string): void => {
    const t = catalog.table(key);
    if (!t || isTempTable(catalog, key)) return;
    f.lock(key, 'AccessShareLock');
    if (expandViews && t.kind === 'view' && !read.has(key)) {
      read.add(key);
      for (const dep of t.reads ?? []) readTable(dep);
    }
  };
  visit(root, new Set());
}

/**
 * CREATE FUNCTION ... LANGUAGE sql: PostgreSQL validates the body (check_function_bodies is on by
 * default) by parsing, analysing and rewriting each query in it, which takes ACCESS SHARE on every
 * table it names (through views). PL/pgSQL bodies are only syntax-checked: no locks.
 */
function sqlFunctionBodyLocks(s: PgNode, catalog: Catalog, f: Facts): void {
  const option = (name: string) => (s.options ?? []).find((o: PgNode) => o.DefElem?.defname === name)?.DefElem?.arg;
  const language = String(option('language')?.String?.sval ?? 'sql').toLowerCase();
  if (language !== 'sql') return;
  if (s.sql_body) return queryLocks(s.sql_body, catalog, f);
  const body = strings(option('as')?.List?.items ?? [])[0];
  if (!body) return;
  const parsed = parseRaw(body);
  if (!parsed.ok) return;
  for (const raw of parsed.stmts) queryLocks(raw.stmt, catalog, f);
}

/** Whether a name is one of the session's temporary tables (nobody else can wait on it). */
function isTempTable(catalog: Catalog, key: string): boolean {
  return catalog.others.has(`temp-table:${key}`);
}

/**
 * Locks taken by the foreign-key triggers of rows a statement writes: inserting or updating a
 * referencing row checks the parent (`SELECT ... FOR KEY SHARE`: ROW SHARE on the referenced
 * table); deleting (or updating the key of) a referenced row checks or changes its children (ROW
 * SHARE for NO ACTION / RESTRICT, ROW EXCLUSIVE for CASCADE / SET NULL / SET DEFAULT, and on
 * through cascades). They happen only when rows are written — a dry run on empty tables does not
 * see them; production does.
 */
function foreignKeyTriggerLocks(kind: string, body: PgNode, target: string, catalog: Catalog, f: Facts): void {
  const table = catalog.table(target);
  if (!table) return;
  const setColumns = new Set<string>(
    kind === 'UpdateStmt' ? (body.targetList ?? []).map((t: PgNode) => t.ResTarget?.name).filter(Boolean) : [],
  );
  if (kind === 'InsertStmt' || kind === 'MergeStmt' || kind === 'UpdateStmt') {
    for (const con of table.constraints.values()) {
      const fk = con.foreignKey;
      if (!fk || fk.refTable === target) continue;
      if (kind === 'UpdateStmt' && !fk.columns.some((c) => setColumns.has(c))) continue;
      f.lock(fk.refTable, 'RowShareLock');
    }
  }
  if (kind === 'DeleteStmt' || kind === 'UpdateStmt') {
    const seen = new Set<string>([target]);
    const children = (parent: string, deleting: boolean, keyColumns: Set<string> | null) => {
      for (const ref of catalog.referencingForeignKeys(parent)) {
        const fk = ref.constraint.foreignKey!;
        if (keyColumns && !fk.refColumns.some((c) => keyColumns.has(c))) continue;
        const action = deleting ? fk.onDelete : fk.onUpdate;
        const writes = action === 'CASCADE' || action === 'SET NULL' || action === 'SET DEFAULT';
        if (ref.table !== target) f.lock(ref.table, writes ? 'RowExclusiveLock' : 'RowShareLock');
        if (writes && !seen.has(ref.table)) {
          seen.add(ref.table);
          // A cascaded delete deletes grandchildren rows too; a cascaded key update or SET NULL changes the child's referencing columns.
          if (action === 'CASCADE' && deleting) children(ref.table, true, null);
          else {
            const childTable = catalog.table(ref.table);
            for (const c of childTable?.constraints.values() ?? []) if (c.foreignKey && c.foreignKey.refTable !== ref.table && c.foreignKey.columns.some((x) => fk.columns.includes(x))) f.lock(c.foreignKey.refTable, 'RowShareLock');
          }
        }
      }
    };
    children(target, kind === 'DeleteStmt', kind === 'UpdateStmt' ? setColumns : null);
  }
}

function alterTable(s: PgNode, catalog: Catalog, f: Facts): void {
  const key = keyOf(rangeVarName(s.relation));
  if (s.objtype === 'OBJECT_INDEX') {
    const ix = catalog.indexes.get(key);
    if (ix) f.lock(ix.table, 'ShareUpdateExclusiveLock');
    return;
  }
  const table = catalog.table(key);
  // ALTER TABLE IF EXISTS of a table no migration creates: it may or may not be there.
  if (!table && s.missing_ok && !isTempTable(catalog, key)) f.uncertain = true;
  for (const item of s.cmds ?? []) {
    const cmd = item.AlterTableCmd ?? {};
    switch (cmd.subtype) {
      case 'AT_AddConstraint': {
        const con = cmd.def?.Constraint ?? {};
        if (con.contype === 'CONSTR_FOREIGN') {
          f.lock(key, 'ShareRowExclusiveLock');
          f.lock(keyOf(rangeVarName(con.pktable)), 'ShareRowExclusiveLock');
        } else f.lock(key, 'AccessExclusiveLock');
        break;
      }
      case 'AT_ValidateConstraint': {
        f.lock(key, 'ShareUpdateExclusiveLock');
        const con = table?.constraints.get(cmd.name);
        // Validating an already valid constraint is a no-op that never reads the referenced table.
        if (con?.foreignKey && !con.validated) f.lock(con.foreignKey.refTable, 'RowShareLock');
        break;
      }
      case 'AT_DropConstraint': {
        f.lock(key, 'AccessExclusiveLock');
        const con = table?.constraints.get(cmd.name);
        if (con?.foreignKey) f.lock(con.foreignKey.refTable, 'AccessExclusiveLock');
        break;
      }
      case 'AT_SetStatistics':
      case 'AT_SetOptions':
      case 'AT_ResetOptions':
      case 'AT_ClusterOn':
      case 'AT_DropCluster':
      case 'AT_SetRelOptions':
      case 'AT_ResetRelOptions':
      case 'AT_ReplaceRelOptions':
      case 'AT_DetachPartitionFinalize':
        f.lock(key, 'ShareUpdateExclusiveLock');
        break;
      case 'AT_AttachPartition':
        f.lock(key, 'ShareUpdateExclusiveLock');
        if (cmd.def?.PartitionCmd?.name) f.lock(keyOf(rangeVarName(cmd.def.PartitionCmd.name)), 'AccessExclusiveLock');
        break;
      case 'AT_EnableTrig':
      case 'AT_DisableTrig':
      case 'AT_EnableAlwaysTrig':
      case 'AT_EnableReplicaTrig':
      case 'AT_EnableTrigAll':
      case 'AT_DisableTrigAll':
      case 'AT_EnableTrigUser':
      case 'AT_DisableTrigUser':
        f.lock(key, 'ShareRowExclusiveLock');
        break;
      case 'AT_DropColumn': {
        f.lock(key, 'AccessExclusiveLock');
        // Its foreign keys go with it: their triggers on the referenced table are dropped (ACCESS
        // EXCLUSIVE there); with CASCADE, so are other tables' foreign keys to this column.
        for (const con of table?.constraints.values() ?? []) {
          if (con.foreignKey && con.foreignKey.refTable !== key && con.columns.includes(cmd.name)) f.lock(con.foreignKey.refTable, 'AccessExclusiveLock');
        }
        if (cmd.behavior === 'DROP_CASCADE') {
          for (const ref of catalog.referencingForeignKeys(key)) if (ref.table !== key && ref.constraint.foreignKey!.refColumns.includes(cmd.name)) f.lock(ref.table, 'AccessExclusiveLock');
        }
        break;
      }
      case 'AT_AddColumn': {
        f.lock(key, 'AccessExclusiveLock');
        const def = cmd.def?.ColumnDef ?? {};
        const type = columnTypeOf(def.typeName);
        const cons: PgNode[] = (def.constraints ?? []).map((c: PgNode) => c.Constraint ?? {});
        const dflt = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
        const rewrites =
          type.serial ||
          cons.some((c) => c.contype === 'CONSTR_IDENTITY' || (c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v')) ||
          (dflt !== undefined && isVolatileExpression(dflt.raw_expr));
        if (rewrites && table) f.rewrites.add(key);
        for (const c of cons) if (c.contype === 'CONSTR_FOREIGN') f.lock(keyOf(rangeVarName(c.pktable)), 'ShareRowExclusiveLock');
        break;
      }
      case 'AT_AlterColumnType': {
        f.lock(key, 'AccessExclusiveLock');
        const col = table?.columns.get(cmd.name);
        const to = columnTypeOf(cmd.def?.ColumnDef?.typeName);
        const hasUsing = cmd.def?.ColumnDef?.raw_default !== undefined;
        if (!col) {
          if (table && !table.uncertain) f.rewrites.add(key);
          else f.uncertain = true;
        } else if (hasUsing || typeChangeKind(col.type, to) === 'rewrite') f.rewrites.add(key);
        break;
      }
      case 'AT_SetLogged':
      case 'AT_SetUnLogged':
      case 'AT_SetAccessMethod':
      case 'AT_SetTableSpace':
        f.lock(key, 'AccessExclusiveLock');
        f.rewrites.add(key);
        break;
      default:
        f.lock(key, 'AccessExclusiveLock');
    }
  }
}

function drop(s: PgNode, catalog: Catalog, f: Facts): void {
  for (const obj of s.objects ?? []) {
    switch (s.removeType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW': {
        const key = keyOf(listName(obj.List?.items));
        if (!catalog.table(key)) {
          // No migration creates it, yet it may exist (a history without a baseline): DROP locks it,
          // or fails. With IF EXISTS, whether it is there is not known.
          if (isTempTable(catalog, key)) continue;
          f.lock(key, 'AccessExclusiveLock');
          if (s.missing_ok) f.uncertain = true;
          continue;
        }
        f.lock(key, 'AccessExclusiveLock');
        // Dropping the table drops its foreign keys' triggers on the referenced tables.
        for (const con of catalog.table(key)!.constraints.values()) if (con.foreignKey && con.foreignKey.refTable !== key) f.lock(con.foreignKey.refTable, 'AccessExclusiveLock');
        if (s.behavior === 'DROP_CASCADE') for (const ref of catalog.referencingForeignKeys(key)) f.lock(ref.table, 'AccessExclusiveLock');
        break;
      }
      case 'OBJECT_INDEX': {
        const ix = catalog.indexes.get(keyOf(listName(obj.List?.items)));
        if (ix) f.lock(ix.table, s.concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
        else f.uncertain = true; // an index no migration creates: its table is not known
        break;
      }
      case 'OBJECT_TRIGGER':
      case 'OBJECT_RULE':
      case 'OBJECT_POLICY': {
        // `DROP TRIGGER t ON "T"`: the object name is [..., table, trigger].
        const parts = strings(obj.List?.items);
        const key = keyOf(listName(parts.slice(0, -1).map((p) => ({ String: { sval: p } }))));
        // IF EXISTS of a trigger that is not there takes no lock (PostgreSQL finds nothing to drop).
        const missing = s.removeType === 'OBJECT_TRIGGER' && s.missing_ok && !catalog.others.has(`trigger:${key}:${parts[parts.length - 1]}`);
        if (isTempTable(catalog, key)) break;
        if (catalog.table(key)) {
          if (!missing) f.lock(key, 'AccessExclusiveLock');
        } else {
          // A table no migration creates may exist (a history without a baseline): the DROP locks it,
          // or fails; with IF EXISTS, whether anything is there is not known.
          f.lock(key, 'AccessExclusiveLock');
          if (s.missing_ok) f.uncertain = true;
        }
        break;
      }
      default:
        break;
    }
  }
}
