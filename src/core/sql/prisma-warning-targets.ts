/**
 * Which statement a line of Prisma's own `-- Warnings:` header is about. Prisma's destructive-change
 * checker names the objects in backticks ("You are about to drop the column `bio` on the `User`
 * table", "The values [VOID] on the enum `SaleStatus` will be removed", "A unique constraint
 * covering the columns `[sku]` on the table `Product` will be added"); a statement is the one a
 * warning is about when it names the same table (quoted, as Prisma writes it) and, where the
 * warning names columns or an enum, those too.
 */
import type { PrismaWarning } from './parse-migration';

export interface WarningTarget {
  table: string | null;
  columns: string[];
  enumName: string | null;
}

/** The objects a warning names. */
export function warningTarget(text: string): WarningTarget {
  const table = /(?:on|to|from) the `([^`]+)` table|on the table `([^`]+)`|drop the `([^`]+)` table/.exec(text);
  const column = /\b(?:required )?column `([^`]+)`/.exec(text);
  const columns = /columns `\[([^\]`]*)\]`/.exec(text);
  const enumName = /enum `([^`]+)`/.exec(text);
  return {
    table: table ? (table[1] ?? table[2] ?? table[3]) : null,
    columns: column ? [column[1]] : columns ? columns[1].split(',').map((c) => c.trim()).filter(Boolean) : [],
    enumName: enumName ? enumName[1] : null,
  };
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The warnings of the header that are about the statement whose text is `sql`. */
export function warningsAbout(warnings: readonly PrismaWarning[], sql: string): PrismaWarning[] {
  return warnings.filter((w) => {
    const t = warningTarget(w.text);
    if (!t.table && !t.enumName) return false;
    if (t.table && !sql.includes(quoted(t.table))) return false;
    if (t.enumName && !t.table && !sql.includes(quoted(t.enumName)) && !sql.includes(quoted(`${t.enumName}_new`))) return false;
    return t.columns.every((c) => sql.includes(quoted(c)));
  });
}
