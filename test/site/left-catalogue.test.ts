import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAddresses } from '../../pipeline/catalogue/addresses.ts';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { numberAsked } from '../../site/src/lib/address.ts';
import { openChromium } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * Tester T10: printed labels and QR codes point at objects/<address>/. After a deaccession (DM-0004 taken out of the
 * export) and a renumbering (DM-0011 now DM-1011, the same photograph), those addresses showed the generic "Page not
 * found". The catalogue keeps a page there that says the object is no longer in it (or its new number), keeps it out
 * of search, listings, the IIIF collection and the sitemap, and does not give the address to a look-alike number.
 */

const img = (name: string) =>
  path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums', 'images', 'nga', name);
const hash = (id: string) => createHash('md5').update(id).digest('hex').slice(0, 8);
const object = (id: string, title: string, image: string): FixtureObject => ({ id, title, label: 'coin', image });

let dir: string;
const site = (...parts: string[]) => path.join(dir, '.vitrine', 'site', ...parts);
const page = (slug: string) => readFile(site('objects', slug, 'index.html'), 'utf8');

/** The fixture's dataset, with each object's photograph checksum as its photograph (the fixture numbers them). */
async function write(objects: FixtureObject[]) {
  await writeFixture({ root: dir, objects, labels: ['coin'] });
  const file = path.join(dir, '.vitrine', 'dataset', 'dataset.json');
  const dataset = JSON.parse(await readFile(file, 'utf8')) as { objects: { id: string; imageMd5: string }[] };
  const byImage = new Map(
    objects.map((o) => [
      o.id,
      createHash('md5')
        .update(o.image ?? o.id)
        .digest('hex'),
    ]),
  );
  for (const o of dataset.objects) o.imageMd5 = byImage.get(o.id)!;
  await writeFile(file, JSON.stringify(dataset));
}

