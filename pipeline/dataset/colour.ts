import type { DominantColour } from '../types.ts';
import { NAMED_COLOURS, type NamedColour } from './colour-names.ts';

/*
 * Dominant colours of an object's photograph, for the catalogue's colour search. Museum photographs
 * put the object on a plain grey, black or white backdrop; that backdrop is found from the image's
 * border and removed before the palette is taken, so that a red vase on grey is "red", not "grey".
 * Everything runs on a small (~64 px) copy in CIELAB, where distances match what people see, and is
 * deterministic (median cut, then a few k-means rounds): the same image always gives the same palette.
 */

export type Lab = [number, number, number];

// sRGB gamma decoding of each 8-bit value, computed once (it dominates the cost of a palette).
const LINEAR = Float64Array.from({ length: 256 }, (_, c) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
});

/** sRGB (0-255 integers) to CIELAB (D65). */
export function rgbToLab(r: number, g: number, b: number): Lab {
  const R = LINEAR[r]!;
  const G = LINEAR[g]!;
  const B = LINEAR[b]!;
  const x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / 0.95047;
  const y = 0.2126729 * R + 0.7151522 * G + 0.072175 * B;
  const z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIELAB (D65) to sRGB (0-255, clamped). */
export function labToRgb([L, a, b]: Lab): [number, number, number] {
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (t: number) => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));
  const x = inv(fx) * 0.95047;
  const y = inv(fy);
  const z = inv(fz) * 1.08883;
  const R = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
  const G = -0.969266 * x + 1.8760108 * y + 0.041556 * z;
  const B = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
  const gamma = (v: number) => {
    const c = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
    return Math.max(0, Math.min(255, Math.round(c * 255)));
  };
  return [gamma(R), gamma(G), gamma(B)];
}

export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function rgbToHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** CIE94 colour difference (graphic arts weights), symmetric in its arguments. */
export function deltaE94(p: Lab, q: Lab): number {
  const dL = p[0] - q[0];
  const c1 = Math.hypot(p[1], p[2]);
  const c2 = Math.hypot(q[1], q[2]);
  const dC = c1 - c2;
  const dH2 = Math.max(0, (p[1] - q[1]) ** 2 + (p[2] - q[2]) ** 2 - dC ** 2);
  const c = Math.sqrt(c1 * c2);
  const sC = 1 + 0.045 * c;
  const sH = 1 + 0.015 * c;
  return Math.sqrt(dL ** 2 + (dC / sC) ** 2 + dH2 / sH ** 2);
}

const NAMED_LAB: { colour: NamedColour; lab: Lab }[] = NAMED_COLOURS.map((colour) => ({
  colour,
  lab: rgbToLab(...hexToRgb(colour.hex)),
}));

// A colour with less chroma than this is a grey to anyone: black, charcoal, grey, silver or white.
const NEUTRAL_CHROMA = 5;

const NEUTRAL_LAB = NAMED_LAB.filter(({ lab }) => Math.hypot(lab[1], lab[2]) < NEUTRAL_CHROMA);

/**
 * The nearest named colour (CIE94) and its family. A grey is named among the greys: by distance alone, a plain
 * mid grey was "slate", a blue-grey, as near to it as "grey" is.
 */
export function nameColour(lab: Lab): NamedColour {
  const candidates = Math.hypot(lab[1], lab[2]) < NEUTRAL_CHROMA ? NEUTRAL_LAB : NAMED_LAB;
  let best = candidates[0]!;
  let bestDistance = Infinity;
  for (const entry of candidates) {
    const d = deltaE94(lab, entry.lab);
    if (d < bestDistance) {
      bestDistance = d;
      best = entry;
    }
  }
  return best.colour;
}

/** Options of the palette; defaults as in params.yaml `dataset.colours`. */
export interface PaletteOptions {
  /** Colours kept. */
  count?: number;
  /** Colours under this share of the object's pixels are dropped. */
  minShare?: number;
}

// Pixels at least this opaque (of 255) are the object's, when the image has transparency; the others blend it with
// the colour transparency was flattened on.
const OPAQUE = 200;

/**
 * The dominant colours of an RGB image (small, row-major, 3 channels), backdrop removed, largest
 * share first. Shares are fractions of the object's pixels. `alpha` (one value a pixel), when the image has
 * transparency: the opaque pixels are the object, and no backdrop is looked for.
 */
