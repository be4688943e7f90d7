import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../../pipeline/paths.ts';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite } from './search-site.ts';

/*
 * Objects numbered in other scripts than the Latin one have pages at readable addresses that keep their letters
 * ("objects/東博-123/", "objects/об-12/"), which open from the listing, from the search box and from the 404 page,
 * in Chromium. Before, "東博-123" had the page objects/123/, and "京博-123" objects/123-<code>/.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const photo = path.resolve(root, '..', 'shared', 'datasets', 'five-museums', 'images', 'artic', 'artic_28560.jpg');

describe('objects numbered in another script, in the browser', () => {
  let built: SearchSite;
  const objects: FixtureObject[] = [
    { id: '東博-123', title: 'Tea bowl', date: '1600', label: 'vessel', image: photo },
    { id: '京博-123', title: 'Water jar', date: '1650', label: 'vessel', image: photo },
    { id: 'ОБ-12', title: 'Icon panel', date: '1700', label: 'print', image: null },
    { id: 'متحف ٣', title: 'Lustre dish', date: '1100', label: 'vessel', image: null },
    { id: 'DM-0267', title: 'View of Valparaíso', date: '1795', label: 'print', image: null },
  ];

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-non-latin-', objects, labels: ['print', 'vessel'] });
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  const slugOf = (id: string) => built.catalogue.objects.find((o) => o.id === id)!.slug;
  /** An address as the browser reports it (percent-encoded). */
  const at = (p: string) => new URL(p, built.site.url).href;

  it('gives each a page at an address that keeps its letters', async () => {
    expect(objects.map((o) => slugOf(o.id))).toEqual(['東博-123', '京博-123', 'об-12', 'متحف-٣', 'dm-0267']);
    const site = workspace(built.dir).site;
    for (const o of objects)
      expect((await stat(path.join(site, 'objects', slugOf(o.id), 'index.html'))).isFile(), o.id).toBe(true);
  });

  it('opens the page from the listing of all objects', async () => {
    const { page } = built;
    await page.goto(at('all/'));
    await page
      .getByRole('link', { name: /Tea bowl/ })
      .first()
      .click();
    await page.waitForURL(at('objects/東博-123/'));
    expect(await page.locator('h1').textContent()).toBe('Tea bowl');
    // The browser sends the address percent-encoded, as UTF-8.
    expect(page.url()).toContain('/objects/%E6%9D%B1%E5%8D%9A-123/');
  });

  it('opens the page from the search box, by the number however it is typed, and from a search result', async () => {
    const { page } = built;
    for (const [q, id] of [
      ['東博-123', '東博-123'],
      ['東博123', '東博-123'],
      ['ОБ-12', 'ОБ-12'],
      ['об 12', 'ОБ-12'],
    ]) {
      await page.goto(`${at('browse/')}?q=${encodeURIComponent(q!)}`);
      const exact = page.locator('#exact a');
      await exact.waitFor();
      expect(await exact.textContent(), q).toBe(`Go to object ${id}`);
      await exact.click();
      await page.waitForURL(at(`objects/${slugOf(id!)}/`));
    }
    // A word of its title: Pagefind's result links to the page.
    await page.goto(`${at('browse/')}?q=lustre`);
    const card = page.locator('#results a').filter({ hasText: 'Lustre dish' }).first();
    await card.waitFor();
    await card.click();
    await page.waitForURL(at(`objects/${slugOf('متحف ٣')}/`));
    expect(await page.locator('h1').textContent()).toBe('Lustre dish');
  });

  it('offers the page on the 404 page when the number is typed into the address as it is written', async () => {
    const { page } = built;
    expect((await page.goto(at('objects/ОБ-12/')))?.status()).toBe(404);
    const offered = page.locator('#did-you-mean a');
    await offered.filter({ hasText: '“Icon panel”' }).waitFor({ timeout: 10_000 });
    expect(await offered.getAttribute('href')).toBe('/objects/об-12/');
  });
});
