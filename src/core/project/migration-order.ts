/**
 * Prisma's order of migration folders: `a.localeCompare(b)` (DESIGN.md). Folder names start with
 * a 14-digit timestamp, so two names almost always first differ in a digit; there the answer is
 * the digits' order (identical prefixes weigh the same in the collation, and ASCII digits sort by
 * value), and the comparison never starts ICU's collator, which costs a short CLI run ~7 ms.
 * Any other first difference is left to `localeCompare` itself.
 */
export function compareMigrationNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i < n) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x >= 48 && x <= 57 && y >= 48 && y <= 57) return x - y;
  }
  return a.localeCompare(b);
}
