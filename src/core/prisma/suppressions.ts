/**
 * Suppression comments in schema.prisma, as in migration.sql but with `//`, on a line of their own:
 *   // preflight-ignore <rule-id>[, <rule-id>] [: reason]      silences the next line that is not
 *                                                             blank or a comment (a field, a model)
 *   // preflight-ignore-file <rule-id>[, <rule-id>] [: reason] silences the whole file
 * `all` stands for every rule. `///` is a documentation comment (Prisma copies it into the
 * generated client) and is not read.
 */
import { parseSuppressionComment } from '../sql/suppressions';

export interface SchemaSuppressions {
  /** Rules silenced in the whole file. */
  file: string[];
  /** Rules silenced on a 1-based line. */
  forLine(line: number): string[];
}

export function readSchemaSuppressions(text: string): SchemaSuppressions {
  const file: string[] = [];
  const byLine = new Map<number, string[]>();
  let pending: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('//')) {
      if (line.startsWith('///')) return;
      const parsed = parseSuppressionComment(line.slice(2));
      if (parsed?.scope === 'file') file.push(...parsed.rules);
      else if (parsed) pending.push(...parsed.rules);
      return;
    }
    if (pending.length) byLine.set(i + 1, pending);
    pending = [];
  });
  return { file: [...new Set(file)], forLine: (line) => byLine.get(line) ?? [] };
}

/** Whether `ruleId` is silenced for a finding that starts on `line`. */
export function isSuppressedInSchema(suppressions: SchemaSuppressions, ruleId: string, line: number): boolean {
  const here = suppressions.forLine(line);
  return [suppressions.file, here].some((ids) => ids.includes(ruleId) || ids.includes('all'));
}
