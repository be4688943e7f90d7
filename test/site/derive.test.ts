import { describe, expect, it } from 'vitest';
import { dateBucket, slugFor, suggestUrl, yearOf } from '../../pipeline/catalogue/derive.ts';
import { normaliseBase } from '../../pipeline/catalogue/site.ts';

describe('catalogue helpers', () => {
  it('reads a year from museum date text', () => {
    expect(yearOf('c. 1391–1353 BCE')).toBe(-1372);
    expect(yearOf('1889')).toBe(1889);
    expect(yearOf('18th century')).toBe(1750);
    expect(yearOf('2nd century BC')).toBe(-150);
    expect(yearOf('New Kingdom')).toBeNull();
    expect(dateBucket('c. 1391–1353 BCE')).toBe('Before 1000 BCE');
    expect(dateBucket('100 BCE')).toBe('1000–1 BCE');
    expect(dateBucket('Collar: c. 200–300 CE')).toBe('1–999 CE');
    expect(dateBucket('1865')).toBe('1800–1899');
    expect(dateBucket('')).toBe('Undated');
  });

  it('makes unique URL-safe slugs, even when two ids slugify alike', () => {
    const taken = new Set<string>();
    expect(slugFor({ id: 'CLE_1919.618.f', taken })).toBe('cle_1919.618.f');
    const a = slugFor({ id: 'A/1', taken });
    const b = slugFor({ id: 'a 1', taken });
    expect(a).toBe('a-1');
    expect(b).not.toBe(a);
    expect(b).toMatch(/^a-1-[0-9a-f]{8}$/);
    expect(slugFor({ id: '<script>', taken })).toBe('script');
    expect(slugFor({ id: '…', taken })).toBe('object');
  });

  it('links a correction to the object line of labels.csv on the configured branch', () => {
    expect(suggestUrl({ repository: 'museum/collection', branch: 'main', line: 42 })).toBe(
      'https://github.com/museum/collection/edit/main/labels.csv#L42',
    );
    expect(suggestUrl({ repository: 'museum/collection', branch: 'release/2026', line: null })).toBe(
      'https://github.com/museum/collection/edit/release/2026/labels.csv',
    );
    expect(suggestUrl({ repository: '', branch: 'main', line: 3 })).toBeNull();
    expect(suggestUrl({ repository: 'javascript:alert(1)//x', branch: 'main', line: 3 })).toBeNull();
  });

  it('normalises the base path for GitHub Pages project sites', () => {
    expect(normaliseBase('/my-repo')).toBe('/my-repo/');
    expect(normaliseBase('my-repo/')).toBe('/my-repo/');
    expect(normaliseBase('')).toBe('/');
    expect(normaliseBase('/')).toBe('/');
  });
});
