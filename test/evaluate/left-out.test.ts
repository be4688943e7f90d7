import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../pipeline/dataset/build.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { predictObjects } from '../../pipeline/model/predict.ts';
import type { Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { TestPrediction } from '../../pipeline/report/types.ts';
import { runShard } from '../../pipeline/shard/run.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import { LEFT_OUT_IDS, leaveOutUnembedded, leftOutField, trainStage } from '../../pipeline/stages/train.ts';
import type { DatasetObject, Metrics, ModelInfo } from '../../pipeline/types.ts';
import { commitLabels, smallDemoParams, whiten, writeTrapBackbone } from '../fixtures/left-out.ts';

/*
 * One image the backbone gives no usable numbers for (NaN) must not stop a run over a whole
 * collection: its object is left out of training, the test scores, cross-validation and annotation,
 * with a warning naming it. A small demo collection and a real (tiny) custom backbone built so that a
 * white photograph overflows float32 and comes out as NaN, while every other image gives its mean
 * colours in a 2×2 grid.
 */

const params: Params = smallDemoParams();
params.train.epochs = 25;
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext & { log: ReturnType<typeof memoryLogger> };
/** The objects whose image is made white: one training, one test, one unlabelled. */
let bad: { train: DatasetObject; test: DatasetObject; unlabelled: DatasetObject };

const whitenObject = (o: DatasetObject, size: number) => whiten({ file: path.join(ws.data, o.image), size });

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-left-out-')));
  params.backbone = await writeTrapBackbone({ folder: ws.root, backbone: params.backbone });
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  await generateDemo({ ws, params, log: ctx.log });
  commitLabels({ root: ws.root });
  await datasetStage.run(ctx);
  const before = await readDataset({ ws });
  const labelled = (split: string) => before.objects.filter((o) => o.split === split && o.label !== null && o.image);
  // A training object of a label with other training objects, so the label can still be learnt.
  const train = labelled('train').find((o) => labelled('train').filter((p) => p.label === o.label).length >= 3)!;
  const test = labelled('test')[0]!;
  const unlabelled = before.objects.find((o) => o.label === null && o.image)!;
  await whitenObject(train, 41);
  await whitenObject(test, 42);
  await whitenObject(unlabelled, 43);
  await datasetStage.run(ctx);
  const after = new Map((await readDataset({ ws })).objects.map((o) => [o.id, o]));
  bad = { train: after.get(train.id)!, test: after.get(test.id)!, unlabelled: after.get(unlabelled.id)! };
  // The split comes from the id, not the image: the white images stayed where they were.
  expect([bad.train.split, bad.test.split, bad.unlabelled.label]).toEqual(['train', 'test', null]);
}, 180_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

const warnings = () => ctx.log.lines.filter((l) => l.level === 'warn').map((l) => l.message);

