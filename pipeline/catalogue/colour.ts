/*
 * Colour search and tidy facet values. Pure functions (no Node APIs): the site's colour page runs
 * `nearestByColour` in the browser over the index the catalogue stage writes.
 *
 * Colours are compared in CIELAB (D65) by ΔE*ab (CIE76, the straight-line distance): about 2 is a
 * just-noticeable difference, under 10 reads as "the same colour, a bit off", over 25 as different.
 */

export type Lab = [number, number, number];

/** "#b5502f" → CIELAB (D65 white, sRGB companding). */
export function hexToLab(hex: string): Lab {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return [0, 0, 0];
  const lin = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [lin(parseInt(m[1]!, 16)), lin(parseInt(m[2]!, 16)), lin(parseInt(m[3]!, 16))];
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** ΔE*ab (CIE76). */
export function deltaE(a: Lab, b: Lab): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** The precomputed colour index (`data/colours.json`): objects, and one row per palette colour. */
export interface ColourIndex {
  /** `number`: the object number, shown on the picker's cards as other lists show it (absent in older indexes). */
  objects: { slug: string; title: string; number?: string; alt: string; thumb: string | null }[];
  /** [object index, L, a, b, share in %], L/a/b rounded to 0.1. */
  colours: [number, number, number, number, number][];
}

/** Build the index from each object's palette (hex and share of the picture). */
export function colourIndex(
  objects: {
    slug: string;
    title: string;
    number?: string;
    alt: string;
    thumb: string | null;
    colours: { hex: string; share: number }[];
  }[],
): ColourIndex {
  const round = (x: number) => Math.round(x * 10) / 10;
  const colours: ColourIndex['colours'] = [];
  objects.forEach((o, i) => {
    for (const c of o.colours) {
      const [l, a, b] = hexToLab(c.hex);
      colours.push([i, round(l), round(a), round(b), Math.round(c.share * 100)]);
    }
  });
  return {
    objects: objects.map(({ slug, title, number, alt, thumb }) => ({
      slug,
      title,
      ...(number === undefined ? {} : { number }),
      alt,
      thumb,
    })),
    colours,
  };
}

/**
 * Objects with a palette colour near the one picked: each object by its closest colour that covers
 * at least `minShare` % of the picture, within `maxDeltaE`, nearest first (larger share first on a tie).
 */
export function nearestByColour({
  index,
  hex,
  limit,
  maxDeltaE = 20,
  minShare = 5,
}: {
  index: ColourIndex;
  hex: string;
  limit: number;
  maxDeltaE?: number;
  minShare?: number;
}): (ColourIndex['objects'][number] & { deltaE: number; share: number })[] {
  const target = hexToLab(hex);
  const best = new Map<number, { deltaE: number; share: number }>();
  for (const [i, l, a, b, share] of index.colours) {
    if (share < minShare) continue;
    const d = deltaE(target, [l, a, b]);
    if (d > maxDeltaE) continue;
    const seen = best.get(i);
    if (!seen || d < seen.deltaE) best.set(i, { deltaE: d, share });
  }
  return [...best]
    .sort((x, y) => x[1].deltaE - y[1].deltaE || y[1].share - x[1].share)
    .slice(0, limit)
    .map(([i, m]) => ({ ...index.objects[i]!, ...m }));
}

/** How many objects are shown with the nearest colours when none has a colour close to the one picked. */
export const NEAREST_SHOWN = 12;

/**
 * The objects for a colour picked: those with a close colour (nearestByColour), or, when none has one (a pure blue
 * against photographs' muted colours: a public tester got "No object has a colour close to #0000ff" beside 35 blue
 * objects), the few whose colours are nearest, with `close` false so that the page says so.
 */
export function coloursNear({ index, hex, limit }: { index: ColourIndex; hex: string; limit: number }): {
  close: boolean;
  found: ReturnType<typeof nearestByColour>;
} {
  const found = nearestByColour({ index, hex, limit });
  if (found.length > 0) return { close: true, found };
  return {
    close: false,
    found: nearestByColour({ index, hex, limit: Math.min(limit, NEAREST_SHOWN), maxDeltaE: Number.POSITIVE_INFINITY }),
  };
}

/**
 * An object's colours with each name once (a public tester read "silver" twice in one object's colours): the
 * dataset stage names each patch of the photograph, and two patches can take one name. Patches of one name are
 * one colour, with the hex (and the rest) of the larger patch and the shares added up; largest share first.
 */
export function distinctColours<T extends { name: string; share: number }>(colours: T[]): T[] {
  const byName = new Map<string, { largest: T; share: number }>();
  for (const c of colours) {
    const seen = byName.get(c.name);
    if (!seen) byName.set(c.name, { largest: c, share: c.share });
    else {
      seen.share += c.share;
      if (c.share > seen.largest.share) seen.largest = c;
    }
  }
  return [...byName.values()]
    .map(({ largest, share }) => (share === largest.share ? largest : { ...largest, share }))
    .sort((a, b) => b.share - a.share);
}

/** A medium's comparison key: case, a parenthetical gloss and spacing do not make a different medium. */
export function mediumKey(value: string): string {
  return value
    .toLowerCase()
    .replace(/\s*\([^)]*\)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Each value → the spelling shown for it: the most common spelling among the values with its key. */
export function normaliseValues(values: string[]): Map<string, string> {
  const spellings = new Map<string, Map<string, number>>();
  for (const v of values) {
    if (!v.trim()) continue;
    const key = mediumKey(v);
    const m = spellings.get(key) ?? new Map<string, number>();
    m.set(v, (m.get(v) ?? 0) + 1);
    spellings.set(key, m);
  }
  const out = new Map<string, string>();
  for (const m of spellings.values()) {
    const shown = [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    for (const v of m.keys()) out.set(v, shown);
  }
  return out;
}
