import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
 * A media report gives a row per photograph of an object, and the object takes the first row's photograph. The
 * next monthly export may list those rows in another order (a collections system sorts them as it likes): the
 * object's photograph changed at each import, re-stored, said as a new photograph, and the model learnt from
 * another picture. An object keeps the photograph it has while one of its rows still names it.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-media-order-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const picture = (shade: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 80, b: 40 } } })
    .jpeg()
    .toBuffer();

/** An export folder with a picture of its own for each file named, and a repository beside it. */
async function collection(name: string, files: string[]) {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'media'), { recursive: true });
  for (const [i, file] of files.entries()) await writeFile(path.join(dir, 'media', file), await picture(10 + i * 20));
  const ws = workspace(path.join(dir, 'repo'));
  const params = defaultParams();
  params.collection.vocabulary = ['Vessel', 'Jewellery'];
  /** Import `rows` (id, title, label, image) as the export. */
  const importRows = async (rows: string[][]) => {
    await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'title', 'label', 'image'], ...rows]));
    return importCollection({
      ws,
      params,
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'media'),
      log: memoryLogger(),
    });
  };
  const media = (file: string) => readFile(path.join(dir, 'media', file));
  return { ws, importRows, media };
}

describe('an export with a row per photograph, its rows in another order the next time', () => {
  it('keeps the photograph the object has, re-stores nothing and says no new photograph', async () => {
    const { ws, importRows, media } = await collection('reordered', ['a1.jpg', 'a2.jpg', 'a3.jpg', 'b.jpg']);
    await importRows([
      ['A-1', 'Jar', 'Vessel', 'a1.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a2.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a3.jpg'],
      ['B-2', 'Bead', 'Jewellery', 'b.jpg'],
    ]);
    const stored = path.join(ws.data, 'images', 'A-1.jpg');
    expect((await readFile(stored)).equals(await media('a1.jpg'))).toBe(true);
    const before = await stat(stored);

    const again = await importRows([
      ['B-2', 'Bead', 'Jewellery', 'b.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a3.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a2.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a1.jpg'],
    ]);

    expect((await readFile(stored)).equals(await media('a1.jpg'))).toBe(true);
    const after = await stat(stored);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    const { newPhotographs, movedPhotographs, firstPhotographs, photographsTaken, details } = again.changes;
    expect({ newPhotographs, movedPhotographs, firstPhotographs, photographsTaken, details }).toEqual({
      newPhotographs: [],
      movedPhotographs: [],
      firstPhotographs: [],
      photographsTaken: [],
      details: [],
    });
    expect(again.refused).toEqual([]);
    // Still said once, as an export with a row per photograph, with the photograph kept and how to show another.
    const said = again.problems.filter((p) => p.object === 'A-1');
    expect(said).toHaveLength(1);
    expect(said[0]!.message).toMatch(
      /^object "A-1" has 3 rows \(lines 3, 4 and 5\) with the same details and different images \("a1\.jpg", /,
    );
    expect(said[0]!.message).toContain(
      'it keeps the photograph it has from an earlier import ("a1.jpg", line 5) while a row names it',
    );
    expect(said[0]!.message).not.toContain('the first row’s');
  });

  it('many such objects are said in one message, with how to show another photograph', async () => {
    const files = Array.from({ length: 7 }, (_, i) => [`c${i}a.jpg`, `c${i}b.jpg`]).flat();
    const { ws, importRows, media } = await collection('many', files);
    const rows = (swap: boolean) =>
      Array.from({ length: 7 }, (_, i) => {
        const [a, b] = [`c${i}a.jpg`, `c${i}b.jpg`];
        return (swap ? [b, a] : [a, b]).map((image) => [`C-${i}`, `Cup ${i}`, 'Vessel', image]);
      }).flat();
    await importRows(rows(false));
    const again = await importRows(rows(true));
    for (let i = 0; i < 7; i++) {
      const stored = await readFile(path.join(ws.data, 'images', `C-${i}.jpg`));
      expect(stored.equals(await media(`c${i}a.jpg`))).toBe(true);
    }
    expect(again.changes.newPhotographs).toEqual([]);
    const said = again.problems.filter((p) => /row per photograph/.test(p.message));
    expect(said).toHaveLength(1);
    expect(said[0]!.message).toMatch(/^7 objects have several rows .*C-0 \(lines 2 and 3\)/);
    expect(said[0]!.message).toContain('the first row’s, or the one an object has from an earlier import');
  });

  it('takes the first row’s photograph when no row names the one the object has any more', async () => {
    const { ws, importRows, media } = await collection('gone', ['a1.jpg', 'a2.jpg', 'a3.jpg']);
    await importRows([
      ['A-1', 'Jar', 'Vessel', 'a1.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a2.jpg'],
    ]);
    const again = await importRows([
      ['A-1', 'Jar', 'Vessel', 'a3.jpg'],
      ['A-1', 'Jar', 'Vessel', 'a2.jpg'],
    ]);
    const stored = path.join(ws.data, 'images', 'A-1.jpg');
    expect((await readFile(stored)).equals(await media('a3.jpg'))).toBe(true);
    expect(again.changes.newPhotographs).toEqual(['A-1']);
    expect(again.problems.filter((p) => p.object === 'A-1')[0]!.message).toContain('the first row’s');
  });

  it('a row of another object under the same number is refused as before, whatever photograph it names', async () => {
    const { importRows } = await collection('another-object', ['a1.jpg', 'a2.jpg']);
    await importRows([['A-1', 'Jar', 'Vessel', 'a2.jpg']]);
    const again = await importRows([
      ['A-1', 'Jar', 'Vessel', 'a1.jpg'],
      ['A-1', 'Jar lid', 'Vessel', 'a2.jpg'],
    ]).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'IMPORT_INVALID' });
    expect((again as Error).message).toMatch(/objects\.csv:3: object "A-1" appears again \(first on line 2\)/);
  });
});
