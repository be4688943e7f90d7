import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueSchema } from '../../pipeline/catalogue/schema.ts';
import { readLabels } from '../../pipeline/collection/index.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueStage } from '../../pipeline/stages/catalogue.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture, writeMonitoringFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * Builds the catalogue site from a small fixture (24 real photographs from the five-museums set,
 * plus an object whose title carries a <script>) under a GitHub Pages project path, and drives it
 * in headless Chromium. The base path comes from VITRINE_CATALOGUE_BASE through the catalogue stage,
 * as the GitHub Pages workflows pass it, not from params.yaml. Screenshots go to the system temp folder (site-test-*.png).
 */

// Page-side code in waitForFunction/evaluate runs in the browser; only these two globals are used there.
declare const document: {
  getElementById(id: string): { textContent: string | null; childElementCount: number } | null;
  activeElement: { closest(selector: string): unknown } | null;
  querySelectorAll(selector: string): unknown[];
};
declare const window: { __pwned?: number; scrollY: number };
const root = path.resolve(import.meta.dirname, '..', '..');
const shared = path.resolve(root, '..', 'shared', 'datasets', 'five-museums');
const SCRIPT_TITLE = '<script>window.__pwned = 1</script> Bowl with <b>bold</b> glaze';
const BASE = '/vitrine-test/';
const SITE = 'https://example-museum.github.io';
const shots = os.tmpdir();

let dir: string;
let browser: TestBrowser;
let page: Page;
let site: Awaited<ReturnType<typeof serveSite>>;
let objects: FixtureObject[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-site-'));
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 5 === 0).slice(0, 24);
  const labels = [...new Set(picked.map((r) => r.label!))].sort();
  objects = picked.map((r, i) => ({
    id: r.id!,
    title: r.title!,
    maker: r.artist || 'Unknown maker',
    date: r.date,
    department: r.museum,
    medium: r.medium,
    rights: r.license,
    label: i === 3 ? null : r.label!,
    image: path.join(shared, r.file!),
    // Every fifth object is predicted as the next label: a disagreement for the review queue.
    predicted:
      i % 5 === 1
        ? { label: labels[(labels.indexOf(r.label!) + 1) % labels.length]!, confidence: 0.83 }
        : { label: r.label!, confidence: 0.64 + (i % 4) / 10 },
  }));
  // Below its class's threshold: the page says so and the review queue holds it.
  objects[7] = { ...objects[7]!, published: false };
  objects.push({
    id: 'zz-script',
    title: SCRIPT_TITLE,
    maker: 'Test <img src=x onerror=alert(1)>',
    date: '1901',
    rights: 'In copyright — educational use only',
    department: 'Decorative Arts',
    label: labels[0]!,
    image: objects[0]!.image,
  });
  await writeFixture({ root: dir, objects, labels, embeddingSize: 48 });
  const ws = workspace(dir);
  await writeMonitoringFixture({
    root: dir,
    version: 'v1.1.0',
    otherVersion: 'v1.0.0',
    unfamiliar: [objects[2]!, objects[6]!],
    nearest: objects[0]!.id,
  });
  const params = defaultParams();
  params.collection.repository = 'example-museum/collection';
  params.collection.branch = 'main';
  // params.yaml says nothing about the base: the Pages deploy's variable (as the workflows set it) must carry it.
  params.catalogue.base = '/';
  // zz-script (in copyright) shares the first object's photograph, which is then shown in full for both: a shared
  // photograph follows the strictest rights of its objects (test/catalogue/shared-photograph-rights.test.ts).
  params.catalogue.images = { ...params.catalogue.images, in_copyright: 'full' };
  const log = memoryLogger();
  await catalogueStage.run({
    ws,
    params,
    log,
    clock: systemClock,
    env: { VITRINE_CATALOGUE_BASE: BASE.replace(/\/$/, ''), VITRINE_CATALOGUE_SITE: SITE },
  });
  site = await serveSite({ dir: ws.site, base: BASE });
  browser = await openChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // CI runs two test files at once on two cores: the first search may wait for a busy CPU.
  page.setDefaultTimeout(90_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir && !process.env.VITRINE_KEEP_SITE) await rm(dir, { recursive: true, force: true });
});

async function results(): Promise<string[]> {
  await page.waitForFunction(() => !/Searching|^$/.test(document.getElementById('status')?.textContent ?? ''));
  return page.locator('#results .title').allTextContents();
}

