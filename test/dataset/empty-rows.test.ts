import { afterAll, describe, expect, it } from 'vitest';
import { formatObjects, parseLabels, parseObjects } from '../../pipeline/collection/index.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * An outside tester: rows of empty cells in labels.csv (a line "," or ",,", several at the end, as a spreadsheet
 * leaves below the last row) stopped the whole run with "labels.csv:302: this line has a label but no object id",
 * which is false: there is no label. They are skipped and said once, with their lines, as "vitrine import" does for
 * an export's (docs/import.md); a line with a label but no id keeps its error. The same for data/objects.csv.
 */

afterAll(removeTempDirs);

const objects = ['a1', 'a2', 'a3'].map((id) => object(id));

describe('rows of empty cells in labels.csv', () => {
  it('at the end are skipped, and said once with their lines', async () => {
    const ws = await makeCollection({ objects, labelsText: 'object_id,label\na1,coin\na2,mask\n,\n,\n,\n' });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.issues).toEqual([]);
    expect(dataset.objects.map((o) => o.label)).toEqual(['coin', 'mask', null]);
    const said = log.lines.filter((l) => l.message.includes('empty'));
    expect(said).toEqual([
      {
        level: 'info',
        message:
          '3 rows of labels.csv are empty (lines 4, 5 and 6: only separators, as a spreadsheet leaves below the last ' +
          'row): skipped.',
      },
    ]);
  });

  it('between rows, and with a column of the staff’s own, are skipped too', async () => {
    const labelsText = 'object_id,label,note\r\na1,coin,\r\n,,\r\n  , ,\r\na3,vessel,checked\r\n';
    const ws = await makeCollection({ objects, labelsText });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.issues).toEqual([]);
    expect(dataset.objects.map((o) => o.label)).toEqual(['coin', null, 'vessel']);
    expect(log.lines.filter((l) => l.message.includes('empty')).map((l) => l.message)).toEqual([
      expect.stringMatching(/^2 rows of labels\.csv are empty \(lines 3 and 4: /),
    ]);
  });

  it('with more or fewer empty cells than the header has are skipped too', async () => {
    const ws = await makeCollection({ objects, labelsText: 'object_id,label\na1,coin\n,,\n,,,\na2,mask\n' });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.issues).toEqual([]);
    expect(dataset.objects.map((o) => o.label)).toEqual(['coin', 'mask', null]);
    expect(log.lines.filter((l) => l.message.includes('empty')).map((l) => l.message)).toEqual([
      expect.stringMatching(/^2 rows of labels\.csv are empty \(lines 3 and 4: /),
    ]);
    // A row with a cell too many that is not empty keeps its error; so does a line of spaces between rows.
    for (const [text, says] of [
      ['object_id,label\na1,coin,old\n', /^labels\.csv:2: line 2 has 3 cells, the header has 2/],
      ['object_id,label\na1,coin\n  \na2,mask\n', /^labels\.csv:3: line 3 holds only spaces or tabs: delete it/],
    ] as const)
      expect(() => parseLabels({ text, file: 'labels.csv' })).toThrow(says);
  });

  it('a line with a label but no object id keeps its error', () => {
    let error: unknown;
    try {
      parseLabels({ text: 'object_id,label\na1,coin\n,coin\n,\n', file: 'labels.csv' });
    } catch (e) {
      error = e;
    }
    expect(isVitrineError(error, 'LABEL_ID_MISSING')).toBe(true);
    expect((error as Error).message).toMatch(/^labels\.csv:3: this line has a label but no object id/);
  });

  it('a line with only a note of the staff’s own is not said to have a label', () => {
    let error: unknown;
    try {
      parseLabels({ text: 'object_id,label,note\na1,coin,\n,,ask Jo\n', file: 'labels.csv' });
    } catch (e) {
      error = e;
    }
    expect(isVitrineError(error, 'LABEL_ID_MISSING')).toBe(true);
    expect((error as Error).message).not.toContain('has a label');
    expect((error as Error).message).toMatch(/^labels\.csv:3: this line has no object id and no label/);
  });

  it('and nothing else: the file is said to have no labels, not rows without a label', async () => {
    const ws = await makeCollection({ objects, labelsText: 'object_id,label\n,\n,\n' });
    const error = await buildDataset({ ws, params: testParams(), log: memoryLogger() }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    expect((error as Error).message).toMatch(/^labels\.csv has no rows below its header/);
  });
});

describe('rows of empty cells in data/objects.csv', () => {
  it('are skipped by the collection reader, with their lines given', () => {
    const text = `${formatObjects({ objects })},,,,,,,,,\n,,,,,,,,,\n`;
    const emptyRows: number[] = [];
    const { objects: read } = parseObjects({ text, file: 'data/objects.csv', emptyRows });
    expect(read.map((o) => o.id)).toEqual(['a1', 'a2', 'a3']);
    expect(emptyRows).toEqual([5, 6]);
  });

  it('are no problem for the dataset stage, and said once', async () => {
    const objectsText = `${formatObjects({ objects })},,,,,,,,,\n`;
    const ws = await makeCollection({ objects, objectsText, labelsText: 'object_id,label\na1,coin\n' });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.issues).toEqual([]);
    expect(dataset.objects.map((o) => o.id)).toEqual(['a1', 'a2', 'a3']);
    expect(log.lines.filter((l) => l.message.includes('empty')).map((l) => l.message)).toEqual([
      expect.stringMatching(/^1 row of data\/objects\.csv is empty \(line 5: /),
    ]);
  });

  it('a row with cells but no id is still a problem', async () => {
    const objectsText = `${formatObjects({ objects })},A title,,,,,,,,\n`;
    const ws = await makeCollection({ objects, objectsText, labelsText: 'object_id,label\na1,coin\n' });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([['OBJECT_ID_MISSING', 5]]);
  });
});
