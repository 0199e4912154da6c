/**
 * How much one file may hold for Preflight to review it. The analysis is not linear in every case
 * (each ALTER TABLE statement costs in proportion to the ALTER TABLE statements on the same table before it), so past these limits a file is
 * not analysed at all: it is an `unreadable-file` finding ("nothing in it was reviewed"), reported
 * at once, instead of a run that hangs or runs out of memory. The largest migration of the corpus
 * of public Prisma histories is 55 KB with 162 statements; the defaults are far above that.
 * PREFLIGHT_MAX_FILE_SIZE (bytes, or with a KB / MB suffix) and PREFLIGHT_MAX_TABLE_CHANGES raise them.
 */
import { lexSql } from '../sql/lexer';

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_TABLE_CHANGES = 1000;

export interface ReviewLimits {
  maxBytes: number;
  /** ALTER TABLE statements on one table in one file (each one costs in proportion to the changes before it). */
  maxTableChanges: number;
}

/** A size such as `2MB`, `512KB` or `1048576`; null when it is not one. */
export function parseSize(value: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i.exec(value);
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const n = Math.floor(Number(m[1]) * factor);
  return n > 0 ? n : null;
}

/** The limits in force: the defaults, or the environment's PREFLIGHT_MAX_FILE_SIZE / PREFLIGHT_MAX_TABLE_CHANGES when they are valid. */
export function reviewLimits(env: NodeJS.ProcessEnv = process.env): ReviewLimits {
  const bytes = env.PREFLIGHT_MAX_FILE_SIZE ? parseSize(env.PREFLIGHT_MAX_FILE_SIZE) : null;
  const changes = env.PREFLIGHT_MAX_TABLE_CHANGES && /^\s*\d+\s*$/.test(env.PREFLIGHT_MAX_TABLE_CHANGES) ? Number(env.PREFLIGHT_MAX_TABLE_CHANGES) : null;
  return { maxBytes: bytes ?? DEFAULT_MAX_FILE_BYTES, maxTableChanges: changes && changes > 0 ? changes : DEFAULT_MAX_TABLE_CHANGES };
}

export function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${bytes} bytes`;
}

/** Why a file of `bytes` bytes is too large to review, or null. */
export function tooManyBytes(bytes: number, limits: ReviewLimits = reviewLimits()): string | null {
  if (bytes <= limits.maxBytes) return null;
  return `is ${sizeWords(bytes)}, more than the ${sizeWords(limits.maxBytes)} Preflight reviews in one file (PREFLIGHT_MAX_FILE_SIZE raises the limit)`;
}

const ALTER_TABLE = /^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?((?:"(?:[^"]|"")*"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[\w$]+))?)/i;

/** An identifier as PostgreSQL resolves it: quoted kept, unquoted folded; `public.` dropped. */
function tableKey(name: string): string {
  const parts = name.split(/\s*\.\s*(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase()));
  return parts.length === 2 && parts[0] === 'public' ? parts[1] : parts.join('.');
}

/** Why a migration's SQL changes one table too many times to review, or null. Counting costs one pass of the lexer. */
export function tooManyTableChanges(sql: string, limits: ReviewLimits = reviewLimits()): string | null {
  const counts = new Map<string, number>();
  for (const chunk of lexSql(sql).chunks) {
    const m = ALTER_TABLE.exec(sql.slice(chunk.start, Math.min(chunk.end, chunk.start + 400)));
    if (!m) continue;
    const key = tableKey(m[1]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let worst: [string, number] | null = null;
  for (const entry of counts) if (!worst || entry[1] > worst[1]) worst = entry;
  if (!worst || worst[1] <= limits.maxTableChanges) return null;
  const quoted = worst[0].split('.').map((p) => `"${p.replace(/"/g, '""')}"`).join('.');
  return `has ${worst[1].toLocaleString('en-US')} ALTER TABLE statements on ${quoted}, more than the ${limits.maxTableChanges.toLocaleString('en-US')} Preflight reviews on one table in one file (PREFLIGHT_MAX_TABLE_CHANGES raises the limit; one ALTER TABLE with many changes costs far less)`;
}
