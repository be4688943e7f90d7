import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metadata } from 'sharp';
import sharp from 'sharp';
import { tempName } from '../data/temp.ts';
import { VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import { DEFAULT_MAX_PIXELS, normalised } from './decode.ts';
import { EMPTY_FILE } from './picture-problems.ts';

/** The pixel limit and the decoding itself live in decode.ts (the tiles' code hash takes in that file alone). */
export { DEFAULT_MAX_PIXELS, normalised };

/*
 * Every image Vitrine reads goes through here, so that the model, the colour analysis and the
 * thumbnails all see the same picture: EXIF orientation applied, converted to 8-bit sRGB (CMYK,
 * grayscale, 16-bit and palette images included), transparency flattened on a chosen colour, and a
 * pixel limit checked before decoding so that a "decompression bomb" (a tiny file that claims to
 * be gigapixels) is refused instead of exhausting memory.
 */

/** How a non-square image becomes the backbone's square input. */
export type Fit = 'letterbox' | 'crop';

/**
 * Letterbox padding is black: it is what most image backbones were trained to treat as "nothing",
 * and it never looks like the museum's own grey or white photographic background.
 */
export const LETTERBOX_COLOUR = '#000000';

/** Where an image comes from: its path (named in messages) and, when already read, its bytes. */
export interface ImageSource {
  /** Path of the image; used in every message. */
  file: string;
  /** The file's bytes when the caller has them already (avoids a second read). */
  data?: Uint8Array;
}

/** Facts about an image read from its header, without decoding the pixels. */
export interface ImageInfo {
  /** Width and height after EXIF orientation. */
  width: number;
  height: number;
  /** md5 of the file's bytes (the DVC object hash). */
  md5: string;
  /** Container format as sharp names it ("jpeg", "png", "webp"...). */
  format: string;
  bytes: number;
  /** The file has a transparency (alpha) channel: grey and alpha, RGBA. */
  hasAlpha: boolean;
}

/** Read an image's size (after EXIF orientation) and md5; refuses images over `maxPixels`. */
export async function readImageInfo({
  file,
  data,
  maxPixels = DEFAULT_MAX_PIXELS,
}: ImageSource & { maxPixels?: number }): Promise<ImageInfo> {
  const bytes = data ?? (await readImageBytes({ file }));
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }).metadata();
  } catch (error) {
    throw imageError({ error, file, maxPixels });
  }
  if (!meta.width || !meta.height)
    throw new VitrineError(
      'IMAGE_UNREADABLE',
      `${file}: this image has no size in its header; it may be damaged or not an image.`,
      { file },
    );
  // metadata() reads the header only, so check the limit here as decoding would.
  if (meta.width * meta.height > maxPixels) throw tooLarge({ file, width: meta.width, height: meta.height, maxPixels });
  return {
    width: meta.autoOrient?.width ?? meta.width,
    height: meta.autoOrient?.height ?? meta.height,
    md5: md5Of(bytes),
    format: meta.format ?? 'unknown',
    bytes: bytes.byteLength,
    hasAlpha: meta.hasAlpha === true,
  };
}

/**
 * The backbone's input for one image: RGB uint8, `size`×`size`×3, row-major. Letterbox keeps the
 * whole image and pads with black (LETTERBOX_COLOUR); crop takes the centre square.
 */
export async function prepareModelInput({
  file,
  data,
  size,
  fit,
  maxPixels = DEFAULT_MAX_PIXELS,
  background = '#ffffff',
}: ImageSource & { size: number; fit: Fit; maxPixels?: number; background?: string }): Promise<Uint8Array> {
  const bytes = data ?? (await readImageBytes({ file }));
  try {
    const { data: pixels, info } = await normalised({ data: bytes, maxPixels, background })
      .resize(
        size,
        size,
        fit === 'crop' ? { fit: 'cover', position: 'centre' } : { fit: 'contain', background: LETTERBOX_COLOUR },
      )
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || pixels.length !== size * size * 3) {
      throw new VitrineError(
        'IMAGE_UNREADABLE',
        `${file}: the image did not convert to ${size}×${size} RGB (got ${info.width}×${info.height}×${info.channels}).`,
        { file },
      );
    }
    return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length);
  } catch (error) {
    throw imageError({ error, file, maxPixels });
  }
}

/**
 * A small RGB copy of the image that fits inside `size`×`size` (aspect kept, no padding), for
 * colour analysis and image statistics.
 */
export async function readSmallPixels({
  file,
  data,
  size = 64,
  maxPixels = DEFAULT_MAX_PIXELS,
  background = '#ffffff',
}: ImageSource & { size?: number; maxPixels?: number; background?: string }): Promise<{
  pixels: Uint8Array;
  width: number;
  height: number;
}> {
  const bytes = data ?? (await readImageBytes({ file }));
  try {
    const { data: pixels, info } = await normalised({ data: bytes, maxPixels, background })
      .resize(size, size, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      pixels: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length),
      width: info.width,
      height: info.height,
    };
  } catch (error) {
    throw imageError({ error, file, maxPixels });
  }
}

/** Read an image file's bytes; a missing file is IMAGE_MISSING naming it. */
export async function readImageBytes({ file }: { file: string }): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new VitrineError('IMAGE_MISSING', `${file}: the image file does not exist.`, { file });
    throw new VitrineError(
      'IMAGE_UNREADABLE',
      `${file}: the image file cannot be read (${(error as Error).message}).`,
      { file },
      { cause: error },
    );
  }
}

