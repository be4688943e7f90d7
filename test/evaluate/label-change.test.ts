import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compareLabelSets, pairedMeanTest, trainingNoise } from '../../pipeline/evaluate/label-change.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';

const u = seededUniform(3);
const base = Array.from({ length: 300 }, () => 0.8 + 0.2 * u());

/** pairedMeanTest of `candidate` against `baseline`: no training noise, 500 resamples, seed 1, alpha 0.05, no minimum change. */
function paired(
  settings: Pick<Parameters<typeof pairedMeanTest>[0], 'candidate' | 'baseline'> &
    Partial<Parameters<typeof pairedMeanTest>[0]>,
) {
  return pairedMeanTest({ trainingSd: 0, resamples: 500, seed: 1, alpha: 0.05, minChange: 0, ...settings });
}

describe('pairedMeanTest', () => {
  it('finds no difference between identical answers', () => {
    const t = paired({ candidate: base, baseline: base });
    expect(t.pValue).toBe(1);
    expect(t.verdict).toBe('no detectable difference');
  });

  it('calls a consistent gain better, and the same gain inside the training noise not', () => {
    const better = base.map((p) => Math.min(1, p + 0.002));
    expect(paired({ candidate: better, baseline: base }).verdict).toBe('better');
    // Objects alone would call it; a training run with another seed moves the mean by as much.
    const noisy = paired({ candidate: better, baseline: base, trainingSd: 0.003 });
    expect(noisy.verdict).toBe('no detectable difference');
    expect(noisy.difference.low).toBeLessThan(0);
    expect(paired({ candidate: base, baseline: better }).verdict).toBe('worse');
  });
});

describe('a change too small to matter (evaluate.min_change)', () => {
  // Tester: 24 correctly labelled objects added to the demo: "Better", a change of 0.00, p = 0.004.
  it('is no detectable difference though it is more than chance, and a change as large as the minimum counts', () => {
    const nudged = base.map((p) => Math.min(1, p + 0.002));
    const test = (candidate: number[], baseline: number[], minChange: number) =>
      paired({ candidate, baseline, minChange });
    const small = test(nudged, base, 0.01);
    expect(small.pValue).toBeLessThan(0.05);
    expect(small.verdict).toBe('no detectable difference');
    expect(test(base, nudged, 0.01).verdict).toBe('no detectable difference');
    // 20 wrong labels of 300 corrected: their probability from 0.1 to about 0.9, +0.05 on average.
    const wrong = base.map((p, i) => (i < 20 ? 0.1 : p));
    expect(test(base, wrong, 0.01).verdict).toBe('better');
    expect(test(wrong, base, 0.01).verdict).toBe('worse');
    expect(test(nudged, base, 0.001).verdict).toBe('better');
  });

  // Tester: an exact revert of 25 beads moved together to a wrong label, among 1,827 objects: +0.0096 on average over
  // every object, p = 0.002, "too small to matter", while the 25 gained about +0.3 each.
  it('counts the change over the objects relabelled, when it goes the same way as the change over every object', () => {
    const many = Array.from({ length: 2000 }, (_, i) => base[i % base.length]!);
    // 12 objects relabelled, from 0.2 to 0.9 each: +0.0042 over the 2,000.
    const fixed = many.map((p, i) => (i < 12 ? 0.9 : p));
    const wrong = many.map((p, i) => (i < 12 ? 0.2 : p));
    const relabelled = Array.from({ length: 12 }, (_, i) => i);
    const test = (candidate: number[], baseline: number[], moved?: number[]) =>
      paired({ candidate, baseline, minChange: 0.01, ...(moved ? { relabelled: moved } : {}) });
    const alone = test(fixed, wrong);
    expect(alone.difference.value).toBeLessThan(0.01);
    expect(alone.pValue).toBeLessThan(0.05);
    expect(alone.verdict).toBe('no detectable difference');
    const judged = test(fixed, wrong, relabelled);
    expect(judged.relabelled).toMatchObject({ objects: 12 });
    expect(judged.relabelled!.candidate - judged.relabelled!.baseline).toBeCloseTo(0.7, 12);
    expect(judged.verdict).toBe('better');
    expect(test(wrong, fixed, relabelled).verdict).toBe('worse');
    // The relabelled objects going the other way from the change over every object do not make it count.
    const against = many.map((p, i) => (i < 12 ? 0.2 : p + 0.009));
    const other = test(against, fixed, relabelled);
    expect(other.difference.value).toBeGreaterThan(0);
    expect(other.pValue).toBeLessThan(0.05);
    expect(other.verdict).toBe('no detectable difference');
    // Nor do a few objects relabelled whose own change is under the minimum too.
    const slight = many.map((p, i) => p + (i < 12 ? 0.005 : 0.002));
    expect(test(slight, many, relabelled).verdict).toBe('no detectable difference');
  });

  // Reviewer: with 1,800 objects nudged +0.004 by labels added elsewhere (significant, under min_change), one object
  // relabelled whose own change was noise (+0.03) turned "no detectable difference" into "better"; -0.03, back again.
  it('does not let the noise of one or two relabelled objects, or a change they do not account for, count', () => {
    const u = seededUniform(9);
    const many = Array.from({ length: 1800 }, (_, i) => base[i % base.length]!);
    const nudged = many.map((p, i) => (i === 0 ? p + 0.03 : p + 0.004 + 0.02 * (u() - 0.5)));
    const test = (candidate: number[], moved: number[]) =>
      paired({ candidate, baseline: many, minChange: 0.01, relabelled: moved });
    const one = test(nudged, [0]);
    expect(one.pValue).toBeLessThan(0.05);
    expect(one.relabelled).toMatchObject({ objects: 1, counts: false });
    expect(one.verdict).toBe('no detectable difference');
    // Three relabelled, each +0.03: their own change is real, but the nudge of every other object makes most of it.
    const three = many.map((p, i) => (i < 3 ? p + 0.03 : p + 0.004 + 0.02 * (u() - 0.5)));
    expect(test(three, [0, 1, 2]).verdict).toBe('no detectable difference');
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
