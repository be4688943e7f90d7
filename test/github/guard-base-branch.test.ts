import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { INPUTS } from '../../actions/choose-runner/settings.ts';
import { APPROVAL_CONTEXT, DATA_FILES, guardComment, guardPullRequest } from '../../pipeline/github/guard.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { asFork, examplePayload, type PullRequestEvent, parseOutputs } from './run-action.ts';

/*
 * Security finding 2: pull_request_target ran the workflow of the branch a pull request targets, which its
 * author chooses (GitHub Enterprise Server may still; github.com runs the default branch's copy since 8 December
 * 2025). A copy of the guard left on any branch but the default one goes stale, so the guard only
 * trains pull requests into the default branch (repository.default_branch of the event), whatever branch
 * its own copy lives on. Real pull_request payloads (@octokit/webhooks-examples), REST on 127.0.0.1.
 */

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const LABEL = 'safe to run';
const LABELS = 'object_id,label\nDM-1,coin\n';
let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

async function setUp(eventName: string) {
  gh = await startFakeGitHub();
  const log = memoryLogger();
  const forge = githubForge({ apiUrl: gh.url, token: 'test-token', log, sleep: async () => {} });
  const guard = (event: unknown) =>
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
  return { gh, guard, log };
}

/** A real payload whose pull request targets `base` (the example repository's default branch is master). */
function targeting(action: string, base: string, fork: boolean): any {
  const event = examplePayload(action) as any;
  event.pull_request.base.ref = base;
  return fork ? asFork(event as PullRequestEvent) : event;
}

