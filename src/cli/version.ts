/** The package's version, read from the package.json beside dist/ (0.0.0 when it cannot be read). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const VERSION: string = (() => {
  try {
    return JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
})();
