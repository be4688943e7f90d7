import { VitrineError } from '../errors.ts';
import { fitLinearProbe, predictLinearProbe } from '../model/linear-probe.ts';
import { seededUniform, shuffleInPlace } from '../random.ts';

/*
 * The classifier two-sample test (Lopez-Paz & Oquab, "Revisiting classifier two-sample tests",
 * ICLR 2017): if a simple classifier can learn to tell the new objects' embeddings from the
 * reference's, better than chance on objects it did not train on, the two sets differ. Its
 * out-of-fold AUC reads plainly: 0.5 is "cannot tell them apart", 1 is "tells every new photograph
 * from every reference one". It has more power than distances between sets when the difference
 * lies in a few directions of the embedding (another museum's lighting, backgrounds or framing).
 */

/** L2 penalty of the logistic regression on standardised embeddings (as the backbone probes in bench/model.ts). */
export const CLASSIFIER_L2 = 0.1;
/** Full-batch Adam steps: the loss has flattened well before on embeddings of a few thousand objects. */
export const CLASSIFIER_ITERATIONS = 150;
export const CLASSIFIER_FOLDS = 5;

/** Two-sided 95% normal quantile. */
const Z95 = 1.959963984540054;

/**
 * AUC of scores (positives should score higher) with DeLong's standard error (DeLong, DeLong &
 * Clarke-Pearson, Biometrics 1988) and a 95% normal interval clamped to [0, 1]. Ties count half.
 */
export function aucWithDeLong({
  positives,
  negatives,
}: {
  positives: ArrayLike<number>;
  negatives: ArrayLike<number>;
}): { auc: number; se: number; low: number; high: number } {
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) {
    throw new VitrineError('AUC_EMPTY', 'An AUC needs at least one score on each side.', {
      positives: m,
      negatives: n,
    });
  }
  // Placement values: each positive's share of negatives below it, each negative's share of positives above it.
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const x = positives[i]!;
    for (let j = 0; j < n; j++) {
      const y = negatives[j]!;
      const psi = x > y ? 1 : x === y ? 0.5 : 0;
      v10[i]! += psi;
      v01[j]! += psi;
    }
  }
  let auc = 0;
  for (let i = 0; i < m; i++) auc += v10[i]! /= n;
  auc /= m;
  for (let j = 0; j < n; j++) v01[j]! /= m;
  const variance = (v: Float64Array) => {
    if (v.length < 2) return 0;
    let s = 0;
    for (const x of v) s += (x - auc) ** 2;
    return s / (v.length - 1);
  };
  const se = Math.sqrt(variance(v10) / m + variance(v01) / n);
  return { auc, se, low: Math.max(0, auc - Z95 * se), high: Math.min(1, auc + Z95 * se) };
}

export interface ClassifierTestResult {
  /** Out-of-fold AUC of "is this a new object?" (0.5: the sets cannot be told apart). */
  auc: number;
  /** 95% DeLong interval of the AUC. */
  low: number;
  high: number;
  se: number;
  folds: number;
  /** The AUC that counts as drift when the interval is also above 0.5. */
  minAuc: number;
  /** The interval lies above 0.5 (the difference is real) and the AUC reaches `minAuc` (and large enough to matter). */
  drifted: boolean;
  compared: { reference: number; current: number };
}

/**
 * Train a logistic regression to tell `current` from `reference` in stratified k folds (seeded),
 * score every object by the model that did not see it, and report the AUC of those scores. Each
 * side needs at least `folds` objects.
 *
 * The interval treats the out-of-fold scores as one classifier's, ignoring that five were
 * trained; under no difference it stays calibrated in practice (test/monitor/classifier-test.test.ts,
 * and a random half of one museum against the other half in bench/monitor.ts).
 */
export function classifierTwoSampleTest({
  reference,
  current,
  seed,
  minAuc,
  folds = CLASSIFIER_FOLDS,
  l2 = CLASSIFIER_L2,
  iterations = CLASSIFIER_ITERATIONS,
}: {
  reference: ArrayLike<number>[];
  current: ArrayLike<number>[];
  seed: number;
  minAuc: number;
  folds?: number;
  l2?: number;
  iterations?: number;
}): ClassifierTestResult {
  const smallest = Math.min(reference.length, current.length);
  if (smallest < folds) {
    throw new VitrineError(
      'DRIFT_TOO_FEW',
      `The classifier test needs at least ${folds} objects on each side (it has ${reference.length} reference and ${current.length} new).`,
      { reference: reference.length, current: current.length },
    );
  }
  const x = [...reference, ...current];
  const y = new Uint8Array(x.length);
  y.fill(1, reference.length);
  // Stratified folds: each side shuffled with the seed, then dealt round-robin.
  const fold = new Uint8Array(x.length);
  const uniform = seededUniform(seed);
  for (const [start, end] of [
    [0, reference.length],
    [reference.length, x.length],
  ] as const) {
    const order = shuffleInPlace(
      Array.from({ length: end - start }, (_, i) => start + i),
      uniform,
    );
    order.forEach((index, k) => (fold[index] = k % folds));
  }
  const score = new Float64Array(x.length);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const held: number[] = [];
    for (let i = 0; i < x.length; i++) (fold[i] === f ? held : train).push(i);
    const [tx, ty] = [train.map((i) => x[i]!), train.map((i) => y[i]!)];
    const probe = fitLinearProbe({ x: tx, y: ty, classes: 2, l2, iterations, classWeighting: true });
    const p = predictLinearProbe({ probe, x: held.map((i) => x[i]!) });
    held.forEach((i, k) => (score[i] = p[k]![1]!));
  }
  const r = aucWithDeLong({
    positives: score.subarray(reference.length),
    negatives: score.subarray(0, reference.length),
  });
  const compared = { reference: reference.length, current: current.length };
  return { ...r, folds, minAuc, drifted: r.low > 0.5 && r.auc >= minAuc, compared };
}
