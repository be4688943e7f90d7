import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import type { ReportJson } from '../../pipeline/report/index.ts';
import { reportStage, runOnMain } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo, worseThanProduction, writeStageOutputs } from './fixture.ts';

/*
 * A reviewer: on a push to main in GitHub Actions, actions/checkout leaves a detached HEAD. The promote stage reads
 * the branch from GITHUB_REF_NAME and promotes, but the report read the branch point from git alone and took the run
 * for a commit already part of main: "a run on the main branch promotes this model", not "this run promotes".
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
/** What GitHub Actions sets on a push to main. */
const PUSH_TO_MAIN = { GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch' };

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

async function worseOnMain() {
  const repo = await makeRepo({ objects, base: labels, head: labels });
  const baseline = worseThanProduction();
  await writeStageOutputs({ ws: repo.ws, objects, head: labels, metrics: { baseline } });
  // The branch merged into main, as a push to main has it.
  git(repo.ws.root, 'checkout', '-q', 'main');
  git(repo.ws.root, 'merge', '-q', '--ff-only', 'fix-labels');
  return repo;
}

async function report(ws: Awaited<ReturnType<typeof makeRepo>>['ws'], env: Record<string, string>) {
  await reportStage.run({ ws, params, log: silentLogger, clock: { now: () => new Date('2026-01-01T00:00:00Z') }, env });
  return {
    markdown: await readFile(path.join(ws.report, 'report-full.md'), 'utf8').catch(() =>
      readFile(path.join(ws.report, 'report.md'), 'utf8'),
    ),
    json: JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson,
  };
}

describe('the report of a push to main in GitHub Actions (a detached checkout)', () => {
  it('says the same as on the main branch checked out: this run promotes', async () => {
    const { ws } = await worseOnMain();
    const attached = await report(ws, {});
    expect(attached.markdown.split('\n')[0]).toContain('it passes, so this run promotes this model');
    git(ws.root, 'checkout', '-q', '--detach');
    const detached = await report(ws, PUSH_TO_MAIN);
    expect(detached.json.labels.noBaseCode).toBe('on-branch');
    expect(detached.markdown).toBe(attached.markdown);
    expect(await runOnMain({ ws, env: PUSH_TO_MAIN })).toBe(true);
  });

  it('without GitHub’s variables, a detached commit of main is still a commit already part of main', async () => {
    const { ws } = await worseOnMain();
    git(ws.root, 'checkout', '-q', '--detach');
    const { markdown, json } = await report(ws, {});
    expect(json.labels.noBaseCode).toBe('merged');
    expect(markdown.split('\n')[0]).toContain('it passes, so a run on the main branch promotes this model');
  });
});
