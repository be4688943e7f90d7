import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INPUTS as RUNNER_INPUTS, OUTPUTS as RUNNER_OUTPUTS } from '../../actions/choose-runner/settings.ts';
import { INPUTS as REPORT_INPUTS, OUTPUTS as REPORT_OUTPUTS } from '../../actions/report/settings.ts';
import { VitrineError } from '../../pipeline/errors.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { writeFailureNote } from '../../pipeline/report/failure.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { forkRunRepository } from './fork-run.ts';
import { asFork, examplePayload, runAction } from './run-action.ts';

/*
 * Each JavaScript action's committed bundle, run the way the runner runs it: a node process with
 * INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and GITHUB_EVENT_PATH pointing at a
 * real pull_request payload from @octokit/webhooks-examples. GitHub is the emulated REST server.
 */

const MARKER = '<!-- vitrine:report -->';
const FORK_REPORT_MARKER = '<!-- vitrine:fork-report -->';
const TOKEN = 'test-token';

describe('the report action', () => {
  let ws: Workspace;
  let gh: FakeGitHub | null = null;

  beforeAll(async () => {
    ws = await forkRunRepository();
  });

  afterEach(async () => {
    await gh?.close();
    gh = null;
  });

  const inputs = (url: string, extra: Record<string, string> = {}) => ({
    [REPORT_INPUTS.token]: TOKEN,
    [REPORT_INPUTS.apiUrl]: url,
    ...extra,
  });

  it('creates the comment on the first run and edits the same one on the second, with the gate status', async () => {
    gh = await startFakeGitHub({ token: TOKEN, pageSize: 2 });
    gh.addComment(2, 'Looks good to me');
    gh.addComment(2, 'Please check DM-0007');
    gh.addComment(2, 'One more thought');
    const event = examplePayload('opened');
    const first = await runAction({ name: 'report', inputs: inputs(gh.url), event, workspace: ws.root });
    expect(first.stdout).not.toContain('::error');
    expect(first.code).toBe(0);
    expect(first.outputs[REPORT_OUTPUTS.commentAction]).toBe('created');
    expect(first.outputs[REPORT_OUTPUTS.verdict]).toBe('better');
    expect(first.outputs[REPORT_OUTPUTS.gate]).toBe('pass');
    const report = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    expect(first.summary).toBe(`${report}\n`);
    const ours = () => gh!.comments.get(2)!.filter((c) => c.body.startsWith(MARKER));
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.body).toBe(`${MARKER}\n${report}`);
    expect(gh.statuses).toEqual([
      {
        sha: event.pull_request.head.sha,
        state: 'success',
        context: 'vitrine/gate',
        description: 'Better: the labels and the photographs agree better. The promotion gate passes.',
        target_url: 'https://github.com/Codertocat/Hello-World/actions/runs/4242',
      },
    ]);

    gh.addComment(2, 'A reviewer replies after the report');
    const second = await runAction({
      name: 'report',
      inputs: inputs(gh.url),
      event: examplePayload('synchronize'),
      workspace: ws.root,
    });
    expect(second.code).toBe(0);
    expect(second.outputs[REPORT_OUTPUTS.commentAction]).toBe('updated');
    expect(second.outputs[REPORT_OUTPUTS.commentId]).toBe(first.outputs[REPORT_OUTPUTS.commentId]);
    expect(ours()).toHaveLength(1);
    expect(gh.comments.get(2)).toHaveLength(5);
    const writes = gh.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual([
      'POST /repos/Codertocat/Hello-World/issues/2/comments',
      `POST /repos/Codertocat/Hello-World/statuses/${event.pull_request.head.sha}`,
      'POST /repos/Codertocat/Hello-World/check-runs',
      `PATCH /repos/Codertocat/Hello-World/issues/comments/${first.outputs[REPORT_OUTPUTS.commentId]}`,
      `POST /repos/Codertocat/Hello-World/statuses/${event.pull_request.head.sha}`,
      'POST /repos/Codertocat/Hello-World/check-runs',
    ]);
    // The check run carries the verdict next to the status, on the same commit.
    expect(gh.checkRuns[0]).toMatchObject({
      name: 'Vitrine model report',
      head_sha: event.pull_request.head.sha,
      conclusion: 'success',
      details_url: 'https://github.com/Codertocat/Hello-World/actions/runs/4242',
      output: { title: 'Better: the labels and the photographs agree better. The promotion gate passes.' },
    });
    expect(gh.checkRuns[0]!.output!.summary).toContain(
      `[the report on pull request #2](${first.outputs[REPORT_OUTPUTS.commentUrl]})`,
    );
    expect(gh.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(gh.invalid).toEqual([]);
    // The token is registered as a secret (the runner masks it) and otherwise never reaches the log.
    const log = (first.stdout + second.stdout).split('\n');
    expect(log).toContain(`::add-mask::${TOKEN}`);
    expect(log.filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain(TOKEN);
  });

  it("names the gate changes of a pull request judged by the base branch's gate, in the comment and the status", async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const event = examplePayload('opened');
    const changes = [{ key: 'gate.min_macro_f1', base: 0.5, head: 0 }];
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url, { [REPORT_INPUTS.gateChanges]: JSON.stringify(changes) }),
      event,
      workspace: ws.root,
    });
    expect(run.code).toBe(0);
    const body = gh.comments.get(2)!.find((c) => c.body.startsWith(MARKER))!.body;
    expect(body).toContain('This pull request changes the promotion gate \\(gate.min\\_macro\\_f1 0.5 → 0\\)');
    expect(body).toContain("It was judged by the base branch's params.yaml settings");
    expect(gh.statuses[0]!.description).toMatch(/^Base settings \(PR changes them\): Better/);
  });

  it('leaves a marked comment by another user alone and posts its own; comment-author names the identity that posts', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const planted = gh.addComment(
      2,
      `${MARKER}\n✅ Better. The promotion gate passes. (written by mallory)`,
      'mallory',
    );
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url),
      event: examplePayload('opened'),
      workspace: ws.root,
    });
    expect(run.code).toBe(0);
    expect(run.outputs[REPORT_OUTPUTS.commentAction]).toBe('created');
    expect(gh.comments.get(2)!.find((c) => c.id === planted.id)!.body).toContain('written by mallory');
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    const bad = await runAction({
      name: 'report',
      inputs: inputs(gh.url, { [REPORT_INPUTS.commentAuthor]: 'a b' }),
      event: examplePayload('opened'),
      workspace: ws.root,
    });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      '::error::The input "comment-author" is "a b", expected a GitHub login like github-actions[bot] or museum-bot.',
    );
  });

  it('ends with exactly one comment when GitHub stores the post but answers 502, run after run', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    gh.fail({ method: 'POST', path: /comments$/, status: 502, message: 'Bad Gateway', afterStoring: true, times: 3 });
    for (let run = 0; run < 3; run++) {
      const result = await runAction({
        name: 'report',
        inputs: inputs(gh.url),
        event: examplePayload('opened'),
        workspace: ws.root,
      });
      expect(result.code, result.stdout).toBe(0);
    }
    expect(gh.comments.get(2)!.filter((c) => c.body.startsWith(MARKER))).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments'))).toHaveLength(1);
  });

  it('when GitHub keeps failing, the step fails saying what was not posted, and the summary still has the report', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    gh.fail({ method: 'POST', path: /comments$/, status: 502, headers: { 'retry-after': '0' }, times: 99 });
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url),
      event: examplePayload('opened'),
      workspace: ws.root,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::The "vitrine/gate" status was set and the "Vitrine model report" check run was created, but not ' +
        'all of it went through: Could not post the report comment on pull request #2 ' +
        'in Codertocat/Hello-World after 5 attempts: GitHub answered 502',
    );
    expect(run.stdout).toContain("The report is still in this run's job summary and in .vitrine/report/report.md.");
    expect(run.summary).toContain('Better: the labels and the photographs agree better');
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comments'))).toHaveLength(5);
    // The status and the check run still went through.
    expect(gh.statuses).toHaveLength(1);
    expect(gh.checkRuns).toHaveLength(1);
  });

  it('when the run stopped before its report, posts why in its place, sets a failing status and fails', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const dir = await tempDir('vitrine-stopped-');
    // What `vitrine run report` leaves when labels.csv still holds a merge conflict (test/report/failure.test.ts).
    const error = new VitrineError('CSV_MERGE_CONFLICT', 'labels.csv:3: this file still has a merge conflict');
    await writeFailureNote({ ws: workspace(dir), error });
    const event = examplePayload('opened');
    const run = await runAction({ name: 'report', inputs: inputs(gh.url), event, workspace: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::The run stopped before its report: labels.csv:3: this file still has');
    const comment = gh.comments.get(2)!.find((c) => c.body.startsWith(MARKER))!;
    expect(comment.body).toContain('Vitrine could not check this pull request');
    expect(comment.body).toContain('labels.csv:3: this file still has a merge conflict');
    expect(run.summary).toContain('labels.csv:3');
    expect(gh.statuses).toEqual([
      expect.objectContaining({ sha: event.pull_request.head.sha, state: 'failure', context: 'vitrine/gate' }),
    ]);
    expect(gh.statuses[0]!.description).toMatch(/^Vitrine could not check this change/);
  });

  it("posts a fork's downloaded report with a note, no mentions and no gate status", async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const dir = await tempDir('vitrine-fork-');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, '.vitrine', 'report'), { recursive: true });
    // Files written by the fork's code: they may say anything.
    await writeFile(
      path.join(dir, '.vitrine', 'report', 'report.md'),
      '✅ **Better.** The promotion gate passes.\n\nThanks @maintainers, &#64;octocat, &commat;admin and ' +
        '@org/team! <a href="https://evil.example">x</a>\n',
    );
    await writeFile(
      path.join(dir, '.vitrine', 'report', 'report.json'),
      JSON.stringify({
        verdict: 'better',
        gate: { passed: true, checks: [] },
        headline: 'Better.',
        statusContext: 'vitrine/gate',
      }),
    );
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url, {
        [REPORT_INPUTS.pullRequest]: '2',
        [REPORT_INPUTS.sha]: 'b'.repeat(40),
        [REPORT_INPUTS.fromFork]: 'true',
      }),
      event: {},
      eventName: 'workflow_run',
      workspace: dir,
    });
    expect(run.stdout).not.toContain('::error');
    expect(run.code).toBe(0);
    const body = gh.comments.get(2)![0]!.body;
    const lines = body.split('\n');
    // A comment of its own: a fork's run never edits the trusted run's report.
    expect(lines[0]).toBe(FORK_REPORT_MARKER);
    // A short failure comment naming the problem; nothing the fork wrote, its headline least of all.
    expect(lines[1]).toMatch(
      /^⚠️ \*\*The report of this fork's run cannot be shown\.\*\* Its report\.json does not have the shape Vitrine writes: /,
    );
    expect(body).not.toContain('Better');
    expect(body).not.toContain('maintainers');
    expect(body).not.toMatch(/@(?!\u200b)/);
    expect(run.stdout).toContain("::warning::The fork's report cannot be shown");
    expect(run.outputs[REPORT_OUTPUTS.verdict]).toBeUndefined();
    expect(gh.statuses).toEqual([]);
    expect(gh.checkRuns).toEqual([]);
  });

  it("answers a fork's unparseable report.json with a short failure comment instead of crashing", async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const dir = await tempDir('vitrine-fork-');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, '.vitrine', 'report'), { recursive: true });
    await writeFile(path.join(dir, '.vitrine', 'report', 'report.md'), '✅ **Better.** The promotion gate passes.\n');
    await writeFile(path.join(dir, '.vitrine', 'report', 'report.json'), '{"verdict": "better", ');
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url, { [REPORT_INPUTS.pullRequest]: '2', [REPORT_INPUTS.fromFork]: 'true' }),
      event: {},
      eventName: 'workflow_run',
      workspace: dir,
    });
    expect(run.code, run.stdout).toBe(0);
    const body = gh.comments.get(2)![0]!.body;
    expect(body).toMatch(/cannot be shown\.\*\* Its report\.json is not valid JSON/);
    expect(body).not.toContain('Better');
    expect(body.length).toBeLessThan(1500);
  });

  it("says which file is broken when a trusted run's report.json does not parse", async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const dir = await tempDir('vitrine-broken-');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(dir, '.vitrine', 'report'), { recursive: true });
    await writeFile(path.join(dir, '.vitrine', 'report', 'report.md'), 'report\n');
    await writeFile(path.join(dir, '.vitrine', 'report', 'report.json'), '{');
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url),
      event: examplePayload('opened'),
      workspace: dir,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*report\.json is not valid JSON/);
  });

  it('rejects a bad input by name, value and expected form before calling GitHub', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url, { [REPORT_INPUTS.failOnGate]: 'maybe' }),
      event: examplePayload('opened'),
      workspace: ws.root,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::The input "fail-on-gate" is "maybe", expected one of true, True, TRUE, false, False, FALSE.',
    );
    expect(gh.requests).toEqual([]);
  });

  it('refuses a report folder outside the workspace', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url, { [REPORT_INPUTS.reportDir]: '../../etc' }),
      event: examplePayload('opened'),
      workspace: ws.root,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::The input "report-dir" is "\.\.\/\.\.\/etc", expected a path inside the workspace/,
    );
  });

  it('on a push to main that stopped before its report, says so in words of main, with no pull request', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const empty = await tempDir('vitrine-main-');
    const event = { ref: 'refs/heads/master', after: 'f'.repeat(40), repository: { default_branch: 'master' } };
    const run = await runAction({ name: 'report', inputs: inputs(gh.url), event, eventName: 'push', workspace: empty });
    expect(run.code).toBe(1);
    expect(run.summary.split('\n')[0]).toBe('## Vitrine could not check this change to main');
    expect(run.summary).toContain('the model in production and the public catalogue stay as they were');
    expect(run.summary).not.toMatch(/(this|the) pull request|push again|your change/);
    expect(gh.statuses).toEqual([expect.objectContaining({ state: 'failure', context: 'vitrine/gate' })]);
    expect(gh.statuses[0]!.description).toBe(
      'Vitrine could not check this change to main: the model and catalogue were not updated.',
    );
  });

  it('says which stage to run when the report is missing', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    const empty = await tempDir('vitrine-empty-');
    const run = await runAction({
      name: 'report',
      inputs: inputs(gh.url),
      event: examplePayload('opened'),
      workspace: empty,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/report\.md does not exist: run the pipeline's report stage \(npx vitrine run report\)/);
    // An earlier step failed (the drift check on a merge conflict, say): the pull request still hears of it.
    const comment = gh.comments.get(2)!.find((c) => c.body.startsWith(MARKER))!;
    expect(comment.body).toContain('Vitrine could not check this pull request');
    expect(comment.body).toContain('the step marked with a red cross');
    expect(gh.statuses).toEqual([expect.objectContaining({ state: 'failure', context: 'vitrine/gate' })]);
  });
});

