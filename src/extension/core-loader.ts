/**
 * Loads the core (`core-api.ts`) on first need. Modules of the extension import only types from
 * the core, so activation costs nothing until a Prisma file is analysed.
 */
export type Core = typeof import('./core-api');

let loading: Promise<Core> | null = null;

export function loadCore(): Promise<Core> {
  loading ??= import('./core-api');
  return loading;
}
