import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchSite, searchSite } from './search-site.ts';

/*
 * Members of the public typed web-search habits: "mask -helmet" (masks, not helmets) and "coin OR mask" (either).
 * Pagefind understands neither: it searched every word, "helmet" and "or" included, and the page said nothing. The
 * search page takes them out of the words it searches and says in its status line what it searched and that they are
 * not understood. A small site whose titles make each answer checkable, read in Chromium.
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

  /** The search page's status line and the cards' titles (sorted) once `q` is searched (its status says `done`). */
  async function searched(q: string, done = /objects? (for|in the collection)/) {
    const { page, site } = built;
    await page.goto(`${site.url}browse/?q=${encodeURIComponent(q)}`);
    await page.locator('#status').filter({ hasText: done }).waitFor();
    await page.waitForLoadState('networkidle');
    return {
      status: (await page.locator('#status').textContent()) ?? '',
      titles: (await page.locator('#results .title').allTextContents()).sort(),
    };
  }

  it('says that "-" before a word is not understood, and which objects it shows instead', async () => {
    const s = await searched('mask -helmet');
    expect(s.status).toBe(
      '3 objects for “mask”. A “-” before a word is not understood here, so objects with “helmet” are not left out.',
    );
    expect(s.titles).toEqual(['Coin with a mask', 'Festival mask', 'Helmet mask']);
  });

  it('says that "OR" is not understood, and that only objects with every word are found', async () => {
    const s = await searched('coin OR mask');
    expect(s.status).toBe(
      '1 object for “coin mask”. “OR” is not understood here: only objects with every word are found, ' +
        'so search for each word on its own.',
    );
    expect(s.titles).toEqual(['Coin with a mask']);
  });

  // A visitor who typed only "OR", or only "-coin" (every object but the coins), searched nothing, and the page said
  // that only objects with every word are found, of no word. It shows what an empty search box shows, and says why.
  it('says that nothing else was typed to search for when only "OR" or a "-" word is typed', async () => {
    const all = (await searched('')).titles;
    expect(all).toHaveLength(5);
    const or = await searched('OR');
    expect(or.status).toBe(
      '5 objects in the collection. “OR” is not understood here, and nothing else was typed to search for.',
    );
    expect(or.titles).toEqual(all);
    // Filters open on a wide screen as for an empty search box (the reviewer: they started folded for "OR").
    const open = () => built.page.locator('#filters').evaluate((d) => (d as unknown as { open: boolean }).open);
    expect(await open()).toBe(true);
    const dash = await searched('-coin');
    expect(await open()).toBe(true);
    expect(dash.status).toBe(
      '5 objects in the collection. A “-” before a word is not understood here, so objects with “coin” are not ' +
        'left out, and nothing else was typed to search for.',
    );
    expect(dash.titles).toEqual(all);
    expect((await searched('-coin OR -mask')).status).toBe(
      '5 objects in the collection. A “-” before a word is not understood here, so objects with “coin” or “mask” ' +
        'are not left out. “OR” is not understood here, and nothing else was typed to search for.',
    );
  });

  it('says nothing of operators for words alone, or a hyphen inside a word', async () => {
    expect((await searched('mask')).status).toBe('3 objects for “mask”');
    expect((await searched('Helmet-mask')).status).toMatch(/^\d+ objects? for “Helmet-mask”$/);
  });
});
