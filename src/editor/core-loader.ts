/**
 * Loads the core (`core-api.ts`) on first need. Modules of the editor layer and its front ends
 * import only types from the core, so activation costs nothing until a Prisma file is analysed.
 * A `require` inside the function: esbuild keeps the module in the bundle but runs it only here,
 * and under mocha (tsx/cjs) it resolves the TypeScript file as the bundle does.
 */
export type Core = typeof import('./core-api');

let loading: Promise<Core> | null = null;

export function loadCore(): Promise<Core> {
  loading ??= Promise.resolve().then(() => require('./core-api') as Core);
  return loading;
}
