import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, type ObjectSpec, writeStageOutputs } from './fixture.ts';

/*
 * A tester changed 650 labels: the comment said "9 of these objects are in the test set; the new model agrees with
 * the new label for 8 of them", counted over the 50 rows it lists, where report.json had 117 changed test objects
 * and 67 agreeing (57%, not 89%). The sentence counts every change.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));

describe('the sentence on changed objects in the test set', () => {
  it('counts every change, not only the rows the comment lists', async () => {
    const many: ObjectSpec[] = Array.from({ length: 70 }, (_, i) => ({
      id: `LG-${String(i).padStart(3, '0')}`,
      title: `Object ${i}`,
      label: 'coin',
      split: 'test',
    }));
    const all = [...objects, ...many];
    const before = { ...correct, ...Object.fromEntries(many.map((o) => [o.id, 'vessel'])) };
    // The first 50 listed agree with the model (it says coin); the 20 past the list do not.
    const head = { ...correct, ...Object.fromEntries(many.map((o, i) => [o.id, i < 50 ? 'coin' : 'mask'])) };
    const { ws } = await makeRepo({ objects: all, base: before, head });
    await writeStageOutputs({ ws, objects: all, head });
    const params = validateParams({ raw: { train: { epochs: 60 }, report: { max_label_changes: 50 } } });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.labels.changes).toHaveLength(70);
    expect(markdown).toContain('…and 20 more');
    expect(markdown).toContain(
      '70 of the changed objects are in the test set; the new model agrees with the new label for 50 of them.',
    );
  });
});
