/**
 * `preflight stats`: row estimates and sizes of every ordinary and partitioned table outside the
 * system schemas, in one read-only query. Only catalog numbers are read — never a row of a table.
 */
import { STATS_FILE_VERSION, type StatsFile, type TableStats } from '../sizes/table-stats';
import type { LiveSession } from './connection';

/** The one query `stats` runs (docs/live-database.md quotes it). */
export const TABLE_STATS_SQL = `SELECT n.nspname AS schema, c.relname AS name, c.reltuples AS reltuples, s.n_live_tup AS live_tuples,
  pg_total_relation_size(c.oid) AS total_bytes, pg_table_size(c.oid) AS table_bytes, pg_indexes_size(c.oid) AS index_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'
ORDER BY n.nspname, c.relname`;

export async function readTableStats(session: LiveSession, now: () => Date = () => new Date()): Promise<StatsFile> {
  const { rows } = await session.read(TABLE_STATS_SQL);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const tables: TableStats[] = rows.map((r) => {
    const reltuples = num(r.reltuples);
    return {
      schema: String(r.schema),
      name: String(r.name),
      // -1: never vacuumed or analysed (PostgreSQL 14 and later); 0 before 14 meant the same or empty.
      reltuples: reltuples !== null && reltuples >= 0 ? Math.round(reltuples) : null,
      liveTuples: num(r.live_tuples),
      totalBytes: Number(r.total_bytes),
      tableBytes: Number(r.table_bytes),
      indexBytes: Number(r.index_bytes),
    };
  });
  return { version: STATS_FILE_VERSION, collectedAt: now().toISOString(), tables };
}
