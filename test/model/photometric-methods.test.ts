import { describe, expect, it } from 'vitest';
import { contentRegion, MASK_GREY, normalisePhotograph } from '../../bench/photometric-methods.ts';

/*
 * The photograph normalisations bench/photometric.ts measures (docs/backbone.md, "Photographs normalised
 * before the backbone"): on small synthetic photographs where the right answer is known, so that the
 * measured figures are about the method described, not a slip in it.
 */

/** A width×height photograph: a background colour, an object square in the middle, optional black bars. */
function photograph({
  width,
  height,
  background,
  object,
  bars = 0,
}: {
  width: number;
  height: number;
  background: [number, number, number];
  object: [number, number, number];
  bars?: number;
}) {
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inBar = y < bars || y >= height - bars;
      const inObject = Math.abs(x - width / 2) < width / 6 && Math.abs(y - height / 2) < height / 6;
      const colour = inBar ? [0, 0, 0] : inObject ? object : background;
      pixels.set(colour, i);
    }
  }
  return pixels;
}

const at = (pixels: Uint8Array, width: number, x: number, y: number) =>
  Array.from(pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3));

describe('photograph normalisations measured in docs/backbone.md', () => {
  const width = 60;
  const height = 60;
  const barred = photograph({ width, height, background: [220, 200, 160], object: [40, 90, 200], bars: 10 });

  it('finds black letterbox bars on one axis only, and not a black background', () => {
    expect(contentRegion({ pixels: barred, width, height })).toEqual({ left: 0, top: 10, right: 60, bottom: 50 });
    const dark = photograph({ width, height, background: [0, 0, 0], object: [200, 200, 200] });
    // Rows and columns alike are dark up to the object: that is a background, not bars, and it stays.
    const region = contentRegion({ pixels: dark, width, height });
    expect(region.right - region.left === width || region.bottom - region.top === height).toBe(true);
  });

  it('greyscale copies the luminance to the three channels and leaves the bars black', () => {
    const out = normalisePhotograph({ pixels: barred, width, height, method: 'grey' });
    const [r, g, b] = at(out, width, 30, 30);
    expect(r).toBe(g);
    expect(g).toBe(b);
    expect(r).toBe(Math.round(0.299 * 40 + 0.587 * 90 + 0.114 * 200));
    expect(at(out, width, 30, 2)).toEqual([0, 0, 0]);
  });

  it('background white balance makes the background neutral and keeps its brightness', () => {
    const out = normalisePhotograph({ pixels: barred, width, height, method: 'background_balance' });
    const [r, g, b] = at(out, width, 2, 12);
    expect(Math.max(r!, g!, b!) - Math.min(r!, g!, b!)).toBeLessThanOrEqual(1);
    expect(Math.abs(r! - (220 + 200 + 160) / 3)).toBeLessThanOrEqual(1);
  });

  it('the background mask paints the background one grey and keeps the object', () => {
    const out = normalisePhotograph({ pixels: barred, width, height, method: 'background_mask' });
    expect(at(out, width, 2, 12)).toEqual([MASK_GREY, MASK_GREY, MASK_GREY]);
    expect(at(out, width, 30, 30)).toEqual([40, 90, 200]);
    // A pixel 40 from the background's colour (between 24 and 64) is blended: neither kept nor painted.
    const shaded = new Uint8Array(barred);
    shaded.set([196, 168, 160], (20 * width + 5) * 3);
    const [r] = at(normalisePhotograph({ pixels: shaded, width, height, method: 'background_mask' }), width, 5, 20);
    expect(r).toBe(Math.round(0.4 * 196 + 0.6 * MASK_GREY));
  });

  it('grey-world equalises the channel means and auto-levels stretches to the full range', () => {
    const balanced = normalisePhotograph({ pixels: barred, width, height, method: 'greyworld' });
    const means = [0, 1, 2].map((c) => {
      let sum = 0;
      for (let y = 10; y < 50; y++) for (let x = 0; x < width; x++) sum += balanced[(y * width + x) * 3 + c]!;
      return sum / (40 * width);
    });
    expect(Math.max(...means) - Math.min(...means)).toBeLessThan(1);
    const stretched = normalisePhotograph({ pixels: barred, width, height, method: 'stretch' });
    const values = Array.from(stretched.subarray(10 * width * 3, 50 * width * 3));
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(255);
  });
});
