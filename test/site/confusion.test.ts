import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from './fixture.ts';

/*
 * An outside tester on a model page: the confusion matrix was shaded red everywhere, the right answers on its
 * outlined diagonal too. A small fixture site, its model page read back as HTML.
 */

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
    const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(bl!);
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

/** A CSS colour as #rrggbb: #rrggbb or #rgb as written, hsl(h s% l%) converted. */
function hexOf(css: string): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(css);
  if (short)
    return `#${short
      .slice(1)
      .map((c) => c + c)
      .join('')}`;
  const hsl = /^hsl\(\s*([\d.]+)[\s,]+([\d.]+)%[\s,]+([\d.]+)%\s*\)$/.exec(css);
  if (!hsl) return css;
  const [h, s, l] = [Number(hsl[1]), Number(hsl[2]) / 100, Number(hsl[3]) / 100];
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return `#${[f(0), f(8), f(4)]
    .map((v) =>
      Math.round(v * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** Hue of a #rrggbb colour, in degrees. */
function hue(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return Number.NaN;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

describe('confusion matrix on the model page', () => {
  let root = '';
  let html = '';
  let text = '';

  beforeAll(async () => {
    root = await tempDir('vitrine-confusion-');
    const objects = ['A-1', 'A-2', 'A-3'].map((id, i) => ({
      id,
      title: `Object ${id}`,
      label: ['coin', 'vase', 'mask'][i]!,
      image: null,
    }));
    await writeFixture({ root, objects, labels: ['coin', 'vase', 'mask'] });
    const ws = workspace(root);
    const params = defaultParams();
    await buildCatalogueData({ ws, params, log: memoryLogger() });
    await buildSite({ ws, params, log: memoryLogger() });
    html = await readFile(path.join(ws.site, 'models', 'v1.1.0', 'index.html'), 'utf8');
    text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  }, 300_000);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('shades the confusion matrix green where the model is right and red where it is wrong, legibly', () => {
    const start = html.indexOf('<table class="confusion');
    const table = html.slice(start, html.indexOf('</table>', start));
    const cells = [...table.matchAll(/<td([^>]*)>(\d+)<\/td>/g)].map((m) => ({
      diag: /class="[^"]*diag/.test(m[1]!),
      n: Number(m[2]),
      background: hexOf(/background:\s*(#[0-9a-f]+|hsl\([^)]*\))/i.exec(m[1]!)?.[1] ?? '#ffffff'),
      color: hexOf(/(?:^|[;"\s])color:\s*(#[0-9a-f]+|hsl\([^)]*\))/i.exec(m[1]!)?.[1] ?? '#111111'),
    }));
    expect(cells).toHaveLength(9);
    for (const c of cells) {
      // WCAG AA for normal text.
      expect(contrast(c.background, c.color), JSON.stringify(c)).toBeGreaterThanOrEqual(4.5);
      if (c.n === 0) continue;
      const h = hue(c.background);
      if (c.diag) expect(h, JSON.stringify(c)).toBeGreaterThan(90);
      if (c.diag) expect(h, JSON.stringify(c)).toBeLessThan(160);
      else expect(h < 20 || h > 330, JSON.stringify(c)).toBe(true);
    }
    // What the colours mean, in words, and the right answers counted without colour.
    const caption = /<caption>([\s\S]*?)<\/caption>/.exec(table)![1]!.replace(/\s+/g, ' ');
    expect(caption).toMatch(/green/i);
    expect(caption).toMatch(/red/i);
    // Said without the colours too (tester T17: forced colours, colour blindness): the words in brackets left out.
    const uncoloured = caption.replace(/\s*\([^)]*\)/g, '');
    expect(uncoloured).not.toMatch(/\b(?:green|red)\b/i);
    expect(uncoloured).toMatch(
      /outlined diagonal count the objects it got right; every other cell counts its mistakes/,
    );
    // Fixture: 8, 9 and 10 right on the diagonal, two mistakes of one object each: neither is "the most common" (a
    // public tester read the first of tied mistakes named so).
    expect(text).toContain('Right for 27 of 29 test objects (the diagonal).');
    expect(text).not.toContain('Most common mistake');
  });
});
