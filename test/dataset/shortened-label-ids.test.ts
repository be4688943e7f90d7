import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * labels.csv opened and saved in Excel: 1987.10 became 1987.1 and 1987.20 became 1987.2, each now a second line of
 * another object. The only message was "object "1987.1" is on 2 lines… Keep one line, with the right label, and
 * delete the others" (or "labelled twice… delete the others"): following it lost 1987.10's label for good, and
 * 1987.20 silently became unlabelled. Failed before the fix.
 */

afterAll(removeTempDirs);

const objects = ['1987.1', '1987.10', '1987.2', '1987.20', 'a1'].map((id) => object(id));

describe('accession numbers a spreadsheet shortened in labels.csv', () => {
  it('says which object the repeated line probably is, and not to delete it', async () => {
    const ws = await makeCollection({
      objects,
      labelsText: 'object_id,label\n1987.1,coin\n1987.1,mask\n1987.2,vessel\n1987.2,vessel\na1,coin\n',
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    const issues = dataset.issues.filter((i) => i.code === 'LABEL_DUPLICATE');
    expect(issues.map((i) => [i.line, i.object])).toEqual([
      [3, '1987.1'],
      [5, '1987.2'],
    ]);
    expect(issues[0]!.message).toContain(
      'labels.csv:3: a spreadsheet probably shortened 1987.10 to 1987.1: line 3 is probably object 1987.10; ' +
        'write its id back as 1987.10 (format the id column as text)',
    );
    expect(issues[1]!.message).toContain(
      'labels.csv:5: a spreadsheet probably shortened 1987.20 to 1987.2: line 5 is probably object 1987.20; ' +
        'write its id back as 1987.20 (format the id column as text)',
    );
    for (const issue of issues) expect(issue.message).not.toMatch(/delete/i);
    // Two different labels: we still do not guess which is 1987.1's.
    expect(dataset.objects.find((o) => o.id === '1987.1')!.label).toBeNull();
    expect(dataset.objects.find((o) => o.id === '1987.2')!.label).toBe('vessel');
  });

  // A reviewer: a third line outside the vocabulary ("Coin") was left out of the lines listed as disagreeing.
  it('lists every line of the object as disagreeing, its line outside the vocabulary too', async () => {
    const ws = await makeCollection({
      objects,
      labelsText: 'object_id,label\n1987.1,coin\n1987.1,Coin\n1987.1,mask\na1,vessel\n',
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    const line4 = dataset.issues.find((i) => i.line === 4)!;
    expect(line4.message).toContain(
      '(its lines disagree: line 2 "coin", line 3 "Coin", line 4 "mask") and 1987.10 has no label.',
    );
  });

  it('names every candidate when several objects could have been shortened to the id', async () => {
    const ws = await makeCollection({
      objects: ['1987.1', '1987.10', '1987.100', 'a1'].map((id) => object(id)),
      labelsText: 'object_id,label\n1987.1,coin\n1987.1,mask\na1,vessel\n',
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => i.message)).toEqual([
      expect.stringContaining(
        'labels.csv:3: a spreadsheet probably shortened 1987.10 or 1987.100 to 1987.1: line 3 is probably object ' +
          '1987.10 or 1987.100;',
      ),
    ]);
  });

  // A spreadsheet saves every number of the column so: 1987.30 with its last zero says none saved labels.csv.
  it('keeps the usual advice when another id of labels.csv kept its last zero', async () => {
    const ws = await makeCollection({
      objects: ['1987.1', '1987.10', '1987.30', 'a1'].map((id) => object(id)),
      labelsText: 'object_id,label\n1987.1,coin\n1987.1,mask\n1987.30,vessel\n',
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([['LABEL_DUPLICATE', 3]]);
    expect(dataset.issues[0]!.message).not.toMatch(/spreadsheet/);
    expect(dataset.issues[0]!.message).toContain('Keep one line, with the right label, and delete the others.');
  });

  it('keeps the usual advice when the longer id has a line of its own', async () => {
    const ws = await makeCollection({
      objects,
      labelsText: 'object_id,label\n1987.1,coin\n1987.1,mask\n1987.10,vessel\n',
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([['LABEL_DUPLICATE', 3]]);
    expect(dataset.issues[0]!.message).toContain('Keep one line, with the right label, and delete the others.');
  });
});
