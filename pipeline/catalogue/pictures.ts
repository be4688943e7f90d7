import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { DEFAULT_MAX_PIXELS, normalised } from '../dataset/images.ts';
import type { Logger } from '../log.ts';
import { startFileWriter } from './file-writer.ts';
import type { Catalogue, CatalogueObject } from './schema.ts';
import { cutTitle, MANIFEST_TITLE_MAX, shownTitle } from './shown-title.ts';
import { jsonPieces, writePiecesIfChanged } from './write.ts';

/*
 * Pictures at full size. The dataset's thumbnails stop at a few hundred pixels; a museum's masters
 * are thousands. From each object's original (data/<image>) this writes larger web derivatives for
 * the object page, static IIIF Image API 3 level-0 tiles (sharp's `tile({ layout: 'iiif3' })`) for
 * the deep-zoom viewer, and IIIF Presentation 3 manifests (one per object, one collection) so
 * Mirador, the Universal Viewer and aggregators can open the objects. Work already done for the
 * same image and address is kept (a marker file records both), so a rebuild only tiles new images.
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
export async function writePictures({
  objects,
  originals,
  publicDir,
  iiifBase,
  minSide,
  background = '#ffffff',
  maxPixels = DEFAULT_MAX_PIXELS,
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
  log: Logger;
}): Promise<number> {
  let made = 0;
  for (const o of objects) {
    const original = originals.get(o.id);
    if (!original || Math.max(o.width, o.height) < minSide) continue;
    if (!(await stat(original.file).catch(() => null))) continue;
    const folder = path.join(publicDir, iiifFolder(o.slug));
    const marker = path.join(folder, '.vitrine-source');
    const base = { md5: original.md5, id: iiifBase, tile: TILE, widths: LARGE_WIDTHS };
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

type LanguageMap = Record<string, string[]>;
/** A label: IIIF never reads a label as HTML, so it stays the export's text as it is. */
const en = (s: string): LanguageMap => ({ en: [s] });

/**
 * A summary, metadata value or required statement value, which IIIF reads as HTML when it starts
 * with < and ends with >, and viewers show its links and images: the export's text is text, so such
 * a value is escaped inside one span.
 */
const enText = (s: string): LanguageMap => ({ en: [looksLikeHtml(s) ? `<span>${escapeHtml(s)}</span>` : s] });

const looksLikeHtml = (s: string) => s.trimStart().startsWith('<') && s.trimEnd().endsWith('>');

