import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { md5Of, prepareModelInput, readImageBytes } from '../pipeline/dataset/images.ts';
import { assignSplits } from '../pipeline/dataset/split.ts';
import { bootstrapIntervals, pairedBootstrap } from '../pipeline/evaluate/bootstrap.ts';
import { macroF1Of, type Prepared, prepare } from '../pipeline/evaluate/scores.ts';
import { silentLogger } from '../pipeline/log.ts';
import { type SelectedBackend, selectBackend } from '../pipeline/model/backend.ts';
import { type EmbedItem, embedImages } from '../pipeline/model/embed.ts';
import { predictProbabilities, trainHead } from '../pipeline/model/head.ts';
import { defaultParams } from '../pipeline/params.ts';
import type { Interval } from '../pipeline/types.ts';
import { readEgyptian } from './model.ts';

/*
 * Does a COCO object detector help across museums? (issue 13)
 *   VITRINE_DETECTOR=/tmp/humanpeek/vladmandic-human-3.3.6.tgz npx node bench/detector.ts [detect|score]
 * (or the path as the first argument; a .tgz is extracted next to the cache, a folder is used as it is).
 * The detector is @vladmandic/human 3.3.6's `models/centernet.json`: MobileNetV3 + CenterNet, COCO's 80
 * classes, 512×512 RGB input in 0–255 (human feeds it raw pixels), outputs `tower_0/keypoints` (1×128×128×80
 * sigmoid heat maps), `tower_0/detections` (1×100×6: x1, y1, x2, y2 in input pixels, score, class index).
 * For each Egyptian photograph it records, cached per image md5 under $TMPDIR/detector-cache:
 *  - the highest heat-map value per COCO class (80 numbers: "person" on a statue, "vase" on a vessel);
 *  - its detections (boxes as fractions of the photograph);
 *  - the mean of its backbone's last feature map (`tower_0/extern1`, before the CenterNet head).
 * Then, on the cross-museum protocol of docs/backbone.md (train on one museum, test on the other, both
 * ways; the head `vitrine train` ships, params.train; macro-F1 with 1,000-resample bootstrap intervals and
 * the paired bootstrap difference from the default feature vector),
 * it scores the default features alone and with the detector's, and the default backbone's embedding of
 * object-centred crops (the best box, or the union of boxes, padded 10%; the whole photograph when
 * nothing is detected) alone, averaged with and concatenated to the whole photograph's.
 */

const MET = 'The Metropolitan Museum of Art';
const CLEVELAND = 'Cleveland Museum of Art';
const RESAMPLES = 1000;
const INPUT = 512;
const BACKBONE_NODE = 'tower_0/extern1/hard_swish/mul_1';
const OUTPUTS = ['tower_0/keypoints', 'tower_0/detections', BACKBONE_NODE];
/** Detections kept per image, and the score a box needs to define a crop (human's own minConfidence). */
const KEEP = 20;
const MIN_SCORE = 0.2;
const PAD = 0.1;
const root = path.resolve(import.meta.dirname, '..');
const cacheRoot = path.join(tmpdir(), 'detector-cache');
const detectionDir = path.join(cacheRoot, 'centernet-human-3.3.6');
const cropDir = path.join(cacheRoot, 'crops');
const embeddingCache = path.join(tmpdir(), 'vitrine-bench-embeddings');

interface Detection {
  /** Box corners as fractions of the photograph's width and height. */
  box: [number, number, number, number];
  score: number;
  /** COCO class index (0 = person), as human's labels list. */
  cls: number;
}

interface DetectorOutput {
  classMax: number[];
  detections: Detection[];
  features: number[];
}

