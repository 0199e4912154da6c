/**
 * Reads `schema` and `migrations.path` out of a `prisma.config.ts` (or .mts/.cts/.js/.mjs/.cjs,
 * or `.config/prisma.ts`) statically, as text: the file is never executed. Understood values are
 * string literals, template literals without `${}`, `path.join(...)` / `path.resolve(...)` of those
 * and of `__dirname` / `import.meta.dirname` / `process.cwd()`, `+` concatenation, and constants
 * declared with `const NAME = ...` in the same file. Anything else is reported as unreadable.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';

const EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];

/** The Prisma config file in `dir`, where Prisma looks for one, or null. */
export function findPrismaConfigFile(dir: string): string | null {
  for (const ext of EXTENSIONS) {
    const file = path.join(dir, `prisma.config.${ext}`);
    if (isFile(file)) return file;
  }
  for (const ext of EXTENSIONS) {
    const file = path.join(dir, '.config', `prisma.${ext}`);
    if (isFile(file)) return file;
  }
  return null;
}

export interface PrismaConfigPaths {
  /** Absolute path from `schema`, when the file sets it in a readable way. */
  schema?: string;
  /** Absolute path from `migrations.path`, when the file sets it in a readable way. */
  migrationsPath?: string;
  /** True when the file sets `schema`, readable or not. */
  declaresSchema: boolean;
  /** True when the file sets `migrations.path`, readable or not. */
  declaresMigrationsPath: boolean;
  /** What could not be read without running the file. */
  unreadable: UnreadableSetting[];
}

export interface UnreadableSetting {
  /** `schema`, `migrations.path`, or `config` when the exported object itself was not found. */
  setting: 'schema' | 'migrations.path' | 'config';
  /** The source text of the value (whitespace collapsed), empty for `config`. */
  source: string;
}

/**
 * The paths the config text sets, resolved against `baseDir` (the folder of the config file:
 * Prisma resolves them relative to it).
 */
export function readPrismaConfigPaths(text: string, baseDir: string): PrismaConfigPaths {
  const tokens = tokenize(text);
  const result: PrismaConfigPaths = { declaresSchema: false, declaresMigrationsPath: false, unreadable: [] };
  const ctx: EvalContext = { tokens, baseDir, resolving: new Set() };
  const sourceOf = (span: Span): string => (span.end > span.start ? text.slice(tokens[span.start].start, tokens[span.end - 1].end).replace(/\s+/g, ' ') : '');
  const objectStart = findConfigObject(tokens);
  if (objectStart === null) {
    if (/\b(schema|migrations)\b/.test(text)) result.unreadable.push({ setting: 'config', source: '' });
    return result;
  }
  const props = objectProperties(tokens, objectStart);

  const schema = props.get('schema');
  if (schema) {
    result.declaresSchema = true;
    const value = evaluate(ctx, schema.start, schema.end);
    if (value === null) result.unreadable.push({ setting: 'schema', source: sourceOf(schema) });
    else result.schema = path.resolve(baseDir, value);
  }

  const migrations = props.get('migrations');
  if (migrations) {
    const start = objectStartOf(ctx, migrations.start, migrations.end);
    if (start === null) {
      result.declaresMigrationsPath = true;
      result.unreadable.push({ setting: 'migrations.path', source: sourceOf(migrations) });
    } else {
      const migrationPath = objectProperties(tokens, start).get('path');
      if (migrationPath) {
        result.declaresMigrationsPath = true;
        const value = evaluate(ctx, migrationPath.start, migrationPath.end);
        if (value === null) result.unreadable.push({ setting: 'migrations.path', source: sourceOf(migrationPath) });
        else result.migrationsPath = path.resolve(baseDir, value);
      }
    }
  }
  return result;
}

type TokenKind = 'string' | 'template' | 'ident' | 'number' | 'punct';

