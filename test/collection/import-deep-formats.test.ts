import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { prepareModelInput } from '../../pipeline/dataset/images.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Photographs as museums' scanners and image libraries write them, made by sharp here: 16 bits a channel (colour
 * and grayscale, PNG and TIFF), CMYK TIFF, a TIFF of several pages, AVIF. Each goes through import, the dataset
 * stage's decoding for the model (8-bit RGB) and its thumbnails, which must show its colour: not black, not white.
 */

const W = 48;
const H = 32;
/** #804020 at 16 bits a channel, or its grey (0x6400 of 0xffff, about 100 of 255). */
const DEEP = [0x8080, 0x4040, 0x2020];
const GREY = 0x6464;

async function deepRgb(format: 'png' | 'tiff'): Promise<Buffer> {
  const pixels = new Uint16Array(W * H * 3);
  for (let i = 0; i < W * H; i++) pixels.set(DEEP, i * 3);
  const image = sharp(pixels, { raw: { width: W, height: H, channels: 3 } }).toColourspace('rgb16');
  return format === 'png' ? image.png().toBuffer() : image.tiff({ compression: 'lzw' }).toBuffer();
}

async function deepGrey(format: 'png' | 'tiff'): Promise<Buffer> {
  const image = sharp(new Uint16Array(W * H).fill(GREY), { raw: { width: W, height: H, channels: 1 } }).toColourspace(
    'grey16',
  );
  return format === 'png' ? image.png().toBuffer() : image.tiff({ compression: 'lzw' }).toBuffer();
}

const solid = (background: string) => sharp({ create: { width: W, height: H, channels: 3, background } });

/** Photographs by file name, with the colour each should show (8-bit RGB) and sharp's words for what it is. */
async function photographs() {
  const pages = await Promise.all(['#804020', '#2040ff'].map((c) => solid(c).png().toBuffer()));
  return [
    { file: 'png16.png', data: await deepRgb('png'), colour: [128, 64, 32], depth: 'ushort' },
    { file: 'tiff16.tif', data: await deepRgb('tiff'), colour: [128, 64, 32], depth: 'ushort' },
    { file: 'grey16.png', data: await deepGrey('png'), colour: [100, 100, 100], depth: 'ushort' },
    { file: 'grey16.tif', data: await deepGrey('tiff'), colour: [100, 100, 100], depth: 'ushort' },
    { file: 'cmyk.tif', data: await solid('#804020').toColourspace('cmyk').tiff().toBuffer(), colour: [128, 59, 0] },
    {
      file: 'pages.tif',
      data: await sharp(pages, { join: { animated: true } })
        .tiff()
        .toBuffer(),
      colour: [128, 64, 32],
    },
    { file: 'photo.avif', data: await solid('#804020').avif().toBuffer(), colour: [128, 64, 32] },
  ];
}

function params(): Params {
  const p = defaultParams();
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  p.import.on_invalid = 'fail';
  p.collection.vocabulary = ['coin', 'mask'];
  p.dataset.thumbnails.widths = [32];
  p.dataset.min_test_per_class = 0;
  return p;
}

const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - want[i]!) <= 3);

describe('16-bit, grayscale, CMYK, multi-page and AVIF photographs', () => {
  it('are what the test says they are', async () => {
    const made = await photographs();
    for (const p of made.filter((p) => p.depth)) expect((await sharp(p.data).metadata()).depth, p.file).toBe(p.depth);
    expect((await sharp(made.find((p) => p.file === 'cmyk.tif')!.data).metadata()).space).toBe('cmyk');
    expect((await sharp(made.find((p) => p.file === 'pages.tif')!.data).metadata()).pages).toBe(2);
    expect((await sharp(made.find((p) => p.file === 'photo.avif')!.data).metadata()).compression).toBe('av1');
  });

  it('are imported, decoded to 8-bit RGB for the model and made thumbnails of their own colour; pages said', async () => {
    const dir = await tempDir('vitrine-deep-formats-');
    const images = path.join(dir, 'export', 'images');
    await mkdir(images, { recursive: true });
    const made = await photographs();
    const rows = made.map((p, i) => `D-${i + 1},${p.file},coin,${p.file}`);
    for (const p of made) await writeFile(path.join(images, p.file), p.data);
    const metadata = path.join(dir, 'export', 'objects.csv');
    await writeFile(metadata, ['id,image,label,title', ...rows, ''].join('\n'));
    const ws = workspace(path.join(dir, 'repo'));
    const log = memoryLogger();
    const result = (await importCollection({ ws, params: params(), metadata, images, log })) as ImportResult;
    expect(result.objects).toBe(made.length);
    expect(result.problems).toEqual([]);
    // The first page of pages.tif is its photograph: said, with its line, once.
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^1 TIFF image has several pages, and only the first page is the object's photograph/);
    expect(warnings[0]).toContain('objects.csv:7, object D-6, stored as data/images/D-6.tif): 2 pages');
    const again = memoryLogger();
    await importCollection({ ws, params: params(), metadata, images, log: again });
    expect(again.lines.filter((l) => /several pages/.test(l.message))).toEqual([]);
    const dataset = await buildDataset({ ws, params: params(), log: memoryLogger(), jobs: 1 });
    expect(dataset.issues).toEqual([]);
    for (const [i, p] of made.entries()) {
      const object = dataset.objects.find((o) => o.id === `D-${i + 1}`)!;
      expect(object.image, p.file).toBeTruthy();
      const input = await prepareModelInput({ file: path.join(ws.data, object.image), size: 224, fit: 'letterbox' });
      expect(input.length).toBe(224 * 224 * 3);
      const middle = (112 * 224 + 112) * 3;
      expect(near([...input.subarray(middle, middle + 3)], p.colour), `${p.file}: the model's input`).toBe(true);
      const thumbnail = path.join(ws.dataset, object.thumbnails[0]!.jpeg);
      const { data } = await sharp(thumbnail).raw().toBuffer({ resolveWithObject: true });
      expect(near([...data.subarray(0, 3)], p.colour), `${p.file}: its thumbnail ${[...data.subarray(0, 3)]}`).toBe(
        true,
      );
    }
  });
});