async function build() {
  const ws = workspace(dir);
  const params = defaultParams();
  params.catalogue.site = 'https://museum.example/collection/';
  params.catalogue.base = '/collection/';
  await buildCatalogueData({ ws, params, log: memoryLogger() });
  await buildSite({ ws, params, log: memoryLogger() });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-left-'));
  await write([
    object('DM-0001', 'Bowl', img('nga_106382.jpg')),
    object('DM-0004', 'Silver beaker', img('nga_108382.jpg')),
    object('DM-0011', 'Standing figure', img('nga_108617.jpg')),
  ]);
  await build();
  expect(await page('dm-0004')).toContain('Silver beaker');
  // DM-0004 leaves the catalogue; DM-0011 is renumbered DM-1011 (the same photograph); a look-alike number arrives.
  await write([
    object('DM 0004', 'Another beaker', img('nga_130841.jpg')),
    object('DM-0001', 'Bowl', img('nga_106382.jpg')),
    object('DM-1011', 'Standing figure', img('nga_108617.jpg')),
  ]);
  await build();
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the address of an object that left the catalogue', () => {
  // An object may leave for repatriation, or for privacy: its title is not kept public (D17).
  it('keeps a page that says the object is no longer in the online catalogue, with its number, not its title', async () => {
    const html = await page('dm-0004');
    expect(html).toContain('This object is no longer in the online catalogue');
    expect(html).toContain('DM-0004');
    expect(html).not.toContain('Silver beaker');
    expect(html).toContain('href="/collection/browse/"');
    expect(html).toContain('<meta name="robots" content="noindex"');
    expect(html).not.toContain('There is no page at this address');
  });

  it('names the new number of an object renumbered with the same photograph, and links to its page', async () => {
    const html = await page('dm-0011');
    expect(html).toContain('now catalogued as');
    expect(html).toContain('DM-1011');
    expect(html).toContain('href="/collection/objects/dm-1011/"');
    expect(html).toContain('<link rel="canonical" href="https://museum.example/collection/objects/dm-1011/"');
    expect(html).toContain('<meta name="robots" content="noindex"');
    expect(await page('dm-1011')).toContain('Standing figure');
  });

  it('is not given to a look-alike number while it has such a page', async () => {
    const html = await page(`dm-0004-${hash('DM 0004')}`);
    expect(html).toContain('Another beaker');
    expect(await page('dm-0004')).not.toContain('Another beaker');
  });

  it('is in no sitemap, IIIF collection, listing or search index', async () => {
    const sitemap = await readFile(site('sitemap.xml'), 'utf8');
    expect(sitemap).toContain('objects/dm-1011/');
    expect(sitemap).not.toContain('objects/dm-0004/');
    expect(sitemap).not.toContain('objects/dm-0011/');
    const collection = await readFile(site('iiif', 'collection.json'), 'utf8');
    expect(collection).not.toMatch(/iiif\/dm-0004\/|iiif\/dm-0011\//);
    const all = await readFile(site('all', 'index.html'), 'utf8');
    expect(all).not.toMatch(/objects\/dm-0004\/|objects\/dm-0011\//);
    const catalogue = JSON.parse(await readFile(path.join(dir, '.vitrine/catalogue/catalogue.json'), 'utf8'));
    expect(catalogue.objects.map((o: { id: string }) => o.id).sort()).toEqual(['DM 0004', 'DM-0001', 'DM-1011']);
    // Pagefind's index lists the pages it holds in its fragments: the notices are not searched.
    expect(await stat(site('pagefind')).catch(() => null)).not.toBeNull();
  });

  // The published copy carried each photograph's md5 (those not to be published too) and each object's title (D17).
  it('is published with its number, address and new number only, no photograph checksum or title', async () => {
    const published = JSON.parse(await readFile(site('data', 'addresses.json'), 'utf8'));
    expect(Object.keys(published).sort()).toEqual(['about', 'ids', 'left', 'slugs']);
    expect(published.left).toEqual([
      { id: 'DM-0004', slug: 'dm-0004', now: null },
      { id: 'DM-0011', slug: 'dm-0011', now: 'DM-1011' },
    ]);
    expect(JSON.stringify(published)).not.toMatch(/[0-9a-f]{32}|beaker|Standing figure/);
    // The saved copy beside the caches keeps the checksums, which tell a renumbered object; titles it needs no more.
    const saved = JSON.parse(await readFile(path.join(dir, '.vitrine/cache/catalogue-slugs.json'), 'utf8'));
    expect(saved.photos).toHaveLength(3);
    expect(saved.photos.every((p: string) => /^[0-9a-f]{32}$/.test(p))).toBe(true);
    expect(JSON.stringify(saved)).not.toMatch(/beaker|Standing figure/);
  });

  // The 404 page looked the number up among the objects of the catalogue only: it offered the look-alike DM 0004.
  it('is offered by the 404 page for its number typed as printed, and never by the search page', async () => {
    const served = await serveSite({ dir: site(), base: '/collection/' });
    const browser = await openChromium();
    try {
      const tab = await browser.newPage();
      const offered = async (address: string) => {
        expect((await tab.goto(`${served.url}${address}`))?.status()).toBe(404);
        await tab.waitForLoadState('networkidle');
        const box = tab.locator('#did-you-mean');
        await box.waitFor({ state: 'visible', timeout: 10_000 });
        const words = ((await box.textContent()) ?? '').replace(/\s+/g, ' ').trim();
        return { href: await box.locator('a').getAttribute('href'), words };
      };
      expect(await offered('objects/DM-0004/')).toEqual({
        href: '/collection/objects/dm-0004/',
        words: 'Were you looking for object DM-0004 (no longer in the online catalogue)?',
      });
      expect(await offered('objects/DM-0011/')).toEqual({
        href: '/collection/objects/dm-0011/',
        words: 'Were you looking for object DM-0011 (now catalogued as DM-1011)?',
      });
      // The search page looks numbers up among the objects of the catalogue only.
      expect((await numberAsked({ typed: 'DM-0011', base: served.url })).found).toBeNull();
      expect((await numberAsked({ typed: 'DM-0004', base: served.url })).found?.id).toBe('DM 0004');
    } finally {
      await browser.close();
      await served.close();
    }
  }, 120_000);

  it('is kept in the published addresses, which the address check accepts, and after a build restored from them', async () => {
    const published = await readFile(site('data', 'addresses.json'), 'utf8');
    expect(checkAddresses(published)).toMatchObject({ objects: 3 });
    // As the catalogue action restores them when the Actions cache is gone (docs/security-addresses.md).
    await copyFile(site('data', 'addresses.json'), path.join(dir, '.vitrine/cache/catalogue-slugs.json'));
    await build();
    expect(await page(`dm-0004-${hash('DM 0004')}`)).toContain('Another beaker');
    expect(await page('dm-0004')).toContain('This object is no longer in the online catalogue');
    expect(await page('dm-0011')).toContain('DM-1011');
  }, 300_000);
});
