/*
 * The statistics behind drift: pure functions over plain arrays, deterministic for a seed. They know
 * nothing about files or models so they can be tested on synthetic data.
 */
import { quantile as quantileOfSorted } from '../evaluate/bootstrap.ts';
import { seededUniform, shuffleInPlace } from '../random.ts';

/** Up to `max` items, chosen at random with a seed, in their original order. */
export function subsample<T>({ items, max, seed }: { items: T[]; max: number; seed: number }): T[] {
  if (items.length <= max) return items;
  const order = items.map((_, i) => i);
  shuffleInPlace(order, seededUniform(seed));
  return order
    .slice(0, max)
    .sort((a, b) => a - b)
    .map((i) => items[i]!);
}

/** Copies of the vectors scaled to unit length (a zero vector stays zero). */
export function unitVectors(vectors: ArrayLike<number>[]): Float64Array[] {
  return vectors.map((v) => {
    let norm = 0;
    for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    const out = new Float64Array(v.length);
    if (norm > 0) for (let i = 0; i < v.length; i++) out[i] = v[i]! / norm;
    return out;
  });
}

/** The N×N matrix of dot products (row-major). For unit vectors this is cosine similarity. */
export function gramMatrix(points: Float64Array[]): Float64Array {
  const n = points.length;
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = points[i]!;
    for (let j = i; j < n; j++) {
      const b = points[j]!;
      let dot = 0;
      for (let k = 0; k < a.length; k++) dot += a[k]! * b[k]!;
      gram[i * n + j] = dot;
      gram[j * n + i] = dot;
    }
  }
  return gram;
}

/** Euclidean distances between unit vectors from their Gram matrix: sqrt(2 - 2 cos). */
export function distancesFromGram(gram: Float64Array): Float64Array {
  const out = new Float64Array(gram.length);
  for (let i = 0; i < gram.length; i++) out[i] = Math.sqrt(Math.max(0, 2 - 2 * gram[i]!));
  return out;
}

/** Euclidean distance matrix of arbitrary points (row-major N×N). */
export function euclideanDistances(points: ArrayLike<number>[]): Float64Array {
  const n = points.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = points[i]!;
      const b = points[j]!;
      let s = 0;
      for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
      out[i * n + j] = out[j * n + i] = Math.sqrt(s);
    }
  }
  return out;
}

/**
 * Energy distance between two groups of points given their pairwise distances (N×N) and which
 * points belong to the second group (`inCurrent[i] === 1`). Unbiased (U-statistic) form, so two
 * samples of one distribution score about 0 whatever their sizes (it can dip slightly below 0):
 * E = 2·mean d(x,y) − mean d(x,x') − mean d(y,y') over distinct pairs; `effect` is Székely's
 * coefficient E / (2·mean d(x,y)), clamped to [0, 1]. Each group needs at least two points.
 */
export function energyDistance({ distances, inCurrent }: { distances: Float64Array; inCurrent: Uint8Array }): {
  value: number;
  effect: number;
} {
  const n = inCurrent.length;
  let sRef = 0;
  let sCur = 0;
  let sCross = 0;
  let nCur = 0;
  for (let i = 0; i < n; i++) {
    const gi = inCurrent[i]!;
    nCur += gi;
    const row = i * n;
    for (let j = i + 1; j < n; j++) {
      const d = distances[row + j]!;
      const gj = inCurrent[j]!;
      if (gi !== gj) sCross += d;
      else if (gi === 1) sCur += d;
      else sRef += d;
    }
  }
  const nRef = n - nCur;
  if (nRef < 2 || nCur < 2) return { value: 0, effect: 0 };
  const cross = sCross / (nRef * nCur);
  const value = 2 * cross - (2 * sRef) / (nRef * (nRef - 1)) - (2 * sCur) / (nCur * (nCur - 1));
  return { value, effect: cross > 0 ? Math.min(1, Math.max(0, value / (2 * cross))) : 0 };
}

