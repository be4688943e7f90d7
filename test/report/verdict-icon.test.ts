import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport, type NoBaseCode, type ReportJson } from '../../pipeline/report/index.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo, worseThanProduction, writeStageOutputs } from './fixture.ts';

/*
 * The gate checks minimum scores, not the verdict: a change can be "Worse" and still pass it. The first line must
 * not wear a green tick then, and it says in plain words what passing means (a tester read "✅ Worse" as good).
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const GATE_SENTENCE =
  'The gate only checks the minimum scores in params.yaml; it passes, so merging would promote this model even ' +
  'though it scores lower than the one in production.';

async function worseRepo(): Promise<Awaited<ReturnType<typeof makeRepo>>> {
  const repo = await makeRepo({ objects, base: labels, head: labels });
  const baseline = worseThanProduction();
  await writeStageOutputs({ ws: repo.ws, objects, head: labels, metrics: { baseline } });
  return repo;
}

describe('the verdict line', () => {
  it('a worse model that passes the gate: a warning sign, and what passing means', async () => {
    const { ws } = await worseRepo();
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.verdict).toBe('worse');
    expect(json.gate.passed).toBe(true);
    const first = markdown.split('\n')[0]!;
    expect(first).not.toContain('✅');
    expect(first).toBe(`⚠️ **Worse: this change makes the model worse.** The promotion gate passes. ${GATE_SENTENCE}`);
  });

  it('on the main branch itself, says the run promotes it', async () => {
    const { ws } = await worseRepo();
    const { markdown } = await buildReport({
      ws,
      params,
      noBase: { code: 'on-branch', reason: 'this run is on main itself' },
      log: silentLogger,
    });
    expect(markdown.split('\n')[0]).toContain(
      'it passes, so this run promotes this model even though it scores lower than the one in production.',
    );
  });

  // Session 5: "on main" was read from the English words of the reason, so rewording them changed the verdict line.
  it('decides "on main" by the reason\'s code, whatever its words', async () => {
    const { ws } = await worseRepo();
    const first = async (noBase: { code: NoBaseCode; reason: string }) =>
      (await buildReport({ ws, params, noBase, log: silentLogger })).markdown.split('\n')[0]!;
    const reworded = await first({ code: 'on-branch', reason: 'the run is on the main branch' });
    expect(reworded).toContain('it passes, so this run promotes this model');
    // Words that read like the old pattern do not make a merged commit a run on main.
    const merged = await first({ code: 'merged', reason: 'this run is on main itself' });
    // A commit already part of main (a new branch with no commit of its own): merged already, and this run, on
    // another branch, promotes nothing; main’s run does (as the other words of a run on main say, no pull request).
    expect(merged).toContain('it passes, so a run on the main branch promotes this model');
    expect(merged).not.toContain('merging');
  });

  it('the report stage on the main branch records the code in report.json and says the run promotes', async () => {
    const { ws } = await worseRepo();
    await git.checkout({ fs, dir: ws.root, ref: 'main', force: true });
    await reportStage.run({
      ws,
      params,
      log: silentLogger,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      env: {},
    });
    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
    expect([json.labels.noBaseCode, json.labels.noBaseReason]).toEqual(['on-branch', 'this run is on main itself']);
    const markdown = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    expect(markdown.split('\n')[0]).toContain('it passes, so this run promotes this model');
  });

  it('the same in the comment rebuilt from a fork’s files', async () => {
    const { ws } = await worseRepo();
    await reportStage.run({
      ws,
      params,
      log: silentLogger,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      env: { GITHUB_BASE_REF: 'main' },
    });
    const result = forkReport({
      reportJson: await readFile(path.join(ws.report, 'report.json'), 'utf8'),
      metricsJson: await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8'),
    });
    expect(result.rebuilt).toBe(true);
    // A fork's comment says the verdict as the fork's claim, with no tick: never a green "Worse".
    const first = result.markdown.split('\n')[0]!;
    expect(first).toMatch(/^ℹ️ \*\*Worse: this change makes the model worse\. The promotion gate passes\.\*\*/u);
    expect(first).not.toMatch(/✅|❌/u);
  });

  it('better and passing keeps its tick; a failing gate is a cross whatever the verdict', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    const better = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(better.markdown.split('\n')[0]).toBe(
      '✅ **Better: the labels and the photographs agree better.** The promotion gate passes.',
    );
    const strict = validateParams({ raw: { train: { epochs: 60 }, gate: { min_macro_f1: 0.99 } } });
    await writeStageOutputs({ ws, objects, head: labels, params: strict });
    const failing = await buildReport({ ws, params: strict, base: 'main', log: silentLogger });
    expect(failing.json.gate.passed).toBe(false);
    expect(failing.markdown.split('\n')[0]).toMatch(
      /^❌ \*\*Better: .*\*\* \*\*The promotion gate does not pass\.\*\*$/,
    );
  });
});
