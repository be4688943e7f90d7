import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SMALL_FOLDER, writeSmallPictures } from '../../pipeline/catalogue/small-pictures.ts';
import type { Thumbnail } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The one small picture of a photograph shown small for its rights (catalogue.images: thumbnail): made from the
 * dataset's thumbnails to fit the long side asked, once for objects sharing a photograph, kept when already made, and
 * removed when no object is shown small with it any longer.
 */

async function thumbnails(dir: string, key: string, width: number, height: number): Promise<Thumbnail[]> {
  const out: Thumbnail[] = [];
  await mkdir(path.join(dir, 'thumbnails'), { recursive: true });
  for (const w of [240, 480, 960]) {
    const h = Math.round((height * w) / width);
    const picture = sharp({ create: { width: w, height: h, channels: 3, background: '#a06040' } });
    const jpeg = `thumbnails/${key}-${w}.jpg`;
    const webp = `thumbnails/${key}-${w}.webp`;
    await picture.clone().jpeg().toFile(path.join(dir, jpeg));
    await picture.clone().webp().toFile(path.join(dir, webp));
    out.push({ width: w, height: h, jpeg, webp } as Thumbnail);
  }
  return out;
}

describe('small pictures', () => {
  it('fits the long side, makes a shared photograph’s once, keeps what was made and removes what is not wanted', async () => {
    const root = await tempDir('vitrine-small-');
    const datasetDir = path.join(root, 'dataset');
    const publicDir = path.join(root, 'public');
    const tall = await thumbnails(datasetDir, 'tall', 1000, 2000);
    const wide = await thumbnails(datasetDir, 'wide', 3000, 1000);
    const first = await writeSmallPictures({
      wanted: [
        { id: 'a', thumbnails: tall },
        { id: 'b', thumbnails: tall },
        { id: 'c', thumbnails: wide },
      ],
      datasetDir,
      publicDir,
      max: 200,
    });
    expect(first.get('a')).toMatchObject({ width: 100, height: 200 });
    expect(first.get('b')).toEqual(first.get('a'));
    expect(first.get('c')).toMatchObject({ width: 200, height: 67 });
    for (const p of first.values()) {
      const meta = await sharp(path.join(publicDir, p.jpeg)).metadata();
      expect([meta.width, meta.height]).toEqual([p.width, p.height]);
      expect(p.jpeg.startsWith(`${SMALL_FOLDER}/`)).toBe(true);
      // The name says nothing of the object or its photograph's file.
      expect(p.jpeg).not.toMatch(/tall|wide|\ba\b/);
    }
    const made = (await stat(path.join(publicDir, first.get('a')!.jpeg))).mtimeMs;
    const second = await writeSmallPictures({
      wanted: [{ id: 'a', thumbnails: tall }],
      datasetDir,
      publicDir,
      max: 200,
    });
    expect(second.get('a')).toEqual(first.get('a'));
    expect((await stat(path.join(publicDir, second.get('a')!.jpeg))).mtimeMs).toBe(made);
    const left = (await readdir(path.join(publicDir, SMALL_FOLDER), { recursive: true })).filter((f) =>
      /\.(jpg|webp)$/.test(f),
    );
    expect(left).toHaveLength(2);
  });
});
