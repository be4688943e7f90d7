import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { OutputInfo } from 'sharp';
import sharp from 'sharp';
import { hashFile, mapPool } from '../data/hash.ts';
import { removeStaleTemps, tempName, tempTargetOf } from '../data/temp.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import type { DominantColour, Thumbnail } from '../types.ts';
import { dominantColours } from './colour.ts';
import { imageError, normalised, readImageInfo } from './images.ts';

/*
 * What the dataset stage learns from each distinct image (by md5): its size, its dominant colours
 * and its web thumbnails. The answers are kept in `.vitrine/dataset/images.json` keyed by md5 and by
 * the settings that shaped them, so a rerun (say, after a label change) decodes no image twice.
 */

/**
 * Bump when the analysis itself changes (colour method, thumbnail encoding), to redo every image. 2: the backdrop
 * keeps the greys of the object, and a grey is named among the greys (colour.ts). 3: an image's transparency is its
 * object's outline.
 */
const ANALYSIS_VERSION = 3;

/** Folder of the thumbnails, relative to `.vitrine/dataset/`. */
export const THUMBS_DIR = 'thumbs';

export interface ImageAnalysis {
  width: number;
  height: number;
  colours: DominantColour[];
  thumbnails: Thumbnail[];
  /**
   * Each thumbnail's WebP and JPEG as written ([webp, jpeg], in the order of `thumbnails`): a file whose size
   * or content differs was damaged (cut short, overwritten) and is made again.
   */
  thumbnailFiles?: [ThumbnailFile, ThumbnailFile][];
  /**
   * Sizes only ([webp, jpeg]), in images.json written by the previous version: checked by size. Older ones
   * have neither field and are checked for presence only.
   */
  thumbnailBytes?: [number, number][];
  /**
   * md5 of the picture's size and its pixels made small (64 pixels at most a side, upright, on the background): the
   * same photograph saved again with other metadata (EXIF, IPTC, bytes after its end) has other bytes and these.
   * Absent in analyses written before it was recorded.
   */
  pixels?: string;
}

/**
 * A thumbnail file as written. `stamp` ("<inode> <mtime ns>") spares reading it again: only a file whose
 * stamp changed (rewritten, touched, restored from a cache) is read and its md5 compared, as the data
 * folder's hashes are (data/hash.ts).
 */
export interface ThumbnailFile {
  bytes: number;
  md5: string;
  stamp: string;
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
 * The previous run's analyses that can be reused: same settings and every thumbnail file still on disk,
 * as it was written. A missing or damaged manifest only costs redoing the work; an analysis not reused is
 * made again, its thumbnails written as new files.
 */
export async function loadAnalyses({
  datasetDir,
  settings,
}: {
  datasetDir: string;
  settings: AnalysisSettings;
}): Promise<Map<string, ImageAnalysis>> {
  return (await loadAnalysesChecked({ datasetDir, settings })).analyses;
}

/**
 * loadAnalyses, and how many analyses had a thumbnail whose stamp changed but not its content: their new
 * stamps are in the analyses returned, to be saved so that the files are not read again next time.
 */
export async function loadAnalysesChecked({
  datasetDir,
  settings,
}: {
  datasetDir: string;
  settings: AnalysisSettings;
}): Promise<{ analyses: Map<string, ImageAnalysis>; refreshed: number }> {
  const reusable = new Map<string, ImageAnalysis>();
  let manifest: AnalysisManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(datasetDir, 'images.json'), 'utf8')) as AnalysisManifest;
  } catch {
    return { analyses: reusable, refreshed: 0 };
  }
  if (manifest.schema !== 'vitrine.dataset-images/1' || manifest.key !== analysisKey(settings) || !manifest.images)
    return { analyses: reusable, refreshed: 0 };
  const present = new Set(await listThumbs({ datasetDir }));
  const complete = Object.entries(manifest.images).filter(([, analysis]) =>
    analysis.thumbnails.every(
      (t) => present.has(path.posix.basename(t.webp)) && present.has(path.posix.basename(t.jpeg)),
    ),
  );
  // One stat per thumbnail file, only when the dataset stage runs (a few seconds at 100,000 images); a file is
  // read only when its stamp changed.
  const checked = await mapPool(complete, 32, ([, analysis]) => checkThumbnails({ datasetDir, analysis }));
  let refreshed = 0;
  complete.forEach(([md5], i) => {
    const result = checked[i];
    if (!result) return;
    reusable.set(md5, result.analysis);
    if (result.refreshed) refreshed++;
  });
  return { analyses: reusable, refreshed };
}

/**
 * The analysis if its thumbnails are as written (with new stamps where only those changed), or null when one is
 * missing or damaged.
 */
