import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../pipeline/dataset/build.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import type { Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { assignStage, type RegistrationInput, registerVersion } from '../../pipeline/registry/registry.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import { manifestOf } from '../../pipeline/registry/store.ts';
import type { TestPrediction } from '../../pipeline/report/types.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { DatasetObject, Metrics, ModelInfo } from '../../pipeline/types.ts';
import { commitLabels, smallDemoParams, whiten, writeTrapBackbone } from '../fixtures/left-out.ts';

/*
 * A baseline whose backbone cannot read some of today's test images (another backbone than the
 * candidate's: a tiny one that turns a white photograph into NaN) must not shrink the candidate's own
 * scores, nor stop the evaluation: the candidate is scored on every object it could read, the
 * comparison on the objects both answered, and with none of those it is judged on its own.
 */

const params: Params = smallDemoParams();
// Cross-validation is not what is tested here (and each fold trains a head).
params.evaluate.folds = 0;
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext & { log: ReturnType<typeof memoryLogger> };

const whitenObject = (o: DatasetObject, size: number) => whiten({ file: path.join(ws.data, o.image), size });

const labelledTest = async () =>
  (await readDataset({ ws })).objects.filter((o) => o.split === 'test' && o.label !== null && o.image);

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-left-out-baseline-')));
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  await generateDemo({ ws, params, log: ctx.log });
  const commit = commitLabels({ root: ws.root });
  await datasetStage.run(ctx);

  // The model in production was trained on the trap backbone (no white image yet): promote it as v1.0.0.
  const trap = structuredClone(params);
  trap.backbone = await writeTrapBackbone({ folder: ws.root, backbone: trap.backbone });
  await trainStage.run({ ...ctx, params: trap });
  const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
  let t = Date.parse('2026-05-01T12:00:00Z');
  const stepping: Clock = { now: () => new Date((t += 1000)) };
  const name = params.registry.model_name;
  const record: RegistrationInput = {
    manifest: await manifestOf({ dir: ws.model }),
    evidence: null,
    remote: 'local',
    inputs: { labels: info.labels, data: 'data.dir', labelsMd5: 'labels-1' },
    headline: { accuracy: 0.8, macroF1: 0.78, macroF1Low: 0.7, macroF1High: 0.85, n: 16, labels: info.labels },
    lineage: {} as RegistrationInput['lineage'],
  };
  await registerVersion({ dir: ws.root, name, commit, record, clock: stepping, log: ctx.log });
  await assignStage({ dir: ws.root, name, version: 'v1.0.0', stage: 'prod', clock: stepping, log: ctx.log });
  // Keeps a copy of its files in the version cache before .vitrine/model is overwritten.
  expect(await resolveModelDir({ ws, params, version: 'prod', log: ctx.log })).toMatchObject({ version: 'v1.0.0' });
  // The candidate: the default backbone, which reads white photographs like any other.
  await trainStage.run(ctx);
}, 300_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

const readMetrics = async () => JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;

describe('a baseline that cannot read some test images', () => {
  it('scores the candidate on every test object, and compares the two on those both answered', async () => {
    const white = (await labelledTest())[0]!;
    await whitenObject(white, 42);
    await datasetStage.run(ctx);
    ctx.log.lines.length = 0;
    const { summary } = await evaluateStage.run(ctx);
    const test = await labelledTest();
    const metrics = await readMetrics();
    expect(metrics.n).toBe(test.length);
    expect(metrics.leftOut).toBeUndefined();
    expect(metrics.confusion.flat().reduce((a, b) => a + b, 0)).toBe(test.length);
    expect(metrics.baseline).toMatchObject({ version: 'v1.0.0', excluded: 1, unanswered: 1 });
    expect(metrics.baseline!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(test.length - 1);
    expect(metrics.baseline!.comparison.test).toContain(`same ${test.length - 1} test objects`);
    expect(metrics.baseline!.comparison.test).not.toContain('trained on');
    expect(metrics.changedPredictions.map((c) => c.id)).not.toContain(white.id);
    const predictions = JSON.parse(
      await readFile(path.join(ws.evaluate, 'predictions.json'), 'utf8'),
    ) as TestPrediction[];
    expect(predictions.map((p) => p.id)).toEqual(test.map((o) => o.id));
    expect(predictions.find((p) => p.id === white.id)).toMatchObject({ baseline: null });
    const warnings = ctx.log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    const warning = warnings.find((w) => w.includes(white.id));
    expect(warning).toContain(`uses the other ${test.length - 1}`);
    expect(warning).toContain(`all ${test.length}`);
    // The image is fine (this model read it): staff are not told to replace it.
    expect(warnings.join('\n')).not.toMatch(/left out of the test scores|Open (it|them)|[Rr]eplace/);
    expect(summary).not.toContain('left out (the image model could not use the photograph)');
    expect(summary).toContain('leaving out 1 test object whose images it could not read');
    expect(summary).not.toContain('it trained on');
  }, 300_000);

  it('judges the candidate on its own when the baseline can read none of them, and says why', async () => {
    const test = await labelledTest();
    await Promise.all(test.map((o, i) => whitenObject(o, 50 + i)));
    await datasetStage.run(ctx);
    ctx.log.lines.length = 0;
    await evaluateStage.run(ctx);
    const metrics = await readMetrics();
    expect(metrics.n).toBe(test.length);
    expect(metrics.baseline).toBeNull();
    expect(metrics.changedPredictions).toEqual([]);
    const said = ctx.log.lines.map((l) => l.message).find((m) => m.includes('v1.0.0') && m.includes('on its own'));
    expect(said).toContain(`none of the ${test.length} test objects`);
  }, 300_000);
});
