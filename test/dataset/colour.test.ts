import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { deltaE94, dominantColours, labToRgb, nameColour, rgbToLab } from '../../pipeline/dataset/colour.ts';
import { COLOUR_FAMILIES, NAMED_COLOURS } from '../../pipeline/dataset/colour-names.ts';
import { readSmallPixels } from '../../pipeline/dataset/images.ts';

/** A photograph-like JPEG: an object drawn with SVG on a backdrop, possibly with black side bars. */
async function photo({
  backdrop,
  body,
  bars = false,
}: {
  backdrop: string;
  body: string;
  bars?: boolean;
}): Promise<Buffer> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="500">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${backdrop}"/><stop ` +
    `offset="1" stop-color="${backdrop}" stop-opacity="0.85"/></linearGradient></defs>
    <rect width="400" height="500" fill="#000"/>
    <rect x="${bars ? 50 : 0}" width="${bars ? 300 : 400}" height="500" fill="url(#g)"/>
    ${body}
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}
const vase = (fill: string) =>
  `<ellipse cx="200" cy="290" rx="100" ry="150" fill="${fill}"/><rect x="165" y="90" width="70" height="70" fill="${fill}"/>`;

async function coloursOf(data: Buffer) {
  return dominantColours({ ...(await readSmallPixels({ file: 'test.jpg', data, size: 64 })) });
}

describe('dominant colours', () => {
  it('finds a red vase on a grey backdrop as red, with no grey', async () => {
    const colours = await coloursOf(await photo({ backdrop: '#8c8c8c', body: vase('#b8231d') }));
    expect(colours[0]!.family).toBe('red');
    expect(colours[0]!.share).toBeGreaterThan(0.8);
    expect(colours.map((c) => c.family)).not.toContain('grey');
  });

  it('ignores white and black backdrops, and black bars beside a grey one', async () => {
    for (const [backdrop, bars] of [
      ['#f4f4f4', false],
      ['#0c0c0c', false],
      ['#9a9a9a', true],
    ] as const) {
      const colours = await coloursOf(await photo({ backdrop, body: vase('#2a5ccc'), bars }));
      expect(colours[0]!.family, `on ${backdrop}`).toBe('blue');
      expect(
        colours.map((c) => c.family),
        `on ${backdrop}`,
      ).not.toContain(backdrop === '#0c0c0c' ? 'black' : backdrop === '#f4f4f4' ? 'white' : 'grey');
      expect(colours.map((c) => c.family)).not.toContain('black');
    }
  });

  it('keeps a grey object on a white backdrop', async () => {
    const colours = await coloursOf(await photo({ backdrop: '#f6f6f6', body: vase('#6e6e6e') }));
    expect(colours[0]!.family).toBe('grey');
    expect(colours.map((c) => c.family)).not.toContain('white');
  });

  it('keeps every colour of a textile that fills the frame (no backdrop)', async () => {
    const stripes = Array.from(
      { length: 10 },
      (_, i) => `<rect x="${i * 40}" width="40" height="500" fill="${i % 2 ? '#2f8f3a' : '#e0c020'}"/>`,
    ).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="500">${stripes}</svg>`;
    const colours = await coloursOf(await sharp(Buffer.from(svg)).png().toBuffer());
    const families = colours.map((c) => c.family);
    expect(families).toContain('green');
    expect(families).toContain('yellow');
    expect(colours[0]!.share + colours[1]!.share).toBeGreaterThan(0.8);
  });

  it('gives shares of the object, largest first, and is deterministic', async () => {
    const body = `${vase('#b8231d')}<rect x="150" y="250" width="100" height="120" fill="#2a5ccc"/>`;
    const data = await photo({ backdrop: '#8c8c8c', body });
    const colours = await coloursOf(data);
    expect(colours.map((c) => c.family).slice(0, 2)).toEqual(['red', 'blue']);
    for (let i = 1; i < colours.length; i++) expect(colours[i]!.share).toBeLessThanOrEqual(colours[i - 1]!.share);
    expect(colours.reduce((s, c) => s + c.share, 0)).toBeLessThanOrEqual(1.001);
    expect(await coloursOf(data)).toEqual(colours);
  });

  it('respects count and min share', async () => {
    const body =
      `${vase('#b8231d')}<rect x="150" y="250" width="100" height="120" fill="#2a5ccc"/><rect ` +
      `x="185" y="100" width="30" height="20" fill="#f5dc1e"/>`;
    const small = await readSmallPixels({ file: 'x.jpg', data: await photo({ backdrop: '#8c8c8c', body }), size: 64 });
    expect(dominantColours({ ...small, count: 1 })).toHaveLength(1);
    for (const c of dominantColours({ ...small, minShare: 0.2 })) expect(c.share).toBeGreaterThanOrEqual(0.2);
  });
});

describe('colour names', () => {
  it('round-trips sRGB through CIELAB', () => {
    for (const hex of ['#000000', '#ffffff', '#d42a24', '#2a5ccc', '#7f7f7f', '#9acd32']) {
      const n = Number.parseInt(hex.slice(1), 16);
      const rgb: [number, number, number] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
      expect(labToRgb(rgbToLab(...rgb))).toEqual(rgb);
    }
    expect(rgbToLab(255, 255, 255)[0]).toBeCloseTo(100, 1);
  });

  it('snaps plain colours to their everyday family', () => {
    const family = (r: number, g: number, b: number) => nameColour(rgbToLab(r, g, b)).family;
    expect(family(220, 30, 30)).toBe('red');
    expect(family(30, 160, 50)).toBe('green');
    expect(family(30, 60, 200)).toBe('blue');
    expect(family(250, 220, 20)).toBe('yellow');
    expect(family(240, 130, 30)).toBe('orange');
    expect(family(120, 40, 170)).toBe('purple');
    expect(family(245, 170, 195)).toBe('pink');
    expect(family(110, 70, 40)).toBe('brown');
    expect(family(5, 5, 5)).toBe('black');
    expect(family(250, 250, 250)).toBe('white');
    expect(family(128, 128, 128)).toBe('grey');
  });

  it('names every listed colour as itself, in a known family', () => {
    for (const named of NAMED_COLOURS) {
      const n = Number.parseInt(named.hex.slice(1), 16);
      expect(nameColour(rgbToLab((n >> 16) & 255, (n >> 8) & 255, n & 255)).name).toBe(named.name);
      expect(COLOUR_FAMILIES).toContain(named.family);
    }
    expect(new Set(NAMED_COLOURS.map((c) => c.name)).size).toBe(NAMED_COLOURS.length);
    expect(deltaE94([50, 10, 10], [50, 10, 10])).toBe(0);
  });
});
