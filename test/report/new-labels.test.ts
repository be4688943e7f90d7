import { describe, expect, it } from 'vitest';
import { labelsBeingBuilt } from '../../pipeline/evaluate/new-labels.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { newLabelsNote } from '../../pipeline/report/new-labels.ts';
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
      '🌱 “helmet mask” is a new label with 5 objects (2 in the test split): too few to judge yet. Label about 21 ' +
        'more “helmet mask” objects: from 26 objects on, or once 5 are in the test split, it is judged like every ' +
        'other label.',
    );
  });

  it('says nothing of it when no label is being built up', async () => {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    await writeStageOutputs({ ws: repo.ws, objects, head: labels });
    const { markdown } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    expect(markdown).not.toContain('🌱');
  });
});

// Reviewer V15 (MED): with dataset.min_test_per_class 20 the note said "Label about 80 more", but a label of more than
// 25 objects is judged like the others (evaluate/new-labels.ts): staff trusting "until then" met a failing gate.
describe('how many more objects the note asks for', () => {
  const settings = [
    [5, 0.2],
    [20, 0.2],
    [10, 0.2],
    [5, 0.1],
    [2, 0.2],
  ] as const;
  it.each(settings)('is where the label starts to be judged (min_test_per_class %d, split.test %d)', (min, share) => {
    const built = (n: number) =>
      labelsBeingBuilt({
        labels: ['medal'],
        objects: Array.from({ length: n }, () => ({ split: 'train', now: 'medal', before: null })),
        base: true,
        minTestPerClass: min,
        testShare: share,
      });
    for (let n = 1; built(n).length === 1; n++) {
      const note = newLabelsNote({ newLabels: { minTestPerClass: min, testShare: share, labels: built(n) } });
      const more = Number(note.match(/Label about (\d+) more/)?.[1]);
      expect(built(n + more - 1), note).toHaveLength(1);
      expect(built(n + more), note).toEqual([]);
    }
  });
});