const show = (v: Interval) => `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;

/** The folder holding human's `package/` (extracting the tarball once), or a clear stop. */
function humanPackage(): string {
  const given = process.env.VITRINE_DETECTOR ?? process.argv.slice(2).find((a) => /[/\\.]/.test(a));
  if (!given) {
    throw new Error(
      'bench/detector.ts needs @vladmandic/human 3.3.6 (its models/centernet.json): set VITRINE_DETECTOR to ' +
        'the npm tarball (npm pack @vladmandic/human@3.3.6) or to the folder it was extracted to.',
    );
  }
  if (!existsSync(given)) throw new Error(`VITRINE_DETECTOR: ${given} does not exist.`);
  if (!given.endsWith('.tgz')) return existsSync(path.join(given, 'package')) ? path.join(given, 'package') : given;
  const into = path.join(cacheRoot, 'human');
  if (!existsSync(path.join(into, 'package', 'models', 'centernet.json'))) {
    execFileSync('mkdir', ['-p', into]);
    execFileSync('tar', ['xzf', given, '-C', into]);
  }
  return path.join(into, 'package');
}

export async function loadDetector({ tf, pkg }: { tf: SelectedBackend['tf']; pkg: string }) {
  const modelJson = JSON.parse(await readFile(path.join(pkg, 'models', 'centernet.json'), 'utf8'));
  const weights = await readFile(path.join(pkg, 'models', 'centernet.bin'));
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      format: modelJson.format,
      weightSpecs: modelJson.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }),
  );
  return { model, labels: await cocoLabels({ pkg }) };
}

/** COCO class names in the detector's class order, from human's own labels list. */
async function cocoLabels({ pkg }: { pkg: string }): Promise<string[]> {
  const source = await readFile(path.join(pkg, 'src', 'object', 'labels.ts'), 'utf8');
  return [...source.matchAll(/label: '([^']+)'/g)].map((m) => m[1]!);
}

/** Run the detector on one photograph (letterboxed to 512×512, raw 0–255 pixels). */
export async function detect({
  tf,
  model,
  file,
}: {
  tf: SelectedBackend['tf'];
  model: Awaited<ReturnType<typeof loadDetector>>['model'];
  file: string;
}): Promise<DetectorOutput> {
  const data = await readImageBytes({ file });
  const { width = INPUT, height = INPUT } = await sharp(data).metadata();
  const pixels = await prepareModelInput({ file, data, size: INPUT, fit: 'letterbox' });
  const [heat, dets, feats] = tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(pixels), [1, INPUT, INPUT, 3]);
    const [k, d, f] = model.execute(x, OUTPUTS) as import('@tensorflow/tfjs').Tensor[];
    return [k!.max([0, 1, 2]), d!, f!.mean([0, 1, 2])];
  });
  const classMax = Array.from(await heat.data(), Number);
  const raw = (await dets.array()) as number[][][];
  const features = Array.from(await feats.data(), Number);
  tf.dispose([heat, dets, feats]);
  // Letterbox geometry: the photograph was scaled by s and centred in the square.
  const s = INPUT / Math.max(width, height);
  const [ox, oy] = [(INPUT - width * s) / 2, (INPUT - height * s) / 2];
  const clip = (v: number) => Math.min(1, Math.max(0, v));
  const detections = raw[0]!
    .filter((r) => Number.isFinite(r[5]))
    .sort((a, b) => b[4]! - a[4]!)
    .slice(0, KEEP)
    .map(([x1, y1, x2, y2, score, cls]) => ({
      box: [
        clip((x1! - ox) / s / width),
        clip((y1! - oy) / s / height),
        clip((x2! - ox) / s / width),
        clip((y2! - oy) / s / height),
      ] as Detection['box'],
      score: score!,
      cls: cls!,
    }));
  return { classMax, detections, features };
}

/** Detector outputs for every item, from the cache or computed (and cached) now; with the cost. */
async function detectAll({ items, tf, pkg }: { items: EmbedItem[]; tf: SelectedBackend['tf']; pkg: string }) {
  await mkdir(detectionDir, { recursive: true });
  const out = new Map<string, DetectorOutput>();
  const todo: EmbedItem[] = [];
  for (const item of items) {
    if (out.has(item.key)) continue;
    try {
      out.set(item.key, JSON.parse(await readFile(path.join(detectionDir, `${item.key}.json`), 'utf8')));
    } catch {
      if (!todo.some((t) => t.key === item.key)) todo.push(item);
    }
  }
  const labels = await cocoLabels({ pkg });
  if (todo.length > 0) {
    const { model } = await loadDetector({ tf, pkg });
    // Warm-up (kernel compilation) outside the timing.
    await detect({ tf, model, file: todo[0]!.file });
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const [n, item] of todo.entries()) {
      const result = await detect({ tf, model, file: item.file });
      const file = path.join(detectionDir, `${item.key}.json`);
      await writeFile(`${file}.tmp`, JSON.stringify(result));
      await rename(`${file}.tmp`, file);
      out.set(item.key, result);
      if ((n + 1) % 100 === 0) console.log(`  detected ${n + 1}/${todo.length}`);
    }
    const wall = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    console.log(
      `Detector on ${todo.length} images (wasm, one thread, JPEG decoding and 512×512 letterbox included): ` +
        `${wall.toFixed(0)} s wall, ${(todo.length / wall).toFixed(2)} images/s; ` +
        `${cpuSeconds.toFixed(0)} s CPU, ${(todo.length / cpuSeconds).toFixed(2)} images per CPU-second.`,
    );
    model.dispose();
  }
  return { detections: out, labels };
}

/** The crop of a photograph around its detections (padded), or undefined when nothing scores MIN_SCORE. */
function cropBox({ detections, how }: { detections: Detection[]; how: 'top' | 'union' }) {
  const sure = detections.filter((d) => d.score >= MIN_SCORE);
  if (sure.length === 0) return undefined;
  const boxes = how === 'top' ? [sure[0]!.box] : sure.map((d) => d.box);
  const [x1, y1, x2, y2] = [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
  const [pw, ph] = [(x2 - x1) * PAD, (y2 - y1) * PAD];
  return [Math.max(0, x1 - pw), Math.max(0, y1 - ph), Math.min(1, x2 + pw), Math.min(1, y2 + ph)] as const;
}

/** Crop files (PNG, cached) for each item; the item itself when nothing was detected. */
async function cropItems({
  items,
  detections,
  how,
}: {
  items: EmbedItem[];
  detections: Map<string, DetectorOutput>;
  how: 'top' | 'union';
}): Promise<EmbedItem[]> {
  await mkdir(cropDir, { recursive: true });
  // One crop per image: photographs shared by several objects are cropped once.
  const made = new Map<string, Promise<EmbedItem>>();
  return Promise.all(items.map((item) => made.get(item.key) ?? made.set(item.key, cropOne(item)).get(item.key)!));
  async function cropOne(item: EmbedItem): Promise<EmbedItem> {
    const box = cropBox({ detections: detections.get(item.key)!.detections, how });
    if (!box) return item;
    const file = path.join(cropDir, `${item.key}-${how}.png`);
    if (!existsSync(file)) {
      const { width = 1, height = 1 } = await sharp(item.file).metadata();
      const left = Math.floor(box[0] * width);
      const top = Math.floor(box[1] * height);
      const w = Math.max(1, Math.min(width - left, Math.ceil(box[2] * width) - left));
      const h = Math.max(1, Math.min(height - top, Math.ceil(box[3] * height) - top));
      const png = await sharp(item.file).extract({ left, top, width: w, height: h }).png().toBuffer();
      await writeFile(`${file}.tmp`, png);
      await rename(`${file}.tmp`, file);
    }
    return { key: md5Of(await readImageBytes({ file })), file };
  }
}

const concat = (...parts: ArrayLike<number>[]) => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const average = (a: Float32Array, b: Float32Array) => a.map((v, i) => (v + b[i]!) / 2);

export async function detector(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => ['detect', 'score'].includes(a));
  // Checked first: a missing detector should stop the bench before any other work.
  const pkg = humanPackage();
  const { rows, items } = await readEgyptian();
  const params = defaultParams();
  const { tf, name } = await selectBackend({ preference: 'wasm', log: silentLogger });
  console.log(`Backend ${name}; ${items.length} photographs.`);
  const { detections, labels } = await detectAll({ items, tf, pkg });
  if (only.includes('detect') && !only.includes('score')) return;

  // What the detector sees, per label: its most frequent top class (score ≥ MIN_SCORE).
  for (const museum of [MET, CLEVELAND]) {
    console.log(`\nTop detection per label, ${museum} (score ≥ ${MIN_SCORE}):`);
    for (const label of [...new Set(rows.map((r) => r.label))].sort()) {
      const counts = new Map<string, number>();
      const idx = rows.flatMap((r, i) => (r.museum === museum && r.label === label ? [i] : []));
      for (const i of idx) {
        const top = detections.get(items[i]!.key)!.detections[0];
        const name = top && top.score >= MIN_SCORE ? labels[top.cls]! : '(nothing)';
        counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      const shown = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 5);
      console.log(`  ${label} (${idx.length}): ${shown.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  }

  const embed = async (list: EmbedItem[]) => {
    const { vectors } = await embedImages({
      items: list,
      params,
      root,
      cacheDir: embeddingCache,
      workers: 1,
      log: silentLogger,
    });
    return list.map((item) => vectors.get(item.key)!);
  };
  const whole = await embed(items);
  const classMax = items.map((item) => Float32Array.from(detections.get(item.key)!.classMax));
  const detFeatures = items.map((item) => Float32Array.from(detections.get(item.key)!.features));
  const started = performance.now();
  const top = await embed(await cropItems({ items, detections, how: 'top' }));
  const union = await embed(await cropItems({ items, detections, how: 'union' }));
  console.log(
    `\nCrops embedded in ${((performance.now() - started) / 1000).toFixed(0)} s (cached after the first run).`,
  );
  const found = items.filter((item) => cropBox({ detections: detections.get(item.key)!.detections, how: 'top' }));
  console.log(`${found.length} of ${items.length} photographs have a detection scoring ≥ ${MIN_SCORE}.`);

  const features: [string, Float32Array[]][] = [
    ['default feature vector', whole],
    ['+ detector class scores (max per COCO class)', whole.map((v, i) => concat(v, classMax[i]!))],
    ['detector class scores alone', classMax],
    ['best-box crop alone', top],
    ['best-box crop, averaged with the whole photograph', top.map((v, i) => average(v, whole[i]!))],
    ['best-box crop, concatenated to the whole photograph', top.map((v, i) => concat(whole[i]!, v))],
    ['union-of-boxes crop alone', union],
    ['union-of-boxes crop, averaged with the whole photograph', union.map((v, i) => average(v, whole[i]!))],
    ['union-of-boxes crop, concatenated to the whole photograph', union.map((v, i) => concat(whole[i]!, v))],
    ['detector backbone (extern1 mean) alone', detFeatures],
    ['+ detector backbone (extern1 mean)', whole.map((v, i) => concat(v, detFeatures[i]!))],
    ['+ detector backbone and class scores', whole.map((v, i) => concat(v, detFeatures[i]!, classMax[i]!))],
  ];

  const museum = rows.map((r) => r.museum);
  const classes = [...new Set(rows.map((r) => r.label))].sort();
  const y = rows.map((r) => classes.indexOf(r.label));
  const splits = assignSplits({
    objects: rows.map((r, i) => ({ id: r.id, image: items[i]!.key })),
    fractions: params.dataset.split,
  });
  const inValidation = rows.map((r) => splits.get(r.id) === 'validation');
  const of = (m: string) => rows.flatMap((_, i) => (museum[i] === m ? [i] : []));
  // The first row (the default) is the baseline of the paired differences: same test objects, same resamples.
  const baseline = new Map<string, Prepared>();
  console.log(
    '\n| features | dim | Met → Cleveland | paired Δ | Cleveland → Met | paired Δ |\n' +
      '| --- | ---: | --- | --- | --- | --- |',
  );
  for (const [label, x] of features) {
    const cells: string[] = [];
    for (const [train, test] of [
      [MET, CLEVELAND],
      [CLEVELAND, MET],
    ] as const) {
      const source = of(train);
      const target = of(test);
      const pick = (idx: number[]) => ({ x: idx.map((i) => x[i]!), y: idx.map((i) => y[i]!) });
      const { model, history } = await trainHead({
        tf,
        train: pick(source.filter((i) => !inValidation[i])),
        validation: pick(source.filter((i) => inValidation[i])),
        labels: classes,
        params: params.train,
        log: silentLogger,
      });
      const probs = predictProbabilities({ tf, model, x: target.map((i) => x[i]!) });
      model.dispose();
      const prepared = prepare({ y: target.map((i) => y[i]!), probs });
      const f1 = bootstrapIntervals({ prepared, statistics: { macroF1: macroF1Of }, resamples: RESAMPLES }).macroF1;
      if (!baseline.has(train)) baseline.set(train, prepared);
      const delta = pairedBootstrap({
        candidate: prepared,
        baseline: baseline.get(train)!,
        statistic: macroF1Of,
        resamples: RESAMPLES,
      }).difference;
      const sign = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
      cells.push(`${show(f1)} (L2 ${history.l2})`, `${sign(delta.value)} [${sign(delta.low)}, ${sign(delta.high)}]`);
    }
    console.log(`| ${label} | ${x[0]!.length} | ${cells.join(' | ')} |`);
  }
}

if (import.meta.main) await detector();