export async function checkThumbnails({
  datasetDir,
  analysis,
}: {
  datasetDir: string;
  analysis: ImageAnalysis;
}): Promise<{ analysis: ImageAnalysis; refreshed: boolean } | null> {
  const files = analysis.thumbnailFiles;
  if (files === undefined) {
    // Written by an earlier version (sizes only, or nothing): checked as it could be, then recorded in full once,
    // so that a later overwrite of the same size is caught too.
    if (!(await sizesMatch({ datasetDir, analysis }))) return null;
    const recorded = await recordThumbnails({ datasetDir, analysis });
    return recorded ? { analysis: { ...analysis, thumbnailFiles: recorded }, refreshed: true } : null;
  }
  if (!Array.isArray(files) || files.length !== analysis.thumbnails.length) return null;
  const now: [ThumbnailFile, ThumbnailFile][] = [];
  let refreshed = false;
  for (const [i, t] of analysis.thumbnails.entries()) {
    const pair = files[i];
    if (!Array.isArray(pair) || pair.length !== 2) return null;
    const webp = await checkThumbnail({
      file: path.join(datasetDir, THUMBS_DIR, path.posix.basename(t.webp)),
      was: pair[0],
    });
    const jpeg = await checkThumbnail({
      file: path.join(datasetDir, THUMBS_DIR, path.posix.basename(t.jpeg)),
      was: pair[1],
    });
    if (!webp || !jpeg) return null;
    if (webp !== pair[0] || jpeg !== pair[1]) refreshed = true;
    now.push([webp, jpeg]);
  }
  return { analysis: refreshed ? { ...analysis, thumbnailFiles: now } : analysis, refreshed };
}

/** `was` when the file is unchanged; the record with its new stamp when only the stamp changed; null when damaged. */
async function checkThumbnail({ file, was }: { file: string; was: ThumbnailFile }): Promise<ThumbnailFile | null> {
  if (typeof was?.md5 !== 'string' || typeof was.stamp !== 'string') return null;
  const info = await stat(file, { bigint: true }).catch(() => null);
  if (!info || Number(info.size) !== was.bytes) return null;
  const stamp = stampOf(info);
  if (stamp === was.stamp) return was;
  // Rewritten in place with as many bytes, touched, or copied back: the content decides.
  const md5 = await hashFile({ file });
  return md5 === was.md5 ? { ...was, stamp } : null;
}

/** Each thumbnail file of `analysis` as it is on disk now ([webp, jpeg]), or null when one is missing. */
async function recordThumbnails({
  datasetDir,
  analysis,
}: {
  datasetDir: string;
  analysis: ImageAnalysis;
}): Promise<[ThumbnailFile, ThumbnailFile][] | null> {
  const record = async (rel: string): Promise<ThumbnailFile | null> => {
    const file = path.join(datasetDir, THUMBS_DIR, path.posix.basename(rel));
    const info = await stat(file, { bigint: true }).catch(() => null);
    if (!info) return null;
    return { bytes: Number(info.size), md5: await hashFile({ file }), stamp: stampOf(info) };
  };
  const out: [ThumbnailFile, ThumbnailFile][] = [];
  for (const t of analysis.thumbnails) {
    const [webp, jpeg] = [await record(t.webp), await record(t.jpeg)];
    if (!webp || !jpeg) return null;
    out.push([webp, jpeg]);
  }
  return out;
}

