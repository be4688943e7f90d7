import { describe, expect, it } from 'vitest';
import { aucWithDeLong, classifierTwoSampleTest } from '../../pipeline/monitor/classifier-test.ts';
import { seededUniform } from '../../pipeline/random.ts';

/*
 * The classifier two-sample test on Gaussian clouds, where the answer is known: samples of one
 * distribution must score an AUC near 0.5 with an interval covering it, and a shifted cloud must be
 * told apart. The measurement on real museum photographs is bench/monitor.ts.
 */

function gaussians({
  n,
  dim,
  shift = 0,
  seed,
}: {
  n: number;
  dim: number;
  shift?: number;
  seed: number;
}): Float32Array[] {
  const u = seededUniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return Array.from({ length: n }, () => {
    const v = new Float32Array(dim);
    for (let j = 0; j < dim; j++) v[j] = normal() + (j < 4 ? shift : 0);
    return v;
  });
}

describe('AUC with a DeLong interval', () => {
  it('counts pairs, halving ties, as the Mann-Whitney statistic does', () => {
    // Positives 0.9, 0.5, 0.3 against negatives 0.5, 0.2: pairs won 2 + 1.5 (a tie counts half) + 1 of 6.
    const r = aucWithDeLong({ positives: [0.9, 0.5, 0.3], negatives: [0.5, 0.2] });
    expect(r.auc).toBeCloseTo((2 + 1.5 + 1) / 6, 12);
    expect(r.low).toBeLessThan(r.auc);
    expect(r.high).toBeGreaterThan(r.auc);
    expect(aucWithDeLong({ positives: [3, 4], negatives: [1, 2] })).toMatchObject({ auc: 1, se: 0 });
  });

  it('has about 95% coverage: the interval of a known AUC covers it in most of 200 draws', () => {
    // Scores N(1, 1) against N(0, 1): AUC = Φ(1 / √2) = 0.7602.
    const truth = 0.76025;
    let covered = 0;
    for (let s = 0; s < 200; s++) {
      const u = seededUniform(1000 + s);
      const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
      const r = aucWithDeLong({
        positives: Array.from({ length: 60 }, () => 1 + normal()),
        negatives: Array.from({ length: 80 }, normal),
      });
      if (r.low <= truth && truth <= r.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(180);
    expect(covered).toBeLessThanOrEqual(199);
  });
});

describe('classifier two-sample test', () => {
  it('finds no difference between two samples of one distribution', () => {
    let flagged = 0;
    for (let s = 0; s < 10; s++) {
      const r = classifierTwoSampleTest({
        reference: gaussians({ n: 120, dim: 16, seed: 10 * s + 1 }),
        current: gaussians({ n: 80, dim: 16, seed: 10 * s + 2 }),
        seed: s,
        minAuc: 0.6,
      });
      expect(r.auc).toBeGreaterThan(0.35);
      expect(r.auc).toBeLessThan(0.65);
      if (r.drifted) flagged++;
    }
    expect(flagged).toBeLessThanOrEqual(1);
  });

  it('tells a shifted sample apart, with an interval above one half', () => {
    const r = classifierTwoSampleTest({
      reference: gaussians({ n: 120, dim: 16, seed: 1 }),
      current: gaussians({ n: 80, dim: 16, shift: 0.8, seed: 2 }),
      seed: 1,
      minAuc: 0.6,
    });
    expect(r.auc).toBeGreaterThan(0.8);
    expect(r.low).toBeGreaterThan(0.5);
    expect(r.drifted).toBe(true);
    expect(r.folds).toBe(5);
    expect(r.compared).toEqual({ reference: 120, current: 80 });
  });

  it('is the same for the same seed, and refuses sides too small to fold', () => {
    const a = {
      reference: gaussians({ n: 40, dim: 8, seed: 3 }),
      current: gaussians({ n: 30, dim: 8, shift: 0.5, seed: 4 }),
      seed: 7,
      minAuc: 0.6,
    };
    expect(classifierTwoSampleTest(a)).toEqual(classifierTwoSampleTest(a));
    expect(() => classifierTwoSampleTest({ ...a, current: a.current.slice(0, 3) })).toThrow(/at least 5/);
  });
});
