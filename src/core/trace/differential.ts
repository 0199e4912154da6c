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
import { statementFacts } from '../facts/locks';
import { compareMigrationNames } from '../project/migration-order';
import { readDoBlockText } from '../sql/do-block';
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
    .sort(compareMigrationNames)
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
  /** `dataDependent`: agreements that hold only up to foreign-key trigger locks (rows needed). */
  locks: { compared: number; agreed: number; dataDependent: number; mismatches: Mismatch[]; excluded: { doBlock: number; examples: Mismatch[] } };
  /** DO blocks: how many ran, how many were compared (their body read with PL/pgSQL's parser), how many were left out for dynamic SQL (EXECUTE of a computed string) or a body Preflight cannot read. */
  /** DO blocks: compared, or left out because of dynamic SQL, another uncertainty (`uncertain`, with examples) or locks PostgreSQL does not show. */
  doBlocks: { total: number; compared: number; agreed: number; dynamic: number; uncertain: number; unobserved: number; namesChanged: number; examples: string[] };
  rewrites: { compared: number; agreed: number; mismatches: Mismatch[] };
  catalog: {
    checkpoints: number;
    agreedCheckpoints: number;
    items: number;
    agreedItems: number;
    mismatches: Mismatch[];
    /**
     * Items left out, by reason: objects a DO block changes (procedural code the static model does
     * not execute; it marks them uncertain instead), columns of tables created from a query
     * (CREATE TABLE AS, SELECT INTO: the static model does not type query results).
     */
    excluded: { doBlock: number; queryColumns: number; examples: Mismatch[] };
  };
  extensions: { loaded: string[]; unsupported: string[] };
  durationMs: number;
}

const describeLocks = (ls: TableLock[]) => (ls.length ? [...ls].sort((a, b) => a.table.localeCompare(b.table)).map((l) => `${l.table}:${l.mode}`).join(', ') : '(none)');

const DML = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'SelectStmt']);
const RANK = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock'];

/**
 * `exact`: the same strongest mode on the same tables. `rows`: equal except for the locks of
 * foreign-key triggers, which fire only for rows actually written: the static model claims them
 * (ROW SHARE / ROW EXCLUSIVE on the tables linked by a foreign key), a replay on empty tables
 * may not take them. Strong locks must always agree exactly.
 */
export function compareLocks(facts: StatementFacts, observed: TracedStatement): { agree: boolean; dataDependent: boolean; static: string; observed: string } {
  const s = describeLocks(facts.locks);
  const o = describeLocks(observed.locks);
  if (s === o) return { agree: true, dataDependent: false, static: s, observed: o };
  // A lock a DO block takes only in a branch (`may`) is at most that strong: absent or weaker agrees.
  if (facts.locks.some((l) => l.may)) {
    const om = new Map(observed.locks.map((l) => [l.table, l.mode]));
    const sm = new Map(facts.locks.map((l) => [l.table, l]));
    const agree = [...new Set([...sm.keys(), ...om.keys()])].every((t) => {
      const a = sm.get(t);
      const b = om.get(t);
      if (a?.mode === b) return true;
      return a?.may === true && (b === undefined || RANK.indexOf(b) < RANK.indexOf(a.mode));
    });
    if (agree) return { agree, dataDependent: false, static: s, observed: o };
  }
  // A DO block's DML has the same foreign-key trigger locks, taken only for the rows it touches.
  let dataDependent = DML.has(facts.kind) || facts.kind === 'DoStmt';
  if (dataDependent) {
    const sm = new Map(facts.locks.map((l) => [l.table, l.mode]));
    const om = new Map(observed.locks.map((l) => [l.table, l.mode]));
    for (const t of new Set([...sm.keys(), ...om.keys()])) {
      const a = sm.get(t);
      const b = om.get(t);
      if (a === b) continue;
      const ok = a !== undefined && (a === 'RowShareLock' || a === 'RowExclusiveLock') && (b === undefined || RANK.indexOf(b) < RANK.indexOf(a));
      if (!ok) dataDependent = false;
    }
  }
  return { agree: dataDependent, dataDependent, static: s, observed: o };
}

