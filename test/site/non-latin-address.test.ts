import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../../pipeline/paths.ts';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

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
    // Folios of one manuscript, whose titles repeat: only the number tells their cards apart.
    { id: 'Bodl. MS. Ashmole 1504', title: 'Psautier enluminé', date: '1300', label: 'print', image: photo },
    { id: 'A.2023.1.10-a', title: 'Psautier enluminé', date: '1300', label: 'print', image: null },
    { id: 'A.2023.1.2-a', title: 'Psautier enluminé', date: '1300', label: 'print', image: null },
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
    expect(objects.slice(0, 5).map((o) => slugOf(o.id))).toEqual([
      '東博-123',
      '京博-123',
      'об-12',
      'متحف-٣',
      'dm-0267',
    ]);
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

  /** Each card’s number as shown (its text, not only a label), and whether it stays inside its card. */
  async function cardNumbers(selector: string) {
    return built.page.locator(selector).evaluateAll((cards) =>
      cards.map((card) => {
        const n = card.querySelector('.number');
        const box = card.getBoundingClientRect();
        const own = n?.getBoundingClientRect();
        return {
          number: n?.textContent ?? null,
          inside:
            !!own && own.left >= box.left - 0.5 && own.right <= box.right + 0.5 && n!.scrollWidth <= n!.clientWidth,
        };
      }),
    );
  }

  it('shows each object’s number on its card, in the listing and in search results, inside the card', async () => {
    const { page } = built;
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(at('all/'));
      const listed = await cardNumbers('.grid .card');
      expect(listed.map((c) => c.number).sort(), `${width}`).toEqual(objects.map((o) => o.id).sort());
      expect(
        listed.filter((c) => !c.inside),
        `${width}`,
      ).toEqual([]);
      for (const q of ['Psautier', 'Lustre', 'Ashmole']) {
        await typedSearch({ built, q });
        const found = await cardNumbers('#results .card');
        const folios = objects.filter((o) => o.title === 'Psautier enluminé').map((o) => o.id);
        if (q === 'Psautier') expect(found.map((c) => c.number).sort()).toEqual(folios.sort());
        else
          expect(
            found.map((c) => c.number),
            q,
          ).toEqual([q === 'Ashmole' ? 'Bodl. MS. Ashmole 1504' : 'متحف ٣']);
        expect(
          found.filter((c) => !c.inside),
          `${width} ${q}`,
        ).toEqual([]);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('lists all objects in the natural order of their numbers, at the same addresses', async () => {
    const { page } = built;
    await page.goto(at('all/'));
    const numbers = await page
      .locator('.grid .card a')
      .evaluateAll((links) =>
        links.map((a) => decodeURIComponent(new URL((a as unknown as { href: string }).href).pathname)),
      );
    const a2 = numbers.indexOf(`/objects/${slugOf('A.2023.1.2-a')}/`);
    const a10 = numbers.indexOf(`/objects/${slugOf('A.2023.1.10-a')}/`);
    expect(a2).toBeGreaterThanOrEqual(0);
    expect(a10).toBeGreaterThan(a2);
  });
});
