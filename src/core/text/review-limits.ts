/**
 * How large a file Preflight reviews. Past the limit a file is not analysed at all: it is an
 * `unreadable-file` finding ("nothing in it was reviewed"), reported at once, instead of a run that
 * runs out of memory. The analysis costs about the same per statement however many statements a
 * file has (one table changed by 20,000 statements included), and memory grows with the number of
 * statements: 1 MB of the densest SQL (some 23,000 one-line `ALTER TABLE ... ADD COLUMN`s on one
 * table) is reviewed within a 512 MB heap, 2 MB of it is not. The largest migration of the corpus of
 * public Prisma histories is 55 KB with 162 statements. PREFLIGHT_MAX_FILE_SIZE (bytes, or with a
 * KB / MB suffix) raises the limit.
 */

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export interface ReviewLimits {
  maxBytes: number;
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

/** The limits in force: the default, or the environment's PREFLIGHT_MAX_FILE_SIZE when it is valid. */
export function reviewLimits(env: NodeJS.ProcessEnv = process.env): ReviewLimits {
  const bytes = env.PREFLIGHT_MAX_FILE_SIZE ? parseSize(env.PREFLIGHT_MAX_FILE_SIZE) : null;
  return { maxBytes: bytes ?? DEFAULT_MAX_FILE_BYTES };
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
