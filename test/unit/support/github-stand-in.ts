/**
 * A stand-in for the part of GitHub's REST API that `preflight comment` uses, on 127.0.0.1: the
 * comments of one issue (paginated like GitHub: per_page up to 100, a `Link: <...>; rel="next"`
 * header), creating one, and updating one. It records every request and checks the bearer token.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInComment {
  id: number;
  body: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. /repos/o/r/issues/7/comments?per_page=100&page=2. */
  url: string;
  authorization: string | undefined;
  body: unknown;
}

export interface GitHubStandIn {
  /** The API root to put in GITHUB_API_URL. */
  url: string;
  requests: RecordedRequest[];
  /** The comments of each issue, by number; tests seed and read them. */
  comments: Map<number, StandInComment[]>;
  /** When set, every request is answered with this status and message (e.g. a fork's read-only token). */
  failWith: { status: number; message: string } | null;
  close(): Promise<void>;
}

export async function startGitHubStandIn(options: { owner: string; repo: string; token: string }): Promise<GitHubStandIn> {
  let nextId = 1000;
  const state: Omit<GitHubStandIn, 'url' | 'close'> = { requests: [], comments: new Map(), failWith: null };
  const prefix = `/repos/${options.owner}/${options.repo}/issues`;

  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const body = raw ? JSON.parse(raw) : undefined;
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      const origin = `http://${req.headers.host}`;
      const url = new URL(req.url ?? '/', origin);
      if (state.failWith) return send(res, state.failWith.status, { message: state.failWith.message });
      if (req.headers.authorization !== `Bearer ${options.token}`) return send(res, 401, { message: 'Bad credentials' });
      const list = /^(.*)\/(\d+)\/comments$/.exec(url.pathname);
      if (list && list[1] === prefix) {
        const comments = state.comments.get(Number(list[2])) ?? [];
        if (req.method === 'GET') {
          const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
          const page = Number(url.searchParams.get('page') ?? 1);
          const slice = comments.slice((page - 1) * perPage, page * perPage);
          const headers: Record<string, string> = {};
          if (page * perPage < comments.length) {
            const next = new URL(url);
            next.searchParams.set('page', String(page + 1));
            headers.link = `<${next.href}>; rel="next", <${url.origin}${url.pathname}?page=1>; rel="first"`;
          }
          return send(res, 200, slice.map((c) => withUrl(c, origin)), headers);
        }
        if (req.method === 'POST') {
          const created = { id: nextId++, body: String((body as { body?: unknown }).body) };
          state.comments.set(Number(list[2]), [...comments, created]);
          return send(res, 201, withUrl(created, origin));
        }
      }
      const one = /^(.*)\/comments\/(\d+)$/.exec(url.pathname);
      if (one && one[1] === prefix && req.method === 'PATCH') {
        const comment = [...state.comments.values()].flat().find((c) => c.id === Number(one[2]));
        if (!comment) return send(res, 404, { message: 'Not Found' });
        comment.body = String((body as { body?: unknown }).body);
        return send(res, 200, withUrl(comment, origin));
      }
      return send(res, 404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function withUrl(c: StandInComment, origin: string) {
  return { ...c, html_url: `${origin}/comment/${c.id}` };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}