describe('the choose-runner action (fork guard)', () => {
  const workspace = os.tmpdir();

  it('sends a pull request from a branch of the repository to the self-hosted runner', async () => {
    const run = await runAction({ name: 'choose-runner', inputs: {}, event: examplePayload('opened'), workspace });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs[RUNNER_OUTPUTS.runsOn]!)).toEqual(['self-hosted', 'gpu']);
    expect(run.outputs[RUNNER_OUTPUTS.trusted]).toBe('true');
  });

  it("never sends a fork's pull request to the self-hosted runner, whatever its action", async () => {
    for (const action of ['opened', 'synchronize', 'reopened', 'ready_for_review']) {
      const run = await runAction({
        name: 'choose-runner',
        inputs: { [RUNNER_INPUTS.selfHosted]: 'self-hosted, gpu, museum' },
        event: asFork(examplePayload(action)),
        workspace,
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.outputs[RUNNER_OUTPUTS.runsOn]!)).toEqual(['ubuntu-latest']);
      expect(run.outputs[RUNNER_OUTPUTS.trusted]).toBe('false');
      expect(run.outputs[RUNNER_OUTPUTS.reason]).toContain('mallory/Hello-World, a fork');
    }
  });

  it("never trusts a fork on pull_request, even when labelled: that run uses the fork's own workflow file", async () => {
    const labeled = asFork(examplePayload('labeled'));
    labeled.label = { name: 'safe to run' };
    const run = await runAction({ name: 'choose-runner', inputs: {}, event: labeled, workspace });
    expect(run.outputs[RUNNER_OUTPUTS.trusted]).toBe('false');
    // On pull_request_target it is the guard, which needs its token: without one it stops, trusting nothing.
    const target = await runAction({
      name: 'choose-runner',
      inputs: {},
      event: asFork(examplePayload('opened')),
      eventName: 'pull_request_target',
      workspace,
    });
    expect(target.code).toBe(1);
    expect(target.outputs[RUNNER_OUTPUTS.trusted]).toBeUndefined();
    const review = await runAction({
      name: 'choose-runner',
      inputs: {},
      event: asFork(examplePayload('opened')),
      eventName: 'pull_request_review',
      workspace,
    });
    expect(review.outputs[RUNNER_OUTPUTS.trusted]).toBe('false');
  });

  it("as the trusted workflow's guard, waits for approval, records it on the head commit and hands over the data files", async () => {
    const gh = await startFakeGitHub({ token: TOKEN });
    try {
      const opened = asFork(examplePayload('opened'));
      const sha = opened.pull_request.head.sha;
      gh.pullFiles.set(2, [{ filename: 'labels.csv', status: 'modified' }]);
      gh.contents.set(sha, new Map([['labels.csv', { type: 'file', text: 'id,label\nDM-1,vessel\n' }]]));
      gh.labels.set(2, ['safe to run']);
      const inputs = { [RUNNER_INPUTS.token]: TOKEN, [RUNNER_INPUTS.apiUrl]: gh.url };
      const temp = await tempDir('vitrine-guard-');
      const waiting = await runAction({
        name: 'choose-runner',
        inputs,
        event: opened,
        eventName: 'pull_request_target',
        workspace,
        extraEnv: { RUNNER_TEMP: temp },
      });
      expect(waiting.stdout).not.toContain('::error');
      expect(waiting.outputs[RUNNER_OUTPUTS.trusted]).toBe('false');
      expect(waiting.outputs[RUNNER_OUTPUTS.dataDir]).toBe('');
      expect(gh.comments.get(2)![0]!.body).toContain('**Waiting for a maintainer.**');
      expect(gh.statuses).toEqual([expect.objectContaining({ sha, state: 'pending', context: 'vitrine/gate' })]);
      const labeled = { ...asFork(examplePayload('labeled')), label: { name: 'safe to run' } };
      labeled.pull_request.head.sha = sha;
      // The label counts only from someone with write access or more.
      gh.permissions.set((labeled as unknown as { sender: { login: string } }).sender.login, 'write');
      const approved = await runAction({
        name: 'choose-runner',
        inputs,
        event: labeled,
        eventName: 'pull_request_target',
        workspace,
        extraEnv: { RUNNER_TEMP: temp },
      });
      expect(approved.outputs[RUNNER_OUTPUTS.trusted]).toBe('true');
      expect(JSON.parse(approved.outputs[RUNNER_OUTPUTS.runsOn]!)).toEqual(['self-hosted', 'gpu']);
      expect(await readFile(path.join(approved.outputs[RUNNER_OUTPUTS.dataDir]!, 'labels.csv'), 'utf8')).toBe(
        'id,label\nDM-1,vessel\n',
      );
      // No params.yaml in this pull request: no gate change for the report to name.
      expect(approved.outputs[RUNNER_OUTPUTS.gateChanges]).toBe('[]');
      expect(gh.statuses.map((s) => s.context)).toEqual(['vitrine/gate', 'vitrine/approval']);
      // The one guard comment is edited to say the run goes ahead.
      expect(gh.comments.get(2)).toHaveLength(1);
      // It names the pull request's own data file (labels.csv alone here).
      expect(gh.comments.get(2)![0]!.body).toContain('Checked: `labels.csv` of commit');
      expect(gh.comments.get(2)![0]!.body).toContain("is trained on the museum's runner");
      expect(gh.invalid).toEqual([]);
    } finally {
      await gh.close();
    }
  });

  it("writes no workflow command of a fork's making into the log (a file name with a line break)", async () => {
    const gh = await startFakeGitHub({ token: TOKEN });
    try {
      const opened = asFork(examplePayload('opened'));
      // With a data file, so that the guard names the other path in its reason (alone, it changes nothing the model reads).
      gh.pullFiles.set(2, [
        { filename: 'labels.csv', status: 'modified' },
        { filename: 'x\n::warning::Approved by the maintainers', status: 'added' },
      ]);
      const run = await runAction({
        name: 'choose-runner',
        inputs: { [RUNNER_INPUTS.token]: TOKEN, [RUNNER_INPUTS.apiUrl]: gh.url },
        event: opened,
        eventName: 'pull_request_target',
        workspace,
        extraEnv: { RUNNER_TEMP: await tempDir('vitrine-guard-') },
      });
      expect(run.outputs[RUNNER_OUTPUTS.trusted]).toBe('false');
      expect(run.stdout).toContain('Approved by the maintainers');
      expect(run.stdout.split('\n').filter((line) => line.startsWith('::warning::'))).toEqual([]);
    } finally {
      await gh.close();
    }
  });

  it('rejects a runner list that is not one', async () => {
    const run = await runAction({
      name: 'choose-runner',
      inputs: { [RUNNER_INPUTS.selfHosted]: '["self-hosted", 3]' },
      event: examplePayload('opened'),
      workspace,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::The input "self-hosted-runner" is "["self-hosted", 3]", expected a non-empty JSON array of strings.',
    );
  });
});
