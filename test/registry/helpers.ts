import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { initData } from '../../pipeline/data/index.ts';
import { writeJsonAtomic } from '../../pipeline/fs.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { PredictObjects } from '../../pipeline/registry/annotate.ts';
import { modelIdentity } from '../../pipeline/registry/identity.ts';
import { currentInputs } from '../../pipeline/registry/lineage.ts';
import { manifestOf } from '../../pipeline/registry/store.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import type {
  Annotation,
  Dataset,
  DatasetObject,
  Metrics,
  ModelInfo,
  Prediction,
  Split,
} from '../../pipeline/types.ts';

/*
 * Fixtures for registry tests: a real git repository with a real folder remote next to it (so a
 * clone in the same parent folder finds the remote through the relative URL in .dvc/config), and a
 * small stand-in model folder. The stand-in's model.json names the label it predicts, so a test can
 * tell which version's files made the annotations.
 */

export const LABELS = ['coin', 'mask', 'vessel'];

/** A labels → threshold map giving every label of the fixture the same threshold. */
export const everyLabel = (t: number): Record<string, number> => Object.fromEntries(LABELS.map((l) => [l, t]));

/** A metrics.json `publication` with these thresholds (and `extra` fields), its figures plausible stand-ins. */
export function publicationWith(
  thresholds: Record<string, number | null>,
  extra: Partial<NonNullable<Metrics['publication']>> = {},
): NonNullable<Metrics['publication']> {
  return {
    minPrecision: 0.9,
    thresholds,
    n: 11,
    coverage: { value: 0.5, low: 0.4, high: 0.6 },
    precision: { value: 0.9, low: 0.8, high: 1 },
    ...extra,
  };
}

export function sh(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();
}

/** A clock that moves one minute per reading, so tag times are ordered. */
export function steppingClock(start = Date.parse('2026-03-01T10:00:00Z')): Clock {
  let t = start;
  return { now: () => new Date((t += 60_000)) };
}

export interface Fixture {
  parent: string;
  root: string;
  remoteDir: string;
  ws: Workspace;
  params: Params;
}

/**
 * `makeRepo` for a test file whose tests each make their own repository: call once at the top of the file;
 * every repository made is removed after its test.
 */
export function repoPerTest(): (options?: { objects?: number }) => Promise<Fixture> {
  const made: Fixture[] = [];
  afterEach(async () => {
    for (const f of made.splice(0)) await rm(f.parent, { recursive: true, force: true });
  });
  return async (options) => {
    const f = await makeRepo(options);
    made.push(f);
    return f;
  };
}

/** A stage context on a fixture: its workspace and params, a memory logger and a clock a minute per reading. */
export function stageContext(
  f: Fixture,
  {
    log = memoryLogger(),
    env = {},
  }: { log?: ReturnType<typeof memoryLogger>; env?: Record<string, string | undefined> } = {},
): StageContext & { log: ReturnType<typeof memoryLogger> } {
  return { ws: f.ws, params: f.params, log, clock: steppingClock(), env };
}

/** A git repository with labels.csv, objects and a DVC folder remote, committed. */
export async function makeRepo({ objects = 12 }: { objects?: number } = {}): Promise<Fixture> {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'vitrine-registry-'));
  const root = path.join(parent, 'repo');
  const remoteDir = path.join(parent, 'remote');
  await mkdir(root, { recursive: true });
  await mkdir(remoteDir, { recursive: true });
  sh(root, 'init', '-q');
  await initData({ root, remoteUrl: '../remote' });
  const ws = workspace(root);
  await writeFile(path.join(root, '.gitignore'), '.vitrine/\n');
  const ids = Array.from({ length: objects }, (_, i) => `obj-${String(i + 1).padStart(3, '0')}`);
  await writeFile(
    ws.labels,
    `object_id,label\n${ids.map((id, i) => `${id},${LABELS[i % LABELS.length]}`).join('\n')}\n`,
  );
  await mkdir(ws.data, { recursive: true });
  await writeFile(ws.objects, `id,title\n${ids.map((id) => `${id},Object ${id}`).join('\n')}\n`);
  sh(root, 'add', '-A');
  sh(root, 'commit', '-q', '-m', 'Collection');
  const params = defaultParams();
  params.evaluate.factors = ['department'];
  return { parent, root, remoteDir, ws, params };
}

