import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writePictures } from '../../pipeline/catalogue/pictures.ts';
import type { CatalogueObject } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The deep-zoom tiles and large pictures are kept between builds (tiling is the slowest part of a build). They
 * were kept as long as the photograph and the address were the same, so an upgrade of Vitrine that changed how
 * they are cut (tile size, JPEG quality, a new sharp or libvips) kept serving the old ones. They are now made again
 * when the hash of the code that makes them (`tilesCodeHash`) changed, and only then.
 */

const WIDTH = 1300;
const HEIGHT = 200;

describe('deep-zoom tiles and large pictures kept between builds', () => {
  it('are made again when the code that cuts them changed, and kept while it is the same', async () => {
    const dir = await tempDir('vitrine-tiles-code-');
    const file = path.join(dir, 'vase.jpg');
    await sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#804000' } })
      .jpeg()
      .toFile(file);
    const publicDir = path.join(dir, 'public');
    const folder = path.join(publicDir, 'iiif', 'vase');
    const build = async (code: string) => {
      const objects = [
        { id: 'V-1', slug: 'vase', width: WIDTH, height: HEIGHT, images: [], zoom: null } as unknown as CatalogueObject,
      ];
      const made = await writePictures({
        objects,
        originals: new Map([['V-1', { file, md5: 'same-photograph' }]]),
        publicDir,
        iiifBase: 'https://museum.example/iiif',
        minSide: 100,
        code,
        log: memoryLogger(),
      });
      // What the object page is given is the same either way.
      expect(objects[0]!.zoom).toEqual({ info: 'iiif/vase/info.json', width: WIDTH, height: HEIGHT });
      expect(objects[0]!.images.map((i) => i.width)).toEqual([1200]);
      return made;
    };
    // Which files are there, and which of them are still the ones written before (by inode and time).
    const stamp = async (f: string) => {
      const s = await stat(path.join(folder, f));
      return `${s.ino} ${s.mtimeMs}`;
    };
    const stamps = async () => ({ info: await stamp('info.json'), large: await stamp('large-1200.jpg') });

    expect(await build('a'.repeat(64))).toBe(1);
    const first = await stamps();
    // Same photograph, same address, same code: kept as they are.
    expect(await build('a'.repeat(64))).toBe(0);
    expect(await stamps()).toEqual(first);

    // An upgrade that changed how pictures are cut: the same photograph is tiled again, once.
    expect(await build('b'.repeat(64))).toBe(1);
    const again = await stamps();
    expect(again.info).not.toBe(first.info);
    expect(again.large).not.toBe(first.large);
    expect(JSON.parse(await readFile(path.join(folder, '.vitrine-source'), 'utf8'))).toHaveProperty(
      'code',
      'b'.repeat(64),
    );
    expect(await build('b'.repeat(64))).toBe(0);
    expect(await stamps()).toEqual(again);

    // A marker written before the code was recorded cannot say what cut the tiles: they are made again.
    const marker = path.join(folder, '.vitrine-source');
    const { code: _, ...before } = JSON.parse(await readFile(marker, 'utf8')) as Record<string, unknown>;
    await writeFile(marker, JSON.stringify(before));
    expect(await build('b'.repeat(64))).toBe(1);
  });
});
