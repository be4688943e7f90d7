import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { md5Of, readImageBytes } from '../pipeline/dataset/images.ts';
import { assignSplits } from '../pipeline/dataset/split.ts';
import { bootstrapIntervals } from '../pipeline/evaluate/bootstrap.ts';
import { assignFolds, outOfFoldProbabilities } from '../pipeline/evaluate/crossval.ts';
import { accuracyOf, macroF1Of, prepare } from '../pipeline/evaluate/scores.ts';
import { silentLogger } from '../pipeline/log.ts';
import { selectBackend } from '../pipeline/model/backend.ts';
import { type EmbedItem, embedImages } from '../pipeline/model/embed.ts';
import { appendSegment, compactStore, openStore } from '../pipeline/model/embedding-store.ts';
import { predictProbabilities, trainHead } from '../pipeline/model/head.ts';
import { fitLinearProbe, predictLinearProbe } from '../pipeline/model/linear-probe.ts';
import { defaultParams, type Params } from '../pipeline/params.ts';
import { seededUniform, shuffleInPlace } from '../pipeline/random.ts';
import { findLabelIssues } from '../pipeline/review/confident-learning.ts';

/*
 * Backbone figures on real museum photographs (../shared/datasets/egyptian-antiquities):
 *  1. embeddings per second for each backend available here, on one thread and on every core;
 *  2. macro-F1 of the default backbone with a logistic head, trained on one museum's objects and
 *     tested on the other's (The Met → Cleveland and the reverse), with bootstrap 95% intervals.
 * The Egyptian set's embeddings are cached outside the repository (in the OS temp folder) so a
 * second run only measures the head; delete that folder for a cold run.
 */

const root = path.resolve(import.meta.dirname, '..');
const egyptian = path.resolve(root, '..', 'shared', 'datasets', 'egyptian-antiquities');
/** L2 penalty of the logistic head (chosen in docs/backbone.md; the same for every backbone). */
const L2 = 0.1;

interface Row {
  id: string;
  file: string;
  label: string;
  museum: string;
}

export async function readEgyptian(): Promise<{ rows: Row[]; items: EmbedItem[] }> {
  const rows = parse(await readFile(path.join(egyptian, 'metadata.csv')), { columns: true }) as Row[];
  const items = await Promise.all(
    rows.map(async (r) => ({
      key: md5Of(await readImageBytes({ file: path.join(egyptian, r.file) })),
      file: path.join(egyptian, r.file),
    })),
  );
  return { rows, items };
}