/** Write `.vitrine/dataset/dataset.json` from labels.csv (departments alternate). */
export async function writeDataset({ ws, labels = LABELS }: { ws: Workspace; labels?: string[] }): Promise<Dataset> {
  const lines = (await readFile(ws.labels, 'utf8')).trim().split('\n').slice(1);
  const splits: Split[] = ['train', 'train', 'validation', 'test'];
  const objects: DatasetObject[] = lines.map((line, i) => {
    const [id, label] = line.split(',') as [string, string];
    return {
      id,
      title: `Object ${id}`,
      maker: '',
      date: '',
      department: i % 2 === 0 ? 'Coins and Medals' : 'Ancient Egypt',
      medium: '',
      creditLine: '',
      rights: '',
      description: '',
      image: `images/${id}.png`,
      extra: {},
      imageMd5: randomBytes(16).toString('hex'),
      width: 10,
      height: 10,
      label: i === lines.length - 1 ? null : label,
      split: splits[i % 4]!,
      colours: [],
      thumbnails: [],
    };
  });
  const zero = () => ({ train: 0, validation: 0, test: 0 });
  const byLabel: Record<string, Record<Split, number>> = {};
  const bySplit = zero();
  for (const o of objects) if (o.label) ((byLabel[o.label] ??= zero())[o.split] += 1), (bySplit[o.split] += 1);
  const dataset: Dataset = {
    schema: 'vitrine.dataset/1',
    labels,
    objects,
    issues: [],
    counts: { objects: objects.length, labelled: objects.filter((o) => o.label).length, bySplit, byLabel },
  };
  await writeJsonAtomic({ file: path.join(ws.dataset, 'dataset.json'), value: dataset });
  return dataset;
}

/** A stand-in trained model: model.json says which label it predicts; weights are random bytes. */
export async function writeModel({
  ws,
  predicts,
  labels = LABELS,
  seed = 1,
}: {
  ws: Workspace;
  predicts: string;
  labels?: string[];
  seed?: number;
}): Promise<ModelInfo> {
  await mkdir(ws.model, { recursive: true });
  await writeFile(
    path.join(ws.model, 'model.json'),
    JSON.stringify({ format: 'layers-model', predicts, weightsManifest: [{ paths: ['group1-shard1of1.bin'] }] }),
  );
  await writeFile(path.join(ws.model, 'group1-shard1of1.bin'), randomBytes(256));
  const info: ModelInfo = {
    schema: 'vitrine.model/1',
    labels,
    backbone: {
      id: 'nsfwjs-mobilenet_v2@4.4.0#global_average_pooling2d_1',
      source: 'node_modules/nsfwjs/dist/models/mobilenet_v2',
      licence: 'MIT',
      inputSize: 224,
      fit: 'letterbox',
      inputRange: '0,1',
      layer: 'global_average_pooling2d_1',
      embeddingSize: 1280,
    },
    backend: 'wasm',
    seed,
    epochs: 17,
    history: { loss: [1, 0.5], valLoss: [1.1, 0.6], accuracy: [0.5, 0.8], valAccuracy: [0.4, 0.7] },
    trainCount: 6,
    validationCount: 3,
    durationMs: { embed: 1234, train: 5678 },
    embeddings: { computed: 9, fromCache: 0 },
  };
  await writeJsonAtomic({ file: path.join(ws.model, 'model-info.json'), value: info });
  return info;
}