describe('an image the backbone gives no usable numbers for', () => {
  it('is left out of training, which goes on with the others and names it', async () => {
    ctx.log.lines.length = 0;
    const { summary } = await trainStage.run(ctx);
    expect(summary).toContain('1 object left out (the image model could not use the photograph)');
    const warning = warnings().find((w) => w.includes('left out of training'));
    expect(warning).toContain(`${bad.train.id} (data/${bad.train.image})`);
    expect(warning).toContain('no usable numbers');
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    const dataset = await readDataset({ ws });
    const trainCount = dataset.objects.filter((o) => o.split === 'train' && o.label !== null).length;
    expect(info.trainCount).toBe(trainCount - 1);
    expect(info.split?.trainImages).not.toContain(bad.train.imageMd5);
    // Recorded for the pull-request report, which staff read rather than the run log.
    expect(info.leftOut).toEqual({ objects: 1, ids: [bad.train.id] });
  }, 180_000);

  it('is left out of the test scores and of cross-validation, and the evaluation goes on', async () => {
    ctx.log.lines.length = 0;
    const { summary } = await evaluateStage.run(ctx);
    const dataset = await readDataset({ ws });
    const test = dataset.objects.filter((o) => o.split === 'test' && o.label !== null && o.image);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.n).toBe(test.length - 1);
    const predictions = JSON.parse(
      await readFile(path.join(ws.evaluate, 'predictions.json'), 'utf8'),
    ) as TestPrediction[];
    expect(predictions.map((p) => p.id)).toEqual(test.filter((o) => o.id !== bad.test.id).map((o) => o.id));
    const oof = JSON.parse(await readFile(path.join(ws.evaluate, 'oof.json'), 'utf8')) as OofFile;
    const oofIds = oof.objects.map((o) => o.id);
    expect(oofIds).not.toContain(bad.train.id);
    expect(oofIds).not.toContain(bad.test.id);
    expect(oof.objects.every((o) => o.probabilities.every(Number.isFinite))).toBe(true);
    expect(warnings().find((w) => w.includes('left out of the test scores'))).toContain(
      `${bad.test.id} (data/${bad.test.image})`,
    );
    const cv = warnings().find((w) => w.includes('left out of cross-validation'));
    expect(cv).toContain(bad.train.id);
    expect(cv).toContain(bad.test.id);
    // Counted once each in the run log's summary, and in metrics.json for the report (dataset order).
    expect(summary).toContain('2 objects left out (the image model could not use the photograph)');
    const order = dataset.objects.map((o) => o.id);
    const ids = [bad.train.id, bad.test.id].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    expect(metrics.leftOut).toEqual({ objects: 2, ids });
  }, 180_000);

  it('gets no machine annotation (not a wrong one), with a warning naming it', async () => {
    const log = memoryLogger();
    const dataset = await readDataset({ ws });
    const objects = dataset.objects.filter((o) => o.image !== '');
    const predictions = await predictObjects({ ws, params, modelDir: ws.model, objects, log });
    const ids = new Set(predictions.map((p) => p.id));
    expect(ids.size).toBe(objects.length - 3);
    for (const o of Object.values(bad)) expect(ids.has(o.id)).toBe(false);
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('no machine annotation'));
    expect(warning?.message).toContain(`${bad.unlabelled.id} (data/${bad.unlabelled.image})`);
    expect(warning?.message).toMatch(/^3 objects are left out of prediction/);
  }, 180_000);

  it('is named by a shard that meets it (`vitrine run --shard`), not passed over in silence', async () => {
    // A folder as the data remote: the shard sends its caches there.
    const remote = await mkdtemp(path.join(os.tmpdir(), 'vitrine-left-out-remote-'));
    await mkdir(path.join(ws.root, '.dvc'), { recursive: true });
    await writeFile(
      path.join(ws.root, '.dvc', 'config'),
      ['[core]', '    remote = r', `['remote "r"']`, `    url = ${remote}`, ''].join('\n'),
    );
    const log = memoryLogger();
    try {
      const result = await runShard({
        ctx: { ...ctx, log },
        shard: { index: 1, count: 1 },
        targets: ['train'],
        jobs: 1,
      });
      expect(result.images).toBeGreaterThan(3);
    } finally {
      await rm(path.join(ws.root, '.dvc'), { recursive: true, force: true });
      await rm(remote, { recursive: true, force: true });
    }
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('no usable numbers'))?.message;
    expect(warning).toMatch(/^Shard 1\/1: the backbone gave no usable numbers for these 3 images/);
    for (const o of Object.values(bad)) expect(warning).toContain(`data/${o.image}`);
    expect(warning).toContain('Open them');
  }, 180_000);

  it('is counted whole in metrics.json and model-info.json, which name the first 20', () => {
    expect(leftOutField([])).toEqual({});
    const many = Array.from({ length: 25 }, (_, i) => ({ id: `obj-${i + 1}` }));
    const { leftOut } = leftOutField(many);
    expect(leftOut?.objects).toBe(25);
    expect(leftOut?.ids).toHaveLength(LEFT_OUT_IDS);
    expect(leftOut?.ids.at(-1)).toBe('obj-20');
  });

  it('stops with a typed error when every training object, or every one of a label, is left out', async () => {
    const dataset = await readDataset({ ws });
    const train = dataset.objects.filter((o) => o.split === 'train' && o.label !== null);
    const label = train[0]!.label!;
    const none = { vectors: { has: () => false } };
    const noneError = (() => {
      try {
        leaveOutUnembedded({ train, validation: [], labels: dataset.labels, embedded: none });
      } catch (error) {
        return error;
      }
    })();
    expect(isVitrineError(noneError, 'TRAIN_NO_EMBEDDINGS')).toBe(true);
    expect((noneError as Error).message).toContain(`None of the ${train.length} training objects`);
    expect((noneError as Error).message).toContain('no usable numbers');

    const lost = new Set(train.filter((o) => o.label === label).map((o) => o.imageMd5));
    const some = { vectors: { has: (key: string) => !lost.has(key) } };
    const labelError = (() => {
      try {
        leaveOutUnembedded({ train, validation: [], labels: dataset.labels, embedded: some });
      } catch (error) {
        return error;
      }
    })();
    expect(isVitrineError(labelError, 'TRAIN_TOO_FEW_EMBEDDINGS')).toBe(true);
    expect((labelError as Error).message).toContain(`labelled "${label}"`);
    expect((labelError as Error).message).toContain(`${train.filter((o) => o.label === label).length} object`);
  });
});
