import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

declare const document: { getElementById(id: string): { textContent: string | null } | null };
declare const history: { length: number };

/*
 * An outside tester drove the demo catalogue’s search page in Chromium: Back left the page instead of undoing the last
 * search or filter (every change replaced the history entry); a Date range said and addressed every century in it
 * ("1st century or 2nd century or … or 20th century", 20 `century=` in the address); and a search that found nothing
 * said only "0 objects" for some words ("zebra") and which word no object has for others ("antelope"). A small site
 * whose titles, departments and dates make each answer checkable, read in Chromium.
 */

describe('the search page’s history, date range and empty results', () => {
  let built: SearchSite;
  let page: Page;
  const objects: FixtureObject[] = [
    { id: 'H-1', title: 'Festival mask', date: '1850', department: 'Textiles', label: 'mask', image: null },
    { id: 'H-2', title: 'Helmet mask', date: '1620', department: 'Arms', label: 'mask', image: null },
    { id: 'H-3', title: 'Bronze coin', date: '2nd century', department: 'Coins', label: 'coin', image: null },
    { id: 'H-4', title: 'Woven mask', date: '1st century BCE', department: 'Textiles', label: 'mask', image: null },
    { id: 'H-5', title: 'Iron helmet', date: '1450', department: 'Arms', label: 'helmet', image: null },
    { id: 'H-6', title: 'Silk coin purse', date: '1920', department: 'Textiles', label: 'coin', image: null },
  ];

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-history-', objects, labels: ['coin', 'helmet', 'mask'] });
    page = built.page;
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  const status = () => page.evaluate(() => document.getElementById('status')?.textContent ?? '');
  const settled = (text: string | RegExp) => page.locator('#status').filter({ hasText: text }).waitFor();
  const textiles = () => page.getByRole('group', { name: 'Department' }).getByLabel('Textiles');
  /** Open the filters when they are folded (with words they start folded; without, open on a wide screen). */
  const openFilters = async () => {
    if (!(await page.locator('#filters').evaluate((d) => (d as unknown as { open: boolean }).open)))
      await page.locator('#filters > summary').click();
  };

  it('makes a submitted search and a filter change history entries, and Back and Forward undo and redo them', async () => {
    await page.goto(built.site.url);
    await page.goto(`${built.site.url}browse/`);
    await settled('6 objects in the collection');
    const start = await page.evaluate(() => history.length);
    // Typing alone is no entry.
    await page.fill('#q', 'mas');
    expect(await page.evaluate(() => history.length)).toBe(start);
    await page.fill('#q', 'mask');
    await page.press('#q', 'Enter');
    await settled('3 objects for “mask”');
    await openFilters();
    await textiles().check();
    await settled('2 objects for “mask”, Department: Textiles');
    expect(await page.evaluate(() => history.length)).toBe(start + 2);
    expect(new URL(page.url()).search).toBe('?q=mask&department=Textiles');

    await page.goBack();
    await settled(/^3 objects for “mask”$/);
    expect(new URL(page.url()).search).toBe('?q=mask');
    expect(await page.inputValue('#q')).toBe('mask');
    await openFilters();
    await expect.poll(() => textiles().isChecked()).toBe(false);
    expect(await page.locator('#results .title').count()).toBe(3);

    await page.goBack();
    await settled('6 objects in the collection');
    expect(new URL(page.url()).pathname).toBe('/browse/');
    expect(new URL(page.url()).search).toBe('');
    expect(await page.inputValue('#q')).toBe('');

    await page.goForward();
    await settled(/^3 objects for “mask”$/);
    expect(await page.inputValue('#q')).toBe('mask');
    await page.goForward();
    await settled('2 objects for “mask”, Department: Textiles');
    await expect.poll(() => textiles().isChecked()).toBe(true);
    expect((await page.locator('#results .title').allTextContents()).sort()).toEqual(['Festival mask', 'Woven mask']);

    // A third Back from there leaves the search page for the page before it.
    await page.goBack();
    await settled(/^3 objects for “mask”$/);
    await page.goBack();
    await settled('6 objects in the collection');
    await page.goBack();
    await page.waitForURL(built.site.url);
  });

  it('says a date range as a range, keeps its ends in the address, and reads an old address of every century', async () => {
    await page.goto(`${built.site.url}browse/`);
    await settled('6 objects in the collection');
    await page.selectOption('#timeline-from', { label: '1st century' });
    await settled('5 objects with Date: 1st to 20th century');
    const address = new URL(page.url());
    expect(address.searchParams.getAll('century')).toEqual([]);
    expect([...address.searchParams]).toEqual([
      ['century-from', '1st century'],
      ['century-to', '20th century'],
    ]);
    // The address, shared, finds the same.
    await page.goto(address.href);
    await settled('5 objects with Date: 1st to 20th century');
    expect(await page.locator('#timeline-from option:checked').textContent()).toBe('1st century');
    expect(await page.locator('#timeline-to option:checked').textContent()).toBe('20th century');
    // An address from before, with every century in it, reads the same.
    const every = Array.from({ length: 20 }, (_, i) => `century=${i + 1}${['st', 'nd', 'rd'][i] ?? 'th'}+century`);
    await page.goto(`${built.site.url}browse/?${every.join('&')}`);
    await settled('5 objects with Date: 1st to 20th century');
    expect(await page.locator('#timeline-from option:checked').textContent()).toBe('1st century');
    // BCE at one end: both ends said whole.
    await page.goto(`${built.site.url}browse/?century-to=2nd+century`);
    await settled('2 objects with Date: 1st century BCE to 2nd century');
    // An end that names no century (a mistyped or made-up address) is left out, never said back: the other end
    // is read as a range end.
    await page.goto(`${built.site.url}browse/?century-from=zzz&century-to=2nd+century`);
    await settled('2 objects with Date: 1st century BCE to 2nd century');
    expect(new URL(page.url()).search).not.toContain('zzz');
    await page.goto(`${built.site.url}browse/?century-from=1st+century&century-to=%3Cb%3Ezzz`);
    await settled('5 objects with Date: 1st to 20th century');
    await page.goto(`${built.site.url}browse/?century-from=zzz&century-to=yyy`);
    await settled('6 objects in the collection');
    expect(new URL(page.url()).search).toBe('');
    // One century, as the object pages link to it, as before.
    await page.goto(`${built.site.url}browse/?century=19th+century`);
    await settled('1 object with Date: 19th century');
    expect(new URL(page.url()).search).toBe('?century=19th+century');
  });

  /**
   * The status and the cards once `q` is typed into the box, over the last search (typedSearch: no page load, about
   * 0.8 s of Chromium CPU each).
   */
  async function searched(q: string): Promise<{ status: string; titles: string[] }> {
    const { status, titles } = await typedSearch({ built, q });
    return { status, titles };
  }

  const advice =
    'Words are found only as the catalogue spells them: check the spelling, try fewer or other words, ' +
    'or clear the search box and browse by object type under Filters.';

  it('says which word no object has, and what to try, for every search that finds nothing', async () => {
    // Pagefind finds nothing for "zebra"; for "ironclad" it answers with "iron" (the page finds nothing): one message.
    for (const word of ['zebra', 'ironclad', 'masc']) {
      const s = await searched(word);
      expect([s.titles, s.status], word).toEqual([
        [],
        `0 objects for “${word}”: no object has the word “${word}”. ${advice}`,
      ]);
    }
    const two = await searched('helmit mask');
    expect([two.titles, two.status]).toEqual([
      [],
      `0 objects for “helmit mask”: no object has the word “helmit”. ${advice}`,
    ]);
    const both = await searched('zxqv zebra');
    expect(both.status).toBe(`0 objects for “zxqv zebra”: no object has the word “zxqv” or “zebra”. ${advice}`);
    // Every word is in some object, but none has them all.
    const all = await searched('helmet coin');
    expect(all.status).toBe(
      '0 objects for “helmet coin”: each word is in some object, but no object has them all. Try fewer words, ' +
        'or clear the search box and browse by object type under Filters.',
    );
    // Words found, but not with the filters ticked.
    await page.goto(`${built.site.url}browse/?q=mask&department=Coins`);
    await settled(/objects? for/);
    expect(await status()).toBe(
      '0 objects for “mask”, Department: Coins: objects have this word, but none with these filters. ' +
        'Clear some filters, or search other words.',
    );
    // A word no object has, with filters ticked: the word is said.
    await page.goto(`${built.site.url}browse/?q=zebra&department=Coins`);
    await settled(/objects? for/);
    expect(await status()).toBe(`0 objects for “zebra”, Department: Coins: no object has the word “zebra”. ${advice}`);
  });
});

