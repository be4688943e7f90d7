import { afterEach, describe, expect, it } from 'vitest';
import { APPROVAL_CONTEXT, approveCommand, guardPullRequest } from '../../pipeline/github/guard.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { asFork, examplePayload, type PullRequestEvent } from './run-action.ts';

/*
 * Who may approve a fork's commit, and which commit an approval names: found by review, replayed
 * against GitHub's REST API on 127.0.0.1.
 */

const OWNER = 'Codertocat',
  REPO = 'Hello-World',
  LABEL = 'safe to run';
let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

function guardWith(fake: FakeGitHub, eventName: string) {
  const log = memoryLogger();
  const forge = githubForge({ apiUrl: fake.url, token: 'test-token', log, sleep: async () => {} });
  return (event: unknown) =>
    guardPullRequest({
      forge,
      owner: OWNER,
      repo: REPO,
      eventName,
      event,
      selfHosted: ['self-hosted', 'gpu'],
      approvalLabel: LABEL,
      approver: 'github-actions[bot]',
      log,
    });
}

describe('approval by label', () => {
  async function labeledBy(login: string, permission: string | null) {
    gh = await startFakeGitHub();
    const event = asFork(examplePayload('labeled') as PullRequestEvent) as any;
    event.label = { name: LABEL };
    event.sender = { login };
    if (permission) gh.permissions.set(login, permission);
    const n = event.pull_request.number;
    gh.pullFiles.set(n, [{ filename: 'labels.csv', status: 'modified' }]);
    const labels = { type: 'file' as const, text: 'object_id,label\nDM-1,coin\n' };
    gh.contents.set(event.pull_request.head.sha, new Map([['labels.csv', labels]]));
    gh.labels.set(n, [LABEL]);
    return { event, result: await guardWith(gh, 'pull_request_target')(event), number: n };
  }

  it.each([['read'], ['triage'], [null]])(
    'records nothing when someone with %s access adds the label',
    async (permission) => {
      const { result, number } = await labeledBy('triager', permission);
      expect(result.choice.trusted).toBe(false);
      expect(result.approvedNow).toBeNull();
      expect(result.files).toEqual([]);
      expect(gh!.statuses.filter((s) => s.context === APPROVAL_CONTEXT)).toEqual([]);
      expect(gh!.requests.filter((q) => q.path.endsWith('/collaborators/triager/permission'))).toHaveLength(1);
      // The label comes off all the same, so it never stands for an approval nobody recorded.
      expect(gh!.labels.get(number)).toEqual([]);
    },
  );

  it.each([['admin'], ['maintain'], ['write']])(
    'approves the head when someone with %s access adds the label',
    async (p) => {
      const { event, result } = await labeledBy('curator', p);
      expect(result.choice.trusted).toBe(true);
      expect(result.approvedNow).toBe(event.pull_request.head.sha);
    },
  );
});

describe('approval by comment', () => {
  it('needs the full 40-digit commit: a short one is no command', () => {
    const sha = 'ab12cd3'.padEnd(40, '0');
    expect(approveCommand(`/vitrine approve ${sha}`)).toEqual({ sha });
    expect(approveCommand(`/vitrine approve ${sha.toUpperCase()}`)).toEqual({ sha });
    expect(approveCommand(`/vitrine approve ${sha.slice(0, 7)}`)).toBeNull();
    expect(approveCommand(`/vitrine approve ${sha.slice(0, 39)}`)).toBeNull();
    expect(approveCommand(`/vitrine approve ${sha}0`)).toBeNull();
  });

  it("does not approve another head that shares the reviewed commit's first digits", async () => {
    gh = await startFakeGitHub();
    const opened = asFork(examplePayload('opened') as PullRequestEvent) as any;
    const reviewed = opened.pull_request.head.sha as string;
    const attacker = reviewed.slice(0, 12) + 'f'.repeat(28);
    gh.pullFiles.set(2, [{ filename: 'labels.csv', status: 'modified' }]);
    gh.contents.set(
      attacker,
      new Map([['labels.csv', { type: 'file' as const, text: 'object_id,label\nDM-1,poison\n' }]]),
    );
    gh.pulls.set(2, {
      head: { sha: attacker, repo: { full_name: 'mallory/Hello-World' } },
      base: { sha: opened.pull_request.base.sha, ref: 'main', repo: { full_name: `${OWNER}/${REPO}` } },
    });
    gh.permissions.set('curator', 'write');
    const guard = guardWith(gh, 'issue_comment');
    const comment = (body: string) => ({
      action: 'created',
      issue: { number: 2, pull_request: {} },
      comment: { body, user: { login: 'curator' } },
      repository: { full_name: `${OWNER}/${REPO}` },
    });
    // The maintainer read `reviewed`; the head is now another commit that shares its first 12 digits.
    for (const named of [reviewed.slice(0, 7), reviewed.slice(0, 12), reviewed]) {
      const r = await guard(comment(`/vitrine approve ${named}`));
      expect(r.approvedNow).toBeNull();
      expect(r.choice.trusted).toBe(false);
      expect(r.files).toEqual([]);
    }
    expect(gh.statuses.filter((s) => s.context === APPROVAL_CONTEXT)).toEqual([]);
  });
});

