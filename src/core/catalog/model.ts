/**
 * The database as a migration history leaves it. Forking is cheap (copy-on-write per collection
 * and per table), so the state before every statement can be kept without copying the schema.
 */
import type { ColumnType } from '../pg/types';
import type { SourceRange } from '../types';
import { CowMap, CowSet } from './cow-map';
import { MemberMap } from './member-map';

export type FkAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

/** Where an object was created or last changed: migration folder name and statement index. */
export interface Origin {
  migration: string;
  statementIndex: number;
  /** The statement's range in that migration's file. */
  range?: SourceRange;
}

export interface Column {
  name: string;
  type: ColumnType;
  notNull: boolean;
  hasDefault: boolean;
  /** Source text of the default expression where known. */
  defaultText: string | null;
  identity: boolean;
  generated: boolean;
}

export interface ForeignKey {
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
}

export interface Constraint {
  name: string;
  type: 'primary' | 'unique' | 'check' | 'foreign' | 'exclusion' | 'not-null';
  columns: string[];
  validated: boolean;
  foreignKey?: ForeignKey;
  /** For checks Preflight can read: `"col" IS NOT NULL` (the check that lets SET NOT NULL skip its scan). */
  expression?: string;
  origin: Origin;
}

export interface Index {
  schema: string;
  name: string;
  table: string;
  /** Column names; `null` for an expression. */
  columns: (string | null)[];
  unique: boolean;
  partial: boolean;
  /** False for an index a failed CONCURRENTLY build left behind (never statically). */
  valid: boolean;
  /** Backs a PRIMARY KEY or UNIQUE constraint. */
  constraint: boolean;
  origin: Origin;
}

/** A table's columns or constraints: a Map, or a copy-on-write MemberMap once the catalog has copied the table. */
export type Members<V> = ReadonlyMap<string, V> & { set(key: string, value: V): unknown; delete(key: string): boolean };

export interface Table {
  schema: string;
  name: string;
  kind: 'table' | 'view' | 'materialized-view' | 'partitioned';
  columns: Members<Column>;
  constraints: Members<Constraint>;
  origin: Origin;
  /** A statement touched the table in a way the catalog could not model: rules stay quiet about it. */
  uncertain: boolean;
  /** For views: the relations its query names (a query on the view locks them too). */
  reads?: string[];
  /** Foreign keys a migration dropped (ALTER TABLE ... DROP CONSTRAINT), by name: replaced whole on change, never mutated. */
  droppedForeignKeys?: Readonly<Record<string, Origin>>;
}

export interface EnumType {
  schema: string;
  name: string;
  values: string[];
  origin: Origin;
}

/**
 * Which catalog may change a table in place: the table's owner token. `fork()` gives the forked
 * catalog a fresh token *and* renews its own, so after a fork neither side owns the tables they
 * share and the first write on either side copies the table.
 */
const owner = new WeakMap<object, object>();

/**
 * Copy-on-write at two levels: a fork shares every collection (O(1), see cow-map.ts), and the
 * first write to a shared table copies that table. So keeping the state before every statement
 * costs little, and nothing for statements that change nothing. Collections are read-only from
 * outside; changes go through the methods below.
 */
export class Catalog {
  private readonly _schemas: CowSet<string>;
  private readonly _tables: CowMap<string, Table>;
  private readonly _indexes: CowMap<string, Index>;
  /** Keys of `_indexes` by table, in the order `_indexes` lists them (kept by setIndex/deleteIndex). */
  private readonly _indexKeysByTable: CowMap<string, readonly string[]>;
  private readonly _enums: CowMap<string, EnumType>;
  private readonly _others: CowSet<string>;
  private readonly _uncertain: CowSet<string>;
  private ownerToken: object = {};
  private changes = 0;
  /** Whether writableTable has handed out a table to change in place. */
  private tablesWritten = false;
  private readonly lookups = new Map<string, { version: number; value: unknown }>();

  /** With `from`: a copy of it (sharing everything until either side writes). */
  constructor(from?: Catalog) {
    if (from) {
      this._schemas = from._schemas.fork();
      this._tables = from._tables.fork();
      this._indexes = from._indexes.fork();
      this._indexKeysByTable = from._indexKeysByTable.fork();
      this._enums = from._enums.fork();
      this._others = from._others.fork();
      this._uncertain = from._uncertain.fork();
      from.ownerToken = {};
    } else {
      this._schemas = CowSet.of(['public']);
      this._tables = new CowMap();
      this._indexes = new CowMap();
      this._indexKeysByTable = new CowMap();
      this._enums = new CowMap();
      this._others = CowSet.of();
      this._uncertain = CowSet.of();
    }
  }

  get schemas(): ReadonlySet<string> {
    return this._schemas;
  }

