import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Tester T7 (HIGH): a new label on five objects (helmet mask, split from mask) was reported "❌ Worse", and the run
 * log's "only 2 in the test split" was nowhere in the report. The report now says at its top that the label is new
 * and too thin to judge yet, and about how many more objects it needs.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });

describe('the report of a change that starts a label', () => {
  it('says near the top that the label is new, too few to judge yet, and about how many more to label', async () => {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    await writeStageOutputs({
      ws: repo.ws,
      objects,
      head: labels,
      metrics: {
        newLabels: {
          minTestPerClass: 5,
          testShare: 0.2,
          labels: [{ label: 'helmet mask', objects: 5, before: 0, test: 2 }],
        },
      },
    });
    const { markdown } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    const top = markdown.split('\n\n').slice(0, 2).join('\n\n');
    expect(top).toContain(
      '🌱 “helmet mask” is a new label with 5 objects (2 in the test split): too few to judge yet. Label about 20 ' +
        'more “helmet mask” objects, so that about 5 land in the test split.',
    );
  });

  it('says nothing of it when no label is being built up', async () => {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    await writeStageOutputs({ ws: repo.ws, objects, head: labels });
    const { markdown } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    expect(markdown).not.toContain('🌱');
  });
});
