import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OutputInfo } from 'sharp';
import sharp from 'sharp';
import { mapPool } from '../data/hash.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import type { DominantColour, Thumbnail } from '../types.ts';
import { dominantColours } from './colour.ts';
import { imageError, normalised, readImageInfo } from './images.ts';

/*
 * What the dataset stage learns from each distinct image (by md5): its size, its dominant colours
 * and its web thumbnails. The answers are kept in `.vitrine/dataset/images.json` keyed by md5 and by
 * the settings that shaped them, so a rerun (say, after a label change) decodes no image twice.
 */

/** Bump when the analysis itself changes (colour method, thumbnail encoding), to redo every image. */
const ANALYSIS_VERSION = 1;

/** Folder of the thumbnails, relative to `.vitrine/dataset/`. */
export const THUMBS_DIR = 'thumbs';

export interface ImageAnalysis {
  width: number;
  height: number;
  colours: DominantColour[];
  thumbnails: Thumbnail[];
  /**
   * Bytes of each thumbnail's WebP and JPEG as written ([webp, jpeg], in the order of `thumbnails`):
   * a file on disk of another size was damaged (cut short, overwritten) and is made again.
   * Absent in images.json written by earlier versions: those thumbnails are checked for presence only.
   */
  thumbnailBytes?: [number, number][];
}

/** Settings that shape an analysis; any change redoes every image. */
export interface AnalysisSettings {
  widths: number[];
  quality: number;
  maxPixels: number;
  background: string;
  colourCount: number;
  colourMinShare: number;
}

/** `.vitrine/dataset/images.json` */
interface AnalysisManifest {
  schema: 'vitrine.dataset-images/1';
  key: string;
  images: Record<string, ImageAnalysis>;
}

/** The cache key of a set of analysis settings. */
export function analysisKey(settings: AnalysisSettings): string {
  return createHash('md5')
    .update(JSON.stringify({ v: ANALYSIS_VERSION, ...settings }))
    .digest('hex');
}

/**
 * The previous run's analyses that can be reused: same settings and every thumbnail file still on
 * disk, of the size it was written with. A missing or damaged manifest only costs redoing the work;
 * an analysis not reused is made again, its thumbnails written as new files.
 */
export async function loadAnalyses({
  datasetDir,
  settings,
}: {
  datasetDir: string;
  settings: AnalysisSettings;
}): Promise<Map<string, ImageAnalysis>> {
  const reusable = new Map<string, ImageAnalysis>();
  let manifest: AnalysisManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(datasetDir, 'images.json'), 'utf8')) as AnalysisManifest;
  } catch {
    return reusable;
  }
  if (manifest.schema !== 'vitrine.dataset-images/1' || manifest.key !== analysisKey(settings) || !manifest.images)
    return reusable;
  const present = new Set(await listThumbs({ datasetDir }));
  const complete = Object.entries(manifest.images).filter(([, analysis]) =>
    analysis.thumbnails.every(
      (t) => present.has(path.posix.basename(t.webp)) && present.has(path.posix.basename(t.jpeg)),
    ),
  );
  // One stat per thumbnail file, only when the dataset stage runs (a few seconds at 100,000 images).
  const intact = await mapPool(complete, 32, ([, analysis]) => sizesMatch({ datasetDir, analysis }));
  complete.forEach(([md5, analysis], i) => {
    if (intact[i]) reusable.set(md5, analysis);
  });
  return reusable;
}

/** Whether every thumbnail of `analysis` has the size it was written with (true when none was recorded). */
async function sizesMatch({ datasetDir, analysis }: { datasetDir: string; analysis: ImageAnalysis }): Promise<boolean> {
  const bytes = analysis.thumbnailBytes;
  if (bytes === undefined) return true;
  if (!Array.isArray(bytes) || bytes.length !== analysis.thumbnails.length) return false;
  const sizeOf = (rel: string) =>
    stat(path.join(datasetDir, THUMBS_DIR, path.posix.basename(rel))).then(
      (info) => info.size,
      () => -1,
    );
  for (const [i, t] of analysis.thumbnails.entries()) {
    const [webp, jpeg] = Array.isArray(bytes[i]) ? bytes[i] : [];
    if ((await sizeOf(t.webp)) !== webp || (await sizeOf(t.jpeg)) !== jpeg) return false;
  }
  return true;
}

