import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { md5Of, readImageBytes } from '../pipeline/dataset/images.ts';
import { assignSplits } from '../pipeline/dataset/split.ts';
import { quantile } from '../pipeline/evaluate/bootstrap.ts';
import { assignFolds, outOfFoldProbabilities } from '../pipeline/evaluate/crossval.ts';
import { familiarityCut, referenceObjects, unfamiliarity } from '../pipeline/evaluate/familiarity.ts';
import { coverageAndPrecision, isPublished, publicationThresholds } from '../pipeline/evaluate/publication.ts';
import { argmax } from '../pipeline/evaluate/scores.ts';
import { silentLogger } from '../pipeline/log.ts';
import { selectBackend } from '../pipeline/model/backend.ts';
import { embedImages } from '../pipeline/model/embed.ts';
import { predictProbabilities, type Tf, trainHead } from '../pipeline/model/head.ts';
import { standardiser } from '../pipeline/model/linear-probe.ts';
import { defaultParams } from '../pipeline/params.ts';
import { seededUniform } from '../pipeline/random.ts';
import type { Interval } from '../pipeline/types.ts';
import { readEgyptian } from './model.ts';

/*
 * An "unfamiliar photograph" safeguard for published annotations (issue 13):
 * `npx node bench/familiarity.ts`. Does withholding annotations of objects whose embeddings lie far
 * from every training photograph raise the precision of what is published on another museum, and
 * withhold photographs of a kind the model never saw?
 *
 * Scenarios (default backbone's feature vector, the head `vitrine train` ships):
 *  - Met → Cleveland and Cleveland → Met (docs/backbone.md's protocol): the head trained on one
 *    museum (its "validation" objects scored, not learnt from); publication thresholds for precision
 *    0.9 chosen on that museum's out-of-fold predictions (5 folds, the L2 the full head chose);
 *  - random split: trained on the Egyptian set's train and validation split, tested on its test split
 *    (what the safeguard costs on photographs like the training ones);
 *  - paintings: trained on the whole Egyptian set, annotating ../shared/datasets/five-museums (128
 *    small thumbnails of paintings and other art, none of them Egyptian antiquities).
 * Familiarity scores (larger = less like the training photographs), each with a cut chosen on the
 * TRAINING objects only: the 95th or 99th percentile of their leave-one-out (kNN) or out-of-fold
 * (centroids, PCA) scores. Nothing is chosen on the test museum.
 * Intervals: 1,000 bootstrap resamples over the test objects (coverageAndPrecision).
 */

const MET = 'The Metropolitan Museum of Art';
const CLEVELAND = 'Cleveland Museum of Art';
const RESAMPLES = 1000;
const FOLDS = 5;
const root = path.resolve(import.meta.dirname, '..');
const fiveMuseums = path.resolve(root, '..', 'shared', 'datasets', 'five-museums');
const probsCache = path.join(tmpdir(), 'vitrine-bench-familiarity');
const show = (v: Interval) => `${v.value.toFixed(3)} [${v.low.toFixed(3)}, ${v.high.toFixed(3)}]`;
const percent = (v: Interval) =>
  `${(v.value * 100).toFixed(1)}% [${(v.low * 100).toFixed(1)}, ${(v.high * 100).toFixed(1)}]`;

/** Row dot products a·bᵀ (n × m, row-major) on the TF.js backend. */
function dots({ tf, a, b }: { tf: Tf; a: Float32Array[]; b: Float32Array[] }): Float32Array {
  const d = a[0]!.length;
  const pack = (rows: Float32Array[]) => {
    const out = new Float32Array(rows.length * d);
    rows.forEach((r, i) => out.set(r, i * d));
    return tf.tensor2d(out, [rows.length, d]);
  };
  return tf.tidy(() => tf.matMul(pack(a), pack(b), false, true).dataSync() as Float32Array);
}

