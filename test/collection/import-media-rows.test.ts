import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester (T6 F7): a media report gives a row per photograph, so an object with five photographs has five rows
 * that differ only in their image cell. Import refused four of them as "object … appears again (first on line 28)", a
 * second object under one number, and under import.on_invalid "fail" (the default) stopped the whole import. They are
 * one object: it takes the first row's photograph, as for five names in one cell, and says so.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-media-rows-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const picture = (shade: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 80, b: 40 } } })
    .jpeg()
    .toBuffer();

async function importOf(name: string, rows: string[][], onInvalid: 'fail' | 'skip' = 'fail') {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'media'), { recursive: true });
  for (const [i, row] of rows.entries())
    if (row[3]) await writeFile(path.join(dir, 'media', row[3]), await picture(10 + i * 20));
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'title', 'label', 'image'], ...rows]));
  const ws = workspace(path.join(dir, 'repo'));
  const log = memoryLogger();
  const params = defaultParams();
  params.collection.vocabulary = ['Vessel', 'Jewellery'];
  params.import.on_invalid = onInvalid;
  const result = await importCollection({
    ws,
    params,
    metadata: path.join(dir, 'objects.csv'),
    images: path.join(dir, 'media'),
    log,
  });
  return { dir, ws, log, result };
}

describe('an export with a row per photograph', () => {
  it('is one object with the first row’s photograph, said once, nothing refused', async () => {
    const { dir, ws, log, result } = await importOf('five', [
      ['A-1', 'Jar', 'Vessel', 'a1.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a2.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a3.jpg'],
      ['B-2', 'Bead', 'Jewellery', 'b.jpg'],
    ]);
    expect(result.refused).toEqual([]);
    expect(result.objects).toBe(2);
    const stored = await readFile(path.join(ws.data, 'images', 'A-1.jpg'));
    expect(stored.equals(await readFile(path.join(dir, 'media', 'a1.jpg')))).toBe(true);
    const said = result.problems.filter((p) => p.object === 'A-1');
    expect(said.map((p) => [p.line, p.refused ?? false])).toEqual([[3, false]]);
    expect(said[0]!.message).toMatch(
      /object "A-1" has 3 rows \(lines 2, 3 and 4\) with the same details and different images/,
    );
    expect(said[0]!.message).toMatch(/a row per photograph/);
    expect(said[0]!.message).toMatch(/"a1\.jpg"/);
    // The other rows' images are named by the export: not said to be named by no row.
    expect(log.lines.filter((l) => /named by no row/.test(l.message))).toEqual([]);
  });

  it('a column of the media report Vitrine does not read (a media id) may differ', async () => {
    const dir = path.join(root, 'media-id');
    await mkdir(path.join(dir, 'media'), { recursive: true });
    for (const [i, file] of ['m1.jpg', 'm2.jpg'].entries())
      await writeFile(path.join(dir, 'media', file), await picture(30 + i * 50));
    const rows = [
      ['id', 'title', 'label', 'image', 'Media ID', 'Photographer'],
      ['M-1', 'Bowl', 'Vessel', 'm1.jpg', '9001', 'A. Martin'],
      ['M-1', 'Bowl', 'Vessel', 'm2.jpg', '9002', 'B. Leroy'],
    ];
    await writeFile(path.join(dir, 'objects.csv'), stringify(rows));
    const params = defaultParams();
    params.collection.vocabulary = ['Vessel', 'Jewellery'];
    const result = await importCollection({
      ws: workspace(path.join(dir, 'repo')),
      params,
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'media'),
      log: memoryLogger(),
    });
    expect(result.refused).toEqual([]);
    expect(result.problems.map((p) => [p.line, p.object])).toEqual([[3, 'M-1']]);
  });

  it('a row that differs in anything else is still another object under the same number, refused', async () => {
    const { result } = await importOf(
      'two-objects',
      [
        ['A-1', 'Jar', 'Vessel', 'a1.jpg'],
        ['A-1', 'Jar lid', 'Vessel', 'a2.jpg'],
      ],
      'skip',
    );
    expect(result.refused.map((p) => [p.line, p.object])).toEqual([[3, 'A-1']]);
    expect(result.refused[0]!.message).toMatch(/appears again/);
  });

  it('many such objects are said in one message', async () => {
    const rows: string[][] = [];
    for (let i = 1; i <= 7; i++)
      rows.push([`C-${i}`, `Cup ${i}`, 'Vessel', `c${i}a.jpg`], [`C-${i}`, `Cup ${i}`, 'Vessel', `c${i}b.jpg`]);
    const { result } = await importOf('many', rows);
    expect(result.refused).toEqual([]);
    const said = result.problems.filter((p) => /row per photograph/.test(p.message));
    expect(said).toHaveLength(1);
    expect(said[0]!.message).toMatch(/^7 objects have several rows with the same details and different images/);
    expect(said[0]!.message).toMatch(/C-1 \(lines 2 and 3\)/);
  });
});