describe('catalogue site', () => {
  it('writes a catalogue that validates and links each object to its labels.csv line', async () => {
    const ws = workspace(dir);
    const catalogue = catalogueSchema.parse(
      JSON.parse(await readFile(path.join(ws.catalogue, 'catalogue.json'), 'utf8')),
    );
    expect(catalogue.objects).toHaveLength(objects.length);
    expect(catalogue.reviewQueue.length).toBeGreaterThan(0);
    const lines = await readLabels({ file: ws.labels });
    const unlabelled = catalogue.objects.find((o) => o.label === null)!;
    expect(unlabelled.labelLine).toBeNull();
    expect(unlabelled.suggestUrl).toBe('https://github.com/example-museum/collection/edit/main/labels.csv');
    for (const l of lines) expect(catalogue.objects.find((o) => o.id === l.objectId)!.labelLine).toBe(l.line);
  });

  it('finds an object by a word of its title', async () => {
    const target = objects.find((o) => o.title.split(' ').some((w) => w.length > 6 && /^[A-Za-z]+$/.test(w)))!;
    const word = target.title.split(' ').find((w) => w.length > 6 && /^[A-Za-z]+$/.test(w))!;
    await page.goto(`${site.url}browse/`);
    await page.getByLabel('Search words').fill(word);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForFunction((w) => (document.getElementById('status')?.textContent ?? '').includes(w), word);
    const titles = await results();
    expect(titles).toContain(target.title);
    // Result cards show the smallest thumbnail, decorative: the card's link says the title (not read twice).
    expect(await page.locator('#results img').first().getAttribute('src')).toMatch(
      /^\/vitrine-test\/media\/.*-240\.webp$/,
    );
    expect(await page.locator('#results img').first().getAttribute('alt')).toBe('');
    await page.screenshot({ path: path.join(shots, 'site-test-search.png') });
  });

  // A public tester: after "Show more", opening a result and coming back showed the first 6 results again, at the top.
  it('comes back from an object page with the results shown before, where the visitor left them', async () => {
    await page.setViewportSize({ width: 1280, height: 600 });
    try {
      await page.goto(`${site.url}browse/`);
      await results();
      await page.getByRole('button', { name: 'Show more' }).click();
      // The first 6, then 12 more (all of them in, not the first few).
      await page.waitForFunction(() => (document.getElementById('results')?.childElementCount ?? 0) === 18);
      // Keyboard: focus is on the first new card, so that Tab goes on through the new results.
      await expect
        .poll(() =>
          page.evaluate(() => document.activeElement?.closest('li') === document.querySelectorAll('#results li')[6]),
        )
        .toBe(true);
      const shown = await page.locator('#results li').count();
      const card = page.locator('#results li').nth(shown - 1);
      await card.scrollIntoViewIfNeeded();
      const scrolled = await page.evaluate(() => window.scrollY);
      expect(scrolled).toBeGreaterThan(0);
      await card.locator('a').click();
      await page.waitForURL(/\/objects\//);
      await page.goBack();
      await page.waitForFunction((n) => (document.getElementById('results')?.childElementCount ?? 0) >= n, shown);
      expect(await page.locator('#results li').count()).toBe(shown);
      await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 40, scrolled);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('narrows the results with a facet, without a query', async () => {
    await page.goto(`${site.url}browse/`);
    const all = await results();
    expect(all.length).toBe(Math.min(6, objects.length));
    expect(await page.locator('#status').textContent()).toContain(`${objects.length} objects`);
    const museum = objects[0]!.department!;
    const expected = objects
      .filter((o) => o.department === museum)
      .map((o) => o.title)
      .sort();
    // Each value's count is the number of objects it has (not 0 before the filters load).
    const department = page.getByRole('group', { name: 'Department' });
    const option = department.locator('label').filter({ hasText: museum });
    await expect.poll(() => option.locator('.count').textContent()).toBe(String(expected.length));
    await department.getByLabel(museum).check();
    await page.waitForFunction(
      (n) => (document.getElementById('status')?.textContent ?? '').startsWith(`${n} object`),
      expected.length,
    );
    const narrowed = await results();
    expect(narrowed.sort()).toEqual(expected);
    expect(new URL(page.url()).searchParams.get('department')).toBe(museum);
    await page.screenshot({ path: path.join(shots, 'site-test-facet.png') });
    // With words, the facets (folded until opened) show the counts among the results.
    const word = objects[0]!.title.split(/\s+/)[0]!;
    await page.goto(`${site.url}browse/?q=${encodeURIComponent(word)}`);
    await results();
    await page.locator('#filters > summary').click();
    const counts = page.getByRole('group', { name: 'Department' }).locator('.count');
    await expect
      .poll(async () => (await counts.allTextContents()).reduce((n, c) => n + Number(c), 0), { timeout: 60_000 })
      .toBeGreaterThan(0);
  });

  it('loads only what a search needs: no filter index until the filters are wanted, a fragment per card shown', async () => {
    // A new context per visit, so nothing comes from the previous page's cache.
    const visit = async (address: string) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      tab.setDefaultTimeout(90_000);
      const asked: string[] = [];
      tab.on('request', (r) => asked.push(new URL(r.url()).pathname));
      await tab.goto(`${site.url}${address}`);
      await tab.waitForFunction(() => / objects? /.test(document.getElementById('status')?.textContent ?? ''));
      await tab.waitForLoadState('networkidle');
      const loaded = (kind: string) => asked.filter((p) => p.includes(`/pagefind/${kind}/`));
      return { tab, context, loaded };
    };
    const shown = async (tab: Page, facet: string) => {
      const group = tab.getByRole('group', { name: facet });
      const names = await group.locator('label > span:not(.count)').allTextContents();
      const counts = await group.locator('label > .count').allTextContents();
      return Object.fromEntries(names.map((n, i) => [n, Number(counts[i])]));
    };
    // Browsing without words: the whole collection's counts come with the page.
    {
      const { tab, context, loaded } = await visit('browse/');
      const byMuseum: Record<string, number> = {};
      for (const o of objects) byMuseum[o.department!] = (byMuseum[o.department!] ?? 0) + 1;
      expect(await shown(tab, 'Department')).toEqual(byMuseum);
      // Every object is under one value of the model's facet: a published guess, not sure, or none yet.
      const predicted = await shown(tab, 'Predicted type (model)');
      expect(Object.values(predicted).reduce((n, c) => n + c, 0)).toBe(objects.length);
      expect(predicted['Not sure: waiting for staff']).toBe(1);
      expect(loaded('filter')).toEqual([]);
      const cards = await tab.locator('#results li').count();
      expect(cards).toBe(6);
      expect(loaded('fragment')).toHaveLength(cards);
      // Every facet's counts are the search index's own.
      const mismatches = (await tab.evaluate(
        `(async () => {
        const pagefind = await import('${BASE}pagefind/pagefind.js');
        const all = await pagefind.filters();
        const facets = JSON.parse(document.getElementById('search-form').dataset.facets);
        const wrong = [];
        for (const f of facets) {
          const shown = {};
          if (f.timeline) {
            for (const t of document.querySelectorAll('#timeline rect title')) {
              const [name, n] = t.textContent.split(': ');
              if (Number(n) > 0) shown[name] = Number(n);
            }
          } else {
            const group = [...document.querySelectorAll('#facets fieldset')].find((g) => g.querySelector('legend').textContent === f.label);
            for (const l of group ? group.querySelectorAll('label') : [])
              shown[l.querySelector('span:not(.count)').textContent] = Number(l.querySelector('.count').textContent);
          }
          const expected = all[f.name] ?? {};
          const keys = new Set([...Object.keys(shown), ...Object.keys(expected)]);
          for (const k of keys) if ((shown[k] ?? 0) !== (expected[k] ?? 0)) wrong.push(f.name + ' ' + k + ': ' ` +
          `+ shown[k] + ' shown, ' + expected[k] + ' indexed');
        }
        return wrong;
      })()`,
      )) as string[];
      expect(mismatches).toEqual([]);
      await context.close();
    }
    // With words: the cards, and no filter index until the visitor opens the filters.
    {
      const word = objects[0]!.title.split(/\s+/)[0]!;
      const { tab, context, loaded } = await visit(`browse/?q=${encodeURIComponent(word)}`);
      expect(loaded('filter')).toEqual([]);
      const found = Number((await tab.locator('#status').textContent())!.replace(/,/g, '').match(/^\d+/)![0]);
      const cards = await tab.locator('#results li').count();
      expect(cards).toBe(Math.min(6, found));
      expect(loaded('fragment')).toHaveLength(cards);
      await tab.locator('#filters > summary').click();
      // Every object has one department: the counts among the results add up to the results.
      await expect
        .poll(async () => Object.values(await shown(tab, 'Department')).reduce((n, c) => n + c, 0), {
          timeout: 60_000,
        })
        .toBe(found);
      expect(loaded('filter').length).toBeGreaterThan(0);
      expect(loaded('fragment')).toHaveLength(cards);
      await context.close();
    }
  });

  it('shows dates as a timeline a visitor can brush, or narrow with From and To', async () => {
    const catalogue = catalogueSchema.parse(
      JSON.parse(await readFile(path.join(workspace(dir).catalogue, 'catalogue.json'), 'utf8')),
    );
    const names = catalogue.counts.byCentury.map((c) => c.name);
    expect(names.length).toBeGreaterThan(2);
    await page.goto(`${site.url}browse/`);
    await results();
    const bars = page.locator('#timeline svg rect');
    expect(await bars.count()).toBe(names.length);
    // Keyboard: From the second century with objects to the last.
    const withObjects = catalogue.counts.byCentury.filter((c) => c.count > 0).map((c) => c.name);
    const from = names.indexOf(withObjects[1]!);
    await page.locator('#timeline-from').selectOption(String(from));
    const inRange = (lo: number, hi: number) =>
      catalogue.objects.filter((o) => o.centuries.some((c) => names.indexOf(c) >= lo && names.indexOf(c) <= hi)).length;
    const expected = inRange(from, names.length - 1);
    expect(expected).toBeLessThan(objects.length);
    await page.waitForFunction(
      (n) => (document.getElementById('status')?.textContent ?? '').startsWith(`${n} object`),
      expected,
    );
    expect(await page.locator('#timeline-summary').textContent()).toContain(names[from]!);
    // The range is kept in the address as its ends, not as every century in it (test/site/search-history.test.ts).
    const address = new URL(page.url()).searchParams;
    expect([address.getAll('century'), address.get('century-from'), address.get('century-to')]).toEqual([
      [],
      names[from],
      names.at(-1),
    ]);
    // Brushing: drag across the first half of the bars.
    await page.locator('#timeline svg').scrollIntoViewIfNeeded();
    const box = (await page.locator('#timeline svg').boundingBox())!;
    const half = Math.floor(names.length / 2);
    const x = (i: number) => box.x + ((i + 0.5) / names.length) * box.width;
    await page.mouse.move(x(0), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(x(half), box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForFunction(
      (n) => (document.getElementById('status')?.textContent ?? '').startsWith(`${n} object`),
      inRange(0, half),
    );
    expect(await page.locator('#timeline svg rect.in').count()).toBe(half + 1);
    await page.screenshot({ path: path.join(shots, 'site-test-timeline.png') });
    // The object page gives the years the date covers.
    const dated =
      catalogue.objects.find((o) => o.years && !/\d{3}/.test(o.date)) ?? catalogue.objects.find((o) => o.years)!;
    await page.goto(`${site.url}objects/${dated.slug}/`);
    expect(await page.locator('#date').textContent()).toContain(dated.date);
    // Searching a century finds the objects the Date filter counts in it, not only those whose date says it in
    // words, and no other (a public tester: "19th century" found 13 objects, the filter 66; "19th century BCE" objects
    // must not come with it). A century with an object dated in numbers only:
    const century = names.find((name) =>
      catalogue.objects.some((o) => o.centuries.includes(name) && !o.date.toLowerCase().includes(name.split(' ')[0]!)),
    )!;
    const inCentury = catalogue.objects.filter((o) => o.centuries.includes(century));
    await page.goto(`${site.url}browse/?q=${encodeURIComponent(century)}`);
    await page.waitForFunction((c) => (document.getElementById('status')?.textContent ?? '').includes(c), century);
    const found = Number((await page.locator('#status').textContent())!.match(/^(\d+) object/)![1]);
    expect(found).toBe(inCentury.length);
  });

  it('shows the annotations side by side and a suggest-a-correction link to the object’s line', async () => {
    const catalogue = catalogueSchema.parse(
      JSON.parse(await readFile(path.join(workspace(dir).catalogue, 'catalogue.json'), 'utf8')),
    );
    const o = catalogue.objects.find((x) => x.annotation?.agrees === false)!;
    const line = (await readLabels({ file: workspace(dir).labels })).find((l) => l.objectId === o.id)!.line;
    await page.goto(`${site.url}objects/${o.slug}/`);
    await expect(page.locator('#human-label .value').textContent()).resolves.toBe(o.label);
    await expect(page.locator('#machine-label .value').textContent()).resolves.toBe(o.annotation!.label);
    expect(await page.locator('#machine-label').textContent()).toContain('83% confident');
    expect(await page.locator('#machine-label').textContent()).toContain('Disagrees with the staff label');
    expect(await page.locator('#machine-label .alts li').count()).toBe(3);
    expect(await page.locator('#suggest').getAttribute('href')).toBe(
      `https://github.com/example-museum/collection/edit/main/labels.csv#L${line}`,
    );
    // Responsive image: webp source with a jpeg fallback, both with width descriptors, and alt text.
    expect(await page.locator('.object-image picture source[type="image/webp"]').getAttribute('srcset')).toMatch(
      /\.webp 240w, .*\.webp 480w$/,
    );
    expect(await page.locator('.object-image img').getAttribute('alt')).toContain(o.title);
    await page.locator(`a[href="${BASE}models/v1.1.0/"]`).first().waitFor();
    await page.screenshot({ path: path.join(shots, 'site-test-object.png'), fullPage: true });
  });

  it('says "not sure: waiting for staff" for a prediction below the threshold, and queues it for review', async () => {
    const catalogue = catalogueSchema.parse(
      JSON.parse(await readFile(path.join(workspace(dir).catalogue, 'catalogue.json'), 'utf8')),
    );
    const o = catalogue.objects.find((x) => x.id === objects[7]!.id)!;
    expect(o.reviewReason).toBe('waiting');
    await page.goto(`${site.url}objects/${o.slug}/`);
    expect(await page.locator('#machine-label .value').textContent()).toBe('Not sure: waiting for staff');
    // Under the model's facet too: its counts add up to the collection (they left the not-sure ones out).
    expect(await page.locator('[data-pagefind-filter="predicted"]').textContent()).toBe('Not sure: waiting for staff');
    await page.goto(`${site.url}review/`);
    expect(await page.locator('main').textContent()).toContain('Not sure: waiting for staff');
  });

  it('shows the model card’s metrics', async () => {
    await page.goto(`${site.url}models/v1.1.0/`);
    const text = (await page.locator('#metrics').textContent()) ?? '';
    expect(text).toContain('87.4% (81.4%–92.4%)');
    expect(text).toContain('86.1%');
    expect(await page.locator('table.confusion tbody tr').count()).toBeGreaterThan(1);
    // Per-group figures carry 95% intervals; a group under 10 test objects is flagged, not shown bare.
    const groups = page.locator('#factors tbody tr');
    expect(await groups.filter({ hasText: 'Textiles' }).textContent()).toMatch(/90\.0% \(\d+\.\d%–\d+\.\d%\)/);
    expect(await groups.filter({ hasText: 'Asian Art' }).textContent()).toContain('fewer than 10 objects');
    // A public tester: "Coins and Medals 91.7%" beside a macro-F1 of 0.48 read as a contradiction (macro-F1 within
    // one department averages over types it barely has); the groups show accuracy alone, and the per-type scores
    // are explained. Mistakes of one object each: none is called the most common.
    expect(await page.locator('#factors thead').first().textContent()).not.toContain('Macro-F1');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Precision: of the test objects the model called this type, the share that are.',
    );
    expect(await page.locator('.confusion-summary').textContent()).not.toContain('Most common mistake');
    // The card's plain-words parts and lineage, from the registry's card JSON and versions.json.
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('Not for: Deciding attribution or date');
    expect(body).toContain('Rare types are often confused.');
    expect(body).toContain('1234.dir');
    expect(body).not.toContain('Raw markdown');
    // The backbone's package name is explained where the public reads it (an outside tester).
    expect(body).toMatch(
      /About nsfwjs.*only the image features the general-purpose model computes are used here, not the content filter/,
    );
    await page.getByRole('link', { name: 'Monitoring' }).click();
    expect(await page.locator('main').textContent()).toContain(
      'The new photographs look different from the training photographs.',
    );
    await page.goto(`${site.url}models/`);
    expect(await page.locator('table tbody tr').count()).toBe(2);
    // Each version links its Monitoring page: v1.1.0 with its latest check, v1.0.0 with its older runs only.
    expect(await page.getByRole('link', { name: 'Drift found' }).getAttribute('href')).toBe(
      `${BASE}models/v1.1.0/monitoring/`,
    );
    await page.getByRole('link', { name: 'Checks' }).click();
    expect(await page.locator('#history-table tbody tr').count()).toBe(1);
    expect(await page.locator('#signals').count()).toBe(0);
    await page.goto(`${site.url}models/`);
    await page.screenshot({ path: path.join(shots, 'site-test-card.png'), fullPage: true });
  });

  it('shows monitoring per model version: novelty, least familiar objects, drift over time and the correction rate', async () => {
    const catalogue = catalogueSchema.parse(
      JSON.parse(await readFile(path.join(workspace(dir).catalogue, 'catalogue.json'), 'utf8')),
    );
    // Each version gets its own runs; the broken history entry is skipped.
    expect(catalogue.models.find((m) => m.version === 'v1.0.0')!.monitoring).toMatchObject({
      latest: null,
      corrections: null,
      history: { runs: [{ createdAt: '2026-10-01T08:00:00Z' }] },
    });
    const slugOf = (id: string) => catalogue.objects.find((o) => o.id === id)!.slug;
    await page.goto(`${site.url}models/v1.1.0/monitoring/`);

    // The novelty signal beside the others.
    const signals = await page.locator('#signals tbody tr').allTextContents();
    expect(signals).toHaveLength(3);
    expect(signals[0]).toMatch(/novelty.*0\.830.*0\.500.*0\.004(?!\d).*Yes/);

    // The least familiar objects, with thumbnails, linked to their pages (and to the closest known object).
    const first = page.locator('#unfamiliar li').first();
    expect(await first.locator('a').first().getAttribute('href')).toBe(`${BASE}objects/${slugOf(objects[2]!.id)}/`);
    expect(await first.locator('img').getAttribute('alt')).toBe('');
    expect(await first.locator('a').first().textContent()).toContain(objects[2]!.title);
    expect(await first.textContent()).toContain('Model says mask (41%)');
    expect(await first.getByRole('link', { name: objects[0]!.id }).getAttribute('href')).toBe(
      `${BASE}objects/${slugOf(objects[0]!.id)}/`,
    );
    expect(await page.locator('#unfamiliar li').nth(1).locator('a').first().getAttribute('href')).toBe(
      `${BASE}objects/${slugOf(objects[6]!.id)}/`,
    );
    const thumb = await first.locator('img').getAttribute('src');
    expect((await fetch(new URL(thumb!, site.url))).status).toBe(200);

    // Drift over time: v1.1.0's three runs, oldest first, as points on the chart and rows of the table.
    const rows = page.locator('#history-table tbody tr');
    expect(await rows.locator('th').allTextContents()).toEqual(['2026-11-01', '2026-11-10', '2026-11-21']);
    const heads = await page.locator('#history-table thead th').allTextContents();
    const col = heads.findIndex((h) => h.includes('novelty'));
    expect(await rows.locator(`td:nth-child(${col + 1})`).allTextContents()).toEqual([
      '0.120',
      '0.610 (at or over the threshold)',
      '0.830 (at or over the threshold)',
    ]);
    const chart = page.locator('#chart-novelty-cap').locator('..');
    expect(await chart.locator('svg .point').count()).toBe(3);
    expect(await chart.locator('svg .point.over').count()).toBe(2);
    expect(await page.locator('#chart-novelty-cap').textContent()).toContain('at or over the threshold in 2 of 3');
    expect(await chart.locator('svg').getAttribute('role')).toBe('img');

    // The correction rate from merged label pull requests, messages shown as text.
    expect(await page.locator('#corrections-glance .stat-big').textContent()).toBe('6.3%');
    expect(await page.locator('#corrections').textContent()).toContain('2 merged changes corrected 3 labels');
    const changes = await page.locator('#corrections-table tbody tr').allTextContents();
    expect(changes[0]).toContain('<img src=x onerror="window.__pwned=2"> label fix');
    expect(changes[1]).toContain('Merge pull request #21 from staff/masks');
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    await page.screenshot({ path: path.join(shots, 'site-test-monitoring.png'), fullPage: true });
  });

  it('shows rights as a standard statement with its badge and link, and offers the image only where they allow', async () => {
    const open = objects[0]!;
    await page.goto(`${site.url}objects/${open.id.toLowerCase()}/`);
    const badge = page.locator('#rights a.badge');
    expect(await badge.getAttribute('href')).toBe('https://creativecommons.org/publicdomain/zero/1.0/');
    expect(await badge.textContent()).toContain('CC0');
    expect(await page.locator('#rights').textContent()).toContain(open.rights!);
    const download = page.locator('#download');
    expect(await download.getAttribute('download')).not.toBeNull();
    expect((await fetch(new URL((await download.getAttribute('href'))!, site.url))).status).toBe(200);
    await page.goto(`${site.url}objects/zz-script/`);
    expect(await page.locator('#rights a.badge').getAttribute('href')).toBe(
      'http://rightsstatements.org/vocab/InC-EDU/1.0/',
    );
    expect(await page.locator('#download').count()).toBe(0);
    expect(await page.locator('#rights').textContent()).toContain('not offered for download');
  });

  it('shows "More like this": the nearest objects by their embeddings, as tiles linking to them', async () => {
    const catalogue = catalogueSchema.parse(
      JSON.parse(await readFile(path.join(workspace(dir).catalogue, 'catalogue.json'), 'utf8')),
    );
    const script = catalogue.objects.find((o) => o.id === 'zz-script')!;
    // It reuses the first object's photograph: that object is the nearest.
    expect(script.similar[0]).toBe(objects[0]!.id);
    expect(script.similar).toHaveLength(6);
    await page.goto(`${site.url}objects/zz-script/`);
    const tiles = page.locator('#similar li a');
    expect(await tiles.count()).toBe(6);
    const first = catalogue.objects.find((o) => o.id === objects[0]!.id)!;
    expect(await tiles.first().getAttribute('href')).toBe(`${BASE}objects/${first.slug}/`);
    // The title said once: the link's text names the object, its picture is decorative (a tester heard it twice).
    expect(await tiles.first().locator('img').getAttribute('alt')).toBe('');
    const named = page.locator('#similar').getByRole('link', { name: first.title }).first();
    expect(await named.getAttribute('href')).toBe(`${BASE}objects/${first.slug}/`);
    await tiles.nth(1).click();
    await page.waitForURL(`${site.url}objects/${catalogue.objects.find((o) => o.id === script.similar[1])!.slug}/`);
  });

  it('is findable: VisualArtwork JSON-LD and Open Graph tags on object pages, a sitemap, a described data download', async () => {
    const catalogue = catalogueSchema.parse(
      JSON.parse(await readFile(path.join(workspace(dir).catalogue, 'catalogue.json'), 'utf8')),
    );
    const o = catalogue.objects.find((x) => x.id === objects[0]!.id)!;
    await page.goto(`${site.url}objects/${o.slug}/`);
    const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!) as Record<
      string,
      unknown
    >;
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'VisualArtwork',
      name: o.title,
      dateCreated: o.date,
      identifier: o.id,
      url: `${SITE}${BASE}objects/${o.slug}/`,
      license: 'https://creativecommons.org/publicdomain/zero/1.0/',
    });
    expect(ld.image).toBe(`${SITE}${BASE}${o.images.at(-1)!.jpeg}`);
    const og = async (p: string) => page.locator(`meta[property="${p}"]`).getAttribute('content');
    expect(await og('og:title')).toBe(o.title);
    expect(await og('og:url')).toBe(`${SITE}${BASE}objects/${o.slug}/`);
    expect(await og('og:image')).toBe(`${SITE}${BASE}${o.images.at(-1)!.jpeg}`);
    expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(`${SITE}${BASE}objects/${o.slug}/`);
    // A title with </script> stays inside its JSON-LD.
    await page.goto(`${site.url}objects/zz-script/`);
    expect(JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!).name).toBe(
      SCRIPT_TITLE,
    );
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    // The sitemap lists every object page (and the main pages) at its full address.
    const sitemap = await (await fetch(`${site.url}sitemap.xml`)).text();
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!);
    for (const x of catalogue.objects) expect(locs).toContain(`${SITE}${BASE}objects/${x.slug}/`);
    expect(locs).toContain(`${SITE}${BASE}`);
    // The data download is a Frictionless data package: its schema names every CSV column.
    const pkg = (await (await fetch(`${site.url}data/datapackage.json`)).json()) as {
      name: string;
      resources: { path: string; format: string; schema: { fields: { name: string; type: string }[] } }[];
    };
    expect(pkg.name).toMatch(/^[a-z0-9._-]+$/);
    const csv = pkg.resources.find((r) => r.path === 'catalogue.csv')!;
    // After the byte-order mark spreadsheets need (data.ts csvPieces), which fetch's text() skips.
    const header = (await (await fetch(`${site.url}data/catalogue.csv`)).text()).split('\n')[0]!.split(',');
    expect(csv.schema.fields.map((f) => f.name)).toEqual(header);
    expect(csv.format).toBe('csv');
    expect((await fetch(`${site.url}data/${pkg.resources.find((r) => r.format === 'json')!.path}`)).status).toBe(200);
  });

  it('finds objects by any colour picked, nearest by ΔE first, from the precomputed index', async () => {
    const catalogue = catalogueSchema.parse(
      JSON.parse(await readFile(path.join(workspace(dir).catalogue, 'catalogue.json'), 'utf8')),
    );
    const target = catalogue.objects.find((o) => o.colours.some((c) => c.share >= 0.25))!;
    const colour = target.colours.find((c) => c.share >= 0.25)!;
    await page.goto(`${site.url}colours/`);
    await page.locator('#pick-colour').fill(colour.hex);
    await page.getByRole('button', { name: 'Find objects' }).click();
    await page.waitForFunction(() => /close to/.test(document.getElementById('pick-status')?.textContent ?? ''));
    const first = page.locator('#pick-results li').first();
    // In words for the public; the distance itself only in the tooltip.
    expect(await first.locator('.by').textContent()).toMatch(/^almost the same colour, \d+% of the picture$/);
    expect(await first.locator('.by').getAttribute('title')).toMatch(/^colour difference ΔE 0\.\d/);
    const titles = await page.locator('#pick-results .title').allTextContents();
    expect(titles.slice(0, 3)).toContain(target.title);
    await page.screenshot({ path: path.join(shots, 'site-test-colour.png') });
    // The colour in the address, to share; a pure colour close to no photograph's shows the nearest (a public tester).
    expect(new URL(page.url()).searchParams.get('colour')).toBe(colour.hex.slice(1).toLowerCase());
    await page.goto(`${site.url}colours/?colour=0000ff`);
    await page.waitForFunction(() => /close to/.test(document.getElementById('pick-status')?.textContent ?? ''));
    expect(await page.locator('#pick-status').textContent()).toMatch(
      /^No object has a colour close to #0000ff; the \d+ with the nearest colours are shown$/,
    );
    expect(await page.locator('#pick-results li .by').first().textContent()).toMatch(/^the nearest colour found, /);
  });

  it('shows a title containing <script> as text, on its page and in search results', async () => {
    const slug = 'zz-script';
    await page.goto(`${site.url}objects/${slug}/`);
    expect(await page.locator('h1').textContent()).toBe(SCRIPT_TITLE);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(await page.locator('main img[src="x"]').count()).toBe(0);
    await page.goto(`${site.url}browse/?q=glaze`);
    expect(await results()).toContain(SCRIPT_TITLE);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  });

  it('answers a missing address with a 404 page whose links work under the base path', async () => {
    expect(await readFile(path.join(workspace(dir).site, '404.html'), 'utf8')).toContain('Page not found');
    // GitHub Pages serves the root 404.html at any depth, so its links must not be relative.
    const response = await page.goto(`${site.url}objects/no-such-object/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    for (const h of hrefs) expect(h, h).toMatch(/^(#|https?:|\/vitrine-test\/)/);
    expect(await page.getByRole('link', { name: 'Go to the home page' }).getAttribute('href')).toBe(BASE);
    await page.screenshot({ path: path.join(shots, 'site-test-404.png'), fullPage: true });
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await page.waitForURL(site.url);
    expect(await page.locator('h1').textContent()).toContain('Online Collection');
    await page.goto(`${site.url}no/such/page`);
    await page.locator('main').getByRole('link', { name: 'Search the collection' }).click();
    await page.waitForURL(`${site.url}browse/`);
    expect((await results()).length).toBeGreaterThan(0);
    // The search box on the 404 page runs a search on the browse page.
    await page.goto(`${site.url}missing.html`);
    await page.locator('#notfound-q').fill('glaze');
    await page.locator('main').getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/vitrine-test\/browse\/\?q=glaze$/);
    expect(await results()).toContain(SCRIPT_TITLE);
  });

  it('works without JavaScript for browsing', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const p = await context.newPage();
    await p.goto(`${site.url}all/`);
    expect(await p.locator('.grid .card').count()).toBe(objects.length);
    await p.goto(`${site.url}review/`);
    expect(await p.locator('.grid .card').count()).toBeGreaterThan(0);
    // The drift-over-time charts are drawn at build time.
    await p.goto(`${site.url}models/v1.1.0/monitoring/`);
    expect(await p.locator('#history svg .point').count()).toBe(3 * (await p.locator('#history figure').count()));
    await context.close();
  });
});