/** Rows minus `mean`, times `scale` (float32). */
function standardised(x: Float32Array[], s: { mean: Float64Array; scale: Float64Array }): Float32Array[] {
  return x.map((row) => Float32Array.from(row, (v, j) => (v - s.mean[j]!) * s.scale[j]!));
}

function unit(x: Float32Array[]): Float32Array[] {
  return x.map((row) => {
    let n = 0;
    for (const v of row) n += v * v;
    const k = n > 0 ? 1 / Math.sqrt(n) : 0;
    return Float32Array.from(row, (v) => v * k);
  });
}

/**
 * Mean distance to the k nearest reference rows (squared Euclidean from dot products, or cosine
 * distance when the rows are unit vectors), `skip(q, r)` leaving pairs out (the query itself).
 */
function knn({
  tf,
  queries,
  reference,
  k,
  cosine,
  skip,
}: {
  tf: Tf;
  queries: Float32Array[];
  reference: Float32Array[];
  k: number;
  cosine: boolean;
  skip?: (q: number, r: number) => boolean;
}): Float64Array {
  const g = dots({ tf, a: queries, b: reference });
  const norm = (x: Float32Array[]) => x.map((r) => r.reduce((s, v) => s + v * v, 0));
  const nq = norm(queries);
  const nr = norm(reference);
  const m = reference.length;
  return Float64Array.from(queries, (_, q) => {
    const best: number[] = [];
    for (let r = 0; r < m; r++) {
      if (skip?.(q, r)) continue;
      const dot = g[q * m + r]!;
      const dist = cosine ? 1 - dot : Math.sqrt(Math.max(0, nq[q]! + nr[r]! - 2 * dot));
      if (best.length < k) {
        best.push(dist);
        best.sort((a, b) => a - b);
      } else if (dist < best[k - 1]!) {
        best[k - 1] = dist;
        best.sort((a, b) => a - b);
      }
    }
    return best.reduce((s, v) => s + v, 0) / best.length;
  });
}

/** Orthonormal columns (d × dims, row-major) by modified Gram-Schmidt. */
function orthonormalise(v: Float64Array, d: number, dims: number): void {
  for (let c = 0; c < dims; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += v[r * dims + c]! * v[r * dims + p]!;
      for (let r = 0; r < d; r++) v[r * dims + c]! -= dot * v[r * dims + p]!;
    }
    let n = 0;
    for (let r = 0; r < d; r++) n += v[r * dims + c]! ** 2;
    const k = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let r = 0; r < d; r++) v[r * dims + c]! *= k;
  }
}

interface Reference {
  s: { mean: Float64Array; scale: Float64Array };
  basis: Float32Array[]; // dims rows of length d
  means: Float64Array[]; // per class, in the projected space
  inverse: Float64Array; // dims × dims, within-class precision
  centroids: Float32Array[]; // per class, standardised space, unit length
  dims: number;
}

