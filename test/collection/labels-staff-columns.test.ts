import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { colourFor, makeCollection, object, removeTempDirs, solidImage, tempDir } from '../dataset/fixtures.ts';

/*
 * Staff keep columns of their own in labels.csv (a note, who checked it). A staff tester added "notes" to the
 * header and wrote a note on one line: the file was refused until every other line got a comma of its own (300
 * lines edited by hand to say nothing). A line short only of those columns is now read, their cells empty. A line
 * short of its label is still refused: a label left out is not the same as a note left out.
 */

afterAll(removeTempDirs);

const NOTED = 'object_id,label,notes\nA1,coin\nA2,mask,cleaned in 2024\nA3,coin\n';

function refusal(text: string): { code: string; message: string } {
  try {
    parseLabels({ text, file: 'labels.csv' });
  } catch (error) {
    if (isVitrineError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('labels.csv was read');
}

describe('labels.csv with columns of the staff’s own', () => {
  it('reads a line that leaves out the staff’s columns, with the same labels', () => {
    expect(parseLabels({ text: NOTED, file: 'labels.csv' })).toEqual([
      { objectId: 'A1', label: 'coin', line: 2 },
      { objectId: 'A2', label: 'mask', line: 3 },
      // Under the line with a note: checked as a possible rest of it (refused only when its id is no object's).
      { objectId: 'A3', label: 'coin', line: 4, afterNote: 3 },
    ]);
    // Two of three own columns left out, on a CRLF file.
    const two = 'object_id,label,notes,checked_by\r\nA1,coin,ok\r\nA2,mask\r\n';
    expect(parseLabels({ text: two, file: 'labels.csv' }).map((l) => l.label)).toEqual(['coin', 'mask']);
  });

  it('still refuses a line short of its label, and a line with a cell too many', () => {
    const short = refusal('object_id,label,notes\nA1,coin,ok\nA2\n');
    expect(short.message).toMatch(/^labels\.csv:3: line 3 has 1 cell, the header has 3 \(object_id, label, notes\)/);
    const long = refusal('object_id,label,notes\nA1,coin,ok\nA2,mask,cleaned, 2024\n');
    expect(long.message).toMatch(/^labels\.csv:3: line 3 has 4 cells, the header has 3/);
  });

  it('builds the dataset from such a file, as a pull request would', async () => {
    const ws = await makeCollection({ objects: ['A1', 'A2', 'A3'].map((id) => object(id)), labelsText: NOTED });
    await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
    const log = memoryLogger();
    const code = await main(['run', 'dataset'], { cwd: ws.root, env: {}, stdout: () => {}, log });
    expect(code, log.lines.map((l) => l.message).join('\n')).toBe(0);
    const dataset = JSON.parse(await readFile(path.join(ws.dataset, 'dataset.json'), 'utf8')) as {
      objects: { id: string; label: string | null }[];
    };
    expect(dataset.objects.map((o) => [o.id, o.label])).toEqual([
      ['A1', 'coin'],
      ['A2', 'mask'],
      ['A3', 'coin'],
    ]);
  });

  // The reviewer: a line break in a note not in quotes made its second half a line of its own ("2024, by J. Smith"),
  // read as object "2024" with a warning, and the note was cut without a word. Refused, naming both lines.
  it('refuses a line that is most likely the rest of a note cut by a line break', async () => {
    const text = 'object_id,label,notes\nA1,coin\nA2,mask,cleaned in\n2024, by J. Smith\nA3,coin\n';
    const ws = await makeCollection({ objects: ['A1', 'A2', 'A3'].map((id) => object(id)), labelsText: text });
    await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
    const log = memoryLogger();
    const code = await main(['run', 'dataset'], { cwd: ws.root, env: {}, stdout: () => {}, log });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(code, said).toBe(1);
    expect(said).toContain(
      'labels.csv:4: this line reads as object "2024", which the collection does not have: it is most likely the ' +
        'rest of the note on line 3, cut by a line break. Put that note in double quotes ("…"), or write it on one line.',
    );
  });

  // The reviewer: a notes column and no label yet was "line 2 has 2 cells … (a comma for each)", not "no labels".
  it('with no label yet is said to have no labels, whatever lines leave out', async () => {
    const ws = await makeCollection({
      objects: ['A1', 'A2'].map((id) => object(id)),
      labelsText: 'object_id,label,notes\nA1,\nA2,,checked\n',
    });
    await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
    const log = memoryLogger();
    const code = await main(['run', 'dataset'], { cwd: ws.root, env: {}, stdout: () => {}, log });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(code, said).toBe(1);
    expect(said).not.toContain('a comma for each');
    expect(said).toContain('labels.csv has 2 rows but none has a label');
  });

  // The reviewer: an import that changed no label rewrote every short line with a comma ("A1,coin" → "A1,coin,"),
  // the 300-line edit staff had been spared, while saying labels.csv was kept as it is.
  it('is left as it is by an import that changes no label', async () => {
    const base = await tempDir('vitrine-staff-columns-');
    await mkdir(path.join(base, 'images'));
    for (const [i, id] of ['A1', 'A2', 'A3'].entries())
      await writeFile(path.join(base, 'images', `${id}.png`), await solidImage({ colour: colourFor(i) }));
    await writeFile(path.join(base, 'export.csv'), 'id,title,image\nA1,Coin,A1.png\nA2,Mask,A2.png\nA3,Coin,A3.png\n');
    const repo = path.join(base, 'repo');
    await mkdir(repo);
    await writeFile(path.join(repo, 'labels.csv'), NOTED);
    await importCollection({
      ws: workspace(repo),
      params: defaultParams(),
      metadata: path.join(base, 'export.csv'),
      images: path.join(base, 'images'),
      log: memoryLogger(),
    });
    expect(await readFile(path.join(repo, 'labels.csv'), 'utf8')).toBe(NOTED);
  });
});