/** Keep the analyses of the images in use, and delete thumbnails no image uses any more. */
export async function saveAnalyses({
  datasetDir,
  settings,
  analyses,
}: {
  datasetDir: string;
  settings: AnalysisSettings;
  analyses: Map<string, ImageAnalysis>;
}): Promise<void> {
  const images: Record<string, ImageAnalysis> = {};
  for (const md5 of [...analyses.keys()].sort()) images[md5] = analyses.get(md5)!;
  const manifest: AnalysisManifest = { schema: 'vitrine.dataset-images/1', key: analysisKey(settings), images };
  await writeJsonAtomic({ file: path.join(datasetDir, 'images.json'), value: manifest });
  const used = new Set(
    [...analyses.values()].flatMap((a) =>
      a.thumbnails.flatMap((t) => [path.posix.basename(t.webp), path.posix.basename(t.jpeg)]),
    ),
  );
  for (const name of await listThumbs({ datasetDir })) {
    if (!used.has(name)) await rm(path.join(datasetDir, THUMBS_DIR, name), { force: true });
  }
}

async function listThumbs({ datasetDir }: { datasetDir: string }): Promise<string[]> {
  try {
    return await readdir(path.join(datasetDir, THUMBS_DIR));
  } catch {
    return [];
  }
}

/**
 * Decode one image once and derive everything from it: size, dominant colours (on a 64 px copy,
 * backdrop removed) and thumbnails at each width (never enlarged), WebP plus a JPEG fallback.
 * Throws IMAGE_UNREADABLE or IMAGE_TOO_LARGE naming `file`.
 */
export async function analyseImage({
  file,
  data,
  md5,
  datasetDir,
  settings,
}: {
  file: string;
  data: Uint8Array;
  md5: string;
  datasetDir: string;
  settings: AnalysisSettings;
}): Promise<ImageAnalysis> {
  const info = await readImageInfo({ file, data, maxPixels: settings.maxPixels });
  const largest = Math.max(...settings.widths);
  let base: { data: Buffer; info: OutputInfo };
  try {
    base = await normalised({ data, maxPixels: settings.maxPixels, background: settings.background })
      .resize({ width: largest, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw imageError({ error, file, maxPixels: settings.maxPixels });
  }
  const raw = { raw: { width: base.info.width, height: base.info.height, channels: 3 as const } };
  const small = await sharp(base.data, raw)
    .resize(64, 64, { fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const colours = dominantColours({
    pixels: small.data,
    width: small.info.width,
    height: small.info.height,
    count: settings.colourCount,
    minShare: settings.colourMinShare,
  });
  const thumbnails: Thumbnail[] = [];
  const thumbnailBytes: [number, number][] = [];
  const widths = [...new Set(settings.widths.map((w) => Math.min(w, base.info.width)))].sort((p, q) => p - q);
  for (const width of widths) {
    const resized = sharp(base.data, raw).resize({ width });
    // WebP effort 2 encodes twice as fast as the default for files a few percent larger.
    const [webp, jpeg] = await Promise.all([
      resized.clone().webp({ quality: settings.quality, effort: 2 }).toBuffer({ resolveWithObject: true }),
      resized.clone().jpeg({ quality: settings.quality, progressive: true }).toBuffer(),
    ]);
    const name = `${md5}-${width}`;
    // Written as new files (rename), never in place: the site hard-links the thumbnails it publishes.
    await writeFileAtomic({ file: path.join(datasetDir, THUMBS_DIR, `${name}.webp`), data: webp.data });
    await writeFileAtomic({ file: path.join(datasetDir, THUMBS_DIR, `${name}.jpg`), data: jpeg });
    thumbnails.push({
      width: webp.info.width,
      height: webp.info.height,
      webp: `${THUMBS_DIR}/${name}.webp`,
      jpeg: `${THUMBS_DIR}/${name}.jpg`,
    });
    thumbnailBytes.push([webp.data.length, jpeg.length]);
  }
  return { width: info.width, height: info.height, colours, thumbnails, thumbnailBytes };
}
