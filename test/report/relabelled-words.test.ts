import { describe, expect, it } from 'vitest';
import { crossValidatedSection } from '../../pipeline/report/mislabelled.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { testerRun } from '../fixtures/tester-run.ts';

/*
 * The demo’s README label fix (19 labels corrected) had the report say " On the 19 objects relabelled alone: 0.98
 * with the labels before and 0.99 with the labels now." Museum staff could not tell what the two figures were, nor
 * why a fix of 19 labels moved them so little (the model already read most of those objects as their new label).
 */

type Moved = { objects: number; baseline: number; candidate: number };

function section(relabelled: Moved): string {
  return crossValidatedSection({
    metrics: { n: 66, crossValidated: testerRun({ comparison: { relabelled } }) } as Metrics,
  });
}

describe('the objects relabelled, in the report', () => {
  it('says what the two figures measure, and why they barely move when the model read them so already', () => {
    const md = section({ objects: 19, baseline: 0.98, candidate: 0.99 });
    expect(md).not.toContain('relabelled alone');
    expect(md).toContain(
      ' Just the 19 objects relabelled: how well their photographs agree with their new labels goes from 0.98 ' +
        '(model trained on the labels before) to 0.99 (trained on the labels now). Little changes because, even ' +
        'trained on the labels before, the model already read most of these objects as their new label.',
    );
  });

  it('gives no reason when the figures move, and a plain one when the model reads them as another label', () => {
    const moved = section({ objects: 12, baseline: 0.17, candidate: 0.54 });
    expect(moved).toContain(
      ' Just the 12 objects relabelled: how well their photographs agree with their new labels goes from 0.17 ' +
        '(model trained on the labels before) to 0.54 (trained on the labels now).\n',
    );
    const one = section({ objects: 1, baseline: 0.44, candidate: 0.42 });
    expect(one).toContain(
      ' Just the object relabelled: how well its photograph agrees with its new label goes from 0.44 (model ' +
        'trained on the labels before) to 0.42 (trained on the labels now). Little changes: the labels now do not ' +
        'change how the model reads this photograph.',
    );
  });
});
