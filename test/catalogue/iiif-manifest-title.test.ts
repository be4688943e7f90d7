import { describe, expect, it } from 'vitest';
import { manifestOf } from '../../pipeline/catalogue/pictures.ts';
import type { CatalogueObject } from '../../pipeline/catalogue/schema.ts';
import { MANIFEST_TITLE_MAX, SHOWN_TITLE_MAX, shownTitle } from '../../pipeline/catalogue/shown-title.ts';

/*
 * A IIIF manifest names its object by the shown title (cut at 200 characters) in its labels, and gives a longer
 * title whole among its metadata only up to MANIFEST_TITLE_MAX characters: a 5 MB title pasted by accident made a
 * 5 MB manifest, which every IIIF viewer and aggregator that opens the object downloads.
 */

function object(title: string): CatalogueObject {
  return {
    id: 'LONG-1',
    slug: 'long-1',
    title,
    maker: 'Unknown maker',
    date: '1900',
    medium: 'Clay',
    department: 'Ceramics',
    label: 'Vase',
    description: '',
    rights: 'Public domain',
    rightsStatement: { uri: null, label: 'Public domain', badge: null, download: true },
    images: [{ width: 600, height: 400, webp: 'media/long-1.webp', jpeg: 'media/long-1.jpg' }],
    zoom: null,
  } as unknown as CatalogueObject;
}

const build = (title: string) =>
  manifestOf({ o: object(title), siteBase: 'https://example.org/collection/', collection: 'Example' }) as {
    label: { en: string[] };
    metadata: { label: { en: string[] }; value: { en: string[] } }[];
  };
const titleEntry = (m: ReturnType<typeof build>) => m.metadata.find((e) => e.label.en[0] === 'Title')?.value.en[0];

describe('the IIIF manifest of an object with a long title', () => {
  it('stays small when the title is 5 MB, with the shown title as its label and the start of the title in metadata', () => {
    const title = `Giant ${'lorem ipsum dolor sit amet '.repeat(200_000)}end`;
    expect(title.length).toBeGreaterThan(5_000_000);
    const manifest = build(title);
    expect(manifest.label.en[0]).toBe(shownTitle(title));
    expect(JSON.stringify(manifest).length).toBeLessThan(MANIFEST_TITLE_MAX + 5_000);
    const entry = titleEntry(manifest)!;
    expect(entry.startsWith('Giant lorem ipsum dolor sit amet')).toBe(true);
    expect(entry).toContain('…');
    // It says where the whole title is.
    expect(entry).toMatch(/the whole title.*is on the object’s page/);
    expect(entry.length).toBeLessThan(MANIFEST_TITLE_MAX + 200);
  });

  it('gives a title longer than the shown one, but not huge, whole in metadata, once', () => {
    const title = `A ${'very long description of a vase '.repeat(20)}end`;
    expect(title.length).toBeGreaterThan(SHOWN_TITLE_MAX);
    expect(title.length).toBeLessThanOrEqual(MANIFEST_TITLE_MAX);
    const manifest = build(title);
    expect(titleEntry(manifest)).toBe(title);
    expect(JSON.stringify(manifest).split(title).length - 1).toBe(1);
  });

  it('gives an ordinary title as the label only', () => {
    const manifest = build('The Bedroom');
    expect(manifest.label.en[0]).toBe('The Bedroom');
    expect(titleEntry(manifest)).toBeUndefined();
  });
});
