import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { formatLabels } from '../../pipeline/collection/index.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { checkGate } from '../../pipeline/evaluate/gate.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { modelParams, type Params, validateParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { TestPrediction } from '../../pipeline/report/types.ts';
import { hashJson } from '../../pipeline/stages/graph.ts';
import { trainSummary } from '../../pipeline/stages/train.ts';
import type {
  ClassMetrics,
  CollectionObject,
  Dataset,
  DatasetObject,
  Metrics,
  ModelInfo,
  Split,
} from '../../pipeline/types.ts';
import { object } from '../dataset/fixtures.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * A small repository like the demo's after a label-correction pull request: the base commit has
 * some wrong labels, the head commit fixes them, and `.vitrine/` holds what the dataset, train and
 * evaluate stages wrote for the head.
 */

export const VOCABULARY = ['coin', 'figurine', 'mask', 'print', 'textile', 'vessel'];
const AUTHOR = { name: 'Test', email: 'test@example.org', timestamp: 1_767_225_600, timezoneOffset: 0 };

export interface ObjectSpec {
  id: string;
  title: string;
  label: string;
  split: Split;
  /** The object's rights (default: none recorded). */
  rights?: string;
  /** The checksum of its photograph (default: one of its own); two objects given one share a photograph. */
  imageMd5?: string;
}

/** Objects DM-0001..: six per class, every third in the test split. */
export function demoObjects(): ObjectSpec[] {
  const objects: ObjectSpec[] = [];
  let n = 1;
  for (const label of VOCABULARY) {
    for (let i = 0; i < 6; i++) {
      const id = `DM-${String(n++).padStart(4, '0')}`;
      objects.push({
        id,
        title: `${label[0]!.toUpperCase()}${label.slice(1)} number ${i + 1}`,
        label,
        split: i % 3 === 0 ? 'test' : i % 3 === 1 ? 'train' : 'validation',
      });
    }
  }
  return objects;
}

/**
 * Create a git repo with a base commit (labels `base`) and a head commit (labels `head`, params changed).
 * It is removed when the test ends (when the test file ends if made in a beforeAll).
 */
export async function makeRepo({
  objects,
  base,
  head,
  baseParams = 'train:\n  epochs: 40\n',
  headParams = 'train:\n  epochs: 60\n',
  baseText,
  headText,
  vitrineInstalled = true,
}: {
  objects: ObjectSpec[];
  base: Record<string, string>;
  head: Record<string, string>;
  baseParams?: string;
  headParams?: string;
  /** labels.csv at the base as written (an object on two lines, say) instead of one line per object of `base`. */
  baseText?: string;
  /** The head (`head` still gives the labels dataset.json holds) written the same way. */
  headText?: string;
  /**
   * The repository holds Vitrine (a package.json named "vitrine", as a copy of Vitrine's repository does), so
   * the report's commands are "npx vitrine …"; false: a repository `vitrine init -C` made, run from elsewhere.
   */
  vitrineInstalled?: boolean;
}): Promise<{ ws: Workspace; baseCommit: string; headCommit: string }> {
  const dir = await tempDir('vitrine-report-');
  const ws = workspace(dir);
  await git.init({ fs, dir, defaultBranch: 'main' });
  await writeFile(path.join(dir, '.gitignore'), '.vitrine/\n');
  const labels = (map: Record<string, string>) =>
    formatLabels({ labels: Object.entries(map).map(([objectId, label]) => ({ objectId, label })) });
  await writeFile(ws.labels, baseText ?? labels(base));
  await writeFile(ws.params, baseParams);
  if (vitrineInstalled) await writeFile(path.join(dir, 'package.json'), '{ "name": "vitrine", "private": true }\n');
  for (const f of ['.gitignore', 'labels.csv', 'params.yaml', ...(vitrineInstalled ? ['package.json'] : [])])
    await git.add({ fs, dir, filepath: f });
  const baseCommit = await git.commit({ fs, dir, message: 'Collection with labels', author: AUTHOR });
  await git.branch({ fs, dir, ref: 'fix-labels', checkout: true });
  await writeFile(ws.labels, headText ?? labels(head));
  await writeFile(ws.params, headParams);
  for (const f of ['labels.csv', 'params.yaml']) await git.add({ fs, dir, filepath: f });
  const headCommit = await git.commit({
    fs,
    dir,
    message: 'Correct wrong labels',
    author: { ...AUTHOR, timestamp: AUTHOR.timestamp + 60 },
  });
  await writeStageOutputs({ ws, objects, head });
  return { ws, baseCommit, headCommit };
}

function classMetrics(label: string, f1: number, support: number): ClassMetrics {
  return { label, precision: Math.min(1, f1 + 0.02), recall: Math.max(0, f1 - 0.02), f1, support };
}

/** The stage outputs the report reads, consistent with `objects` and the head labels. */
export async function writeStageOutputs({
  ws,
  objects,
  head,
  metrics: override = {},
  model: modelOverride = {},
  params = validateParams({ raw: { train: { epochs: 60 } } }),
  vocabulary = VOCABULARY,
}: {
  ws: Workspace;
  objects: ObjectSpec[];
  head: Record<string, string>;
  metrics?: Partial<Metrics>;
  /** Fields of model-info.json to set (the train stage's output). */
  model?: Partial<ModelInfo>;
  /** The params evaluate ran with (default: the head's params.yaml, train.epochs 60): its gate and hash go into metrics.json. */
  params?: Params;
  /** The collection's labels at the head (default VOCABULARY). */
  vocabulary?: string[];
}): Promise<Metrics> {
  const datasetObjects: DatasetObject[] = objects.map((o) => ({
    id: o.id,
    title: o.title,
    maker: '',
    date: '',
    department: 'Antiquities',
    medium: '',
    creditLine: '',
    rights: o.rights ?? '',
    description: '',
    image: `images/${o.id}.png`,
    extra: {},
    imageMd5: o.imageMd5 ?? createHash('md5').update(o.id).digest('hex'),
    width: 320,
    height: 320,
    // Like the dataset stage: a label outside the vocabulary is skipped.
    label: head[o.id] !== undefined && vocabulary.includes(head[o.id]!) ? head[o.id]! : null,
    split: o.split,
    colours: [],
    thumbnails: [
      { width: 480, height: 480, webp: `thumbnails/${o.id}-480.webp`, jpeg: `thumbnails/${o.id}-480.jpg` },
      { width: 240, height: 240, webp: `thumbnails/${o.id}-240.webp`, jpeg: `thumbnails/${o.id}-240.jpg` },
    ],
  }));
  const dataset: Dataset = {
    schema: 'vitrine.dataset/1',
    labels: vocabulary,
    objects: datasetObjects,
    issues: [],
    counts: {
      objects: objects.length,
      labelled: Object.keys(head).length,
      bySplit: { train: 0, validation: 0, test: 0 },
      byLabel: {},
    },
  };
  const test = objects.filter((o) => o.split === 'test');
  // The candidate agrees with the corrected labels; the baseline learned the wrong ones.
  const predictions: TestPrediction[] = test.map((o) => ({
    id: o.id,
    label: head[o.id] ?? o.label,
    candidate: { id: o.id, label: o.label, confidence: 0.91, top: [{ label: o.label, p: 0.91 }] },
    baseline: { id: o.id, label: o.id === 'DM-0007' ? 'coin' : o.label, confidence: 0.64, top: [] },
  }));
  const confusion = vocabulary.map((_, i) => vocabulary.map((_, j) => (i === j ? 5 : i === 1 && j === 0 ? 1 : 0)));
  const metrics: Metrics = {
    schema: 'vitrine.metrics/1',
    createdAt: '2026-01-01T00:00:00.000Z',
    backend: 'wasm',
    backbone: 'nsfwjs-mobilenet_v2@4.4.0#global_average_pooling2d_1',
    labels: vocabulary,
    n: 36,
    accuracy: { value: 0.944, low: 0.86, high: 1 },
    macroF1: { value: 0.941, low: 0.85, high: 1 },
    topK: { k: 2, accuracy: { value: 1, low: 1, high: 1 } },
    ece: { value: 0.05, low: 0.02, high: 0.09 },
    perClass: vocabulary.map((l, i) => classMetrics(l, i === 1 ? 0.83 : 0.95, 6)),
    confusion,
    factors: [],
    baseline: {
      version: 'v1.0.0',
      accuracy: { value: 0.861, low: 0.75, high: 0.97 },
      macroF1: { value: 0.852, low: 0.73, high: 0.95 },
      topK: { k: 2, accuracy: { value: 0.944, low: 0.86, high: 1 } },
      ece: { value: 0.09, low: 0.05, high: 0.14 },
      perClass: vocabulary.map((l, i) => classMetrics(l, i === 1 ? 0.6 : 0.9, 6)),
      confusion,
      comparison: {
        metric: 'macroF1',
        difference: { value: 0.089, low: 0.021, high: 0.16 },
        pValue: 0.012,
        test: 'paired bootstrap',
        verdict: 'better',
      },
    },
    changedPredictions: [{ id: 'DM-0007', label: 'figurine', baseline: 'coin', candidate: 'figurine' }],
    leastConfident: [],
    inputs: {
      data: '3f2a9c1b5d7e8f90a1b2c3d4e5f60718.dir',
      labels: 'b'.repeat(32),
      params: hashJson(modelParams(params)),
      commit: null,
    },
    ...override,
  } as Metrics;
  // The gate as the evaluate stage checks it, unless the test gives its own.
  if (!override.gate) metrics.gate = checkGate({ candidate: metrics, baseline: metrics.baseline, gate: params.gate });
  const model: ModelInfo = {
    schema: 'vitrine.model/1',
    labels: vocabulary,
    backbone: {
      id: metrics.backbone,
      source: 'nsfwjs',
      licence: 'MIT',
      inputSize: 224,
      fit: 'letterbox',
      inputRange: '0,1',
      layer: 'global_average_pooling2d_1',
      embeddingSize: 1280,
    },
    backend: 'wasm',
    seed: 42,
    epochs: 12,
    history: {
      loss: Array.from({ length: 12 }, (_, i) => 1.8 / (i + 1)),
      valLoss: Array.from({ length: 12 }, (_, i) => 1.9 / (i + 1) + 0.05),
      accuracy: Array.from({ length: 12 }, (_, i) => Math.min(1, 0.3 + i * 0.06)),
      valAccuracy: Array.from({ length: 12 }, (_, i) => Math.min(1, 0.25 + i * 0.06)),
    },
    trainCount: 12,
    validationCount: 12,
    durationMs: { embed: 8000, train: 2000 },
    embeddings: { computed: 36, fromCache: 0 },
    ...modelOverride,
  };
  const json = (file: string, value: unknown) => writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  for (const d of [ws.dataset, ws.model, ws.evaluate]) await mkdir(d, { recursive: true });
  await json(path.join(ws.dataset, 'dataset.json'), dataset);
  await json(path.join(ws.model, 'model-info.json'), model);
  await json(path.join(ws.evaluate, 'metrics.json'), metrics);
  await json(path.join(ws.evaluate, 'predictions.json'), predictions);
  await json(ws.lock, {
    schema: 'vitrine.lock/1',
    stages: {
      dataset: { fingerprint: 'x', ranAt: '2026-01-01T00:00:00Z', durationMs: 4200, summary: '36 objects, 6 labels' },
      train: {
        fingerprint: 'x',
        ranAt: '2026-01-01T00:00:00Z',
        durationMs: 10_400,
        // As the train stage says it.
        summary: trainSummary({
          trainObjects: model.trainCount,
          embedded: model.embeddings,
          backend: model.backend,
          dropped: null,
          leftOut: 0,
          history: {
            ...model.history,
            bestEpoch: model.history.loss.length - 1,
            epochs: model.epochs,
            stoppedEarly: false,
            ...(model.l2 === undefined ? {} : { l2: model.l2 }),
            ...(model.lbfgs === undefined ? {} : { lbfgs: model.lbfgs }),
          },
        }),
      },
      evaluate: { fingerprint: 'x', ranAt: '2026-01-01T00:00:00Z', durationMs: 900, summary: 'better than v1.0.0' },
    },
  });
  return metrics;
}

const VERSIONED_AUTHOR = { name: 'Test', email: 'test@example.org', timestamp: 1_767_225_600, timezoneOffset: 0 };

/**
 * A collection folder made a git repository whose data folder data.dvc records (a local remote, .vitrine/
 * ignored), committed as the base; `commitAll` commits everything again, `minute` minutes later.
 */
export async function versionedCollection({ ws }: { ws: Workspace }): Promise<{
  baseCommit: string;
  commitAll: (message: string, minute: number) => Promise<string>;
}> {
  const dir = ws.root;
  await writeFile(path.join(dir, '.gitignore'), '.vitrine/\n');
  await git.init({ fs, dir, defaultBranch: 'main' });
  await initData({ root: dir, remoteName: 'local', remoteUrl: '.vitrine-remote' });
  await addData({ root: dir, log: silentLogger });
  const commitAll = async (message: string, minute: number) => {
    await git.add({ fs, dir, filepath: '.' });
    const author = { ...VERSIONED_AUTHOR, timestamp: VERSIONED_AUTHOR.timestamp + minute * 60 };
    return git.commit({ fs, dir, message, author });
  };
  return { commitAll, baseCommit: await commitAll('Collection', 0) };
}

/** The production model's comparison when the candidate scores a little lower (macro-F1 −0.009, p = 0.03): "worse". */
export function worseThanProduction(): NonNullable<Metrics['baseline']> {
  const ci = (value: number) => ({ value, low: Math.max(0, value - 0.08), high: Math.min(1, value + 0.08) });
  return {
    version: 'v1.0.0',
    accuracy: ci(0.95),
    macroF1: ci(0.95),
    topK: { k: 2, accuracy: ci(1) },
    ece: ci(0.04),
    perClass: [],
    confusion: [],
    comparison: {
      metric: 'macroF1',
      difference: { value: -0.009, low: -0.02, high: -0.001 },
      pValue: 0.03,
      test: 'paired bootstrap',
      verdict: 'worse',
    },
  } as unknown as NonNullable<Metrics['baseline']>;
}

/**
 * Twelve objects with their labels and the params that read them, for the tests of a pull request that changes
 * data/objects.csv (renumbered, refused or edited ids): `ids` the twelve ids, DM-0001 to DM-0012 unless given.
 */
export function twelveObjects(ids = Array.from({ length: 12 }, (_, i) => `DM-${String(i + 1).padStart(4, '0')}`)) {
  const specs: ObjectSpec[] = ids.map((id, i) => ({
    id,
    title: `Object ${id}`,
    label: VOCABULARY[i % VOCABULARY.length]!,
    split: (['train', 'validation', 'test'] as const)[i % 3]!,
  }));
  const objects: CollectionObject[] = specs.map((s) => object(s.id, `images/${s.id}.png`, { title: s.title }));
  const labels = specs.map((s) => ({ objectId: s.id, label: s.label }));
  const params = validateParams({ raw: { collection: { vocabulary: VOCABULARY } } });
  return { ids, specs, objects, labels, params };
}
