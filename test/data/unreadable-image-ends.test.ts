import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type SharpOptions } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageProblem } from '../../pipeline/data/unreadable-images.ts';
import { cleanup, tempDir } from './helpers.ts';

/*
 * Reviewer V24 (F1): a PNG, AVIF or TIFF cut short was not flagged by `data add`, whose check read only the header
 * (sharp's metadata()), though none of them decodes ("libpng read error", "bad seek"). Their ends are checked now,
 * cheaply, as a JPEG's is: a PNG's chunks, a TIFF's first page's strips or tiles, an AVIF's boxes.
 */

let dir: string;
let png: Buffer;
let avif: Buffer;
let tiff: Buffer;
const raw: SharpOptions = {
  create: { width: 64, height: 48, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
};

/** A little-endian RGB TIFF with its page's directory right after the header, as scanners and Photoshop write. */
function directoryFirstTiff(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3, 0x80);
  const tags: [number, number, number][] = [
    [256, 3, width],
    [257, 3, height],
    [258, 3, 8],
    [259, 3, 1],
    [262, 3, 2],
    [273, 4, 0],
    [277, 3, 3],
    [278, 3, height],
    [279, 4, pixels.length],
  ];
  const ifd = Buffer.alloc(2 + tags.length * 12 + 4);
  ifd.writeUInt16LE(tags.length, 0);
  tags.forEach(([tag, type, value], i) => {
    const at = 2 + i * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    ifd.writeUInt32LE(1, at + 4);
    const v = tag === 273 ? 8 + ifd.length : value;
    if (type === 3) ifd.writeUInt16LE(v, at + 8);
    else ifd.writeUInt32LE(v, at + 8);
  });
  return Buffer.concat([Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0]), ifd, pixels]);
}

beforeAll(async () => {
  dir = await tempDir('vitrine-image-ends-');
  png = await sharp(raw).png().toBuffer();
  avif = await sharp(raw).avif().toBuffer();
  tiff = directoryFirstTiff(64, 48);
});
afterAll(async () => {
  await cleanup(dir);
});

async function problem(name: string, bytes: Buffer): Promise<string | undefined> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return imageProblem(file);
}

const CUT = /^ends before its picture data does/;

describe('data add: the end of a PNG, TIFF or AVIF photograph', () => {
  it('flags one cut in half or missing its last 20 bytes', async () => {
    expect(await problem('half.png', png.subarray(0, png.length >> 1))).toMatch(CUT);
    expect(await problem('short.png', png.subarray(0, png.length - 20))).toMatch(CUT);
    expect(await problem('half.avif', avif.subarray(0, avif.length >> 1))).toMatch(CUT);
    expect(await problem('short.avif', avif.subarray(0, avif.length - 20))).toMatch(CUT);
    expect(await problem('half.tif', tiff.subarray(0, tiff.length >> 1))).toMatch(CUT);
    expect(await problem('short.tif', tiff.subarray(0, tiff.length - 20))).toMatch(CUT);
  });

  it('flags a PNG whose second half was overwritten with zero bytes', async () => {
    const zeroed = Buffer.concat([png.subarray(0, png.length >> 1), Buffer.alloc(png.length - (png.length >> 1))]);
    expect(await problem('zeroed.png', zeroed)).toMatch(/^is damaged: its last [\d,]+ bytes .* are zero bytes/);
  });

  it('leaves alone whole ones, and those the decoder reads: data after the end, no IEND chunk, BigTIFF, tiles', async () => {
    const whole = {
      'whole.png': png,
      'trailer.png': Buffer.concat([png, Buffer.from('bytes after the end')]),
      'no-iend.png': png.subarray(0, png.length - 12),
      'whole.avif': avif,
      'zero-tail.avif': Buffer.concat([avif, Buffer.alloc(100)]),
      'whole.tif': tiff,
      'end-directory.tif': await sharp(raw).tiff().toBuffer(),
      'tiled.tif': await sharp(raw).tiff({ tile: true, tileWidth: 16, tileHeight: 16 }).toBuffer(),
      'big.tif': await sharp(raw).tiff({ bigtiff: true }).toBuffer(),
    };
    for (const [name, bytes] of Object.entries(whole)) {
      expect(await sharp(bytes).raw().toBuffer()).toBeDefined();
      expect([name, await problem(name, bytes)]).toEqual([name, undefined]);
    }
  });
});
