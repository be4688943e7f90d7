import { describe, expect, it } from 'vitest';
import { pairedMeanTest, trainingNoise } from '../../pipeline/evaluate/label-change.ts';
import { seededUniform } from '../../pipeline/random.ts';

const u = seededUniform(3);
const base = Array.from({ length: 300 }, () => 0.8 + 0.2 * u());

describe('pairedMeanTest', () => {
  it('finds no difference between identical answers', () => {
    const t = pairedMeanTest({ candidate: base, baseline: base, trainingSd: 0, resamples: 500, seed: 1, alpha: 0.05 });
    expect(t.pValue).toBe(1);
    expect(t.verdict).toBe('no detectable difference');
  });

  it('calls a consistent gain better, and the same gain inside the training noise not', () => {
    const better = base.map((p) => Math.min(1, p + 0.002));
    expect(
      pairedMeanTest({ candidate: better, baseline: base, trainingSd: 0, resamples: 500, seed: 1, alpha: 0.05 })
        .verdict,
    ).toBe('better');
    // Objects alone would call it; a training run with another seed moves the mean by as much.
    const noisy = pairedMeanTest({
      candidate: better,
      baseline: base,
      trainingSd: 0.003,
      resamples: 500,
      seed: 1,
      alpha: 0.05,
    });
    expect(noisy.verdict).toBe('no detectable difference');
    expect(noisy.difference.low).toBeLessThan(0);
    expect(
      pairedMeanTest({ candidate: base, baseline: better, trainingSd: 0, resamples: 500, seed: 1, alpha: 0.05 })
        .verdict,
    ).toBe('worse');
  });
});

describe('trainingNoise', () => {
  it('is zero when reruns give the same answers, and pools each fold’s shift', () => {
    const rows = [
      [0.9, 0.1],
      [0.8, 0.2],
      [0.3, 0.7],
      [0.4, 0.6],
    ];
    const y = [0, 0, 1, 1];
    const folds = [0, 1, 0, 1];
    expect(trainingNoise({ rows, replicates: [rows], y, folds, k: 2 })).toBe(0);
    // Fold 0 moves by +0.1 on average, fold 1 by −0.1: pooled draw² 0.01, weights (1/2)² × 2.
    const again = [
      [1.0, 0],
      [0.7, 0.3],
      [0.2, 0.8],
      [0.5, 0.5],
    ];
    expect(trainingNoise({ rows, replicates: [again], y, folds, k: 2 })).toBeCloseTo(Math.sqrt(0.01 * 0.5), 12);
  });
});
