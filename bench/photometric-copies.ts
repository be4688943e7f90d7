import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { md5Of, normalised, readImageBytes } from '../pipeline/dataset/images.ts';
import { bootstrapIntervals, pairedBootstrap } from '../pipeline/evaluate/bootstrap.ts';
import { macroF1Of, type Prepared, prepare } from '../pipeline/evaluate/scores.ts';
import { silentLogger } from '../pipeline/log.ts';
import { selectBackend } from '../pipeline/model/backend.ts';
import { type EmbedItem, embedImages } from '../pipeline/model/embed.ts';
import { chooseL2, type LabelledVectors, predictProbabilities, trainHead } from '../pipeline/model/head.ts';
import { defaultParams } from '../pipeline/params.ts';
import type { Interval } from '../pipeline/types.ts';
import { readEgyptian } from './model.ts';
import { egyptianScenarios } from './photometric.ts';
import { borderColour, contentRegion } from './photometric-methods.ts';

/*
 * Photometric training copies (issue 13): does training the head on photometrically altered copies of the
 * training photographs (as well as the photographs) help it on another museum's photographs?
 *   nice -n 19 npx node bench/photometric-copies.ts [variant ...] [--k=2] [--only=met|cleveland|random]
 *     [--embed-only]   make and embed the copies, no heads
 *     [--shift]        how far the copies move the embeddings, against the gap between the museums
 *     [--l2-with-copies]  L2 chosen with the copies among the cross-validation's rows, as the train stage would
 * docs/backbone.md, "Photometric training copies", has the table it printed and what it says.
 * Variants (the originals always stay in training; the test photographs are never altered):
 *   jitter      K copies per training photograph, each with random brightness (×0.7–1.3), saturation (×0.6–1.4),
 *               hue (±15°) (sharp `modulate`) and contrast (×0.7–1.3 about mid-grey, sharp `linear`);
 *   background  1 copy whose background is pushed to the other extreme: the pixels close to the border's median
 *               colour (as bench/photometric-methods.ts estimates it) are blended towards a grey of luminance
 *               255 − the border's, within 40–215 (Cleveland's dark grounds made light, The Met's light made dark);
 *   jitter+background  both.
 * Each copy's parameters come from the image's md5 and the copy's number, so every scenario sees the same copies.
 * Black letterbox bars stay black. Copies are written as PNG files under $TMPDIR/photometric-copies/<transform>/
 * and embedded through the production path (embedImages, default params) keyed by the PNG's md5, so the cache
 * is content-addressed and the transform is part of the key. Head: the one `vitrine train` ships
 * (`train.solver: lbfgs`); its L2 is chosen by the usual 3-fold cross-validation on the training ORIGINALS only
 * (copies of one photograph in two folds would leak), then the head is fitted on originals + copies, the
 * training museum's "validation" share scored, not learnt from. Macro-F1 with 1,000-resample bootstrap intervals
 * and the paired difference from the head trained on the originals alone (same test objects, same resamples).
 */

const MET = 'The Metropolitan Museum of Art';
const CLEVELAND = 'Cleveland Museum of Art';
const RESAMPLES = 1000;
const root = path.resolve(import.meta.dirname, '..');
const cacheRoot = path.join(tmpdir(), 'photometric-copies');
const originalsCache = path.join(tmpdir(), 'vitrine-bench-embeddings');
const copiesCache = path.join(cacheRoot, 'embeddings');

