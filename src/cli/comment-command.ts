/**
 * `preflight comment [path...]`: the review (`--format markdown`) as one sticky comment on the
 * pull request. Findings: the comment is posted, or the earlier one updated. A clean review
 * updates an earlier comment to say so (the reviewers who read it see the change) and posts
 * nothing when there is none.
 */
import { toMarkdown, COMMENT_MARKER } from './format/markdown';
import { checklistStatus } from './check-command';
import { GitHubApiError, upsertStickyComment } from './github/sticky-comment';
import { pullRequestContext } from './github/pull-request-context';
import type { Io } from './main';
import { COMMENT_SPEC } from './options/command-specs';
import { parseCommand, renderHelp } from './options/option-table';
import { exitCodeFor, mergeResults, runReview } from './review';
import { VERSION } from './version';

export async function commentCommand(args: string[], io: Io): Promise<number> {
  const parsed = parseCommand(COMMENT_SPEC, args);
  if (parsed.help) {
    io.stdout(renderHelp(COMMENT_SPEC));
    return 0;
  }
  // Where to post is known before anything is analysed: outside a pull request, fail at once.
  const ctx = pullRequestContext(io.env);
  const review = await runReview(parsed, io);
  const result = mergeResults(review.results);
  const body = toMarkdown(result, review.root, { checklistOf: (file) => checklistStatus(file, review.root) });
  let outcome;
  try {
    outcome = await upsertStickyComment(ctx, { marker: COMMENT_MARKER, body, create: result.findings.length > 0, userAgent: `preflight-prisma/${VERSION}` });
  } catch (e) {
    if (!(e instanceof GitHubApiError)) throw e;
    io.stderr(`preflight: cannot post the pull-request comment: ${e.message}\n`);
    return 2;
  }
  const where = `${ctx.owner}/${ctx.repo}#${ctx.number}`;
  io.stdout(outcome.action === 'skipped' ? `no findings and no earlier comment on ${where}: nothing posted\n` : `${outcome.action} the Preflight comment on ${where}: ${outcome.url}\n`);
  return exitCodeFor(result.findings, review.failOn);
}