/** PCA (subspace iteration) of the standardised reference, class means and shared covariance there. */
function fitReference({
  tf,
  x,
  y,
  classes,
  dims,
}: {
  tf: Tf;
  x: Float32Array[];
  y: number[];
  classes: number;
  dims: number;
}): Reference {
  const s = standardiser({ x });
  const z = standardised(x, s);
  const d = z[0]!.length;
  const v = Float64Array.from({ length: d * dims }, (_, i) => (Math.sin(i * 12.9898 + 78.233) * 43758.5453) % 1);
  orthonormalise(v, d, dims);
  const zt = tf.tensor2d(Float32Array.from(z.flatMap((r) => Array.from(r))), [z.length, d]);
  for (let round = 0; round < 4; round++) {
    const next = tf.tidy(() => zt.matMul(zt.matMul(tf.tensor2d(Float32Array.from(v), [d, dims])), true, false));
    v.set(next.dataSync());
    next.dispose();
    orthonormalise(v, d, dims);
  }
  zt.dispose();
  const basis = Array.from({ length: dims }, (_, c) => Float32Array.from({ length: d }, (_, r) => v[r * dims + c]!));
  const proj = z.map((row) => Float64Array.from(basis, (b) => b.reduce((acc, w, j) => acc + w * row[j]!, 0)));
  const means = Array.from({ length: classes }, () => new Float64Array(dims));
  const counts = new Array<number>(classes).fill(0);
  proj.forEach((p, i) => {
    counts[y[i]!]!++;
    for (let j = 0; j < dims; j++) means[y[i]!]![j]! += p[j]!;
  });
  means.forEach((m, c) => m.forEach((_, j) => (m[j] = m[j]! / Math.max(1, counts[c]!))));
  const cov = new Float64Array(dims * dims);
  proj.forEach((p, i) => {
    const m = means[y[i]!]!;
    for (let a = 0; a < dims; a++)
      for (let b = 0; b < dims; b++)
        cov[a * dims + b]! += ((p[a]! - m[a]!) * (p[b]! - m[b]!)) / (proj.length - classes);
  });
  let trace = 0;
  for (let a = 0; a < dims; a++) trace += cov[a * dims + a]!;
  for (let a = 0; a < dims; a++) cov[a * dims + a]! += (1e-3 * trace) / dims;
  const centroids = Array.from({ length: classes }, (_, c) => {
    const sum = new Float32Array(d);
    z.forEach((row, i) => {
      if (y[i] === c) for (let j = 0; j < d; j++) sum[j]! += row[j]!;
    });
    return unit([sum])[0]!;
  });
  return { s, basis, means, inverse: invert(cov, dims), centroids, dims };
}

/** Inverse of a symmetric positive definite matrix (Gauss-Jordan; small). */
function invert(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    const p = m[c * n + c]!;
    for (let j = 0; j < n; j++) {
      m[c * n + j]! /= p;
      inv[c * n + j]! /= p;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        m[r * n + j]! -= f * m[c * n + j]!;
        inv[r * n + j]! -= f * inv[c * n + j]!;
      }
    }
  }
  return inv;
}

/** Scores of `x` (predicted classes `c`) against a reference: Mahalanobis, PCA residual, centroid cosine. */
function scoreAgainst({ ref, x, c }: { ref: Reference; x: Float32Array[]; c: number[] }) {
  const z = standardised(x, ref.s);
  const { dims } = ref;
  const maha = (p: Float64Array, m: Float64Array) => {
    let q = 0;
    for (let a = 0; a < dims; a++) {
      let row = 0;
      for (let b = 0; b < dims; b++) row += ref.inverse[a * dims + b]! * (p[b]! - m[b]!);
      q += (p[a]! - m[a]!) * row;
    }
    return Math.sqrt(Math.max(0, q));
  };
  return z.map((row, i) => {
    const p = Float64Array.from(ref.basis, (b) => b.reduce((acc, w, j) => acc + w * row[j]!, 0));
    let total = 0;
    for (const v of row) total += v * v;
    const inside = p.reduce((acc, v) => acc + v * v, 0);
    const u = unit([row])[0]!;
    return {
      mahaPredicted: maha(p, ref.means[c[i]!]!),
      mahaNearest: Math.min(...ref.means.map((m) => maha(p, m))),
      residual: Math.sqrt(Math.max(0, total - inside)),
      centroid: 1 - ref.centroids[c[i]!]!.reduce((acc, w, j) => acc + w * u[j]!, 0),
    };
  });
}

