import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { logisticSolver, ROW_SPACE_MAX_ROWS, solverPath } from '../../pipeline/model/head.ts';
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

describe("the lbfgs head's choice of path", () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('takes the row space up to half as many rows as dimensions, and up to ROW_SPACE_MAX_ROWS rows', () => {
    expect(solverPath({ n: 45, dim: 90, classes })).toBe('row-space');
    expect(solverPath({ n: 46, dim: 90, classes })).toBe('plain');
    expect(solverPath({ n: 500, dim: 1792, classes: 10 })).toBe('row-space');
    // A wide backbone (three layers, 3,952 numbers): the row space's set-up grows with rows² × dimensions.
    expect(solverPath({ n: ROW_SPACE_MAX_ROWS, dim: 3952, classes: 10 })).toBe('row-space');
    expect(solverPath({ n: ROW_SPACE_MAX_ROWS + 1, dim: 3952, classes: 10 })).toBe('backend');
    expect(solverPath({ n: 1976, dim: 3952, classes: 10 })).toBe('backend');
  });

  it('gives the same probabilities on every path at the boundary (rows = dimensions / 2)', () => {
    // The rows of rows() cut to their first 48 numbers: 24 rows of 48, where the row space is still chosen.
    const { z: all, y, sampleWeight } = rows();
    const half = 2 * n;
    const z = new Float64Array(n * half);
    for (let i = 0; i < n; i++) z.set(all.subarray(i * dim, i * dim + half), i * half);
    expect(solverPath({ n, dim: half, classes })).toBe('row-space');
    const probabilities = (path: 'row-space' | 'plain' | 'backend') => {
      const solver = logisticSolver({ tf, z, y, sampleWeight, classes, dim: half, path });
      // As the head does: a larger penalty first, then a smaller one from there.
      solver.fit({ l2: 1, maxIterations: 2000, tolerance: 1e-9 });
      const model = solver.fit({ l2: 0.03, maxIterations: 2000, tolerance: 1e-9 });
      solver.dispose();
      return predictLogistic({ model, z });
    };
    const reduced = probabilities('row-space');
    const plain = probabilities('plain');
    const backend = probabilities('backend');
    reduced.forEach((row, i) => row.forEach((v, c) => expect(v).toBeCloseTo(plain[i]![c]!, 6)));
    // The backend computes in float32: the same model, to the precision its gradient allows.
    reduced.forEach((row, i) => row.forEach((v, c) => expect(v).toBeCloseTo(backend[i]![c]!, 3)));
  });
});
