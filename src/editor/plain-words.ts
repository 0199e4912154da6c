/**
 * Words for plain-text surfaces (the Problems panel, tooltips of tree items, notifications):
 * Markdown code spans lose their backticks, counts get real plurals. No `vscode` here.
 */

/** `x` → x: the Problems panel and notifications show backticks as they are. */
export { plainText } from '../core/text/plain-text';

/** "1 error", "3 warnings". */
export { plural } from '../core/text/plural';
import { plural } from '../core/text/plural';

/** "2 errors, 1 warning, 3 infos" without the zero counts; "no findings" when all are zero. */
export function findingCounts(errors: number, warnings: number, infos: number): string {
  const parts = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : '', infos ? `${infos} info` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no findings';
}
