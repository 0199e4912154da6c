/**
 * What a foreign key's `ON DELETE` / `ON UPDATE` action does to the rows of the referencing table,
 * in the words PostgreSQL's behaviour warrants (each case is run in PGlite by
 * test/unit/rules/referential-actions.test.ts):
 * - RESTRICT and NO ACTION both refuse the delete (SQLSTATE 23001 / 23503); NO ACTION checks at the
 *   end of the statement, or at COMMIT when the constraint is DEFERRABLE and deferred, and lets the
 *   delete through when a row with the same key is there again by then; RESTRICT checks the row
 *   itself and is never deferred.
 * - SET NULL on a NOT NULL column cannot be carried out: the delete fails (23502), no row is
 *   orphaned.
 * - SET DEFAULT fails (23503) when no parent row has the default key.
 */
import type { Catalog, FkAction, ForeignKey } from '../../catalog/model';
import { quoteAlways } from '../../pg/names';

export interface ConsequenceOptions {
  /** The action before the change, for a change. */
  from?: FkAction;
  /** Referencing columns that are NOT NULL (SET NULL cannot be carried out on them). */
  notNull?: readonly string[];
  /** Whether the new constraint is DEFERRABLE (only NO ACTION can then be deferred). */
  deferrable?: boolean;
}

const REFUSES = new Set<FkAction>(['RESTRICT', 'NO ACTION']);

/** The NOT NULL columns among a foreign key's referencing columns, in a catalog. */
export function notNullColumnsOf(catalog: Catalog, table: string, fk: ForeignKey): string[] {
  const t = catalog.table(table);
  return fk.columns.filter((c) => t?.columns.get(c)?.notNull);
}

/** What deleting a parent row does under the action `to` (a change from `options.from` when given). */
export function onDeleteConsequence(to: FkAction, child: string, parent: string, options: ConsequenceOptions = {}): string {
  const { from } = options;
  if (from && REFUSES.has(from) && REFUSES.has(to)) return refusedEitherWay(from, to, 'deleting', `a ${parent} row that still has ${child} rows`, parent, options.deferrable);
  switch (to) {
    case 'CASCADE':
      return `deleting a ${parent} row now also deletes its ${child} rows`;
    case 'RESTRICT':
    case 'NO ACTION':
      return `deleting a ${parent} row that still has ${child} rows now fails (SQLSTATE ${to === 'RESTRICT' ? '23001' : '23503'})`;
    case 'SET NULL':
      if (options.notNull?.length) return `deleting a ${parent} row that still has ${child} rows now fails: SET NULL cannot be carried out on ${notNullWords(options.notNull)} (NOT NULL violation, SQLSTATE 23502)`;
      return `deleting a ${parent} row now sets the key of its ${child} rows to NULL (the rows stay, pointing at no ${parent} row)`;
    case 'SET DEFAULT':
      return `deleting a ${parent} row now points its ${child} rows at the column default (the delete fails when no ${parent} row has that key)`;
  }
}

/** What changing a parent row's key does under the action `to`. */
export function onUpdateConsequence(to: FkAction, child: string, parent: string, options: ConsequenceOptions = {}): string {
  const { from } = options;
  if (from && REFUSES.has(from) && REFUSES.has(to)) return refusedEitherWay(from, to, 'changing', `the key of a ${parent} row that ${child} rows use`, parent, options.deferrable);
  switch (to) {
    case 'CASCADE':
      return `changing a ${parent} key now rewrites the key in its ${child} rows`;
    case 'RESTRICT':
    case 'NO ACTION':
      return `changing a ${parent} key that ${child} rows use now fails (SQLSTATE ${to === 'RESTRICT' ? '23001' : '23503'})`;
    case 'SET NULL':
      if (options.notNull?.length) return `changing a ${parent} key that ${child} rows use now fails: SET NULL cannot be carried out on ${notNullWords(options.notNull)} (NOT NULL violation, SQLSTATE 23502)`;
      return `changing a ${parent} key now sets the key of its ${child} rows to NULL`;
    case 'SET DEFAULT':
      return `changing a ${parent} key now points its ${child} rows at the column default (the change fails when no ${parent} row has that key)`;
  }
}

/** RESTRICT ↔ NO ACTION: both refuse; what differs is when and how the check runs. */
function refusedEitherWay(from: FkAction, to: FkAction, verb: string, what: string, parent: string, deferrable: boolean | undefined): string {
  const code = (a: FkAction) => (a === 'RESTRICT' ? '23001' : '23503');
  const timing =
    to === 'NO ACTION'
      ? `the check now runs at the end of the statement${deferrable ? ', or at COMMIT once the constraint is deferred' : ''}, and lets the change through when a ${parent} row with the same key is there again by then`
      : `the check now refuses even when a ${parent} row with the same key is there again by the end of the statement${from === 'NO ACTION' && deferrable ? ', and can no longer be deferred to COMMIT' : ''}`;
  return `${verb} ${what} is refused either way (the error becomes SQLSTATE ${code(to)} instead of ${code(from)}); ${timing} — most applications see no difference`;
}

function notNullWords(columns: readonly string[]): string {
  return columns.length > 1 ? `the NOT NULL columns ${columns.map(quoteAlways).join(', ')}` : `the NOT NULL column ${quoteAlways(columns[0])}`;
}
