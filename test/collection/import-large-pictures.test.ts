import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester (T6 F1): a 30,000×30,000 PNG of 2.6 MB (a decompression bomb) was imported without a word, copied
 * into data/ and sent to the remote; each run then warned of `data/images/<id>.png`, never of the export's file, and
 * the dataset stage left the object without a photograph. Import says it at the export's line, from the header alone.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-large-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A PNG chunk: length, type, data, CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let c = 0xffffffff;
  for (const byte of body) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/** A whole, valid black PNG of side×side pixels, one bit a pixel: a few hundred kilobytes that claim side² pixels. */
function bomb(side: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc(side * (1 + Math.ceil(side / 8)));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const picture = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 120, g: 80, b: 40 } } });

async function importOf(dir: string, rows: string[][], params = defaultParams()) {
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image', 'label'], ...rows]));
  return importCollection({
    ws: workspace(path.join(dir, 'repo')),
    params,
    metadata: path.join(dir, 'objects.csv'),
    images: dir,
    log: memoryLogger(),
  });
}

describe('a picture over the dataset stage’s pixel limit, at import', () => {
  it('a 30,000×30,000 PNG is said with its line, object, file and size, and imported as it is', async () => {
    const dir = path.join(root, 'bomb');
    await mkdir(path.join(dir, 'photos'), { recursive: true });
    await writeFile(path.join(dir, 'photos', 'bombe.png'), bomb(30_000));
    await writeFile(path.join(dir, 'photos', 'good.jpg'), await picture(64, 48).jpeg().toBuffer());
    const result = await importOf(dir, [
      ['OK.1', 'photos/good.jpg', 'Vessel'],
      ['D.18', 'photos\\bombe.png', 'Jewellery'],
    ]);
    const said = result.problems.filter((p) => /max_pixels/.test(p.message));
    expect(said.map((p) => [p.line, p.object, p.refused ?? false])).toEqual([[3, 'D.18', false]]);
    const message = said[0]!.message;
    expect(message).toMatch(/"photos\\bombe\.png" of object "D\.18" is 30,000×30,000 pixels \(900,000,000\)/);
    expect(message).toMatch(/more than 250,000,000 pixels/);
    expect(message).toMatch(/without a photograph/);
    expect(message).toMatch(/smaller copy/);
    // Imported byte for byte, as masters are: raising the limit makes it usable.
    const stored = path.join(dir, 'repo', 'data', 'images', 'D.18.png');
    expect((await readFile(stored)).equals(await readFile(path.join(dir, 'photos', 'bombe.png')))).toBe(true);
    expect(result.problems.filter((p) => p.object === 'OK.1')).toEqual([]);
  });

  it('reads the limit from params.yaml, and TIFF’s size too; a picture within it is not named', async () => {
    const dir = path.join(root, 'limit');
    await mkdir(path.join(dir, 'photos'), { recursive: true });
    await writeFile(path.join(dir, 'photos', 'scan.tif'), await picture(200, 150).tiff().toBuffer());
    await writeFile(path.join(dir, 'photos', 'big.jpg'), await picture(150, 200).jpeg().toBuffer());
    await writeFile(path.join(dir, 'photos', 'fits.png'), await picture(100, 100).png().toBuffer());
    const params = defaultParams();
    params.dataset.image.max_pixels = 20_000;
    const result = await importOf(
      dir,
      [
        ['A.1', 'photos/scan.tif', 'Print'],
        ['A.2', 'photos/big.jpg', 'Print'],
        ['A.3', 'photos/fits.png', 'Print'],
      ],
      params,
    );
    const said = result.problems.filter((p) => /max_pixels/.test(p.message));
    expect(said.map((p) => [p.line, p.object])).toEqual([
      [2, 'A.1'],
      [3, 'A.2'],
    ]);
    expect(said[0]!.message).toMatch(/200×150 pixels \(30,000\), more than 20,000 pixels/);
    expect(said[1]!.message).toMatch(/150×200 pixels/);
  });

  it('many are said in one message, with the count and the first few', async () => {
    const dir = path.join(root, 'many');
    await mkdir(path.join(dir, 'photos'), { recursive: true });
    const rows: string[][] = [];
    for (let i = 1; i <= 7; i++) {
      await writeFile(
        path.join(dir, 'photos', `p${i}.png`),
        await picture(150 + i, 150)
          .png()
          .toBuffer(),
      );
      rows.push([`P.${i}`, `photos/p${i}.png`, 'Print']);
    }
    const params = defaultParams();
    params.dataset.image.max_pixels = 20_000;
    const result = await importOf(dir, rows, params);
    const said = result.problems.filter((p) => /max_pixels/.test(p.message));
    expect(said).toHaveLength(1);
    expect(said[0]!.line).toBe(2);
    expect(said[0]!.message).toMatch(/^7 images of the export have more than 20,000 pixels/);
    expect(said[0]!.message).toMatch(/line 2: .*"P\.1".*; and 2 more/);
  });
});
