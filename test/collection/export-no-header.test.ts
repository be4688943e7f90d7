import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../../pipeline/collection/export.ts';
import { runCli } from '../cli/run-cli.ts';

/*
 * An outside tester gave init the five-museums export without its first line. Init took the first object's cells
 * for column names ("images/artic/artic_28560.jpg") and asked which column held the id; following that advice
 * (--column id=artic_28560 …) imported 127 of the 128 objects: the first was gone without a word.
 */

describe('an export without its line of column names', () => {
  it('is refused naming the line and the cell that is data, with what to do', () => {
    const text =
      'artic_28560,images/artic/artic_28560.jpg,artic,The Bedroom\nartic_21023,images/artic/artic_21023.jpg,artic,Buddha\n';
    const error = (() => {
      try {
        parseExport({ text, file: 'noheader.csv' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'EXPORT_NO_HEADER', data: { file: 'noheader.csv', line: 1 } });
    expect((error as Error).message).toBe(
      'noheader.csv:1: this line holds “images/artic/artic_28560.jpg”, a file name, where the names of the columns ' +
        'go: the export seems to have no line of column names, and its first object would be read as them and ' +
        'lost. Export it again with column names (a "header row"), or add a line of names above it, such as: ' +
        'id,image,label,title.',
    );
    // An image's web address, and a JPEG as Windows names some (a reviewer).
    expect(() => parseExport({ text: 'A1,https://example.org/a.jpg,coin\n', file: 'x.csv' })).toThrow(/a file name/);
    expect(() => parseExport({ text: 'A1,a.jfif,coin\nA2,b.jfif,mask\n', file: 'x.csv' })).toThrow(/a file name/);
  });

  it('names the line that holds the cell, after blank lines or Excel’s sep= line', () => {
    for (const [text, line] of [
      ['sep=;\nA1;a.jpg;coin\nA2;b.jpg;mask\n', 2],
      ['\n\nA1,a.jpg,coin\nA2,b.jpg,mask\n', 3],
      // A title above that names the same file (a reviewer: line 1 was said).
      ['Photographs a.jpg to c.jpg\na.jpg,Statue,coin\nb.jpg,Vase,mask\nc.jpg,Bowl,mask\n', 2],
    ] as const)
      expect(() => parseExport({ text, file: 'x.csv' })).toThrow(`x.csv:${line}: this line holds “a.jpg”`);
  });

  it('is not said of column names, years and linked-data addresses among them', () => {
    const table = parseExport({
      text: 'id,image file,2019,https://schema.org/name,label\nA1,a.jpg,3,One,coin\n',
      file: 'ok.csv',
    });
    expect(table.header).toEqual(['id', 'image file', '2019', 'https://schema.org/name', 'label']);
    expect(table.rows).toHaveLength(1);
  });
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-no-header-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('vitrine init from an export without its line of column names', () => {
  it('stops before making anything, with the words above, even when told which column is the id', async () => {
    const images = path.join(root, 'images');
    await mkdir(images);
    const lines = ['A1,images/a1.jpg,coin,One', 'A2,images/a2.jpg,mask,Two'];
    const csv = path.join(root, 'noheader.csv');
    await writeFile(csv, `${lines.join('\n')}\n`);
    const museum = path.join(root, 'museum');
    const result = await runCli(root, [
      'init',
      '-C',
      museum,
      '--from',
      csv,
      '--images',
      root,
      '--column',
      'id=A1',
      '--yes',
    ]);
    expect(result.code).toBe(1);
    expect(result.messages).toContain('noheader.csv:1: this line holds “images/a1.jpg”, a file name');
    expect(await readFile(path.join(museum, 'labels.csv'), 'utf8').catch(() => null)).toBeNull();
  });
});