/** md5 hex of some bytes (the same hash DVC uses for files). */
export function md5Of(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** Why an image could not be used, without the file name (the same bytes may sit under several names). */
export interface DecodeFailure {
  code: string;
  reason: string;
}

/** `unreadable.json` next to the dataset's `images.json`: images that failed to decode, by md5. */
const FAILURES_FILE = 'unreadable.json';

interface FailuresFile {
  schema: 'vitrine.unreadable-images/1';
  /** What a failure depends on besides the bytes: the pixel limit and the decoder's version. */
  key: string;
  failures: Record<string, DecodeFailure>;
}

/** What a remembered decode failure depends on besides the bytes. */
export function failuresKey({ maxPixels }: { maxPixels: number }): string {
  return `max_pixels=${maxPixels};vips=${sharp.versions.vips}`;
}

/**
 * The images (by md5) that failed to decode in an earlier run with the same pixel limit and decoder,
 * so they are reported again without being decoded again. New bytes have a new md5 and are read.
 */
export async function loadDecodeFailures({
  dir,
  maxPixels,
}: {
  dir: string;
  maxPixels: number;
}): Promise<Map<string, DecodeFailure>> {
  try {
    const file = JSON.parse(await readFile(path.join(dir, FAILURES_FILE), 'utf8')) as FailuresFile;
    if (file.schema !== 'vitrine.unreadable-images/1' || file.key !== failuresKey({ maxPixels }) || !file.failures)
      return new Map();
    return new Map(Object.entries(file.failures));
  } catch {
    return new Map(); // none yet, or damaged: decoding again only costs time
  }
}

/** Remember the failures of the images still in use (atomically). */
export async function saveDecodeFailures({
  dir,
  maxPixels,
  failures,
}: {
  dir: string;
  maxPixels: number;
  failures: Map<string, DecodeFailure>;
}): Promise<void> {
  const sorted = Object.fromEntries([...failures].sort(([a], [b]) => (a < b ? -1 : 1)));
  const value: FailuresFile = {
    schema: 'vitrine.unreadable-images/1',
    key: failuresKey({ maxPixels }),
    failures: sorted,
  };
  // Named by its process: a later dataset stage removes the temporary file of a killed one (removeLeftTemps).
  await writeJsonAtomic({ file: path.join(dir, FAILURES_FILE), value, temp: tempName });
}

/** The failure to remember from an image error raised for `file`. */
export function decodeFailureOf({ error, file }: { error: VitrineError; file: string }): DecodeFailure {
  return {
    code: error.code,
    reason: error.message.startsWith(`${file}: `) ? error.message.slice(file.length + 2) : error.message,
  };
}

/** A remembered failure as the error the decoder gave, naming `file`. */
export function decodeFailureError({ failure, file }: { failure: DecodeFailure; file: string }): VitrineError {
  return new VitrineError(failure.code, `${file}: ${failure.reason}`, { file });
}

/** Turn a sharp failure into IMAGE_TOO_LARGE or IMAGE_UNREADABLE naming the file. */
export function imageError({
  error,
  file,
  maxPixels,
}: {
  error: unknown;
  file: string;
  maxPixels: number;
}): VitrineError {
  if (error instanceof VitrineError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new VitrineError(
      'IMAGE_TOO_LARGE',
      `${file}: the image has more than ${maxPixels.toLocaleString('en')} pixels (dataset.image.max_pixels); it ` +
        `was refused to protect memory. Resize it, or raise the limit if it is genuine.`,
      { file, maxPixels },
      { cause: error },
    );
  }
  // sharp's words for a file of 0 bytes: a copy that never finished, or a placeholder.
  if (/input buffer is empty/i.test(message))
    return new VitrineError(
      'IMAGE_UNREADABLE',
      `${file}: ${EMPTY_FILE}, so there is no picture in it: it was not copied whole, or is a ` +
        'placeholder. Copy the photograph again from where it came from.',
      { file },
      { cause: error },
    );
  // libheif's words for a HEIC photo a phone took: its picture is HEVC, which the bundled decoder cannot read.
  if (/\bHEVC\b/i.test(message))
    return new VitrineError(
      'IMAGE_UNREADABLE',
      `${file}: this is a HEIC photo from a phone (HEVC), which cannot be read: Vitrine's image decoder has no HEVC ` +
        'support. Export it as JPEG or TIFF and import the collection again with the new file.',
      { file },
      { cause: error },
    );
  return new VitrineError(
    'IMAGE_UNREADABLE',
    `${file}: this image cannot be decoded; it may be damaged or in an unsupported format (${message.split('\n')[0]}).`,
    { file },
    { cause: error },
  );
}

function tooLarge({
  file,
  width,
  height,
  maxPixels,
}: {
  file: string;
  width: number;
  height: number;
  maxPixels: number;
}): VitrineError {
  return new VitrineError(
    'IMAGE_TOO_LARGE',
    `${file}: the image is ${width}×${height} (${(width * height).toLocaleString('en')} pixels), more ` +
      `than ${maxPixels.toLocaleString('en')} (dataset.image.max_pixels); it was refused to protect memory. ` +
      `Resize it, or raise the limit if it is genuine.`,
    { file, width, height, maxPixels },
  );
}