function stampOf(info: BigIntStats): string {
  return `${info.ino} ${info.mtimeNs}`;
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

/**
 * Keep the analyses of the images in use. `prune`: also delete thumbnails no image uses any more; only the
 * whole stage may, as a shard run sharing the checkout writes thumbnails before it records them.
 */
export async function saveAnalyses({
  datasetDir,
  settings,
  analyses,
  prune,
}: {
  datasetDir: string;
  settings: AnalysisSettings;
  analyses: Map<string, ImageAnalysis>;
  prune: boolean;
}): Promise<void> {
  const images: Record<string, ImageAnalysis> = {};
  for (const md5 of [...analyses.keys()].sort()) images[md5] = analyses.get(md5)!;
  const manifest: AnalysisManifest = { schema: 'vitrine.dataset-images/1', key: analysisKey(settings), images };
  await writeJsonAtomic({ file: path.join(datasetDir, 'images.json'), value: manifest, temp: tempName });
  if (!prune) return;
  const used = new Set(
    [...analyses.values()].flatMap((a) =>
      a.thumbnails.flatMap((t) => [path.posix.basename(t.webp), path.posix.basename(t.jpeg)]),
    ),
  );
  for (const name of await listThumbs({ datasetDir })) {
    // Temporary files are removeLeftTemps's: only those of a writer that is gone.
    if (used.has(name) || name.endsWith('.tmp')) continue;
    await rm(path.join(datasetDir, THUMBS_DIR, name), { force: true });
  }
}

/** A thumbnail's name as analyseImage writes it: `<md5>-<width>.webp` or `.jpg`. */
const THUMB_NAME = /^[0-9a-f]{32}-\d+\.(?:webp|jpg)$/;

/** The files of the dataset's folder written through a temporary file (shard/caches.ts writes the last). */
const DATASET_FILES = new Set([
  'dataset.json',
  'images.json',
  'unreadable.json',
  'pulled-from-shards.json',
  // labels.csv as the stage read it (labels-as-read.ts).
  'labels-read.csv',
]);

/** Folder of each image's answer, written as soon as it is known (finished.ts), relative to `.vitrine/dataset/`. */
export const FINISHED_DIR = 'finished';
/** The name of one image's answer: `<md5 of the image>-<analysisKey of the settings>.json`. */
export const FINISHED_NAME = /^([0-9a-f]{32})-([0-9a-f]{32})\.json$/;

/** A temporary file untouched for this long is stale whoever wrote it (one is written in milliseconds). */
const STALE_TEMP_MS = 10 * 60 * 1000;

/**
 * Remove the temporary files that a stopped writer (kill -9, a power cut) left in the dataset's folder, thumbs/ and
 * finished/: otherwise they stay for ever. Only the names the dataset's writers give them (`<thumbnail, answer or
 * dataset file>.<owner>.tmp`, data/temp.ts), and only when their writer is surely gone: its process has ended on
 * this machine, or it is this process (whose writes have ended when the stage calls this), or they were untouched
 * for 10 minutes. A shard run on this checkout may be writing one now: its temporary files stay. Also those an
 * earlier version named without an owner (`<name>.<12 hex>.tmp`): no writer of this version names them so. Returns
 * how many were removed.
 */
export async function removeLeftTemps({ datasetDir }: { datasetDir: string }): Promise<number> {
  const ours = async (dir: string, isOurs: (target: string) => boolean) =>
    (await readdir(dir).catch(() => [] as string[]))
      .filter((name) => {
        const target = name.endsWith('.tmp') ? tempTargetOf(name) : null;
        return target !== null && isOurs(target);
      })
      .map((name) => path.join(dir, name));
  const files = [
    ...(await ours(datasetDir, (target) => DATASET_FILES.has(target))),
    ...(await ours(path.join(datasetDir, THUMBS_DIR), (target) => THUMB_NAME.test(target))),
    ...(await ours(path.join(datasetDir, FINISHED_DIR), (target) => FINISHED_NAME.test(target))),
  ];
  return removeStaleTemps({ files, maxAgeMs: STALE_TEMP_MS, ownerlessIsStale: true, mineIsStale: true });
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
  // Where the image is transparent there is no object: its own mask, not a backdrop guessed from the colour it was
  // flattened on (a white glaze went with a white background).
  let alpha: Uint8Array | undefined;
  if (info.hasAlpha) {
    try {
      alpha = await sharp(data, { limitInputPixels: settings.maxPixels, failOn: 'error', autoOrient: true })
        .extractChannel('alpha')
        .resize(small.info.width, small.info.height, { fit: 'fill' })
        .raw()
        .toBuffer();
    } catch (error) {
      throw imageError({ error, file, maxPixels: settings.maxPixels });
    }
  }
  const colours = dominantColours({
    pixels: small.data,
    width: small.info.width,
    height: small.info.height,
    alpha,
    count: settings.colourCount,
    minShare: settings.colourMinShare,
  });
  const thumbnails: Thumbnail[] = [];
  const thumbnailFiles: [ThumbnailFile, ThumbnailFile][] = [];
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
    const written = await Promise.all(
      [
        { file: path.join(datasetDir, THUMBS_DIR, `${name}.webp`), data: webp.data },
        { file: path.join(datasetDir, THUMBS_DIR, `${name}.jpg`), data: jpeg },
      ].map(async ({ file, data }) => {
        // Named by their process, so that a later run removes those of a killed one (removeLeftTemps).
        await writeFileAtomic({ file, data, temp: tempName });
        const md5 = createHash('md5').update(data).digest('hex');
        return { bytes: data.length, md5, stamp: stampOf(await stat(file, { bigint: true })) };
      }),
    );
    thumbnails.push({
      width: webp.info.width,
      height: webp.info.height,
      webp: `${THUMBS_DIR}/${name}.webp`,
      jpeg: `${THUMBS_DIR}/${name}.jpg`,
    });
    thumbnailFiles.push([written[0]!, written[1]!]);
  }
  // With the photograph's own size: two plain pictures of one colour and other sizes are not one photograph.
  const pixels = createHash('md5').update(`${info.width}x${info.height}\n`).update(small.data).digest('hex');
  return { width: info.width, height: info.height, colours, thumbnails, thumbnailFiles, pixels };
}
