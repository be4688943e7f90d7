import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import {
  APPROVAL_CONTEXT,
  DATA_FILES,
  GUARD_MARKER,
  guardComment,
  guardPullRequest,
  paramsProblems,
  refusedPaths,
} from '../../pipeline/github/guard.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { asFork, examplePayload, type PullRequestEvent } from './run-action.ts';

/*
 * The trusted workflow's guard against GitHub's REST API on 127.0.0.1, with real pull_request
 * payloads (replayed as pull_request_target). It reads the head's data files through the API only.
 */

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const LABEL = 'safe to run';
const BASE_PARAMS = 'train:\n  epochs: 80\n';
let gh: FakeGitHub | null = null;

afterEach(async () => {
  await gh?.close();
  gh = null;
});

async function setUp({
  event,
  files,
  head,
}: {
  event: PullRequestEvent & { pull_request: { base: { sha?: string } } };
  files: string[];
  head: Record<string, string>;
}) {
  gh = await startFakeGitHub();
  const number = event.pull_request.number;
  gh.pullFiles.set(
    number,
    files.map((filename) => ({ filename, status: 'modified' })),
  );
  gh.contents.set(
    event.pull_request.head.sha,
    new Map(Object.entries(head).map(([p, text]) => [p, { type: 'file' as const, text }])),
  );
  gh.contents.set(
    event.pull_request.base.sha!,
    new Map([['params.yaml', { type: 'file' as const, text: BASE_PARAMS }]]),
  );
  gh.labels.set(number, [LABEL, 'data']);
  const log = memoryLogger();
  const forge = githubForge({ apiUrl: gh.url, token: 'test-token', log, sleep: async () => {} });
  const guard = (e: unknown) =>
    guardPullRequest({
      forge,
      owner: OWNER,
      repo: REPO,
      eventName: 'pull_request_target',
      event: e,
      selfHosted: ['self-hosted', 'gpu'],
      approvalLabel: LABEL,
      approver: 'github-actions[bot]',
      log,
    });
  return { gh, guard, number };
}

function payload(action: string, fork: boolean) {
  const event = examplePayload(action) as PullRequestEvent & {
    pull_request: { base: { sha?: string } };
    sender?: { login: string };
  };
  return fork ? (asFork(event) as typeof event) : event;
}