export function dominantColours({
  pixels,
  width,
  height,
  alpha,
  count = 5,
  minShare = 0.04,
}: { pixels: Uint8Array; width: number; height: number; alpha?: Uint8Array } & PaletteOptions): DominantColour[] {
  const n = width * height;
  const lab = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const [L, a, b] = rgbToLab(pixels[i * 3]!, pixels[i * 3 + 1]!, pixels[i * 3 + 2]!);
    lab[i * 3] = L;
    lab[i * 3 + 1] = a;
    lab[i * 3 + 2] = b;
  }
  const object = alphaMask(alpha, n) ?? objectMask({ lab, width, height });
  const indices: number[] = [];
  for (let i = 0; i < n; i++) if (object[i]) indices.push(i);
  if (indices.length === 0) return [];
  const clusters = palette({ lab, indices, k: Math.min(count + 3, indices.length) });
  return clusters
    .map(({ centre, size }) => ({ centre, share: size / indices.length }))
    .filter((c) => c.share >= minShare)
    .slice(0, count)
    .map(({ centre, share }) => {
      const named = nameColour(centre);
      const round1 = (v: number) => Math.round(v * 10) / 10;
      return {
        hex: rgbToHex(labToRgb(centre)),
        lab: [round1(centre[0]), round1(centre[1]), round1(centre[2])] as Lab,
        share: Math.round(share * 1000) / 1000,
        name: named.name,
        family: named.family,
      };
    });
}

/** The opaque pixels, when some are transparent and some opaque; otherwise null (the backdrop is looked for). */
function alphaMask(alpha: Uint8Array | undefined, n: number): Uint8Array | null {
  if (!alpha || alpha.length !== n) return null;
  const mask = alpha.map((a) => (a >= OPAQUE ? 1 : 0));
  const opaque = mask.reduce((sum, v) => sum + v, 0);
  return opaque > 0 && opaque < n ? mask : null;
}

// Palette colours closer than this (CIE94) are one colour to a visitor.
const MERGE_DISTANCE = 8;

// A backdrop is neutral: a border whose typical colour is more saturated than this is the object.
const BACKDROP_MAX_CHROMA = 14;
// How far (lightness counted a third, for shading and vignetting) a pixel may be from the backdrop.
const BACKDROP_TOLERANCE = 9;
// A backdrop colour covers at least this share of the border...
const BACKDROP_MIN_SHARE = 0.15;
// ...and together the backdrops cover most of it, or the border is the object itself.
const BACKDROP_MIN_AGREEMENT = 0.5;

// Neighbouring pixels of the backdrop differ at most this much (CIELAB distance) where its lightness drifts.
const BACKDROP_STEP = 4;

function closeTo(lab: Float64Array, i: number, backdrop: Lab): boolean {
  return (
    Math.hypot((lab[i * 3]! - backdrop[0]) / 3, lab[i * 3 + 1]! - backdrop[1], lab[i * 3 + 2]! - backdrop[2]) <
    BACKDROP_TOLERANCE
  );
}

/** Close to the backdrop in lightness too: a grey no lighting of the backdrop explains. */
function sameAs(lab: Float64Array, i: number, backdrop: Lab): boolean {
  return (
    Math.hypot(lab[i * 3]! - backdrop[0], lab[i * 3 + 1]! - backdrop[1], lab[i * 3 + 2]! - backdrop[2]) <
    BACKDROP_TOLERANCE
  );
}

/** Neighbouring pixels `i` and `j` differ as the backdrop's shading does, not as an edge. */
function smoothStep(lab: Float64Array, i: number, j: number): boolean {
  return (
    Math.hypot(lab[i * 3]! - lab[j * 3]!, lab[i * 3 + 1]! - lab[j * 3 + 1]!, lab[i * 3 + 2]! - lab[j * 3 + 2]!) <=
    BACKDROP_STEP
  );
}

/**
 * Which pixels belong to the object: everything except the backdrop, found as the neutral colour
 * most of the border shares and flood-filled from the border (so object pixels of the same colour
 * inside the object stay). The object's outermost ring is dropped too, since at this size its pixels
 * are blends of object and backdrop. With no clear backdrop, every pixel is the object.
 */
