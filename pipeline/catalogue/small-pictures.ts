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

/** Pictures made at once. */
const BATCH = 8;

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
  const made = new Map<string, Promise<SmallPicture | null>>();
  const dir = path.join(publicDir, SMALL_FOLDER);
  // A few at a time: sharp decodes on its own threads, so the build's thread only waits.
  for (let i = 0; i < wanted.length; i += BATCH)
    await Promise.all(
      wanted.slice(i, i + BATCH).map(async ({ id, thumbnails }) => {
        // Objects that share a photograph share its picture, made once (not twice at once under one name).
        const key = thumbnails.map((t) => t.jpeg).join('\u0000');
        let making = made.get(key);
        if (!making) made.set(key, (making = smallPicture({ thumbnails, datasetDir, publicDir, max })));
        const picture = await making;
        if (!picture) return;
        keep.add(path.join(publicDir, picture.jpeg)).add(path.join(publicDir, picture.webp));
        out.set(id, picture);
      }),
    );
  for (const folder of await readdir(dir).catch(() => [] as string[])) {
    const files = await readdir(path.join(dir, folder)).catch(() => [] as string[]);
    for (const f of files)
      if (!keep.has(path.join(dir, folder, f))) await rm(path.join(dir, folder, f), { force: true });
  }
  return out;
}

/** One object's small picture, made unless it is there already; null when its thumbnails cannot be read. */
async function smallPicture({
  thumbnails,
  datasetDir,
  publicDir,
  max,
}: {
  thumbnails: Thumbnail[];
  datasetDir: string;
  publicDir: string;
  max: number;
}): Promise<SmallPicture | null> {
  const sorted = [...thumbnails].sort((a, b) => a.width - b.width);
  // The smallest thumbnail at least `max` on its long side, else the largest there is.
  const source = sorted.find((t) => Math.max(t.width, t.height) >= max) ?? sorted.at(-1);
  if (!source) return null;
  const name = createHash('sha256').update(`${source.jpeg}\u0000${max}`).digest('hex').slice(0, 24);
  const rel = `${SMALL_FOLDER}/${name.slice(0, 2)}/${name}`;
  const jpeg = path.join(publicDir, `${rel}.jpg`);
  const webp = path.join(publicDir, `${rel}.webp`);
  const sizeOf = (file: string) =>
    sharp(file)
      .metadata()
      .then((m) => (m.width && m.height ? { width: m.width, height: m.height } : null))
      .catch(() => null);
  let size = await sizeOf(jpeg);
  if (!size || !(await sizeOf(webp))) {
    const picture = sharp(path.join(datasetDir, source.jpeg)).resize({
      width: max,
      height: max,
      fit: 'inside',
      withoutEnlargement: true,
    });
    await mkdir(path.dirname(jpeg), { recursive: true });
    // Written beside, then renamed: a build stopped in the middle leaves no half picture under its name.
    try {
      const info = await picture.clone().jpeg({ quality: 80 }).toFile(`${jpeg}.partial`);
      await picture.clone().webp({ quality: 78 }).toFile(`${webp}.partial`);
      await rename(`${webp}.partial`, webp);
      await rename(`${jpeg}.partial`, jpeg);
      size = { width: info.width, height: info.height };
    } catch {
      await rm(`${jpeg}.partial`, { force: true });
      await rm(`${webp}.partial`, { force: true });
      return null;
    }
  }
  return { ...size, webp: `${rel}.webp`, jpeg: `${rel}.jpg` };
}
