import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.ts';
import { emulatedGitHub, filesAt, forgeOn, type GuardEvent, guardEvent, runGuard } from './guard-fixture.ts';
import { asFork, runAction } from './run-action.ts';

/*
 * A pull request's base.sha is the base branch's commit when it was opened or last pushed to, not main's latest
 * (GitHub keeps it so: github/docs#431). A fork's pull request approved by label days later, after main raised its
 * gate, was judged by the gate of main's older commit: the guard read params.yaml there and handed that commit to
 * the pipeline job's base-gate step, while the runner trained on main's latest. The run's own commit (GITHUB_SHA,
 * for pull_request_target and issue_comment the default branch's latest) is the base now.
 */

const PARAMS =
  'evaluate:\n  baseline: prod\n' +
  'gate:\n  max_macro_f1_drop: 0.02\n  min_class_f1: 0.3\n  min_macro_f1: 0.5\n  min_test_objects: 30\n';
// Main raised its gate after the pull request was opened.
const RAISED = PARAMS.replace('min_macro_f1: 0.5', 'min_macro_f1: 0.7');
const LATEST = 'e'.repeat(40);

const github = emulatedGitHub();

async function approvedLater() {
  const gh = await github.start();
  const event = asFork(guardEvent('labeled')) as GuardEvent & { sender: { login: string } };
  event.label = { name: 'safe to run' };
  const { number } = event.pull_request;
  const headSha = event.pull_request.head.sha;
  const older = event.pull_request.base.sha;
  gh.permissions.set(event.sender.login, 'write');
  gh.pullFiles.set(number, [{ filename: 'labels.csv', status: 'modified' }]);
  filesAt({ gh, commit: headSha, files: { 'labels.csv': 'object_id,label\na,coin\n' } });
  filesAt({ gh, commit: older, files: { 'params.yaml': PARAMS } });
  filesAt({ gh, commit: LATEST, files: { 'params.yaml': RAISED } });
  gh.compare.set(`${LATEST}...${headSha}`, older);
  return { gh, event, older };
}

describe('the base a pull request is judged against, when main moved on after it was opened', () => {
  it('is the run’s commit, main’s latest, not the event’s older base commit', async () => {
    const { gh, event, older } = await approvedLater();
    const result = await runGuard({ ...forgeOn(gh), event, baseCommit: LATEST });
    expect(result.choice.trusted).toBe(true);
    expect(result.pullRequest!.baseSha).toBe(LATEST);
    expect(result.pullRequest!.baseSha).not.toBe(older);
  });

  it('is what choose-runner hands the pipeline job’s base-gate step (base-sha)', async () => {
    const { gh, event } = await approvedLater();
    const run = await runAction({
      name: 'choose-runner',
      inputs: { 'github-token': 'test-token', 'api-url': gh.url },
      event,
      eventName: 'pull_request_target',
      workspace: await tempDir('vitrine-guard-base-tip-'),
      extraEnv: { GITHUB_SHA: LATEST },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.trusted).toBe('true');
    expect(run.outputs['base-sha']).toBe(LATEST);
  });
});
