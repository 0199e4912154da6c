/** Lists in words, for messages: `3`, `3 and 5`, `3, 5 and 9`. */
export function listWords(items: readonly (string | number)[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Lines in words: "line 4", "lines 4 and 9", "lines 4, 9 and 12". */
export function linesWords(lines: readonly number[]): string {
  return lines.length === 1 ? `line ${lines[0]}` : `lines ${listWords(lines)}`;
}
