import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
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

/** A PNG chunk: length, type, data, CRC-32 of type and data (as libpng checks it). */
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  let crc = 0xffffffff;
  for (const byte of body) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return Buffer.concat([length, body, sum]);
}

/*
 * Reviewer V26 (F1-F4): a whole 17,000 x 17,000 PNG was called unreadable (sharp's pixel cap, not damage); an AVIF
 * with bytes after its last box was called cut short; a JPEG-compressed TIFF (sharp's default) missing its last
 * bytes, and an AVIF whose second half is zero bytes, were not flagged.
 */
describe('data add: false alarms and misses of the end check (V26)', () => {
  it('leaves alone a whole PNG larger than the decoder reads by default (17,000 x 17,000 pixels)', async () => {
    // One bit a pixel, all black: 36 MB of rows, a few kilobytes on disk.
    const side = 17_000;
    const header = Buffer.alloc(13);
    header.writeUInt32BE(side, 0);
    header.writeUInt32BE(side, 4);
    header[8] = 1;
    const rows = deflateSync(Buffer.alloc(side * (1 + Math.ceil(side / 8))), { level: 1 });
    const big = Buffer.concat([
      Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
      chunk('IHDR', header),
      chunk('IDAT', rows),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const meta = await sharp(big, { limitInputPixels: false }).metadata();
    expect([meta.width, meta.height]).toEqual([side, side]);
    expect(await problem('large.png', big)).toBeUndefined();
  });

  it('leaves alone an AVIF with bytes after its last box, as a phone may write them', async () => {
    const trailer = Buffer.concat([avif, Buffer.from('SEFHsamsungtrailerdata-SEFT')]);
    expect(await sharp(trailer).raw().toBuffer()).toBeDefined();
    expect(await problem('trailer.avif', trailer)).toBeUndefined();
  });

  it('flags a JPEG-compressed TIFF, classic or BigTIFF, missing its last 20 bytes', async () => {
    for (const bigtiff of [false, true]) {
      const jpeg = await sharp(raw).tiff({ compression: 'jpeg', bigtiff }).toBuffer();
      expect(await problem(`jpeg-${bigtiff}.tif`, jpeg)).toBeUndefined();
      expect(await problem(`short-jpeg-${bigtiff}.tif`, jpeg.subarray(0, jpeg.length - 20))).toMatch(CUT);
    }
  });

  it('flags an AVIF whose second half was overwritten with zero bytes', async () => {
    const zeroed = Buffer.concat([avif.subarray(0, avif.length >> 1), Buffer.alloc(avif.length - (avif.length >> 1))]);
    expect(await problem('zeroed.avif', zeroed)).toMatch(/^is damaged: its last [\d,]+ bytes .* are zero bytes/);
  });

  it('counts a long run of zero bytes at the end exactly, as a large file cut in half on a disk leaves it', async () => {
    // Past its last megabyte, the run is measured by probing blocks (a 2 GB scan cut in half read 1 GB here).
    const kept = png.subarray(0, png.length >> 1);
    let data = kept.length;
    while (kept[data - 1] === 0) data--;
    const zeroed = Buffer.concat([kept, Buffer.alloc(3_000_001)]);
    const zeros = (zeroed.length - data).toLocaleString('en');
    expect(await problem('long-run.png', zeroed)).toMatch(new RegExp(`^is damaged: its last ${zeros} bytes \\(100%`));
  });

  // V28: a tag the picture does not need (Software, a scanner's own) pointing past the end, as tools that copy tags
  // they do not know leave them: the reader skips it and the dataset stage decodes the picture; copying the file
  // again gives the same bytes, so "cut short" was said on every add.
  it('leaves alone a TIFF whose private or text tag points past its end, which the reader skips', async () => {
    for (const [tag, type] of [
      [50000, 7],
      [305, 2],
    ]) {
      const bytes = stripTiff({ extra: [tag!, type!, 100, 0x7ffffff0] });
      expect(await sharp(bytes, { failOn: 'error' }).raw().toBuffer()).toBeDefined();
      expect(await problem(`tag-${tag}.tif`, bytes)).toBeUndefined();
    }
    // The strips themselves past the end: cut.
    const cut = stripTiff({});
    expect(await problem('strips-cut.tif', cut.subarray(0, cut.length - 200))).toMatch(CUT);
  });
});

/** A 40x30 RGB TIFF, uncompressed, its directory first and one strip, with one more tag [tag, type, count, offset]. */
function stripTiff({ extra }: { extra?: [number, number, number, number] }): Buffer {
  const [width, height] = [40, 30];
  const pixels = Buffer.alloc(width * height * 3, 90);
  const tags: [number, number, number, number][] = [
    [256, 3, 1, width],
    [257, 3, 1, height],
    [258, 3, 1, 8],
    [259, 3, 1, 1],
    [262, 3, 1, 2],
    [273, 4, 1, 0],
    [277, 3, 1, 3],
    [278, 3, 1, height],
    [279, 4, 1, pixels.length],
    ...(extra ? [extra] : []),
  ];
  tags.sort((a, b) => a[0] - b[0]);
  const ifd = Buffer.alloc(2 + tags.length * 12 + 4);
  const dataAt = 8 + ifd.length;
  ifd.writeUInt16LE(tags.length, 0);
  for (const [i, [tag, type, count, value]] of tags.entries()) {
    const at = 2 + i * 12;
    ifd.writeUInt16LE(tag, at);
    ifd.writeUInt16LE(type, at + 2);
    ifd.writeUInt32LE(count, at + 4);
    if (tag === 273) ifd.writeUInt32LE(dataAt, at + 8);
    else if (type === 3 && count === 1) ifd.writeUInt16LE(value, at + 8);
    else ifd.writeUInt32LE(value, at + 8);
  }
  return Buffer.concat([Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0]), ifd, pixels]);
}
