/** `preflight check [path...]`: the review in one format, to stdout or --output-file. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checklistPath, readChecklistFile } from '../core/checklist/index';
import { RULES } from '../core/rules/index';
import { toGithubAnnotations } from './format/github';
import { toGitlabCodeQuality } from './format/gitlab';
import { toJsonReport } from './format/json';
import { toMarkdown, type ChecklistStatus } from './format/markdown';
import { displayPath } from './format/paths';
import { shouldUseColor, toPretty } from './format/pretty';
import { toSarif } from './format/sarif';
import type { Io } from './main';
import { CHECK_SPEC, type Format } from './options/command-specs';
import { parseCommand, renderHelp } from './options/option-table';
import { exitCodeFor, mergeResults, runReview, type Review } from './review';
import { UsageError } from './usage-error';
import { VERSION } from './version';

export async function checkCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommand(CHECK_SPEC, args);
  if (parsed.help) {
    io.stdout(renderHelp(CHECK_SPEC));
    return 0;
  }
  const format = (parsed.values.format as Format | undefined) ?? 'pretty';
  const outputFile = parsed.values['output-file'] as string | undefined;
  const review = await runReview(parsed, io);
  const color = outputFile === undefined && !parsed.values['no-color'] && shouldUseColor(io.env, io.isTTY);
  const report = render(format, review, color);
  if (outputFile === undefined) {
    io.stdout(report);
  } else {
    const file = path.resolve(io.cwd, outputFile);
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, report);
    } catch (e) {
      throw new UsageError(`cannot write --output-file ${outputFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return exitCodeFor(review.results.flatMap((r) => r.findings), review.failOn);
}

export function render(format: Format, review: Review, color: boolean): string {
  const { results, root } = review;
  const result = mergeResults(results);
  switch (format) {
    case 'json': {
      // One project: the document. Several: an array of documents, one per project.
      const docs = results.map((r) => toJsonReport(r, root));
      return `${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`;
    }
    case 'sarif':
      return `${JSON.stringify(toSarif(result, RULES.map((r) => r.meta), root, VERSION), null, 2)}\n`;
    case 'github':
      return toGithubAnnotations(result, root);
    case 'gitlab':
      return `${JSON.stringify(toGitlabCodeQuality(result, root), null, 2)}\n`;
    case 'markdown':
      return toMarkdown(result, root, { checklistOf: (file) => checklistStatus(file, root) });
    case 'pretty':
      return toPretty(result, root, {
        color,
        summary: !review.quiet,
        readFile: (f) => {
          try {
            return readFileSync(f, 'utf8');
          } catch {
            return null;
          }
        },
      });
  }
}

/** The checklist file beside a migration.sql: its path, and how many items are ticked once it exists. */
export function checklistStatus(migrationFile: string, root: string): ChecklistStatus {
  const file = checklistPath(path.dirname(migrationFile));
  const parsed = readChecklistFile(file);
  return {
    path: displayPath(root, file),
    items: parsed ? { total: parsed.ids.length, ticked: parsed.ids.filter((id) => parsed.state.ticks[id] === true).length } : null,
  };
}
