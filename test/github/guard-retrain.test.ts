import { afterEach, describe, expect, it } from 'vitest';
import { INPUTS, OUTPUTS } from '../../actions/choose-runner/settings.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { asFork, examplePayload, runAction } from './run-action.ts';

/*
 * Outside tester: the scheduled retrain (retrain.yml) opens a pull request from a vitrine/retrain-… branch whose one
 * change is .github/vitrine-retrain.json, and its report sets vitrine/gate on that commit. Reopened, the pull request
 * started the guard, which set vitrine/gate to success ("Nothing the model reads changed"): a candidate that failed
 * the gate could be merged, and its merge promotes it (main.yml starts on that file). The guard now leaves the gate of
 * the retrain's own pull request to the retrain, and a fork that writes the file gets no green gate either.
 */

const TOKEN = 'test-token';
const RETRAIN = '.github/vitrine-retrain.json';
let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

async function guard({ fork }: { fork: boolean }) {
  gh = await startFakeGitHub({ token: TOKEN });
  const event = examplePayload('reopened') as ReturnType<typeof examplePayload> & {
    pull_request: { head: { ref: string } };
  };
  event.pull_request.head.ref = 'vitrine/retrain-123';
  if (fork) asFork(event);
  const sha = event.pull_request.head.sha;
  const number = event.pull_request.number;
  // What retrain.yml's report left on the retrain commit: the candidate fails the gate.
  const failed = 'Worse: this change makes the model worse. The promotion gate does not pass.';
  gh.statuses.push({ sha, state: 'failure', context: 'vitrine/gate', description: failed });
  gh.pullFiles.set(number, [{ filename: RETRAIN, status: 'added' }]);
  const run = await runAction({
    name: 'choose-runner',
    inputs: { [INPUTS.token]: TOKEN, [INPUTS.apiUrl]: gh.url },
    event,
    eventName: 'pull_request_target',
    workspace: await tempDir('vitrine-retrain-guard-'),
  });
  const gate = gh.statuses.filter((s) => s.sha === sha && s.context === 'vitrine/gate');
  return { run, gate, number };
}

describe('the guard and the scheduled retrain’s pull request', () => {
  it('leaves the gate the retrain’s report set on its commit', async () => {
    const { run, gate } = await guard({ fork: false });
    expect(run.code).toBe(0);
    expect(run.outputs[OUTPUTS.trusted]).toBe('false');
    expect(gate.map((s) => s.state)).toEqual(['failure']);
    expect(run.outputs[OUTPUTS.reason]).toContain(RETRAIN);
  });

  it('gives a fork that writes the retrain file no green gate', async () => {
    const { run, gate } = await guard({ fork: true });
    expect(run.code).toBe(0);
    expect(run.outputs[OUTPUTS.trusted]).toBe('false');
    expect(gate.at(-1)?.state).toBe('failure');
    expect(gate.at(-1)?.description).toContain('vitrine-retrain.json');
  });
});
