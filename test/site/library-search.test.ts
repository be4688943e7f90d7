import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folioAsF as folioInAddress } from '../../site/src/lib/address.ts';
import { folioAsF, searchedAs } from '../../site/src/lib/number.ts';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * An outside tester's French university library (tester T), searched in Chromium on one tiny site.
 *
 * French, Italian and Catalan titles elide an article before a vowel: "Façade de l’église Saint-Étienne", "Livre
 * d’heures". Pagefind splits words at spaces and hyphens, not at an apostrophe, and indexed "l’église" as one word
 * ("leglise"): "église", "eglise", "heures", "alchimie" found nothing, and the page said "no object has the word
 * “eglise”" (most of the library's titles).
 *
 * Every object page is headed by its department ("Collection / Fonds Dupré"), which is a filter, but typing it
 * ("Dupré", "Müller") found nothing.
 */

let built: SearchSite;
const labels = ['photograph', 'manuscript'];
const objects: FixtureObject[] = [
  {
    id: 'PH-1',
    title: 'Façade de l’église Saint-Étienne',
    department: 'Fonds Dupré',
    label: 'photograph',
    image: null,
  },
  {
    id: 'MS-1',
    title: 'Livre d’heures à l’usage de Rome',
    department: 'Collection Müller',
    label: 'manuscript',
    image: null,
  },
  // A straight apostrophe, as typed on a keyboard.
  { id: 'MS-2', title: "Traité d'alchimie", department: 'Fonds Dupré', label: 'manuscript', image: null },
  { id: 'PH-2', title: 'Église Saint-Pierre', department: 'Collection Müller', label: 'photograph', image: null },
  { id: 'PH-3', title: 'Veduta dell’arco di Tito', department: 'Fonds Dupré', label: 'photograph', image: null },
  { id: 'MS-3', title: 'Howard Carter’s notebook', department: 'Fonds Dupré', label: 'manuscript', image: null },
  // An elided article in the date and in the department (a reviewer: "époque d’Edo" typed found nothing).
  {
    id: 'ES-1',
    title: 'Paravent aux grues',
    date: 'Époque d’Edo',
    department: 'Fonds de l’évêché',
    label: 'photograph',
    image: null,
  },
  // The donor's portrait, kept in the other fonds.
  { id: 'PH-4', title: 'Portrait de Jules Dupré', department: 'Collection Müller', label: 'photograph', image: null },
  // Folios of one manuscript, numbered with "f.", and one of a manuscript numbered with "fol.".
  ...['4r', '4v', '14r'].map((f) => ({
    id: `MS 123 f. ${f}`,
    title: 'Psautier enluminé',
    label: 'manuscript',
    image: null,
  })),
  { id: 'MS 124 fol. 2r', title: 'Bréviaire', label: 'manuscript', image: null },
];

beforeAll(async () => {
  built = await searchSite({ prefix: 'vitrine-library-', objects, labels });
}, 300_000);

afterAll(async () => {
  await built?.close();
});

const typed = (q: string) => typedSearch({ built, q });
const sorted = (titles: string[]) => [...titles].sort();

describe('a word after an elided article (l’, d’, dell’…)', () => {
  it('finds the word after l’ or d’ typed alone, with or without its accents', async () => {
    for (const q of ['église', 'eglise', 'Église', 'EGLISE']) {
      const r = await typed(q);
      expect(sorted(r.titles), q).toEqual(['Façade de l’église Saint-Étienne', 'Église Saint-Pierre']);
      expect(r.status, q).not.toContain('no object has');
    }
    expect((await typed('heures')).titles).toEqual(['Livre d’heures à l’usage de Rome']);
    expect((await typed('usage')).titles).toEqual(['Livre d’heures à l’usage de Rome']);
    expect((await typed('alchimie')).titles).toEqual(["Traité d'alchimie"]);
    expect((await typed('arco')).titles).toEqual(['Veduta dell’arco di Tito']);
    expect((await typed('livre heures')).titles).toEqual(['Livre d’heures à l’usage de Rome']);
  });

  it('finds the word after an elided article in the date and in the department', async () => {
    for (const q of ['edo', 'époque d’Edo', "epoque d'edo", 'évêché', 'eveche', 'fonds de l’évêché'])
      expect((await typed(q)).titles, q).toEqual(['Paravent aux grues']);
  });

  it('finds “l’église” typed with either apostrophe, as “église”', async () => {
    for (const q of ['l’église', "l'eglise", 'L’Église', "d'heures", 'livre d’heures', 'traité d’alchimie']) {
      const r = await typed(q);
      expect(r.titles.length, q).toBeGreaterThan(0);
      expect(r.status, q).not.toContain('no object has');
    }
    expect(sorted((await typed('l’église')).titles)).toEqual([
      'Façade de l’église Saint-Étienne',
      'Église Saint-Pierre',
    ]);
    expect((await typed('livre d’heures')).titles).toEqual(['Livre d’heures à l’usage de Rome']);
  });

  it('still says which word no object has, and leaves out a word after “-”', async () => {
    const none = await typed('l’abbaye');
    expect(none.titles).toEqual([]);
    expect(none.status).toContain('no object has the word “abbaye”');
    const without = await typed('saint -l’église');
    expect(without.titles).toEqual([]);
    expect(without.status).toContain('every object with “saint” has a word starting with “l’église”');
    expect((await typed('façade -heures')).titles).toEqual(['Façade de l’église Saint-Étienne']);
  });

  it('keeps an English possessive and the title as it is written', async () => {
    for (const q of ['Carter’s', "carter's", 'carter', 'Howard Carter’s notebook'])
      expect((await typed(q)).titles, q).toEqual(['Howard Carter’s notebook']);
    const slug = built.catalogue.objects.find((o) => o.id === 'PH-1')!.slug;
    await built.page.goto(`${built.site.url}objects/${slug}/`);
    expect(await built.page.locator('h1').textContent()).toBe('Façade de l’église Saint-Étienne');
    // The words given to search are hidden: what a visitor reads is the title as catalogued.
    const words = built.page.locator('#elided-title');
    expect(await words.textContent()).toBe('église');
    expect(await words.isVisible()).toBe(false);
  });
});

