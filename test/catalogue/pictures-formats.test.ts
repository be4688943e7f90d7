import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writePictures } from '../../pipeline/catalogue/pictures.ts';
import type { CatalogueObject } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The catalogue's large pictures and deep-zoom tiles are made from the original in data/, apart from the dataset's
 * thumbnails. A photograph with transparency (a cut-out object on a transparent PNG or TIFF) had its transparent part
 * black in the JPEG pictures and in every tile, where its thumbnails showed it on dataset.image.background (white).
 */

const WIDTH = 1300;
const HEIGHT = 200;

/** Left half opaque `rgb`, right half transparent; 16 bits a channel when `deep`. */
async function cutOut({ deep, format }: { deep: boolean; format: 'png' | 'tiff' }): Promise<Buffer> {
  const pixels = deep ? new Uint16Array(WIDTH * HEIGHT * 4) : new Uint8Array(WIDTH * HEIGHT * 4);
  const full = deep ? 65535 : 255;
  for (let i = 0; i < WIDTH * HEIGHT; i++)
    if (i % WIDTH < WIDTH / 2) pixels.set([Math.round(full * 0.5), Math.round(full * 0.25), 0, full], i * 4);
  const image = sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } });
  const typed = deep ? image.toColourspace('rgb16') : image;
  return format === 'png' ? typed.png().toBuffer() : typed.tiff({ compression: 'lzw' }).toBuffer();
}

async function pictures(originals: { id: string; data: Buffer; ending: string }[], background?: string) {
  const dir = await tempDir('vitrine-pictures-');
  const publicDir = path.join(dir, 'public');
  const objects = originals.map(
    ({ id }) => ({ id, slug: id, width: WIDTH, height: HEIGHT, images: [], zoom: null }) as unknown as CatalogueObject,
  );
  const files = new Map<string, { file: string; md5: string }>();
  for (const { id, data, ending } of originals) {
    const file = path.join(dir, `${id}${ending}`);
    await writeFile(file, data);
    files.set(id, { file, md5: id });
  }
  await writePictures({
    objects,
    originals: files,
    publicDir,
    iiifBase: 'https://museum.example/iiif',
    minSide: 100,
    ...(background && { background }),
    log: memoryLogger(),
  });
  return { objects, folder: (id: string) => path.join(publicDir, 'iiif', id) };
}

/** The colour at (x, y) of an image file, as 8-bit RGB. */
async function colourAt(file: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [data[at]!, data[at + 1]!, data[at + 2]!];
}

/** The tile files of a IIIF level-0 folder (paths ending in default.jpg). */
async function tiles(folder: string): Promise<string[]> {
  const all = await readdir(folder, { recursive: true });
  return all.filter((f) => f.endsWith('default.jpg')).map((f) => path.join(folder, f));
}

const near = (got: number[], want: number[]) => got.every((v, i) => Math.abs(v - want[i]!) <= 6);

describe('the catalogue’s large pictures and deep-zoom tiles of unusual photographs', () => {
  it('show the transparent part of a cut-out on the dataset’s background colour, not black, 8 or 16 bits', async () => {
    const { objects, folder } = await pictures([
      { id: 'png8', data: await cutOut({ deep: false, format: 'png' }), ending: '.png' },
      { id: 'png16', data: await cutOut({ deep: true, format: 'png' }), ending: '.png' },
      { id: 'tiff16', data: await cutOut({ deep: true, format: 'tiff' }), ending: '.tif' },
    ]);
    for (const o of objects) {
      expect(o.zoom, o.id).not.toBeNull();
      const large = path.join(folder(o.id), 'large-1200.jpg');
      expect(near(await colourAt(large, 100, 50), [128, 64, 0]), `${o.id}: the object`).toBe(true);
      // sharp flattens 16 bits on 255 × 256 (254 once 8 bits), as it does the thumbnails and the model's input.
      expect(near(await colourAt(large, 1100, 50), [255, 255, 255]), `${o.id}: the transparent part`).toBe(true);
      const full = (await tiles(folder(o.id))).find((f) => f.includes(`${path.sep}full${path.sep}`))!;
      expect(await colourAt(full, 0, 0), o.id).not.toEqual([0, 0, 0]);
      // The last tile of the first row is all transparent part.
      const last = (await tiles(folder(o.id))).find((f) => f.includes(`${path.sep}1024,0,276,200${path.sep}`))!;
      expect(near(await colourAt(last, 100, 100), [255, 255, 255]), `${o.id}: a tile of the transparent part`).toBe(
        true,
      );
    }
  });

  it('use the colour dataset.image.background names', async () => {
    const { folder } = await pictures(
      [{ id: 'grey', data: await cutOut({ deep: false, format: 'png' }), ending: '.png' }],
      '#808080',
    );
    expect(near(await colourAt(path.join(folder('grey'), 'large-1200.jpg'), 1100, 50), [128, 128, 128])).toBe(true);
  });

  it('are made again for a cut-out tiled before on black, once', async () => {
    const data = await cutOut({ deep: false, format: 'png' });
    const { folder } = await pictures([{ id: 'again', data, ending: '.png' }]);
    const marker = path.join(folder('again'), '.vitrine-source');
    // What a build before this one wrote: the same image, tiled without a background.
    const stamp = JSON.parse(await readFile(marker, 'utf8')) as Record<string, unknown>;
    expect(stamp).toHaveProperty('alpha', true);
    await writeFile(marker, JSON.stringify({ md5: stamp.md5, id: stamp.id, tile: stamp.tile, widths: stamp.widths }));
    await writeFile(path.join(folder('again'), 'large-1200.jpg'), await sharp(data).flatten().jpeg().toBuffer());
    const dir = path.dirname(path.dirname(path.dirname(folder('again'))));
    const file = path.join(dir, 'again.png');
    const objects = [
      {
        id: 'again',
        slug: 'again',
        width: WIDTH,
        height: HEIGHT,
        images: [],
        zoom: null,
      } as unknown as CatalogueObject,
    ];
    const made = await writePictures({
      objects,
      originals: new Map([['again', { file, md5: 'again' }]]),
      publicDir: path.dirname(path.dirname(folder('again'))),
      iiifBase: 'https://museum.example/iiif',
      minSide: 100,
      log: memoryLogger(),
    });
    expect(made).toBe(1);
    expect(await colourAt(path.join(folder('again'), 'large-1200.jpg'), 1100, 50)).toEqual([255, 255, 255]);
  });

  it('are kept for a photograph without transparency tiled before, its record brought up to date', async () => {
    const opaque = await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#804000' } })
      .png()
      .toBuffer();
    const { folder } = await pictures([{ id: 'opaque', data: opaque, ending: '.png' }]);
    const marker = path.join(folder('opaque'), '.vitrine-source');
    const { alpha, ...before } = JSON.parse(await readFile(marker, 'utf8')) as Record<string, unknown>;
    expect(alpha).toBe(false);
    await writeFile(marker, JSON.stringify(before));
    const made = await writePictures({
      objects: [{ id: 'opaque', slug: 'opaque', width: WIDTH, height: HEIGHT, images: [], zoom: null } as never],
      originals: new Map([
        [
          'opaque',
          { file: path.join(path.dirname(path.dirname(path.dirname(folder('opaque')))), 'opaque.png'), md5: 'opaque' },
        ],
      ]),
      publicDir: path.dirname(path.dirname(folder('opaque'))),
      iiifBase: 'https://museum.example/iiif',
      minSide: 100,
      log: memoryLogger(),
    });
    expect(made).toBe(0);
    expect(JSON.parse(await readFile(marker, 'utf8'))).toEqual({ ...before, alpha: false });
  });
});
