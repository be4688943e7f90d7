import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogistic, rowSpace } from '../../pipeline/model/linear-probe.ts';
import { seededUniform } from '../../pipeline/random.ts';

/*
 * The lbfgs head fits on the rows' coordinates in the space they span when there are fewer rows
 * than dimensions: the same model as the fit on every dimension, found at a fraction of the cost.
 */

const n = 24;
const dim = 90;
const classes = 3;

function rows(): { z: Float64Array; y: number[]; sampleWeight: Float64Array } {
  const u = seededUniform(5);
  const z = new Float64Array(n * dim);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    y.push(i % classes);
    for (let j = 0; j < dim; j++) z[i * dim + j] = u() - 0.5 + (j % classes === i % classes ? 0.3 : 0);
  }
  // A duplicate image: row 7 is row 4 again; it adds nothing to the span.
  z.set(z.subarray(4 * dim, 5 * dim), 7 * dim);
  y[7] = y[4]!;
  return { z, y, sampleWeight: new Float64Array(n).fill(1 / n) };
}

describe('rowSpace', () => {
  it('gives coordinates with the same inner products, one dimension per independent row', () => {
    const { z } = rows();
    const space = rowSpace({ z, dim });
    expect(space.rank).toBe(n - 1);
    for (const [a, b] of [
      [0, 0],
      [3, 11],
      [7, 4],
      [23, 1],
    ] as const) {
      let full = 0;
      for (let j = 0; j < dim; j++) full += z[a * dim + j]! * z[b * dim + j]!;
      let reduced = 0;
      for (let m = 0; m < space.rank; m++)
        reduced += space.coords[a * space.rank + m]! * space.coords[b * space.rank + m]!;
      expect(reduced).toBeCloseTo(full, 8);
    }
  });

  it('fitting on the coordinates gives the model of the fit on every dimension', () => {
    const { z, y, sampleWeight } = rows();
    const space = rowSpace({ z, dim });
    for (const l2 of [0.03, 1]) {
      const full = fitLogistic({ z, y, sampleWeight, classes, dim, l2, tolerance: 1e-9, maxIterations: 2000 });
      const small = fitLogistic({
        z: space.coords,
        y,
        sampleWeight,
        classes,
        dim: space.rank,
        l2,
        tolerance: 1e-9,
        maxIterations: 2000,
      });
      const weights = space.toWeights(small.weights, classes);
      expect(small.loss).toBeCloseTo(full.loss, 8);
      for (let k = 0; k < weights.length; k++) expect(weights[k]!).toBeCloseTo(full.weights[k]!, 5);
      for (let c = 0; c < classes; c++) expect(small.bias[c]!).toBeCloseTo(full.bias[c]!, 5);
      const p = predictLogistic({ model: { ...small, dim, weights }, z });
      const q = predictLogistic({ model: full, z });
      p.forEach((row, i) => row.forEach((v, c) => expect(v).toBeCloseTo(q[i]![c]!, 6)));
    }
  });
});
