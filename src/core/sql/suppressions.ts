/**
 * Suppression comments, on a line of their own:
 *   -- preflight-ignore <rule-id>[, <rule-id>] [: reason]     silences the next statement
 *   -- preflight-ignore-file <rule-id>[, <rule-id>] [: reason] silences the whole file
 * `all` stands for every rule.
 */
import type { LineIndex } from '../text/line-index';
import type { SourceRange } from '../types';
import type { Comment } from './lexer';

export interface Suppression {
  scope: 'statement' | 'file';
  rules: string[];
  reason: string | null;
  range: SourceRange;
  /** Offset of the comment's end: a statement suppression applies to the first statement after it. */
  appliesAfter: number;
}

export interface Suppressions {
  all: Suppression[];
  file: string[];
  forStatementAt(statementStart: number): string[];
}

const DIRECTIVE = /^\s*preflight-ignore(-file)?\b\s*([^:]*?)\s*(?::\s*(.*))?$/;

export function parseSuppressionComment(body: string): { scope: 'statement' | 'file'; rules: string[]; reason: string | null } | null {
  const m = DIRECTIVE.exec(body);
  if (!m) return null;
  const rules = m[2]
    .split(/[,\s]+/)
    .map((r) => r.trim())
    .filter(Boolean);
  return { scope: m[1] ? 'file' : 'statement', rules, reason: m[3]?.trim() || null };
}

export function readSuppressions(text: string, comments: Comment[], lines: LineIndex): Suppressions {
  const all: Suppression[] = [];
  for (const c of comments) {
    if (c.kind !== 'line') continue;
    const parsed = parseSuppressionComment(c.body);
    if (!parsed) continue;
    // "On its own line": only white space before the comment on that line.
    const lineStart = lines.lineStart(lines.positionAt(c.start).line);
    if (text.slice(lineStart, c.start).trim() !== '') continue;
    all.push({ ...parsed, range: lines.range(c.start, c.end), appliesAfter: c.end });
  }
  const file = [...new Set(all.filter((s) => s.scope === 'file').flatMap((s) => s.rules))];
  const statementScoped = all.filter((s) => s.scope === 'statement');
  const claimed = new Set<Suppression>();
  return {
    all,
    file,
    forStatementAt(statementStart: number): string[] {
      // Directives between the previous statement's end and this statement's start. The caller
      // asks in statement order; a directive belongs to the first statement after it.
      const out: string[] = [];
      for (const s of statementScoped) {
        if (s.appliesAfter <= statementStart && !claimed.has(s)) {
          claimed.add(s);
          out.push(...s.rules);
        }
      }
      return out;
    },
  };
}
