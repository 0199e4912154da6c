/**
 * Where the corpus suites find the corpus of 10 public Prisma histories: `PREFLIGHT_CORPUS`, else
 * `../shared/corpus` beside the checkout. Without it the corpus suites skip, and one line at the end
 * of the run says how to run them; with `PREFLIGHT_REQUIRE_CORPUS=1` (CI) they fail instead.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..', '..');

export const CORPUS = path.resolve(REPO, process.env.PREFLIGHT_CORPUS || path.join('..', 'shared', 'corpus'));

/** The corpus repositories (folders with a `migrations` folder), sorted; none when the corpus is absent. */
export function corpusRepos(): string[] {
  if (!existsSync(CORPUS) || !statSync(CORPUS).isDirectory()) return [];
  return readdirSync(CORPUS)
    .filter((d) => existsSync(path.join(CORPUS, d, 'migrations')))
    .sort();
}

export const corpusPresent = corpusRepos().length > 0;
const corpusRequired = process.env.PREFLIGHT_REQUIRE_CORPUS === '1';

let skipNoticeRegistered = false;

/** Prints once, after the last test (a root-suite hook: describeWithCorpus runs at top level), how to run the skipped suites. */
function noticeSkipOnce(): void {
  if (skipNoticeRegistered) return;
  skipNoticeRegistered = true;
  after(() => {
    process.stdout.write(`\n  corpus suites skipped: no corpus at ${CORPUS}; set PREFLIGHT_CORPUS=/path/to/corpus to run them\n`);
  });
}

/**
 * `describe(title, body)` when the corpus is present; call it at the top level of a test file.
 * Absent: the suite is left out (one notice for all of them), or, with PREFLIGHT_REQUIRE_CORPUS=1,
 * it is one failing test that names the path.
 */
export function describeWithCorpus(title: string, body: (this: Mocha.Suite) => void): void {
  if (corpusPresent) describe(title, body);
  else if (corpusRequired) describe(title, () => it('needs the corpus (PREFLIGHT_REQUIRE_CORPUS=1)', () => assert.fail(`no corpus at ${CORPUS} (PREFLIGHT_CORPUS)`)));
  else noticeSkipOnce();
}
