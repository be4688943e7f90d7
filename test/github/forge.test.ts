import { afterEach, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { fitComment, upsertComment } from '../../pipeline/github/forge.ts';
import { publishReport } from '../../pipeline/github/publish.ts';
import { githubForge, nextLink } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { checkAgainstOpenApi, type FakeGitHub, startFakeGitHub } from './fake-github.ts';

const MARKER = '<!-- vitrine:report -->';
const SHA = 'a'.repeat(40);
let gh: FakeGitHub | null = null;

afterEach(async () => {
  await gh?.close();
  gh = null;
});

function forgeFor(server: FakeGitHub, extra: { now?: number; maxWaitMs?: number } = {}) {
  const sleeps: number[] = [];
  const log = memoryLogger();
  const forge = githubForge({
    apiUrl: server.url,
    token: 'test-token',
    log,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    clock: { now: () => new Date(extra.now ?? Date.UTC(2026, 0, 1)) },
    maxWaitMs: extra.maxWaitMs,
  });
  return { forge, sleeps, log };
}

describe('the one report comment', () => {
  it('is created on the first run and edited in place on the second, found on a later page', async () => {
    gh = await startFakeGitHub({ pageSize: 2 });
    for (let i = 0; i < 5; i++) gh.addComment(2, `a reviewer's comment ${i}`);
    const { forge, log } = forgeFor(gh);
    const first = await upsertComment({
      forge,
      owner: 'Codertocat',
      repo: 'Hello-World',
      issue: 2,
      marker: MARKER,
      body: 'first report',
      log,
    });
    expect(first.action).toBe('created');
    // Three more people comment: nine comments, two a page, the report on the third of five pages.
    for (let i = 0; i < 3; i++) gh.addComment(2, `later comment ${i}`);
    const second = await upsertComment({
      forge,
      owner: 'Codertocat',
      repo: 'Hello-World',
      issue: 2,
      marker: MARKER,
      body: 'second report',
      log,
    });
    expect(second.action).toBe('updated');
    expect(second.comment.id).toBe(first.comment.id);
    const ours = gh.comments.get(2)!.filter((c) => c.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.body).toBe(`${MARKER}\nsecond report`);
    // The second run read every page (following GitHub's /repositories/{id} links) before editing; the first read
    // its three pages before posting and again after, for a copy an overlapping run posted (comment-race.test.ts).
    const listing = gh.requests.filter((r) => r.method === 'GET');
    expect(listing.length).toBe(3 + 3 + 5);
    expect(listing.filter((r) => r.path.startsWith('/repositories/')).length).toBe(2 + 2 + 4);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(gh.invalid).toEqual([]);
  });

  it('never posts a second comment when GitHub stored the first but answered 502: it lists again and adopts it', async () => {
    gh = await startFakeGitHub();
    gh.addComment(2, 'a reviewer');
    gh.fail({ method: 'POST', path: /comments$/, status: 502, message: 'Bad Gateway', afterStoring: true });
    const { forge, log } = forgeFor(gh);
    const result = await upsertComment({ forge, owner: 'o', repo: 'r', issue: 2, marker: MARKER, body: 'report', log });
    const ours = gh.comments.get(2)!.filter((c) => c.body.startsWith(MARKER));
    expect(ours).toHaveLength(1);
    expect(result.comment.id).toBe(ours[0]!.id);
    expect(ours[0]!.body).toBe(`${MARKER}\nreport`);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(log.lines.some((l) => l.level === 'warn' && /may have been stored/.test(l.message))).toBe(true);
    // Stored then 502 on every try of a second run: it edits the one comment, still one.
    gh.fail({ method: 'PATCH', status: 502, afterStoring: true, times: 2 });
    await upsertComment({ forge, owner: 'o', repo: 'r', issue: 2, marker: MARKER, body: 'report 2', log });
    expect(
      gh.comments
        .get(2)!
        .filter((c) => c.body.startsWith(MARKER))
        .map((c) => c.body),
    ).toEqual([`${MARKER}\nreport 2`]);
  });

  it('posts again when the failed post was not stored, and still ends with one comment', async () => {
    gh = await startFakeGitHub();
    gh.fail({ method: 'POST', path: /comments$/, status: 502, times: 2 });
    const { forge, log, sleeps } = forgeFor(gh);
    await upsertComment({ forge, owner: 'o', repo: 'r', issue: 2, marker: MARKER, body: 'report', log });
    expect(gh.comments.get(2)!.filter((c) => c.body.startsWith(MARKER))).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it("deletes the stale copies it owns when earlier runs left duplicates, and leaves other people's alone", async () => {
    gh = await startFakeGitHub();
    const oldest = gh.addComment(2, `${MARKER}\nold report`, 'github-actions[bot]');
    gh.addComment(2, `${MARKER}\nduplicate 1`, 'github-actions[bot]');
    const mallory = gh.addComment(2, `${MARKER}\nmallory's`, 'mallory');
    gh.addComment(2, `${MARKER}\nduplicate 2`, 'github-actions[bot]');
    const { forge, log } = forgeFor(gh);
    const result = await upsertComment({ forge, owner: 'o', repo: 'r', issue: 2, marker: MARKER, body: 'report', log });
    expect(result).toMatchObject({ action: 'updated', comment: { id: oldest.id } });
    expect(gh.comments.get(2)!.map((c) => c.id)).toEqual([oldest.id, mallory.id]);
    expect(gh.invalid).toEqual([]);
  });

  it('does not take over a comment that only quotes the marker', async () => {
    gh = await startFakeGitHub();
    gh.addComment(2, `> ${MARKER}\n> quoted report`);
    const { forge, log } = forgeFor(gh);
    const result = await upsertComment({ forge, owner: 'o', repo: 'r', issue: 2, marker: MARKER, body: 'report', log });
    expect(result.action).toBe('created');
  });

  it('never edits a marked comment written by someone else: it posts its own and edits only that', async () => {
    gh = await startFakeGitHub();
    // A fork author posts the marker first, hoping the bot will put its words under the report.
    const planted = gh.addComment(2, `${MARKER}\nplanted by mallory`, 'mallory');
    const { forge, log } = forgeFor(gh);
    const first = await upsertComment({ forge, owner: 'o', repo: 'r', issue: 2, marker: MARKER, body: 'report', log });
    expect(first.action).toBe('created');
    expect(first.comment.id).not.toBe(planted.id);
    expect(gh.comments.get(2)!.find((c) => c.id === planted.id)!.body).toBe(`${MARKER}\nplanted by mallory`);
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    // The next run edits the bot's own comment, still leaving mallory's alone.
    const second = await upsertComment({
      forge,
      owner: 'o',
      repo: 'r',
      issue: 2,
      marker: MARKER,
      body: 'report 2',
      log,
    });
    expect(second).toMatchObject({ action: 'updated', comment: { id: first.comment.id } });
    expect(gh.comments.get(2)!.find((c) => c.id === planted.id)!.body).toBe(`${MARKER}\nplanted by mallory`);
  });

  it('edits the comment of the identity that posts, when told which (a GitHub App or a personal token)', async () => {
    gh = await startFakeGitHub();
    const bots = gh.addComment(2, `${MARKER}\nby the Actions bot`, 'github-actions[bot]');
    const app = gh.addComment(2, `${MARKER}\nby the museum's app`, 'museum-vitrine[bot]');
    const { forge, log } = forgeFor(gh);
    const result = await upsertComment({
      forge,
      owner: 'o',
      repo: 'r',
      issue: 2,
      marker: MARKER,
      body: 'report',
      author: 'Museum-Vitrine[bot]',
      log,
    });
    expect(result).toMatchObject({ action: 'updated', comment: { id: app.id } });
    expect(gh.comments.get(2)!.find((c) => c.id === bots.id)!.body).toBe(`${MARKER}\nby the Actions bot`);
  });

  it('cuts a report longer than a comment at a line end and closes open blocks', () => {
    const body = `${'<details><summary>x</summary>\n\n```mermaid\n'}${'line\n'.repeat(200)}`;
    const cut = fitComment({ body, limit: 400 });
    expect(cut.length).toBeLessThanOrEqual(400);
    expect(cut).toContain('line\n');
    expect(cut.match(/```/g)!.length % 2).toBe(0);
    expect(cut).toContain('</details>');
    expect(cut).toContain('full report is in the job summary');
  });
});

describe('GitHub API failures', () => {
  it('retries server errors with growing waits, then succeeds', async () => {
    gh = await startFakeGitHub();
    // An edit can be repeated safely (a post is not: see "the one report comment").
    const c = gh.addComment(2, 'x', 'github-actions[bot]');
    gh.fail({ method: 'PATCH', status: 502, times: 2 });
    const { forge, sleeps, log } = forgeFor(gh);
    const comment = await forge.updateComment({ owner: 'o', repo: 'r', commentId: c.id, body: 'hello' });
    expect(comment.id).toBe(c.id);
    expect(sleeps).toEqual([1000, 2000]);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('waits until the rate limit resets (x-ratelimit-reset) before trying again', async () => {
    gh = await startFakeGitHub();
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    gh.fail({
      method: 'GET',
      status: 403,
      message: 'API rate limit exceeded for installation',
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) },
    });
    const { forge, sleeps } = forgeFor(gh, { now });
    await forge.listComments({ owner: 'o', repo: 'r', issue: 2 });
    expect(sleeps).toEqual([31_000]);
  });

  it('honours Retry-After on a secondary rate limit (429)', async () => {
    gh = await startFakeGitHub();
    gh.fail({
      method: 'PATCH',
      status: 429,
      headers: { 'retry-after': '7' },
      message: 'You have exceeded a secondary rate limit',
    });
    const c = gh.addComment(2, 'x', 'github-actions[bot]');
    const { forge, sleeps } = forgeFor(gh);
    await forge.updateComment({ owner: 'o', repo: 'r', commentId: c.id, body: 'y' });
    expect(sleeps).toEqual([7000]);
  });

  it('gives up after the last attempt with a message saying what could not be posted', async () => {
    gh = await startFakeGitHub();
    gh.fail({ method: 'POST', status: 500, times: 99 });
    const { forge, sleeps } = forgeFor(gh);
    const { log } = forgeFor(gh);
    const error = await upsertComment({
      forge,
      owner: 'museum',
      repo: 'collection',
      issue: 7,
      marker: MARKER,
      body: 'x',
      log,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'FORGE_REQUEST_FAILED')).toBe(true);
    expect((error as Error).message).toMatch(
      /^Could not post the report comment on pull request #7 in museum\/collection after 5 attempts: GitHub answered 500/,
    );
    expect(sleeps).toHaveLength(4);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(5);
  });

  it('does not wait an hour for a rate limit: it fails at once and says so', async () => {
    gh = await startFakeGitHub();
    const now = Date.UTC(2026, 0, 1);
    gh.fail({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 3600) },
      message: 'API rate limit exceeded',
    });
    const { forge, sleeps } = forgeFor(gh, { now });
    const error = await forge
      .setStatus({ owner: 'o', repo: 'r', sha: SHA, state: 'success', context: 'vitrine/gate', description: 'ok' })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /Could not set the "vitrine\/gate" status on commit aaaaaaaaaaaa .*rate limit.*resets in 3601 s/,
    );
    expect(sleeps).toEqual([]);
  });

  it('does not retry a refusal (403 without rate limit) and explains the permission', async () => {
    gh = await startFakeGitHub();
    gh.fail({ status: 403, message: 'Resource not accessible by integration' });
    const { forge, sleeps } = forgeFor(gh);
    const error = await forge.createComment({ owner: 'o', repo: 'r', issue: 2, body: 'x' }).catch((e: unknown) => e);
    expect((error as Error).message).toContain('Resource not accessible by integration');
    expect((error as Error).message).toContain('pull-requests: write');
    expect(sleeps).toEqual([]);
    expect(gh.requests).toHaveLength(1);
  });

  it('publishReport tries the status even when the comment fails, then names both outcomes', async () => {
    gh = await startFakeGitHub();
    gh.fail({ method: 'POST', path: /comments$/, status: 503, times: 99 });
    const { forge, log } = forgeFor(gh);
    const error = await publishReport({
      forge,
      owner: 'o',
      repo: 'r',
      issue: 3,
      sha: SHA,
      markdown: 'report',
      gatePassed: false,
      headline: 'Worse. The promotion gate does not pass.',
      marker: MARKER,
      context: 'vitrine/gate',
      log,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REPORT_NOT_POSTED')).toBe(true);
    expect((error as Error).message).toMatch(/Could not post the report comment on pull request #3/);
    expect((error as Error).message).toMatch(/still in this run's job summary/);
    expect(gh.statuses).toEqual([
      { sha: SHA, state: 'failure', context: 'vitrine/gate', description: 'Worse. The promotion gate does not pass.' },
    ]);
  });

  it('never sends the token to another host named in a Link header', async () => {
    const fetch: typeof globalThis.fetch = async (input) => {
      const url = String(input);
      if (url.includes('evil')) throw new Error('the token was sent to the other host');
      return new Response('[]', { status: 200, headers: { link: '<https://evil.example/steal?page=2>; rel="next"' } });
    };
    const forge = githubForge({
      apiUrl: 'https://api.github.com',
      token: 't',
      fetch,
      log: memoryLogger(),
      sleep: async () => {},
    });
    await expect(forge.listComments({ owner: 'o', repo: 'r', issue: 1 })).rejects.toThrow(
      /not https:\/\/api\.github\.com/,
    );
  });
});

describe('request shapes', () => {
  it("match GitHub's OpenAPI description", () => {
    expect(
      checkAgainstOpenApi({
        method: 'POST',
        path: '/repos/o/r/statuses/abc',
        body: { state: 'success', context: 'c', description: 'd' },
      }),
    ).toEqual([]);
    expect(
      checkAgainstOpenApi({ method: 'POST', path: '/repos/o/r/statuses/abc', body: { state: 'passed' } })[0],
    ).toMatch(/not one of/);
    expect(checkAgainstOpenApi({ method: 'PUT', path: '/repos/o/r/issues/1/comments', body: {} })[0]).toMatch(
      /not in GitHub's REST API/,
    );
  });

  it('reads next links in every spelling GitHub uses', () => {
    expect(
      nextLink(
        '<https://api.github.com/repositories/1/issues/2/comments?page=2>; rel="next", ' +
          '<https://api.github.com/repositories/1/issues/2/comments?page=4>; rel="last"',
      ),
    ).toBe('https://api.github.com/repositories/1/issues/2/comments?page=2');
    expect(nextLink('<https://x/?page=1>; rel="prev"')).toBeNull();
    expect(nextLink(null)).toBeNull();
  });

  it('read the merge base from the compare API, and say which commits when GitHub knows none', async () => {
    gh = await startFakeGitHub();
    const { forge } = forgeFor(gh);
    const [base, head, mergeBase] = ['b', 'c', 'd'].map((c) => c.repeat(40)) as [string, string, string];
    gh.compare.set(`${base}...${head}`, mergeBase.toUpperCase());
    expect(await forge.mergeBase({ owner: 'o', repo: 'r', base, head })).toBe(mergeBase);
    expect(gh.requests.at(-1)!.path).toBe(`/repos/o/r/compare/${base}...${head}`);
    expect(gh.invalid).toEqual([]);
    gh.fail({ path: /\/compare\//, status: 404, message: 'Not Found' });
    const error = await forge.mergeBase({ owner: 'o', repo: 'r', base, head }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'FORGE_REQUEST_FAILED')).toBe(true);
    expect((error as Error).message).toContain(
      `find where commits ${'b'.repeat(12)} and ${'c'.repeat(12)} in o/r meet`,
    );
  });

  it('status descriptions stay within 140 characters', async () => {
    gh = await startFakeGitHub();
    const { forge } = forgeFor(gh);
    await forge.setStatus({
      owner: 'o',
      repo: 'r',
      sha: SHA,
      state: 'success',
      context: 'vitrine/gate',
      description: 'x'.repeat(300),
      targetUrl: 'https://github.com/o/r/actions/runs/1',
    });
    expect(gh.statuses[0]!.description.length).toBe(140);
    expect(gh.invalid).toEqual([]);
  });
});
