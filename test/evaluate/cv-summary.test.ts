import { describe, expect, it } from 'vitest';
import { crossValidatedSummary } from '../../pipeline/evaluate/label-change.ts';
import { testerRun } from '../fixtures/tester-run.ts';

const iv = (value: number, low: number, high: number) => ({ value, low, high });

/*
 * An outside tester changed two demo labels to labels outside the vocabulary. The report was fixed to say the change
 * with the decimals that show it, "no difference that matters" beside p = 0.002, and which labels the 300 objects
 * were scored on; the evaluate stage’s summary line (the run log, and the report’s "Where this result comes from")
 * still said "on all 300 labelled objects (cross-validated, 2 labels removed …): no detectable difference
 * (p = 0.002; …)". The figures below are those of that run.
 */

describe('the evaluate summary of the comparison on every labelled object', () => {
  it('says what the report says: the objects scored, the change’s decimals, and why p = 0.002 is no difference', () => {
    const summary = crossValidatedSummary(testerRun());
    expect(summary).not.toContain('all 300 labelled objects');
    expect(summary).not.toContain('no detectable difference (p = 0.002');
    expect(summary).toBe(
      'on the 300 objects labelled before or now (cross-validated, 2 labels removed since main where this branch ' +
        'left it; scored on the labels now (298 objects) and, for the 2 that have no label the model can use now, ' +
        'on the label they had): no difference that matters (p = 0.002: ' +
        'with no real difference, one this large would turn up by chance about 1 time in 500; ' +
        'a change of +0.003, between +0.001 and ' +
        '+0.005: the whole range is above zero, so the change is more than chance alone would give, but it is ' +
        'under 0.01 (evaluate.min_change), too small to matter; so the verdict is “no detectable difference”)',
    );
  });

  it('keeps a clear verdict short, and says when every resample gave the same change', () => {
    const better = testerRun({ comparison: { difference: iv(0.052, 0.031, 0.074), verdict: 'better' } });
    better.removed = 0;
    better.changed = 19;
    expect(crossValidatedSummary(better)).toBe(
      'on the 300 labelled objects (cross-validated, 19 labels changed since main where this branch left it): ' +
        'better (p = 0.002: with no real difference, one this large would turn up by chance about 1 time in 500; ' +
        'a change of +0.05, between +0.03 and +0.07)',
    );
    const same = testerRun({ comparison: { difference: iv(0, 0, 0), pValue: 1 } });
    expect(crossValidatedSummary(same)).toContain(
      'no detectable difference (p = 1.000: with no real difference, one this large would turn up by chance nearly ' +
        'always; a change of 0.00, the same in every resample of the objects, so no ' +
        'range: the change is within what chance alone could give (and under 0.01, evaluate.min_change, too small ' +
        'to matter anyway))',
    );
  });
});
