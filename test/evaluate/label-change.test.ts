import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compareLabelSets, pairedMeanTest, trainingNoise } from '../../pipeline/evaluate/label-change.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
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

describe('compareLabelSets with heads that do not depend on their seed', () => {
  it('runs no reruns and says the training noise is none, not that reruns measured it', async () => {
    // Both arms' out-of-fold rows given: nothing is trained here.
    const rows = [0.9, 0.8, 0.3, 0.4].map((p) => Float32Array.from([p, 1 - p]));
    const result = await compareLabelSets({
      tf,
      x: rows,
      objects: rows.map(() => ({ split: 'train' as const })),
      head: [0, 0, 1, 1],
      base: [0, 1, 1, 1],
      folds: [0, 1, 0, 1],
      k: 2,
      labels: ['coin', 'mask'],
      params: { ...defaultParams(), evaluate: { ...defaultParams().evaluate, bootstrap: 100 } },
      headRows: rows,
      baseRows: rows,
      trainingSd: 0,
      log: silentLogger,
    });
    expect(result.probability.trainingSd).toBe(0);
    expect(result.comparison.test).toContain('no training noise: the heads do not depend on their seed');
    expect(result.comparison.test).not.toContain('reruns');
  });
});