/** Paired bootstrap 95% interval of precision(gated) − precision(today) over the same resampled objects. */
function precisionGain({ today, gated, right }: { today: Uint8Array; gated: Uint8Array; right: Uint8Array }) {
  const n = today.length;
  const precision = (idx: ArrayLike<number>, published: Uint8Array) => {
    let shown = 0;
    let good = 0;
    for (let j = 0; j < idx.length; j++) {
      shown += published[idx[j]!]!;
      good += published[idx[j]!]! & right[idx[j]!]!;
    }
    return shown === 0 ? 0 : good / shown;
  };
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const value = precision(all, gated) - precision(all, today);
  const uniform = seededUniform(20261202);
  const draws = new Float64Array(RESAMPLES);
  const idx = new Uint32Array(n);
  for (let r = 0; r < RESAMPLES; r++) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor(uniform() * n);
    draws[r] = precision(idx, gated) - precision(idx, today);
  }
  draws.sort();
  return { value, low: quantile(draws, 0.025), high: quantile(draws, 0.975) };
}

type Scores = Record<string, { train: Float64Array; test: Float64Array }>;

/** Every candidate's scores for the training objects (leave-one-out or out-of-fold) and the test objects. */
function familiarity({
  tf,
  xs,
  ys,
  keys,
  folds,
  oofClass,
  xt,
  testClass,
  classes,
}: {
  tf: Tf;
  xs: Float32Array[];
  ys: number[];
  keys: string[];
  folds: Int32Array;
  oofClass: number[];
  xt: Float32Array[];
  testClass: number[];
  classes: number;
}): Scores {
  const out: Scores = {};
  const s = standardiser({ x: xs });
  const zs = standardised(xs, s);
  const zt = standardised(xt, s);
  // The same photograph (two objects, one image) is not its own neighbour.
  const same = (q: number, r: number) => keys[q] === keys[r];
  const spaces = {
    'standardised, Euclidean': { a: zs, b: zt, cosine: false },
    'standardised, cosine': { a: unit(zs), b: unit(zt), cosine: true },
    'raw, cosine': { a: unit(xs), b: unit(xt), cosine: true },
  };
  for (const [name, sp] of Object.entries(spaces))
    for (const k of [1, 5, 10])
      out[`kNN k=${k}, ${name}`] = {
        train: knn({ tf, queries: sp.a, reference: sp.a, k, cosine: sp.cosine, skip: same }),
        test: knn({ tf, queries: sp.b, reference: sp.a, k, cosine: sp.cosine }),
      };
  for (const dims of process.argv.includes('--knn') ? [] : [16, 64]) {
    const train = { mahaPredicted: new Float64Array(xs.length), mahaNearest: new Float64Array(xs.length) };
    const rest = { residual: new Float64Array(xs.length), centroid: new Float64Array(xs.length) };
    for (let f = 0; f < FOLDS; f++) {
      const inFit = xs.flatMap((_, i) => (folds[i] !== f ? [i] : []));
      const held = xs.flatMap((_, i) => (folds[i] === f ? [i] : []));
      const ref = fitReference({ tf, x: inFit.map((i) => xs[i]!), y: inFit.map((i) => ys[i]!), classes, dims });
      scoreAgainst({ ref, x: held.map((i) => xs[i]!), c: held.map((i) => oofClass[i]!) }).forEach((v, j) => {
        train.mahaPredicted[held[j]!] = v.mahaPredicted;
        train.mahaNearest[held[j]!] = v.mahaNearest;
        rest.residual[held[j]!] = v.residual;
        rest.centroid[held[j]!] = v.centroid;
      });
    }
    const ref = fitReference({ tf, x: xs, y: ys, classes, dims });
    const test = scoreAgainst({ ref, x: xt, c: testClass });
    const col = (key: keyof (typeof test)[number]) => Float64Array.from(test, (v) => v[key]);
    out[`Mahalanobis to predicted class, PCA ${dims}`] = { train: train.mahaPredicted, test: col('mahaPredicted') };
    out[`Mahalanobis to nearest class, PCA ${dims}`] = { train: train.mahaNearest, test: col('mahaNearest') };
    out[`PCA residual, ${dims} components`] = { train: rest.residual, test: col('residual') };
    if (dims === 16) out['cosine to predicted class centroid'] = { train: rest.centroid, test: col('centroid') };
  }
  return out;
}

