import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../pipeline/dataset/build.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, modelParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { folderIdentity } from '../../pipeline/registry/identity.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import type { TestPrediction } from '../../pipeline/report/types.ts';
import type { ReviewFile } from '../../pipeline/review/index.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { alignProbabilities, evaluateStage } from '../../pipeline/stages/evaluate.ts';
import { hashJson } from '../../pipeline/stages/graph.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { Metrics, ModelInfo } from '../../pipeline/types.ts';
import { commitLabels } from '../fixtures/left-out.ts';
import { promoteModel } from '../fixtures/promote.ts';

/*
 * The train and evaluate stages on a small demo collection in a real git repository (no promoted
 * model, so no baseline): the files they write, their shapes, and that they agree with each other.
 */

const params = defaultParams();
params.demo.per_type = 8;
params.demo.unlabelled_per_type = 1;
params.gate.min_test_objects = 5; // a small demo: about 10 test objects
params.demo.image_size = 64;
params.train.workers = 1;
params.train.epochs = 25;
// The flip path is off by default; keep it exercised here.
params.train.augment = true;
params.evaluate.bootstrap = 200;
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext;
let commit: string;

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-stages-')));
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  await generateDemo({ ws, params, log: ctx.log });
  commit = commitLabels({ root: ws.root });
  await datasetStage.run(ctx);
}, 120_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

describe('train stage', () => {
  it('writes a browser-loadable head and model-info.json naming the backend', async () => {
    const { summary } = await trainStage.run(ctx);
    expect(summary).toMatch(/run on (wasm|cpu|tensorflow) \(backend\)/);
    expect(summary).toMatch(/at best \d+\.\d% of the validation objects right/);
    expect((await readdir(ws.model)).sort()).toEqual(['model-info.json', 'model.json', 'weights.bin']);
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    const dataset = await readDataset({ ws });
    expect(info.labels).toEqual(dataset.labels);
    expect(info.trainCount).toBe(dataset.objects.filter((o) => o.split === 'train' && o.label !== null).length);
    expect(info.validationCount).toBe(
      dataset.objects.filter((o) => o.split === 'validation' && o.label !== null).length,
    );
    expect(info.backbone.id.startsWith(`nsfwjs-${params.backbone.name}@`)).toBe(true);
    expect(info.backbone.embeddingSize).toBeGreaterThan(0);
    expect(info.history.loss).toHaveLength(info.epochs);
    // The default head (train.solver lbfgs): how it was fitted is kept for the model card, and the
    // summary counts its iterations, not the one "epoch" model-info.json records for it.
    expect(info.lbfgs).toMatchObject({ iterations: expect.any(Number), converged: expect.any(Boolean) });
    expect(info.lbfgs!.iterations).toBeGreaterThan(0);
    expect(info.lbfgs!.choices).toEqual([...params.train.l2_choices].sort((a, b) => b - a));
    const steps = `${info.lbfgs!.iterations} step${info.lbfgs!.iterations === 1 ? '' : 's'}`;
    // Plain words, the term in brackets after them (testers read "L2" in the comment's stage table as jargon).
    expect(summary).toContain(
      `trained until it stopped improving (${steps}), held back from fitting the training photographs too closely ` +
        `at strength ${info.l2} (its L2 penalty, one of train.l2_choices)`,
    );
    expect(summary).not.toContain('L-BFGS');
    expect(summary).not.toMatch(/embeddings|, L2 /);
    expect(summary).not.toMatch(/\bepochs?\b/);
    // Every training and validation image once, and each training image mirrored when flip
    // augmentation is on (identical images, which share a split, once).
    const images = (split: string) =>
      new Set(dataset.objects.filter((o) => o.split === split && o.label !== null).map((o) => o.imageMd5)).size;
    expect(info.embeddings.computed + info.embeddings.fromCache).toBe(images('train') * 2 + images('validation'));
    expect(summary).toContain(info.backend);
    // The split it was trained on, so a later evaluation can leave out what it learnt from.
    const imagesOf = (split: string) =>
      [...new Set(dataset.objects.filter((o) => o.split === split && o.label !== null).map((o) => o.imageMd5))].sort();
    expect(info.split).toEqual({
      settings: params.dataset.split,
      trainImages: imagesOf('train'),
      validationImages: imagesOf('validation'),
    });
  }, 120_000);

  it('re-embeds nothing when it runs again', async () => {
    await trainStage.run(ctx);
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    expect(info.embeddings.computed).toBe(0);
  }, 120_000);
});

