/**
 * The database as a migration history leaves it. Forking is cheap (copy-on-write per table), so
 * the state before every migration can be kept for the editor without copying the whole schema.
 */
import type { ColumnType } from '../pg/types';
import type { SourceRange } from '../types';

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

export interface Table {
  schema: string;
  name: string;
  kind: 'table' | 'view' | 'materialized-view' | 'partitioned';
  columns: Map<string, Column>;
  constraints: Map<string, Constraint>;
  origin: Origin;
  /** A statement touched the table in a way the catalog could not model: rules stay quiet about it. */
  uncertain: boolean;
  /** For views: the relations its query names (a query on the view locks them too). */
  reads?: string[];
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

export class Catalog {
  readonly schemas: Set<string>;
  readonly tables: Map<string, Table>;
  readonly indexes: Map<string, Index>;
  readonly enums: Map<string, EnumType>;
  /** Other named objects (sequences, functions, extensions, types) by `kind:schema.name`. */
  readonly others: Set<string>;
  /** Objects the catalog lost track of (unknown statements): their keys are uncertain. */
  readonly uncertainKeys: Set<string>;

  private ownerToken: object = {};

  constructor(from?: Catalog) {
    this.schemas = new Set(from?.schemas ?? ['public']);
    this.tables = new Map(from?.tables);
    this.indexes = new Map(from?.indexes);
    this.enums = new Map(from?.enums);
    this.others = new Set(from?.others);
    this.uncertainKeys = new Set(from?.uncertainKeys);
  }

  /** An independent copy; unchanged tables are shared until written. */
  fork(): Catalog {
    this.ownerToken = {};
    return new Catalog(this);
  }

  table(key: string): Table | undefined {
    return this.tables.get(key);
  }

  /** The table, copied first if another catalog shares it, so it can be changed here. */
  writableTable(key: string): Table | undefined {
    const t = this.tables.get(key);
    if (!t) return undefined;
    if (owner.get(t) === this.ownerToken) return t;
    const copy: Table = {
      ...t,
      columns: new Map([...t.columns].map(([k, c]) => [k, { ...c }])),
      constraints: new Map([...t.constraints].map(([k, c]) => [k, { ...c, columns: [...c.columns] }])),
    };
    owner.set(copy, this.ownerToken);
    this.tables.set(key, copy);
    return copy;
  }

  addTable(key: string, table: Table): void {
    owner.set(table, this.ownerToken);
    this.tables.set(key, table);
  }

  setIndex(key: string, index: Index): void {
    this.indexes.set(key, index);
  }

  setEnum(key: string, e: EnumType): void {
    this.enums.set(key, e);
  }

  /** Indexes of a table. */
  indexesOf(tableKey: string): Index[] {
    const out: Index[] = [];
    for (const ix of this.indexes.values()) if (ix.table === tableKey) out.push(ix);
    return out;
  }

  /** The constraint with this name on any table (constraint names are unique per table). */
  findConstraint(tableKey: string, name: string): Constraint | undefined {
    return this.tables.get(tableKey)?.constraints.get(name);
  }

  /** Foreign keys of other tables that reference this one. */
  referencingForeignKeys(tableKey: string): { table: string; constraint: Constraint }[] {
    const out: { table: string; constraint: Constraint }[] = [];
    for (const [key, t] of this.tables) {
      for (const c of t.constraints.values()) if (c.foreignKey?.refTable === tableKey) out.push({ table: key, constraint: c });
    }
    return out;
  }

  isUncertain(key: string): boolean {
    return this.uncertainKeys.has(key) || this.tables.get(key)?.uncertain === true;
  }
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
