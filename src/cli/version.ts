/** The package's version, read from the package.json beside dist/ (0.0.0 when it cannot be read). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * What the analysis code is: the bundle's build id (a hash of the sources, set by scripts/build.mjs)
 * after the version. Run from sources, a fresh id per process: nothing of another run is trusted.
 */
export const BUILD: string = process.env.PREFLIGHT_BUILD_ID ?? `source-${process.pid}-${Date.now()}`;

export const VERSION: string = (() => {
  try {
    return JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
})();
