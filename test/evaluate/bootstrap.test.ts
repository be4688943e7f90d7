import { describe, expect, it } from 'vitest';
import { bootstrapIntervals, mcnemar, pairedBootstrap } from '../../pipeline/evaluate/bootstrap.ts';
import { accuracyOf, eceOf, macroF1Of, prepare } from '../../pipeline/evaluate/scores.ts';
import { seededUniform } from '../../pipeline/random.ts';

const K = 4;

/** n objects over K classes; each is predicted right with probability `skill` (seeded). */
function simulate({ n, skill, seed }: { n: number; skill: number; seed: number }) {
  const u = seededUniform(seed);
  const y: number[] = [];
  const probs: number[][] = [];
  for (let i = 0; i < n; i++) {
    const t = i % K;
    const right = u() < skill;
    const p = right ? t : (t + 1 + Math.floor(u() * (K - 1))) % K;
    y.push(t);
    probs.push(Array.from({ length: K }, (_, j) => (j === p ? 0.55 : 0.15)));
  }
  return { y, probs };
}

/** The same objects with the same truth, predicted by a model of a given skill. */
function model(y: number[], skill: number, seed: number): number[][] {
  const u = seededUniform(seed);
  return y.map((t) => {
    const p = u() < skill ? t : (t + 1 + Math.floor(u() * (K - 1))) % K;
    return Array.from({ length: K }, (_, j) => (j === p ? 0.55 : 0.15));
  });
}

describe('bootstrap intervals', () => {
  it('contain the point estimate, are reproducible for a seed, and narrow as n grows', () => {
    const small = simulate({ n: 40, skill: 0.7, seed: 3 });
    const large = simulate({ n: 1600, skill: 0.7, seed: 3 });
    const stats = { accuracy: accuracyOf, macroF1: macroF1Of };
    const a = bootstrapIntervals({ prepared: prepare(small), statistics: stats, resamples: 400, seed: 9 });
    const again = bootstrapIntervals({ prepared: prepare(small), statistics: stats, resamples: 400, seed: 9 });
    const b = bootstrapIntervals({ prepared: prepare(large), statistics: stats, resamples: 400, seed: 9 });
    expect(again).toEqual(a);
    for (const iv of [a.accuracy, a.macroF1, b.accuracy, b.macroF1]) {
      expect(iv.low).toBeLessThanOrEqual(iv.value);
      expect(iv.high).toBeGreaterThanOrEqual(iv.value);
      expect(iv.high).toBeGreaterThan(iv.low);
    }
    // Width shrinks like 1/sqrt(n): 40 times the objects, about a sixth of the width.
    expect(b.accuracy.high - b.accuracy.low).toBeLessThan((a.accuracy.high - a.accuracy.low) / 3);
    expect(b.macroF1.high - b.macroF1.low).toBeLessThan((a.macroF1.high - a.macroF1.low) / 3);
    // For accuracy the 95% interval is close to the normal approximation ±1.96·sqrt(p(1-p)/n).
    const p = b.accuracy.value;
    expect(b.accuracy.high - b.accuracy.low).toBeCloseTo(2 * 1.96 * Math.sqrt((p * (1 - p)) / 1600), 1);
  });

  it('widens an interval that resampling bias pushed past its own value (ECE)', () => {
    // Five bins, each perfectly calibrated (confidence 0.55 with 11 of 20 right, ... 0.95 with 19 of
    // 20): ECE is 0, but a resample almost never keeps all five exact, so nearly every resampled ECE
    // is above 0 and the plain percentile interval would leave 0 out.
    const y: number[] = [];
    const probs: number[][] = [];
    [0.55, 0.65, 0.75, 0.85, 0.95].forEach((c) => {
      for (let i = 0; i < 20; i++) {
        y.push(i < Math.round(c * 20) ? 0 : 1);
        probs.push([c, 1 - c]);
      }
    });
    const r = bootstrapIntervals({
      prepared: prepare({ y, probs }),
      statistics: { ece: (p) => eceOf(p) },
      resamples: 300,
    });
    expect(r.ece.value).toBeLessThan(1e-9);
    expect(r.ece.low).toBe(r.ece.value);
    expect(r.ece.high).toBeGreaterThan(0.05);
  });

  it('is a zero-width interval with no objects', () => {
    const r = bootstrapIntervals({
      prepared: prepare({ y: [], probs: [], classes: 3 }),
      statistics: { accuracy: accuracyOf },
      resamples: 100,
    });
    expect(r.accuracy).toEqual({ value: 0, low: 0, high: 0 });
  });
});

describe('paired comparison', () => {
  const { y } = simulate({ n: 200, skill: 0, seed: 1 });

  it('says "better" for a clearly better candidate and "worse" the other way round', () => {
    const good = prepare({ y, probs: model(y, 0.9, 11) });
    const weak = prepare({ y, probs: model(y, 0.5, 12) });
    const r = pairedBootstrap({ candidate: good, baseline: weak, statistic: macroF1Of, resamples: 500, alpha: 0.05 });
    expect(r.verdict).toBe('better');
    expect(r.pValue).toBeLessThan(0.05);
    expect(r.difference.value).toBeGreaterThan(0.2);
    expect(r.difference.low).toBeGreaterThan(0);
    const back = pairedBootstrap({
      candidate: weak,
      baseline: good,
      statistic: macroF1Of,
      resamples: 500,
      alpha: 0.05,
    });
    expect(back.verdict).toBe('worse');
    expect(back.difference.high).toBeLessThan(0);
  });

  it('says "no detectable difference" for identical models and for a tiny one on few objects', () => {
    const probs = model(y, 0.7, 5);
    const r = pairedBootstrap({
      candidate: prepare({ y, probs }),
      baseline: prepare({ y, probs }),
      statistic: macroF1Of,
      resamples: 300,
    });
    expect(r).toEqual({ difference: { value: 0, low: 0, high: 0 }, pValue: 1, verdict: 'no detectable difference' });
    // At most one object apart out of 30: the candidate gets object 0 right whatever the baseline did.
    const few = y.slice(0, 30);
    const a = model(few, 0.7, 21);
    const b = a.map((row, i) => (i === 0 ? Array.from({ length: K }, (_, j) => (j === few[0] ? 0.55 : 0.15)) : row));
    const small = pairedBootstrap({
      candidate: prepare({ y: few, probs: b }),
      baseline: prepare({ y: few, probs: a }),
      statistic: macroF1Of,
      resamples: 300,
    });
    expect(small.verdict).toBe('no detectable difference');
  });

  it('McNemar: 8 objects only the candidate gets right, none the other way, is p = 2/2^8', () => {
    const yy = new Array(20).fill(0);
    const right = [1, 0];
    const wrong = [0, 1];
    const cand = yy.map((_, i) => (i < 15 ? right : wrong));
    const base = yy.map((_, i) => (i < 7 ? right : wrong));
    const r = mcnemar({ candidate: prepare({ y: yy, probs: cand }), baseline: prepare({ y: yy, probs: base }) });
    expect(r.candidateOnly).toBe(8);
    expect(r.baselineOnly).toBe(0);
    expect(r.pValue).toBeCloseTo(2 / 256, 12);
    expect(
      mcnemar({ candidate: prepare({ y: yy, probs: cand }), baseline: prepare({ y: yy, probs: cand }) }).pValue,
    ).toBe(1);
  });
});
