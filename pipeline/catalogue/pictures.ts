import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { moduleCodeHash, VITRINE_ROOT } from './code-hash.ts';
import { startFileWriter } from './file-writer.ts';
import type { Catalogue, CatalogueObject } from './schema.ts';
import { cutTitle, MANIFEST_TITLE_MAX, shownTitle } from './shown-title.ts';
import { iiifFolder, writeTiles } from './tiles.ts';
import { jsonPieces, writePiecesIfChanged } from './write.ts';

/*
 * Pictures at full size: large derivatives and deep-zoom tiles (tiles.ts), and IIIF Presentation 3
 * manifests (one per object, one collection) so Mirador, the Universal Viewer and aggregators can
 * open the objects.
 */

export { iiifFolder };

/** The module that cuts the tiles, beside this one in the sources (in a bundle, the bundle stands for it). */
const TILES_MODULE = path.join(import.meta.dirname, 'tiles.ts');

/**
 * A hash of the code that makes the large pictures and deep-zoom tiles: tiles.ts and what it runs (how pictures are
 * decoded, `dataset/decode.ts`), and the installed versions of sharp and of libvips and its codecs (`sharp.versions`:
 * a new JPEG encoder can change every tile). A few milliseconds; `writePictures` takes it once per process.
 */
export function tilesCodeHash({
  file = existsSync(TILES_MODULE) ? TILES_MODULE : import.meta.filename,
  root = VITRINE_ROOT,
  versions = sharp.versions,
}: {
  file?: string;
  root?: string;
  versions?: Record<string, unknown>;
} = {}): string {
  return moduleCodeHash({ file, root, versions });
}

let ownTilesCode: string | undefined;

/**
 * Large derivatives and IIIF tiles (`writeTiles`), made again where the code that makes them changed since: `code`
 * is that code's hash, by default `tilesCodeHash()` (a test passes its own).
 */
export async function writePictures({
  code = (ownTilesCode ??=
    tilesCodeHash()),
  ...options
}: Omit<Parameters<typeof writeTiles>[0], 'code'> & { code?: string }): Promise<number> {
  const made = await writeTiles({ ...options, code });
  await writeWholeAtMax(options);
  return made;
}

/**
 * A picture that is one tile whole (both sides at most the tile's 512 pixels, with catalogue.deep_zoom_min_side that
 * low) is asked for by OpenSeadragon as full/max/0/default.jpg (IIIF Image 3, which level 0 requires); sharp's
 * iiif3 layout writes it as full/<width>,<height>/0/default.jpg only, and the viewer stayed blank (tester T17).
 * Copied here, not in tiles.ts, so that tiles already cut are kept (the code that cuts them is unchanged).
 */
async function writeWholeAtMax({ objects, publicDir }: { objects: CatalogueObject[]; publicDir: string }) {
  for (const o of objects) {
    if (!o.zoom) continue;
    const full = path.join(publicDir, iiifFolder(o.slug), 'full');
    const max = path.join(full, 'max', '0', 'default.jpg');
    // Only a picture of one tile has a file of its own full size.
    const whole = path.join(full, `${o.zoom.width},${o.zoom.height}`, '0', 'default.jpg');
    if (existsSync(max) || !existsSync(whole)) continue;
    await mkdir(path.dirname(max), { recursive: true });
    await copyFile(whole, max);
  }
}

type LanguageMap = Record<string, string[]>;
/**
 * A label: IIIF never reads a label as HTML, so it stays the export's text as it is. In `language`: the site's own
 * words in "en", the record's in the catalogue's language ("none", as IIIF asks, where it is not known: "und").
 */
const labelIn = (language: string, s: string): LanguageMap => ({ [language === 'und' ? 'none' : language]: [s] });
const en = (s: string): LanguageMap => labelIn('en', s);

/**
 * A summary, metadata value or required statement value, which IIIF reads as HTML when it starts
 * with < and ends with >, and viewers show its links and images: the export's text is text, so such
 * a value is escaped inside one span.
 */
const textIn = (language: string, s: string): LanguageMap =>
  labelIn(language, looksLikeHtml(s) ? `<span>${escapeHtml(s)}</span>` : s);

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
  language = 'en',
}: {
  o: CatalogueObject;
  siteBase: string;
  collection: string;
  /** The language the records are written in (catalogue.language): their values' language in the manifest. */
  language?: string;
}): Record<string, unknown> {
  // The record's values in the catalogue's language; the field names are the site's, in English.
  const own = (s: string) => labelIn(language, s);
  const ownText = (s: string) => textIn(language, s);
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
  const label = own(shownTitle(o.title) || o.id);
  const longer = cutTitle({ title: o.title, max: MANIFEST_TITLE_MAX });
  const fullTitle =
    shownTitle(o.title) === o.title
      ? ''
      : longer === o.title
        ? o.title
        : `${longer} (the whole title, ${o.title.length.toLocaleString('en')} characters, is on the object’s page)`;
  // The object number is in no language ("none"); a title cut is said whole in the record's language.
  const metadata = [
    ['Title', fullTitle, language],
    ['Object number', o.id, 'und'],
    ['Maker', o.maker, language],
    ['Date', o.date, language],
    ['Medium', o.medium, language],
    ['Department', o.department, language],
    ['Object type (staff label)', o.label ?? '', language],
  ]
    .filter(([, v]) => v)
    .map(([label, value, lang]) => ({ label: en(label!), value: textIn(lang!, value!) }));
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
    ...(o.description ? { summary: ownText(o.description) } : {}),
    ...(o.rightsStatement.uri ? { rights: iiifRights(o.rightsStatement.uri) } : {}),
    requiredStatement: {
      label: en('Rights'),
      value: o.rights ? ownText(o.rights) : textIn('en', 'Rights not yet determined'),
    },
    provider: [{ id: at(''), type: 'Agent', label: own(collection) }],
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
        .map((o) => manifestOf({ o, siteBase, collection: catalogue.collection, language: catalogue.language }));
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
    label: labelIn(catalogue.language ?? 'en', catalogue.title),
    items: listed,
  };
  await writePiecesIfChanged({
    file: path.join(publicDir, 'iiif', 'collection.json'),
    pieces: jsonPieces(collection, 'items'),
  });
  return written;
}
