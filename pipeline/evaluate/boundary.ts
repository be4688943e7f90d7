import { seededUniform } from '../random.ts';
import type { Interval } from '../types.ts';
import { BOOTSTRAP_SEED, quantile } from './bootstrap.ts';

/*
 * The percentile bootstrap cannot vary a score that every resample gives the same value: a model that
 * gets all 66 test objects right gets all of them right in every resample too, and its interval is
 * "100%–100%", as if another sample of the collection could not hold a single mistake. That overstates
 * certainty. The rule (docs/metrics.md, "Intervals at 0% and 100%"): when a headline interval has
 * collapsed to a single value at 0 or 1, it is replaced by an interval that does not rely on the
 * resamples varying:
 * - accuracy and top-k accuracy, shares of the test objects, get the 95% Wilson score interval of their
 *   count (66 of 66 → 94.5%–100%), the method the catalogue already uses for the accuracy of each group
 *   (department, medium...) on the model page;
 * - macro-F1 is not a share of objects, so no count formula applies, and the accuracy's bound is not a
 *   bound for it (a few mistakes in a small class lower macro-F1 far more than accuracy). Its interval is
 *   the 2.5th–97.5th percentile of the macro-F1 of the collection under a Bayesian model of each class's
 *   predictions: the answers for the objects of a class are Dirichlet-distributed with the observed counts
 *   plus Jeffreys' half an object of doubt between right and wrong (the half spread evenly over the wrong
 *   classes), and the classes keep their test shares. Small classes are more uncertain than large ones,
 *   as they should be;
 * - expected calibration error at 0 (every object right with confidence 1) gets [0, 1 − the low end of
 *   the accuracy]: with confidence 1 everywhere, the error on the collection is 1 − its accuracy.
 * Intervals that did not collapse are kept as the bootstrap gave them.
 */

