/**
 * One comment per pull request that later runs update: found by a hidden marker in its body
 * (listing every page of the pull request's comments), PATCHed when found, POSTed otherwise.
 * GitHub REST API: GET/POST /repos/{owner}/{repo}/issues/{number}/comments,
 * PATCH /repos/{owner}/{repo}/issues/comments/{id}.
 */
import type { PullRequestContext } from './pull-request-context';

export type StickyOutcome = { action: 'created' | 'updated'; url: string } | { action: 'skipped' };

/** An HTTP failure, with the status and GitHub's message; never the token. */
export class GitHubApiError extends Error {}

/** GitHub rejects a comment body longer than this (characters). */
export const MAX_COMMENT_LENGTH = 65_536;
const MAX_PAGES = 100;

export interface StickyOptions {
  marker: string;
  body: string;
  /** Whether to post a new comment when none exists yet (a clean review only updates an old one). */
  create: boolean;
  userAgent: string;
}

export async function upsertStickyComment(ctx: PullRequestContext, options: StickyOptions): Promise<StickyOutcome> {
  const base = `${ctx.apiUrl}/repos/${encodeURIComponent(ctx.owner)}/${encodeURIComponent(ctx.repo)}`;
  const body = fitComment(options.body);
  const existing = await findComment(ctx, `${base}/issues/${ctx.number}/comments?per_page=100`, options);
  if (existing !== null) {
    const updated = await request(ctx, 'PATCH', `${base}/issues/comments/${existing}`, options.userAgent, { body });
    return { action: 'updated', url: String(updated.html_url ?? '') };
  }
  if (!options.create) return { action: 'skipped' };
  const created = await request(ctx, 'POST', `${base}/issues/${ctx.number}/comments`, options.userAgent, { body });
  return { action: 'created', url: String(created.html_url ?? '') };
}

/** The id of the first comment carrying the marker, following `Link: <...>; rel="next"` pages on the API's own origin. */
async function findComment(ctx: PullRequestContext, firstPage: string, options: StickyOptions): Promise<number | null> {
  const origin = new URL(ctx.apiUrl).origin;
  let url: string | null = firstPage;
  for (let page = 0; url !== null && page < MAX_PAGES; page++) {
    const response = await send(ctx, 'GET', url, options.userAgent);
    const comments = (await json(ctx, response, 'GET', url)) as { id?: unknown; body?: unknown }[];
    if (!Array.isArray(comments)) throw new GitHubApiError(`GET ${redactedPath(url)}: expected a list of comments`);
    const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(options.marker) && typeof c.id === 'number');
    if (mine) return mine.id as number;
    const next = nextLink(response.headers.get('link'));
    // the token goes only to the API it was given for
    url = next && new URL(next).origin === origin ? next : null;
  }
  return null;
}

function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return null;
}

async function request(ctx: PullRequestContext, method: 'POST' | 'PATCH', url: string, userAgent: string, payload: unknown): Promise<Record<string, unknown>> {
  const response = await send(ctx, method, url, userAgent, payload);
  return (await json(ctx, response, method, url)) as Record<string, unknown>;
}

async function send(ctx: PullRequestContext, method: string, url: string, userAgent: string, payload?: unknown): Promise<Response> {
  try {
    return await fetch(url, {
      method,
      headers: {
        Accept: 'application/vnd.github+json',
        Authorization: `Bearer ${ctx.token}`,
        'X-GitHub-Api-Version': '2022-11-28',
        'User-Agent': userAgent,
        ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
      redirect: 'error',
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new GitHubApiError(redact(`${method} ${redactedPath(url)}: ${cause?.code ?? cause?.message ?? (e as Error).message}`, ctx.token));
  }
}

async function json(ctx: PullRequestContext, response: Response, method: string, url: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) {
    let message = '';
    try {
      message = String(JSON.parse(text).message ?? '');
    } catch {
      message = text.slice(0, 200);
    }
    const hint = response.status === 403 || response.status === 404 ? ' (does the token have pull-requests: write?)' : '';
    throw new GitHubApiError(redact(`${method} ${redactedPath(url)} answered HTTP ${response.status}${message ? `: ${message}` : ''}${hint}`, ctx.token));
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new GitHubApiError(`${method} ${redactedPath(url)} answered HTTP ${response.status} with a body that is not JSON`);
  }
}

/** The URL's path and query only (the host is the user's GITHUB_API_URL). */
function redactedPath(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}

function redact(text: string, token: string): string {
  return token ? text.split(token).join('***') : text;
}

/** A body GitHub accepts: cut at a line end below the limit, saying so. */
export function fitComment(body: string): string {
  if (body.length <= MAX_COMMENT_LENGTH) return body;
  const note = '\n\n… the report was cut here: GitHub allows 65,536 characters in a comment. `preflight check` (or the job summary) has all of it.\n';
  const cut = body.lastIndexOf('\n', MAX_COMMENT_LENGTH - note.length);
  return `${body.slice(0, cut > 0 ? cut : MAX_COMMENT_LENGTH - note.length)}${note}`;
}