/*
 * A reviewer followed the page’s "Skip to content" link after "Show more": the popstate listener searched again on
 * that move within the page (a #fragment, the same search), so the cards opened went back to the first 6, the
 * status line was said again, and the address lost its #main.
 */
describe('a link to a part of the search page (#main)', () => {
  let built: SearchSite;
  let page: Page;
  const objects: FixtureObject[] = Array.from({ length: 14 }, (_, i) => ({
    id: `S-${i + 1}`,
    title: `Bronze mask ${i + 1}`,
    date: '1850',
    department: 'Arms',
    label: 'mask',
    image: null,
  }));

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-skip-', objects, labels: ['coin', 'mask'] });
    page = built.page;
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  it('keeps the cards opened with "Show more", the status line and the #fragment, there and back', async () => {
    await page.goto(`${built.site.url}browse/?q=mask`);
    await page.locator('#status').filter({ hasText: '14 objects' }).waitFor();
    await page.locator('#more').click();
    await page.locator('#results > :nth-child(14)').waitFor();
    const cards = () => page.locator('#results > *').count();
    await page.evaluate(() => {
      const said = globalThis as unknown as { said: number };
      said.said = 0;
      const status = document.getElementById('status') as unknown as object;
      const Observer = (
        globalThis as unknown as { MutationObserver: new (f: () => void) => { observe(t: object, o: object): void } }
      ).MutationObserver;
      new Observer(() => said.said++).observe(status, { childList: true, characterData: true, subtree: true });
    });
    const before = await page.evaluate(() => history.length);
    // As a keyboard user follows it: the link shows when it has the focus.
    await page.locator('a.skip[href="#main"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1000);
    expect(new URL(page.url()).hash).toBe('#main');
    expect(new URL(page.url()).search).toBe('?q=mask');
    expect(await page.evaluate(() => history.length)).toBe(before + 1);
    expect(await cards()).toBe(14);
    await page.goBack();
    await page.waitForTimeout(1000);
    expect(new URL(page.url()).hash).toBe('');
    expect(await cards()).toBe(14);
    expect(await page.evaluate(() => (globalThis as unknown as { said: number }).said)).toBe(0);
  });
});
