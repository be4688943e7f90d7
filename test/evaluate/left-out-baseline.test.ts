import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../pipeline/dataset/build.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { selectBackend } from '../../pipeline/model/backend.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
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

/*
 * A baseline whose backbone cannot read some of today's test images (another backbone than the
 * candidate's: a tiny one that turns a white photograph into NaN) must not shrink the candidate's own
 * scores, nor stop the evaluation: the candidate is scored on every object it could read, the
 * comparison on the objects both answered, and with none of those it is judged on its own.
 */

const params: Params = defaultParams();
params.demo.per_type = 8;
params.demo.unlabelled_per_type = 1;
params.demo.image_size = 64;
params.gate.min_test_objects = 5;
params.train.workers = 1;
params.evaluate.bootstrap = 200;
// Cross-validation is not what is tested here (and each fold trains a head).
params.evaluate.folds = 0;
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext & { log: ReturnType<typeof memoryLogger> };

/** A layers model: 2×2 mean colours (12 values), NaN for an image that is (nearly) all white. */
async function writeTrapBackbone(folder: string): Promise<string> {
  const { tf } = await selectBackend({ preference: 'cpu', log: memoryLogger() });
  const model = tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ inputShape: [32, 32, 3], poolSize: 16, strides: 16, name: 'grid' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 13, useBias: false, name: 'trigger' }),
      tf.layers.dense({ units: 12, useBias: false, name: 'embedding' }),
    ],
  });
  // trigger: the 12 means, and their sum × 3e37, which overflows float32 (infinite) only above 11.3.
  const trigger = new Float32Array(12 * 13);
  for (let i = 0; i < 12; i++) {
    trigger[i * 13 + i] = 1;
    trigger[i * 13 + 12] = 3e37;
  }
  // embedding: the 12 means again, plus 0 × the sum, which is NaN when the sum is infinite.
  const embedding = new Float32Array(13 * 12);
  for (let i = 0; i < 12; i++) embedding[i * 12 + i] = 1;
  model.getLayer('trigger').setWeights([tf.tensor2d(trigger, [12, 13])]);
  model.getLayer('embedding').setWeights([tf.tensor2d(embedding, [13, 12])]);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = { modelTopology: artifacts.modelTopology, format: 'layers-model' };
      const manifest = [{ paths: ['trap.bin'], weights: artifacts.weightSpecs }];
      await writeFile(path.join(folder, 'trap.json'), JSON.stringify({ ...json, weightsManifest: manifest }));
      await writeFile(path.join(folder, 'trap.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return path.join(folder, 'trap.json');
}

/** Overwrite an object's image with a white photograph (sizes differ, so the files do too). */
async function whiten(o: DatasetObject, size: number): Promise<void> {
  const raw = { width: size, height: size, channels: 3 as const };
  const jpeg = await sharp(Buffer.alloc(size * size * 3, 255), { raw })
    .jpeg({ quality: 100 })
    .toBuffer();
  await writeFile(path.join(ws.data, o.image), jpeg);
}

const labelledTest = async () =>
  (await readDataset({ ws })).objects.filter((o) => o.split === 'test' && o.label !== null && o.image);

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-left-out-baseline-')));
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  await generateDemo({ ws, params, log: ctx.log });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: ws.root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@example.org',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@example.org',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', 'labels.csv');
  git('commit', '-qm', 'labels');
  const commit = git('rev-parse', 'HEAD').trim();
  await datasetStage.run(ctx);

  // The model in production was trained on the trap backbone (no white image yet): promote it as v1.0.0.
  const trap = structuredClone(params);
  trap.backbone = {
    ...trap.backbone,
    name: 'custom',
    source: await writeTrapBackbone(ws.root),
    layer: 'embedding',
    input_size: 32,
    fit: 'crop',
    input_range: '0,1',
    licence: 'CC0-1.0',
  };
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
    await whiten(white, 42);
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
    expect(summary).not.toContain('left out (no usable embedding)');
    expect(summary).toContain('leaving out 1 test object whose images it could not read');
    expect(summary).not.toContain('it trained on');
  }, 300_000);

  it('judges the candidate on its own when the baseline can read none of them, and says why', async () => {
    const test = await labelledTest();
    await Promise.all(test.map((o, i) => whiten(o, 50 + i)));
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
