/**
 * Prisma accepts `/* ... *\/` block comments (trigger.dev's schema has `/** ... *\/` inside models);
 * `@mrleebo/prisma-ast` does not. They are blanked out before parsing: every character becomes a
 * space except line breaks, so offsets, lines and columns of everything else stay the same.
 * `//` comments and string literals are skipped, so `"/*"` or `// see /*` open nothing.
 */
export interface BlankedText {
  text: string;
  /** Offset of a `/*` that is never closed (blanked to the end of the text), else null. */
  unterminatedAt: number | null;
}

export function blankBlockComments(text: string): BlankedText {
  if (!text.includes('/*')) return { text, unterminatedAt: null };
  let out = '';
  let copiedUpTo = 0;
  let unterminatedAt: number | null = null;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = endOfString(text, i);
    } else if (ch === '/' && text[i + 1] === '/') {
      i = endOfLine(text, i);
    } else if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close === -1 ? text.length : close + 2;
      if (close === -1) unterminatedAt = i;
      out += text.slice(copiedUpTo, i) + text.slice(i, end).replace(/[^\r\n]/g, ' ');
      copiedUpTo = end;
      i = end;
    } else {
      i++;
    }
  }
  return { text: out + text.slice(copiedUpTo), unterminatedAt };
}

/** Index just past the string literal opening at `start` (strings end at a line break, as Prisma's do). */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else if (ch === '\n' || ch === '\r') return i;
    else i++;
  }
  return text.length;
}

function endOfLine(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
