import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareModelInput, readImageInfo, readSmallPixels } from '../../pipeline/dataset/images.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { pixelBombPng, removeTempDirs, tempDir } from './fixtures.ts';

/** 40×20 pixels: left half red, right half blue. */
function halves(): Buffer {
  const w = 40;
  const h = 20;
  const rgb = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      if (x < w / 2) rgb[i] = 255;
      else rgb[i + 2] = 255;
    }
  }
  return rgb;
}
const raw = { raw: { width: 40, height: 20, channels: 3 as const } };

function pixel(data: Uint8Array, size: number, x: number, y: number): number[] {
  const i = (y * size + x) * 3;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

async function saved(name: string, data: Buffer): Promise<string> {
  const file = path.join(await tempDir(), name);
  await writeFile(file, data);
  return file;
}

async function expectError(promise: Promise<unknown>, code: string, name: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isVitrineError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as Error).message).toContain(name);
}

afterAll(removeTempDirs);

describe('prepareModelInput', () => {
  it('returns size×size×3 RGB and letterboxes a wide image with black bars', async () => {
    const file = await saved('wide.png', await sharp(halves(), raw).png().toBuffer());
    const input = await prepareModelInput({ file, size: 8, fit: 'letterbox' });
    expect(input).toBeInstanceOf(Uint8Array);
    expect(input.length).toBe(8 * 8 * 3);
    // 40×20 becomes 8×4 in the middle rows; the top and bottom rows are black padding.
    expect(pixel(input, 8, 0, 0)).toEqual([0, 0, 0]);
    expect(pixel(input, 8, 7, 7)).toEqual([0, 0, 0]);
    expect(pixel(input, 8, 0, 4)[0]).toBeGreaterThan(200);
    expect(pixel(input, 8, 7, 4)[2]).toBeGreaterThan(200);
  });

  it('centre-crops instead when asked', async () => {
    const file = await saved('wide.png', await sharp(halves(), raw).png().toBuffer());
    const input = await prepareModelInput({ file, size: 8, fit: 'crop' });
    // The centre square is half red, half blue, with no padding.
    expect(pixel(input, 8, 0, 0)[0]).toBeGreaterThan(200);
    expect(pixel(input, 8, 7, 0)[2]).toBeGreaterThan(200);
    expect(pixel(input, 8, 0, 7)[0]).toBeGreaterThan(200);
  });

  it('applies EXIF orientation', async () => {
    // Orientation 6: the stored 40×20 image is displayed rotated 90° clockwise (20×40, red on top).
    const data = await sharp(halves(), raw).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(data).metadata()).orientation).toBe(6);
    const file = await saved('rotated.jpg', data);
    const info = await readImageInfo({ file });
    expect([info.width, info.height]).toEqual([20, 40]);
    const input = await prepareModelInput({ file, size: 8, fit: 'crop' });
    const top = pixel(input, 8, 4, 0);
    const bottom = pixel(input, 8, 4, 7);
    expect(top[0]).toBeGreaterThan(180);
    expect(top[2]).toBeLessThan(80);
    expect(bottom[2]).toBeGreaterThan(180);
    expect(bottom[0]).toBeLessThan(80);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const data = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#d02020' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const meta = await sharp(data).metadata();
    expect(meta.space).toBe('cmyk');
    expect(meta.channels).toBe(4);
    const input = await prepareModelInput({ file: await saved('cmyk.jpg', data), size: 4, fit: 'crop' });
    expect(input.length).toBe(4 * 4 * 3);
    const [r, g, b] = pixel(input, 4, 2, 2);
    expect(r).toBeGreaterThan(g! + 80);
    expect(r).toBeGreaterThan(b! + 80);
  });

  it('expands a one-channel grayscale PNG to three equal channels', async () => {
    const data = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#646464' } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(data).metadata()).channels).toBe(1);
    const input = await prepareModelInput({ file: await saved('gray.png', data), size: 4, fit: 'crop' });
    expect(input.length).toBe(4 * 4 * 3);
    for (let i = 0; i < input.length; i += 3) {
      expect(input[i]).toBe(input[i + 1]);
      expect(input[i]).toBe(input[i + 2]);
      expect(Math.abs(input[i]! - 100)).toBeLessThanOrEqual(2);
    }
  });

  it('flattens transparency on the background colour', async () => {
    // Left half opaque blue, right half fully transparent.
    const w = 8;
    const rgba = Buffer.alloc(w * w * 4);
    for (let y = 0; y < w; y++) for (let x = 0; x < w / 2; x++) rgba.set([0, 0, 255, 255], (y * w + x) * 4);
    const data = await sharp(rgba, { raw: { width: w, height: w, channels: 4 } })
      .png()
      .toBuffer();
    const file = await saved('alpha.png', data);
    const white = await prepareModelInput({ file, size: 8, fit: 'crop' });
    expect(pixel(white, 8, 7, 3)).toEqual([255, 255, 255]);
    expect(pixel(white, 8, 0, 3)).toEqual([0, 0, 255]);
    const green = await prepareModelInput({ file, size: 8, fit: 'crop', background: '#00ff00' });
    expect(pixel(green, 8, 7, 3)).toEqual([0, 255, 0]);
  });

  it('reduces a 16-bit PNG to 8 bits per channel', async () => {
    const data = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#804020' } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(data).metadata()).depth).toBe('ushort');
    const input = await prepareModelInput({ file: await saved('deep.png', data), size: 8, fit: 'crop' });
    expect(input.length).toBe(8 * 8 * 3);
    const [r, g, b] = pixel(input, 8, 3, 3);
    expect(Math.abs(r! - 0x80)).toBeLessThanOrEqual(2);
    expect(Math.abs(g! - 0x40)).toBeLessThanOrEqual(2);
    expect(Math.abs(b! - 0x20)).toBeLessThanOrEqual(2);
  });

  it('reads a palette PNG', async () => {
    const data = await sharp(halves(), raw).png({ palette: true, colours: 4 }).toBuffer();
    expect((await sharp(data).metadata()).isPalette).toBe(true);
    const input = await prepareModelInput({ file: await saved('palette.png', data), size: 8, fit: 'crop' });
    expect(pixel(input, 8, 0, 0)[0]).toBeGreaterThan(200);
    expect(pixel(input, 8, 7, 0)[2]).toBeGreaterThan(200);
  });

  it('refuses a corrupt file with IMAGE_UNREADABLE naming it', async () => {
    const good = await sharp(halves(), raw).jpeg().toBuffer();
    await expectError(
      prepareModelInput({
        file: await saved('truncated.jpg', good.subarray(0, good.length >> 1)),
        size: 8,
        fit: 'crop',
      }),
      'IMAGE_UNREADABLE',
      'truncated.jpg',
    );
    await expectError(
      prepareModelInput({
        file: await saved('not-an-image.png', Buffer.from('this is a text file')),
        size: 8,
        fit: 'crop',
      }),
      'IMAGE_UNREADABLE',
      'not-an-image.png',
    );
    await expectError(
      readImageInfo({ file: await saved('garbage.jpg', Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3])) }),
      'IMAGE_UNREADABLE',
      'garbage.jpg',
    );
  });

  it('refuses a pixel bomb with IMAGE_TOO_LARGE before decoding it', async () => {
    const file = await saved('bomb.png', pixelBombPng({ width: 50_000, height: 50_000 }));
    await expectError(prepareModelInput({ file, size: 8, fit: 'crop' }), 'IMAGE_TOO_LARGE', 'bomb.png');
    await expectError(readImageInfo({ file }), 'IMAGE_TOO_LARGE', 'bomb.png');
    await expectError(readSmallPixels({ file }), 'IMAGE_TOO_LARGE', 'bomb.png');
  });

  it('applies a lower pixel limit to ordinary images', async () => {
    const file = await saved('big.png', await sharp(halves(), raw).png().toBuffer());
    await expectError(prepareModelInput({ file, size: 8, fit: 'crop', maxPixels: 799 }), 'IMAGE_TOO_LARGE', 'big.png');
    await expect(prepareModelInput({ file, size: 8, fit: 'crop', maxPixels: 800 })).resolves.toHaveLength(192);
  });

  it('names a missing file', async () => {
    await expectError(
      prepareModelInput({ file: path.join(await tempDir(), 'gone.jpg'), size: 8, fit: 'crop' }),
      'IMAGE_MISSING',
      'gone.jpg',
    );
  });
});

describe('readImageInfo', () => {
  it('gives the md5 of the bytes and the size', async () => {
    const data = await sharp(halves(), raw).png().toBuffer();
    const info = await readImageInfo({ file: await saved('a.png', data) });
    expect(info).toMatchObject({
      width: 40,
      height: 20,
      format: 'png',
      bytes: data.length,
      md5: createHash('md5').update(data).digest('hex'),
    });
  });
});
