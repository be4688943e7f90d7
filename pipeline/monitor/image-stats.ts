import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readSmallPixels } from '../dataset/images.ts';
import { writeJsonAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import type { ImageStatName } from './types.ts';

/*
 * Simple facts about each photograph that change when the photography changes: how big it is, how
 * bright and colourful, and the tone of its background (the image border, where studio photographs
 * show the backdrop). Computed on a 64-pixel copy and cached by image md5.
 */

/** The statistics of one image (size and aspect come from the dataset's pixel size). */
export interface ImageStats {
  /** Mean lightness (Rec. 709 luma), 0-1. */
  brightness: number;
  /** Mean HSV saturation, 0-1. */
  saturation: number;
  /** Mean lightness of the border ring, 0-1. */
  backgroundBrightness: number;
  /** Mean chroma (max − min channel) of the border ring, 0-1: 0 for a grey backdrop. */
  backgroundColourfulness: number;
}

/** Each statistic: plain-words description, and the smallest spread that counts (see standardisedDifference). */
export const IMAGE_STATS: {
  name: ImageStatName;
  description: string;
  floor: number;
  of: (s: ImageStats & { width: number; height: number }) => number;
}[] = [
  {
    name: 'size',
    description: 'image size (log2 of the pixel count)',
    floor: 0.25,
    of: (s) => Math.log2(Math.max(1, s.width * s.height)),
  },
  {
    name: 'aspect',
    description: 'shape (log2 of width over height)',
    floor: 0.05,
    of: (s) => Math.log2(Math.max(1, s.width) / Math.max(1, s.height)),
  },
  { name: 'brightness', description: 'brightness (mean lightness, 0-1)', floor: 0.02, of: (s) => s.brightness },
  { name: 'saturation', description: 'colour saturation (0-1)', floor: 0.02, of: (s) => s.saturation },
  {
    name: 'background-brightness',
    description: 'background brightness (image border, 0-1)',
    floor: 0.02,
    of: (s) => s.backgroundBrightness,
  },
  {
    name: 'background-colourfulness',
    description: 'background colour (0 = grey backdrop, 1 = vivid colour)',
    floor: 0.02,
    of: (s) => s.backgroundColourfulness,
  },
];

/** Statistics of RGB pixels (3 bytes each) of a `width`×`height` image. */
export function statsOfPixels({
  pixels,
  width,
  height,
}: {
  pixels: Uint8Array;
  width: number;
  height: number;
}): ImageStats {
  // The border ring is about 8% of the shorter side, at least one pixel.
  const ring = Math.max(1, Math.round(Math.min(width, height) * 0.08));
  let luma = 0;
  let sat = 0;
  let bgLuma = 0;
  let bgChroma = 0;
  let bgCount = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const r = pixels[i]! / 255;
      const g = pixels[i + 1]! / 255;
      const b = pixels[i + 2]! / 255;
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      luma += l;
      sat += max > 0 ? (max - min) / max : 0;
      if (x < ring || y < ring || x >= width - ring || y >= height - ring) {
        bgLuma += l;
        bgChroma += max - min;
        bgCount++;
      }
    }
  }
  const n = Math.max(1, width * height);
  return {
    brightness: luma / n,
    saturation: sat / n,
    backgroundBrightness: bgLuma / Math.max(1, bgCount),
    backgroundColourfulness: bgChroma / Math.max(1, bgCount),
  };
}

/** Image statistics for many images, read from the cache file when known (keyed by image md5). */
export async function imageStatistics({
  items,
  cacheFile,
  background = '#ffffff',
  log,
}: {
  items: { key: string; file: string }[];
  /** JSON cache of md5 → ImageStats; null for none. */
  cacheFile: string | null;
  background?: string;
  log: Logger;
}): Promise<Map<string, ImageStats>> {
  const cache = cacheFile ? await readCache(cacheFile, log) : {};
  const out = new Map<string, ImageStats>();
  const todo = items.filter((item) => {
    const hit = cache[item.key];
    if (hit) out.set(item.key, hit);
    return !hit;
  });
  if (todo.length > 0) {
    const progress = log.progress('Measuring images', todo.length);
    for (const item of todo) {
      const small = await readSmallPixels({ file: item.file, size: 64, background });
      const stats = statsOfPixels(small);
      out.set(item.key, stats);
      cache[item.key] = stats;
      progress.tick();
    }
    progress.done();
    if (cacheFile) {
      // A cache that cannot be written only costs time next run.
      await writeJsonAtomic({ file: cacheFile, value: cache }).catch((error: unknown) =>
        log.warn(
          `Could not save the image statistics cache (${(error as Error).message}); they will be measured again next time.`,
          { file: path.basename(cacheFile) },
        ),
      );
    }
  }
  return out;
}

async function readCache(file: string, log: Logger): Promise<Record<string, ImageStats>> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, ImageStats>) : {};
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      log.warn(`The image statistics cache is unreadable and will be rebuilt (${(error as Error).message}).`);
    return {};
  }
}
