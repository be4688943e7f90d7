import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { writeFixture } from '../site/fixture.ts';
import { serveSite } from '../site/server.ts';

/*
 * The 404 page turns an address typed as the object number is printed ("objects/DM-0267/") into the page's
 * name and offers the page there. When a look-alike id holds that name ("DM 0267" came first), it offered the
 * look-alike although "DM-0267" has its own page (at the hashed name). Failed before the fix.
 */

describe('the 404 page with look-alike ids', () => {
  let dir = '';
  let catalogue: Catalogue;
  let browser: TestBrowser;
  let page: Page;
  let site: Awaited<ReturnType<typeof serveSite>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-not-found-'));
    await writeFixture({
      root: dir,
      objects: [
        { id: 'DM 0267', title: 'Look-alike', label: 'vessel', image: null },
        { id: 'DM-0267', title: 'Real object', label: 'vessel', image: null },
      ],
      labels: ['vessel'],
      withMetrics: false,
    });
    const ws = workspace(dir);
    catalogue = (await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() })).catalogue;
    await buildSite({ ws, params: defaultParams(), log: memoryLogger() });
    site = await serveSite({ dir: ws.site });
    browser = await openChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(60_000);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const slugOf = (id: string) => catalogue.objects.find((o) => o.id === id)!.slug;
  const offered = async (typed: string) => {
    const response = await page.goto(`${site.url}objects/${typed}/`);
    expect(response?.status()).toBe(404);
    const link = page.locator('#did-you-mean a');
    await link.waitFor();
    // The title comes from a second request, after the link is shown (under load, later): waited for.
    await link.filter({ hasText: '“' }).waitFor();
    return { href: await link.getAttribute('href'), text: await link.textContent() };
  };

  it('offers the exact object, not the look-alike at the plain address', async () => {
    expect(slugOf('DM 0267')).toBe('dm-0267');
    expect(slugOf('DM-0267')).not.toBe('dm-0267');
    const exact = await offered('DM-0267');
    expect(exact.href).toBe(`/objects/${slugOf('DM-0267')}/`);
    expect(exact.text).toContain('Real object');
    const spaced = await offered('DM%200267');
    expect(spaced.href).toBe('/objects/dm-0267/');
    expect(spaced.text).toContain('Look-alike');
    // No object has this exact number: the one that differs only in case is offered (the number index the 404
    // page now reads, as the search page does), before the look-alike at the plain address.
    expect((await offered('Dm-0267')).href).toBe(`/objects/${slugOf('DM-0267')}/`);
    expect((await offered('dm 0267')).href).toBe('/objects/dm-0267/');
  });
});
