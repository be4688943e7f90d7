import { describe, expect, it } from 'vitest';
import { pageGlobals } from '../../pipeline/catalogue/pages.ts';
import { type Catalogue, catalogueSchema } from '../../pipeline/catalogue/schema.ts';
import { stemKeepsStart } from '../../site/src/lib/stem.ts';

/*
 * catalogue.language on the site's side (tester T2: a German museum's pages said lang="en"), as plain functions: the
 * catalogue file carries it, pages kept from an earlier build are made again when it changes, and the search page's
 * English stemming rule is not applied to another language's stems. The built pages: test/site/page-heads.test.ts.
 */

const catalogue = (language?: string) =>
  ({ title: 'T', collection: 'C', counts: { objects: 3 }, ...(language ? { language } : {}) }) as Catalogue;

describe('the catalogue language', () => {
  it('is "en" in a catalogue file written before the setting', () => {
    expect(catalogueSchema.shape.language.parse(undefined)).toBe('en');
  });

  it('is among the values every kept page is keyed by, only when not English (other sites keep their pages)', () => {
    expect(pageGlobals(catalogue('de'))).not.toEqual(pageGlobals(catalogue('fr')));
    expect(pageGlobals(catalogue('de'))).not.toEqual(pageGlobals(catalogue()));
    expect(pageGlobals(catalogue('en'))).toEqual(pageGlobals(catalogue()));
    expect(Object.keys(pageGlobals(catalogue('en')))).not.toContain('language');
  });

  it('keeps the English stemming rule to English: in another language every unsure word is searched alone', () => {
    // Dutch "heden" is stemmed "heid", which "hedendaags" does not start; the English rule says it keeps its start.
    for (const language of ['nl', 'de', 'fr', 'de-CH']) expect(stemKeepsStart('heden', language)).toBe(false);
    for (const language of ['en', 'en-GB', 'EN-us']) expect(stemKeepsStart('heden', language)).toBe(true);
    expect(stemKeepsStart('heden')).toBe(true);
    expect(stemKeepsStart('crying', 'en')).toBe(false);
  });
});
