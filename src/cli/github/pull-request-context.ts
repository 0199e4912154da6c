/**
 * Where `preflight comment` posts: the repository and pull request of the running GitHub Actions
 * job, read from the variables the runner sets (GITHUB_TOKEN is the workflow's to pass in `env:`).
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../usage-error';

export interface PullRequestContext {
  /** REST API root without a trailing slash: https://api.github.com, or GitHub Enterprise's `/api/v3`. */
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  number: number;
}

export const DEFAULT_API_URL = 'https://api.github.com';

export function pullRequestContext(env: Readonly<Record<string, string | undefined>>): PullRequestContext {
  const token = env.GITHUB_TOKEN;
  if (!token) throw new UsageError('comment needs GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}, with permissions: pull-requests: write)');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo, ...extra] = repository.split('/');
  if (!owner || !repo || extra.length) throw new UsageError(`comment needs GITHUB_REPOSITORY as owner/name${repository ? `, not "${repository}"` : ' (set by GitHub Actions)'}`);
  const number = pullRequestNumber(env.GITHUB_EVENT_PATH);
  const apiUrl = (env.GITHUB_API_URL || DEFAULT_API_URL).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiUrl)) throw new UsageError(`GITHUB_API_URL must be an http(s) URL, not "${apiUrl}"`);
  return { apiUrl, token, owner, repo, number };
}

/** The pull request's number from the event payload: `pull_request` events, and comments on a pull request. */
function pullRequestNumber(eventPath: string | undefined): number {
  const notPr = 'comment runs for a pull request, and this is not one';
  if (!eventPath) throw new UsageError(`${notPr} (GITHUB_EVENT_PATH is not set)`);
  let event: { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown } };
  try {
    event = JSON.parse(readFileSync(eventPath, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the event payload GITHUB_EVENT_PATH=${eventPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const n = event?.pull_request?.number ?? (event?.issue?.pull_request ? event.issue.number : undefined);
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw new UsageError(`${notPr} (the event in GITHUB_EVENT_PATH has no pull_request; run it on: pull_request)`);
  return n;
}
