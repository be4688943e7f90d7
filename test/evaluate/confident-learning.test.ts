import { describe, expect, it } from 'vitest';
import {
  confidentJoint,
  confidentThresholds,
  findLabelIssues,
  normalizedMargin,
  roundPreservingRowTotals,
} from '../../pipeline/review/confident-learning.ts';

/*
 * Confident learning worked by hand on a small example (the numbers below follow cleanlab's
 * compute_confident_joint / find_label_issues(filter_by="prune_by_noise_rate") step by step).
 */

const y = [0, 0, 0, 1, 1, 2, 2];
const probs = [
  [0.9, 0.05, 0.05],
  [0.8, 0.1, 0.1],
  [0.1, 0.85, 0.05], // labelled 0, looks like a 1
  [0.1, 0.8, 0.1],
  [0.2, 0.7, 0.1], // labelled 1, not confidently anything
  [0.1, 0.1, 0.8],
  [0.5, 0.1, 0.4], // labelled 2, more like a 0 but below class 0's threshold
];

describe('confident learning', () => {
  it('sets each class threshold at the mean self-confidence of the objects with that label', () => {
    const t = confidentThresholds({ y, probs, classes: 3 });
    expect(t[0]).toBeCloseTo(0.6, 12);
    expect(t[1]).toBeCloseTo(0.75, 12);
    expect(t[2]).toBeCloseTo(0.6, 12);
  });

  it('counts the calibrated confident joint', () => {
    // Raw: object 2 → (0, 1); object 6 (p0 0.5 < 0.6, p2 0.4 < 0.6) counts nowhere; object 4 nowhere.
    // Rows calibrated to the label counts (3, 2, 2): [2,1,0], [0,2,0], [0,0,2].
    expect(confidentJoint({ y, probs, classes: 3 })).toEqual([
      [2, 1, 0],
      [0, 2, 0],
      [0, 0, 2],
    ]);
  });

  it('flags the objects with the largest margin for each off-diagonal count, and ranks by normalized margin', () => {
    const issues = findLabelIssues({ y, probs, classes: 3 });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ index: 2, given: 0, suggested: 1 });
    expect(issues[0]!.score).toBeCloseTo(1 - (0.1 - 0.85 + 1) / 2, 12);
  });

  it('never flags an object the model agrees with, and ranks the surest errors first', () => {
    // Two clear errors of different strength in a larger set.
    const ys: number[] = [];
    const ps: number[][] = [];
    for (let i = 0; i < 10; i++) {
      ys.push(0, 1);
      ps.push([0.9, 0.1], [0.1, 0.9]);
    }
    ys.push(0, 0, 0);
    ps.push([0.3, 0.7], [0.05, 0.95], [0.08, 0.92]);
    const issues = findLabelIssues({ y: ys, probs: ps, classes: 2 });
    // Object 20 (p1 0.7) is below class 1's threshold (0.9): not confidently a 1, so not flagged.
    expect(issues.map((i) => i.index)).toEqual([21, 22]);
    expect(issues.every((i) => ps[i.index]![i.given]! < ps[i.index]![i.suggested]!)).toBe(true);
  });

  it('normalized margin and rounding helpers', () => {
    expect(normalizedMargin([0.2, 0.5, 0.3], 1)).toBeCloseTo(0.6, 12);
    expect(normalizedMargin([0.2, 0.5, 0.3], 0)).toBeCloseTo(0.35, 12);
    expect(roundPreservingRowTotals([[0.4, 0.4, 1.2]])).toEqual([[1, 0, 1]]);
  });
});