/*
 * An approval starts a run, and a run replaces the pull request's running report (the runner jobs'
 * concurrency group). So an approval from someone without write access must start nothing at all,
 * even where it would approve nothing new: a commit already approved, or the repository's own branch.
 */
describe('an approval without write access starts nothing', () => {
  it("a read-only collaborator's command on a fork whose commit is already approved", async () => {
    gh = await startFakeGitHub();
    const opened = asFork(examplePayload('opened') as PullRequestEvent) as any;
    const sha = opened.pull_request.head.sha as string;
    gh.pullFiles.set(2, [{ filename: 'labels.csv', status: 'modified' }]);
    gh.contents.set(sha, new Map([['labels.csv', { type: 'file' as const, text: 'object_id,label\nDM-1,coin\n' }]]));
    gh.pulls.set(2, {
      head: { sha, repo: { full_name: 'mallory/Hello-World' } },
      base: { sha: opened.pull_request.base.sha, ref: 'main', repo: { full_name: `${OWNER}/${REPO}` } },
    });
    gh.statuses.push({ sha, state: 'success', context: APPROVAL_CONTEXT, description: 'Approved by curator' });
    gh.permissions.set('reader', 'read');
    gh.permissions.set('curator', 'write');
    const guard = guardWith(gh, 'issue_comment');
    const comment = (who: string) => ({
      action: 'created',
      issue: { number: 2, pull_request: {} },
      comment: { body: `/vitrine approve ${sha}`, user: { login: who }, author_association: 'COLLABORATOR' },
      repository: { full_name: `${OWNER}/${REPO}` },
    });
    const byReader = await guard(comment('reader'));
    expect(byReader.choice.trusted).toBe(false);
    expect(byReader.pullRequest).toBeNull();
    expect(byReader.files).toEqual([]);
    // The same command by a maintainer runs (and replaces the running report, as they asked).
    expect((await guard(comment('curator'))).choice.trusted).toBe(true);
  });

  it.each([['triage'], ['read']])(
    'the label added by someone with %s access to a branch of the repository',
    async (p) => {
      gh = await startFakeGitHub();
      const event = examplePayload('labeled') as any;
      event.label = { name: LABEL };
      event.sender = { login: 'triager' };
      gh.permissions.set('triager', p);
      const n = event.pull_request.number;
      gh.pullFiles.set(n, [{ filename: 'labels.csv', status: 'modified' }]);
      const labels = { type: 'file' as const, text: 'object_id,label\nDM-1,coin\n' };
      gh.contents.set(event.pull_request.head.sha, new Map([['labels.csv', labels]]));
      gh.labels.set(n, [LABEL]);
      const result = await guardWith(gh, 'pull_request_target')(event);
      expect(result.choice.trusted).toBe(false);
      expect(result.pullRequest).toBeNull();
      expect(gh.labels.get(n)).toEqual([]);
    },
  );
});

/*
 * Outside tester: `/vitrine approve <commit>` below other words ("LGTM", then the command on a line of its own) got no
 * answer, and a short commit (the 12 characters the guard's comment shows) neither: the log said an issue_comment is
 * not on Vitrine's list of events. The command is now read on a line of its own anywhere in the comment; a short
 * commit still approves nothing (a fork can push another commit that begins alike), and a maintainer is told why.
 */
