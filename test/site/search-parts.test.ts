import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { partOf, readPartsManifest } from '../../pipeline/catalogue/search-index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * A catalogue whose search index comes in parts (4 object pages a part, 14 objects), built by the
 * catalogue's own build under a project path and searched in headless Chromium: the search page
 * merges the parts, so a search finds objects of every part, and the filters count across them.
 */

// Page-side code in waitForFunction runs in the browser; only this global is used there.
declare const document: { getElementById(id: string): { textContent: string | null } | null };
const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');
const BASE = '/parts-test/';
const PART = 4;

let dir: string;
let browser: TestBrowser;
let site: Awaited<ReturnType<typeof serveSite>>;
let objects: (FixtureObject & { slug: string })[];
let slugs: Map<string, string>;
/** What the site was built from, for building it again. */
let built: { fixture: FixtureObject[]; labels: string[]; params: ReturnType<typeof defaultParams> };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-search-parts-'));
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 7 === 0).slice(0, 14);
  const fixture: FixtureObject[] = picked.map((r) => ({
    id: r.id!,
    title: r.title!,
    maker: r.artist || 'Unknown maker',
    date: r.date,
    department: r.museum,
    medium: r.medium,
    rights: r.license,
    // A word every object has, so one search should find them all.
    description: 'Kept in the Zanzibar store.',
    label: r.label!,
    image: null,
  }));
  await writeFixture({
    root: dir,
    objects: fixture,
    labels: [...new Set(picked.map((r) => r.label!))].sort(),
    embeddingSize: 16,
  });
  const ws = workspace(dir);
  const params = defaultParams();
  params.catalogue.base = BASE;
  params.catalogue.search_part_pages = PART;
  await buildCatalogueData({ ws, params, log: memoryLogger() });
  await buildSite({ ws, params, log: memoryLogger() });
  built = { fixture, labels: [...new Set(picked.map((r) => r.label!))].sort(), params };
  const catalogue = JSON.parse(await readFile(path.join(ws.catalogue, 'catalogue.json'), 'utf8')) as {
    objects: { id: string; slug: string }[];
  };
  slugs = new Map(catalogue.objects.map((o) => [o.id, o.slug]));
  objects = fixture.map((o) => ({ ...o, slug: slugs.get(o.id)! }));
  site = await serveSite({ dir: ws.site, base: BASE });
  browser = await openChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a catalogue whose search index comes in parts', () => {
  it('finds objects of every part, and its filters count across the parts', async () => {
    const manifest = await readPartsManifest(path.join(workspace(dir).site, 'pagefind'));
    // 14 pages, 4 a part: 4 parts (less any empty one), at least 3.
    const count = Math.ceil(objects.length / PART);
    const parts = new Set(objects.map((o) => partOf(o.slug, count)));
    expect(manifest!.parts).toHaveLength(parts.size);
    expect(parts.size).toBeGreaterThanOrEqual(3);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${site.url}browse/?q=zanzibar`);
    await page.waitForFunction(() => / objects? for/.test(document.getElementById('status')?.textContent ?? ''));
    expect(await page.locator('#status').textContent()).toBe(`${objects.length} objects for “zanzibar”`);
    // Every card, "Show more" until all are shown: one of each object, from every part.
    const cards = () => page.locator('#results li').count();
    const showAll = async (n: number) => {
      await expect.poll(cards).toBe(Math.min(n, 6));
      for (let shown = await cards(); shown < n; shown = await cards()) {
        await page.locator('#more').click();
        // The whole batch of 12 (cards come in one by one): a click on a part-drawn batch finds no button.
        await expect.poll(cards).toBe(Math.min(n, shown + 12));
      }
      expect(await cards()).toBe(n);
    };
    await showAll(objects.length);
    const found = (await page.locator('#results a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      .map((href) => /\/objects\/([^/]+)\/$/.exec(href ?? '')?.[1])
      .sort();
    expect(found).toEqual(objects.map((o) => o.slug).sort());
    expect(new Set(found.map((slug) => partOf(slug!, count))).size).toBe(parts.size);
    // Each merged part's word chunks come from its own folder; its entry and metadata came with
    // parts.json (issue 16: two requests a part fewer), so none is asked for.
    for (const p of manifest!.parts.slice(1))
      expect(asked.some((a) => a.startsWith(`${BASE}pagefind/${p.path}index/`))).toBe(true);
    expect(asked.filter((a) => a.endsWith('.pf_meta') || a.endsWith('pagefind-entry.json'))).toEqual([]);
    for (const p of manifest!.parts) expect(Object.keys(p.files ?? {}).sort()).toHaveLength(2);

    // Filters: the department counts among the results add up over the parts, and narrowing works.
    await page.locator('#filters > summary').click();
    const department = page.getByRole('group', { name: 'Department' });
    const museum = objects[0]!.department!;
    const expected = objects.filter((o) => o.department === museum);
    const option = department.locator('label').filter({ hasText: museum });
    await expect.poll(() => option.locator('.count').textContent()).toBe(String(expected.length));
    await department.getByLabel(museum).check();
    await page.waitForFunction(
      (n) => (document.getElementById('status')?.textContent ?? '').startsWith(`${n} object`),
      expected.length,
    );
    await showAll(expected.length);
    const titles = await page.locator('#results .title').allTextContents();
    expect(titles.sort()).toEqual(expected.map((o) => o.title).sort());
    await context.close();
  });

  it('puts the search page’s script into the page, whole (issue 16: one request fewer)', async () => {
    // Astro inlines it only while it imports nothing (astro.config.mjs); one that imports something stays a file
    // of its own, and one inlined with Vite's preload helper left in fails in the browser.
    const html = await readFile(path.join(workspace(dir).site, 'browse', 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]*\ssrc="[^"]*_astro\/browse/);
    expect(html).not.toContain('__VITE_PRELOAD__');
    expect(html).toMatch(/<script type="module">(?:(?!<\/script>)[\s\S])*vitrineLoadPagefind/);
  });

  it('with a part of the index unreadable, says search is not available instead of searching for ever', async () => {
    // A copy of the site whose second part lost its folder (a deploy or restore cut short): parts.json
    // still names it, with its entry and metadata, but its word chunks and result fragments are gone.
    const copy = path.join(dir, 'damaged-site');
    await cp(workspace(dir).site, copy, { recursive: true });
    const manifest = await readPartsManifest(path.join(copy, 'pagefind'));
    await rm(path.join(copy, 'pagefind', manifest!.parts[1]!.path), { recursive: true });
    const damaged = await serveSite({ dir: copy, base: BASE });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      const fallback = 'Search is not available right now. You can still browse all objects page by page.';
      // A search needs the lost part's word chunks: it says so at once.
      await page.goto(`${damaged.url}browse/?q=zanzibar`);
      await page.waitForFunction((text) => document.getElementById('status')?.textContent === text, fallback);
      // Browsing everything needs no word chunk: it shows the first cards, and says so once it needs a
      // card from the lost part, never a card short.
      await page.goto(`${damaged.url}browse/`);
      await page.waitForFunction(() => /in the collection/.test(document.getElementById('status')?.textContent ?? ''));
      while ((await page.locator('#status').textContent()) !== fallback) {
        expect(await page.locator('#status').textContent()).toBe(`${objects.length} objects in the collection`);
        await page.locator('#more').click({ timeout: 10_000 });
        await page.waitForTimeout(300);
      }
      expect(await page.locator('#results li').count()).toBe(0);
    } finally {
      await context.close();
      await damaged.close();
    }
  });

  it('says which filters a search is narrowed by, and names a filter value the collection does not have', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    const museum = objects[0]!.department!;
    const n = objects.filter((o) => o.department === museum).length;
    const settled = () => /^\d+ objects?/.test(document.getElementById('status')?.textContent ?? '');
    // A link with words and a filter, as a visitor would share it.
    await page.goto(`${site.url}browse/?q=zanzibar&department=${encodeURIComponent(museum)}`);
    await page.waitForFunction(settled);
    expect(await page.locator('#status').textContent()).toBe(
      `${n} object${n === 1 ? '' : 's'} for “zanzibar”, Department: ${museum}`,
    );
    // An old link whose value no object has (a department renamed since): said, not a silent 0.
    await page.goto(`${site.url}browse/?department=Nowhere%20Museum`);
    await page.waitForFunction(settled);
    expect(await page.locator('#status').textContent()).toBe(
      '0 objects with Department: Nowhere Museum (no object in the collection has “Nowhere Museum”)',
    );
    await context.close();
  });
  it('a search page left open while the catalogue is published again searches the new index, loaded again', async () => {
    // A tester: after one label change and a rebuild, "Show more" in a tab opened before it asked for the old
    // index's files (renamed since), and the page said search was not available until it was reloaded by hand.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(90_000);
    const settled = () => / objects? for/.test(document.getElementById('status')?.textContent ?? '');
    await page.goto(`${site.url}browse/?q=zanzibar`);
    await page.waitForFunction(settled);
    await expect.poll(() => page.locator('#results li').count()).toBe(6);
    await page.evaluate(() => Object.assign(globalThis, { openedBefore: true }));
    // Published again with every object retitled: every part of the index is a new folder, the old ones gone.
    const retitled = built.fixture.map((o) => ({ ...o, title: `${o.title} (retitled)` }));
    await writeFixture({ root: dir, objects: retitled, labels: built.labels, embeddingSize: 16 });
    const ws = workspace(dir);
    await buildCatalogueData({ ws, params: built.params, log: memoryLogger() });
    await buildSite({ ws, params: built.params, log: memoryLogger() });
    // The next cards' files are the old index's: the page is loaded again, with the search in its address.
    await page.locator('#more').click();
    await page.waitForFunction(() => !('openedBefore' in globalThis), undefined, { timeout: 60_000 });
    await page.waitForFunction(settled);
    expect(await page.locator('#status').textContent()).toBe(`${objects.length} objects for “zanzibar”`);
    await expect.poll(() => page.locator('#results li').first().textContent()).toMatch(/\(retitled\)/);
    await context.close();
  });
});