describe('evaluate stage', () => {
  it('writes metrics.json in the documented shape, consistent with predictions.json', async () => {
    const { summary } = await evaluateStage.run(ctx);
    expect(summary).toMatch(
      new RegExp(
        'overall score \\d\\.\\d\\d, each label counting equally \\(macro-F1; 95% range \\d\\.\\d\\d–\\d\\.\\d\\d\\), ' +
          'and .* right on \\d+ test objects; .*gate (passed|failed)',
      ),
    );
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    const predictions = JSON.parse(
      await readFile(path.join(ws.evaluate, 'predictions.json'), 'utf8'),
    ) as TestPrediction[];
    expect(Object.keys(metrics).sort()).toEqual(
      [
        'schema',
        'createdAt',
        'backend',
        'backbone',
        'labels',
        'n',
        'accuracy',
        'macroF1',
        'topK',
        'ece',
        'perClass',
        'confusion',
        'factors',
        'baseline',
        'changedPredictions',
        'leastConfident',
        'inputs',
        'gate',
        'mislabelled',
        'publication',
      ].sort(),
    );
    const dataset = await readDataset({ ws });
    const test = dataset.objects.filter((o) => o.split === 'test' && o.label !== null);
    expect(metrics.n).toBe(test.length);
    expect(predictions.map((p) => p.id)).toEqual(test.map((o) => o.id));
    expect(metrics.createdAt).toBe('2026-05-01T12:00:00.000Z');
    expect(metrics.baseline).toBeNull();
    expect(metrics.changedPredictions).toEqual([]);
    expect(predictions.every((p) => p.baseline === null)).toBe(true);
    // The headline numbers follow from the per-object predictions.
    const right = predictions.filter((p) => p.candidate.label === p.label).length;
    expect(metrics.accuracy.value).toBeCloseTo(right / predictions.length, 12);
    expect(metrics.confusion.flat().reduce((s, v) => s + v, 0)).toBe(test.length);
    expect(metrics.perClass.map((c) => c.support)).toEqual(
      metrics.labels.map((l) => test.filter((o) => o.label === l).length),
    );
    const least = [...predictions].sort((a, b) => a.candidate.confidence - b.candidate.confidence)[0]!;
    expect(metrics.leastConfident[0]!.confidence).toBeCloseTo(least.candidate.confidence, 5);
    // Inputs: what promotion compares against.
    const labelsMd5 = createHash('md5')
      .update(await readFile(ws.labels))
      .digest('hex');
    expect(metrics.inputs).toEqual({
      data: expect.stringMatching(/^[0-9a-f]{32}\.dir$/),
      labels: labelsMd5,
      params: hashJson(modelParams(params)),
      commit,
      // The model evaluated: promotion and annotation refuse these scores and thresholds for any other.
      model: await folderIdentity({ dir: ws.model }),
    });
    expect(metrics.gate.checks.map((c) => c.name)).toHaveLength(2);
    // The report's list says what `vitrine review` says: flagged by confident learning, or only ranked high.
    const review = JSON.parse(await readFile(path.join(ws.evaluate, 'review.json'), 'utf8')) as ReviewFile;
    expect(metrics.mislabelled!.flagged).toBe(review.flagged);
    expect(metrics.mislabelled!.top.map((i) => [i.id, i.reason])).toEqual(
      review.items.slice(0, 20).map((i) => [i.id, i.reason]),
    );
  }, 120_000);

  it('writes out-of-fold probabilities for every labelled object, each from a head of another fold', async () => {
    const oof = JSON.parse(await readFile(path.join(ws.evaluate, 'oof.json'), 'utf8')) as OofFile;
    const dataset = await readDataset({ ws });
    const labelled = dataset.objects.filter((o) => o.label !== null && o.image !== '');
    expect(oof.schema).toBe('vitrine.oof/1');
    expect(oof.labels).toEqual(dataset.labels);
    expect(oof.k).toBe(params.evaluate.folds);
    expect(oof.objects.map((o) => o.id).sort()).toEqual(labelled.map((o) => o.id).sort());
    for (const o of oof.objects) {
      expect(o.label).toBe(labelled.find((l) => l.id === o.id)!.label);
      expect(o.fold).toBeGreaterThanOrEqual(0);
      expect(o.fold).toBeLessThan(oof.k);
      expect(o.probabilities).toHaveLength(dataset.labels.length);
      expect(o.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    }
    // Every fold holds objects of several classes (stratified).
    for (let f = 0; f < oof.k; f++)
      expect(new Set(oof.objects.filter((o) => o.fold === f).map((o) => o.label)).size).toBeGreaterThan(1);
  }, 120_000);

  it('with more labelled objects than evaluate.cv_max_objects, learns from a stratified sample, still predicts every one', async () => {
    const capped = structuredClone(params);
    capped.evaluate.cv_max_objects = 20;
    const log = memoryLogger();
    await evaluateStage.run({ ...ctx, params: capped, log });
    const oof = JSON.parse(await readFile(path.join(ws.evaluate, 'oof.json'), 'utf8')) as OofFile;
    const dataset = await readDataset({ ws });
    const labelled = dataset.objects.filter((o) => o.label !== null && o.image !== '');
    expect(labelled.length).toBeGreaterThan(30);
    expect(oof.objects).toHaveLength(labelled.length);
    expect(oof.sample).toEqual({ objects: 20, of: labelled.length });
    expect(log.lines.map((l) => l.message)).toContainEqual(
      expect.stringContaining(`learn from a stratified sample of 20 of the ${labelled.length} labelled objects`),
    );
    // One L2 for every fold's head (the one the train stage chose), not 19 inner fits per head.
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    expect(capped.train.l2_choices).toContain(info.l2);
    expect(log.lines.map((l) => l.message)).toContainEqual(
      expect.stringContaining(`take the L2 the train stage chose (${info.l2})`),
    );
    await evaluateStage.run(ctx);
    const full = JSON.parse(await readFile(path.join(ws.evaluate, 'oof.json'), 'utf8')) as OofFile;
    expect(full.sample).toBeUndefined();
  }, 240_000);

  it('gives the same metrics on a second run (seeded bootstrap, deterministic model)', async () => {
    const first = await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8');
    await evaluateStage.run(ctx);
    expect(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')).toBe(first);
  }, 120_000);

  it('skips the cross-validation with evaluate.folds: 0, leaving no stale review list behind', async () => {
    const off = structuredClone(params);
    off.evaluate.folds = 0;
    const log = memoryLogger();
    await evaluateStage.run({ ...ctx, params: off, log });
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.mislabelled).toBeUndefined();
    expect(metrics.publication).toBeUndefined();
    expect((await readdir(ws.evaluate)).sort()).toEqual(['metrics.json', 'predictions.json']);
    expect(log.lines.some((l) => l.message.startsWith('evaluate.folds is 0'))).toBe(true);
    await evaluateStage.run(ctx);
  }, 240_000);

  it('fingerprints the baseline version (none registered here, or switched off) and how folds are drawn', async () => {
    // The way the folds are drawn (issue 13: by photograph): a new way reruns the stage, no stale oof.json kept.
    const folds = { 'cross-validation folds': 'by photograph' };
    expect(await evaluateStage.fingerprint!(ctx)).toEqual({ baseline: null, ...folds });
    const off = structuredClone(params);
    off.evaluate.baseline = 'none';
    expect(await evaluateStage.fingerprint!({ ...ctx, params: off })).toEqual({ baseline: null, ...folds });
  });

  it('with train.flagged: drop, flags in review.json exactly the labels training left out (a sample too)', async () => {
    // More labelled objects than evaluate.cv_max_objects: training's search for labels to leave out learns from the
    // same stratified sample as the evaluate stage's fold models, and they take the same L2.
    const drop = structuredClone(params);
    drop.train.flagged = 'drop';
    drop.evaluate.cv_max_objects = 20;
    const log = memoryLogger();
    await trainStage.run({ ...ctx, params: drop, log });
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    expect(drop.train.l2_choices).toContain(info.flagged!.l2);
    // The model card lists the labels left out, with the label each had: the training and validation objects flagged.
    const labelled = await readDataset({ ws });
    expect(info.flagged!.leftOut).toEqual(
      labelled.objects
        .filter((o) => info.flagged!.ids.includes(o.id) && o.split !== 'test')
        .map((o) => ({ id: o.id, label: o.label }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect(info.flagged!.leftOut!.length).toBeGreaterThan(0);
    await evaluateStage.run({ ...ctx, params: drop, log });
    const review = JSON.parse(await readFile(path.join(ws.evaluate, 'review.json'), 'utf8')) as ReviewFile;
    const oof = JSON.parse(await readFile(path.join(ws.evaluate, 'oof.json'), 'utf8')) as OofFile;
    expect(oof.sample?.objects).toBe(20);
    console.log(`flagged: drop on the small demo: ${info.flagged!.ids.length} left out (${info.flagged!.ids})`);
    expect(
      review.items
        .filter((i) => i.reason === 'flagged')
        .map((i) => i.id)
        .sort(),
    ).toEqual(info.flagged!.ids);
    expect(log.lines.map((l) => l.message)).toContainEqual(
      expect.stringContaining(`take the L2 the labels left out of training were found with (${info.flagged!.l2})`),
    );
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).not.toContainEqual(
      expect.stringContaining('differ from the labels training left out'),
    );
    // Were they ever to differ (a pull request changing labels in a large collection: the evaluate stage's sample
    // always takes in the changed labels, training's cannot know them), the run log says which, by name.
    const dataset = await readDataset({ ws });
    const notFlagged = dataset.objects.find(
      (o) => o.split === 'train' && o.label !== null && !info.flagged!.ids.includes(o.id),
    )!;
    const [first, ...rest] = info.flagged!.ids.filter(
      (id) => dataset.objects.find((o) => o.id === id)!.split !== 'test',
    );
    const other = { ...info, flagged: { ...info.flagged!, ids: [...rest, notFlagged.id].sort() } };
    await writeFile(path.join(ws.model, 'model-info.json'), JSON.stringify(other));
    const again = memoryLogger();
    await evaluateStage.run({ ...ctx, params: drop, log: again });
    const warned = again.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warned).toContainEqual(expect.stringContaining('differ from the labels training left out'));
    const words = warned.find((w) => w.includes('differ from the labels training left out'))!;
    console.log(words);
    expect(words).toContain(`${first} is flagged but the model learnt from it`);
    expect(words).toContain(`${notFlagged.id} was left out of training but is not flagged`);
    await trainStage.run(ctx);
    await evaluateStage.run(ctx);
  }, 240_000);
});

describe('train stage after an image was replaced', () => {
  it('stops naming the image instead of caching the new picture under the old md5', async () => {
    const dataset = await readDataset({ ws });
    const [victim, other] = dataset.objects.filter((o) => o.split === 'train' && o.label !== null);
    const file = path.join(ws.data, victim!.image);
    const original = await readFile(file);
    // A cold cache (the first training after the dataset was built), then the image is replaced.
    await rm(path.join(ws.cache, 'embeddings'), { recursive: true, force: true });
    await writeFile(file, await readFile(path.join(ws.data, other!.image)));
    try {
      const error = await trainStage.run(ctx).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'IMAGE_CHANGED' });
      expect((error as Error).message).toBe(
        `data/${victim!.image} changed since the dataset was built; run \`vitrine run dataset\` (or \`vitrine run\`).`,
      );
    } finally {
      await writeFile(file, original);
    }
  }, 120_000);
});

