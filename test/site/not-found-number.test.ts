import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * An outside tester typed an object's address as its number is printed ("objects/DM-0267/"): the 404 page guessed
 * the object's page addresses and asked for them, a failed request (a 404 the browser logs as an error) of its own.
 * It reads the number index the build publishes (data/numbers/), as the search page does, and offers the object
 * with its real number. A small site under a base path, as on GitHub Pages, read in Chromium.
 */

const BASE = '/collection/';

describe('the 404 page for an object number typed into the address', () => {
  let dir = '';
  let catalogue: Catalogue;
  let browser: TestBrowser;
  let page: Page;
  let site: Awaited<ReturnType<typeof serveSite>>;
  const objects: FixtureObject[] = [
    { id: 'DM-0267', title: 'View of Valparaíso', label: 'print', image: null },
    // Spelled like DM-0267's address: it gets the hashed one ("dm-0267-<md5>").
    { id: 'DM 0267', title: 'Cup', label: 'vessel', image: null },
    { id: 'DM-0001', title: 'Harbour at Naples', label: 'print', image: null },
    { id: 'MET_544744', title: 'Ewer', label: 'vessel', image: null },
  ];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-notfound-'));
    await writeFixture({ root: dir, objects, labels: ['print', 'vessel'], withMetrics: false });
    const ws = workspace(dir);
    // Before the first promotion: no model, no annotations (the home page's test below).
    await rm(path.join(ws.registry, 'annotations.json'));
    await rm(path.join(ws.registry, 'versions.json'));
    const params = defaultParams();
    params.catalogue.base = BASE;
    catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
    await buildSite({ ws, params, log: memoryLogger() });
    site = await serveSite({ dir: ws.site, base: BASE });
    browser = await openChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const slugOf = (id: string) => catalogue.objects.find((o) => o.id === id)!.slug;

  /** The 404 page at `address` (under the base): what it offers, what its script asked for and what failed. */
  async function notFound(address: string) {
    const asked: string[] = [];
    const failed: string[] = [];
    // The page's own address answers 404 (it is the 404 page); everything after it must not fail.
    const record = (r: { url(): string; resourceType(): string }) => {
      if (r.resourceType() !== 'document') asked.push(new URL(r.url()).pathname);
    };
    const refused = (r: { status(): number; url(): string; request(): { resourceType(): string } }) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document') failed.push(`${r.status()} ${r.url()}`);
    };
    const lost = (r: { url(): string }) => failed.push(`failed ${r.url()}`);
    page.on('request', record);
    page.on('response', refused);
    page.on('requestfailed', lost);
    const response = await page.goto(`${site.url}${address}`);
    expect(response?.status(), address).toBe(404);
    await page.waitForLoadState('networkidle');
    page.off('request', record);
    page.off('response', refused);
    page.off('requestfailed', lost);
    const box = page.locator('#did-you-mean');
    const shown = await box.isVisible();
    return {
      asked: asked.filter((p) => /\/objects\/|\/data\//.test(p)),
      failed,
      offered: shown ? await box.locator('a').getAttribute('href') : null,
      words: shown ? ((await box.textContent()) ?? '').replace(/\s+/g, ' ').trim() : null,
    };
  }

  it("offers the object's page and its real number from the number index, with no request that fails", async () => {
    const a = await notFound('objects/DM-0267/');
    expect(a.offered).toBe(`${BASE}objects/${slugOf('DM-0267')}/`);
    expect(a.words).toBe('Were you looking for object DM-0267, “View of Valparaíso”?');
    // One piece of the number index, then the page the index names (for its title), no guessed page.
    expect(a.asked).toHaveLength(2);
    expect(a.asked[0]).toMatch(/^\/collection\/data\/numbers\/[0-9a-f]{2}\.json$/);
    expect(a.asked[1]).toBe(`${BASE}objects/${slugOf('DM-0267')}/`);
    expect(a.failed).toEqual([]);
    await page.locator('#did-you-mean a').click();
    await page.waitForURL(`${site.url}objects/${slugOf('DM-0267')}/`);
    expect(await page.locator('h1').textContent()).toBe('View of Valparaíso');
  });

  it("offers a look-alike's own page, and the real number of one typed in another case", async () => {
    const alike = await notFound('objects/DM%200267/');
    expect(slugOf('DM 0267')).not.toBe(slugOf('DM-0267'));
    expect(alike.offered).toBe(`${BASE}objects/${slugOf('DM 0267')}/`);
    expect(alike.words).toBe('Were you looking for object DM 0267, “Cup”?');
    expect(alike.failed).toEqual([]);
    const lower = await notFound('objects/Dm-0001/');
    expect(lower.offered).toBe(`${BASE}objects/${slugOf('DM-0001')}/`);
    expect(lower.words).toBe('Were you looking for object DM-0001, “Harbour at Naples”?');
    expect(lower.failed).toEqual([]);
  });

  // Typed without its punctuation, or with other punctuation than its own: its object, as the search page offers it.
  it('offers the object of a number typed without its punctuation or with other punctuation', async () => {
    const forms: [string, string, string][] = [
      ['objects/DM0267/', 'DM-0267', 'View of Valparaíso'],
      ['objects/dm0001/', 'DM-0001', 'Harbour at Naples'],
      ['objects/MET%20544744/', 'MET_544744', 'Ewer'],
      ['objects/met-544744/', 'MET_544744', 'Ewer'],
      ['objects/MET544744/', 'MET_544744', 'Ewer'],
    ];
    for (const [address, id, title] of forms) {
      const a = await notFound(address);
      expect(a.offered, address).toBe(`${BASE}objects/${slugOf(id)}/`);
      expect(a.words, address).toBe(`Were you looking for object ${id}, “${title}”?`);
      expect(a.asked, address).toHaveLength(2);
      expect(a.failed, address).toEqual([]);
    }
  });

  // A member of the public typed the number straight after the site's address ("/DM-0121"), not under objects/.
  it('offers the object of a number typed straight after the site’s address, with or without a slash', async () => {
    const forms: [string, string, string][] = [
      ['DM-0267', 'DM-0267', 'View of Valparaíso'],
      ['DM-0267/', 'DM-0267', 'View of Valparaíso'],
      ['dm0001', 'DM-0001', 'Harbour at Naples'],
      ['MET%20544744/', 'MET_544744', 'Ewer'],
    ];
    for (const [address, id, title] of forms) {
      const a = await notFound(address);
      expect(a.offered, address).toBe(`${BASE}objects/${slugOf(id)}/`);
      expect(a.words, address).toBe(`Were you looking for object ${id}, “${title}”?`);
      expect(a.asked, address).toHaveLength(2);
      expect(a.failed, address).toEqual([]);
    }
    // A number no object has: one piece of the index, nothing offered. A word is not a number: nothing looked up.
    const none = await notFound('DM-9999');
    expect([none.asked.length, none.offered, none.failed]).toEqual([1, null, []]);
    expect((await notFound('missing.html')).asked).toEqual([]);
  });

  it('offers nothing for a number no object has, and asks for no object page', async () => {
    for (const address of ['objects/DM-9999/', 'objects/dm-9999/']) {
      const none = await notFound(address);
      expect(
        none.asked.filter((p) => p.includes('/data/numbers/')),
        address,
      ).toHaveLength(1);
      expect(none.offered, address).toBeNull();
      expect(none.failed, address).toEqual([]);
      expect(
        none.asked.filter((p) => p.includes('/objects/')),
        address,
      ).toEqual([]);
    }
    // Not an object's address: nothing is looked up.
    expect((await notFound('no/such/page')).asked).toEqual([]);
  });

  // An outside tester: a stalled piece of the number index left the 404 page waiting for ever (the search page gives
  // up a piece after 3 s). The piece held back 30 s: the page cancels its request and offers nothing, as the search
  // page does; the request was left open before.
  it('gives up a piece of the number index that does not answer, and cancels its request', async () => {
    const own = await browser.newPage();
    try {
      await own.route('**/data/numbers/*.json', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 30_000));
        await route.continue().catch(() => undefined);
      });
      const cancelled = own.waitForEvent('requestfailed', {
        predicate: (r) => r.url().includes('/data/numbers/'),
        timeout: 20_000,
      });
      expect((await own.goto(`${site.url}objects/DM-0267/`))?.status()).toBe(404);
      await cancelled;
      await own.waitForLoadState('networkidle', { timeout: 20_000 });
      expect(await own.locator('#did-you-mean').isVisible()).toBe(false);
    } finally {
      await own.close();
    }
  }, 60_000);

  // An outside tester: with no model promoted yet, the home page said "a machine-learning model suggests a type for
  // every photograph".
  it('says on the home page that no model has been promoted yet, not that a model suggests types', async () => {
    expect(catalogue.counts.annotated).toBe(0);
    const home = (await readFile(path.join(workspace(dir).site, 'index.html'), 'utf8'))
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
      .replace(/\s+/g, ' ');
    expect(home).toContain('No machine-learning model has been promoted yet, so no type is suggested by a machine.');
    expect(home).not.toMatch(/model suggests a type/);
  });
});