const show = (v: Interval) => `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
const sign = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/** A seeded uniform generator (mulberry32) for one image's copy. */
function uniformFor(md5: string, copy: number): () => number {
  let a = (Number.parseInt(md5.slice(0, 8), 16) ^ Math.imul(copy + 1, 0x9e3779b9)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Transform = { kind: 'jitter'; copy: number } | { kind: 'background' };
const nameOf = (t: Transform) => (t.kind === 'jitter' ? `jitter-v1-${t.copy}` : 'background-v1');

/** Pixels outside the photograph's region (black letterbox bars) put back as they were. */
function keepBars(out: Uint8Array, original: Uint8Array, width: number, height: number): Uint8Array {
  const region = contentRegion({ pixels: original, width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= region.left && x < region.right && y >= region.top && y < region.bottom) continue;
      const i = (y * width + x) * 3;
      out[i] = original[i]!;
      out[i + 1] = original[i + 1]!;
      out[i + 2] = original[i + 2]!;
    }
  }
  return out;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** The background pushed to the other extreme (see the header); the object itself is left alone. */
export function backgroundSwapped({
  pixels,
  width,
  height,
}: {
  pixels: Uint8Array;
  width: number;
  height: number;
}): Uint8Array {
  const region = contentRegion({ pixels, width, height });
  const depth = Math.max(2, Math.round(Math.min(region.right - region.left, region.bottom - region.top) / 50));
  const bg = borderColour({ pixels, width, region, depth });
  const luminance = 0.299 * bg[0]! + 0.587 * bg[1]! + 0.114 * bg[2]!;
  const target = Math.min(215, Math.max(40, 255 - luminance));
  const out = new Uint8Array(pixels);
  const [near, far] = [32, 72];
  for (let y = region.top; y < region.bottom; y++) {
    for (let x = region.left; x < region.right; x++) {
      const i = (y * width + x) * 3;
      const d = Math.hypot(pixels[i]! - bg[0]!, pixels[i + 1]! - bg[1]!, pixels[i + 2]! - bg[2]!);
      const keep = d <= near ? 0 : d >= far ? 1 : (d - near) / (far - near);
      // Move the background by the difference, so its gradients and texture stay.
      for (let c = 0; c < 3; c++) {
        out[i + c] = clamp(pixels[i + c]! + (1 - keep) * (target - luminance));
      }
    }
  }
  return out;
}

/** One copy of one photograph as a PNG (cached), keyed by the PNG's md5. */
async function copyOf({ item, transform }: { item: EmbedItem; transform: Transform }): Promise<EmbedItem> {
  const dir = path.join(cacheRoot, nameOf(transform));
  const file = path.join(dir, `${item.key}.png`);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    const { data, info } = await normalised({ data: await readImageBytes({ file: item.file }) })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height } = info;
    const original = new Uint8Array(data.buffer, data.byteOffset, data.length);
    let pixels: Uint8Array;
    if (transform.kind === 'jitter') {
      const u = uniformFor(item.key, transform.copy);
      const brightness = 0.7 + 0.6 * u();
      const saturation = 0.6 + 0.8 * u();
      const hue = Math.round(-15 + 30 * u());
      const contrast = 0.7 + 0.6 * u();
      const { data: changed } = await sharp(original, { raw: { width, height, channels: 3 } })
        .modulate({ brightness, saturation, hue })
        .linear(contrast, 128 * (1 - contrast))
        .raw()
        .toBuffer({ resolveWithObject: true });
      pixels = keepBars(new Uint8Array(changed.buffer, changed.byteOffset, changed.length), original, width, height);
    } else {
      pixels = backgroundSwapped({ pixels: original, width, height });
    }
    const png = await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    await writeFile(`${file}.tmp`, png);
    await rename(`${file}.tmp`, file);
  }
  return { key: md5Of(await readFile(file)), file };
}

function transformsOf(variant: string, k: number): Transform[] {
  const parts = variant.split('+');
  const out: Transform[] = [];
  for (const p of parts) {
    if (p === 'jitter') for (let c = 0; c < k; c++) out.push({ kind: 'jitter', copy: c });
    else if (p === 'background') out.push({ kind: 'background' });
    else if (p !== 'none') throw new Error(`bench/photometric-copies.ts: "${p}" is not none, jitter or background.`);
  }
  return out;
}

async function cachedJson<T>(file: string, make: () => Promise<T>): Promise<T> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as T;
  const value = await make();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, JSON.stringify(value));
  await rename(`${file}.tmp`, file);
  return value;
}

/**
 * --shift: how far each kind of copy moves a photograph's embedding, against the gap between the museums:
 * the mean cosine similarity of copy and original, and the mean move along the line between the two museums'
 * mean embeddings, as a share of that gap (positive: towards the other museum).
 */
function shiftReport({
  rows,
  x,
  copies,
}: {
  rows: { museum: string }[];
  x: Float32Array[];
  copies: Map<string, Float32Array[]>;
}) {
  const d = x[0]!.length;
  const meanOf = (museum: string) => {
    const m = new Float64Array(d);
    const idx = rows.flatMap((r, i) => (r.museum === museum ? [i] : []));
    for (const i of idx) for (let j = 0; j < d; j++) m[j]! += x[i]![j]! / idx.length;
    return m;
  };
  const [met, cle] = [meanOf(MET), meanOf(CLEVELAND)];
  const gap = met.map((v, j) => v - cle[j]!);
  const gapNorm = Math.hypot(...gap);
  const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let [ab, aa, bb] = [0, 0, 0];
    for (let j = 0; j < d; j++) {
      ab += a[j]! * b[j]!;
      aa += a[j]! * a[j]!;
      bb += b[j]! * b[j]!;
    }
    return ab / Math.sqrt(aa * bb);
  };
  const gapCosine = cosine(met, cle);
  console.log(`museum means: cosine ${gapCosine.toFixed(4)}, distance ${gapNorm.toFixed(3)}`);
  for (const [name, vectors] of copies) {
    for (const museum of [MET, CLEVELAND]) {
      const idx = rows.flatMap((r, i) => (r.museum === museum ? [i] : []));
      const towards = museum === MET ? -1 : 1;
      let [cos, along] = [0, 0];
      for (const i of idx) {
        cos += cosine(x[i]!, vectors[i]!) / idx.length;
        let dot = 0;
        for (let j = 0; j < d; j++) dot += (vectors[i]![j]! - x[i]![j]!) * gap[j]!;
        along += (towards * dot) / gapNorm / gapNorm / idx.length;
      }
      console.log(
        `${name}, ${museum}: cosine to the original ${cos.toFixed(4)}; move towards the other museum ` +
          `${(100 * along).toFixed(1)}% of the gap between the museums' means`,
      );
    }
  }
}

