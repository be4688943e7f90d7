import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The catalogue follows a visitor's dark setting (prefers-color-scheme: dark) with its own palette of CSS custom
 * properties. Read from site.css: every text colour on every background of that palette at least 4.5:1 (WCAG AA for
 * text and links), the focus ring at least 3:1 (non-text), and every colour of the light palette given a dark one.
 */

const css = path.resolve(import.meta.dirname, '..', '..', 'site', 'src', 'styles', 'site.css');

/** The custom properties set in a `:root { … }` block. */
function properties(block: string): Map<string, string> {
  return new Map([...block.matchAll(/--([\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

function luminance(hex: string): number {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const s = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the dark palette of site.css', () => {
  it('sets every colour of the light one, with text and links at 4.5:1 and the focus ring at 3:1', async () => {
    const text = await readFile(css, 'utf8');
    const light = properties(/^:root\s*\{([^}]*)\}/m.exec(text)?.[1] ?? '');
    const dark = properties(
      /@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}/.exec(text)?.[1] ?? '',
    );
    const colours = [...light].filter(([, v]) => /^#[0-9a-f]{3,6}$/i.test(v)).map(([k]) => k);
    expect(colours.length).toBeGreaterThan(5);
    expect(colours.filter((k) => !/^#[0-9a-f]{3,6}$/i.test(dark.get(k) ?? ''))).toEqual([]);
    const backgrounds = ['paper', 'tile', 'notice'].filter((k) => dark.has(k));
    expect(backgrounds).toContain('paper');
    const low: string[] = [];
    for (const fg of ['ink', 'muted', 'soft', 'accent', 'ok', 'warn', 'focus'].filter((k) => dark.has(k)))
      for (const bg of backgrounds) {
        const ratio = contrast(dark.get(fg)!, dark.get(bg)!);
        if (ratio < (fg === 'focus' ? 3 : 4.5)) low.push(`--${fg} on --${bg}: ${ratio.toFixed(2)}:1`);
      }
    expect(low).toEqual([]);
    // The page is dark: its paper darker than its ink.
    expect(luminance(dark.get('paper')!)).toBeLessThan(luminance(dark.get('ink')!));
  });
});