const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * IIIF Presentation 3 wants a Creative Commons licence as the URI Creative Commons defines, which is
 * the `http://` one (IIIF/api#1874); the object page keeps linking people to the `https://` deed.
 */
export function iiifRights(uri: string): string {
  return uri.replace(/^https:\/\/creativecommons\.org\//, 'http://creativecommons.org/');
}

/** The IIIF Presentation 3 manifest of an object: one canvas with its picture (and tiles when it has them). */
export function manifestOf({
  o,
  siteBase,
  collection,
}: {
  o: CatalogueObject;
  siteBase: string;
  collection: string;
}): Record<string, unknown> {
  // Percent-encoded: an address with letters of another script ("iiif/東博-123/") is a IRI, and IIIF wants URIs. An
  // address in a-z, 0-9, ".", "_" and "-" is left as it is.
  const at = (p: string) => `${siteBase}${encodeURI(p)}`;
  const id = at(`${iiifFolder(o.slug)}/manifest.json`);
  const canvas = at(`${iiifFolder(o.slug)}/canvas/1`);
  const largest = o.images.at(-1);
  const width = o.zoom?.width ?? largest?.width ?? 0;
  const height = o.zoom?.height ?? largest?.height ?? 0;
  // The labels name the object by its title cut at a word (a viewer shows them in its title bar and lists);
  // a title that was cut is given once among the metadata a viewer shows in its information panel: whole up to
  // MANIFEST_TITLE_MAX characters, else its start (a 5 MB paste made a 5 MB manifest), saying where the whole is.
  const label = en(shownTitle(o.title) || o.id);
  const longer = cutTitle({ title: o.title, max: MANIFEST_TITLE_MAX });
  const fullTitle =
    shownTitle(o.title) === o.title
      ? ''
      : longer === o.title
        ? o.title
        : `${longer} (the whole title, ${o.title.length.toLocaleString('en')} characters, is on the object’s page)`;
  const metadata = [
    ['Title', fullTitle],
    ['Object number', o.id],
    ['Maker', o.maker],
    ['Date', o.date],
    ['Medium', o.medium],
    ['Department', o.department],
    ['Object type (staff label)', o.label ?? ''],
  ]
    .filter(([, v]) => v)
    .map(([label, value]) => ({ label: en(label!), value: enText(value!) }));
  const body = largest
    ? {
        // Level 0 tiles have no full-size image; the largest derivative stands for the whole picture.
        id: at(largest.jpeg),
        type: 'Image',
        format: 'image/jpeg',
        width: largest.width,
        height: largest.height,
        ...(o.zoom ? { service: [{ id: at(iiifFolder(o.slug)), type: 'ImageService3', profile: 'level0' }] } : {}),
      }
    : null;
  return {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    id,
    type: 'Manifest',
    label,
    ...(metadata.length ? { metadata } : {}),
    ...(o.description ? { summary: enText(o.description) } : {}),
    ...(o.rightsStatement.uri ? { rights: iiifRights(o.rightsStatement.uri) } : {}),
    requiredStatement: { label: en('Rights'), value: enText(o.rights || 'Rights not yet determined') },
    provider: [{ id: at(''), type: 'Agent', label: en(collection) }],
    homepage: [{ id: at(`objects/${o.slug}/`), type: 'Text', label, format: 'text/html' }],
    ...(o.images[0]
      ? {
          thumbnail: [
            {
              id: at(o.images[0].jpeg),
              type: 'Image',
              format: 'image/jpeg',
              width: o.images[0].width,
              height: o.images[0].height,
            },
          ],
        }
      : {}),
    items: body
      ? [
          {
            id: canvas,
            type: 'Canvas',
            label,
            width,
            height,
            items: [
              {
                id: `${canvas}/page`,
                type: 'AnnotationPage',
                items: [
                  { id: `${canvas}/page/image`, type: 'Annotation', motivation: 'painting', body, target: canvas },
                ],
              },
            ],
          },
        ]
      : [],
  };
}

/**
 * Manifests of every object with a picture, and the collection that lists them (`iiif/collection.json`).
 * A manifest whose bytes did not change is not written again (a one-label rebuild writes one or two).
 * The build's thread is free while the worker compares: run it beside other writes.
 */
export async function writeManifests({
  catalogue,
  publicDir,
  siteBase,
}: {
  catalogue: Catalogue;
  publicDir: string;
  siteBase: string;
}): Promise<number> {
  const listed: Record<string, unknown>[] = [];
  // Not of a photograph shown small or not at all because of its rights (catalogue.images): no IIIF image of it.
  const pictured = catalogue.objects.filter((o) => o.images.length > 0 && !o.withheld);
  // Compared with the files on disk and written on a worker thread (see file-writer.ts).
  const writer = startFileWriter();
  let written: number;
  try {
    for (let i = 0; i < pictured.length; i += 256) {
      const batch = pictured
        .slice(i, i + 256)
        .map((o) => manifestOf({ o, siteBase, collection: catalogue.collection }));
      await writer.write(
        batch.map((manifest, k) => ({
          file: path.join(publicDir, iiifFolder(pictured[i + k]!.slug), 'manifest.json'),
          data: JSON.stringify(manifest),
        })),
      );
      for (const manifest of batch) listed.push({ id: manifest.id, type: 'Manifest', label: manifest.label });
    }
    written = await writer.finish();
  } catch (error) {
    // Nothing goes on writing behind a failed step: the queued manifests are dropped.
    await writer.abort();
    throw error;
  }
  const collection = {
    '@context': 'http://iiif.io/api/presentation/3/context.json',
    id: `${siteBase}iiif/collection.json`,
    type: 'Collection',
    label: en(catalogue.title),
    items: listed,
  };
  await writePiecesIfChanged({
    file: path.join(publicDir, 'iiif', 'collection.json'),
    pieces: jsonPieces(collection, 'items'),
  });
  return written;
}
