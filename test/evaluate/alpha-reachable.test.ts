import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { pairedBootstrap } from '../../pipeline/evaluate/bootstrap.ts';
import { compareLabelSets } from '../../pipeline/evaluate/label-change.ts';
import { macroF1Of, prepare } from '../../pipeline/evaluate/scores.ts';
import { silentLogger } from '../../pipeline/log.ts';
import type { Params } from '../../pipeline/params.ts';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * evaluate.alpha is refused when no p-value from evaluate.bootstrap resamples can be below it. A pull request that
 * fixes labels is judged by another test than the test split’s (the cross-validated paired test of the probability
 * each object’s label gets, compareLabelSets): were its smallest p-value above alpha with settings the check
 * accepts, a label fix could never be “better”. Both tests draw evaluate.bootstrap resamples, whatever the folds,
 * and their smallest p-value is 2 / (bootstrap + 1): at the smallest bootstrap the check accepts for an alpha, a
 * clear change is found by both.
 */

const { load, errorOf } = paramsTexts({ prefix: 'vitrine-alpha-reachable-' });

/** A clear label fix judged on every labelled object with `params`: 40 objects, every one helped. */
async function labelFix(params: Params) {
  const n = 40;
  const head = Array.from({ length: n }, (_, i) => i % 2);
  const base = head.map((c, i) => (i < 10 ? 1 - c : c));
  const rows = (good: number) => head.map((c) => Float32Array.from(c === 0 ? [good, 1 - good] : [1 - good, good]));
  return compareLabelSets({
    tf,
    x: rows(0.9),
    objects: head.map(() => ({ split: 'train' as const })),
    head,
    base,
    folds: head.map((_, i) => i % 5),
    k: 5,
    labels: ['coin', 'mask'],
    params,
    headRows: rows(0.9).map((r, i) => Float32Array.from(r, (p) => p + (i % 3) * 0.001)),
    baseRows: rows(0.6),
    trainingSd: 0,
    log: silentLogger,
  });
}

/** The test split’s paired comparison of a clearly better model with `params`. */
function testSplit(params: Params) {
  const y = Array.from({ length: 40 }, (_, i) => i % 2);
  const probs = (right: number) =>
    y.map((c, i) => (c === 0 ? [right, 1 - right] : [1 - right, right]).map((p) => p + (i % 3) * 0.001));
  const candidate = prepare({ y, probs: probs(0.9), classes: 2 });
  const baseline = prepare({ y, probs: probs(0.3), classes: 2 });
  return pairedBootstrap({
    candidate,
    baseline,
    statistic: macroF1Of,
    resamples: params.evaluate.bootstrap,
    seed: 1,
    alpha: params.evaluate.alpha,
  });
}

describe('every evaluate.alpha the settings accept', () => {
  for (const alpha of [0.05, 0.02, 0.0199, 0.001])
    it(`is reachable by the label-change test and the test split’s at the smallest bootstrap accepted (${alpha})`, async () => {
      const named = /evaluate\.bootstrap to at least ([\d,]+)/.exec(
        await errorOf(`evaluate:\n  bootstrap: 100\n  alpha: ${alpha / 100}\n`),
      );
      expect(named).not.toBeNull();
      // The count the refusal of a smaller alpha names is not the point here: find the smallest accepted one.
      let bootstrap = 100;
      while (2 / (bootstrap + 1) >= alpha) bootstrap++;
      const params = await load(`evaluate:\n  bootstrap: ${bootstrap}\n  alpha: ${alpha}\n  min_change: 0\n`);
      if (bootstrap > 100)
        expect(await errorOf(`evaluate:\n  bootstrap: ${bootstrap - 1}\n  alpha: ${alpha}\n`)).toContain(
          '"evaluate.alpha"',
        );
      const fix = await labelFix(params);
      expect(fix.comparison.pValue).toBeLessThan(alpha);
      expect(fix.comparison.verdict).toBe('better');
      const split = testSplit(params);
      expect(split.pValue).toBeLessThan(alpha);
      expect(split.verdict).toBe('better');
    });

  it('names, when refused, the smallest evaluate.bootstrap that would accept it', async () => {
    for (const alpha of [0.0197, 0.003, 0.00051, 0.002]) {
      const message = await errorOf(`evaluate:\n  bootstrap: 100\n  alpha: ${alpha}\n`);
      const needed = Number(/evaluate\.bootstrap to at least ([\d,]+)/.exec(message)![1]!.replaceAll(',', ''));
      expect((await load(`evaluate:\n  bootstrap: ${needed}\n  alpha: ${alpha}\n`)).evaluate.bootstrap).toBe(needed);
      if (needed - 1 >= 100)
        expect(await errorOf(`evaluate:\n  bootstrap: ${needed - 1}\n  alpha: ${alpha}\n`)).toContain(
          '"evaluate.alpha"',
        );
    }
  });
});
