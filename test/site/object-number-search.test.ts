import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { readUnindexed, unindexed } from '../../site/src/lib/unindexed.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * Searching by object number, as an outside tester did on the demo: "DM-0267" found nothing (the number
 * was not indexed), "0267" found DM-0322 and DM-0177 and "9999" eight objects, none of them with that
 * number. Pagefind searches every data-pagefind-meta field: the thumbnail's address ("…/<md5>-240.webp")
 * gave each object words such as "02" and "99", and Pagefind, finding no word that starts with "0267",
 * falls back to the longest word that starts it ("02"). A small site with photographs, read in Chromium.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const photo = path.resolve(root, '..', 'shared', 'datasets', 'five-museums', 'images', 'artic', 'artic_28560.jpg');

describe('fields kept from the search index', () => {
  it('writes a field Pagefind keeps but cannot index, and reads it back', () => {
    const text = '/media/thumbs/52372af38e335e0a0e8823445a02c8d5-240.webp Photograph of “Łódź”';
    const marks = unindexed(text);
    expect(marks).toMatch(/^[!$%()+,\-./:;=?@~]+$/);
    expect(readUnindexed(marks)).toBe(text);
  });
});

describe('object numbers in search', () => {
  let dir = '';
  let catalogue: Catalogue;
  let browser: Browser;
  let page: Page;
  let site: Awaited<ReturnType<typeof serveSite>>;
  const labels = ['print', 'vessel'];
  const objects: FixtureObject[] = [
    { id: 'DM-0267', title: 'View of Valparaíso', maker: 'Hana Mori', date: '1795', label: 'print', image: photo },
    { id: 'DM-0322', title: 'Bowl with Fish', date: '11th century', label: 'vessel', image: photo },
    { id: 'DM-0177', title: 'Tapestry Fragment with Checks', date: '1866', label: 'print', image: photo },
    { id: 'DM-0001', title: 'Harbour at Naples', date: '1810', label: 'print', image: photo },
    { id: 'DM-02671', title: 'Jug', date: '1900', label: 'vessel', image: photo },
    // Spelled like DM-0267's address: it gets the hashed one ("dm-0267-<md5>").
    { id: 'DM 0267', title: 'Cup', date: '1901', label: 'vessel', image: photo },
    { id: 'B.12', title: 'Plate', label: 'vessel', image: null },
  ];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-number-'));
    await writeFixture({ root: dir, objects, labels, withMetrics: false, uniqueThumbnails: true });
    const ws = workspace(dir);
    const params = defaultParams();
    catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
    await buildSite({ ws, params, log: memoryLogger() });
    site = await serveSite({ dir: ws.site });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);
    await page.goto(`${site.url}data/`);
    // A string, not a function: vitest rewrites import() in functions it compiles.
    await page.evaluate(
      `(async () => { const pf = await import('/pagefind/pagefind.js'); await pf.init(); globalThis.pf = pf; })()`,
    );
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const idOf = (url: string) => catalogue.objects.find((o) => url.endsWith(`/objects/${o.slug}/`))?.id ?? url;

  /** Pagefind's answer, best first: each result's object number and how many words of its text matched. */
  async function search(q: string): Promise<{ id: string; locations: number }[]> {
    const found = await page.evaluate(async (q) => {
      const pf = (
        globalThis as unknown as {
          pf: {
            search(q: string): Promise<{ results: { data(): Promise<{ url: string; locations: number[] }> }[] }>;
          };
        }
      ).pf;
      const s = await pf.search(q);
      return Promise.all(s.results.map(async (r) => r.data()));
    }, q);
    return found.map((d) => ({ id: idOf(d.url), locations: d.locations.length }));
  }

  it('finds an object by its number', async () => {
    // Pagefind may rank DM-02671 (a shorter page) first: the search page puts the number's own object first.
    for (const q of ['DM-0267', 'dm-0267', 'DM0267', 'DM 0267']) {
      const r = await search(q);
      expect(r.map((x) => x.id).sort(), q).toEqual(['DM 0267', 'DM-0267', 'DM-02671']);
    }
    expect((await search('DM-0001')).map((r) => r.id)).toEqual(['DM-0001']);
    expect((await search('B.12')).map((r) => r.id)).toEqual(['B.12']);
  });

  it('finds by part of a number only the objects whose number has it', async () => {
    const r = await search('0267');
    expect(r.map((x) => x.id).sort()).toEqual(['DM 0267', 'DM-0267', 'DM-02671']);
    for (const x of r) expect(x.locations, x.id).toBeGreaterThan(0);
  });

  it('finds nothing by the words of a thumbnail address, its alt text or a number no object has', async () => {
    for (const q of ['9999', '0268', '240', 'webp', 'thumbs', 'media', 'photograph', '0000000', 'DM-9999']) {
      expect(await search(q), q).toEqual([]);
    }
  });
});
