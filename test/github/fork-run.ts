import { INPUTS } from '../../actions/report/settings.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo } from '../report/fixture.ts';
import { startFakeGitHub } from './fake-github.ts';
import { runAction } from './run-action.ts';

/*
 * A fork's pull request as report-from-fork.yml sees it: the fork's run's report (one label corrected, DM-0007), and
 * the report action's committed bundle run on it as the runner runs it, against GitHub's REST API on 127.0.0.1.
 */

/** A repository whose pull request corrects DM-0007's label, with the report stage run on it. */
export async function forkRunRepository(): Promise<Workspace> {
  const objects = demoObjects();
  const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
  const { ws } = await makeRepo({ objects, base: { ...correct, 'DM-0007': 'coin' }, head: correct });
  await reportStage.run({
    ws,
    params: validateParams({ raw: {} }),
    log: silentLogger,
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    env: { GITHUB_BASE_REF: 'main' },
  });
  return ws;
}

/** The comment the report action posts on pull request 2 for a fork's run, from the museum's checkout `workspace`. */
export async function forkComment(workspace: string): Promise<string> {
  const token = 'test-token';
  const gh = await startFakeGitHub({ token });
  try {
    const run = await runAction({
      name: 'report',
      inputs: {
        [INPUTS.token]: token,
        [INPUTS.apiUrl]: gh.url,
        [INPUTS.pullRequest]: '2',
        [INPUTS.sha]: 'b'.repeat(40),
        [INPUTS.fromFork]: 'true',
        [INPUTS.status]: 'false',
      },
      event: {},
      eventName: 'workflow_run',
      workspace,
    });
    if (run.code !== 0) throw new Error(`the report action exited ${run.code}:\n${run.stdout}`);
    return gh.comments.get(2)![0]!.body;
  } finally {
    await gh.close();
  }
}
