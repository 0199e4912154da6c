/**
 * `preflight status`: what `_prisma_migrations` records against the migration folders, and how
 * the live schema (pg_catalog) differs from the one the history replays to. Reads only; every
 * query is in LIVE_QUERIES so docs/live-database.md can list them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Catalog, FkAction } from '../catalog/model';
import { displayTable, quoteAlways } from '../pg/names';
import type { PrismaProject } from '../project/discover';
import type { LiveSession } from './connection';

export const MIGRATION_STATES = ['applied', 'pending', 'failed', 'rolled-back', 'modified', 'missing-locally'] as const;
export type MigrationState = (typeof MIGRATION_STATES)[number];

export interface MigrationStatus {
  name: string;
  state: MigrationState;
  startedAt: string | null;
  finishedAt: string | null;
  /** For modified: the stored checksum and the file's. */
  checksum?: { recorded: string; file: string };
  /** What to do, plain text (failed: the `prisma migrate resolve` commands). */
  message: string;
  commands?: string[];
}

export const DRIFT_KINDS = ['table-missing', 'column-missing', 'column-type', 'column-nullability', 'column-default', 'foreign-key-missing', 'foreign-key-actions', 'index-missing', 'index-invalid', 'enum-missing', 'enum-values'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface Drift {
  kind: DriftKind;
  /** The object, as PostgreSQL spells it: `"Order"."customerId"`, `"Order_customerId_fkey"`. */
  object: string;
  expected: string;
  actual: string;
  message: string;
}

export interface StatusReport {
  version: 1;
  /** host:port/database, never the user or password. */
  target: string;
  migrations: MigrationStatus[];
  drift: Drift[];
  /** Plain-text notes: no _prisma_migrations table, drift compared up to which migration. */
  notes: string[];
}

/** Every statement `status` runs, by purpose (docs/live-database.md lists them). */
export const LIVE_QUERIES = {
  migrationsTable: `SELECT to_regclass($1) IS NOT NULL AS present`,
  migrations: (table: string) => `SELECT migration_name, checksum, started_at, finished_at, rolled_back_at FROM ${table} ORDER BY started_at, migration_name`,
  columns: `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, a.atthasdef AS has_default
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND n.nspname = ANY($1)`,
  foreignKeys: `SELECT n.nspname AS schema, c.relname AS table, k.conname AS name, k.confdeltype AS on_delete, k.confupdtype AS on_update
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE k.contype = 'f' AND n.nspname = ANY($1)`,
  indexes: `SELECT n.nspname AS schema, i.relname AS name, x.indisvalid AS valid
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_namespace n ON n.oid = i.relnamespace
WHERE n.nspname = ANY($1)`,
  enums: `SELECT n.nspname AS schema, t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = ANY($1) GROUP BY n.nspname, t.typname`,
} as const;

type PrismaRow = {
  migration_name: string;
  checksum: string;
  started_at: Date | null;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

/** SHA-256 (hex) of migration.sql as Prisma stores it; also with the other line endings, as Prisma accepts both. */
export function migrationChecksums(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  const variants = new Set([text, text.replace(/\r\n/g, '\n'), text.replace(/\r?\n/g, '\r\n')]);
  return [...variants].map((v) => createHash('sha256').update(Buffer.from(v, 'latin1')).digest('hex'));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * States of every migration, local or recorded. Prisma may hold several rows for one name (a
 * failed attempt rolled back, then applied): the newest row that is not rolled back decides.
 */
export function migrationStates(local: { name: string; sqlFile: string | null }[], rows: PrismaRow[], schemaArg = ''): MigrationStatus[] {
  const byName = new Map<string, PrismaRow[]>();
  for (const r of rows) byName.set(r.migration_name, [...(byName.get(r.migration_name) ?? []), r]);
  const out: MigrationStatus[] = [];
  for (const m of local) {
    const recorded = byName.get(m.name) ?? [];
    byName.delete(m.name);
    const live = recorded.filter((r) => !r.rolled_back_at);
    const row = live[live.length - 1];
    if (!row) {
      if (recorded.length) {
        const last = recorded[recorded.length - 1];
        out.push({ name: m.name, state: 'rolled-back', startedAt: iso(last.started_at), finishedAt: iso(last.finished_at), message: 'marked rolled back: the next migrate deploy applies it again' });
      } else out.push({ name: m.name, state: 'pending', startedAt: null, finishedAt: null, message: 'not applied yet: the next migrate deploy applies it' });
      continue;
    }
    if (!row.finished_at) {
      out.push({
        name: m.name,
        state: 'failed',
        startedAt: iso(row.started_at),
        finishedAt: null,
        message: 'started and never finished: migrate deploy refuses to run (P3009) until it is resolved. Undo what it did, then mark it rolled back and deploy again; or finish it by hand and mark it applied',
        commands: [`npx prisma migrate resolve --rolled-back ${m.name}${schemaArg}`, `npx prisma migrate resolve --applied ${m.name}${schemaArg}`],
      });
      continue;
    }
    let file: string | null = null;
    try {
      file = m.sqlFile ? readFileSync(m.sqlFile).toString('latin1') : null;
    } catch {
      file = null;
    }
    const sums = file === null ? [] : migrationChecksums(Buffer.from(file, 'latin1'));
    if (sums.length && !sums.includes(row.checksum)) {
      out.push({
        name: m.name,
        state: 'modified',
        startedAt: iso(row.started_at),
        finishedAt: iso(row.finished_at),
        checksum: { recorded: row.checksum, file: sums[0] },
        message: 'migration.sql changed after it was applied: migrate deploy never applies the edit here. Revert the file and put the change in a new migration',
      });
    } else out.push({ name: m.name, state: 'applied', startedAt: iso(row.started_at), finishedAt: iso(row.finished_at), message: 'applied' });
  }
  for (const [name, recorded] of byName) {
    const live = recorded.filter((r) => !r.rolled_back_at);
    const row = live[live.length - 1] ?? recorded[recorded.length - 1];
    out.push({
      name,
      state: live.length ? 'missing-locally' : 'rolled-back',
      startedAt: iso(row.started_at),
      finishedAt: iso(row.finished_at),
      message: live.length ? 'recorded in the database, but there is no such migration folder here: a branch behind production, or a folder renamed or deleted' : 'recorded as rolled back; there is no such migration folder here',
    });
  }
  return out;
}

const FK_LETTER: Record<FkAction, string> = { 'NO ACTION': 'a', RESTRICT: 'r', CASCADE: 'c', 'SET NULL': 'n', 'SET DEFAULT': 'd' };
const FK_WORDS: Record<string, FkAction> = Object.fromEntries(Object.entries(FK_LETTER).map(([k, v]) => [v, k as FkAction]));

/** The live schema against `catalog` (what the applied migrations leave). */
export async function readDrift(session: LiveSession, catalog: Catalog): Promise<Drift[]> {
  const schemas = [...new Set([...catalog.tables.values()].map((t) => t.schema).concat([...catalog.enums.values()].map((e) => e.schema)))];
  if (!schemas.length) return [];
  const columns = (await session.read<{ schema: string; table: string; column: string; type: string; not_null: boolean; has_default: boolean }>(LIVE_QUERIES.columns, [schemas])).rows;
  const fks = (await session.read<{ schema: string; table: string; name: string; on_delete: string; on_update: string }>(LIVE_QUERIES.foreignKeys, [schemas])).rows;
  const indexes = (await session.read<{ schema: string; name: string; valid: boolean }>(LIVE_QUERIES.indexes, [schemas])).rows;
  const enums = (await session.read<{ schema: string; name: string; labels: string[] }>(LIVE_QUERIES.enums, [schemas])).rows;
  const drift: Drift[] = [];
  const liveTables = new Set(columns.map((c) => `${c.schema}.${c.table}`));
  const liveColumn = new Map(columns.map((c) => [`${c.schema}.${c.table}.${c.column}`, c]));
  for (const [key, table] of [...catalog.tables].sort(([a], [b]) => a.localeCompare(b))) {
    if (table.kind !== 'table' && table.kind !== 'partitioned') continue;
    if (catalog.isUncertain(key) || table.uncertain) continue;
    const t = displayTable(key);
    if (!liveTables.has(key)) {
      drift.push({ kind: 'table-missing', object: t, expected: 'exists', actual: 'missing', message: `table ${t} does not exist in the database` });
      continue;
    }
    for (const col of table.columns.values()) {
      const c = `${t}.${quoteAlways(col.name)}`;
      const live = liveColumn.get(`${key}.${col.name}`);
      if (!live) {
        drift.push({ kind: 'column-missing', object: c, expected: col.type.display, actual: 'missing', message: `column ${c} does not exist in the database` });
        continue;
      }
      if (live.type !== col.type.display) drift.push({ kind: 'column-type', object: c, expected: col.type.display, actual: live.type, message: `column ${c} is ${live.type} in the database; the migrations make it ${col.type.display}` });
      if (live.not_null !== col.notNull) drift.push({ kind: 'column-nullability', object: c, expected: col.notNull ? 'NOT NULL' : 'NULL', actual: live.not_null ? 'NOT NULL' : 'NULL', message: `column ${c} is ${live.not_null ? 'NOT NULL' : 'nullable'} in the database; the migrations make it ${col.notNull ? 'NOT NULL' : 'nullable'}` });
      const wantDefault = col.hasDefault || col.type.serial || col.identity;
      if (!col.identity && live.has_default !== wantDefault) drift.push({ kind: 'column-default', object: c, expected: wantDefault ? 'a default' : 'no default', actual: live.has_default ? 'a default' : 'no default', message: `column ${c} has ${live.has_default ? 'a default' : 'no default'} in the database; the migrations give it ${wantDefault ? 'one' : 'none'}` });
    }
    for (const con of table.constraints.values()) {
      if (con.type !== 'foreign' || !con.foreignKey) continue;
      const name = quoteAlways(con.name);
      const live = fks.find((f) => `${f.schema}.${f.table}` === key && f.name === con.name);
      const want = `ON DELETE ${con.foreignKey.onDelete} ON UPDATE ${con.foreignKey.onUpdate}`;
      if (!live) {
        drift.push({ kind: 'foreign-key-missing', object: name, expected: want, actual: 'missing', message: `foreign key ${name} on ${t} does not exist in the database: nothing stops orphan rows` });
        continue;
      }
      const got = `ON DELETE ${FK_WORDS[live.on_delete] ?? live.on_delete} ON UPDATE ${FK_WORDS[live.on_update] ?? live.on_update}`;
      if (got !== want) drift.push({ kind: 'foreign-key-actions', object: name, expected: want, actual: got, message: `foreign key ${name} on ${t} is ${got} in the database; the migrations make it ${want}` });
    }
    for (const ix of catalog.indexesOf(key)) {
      const name = quoteAlways(ix.name);
      const live = indexes.find((i) => i.schema === ix.schema && i.name === ix.name);
      if (!live) drift.push({ kind: 'index-missing', object: name, expected: 'valid', actual: 'missing', message: `index ${name} on ${t} does not exist in the database` });
      else if (!live.valid) drift.push({ kind: 'index-invalid', object: name, expected: 'valid', actual: 'INVALID', message: `index ${name} on ${t} is INVALID (a failed concurrent build): it is not used and still slows writes. DROP INDEX CONCURRENTLY it and build it again` });
    }
  }
  for (const e of [...catalog.enums.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const name = quoteAlways(e.name);
    const live = enums.find((x) => x.schema === e.schema && x.name === e.name);
    if (!live) drift.push({ kind: 'enum-missing', object: name, expected: e.values.join(', '), actual: 'missing', message: `enum ${name} does not exist in the database` });
    else if (live.labels.join('\u0000') !== e.values.join('\u0000')) drift.push({ kind: 'enum-values', object: name, expected: e.values.join(', '), actual: live.labels.join(', '), message: `enum ${name} holds ${live.labels.join(', ')} in the database; the migrations give it ${e.values.join(', ')}` });
  }
  return drift;
}

/** The `_prisma_migrations` table Prisma uses: in the URL's `schema=` (Prisma's parameter), else public. */
export function migrationsTableOf(url: string): string {
  let schema = 'public';
  try {
    schema = new URL(url).searchParams.get('schema') || 'public';
  } catch {
    /* public */
  }
  return `${quoteAlways(schema)}."_prisma_migrations"`;
}

export interface StatusInput {
  session: LiveSession;
  project: PrismaProject;
  /** Catalog after each migration folder, by name (the replayed history). */
  catalogAfter: (name: string) => Catalog | undefined;
  emptyCatalog: Catalog;
  migrationsTable: string;
  schemaArg?: string;
}

export async function readStatus(input: StatusInput): Promise<StatusReport> {
  const { session, project } = input;
  const notes: string[] = [];
  const present = (await session.read<{ present: boolean }>(LIVE_QUERIES.migrationsTable, [input.migrationsTable])).rows[0]?.present === true;
  let rows: PrismaRow[] = [];
  if (present) rows = (await session.read<PrismaRow>(LIVE_QUERIES.migrations(input.migrationsTable))).rows;
  else notes.push(`${input.migrationsTable.replace(/"/g, '')} does not exist: no migration has been applied to this database`);
  const local = project.migrations.map((m) => ({ name: m.name, sqlFile: m.sqlFile }));
  const migrations = migrationStates(local, rows, input.schemaArg);
  // The live schema should match the history up to the last migration deploy has applied.
  let upTo: string | null = null;
  for (const m of migrations) if (m.state === 'applied' || m.state === 'modified') upTo = m.name;
  const catalog = upTo ? input.catalogAfter(upTo) : input.emptyCatalog;
  const drift = catalog ? await readDrift(session, catalog) : [];
  if (upTo && project.migrations[project.migrations.length - 1]?.name !== upTo) notes.push(`drift is measured against the schema the migrations up to ${upTo} leave`);
  if (migrations.some((m) => m.state === 'failed')) notes.push('a failed migration may have left part of its changes: drift shows them');
  return { version: 1, target: session.target.label, migrations, drift, notes };
}

/** Exit 1 when a migration is failed, modified or missing locally, or the schema drifted. */
export function statusFails(r: StatusReport): boolean {
  return r.drift.length > 0 || r.migrations.some((m) => m.state === 'failed' || m.state === 'modified' || m.state === 'missing-locally');
}
