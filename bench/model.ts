import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { md5Of, readImageBytes } from '../pipeline/dataset/images.ts';
import { bootstrapIntervals } from '../pipeline/evaluate/bootstrap.ts';
import { accuracyOf, macroF1Of, prepare } from '../pipeline/evaluate/scores.ts';
import { silentLogger } from '../pipeline/log.ts';
import { defaultParams, type Params } from '../pipeline/params.ts';
import { selectBackend } from '../pipeline/model/backend.ts';
import { embedImages, type EmbedItem } from '../pipeline/model/embed.ts';
import { appendSegment, compactStore, openStore } from '../pipeline/model/embedding-store.ts';
import { fitLinearProbe, predictLinearProbe } from '../pipeline/model/linear-probe.ts';

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

async function readEgyptian(): Promise<{ rows: Row[]; items: EmbedItem[] }> {
  const rows = parse(await readFile(path.join(egyptian, 'metadata.csv')), { columns: true }) as Row[];
  const items = await Promise.all(rows.map(async (r) => ({ key: md5Of(await readImageBytes({ file: path.join(egyptian, r.file) })), file: path.join(egyptian, r.file) })));
  return { rows, items };
}

/** Images per second of `backend` on `workers` threads (1 = the main thread), cold cache. */
async function throughput({ items, backend, workers }: { items: EmbedItem[]; backend: Params['train']['backend']; workers: number }): Promise<number> {
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
export function crossMuseum({ rows, vectors, flipped, train, test }: { rows: Row[]; vectors: Float32Array[]; flipped?: Float32Array[]; train: string; test: string }) {
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
  return { n: te.length, ...bootstrapIntervals({ prepared, statistics: { macroF1: macroF1Of, accuracy: accuracyOf }, resamples: 1000 }) };
}

/** Writing and reading the embedding cache of a 10,000-object collection (1,792 numbers each). */
export async function storeAtScale(): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'vitrine-bench-store-'));
  try {
    const dim = 1792;
    const entries: [string, Float32Array][] = Array.from({ length: 10_000 }, (_, i) => [md5Of(new TextEncoder().encode(String(i))), Float32Array.from({ length: dim }, (_, j) => Math.sin(i + j))]);
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
      `\nEmbedding cache, 10,000 objects × ${dim}: written in ${(writeMs / 1000).toFixed(2)} s (${Math.ceil(entries.length / 512)} segments), merged in ${(compactMs / 1000).toFixed(2)} s, ` +
        `read back in ${(readMs / 1000).toFixed(2)} s (${store.vectors.size} vectors, ${store.segments.length} file).`,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const { rows, items } = await readEgyptian();
  const cores = availableParallelism();

  console.log('Embedding throughput (default backbone, real 224×224 museum photographs, cold cache, includes decoding and worker start-up):');
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
    console.log(`  ${backend.padEnd(10)} 1 thread: ${one.toFixed(1)} images/s   ${cores} cores: ${all.toFixed(1)} images/s   (${sample.length} images)`);
  }

  await storeAtScale();

  const params = defaultParams();
  const cacheDir = path.join(tmpdir(), 'vitrine-bench-embeddings');
  const started = performance.now();
  const embedded = await embedImages({ items, params, root, cacheDir, workers: 0, flips: params.train.augment, log: silentLogger });
  console.log(
    `\nEgyptian antiquities (${rows.length} images): backbone ${embedded.backbone.id}, fit ${params.backbone.fit}, range [${params.backbone.input_range}], flips ${params.train.augment}; ` +
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
    const f = (v: { value: number; low: number; high: number }) => `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
    console.log(`  trained on ${train}, tested on ${test} (${r.n} objects): macro-F1 ${f(r.macroF1)}, accuracy ${f(r.accuracy)} (95% bootstrap intervals)`);
  }
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
  ];
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const config of configs.filter((c) => only.length === 0 || only.some((o) => c.label.includes(o)))) {
    const params = defaultParams();
    params.backbone = { ...params.backbone, ...config.backbone };
    const started = performance.now();
    const embedded = await embedImages({ items, params, root, cacheDir, workers: 0, flips: config.flips ?? false, log: silentLogger });
    const seconds = (performance.now() - started) / 1000;
    const vectors = items.map((item) => embedded.vectors.get(item.key)!);
    const flipped = config.flips ? items.map((item) => embedded.flipped.get(item.key)!) : undefined;
    const f = (v: { value: number; low: number; high: number }) => `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
    const a = crossMuseum({ rows, vectors, flipped, train: 'The Metropolitan Museum of Art', test: 'Cleveland Museum of Art' });
    const b = crossMuseum({ rows, vectors, flipped, train: 'Cleveland Museum of Art', test: 'The Metropolitan Museum of Art' });
    console.log(`${config.label.padEnd(48)} Met→Cleveland ${f(a.macroF1)}  Cleveland→Met ${f(b.macroF1)}  (${embedded.computed} embedded in ${seconds.toFixed(0)} s)`);
  }
}

if (import.meta.main) await (process.argv.includes('--compare') ? compare() : run());
