import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/* Counts of one read "1 object", not "1 objects" (a tester saw "1 labels changed since the commit of v1.1.0"). */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });

describe('counts of one in the report', () => {
  it('one test object, one training object, one validation object', async () => {
    const { ws } = await makeRepo({ objects, base: { ...labels, 'DM-0007': 'coin' }, head: labels });
    const interval = (value: number) => ({ value, low: value - 0.05, high: Math.min(1, value + 0.05) });
    const crossValidated = {
      base: { ref: 'main', commit: 'a'.repeat(40) },
      changed: 1,
      objects: 40,
      k: 5,
      candidate: interval(0.95),
      baseline: interval(0.9),
      probability: { candidate: 0.97, baseline: 0.88, trainingSd: 0.004 },
      comparison: {
        metric: 'probability' as const,
        difference: interval(0.05),
        pValue: 0.01,
        test: 'paired bootstrap',
        verdict: 'better' as const,
      },
    };
    await writeStageOutputs({
      ws,
      objects,
      head: labels,
      metrics: { n: 1, crossValidated },
      model: { trainCount: 1, validationCount: 1 },
    });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain('The model was tested on 1 object of');
    expect(markdown).toContain('The test split holds 1 object, too few to judge a change of 1 label on its own.');
    expect(markdown).toContain('1 object trained the model and 1 checked it');
    expect(markdown).not.toMatch(/\b1 (objects|labels|changes)\b/);
  });
});
