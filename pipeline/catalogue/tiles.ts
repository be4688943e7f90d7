import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_MAX_PIXELS, normalised } from '../dataset/decode.ts';
import type { Logger } from '../log.ts';
import type { CatalogueObject } from './schema.ts';

/*
 * Pictures at full size. The dataset's thumbnails stop at a few hundred pixels; a museum's masters
 * are thousands. From each object's original (data/<image>) this writes larger web derivatives for
 * the object page and static IIIF Image API 3 level-0 tiles (sharp's `tile({ layout: 'iiif3' })`) for
 * the deep-zoom viewer (pictures.ts writes the IIIF manifests that name them). Work already done for
 * the same image, address and code is kept (a marker file records them), so a rebuild only tiles new
 * images. A module of its own, importing little: the hash of the code that cuts the tiles
 * (`tilesCodeHash` in pictures.ts, in the marker) is of this file and what it runs (dataset/decode.ts, which
 * imports nothing of Vitrine's: not its messages nor its safe writes), so an upgrade of
 * Vitrine that changes how pictures are cut makes them again, and one that changes the manifests, the
 * pages or the catalogue's schema does not tile every picture again (the slowest part of a build).
 */

/** Widths of the large derivatives, made only when the original is wider. */
const LARGE_WIDTHS = [1200, 2400];
const TILE = 512;

/** Where a picture's files go: `iiif/<slug>/` under the site's base. */
export function iiifFolder(slug: string): string {
  return `iiif/${slug}`;
}

/**
 * Large derivatives and IIIF tiles for every object whose original is at least `minSide` pixels on
 * its long side; updates each object's `images` and `zoom` in place.
 */
export async function writeTiles({
  objects,
  originals,
  publicDir,
  iiifBase,
  minSide,
  background = '#ffffff',
  maxPixels = DEFAULT_MAX_PIXELS,
  code,
  log,
}: {
  objects: CatalogueObject[];
  originals: Map<string, { file: string; md5: string }>;
  publicDir: string;
  iiifBase: string;
  minSide: number;
  /** dataset.image.background: what transparency is shown on, as in the thumbnails. */
  background?: string;
  /** dataset.image.max_pixels, as the dataset stage read the original. */
  maxPixels?: number;
  /**
   * A hash of the code that makes the pictures (`tilesCodeHash`: this module, what it runs, sharp's and libvips'
   * versions): pictures made by other code are made again.
   */
  code: string;
  log: Logger;
}): Promise<number> {
  let made = 0;
  for (const o of objects) {
    const original = originals.get(o.id);
    if (!original || Math.max(o.width, o.height) < minSide) continue;
    if (!(await stat(original.file).catch(() => null))) continue;
    const folder = path.join(publicDir, iiifFolder(o.slug));
    const marker = path.join(folder, '.vitrine-source');
    const base = { md5: original.md5, id: iiifBase, tile: TILE, widths: LARGE_WIDTHS, code };
    const done = await madeBefore({ marker, base, background, file: original.file });
    if (!done) {
      const alpha = (await sharp(original.file, { limitInputPixels: maxPixels }).metadata()).hasAlpha === true;
      // Transparency is shown on the background, as in the thumbnails: JPEG has none, it was black.
      const stamp = JSON.stringify({ ...base, alpha, ...(alpha && { background }) });
      const picture = () => normalised({ data: original.file, maxPixels, background });
      // Tiles go to a temporary folder first, so a half-written set never replaces a good one.
      const temp = `${folder}.partial`;
      await rm(temp, { recursive: true, force: true });
      await mkdir(path.dirname(folder), { recursive: true });
      await picture().jpeg({ quality: 82 }).tile({ size: TILE, layout: 'iiif3', id: iiifBase }).toFile(temp);
      // sharp names the service after the output folder: `<id>/<slug>.partial`; the final folder is `<slug>`.
      const infoFile = path.join(temp, 'info.json');
      const info = JSON.parse(await readFile(infoFile, 'utf8')) as { id: string };
      info.id = `${iiifBase}/${encodeURIComponent(o.slug)}`;
      await writeFile(infoFile, JSON.stringify(info));
      for (const w of LARGE_WIDTHS) {
        if (w >= o.width) continue;
        const resized = picture().resize({ width: w });
        await resized
          .clone()
          .webp({ quality: 78 })
          .toFile(path.join(temp, `large-${w}.webp`));
        await resized
          .clone()
          .jpeg({ quality: 82 })
          .toFile(path.join(temp, `large-${w}.jpg`));
      }
      await writeFile(path.join(temp, '.vitrine-source'), stamp);
      await rm(folder, { recursive: true, force: true });
      await rename(temp, folder);
      made++;
    }
    for (const w of LARGE_WIDTHS) {
      if (w >= o.width) continue;
      const h = Math.round((o.height * w) / o.width);
      o.images.push({
        width: w,
        height: h,
        webp: `${iiifFolder(o.slug)}/large-${w}.webp`,
        jpeg: `${iiifFolder(o.slug)}/large-${w}.jpg`,
      });
    }
    o.images.sort((a, b) => a.width - b.width);
    o.zoom = { info: `${iiifFolder(o.slug)}/info.json`, width: o.width, height: o.height };
  }
  // libvips leaves its tiling record (the last image's size and loader, a time) beside the tiles' folders, where it
  // would be published as iiif/vips-properties.xml; removed each build, so a site built before goes without it too.
  await rm(path.join(publicDir, path.dirname(iiifFolder('x')), 'vips-properties.xml'), { force: true });
  if (made) log.info(`Catalogue: deep-zoom tiles and large pictures for ${made} object(s)`);
  if (objects.some((o) => o.zoom)) {
    // The viewer, served from the site itself (no CDN).
    const osd = createRequire(import.meta.url).resolve('openseadragon');
    await mkdir(path.join(publicDir, 'vendor'), { recursive: true });
    await copyFile(
      path.join(path.dirname(osd), 'openseadragon.min.js'),
      path.join(publicDir, 'vendor', 'openseadragon.min.js'),
    );
  }
  return made;
}

/**
 * Whether `marker` says the pictures in its folder were made from this original as they are made now: the same
 * `base`, and transparency shown on `background` (a photograph without it does not depend on the background). A
 * marker of a build before transparency was shown so (no "alpha") holds for a photograph without transparency, told
 * from its header, and is brought up to date; a cut-out's pictures, black where it is transparent, are made again.
 */
async function madeBefore({
  marker,
  base,
  background,
  file,
}: {
  marker: string;
  base: Record<string, unknown>;
  background: string;
  file: string;
}): Promise<boolean> {
  let stamp: Record<string, unknown>;
  try {
    stamp = JSON.parse(await readFile(marker, 'utf8')) as Record<string, unknown>;
  } catch {
    return false;
  }
  const { alpha, background: shownOn, ...rest } = stamp;
  if (JSON.stringify(rest) !== JSON.stringify(base)) return false;
  if (alpha === false) return true;
  if (alpha === true) return shownOn === background;
  if (
    alpha !== undefined ||
    (
      await sharp(file)
        .metadata()
        .catch(() => null)
    )?.hasAlpha !== false
  )
    return false;
  // In place, not through a temporary file that a stopped build would leave in the published folder: a marker cut
  // short is no JSON, and only has the pictures made again.
  await writeFile(marker, JSON.stringify({ ...base, alpha: false }));
  return true;
}
