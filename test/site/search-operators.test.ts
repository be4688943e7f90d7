import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * Members of the public type what museum collection sites and web search understand: "mask -helmet" (masks, not
 * helmets), "coin OR mask" (either) and a quoted "phrase". Pagefind understands only a query that is one quoted
 * phrase: it searched every other word, "helmet" and "or" included. The search page parses them
 * (site/src/lib/query.ts) and combines Pagefind searches: the other words' results less the results of each word
 * left out, the union of either side, a phrase searched exactly. A small site whose titles make each answer
 * checkable, read in Chromium.
 */

describe('search operators typed into the search box', () => {
  let built: SearchSite;

  beforeAll(async () => {
    built = await searchSite({
      prefix: 'vitrine-operators-',
      objects: [
        { id: 'OP-1', title: 'Festival mask', label: 'mask', image: null },
        { id: 'OP-2', title: 'Helmet mask', label: 'mask', image: null },
        { id: 'OP-3', title: 'Bronze coin', label: 'coin', image: null },
        { id: 'OP-4', title: 'Coin with a mask', label: 'coin', image: null },
        { id: 'OP-5', title: 'Iron helmet', label: 'helmet', image: null },
      ],
      labels: ['coin', 'helmet', 'mask'],
    });
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  /**
   * The search page's status line and the cards' titles (in their order) once `q` is searched: opened as an address,
   * or `typed` into the box over the last search (typedSearch: no page load, about 0.8 s of Chromium CPU each), for
   * the searches that say "N objects for …" and whose test reads only the answer.
   */
  async function searched(
    q: string,
    { filters = '', done = /objects? (for|in the collection|with)/, typed = false } = {},
  ) {
    const { page, site } = built;
    if (typed) await typedSearch({ built, q });
    else {
      await page.goto(`${site.url}browse/?q=${encodeURIComponent(q)}${filters}`);
      await page.locator('#status').filter({ hasText: done }).waitFor();
      await page.waitForLoadState('networkidle');
    }
    const titles = await page.locator('#results .title').allTextContents();
    return {
      status: (await page.locator('#status').textContent()) ?? '',
      ranked: titles,
      titles: [...titles].sort(),
      q: new URL(page.url()).searchParams.get('q'),
      box: await page.locator('#q').inputValue(),
    };
  }

  it('leaves out the objects that have a word typed after "-", and keeps the query as typed', async () => {
    const s = await searched('mask -helmet');
    expect(s.status).toBe('2 objects for “mask” without “helmet”');
    expect(s.titles).toEqual(['Coin with a mask', 'Festival mask']);
    expect(s.q).toBe('mask -helmet');
    expect(s.box).toBe('mask -helmet');
    // The line under the box says what it understands.
    // Its examples are this collection's two most used labels and a title's first words.
    expect(await built.page.locator('#search-help').textContent()).toMatch(
      /“coin -mask”.*“coin OR mask”.*\("festival mask"\)/s,
    );
  });

  it('finds objects with either side of "OR", those with both first', async () => {
    const s = await searched('coin OR mask', { typed: true });
    expect(s.status).toBe('4 objects for “coin” or “mask”');
    expect(s.titles).toEqual(['Bronze coin', 'Coin with a mask', 'Festival mask', 'Helmet mask']);
    expect(s.ranked[0]).toBe('Coin with a mask');
  });

  it('searches a quoted phrase as the words together, in their order', async () => {
    expect((await searched('"helmet mask"', { typed: true })).titles).toEqual(['Helmet mask']);
    const none = await searched('"mask helmet"', { typed: true });
    expect(none.status).toMatch(/^0 objects for “mask helmet”: no object has the phrase “mask helmet”/);
    const either = await searched('“helmet mask” OR bronze', { typed: true });
    expect(either.titles).toEqual(['Bronze coin', 'Helmet mask']);
  });

  it('names the part of the query that found nothing', async () => {
    const s = await searched('mask OR zebra', { typed: true });
    expect(s.status).toBe('3 objects for “mask” or “zebra”. No object has the word “zebra”.');
    const gone = await searched('coin -mask -bronze', { typed: true });
    expect(gone.status).toBe(
      '0 objects for “coin” without “mask” or “bronze”: every object with “coin” has a word starting with “mask” or ' +
        '“bronze”. Leave out fewer words.',
    );
    // A word no object has leaves out nothing (Pagefind answers for "a", which starts it, and "Coin with a mask" has).
    const antelope = await searched('coin -antelope', { typed: true });
    expect(antelope.status).toBe(
      '2 objects for “coin” without “antelope”. No object has the word “antelope”, so none was left out.',
    );
    expect(antelope.titles).toEqual(['Bronze coin', 'Coin with a mask']);
    expect((await searched('mask OR a', { typed: true })).status).toBe(
      '3 objects for “mask” or “a”. “a” is too short to search: type two or more letters or digits.',
    );
  });

  // Pagefind finds a word by how it starts: "-ma" leaves out every object with "mask", which has no word "ma".
  it('says a word left out matched the words starting with it', async () => {
    expect((await searched('mask -ma', { typed: true })).status).toBe(
      '0 objects for “mask” without “ma”: every object with “mask” has a word starting with “ma”. ' +
        'Leave out fewer words.',
    );
    expect((await searched('-coin')).status).toMatch(/leaves out the objects with it, or a word starting with it,/);
  });

  it('says an "OR" with nothing on one side was ignored', async () => {
    const note =
      '“OR” had nothing on one side of it, so it was ignored: type it between two words, as in “coin OR mask”.';
    for (const q of ['mask OR', 'OR mask', 'mask OR OR']) {
      const s = await searched(q, { typed: true });
      expect(s.status, q).toBe(`3 objects for “mask”. ${note}`);
      expect(s.titles).toEqual(['Festival mask', 'Helmet mask', 'Coin with a mask'].sort());
    }
    expect((await searched('mask OR OR coin', { typed: true })).status).toBe(`4 objects for “mask” or “coin”. ${note}`);
    expect((await searched('mask OR -helmet', { typed: true })).status).toBe(
      `2 objects for “mask” without “helmet”. ${note}`,
    );
  });

  // Each "-" term and phrase is a Pagefind search, one after another: a shared link of hundreds made as many.
  it('uses only the first 10 "-" terms and phrases, and says the rest were not', async () => {
    const ten = '-helmet -iron -festival -hel -helm -helme -fest -festi -festiv -iro';
    const s = await searched(`coin ${ten} -mask -bronze`, { typed: true });
    expect(s.titles).toEqual(['Bronze coin', 'Coin with a mask']);
    expect(s.status).toMatch(/^2 objects for “coin” without “helmet” or “iron” or .*…”?\. /);
    expect(s.status).toMatch(
      /\. Only the first 10 “-” words and quoted phrases were used; the other 2 were not\. Use fewer to use them all\.$/,
    );
  });

  // The status line is read aloud (an ARIA live region): a query of thousands of characters was read whole.
  it('says back at most about 100 characters of a long query', async () => {
    // 60 words no object has (“zebraaa”, “zebraab”, …): the query and the words not found are each clipped.
    const zebras = Array.from(
      { length: 60 },
      (_, n) => `zebra${'abc'[Math.floor(n / 26)]}${'abcdefghijklmnopqrstuvwxyz'[n % 26]}`,
    );
    const words = await searched(`mask ${zebras.join(' ')}`, { typed: true });
    expect(words.status).toMatch(
      /^0 objects for “mask zebraaa zebraab .*…”: no object has the word “zebraaa” or “zebraab” or .*…”\. Words are/,
    );
    expect(words.status.length, words.status).toBeLessThan(450);
    const either = await searched(`coin OR "${'festival mask '.repeat(80)}"`, { typed: true });
    expect(either.status).toMatch(/^\d objects? for “coin” or “festival mask festival .*…”(\.|$)/);
    expect(either.status.length).toBeLessThan(400);
  });

  it('keeps the filters and their counts with "OR" and "-"', async () => {
    const s = await searched('coin OR mask', { filters: '&type=coin' });
    expect(s.status).toBe('2 objects for “coin” or “mask”, Object type (staff label): coin');
    expect(s.titles).toEqual(['Bronze coin', 'Coin with a mask']);
    const { page } = built;
    // Filters start open when narrowing: the type facet counts the objects of "coin OR mask" of each type.
    const count = (value: string) =>
      page.locator('#facets label', { has: page.locator(`input[name="type"][value="${value}"]`) }).locator('.count');
    await page.locator('#facets input[name="type"]').first().waitFor();
    expect(await count('mask').textContent()).toBe('2');
    expect(await count('coin').textContent()).toBe('2');
    expect(await count('helmet').textContent()).toBe('0');
    // With words and no filter they start folded: opened, they count the objects of "mask -helmet".
    await searched('mask -helmet');
    expect(await page.locator('#filters').evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    await page.locator('#filters summary').click();
    await page.locator('#facets input[name="type"]').first().waitFor();
    expect(await count('mask').textContent()).toBe('1');
    expect(await count('coin').textContent()).toBe('1');
    expect(await count('helmet').textContent()).toBe('0');
  });

  // A visitor who typed only "OR", or only "-coin", has nothing to search for: the page shows what an empty search
  // box shows, and says what to type.
  it('says what to type when only "OR" or a "-" word is typed', async () => {
    const all = (await searched('')).titles;
    expect(all).toHaveLength(5);
    const or = await searched('OR');
    expect(or.status).toBe(
      '5 objects in the collection. “OR” goes between two words, to find objects with either: “coin OR mask”.',
    );
    expect(or.titles).toEqual(all);
    const open = () => built.page.locator('#filters').evaluate((d) => (d as unknown as { open: boolean }).open);
    expect(await open()).toBe(true);
    const dash = await searched('-coin');
    expect(await open()).toBe(true);
    expect(dash.status).toBe(
      '5 objects in the collection. A “-” before a word leaves out the objects with it, or a word starting with it, ' +
        'from what the other words find: type a word to search for as well, as in “mask -coin”.',
    );
    expect(dash.titles).toEqual(all);
  });

  it('says nothing of operators for words alone, or a hyphen inside a word', async () => {
    expect((await searched('mask', { typed: true })).status).toBe('3 objects for “mask”');
    expect((await searched('Helmet-mask', { typed: true })).status).toMatch(/^\d+ objects? for “Helmet-mask”$/);
  });
});