/** Images per second of `backend` on `workers` threads (1 = the main thread), cold cache. */
async function throughput({
  items,
  backend,
  workers,
}: {
  items: EmbedItem[];
  backend: Params['train']['backend'];
  workers: number;
}): Promise<number> {
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'vitrine-bench-speed-'));
  const params = defaultParams();
  params.train.backend = backend;
  try {
    const started = performance.now();
    const result = await embedImages({ items, params, root, cacheDir, workers, log: silentLogger });
    return result.computed / ((performance.now() - started) / 1000);
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

/** Macro-F1 (with 95% interval) of a logistic head trained on one museum and tested on another. */
export function crossMuseum({
  rows,
  vectors,
  flipped,
  train,
  test,
}: {
  rows: Row[];
  vectors: Float32Array[];
  flipped?: Float32Array[];
  train: string;
  test: string;
}) {
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const y = rows.map((r) => labels.indexOf(r.label));
  const tr = rows.flatMap((r, i) => (r.museum === train ? [i] : []));
  const te = rows.flatMap((r, i) => (r.museum === test ? [i] : []));
  const x = tr.map((i) => vectors[i]!);
  const ys = tr.map((i) => y[i]!);
  if (flipped) {
    x.push(...tr.map((i) => flipped[i]!));
    ys.push(...tr.map((i) => y[i]!));
  }
  const probe = fitLinearProbe({ x, y: ys, classes: labels.length, l2: L2 });
  const probs = predictLinearProbe({ probe, x: te.map((i) => vectors[i]!) });
  const prepared = prepare({ y: te.map((i) => y[i]!), probs });
  return {
    n: te.length,
    ...bootstrapIntervals({ prepared, statistics: { macroF1: macroF1Of, accuracy: accuracyOf }, resamples: 1000 }),
  };
}

type Interval = { value: number; low: number; high: number };

/**
 * The head Vitrine ships (trainHead with params.train, early stopping on a validation split) on
 * cached vectors: trained on one museum and tested on the other, both ways (validation: the training
 * museum's objects the split hash puts in "validation"), and on the split `vitrine import` gives
 * (params.dataset.split over the set's ids; identical images share a split).
 */
export async function headFigures({
  rows,
  items,
  vectors,
  params,
  flaggedWeight = 1,
}: {
  rows: Row[];
  items: EmbedItem[];
  vectors: Float32Array[];
  params: Params;
  /**
   * Loss weight of the training objects confident learning flags (out-of-fold predictions of the
   * same head over the training and validation objects, params.evaluate.folds folds): 1 keeps
   * them as they are, 0 drops them (train.flagged: drop), in between down-weights them.
   */
  flaggedWeight?: number;
}) {
  const { tf } = await selectBackend({ preference: params.train.backend, log: silentLogger });
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const y = rows.map((r) => labels.indexOf(r.label));
  const splits = assignSplits({
    objects: rows.map((r, i) => ({ id: r.id, image: items[i]!.key })),
    fractions: params.dataset.split,
  });
  const split = rows.map((r) => splits.get(r.id)!);
  const pick = (indices: number[]) => ({ x: indices.map((i) => vectors[i]!), y: indices.map((i) => y[i]!) });
  // The objects confident learning flags among `train` and `validation` (their labels look wrong).
  const flaggedAmong = async (train: number[], validation: number[]): Promise<Set<number>> => {
    if (flaggedWeight === 1) return new Set();
    const pool = [...train, ...validation];
    const k = params.evaluate.folds;
    const folds = assignFolds({ keys: pool.map((i) => items[i]!.key), k, seed: params.train.seed });
    const inValidation = new Set(validation);
    const probs = await outOfFoldProbabilities({
      tf,
      x: pool.map((i) => vectors[i]!),
      y: pool.map((i) => y[i]!),
      validation: pool.map((i) => inValidation.has(i)),
      folds,
      k,
      labels,
      // One L2 (the middle of the choices) for the flagging folds: they only rank labels, and
      // choosing L2 inside each of them would multiply the cost by the number of choices.
      train: {
        ...params.train,
        l2_choices: [params.train.l2_choices[Math.floor(params.train.l2_choices.length / 2)]!],
      },
      log: silentLogger,
    });
    const issues = findLabelIssues({ y: pool.map((i) => y[i]!), probs, classes: labels.length });
    return new Set(issues.map((issue) => pool[issue.index]!));
  };
  const score = async (train: number[], validation: number[], test: number[]) => {
    const flagged = await flaggedAmong(train, validation);
    const weighted = (indices: number[]) => {
      const kept = flaggedWeight === 0 ? indices.filter((i) => !flagged.has(i)) : indices;
      return { ...pick(kept), weight: kept.map((i) => (flagged.has(i) ? flaggedWeight : 1)) };
    };
    const { model } = await trainHead({
      tf,
      train: weighted(train),
      validation: weighted(validation),
      labels,
      params: params.train,
      log: silentLogger,
    });
    const probs = predictProbabilities({ tf, model, x: test.map((i) => vectors[i]!) });
    model.dispose();
    const prepared = prepare({ y: test.map((i) => y[i]!), probs });
    return {
      n: test.length,
      flagged: flagged.size,
      ...bootstrapIntervals({ prepared, statistics: { macroF1: macroF1Of, accuracy: accuracyOf }, resamples: 1000 }),
    };
  };
  const all = rows.map((_, i) => i);
  const of = (museum: string) => all.filter((i) => rows[i]!.museum === museum);
  const museum = async (train: string, test: string) =>
    score(
      of(train).filter((i) => split[i] !== 'validation'),
      of(train).filter((i) => split[i] === 'validation'),
      of(test),
    );
  return {
    metToCleveland: await museum(MET, CLEVELAND),
    clevelandToMet: await museum(CLEVELAND, MET),
    randomSplit: await score(
      all.filter((i) => split[i] === 'train'),
      all.filter((i) => split[i] === 'validation'),
      all.filter((i) => split[i] === 'test'),
    ),
  };
}

/**
 * Published annotations on a museum the model never saw: per-class confidence thresholds are chosen
 * on out-of-fold predictions of the training museum (5 folds, the shipped head) so that each class's
 * predictions above its threshold are right at least `minPrecision` of the time; the head trained on
 * the whole training museum then annotates the other museum, and only predictions above their class's
 * threshold are published. Returns the share published (coverage) and how many of those are right.
 */
export async function publishedAnnotations({
  rows,
  vectors,
  params,
  train,
  test,
  minPrecision = 0.9,
  folds = 5,
}: {
  rows: Row[];
  vectors: Float32Array[];
  params: Params;
  train: string;
  test: string;
  minPrecision?: number;
  folds?: number;
}) {
  const { tf } = await selectBackend({ preference: params.train.backend, log: silentLogger });
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const y = rows.map((r) => labels.indexOf(r.label));
  const tr = rows.flatMap((r, i) => (r.museum === train ? [i] : []));
  const te = rows.flatMap((r, i) => (r.museum === test ? [i] : []));
  const pick = (indices: number[]) => ({ x: indices.map((i) => vectors[i]!), y: indices.map((i) => y[i]!) });
  const fit = async (indices: number[], x: Float32Array[]) => {
    // No validation split here: a fixed number of epochs (params.train.epochs), the same in every fold.
    const { model } = await trainHead({
      tf,
      train: pick(indices),
      labels,
      params: { ...params.train, patience: params.train.epochs },
      log: silentLogger,
    });
    const probs = predictProbabilities({ tf, model, x });
    model.dispose();
    return probs;
  };
  // Stratified folds: each class's objects dealt round-robin in a seeded order.
  const uniform = seededUniform(params.train.seed);
  const fold = new Map<number, number>();
  labels.forEach((_, c) =>
    shuffleInPlace(
      tr.filter((i) => y[i] === c),
      uniform,
    ).forEach((i, k) => fold.set(i, k % folds)),
  );
  const oof = new Map<number, Float32Array>();
  for (let f = 0; f < folds; f++) {
    const held = tr.filter((i) => fold.get(i) === f);
    const probs = await fit(
      tr.filter((i) => fold.get(i) !== f),
      held.map((i) => vectors[i]!),
    );
    held.forEach((i, k) => oof.set(i, probs[k]!));
  }
  const best = (row: ArrayLike<number>) => Array.from(row).reduce((b, p, c) => (p > row[b]! ? c : b), 0);
  const thresholds = labels.map((_, c) => {
    const scored = tr
      .filter((i) => best(oof.get(i)!) === c)
      .map((i) => ({ p: oof.get(i)![c]!, right: y[i] === c }))
      .sort((a, b) => b.p - a.p);
    // The lowest confidence at which the predictions at or above it (at least 5) reach the precision.
    let threshold = Number.POSITIVE_INFINITY;
    let right = 0;
    scored.forEach((s, k) => {
      right += s.right ? 1 : 0;
      if (k + 1 >= 5 && right / (k + 1) >= minPrecision) threshold = s.p;
    });
    return threshold;
  });
  const probs = await fit(
    tr,
    te.map((i) => vectors[i]!),
  );
  const published = te.flatMap((i, k) => {
    const c = best(probs[k]!);
    return probs[k]![c]! >= thresholds[c]! ? [{ right: y[i] === c }] : [];
  });
  const coverage = published.length / te.length;
  const precision = published.length === 0 ? Number.NaN : published.filter((p) => p.right).length / published.length;
  return {
    n: te.length,
    published: published.length,
    coverage,
    precision,
    thresholds: Object.fromEntries(labels.map((l, c) => [l, thresholds[c]!])),
  };
}

const MET = 'The Metropolitan Museum of Art';
const CLEVELAND = 'Cleveland Museum of Art';
const show = (v: Interval) => `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;

/** Writing and reading the embedding cache of a 10,000-object collection (1,792 numbers each). */
export async function storeAtScale(): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'vitrine-bench-store-'));
  try {
    const dim = 1792;
    const entries: [string, Float32Array][] = Array.from({ length: 10_000 }, (_, i) => [
      md5Of(new TextEncoder().encode(String(i))),
      Float32Array.from({ length: dim }, (_, j) => Math.sin(i + j)),
    ]);
    let started = performance.now();
    // As a cold run writes it: a segment every 512 vectors, then merged.
    for (let i = 0; i < entries.length; i += 512) await appendSegment({ folder, entries: entries.slice(i, i + 512) });
    const writeMs = performance.now() - started;
    started = performance.now();
    await compactStore({ store: await openStore({ folder }) });
    const compactMs = performance.now() - started;
    started = performance.now();
    const store = await openStore({ folder });
    const readMs = performance.now() - started;
    console.log(
      `\nEmbedding cache, 10,000 objects × ${dim}: written in ${(writeMs / 1000).toFixed(2)} s ` +
        `(${Math.ceil(entries.length / 512)} segments), merged in ${(compactMs / 1000).toFixed(2)} s, ` +
        `read back in ${(readMs / 1000).toFixed(2)} s (${store.vectors.size} vectors, ${store.segments.length} file).`,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const { rows, items } = await readEgyptian();
  const cores = availableParallelism();

  console.log(
    'Embedding throughput (default backbone, real 224×224 museum photographs, cold cache, includes decoding and worker start-up):',
  );
  const available: Params['train']['backend'][] = [];
  for (const backend of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      await selectBackend({ preference: backend, log: silentLogger });
      available.push(backend);
    } catch {
      console.log(`  ${backend.padEnd(10)} not available here`);
    }
  }
  for (const backend of available) {
    // The plain JavaScript backend manages ~2 images/s: measure it on fewer images.
    const sample = items.slice(0, backend === 'cpu' ? 16 : 96);
    const one = await throughput({ items: sample, backend, workers: 1 });
    const all = cores > 1 ? await throughput({ items: sample, backend, workers: cores }) : one;
    console.log(
      `  ${backend.padEnd(10)} 1 thread: ${one.toFixed(1)} images/s   ${cores} cores: ${all.toFixed(1)} ` +
        `images/s   (${sample.length} images)`,
    );
  }

  await storeAtScale();

  const params = defaultParams();
  const cacheDir = path.join(tmpdir(), 'vitrine-bench-embeddings');
  const started = performance.now();
  const embedded = await embedImages({
    items,
    params,
    root,
    cacheDir,
    workers: 0,
    flips: params.train.augment,
    log: silentLogger,
  });
  console.log(
    `\nEgyptian antiquities (${rows.length} images): backbone ${embedded.backbone.id}, ` +
      `fit ${params.backbone.fit}, range [${params.backbone.input_range}], flips ${params.train.augment}; ` +
      `${embedded.computed} embedded, ${embedded.fromCache} from the cache in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
  const vectors = items.map((item) => embedded.vectors.get(item.key)!);
  const flipped = params.train.augment ? items.map((item) => embedded.flipped.get(item.key)!) : undefined;
  const met = 'The Metropolitan Museum of Art';
  const cleveland = 'Cleveland Museum of Art';
  for (const [train, test] of [
    [met, cleveland],
    [cleveland, met],
  ] as const) {
    const r = crossMuseum({ rows, vectors, flipped, train, test });
    const f = (v: { value: number; low: number; high: number }) =>
      `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
    console.log(
      `  trained on ${train}, tested on ${test} (${r.n} objects): macro-F1 ${f(r.macroF1)}, ` +
        `accuracy ${f(r.accuracy)} (95% bootstrap intervals)`,
    );
  }
  await protocol({ rows, items, vectors, params });
}

/** The targets of issue 13 with the head Vitrine ships, printed beside the measured figures. */
export async function protocol({
  rows,
  items,
  vectors,
  params,
}: {
  rows: Row[];
  items: EmbedItem[];
  vectors: Float32Array[];
  params: Params;
}): Promise<void> {
  const heads = await headFigures({ rows, items, vectors, params });
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  console.log(`\nThe shipped head (params.train), 95% bootstrap intervals:`);
  console.log(
    `  Met → Cleveland (${heads.metToCleveland.n}): macro-F1 ${show(heads.metToCleveland.macroF1)}   target ≥ ` +
      `0.55: ${mark(heads.metToCleveland.macroF1.value >= 0.55)}`,
  );
  console.log(
    `  Cleveland → Met (${heads.clevelandToMet.n}): macro-F1 ${show(heads.clevelandToMet.macroF1)}   target ≥ ` +
      `0.55: ${mark(heads.clevelandToMet.macroF1.value >= 0.55)}`,
  );
  console.log(
    `  random split of \`vitrine import\` (${heads.randomSplit.n} test objects): ` +
      `macro-F1 ${show(heads.randomSplit.macroF1)}   target ≥ 0.70: ${mark(heads.randomSplit.macroF1.value >= 0.7)}`,
  );
  const published = await publishedAnnotations({ rows, vectors, params, train: MET, test: CLEVELAND });
  console.log(
    `  published annotations, Met → Cleveland, thresholds for precision 0.9 on Met's out-of-fold predictions: ` +
      `coverage ${(published.coverage * 100).toFixed(1)}% (${published.published} of ${published.n}), ` +
      `precision ${published.precision.toFixed(3)}   ` +
      `target precision ≥ 0.90 at coverage ≥ 50%: ${mark(published.precision >= 0.9 && published.coverage >= 0.5)}`,
  );
}