describe('the approval command among other words, or with a short commit', () => {
  const sha = 'ab12cd3'.padEnd(40, '0');

  it('is read on a line of its own anywhere in the comment, never inside a line or a quote', () => {
    expect(approveCommand(`LGTM\n/vitrine approve ${sha}`)).toEqual({ sha });
    expect(approveCommand(`Checked the labels.\r\n\r\n/vitrine approve ${sha}\r\nThanks!`)).toEqual({ sha });
    expect(approveCommand(`> /vitrine approve ${sha}`)).toBeNull();
    expect(approveCommand(`please /vitrine approve ${sha}`)).toBeNull();
    // Two commits named: which one was read cannot be told.
    expect(approveCommand(`/vitrine approve ${sha}\n/vitrine approve ${'c'.repeat(40)}`)).toBeNull();
  });

  function forkWithHead() {
    const opened = asFork(examplePayload('opened') as PullRequestEvent) as any;
    const head = opened.pull_request.head.sha as string;
    gh!.pullFiles.set(2, [{ filename: 'labels.csv', status: 'modified' }]);
    gh!.contents.set(head, new Map([['labels.csv', { type: 'file' as const, text: 'object_id,label\nDM-1,coin\n' }]]));
    gh!.pulls.set(2, {
      head: { sha: head, repo: { full_name: 'mallory/Hello-World' } },
      base: { sha: opened.pull_request.base.sha, ref: 'main', repo: { full_name: `${OWNER}/${REPO}` } },
    });
    return head;
  }
  const comment = (body: string, who: string) => ({
    action: 'created',
    issue: { number: 2, pull_request: {} },
    comment: { body, user: { login: who } },
    repository: { full_name: `${OWNER}/${REPO}` },
  });

  it('approves the head from a command below other words', async () => {
    gh = await startFakeGitHub();
    const head = forkWithHead();
    gh.permissions.set('curator', 'write');
    const r = await guardWith(gh, 'issue_comment')(comment(`LGTM\n/vitrine approve ${head}`, 'curator'));
    expect(r.approvedNow).toBe(head);
    expect(r.choice.trusted).toBe(true);
  });

  it('answers a maintainer’s short commit with why it approves nothing, and approves nothing', async () => {
    gh = await startFakeGitHub();
    const head = forkWithHead();
    gh.permissions.set('curator', 'write');
    gh.permissions.set('reader', 'read');
    const guard = guardWith(gh, 'issue_comment');
    const r = await guard(comment(`LGTM\n/vitrine approve ${head.slice(0, 12)}`, 'curator'));
    expect(r.approvedNow).toBeNull();
    expect(r.choice.trusted).toBe(false);
    expect(r.choice.reason).toContain('40');
    expect(r.choice.reason).not.toContain('not on Vitrine');
    expect(gh.statuses.filter((s) => s.context === APPROVAL_CONTEXT)).toEqual([]);
    const answers = gh.comments.get(2) ?? [];
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body).toContain('@curator');
    expect(answers[0]!.body).toContain(head.slice(0, 12));
    expect(answers[0]!.body).toContain('all 40 characters');
    // Someone without write access gets no answer: their approval would start nothing anyway.
    await guard(comment(`/vitrine approve ${head.slice(0, 12)}`, 'reader'));
    expect(gh.comments.get(2) ?? []).toHaveLength(1);
  });

  // Tester T4 (F5): a refused post was named "the report comment" though the guard was answering a command.
  it('when the answer cannot be posted, names the answer to the command, not a report, and the permission', async () => {
    gh = await startFakeGitHub();
    const head = forkWithHead();
    gh.permissions.set('curator', 'write');
    gh.fail({ method: 'POST', path: /comments$/, status: 403, message: 'Resource not accessible by integration' });
    const error = await guardWith(
      gh,
      'issue_comment',
    )(comment(`/vitrine approve ${head.slice(0, 12)}`, 'curator'))
      .then(() => null)
      .catch((e: unknown) => e as Error);
    expect(error?.message).toContain('Could not post the answer to curator’s "/vitrine approve" on pull request #2');
    expect(error!.message).not.toContain('report');
    expect(error!.message).toContain('"pull-requests: write"');
  });
});
