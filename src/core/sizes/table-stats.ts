/**
 * The stats file: per table, the row estimates PostgreSQL keeps (pg_class.reltuples and
 * pg_stat_user_tables.n_live_tup) and its total, table and index sizes. Nothing else — no rows,
 * no URL, no host — so it can be committed or uploaded from CI and used with --stats-file where
 * there are no database credentials. docs/stats.schema.json describes it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../input-error';
import type { TableName } from '../types';

export const STATS_FILE_VERSION = 1;

export interface TableStats {
  schema: string;
  name: string;
  /** pg_class.reltuples, the planner's estimate; null when the table was never vacuumed or analysed (-1). */
  reltuples: number | null;
  /** pg_stat_user_tables.n_live_tup; null when the server keeps no count (e.g. a standby). */
  liveTuples: number | null;
  /** pg_total_relation_size: the table, its TOAST, and its indexes. */
  totalBytes: number;
  /** pg_table_size: the table and its TOAST, without indexes. */
  tableBytes: number;
  /** pg_indexes_size. */
  indexBytes: number;
}

export interface StatsFile {
  version: typeof STATS_FILE_VERSION;
  /** When the sizes were read (ISO 8601). */
  collectedAt: string;
  tables: TableStats[];
}

/** The best row estimate: reltuples when PostgreSQL has one, else n_live_tup. */
export function rowEstimate(t: TableStats): number | null {
  if (t.reltuples !== null && t.reltuples >= 0) return t.reltuples;
  return t.liveTuples;
}

/** The tables by the analysis's key (`schema.table`, as stored). */
export function statsByTable(file: StatsFile): Map<TableName, TableStats> {
  return new Map(file.tables.map((t) => [`${t.schema}.${t.name}`, t]));
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Reads a stats file's text.
 * @throws InputError (one line, naming the file) when it is not a stats file of this version.
 */
export function parseStatsFile(text: string, name: string): StatsFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${name} is not JSON (${(e as Error).message}); make it with preflight stats --database-url <url> > ${name}`);
  }
  const doc = value as Partial<StatsFile> | null;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.tables)) throw new InputError(`${name} is not a stats file (no "tables" list); make it with preflight stats`);
  if (doc.version !== STATS_FILE_VERSION) throw new InputError(`${name} is a stats file of version ${JSON.stringify(doc.version)}; this Preflight reads version ${STATS_FILE_VERSION}`);
  const tables: TableStats[] = doc.tables.map((t: Partial<TableStats>, k: number) => {
    const where = `${name}: tables[${k}]`;
    if (!t || typeof t.schema !== 'string' || typeof t.name !== 'string') throw new InputError(`${where} has no "schema" and "name"`);
    for (const key of ['totalBytes', 'tableBytes', 'indexBytes'] as const) if (!isCount(t[key])) throw new InputError(`${where} ("${t.name}"): "${key}" must be a number of bytes`);
    for (const key of ['reltuples', 'liveTuples'] as const) if (t[key] !== null && typeof t[key] !== 'number') throw new InputError(`${where} ("${t.name}"): "${key}" must be a number or null`);
    return { schema: t.schema, name: t.name, reltuples: t.reltuples ?? null, liveTuples: t.liveTuples ?? null, totalBytes: t.totalBytes!, tableBytes: t.tableBytes!, indexBytes: t.indexBytes! };
  });
  return { version: STATS_FILE_VERSION, collectedAt: typeof doc.collectedAt === 'string' ? doc.collectedAt : '', tables };
}

function oneDecimal(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x.toFixed(1).replace(/\.0$/, '');
}

/** "≈12.4 M rows", "≈640 rows", "≈1 row". */
export function describeRows(n: number): string {
  if (n < 1000) {
    const r = Math.round(n);
    return `≈${r} ${r === 1 ? 'row' : 'rows'}`;
  }
  if (n < 1e6) return `≈${oneDecimal(n / 1e3)} k rows`;
  if (n < 1e9) return `≈${oneDecimal(n / 1e6)} M rows`;
  return `≈${oneDecimal(n / 1e9)} billion rows`;
}

/** Bytes as pg_size_pretty says them (1024-based: kB, MB, GB, TB), one decimal. */
export function describeBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${oneDecimal(v)} ${units[u]}`;
}

/** "≈12.4 M rows, 3.1 GB" (the total size: table, TOAST and indexes). */
export function describeTableSize(t: TableStats): string {
  const rows = rowEstimate(t);
  return `${rows === null ? 'rows unknown' : describeRows(rows)}, ${describeBytes(t.totalBytes)}`;
}

/**
 * The stats file that `"statsFile"` of preflight.config.json names (relative to that file), read:
 * its tables by name, or null when the config names none.
 * @throws InputError (one line, naming the file) when it cannot be read or is not a stats file.
 */
export function statsOfConfig(config: { statsFile?: string }, configFile: string | null): ReadonlyMap<TableName, TableStats> | null {
  if (!config.statsFile || !configFile) return null;
  const file = path.resolve(path.dirname(configFile), config.statsFile);
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file} ("statsFile" in ${configFile}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return statsByTable(parseStatsFile(text, file));
}