describe('the guard trains only pull requests into the default branch', () => {
  it('the example payload targets the default branch, which is master there', () => {
    const event = examplePayload('opened') as any;
    expect(event.repository.default_branch).toBe('master');
    expect(event.pull_request.base.ref).toBe('master');
  });

  it.each([[false], [true]])(
    'refuses a pull request into another branch (fork: %s), with a plain reason and nothing read',
    async (fork) => {
      const { gh, guard, log } = await setUp('pull_request_target');
      const event = targeting('opened', 'fixdata', fork);
      gh.pullFiles.set(event.pull_request.number, [{ filename: 'labels.csv', status: 'modified' }]);
      gh.contents.set(event.pull_request.head.sha, new Map([['labels.csv', { type: 'file' as const, text: LABELS }]]));
      const result = await guard(event);
      expect(result.choice.trusted).toBe(false);
      expect(result.choice.runsOn).toEqual(['ubuntu-latest']);
      expect(result.files).toEqual([]);
      expect(result.choice.reason).toContain('"fixdata"');
      expect(result.choice.reason).toContain('"master"');
      expect(result.offBase).toEqual({ base: 'fixdata', defaultBranch: 'master' });
      expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('fixdata'))).toBe(true);
      // The pull request is named, so the action says why on it.
      expect(result.pullRequest?.number).toBe(event.pull_request.number);
      const comment = guardComment({
        result,
        sha: event.pull_request.head.sha,
        approvalLabel: LABEL,
        allowed: DATA_FILES,
      });
      expect(comment).toContain("**Not trained on the museum's runner.**");
      expect(comment).toContain('`fixdata`');
      expect(comment).toContain('`master`');
      expect(comment).not.toContain('Waiting for a maintainer');
      // Nothing was read from the head.
      expect(gh.requests.some((r) => r.path.includes('/contents/'))).toBe(false);
    },
  );

  it("records no approval when a maintainer's label names a pull request into another branch, and takes it off", async () => {
    const { gh, guard } = await setUp('pull_request_target');
    const event = targeting('labeled', 'fixdata', true);
    event.label = { name: LABEL };
    event.sender = { login: 'curator' };
    gh.permissions.set('curator', 'write');
    gh.labels.set(event.pull_request.number, [LABEL]);
    gh.pullFiles.set(event.pull_request.number, [{ filename: 'labels.csv', status: 'modified' }]);
    gh.contents.set(event.pull_request.head.sha, new Map([['labels.csv', { type: 'file' as const, text: LABELS }]]));
    const result = await guard(event);
    expect(result.choice.trusted).toBe(false);
    expect(result.approvedNow).toBeNull();
    expect(gh.statuses.filter((s) => s.context === APPROVAL_CONTEXT)).toEqual([]);
    expect(gh.labels.get(event.pull_request.number)).toEqual([]);
  });

  it('refuses a "/vitrine approve" comment on a pull request whose base (read from the API) is another branch', async () => {
    const { gh, guard } = await setUp('issue_comment');
    const opened = targeting('opened', 'master', true);
    const sha = opened.pull_request.head.sha as string;
    gh.pullFiles.set(2, [{ filename: 'labels.csv', status: 'modified' }]);
    gh.contents.set(sha, new Map([['labels.csv', { type: 'file' as const, text: LABELS }]]));
    gh.pulls.set(2, {
      head: { sha, repo: { full_name: 'mallory/Hello-World' } },
      base: { sha: opened.pull_request.base.sha, ref: 'fixdata', repo: { full_name: `${OWNER}/${REPO}` } },
    });
    gh.permissions.set('curator', 'write');
    const comment = {
      action: 'created',
      issue: { number: 2, pull_request: {} },
      comment: { body: `/vitrine approve ${sha}`, user: { login: 'curator' } },
      repository: opened.repository,
    };
    const result = await guard(comment);
    expect(result.choice.trusted).toBe(false);
    expect(result.offBase).toEqual({ base: 'fixdata', defaultBranch: 'master' });
    expect(result.files).toEqual([]);
    expect(gh.statuses.filter((s) => s.context === APPROVAL_CONTEXT)).toEqual([]);
    // Someone without write access gets no comment out of it: their command says nothing, whatever the base.
    gh.permissions.set('visitor', 'read');
    const byVisitor = await guard({ ...comment, comment: { ...comment.comment, user: { login: 'visitor' } } });
    expect(byVisitor.pullRequest).toBeNull();
    expect(byVisitor.offBase ?? null).toBeNull();
    // The same pull request into the default branch is approved and trained.
    gh.pulls.get(2)!.base.ref = 'master';
    expect((await guard(comment)).choice.trusted).toBe(true);
  });

  it('refuses the example pull request into master once the default branch is main (an old master left behind)', async () => {
    const { gh, guard } = await setUp('pull_request_target');
    const event = examplePayload('opened') as any;
    event.repository.default_branch = 'main';
    event.pull_request.base.repo.default_branch = 'main';
    gh.pullFiles.set(event.pull_request.number, [{ filename: 'labels.csv', status: 'modified' }]);
    gh.contents.set(event.pull_request.head.sha, new Map([['labels.csv', { type: 'file' as const, text: LABELS }]]));
    const result = await guard(event);
    expect(result.choice.trusted).toBe(false);
    expect(result.offBase).toEqual({ base: 'master', defaultBranch: 'main' });
  });

  it("the choose-runner action (run from its source) says so on a fork's pull request and fails its gate", async () => {
    gh = await startFakeGitHub();
    const event = targeting('opened', 'fixdata', true);
    gh.pullFiles.set(event.pull_request.number, [{ filename: 'labels.csv', status: 'modified' }]);
    gh.contents.set(event.pull_request.head.sha, new Map([['labels.csv', { type: 'file' as const, text: LABELS }]]));
    const dir = await tempDir('vitrine-off-base-');
    await writeFile(path.join(dir, 'event.json'), JSON.stringify(event));
    await writeFile(path.join(dir, 'output'), '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: dir,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
      GITHUB_OUTPUT: path.join(dir, 'output'),
      RUNNER_TEMP: dir,
      [`INPUT_${INPUTS.token.toUpperCase()}`]: 'test-token',
      [`INPUT_${INPUTS.apiUrl.toUpperCase()}`]: gh.url,
    };
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
    const child = spawn(process.execPath, [path.join(root, 'actions', 'choose-runner', 'index.ts')], { cwd: dir, env });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stdout += d));
    expect(await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1))), stdout).toBe(0);
    const outputs = parseOutputs(await readFile(path.join(dir, 'output'), 'utf8'));
    expect(outputs.trusted).toBe('false');
    expect(outputs['data-dir']).toBe('');
    expect(stdout).toMatch(/::warning::Not trained: the pull request targets the branch "fixdata"/);
    const comments = gh.comments.get(event.pull_request.number) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('not the default branch `master`');
    expect(gh.statuses).toEqual([
      expect.objectContaining({
        state: 'failure',
        context: 'vitrine/gate',
        description: expect.stringContaining('default branch'),
      }),
    ]);
  });

  it('still trains a branch of the repository into the default branch', async () => {
    const { gh, guard } = await setUp('pull_request_target');
    const event = targeting('opened', 'master', false);
    gh.pullFiles.set(event.pull_request.number, [{ filename: 'labels.csv', status: 'modified' }]);
    gh.contents.set(event.pull_request.head.sha, new Map([['labels.csv', { type: 'file' as const, text: LABELS }]]));
    const result = await guard(event);
    expect(result.choice.trusted).toBe(true);
    expect(result.offBase ?? null).toBeNull();
  });
});
