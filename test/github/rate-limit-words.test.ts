import { afterEach, describe, expect, it } from 'vitest';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';

/*
 * A rate limit that resets later than Vitrine waits stops at the first answer; the error said "after 5 attempts"
 * all the same (tester T13, F6). It says how many were made.
 */

const TOKEN = 'test-token';
let gh: FakeGitHub | null = null;

afterEach(async () => {
  await gh?.close();
  gh = null;
});

async function failure(fail: Parameters<FakeGitHub['fail']>[0]) {
  gh = await startFakeGitHub({ token: TOKEN });
  gh.fail(fail);
  const forge = githubForge({ apiUrl: gh.url, token: TOKEN, log: memoryLogger(), sleep: async () => {} });
  const error = await forge.listComments({ owner: 'Codertocat', repo: 'Hello-World', issue: 2 }).then(
    () => null,
    (e: unknown) => e as Error,
  );
  return { message: error!.message, requests: gh.requests.length };
}

describe('the words after GitHub refused every try', () => {
  it('a rate limit that resets in an hour: one attempt, said as one, and when it resets', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    const { message, requests } = await failure({
      status: 403,
      message: 'API rate limit exceeded',
      times: 99,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
    });
    expect(requests).toBe(1);
    expect(message).not.toContain('5 attempts');
    expect(message).toContain('did not try again');
    expect(message).toMatch(/resets in 36\d\d s, longer than the 90 s Vitrine waits/);
  });

  it('server errors on every try: after 5 attempts', async () => {
    const { message, requests } = await failure({ status: 503, times: 99 });
    expect(requests).toBe(5);
    expect(message).toContain('after 5 attempts');
  });
});
