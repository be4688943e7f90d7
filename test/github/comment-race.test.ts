import { afterEach, describe, expect, it } from 'vitest';
import { type Forge, upsertComment } from '../../pipeline/github/forge.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';

/*
 * Two runs of the same pull request that overlap both find no comment and both post one: the pull request kept two
 * marked reports until a third run (tester T13, F5). After creating its comment a run reads the comments again,
 * keeps the oldest of its marked ones with its own text, and deletes the younger copies.
 */

const MARKER = '<!-- vitrine:report -->';
const o = { owner: 'Codertocat', repo: 'Hello-World', issue: 2 };
let gh: FakeGitHub | null = null;

afterEach(async () => {
  await gh?.close();
  gh = null;
});

describe('two runs that post the report comment at the same time', () => {
  it('end with one marked comment, the oldest, holding the text of the run that wrote last', async () => {
    gh = await startFakeGitHub({ token: 't' });
    const log = memoryLogger();
    const forge = githubForge({ apiUrl: gh.url, token: 't', log, sleep: async () => {} });
    // The other run posts its comment between this run's look at the comments and its own post.
    let first = 0;
    const racing: Forge = {
      ...forge,
      async createComment(args) {
        first = (await forge.createComment({ ...args, body: `${MARKER}\nrun 1` })).id;
        return forge.createComment(args);
      },
    };
    const result = await upsertComment({ forge: racing, ...o, marker: MARKER, body: 'run 2', log });
    const marked = gh.comments.get(2)!.filter((c) => c.body.startsWith(MARKER));
    expect(marked).toHaveLength(1);
    expect(marked[0]!.body).toContain('run 2');
    expect(result.comment.id).toBe(marked[0]!.id);
    expect(marked[0]!.id).toBe(first);
    expect(result.action).toBe('updated');
  });

  it('the run that finds only its own comment after posting reads the comments once more and writes nothing else', async () => {
    gh = await startFakeGitHub({ token: 't' });
    const log = memoryLogger();
    const forge = githubForge({ apiUrl: gh.url, token: 't', log, sleep: async () => {} });
    const result = await upsertComment({ forge, ...o, marker: MARKER, body: 'only', log });
    expect(result.action).toBe('created');
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
  });
});