describe('evaluate stage against a baseline trained on another split', () => {
  it('leaves the test objects the baseline trained on out of the comparison and says so', async () => {
    // Promote the model trained above (default split) as v1.0.0.
    await trainStage.run(ctx);
    const baselineInfo = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    const headline = {
      accuracy: 0.8,
      macroF1: 0.78,
      macroF1Low: 0.7,
      macroF1High: 0.85,
      n: 16,
      labels: baselineInfo.labels,
    };
    await promoteModel({ ws, name: params.registry.model_name, commit, headline, log: ctx.log });
    // Keeps a copy of its files in the version cache before .vitrine/model is overwritten.
    expect(await resolveModelDir({ ws, params, version: 'prod', log: ctx.log })).toMatchObject({ version: 'v1.0.0' });

    // Another salt reshuffles the split: some of today's test objects trained v1.0.0.
    const reshuffled = structuredClone(params);
    reshuffled.dataset.split.salt = 'another-salt';
    const log = memoryLogger();
    const next = { ...ctx, params: reshuffled, log };
    await datasetStage.run(next);
    await trainStage.run(next);
    const { summary } = await evaluateStage.run(next);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    const dataset = await readDataset({ ws });
    const seen = new Set([...baselineInfo.split!.trainImages!, ...baselineInfo.split!.validationImages!]);
    const test = dataset.objects.filter((o) => o.split === 'test' && o.label !== null);
    const overlap = test.filter((o) => seen.has(o.imageMd5)).length;
    expect(overlap).toBeGreaterThan(0);
    expect(metrics.n).toBe(test.length);
    expect(metrics.baseline).toMatchObject({ version: 'v1.0.0', excluded: overlap, splitChanged: true });
    expect(metrics.baseline!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(test.length - overlap);
    expect(metrics.baseline!.comparison.test).toContain(`same ${test.length - overlap} test objects`);
    expect(summary).toContain(`leaving out ${overlap} test object`);
    expect(
      log.lines.some(
        (l) =>
          l.level === 'warn' &&
          l.message.startsWith(
            `${overlap} of the ${test.length} test objects were in the training data of the baseline v1.0.0`,
          ),
      ),
    ).toBe(true);
  }, 240_000);
});

describe('alignProbabilities', () => {
  it('reorders a baseline’s columns to today’s labels; labels it never knew get 0', () => {
    expect(
      alignProbabilities({ rows: [[0.2, 0.5, 0.3]], from: ['mask', 'coin', 'old'], to: ['coin', 'mask', 'print'] }),
    ).toEqual([[0.5, 0.2, 0]]);
  });
});
