import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Tester T1 (MED-1): with "Tile" and "Bowl" being built up and set aside, only "Spear" was left, and the report still
 * said "✅ No detectable difference" over "each of the 24 labelled objects" (65 were labelled), "a change of
 * 0.000000", and "TM-030 goes from 1.00 to 1.00". Evaluate now records that the change was not judged on every
 * labelled object (metrics.crossValidatedNotJudged, no crossValidated): the report says so and why, with how many
 * objects each label needs, and its verdict is the test split's.
 */

const vocabulary = ['coin', 'mask', 'print'];
const objects = demoObjects().filter((o) => vocabulary.includes(o.label));
const head = Object.fromEntries(objects.map((o) => [o.id, o.label]));
// Two masks and two prints newly labelled here: 6 objects of each now, 4 before.
const unlabelledBefore = objects.filter((o) => o.label !== 'coin' && o.split === 'train').map((o) => o.id);
const base = Object.fromEntries(Object.entries(head).filter(([id]) => !unlabelledBefore.includes(id)));
const params = validateParams({ raw: { train: { epochs: 60 } } });

const notJudged: Partial<Metrics> = {
  newLabels: {
    minTestPerClass: 5,
    testShare: 0.2,
    labels: [
      { label: 'mask', objects: 6, before: 4, test: 2 },
      { label: 'print', objects: 6, before: 4, test: 2 },
    ],
  },
  crossValidatedNotJudged: {
    base: { ref: 'main', commit: 'a'.repeat(40) },
    changed: 4,
    setAside: ['mask', 'print'],
    left: ['coin'],
  },
};

describe('the report of a change whose labels being built up leave fewer than two labels to judge it on', () => {
  it('says it is not judged on every labelled object and why, and its verdict is the test split one', async () => {
    const repo = await makeRepo({ objects, base, head });
    await writeStageOutputs({ ws: repo.ws, objects, head, vocabulary, metrics: notJudged });
    expect(unlabelledBefore).toHaveLength(4);
    const { markdown, json } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    // The test split's verdict (the fixture's: better, p = 0.012), not one from every labelled object.
    expect(json.verdict).toBe('better');
    const top = markdown.split('\n\n').slice(0, 3).join('\n\n');
    expect(top).toContain('Label about 20 more “mask” objects');
    expect(top).toContain(
      'The change of 4 labels is not judged on every labelled object yet: “mask” and “print” are labels being built ' +
        'up, too few objects to judge yet, and are left out of that comparison, which leaves only “coin”.',
    );
    expect(top).toContain('The verdict rests on the test objects alone.');
    // Not the words of a comparison that was made.
    expect(markdown).not.toContain('the verdict leaves them out of both');
    expect(markdown).not.toContain('### Judged on every labelled object');
    expect(markdown).not.toMatch(/probability of 1\.00/);
  });
});