/**
 * The backbone comparison of docs/backbone.md through the production embedding path:
 * `npx node bench/model.ts --compare` (embeds the set once per configuration; cached afterwards).
 * The crop rows of the docs need the letterbox bars trimmed first and are not repeated here.
 */
export async function compare(): Promise<void> {
  const { rows, items } = await readEgyptian();
  const cacheDir = path.join(tmpdir(), 'vitrine-bench-embeddings');
  const configs: { label: string; backbone: Partial<Params['backbone']>; flips?: boolean }[] = [
    { label: 'mobilenet_v2_mid feature vector [0,1]', backbone: { name: 'mobilenet_v2_mid' } },
    { label: 'mobilenet_v2_mid feature vector [-1,1]', backbone: { name: 'mobilenet_v2_mid', input_range: '-1,1' } },
    { label: 'mobilenet_v2_mid feature vector [0,1] + flips', backbone: { name: 'mobilenet_v2_mid' }, flips: true },
    { label: 'mobilenet_v2 flatten_1 [0,1]', backbone: { name: 'mobilenet_v2' } },
    { label: 'mobilenet_v2 flatten_1 [-1,1]', backbone: { name: 'mobilenet_v2', input_range: '-1,1' } },
    { label: 'mobilenet_v2 flatten_1 [0,1] + flips', backbone: { name: 'mobilenet_v2' }, flips: true },
    { label: 'mobilenet_v2 dense_2 [0,1]', backbone: { name: 'mobilenet_v2', layer: 'dense_2' } },
    { label: 'mobilenet_v2 dense_3 [0,1]', backbone: { name: 'mobilenet_v2', layer: 'dense_3' } },
    { label: 'inception_v3 flatten_1 [0,1]', backbone: { name: 'inception_v3' } },
    {
      label: 'mobilenet_v2_mid conv_1 mean+max [0,1]',
      backbone: { name: 'mobilenet_v2_mid', layer: 'conv_1:mean+max' },
    },
    {
      label: 'mobilenet_v2_mid three blocks, means [0,1]',
      backbone: { name: 'mobilenet_v2_mid', layer: 'conv_1, block_16_expand, block_13_expand' },
    },
  ];
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const config of configs.filter((c) => only.length === 0 || only.some((o) => c.label.includes(o)))) {
    const params = defaultParams();
    params.backbone = { ...params.backbone, ...config.backbone };
    const started = performance.now();
    const embedded = await embedImages({
      items,
      params,
      root,
      cacheDir,
      workers: 0,
      flips: config.flips ?? false,
      log: silentLogger,
    });
    const seconds = (performance.now() - started) / 1000;
    const vectors = items.map((item) => embedded.vectors.get(item.key)!);
    const flipped = config.flips ? items.map((item) => embedded.flipped.get(item.key)!) : undefined;
    const f = (v: { value: number; low: number; high: number }) =>
      `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
    const a = crossMuseum({
      rows,
      vectors,
      flipped,
      train: 'The Metropolitan Museum of Art',
      test: 'Cleveland Museum of Art',
    });
    const b = crossMuseum({
      rows,
      vectors,
      flipped,
      train: 'Cleveland Museum of Art',
      test: 'The Metropolitan Museum of Art',
    });
    console.log(
      `${config.label.padEnd(48)} Met→Cleveland ${f(a.macroF1)}  Cleveland→Met ${f(b.macroF1)}  ` +
        `(${embedded.computed} embedded in ${seconds.toFixed(0)} s)`,
    );
  }
}

/**
 * Heads and features on the cross-museum protocol: `npx node bench/model.ts --heads [label…]`.
 * Each row trains the head as `vitrine train` would (params.train) on cached vectors and prints the
 * three macro-F1 figures of headFigures with intervals, and the published share at precision 0.9.
 */
export async function heads(): Promise<void> {
  const { rows, items } = await readEgyptian();
  const cacheDir = path.join(tmpdir(), 'vitrine-bench-embeddings');
  const threeBlocks = 'conv_1, block_16_expand, block_13_expand';
  const configs: { label: string; layer: string; train: Partial<Params['train']>; flaggedWeight?: number }[] = [
    { label: 'feature vector, adam', layer: '', train: { solver: 'adam' } },
    { label: 'feature vector, lbfgs', layer: '', train: { solver: 'lbfgs' } },
    { label: 'three blocks, adam', layer: threeBlocks, train: { solver: 'adam' } },
    { label: 'three blocks, lbfgs', layer: threeBlocks, train: { solver: 'lbfgs' } },
    { label: 'feature vector, lbfgs, flagged dropped', layer: '', train: { solver: 'lbfgs' }, flaggedWeight: 0 },
    { label: 'feature vector, lbfgs, flagged weight 0.3', layer: '', train: { solver: 'lbfgs' }, flaggedWeight: 0.3 },
  ];
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const config of configs.filter((c) => only.length === 0 || only.some((o) => c.label === o))) {
    const params = defaultParams();
    params.backbone.layer = config.layer;
    params.train = { ...params.train, ...config.train };
    const embedded = await embedImages({ items, params, root, cacheDir, workers: 0, flips: false, log: silentLogger });
    const vectors = items.map((item) => embedded.vectors.get(item.key)!);
    const started = performance.now();
    const h = await headFigures({ rows, items, vectors, params, flaggedWeight: config.flaggedWeight });
    const seconds = (performance.now() - started) / 1000;
    // Published annotations cost 6 more heads: measured for the feature vector rows only.
    const published =
      config.flaggedWeight === undefined && config.layer === ''
        ? await publishedAnnotations({ rows, vectors, params, train: MET, test: CLEVELAND })
        : { coverage: Number.NaN, precision: Number.NaN };
    console.log(
      `${config.label} (${embedded.computed} embedded, ${embedded.backbone.embeddingSize} numbers): ` +
        `Met → Cleveland ${show(h.metToCleveland.macroF1)}, ` +
        `Cleveland → Met ${show(h.clevelandToMet.macroF1)}, random split ${show(h.randomSplit.macroF1)}; ` +
        `flagged ${h.metToCleveland.flagged}/${h.clevelandToMet.flagged}/${h.randomSplit.flagged}; ` +
        (Number.isNaN(published.coverage)
          ? ''
          : `published Met → Cleveland ${(published.coverage * 100).toFixed(1)}% ` +
            `at precision ${published.precision.toFixed(3)}; `) +
        `three heads in ${seconds.toFixed(0)} s`,
    );
  }
}

if (import.meta.main)
  await (process.argv.includes('--compare') ? compare() : process.argv.includes('--heads') ? heads() : run());
