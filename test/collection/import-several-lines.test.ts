import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Tester (session 49): the one warning for two rows whose images are links leading outside the images folder began
 * "objekte.csv:136:", though it covered lines 136 and 137. A message that covers several rows names their lines.
 * Each case failed before the fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-lines-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

describe('a message that covers several rows of the export', () => {
  it('names both lines of two rows refused for links outside the images folder', async () => {
    const dir = path.join(root, 'links');
    const images = path.join(dir, 'export', 'Fotos');
    const outside = path.join(dir, 'outside');
    await mkdir(path.join(images, 'odd'), { recursive: true });
    await mkdir(path.join(outside, 'Pottery'), { recursive: true });
    const rows = [['id', 'image', 'label']];
    for (let i = 1; i <= 4; i++) {
      await writeFile(path.join(images, `A${i}.jpg`), Buffer.concat([JPEG, Buffer.from(`${i}`)]));
      rows.push([`A${i}`, `A${i}.jpg`, 'coin']);
    }
    // As the tester's export: a linked file, then an image in a linked folder (lines 6 and 7).
    await writeFile(path.join(outside, 'hostname'), 'not an image');
    await symlink(path.join(outside, 'hostname'), path.join(images, 'odd', 'link.jpg'));
    await writeFile(path.join(outside, 'Pottery', 'P1.jpg'), JPEG);
    await symlink(path.join(outside, 'Pottery'), path.join(images, 'odd', 'linkdir'));
    rows.push(['L1', 'odd/link.jpg', 'coin'], ['L2', 'odd/linkdir/P1.jpg', 'coin']);
    const csv = path.join(dir, 'export', 'objekte.csv');
    await writeFile(csv, stringify(rows));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    let printed = '';
    const log = terminalLogger({ write: (text) => (printed += text), isTTY: false });
    await importCollection({ ws: workspace(path.join(dir, 'repo')), params, metadata: csv, images, log });
    const warning = printed.split('\n').find((l) => l.includes('2 rows of'));
    expect(warning).toContain('objekte.csv, lines 6 and 7: 2 rows of');
    expect(warning).not.toMatch(/objekte\.csv:6:/);
    // Each link still names its own row.
    expect(printed).toContain('"odd/link.jpg" (line 6)');
    expect(printed).toContain('"odd/linkdir/P1.jpg" (line 7)');
  });

  it('names the lines of rows whose image paths are absolute, said in one warning', async () => {
    const dir = path.join(root, 'absolute');
    const images = path.join(dir, 'images');
    await mkdir(images, { recursive: true });
    await writeFile(path.join(images, 'B1.jpg'), JPEG);
    const rows = [
      ['id', 'image', 'label'],
      ['B1', 'B1.jpg', 'coin'],
    ];
    for (let i = 1; i <= 3; i++) rows.push([`A${i}`, `C:\\Fotos\\A${i}.jpg`, 'coin']);
    const csv = path.join(dir, 'objects.csv');
    await writeFile(csv, stringify(rows));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    let printed = '';
    const log = terminalLogger({ write: (text) => (printed += text), isTTY: false });
    await importCollection({ ws: workspace(path.join(dir, 'repo')), params, metadata: csv, images, log });
    expect(printed).toContain('objects.csv, lines 3–5: 3 image paths in');
    expect(printed).not.toMatch(/objects\.csv:3: 3 image paths/);
  });

  it('marks lines in a row together in a GitHub annotation', () => {
    let printed = '';
    const log = terminalLogger({ write: (text) => (printed += text), isTTY: false, githubActions: true });
    log.warn('2 rows were refused', { file: 'objekte.csv', line: 136, lines: [136, 137] });
    log.warn('2 rows were refused', { file: 'objekte.csv', line: 136, lines: [136, 140] });
    expect(printed).toContain('::warning file=objekte.csv,line=136,endLine=137::');
    expect(printed).toContain('::warning file=objekte.csv,line=136::');
  });

  it('says a run of lines as a range, and other lines one by one', () => {
    const said = (lines: number[]) => {
      let printed = '';
      terminalLogger({ write: (text) => (printed += text), isTTY: false }).warn('2 rows were refused', {
        file: 'objekte.csv',
        line: lines[0],
        lines,
      });
      return printed;
    };
    expect(said([136, 137])).toBe('warning: objekte.csv, lines 136 and 137: 2 rows were refused\n');
    expect(said([2, 3, 4, 5])).toBe('warning: objekte.csv, lines 2–5: 2 rows were refused\n');
    expect(said([2, 3, 4, 9, 12])).toBe('warning: objekte.csv, lines 2–4, 9 and 12: 2 rows were refused\n');
    expect(said([7])).toBe('warning: objekte.csv:7: 2 rows were refused\n');
  });
});