export async function photometricCopies(): Promise<void> {
  const argv = process.argv.slice(2);
  const asked = argv.filter((a) => !a.startsWith('-'));
  const k = Number(argv.find((a) => a.startsWith('--k='))?.slice(4) ?? 2);
  const only = argv.find((a) => a.startsWith('--only='))?.slice(7);
  const embedOnly = argv.includes('--embed-only');
  const withCopies = argv.includes('--l2-with-copies');
  const variants = ['none', ...asked.filter((v) => v !== 'none')];
  const { rows, items } = await readEgyptian();
  const params = defaultParams();
  const { tf, name } = await selectBackend({ preference: params.train.backend, log: silentLogger });
  console.log(`Backend ${name}; ${items.length} photographs; K = ${k}; variants: ${variants.join(', ')}.`);
  const workers = Math.min(2, availableParallelism());

  let started = performance.now();
  const originals = await embedImages({ items, params, root, cacheDir: originalsCache, workers, log: silentLogger });
  console.log(`originals: ${originals.computed} embedded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const x = items.map((item) => originals.vectors.get(item.key)!);

  // The copies of every photograph, embedded once per transform (each scenario then takes its training ones).
  const copies = new Map<string, Float32Array[]>(); // transform name → vector per row
  for (const t of [...new Set(variants.flatMap((v) => transformsOf(v, k)).map(nameOf))]) {
    const transform: Transform = t.startsWith('jitter')
      ? { kind: 'jitter', copy: Number(t.split('-').at(-1)) }
      : { kind: 'background' };
    started = performance.now();
    const made = new Map<string, EmbedItem>();
    const copyItems: EmbedItem[] = [];
    for (const item of items) {
      if (!made.has(item.key)) made.set(item.key, await copyOf({ item, transform }));
      copyItems.push(made.get(item.key)!);
    }
    const drawn = (performance.now() - started) / 1000;
    const { vectors, computed } = await embedImages({
      items: copyItems,
      params,
      root,
      cacheDir: copiesCache,
      workers,
      log: silentLogger,
    });
    const total = (performance.now() - started) / 1000;
    console.log(
      `${t}: ${made.size} copies made in ${drawn.toFixed(0)} s, ${computed} embedded, ${total.toFixed(0)} s in all`,
    );
    copies.set(
      t,
      copyItems.map((c) => vectors.get(c.key)!),
    );
  }
  if (embedOnly) return;
  if (argv.includes('--shift')) {
    shiftReport({ rows, x, copies });
    return;
  }

  const { classes, y, scenarios } = egyptianScenarios({ rows, items, params });
  const picked = scenarios.filter(([label]) => !only || label.toLowerCase().startsWith(only));

  const baseline = new Map<string, Prepared>();
  const results = new Map<string, string[]>();
  for (const [label, train, validation, test] of picked) {
    const slug = label.replace(/\W+/g, '-');
    const original = (idx: number[]): LabelledVectors => ({
      x: idx.map((i) => x[i]!),
      y: idx.map((i) => y[i]!),
      keys: idx.map((i) => items[i]!.key),
    });
    const l2 = await cachedJson(path.join(cacheRoot, 'l2', `${slug}.json`), () =>
      chooseL2({ tf, train: original(train), labels: classes, params: params.train }),
    );
    console.log(`${label}: L2 ${l2} (chosen on the ${train.length} training originals)`);
    for (const variant of variants) {
      const names = transformsOf(variant, k).map(nameOf);
      started = performance.now();
      const probs = await cachedJson(
        path.join(cacheRoot, 'probs', `${variant}-k${k}${withCopies ? '-cv' : ''}--${slug}.json`),
        async () => {
          const rowsIn = original(train);
          for (const n of names) {
            const v = copies.get(n)!;
            for (const i of train) {
              rowsIn.x.push(v[i]!);
              rowsIn.y.push(y[i]!);
              rowsIn.keys!.push(items[i]!.key);
            }
          }
          const { model, history } = await trainHead({
            tf,
            train: rowsIn,
            validation: original(validation),
            labels: classes,
            // --l2-with-copies: L2 chosen as `vitrine train` would with the copies among its rows (folds by row).
            params: withCopies ? params.train : { ...params.train, l2_choices: [l2] },
            log: silentLogger,
          });
          if (withCopies) console.log(`${label}, ${variant}: L2 ${history.l2} (chosen with the copies)`);
          const predicted = predictProbabilities({ tf, model, x: test.map((i) => x[i]!) });
          model.dispose();
          return predicted.map((p) => Array.from(p, Number));
        },
      );
      const seconds = (performance.now() - started) / 1000;
      const prepared = prepare({ y: test.map((i) => y[i]!), probs });
      const f1 = bootstrapIntervals({ prepared, statistics: { macroF1: macroF1Of }, resamples: RESAMPLES }).macroF1;
      if (!baseline.has(label)) baseline.set(label, prepared);
      const delta = pairedBootstrap({
        candidate: prepared,
        baseline: baseline.get(label)!,
        statistic: macroF1Of,
        resamples: RESAMPLES,
      }).difference;
      const cell = [
        show(f1),
        variant === 'none' ? '—' : `${sign(delta.value)} [${sign(delta.low)}, ${sign(delta.high)}]`,
      ];
      results.set(variant, [...(results.get(variant) ?? []), ...cell]);
      console.log(
        `${label}, ${variant}: ${cell.join('  ')}  (head ${seconds.toFixed(0)} s, ${names.length} copies/photo)`,
      );
    }
  }
  console.log(
    `\n| training photographs | ${picked.map(([l, , , t]) => `${l} (${t.length}) | paired Δ`).join(' | ')} |`,
  );
  console.log(`| --- | ${picked.map(() => '--- | ---').join(' | ')} |`);
  for (const [variant, cells] of results) console.log(`| ${variant} | ${cells.join(' | ')} |`);
}

if (import.meta.main) await photometricCopies();