/** metrics.json as the evaluate stage writes it, with inputs matching the workspace now. */
export async function writeMetrics({
  ws,
  params,
  labels = LABELS,
  passed = true,
  accuracy = 0.8125,
  publication,
  model,
}: {
  ws: Workspace;
  params: Params;
  labels?: string[];
  passed?: boolean;
  accuracy?: number;
  /** The publication thresholds (and familiarity cut) evaluate chose; absent as in metrics.json before them. */
  publication?: Metrics['publication'];
  /** The evaluated model's identity (`inputs.model`); absent as in metrics.json written before it was recorded. */
  model?: string;
}): Promise<Metrics> {
  const inputs = await currentInputs({ ws, params });
  const iv = (value: number) => ({ value, low: Math.max(0, value - 0.11), high: Math.min(1, value + 0.07) });
  const metrics: Metrics = {
    schema: 'vitrine.metrics/1',
    createdAt: '2026-03-01T09:00:00.000Z',
    backend: 'wasm',
    backbone: 'nsfwjs-mobilenet_v2@4.4.0#global_average_pooling2d_1',
    labels,
    n: 16,
    accuracy: iv(accuracy),
    macroF1: iv(accuracy - 0.0321),
    topK: { k: 2, accuracy: iv(0.9375) },
    ece: iv(0.0612),
    perClass: labels.map((label, i) => ({
      label,
      precision: 0.7 + i * 0.05,
      recall: 0.75 + i * 0.04,
      f1: 0.72 + i * 0.045,
      support: 5 + i,
    })),
    confusion: labels.map((_, i) => labels.map((__, j) => (i === j ? 4 : 1))),
    factors: [
      {
        factor: 'department',
        groups: [
          { value: 'Coins and Medals', n: 9, accuracy: 0.8889, macroF1: 0.8512 },
          { value: 'Ancient Egypt', n: 7, accuracy: 0.7143, macroF1: 0.6931 },
        ],
      },
    ],
    baseline: null,
    changedPredictions: [],
    leastConfident: [],
    inputs: {
      data: inputs.data,
      labels: inputs.labels,
      params: inputs.params,
      commit: null,
      ...(model ? { model } : {}),
    },
    gate: {
      passed,
      checks: [
        { name: 'min_macro_f1', passed: true, detail: `macro-F1 ${(accuracy - 0.0321).toFixed(3)} ≥ 0.5` },
        { name: 'min_class_f1', passed, detail: passed ? 'every class F1 ≥ 0.3' : 'mask has F1 0.21 < 0.3' },
      ],
    },
    ...(publication ? { publication } : {}),
  };
  await writeJsonAtomic({ file: path.join(ws.evaluate, 'metrics.json'), value: metrics });
  return metrics;
}

/** The identity of the model in the workspace's `.vitrine/model/` (what evaluate records in `inputs.model`). */
export async function workspaceModelIdentity(ws: Workspace): Promise<string> {
  const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
  return modelIdentity({ dir: ws.model, manifest: await manifestOf({ dir: ws.model }), info });
}

/** A predictor over the stand-in model: every object gets the label its model.json names. */
export const standInPredict: PredictObjects = async ({ modelDir, objects }) => {
  const model = JSON.parse(await readFile(path.join(modelDir, 'model.json'), 'utf8')) as { predicts: string };
  return objects.map(
    (o): Prediction => ({
      id: o.id,
      label: model.predicts,
      confidence: 0.9,
      top: [
        { label: model.predicts, p: 0.9 },
        { label: 'other', p: 0.1 },
      ],
    }),
  );
};

export async function readAnnotations(ws: Workspace): Promise<Annotation[]> {
  return JSON.parse(await readFile(path.join(ws.registry, 'annotations.json'), 'utf8')) as Annotation[];
}

/**
 * v1.0.0 promoted in `f` as `vitrine run promote` leaves it: the dataset, the stand-in model (it predicts "coin"), its
 * evaluation with a threshold of 0.8 for every label, and the promotion (the registry record written).
 */
export async function promoteStandIn(f: Fixture): Promise<Fixture> {
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts: 'coin' });
  await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
  await promote({ ctx: stageContext(f), predict: standInPredict });
  return f;
}
