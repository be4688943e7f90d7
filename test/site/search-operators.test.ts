import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchSite, searchSite } from './search-site.ts';

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

  /** The search page's status line and the cards' titles (in their order) once `q` is searched. */
  async function searched(q: string, { filters = '', done = /objects? (for|in the collection|with)/ } = {}) {
    const { page, site } = built;
    await page.goto(`${site.url}browse/?q=${encodeURIComponent(q)}${filters}`);
    await page.locator('#status').filter({ hasText: done }).waitFor();
    await page.waitForLoadState('networkidle');
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
    expect(await built.page.locator('#search-help').textContent()).toMatch(/“coin -silver”.*“mask OR figurine”/s);
  });

  it('finds objects with either side of "OR", those with both first', async () => {
    const s = await searched('coin OR mask');
    expect(s.status).toBe('4 objects for “coin” or “mask”');
    expect(s.titles).toEqual(['Bronze coin', 'Coin with a mask', 'Festival mask', 'Helmet mask']);
    expect(s.ranked[0]).toBe('Coin with a mask');
  });

  it('searches a quoted phrase as the words together, in their order', async () => {
    expect((await searched('"helmet mask"')).titles).toEqual(['Helmet mask']);
    const none = await searched('"mask helmet"');
    expect(none.status).toMatch(/^0 objects for “mask helmet”: no object has the phrase “mask helmet”/);
    const either = await searched('“helmet mask” OR bronze');
    expect(either.titles).toEqual(['Bronze coin', 'Helmet mask']);
  });

  it('names the part of the query that found nothing', async () => {
    const s = await searched('mask OR zebra');
    expect(s.status).toBe('3 objects for “mask” or “zebra”. No object has the word “zebra”.');
    const gone = await searched('coin -mask -bronze');
    expect(gone.status).toBe(
      '0 objects for “coin” without “mask” or “bronze”: every object with “coin” has “mask” or “bronze”. ' +
        'Leave out fewer words.',
    );
    // A word no object has leaves out nothing (Pagefind answers for "a", which starts it, and "Coin with a mask" has).
    const antelope = await searched('coin -antelope');
    expect(antelope.status).toBe(
      '2 objects for “coin” without “antelope”. No object has the word “antelope”, so none was left out.',
    );
    expect(antelope.titles).toEqual(['Bronze coin', 'Coin with a mask']);
    expect((await searched('mask OR a')).status).toBe(
      '3 objects for “mask” or “a”. “a” is too short to search: type two or more letters or digits.',
    );
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
      '5 objects in the collection. A “-” before a word leaves out the objects with it from what the other words ' +
        'find: type a word to search for as well, as in “mask -coin”.',
    );
    expect(dash.titles).toEqual(all);
  });

  it('says nothing of operators for words alone, or a hyphen inside a word', async () => {
    expect((await searched('mask')).status).toBe('3 objects for “mask”');
    expect((await searched('Helmet-mask')).status).toMatch(/^\d+ objects? for “Helmet-mask”$/);
  });
});
