/**
 * Prisma's referential actions (`onDelete:` / `onUpdate:` of `@relation`) and the defaults Prisma
 * applies when none is written, as prisma-engines decides them for PostgreSQL.
 */
import type { FkAction } from '../catalog/model';

export const REFERENTIAL_ACTIONS = ['Cascade', 'Restrict', 'NoAction', 'SetNull', 'SetDefault'] as const;
export type ReferentialAction = (typeof REFERENTIAL_ACTIONS)[number];

export function isReferentialAction(value: string): value is ReferentialAction {
  return (REFERENTIAL_ACTIONS as readonly string[]).includes(value);
}

/**
 * `onDelete` when none is written: Restrict for a required relation, SetNull for an optional one.
 * "Required" is Prisma's referential arity: any of the relation's scalar fields (`fields:`) is
 * required, or else the relation field itself is.
 */
export function defaultOnDelete(required: boolean): ReferentialAction {
  return required ? 'Restrict' : 'SetNull';
}

/** `onUpdate` when none is written: always Cascade. */
export function defaultOnUpdate(): ReferentialAction {
  return 'Cascade';
}

/** The action Prisma puts in the foreign key: the explicit one, else the default. */
export function effectiveAction(explicit: ReferentialAction | null, fallback: ReferentialAction): ReferentialAction {
  return explicit ?? fallback;
}

/** How the action is spelled in SQL (`ON DELETE SET NULL`), as the catalog holds it. */
export function sqlReferentialAction(action: ReferentialAction): FkAction {
  switch (action) {
    case 'Cascade':
      return 'CASCADE';
    case 'Restrict':
      return 'RESTRICT';
    case 'NoAction':
      return 'NO ACTION';
    case 'SetNull':
      return 'SET NULL';
    case 'SetDefault':
      return 'SET DEFAULT';
  }
}
