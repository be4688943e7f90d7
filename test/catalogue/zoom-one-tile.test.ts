import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writePictures } from '../../pipeline/catalogue/pictures.ts';
import type { CatalogueObject } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Tester T17, with catalogue.deep_zoom_min_side at 300: a 320-pixel picture, one tile whole, got a blank viewer.
 * OpenSeadragon (IIIFTileSource.getTileUrl, IIIF Image 3) asks for a tile that is the whole picture at full size as
 * full/max/0/default.jpg, which IIIF level 0 requires; sharp's iiif3 layout wrote it as full/320,200/0/default.jpg only.
 */

const WIDTH = 320;
const HEIGHT = 200;
const ASKED = path.join('full', 'max', '0', 'default.jpg');

describe('deep zoom of a picture that is one tile', () => {
  it('has the whole picture at full/max, where viewers ask for it, after a build and one that keeps the tiles', async () => {
    const dir = await tempDir('vitrine-zoom-one-tile-');
    const file = path.join(dir, 'cup.jpg');
    await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#8a6d3b' } })
      .jpeg()
      .toFile(file);
    const publicDir = path.join(dir, 'public');
    const folder = path.join(publicDir, 'iiif', 'cup');
    const build = () =>
      writePictures({
        objects: [
          {
            id: 'C-1',
            slug: 'cup',
            width: WIDTH,
            height: HEIGHT,
            images: [],
            zoom: null,
          } as unknown as CatalogueObject,
        ],
        originals: new Map([['C-1', { file, md5: 'cup' }]]),
        publicDir,
        iiifBase: 'https://museum.example/iiif',
        minSide: 300,
        code: 'a'.repeat(64),
        log: memoryLogger(),
      });
    expect(await build()).toBe(1);
    const whole = await sharp(path.join(folder, ASKED)).metadata();
    expect([whole.width, whole.height]).toEqual([WIDTH, HEIGHT]);
    // A site built before has its tiles kept (not cut again) and gets the file too.
    await rm(path.join(folder, 'full', 'max'), { recursive: true });
    expect(await build()).toBe(0);
    expect((await stat(path.join(folder, ASKED))).size).toBeGreaterThan(0);
    const files = (await readdir(folder, { recursive: true })).filter((f) => f.endsWith('.jpg')).sort();
    expect(files).toEqual([path.join('full', '320,200', '0', 'default.jpg'), ASKED]);
  });
});