interface Token {
  kind: TokenKind;
  /** Identifier name, punctuation, or a string's value. */
  value: string;
  /** For templates: true when it contains `${...}`. */
  dynamic?: boolean;
  start: number;
  end: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (ch === '"' || ch === "'") {
      const start = i;
      let value = '';
      i++;
      while (i < text.length && text[i] !== ch && text[i] !== '\n') {
        if (text[i] === '\\') {
          value += unescape(text[i + 1] ?? '');
          i += 2;
        } else {
          value += text[i++];
        }
      }
      i++;
      tokens.push({ kind: 'string', value, start, end: i });
    } else if (ch === '`') {
      const start = i;
      let value = '';
      let dynamic = false;
      i++;
      while (i < text.length && text[i] !== '`') {
        if (text[i] === '\\') {
          value += unescape(text[i + 1] ?? '');
          i += 2;
        } else if (text[i] === '$' && text[i + 1] === '{') {
          dynamic = true;
          let depth = 0;
          for (; i < text.length; i++) {
            if (text[i] === '{') depth++;
            else if (text[i] === '}' && --depth === 0) break;
          }
          i++;
        } else {
          value += text[i++];
        }
      }
      i++;
      tokens.push({ kind: 'template', value, dynamic, start, end: i });
    } else if (/[A-Za-z_$]/.test(ch)) {
      const start = i;
      while (i < text.length && /[\w$]/.test(text[i])) i++;
      tokens.push({ kind: 'ident', value: text.slice(start, i), start, end: i });
    } else if (/\d/.test(ch)) {
      const start = i;
      while (i < text.length && /[\w.]/.test(text[i])) i++;
      tokens.push({ kind: 'number', value: text.slice(start, i), start, end: i });
    } else {
      tokens.push({ kind: 'punct', value: ch, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

function unescape(ch: string): string {
  return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[ch] ?? ch;
}

const isPunct = (t: Token | undefined, v: string): boolean => t !== undefined && t.kind === 'punct' && t.value === v;
const isIdent = (t: Token | undefined, v?: string): boolean => t !== undefined && t.kind === 'ident' && (v === undefined || t.value === v);

/** Index of the `{` of the object given to `defineConfig(...)` or exported as default. */
function findConfigObject(tokens: Token[]): number | null {
  for (let i = 0; i < tokens.length; i++) {
    if (isIdent(tokens[i], 'defineConfig') && isPunct(tokens[i + 1], '(')) {
      if (isPunct(tokens[i + 2], '{')) return i + 2;
      if (isIdent(tokens[i + 2])) return declaredObject(tokens, tokens[i + 2].value);
    }
  }
  for (let i = 0; i < tokens.length; i++) {
    const exportDefault = isIdent(tokens[i], 'export') && isIdent(tokens[i + 1], 'default');
    const moduleExports = isIdent(tokens[i], 'module') && isPunct(tokens[i + 1], '.') && isIdent(tokens[i + 2], 'exports') && isPunct(tokens[i + 3], '=');
    if (!exportDefault && !moduleExports) continue;
    const next = tokens[i + (exportDefault ? 2 : 4)];
    if (isPunct(next, '{')) return i + (exportDefault ? 2 : 4);
    if (isIdent(next)) return declaredObject(tokens, next.value);
  }
  return null;
}

/** The `{` of `const name = {` (with an optional type annotation). */
function declaredObject(tokens: Token[], name: string): number | null {
  const init = declarationInitializer(tokens, name);
  return init !== null && isPunct(tokens[init], '{') ? init : null;
}

/** Index of the first token after `=` in `const|let|var name [: Type] = ...`. */
function declarationInitializer(tokens: Token[], name: string): number | null {
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!(isIdent(tokens[i], 'const') || isIdent(tokens[i], 'let') || isIdent(tokens[i], 'var')) || !isIdent(tokens[i + 1], name)) continue;
    let j = i + 2;
    let depth = 0;
    for (; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.kind === 'punct' && '([{<'.includes(t.value)) depth++;
      else if (t.kind === 'punct' && ')]}>'.includes(t.value)) depth--;
      else if (depth === 0 && isPunct(t, '=')) break;
      else if (depth === 0 && (isPunct(t, ';') || isPunct(t, ','))) break;
    }
    if (isPunct(tokens[j], '=') && !isPunct(tokens[j + 1], '>')) return j + 1;
  }
  return null;
}

interface Span {
  start: number;
  /** Exclusive. */
  end: number;
}

/** The properties of the object literal opening at `open`: name → token span of the value. */
function objectProperties(tokens: Token[], open: number): Map<string, Span> {
  const props = new Map<string, Span>();
  let depth = 0;
  let i = open;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'punct' && '([{'.includes(t.value)) {
      depth++;
      continue;
    }
    if (t.kind === 'punct' && ')]}'.includes(t.value)) {
      if (--depth === 0) break;
      continue;
    }
    const atPropertyStart = depth === 1 && (isPunct(tokens[i - 1], '{') || isPunct(tokens[i - 1], ','));
    if (!atPropertyStart || (t.kind !== 'ident' && t.kind !== 'string')) continue;
    if (isPunct(tokens[i + 1], ':')) {
      const end = valueEnd(tokens, i + 2);
      if (!props.has(t.value)) props.set(t.value, { start: i + 2, end });
      i = end - 1;
    } else if (t.kind === 'ident' && (isPunct(tokens[i + 1], ',') || isPunct(tokens[i + 1], '}'))) {
      // shorthand `{ schema }`: the value is the constant of that name
      if (!props.has(t.value)) props.set(t.value, { start: i, end: i + 1 });
    }
  }
  return props;
}