  get tables(): ReadonlyMap<string, Table> {
    return this._tables;
  }

  get indexes(): ReadonlyMap<string, Index> {
    return this._indexes;
  }

  get enums(): ReadonlyMap<string, EnumType> {
    return this._enums;
  }

  /** Other named objects (sequences, functions, extensions, types) by `kind:schema.name`. */
  get others(): ReadonlySet<string> {
    return this._others;
  }

  /** Objects the catalog lost track of (unknown statements): their keys are uncertain. */
  get uncertainKeys(): ReadonlySet<string> {
    return this._uncertain;
  }

  /** How many changes this catalog has seen: equal counts mean nothing changed in between. */
  get version(): number {
    return this.changes;
  }

  /** An independent copy; everything is shared until written on either side. */
  fork(): Catalog {
    return new Catalog(this);
  }

  table(key: string): Table | undefined {
    return this._tables.get(key);
  }

  /** The table, copied first if another catalog shares it, so it can be changed here. */
  writableTable(key: string): Table | undefined {
    const t = this._tables.get(key);
    if (!t) return undefined;
    this.changes++;
    this.tablesWritten = true;
    if (owner.get(t) === this.ownerToken) return t;
    // The copy shares its columns and constraints (O(1)); each is copied when first read here.
    const token = this.ownerToken;
    const lease = () => this.ownerToken === token;
    const copy: Table = { ...t, columns: writableMembers(t.columns, copyColumn, lease), constraints: writableMembers(t.constraints, copyConstraint, lease) };
    owner.set(copy, token);
    this._tables.set(key, copy);
    return copy;
  }

  addTable(key: string, table: Table): void {
    owner.set(table, this.ownerToken);
    this.changes++;
    this._tables.set(key, table);
  }

  deleteTable(key: string): void {
    if (this._tables.delete(key)) this.changes++;
  }

  setIndex(key: string, index: Index): void {
    this.changes++;
    const previous = this._indexes.get(key);
    this._indexes.set(key, index);
    if (!previous) {
      this._indexKeysByTable.set(index.table, [...(this._indexKeysByTable.get(index.table) ?? []), key]);
    } else if (previous.table !== index.table) {
      // Moved to another table (RENAME of its table): it keeps its place in `indexes`, which
      // may be before the other table's indexes, so that table's list is rebuilt in that order.
      this.unlistIndex(previous.table, key);
      const keys: string[] = [];
      this._indexes.forEach((ix, k) => {
        if (ix.table === index.table) keys.push(k);
      });
      this._indexKeysByTable.set(index.table, keys);
    }
  }

  deleteIndex(key: string): void {
    const previous = this._indexes.get(key);
    if (!previous) return;
    this.changes++;
    this.unlistIndex(previous.table, key);
    this._indexes.delete(key);
  }

  private unlistIndex(table: string, key: string): void {
    const keys = (this._indexKeysByTable.get(table) ?? []).filter((k) => k !== key);
    if (keys.length) this._indexKeysByTable.set(table, keys);
    else this._indexKeysByTable.delete(table);
  }

  setEnum(key: string, e: EnumType): void {
    this.changes++;
    this._enums.set(key, e);
  }

  deleteEnum(key: string): void {
    if (this._enums.delete(key)) this.changes++;
  }

  addSchema(name: string): void {
    if (this._schemas.has(name)) return;
    this.changes++;
    this._schemas.add(name);
  }

  deleteSchema(name: string): void {
    if (this._schemas.delete(name)) this.changes++;
  }

  /** Records a sequence, function, extension or type by `kind:schema.name`. */
  addOther(key: string): void {
    if (this._others.has(key)) return;
    this.changes++;
    this._others.add(key);
  }

  deleteOther(key: string): void {
    if (this._others.delete(key)) this.changes++;
  }

  /** The catalog lost track of this object: rules stay quiet about it. */
  markUncertain(key: string): void {
    if (this._uncertain.has(key)) return;
    this.changes++;
    this._uncertain.add(key);
  }

  /** Indexes of a table. */
  indexesOf(tableKey: string): Index[] {
    return this.indexEntriesOf(tableKey).map(([, ix]) => ix);
  }

  /** Indexes of a table with their keys in `indexes`, for changing them. */
  indexEntriesOf(tableKey: string): [string, Index][] {
    return (this._indexKeysByTable.get(tableKey) ?? []).map((key) => [key, this._indexes.get(key)!]);
  }

  /** The constraint with this name on any table (constraint names are unique per table). */
  findConstraint(tableKey: string, name: string): Constraint | undefined {
    return this._tables.get(tableKey)?.constraints.get(name);
  }

