import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { formatObjects, parseObjects } from '../../pipeline/collection/index.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { datasetFile } from '../../pipeline/dataset/read.ts';
import { parseObjectsChecked } from '../../pipeline/dataset/validate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { cpuMilliseconds } from '../fixtures/cpu-time.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * An outside tester: a misspelt heading in data/objects.csv ("titel" for "title") built the dataset with every title
 * empty and the column kept as an extra one, exit 0: the public catalogue would lose every title. "imgae" for
 * "image" gave a warning "has no image" per object and then "none of the labels could be used", never naming the
 * column. A heading that is a near miss of one of Vitrine's columns, when that column is absent, now stops the
 * dataset stage before anything is written, naming the file, line 1, the heading, its column and what it looks like.
 */

afterAll(removeTempDirs);

const objects = ['a1', 'a2', 'a3'].map((id) => object(id));
const labels = [
  { objectId: 'a1', label: 'coin' },
  { objectId: 'a2', label: 'mask' },
];
const good = formatObjects({ objects });

async function refusal(run: () => Promise<unknown>): Promise<Error & { data: Record<string, unknown> }> {
  try {
    await run();
  } catch (error) {
    if (isVitrineError(error, 'CSV_COLUMNS')) return error as Error & { data: Record<string, unknown> };
    throw error;
  }
  throw new Error('expected data/objects.csv to be refused');
}

describe('a misspelt heading in data/objects.csv', () => {
  it('"titel" for "title" stops the dataset stage, and the dataset built before is kept as it was', async () => {
    const ws = await makeCollection({ objects, labels });
    await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    const before = await readFile(datasetFile(ws), 'utf8');
    await writeFile(ws.objects, good.replace(/^id,title,/, 'id,titel,'));
    const log = memoryLogger();
    const error = await refusal(() => buildDataset({ ws, params: testParams(), log }));
    expect(error.message).toMatch(/^data\/objects\.csv:1: the heading "titel" \(column 2\) looks like "title"/);
    expect(error.message).toContain('Did you mean "title"?');
    expect(error.data).toMatchObject({ file: 'data/objects.csv', line: 1, column: 'titel', meant: 'title' });
    expect(await readFile(datasetFile(ws), 'utf8')).toBe(before);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('"imgae" for "image" is named once, before any object is said to have no image', async () => {
    const ws = await makeCollection({ objects, labels, objectsText: good.replace(/,image\n/, ',imgae\n') });
    const log = memoryLogger();
    const error = await refusal(() => buildDataset({ ws, params: testParams(), log }));
    expect(error.message).toMatch(/^data\/objects\.csv:1: the heading "imgae" \(column 10\) looks like "image"/);
    expect(log.lines.filter((l) => /has no image/.test(l.message))).toEqual([]);
  });

  it('two misspelt headings are named in one message; capitals count as a near miss too', async () => {
    const text = good.replace(/^id,title,maker,/, 'id,Title,Maker,').replace(/,image\n/, ',imgae\n');
    const ws = await makeCollection({ objects, labels, objectsText: text });
    const error = await refusal(() => buildDataset({ ws, params: testParams(), log: memoryLogger() }));
    expect(error.message).toMatch(
      /^data\/objects\.csv:1: the headings "Title" \(column 2\), "Maker" \(column 3\) and "imgae" \(column 10\)/,
    );
    expect(error.message).toContain('"title", "maker" and "image"');
  });

  it('keeps a museum’s own columns that look like an optional one or extend a name, as before', async () => {
    // A reviewer: "dated", "makers", "credit" (no date, maker or credit_line column) stopped the stage.
    const text =
      'id,title,image,dated,makers,credit,da\na1,Jug,images/a1.png,1900,Smith,Gift,x\na2,Cup,images/a2.png,,,,\n';
    const ws = await makeCollection({ objects: objects.slice(0, 2), labels, objectsText: text });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.objects[0]!.extra).toEqual({ dated: '1900', makers: 'Smith', credit: 'Gift', da: 'x' });
  });

  it('is no error when the real column is there too, or when the heading is like none of them', async () => {
    const text = 'id,title,titles,image,notes\na1,Jug,Jugs,images/a1.png,x\na2,Cup,,images/a2.png,\n';
    const ws = await makeCollection({ objects: objects.slice(0, 2), labels, objectsText: text });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.objects.map((o) => [o.title, o.extra])).toEqual([
      ['Jug', { titles: 'Jugs', notes: 'x' }],
      ['Cup', { titles: '', notes: '' }],
    ]);
  });

  it('"ID" for "id": the missing id column says which heading looks like it', () => {
    let caught: unknown;
    try {
      parseObjects({ text: 'ID,title\na1,Jug\n', file: 'data/objects.csv' });
    } catch (error) {
      caught = error;
    }
    expect(isVitrineError(caught, 'CSV_COLUMNS')).toBe(true);
    expect((caught as Error).message).toMatch(
      /^data\/objects\.csv:1: the header has no "id" column \(found: ID, title\)/,
    );
    expect((caught as Error).message).toContain('The heading "ID" (column 1) looks like "id"');
  });

  it('a header of thousands of long headings is checked at once, not letter by letter against every column', async () => {
    // Compared letter by letter with every column, 5,000 headings of 1,000 characters took 23 s.
    const header = ['id', ...Array.from({ length: 5_000 }, (_, i) => `h${i}${'x'.repeat(1_000)}`)];
    const text = `${header.join(',')}\n${header.map((_, i) => (i === 0 ? 'a1' : '')).join(',')}\n`;
    let read: { id: string }[] = [];
    const cpu = await cpuMilliseconds(() => {
      read = parseObjectsChecked({ text, name: 'data/objects.csv', refuseMisspelt: true }).objects;
    });
    expect(cpu).toBeLessThan(3_000);
    expect(read.map((o) => o.id)).toEqual(['a1']);
  });

  it('the base of a pull request is still read (the pull request may be what corrects it)', () => {
    const { objects: read } = parseObjectsChecked({ text: 'id,titel\na1,Jug\n', name: 'data/objects.csv (base)' });
    expect(read.map((o) => o.id)).toEqual(['a1']);
  });
});

describe('a misspelt heading in labels.csv', () => {
  it('already stops the stage, naming labels.csv and line 1 (checked here, not changed)', async () => {
    const ws = await makeCollection({ objects, labelsText: 'object_id,lable\na1,coin\n' });
    let caught: unknown;
    try {
      await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    } catch (error) {
      caught = error;
    }
    expect(isVitrineError(caught, 'LABELS_HEADER')).toBe(true);
    expect((caught as Error).message).toBe(
      'labels.csv:1: the first line must be "object_id,label" (found "object_id,lable").',
    );
  });
});
