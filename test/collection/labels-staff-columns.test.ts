import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';

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
      { objectId: 'A3', label: 'coin', line: 4 },
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
    await writeFile(ws.params, 'collection:\n  vocabulary: [coin, mask]\n');
    const log = memoryLogger();
    const code = await main(['run', 'dataset'], { cwd: ws.root, env: {}, stdout: () => {}, log });
    expect(code, log.lines.map((l) => l.message).join('\n')).toBe(0);
    const dataset = JSON.parse(await readFile(path.join(ws.dataset, 'dataset.json'), 'utf8'));
    expect(JSON.stringify(dataset)).toContain('"mask"');
  });
});
