/**
 * A small, tolerant JSON reader for configuration files: standard JSON plus `//` and `/* *\/`
 * comments and trailing commas (what VS Code calls JSONC). It reports the first syntax error with
 * its line and column instead of throwing, keeps every property that was complete before the
 * error, and records where each property key starts so that later checks can point at it.
 */
import { LineIndex } from '../text/line-index';

export interface JsoncError {
  message: string;
  line: number;
  column: number;
}

export interface JsoncResult {
  /**
   * The value read (undefined for a text of only whitespace and comments); on a syntax error, the
   * outer object/array with the properties completed before it.
   */
  value: unknown;
  error: JsoncError | null;
  /** Offset of each property key, by its path of keys joined with `/` (e.g. `rules/drop-column`). */
  keyOffsets: Map<string, number>;
  /** Converts an offset of the text to a 1-based line and column. */
  lineIndex: LineIndex;
}

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function parseJsonc(text: string): JsoncResult {
  const lineIndex = new LineIndex(text);
  const keyOffsets = new Map<string, number>();
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let root: unknown = undefined;

  const describe = (at: number): string => (at >= text.length ? 'the end of the file' : `'${text[at]}'`);
  const fail = (expected: string, at = pos): never => {
    throw new SyntaxProblem(`expected ${expected}, found ${describe(at)}`, at);
  };

  const skipTrivia = (): void => {
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\ufeff') {
        pos++;
      } else if (ch === '/' && text[pos + 1] === '/') {
        while (pos < text.length && text[pos] !== '\n' && text[pos] !== '\r') pos++;
      } else if (ch === '/' && text[pos + 1] === '*') {
        const end = text.indexOf('*/', pos + 2);
        if (end < 0) throw new SyntaxProblem('a /* comment is never closed with */', pos);
        pos = end + 2;
      } else {
        return;
      }
    }
  };

  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    while (pos < text.length) {
      const code = text.charCodeAt(pos);
      if (code === 34 /* " */) {
        pos++;
        try {
          return JSON.parse(text.slice(start, pos)) as string;
        } catch {
          throw new SyntaxProblem('invalid escape sequence in a string', start);
        }
      }
      if (code === 92 /* \ */) pos += 2;
      else if (code < 32) throw new SyntaxProblem('a string must be closed on the same line', start);
      else pos++;
    }
    throw new SyntaxProblem('a string is never closed', start);
  };

  const readValue = (keyPath: string, attach: (v: unknown) => void): void => {
    skipTrivia();
    const ch = text[pos];
    if (ch === '{') {
      const obj: Record<string, unknown> = {};
      attach(obj);
      pos++;
      skipTrivia();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        skipTrivia();
        if (text[pos] !== '"') fail(text[pos] === "'" ? 'a property name in double quotes (single quotes are not JSON)' : 'a property name in double quotes');
        const keyStart = pos;
        const key = readString();
        const childPath = keyPath ? `${keyPath}/${key}` : key;
        skipTrivia();
        if (text[pos] !== ':') fail(`':' after the property name "${key}"`);
        pos++;
        keyOffsets.set(childPath, keyStart);
        readValue(childPath, (v) => {
          obj[key] = v;
        });
        skipTrivia();
        if (text[pos] === ',') {
          pos++;
          skipTrivia();
          if (text[pos] === '}') {
            pos++;
            return;
          }
        } else if (text[pos] === '}') {
          pos++;
          return;
        } else {
          fail(`',' or '}' after the value of "${key}"`);
        }
      }
    }
    if (ch === '[') {
      const arr: unknown[] = [];
      attach(arr);
      pos++;
      skipTrivia();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        readValue(`${keyPath}/${arr.length}`, (v) => arr.push(v));
        skipTrivia();
        if (text[pos] === ',') {
          pos++;
          skipTrivia();
          if (text[pos] === ']') {
            pos++;
            return;
          }
        } else if (text[pos] === ']') {
          pos++;
          return;
        } else {
          fail("',' or ']' in a list");
        }
      }
    }
    if (ch === '"') {
      attach(readString());
      return;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 64));
    if (literal && !/[\w$]/.test(text[pos + literal[0].length] ?? '')) {
      pos += literal[0].length;
      attach(JSON.parse(literal[0]));
      return;
    }
    fail('a value (an object, a list, a string in double quotes, a number, true, false or null)');
  };

  try {
    skipTrivia();
    if (pos >= text.length) return { value: undefined, error: null, keyOffsets, lineIndex }; // nothing but comments
    readValue('', (v) => {
      root = v;
    });
    skipTrivia();
    if (pos < text.length) fail('the end of the file after the value');
    return { value: root, error: null, keyOffsets, lineIndex };
  } catch (e) {
    if (!(e instanceof SyntaxProblem)) throw e;
    const at = lineIndex.positionAt(e.offset);
    return { value: root, error: { message: e.message, line: at.line, column: at.column }, keyOffsets, lineIndex };
  }
}