/** Group flags for `referenceCount` reference points followed by `currentCount` current ones (1: current). */
function groupsOf({ referenceCount, currentCount }: { referenceCount: number; currentCount: number }): Uint8Array {
  const groups = new Uint8Array(referenceCount + currentCount);
  groups.fill(1, referenceCount);
  return groups;
}

/**
 * One-sided permutation p-value: (1 + #{statistic of a random split >= observed}) / (1 + permutations),
 * the splits drawn by shuffling the group flags with `uniform`, so a seed gives the same p-value.
 */
function permutationPValue({
  observed,
  statistic,
  referenceCount,
  currentCount,
  permutations,
  uniform,
}: {
  observed: number;
  statistic: (inCurrent: Uint8Array) => number;
  referenceCount: number;
  currentCount: number;
  permutations: number;
  uniform: () => number;
}): number {
  const groups = groupsOf({ referenceCount, currentCount });
  // Tiny tolerance so permutations equal to the observed split (up to rounding) count as "at least".
  const bar = observed - 1e-12 * Math.max(1, Math.abs(observed));
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    shuffleInPlace(groups, uniform);
    if (statistic(groups) >= bar) atLeast++;
  }
  return (1 + atLeast) / (1 + permutations);
}

/**
 * Two-sample permutation test on the energy distance: how often a random split of the pooled points
 * into groups of the same sizes is at least as far apart as the real one. Seeded and deterministic.
 * p = (1 + #{E_perm >= E_obs}) / (1 + permutations), never 0.
 */
export function energyPermutationTest({
  distances,
  referenceCount,
  currentCount,
  permutations = 500,
  seed = 1,
}: {
  /** Pairwise distances of the reference points followed by the current points. */
  distances: Float64Array;
  referenceCount: number;
  currentCount: number;
  permutations?: number;
  seed?: number;
}): { value: number; effect: number; pValue: number; permutations: number } {
  const n = referenceCount + currentCount;
  if (distances.length !== n * n)
    throw new RangeError(`distance matrix has ${distances.length} cells, expected ${n}×${n}`);
  const observed = energyDistance({ distances, inCurrent: groupsOf({ referenceCount, currentCount }) });
  const pValue = permutationPValue({
    observed: observed.value,
    statistic: (inCurrent) => energyDistance({ distances, inCurrent }).value,
    referenceCount,
    currentCount,
    permutations,
    uniform: seededUniform(seed),
  });
  return { ...observed, pValue, permutations };
}

/** Mean, sample standard deviation and count. */
export function moments(values: number[]): { mean: number; sd: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 0, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, sd: Math.sqrt(variance), n };
}

/**
 * Standardised mean difference (current minus reference) over the pooled standard deviation
 * (Cohen's d). `floor` is the smallest spread that counts, so two sets of identical values
 * (e.g. every image 320 pixels wide) compare sensibly instead of dividing by zero.
 */
export function standardisedDifference({
  reference,
  current,
  floor = 1e-9,
}: {
  reference: number[];
  current: number[];
  floor?: number;
}): {
  value: number;
  reference: { mean: number; sd: number; n: number };
  current: { mean: number; sd: number; n: number };
} {
  const r = moments(reference);
  const c = moments(current);
  const dof = r.n + c.n - 2;
  const pooled = dof > 0 ? Math.sqrt(((r.n - 1) * r.sd ** 2 + (c.n - 1) * c.sd ** 2) / dof) : 0;
  const value = r.n === 0 || c.n === 0 ? 0 : (c.mean - r.mean) / Math.max(pooled, floor);
  return { value, reference: r, current: c };
}

/** Shares of each key among `items` (keys in the given order, then any others sorted). */
export function shares({ items, keys = [] }: { items: string[]; keys?: string[] }): Record<string, number> {
  const counts = new Map<string, number>(keys.map((k) => [k, 0]));
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  const extra = [...counts.keys()].filter((k) => !keys.includes(k)).sort();
  const out: Record<string, number> = {};
  for (const key of [...keys, ...extra]) out[key] = items.length === 0 ? 0 : counts.get(key)! / items.length;
  return out;
}

