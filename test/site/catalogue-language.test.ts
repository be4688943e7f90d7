import { describe, expect, it } from 'vitest';
import { pageGlobals } from '../../pipeline/catalogue/pages.ts';
import { manifestOf } from '../../pipeline/catalogue/pictures.ts';
import { type Catalogue, type CatalogueObject, catalogueSchema } from '../../pipeline/catalogue/schema.ts';
import { ogLocale } from '../../site/src/lib/language.ts';
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

// D28: the IIIF manifests said every record value was English ("en"), the field names rightly so.
describe('an object manifest of a catalogue not in English', () => {
  const o = {
    id: 'K-1',
    slug: 'k-1',
    title: 'Kanne mit Deckel',
    maker: 'Unbekannt',
    date: 'um 1900',
    medium: 'Zinn',
    department: 'Kunstgewerbe',
    label: 'Kanne',
    description: 'Eine Kanne.',
    rights: 'Urheberrechtlich geschützt',
    rightsStatement: {},
    images: [{ jpeg: 'i/k-1.jpg', webp: 'i/k-1.webp', width: 100, height: 80 }],
  } as unknown as CatalogueObject;
  const manifest = (language?: string, rights = o.rights) =>
    manifestOf({ o: { ...o, rights }, siteBase: 'https://m.example/', collection: 'Stadtmuseum', language }) as {
      label: Record<string, string[]>;
      summary: Record<string, string[]>;
      metadata: { label: Record<string, string[]>; value: Record<string, string[]> }[];
      requiredStatement: { label: Record<string, string[]>; value: Record<string, string[]> };
      provider: { label: Record<string, string[]> }[];
    };

  it('gives the field names in English and the values of the record in the catalogue language', () => {
    const m = manifest('de');
    expect(m.label).toEqual({ de: ['Kanne mit Deckel'] });
    expect(m.summary).toEqual({ de: ['Eine Kanne.'] });
    const maker = m.metadata.find((e) => e.label.en?.[0] === 'Maker')!;
    expect(maker.value).toEqual({ de: ['Unbekannt'] });
    for (const e of m.metadata) expect(Object.keys(e.label)).toEqual(['en']);
    // A number is in no language: IIIF says "none".
    expect(m.metadata.find((e) => e.label.en?.[0] === 'Object number')!.value).toEqual({ none: ['K-1'] });
    expect(m.requiredStatement).toEqual({ label: { en: ['Rights'] }, value: { de: ['Urheberrechtlich geschützt'] } });
    expect(m.provider[0]!.label).toEqual({ de: ['Stadtmuseum'] });
    // The site says in English that the rights are not known yet.
    expect(manifest('de', '').requiredStatement.value).toEqual({ en: ['Rights not yet determined'] });
  });

  it('says "none" for values of a language not known (und), and "en" for an English catalogue as before', () => {
    expect(manifest('und').label).toEqual({ none: ['Kanne mit Deckel'] });
    expect(manifest().label).toEqual({ en: ['Kanne mit Deckel'] });
    expect(manifest('en-GB').metadata.find((e) => e.label.en?.[0] === 'Maker')!.value).toEqual({
      'en-GB': ['Unbekannt'],
    });
  });
});

// D28: Open Graph wants a locale written language_TERRITORY ("de_DE"), not a BCP 47 tag.
describe('the Open Graph locale of a catalogue language', () => {
  it('is the language with its likeliest territory, or the territory given', () => {
    expect(ogLocale('de')).toBe('de_DE');
    expect(ogLocale('de-CH')).toBe('de_CH');
    expect(ogLocale('pt-BR')).toBe('pt_BR');
    expect(ogLocale('ja')).toBe('ja_JP');
    expect(ogLocale('und')).toBeUndefined();
  });
});