describe("the trusted workflow's guard", () => {
  it('trains a branch of the repository on the runner, with the data files read from the head', async () => {
    const event = payload('opened', false);
    const { guard } = await setUp({ event, files: ['labels.csv'], head: { 'labels.csv': 'id,label\nDM-1,coin\n' } });
    const result = await guard(event);
    expect(result.choice.trusted).toBe(true);
    expect(result.files).toEqual([{ path: 'labels.csv', text: 'id,label\nDM-1,coin\n' }]);
  });

  it('keeps a fork off the runner until a maintainer approves its head commit, and records the approval on that commit', async () => {
    const opened = payload('opened', true);
    const { gh, guard, number } = await setUp({
      event: opened,
      files: ['labels.csv'],
      head: { 'labels.csv': 'id,label\nDM-1,vessel\n' },
    });
    const waiting = await guard(opened);
    expect(waiting.choice.trusted).toBe(false);
    expect(waiting.files).toEqual([]);
    const waitingText = guardComment({
      result: waiting,
      sha: opened.pull_request.head.sha,
      approvalLabel: LABEL,
      allowed: DATA_FILES,
    });
    expect(waitingText).toContain('**Waiting for a maintainer.**');
    // The command to type names the full commit: a shorter one is not accepted.
    expect(waitingText).toContain(`    /vitrine approve ${opened.pull_request.head.sha}\n`);
    // The maintainer (write access) adds the label: the approval is recorded for this head commit and the label comes off.
    gh.permissions.set('curator', 'write');
    const labeled = { ...payload('labeled', true), label: { name: LABEL }, sender: { login: 'curator' } };
    labeled.pull_request.head.sha = opened.pull_request.head.sha;
    const approved = await guard(labeled);
    expect(approved.choice.trusted).toBe(true);
    expect(approved.approvedNow).toBe(opened.pull_request.head.sha);
    expect(gh.statuses).toEqual([
      expect.objectContaining({
        sha: opened.pull_request.head.sha,
        state: 'success',
        context: APPROVAL_CONTEXT,
        description: expect.stringContaining('curator'),
      }),
    ]);
    expect(gh.labels.get(number)).toEqual(['data']);
    expect(approved.files).toEqual([{ path: 'labels.csv', text: 'id,label\nDM-1,vessel\n' }]);
    // The fork's own event for the approved head (reopened, or that commit pushed back) starts nothing:
    // a new run would replace the running report, as often as its author likes. No comment, no status.
    const again = structuredClone(opened);
    again.action = 'reopened';
    const reopened = await guard(again);
    expect(reopened.choice.trusted).toBe(false);
    expect(reopened.pullRequest).toBeNull();
    expect(reopened.choice.reason).toContain("a maintainer's new approval runs it again");
    // A maintainer's new approval of the same commit runs it again.
    expect((await guard(labeled)).choice.trusted).toBe(true);
    // The fork pushes again: the new head has no approval.
    const pushed = structuredClone(opened);
    pushed.action = 'synchronize';
    pushed.pull_request.head.sha = '9'.repeat(40);
    gh.contents.set(
      pushed.pull_request.head.sha,
      new Map([['labels.csv', { type: 'file', text: 'id,label\nDM-1,mask\n' }]]),
    );
    const after = await guard(pushed);
    expect(after.choice.trusted).toBe(false);
    expect(after.choice.reason).toContain('no maintainer has approved its head commit 999999999999');
    expect(after.files).toEqual([]);
  });

  it("counts only approvals recorded by the workflow's own identity", async () => {
    const event = payload('opened', true);
    const { gh, guard } = await setUp({ event, files: ['labels.csv'], head: { 'labels.csv': 'id,label\n' } });
    gh.statuses.push({
      sha: event.pull_request.head.sha,
      state: 'success',
      context: APPROVAL_CONTEXT,
      description: 'approved, trust me',
      creator: 'mallory',
    });
    expect((await guard(event)).choice.trusted).toBe(false);
  });

  it('refuses a pull request that touches any other path, even approved, and says which paths and why', async () => {
    const labeled = { ...payload('labeled', true), label: { name: LABEL }, sender: { login: 'curator' } };
    const { guard } = await setUp({
      event: labeled,
      files: ['labels.csv', 'package.json', '.github/workflows/pull-request.yml'],
      head: { 'labels.csv': 'x' },
    });
    gh!.permissions.set('curator', 'write');
    const result = await guard(labeled);
    expect(result.choice.trusted).toBe(false);
    expect(result.refused.map((r) => r.path)).toEqual(['package.json', '.github/workflows/pull-request.yml']);
    const comment = guardComment({
      result,
      sha: labeled.pull_request.head.sha,
      approvalLabel: LABEL,
      allowed: DATA_FILES,
    })!;
    expect(comment.startsWith(GUARD_MARKER)).toBe(true);
    expect(comment).toContain('- `package.json`: it lists the packages the code installs');
    expect(comment).toContain('- `.github/workflows/pull-request.yml`: it is a workflow file');
    expect(comment).toContain('never its code');
  });

  it('does not send a pull request without data changes to the runner (nothing to train)', async () => {
    const event = payload('opened', false);
    const { guard } = await setUp({ event, files: [], head: {} });
    const result = await guard(event);
    expect(result.choice.trusted).toBe(false);
    // Nothing the model reads changed: no refusal, and the gate says so (test/github/guard-scope.test.ts).
    expect(result.noData).toBe(true);
    expect(result.choice.reason).toBe(
      'the pull request changes no file the model reads (no data file, no code), so there is nothing to train',
    );
  });

  it('reads only the allow-listed paths, and refuses one that is a symbolic link', async () => {
    const event = payload('opened', false);
    const { gh, guard } = await setUp({ event, files: ['labels.csv'], head: {} });
    gh.contents
      .get(event.pull_request.head.sha)!
      .set('labels.csv', { type: 'symlink', target: '/home/runner/.ssh/id_rsa' });
    const result = await guard(event);
    expect(result.choice.trusted).toBe(false);
    expect(result.problems).toEqual([
      expect.stringMatching(/^labels\.csv in commit \w{12} is a symlink, not a regular file$/),
    ]);
    const read = gh.requests
      .filter((r) => r.path.includes('/contents/'))
      .map((r) => r.path.replace(/^.*\/contents\//, ''));
    expect(read).toEqual(['labels.csv']);
    expect(gh.invalid).toEqual([]);
  });

  it("checks the head's params.yaml against the schema and the base's paths and addresses", async () => {
    const event = payload('opened', false);
    const { guard } = await setUp({
      event,
      files: ['params.yaml'],
      head: { 'params.yaml': 'backbone:\n  name: custom\n  source: https://evil.example/model.json\n' },
    });
    const result = await guard(event);
    expect(result.choice.trusted).toBe(false);
    expect(result.problems[0]).toMatch(/custom backbone/);
  });
});

describe('approval by a comment command', () => {
  const require = createRequire(import.meta.url);
  const comment = (body: string, login: string) => {
    const all = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];
    const event = structuredClone(
      all.find((e) => e.name === 'issue_comment')!.examples.find((e) => e.action === 'created')!,
    );
    event.issue.number = 2;
    event.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2' };
    event.comment.body = body;
    event.comment.user.login = login;
    event.repository.full_name = `${OWNER}/${REPO}`;
    // The pull request set up below is into main: the repository's default branch.
    event.repository.default_branch = 'main';
    return event;
  };

  async function withFork() {
    const opened = payload('opened', true);
    const ctx = await setUp({
      event: opened,
      files: ['labels.csv'],
      head: { 'labels.csv': 'id,label\nDM-1,vessel\n' },
    });
    ctx.gh.pulls.set(2, {
      head: { sha: opened.pull_request.head.sha, repo: { full_name: 'mallory/Hello-World' } },
      base: { sha: opened.pull_request.base.sha!, ref: 'main', repo: { full_name: `${OWNER}/${REPO}` } },
    });
    ctx.gh.permissions.set('curator', 'write');
    ctx.gh.permissions.set('visitor', 'read');
    const log = memoryLogger();
    const forge = githubForge({ apiUrl: ctx.gh.url, token: 'test-token', log, sleep: async () => {} });
    const guard = (e: unknown) =>
      guardPullRequest({
        forge,
        owner: OWNER,
        repo: REPO,
        eventName: 'issue_comment',
        event: e,
        selfHosted: ['self-hosted', 'gpu'],
        approvalLabel: LABEL,
        approver: 'github-actions[bot]',
        log,
      });
    return { ...ctx, guard, sha: opened.pull_request.head.sha };
  }

  it('approves the commit the maintainer names, when it is the head, and hands over its data files', async () => {
    const { gh, guard, sha } = await withFork();
    const result = await guard(comment(`/vitrine approve ${sha}`, 'curator'));
    expect(result.choice.trusted).toBe(true);
    expect(result.pullRequest).toMatchObject({ number: 2, headSha: sha, baseRef: 'main', fork: true });
    expect(result.files).toEqual([{ path: 'labels.csv', text: 'id,label\nDM-1,vessel\n' }]);
    expect(gh.statuses).toEqual([
      expect.objectContaining({ sha, context: APPROVAL_CONTEXT, description: expect.stringContaining('curator') }),
    ]);
  });

  it('does not approve a commit that is no longer the head, nor for someone without write access', async () => {
    const { gh, guard, sha } = await withFork();
    const stale = await guard(comment(`/vitrine approve ${'0123456789ab'.padEnd(40, '0')}`, 'curator'));
    expect(stale.choice.trusted).toBe(false);
    const reader = await guard(comment(`/vitrine approve ${sha}`, 'visitor'));
    expect(reader.choice.trusted).toBe(false);
    const stranger = await guard(comment(`/vitrine approve ${sha}`, 'mallory'));
    expect(stranger.choice.trusted).toBe(false);
    expect(gh.statuses.filter((s) => s.context === APPROVAL_CONTEXT)).toEqual([]);
    // Any other comment is not a command: nothing is read or written.
    const before = gh.requests.length;
    expect((await guard(comment('Looks good! /vitrine approve later', 'curator'))).pullRequest).toBeNull();
    expect(gh.requests.length).toBe(before);
  });
});

describe('the data file checks', () => {
  it('refuse renames from other paths and deleting a data file', () => {
    expect(
      refusedPaths({
        files: [{ path: 'labels.csv', status: 'renamed', previousPath: 'bin/x.js' }],
        allowed: DATA_FILES,
      }).map((r) => r.path),
    ).toEqual(['bin/x.js']);
    expect(
      refusedPaths({ files: [{ path: 'labels.csv', status: 'removed', previousPath: null }], allowed: DATA_FILES })[0]!
        .why,
    ).toMatch(/deletes it/);
    // A data file renamed is refused under its own name, as renamed: the run would have none. Also when its new name
    // is another data file's.
    for (const to of ['labels-new.csv', 'params.yaml']) {
      expect(
        refusedPaths({ files: [{ path: to, status: 'renamed', previousPath: 'labels.csv' }], allowed: DATA_FILES }),
      ).toEqual([expect.objectContaining({ path: 'labels.csv', kind: 'renamed', to })]);
    }
    expect(
      refusedPaths({ files: [{ path: 'Labels.csv', status: 'added', previousPath: null }], allowed: DATA_FILES }),
    ).toEqual([expect.objectContaining({ path: 'Labels.csv', kind: 'misnamed', meant: 'labels.csv' })]);
    expect(
      refusedPaths({ files: [{ path: 'params.yaml', status: 'modified', previousPath: null }], allowed: DATA_FILES }),
    ).toEqual([]);
  });

  it('name each other file by what it is, and documentation only as not a data file', () => {
    const why = (path: string) =>
      refusedPaths({ files: [{ path, status: 'modified', previousPath: null }], allowed: DATA_FILES })[0]!.why;
    expect(why('README.md')).toBe('it is not a data file');
    expect(why('docs/data.md')).toBe('it is not a data file');
    // Saved under another capitalisation (as Windows and macOS let a file be renamed): said which name is read.
    expect(why('Labels.csv')).toBe(
      "its name differs from labels.csv only in capitals, and Vitrine reads the file of the staff's labels only as " +
        'labels.csv, in exactly that spelling: this file is not read',
    );
    expect(why('PARAMS.YAML')).toMatch(/Vitrine reads the museum's settings only as params\.yaml, in exactly that/);
    expect(why('.github/workflows/main.yml')).toBe('it is a workflow file');
    expect(why('.github/CODEOWNERS')).toBe('it is a settings file');
    expect(why('.dvc/config')).toBe('it is a settings file');
    expect(why('pipeline/train.ts')).toBe('it is code');
    expect(why('site/src/pages/index.astro')).toBe('it is code');
    expect(why('package.json')).toBe('it lists the packages the code installs');
    expect(why('data.dvc')).toMatch(/which version of the images/);
  });

  it('accept a training setting, refuse schema errors, a custom backbone and any changed path or address', () => {
    expect(paramsProblems({ head: 'train:\n  epochs: 40\n', base: BASE_PARAMS })).toEqual([]);
    expect(paramsProblems({ head: 'train:\n  epochs: many\n', base: BASE_PARAMS })[0]).toMatch(
      /"train\.epochs" is "many"/,
    );
    expect(paramsProblems({ head: 'train: [\n', base: BASE_PARAMS })[0]).toMatch(/not valid YAML/);
    // The file is named once.
    expect(paramsProblems({ head: 'trian:\n  epochs: 40\n', base: BASE_PARAMS })[0]).toMatch(
      /^params\.yaml is not valid: unknown key "trian"/,
    );
    expect(paramsProblems({ head: 'backbone:\n  source: ./model/model.json\n', base: BASE_PARAMS })[0]).toMatch(
      /custom backbone/,
    );
    expect(
      paramsProblems({ head: 'report:\n  catalogue_url: https://tracker.example/\n', base: BASE_PARAMS })[0],
    ).toMatch(/changes "report\.catalogue_url"/);
    expect(
      paramsProblems({
        head:
          'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n' +
          'import:\n  metadata: /etc/passwd\n',
        base: BASE_PARAMS,
      })[0],
    ).toMatch(/changes "import\.metadata"/);
    // A key that is not on the list but holds an address is refused too.
    expect(
      paramsProblems({
        head: 'collection:\n  name: https://evil.example\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
        base: BASE_PARAMS,
      })[0],
    ).toMatch(/"collection\.name" .* looks like a path or an address/);
    // The name of the gate status branch protection requires: a fork may not pick it for the trusted run.
    expect(paramsProblems({ head: 'report:\n  status_context: ci/anything\n', base: BASE_PARAMS })).toEqual([
      expect.stringMatching(/changes "report\.status_context" \("vitrine\/gate" → "ci\/anything"\)/),
    ]);
    expect(paramsProblems({ head: 'report:\n  status_context: vitrine/gate\n', base: BASE_PARAMS })).toEqual([]);
    // Unchanged paths are fine.
    expect(
      paramsProblems({
        head: 'report:\n  catalogue_url: https://museum.github.io/c/\n',
        base: 'report:\n  catalogue_url: https://museum.github.io/c/\n',
      }),
    ).toEqual([]);
  });
});