/** End (exclusive) of the expression starting at `start`: the next `,` or closing bracket at its level. */
function valueEnd(tokens: Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if ('([{'.includes(t.value)) depth++;
    else if (')]}'.includes(t.value)) {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (t.value === ',' || t.value === ';')) return i;
  }
  return tokens.length;
}

interface EvalContext {
  tokens: Token[];
  baseDir: string;
  resolving: Set<string>;
}

/** Where the value is an object literal (or a constant holding one): the index of its `{`. */
function objectStartOf(ctx: EvalContext, start: number, end: number): number | null {
  const { tokens } = ctx;
  if (end - start >= 1 && isPunct(tokens[start], '{')) return start;
  if (end - start === 1 && isIdent(tokens[start])) return declaredObject(tokens, tokens[start].value);
  return null;
}

const PATH_FUNCTIONS = new Map<string, 'join' | 'resolve'>([
  ['path.join', 'join'],
  ['path.resolve', 'resolve'],
  ['path.posix.join', 'join'],
  ['path.posix.resolve', 'resolve'],
  ['posix.join', 'join'],
  ['posix.resolve', 'resolve'],
  ['join', 'join'],
  ['resolve', 'resolve'],
  ['path.normalize', 'join'],
  ['normalize', 'join'],
]);

/** The string value of tokens[start, end), or null when it cannot be known without running the file. */
function evaluate(ctx: EvalContext, start: number, end: number): string | null {
  const { tokens } = ctx;
  // drop a trailing `as const` / `satisfies T` / `!`
  for (let i = start; i < end; i++) {
    if ((isIdent(tokens[i], 'as') || isIdent(tokens[i], 'satisfies')) && i > start) {
      end = i;
      break;
    }
  }
  while (end > start && isPunct(tokens[end - 1], '!')) end--;
  if (end <= start) return null;

  // `a + b + ...` at the top level
  const pluses = topLevelSplit(tokens, start, end, '+');
  if (pluses.length > 1) {
    let out = '';
    for (const part of pluses) {
      const v = evaluate(ctx, part.start, part.end);
      if (v === null) return null;
      out += v;
    }
    return out;
  }

  const first = tokens[start];
  if (end - start === 1) {
    if (first.kind === 'string') return first.value;
    if (first.kind === 'template') return first.dynamic ? null : first.value;
    if (isIdent(first, '__dirname')) return ctx.baseDir;
    if (first.kind === 'ident') return evaluateConstant(ctx, first.value);
    return null;
  }
  if (isPunct(first, '(') && closingOf(tokens, start) === end - 1) return evaluate(ctx, start + 1, end - 1);

  // dotted name, then optionally a call
  let i = start;
  const nameParts: string[] = [];
  while (i < end && isIdent(tokens[i])) {
    nameParts.push(tokens[i].value);
    if (isPunct(tokens[i + 1], '.') && i + 2 < end) i += 2;
    else {
      i++;
      break;
    }
  }
  const name = nameParts.join('.');
  if (i === end && (name === 'import.meta.dirname' || name === 'import.meta.dir')) return ctx.baseDir;
  if (!isPunct(tokens[i], '(') || closingOf(tokens, i) !== end - 1) return null;
  if (name === 'process.cwd' && end - i === 2) return ctx.baseDir;
  const fn = PATH_FUNCTIONS.get(name);
  if (!fn) return null;
  const args: string[] = [];
  for (const arg of topLevelSplit(tokens, i + 1, end - 1, ',')) {
    if (arg.end <= arg.start) continue; // trailing comma
    const v = evaluate(ctx, arg.start, arg.end);
    if (v === null) return null;
    args.push(v);
  }
  if (args.length === 0) return fn === 'resolve' ? ctx.baseDir : null;
  return fn === 'resolve' ? path.resolve(ctx.baseDir, ...args) : path.join(...args);
}

function evaluateConstant(ctx: EvalContext, name: string): string | null {
  if (ctx.resolving.has(name)) return null;
  const init = declarationInitializer(ctx.tokens, name);
  if (init === null) return null;
  ctx.resolving.add(name);
  try {
    return evaluate(ctx, init, valueEnd(ctx.tokens, init));
  } finally {
    ctx.resolving.delete(name);
  }
}

/** Index of the bracket closing the one at `open`, or -1. */
function closingOf(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if ('([{'.includes(t.value)) depth++;
    else if (')]}'.includes(t.value) && --depth === 0) return i;
  }
  return -1;
}

function topLevelSplit(tokens: Token[], start: number, end: number, separator: string): Span[] {
  const spans: Span[] = [];
  let depth = 0;
  let from = start;
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if ('([{'.includes(t.value)) depth++;
    else if (')]}'.includes(t.value)) depth--;
    else if (depth === 0 && t.value === separator) {
      spans.push({ start: from, end: i });
      from = i + 1;
    }
  }
  spans.push({ start: from, end });
  return spans;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
