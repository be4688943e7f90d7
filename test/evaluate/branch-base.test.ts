import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixDemoLabels, setLabelCells } from '../../pipeline/demo/fix-labels.ts';
import { generateDemo, planDemo } from '../../pipeline/demo/generate.ts';
import { baseSource } from '../../pipeline/evaluate/base-labels.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { Metrics, ModelInfo } from '../../pipeline/types.ts';
import { withDemoEmbeddings } from '../fixtures/demo-embeddings.ts';
import { gitIn } from '../fixtures/git.ts';
import { commitLabels, smallDemoParams } from '../fixtures/left-out.ts';
import { promoteModel } from '../fixtures/promote.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * An outside tester: after the README walkthrough (main has the label corrections, v1.1.0 in production),
 * `vitrine models rollback v1.0.0`, then a branch that only makes labels worse, run locally without
 * VITRINE_BASE_REF, was called "Better": the labels before were those of the production model's commit, so
 * main's corrections counted for the branch. A branch is judged against where it left collection.branch.
 */

const params = smallDemoParams();
params.demo.per_type = 30;
params.gate.min_test_objects = 1;
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext;
let git: ReturnType<typeof gitIn>;
/** The commit production's model was registered on, and main's tip after the corrections. */
let production: string;
let corrected: string;
/** The labels the branch makes wrong. */
let worsened: string[];

/** Give `count` correctly labelled objects (every 17th, from `skip`) another type's label in labels.csv; their ids. */
async function makeWrong({ count, skip }: { count: number; skip: number }): Promise<string[]> {
  const plan = planDemo({ demo: params.demo }).filter((i) => i.label !== null && i.label === i.type);
  const types = [...new Set(plan.map((i) => i.type))];
  const picks = plan.filter((_, i) => i % 17 === skip).slice(0, count);
  const wrong = new Map(picks.map((i) => [i.object.id, types.find((t) => t !== i.type)!] as const));
  const { text, changed } = setLabelCells({
    text: await readFile(ws.labels, 'utf8'),
    file: 'labels.csv',
    labels: wrong,
  });
  await writeFile(ws.labels, text);
  return changed;
}

beforeAll(async () => {
  ws = workspace(await tempDir('vitrine-branch-base-'));
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  await generateDemo({ ws, params, log: ctx.log });
  await withDemoEmbeddings({ ws, params });
  production = commitLabels({ root: ws.root, message: 'Demo labels' });
  git = gitIn({ root: ws.root });
  await datasetStage.run(ctx);
  await trainStage.run(ctx);
  const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
  const headline = { accuracy: 0.9, macroF1: 0.9, macroF1Low: 0.8, macroF1High: 1, n: 36, labels: info.labels };
  await promoteModel({ ws, name: params.registry.model_name, commit: production, headline, log: ctx.log });
  expect(await resolveModelDir({ ws, params, version: 'prod', log: ctx.log })).toMatchObject({ version: 'v1.0.0' });
  // Main moves on with the corrections (merged, but its model not in production: rolled back, or failed the gate).
  const { fixed } = await fixDemoLabels({ ws, params });
  expect(fixed.length).toBeGreaterThanOrEqual(5);
  git('commit', '-qam', 'Correct mislabelled objects');
  corrected = git('rev-parse', 'HEAD').trim();
  // The branch only makes labels worse.
  git('checkout', '-q', '-b', 'worse');
  worsened = await makeWrong({ count: 4, skip: 0 });
  expect(worsened).toHaveLength(4);
  git('commit', '-qam', 'A few wrong labels');
}, 900_000);

describe('a branch whose labels are judged without a base given', () => {
  it('is compared with where it left main, not with the commit of the model in production', async () => {
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    const { summary } = await evaluateStage.run(ctx);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    const cv = metrics.crossValidated!;
    console.log(`${summary}`);
    expect(cv.base.commit).toBe(corrected);
    expect(cv.base.commit).not.toBe(production);
    expect(cv.base.ref).toBe('main where this branch left it');
    // Only the branch's own changes count, not main's corrections.
    expect(cv.changed).toBe(worsened.length);
    expect(cv.comparison.verdict).not.toBe('better');
    expect(summary).toContain('changed since main where this branch left it');
    // The report says which labels it compared with, in the same words.
    const { markdown, json } = await buildReport({ ws, params, log: memoryLogger(), now: clock.now() });
    expect(json.verdict).not.toBe('better');
    expect(markdown).toContain('trained 5 times on the labels before (main where this branch left it)');
  }, 900_000);
});

describe("the evaluate stage's fingerprint and where the labels before come from", () => {
  const fingerprint = () => evaluateStage.fingerprint!(ctx) as Promise<Record<string, unknown>>;
  const source = (env: Record<string, string> = {}) =>
    baseSource({ ws, params, env, baselineCommit: production, baselineVersion: 'v1.0.0' });

  it('follows the labels where the branch left main, not the commit', async () => {
    git('checkout', '-q', 'worse');
    const before = await fingerprint();
    expect(before).toMatchObject({ baseline: 'v1.0.0', labelsBase: { ref: 'main where this branch left it' } });
    // Main moves on with code alone, and the branch is rebased onto it: the same labels before, no rerun.
    git('checkout', '-q', 'main');
    await writeFile(path.join(ws.root, 'NOTES.md'), 'code only\n');
    git('add', 'NOTES.md');
    git('commit', '-qm', 'Code only');
    git('checkout', '-q', 'worse');
    git('rebase', '-q', 'main');
    expect(await source()).toMatchObject({ commit: git('rev-parse', 'main').trim(), branchPoint: true });
    expect(await fingerprint()).toEqual(before);
    // The same labels.csv on a branch that left main before the corrections: other labels before, a rerun.
    const labels = await readFile(ws.labels, 'utf8');
    git('checkout', '-q', '-b', 'worse-from-production', production);
    await writeFile(ws.labels, labels);
    git('commit', '-qam', 'The same labels, from production');
    expect(await source()).toMatchObject({ commit: production, branchPoint: true });
    // Those are production's labels (as for the README walkthrough's branch): the baseline's version fixes them,
    // so the fingerprint is the one a run on main has, and a merge keeps the evaluation.
    const other = await fingerprint();
    expect(other).toEqual({ baseline: 'v1.0.0', 'cross-validation folds': 'by photograph' });
    expect(other).not.toEqual(before);
    git('checkout', '-q', 'worse');
  });

  it('on main itself compares with the commit of the model in production, as before', async () => {
    git('checkout', '-q', 'main');
    expect(await source()).toEqual({ ref: 'the commit of v1.0.0', commit: production });
    expect(await fingerprint()).toEqual({ baseline: 'v1.0.0', 'cross-validation folds': 'by photograph' });
    // Merged into main, the branch's commit is part of main: production's commit again.
    git('checkout', '-q', '--detach', 'main');
    expect(await source()).toEqual({ ref: 'the commit of v1.0.0', commit: production });
    git('checkout', '-q', 'worse');
  });

  it('takes a given base first', async () => {
    expect(await source({ VITRINE_BASE_REF: 'main' })).toEqual({ ref: 'main' });
    expect(await source({ GITHUB_BASE_REF: 'release' })).toEqual({ ref: 'release' });
  });

  it('outside git compares with the commit of the model in production', async () => {
    const plain = workspace(await tempDir('vitrine-branch-base-plain-'));
    const env = {};
    const found = await baseSource({ ws: plain, params, env, baselineCommit: production, baselineVersion: 'v1.0.0' });
    expect(found).toEqual({ ref: 'the commit of v1.0.0', commit: production });
  });
});