  /** Foreign keys of other tables that reference this one. */
  referencingForeignKeys(tableKey: string): { table: string; constraint: Constraint }[] {
    // Constraints change inside writable tables, out of this catalog's sight: a lookup is only
    // kept by a catalog that never handed one out (the snapshot each statement is checked against).
    const byRef = this.tablesWritten
      ? null
      : this.lookup('foreign keys', () => {
          const map = new Map<string, { table: string; constraint: Constraint }[]>();
          this._tables.forEach((t, key) => {
            for (const c of t.constraints.values()) if (c.foreignKey) pushTo(map, c.foreignKey.refTable, { table: key, constraint: c });
          });
          return map;
        });
    if (byRef) return [...(byRef.get(tableKey) ?? [])];
    const out: { table: string; constraint: Constraint }[] = [];
    this._tables.forEach((t, key) => {
      for (const c of t.constraints.values()) if (c.foreignKey?.refTable === tableKey) out.push({ table: key, constraint: c });
    });
    return out;
  }

  /**
   * A reverse lookup for this version of the catalog, built on its second use (a single query is
   * cheaper as a scan): a snapshot is read by every rule and for every cascade step of a DELETE.
   * Null while it is not worth building.
   */
  private lookup<T>(name: 'foreign keys', build: () => T): T | null {
    const entry = this.lookups.get(name);
    if (entry?.version !== this.changes) {
      this.lookups.set(name, { version: this.changes, value: null });
      return null;
    }
    entry.value ??= build();
    return entry.value as T;
  }

  /**
   * What changed since `prev` (an earlier state this catalog was forked from), as plain data for
   * the persistent cache: `prev.withDelta(cur.deltaFrom(prev))` lists everything as `cur` does, in
   * the same order. Unchanged entries are the same objects in both (copy-on-write), so this costs a
   * pass over the keys, not a comparison of tables.
   */
  deltaFrom(prev: Catalog): CatalogDelta {
    const tables = collectionDelta(prev._tables, this._tables);
    return {
      schemas: setDelta(prev._schemas, this._schemas),
      // A table that was there before is stored as what changed in it (a migration that adds one
      // column to a table of 300 stores one column), a new one whole.
      tables: { ...tables, set: tables.set.map(([k, t]) => [k, tableChange(prev._tables.get(k), t)] as [string, TableChange]) },
      indexes: collectionDelta(prev._indexes, this._indexes),
      indexKeysByTable: collectionDelta(prev._indexKeysByTable, this._indexKeysByTable),
      enums: collectionDelta(prev._enums, this._enums),
      others: setDelta(prev._others, this._others),
      uncertain: setDelta(prev._uncertain, this._uncertain),
    };
  }

  /** A fork of this catalog with `delta` (from deltaFrom) applied. */
  withDelta(delta: CatalogDelta): Catalog {
    const next = this.fork();
    applyCollection(next._schemas, delta.schemas);
    // Patches apply to the table as it was before.
    const tables = delta.tables.set.map(([k, t]) => [k, tableFromChange(this._tables.get(k), t)] as [string, Table]);
    applyCollection(next._tables, { ...delta.tables, set: tables });
    applyCollection(next._indexes, delta.indexes);
    applyCollection(next._indexKeysByTable, delta.indexKeysByTable);
    applyCollection(next._enums, delta.enums);
    applyCollection(next._others, delta.others);
    applyCollection(next._uncertain, delta.uncertain);
    next.changes++;
    return next;
  }

  isUncertain(key: string): boolean {
    return this._uncertain.has(key) || this._tables.get(key)?.uncertain === true;
  }
}

/**
 * One collection's changes: keys removed, entries set (changed in place or new, in the new order).
 * When the new order is not what deleting and setting gives (a key dropped and created again moves
 * to the end, as DROP INDEX then CREATE INDEX of the same name does), `order` lists every key in
 * the new order; `set` still holds only the changed entries.
 */
export interface CollectionDelta<V> {
  deleted: string[];
  set: [string, V][];
  order?: string[];
}

export interface TableData extends Omit<Table, 'columns' | 'constraints'> {
  columns: [string, Column][];
  constraints: [string, Constraint][];
}

/** A table that was there before, as what changed in it: its own fields, and its columns and constraints as deltas. */
export interface TablePatch {
  patch: Omit<Table, 'columns' | 'constraints'>;
  columns: CollectionDelta<Column>;
  constraints: CollectionDelta<Constraint>;
}

export type TableChange = TableData | TablePatch;

export interface CatalogDelta {
  schemas: CollectionDelta<true>;
  tables: CollectionDelta<TableChange>;
  indexes: CollectionDelta<Index>;
  indexKeysByTable: CollectionDelta<readonly string[]>;
  enums: CollectionDelta<EnumType>;
  others: CollectionDelta<true>;
  uncertain: CollectionDelta<true>;
}

