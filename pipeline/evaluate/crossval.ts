import type { Logger } from '../log.ts';
import { predictProbabilities, type Tf, trainHead } from '../model/head.ts';
import type { Params } from '../params.ts';
import { childSeed, seededUniform, shuffleInPlace } from '../random.ts';

/*
 * Cross-validation on cached embeddings. The head is cheap to train once the backbone has embedded
 * every image, so every labelled object can be predicted by a head that never saw it (out-of-fold
 * probabilities): the raw material of label-error finding, of verdicts judged on every object and
 * of publication thresholds. Each fold trains exactly as `vitrine train` does (trainHead, with the
 * validation split's objects for early stopping), with a seed derived from train.seed and the fold.
 */

/**
 * Stratified folds, fixed by `seed`: objects with the same `key` (the image md5) share a fold, so a
 * photograph is never both trained on and predicted; each stratum (class) is dealt round-robin
 * over the folds, continuing where the last stratum stopped so that fold sizes stay even.
 */
export function assignFolds({
  keys,
  strata,
  k,
  seed,
}: {
  keys: string[];
  strata: ArrayLike<number>;
  k: number;
  seed: number;
}): Int32Array {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });
  const byStratum = new Map<number, string[]>();
  for (const [key, members] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const s = strata[members[0]!]!;
    byStratum.set(s, [...(byStratum.get(s) ?? []), key]);
  }
  const uniform = seededUniform(seed);
  const folds = new Int32Array(keys.length);
  let next = 0;
  for (const s of [...byStratum.keys()].sort((a, b) => a - b)) {
    for (const key of shuffleInPlace(byStratum.get(s)!, uniform)) {
      const fold = next++ % k;
      for (const i of groups.get(key)!) folds[i] = fold;
    }
  }
  return folds;
}

/**
 * A stratified sample of at most `max` objects (a mask), for a collection too large to train every
 * fold's head on all of it. Each stratum (class) keeps its share of the objects (largest remainder);
 * within it, images are drawn in an order fixed by `seed` and the image keys alone, so the sample
 * does not depend on the objects' order or on either arm's labels, and copies of an image are kept
 * or left out together.
 */
export function stratifiedSample({
  keys,
  strata,
  max,
  seed,
}: {
  keys: string[];
  strata: ArrayLike<number>;
  max: number;
  seed: number;
}): Uint8Array {
  const mask = new Uint8Array(keys.length);
  if (keys.length <= max) return mask.fill(1);
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const byStratum = new Map<number, string[]>();
  const size = new Map<number, number>();
  for (const [key, members] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const s = strata[members[0]!]!;
    const list = byStratum.get(s);
    if (list) list.push(key);
    else byStratum.set(s, [key]);
    size.set(s, (size.get(s) ?? 0) + members.length);
  }
  const order = [...byStratum.keys()].sort((a, b) => a - b);
  const exact = order.map((s) => (max * size.get(s)!) / keys.length);
  const quota = exact.map(Math.floor);
  let left = max - quota.reduce((a, b) => a + b, 0);
  for (const j of order.map((_, j) => j).sort((a, b) => exact[b]! - quota[b]! - (exact[a]! - quota[a]!) || a - b)) {
    if (left-- <= 0) break;
    quota[j]!++;
  }
  const uniform = seededUniform(seed);
  order.forEach((s, j) => {
    let room = quota[j]!;
    for (const key of shuffleInPlace(byStratum.get(s)!, uniform)) {
      const members = groups.get(key)!;
      if (members.length > room) continue;
      for (const i of members) mask[i] = 1;
      room -= members.length;
      if (room === 0) break;
    }
  });
  return mask;
}

/**
 * Folds for grouped cross-validation: each distinct value of `groups` (a museum, a photographer) is
 * held out whole. Up to `maxFolds` groups, one fold per group (leave one group out); beyond that the
 * groups are pooled, largest first, into `maxFolds` folds of similar size. `names[f]` lists fold f's
 * group when there is one per fold.
 */
export function groupFolds({ groups, maxFolds }: { groups: string[]; maxFolds: number }): {
  folds: Int32Array;
  names: string[];
  k: number;
} {
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const names = [...sizes.keys()];
  const foldOf = new Map<string, number>();
  if (names.length <= maxFolds) {
    names.forEach((g, i) => foldOf.set(g, i));
  } else {
    const load = new Array<number>(maxFolds).fill(0);
    for (const g of [...names].sort((a, b) => sizes.get(b)! - sizes.get(a)! || (a < b ? -1 : 1))) {
      const f = load.indexOf(Math.min(...load));
      foldOf.set(g, f);
      load[f]! += sizes.get(g)!;
    }
  }
  const k = Math.min(names.length, maxFolds);
  return { folds: Int32Array.from(groups, (g) => foldOf.get(g)!), names, k };
}

/** A logger that keeps the per-fold training lines out of the run log (they would repeat k times). */
function quiet(log: Logger): Logger {
  return { ...log, info: (m) => log.debug(m) };
}

/**
 * Probabilities for every object from the head trained on the other folds. `y[i]` is the class
 * index object i is trained with, or -1 to never train on it (unlabelled in this arm of a
 * comparison); it is still predicted. Objects with `validation[i]` are the early-stopping set of
 * the folds that do not hold them, as the validation split is for `vitrine train`.
 */
export async function outOfFoldProbabilities({
  tf,
  x,
  y,
  validation,
  folds,
  k,
  labels,
  train,
  log,
}: {
  tf: Tf;
  x: Float32Array[];
  y: ArrayLike<number>;
  validation: ArrayLike<boolean>;
  folds: ArrayLike<number>;
  k: number;
  labels: string[];
  train: Params['train'];
  log: Logger;
}): Promise<Float32Array[]> {
  const out = new Array<Float32Array>(x.length);
  const silent = quiet(log);
  for (let f = 0; f < k; f++) {
    const held: number[] = [];
    const fit = { x: [] as Float32Array[], y: [] as number[] };
    const val = { x: [] as Float32Array[], y: [] as number[] };
    for (let i = 0; i < x.length; i++) {
      if (folds[i] === f) held.push(i);
      else if (y[i]! >= 0) (validation[i] ? val : fit).x.push(x[i]!), (validation[i] ? val : fit).y.push(y[i]!);
    }
    if (held.length === 0) continue;
    if (fit.x.length === 0) {
      // Nothing to learn from without this fold: an uninformed (uniform) answer.
      for (const i of held) out[i] = new Float32Array(labels.length).fill(1 / labels.length);
      continue;
    }
    const seed = childSeed(train.seed, `fold-${f}`) % 2_147_483_647;
    const { model } = await trainHead({
      tf,
      train: fit,
      validation: val,
      labels,
      params: { ...train, seed },
      log: silent,
    });
    try {
      const rows = predictProbabilities({ tf, model, x: held.map((i) => x[i]!) });
      held.forEach((i, j) => (out[i] = rows[j]!));
    } finally {
      model.dispose();
    }
  }
  return out;
}
