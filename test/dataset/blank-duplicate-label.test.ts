import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * A tester's labels.csv with "DM-0003,print" on line 4 and, later, "DM-0003," (the label cell of a copied row
 * blanked in Excel): no warning, and DM-0003 stayed "print". Two lines for one object with different labels
 * leave it unlabelled, with a warning on the extra line ("we do not guess"); a blank label is a different
 * label here, and blanking the cell most likely meant to remove the label. Failed before the fix.
 */

afterAll(removeTempDirs);

const objects = ['a1', 'a2', 'a3', 'a4'].map((id) => object(id));

describe('an object on two lines of labels.csv, one of them with the label cell empty', () => {
  it('is left unlabelled, as for two different labels, with a warning naming both lines', async () => {
    const ws = await makeCollection({
      objects,
      labelsText: 'object_id,label\na1,coin\na2,mask\na3,vessel\na4,coin\na3,\n',
    });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.objects.find((o) => o.id === 'a3')!.label).toBeNull();
    expect(dataset.issues.map((i) => [i.code, i.line, i.object])).toEqual([['LABEL_DUPLICATE', 6, 'a3']]);
    expect(dataset.issues[0]!.message).toBe(
      'labels.csv:6: object "a3" is on 2 lines, line 4 "vessel" and line 6 with the label cell empty: it is left ' +
        'unlabelled until only one line is left, as for two different labels. If the label was emptied to remove ' +
        'it, delete line 4 as well; if not, delete line 6.',
    );
    expect(log.lines.some((l) => l.level === 'warn' && l.message.startsWith('labels.csv:6: object "a3"'))).toBe(true);
  });

  it('the same when the empty line comes first', async () => {
    const ws = await makeCollection({ objects, labelsText: 'object_id,label\na3,\na1,coin\na3,vessel\n' });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.objects.find((o) => o.id === 'a3')!.label).toBeNull();
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([['LABEL_DUPLICATE', 4]]);
    expect(dataset.issues[0]!.message).toContain('line 2 with the label cell empty and line 4 "vessel"');
    expect(dataset.issues[0]!.message).toContain('delete line 4 as well; if not, delete line 2.');
  });

  it('an empty label alone, or twice, still just means unlabelled, without a warning', async () => {
    const ws = await makeCollection({ objects, labelsText: 'object_id,label\na1,coin\na2,\na3,\na3,\n' });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues).toEqual([]);
    expect(dataset.objects.map((o) => o.label)).toEqual(['coin', null, null, null]);
  });

  it('three lines, two labels and an empty one: every line listed', async () => {
    const ws = await makeCollection({ objects, labelsText: 'object_id,label\na1,coin\na3,vessel\na3,\na3,vessel\n' });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.objects.find((o) => o.id === 'a3')!.label).toBeNull();
    expect(dataset.issues.map((i) => i.line)).toEqual([4, 5]);
    expect(dataset.issues[0]!.message).toContain(
      'is on 3 lines with different labels (line 3 "vessel", line 4 with the label cell empty and line 5 "vessel")',
    );
  });
});