function collectionDelta<V>(prev: ReadonlyMap<string, V>, cur: ReadonlyMap<string, V>, unchanged: (a: V, b: V) => boolean = (a, b) => a === b): CollectionDelta<V> {
  const deleted: string[] = [];
  prev.forEach((_, k) => {
    if (!cur.has(k)) deleted.push(k);
  });
  const set: [string, V][] = [];
  cur.forEach((v, k) => {
    const before = prev.get(k);
    if (before === undefined || !unchanged(before, v)) set.push([k, v]);
  });
  // The order deleting and setting gives: prev's keys in place, new keys appended.
  const gone = new Set(deleted);
  const expected: string[] = [];
  prev.forEach((_, k) => {
    if (!gone.has(k)) expected.push(k);
  });
  for (const [k] of set) if (!prev.has(k)) expected.push(k);
  let i = 0;
  let same = expected.length === cur.size;
  if (same) {
    cur.forEach((_, k) => {
      if (expected[i++] !== k) same = false;
    });
  }
  return same ? { deleted, set } : { deleted, set, order: [...cur.keys()] };
}

function setDelta(prev: CowSet<string>, cur: CowSet<string>): CollectionDelta<true> {
  const asMap = (s: CowSet<string>) => new Map([...s].map((k) => [k, true] as const));
  return collectionDelta<true>(asMap(prev), asMap(cur));
}

function applyCollection<V>(target: CowMap<string, V> | CowSet<string>, delta: CollectionDelta<V>): void {
  const put = (k: string, v: V) => (target instanceof CowSet ? target.add(k) : target.set(k, v));
  if (delta.order) {
    // Every key again in the new order: the changed entries from the delta, the others as they were.
    const changed = new Map(delta.set);
    const entries = delta.order.map((k) => [k, changed.has(k) ? changed.get(k)! : target instanceof CowSet ? (true as V) : target.get(k)!] as const);
    for (const k of [...target.keys()]) target.delete(k);
    for (const [k, v] of entries) put(k, v);
    return;
  }
  for (const k of delta.deleted) target.delete(k);
  for (const [k, v] of delta.set) put(k, v);
}

/**
 * Columns and constraints are copied when a writable table first reads them, so the same object
 * does not mean unchanged there: they compare as the cache stores them, as JSON.
 */
const sameAsJson = <V>(a: V, b: V): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

function tableChange(prev: Table | undefined, t: Table): TableChange {
  if (!prev) return tableData(t);
  const { columns, constraints, ...patch } = t;
  return { patch, columns: collectionDelta(prev.columns, columns, sameAsJson), constraints: collectionDelta(prev.constraints, constraints, sameAsJson) };
}

function tableFromChange(prev: Table | undefined, change: TableChange): Table {
  if (!('patch' in change)) return tableOf(change);
  if (!prev) throw new Error(`cache: a change to table "${change.patch.name}", which is not there`);
  return { ...change.patch, columns: patchedMembers(prev.columns, change.columns, copyColumn), constraints: patchedMembers(prev.constraints, change.constraints, copyConstraint) };
}

/** A read-only fork of `members` (O(1)) with `delta` applied. */
function patchedMembers<V extends object>(members: Members<V>, delta: CollectionDelta<V>, copyEntry: (value: V) => V): MemberMap<V> {
  const map = members instanceof MemberMap ? (members as MemberMap<V>).fork() : MemberMap.of(members, copyEntry);
  applyCollection(map, delta);
  return map;
}

function tableData(t: Table): TableData {
  return { ...t, columns: [...t.columns.entries()], constraints: [...t.constraints.entries()] };
}

function tableOf(t: TableData): Table {
  return { ...t, columns: new Map(t.columns), constraints: new Map(t.constraints) };
}

const copyColumn = (c: Column): Column => ({ ...c });
const copyConstraint = (c: Constraint): Constraint => ({ ...c, columns: [...c.columns] });

function writableMembers<V extends object>(members: Members<V>, copyEntry: (value: V) => V, lease: () => boolean): MemberMap<V> {
  const map = members instanceof MemberMap ? (members as MemberMap<V>) : MemberMap.of(members, copyEntry);
  return map.forkWritable(lease);
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function fkActionOf(code: string | undefined): FkAction {
  switch (code) {
    case 'r':
      return 'RESTRICT';
    case 'c':
      return 'CASCADE';
    case 'n':
      return 'SET NULL';
    case 'd':
      return 'SET DEFAULT';
    default:
      return 'NO ACTION';
  }
}

/** The letter `pg_constraint.confdeltype` / `confupdtype` shows for an action. */
export function fkActionLetter(action: FkAction): string {
  return { 'NO ACTION': 'a', RESTRICT: 'r', CASCADE: 'c', 'SET NULL': 'n', 'SET DEFAULT': 'd' }[action];
}
