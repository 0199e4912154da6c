/**
 * Proof that the static model tells the truth: a migration history is replayed in PGlite, and
 * after every statement the static facts (locks, rewrites) are compared with what PostgreSQL did,
 * and after every migration the static catalog with `pg_catalog`. Used by scripts/prove-*.ts and,
 * on a slice, by test/unit/trace-differential.test.ts.
 *
 * Only what PGlite ran is compared: a statement PostgreSQL rejects (a broken file, an extension
 * PGlite lacks) is left out of the static catalog too, so both sides describe the same database.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { applyStatement } from '../catalog/apply';
import { Catalog } from '../catalog/model';
import { statementFacts } from '../analysis/locks';
import { parseMigrationSql } from '../sql/parse-migration';
import { ensureSqlParser } from '../sql/parser';
import type { StatementFacts, TableLock } from '../types';
import { extensionsRequested } from './extensions';
import { readDbCatalog, type DbCatalog } from './pg-catalog';
import { startPglite } from './pglite-engine';
import { runMigration } from './run-migration';
import type { TracedStatement } from './types';

export interface HistoryFolder {
  name: string;
  text: string;
}

/** `<dir>/<folder>/migration.sql` in Prisma's order (folder names by `localeCompare`). */
export function readMigrationFolders(migrationsDir: string): HistoryFolder[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => ({ name, text: readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') }));
}

export interface Mismatch {
  migration: string;
  /** For statement mismatches: 1-based line of the statement in its file. */
  line?: number;
  what: string;
  static: string;
  observed: string;
  sql?: string;
}

export interface ProofReport {
  migrations: number;
  statements: number;
  /** Statements PostgreSQL rejected in the replay, by SQLSTATE and message (left out on both sides). */
  failed: { migration: string; line: number; sqlstate: string; message: string }[];
  /** Statements whose locks cannot be observed (they run outside a transaction block). */
  unobserved: number;
  /** Statements the static model marks uncertain (DO blocks...): not compared for locks. */
  uncertain: number;
  locks: { compared: number; agreed: number; mismatches: Mismatch[] };
  rewrites: { compared: number; agreed: number; mismatches: Mismatch[] };
  catalog: { checkpoints: number; agreedCheckpoints: number; items: number; agreedItems: number; mismatches: Mismatch[] };
  extensions: { loaded: string[]; unsupported: string[] };
  durationMs: number;
}

const describeLocks = (ls: TableLock[]) => (ls.length ? [...ls].sort((a, b) => a.table.localeCompare(b.table)).map((l) => `${l.table}:${l.mode}`).join(', ') : '(none)');

export function compareLocks(facts: StatementFacts, observed: TracedStatement): { agree: boolean; static: string; observed: string } {
  const s = describeLocks(facts.locks);
  const o = describeLocks(observed.locks);
  return { agree: s === o, static: s, observed: o };
}

export function compareRewrites(facts: StatementFacts, observed: TracedStatement): { agree: boolean; static: string; observed: string } {
  const s = [...facts.rewrites].sort().join(', ') || '(none)';
  const o = [...observed.rewrites].sort().join(', ') || '(none)';
  return { agree: s === o, static: s, observed: o };
}

/** Item-by-item comparison of the static catalog with the database's. */
export function compareCatalogs(cat: Catalog, db: DbCatalog): { items: number; mismatches: { what: string; static: string; observed: string }[] } {
  const mismatches: { what: string; static: string; observed: string }[] = [];
  let items = 0;
  const check = (what: string, s: unknown, o: unknown) => {
    items++;
    const ss = typeof s === 'string' ? s : JSON.stringify(s);
    const os = typeof o === 'string' ? o : JSON.stringify(o);
    if (ss !== os) mismatches.push({ what, static: ss, observed: os });
  };
  const staticKind = (k: string | undefined) => k ?? 'absent';
  const keys = new Set([...cat.tables.keys(), ...db.tables.keys()]);
  for (const key of [...keys].sort()) {
    const t = cat.tables.get(key);
    const kind = db.tables.get(key);
    check(`relation ${key}`, staticKind(t?.kind), kind ?? 'absent');
    if (!t || !kind || (kind !== 'table' && kind !== 'partitioned')) continue;
    const dbCols = db.columns.get(key) ?? new Map();
    const colNames = new Set([...t.columns.keys(), ...dbCols.keys()]);
    for (const c of colNames) {
      const sc = t.columns.get(c);
      const oc = dbCols.get(c);
      if (!sc || !oc) {
        check(`column ${key}.${c}`, sc ? 'present' : 'absent', oc ? 'present' : 'absent');
        continue;
      }
      check(`column ${key}.${c} type`, sc.type.display, oc.type);
      check(`column ${key}.${c} not null`, sc.notNull, oc.notNull);
      check(`column ${key}.${c} default`, sc.hasDefault || sc.generated, oc.hasDefault || oc.generated);
    }
    const sFks = new Map([...t.constraints.values()].filter((c) => c.type === 'foreign').map((c) => [c.name, c]));
    const oFks = db.foreignKeys.get(key) ?? new Map();
    for (const name of new Set([...sFks.keys(), ...oFks.keys()])) {
      const s = sFks.get(name)?.foreignKey;
      const o = oFks.get(name);
      if (!s || !o) {
        check(`foreign key ${key}.${name}`, s ? 'present' : 'absent', o ? 'present' : 'absent');
        continue;
      }
      check(`foreign key ${key}.${name}`, { columns: s.columns, refTable: s.refTable, refColumns: s.refColumns, onDelete: s.onDelete, onUpdate: s.onUpdate }, { columns: o.columns, refTable: o.refTable, refColumns: o.refColumns, onDelete: o.onDelete, onUpdate: o.onUpdate });
    }
  }
  const ixKeys = new Set([...cat.indexes.keys(), ...db.indexes.keys()]);
  for (const key of [...ixKeys].sort()) {
    const s = cat.indexes.get(key);
    const o = db.indexes.get(key);
    if (!s || !o) {
      check(`index ${key}`, s ? `on ${s.table}` : 'absent', o ? `on ${o.table}` : 'absent');
      continue;
    }
    check(`index ${key}`, { table: s.table, columns: s.columns, unique: s.unique, partial: s.partial }, { table: o.table, columns: o.columns, unique: o.unique, partial: o.partial });
  }
  const enumKeys = new Set([...cat.enums.keys(), ...db.enums.keys()]);
  for (const key of [...enumKeys].sort()) check(`enum ${key}`, cat.enums.get(key)?.values ?? 'absent', db.enums.get(key) ?? 'absent');
  return { items, mismatches };
}

export interface ProveOptions {
  catalog?: boolean;
  locks?: boolean;
  /** Stop after this many migrations (a slice for tests). */
  limit?: number;
  onMigration?(name: string, index: number, total: number): void;
}

/** Replays a history in PGlite statement by statement, comparing static and observed facts. */
export async function proveHistory(history: readonly HistoryFolder[], options: ProveOptions = {}): Promise<ProofReport> {
  const t0 = performance.now();
  await ensureSqlParser();
  const migrations = history.slice(0, options.limit ?? history.length);
  const parsed = migrations.map((m) => ({ name: m.name, parsed: parseMigrationSql(m.text) }));
  const db = await startPglite(extensionsRequested(parsed.flatMap((p) => p.parsed.statements)));
  const report: ProofReport = {
    migrations: migrations.length,
    statements: 0,
    failed: [],
    unobserved: 0,
    uncertain: 0,
    locks: { compared: 0, agreed: 0, mismatches: [] },
    rewrites: { compared: 0, agreed: 0, mismatches: [] },
    catalog: { checkpoints: 0, agreedCheckpoints: 0, items: 0, agreedItems: 0, mismatches: [] },
    extensions: { loaded: db.extensions.loaded, unsupported: db.extensions.unsupported },
    durationMs: 0,
  };
  const seenCatalogMismatch = new Set<string>();
  let catalog = new Catalog();
  try {
    for (const [mi, { name, parsed: p }] of parsed.entries()) {
      options.onMigration?.(name, mi, parsed.length);
      const before = catalog;
      const current = before.fork();
      const existedBefore = (t: string) => before.tables.has(t);
      // Facts need the catalog just before each statement, and whether a statement ran decides
      // whether it enters the static catalog: run one statement at a time.
      const single = { ...p };
      for (const st of p.statements) {
        const snapshot = current.fork();
        const facts = statementFacts(st.node, snapshot, existedBefore);
        const run = await runMigration(db, { ...single, statements: [st] }, 'isolated');
        const observed = run.statements[0];
        if (run.engineLost) throw new Error(`PGlite stopped in ${name}: ${run.engineLost}`);
        if (observed.status === 'transaction-control') continue;
        report.statements++;
        if (observed.status === 'failed') {
          report.failed.push({ migration: name, line: st.range.start.line, sqlstate: observed.error!.sqlstate, message: observed.error!.message });
          continue;
        }
        applyStatement(current, st.node, { migration: name, statementIndex: st.index, range: st.range }, st.text);
        if (options.locks === false) continue;
        const rw = compareRewrites(facts, observed);
        report.rewrites.compared++;
        if (rw.agree) report.rewrites.agreed++;
        else report.rewrites.mismatches.push({ migration: name, line: st.range.start.line, what: 'rewrites', static: rw.static, observed: rw.observed, sql: oneLine(st.text) });
        if (!observed.locksObserved) {
          report.unobserved++;
          continue;
        }
        if (facts.uncertain) {
          report.uncertain++;
          continue;
        }
        const lk = compareLocks(facts, observed);
        report.locks.compared++;
        if (lk.agree) report.locks.agreed++;
        else report.locks.mismatches.push({ migration: name, line: st.range.start.line, what: 'locks', static: lk.static, observed: lk.observed, sql: oneLine(st.text) });
      }
      catalog = current;
      if (options.catalog === false) continue;
      const cmp = compareCatalogs(catalog, await readDbCatalog(db));
      report.catalog.checkpoints++;
      report.catalog.items += cmp.items;
      report.catalog.agreedItems += cmp.items - cmp.mismatches.length;
      if (cmp.mismatches.length === 0) report.catalog.agreedCheckpoints++;
      for (const m of cmp.mismatches) {
        // A mismatch usually persists from the migration that caused it on: report it once.
        const k = `${m.what}\0${m.static}\0${m.observed}`;
        if (seenCatalogMismatch.has(k)) continue;
        seenCatalogMismatch.add(k);
        report.catalog.mismatches.push({ migration: name, ...m });
      }
    }
  } finally {
    await db.close();
  }
  report.durationMs = Math.round(performance.now() - t0);
  return report;
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
