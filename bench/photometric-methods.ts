/**
 * Photometric normalisation of a photograph before the backbone (issue 13): ways to make the
 * photographer's style (background colour, exposure, colour cast) count less. Plain functions over
 * RGB pixels (row-major, 3 bytes a pixel), so the same code can run in Node and in a browser.
 */

export type Photometric = 'none' | 'grey' | 'stretch' | 'greyworld' | 'background_balance' | 'background_mask';

export const PHOTOMETRIC_CHOICES: readonly Photometric[] = [
  'none',
  'grey',
  'stretch',
  'greyworld',
  'background_balance',
  'background_mask',
];

/** A pixel is "black bar" when no channel exceeds this (JPEG noise included). */
const BAR_LEVEL = 16;
/** The fixed grey that background_mask paints the background with. */
export const MASK_GREY = 128;

interface Region {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The photograph inside black letterbox bars, if any: bars are whole rows (top and bottom) or whole
 * columns (left and right) of near-black pixels, about as wide on both sides. Only one axis is
 * trimmed, so a photograph on a black background is not cut down to its object.
 */
export function contentRegion({
  pixels,
  width,
  height,
}: {
  pixels: Uint8Array;
  width: number;
  height: number;
}): Region {
  const dark = (x: number, y: number) => {
    const i = (y * width + x) * 3;
    return pixels[i]! <= BAR_LEVEL && pixels[i + 1]! <= BAR_LEVEL && pixels[i + 2]! <= BAR_LEVEL;
  };
  const rowDark = (y: number) => {
    for (let x = 0; x < width; x++) if (!dark(x, y)) return false;
    return true;
  };
  const colDark = (x: number) => {
    for (let y = 0; y < height; y++) if (!dark(x, y)) return false;
    return true;
  };
  let top = 0;
  while (top < height - 1 && rowDark(top)) top++;
  let bottom = height;
  while (bottom > top + 1 && rowDark(bottom - 1)) bottom--;
  let left = 0;
  while (left < width - 1 && colDark(left)) left++;
  let right = width;
  while (right > left + 1 && colDark(right - 1)) right--;
  const rows = top + (height - bottom);
  const cols = left + (width - right);
  const even = (a: number, b: number) => Math.abs(a - b) <= 2 + 0.02 * Math.max(width, height);
  const full = { left: 0, top: 0, right: width, bottom: height };
  if (rows >= cols && rows > 0 && even(top, height - bottom)) return { ...full, top, bottom };
  if (cols > rows && even(left, width - right)) return { ...full, left, right };
  return full;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** Median of each channel over the one-pixel-deep frame `depth` pixels wide around the region. */
export function borderColour({
  pixels,
  width,
  region,
  depth,
}: {
  pixels: Uint8Array;
  width: number;
  region: Region;
  depth: number;
}) {
  const channels: number[][] = [[], [], []];
  for (let y = region.top; y < region.bottom; y++) {
    for (let x = region.left; x < region.right; x++) {
      const edge =
        x - region.left < depth ||
        region.right - 1 - x < depth ||
        y - region.top < depth ||
        region.bottom - 1 - y < depth;
      if (!edge) continue;
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) channels[c]!.push(pixels[i + c]!);
    }
  }
  return channels.map((values) => {
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  });
}

/**
 * A normalised copy of the photograph (same size; black letterbox bars stay black):
 * - `grey`: luminance (Rec. 601) copied to the three channels;
 * - `stretch`: auto-levels, the 1st and 99th percentiles of luminance mapped to 0 and 255 (all channels alike);
 * - `greyworld`: each channel scaled so that its mean equals the mean of the three (grey-world white balance);
 * - `background_balance`: each channel scaled so that the background (the median colour of the photograph's
 *   border) becomes neutral grey of the same brightness;
 * - `background_mask`: pixels close to the background colour painted one fixed grey (MASK_GREY), blended
 *   over a margin so that the object's edges stay soft.
 */
export function normalisePhotograph({
  pixels,
  width,
  height,
  method,
}: {
  pixels: Uint8Array;
  width: number;
  height: number;
  method: Photometric;
}): Uint8Array {
  if (method === 'none') return pixels;
  const region = contentRegion({ pixels, width, height });
  const out = new Uint8Array(pixels);
  const each = (f: (i: number) => void) => {
    for (let y = region.top; y < region.bottom; y++) {
      for (let x = region.left; x < region.right; x++) f((y * width + x) * 3);
    }
  };
  const luminance = (i: number) => 0.299 * pixels[i]! + 0.587 * pixels[i + 1]! + 0.114 * pixels[i + 2]!;
  if (method === 'grey') {
    each((i) => {
      const l = clamp(luminance(i));
      out[i] = l;
      out[i + 1] = l;
      out[i + 2] = l;
    });
  } else if (method === 'stretch') {
    const histogram = new Uint32Array(256);
    let n = 0;
    each((i) => {
      histogram[clamp(luminance(i))]!++;
      n++;
    });
    const percentile = (p: number) => {
      let seen = 0;
      for (let v = 0; v < 256; v++) {
        seen += histogram[v]!;
        if (seen >= p * n) return v;
      }
      return 255;
    };
    const low = percentile(0.01);
    const high = percentile(0.99);
    if (high - low < 8) return out;
    const gain = 255 / (high - low);
    each((i) => {
      for (let c = 0; c < 3; c++) out[i + c] = clamp((pixels[i + c]! - low) * gain);
    });
  } else if (method === 'greyworld') {
    const sums = [0, 0, 0];
    each((i) => {
      for (let c = 0; c < 3; c++) sums[c]! += pixels[i + c]!;
    });
    const mean = (sums[0]! + sums[1]! + sums[2]!) / 3;
    const gains = sums.map((s) => (s > 0 ? mean / s : 1));
    each((i) => {
      for (let c = 0; c < 3; c++) out[i + c] = clamp(pixels[i + c]! * gains[c]!);
    });
  } else {
    const depth = Math.max(2, Math.round(Math.min(region.right - region.left, region.bottom - region.top) / 50));
    const bg = borderColour({ pixels, width, region, depth });
    if (method === 'background_balance') {
      const mean = (bg[0]! + bg[1]! + bg[2]!) / 3;
      // A near-black background says nothing about the light's colour: leave the photograph as it is.
      if (mean < 24) return out;
      const gains = bg.map((v) => mean / Math.max(v, 1));
      each((i) => {
        for (let c = 0; c < 3; c++) out[i + c] = clamp(pixels[i + c]! * gains[c]!);
      });
    } else {
      const [near, far] = [24, 64];
      each((i) => {
        const d = Math.hypot(pixels[i]! - bg[0]!, pixels[i + 1]! - bg[1]!, pixels[i + 2]! - bg[2]!);
        const keep = d <= near ? 0 : d >= far ? 1 : (d - near) / (far - near);
        for (let c = 0; c < 3; c++) out[i + c] = clamp(keep * pixels[i + c]! + (1 - keep) * MASK_GREY);
      });
    }
  }
  return out;
}
