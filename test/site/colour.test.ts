import { describe, expect, it } from 'vitest';
import { colourIndex, distinctColours, mediumKey, normaliseValues } from '../../pipeline/catalogue/colour.ts';
import { coloursNear, deltaE, hexToLab, nearestByColour } from '../../site/src/lib/colour.ts';

describe('pick-any-colour search', () => {
  it('converts sRGB to CIELAB (D65) and measures ΔE*ab', () => {
    expect(hexToLab('#ffffff').map((x) => Math.round(x) + 0)).toEqual([100, 0, 0]);
    expect(hexToLab('#000000').map((x) => Math.round(x) + 0)).toEqual([0, 0, 0]);
    const red = hexToLab('#ff0000');
    expect(red[0]).toBeCloseTo(53.24, 1);
    expect(red[1]).toBeCloseTo(80.09, 1);
    expect(red[2]).toBeCloseTo(67.2, 1);
    expect(deltaE([50, 0, 0], [53, 4, 0])).toBeCloseTo(5, 6);
  });

  it('finds the objects whose palette has a colour nearest the one picked, nearest first, within a ΔE limit', () => {
    const index = colourIndex([
      {
        slug: 'brick',
        title: 'Brick',
        alt: '',
        thumb: null,
        colours: [
          { hex: '#b5502f', share: 0.6 },
          { hex: '#eeeeee', share: 0.4 },
        ],
      },
      { slug: 'sky', title: 'Sky', alt: '', thumb: null, colours: [{ hex: '#5c8fd6', share: 0.9 }] },
      {
        slug: 'rust',
        title: 'Rust',
        alt: '',
        thumb: null,
        colours: [
          { hex: '#a04a2a', share: 0.3 },
          { hex: '#222222', share: 0.7 },
        ],
      },
      { slug: 'speck', title: 'Speck', alt: '', thumb: null, colours: [{ hex: '#b5502f', share: 0.02 }] },
    ]);
    const found = nearestByColour({ index, hex: '#b4512e', limit: 25 });
    expect(found.map((f) => f.slug)).toEqual(['brick', 'rust']);
    expect(found[0]!.deltaE).toBeLessThan(2);
    expect(nearestByColour({ index, hex: '#5b90d5', limit: 25 }).map((f) => f.slug)).toEqual(['sky']);
    // A public tester: a pure colour is close to no photograph's; the nearest are shown, said as not close.
    expect(nearestByColour({ index, hex: '#0000ff', limit: 25 })).toEqual([]);
    const blue = coloursNear({ index, hex: '#0000ff', limit: 48 });
    expect(blue.close).toBe(false);
    expect(blue.found[0]!.slug).toBe('sky');
    expect(blue.found.map((f) => f.slug)).not.toContain('speck');
    expect(coloursNear({ index, hex: '#b4512e', limit: 48 }).close).toBe(true);
  });
});

describe('media written differently', () => {
  it('merges case variants and parenthetical glosses under the most common spelling', () => {
    expect(mediumKey('Faience')).toBe(mediumKey('faience'));
    expect(mediumKey('Travertine (Egyptian alabaster)')).toBe(mediumKey('travertine'));
    expect(mediumKey('Tempera on Paper')).toBe(mediumKey('Tempera on paper'));
    const names = normaliseValues([
      'faience',
      'Faience',
      'Faience',
      'travertine',
      'Travertine (Egyptian alabaster)',
      'Travertine (Egyptian alabaster)',
      'Limestone, paint',
      '',
    ]);
    expect(names.get('faience')).toBe('Faience');
    expect(names.get('travertine')).toBe('Travertine (Egyptian alabaster)');
    expect(names.get('Limestone, paint')).toBe('Limestone, paint');
  });
});

describe('the colours of one object', () => {
  // A public tester: an object's colours read "silver, …, silver" (two patches of the photograph named alike).
  it('names each colour once, merging patches of one name into one share with the larger patch’s hex', () => {
    const colour = (name: string, family: string, hex: string, share: number) => ({ name, family, hex, share });
    const merged = distinctColours([
      colour('silver', 'grey', '#c0c0c0', 0.3),
      colour('navy', 'blue', '#1e2d5a', 0.25),
      colour('silver', 'grey', '#b8b8bc', 0.35),
      colour('ivory', 'white', '#f0ead6', 0.1),
    ]);
    expect(merged.map((c) => c.name)).toEqual(['silver', 'navy', 'ivory']);
    expect(merged[0]).toMatchObject({ name: 'silver', family: 'grey', hex: '#b8b8bc' });
    expect(merged[0]!.share).toBeCloseTo(0.65, 10);
    // Distinct names are kept as they are, in order of share.
    const two = [colour('navy', 'blue', '#1e2d5a', 0.6), colour('ivory', 'white', '#f0ead6', 0.4)];
    expect(distinctColours(two)).toEqual(two);
    expect(distinctColours([])).toEqual([]);
  });
});
