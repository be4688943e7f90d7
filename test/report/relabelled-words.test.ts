import { describe, expect, it } from 'vitest';
import { crossValidatedSection } from '../../pipeline/report/mislabelled.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { testerRun } from '../fixtures/tester-run.ts';

/*
 * The demo’s README label fix (19 labels corrected) had the report say " On the 19 objects relabelled alone: 0.98
 * with the labels before and 0.99 with the labels now." Museum staff could not tell what the two figures were, nor
 * why a fix of 19 labels moved them so little (the model already read most of those objects as their new label).
 */

type Moved = { objects: number; baseline: number; candidate: number; counts?: boolean };
const iv = (value: number, low: number, high: number) => ({ value, low, high });

function section(relabelled: Moved, comparison: object = {}): string {
  return crossValidatedSection({
    metrics: { n: 66, crossValidated: testerRun({ comparison: { relabelled, ...comparison } }) } as Metrics,
  });
}

/** The paragraph with the verdict and the objects relabelled. */
function paragraph(relabelled: Moved, comparison: object = {}): string {
  return section(relabelled, comparison)
    .split('\n')
    .find((line) => line.startsWith('On average'))!;
}

describe('the objects relabelled, in the report', () => {
  it('says what the two figures measure, and why they barely move when the model read them so already', () => {
    const md = section({ objects: 19, baseline: 0.981, candidate: 0.984 });
    expect(md).not.toContain('relabelled alone');
    expect(md).toContain(
      ' Just the 19 objects relabelled: how well their photographs agree with their new labels goes from 0.98 ' +
        '(model trained on the labels before) to 0.98 (trained on the labels now). Little changes because, even ' +
        'trained on the labels before, the model already read most of these objects as their new label.',
    );
  });

  it('gives no reason when the figures move, nor one that only says again that they barely move', () => {
    const moved = section({ objects: 12, baseline: 0.17, candidate: 0.54 });
    expect(moved).toContain(
      ' Just the 12 objects relabelled: how well their photographs agree with their new labels goes from 0.17 ' +
        '(model trained on the labels before) to 0.54 (trained on the labels now).\n',
    );
    // "Little changes: the labels now do not change how the model reads this photograph" said the figures again.
    const one = section({ objects: 1, baseline: 0.44, candidate: 0.44 });
    expect(one).toContain(
      ' Just the object relabelled: how well its photograph agrees with its new label goes from 0.44 (model ' +
        'trained on the labels before) to 0.44 (trained on the labels now).\n',
    );
    expect(one).not.toContain('Little');
  });

  it('never says little changes when the change of the objects relabelled is what made the verdict', () => {
    // A reviewer: 30 of 300 relabelled, 0.30 to 0.34, made "Better" (+0.006 over every object, under 0.01), and
    // the same paragraph said "Little changes: the labels now do not change how the model reads these photographs".
    const better = { verdict: 'better', difference: iv(0.006, 0.003, 0.009), pValue: 0.002 };
    const worse = { verdict: 'worse', difference: iv(-0.006, -0.009, -0.003), pValue: 0.002 };
    for (const [baseline, candidate, comparison] of [
      [0.3, 0.34, better],
      [0.82, 0.86, better],
      [0.4, 0.36, worse],
    ] as const) {
      const text = paragraph({ objects: 30, baseline, candidate, counts: true }, comparison);
      expect(text).toContain(`**${comparison.verdict === 'better' ? 'Better' : 'Worse'}**`);
      expect(text).toContain(`to ${candidate.toFixed(2)} (trained on the labels now).`);
      expect(text).not.toContain('Little');
    }
    // Under evaluate.min_change, as the report prints them: 0.7951 and 0.8449 read 0.80 and 0.84 (a change of 0.04),
    // under 0.05 but over 0.01.
    const printed = { objects: 5, baseline: 0.7951, candidate: 0.8449 };
    expect(paragraph(printed, { minChange: 0.05 })).toContain(
      'goes from 0.80 (model trained on the labels before) to 0.84 (trained on the labels now). Little changes ' +
        'because, even trained on the labels before, the model already read most of these objects as their new label.',
    );
    expect(paragraph(printed)).not.toContain('Little');
    // 0.98 to 0.99 is a change of evaluate.min_change itself (0.01): not little.
    expect(paragraph({ objects: 19, baseline: 0.98, candidate: 0.99 })).not.toContain('Little');
  });
});
