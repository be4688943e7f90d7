import type { Sharp } from 'sharp';
import sharp from 'sharp';

/*
 * How a photograph is decoded into pixels, alone in a module that imports only sharp: the hash of the code that
 * cuts the deep-zoom tiles and large pictures (`tilesCodeHash` in catalogue/pictures.ts) takes in catalogue/tiles.ts
 * and this file, and nothing else, so a change to Vitrine's messages, safe writes or temporary names (errors.ts,
 * fs.ts, data/temp.ts, the rest of images.ts) does not tile every picture of every museum again. Keep it so: no
 * import of Vitrine's own here (test/stages/cache-code-scope.test.ts).
 */

/**
 * Most pixels an image may have by default (dataset.image.max_pixels): 250 million, a 19,000 × 13,000 scan.
 * Museum masters of 100–150 million pixels are common (a tester's 12,000 × 9,000 was refused at 100 million);
 * decoding one that large took about 300 MB. Far larger files are refused from their header, before decoding.
 */
export const DEFAULT_MAX_PIXELS = 250_000_000;

/**
 * A sharp pipeline that decodes `data` to oriented, flattened 8-bit sRGB with three channels. Add a
 * resize and an output format. Errors are sharp's; wrap them with `imageError` (images.ts). `data` may be a file's
 * path instead of its bytes, for a master too large to hold in memory twice (the catalogue's tiles).
 */
export function normalised({
  data,
  maxPixels = DEFAULT_MAX_PIXELS,
  background = '#ffffff',
}: {
  data: Uint8Array | string;
  maxPixels?: number;
  background?: string;
}): Sharp {
  return sharp(data, { limitInputPixels: maxPixels, failOn: 'error', autoOrient: true })
    .flatten({ background })
    .toColourspace('srgb')
    .removeAlpha();
}
