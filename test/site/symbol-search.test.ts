import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

declare const document: { documentElement: { scrollWidth: number } };

/*
 * The search page refused a query of one emoji as matching "nearly every object" (outside tester 4, F6). A tiny
 * site with emoji and symbols in titles, read in Chromium: what Pagefind finds for them, and what the page says.
 */

describe('a search for a symbol', () => {
  let built: SearchSite;
  let page: Page;
  const labels = ['print', 'vessel'];
  const objects: FixtureObject[] = [
    { id: 'E-1', title: 'Animated 🎞️ emoji 🏺', label: 'vessel', image: null },
    { id: 'E-2', title: 'Jug', label: 'vessel', image: null },
    { id: 'E-3', title: 'Star ★ print', label: 'print', image: null },
    { id: 'E-4', title: 'Plate & cup', label: 'vessel', image: null },
    { id: 'E-5', title: 'Mug ☕ with heart ♥ and sun ☀️ 12°', label: 'vessel', image: null },
    { id: 'E-6', title: 'Coin €5 ©', label: 'vessel', image: null },
    { id: 'E-7', title: 'Bowl, c. 1850', label: 'vessel', image: null },
  ];

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-symbol-', objects, labels });
    page = built.page;
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  // What the page advises after a word no object has (test/site/search-history.test.ts).
  const advice =
    'Words are found only as the catalogue spells them: check the spelling, try fewer or other words, ' +
    'or clear the search box and browse by object type under Filters.';

  async function search(q: string): Promise<string[]> {
    return (await built.pagefind(q)).map((d) => built.idOf(d.url));
  }

  /**
   * The search page's answer to `q` typed into its box: its status line and the titles of the cards. Typed over the
   * last search (typedSearch: no page load, about 0.8 s of Chromium CPU each), or in a page loaded `fresh`.
   */
  async function typed(q: string, { fresh = false } = {}): Promise<{ status: string; titles: string[] }> {
    if (fresh) await page.goto('about:blank');
    // The status says back at most about 100 characters of the query (then "…"): its start is what is waited for.
    const done = new RegExp(`for “${q.slice(0, 60).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|[Tt]ype two`);
    const { status, titles } = await typedSearch({ built, q, done });
    return { status, titles };
  }

  // What Pagefind does with such a query, read before the search page was changed: it indexes an emoji or symbol of a
  // title as a word of its own (a title's "🏺" finds it, "☕", "€" and "©" too), and finds nothing for one in no title.
  it('Pagefind finds an emoji or symbol of a title, and nothing for one in no title', async () => {
    expect(await search('🏺')).toEqual(['E-1']);
    expect(await search('🎞️')).toEqual(['E-1']);
    expect(await search('☕')).toEqual(['E-5']);
    expect(await search('©')).toEqual(['E-6']);
    expect(await search('🦄')).toEqual([]);
    // And for a word in no title, the objects with the longest word that starts it ("with", "sun"): see below.
    expect(await search('withdrawn')).toEqual(['E-5']);
    expect(await search('sunflower')).toEqual(['E-5']);
  });

  // Outside tester 4 (F6): "/browse/?q=🏺" (a title "Animated 🎞️ emoji 🏺") answered 'Type two or more letters or
  // digits: “🏺” would match nearly every object'. It matches one.
  it('searches an emoji or symbol typed alone, and says what it found', async () => {
    const vase = await typed('🏺');
    expect(vase.titles).toEqual(['Animated 🎞️ emoji 🏺']);
    expect(vase.status).toBe('1 object for “🏺”');
    expect((await typed('☕')).titles).toEqual(['Mug ☕ with heart ♥ and sun ☀️ 12°']);
    const none = await typed('🦄');
    expect([none.titles, none.status]).toEqual([
      [],
      '0 objects for “🦄”: no object has “🦄”. Try other words, or clear the search box and browse by object type ' +
        'under Filters.',
    ]);
  });

  it('still refuses one letter, and says punctuation alone has nothing to search for', async () => {
    const a = await typed('a');
    expect([a.titles, a.status]).toEqual([
      [],
      'Type two or more letters or digits: “a” would match nearly every object.',
    ]);
    // A symbol beside the letter does not let it through (a reviewer: "© Museum" is on nearly every object).
    expect((await typed('a ©')).status).toBe(
      'Type two or more letters or digits: “a ©” would match nearly every object.',
    );
    const dash = await typed('-');
    expect([dash.titles, dash.status]).toEqual([
      [],
      'Type two or more letters or digits: “-” has no letter or digit to search for.',
    ]);
  });

  // An outside tester: "antelope", in no object, found 162 of the demo's 324 ("a"); "thermos" found "the". Pagefind,
  // finding no word that a typed word starts or stems to, searches the longest word that starts it instead.
  it('finds nothing for a word no object has, though Pagefind answers with a shorter word that starts it', async () => {
    const withdrawn = await typed('withdrawn');
    expect([withdrawn.titles, withdrawn.status]).toEqual([
      [],
      `0 objects for “withdrawn”: no object has the word “withdrawn”. ${advice}`,
    ]);
    const two = await typed('mug sunflower');
    expect([two.titles, two.status]).toEqual([
      [],
      `0 objects for “mug sunflower”: no object has the word “sunflower”. ${advice}`,
    ]);
    // A word found through its stem, or one that starts a longer word, is found as before.
    expect((await typed('hearts')).titles).toEqual(['Mug ☕ with heart ♥ and sun ☀️ 12°']);
    expect((await typed('anim')).titles).toEqual(['Animated 🎞️ emoji 🏺']);
    expect((await typed('mug sun')).titles).toEqual(['Mug ☕ with heart ♥ and sun ☀️ 12°']);
  });

  // A public tester: "clock", "chair", "crown" found the 84 demo objects dated "c. 1850". Pagefind answered with "c",
  // and marked "c." with its full stop, which no typed word starts with, so the guard above let it through.
  it('finds nothing for a word no object has when Pagefind answers with an abbreviation ("c." for circa)', async () => {
    const clock = await typed('clock');
    expect([clock.titles, clock.status]).toEqual([
      [],
      `0 objects for “clock”: no object has the word “clock”. ${advice}`,
    ]);
    expect((await typed('bowl')).titles).toEqual(['Bowl, c. 1850']);
  });

  it('keeps a phone’s page as wide as the phone when a very long word is typed (a public tester)', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    try {
      const long = 'x'.repeat(700);
      const answer = await typed(long, { fresh: true });
      expect(answer.status).toContain('0 objects for');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