/** Total variation distance between two discrete distributions: half the sum of |p - q|, 0-1. */
export function totalVariation(p: Record<string, number>, q: Record<string, number>): number {
  const keys = new Set([...Object.keys(p), ...Object.keys(q)]);
  let sum = 0;
  for (const key of keys) sum += Math.abs((p[key] ?? 0) - (q[key] ?? 0));
  return sum / 2;
}

/**
 * For each query row, its nearest reference column by cosine distance (1 − similarity) from a
 * similarity matrix `gram` over `size` points. `exclude` leaves each point out of its own search
 * (leave-one-out, for the reference's distances to itself).
 */
export function nearestByCosine({
  gram,
  size,
  queries,
  candidates,
  excludeSelf = false,
}: {
  gram: Float64Array;
  size: number;
  queries: number[];
  candidates: number[];
  excludeSelf?: boolean;
}): { index: number; distance: number }[] {
  return queries.map((q) => {
    let best = -1;
    let bestSim = -Infinity;
    for (const c of candidates) {
      if (excludeSelf && c === q) continue;
      const sim = gram[q * size + c]!;
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    return { index: best, distance: best < 0 ? 1 : Math.max(0, 1 - bestSim) };
  });
}

/** The q-quantile (0-1) of values, linear interpolation between order statistics; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  return quantileOfSorted(
    [...values].sort((a, b) => a - b),
    Math.min(1, Math.max(0, q)),
  );
}

/** Mean nearest-neighbour distances below this (cosine) count as this: "the same photograph". */
export const MIN_NOVELTY_SCALE = 1e-3;

/**
 * How much farther the current points lie from their nearest reference point than reference points
 * lie from each other (leave-one-out), as a relative increase of the mean cosine distance (0.5: half
 * as far again; 0: as close as the reference is to itself), from a similarity matrix. Unlike the
 * energy distance it barely moves when the new objects are simply a different mix of familiar
 * kinds (a batch of only coins), and grows when they are unlike anything in the reference.
 */
export function noveltyStatistic({ gram, inCurrent }: { gram: Float64Array; inCurrent: Uint8Array }): number {
  const n = inCurrent.length;
  let sumRef = 0;
  let sumCur = 0;
  let nRef = 0;
  let nCur = 0;
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    const row = i * n;
    for (let j = 0; j < n; j++) {
      if (j === i || inCurrent[j] === 1) continue;
      const s = gram[row + j]!;
      if (s > best) best = s;
    }
    if (best === -Infinity) continue;
    const d = 1 - best;
    if (inCurrent[i] === 1) {
      sumCur += d;
      nCur++;
    } else {
      sumRef += d;
      nRef++;
    }
  }
  if (nRef === 0 || nCur === 0) return 0;
  // Reference photographs that are near-copies of each other would make any distance look huge.
  return sumCur / nCur / Math.max(sumRef / nRef, MIN_NOVELTY_SCALE) - 1;
}

/**
 * One-sided permutation test on noveltyStatistic: p = (1 + #{T_perm >= T_obs}) / (1 + permutations).
 * The similarity matrix holds the reference points first, then the current ones.
 */
export function noveltyPermutationTest({
  gram,
  referenceCount,
  currentCount,
  permutations = 500,
  seed = 1,
}: {
  gram: Float64Array;
  referenceCount: number;
  currentCount: number;
  permutations?: number;
  seed?: number;
}): { value: number; pValue: number; permutations: number } {
  const n = referenceCount + currentCount;
  if (gram.length !== n * n) throw new RangeError(`similarity matrix has ${gram.length} cells, expected ${n}×${n}`);
  const value = noveltyStatistic({ gram, inCurrent: groupsOf({ referenceCount, currentCount }) });
  const pValue = permutationPValue({
    observed: value,
    statistic: (inCurrent) => noveltyStatistic({ gram, inCurrent }),
    referenceCount,
    currentCount,
    permutations,
    uniform: seededUniform(seed ^ 0x5bd1e995),
  });
  return { value, pValue, permutations };
}