export function objectMask({ lab, width, height }: { lab: Float64Array; width: number; height: number }): Uint8Array {
  const n = width * height;
  const mask = new Uint8Array(n).fill(1);
  if (width < 8 || height < 8) return mask;
  const ring = Math.max(1, Math.round(Math.min(width, height) / 32));
  const border: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < ring || y < ring || x >= width - ring || y >= height - ring) border.push(y * width + x);
    }
  }
  // Up to three backdrops: Cleveland's photographs, for one, add black bars beside a grey backdrop.
  const backdrops: Lab[] = [];
  let remaining = border.filter((i) => Math.hypot(lab[i * 3 + 1]!, lab[i * 3 + 2]!) <= BACKDROP_MAX_CHROMA);
  while (backdrops.length < 3 && remaining.length >= border.length * BACKDROP_MIN_SHARE) {
    const median = (channel: number) => {
      const values = remaining.map((i) => lab[i * 3 + channel]!).sort((p, q) => p - q);
      return values[values.length >> 1]!;
    };
    const candidate: Lab = [median(0), median(1), median(2)];
    const near = remaining.filter((i) => closeTo(lab, i, candidate));
    if (near.length < border.length * BACKDROP_MIN_SHARE) break;
    backdrops.push(candidate);
    remaining = remaining.filter((i) => !closeTo(lab, i, candidate));
  }
  if (backdrops.length === 0) return mask;
  const isBackdrop = (i: number) => backdrops.some((b) => closeTo(lab, i, b));
  const isSame = (i: number) => backdrops.some((b) => sameAs(lab, i, b));
  const agreeing = border.filter(isBackdrop);
  if (agreeing.length < border.length * BACKDROP_MIN_AGREEMENT) return mask;
  // Flood fill (4-connected) from the agreeing border pixels. A pixel lighter or darker than the backdrop (shading,
  // vignetting, a spotlight) is backdrop only when reached by small steps: where the lightness jumps, an object
  // begins. Without that, the greys of a black-and-white photograph that the backdrop's lightness did not match went
  // with the backdrop (only its colour can tell an object from a grey backdrop, and such a photograph has none).
  const stack = [...agreeing];
  for (const i of agreeing) mask[i] = 0;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width];
    for (const j of neighbours) {
      if (j >= 0 && j < n && mask[j] === 1 && isBackdrop(j) && (isSame(j) || smoothStep(lab, i, j))) {
        mask[j] = 0;
        stack.push(j);
      }
    }
  }
  const objectCount = mask.reduce((s, v) => s + v, 0);
  // Nearly all backdrop: the "backdrop" was the object itself (a grey stone filling the frame).
  if (objectCount < n * 0.01) return new Uint8Array(n).fill(1);
  const inner = new Uint8Array(mask);
  let innerCount = 0;
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    const x = i % width;
    const touches =
      (x > 0 && !mask[i - 1]) ||
      (x < width - 1 && !mask[i + 1]) ||
      (i >= width && !mask[i - width]) ||
      (i + width < n && !mask[i + width]);
    if (touches) inner[i] = 0;
    else innerCount++;
  }
  // Thin objects would vanish without their outline: keep it then.
  return innerCount >= objectCount * 0.4 ? inner : mask;
}

/** Median cut into `k` boxes, refined by k-means; clusters by size, largest first. */
export function palette({
  lab,
  indices,
  k,
  rounds = 6,
}: {
  lab: Float64Array;
  indices: number[];
  k: number;
  rounds?: number;
}): { centre: Lab; size: number }[] {
  const boxes: number[][] = [indices];
  while (boxes.length < k) {
    let pick = -1;
    let pickAxis = 0;
    let pickScore = 0;
    boxes.forEach((box, b) => {
      if (box.length < 2) return;
      for (let axis = 0; axis < 3; axis++) {
        let lo = Infinity;
        let hi = -Infinity;
        for (const i of box) {
          const v = lab[i * 3 + axis]!;
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        const score = (hi - lo) * Math.sqrt(box.length);
        if (score > pickScore) {
          pickScore = score;
          pick = b;
          pickAxis = axis;
        }
      }
    });
    if (pick < 0) break;
    const sorted = [...boxes[pick]!].sort((p, q) => lab[p * 3 + pickAxis]! - lab[q * 3 + pickAxis]! || p - q);
    const half = sorted.length >> 1;
    boxes.splice(pick, 1, sorted.slice(0, half), sorted.slice(half));
  }
  let centres = boxes.map((box) => mean(lab, box));
  let members: number[][] = boxes;
  for (let round = 0; round < rounds; round++) {
    members = centres.map(() => []);
    for (const i of indices) {
      let best = 0;
      let bestD = Infinity;
      centres.forEach((c, j) => {
        const d = (lab[i * 3]! - c[0]) ** 2 + (lab[i * 3 + 1]! - c[1]) ** 2 + (lab[i * 3 + 2]! - c[2]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      });
      members[best]!.push(i);
    }
    const kept = members.map((m, j) => ({ m, j })).filter(({ m }) => m.length > 0);
    members = kept.map(({ m }) => m);
    centres = members.map((m) => mean(lab, m));
  }
  // Merge clusters that people would call the same colour.
  const clusters = centres.map((centre, j) => ({ centre, size: members[j]!.length }));
  clusters.sort((p, q) => q.size - p.size || p.centre[0] - q.centre[0]);
  const merged: { centre: Lab; size: number }[] = [];
  for (const c of clusters) {
    const near = merged.find((m) => deltaE94(m.centre, c.centre) < MERGE_DISTANCE);
    if (!near) {
      merged.push({ centre: [...c.centre] as Lab, size: c.size });
      continue;
    }
    const total = near.size + c.size;
    near.centre = near.centre.map((v, axis) => (v * near.size + c.centre[axis]! * c.size) / total) as Lab;
    near.size = total;
  }
  return merged.sort((p, q) => q.size - p.size || p.centre[0] - q.centre[0]);
}

function mean(lab: Float64Array, members: number[]): Lab {
  const sum: Lab = [0, 0, 0];
  for (const i of members) {
    sum[0] += lab[i * 3]!;
    sum[1] += lab[i * 3 + 1]!;
    sum[2] += lab[i * 3 + 2]!;
  }
  const count = Math.max(1, members.length);
  return [sum[0] / count, sum[1] / count, sum[2] / count];
}
