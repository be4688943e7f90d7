import { describe, expect, it } from 'vitest';
import { bootstrapIntervals, pairedBootstrap } from '../../pipeline/evaluate/bootstrap.ts';
import {
  collapsedAtBoundary,
  MAX_POSTERIOR_DRAWS,
  macroF1Interval,
  macroF1Posterior,
  percentRange,
  shareInterval,
  wilsonInterval,
  withBoundaryIntervals,
} from '../../pipeline/evaluate/boundary.ts';
import { buildMetrics, scoreModel } from '../../pipeline/evaluate/metrics.ts';
import { coverageAndPrecision } from '../../pipeline/evaluate/publication.ts';
import { accuracyOf, macroF1Of, prepare } from '../../pipeline/evaluate/scores.ts';
import { defaultParams } from '../../pipeline/params.ts';

/** `n` test objects over `classes` classes (in turn), each predicted as `predict(i, truth)`. */
function objects({ n, classes, predict }: { n: number; classes: number; predict: (i: number, t: number) => number }) {
  const y = Array.from({ length: n }, (_, i) => i % classes);
  const probs = y.map((t, i) => {
    const p = predict(i, t);
    return Array.from({ length: classes }, (_, j) => (j === p ? 0.7 : 0.3 / (classes - 1)));
  });
  return { y, probs };
}

const diagonal = (supports: number[]) => supports.map((s, i) => supports.map((_, j) => (i === j ? s : 0)));

