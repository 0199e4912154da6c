/** Pieces of message text that are not about any one kind of statement. */

/** `3`, `3 and 5`, `3, 5 and 9`. */
export function listWords(items: (string | number)[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
