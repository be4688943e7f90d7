import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pictureSize } from '../../pipeline/collection/file-kind.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester (T3 F11): a 1×1-pixel JPEG (a collections system's “no image” stub) was imported without a word; only
 * the dataset stage warned, after it had been trained on. Import says it, with the object and the size, and what the
 * dataset stage does with it (the object is kept without a photograph: dataset/small-images.ts).
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-small-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const picture = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 120, g: 80, b: 40 } } });

describe('a picture too small to be a photograph, at import', () => {
  it('is said with its object, line and size; the object is imported', async () => {
    const dir = path.join(root, 'export');
    await mkdir(path.join(dir, 'Media'), { recursive: true });
    await writeFile(path.join(dir, 'Media', 'onepx.jpg'), await picture(1, 1).jpeg().toBuffer());
    await writeFile(path.join(dir, 'Media', 'icon.png'), await picture(16, 12).png().toBuffer());
    await writeFile(path.join(dir, 'Media', 'good.jpg'), await picture(64, 48).jpeg().toBuffer());
    // A flute photographed at thumbnail size (the five-museums set): thin, a photograph of the object (reviewer V7).
    await writeFile(path.join(dir, 'Media', 'flute.jpg'), await picture(120, 30).jpeg().toBuffer());
    await writeFile(
      path.join(dir, 'objects.csv'),
      stringify([
        ['id', 'image', 'label'],
        ['ODD.8', 'Media/onepx.jpg', 'Sculpture'],
        ['ODD.9', 'Media/icon.png', 'Vessel'],
        ['OK.1', 'Media/good.jpg', 'Vessel'],
        ['OK.2', 'Media/flute.jpg', 'Instrument'],
      ]),
    );
    const ws = workspace(path.join(dir, 'repo'));
    const params = defaultParams();
    const log = memoryLogger();
    const result = await importCollection({
      ws,
      params,
      metadata: path.join(dir, 'objects.csv'),
      images: dir,
      log,
    });
    expect(result.withoutImage).toBe(0);
    const said = result.problems.filter((p) => /under 32/.test(p.message));
    expect(said.map((p) => [p.line, p.object])).toEqual([
      [2, 'ODD.8'],
      [3, 'ODD.9'],
    ]);
    expect(said[0]!.message).toMatch(/"Media\/onepx\.jpg" of object "ODD\.8" is 1×1 pixels/);
    expect(said[0]!.message).toMatch(/not a photograph of the object/);
    expect(said[0]!.message).toMatch(/without a photograph/);
    expect(said[1]!.message).toMatch(/16×12 pixels/);
    // The good one is not said, nor the thin one.
    expect(result.problems.filter((p) => p.object === 'OK.1')).toEqual([]);
    expect(result.problems.filter((p) => p.object === 'OK.2')).toEqual([]);
  });

  it('many are said in one message, with the count and the first few', async () => {
    const dir = path.join(root, 'many');
    await mkdir(path.join(dir, 'Media'), { recursive: true });
    const rows = [['id', 'image']];
    for (let i = 1; i <= 8; i++) {
      await writeFile(path.join(dir, 'Media', `s${i}.png`), await picture(i, i).png().toBuffer());
      rows.push([`S.${i}`, `Media/s${i}.png`]);
    }
    await writeFile(path.join(dir, 'objects.csv'), stringify(rows));
    const log = memoryLogger();
    const result = await importCollection({
      ws: workspace(path.join(dir, 'repo')),
      params: defaultParams(),
      metadata: path.join(dir, 'objects.csv'),
      images: dir,
      log,
    });
    const said = result.problems.filter((p) => /under 32/.test(p.message));
    expect(said).toHaveLength(1);
    expect(said[0]!.message).toMatch(/^8 images of the export are under 32 pixels/);
    expect(said[0]!.message).toMatch(/line 2: the image "Media\/s1\.png" of object "S\.1" is 1×1 pixels/);
    expect(said[0]!.message).toMatch(/and 3 more\)/);
  });

  it('reads the size from the header of each format import takes small (JPEG with a large EXIF block too)', async () => {
    const dir = path.join(root, 'formats');
    await mkdir(dir, { recursive: true });
    const exif = { IFD0: { ImageDescription: 'x'.repeat(20_000) } };
    const cases: [string, Buffer, string][] = [
      ['a.jpg', await picture(7, 5).jpeg().toBuffer(), 'jpeg'],
      ['b.jpg', await picture(300, 20).withExif(exif).jpeg({ progressive: true }).toBuffer(), 'jpeg'],
      ['c.png', await picture(33, 2).png().toBuffer(), 'png'],
      ['d.gif', await picture(9, 31).gif().toBuffer(), 'gif'],
      ['e.webp', await picture(40, 3).webp({ lossless: true }).toBuffer(), 'webp'],
      ['f.webp', await picture(41, 17).webp().toBuffer(), 'webp'],
    ];
    for (const [name, bytes, kind] of cases) {
      await writeFile(path.join(dir, name), bytes);
      const meta = await sharp(bytes).metadata();
      expect(await pictureSize({ file: path.join(dir, name), kind }), name).toEqual({
        width: meta.width,
        height: meta.height,
      });
    }
  });
});
