import { VitrineError } from '../errors.ts';
import type { Tf } from '../model/head.ts';
import { quantile } from './bootstrap.ts';

/*
 * "Is this photograph like the ones the model learnt from?" (annotate.familiarity). A model is as
 * confident on a painting as on an Egyptian statue, so confidence alone publishes wrong annotations of
 * objects unlike anything it was trained on (docs/backbone.md, "Unfamiliar photographs"). An object's
 * unfamiliarity is the mean cosine distance from its embedding to its K nearest reference embeddings
 * (the labelled objects). Measured against standardised embeddings, Euclidean distances, class centroids
 * and Mahalanobis distances in a PCA space, plain cosine withheld the most paintings and cost the least
 * on familiar photographs (bench/familiarity.ts). The cut is a quantile of the reference's own
 * leave-one-out distances, so it is chosen on the training photographs only: at 0.95, one in twenty
 * photographs like them falls beyond it.
 */

/** Neighbours averaged (measured: 1, 5 and 10 gave the same figures; 5 is steadier than 1). */
export const FAMILIARITY_K = 5;
/** Reference photographs at most (a sample by image md5): keeps annotating a large catalogue to seconds. */
export const MAX_REFERENCE = 2000;
/** Reference rows compared at a time (queries × reference floats in memory). */
const CHUNK = 512;

/** `metrics.publication.familiarity`: what annotation needs to tell an unfamiliar photograph. */
export interface FamiliarityCut {
  /** Neighbours averaged. */
  k: number;
  /** The share of reference photographs at or below the cut (annotate.familiarity_quantile). */
  quantile: number;
  /** Mean cosine distance above which a photograph is unfamiliar. */
  cut: number;
  /** Reference photographs (distinct images) the cut was computed on. */
  reference: number;
  /**
   * The backbone whose embeddings the cut is measured in (model-info.json's backbone id): another
   * backbone's distances are not comparable with it. Absent: taken to be the annotating model's.
   */
  backbone?: string;
}

/**
 * The reference: distinct image keys of the labelled objects, at most MAX_REFERENCE of them (the
 * lowest md5s: a fixed pseudo-random sample), so evaluate and annotate pick the same photographs.
 */
export function referenceKeys({ keys }: { keys: string[] }): string[] {
  return [...new Set(keys.filter((k) => k !== ''))].sort().slice(0, MAX_REFERENCE);
}

/** Unit-length rows of `x` (float32, row-major). */
function unitRows({ x, d }: { x: ArrayLike<number>[]; d: number }): Float32Array {
  const out = new Float32Array(x.length * d);
  x.forEach((row, i) => {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += row[j]! * row[j]!;
    const k = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) out[i * d + j] = row[j]! * k;
  });
  return out;
}

/** Until the event loop has run once: signal handlers (Ctrl-C) and timers are heard between chunks. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Each query's mean cosine distance to its `k` nearest reference rows. `sameAs[q]`, when given, is the
 * reference row that is the query itself (leave-one-out). Asynchronous: 100,000 photographs take about a
 * minute on wasm, so it yields between chunks rather than hold the process deaf to Ctrl-C for that long.
 */
export async function unfamiliarity({
  tf,
  reference,
  queries,
  k = FAMILIARITY_K,
  sameAs,
}: {
  tf: Tf;
  reference: ArrayLike<number>[];
  queries: ArrayLike<number>[];
  k?: number;
  sameAs?: ArrayLike<number>;
}): Promise<Float64Array> {
  const out = new Float64Array(queries.length);
  if (queries.length === 0) return out;
  const d = reference[0]?.length ?? 0;
  if (reference.length === 0 || queries.some((q) => q.length !== d))
    throw new VitrineError(
      'FAMILIARITY_SHAPE',
      'The photographs to compare and the reference photographs have embeddings of different lengths ' +
        '(another backbone?): run "vitrine run" again.',
      { reference: reference.length, d },
    );
  // Stored transposed (d × m): on wasm a matMul with transposeB is about 10 times slower than one without
  // (1.2 s against 0.12 s for 256 × 1,792 by 1,792 × 2,000, measured), and 100,000 objects take 400 such.
  const refT = tf.tidy(() => tf.tensor2d(unitRows({ x: reference, d }), [reference.length, d]).transpose());
  try {
    for (let start = 0; start < queries.length; start += CHUNK) {
      if (start > 0) await yieldToEventLoop();
      const part = queries.slice(start, start + CHUNK);
      // Read outside tidy: tidy walks what it returns, a million numbers one by one (5.7 of 9.4 s, profiled).
      const product = tf.tidy(() => tf.matMul(tf.tensor2d(unitRows({ x: part, d }), [part.length, d]), refT));
      const sims = product.dataSync() as Float32Array;
      product.dispose();
      const m = reference.length;
      for (let q = 0; q < part.length; q++) {
        const self = sameAs?.[start + q] ?? -1;
        const best: number[] = [];
        for (let r = 0; r < m; r++) {
          if (r === self) continue;
          const dist = 1 - sims[q * m + r]!;
          if (best.length < k) {
            best.push(dist);
            best.sort((a, b) => a - b);
          } else if (dist < best[k - 1]!) {
            best[k - 1] = dist;
            best.sort((a, b) => a - b);
          }
        }
        out[start + q] = best.length === 0 ? 1 : best.reduce((a, v) => a + v, 0) / best.length;
      }
    }
  } finally {
    refT.dispose();
  }
  return out;
}

/** The cut: the `q` quantile of the reference photographs' leave-one-out unfamiliarity. */
export async function familiarityCut({
  tf,
  reference,
  q,
  k = FAMILIARITY_K,
}: {
  tf: Tf;
  reference: ArrayLike<number>[];
  q: number;
  k?: number;
}): Promise<FamiliarityCut | null> {
  // Too few photographs to say what "like them" means.
  if (reference.length <= k) return null;
  const own = await unfamiliarity({ tf, reference, queries: reference, k, sameAs: reference.map((_, i) => i) });
  const cut = quantile(own.sort(), q);
  return { k, quantile: q, cut: Math.round(cut * 1e6) / 1e6, reference: reference.length };
}

/**
 * The reference photographs: one object per distinct image among the labelled objects (a label of the
 * vocabulary, an image), at most MAX_REFERENCE of them. Evaluate and annotate pick the same ones.
 */
export function referenceObjects<T extends { label: string | null; image: string; imageMd5: string }>({
  objects,
  labels,
}: {
  objects: T[];
  labels: string[];
}): T[] {
  const vocabulary = new Set(labels);
  const byKey = new Map<string, T>();
  for (const o of objects)
    if (o.label !== null && vocabulary.has(o.label) && o.image !== '' && o.imageMd5 !== '' && !byKey.has(o.imageMd5))
      byKey.set(o.imageMd5, o);
  return referenceKeys({ keys: [...byKey.keys()] }).map((k) => byKey.get(k)!);
}