interface Scenario {
  name: string;
  source: number[];
  target: number[];
  /** Whether the target's labels mean anything (false for the paintings). */
  labelled: boolean;
}

export async function familiarityBench(): Promise<void> {
  const { rows, items } = await readEgyptian();
  const paintingRows = parse(await readFile(path.join(fiveMuseums, 'metadata.csv')), { columns: true }) as {
    file: string;
  }[];
  const paintingItems = await Promise.all(
    paintingRows.map(async (r) => {
      const file = path.join(fiveMuseums, r.file);
      return { key: md5Of(await readImageBytes({ file })), file };
    }),
  );
  const params = defaultParams();
  const { tf } = await selectBackend({ preference: params.train.backend, log: silentLogger });
  const embedded = await embedImages({
    items: [...items, ...paintingItems],
    params,
    root,
    cacheDir: path.join(tmpdir(), 'vitrine-bench-embeddings'),
    workers: 0,
    flips: false,
    log: silentLogger,
  });
  const x = [...items, ...paintingItems].map((item) => embedded.vectors.get(item.key)!);
  const keys = [...items, ...paintingItems].map((item) => item.key);
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const y = [...rows.map((r) => labels.indexOf(r.label)), ...paintingItems.map(() => -1)];
  const splits = assignSplits({
    objects: rows.map((r, i) => ({ id: r.id, image: items[i]!.key })),
    fractions: params.dataset.split,
  });
  const split = rows.map((r) => splits.get(r.id)!);
  const egypt = rows.map((_, i) => i);
  const of = (m: string) => egypt.filter((i) => rows[i]!.museum === m);
  const paintings = paintingItems.map((_, j) => rows.length + j);
  const scenarios: Scenario[] = [
    { name: 'Met → Cleveland', source: of(MET), target: of(CLEVELAND), labelled: true },
    { name: 'Cleveland → Met', source: of(CLEVELAND), target: of(MET), labelled: true },
    {
      name: 'random split (test split of the Egyptian set)',
      source: egypt.filter((i) => split[i] !== 'test'),
      target: egypt.filter((i) => split[i] === 'test'),
      labelled: true,
    },
    { name: 'whole Egyptian set → five-museums paintings', source: egypt, target: paintings, labelled: false },
  ];
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  await mkdir(probsCache, { recursive: true });
  for (const sc of scenarios.filter((_, n) => only.length === 0 || only.includes(String(n)))) {
    const started = performance.now();
    const ys = sc.source.map((i) => y[i]!);
    const folds = assignFolds({ keys: sc.source.map((i) => keys[i]!), k: FOLDS, seed: params.train.seed });
    // Head and out-of-fold probabilities are cached: the familiarity candidates are what varies.
    // -folds-by-image: the folds are drawn by photograph since issue 13 (stratified before); older files are not read.
    const cacheFile = path.join(probsCache, `${sc.name.replace(/[^a-z]+/gi, '-')}-folds-by-image.json`);
    let cached: { probs: number[][]; oof: number[][]; l2: number } | null = null;
    if (existsSync(cacheFile) && !process.argv.includes('--retrain'))
      cached = JSON.parse(await readFile(cacheFile, 'utf8'));
    if (!cached) {
      const inVal = sc.source.map((i) => i < rows.length && split[i] === 'validation');
      const pick = (idx: number[]) => ({ x: idx.map((j) => x[sc.source[j]!]!), y: idx.map((j) => ys[j]!) });
      const all = sc.source.map((_, j) => j);
      const { model, history } = await trainHead({
        tf,
        train: pick(all.filter((j) => !inVal[j])),
        validation: pick(all.filter((j) => inVal[j])),
        labels,
        params: params.train,
        log: silentLogger,
      });
      const probs = predictProbabilities({ tf, model, x: sc.target.map((i) => x[i]!) });
      model.dispose();
      const l2 = history.l2 ?? params.train.l2;
      const oof = await outOfFoldProbabilities({
        tf,
        x: sc.source.map((i) => x[i]!),
        y: ys,
        validation: inVal,
        folds,
        k: FOLDS,
        labels,
        train: { ...params.train, l2_choices: [l2] },
        log: silentLogger,
      });
      cached = { probs: probs.map((p) => Array.from(p)), oof: oof.map((p) => Array.from(p)), l2 };
      await writeFile(cacheFile, JSON.stringify(cached));
    }
    const { probs, oof } = cached;
    const { thresholds } = publicationThresholds({ y: ys, probs: oof, classes: labels.length, minPrecision: 0.9 });
    const testClass = probs.map((p) => argmax(p));
    const today = Uint8Array.from(probs, (p, j) =>
      isPublished({ thresholds, c: testClass[j]!, p: p[testClass[j]!]! }) ? 1 : 0,
    );
    const right = Uint8Array.from(sc.target, (i, j) => (y[i] === testClass[j] ? 1 : 0));
    const line = (rule: string, published: Uint8Array, kept?: number) => {
      const s = coverageAndPrecision({ published, right, resamples: RESAMPLES });
      const gain = precisionGain({ today, gated: published, right });
      const sign = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
      const familiar =
        kept === undefined
          ? ''
          : `; familiar ${((kept / published.length) * 100).toFixed(1)}%` +
            (sc.labelled ? `; precision gain ${sign(gain.value)} [${sign(gain.low)}, ${sign(gain.high)}]` : '');
      console.log(
        sc.labelled
          ? `  ${rule}: coverage ${percent(s.coverage)}, precision ${show(s.precision)}${familiar}`
          : `  ${rule}: published ${published.reduce((a, v) => a + v, 0)} of ${published.length} (${percent(s.coverage)})${familiar}`,
      );
    };
    console.log(`\n${sc.name}: trained on ${sc.source.length}, ${sc.target.length} annotated, L2 ${cached.l2}`);
    line("today's rule (thresholds for 0.9)", today);
    {
      // The rule as shipped (pipeline/evaluate/familiarity.ts, annotate.familiarity_quantile 0.95), on the same objects.
      const reference = referenceObjects({
        objects: sc.source.map((i) => ({ label: labels[y[i]!]!, image: 'x', imageMd5: keys[i]! })),
        labels,
      }).map((o) => x[keys.indexOf(o.imageMd5)]!);
      const cut = (await familiarityCut({ tf, reference, q: 0.95 }))!;
      const far = await unfamiliarity({ tf, reference, queries: sc.target.map((i) => x[i]!), k: cut.k });
      const familiar = Uint8Array.from(far, (v) => (v <= cut.cut ? 1 : 0));
      line(
        `+ shipped rule (familiarity.ts: k ${cut.k}, cut ${cut.cut} on ${cut.reference} photographs)`,
        Uint8Array.from(today, (v, j) => v & familiar[j]!),
        familiar.reduce((a, v) => a + v, 0),
      );
    }
    if (process.argv.includes('--shipped')) continue;
    const scores = familiarity({
      tf,
      xs: sc.source.map((i) => x[i]!),
      ys,
      keys: sc.source.map((i) => keys[i]!),
      folds,
      oofClass: oof.map((p) => argmax(p)),
      xt: sc.target.map((i) => x[i]!),
      testClass,
      classes: labels.length,
    });
    for (const [name, s] of Object.entries(scores)) {
      const sorted = Float64Array.from(s.train).sort();
      for (const q of [0.95, 0.99]) {
        const cut = quantile(sorted, q);
        const familiar = Uint8Array.from(s.test, (v) => (v <= cut ? 1 : 0));
        line(
          `+ ${name}, cut ${q}`,
          Uint8Array.from(today, (v, j) => v & familiar[j]!),
          familiar.reduce((a, v) => a + v, 0),
        );
      }
    }
    console.log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}

/** `npm run bench -- familiarity`. */
export const run = familiarityBench;

if (import.meta.main) await familiarityBench();
