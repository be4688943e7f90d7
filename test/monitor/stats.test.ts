import { describe, expect, it } from 'vitest';
import {
  energyDistance,
  energyPermutationTest,
  euclideanDistances,
  gramMatrix,
  nearestByCosine,
  quantile,
  shares,
  standardisedDifference,
  subsample,
  totalVariation,
  unitVectors,
} from '../../pipeline/monitor/stats.ts';
import { seededUniform } from '../../pipeline/random.ts';

/** Seeded standard normal samples (Box-Muller). */
function gaussians({ n, dim, shift = 0, seed }: { n: number; dim: number; shift?: number; seed: number }): number[][] {
  const u = seededUniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  return Array.from({ length: n }, () => Array.from({ length: dim }, (_, k) => normal() + (k === 0 ? shift : 0)));
}

function test(reference: number[][], current: number[][], seed = 3, permutations = 300) {
  return energyPermutationTest({
    distances: euclideanDistances([...reference, ...current]),
    referenceCount: reference.length,
    currentCount: current.length,
    permutations,
    seed,
  });
}

describe('energy distance permutation test', () => {
  it('gives a small p-value for shifted Gaussians', () => {
    const result = test(gaussians({ n: 60, dim: 5, seed: 1 }), gaussians({ n: 40, dim: 5, shift: 1.5, seed: 2 }));
    expect(result.pValue).toBeLessThan(0.01);
    expect(result.pValue).toBeGreaterThan(0); // never exactly zero
    expect(result.effect).toBeGreaterThan(0.05);
  });

  it('gives a large p-value when both samples come from the same distribution', () => {
    const result = test(gaussians({ n: 60, dim: 5, seed: 4 }), gaussians({ n: 40, dim: 5, seed: 5 }));
    expect(result.pValue).toBeGreaterThan(0.1);
    expect(result.effect).toBeLessThan(0.05);
  });

  it('is deterministic for a seed and varies with it', () => {
    const reference = gaussians({ n: 12, dim: 3, seed: 6 });
    const current = gaussians({ n: 8, dim: 3, shift: 0.5, seed: 7 });
    const a = test(reference, current, 11);
    expect(test(reference, current, 11)).toEqual(a);
    const others = [12, 13, 14, 15].map((s) => test(reference, current, s).pValue);
    expect(others.some((p) => p !== a.pValue)).toBe(true);
  });

  it('grows with the shift', () => {
    const reference = gaussians({ n: 40, dim: 4, seed: 8 });
    const effects = [0, 1, 3].map(
      (shift) => test(reference, gaussians({ n: 40, dim: 4, shift, seed: 9 }), 1, 50).effect,
    );
    expect(effects[0]).toBeLessThan(effects[1]!);
    expect(effects[1]).toBeLessThan(effects[2]!);
  });

  it('has no effect for two copies of one sample, and rejects a matrix of the wrong size', () => {
    const points = gaussians({ n: 10, dim: 2, seed: 10 });
    const distances = euclideanDistances([...points, ...points]);
    const groups = new Uint8Array(20).fill(1, 10);
    const same = energyDistance({ distances, inCurrent: groups });
    expect(same.value).toBeLessThanOrEqual(0);
    expect(same.effect).toBe(0);
    // Fewer than two points in a group: nothing to compare.
    expect(
      energyDistance({ distances: euclideanDistances(points.slice(0, 3)), inCurrent: Uint8Array.from([0, 0, 1]) }),
    ).toEqual({ value: 0, effect: 0 });
    expect(() => energyPermutationTest({ distances, referenceCount: 10, currentCount: 9 })).toThrow(/expected 19×19/);
  });
});

describe('standardised difference', () => {
  it('is the mean difference over the pooled standard deviation, signed', () => {
    const result = standardisedDifference({ reference: [1, 2, 3, 4], current: [3, 4, 5, 6] });
    expect(result.reference.mean).toBe(2.5);
    expect(result.value).toBeCloseTo(2 / Math.sqrt(5 / 3), 10);
    expect(standardisedDifference({ reference: [3, 4, 5, 6], current: [1, 2, 3, 4] }).value).toBeCloseTo(
      -2 / Math.sqrt(5 / 3),
      10,
    );
  });

  it('uses the floor when every value is the same', () => {
    expect(standardisedDifference({ reference: [320, 320], current: [640, 640], floor: 64 }).value).toBe(5);
    expect(standardisedDifference({ reference: [320, 320], current: [320], floor: 64 }).value).toBe(0);
    expect(standardisedDifference({ reference: [], current: [1, 2] }).value).toBe(0);
  });
});

describe('label distributions', () => {
  it('total variation is half the L1 distance of the shares', () => {
    const p = shares({ items: ['coin', 'coin', 'mask', 'vessel'], keys: ['coin', 'mask', 'vessel', 'print'] });
    expect(p).toEqual({ coin: 0.5, mask: 0.25, vessel: 0.25, print: 0 });
    const q = shares({ items: ['print', 'print', 'coin', 'mask'], keys: ['coin', 'mask', 'vessel', 'print'] });
    expect(totalVariation(p, q)).toBeCloseTo(0.5, 12);
    expect(totalVariation(p, p)).toBe(0);
    expect(totalVariation({ a: 1 }, { b: 1 })).toBe(1);
  });
});

describe('nearest neighbours and helpers', () => {
  it('finds the nearest reference by cosine distance, leaving itself out when asked', () => {
    const points = unitVectors([
      [1, 0],
      [0.9, 0.1],
      [0, 1],
      [-1, 0.05],
    ]);
    const gram = gramMatrix(points);
    const near = nearestByCosine({ gram, size: 4, queries: [3], candidates: [0, 1, 2] });
    expect(near[0]!.index).toBe(2);
    expect(near[0]!.distance).toBeCloseTo(1 - points[3]![1]!, 10);
    const loo = nearestByCosine({ gram, size: 4, queries: [0, 1], candidates: [0, 1, 2], excludeSelf: true });
    expect(loo.map((n) => n.index)).toEqual([1, 0]);
  });

  it('quantiles interpolate and subsamples are seeded and ordered', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([], 0.9)).toBe(0);
    const items = Array.from({ length: 100 }, (_, i) => i);
    const a = subsample({ items, max: 10, seed: 5 });
    expect(a).toEqual(subsample({ items, max: 10, seed: 5 }));
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(new Set(a).size).toBe(10);
    expect(subsample({ items: [1, 2], max: 10, seed: 5 })).toEqual([1, 2]);
  });
});
