import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * French, Italian and Catalan titles elide an article before a vowel: "Façade de l’église Saint-Étienne", "Livre
 * d’heures". Pagefind splits words at spaces and hyphens, not at an apostrophe, and indexed "l’église" as one word
 * ("leglise"): "église", "eglise", "heures", "alchimie" found nothing, and the page said "no object has the word
 * “eglise”" (an outside tester, a French university library: most of its titles). One tiny site, read in Chromium.
 */

describe('a word after an elided article (l’, d’, dell’…)', () => {
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
  ];

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-elided-', objects, labels });
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  const typed = (q: string) => typedSearch({ built, q });
  const sorted = (titles: string[]) => [...titles].sort();

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