describe('the department typed into the search box', () => {
  const dupre = ['Façade de l’église Saint-Étienne', "Traité d'alchimie", 'Veduta dell’arco di Tito'];

  it('finds the objects of a department by its name, with or without its accents', async () => {
    for (const q of ['Dupré', 'dupre', 'Fonds Dupré']) {
      const r = await typed(q);
      expect(r.titles, q).toEqual(expect.arrayContaining([...dupre, 'Howard Carter’s notebook']));
      expect(r.status, q).not.toContain('no object has');
    }
    for (const q of ['Müller', 'muller', 'collection muller']) {
      const r = await typed(q);
      expect(sorted(r.titles), q).toEqual([
        'Livre d’heures à l’usage de Rome',
        'Portrait de Jules Dupré',
        'Église Saint-Pierre',
      ]);
      expect(r.status, q).toMatch(/^3 objects for /);
    }
  });

  it('ranks an object whose own text has the word above those of a department named so', async () => {
    // "Dupré" is in the portrait's title, and in the other objects' department only.
    const r = await typed('Dupré');
    expect(r.titles[0]).toBe('Portrait de Jules Dupré');
    expect(r.titles).toHaveLength(5);
  });
});

// The tester: "MS 123 fol. 4r" found nothing, while "MS 123 f. 4r" was found and offered.
describe('a folio typed with “fol.”, “fol”, “ff.” or “f°” for the “f.” of its number', () => {
  it('reads a folio’s word between a number and a folio as “f.”, and nowhere else', () => {
    for (const w of ['fol.', 'fol', 'FOL.', 'fols.', 'ff.', 'ff', 'fo.', 'f°', 'f.', 'folio']) {
      expect(folioAsF(`MS 123 ${w} 4r`), w).toBe('MS 123 f. 4r');
    }
    expect(folioAsF('MS 123, fol.4r')).toBe('MS 123, f.4r');
    expect(searchedAs('MS 123 fol. 4r')).toBe('MS 123f. 4r');
    // Not after a word without a digit, not before one, not a longer word.
    for (const q of ['fol. 4r', 'MS fol. 4r', 'MS 123 fol.', 'MS 123 folios', '1887 fold 4', 'ff 12', '12 fo3'])
      expect(folioAsF(q), q).toBe(q);
    // The number lookup's copy (lib/address.ts, kept apart so the search page's script stays in its page) reads alike.
    const folios = ['fol.', 'fol', 'FOL.', 'fols.', 'ff.', 'ff', 'fo.', 'f°', 'f.', 'folio'].map(
      (w) => `MS 123 ${w} 4r`,
    );
    for (const q of [...folios, 'MS 123, fol.4r', 'fol. 4r', 'MS fol. 4r', 'MS 123 fol.', 'MS 123 folio 4r', 'ff 12'])
      expect(folioInAddress(q), q).toBe(folioAsF(q));
  });

  it('finds and offers the folio typed with another word for “f.”', async () => {
    for (const q of [
      'MS 123 fol. 4r',
      'MS 123 fol 4r',
      'ms 123 ff. 4r',
      'MS 123 f° 4r',
      'MS 123 f. 4r',
      'MS 123 folio 4r',
    ]) {
      const r = await typed(q);
      expect(r.offered, q).toBe('Go to object MS 123 f. 4r');
      expect(r.titles, q).toEqual(['Psautier enluminé']);
      expect(r.status, q).toMatch(/^1 object for /);
    }
    // A collection that numbers its folios with "fol.": typed as it is written, its own; typed with "f." or "folio",
    // found and offered (it was not).
    for (const q of ['MS 124 fol. 2r', 'MS 124 f. 2r', 'MS 124 folio 2r']) {
      const r = await typed(q);
      expect(r.offered, q).toBe('Go to object MS 124 fol. 2r');
      expect(r.titles, q).toEqual(['Bréviaire']);
    }
  });
});
