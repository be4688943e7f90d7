import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import { INPUTS } from '../../actions/report/settings.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { tempDir } from '../fixtures/temp.ts';
import { demoObjects, makeRepo } from '../report/fixture.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { runAction } from './run-action.ts';

/*
 * Reviewer: the trusted run's report tells staff of a repository that does not hold Vitrine (one `vitrine init -C`
 * made) to type `npx vitrine -C path/to/<repository> …` (in a bare `npx vitrine`, npx fetches an unknown package from
 * npm), but the fork's comment, rendered again by the report action, said plain `npx vitrine …` there. It now says
 * what the trusted run's report says, judged from the museum's repository the action runs in, never from the fork's
 * files. The report action's committed bundle runs as the runner runs it, against GitHub's REST API on 127.0.0.1.
 */

const TOKEN = 'test-token';
let ws: Workspace;
let reportJson = '';
let metricsJson = '';
let gh: FakeGitHub | null = null;

beforeAll(async () => {
  const objects = demoObjects();
  const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
  ({ ws } = await makeRepo({ objects, base: { ...correct, 'DM-0007': 'coin' }, head: correct }));
  await reportStage.run({
    ws,
    params: validateParams({ raw: {} }),
    log: silentLogger,
    clock: { now: () => new Date('2026-01-01T00:00:00Z') },
    env: { GITHUB_BASE_REF: 'main' },
  });
  // A photograph the fork's change made unusable: its section tells staff to run `npx vitrine data add`.
  const report = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8'));
  report.unusablePhotos = {
    objects: [
      {
        id: 'DM-0001',
        title: 'Bowl',
        file: 'data/images/DM-0001.jpg',
        code: 'IMAGE_UNREADABLE',
        reason: 'cannot be opened as a photograph',
        labelled: true,
        newInChange: true,
      },
    ],
    comparedWithBase: true,
  };
  reportJson = JSON.stringify(report);
  metricsJson = await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8');
});

afterEach(async () => {
  await gh?.close();
  gh = null;
});

/** The museum's repository as report-from-fork.yml checks it out, with the fork's run's files in .vitrine/. */
async function checkout(name: string, packageJson?: object): Promise<string> {
  const dir = path.join(await tempDir('vitrine-fork-command-'), name);
  await mkdir(path.join(dir, '.vitrine', 'report'), { recursive: true });
  if (packageJson) await writeFile(path.join(dir, 'package.json'), JSON.stringify(packageJson));
  await writeFile(path.join(dir, '.vitrine', 'report', 'report.json'), reportJson);
  await cp(ws.evaluate, path.join(dir, '.vitrine', 'evaluate'), { recursive: true });
  return dir;
}

async function forkComment(workspace: string): Promise<string> {
  gh = await startFakeGitHub({ token: TOKEN });
  const run = await runAction({
    name: 'report',
    inputs: {
      [INPUTS.token]: TOKEN,
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
  expect(run.code, run.stdout).toBe(0);
  return gh.comments.get(2)![0]!.body;
}

describe("a fork's comment", () => {
  it("names the repository with -C where it does not hold Vitrine, as the trusted run's report does", async () => {
    const body = await forkComment(await checkout('our-museum'));
    expect(body).toContain('`npx vitrine -C path/to/our-museum data add`');
    expect(body).not.toMatch(/npx vitrine (?!-C)/);
    expect(body).toContain(
      'with `path/to/our-museum` replaced by where your copy of the our-museum repository is on your computer',
    );
  });

  it('says plain `npx vitrine` in a copy of Vitrine (the template), as the trusted run does', async () => {
    const body = await forkComment(await checkout('our-museum', { name: 'vitrine', private: true }));
    expect(body).toContain('`npx vitrine data add`');
    expect(body).not.toContain('npx vitrine -C');
    expect(body).not.toContain('type them in a terminal opened in the folder where Vitrine is installed');
  });

  it('is rendered with the command it is given', () => {
    const out = forkReport({ reportJson, metricsJson, vitrine: 'npx vitrine -C path/to/our-museum' });
    expect(out.rebuilt).toBe(true);
    expect(out.markdown).toContain('`npx vitrine -C path/to/our-museum data add`');
  });
});
