/** "Did you mean": the candidate a mistyped word most likely meant. */

/** The candidate within two edits of `word` (typos such as "rule" or "warn") or starting with it, if exactly one is. */
export function closest(word: string, candidates: readonly string[]): string | null {
  const lower = word.toLowerCase();
  const near = candidates.filter((c) => editDistance(lower, c.toLowerCase()) <= 2 || (lower.length > 0 && c.toLowerCase().startsWith(lower)));
  return near.length === 1 ? near[0] : null;
}

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
