import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { Thumbnail } from '../types.ts';

/*
 * The one small picture of a photograph the site shows only small (catalogue.images: thumbnail): made from the
 * dataset's thumbnails to fit `max` pixels on its long side, under `small/` in the site. Its name is a hash of the
 * thumbnail it was made from and the size, so it says nothing of the object, and a picture already made is kept.
 */

/** The site folder of the small pictures. */
export const SMALL_FOLDER = 'small';

export interface SmallPicture {
  width: number;
  height: number;
  webp: string;
  jpeg: string;
}

/**
 * The small picture of each object in `wanted`, made where missing; files of pictures no object has any longer are
 * removed. Returns the pictures by object id (an object whose thumbnails cannot be read has none).
 */
export async function writeSmallPictures({
  wanted,
  datasetDir,
  publicDir,
  max,
}: {
  /** Objects shown small, with the dataset's thumbnails of their photograph. */
  wanted: { id: string; thumbnails: Thumbnail[] }[];
  datasetDir: string;
  publicDir: string;
  max: number;
}): Promise<Map<string, SmallPicture>> {
  const out = new Map<string, SmallPicture>();
  const keep = new Set<string>();
  const dir = path.join(publicDir, SMALL_FOLDER);
  for (const { id, thumbnails } of wanted) {
    const sorted = [...thumbnails].sort((a, b) => a.width - b.width);
    // The smallest thumbnail at least `max` on its long side, else the largest there is.
    const source = sorted.find((t) => Math.max(t.width, t.height) >= max) ?? sorted.at(-1);
    if (!source) continue;
    const name = createHash('sha256').update(`${source.jpeg}\u0000${max}`).digest('hex').slice(0, 24);
    const rel = `${SMALL_FOLDER}/${name.slice(0, 2)}/${name}`;
    const jpeg = path.join(publicDir, `${rel}.jpg`);
    const webp = path.join(publicDir, `${rel}.webp`);
    keep.add(jpeg).add(webp);
    let size = await sharp(jpeg)
      .metadata()
      .then((m) => (m.width && m.height ? { width: m.width, height: m.height } : null))
      .catch(() => null);
    if (
      !size ||
      !(await sharp(webp)
        .metadata()
        .catch(() => null))
    ) {
      const picture = sharp(path.join(datasetDir, source.jpeg)).resize({
        width: max,
        height: max,
        fit: 'inside',
        withoutEnlargement: true,
      });
      await mkdir(path.dirname(jpeg), { recursive: true });
      // Written beside, then renamed: a build stopped in the middle leaves no half picture under its name.
      const info = await picture.clone().jpeg({ quality: 80 }).toFile(`${jpeg}.partial`);
      await picture.clone().webp({ quality: 78 }).toFile(`${webp}.partial`);
      await rename(`${webp}.partial`, webp);
      await rename(`${jpeg}.partial`, jpeg);
      size = { width: info.width, height: info.height };
    }
    if (!size) continue;
    out.set(id, { ...size, webp: `${rel}.webp`, jpeg: `${rel}.jpg` });
  }
  for (const folder of await readdir(dir).catch(() => [] as string[])) {
    const files = await readdir(path.join(dir, folder)).catch(() => [] as string[]);
    for (const f of files)
      if (!keep.has(path.join(dir, folder, f))) await rm(path.join(dir, folder, f), { force: true });
  }
  return out;
}
