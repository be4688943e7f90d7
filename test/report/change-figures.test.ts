import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { between } from '../../pipeline/report/markdown.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * An outside tester changed two demo labels to labels outside the vocabulary ("textile, woven", "vessel🏺"). The
 * report then said "each of the 300 labelled objects … both were scored on the labels now" (298 have a label now),
 * "a change of 0.00, between 0.00 and 0.00 … p = 0.002. **No detectable difference**: a change of +0.003" (rounded
 * and unrounded figures, and a verdict that reads against the p-value beside it), and "(95% range: +0.00; p = 1.000)"
 * for the test split, a range of one value. The figures below are those of that run.
 */

const iv = (value: number, low: number, high: number) => ({ value, low, high });

describe('the figures of a change', () => {
  it('says when a change is the same in every resample instead of a range of one value', async () => {
    expect(between(0.0201, 0.0249)).toBe('between +0.020 and +0.025');
    const objects = demoObjects();
    const head = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects, base: head, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    const comparison = {
      ...metrics.baseline!.comparison,
      difference: iv(0, 0, 0),
      pValue: 1,
      verdict: 'no detectable difference' as const,
    };
    await writeStageOutputs({ ws, objects, head, metrics: { baseline: { ...metrics.baseline!, comparison } } });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).not.toContain('95% range: +0.00;');
    expect(markdown).toContain('a change of 0.000 (no change in any resample of the test objects; p = 1.000)');
    expect(markdown).toContain(
      'The macro-F1 change is 0.000 in every resample of the test objects, so it has no range.',
    );
  });
});
