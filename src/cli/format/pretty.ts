/**
 * `preflight check` for people: one block per finding in the style of rustc, ruff and squawk,
 * then a summary line. (The notices go to stderr, as for every format.)
 *
 *   error[drop-table]: Drops table "LegacyOrder" and every row in it; ...
 *    --> prisma/migrations/20250101000000_drop/migration.sql:2:1
 *     |
 *   2 | DROP TABLE "LegacyOrder";
 *     | ^^^^^^^^^^^^^^^^^^^^^^^^^
 *     |
 *     = help: Take a backup first ...
 *     = fix (unsafe): ...
 *
 * Colour is plain ANSI SGR codes, only when asked; the caller decides with `shouldUseColor`.
 * Text from the workspace (SQL, identifiers inside messages) has its control characters made
 * visible, so a migration cannot send escape sequences to the terminal.
 */
import * as path from 'node:path';
import type { AnalysisResult, Finding, Position, Severity } from '../../core/types';
import { displayPath } from './paths';
import { plural } from '../../core/text/plural';

export interface PrettyOptions {
  color: boolean;
  /** The summary line at the end (`--quiet` leaves it out); default true. */
  summary?: boolean;
  /** The text of a file (absolute path), or null when it cannot be read: the block is then shown without code. */
  readFile(path: string): string | null;
}

/** At most this many source lines in one code frame; a longer range shows its first lines and `...`. */
export const MAX_FRAME_LINES = 6;
const TAB = '    ';

/**
 * Whether to colour output, per https://no-color.org and the FORCE_COLOR convention:
 * NO_COLOR set and non-empty → never; FORCE_COLOR set and non-empty → always, except `0` / `false`
 * (Node's and supports-color's "off"); otherwise only on a terminal whose TERM is not `dumb`.
 */
export function shouldUseColor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force) return force !== '0' && force.toLowerCase() !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

const SGR = {
  error: '1;31',
  warning: '1;33',
  info: '1;36',
  bold: '1',
  gutter: '1;34',
} as const;

export function toPretty(result: AnalysisResult, cwd: string, options: PrettyOptions): string {
  const paint = (code: string, text: string) => (options.color && text ? `\x1b[${code}m${text}\x1b[0m` : text);
  const files = new Map<string, string[] | null>();
  const linesOf = (file: string): string[] | null => {
    if (!files.has(file)) {
      const text = options.readFile(file);
      files.set(file, text === null ? null : text.split(/\r\n|\r|\n/));
    }
    return files.get(file) ?? null;
  };

  const out: string[] = [];
  for (const f of result.findings) {
    out.push(renderFinding(f, cwd, linesOf(path.resolve(cwd, f.file)), paint), '');
  }
  if (options.summary !== false) out.push(summary(result, paint));
  return out.length ? `${out.join('\n')}\n` : '';
}

type Paint = (code: string, text: string) => string;

function renderFinding(f: Finding, cwd: string, lines: string[] | null, paint: Paint): string {
  const { start, end } = f.range;
  const frame = lines ? frameOf(f, lines.length) : null;
  const width = String(frame ? frame.lines[frame.lines.length - 1] : start.line).length;
  const pad = ' '.repeat(width);
  const gutter = (label: string) => paint(SGR.gutter, `${label} |`);

  const out = [
    `${paint(SGR[f.severity], `${f.severity}[${f.rule}]`)}${paint(SGR.bold, `: ${visible(f.message)}`)}`,
    `${pad}${paint(SGR.gutter, '-->')} ${visible(displayPath(cwd, f.file))}:${start.line}:${start.column}`,
  ];
  if (lines && frame) {
    out.push(gutter(pad));
    for (const n of frame.lines) {
      const text = lines[n - 1];
      out.push(`${gutter(String(n).padStart(width))} ${visibleSource(text)}`.trimEnd());
      const span = underlinedSpan(text, n, start, end);
      if (span) out.push(`${gutter(pad)} ${' '.repeat(displayWidth(text.slice(0, span.from)))}${paint(SGR[f.severity], '^'.repeat(Math.max(1, displayWidth(text.slice(span.from, span.to)))))}`);
    }
    if (frame.truncated) out.push('...');
    out.push(gutter(pad));
  }
  const note = (label: string, text: string) => `${pad} ${paint(SGR.bold, '=')} ${paint(SGR.bold, label)}: ${indentContinuation(visible(text), `${pad} = ${label}: `.length)}`;
  if (f.help) out.push(note('help', f.help));
  for (const fix of f.fixes ?? []) out.push(note(`fix (${fix.safe ? 'safe' : 'unsafe'})`, fix.title));
  for (const r of f.related ?? []) out.push(note('note', `${r.message} (${displayPath(cwd, r.file)}:${r.range.start.line}:${r.range.start.column})`));
  return out.join('\n');
}

/**
 * The 1-based lines the code frame shows: those of the range, or its first MAX_FRAME_LINES - 1
 * followed by `...` when it is longer. Null when the range is not in the file (it changed since).
 */
function frameOf(f: Finding, lineCount: number): { lines: number[]; truncated: boolean } | null {
  const { start, end } = f.range;
  if (start.line < 1 || start.line > lineCount) return null;
  // A range that ends at the start of a line (just after a newline) underlines nothing there.
  const lastLine = Math.min(end.column === 1 && end.line > start.line ? end.line - 1 : end.line, lineCount);
  const count = Math.max(1, lastLine - start.line + 1);
  const truncated = count > MAX_FRAME_LINES;
  return { lines: Array.from({ length: truncated ? MAX_FRAME_LINES - 1 : count }, (_, i) => start.line + i), truncated };
}

/** UTF-16 indexes into the line to underline, or null for a blank continuation line. */
function underlinedSpan(text: string, line: number, start: Position, end: Position): { from: number; to: number } | null {
  const from = line === start.line ? Math.min(start.column - 1, text.length) : text.length - text.trimStart().length;
  const to = line === end.line ? Math.min(end.column - 1, text.length) : text.trimEnd().length;
  if (line !== start.line && to <= from) return null;
  return { from, to: Math.max(from, to) };
}

function summary(result: AnalysisResult, paint: Paint): string {
  const count = (s: Severity) => result.findings.filter((f) => f.severity === s).length;
  const migrations = plural(result.migrations.length, 'migration');
  if (result.findings.length === 0) return paint(SGR.bold, `No problems found in ${migrations}`);
  const parts = [
    paint(count('error') ? SGR.error : SGR.bold, plural(count('error'), 'error')),
    paint(count('warning') ? SGR.warning : SGR.bold, plural(count('warning'), 'warning')),
    paint(count('info') ? SGR.info : SGR.bold, plural(count('info'), 'info')),
  ];
  return `${parts.join(', ')}${paint(SGR.bold, ` in ${migrations}`)}`;
}

function indentContinuation(text: string, width: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(width)}`);
}

/** Message text: line breaks normalised to `\n`, other control characters shown as symbols. */
export function visible(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, controlPicture);
}

/** A source line: tabs expanded, control characters shown as symbols (one column each, so carets still align). */
function visibleSource(text: string): string {
  return text.replace(/\t/g, TAB).replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/g, controlPicture);
}

function controlPicture(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\ufffd';
}

/** Terminal columns a piece of source takes once shown: tabs 4, combining marks 0, East Asian wide and emoji 2. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (ch === '\t') width += TAB.length;
    else if (/[\p{M}\p{Cf}]/u.test(ch)) continue;
    else width += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