/** 95% Wilson score interval of `successes` out of `n` (z = 1.96, as the catalogue's group table). */
export function wilsonInterval({ successes, n, z = 1.96 }: { successes: number; n: number; z?: number }): Interval {
  if (n <= 0) return { value: 0, low: 0, high: 0 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At p = 0 or 1 the formula's end is exactly the boundary; floating point can miss it by an ulp.
  return {
    value: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}

const TOLERANCE = 1e-12;

/** Whether an interval has no width and sits at 0 or 1: what the percentile bootstrap gives a score it cannot vary. */
export function collapsedAtBoundary(interval: Interval): boolean {
  const { value, low, high } = interval;
  const atBoundary = Math.abs(value) <= TOLERANCE || Math.abs(value - 1) <= TOLERANCE;
  return atBoundary && Math.abs(high - low) <= TOLERANCE && Math.abs(value - low) <= TOLERANCE;
}

/** Standard normal draws from a uniform source (Box–Muller). */
function normal(uniform: () => number): number {
  const u = 1 - uniform(); // (0, 1]: the logarithm stays finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes below 1 by the usual boost). */
function gamma(shape: number, uniform: () => number): number {
  if (shape < 1) return gamma(shape + 1, uniform) * (1 - uniform()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(uniform);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Draws of the macro-F1 posterior, at most (see macroF1Posterior). */
export const MAX_POSTERIOR_DRAWS = 2000;

/**
 * Percentile interval of the collection's macro-F1 under the Bayesian model described at the top of this
 * file: row c of the confusion matrix (the objects labelled c) gives the answers for class c a
 * Dirichlet(counts + prior) distribution, the prior being 1/2 on the right answer and 1/2 spread over
 * the wrong ones; classes keep their test shares. Classes neither in the test objects nor predicted are
 * left out, as in the macro-F1 itself. Seeded, so the same confusion matrix always gives the same interval.
 */
export function macroF1Posterior({
  confusion,
  draws = 1000,
  seed = BOOTSTRAP_SEED,
  level = 0.95,
}: {
  confusion: number[][];
  draws?: number;
  seed?: number;
  level?: number;
}): { low: number; high: number } {
  const classes = confusion.length;
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = confusion.map((_, c) => confusion.reduce((a, row) => a + (row[c] ?? 0), 0));
  const n = support.reduce((a, b) => a + b, 0);
  const counted = support.map((s, c) => s > 0 || predicted[c]! > 0);
  const countedN = counted.filter(Boolean).length;
  if (n === 0 || countedN === 0) return { low: 0, high: 0 };
  // The half object of doubt goes to the other classes that count (tested or predicted), not to every class of
  // the vocabulary: an empty class that no model answered must not make the interval depend on its being there.
  const offPrior = countedN > 1 ? 0.5 / (countedN - 1) : 0;
  // The cost grows with draws × classes²: evaluate.bootstrap may ask for 100,000 resamples of a cheap statistic,
  // and this one is a percentile interval that 2,000 draws already settle to about a tenth of a point.
  const rounds = Math.min(draws, MAX_POSTERIOR_DRAWS);
  const uniform = seededUniform(seed);
  const values = new Float64Array(rounds);
  const theta = confusion.map((row) => new Float64Array(row.length));
  for (let r = 0; r < rounds; r++) {
    for (let c = 0; c < classes; c++) {
      if (support[c] === 0) continue;
      let sum = 0;
      for (let j = 0; j < classes; j++) {
        const prior = j === c ? 0.5 : counted[j] ? offPrior : 0;
        const shape = confusion[c]![j]! + prior;
        const g = shape > 0 ? gamma(shape, uniform) : 0;
        theta[c]![j] = g;
        sum += g;
      }
      for (let j = 0; j < classes; j++) theta[c]![j]! /= sum;
    }
    let f1 = 0;
    for (let c = 0; c < classes; c++) {
      if (!counted[c]) continue;
      const share = support[c]! / n;
      let predictedShare = 0;
      for (let j = 0; j < classes; j++) if (support[j]! > 0) predictedShare += (support[j]! / n) * theta[j]![c]!;
      const tp = share > 0 ? share * theta[c]![c]! : 0;
      // F1 = 2TP / (2TP + FP + FN) = 2TP / (labelled share + predicted share).
      const denominator = share + predictedShare;
      f1 += denominator > 0 ? (2 * tp) / denominator : 0;
    }
    values[r] = f1 / countedN;
  }
  values.sort();
  const tail = (1 - level) / 2;
  return { low: quantile(values, tail), high: quantile(values, 1 - tail) };
}

/**
 * The interval of a share of `n` objects (accuracy, top-k accuracy, the precision of published guesses...):
 * as given, unless it collapsed at 0 or 1; then the Wilson interval of its count.
 */
export function shareInterval({ interval, n }: { interval: Interval; n: number }): Interval {
  if (n <= 0 || !collapsedAtBoundary(interval)) return interval;
  return { ...wilsonInterval({ successes: Math.round(interval.value * n), n }), value: interval.value };
}

/** The interval of a macro-F1: as given, unless it collapsed at 0 or 1; then `macroF1Posterior`'s of `confusion`. */
export function macroF1Interval({
  interval,
  confusion,
  draws = 1000,
  seed = BOOTSTRAP_SEED,
}: {
  interval: Interval;
  confusion: number[][];
  draws?: number;
  seed?: number;
}): Interval {
  if (!collapsedAtBoundary(interval) || confusion.length === 0) return interval;
  const posterior = macroF1Posterior({ confusion, draws, seed });
  // The posterior's own upper end sits below a perfect score (the prior's doubt pulls every draw down): the
  // interval shown runs from its low end up to the score observed, which is documented (docs/metrics.md).
  return {
    value: interval.value,
    low: Math.min(interval.value, posterior.low),
    high: Math.max(interval.value, posterior.high),
  };
}

/** What the rule reads and replaces: metrics.json's `ModelScores`, or the catalogue's card metrics (no top-k, no ECE). */
export interface HeadlineScores {
  accuracy: Interval;
  macroF1: Interval;
  topK?: { k: number; accuracy: Interval } | null;
  ece?: Interval | null;
  /** confusion[i][j]: test objects labelled i predicted j. */
  confusion: number[][];
}

/**
 * `scores` with each headline interval that collapsed at 0 or 1 replaced by the rule at the top of this
 * file; `n` is the number of test objects. Point values, per-class scores and the confusion matrix are
 * unchanged, as is every interval the bootstrap could vary. Also applied when a card or page shows scores
 * stored before the rule, so it needs nothing beyond what metrics.json records.
 */
export function withBoundaryIntervals<S extends HeadlineScores>({
  scores,
  n,
  draws = 1000,
  seed = BOOTSTRAP_SEED,
}: {
  scores: S;
  n: number;
  draws?: number;
  seed?: number;
}): S {
  if (n <= 0) return scores;
  const share = (interval: Interval) => shareInterval({ interval, n });
  const accuracy = share(scores.accuracy);
  const macroF1 = macroF1Interval({ interval: scores.macroF1, confusion: scores.confusion, draws, seed });
  const ece =
    scores.ece && collapsedAtBoundary(scores.ece) && scores.ece.value <= TOLERANCE
      ? { value: scores.ece.value, low: 0, high: 1 - accuracy.low }
      : scores.ece;
  const topK = scores.topK ? { ...scores.topK, accuracy: share(scores.topK.accuracy) } : scores.topK;
  return { ...scores, accuracy, macroF1, topK, ece };
}

/**
 * An interval as percentages with `digits` decimals, its ends rounded outwards ("99.9%–100.0%" for
 * 0.99962–1), so an interval that has width never prints as "100.0%–100.0%".
 */
export function percentRange({ low, high, digits = 1 }: { low: number; high: number; digits?: number }): string {
  return `${percentDown({ x: low, digits })}–${percentUp({ x: high, digits })}`;
}

const scale = (digits: number) => 100 * 10 ** digits;

/** The low end of an interval as `percentRange` prints it: rounded down. */
export function percentDown({ x, digits = 1 }: { x: number; digits?: number }): string {
  // The 1e-9 keeps float noise (0.7 * 1000 = 700.0000000000001) from moving an exact end.
  return `${Math.max(0, Math.floor(x * scale(digits) + 1e-9) / 10 ** digits).toFixed(digits)}%`;
}

/** The high end of an interval as `percentRange` prints it: rounded up. */
export function percentUp({ x, digits = 1 }: { x: number; digits?: number }): string {
  return `${Math.min(100, Math.ceil(x * scale(digits) - 1e-9) / 10 ** digits).toFixed(digits)}%`;
}
