import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { between } from '../../pipeline/report/markdown.ts';
import { crossValidatedSection } from '../../pipeline/report/mislabelled.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { testerRun } from '../fixtures/tester-run.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * An outside tester changed two demo labels to labels outside the vocabulary ("textile, woven", "vessel🏺"). The
 * report then said "each of the 300 labelled objects … both were scored on the labels now" (298 have a label now),
 * "a change of 0.00, between 0.00 and 0.00 … p = 0.002. **No detectable difference**: a change of +0.003" (rounded
 * and unrounded figures, and a verdict that reads against the p-value beside it), and "(95% range: +0.00; p = 1.000)"
 * for the test split, a range of one value. The figures below are those of that run.
 */

const iv = (value: number, low: number, high: number) => ({ value, low, high });

/** metrics.crossValidated as the tester’s run wrote it: 2 labels made unusable, 300 objects scored. */
function testerMetrics(comparison: Partial<NonNullable<Metrics['crossValidated']>['comparison']> = {}): Metrics {
  return { n: 66, crossValidated: testerRun({ comparison }) } as unknown as Metrics;
}

describe('the figures of a change', () => {
  it('counts the objects scored as they are: labelled now, and those whose label this change took away', () => {
    const md = crossValidatedSection({ metrics: testerMetrics() });
    expect(md).not.toContain('each of the 300 labelled objects');
    expect(md).toContain(
      'each of the 300 objects labelled before or now was predicted by a model that had not seen it; both were ' +
        'scored on the labels now (298 objects) and, for the 2 that have no label the model can use now, on the ' +
        'label they had.',
    );
    // Nothing taken away: every object scored has a label now, as before.
    const none = testerMetrics();
    none.crossValidated!.removed = 0;
    expect(crossValidatedSection({ metrics: none })).toContain(
      'each of the 300 labelled objects was predicted by a model that had not seen it; both were scored on the ' +
        'labels now.',
    );
  });

  it('writes a small change with the decimals it needs, and says why a clear change is too small to matter', () => {
    const md = crossValidatedSection({ metrics: testerMetrics() });
    expect(md).not.toContain('0.00, between 0.00 and 0.00');
    expect(md).toContain('a change of +0.003, between +0.001 and +0.005 (95% range, allowing for the variation');
    // p = 0.002 and the whole range above zero: more than chance, so not "no detectable difference" in bold.
    expect(md).not.toContain('**No detectable difference**');
    expect(md).toContain(
      'p = 0.002 (with no real difference, one this large would turn up by chance about 1 time in 500). ' +
        '**No difference that matters**: the whole range is above zero, so the change is more than chance ' +
        'alone would give, but it is under 0.01 (evaluate.min_change), too small to matter; so the verdict is ' +
        '“no detectable difference”.',
    );
    // A range that reaches across zero is chance, whatever the size.
    const chance = crossValidatedSection({
      metrics: testerMetrics({ difference: iv(0.003, -0.002, 0.008), pValue: 0.31 }),
    });
    expect(chance).toContain(
      'a change of +0.003, between −0.002 and +0.008 (95% range, allowing for the variation between training ' +
        'runs), p = 0.310 (with no real difference, one this large would turn up by chance about 3 times in 10). ' +
        '**No detectable difference**: the change is within what chance alone could give (and ' +
        'under 0.01, evaluate.min_change, too small to matter anyway).',
    );
  });

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
    expect(markdown).toContain(
      'a change of 0.000 (no change in any resample of the test objects; p = 1.000: ' +
        'with no real difference, one this large would turn up by chance nearly always)',
    );
    expect(markdown).toContain(
      'The macro-F1 change is 0.000 in every resample of the test objects, so it has no range.',
    );
  });

  it('calls the range of the test-split change the (1 − evaluate.alpha) interval evaluate used, not always 95%', async () => {
    const objects = demoObjects();
    const head = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects, base: head, head });
    const metrics = await writeStageOutputs({ ws, objects, head });
    const comparison = {
      ...metrics.baseline!.comparison,
      difference: iv(0.028, 0.004, 0.06),
      pValue: 0.08,
      alpha: 0.1,
    };
    await writeStageOutputs({ ws, objects, head, metrics: { baseline: { ...metrics.baseline!, comparison } } });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.comparison?.alpha).toBe(0.1);
    expect(markdown).toContain(
      '(90% range: between +0.00 and +0.06; p = 0.080: with no real difference, one this large would turn up by chance about 1 time in 13)',
    );
    expect(markdown).toContain('The macro-F1 change is between +0.00 and +0.06 (90% range).');
    expect(markdown).not.toContain('(95% range: between');
  });

  // metrics.json written before alpha was stored with each comparison was read as 0.05: a range made at alpha 0.1
  // was called the "95% range".
  it('takes the level of a comparison stored without alpha from params.yaml only when it made metrics.json', async () => {
    const objects = demoObjects();
    const head = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects, base: head, head });
    const params = validateParams({ raw: { train: { epochs: 60 }, evaluate: { alpha: 0.1 } } });
    await writeStageOutputs({ ws, objects, head, params });
    const made = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(made.markdown).toContain('The macro-F1 change is between +0.02 and +0.16 (90% range).');
    // params.yaml changed since (alpha 0.05 now): the level the file was made at is not known, so none is said.
    const now = validateParams({ raw: { train: { epochs: 60 } } });
    const changed = await buildReport({ ws, params: now, base: 'main', log: silentLogger });
    expect(changed.markdown).toContain('The macro-F1 change is between +0.02 and +0.16 (range).');
    expect(changed.markdown).not.toContain('(95% range');
  });
});
