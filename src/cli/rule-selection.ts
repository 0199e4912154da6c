/** `--select` / `--ignore`: which rules a run reports, as comma lists of rule ids (ruff's flags). */
import { closest } from '../core/text/closest';
import { RULES } from '../core/rules/index';
import type { Finding } from '../core/types';
import { UsageError } from './usage-error';

export interface RuleSelection {
  select: ReadonlySet<string> | null;
  ignore: ReadonlySet<string>;
}

/** Parses both lists; an unknown rule id is a usage error that names the closest id. */
export function parseRuleSelection(select: string | undefined, ignore: string | undefined): RuleSelection {
  return { select: select === undefined ? null : ruleIdList('select', select), ignore: ignore === undefined ? new Set() : ruleIdList('ignore', ignore) };
}

export function isSelected(selection: RuleSelection, finding: Finding): boolean {
  return (selection.select === null || selection.select.has(finding.rule)) && !selection.ignore.has(finding.rule);
}

const RULE_IDS = RULES.map((r) => r.meta.id);

/** The rule id itself, or a usage error with "did you mean" (`preflight explain drop-colum`). */
export function knownRuleId(id: string, where: string): string {
  if (RULE_IDS.includes(id)) return id;
  const near = closest(id, RULE_IDS);
  throw new UsageError(`unknown rule "${id}"${where}${near ? ` (did you mean ${near}?)` : ''}; \`preflight rules\` lists them`);
}

function ruleIdList(flag: string, text: string): Set<string> {
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new UsageError(`--${flag} needs a comma-separated list of rule ids, e.g. --${flag} drop-column,drop-table`);
  return new Set(ids.map((id) => knownRuleId(id, ` in --${flag}`)));
}
