import { describe, expect, it } from 'vitest';
import {
  accuracy,
  classMetrics,
  confusionMatrix,
  expectedCalibrationError,
  macroF1,
  prepare,
  topKAccuracy,
} from '../../pipeline/evaluate/scores.ts';

/** A probability row over `k` classes that predicts `c` with probability `p`. */
function rowFor(c: number, k: number, p = 0.7): number[] {
  return Array.from({ length: k }, (_, j) => (j === c ? p : (1 - p) / (k - 1)));
}

describe('classification scores', () => {
  // Classes a, b, c, d: c has test objects but is never predicted; d has none and is never predicted.
  const labels = ['a', 'b', 'c', 'd'];
  const y = [0, 0, 0, 1, 1, 2];
  const predicted = [0, 0, 1, 1, 1, 0];
  const probs = predicted.map((c) => rowFor(c, 4));

  it('counts the confusion matrix by true row and predicted column', () => {
    expect(confusionMatrix({ y, probs })).toEqual([
      [2, 1, 0, 0],
      [0, 2, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('computes per-class precision, recall, F1 and support by hand', () => {
    const m = classMetrics({ y, probs, labels });
    expect(m[0]!.precision).toBeCloseTo(2 / 3);
    expect(m[0]!.recall).toBeCloseTo(2 / 3);
    expect(m[0]!.f1).toBeCloseTo(2 / 3);
    expect(m[0]!.support).toBe(3);
    expect(m[1]!.precision).toBeCloseTo(2 / 3);
    expect(m[1]!.recall).toBe(1);
    expect(m[1]!.f1).toBeCloseTo(0.8);
    // Never predicted: precision 0 by convention, recall 0, F1 0.
    expect(m[2]).toEqual({ label: 'c', precision: 0, recall: 0, f1: 0, support: 1 });
    // No support and never predicted: all zero.
    expect(m[3]).toEqual({ label: 'd', precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it('macro-F1 leaves out a class with no test objects that is never predicted', () => {
    expect(macroF1({ y, probs })).toBeCloseTo((2 / 3 + 0.8 + 0) / 3);
    expect(accuracy({ y, probs })).toBeCloseTo(4 / 6);
  });

  it('macro-F1 counts a class with no test objects that the model does predict, as 0', () => {
    const p = [rowFor(0, 3), rowFor(2, 3)];
    expect(macroF1({ y: [0, 1], probs: p })).toBeCloseTo((1 + 0 + 0) / 3);
  });

  it('top-k accuracy counts the true label among the k most probable', () => {
    const rows = [
      [0.5, 0.3, 0.2], // true 1: second
      [0.1, 0.2, 0.7], // true 0: third
      [0.6, 0.3, 0.1], // true 0: first
    ];
    const yt = [1, 0, 0];
    expect(topKAccuracy({ y: yt, probs: rows, k: 1 })).toBeCloseTo(1 / 3);
    expect(topKAccuracy({ y: yt, probs: rows, k: 2 })).toBeCloseTo(2 / 3);
    expect(topKAccuracy({ y: yt, probs: rows, k: 3 })).toBe(1);
  });

  it('expected calibration error is 0 when confidence matches accuracy and large when overconfident', () => {
    const calibrated = Array.from({ length: 100 }, () => [0.8, 0.2]);
    const yCal = Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    expect(expectedCalibrationError({ y: yCal, probs: calibrated })).toBeCloseTo(0, 10);

    const overconfident = Array.from({ length: 100 }, () => [0.99, 0.01]);
    const yHalf = Array.from({ length: 100 }, (_, i) => i % 2);
    expect(expectedCalibrationError({ y: yHalf, probs: overconfident })).toBeCloseTo(0.49, 10);

    // Two bins: 0.95 with all right (gap 0.05) and 0.6 with half right (gap 0.1), equal sizes.
    const mixed = [...Array.from({ length: 10 }, () => [0.95, 0.05]), ...Array.from({ length: 10 }, () => [0.6, 0.4])];
    const yMixed = [...new Array(10).fill(0), ...Array.from({ length: 10 }, (_, i) => i % 2)];
    expect(expectedCalibrationError({ y: yMixed, probs: mixed })).toBeCloseTo(0.075, 10);
  });

  it('refuses rows and labels that do not line up', () => {
    expect(() => prepare({ y: [0, 1], probs: [[1, 0]] })).toThrow(/2 true labels but 1 probability rows/);
    expect(() => prepare({ y: [3], probs: [[0.5, 0.5]] })).toThrow(/not a class index/);
  });
});