export function compareRewrites(facts: StatementFacts, observed: TracedStatement): { agree: boolean; static: string; observed: string } {
  const s = [...facts.rewrites].sort().join(', ') || '(none)';
  const o = [...observed.rewrites].sort().join(', ') || '(none)';
  return { agree: s === o, static: s, observed: o };
}

/** Item-by-item comparison of the static catalog with the database's. */
export interface CatalogMismatch {
  what: string;
  static: string;
  observed: string;
  /** `schema.name` of the table, index or enum the item belongs to. */
  subject: string;
}

export function compareCatalogs(cat: Catalog, db: DbCatalog): { items: number; mismatches: CatalogMismatch[] } {
  const mismatches: CatalogMismatch[] = [];
  let items = 0;
  let subject = '';
  const check = (what: string, s: unknown, o: unknown) => {
    items++;
    const ss = typeof s === 'string' ? s : JSON.stringify(s);
    const os = typeof o === 'string' ? o : JSON.stringify(o);
    if (ss !== os) mismatches.push({ what, static: ss, observed: os, subject });
  };
  const staticKind = (k: string | undefined) => k ?? 'absent';
  const keys = new Set([...cat.tables.keys(), ...db.tables.keys()]);
  for (const key of [...keys].sort()) {
    const t = cat.tables.get(key);
    const kind = db.tables.get(key);
    subject = key;
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
    subject = s?.table ?? o?.table ?? key;
    if (!s || !o) {
      check(`index ${key}`, s ? `on ${s.table}` : 'absent', o ? `on ${o.table}` : 'absent');
      continue;
    }
    check(`index ${key}`, { table: s.table, columns: s.columns, unique: s.unique, partial: s.partial }, { table: o.table, columns: o.columns, unique: o.unique, partial: o.partial });
  }
  const enumKeys = new Set([...cat.enums.keys(), ...db.enums.keys()]);
  for (const key of [...enumKeys].sort()) (subject = key), check(`enum ${key}`, cat.enums.get(key)?.values ?? 'absent', db.enums.get(key) ?? 'absent');
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
    locks: { compared: 0, agreed: 0, dataDependent: 0, mismatches: [], excluded: { doBlock: 0, examples: [] } },
    doBlocks: { total: 0, compared: 0, agreed: 0, dynamic: 0, uncertain: 0, unobserved: 0, namesChanged: 0, examples: [] },
    rewrites: { compared: 0, agreed: 0, mismatches: [] },
    catalog: { checkpoints: 0, agreedCheckpoints: 0, items: 0, agreedItems: 0, mismatches: [], excluded: { doBlock: 0, queryColumns: 0, examples: [] } },
    extensions: { loaded: db.extensions.loaded, unsupported: db.extensions.unsupported },
    durationMs: 0,
  };
  const seenCatalogMismatch = new Set<string>();
  let catalog = new Catalog();
  // Text of every DO block so far, to recognise the objects procedural code changed.
  let doText = '';
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
        const facts = statementFacts(st.node, snapshot, existedBefore, st.text);
        const reading = readDoBlockText(st.node, st.text);
        const dynamic = reading !== null && (reading.dynamic.length > 0 || reading.unreadable !== undefined);
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
        // Only the DO blocks Preflight cannot read (dynamic SQL) leave objects it cannot follow.
        if (dynamic) doText += `\n${st.text}`;
        if (reading) report.doBlocks.total++;
        if (options.locks === false) continue;
        const rw = compareRewrites(facts, observed);
        report.rewrites.compared++;
        if (rw.agree) report.rewrites.agreed++;
        else report.rewrites.mismatches.push({ migration: name, line: st.range.start.line, what: 'rewrites', static: rw.static, observed: rw.observed, sql: oneLine(st.text) });
        if (!observed.locksObserved) {
          report.unobserved++;
          if (reading) report.doBlocks.unobserved++;
          continue;
        }
        if (facts.uncertain) {
          report.uncertain++;
          if (dynamic) report.doBlocks.dynamic++;
          else if (reading) {
            report.doBlocks.uncertain++;
            report.doBlocks.examples.push(`${name}:${st.range.start.line}: ${facts.uncertainReason ?? 'uncertain'}`);
          }
          continue;
        }
        const lk = compareLocks(facts, observed);
        if (!lk.agree && (namesChangedByDoBlock(st.text, doText) || differingTables(facts.locks, observed.locks).some((t) => doText.includes(`"${t.slice(t.indexOf('.') + 1)}"`)))) {
          // The statement names an object procedural code changed (e.g. an index renamed by EXECUTE).
          report.locks.excluded.doBlock++;
          if (reading) report.doBlocks.namesChanged++;
          report.locks.excluded.examples.push({ migration: name, line: st.range.start.line, what: 'locks [doBlock]', static: lk.static, observed: lk.observed, sql: oneLine(st.text) });
          continue;
        }
        report.locks.compared++;
        if (reading) {
          report.doBlocks.compared++;
          if (lk.agree) report.doBlocks.agreed++;
        }
        if (lk.dataDependent) report.locks.dataDependent++;
        if (lk.agree) report.locks.agreed++;
        else report.locks.mismatches.push({ migration: name, line: st.range.start.line, what: 'locks', static: lk.static, observed: lk.observed, sql: oneLine(st.text) });
      }
      catalog = current;
      if (options.catalog === false) continue;
      const cmp = compareCatalogs(catalog, await readDbCatalog(db));
      const real: CatalogMismatch[] = [];
      for (const m of cmp.mismatches) {
        const reason = excludedBecause(m, catalog, doText);
        if (!reason) {
          real.push(m);
          continue;
        }
        const k = `${m.what}\0${m.static}\0${m.observed}`;
        if (seenCatalogMismatch.has(k)) continue;
        seenCatalogMismatch.add(k);
        report.catalog.excluded[reason]++;
        if (report.catalog.excluded.examples.length < 50) report.catalog.excluded.examples.push({ migration: name, what: `${m.what} [${reason}]`, static: m.static, observed: m.observed });
      }
      const excluded = cmp.mismatches.length - real.length;
      report.catalog.checkpoints++;
      report.catalog.items += cmp.items - excluded;
      report.catalog.agreedItems += cmp.items - cmp.mismatches.length;
      if (real.length === 0) report.catalog.agreedCheckpoints++;
      for (const m of real) {
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

function excludedBecause(m: CatalogMismatch, catalog: Catalog, doText: string): 'doBlock' | 'queryColumns' | null {
  const name = m.subject.slice(m.subject.indexOf('.') + 1);
  // Quoted as written ("ModelRank"), or bare when the name needs no quotes (app_listings).
  const bare = /^[a-z_][a-z0-9_]*$/.test(name) && new RegExp(`(^|[^a-z0-9_"])${name}($|[^a-z0-9_"])`).test(doText);
  if (doText && (doText.includes(`"${name}"`) || bare)) return 'doBlock';
  const t = catalog.table(m.subject);
  if (m.what.startsWith('column ') && t?.uncertain && (t.kind === 'table' || t.kind === 'partitioned') && [...t.columns.keys()].length === 0) return 'queryColumns';
  return null;
}

function differingTables(a: TableLock[], b: TableLock[]): string[] {
  const am = new Map(a.map((l) => [l.table, l.mode]));
  const bm = new Map(b.map((l) => [l.table, l.mode]));
  return [...new Set([...am.keys(), ...bm.keys()])].filter((t) => am.get(t) !== bm.get(t));
}

function namesChangedByDoBlock(sql: string, doText: string): boolean {
  if (!doText) return false;
  for (const m of sql.matchAll(/"((?:[^"]|"")+)"/g)) if (doText.includes(`"${m[1]}"`)) return true;
  return false;
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
