/**
 * `preflight comment`, the built CLI against a stand-in GitHub REST API on 127.0.0.1
 * (GITHUB_API_URL): one sticky comment, found again by its hidden marker across pages of other
 * comments, and a token that never reaches the output.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startGitHubStandIn, type GitHubStandIn } from './support/github-stand-in';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SHOP = path.join(ROOT, 'examples', 'shop');
const MARKER = '<!-- preflight-prisma:review -->';
const TOKEN = 'ghs_StandInToken4a7f0c2e9b';

/** The built CLI, asynchronously: the stand-in server answers from this same process. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env } }, (error, out, err) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, out, err });
    });
  });
}

describe('preflight comment against a stand-in GitHub API', function () {
  this.timeout(60_000);
  let api: GitHubStandIn;
  let dir: string;
  let prEvent: string;
  const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_PATH: prEvent, GITHUB_API_URL: api.url });
  const noToken = (r: { out: string; err: string }) => {
    assert.ok(!r.out.includes(TOKEN) && !r.err.includes(TOKEN), 'the token is printed');
  };

  before(function () {
    if (!existsSync(CLI)) this.skip();
  });
  beforeEach(async () => {
    api = await startGitHubStandIn({ owner: 'acme', repo: 'shop', token: TOKEN });
    dir = mkdtempSync(path.join(tmpdir(), 'pf-comment-'));
    prEvent = path.join(dir, 'event.json');
    writeFileSync(prEvent, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7 } }));
  });
  afterEach(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the first run POSTs one comment after reading every page; the second finds it by its marker on page 2 and PATCHes it', async () => {
    // 130 comments by people: the list spans two pages of 100, and none carries the marker.
    api.comments.set(7, Array.from({ length: 130 }, (_, k) => ({ id: k + 1, body: `review comment ${k + 1}` })));

    const first = await cli(['comment', SHOP], env());
    assert.equal(first.code, 1, first.err); // the shop's errors fail the run, as with check
    noToken(first);
    const posts = api.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1);
    assert.equal(posts[0].url, '/repos/acme/shop/issues/7/comments');
    const gets = api.requests.filter((r) => r.method === 'GET').map((r) => new URL(r.url, api.url).searchParams.get('page') ?? '1');
    assert.deepEqual(gets, ['1', '2'], 'both pages are read before posting');
    assert.ok(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
    const created = api.comments.get(7)!.at(-1)!;
    assert.ok(created.body.startsWith(MARKER), 'the comment starts with the hidden marker');
    assert.match(created.body, /^## .*Preflight: \d+ errors/m, 'the verdict comes first');
    assert.match(first.out, new RegExp(`^created the Preflight comment on acme/shop#7: ${api.url}/comment/${created.id}\\n$`));

    api.requests.length = 0;
    const second = await cli(['comment', SHOP, '--select', 'drop-column', '--exit-zero'], env());
    assert.equal(second.code, 0, second.err);
    noToken(second);
    assert.equal(api.comments.get(7)!.length, 131, 'no second comment');
    assert.deepEqual(
      api.requests.map((r) => `${r.method} ${r.url}`),
      ['GET /repos/acme/shop/issues/7/comments?per_page=100', 'GET /repos/acme/shop/issues/7/comments?per_page=100&page=2', `PATCH /repos/acme/shop/issues/comments/${created.id}`],
    );
    assert.match(created.body, /drop-column/);
    assert.doesNotMatch(created.body, /narrowing-type-change/, 'the comment now holds the second review');
    assert.match(second.out, /^updated the Preflight comment on acme\/shop#7/);
  });

  it('a clean review posts nothing when there is no comment, and updates an earlier one to say so', async () => {
    const clean = await cli(['comment', SHOP, '--select', 'nul-byte'], env());
    assert.equal(clean.code, 0, clean.err);
    assert.deepEqual(api.requests.map((r) => r.method), ['GET']);
    assert.match(clean.out, /^no findings and no earlier comment on acme\/shop#7: nothing posted\n$/);

    api.comments.set(7, [{ id: 5, body: `${MARKER}\nold review` }]);
    const again = await cli(['comment', SHOP, '--select', 'nul-byte'], env());
    assert.equal(again.code, 0, again.err);
    assert.equal(api.comments.get(7)![0].body.includes('old review'), false);
    assert.ok(api.comments.get(7)![0].body.startsWith(MARKER));
  });

  it('outside a pull request: one line on stderr, exit 2, nothing sent', async () => {
    const pushEvent = path.join(dir, 'push.json');
    writeFileSync(pushEvent, JSON.stringify({ ref: 'refs/heads/main', head_commit: { id: 'abc' } }));
    for (const extra of [{ GITHUB_EVENT_PATH: pushEvent }, { GITHUB_EVENT_PATH: '' }]) {
      const r = await cli(['comment', SHOP], { ...env(), ...extra });
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
      assert.match(r.err, /^preflight: comment runs for a pull request, and this is not one/);
      noToken(r);
    }
    const noTokenSet = await cli(['comment', SHOP], { ...env(), GITHUB_TOKEN: '' });
    assert.equal(noTokenSet.code, 2);
    assert.match(noTokenSet.err, /^preflight: comment needs GITHUB_TOKEN/);
    assert.equal(api.requests.length, 0);
  });

  it('an HTTP error is one line with the status and GitHub\'s message, exit 2, the token redacted even when the server echoes it', async () => {
    api.failWith = { status: 403, message: `Resource not accessible by integration (token ${TOKEN})` };
    const r = await cli(['comment', SHOP], env());
    assert.equal(r.code, 2);
    noToken(r);
    assert.equal(r.err.trimEnd().split('\n').length, 1, r.err);
    assert.match(r.err, /^preflight: cannot post the pull-request comment: GET \/repos\/acme\/shop\/issues\/7\/comments\?per_page=100 answered HTTP 403: Resource not accessible by integration \(token \*\*\*\) \(does the token have pull-requests: write\?\)/);
  });
});
