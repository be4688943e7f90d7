import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INPUTS as REPORT_INPUTS, OUTPUTS as REPORT_OUTPUTS } from '../../actions/report/settings.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { forkRunRepository } from './fork-run.ts';
import { examplePayload, runAction } from './run-action.ts';

/*
 * A token GitHub refuses (403) is told which permission the refused call needs: the check run "checks: write",
 * the status "statuses: write", the comment "pull-requests: write". One list for every call sent maintainers to
 * add permissions that were already there (tester T4, F5).
 */

const TOKEN = 'test-token';
const SHA = 'a'.repeat(40);
const REFUSED = 'Resource not accessible by integration';
let gh: FakeGitHub | null = null;

afterEach(async () => {
  await gh?.close();
  gh = null;
});

function forgeFor(server: FakeGitHub) {
  return githubForge({ apiUrl: server.url, token: TOKEN, log: memoryLogger(), sleep: async () => {} });
}

async function refusal(path: RegExp, call: (forge: ReturnType<typeof forgeFor>) => Promise<unknown>) {
  gh = await startFakeGitHub({ token: TOKEN });
  gh.fail({ status: 403, message: REFUSED, path, times: 9 });
  const error = await call(forgeFor(gh)).then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error).not.toBeNull();
  await gh.close();
  gh = null;
  return error!.message;
}

describe('a refused call names the permission it needs', () => {
  const o = { owner: 'Codertocat', repo: 'Hello-World' };

  it('a check run: "checks: write", and not the comment’s or status’s permissions', async () => {
    const message = await refusal(/check-runs$/, (forge) =>
      forge.createCheckRun({
        ...o,
        sha: SHA,
        name: 'Vitrine model report',
        conclusion: 'success',
        title: 't',
        summary: 's',
      }),
    );
    expect(message).toContain(REFUSED);
    expect(message).toContain('"checks: write"');
    expect(message).not.toContain('pull-requests: write');
    expect(message).not.toContain('statuses: write');
  });

  it('a commit status: "statuses: write" only', async () => {
    const message = await refusal(/statuses\//, (forge) =>
      forge.setStatus({ ...o, sha: SHA, state: 'success', context: 'vitrine/gate', description: 'd' }),
    );
    expect(message).toContain('"statuses: write"');
    expect(message).not.toContain('pull-requests: write');
    expect(message).not.toContain('checks: write');
  });

  it('a comment: "pull-requests: write" (or "issues: write"), not the status’s', async () => {
    const message = await refusal(/comments$/, (forge) => forge.createComment({ ...o, issue: 2, body: 'x' }));
    expect(message).toContain('"pull-requests: write"');
    expect(message).not.toContain('statuses: write');
  });

  it('reads: the pull request’s files "pull-requests: read", a file "contents: read", statuses "statuses: read"', async () => {
    const files = await refusal(/files$/, (forge) => forge.listPullRequestFiles({ ...o, number: 2 }));
    expect(files).toContain('"pull-requests: read"');
    expect(files).not.toContain('statuses: write');
    const file = await refusal(/contents\//, (forge) => forge.readFileAt({ ...o, path: 'params.yaml', ref: SHA }));
    expect(file).toContain('"contents: read"');
    expect(file).not.toContain('pull-requests: write');
    const statuses = await refusal(/statuses$/, (forge) => forge.listStatuses({ ...o, sha: SHA }));
    expect(statuses).toContain('"statuses: read"');
    expect(statuses).not.toContain('pull-requests: write');
  });
});

describe('the report action with a token that may not create check runs', () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await forkRunRepository();
  });

  it('says the comment and the status were put on GitHub, and that only the check run failed, for "checks: write"', async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    gh.fail({ status: 403, message: REFUSED, path: /check-runs/, times: 50 });
    const run = await runAction({
      name: 'report',
      inputs: { [REPORT_INPUTS.token]: TOKEN, [REPORT_INPUTS.apiUrl]: gh.url },
      event: examplePayload('opened'),
      workspace: ws.root,
    });
    // The check run was asked for and not made: the step still fails, so the maintainer sees it.
    expect(run.code).toBe(1);
    expect(gh.comments.get(2)!.filter((c) => c.body.startsWith('<!-- vitrine:report -->'))).toHaveLength(1);
    expect(gh.statuses).toHaveLength(1);
    expect(run.outputs[REPORT_OUTPUTS.commentAction]).toBe('created');
    const error = run.stdout.split('\n').find((line) => line.startsWith('::error::'))!;
    expect(error).not.toContain('could not be put on GitHub');
    expect(error).toContain('The report was posted on pull request #2');
    expect(error).toContain('the "vitrine/gate" status was set');
    expect(error).toContain('Could not create the "Vitrine model report" check run');
    expect(error).toContain('"checks: write"');
    expect(error).not.toContain('pull-requests: write');
    expect(error).not.toContain('statuses: write');
    expect(error).not.toContain("still in this run's job summary");
  });
});