describe('the bootstrap at 0% and 100%', () => {
  it('collapses when every test object is right: the reason for the rule', () => {
    const all = prepare({ ...objects({ n: 66, classes: 6, predict: (_, t) => t }), classes: 6 });
    const iv = bootstrapIntervals({
      prepared: all,
      statistics: { accuracy: accuracyOf, macroF1: macroF1Of },
      resamples: 300,
    });
    expect(iv.accuracy).toEqual({ value: 1, low: 1, high: 1 });
    expect(collapsedAtBoundary(iv.accuracy)).toBe(true);
    expect(collapsedAtBoundary(iv.macroF1)).toBe(true);
    expect(collapsedAtBoundary({ value: 0.9, low: 0.9, high: 0.9 })).toBe(false);
    expect(collapsedAtBoundary({ value: 1, low: 0.95, high: 1 })).toBe(false);
  });

  it('Wilson: 66 of 66 right is about 94.5%–100%, 12 of 12 75.7%–100% (the group table), 0 of 66 0%–5.5%', () => {
    const all = wilsonInterval({ successes: 66, n: 66 });
    expect(all.value).toBe(1);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(66 / (66 + 1.96 ** 2), 10);
    expect(all.low).toBeGreaterThan(0.944);
    expect(all.low).toBeLessThan(0.946);
    expect(wilsonInterval({ successes: 12, n: 12 }).low).toBeCloseTo(0.7575, 3);
    const none = wilsonInterval({ successes: 0, n: 66 });
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(1 - all.low, 10);
    // Away from the boundary it is the textbook interval: 30 of 60 is 37.7%–62.3%.
    const half = wilsonInterval({ successes: 30, n: 60 });
    expect(half.low).toBeCloseTo(0.3773, 3);
    expect(half.high).toBeCloseTo(0.6227, 3);
  });

  it('macro-F1 posterior: an empty class of the vocabulary changes nothing; draws are capped (a reviewer)', () => {
    const tested = diagonal([22, 22, 22]);
    const withEmpty = [...tested.map((row) => [...row, 0]), [0, 0, 0, 0]];
    expect(macroF1Posterior({ confusion: withEmpty, draws: 1000, seed: 3 })).toEqual(
      macroF1Posterior({ confusion: tested, draws: 1000, seed: 3 }),
    );
    // 100,000 asked for (evaluate.bootstrap's maximum) costs what MAX_POSTERIOR_DRAWS does, with the same answer.
    expect(macroF1Posterior({ confusion: tested, draws: 100_000, seed: 3 })).toEqual(
      macroF1Posterior({ confusion: tested, draws: MAX_POSTERIOR_DRAWS, seed: 3 }),
    );
  });

  it('macro-F1 of a perfect model: below 100%, lower than the accuracy bound, wider for small classes', () => {
    const even = macroF1Posterior({ confusion: diagonal([11, 11, 11, 11, 11, 11]), draws: 1000, seed: 3 });
    const skewed = macroF1Posterior({ confusion: diagonal([60, 3, 3]), draws: 1000, seed: 3 });
    const large = macroF1Posterior({ confusion: diagonal([300, 300, 300]), draws: 1000, seed: 3 });
    const accuracyLow = wilsonInterval({ successes: 66, n: 66 }).low;
    expect(even.low).toBeLessThan(accuracyLow);
    expect(even.low).toBeGreaterThan(0.8);
    expect(skewed.low).toBeLessThan(even.low);
    expect(large.low).toBeGreaterThan(0.99);
    // Seeded: the same confusion matrix gives the same interval.
    expect(macroF1Posterior({ confusion: diagonal([11, 11, 11, 11, 11, 11]), draws: 1000, seed: 3 })).toEqual(even);
    // All wrong: near 0 but not exactly.
    const wrong = macroF1Posterior({
      confusion: [
        [0, 33],
        [33, 0],
      ],
      draws: 1000,
    });
    expect(wrong.high).toBeGreaterThan(0.01);
    expect(wrong.high).toBeLessThan(0.1);
  });

  it('metrics of 66 of 66 right: no zero-width interval; the values and the comparison are unchanged', () => {
    const params = defaultParams();
    params.evaluate.bootstrap = 300;
    params.evaluate.top_k = 2;
    const { y, probs } = objects({ n: 66, classes: 6, predict: (_, t) => t });
    const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const s = scoreModel({ prepared: prepare({ y, probs, classes: 6 }), labels, evaluate: params.evaluate });
    expect(s.accuracy.value).toBe(1);
    expect(s.accuracy.high).toBe(1);
    expect(s.accuracy.low).toBeCloseTo(wilsonInterval({ successes: 66, n: 66 }).low, 12);
    expect(s.topK.accuracy.low).toBeCloseTo(s.accuracy.low, 12);
    expect(s.macroF1.value).toBe(1);
    expect(s.macroF1.high).toBe(1);
    expect(s.macroF1.low).toBeGreaterThan(0.8);
    expect(s.macroF1.low).toBeLessThan(s.accuracy.low);
    // The confidence is 0.7, not 1: the calibration error varies and keeps its bootstrap interval.
    expect(s.ece.value).toBeCloseTo(0.3);

    // A baseline with mistakes: its intervals stay the bootstrap's; the paired test is what it was.
    const baseProbs = objects({ n: 66, classes: 6, predict: (i, t) => (i % 5 === 0 ? (t + 1) % 6 : t) }).probs;
    const objectsList = y.map((_, i) => ({ id: `o${i}` }));
    const m = buildMetrics({
      labels,
      objects: objectsList,
      y,
      candidate: probs,
      baseline: { version: 'v1.0.0', probs: baseProbs },
      params,
      createdAt: '2026-01-01T00:00:00.000Z',
      backend: 'cpu',
      backbone: 'b',
      inputs: { data: 'd', labels: 'l', params: 'p', commit: null },
    });
    const paired = pairedBootstrap({
      candidate: prepare({ y, probs, classes: 6 }),
      baseline: prepare({ y, probs: baseProbs, classes: 6 }),
      statistic: macroF1Of,
      resamples: 300,
      seed: 20_240_601,
      alpha: params.evaluate.alpha,
    });
    expect(m.baseline!.comparison.pValue).toBe(paired.pValue);
    expect(m.baseline!.comparison.verdict).toBe(paired.verdict);
    expect(m.baseline!.comparison.difference).toEqual(paired.difference);
    const baseAlone = bootstrapIntervals({
      prepared: prepare({ y, probs: baseProbs, classes: 6 }),
      statistics: { accuracy: accuracyOf },
      resamples: 300,
      seed: 20_240_601,
    });
    expect(m.baseline!.accuracy).toEqual(baseAlone.accuracy);
    expect(m.accuracy).toEqual(s.accuracy);
  });

  it('applies to stored scores too (cards of versions evaluated before the rule), and only where they collapsed', () => {
    const stored = {
      accuracy: { value: 1, low: 1, high: 1 },
      macroF1: { value: 1, low: 1, high: 1 },
      topK: { k: 3, accuracy: { value: 1, low: 1, high: 1 } },
      ece: { value: 0, low: 0, high: 0 },
      perClass: [],
      confusion: diagonal([33, 33]),
    };
    const fixed = withBoundaryIntervals({ scores: stored, n: 66 });
    expect(fixed.accuracy.low).toBeCloseTo(0.945, 3);
    expect(fixed.macroF1.low).toBeLessThan(1);
    expect(fixed.macroF1.low).toBeGreaterThan(0.9);
    // Confidence 1 on every object and every one right: the calibration error is at most 1 − accuracy.
    expect(fixed.ece).toEqual({ value: 0, low: 0, high: 1 - fixed.accuracy.low });
    const varied = { ...stored, accuracy: { value: 0.9, low: 0.82, high: 0.96 } };
    expect(withBoundaryIntervals({ scores: varied, n: 66 }).accuracy).toBe(varied.accuracy);
    expect(withBoundaryIntervals({ scores: stored, n: 0 })).toBe(stored);
  });

  it('prints interval ends rounded outwards, exact ends as they are', () => {
    expect(percentRange({ low: 0.99962, high: 1 })).toBe('99.9%–100.0%');
    expect(percentRange({ low: 0.99962, high: 1, digits: 0 })).toBe('99%–100%');
    expect(percentRange({ low: 0.7, high: 0.95 })).toBe('70.0%–95.0%');
    expect(percentRange({ low: 0.29, high: 0.57 })).toBe('29.0%–57.0%');
    expect(percentRange({ low: 0, high: 0.00004 })).toBe('0.0%–0.1%');
    expect(percentRange({ low: 0.94499, high: 1, digits: 0 })).toBe('94%–100%');
  });

  it('the publication estimate: every guess of 40 published and right is not "100%–100%" either', () => {
    const { coverage, precision } = coverageAndPrecision({
      published: Array.from({ length: 50 }, (_, i) => (i < 40 ? 1 : 0)),
      right: Array.from({ length: 50 }, () => 1),
      resamples: 200,
    });
    expect(precision.value).toBe(1);
    expect(precision.low).toBeCloseTo(wilsonInterval({ successes: 40, n: 40 }).low, 12);
    // Coverage varies from resample to resample: it keeps its bootstrap interval.
    expect(coverage.value).toBe(0.8);
    expect(coverage.low).toBeLessThan(0.8);
    const all = coverageAndPrecision({ published: [1, 1, 1, 1, 1], right: [1, 0, 1, 1, 1], resamples: 200 });
    expect(all.coverage).toEqual({ ...wilsonInterval({ successes: 5, n: 5 }), value: 1 });
  });

  it('the per-interval helpers leave intervals that vary alone', () => {
    const varied = { value: 0.8, low: 0.7, high: 0.9 };
    expect(shareInterval({ interval: varied, n: 50 })).toBe(varied);
    expect(macroF1Interval({ interval: varied, confusion: diagonal([5, 5]) })).toBe(varied);
    expect(shareInterval({ interval: { value: 1, low: 1, high: 1 }, n: 0 })).toEqual({ value: 1, low: 1, high: 1 });
    expect(macroF1Interval({ interval: { value: 1, low: 1, high: 1 }, confusion: diagonal([5, 5]) }).low).toBeLessThan(
      0.9,
    );
  });
});
