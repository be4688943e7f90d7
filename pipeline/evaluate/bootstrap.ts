import { seededUniform } from '../random.ts';
import type { Interval, Verdict } from '../types.ts';
import { type Prepared, subset } from './scores.ts';

/*
 * Bootstrap 95% intervals and the paired comparison of two models. Museum test sets are small, so
 * every headline number comes with the range it could plausibly take on another draw of objects:
 * resample the test objects with replacement, recompute the score, take the 2.5th and 97.5th
 * percentiles (the percentile bootstrap). The resamples are seeded, so a report is reproducible.
 */

export type Statistic = (p: Prepared) => number;

/** Seed of every bootstrap: fixed so the same predictions always give the same intervals. */
export const BOOTSTRAP_SEED = 20_240_601;

/** Quantile `q` of sorted values, interpolating linearly between order statistics. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The object indices of each resample, the same for a given (n, seed). */
function* resamples(n: number, count: number, seed: number): Generator<Int32Array> {
  const uniform = seededUniform(seed);
  const indices = new Int32Array(n);
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(uniform() * n);
    yield indices;
  }
}

/**
 * Bootstrap 95% (or `level`) intervals for several statistics at once, on the same resamples.
 * Returns each statistic's point estimate on all objects with its percentile interval.
 */
export function bootstrapIntervals<K extends string>({
  prepared,
  statistics,
  resamples: count = 1000,
  seed = 1,
  level = 0.95,
}: {
  prepared: Prepared;
  statistics: Record<K, Statistic>;
  resamples?: number;
  seed?: number;
  level?: number;
}): Record<K, Interval> {
  const names = Object.keys(statistics) as K[];
  const n = prepared.y.length;
  const values = names.map((name) => statistics[name](prepared));
  const draws = names.map(() => new Float64Array(n === 0 ? 0 : count));
  if (n > 0) {
    let r = 0;
    for (const indices of resamples(n, count, seed)) {
      const sample = subset(prepared, indices);
      names.forEach((name, s) => {
        draws[s]![r] = statistics[name](sample);
      });
      r++;
    }
  }
  const out = {} as Record<K, Interval>;
  names.forEach((name, s) => {
    const sorted = draws[s]!.sort();
    const tail = (1 - level) / 2;
    const value = values[s]!;
    // A statistic that resampling biases (ECE: resamples have emptier bins, so larger gaps) can have
    // a percentile interval that misses its own point estimate; the interval is widened to include it.
    out[name] =
      n === 0
        ? { value, low: value, high: value }
        : { value, low: Math.min(value, quantile(sorted, tail)), high: Math.max(value, quantile(sorted, 1 - tail)) };
  });
  return out;
}

/** Verdict of a two-sided test: significant at `alpha` and which way, or no detectable difference. */
export function verdictOf({
  difference,
  pValue,
  alpha,
}: {
  difference: number;
  pValue: number;
  alpha: number;
}): Verdict {
  if (pValue >= alpha || difference === 0) return 'no detectable difference';
  return difference > 0 ? 'better' : 'worse';
}

/**
 * Paired bootstrap test of `statistic(candidate) − statistic(baseline)` on the same objects: each
 * resample draws the same objects for both models, so what the two share (easy and hard objects)
 * cancels out. The interval is the percentile interval of the resampled differences; the two-sided
 * p-value is twice the smaller share of resampled differences on either side of zero (with the
 * usual +1 correction), which agrees with the interval: p < alpha exactly when the (1 − alpha) interval
 * (95% at 0.05) leaves out zero, up to resampling noise.
 */
export function pairedBootstrap({
  candidate,
  baseline,
  statistic,
  resamples: count = 1000,
  seed = 1,
  alpha = 0.05,
}: {
  candidate: Prepared;
  baseline: Prepared;
  statistic: Statistic;
  resamples?: number;
  seed?: number;
  alpha?: number;
}): { difference: Interval; pValue: number; verdict: Verdict } {
  const n = candidate.y.length;
  if (baseline.y.length !== n)
    throw new Error(
      `pairedBootstrap: the candidate has ${n} objects and the baseline ${baseline.y.length}; they must be the same objects.`,
    );
  const value = statistic(candidate) - statistic(baseline);
  if (n === 0)
    return { difference: { value, low: value, high: value }, pValue: 1, verdict: 'no detectable difference' };
  const diffs = new Float64Array(count);
  let r = 0;
  let atOrBelow = 0;
  let atOrAbove = 0;
  for (const indices of resamples(n, count, seed)) {
    const d = statistic(subset(candidate, indices)) - statistic(subset(baseline, indices));
    diffs[r++] = d;
    // A tolerance keeps float noise in identical models from counting as a difference.
    if (d <= 1e-12) atOrBelow++;
    if (d >= -1e-12) atOrAbove++;
  }
  diffs.sort();
  const pValue = Math.min(1, (2 * (Math.min(atOrBelow, atOrAbove) + 1)) / (count + 1));
  const difference = { value, low: quantile(diffs, alpha / 2), high: quantile(diffs, 1 - alpha / 2) };
  return { difference, pValue, verdict: verdictOf({ difference: value, pValue, alpha }) };
}

/**
 * McNemar's exact test on correctness: of the objects exactly one model gets right, is the split
 * between them more uneven than a fair coin would make it? Two-sided binomial p-value.
 */
export function mcnemar({ candidate, baseline }: { candidate: Prepared; baseline: Prepared }): {
  candidateOnly: number;
  baselineOnly: number;
  pValue: number;
} {
  let candidateOnly = 0;
  let baselineOnly = 0;
  for (let i = 0; i < candidate.y.length; i++) {
    const c = candidate.y[i] === candidate.predicted[i];
    const b = baseline.y[i] === baseline.predicted[i];
    if (c && !b) candidateOnly++;
    else if (b && !c) baselineOnly++;
  }
  const m = candidateOnly + baselineOnly;
  if (m === 0) return { candidateOnly, baselineOnly, pValue: 1 };
  const k = Math.min(candidateOnly, baselineOnly);
  // P(X <= k) for X ~ Binomial(m, 1/2), summed in log space to stay finite for large m.
  const logHalfM = -m * Math.LN2;
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log((m - i + 1) / i);
    tail += Math.exp(logC + logHalfM);
  }
  return { candidateOnly, baselineOnly, pValue: Math.min(1, 2 * tail) };
}
