import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUTS, OUTPUTS } from '../../actions/choose-runner/settings.ts';
import { tempDir } from '../fixtures/temp.ts';
import { asFork, examplePayload, runAction } from './run-action.ts';

/*
 * Outside tester: an empty github-token (a maintainer swapped in a secret that is missing) switched the guard off
 * without a word: a branch changing code and the trusted workflow was sent to the self-hosted runner unchecked, and a
 * fork got no pending gate and no comment. On the events the guard decides (pull_request_target, issue_comment) the
 * token is now required, and a missing event file names GITHUB_EVENT_PATH. The committed bundle runs as the runner
 * runs it.
 */

const workspace = os.tmpdir();

describe('choose-runner without a token', () => {
  it.each([
    ['a branch of the repository', false],
    ['a fork', true],
  ])('stops on pull_request_target from %s, naming the github-token input', async (_, fork) => {
    const event = examplePayload('opened');
    const run = await runAction({
      name: 'choose-runner',
      inputs: { [INPUTS.token]: '' },
      event: fork ? asFork(event) : event,
      eventName: 'pull_request_target',
      workspace,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::.*"github-token"/);
    expect(run.outputs[OUTPUTS.trusted]).not.toBe('true');
  });

  it('stops on issue_comment too, and still decides pull_request alone without one', async () => {
    const comment = await runAction({
      name: 'choose-runner',
      inputs: {},
      event: { issue: { number: 2, pull_request: {} }, comment: { body: 'LGTM' } },
      eventName: 'issue_comment',
      workspace,
    });
    expect(comment.code).toBe(1);
    expect(comment.stdout).toMatch(/::error::.*"github-token"/);
    const plain = await runAction({ name: 'choose-runner', inputs: {}, event: examplePayload('opened'), workspace });
    expect(plain.code).toBe(0);
    expect(plain.outputs[OUTPUTS.trusted]).toBe('true');
  });
});

describe('choose-runner and report without their event file', () => {
  it.each([['choose-runner'], ['report']])('%s names GITHUB_EVENT_PATH and the file', async (name) => {
    const missing = path.join(await tempDir('vitrine-no-event-'), 'event.json');
    const run = await runAction({
      name,
      inputs: {},
      event: {},
      workspace,
      extraEnv: { GITHUB_EVENT_PATH: missing },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('GITHUB_EVENT_PATH');
    expect(run.stdout).toContain(missing);
  });
});
