/**
 * The names Prisma gives constraints it creates, as prisma-engines computes them
 * (`psl-core/src/datamodel_connector/constraint_names.rs`): always from database names (`@@map`,
 * `@map`), never from model or field names.
 */

/** PostgreSQL's NAMEDATALEN - 1: the longest identifier in bytes (prisma-engines' `max_identifier_length`). */
export const POSTGRES_MAX_IDENTIFIER_BYTES = 63;

/**
 * Prisma's default foreign key name, `{table}_{column}_{column}_fkey`. When `{table}_{columns}`
 * reaches 63 - 5 = 58 bytes of UTF-8 it is cut to 58 bytes (back to a character boundary) before
 * `_fkey` is appended, so the name is at most 63 bytes and PostgreSQL never truncates it itself.
 */
export function prismaForeignKeyName(table: string, columns: readonly string[]): string {
  const suffix = '_fkey';
  return truncateUtf8(`${table}_${columns.join('_')}`, POSTGRES_MAX_IDENTIFIER_BYTES - suffix.length) + suffix;
}

/** The longest prefix of `text` that fits `maxBytes` bytes of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8Length(ch.codePointAt(0)!);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}
