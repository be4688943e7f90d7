import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchSite, searchSite } from './search-site.ts';

/*
 * A member of the public with JavaScript turned off: the search page said "Counting…" for ever, and a department
 * link from the home page (the search page with a filter in its address) showed an empty page. The search page says
 * that search needs JavaScript and offers the pages that work without it; nothing on it waits for a script.
 */

describe('the search page without JavaScript', () => {
  let built: SearchSite;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    built = await searchSite({
      prefix: 'vitrine-noscript-',
      objects: [
        { id: 'NS-1', title: 'Festival mask', department: 'Africa', label: 'mask', image: null },
        { id: 'NS-2', title: 'Bronze coin', department: 'Coins', label: 'coin', image: null },
      ],
      labels: ['coin', 'mask'],
    });
    context = await built.browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await context?.close();
    await built?.close();
  });

  /** What the search page at `address` shows: whether it says "Counting…", its notice and the notice's links. */
  async function shown(address: string) {
    await page.goto(`${built.site.url}${address}`);
    const notice = page.locator('main .notice', { hasText: 'JavaScript' }).filter({ visible: true });
    return {
      counting: await page.getByText('Counting').filter({ visible: true }).count(),
      notice: (await notice.count()) === 1 ? ((await notice.textContent()) ?? '').replace(/\s+/g, ' ') : null,
      links: await notice.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    };
  }

  it('says that search needs JavaScript, offers the pages that work without it, and does not say "Counting…"', async () => {
    const s = await shown('browse/');
    expect(s.counting).toBe(0);
    expect(s.notice).toContain('Search and filters need JavaScript');
    expect(s.links).toEqual(['/all/', '/colours/', '/review/', '/models/']);
    // Nothing that needs the script is left on the page: no search box that cannot search, no empty results.
    expect(await page.locator('#q').isVisible()).toBe(false);
    expect(await page.locator('#results-h').isVisible()).toBe(false);
    // Each page it offers is there and shows objects or models without a script.
    for (const link of s.links) {
      const response = await page.goto(`${built.site.url}${link!.slice(1)}`);
      expect(response?.status(), link!).toBe(200);
    }
    await page.goto(`${built.site.url}all/`);
    expect(await page.locator('.grid .card').count()).toBe(2);
  });

  it('says the same on a department link from the home page, not an empty page', async () => {
    await page.goto(built.site.url);
    const href = await page.locator('a[href*="browse/?department="]').first().getAttribute('href');
    expect(href).toMatch(/^\/browse\/\?department=/);
    const s = await shown(href!.slice(1));
    expect(s.counting).toBe(0);
    expect(s.notice).toContain('Search and filters need JavaScript');
  });

  // An outside tester: the home page's and the 404 page's search boxes said nothing, and the words typed were lost.
  it('says under the home page’s and the 404 page’s search boxes that search needs JavaScript', async () => {
    for (const address of ['', '404.html']) {
      await page.goto(`${built.site.url}${address}`);
      const notice = page.locator('main .notice', { hasText: 'JavaScript' }).filter({ visible: true });
      expect(await notice.count(), address || 'home page').toBe(1);
      expect((await notice.textContent())?.replace(/\s+/g, ' ')).toContain('Search needs JavaScript');
      const links = await notice.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(links).toEqual(['/all/', '/colours/']);
      await built.page.goto(`${built.site.url}${address}`);
      expect(await built.page.locator('main .notice', { hasText: 'JavaScript' }).isVisible(), address).toBe(false);
    }
  });

  it('shows the search box and no notice with JavaScript on', async () => {
    await built.page.goto(`${built.site.url}browse/`);
    await built.page
      .locator('#status')
      .filter({ hasText: /objects in the collection/ })
      .waitFor();
    expect(await built.page.locator('#q').isVisible()).toBe(true);
    expect(await built.page.locator('main .notice', { hasText: 'JavaScript' }).isVisible()).toBe(false);
  });
});
