import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { CatalogueObject } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * Search relevance over the real Egyptian set: all 1,827 objects (titles, dates, media and the
 * staff labels as the museums and the keyword rules gave them), built into the site and searched
 * with Pagefind in Chromium. The photographs are left out (search reads text only), which keeps the
 * build to about a minute. Every object page carries the model's alternatives (each label with its
 * probability) and some carry a colour named "bronze": neither may make an object match.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const egypt = path.resolve(root, '..', 'shared', 'datasets', 'egyptian-antiquities');

let dir: string;
let browser: TestBrowser;
let page: Page;
let site: Awaited<ReturnType<typeof serveSite>>;
let objects: CatalogueObject[];
const bySlug = new Map<string, CatalogueObject>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-relevance-'));
  const rows = parse(await readFile(path.join(egypt, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const labels = [...new Set(rows.map((r) => r.label!))].sort();
  const fixture: FixtureObject[] = rows.map((r) => ({
    id: r.id!,
    title: r.title!,
    maker: r.artist ?? '',
    date: r.date ?? '',
    department: r.museum,
    medium: r.medium,
    rights: r.license,
    // The museum's own object-type field stands in for a description (weighted below the title).
    description: r.museum_object_name ?? '',
    label: r.label!,
    image: null,
  }));
  await writeFixture({ root: dir, objects: fixture, labels, withMetrics: false });
  const ws = workspace(dir);
  // Textiles-style colour names on objects that are not bronze: a colour swatch is not the object's material.
  const datasetFile = path.join(ws.dataset, 'dataset.json');
  const dataset = JSON.parse(await readFile(datasetFile, 'utf8')) as Dataset;
  for (const [i, o] of dataset.objects.entries()) {
    if (i % 7 === 0 && !/bronze/i.test(`${o.title} ${o.medium}`))
      o.colours = [{ hex: '#cd7f32', lab: [0, 0, 0], share: 0.5, name: 'bronze', family: 'brown' }];
  }
  await writeFile(datasetFile, JSON.stringify(dataset));
  const params = defaultParams();
  const log = memoryLogger();
  const { catalogue } = await buildCatalogueData({ ws, params, log });
  objects = catalogue.objects;
  for (const o of objects) bySlug.set(o.slug, o);
  const built = await buildSite({ ws, params, log });
  expect(built.pages).toBe(rows.length);
  site = await serveSite({ dir: ws.site });
  browser = await openChromium();
  page = await browser.newPage();
  page.setDefaultTimeout(90_000);
  await page.goto(`${site.url}data/`);
  // A string, not a function: vitest rewrites import() in functions it compiles. Object.assign, not an assignment to
  // globalThis, which vitest.config.ts would take for one in this file's own process (it runs in the page).
  const base = new URL(site.url).pathname;
  await page.evaluate(
    `(async () => { const pf = await import('${base}pagefind/pagefind.js'); await pf.init(); ` +
      'Object.assign(globalThis, { pf }); })()',
  );
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Result count and the first `top` objects of a search, best first. */
async function search(q: string, top = 10): Promise<{ count: number; top: CatalogueObject[]; content: string[] }> {
  const found = await page.evaluate(
    async ({ q, top }) => {
      const pf = (
        globalThis as unknown as {
          pf: { search(q: string): Promise<{ results: { data(): Promise<{ url: string; content: string }> }[] }> };
        }
      ).pf;
      const s = await pf.search(q);
      const data = await Promise.all(s.results.slice(0, top).map((r) => r.data()));
      return { count: s.results.length, urls: data.map((d) => d.url), content: data.map((d) => d.content) };
    },
    { q, top },
  );
  return {
    count: found.count,
    top: found.urls.map((u) => bySlug.get(u.split('/').filter(Boolean).at(-1)!)!),
    content: found.content,
  };
}

/** The searchable text of an object: title, maker, date, medium, description and the staff label. */
const own = (o: CatalogueObject) => [o.title, o.maker, o.date, o.medium, o.description, o.label ?? ''].join(' ');
const says = (word: RegExp) => objects.filter((o) => word.test(own(o))).length;

describe('search relevance on the Egyptian set', () => {
  it('"pottery" finds only objects whose own text or staff label says pottery, labelled ones first', async () => {
    const r = await search('pottery');
    expect(r.count).toBeGreaterThan(0);
    expect(r.count).toBeLessThanOrEqual(says(/\bpotter/i));
    for (const o of r.top) expect(own(o)).toMatch(/\bpotter/i);
  });

  it('"reliefs" finds only objects whose own text or staff label says relief', async () => {
    const r = await search('reliefs');
    expect(r.count).toBeGreaterThan(0);
    expect(r.count).toBeLessThanOrEqual(says(/\brelief/i));
    for (const o of r.top) expect(own(o)).toMatch(/\brelief/i);
  });

  it('"bronze" finds bronze objects, not objects with a bronze-coloured swatch', async () => {
    const r = await search('bronze');
    expect(r.count).toBeGreaterThan(0);
    expect(r.count).toBeLessThanOrEqual(says(/\bbronze/i));
    for (const o of r.top) expect(`${o.title} ${o.medium}`).toMatch(/bronze/i);
  });

  it('"scarab" puts scarabs first', async () => {
    const r = await search('scarab');
    expect(r.count).toBeLessThanOrEqual(says(/\bscarab/i));
    for (const o of r.top) expect(o.title).toMatch(/scarab/i);
  });

  it('"amulet" puts objects titled amulet before those only described as amulets', async () => {
    const r = await search('amulet', 20);
    expect(r.count).toBeLessThanOrEqual(says(/\bamulet/i));
    const titled = objects.filter((o) => /\bamulet/i.test(o.title)).length;
    for (const o of r.top.slice(0, Math.min(20, titled))) expect(o.title).toMatch(/amulet/i);
  });

  it('"jar" ranks title matches above description-only matches', async () => {
    const r = await search('jar', 40);
    expect(r.count).toBeLessThanOrEqual(says(/\bjar/i));
    const inTitle = r.top.map((o) => /\bjars?\b/i.test(o.title));
    // Once a result matches only by its description, no title match follows it.
    const firstDescriptionOnly = inTitle.indexOf(false);
    if (firstDescriptionOnly >= 0) expect(inTitle.slice(firstDescriptionOnly)).not.toContain(true);
    expect(inTitle[0]).toBe(true);
  });

  it('an exact title comes first: "Amulet of Nefertem"', async () => {
    const r = await search('Amulet of Nefertem', 2);
    expect(r.top[0]!.title).toBe('Amulet of Nefertem');
    expect(r.count).toBeLessThanOrEqual(says(/\bnefertem/i));
  });

  it('"shabti" and "faience" stay within the objects that say so', async () => {
    const shabti = await search('shabti');
    expect(shabti.count).toBeGreaterThan(0);
    expect(shabti.count).toBeLessThanOrEqual(says(/\bshabti/i));
    for (const o of shabti.top) expect(o.title).toMatch(/shabti/i);
    const faience = await search('faience');
    expect(faience.count).toBeLessThanOrEqual(says(/\bfaience/i));
    for (const o of faience.top) expect(own(o)).toMatch(/faience/i);
  });

  it('"statuary" (a staff label) finds objects labelled Statuary, and "kingdom" only dated ones', async () => {
    const r = await search('statuary');
    expect(r.count).toBeGreaterThan(0);
    expect(r.count).toBeLessThanOrEqual(says(/\bstatuary/i));
    for (const o of r.top) expect(own(o)).toMatch(/statuary/i);
    const k = await search('kingdom');
    expect(k.count).toBeLessThanOrEqual(says(/\bkingdom/i));
  });

  it('indexes only the object’s own words: no fixed phrases, colour names or probabilities', async () => {
    const r = await search('amulet', 30);
    expect(r.content).toHaveLength(30);
    for (const [i, text] of r.content.entries()) {
      const o = r.top[i]!;
      expect(text).toContain(o.title);
      expect(text).not.toMatch(
        /catalogued|confident|predicted|alternatives|suggest|agrees|object type|%|colours|rights/i,
      );
      for (const c of o.colours)
        if (!own(o).toLowerCase().includes(c.name)) expect(text.toLowerCase()).not.toContain(c.name);
      // The model's labels other than the staff label are not in the text.
      for (const l of ['Jewellery', 'Pottery', 'Reliefs', 'Statuary', 'Unclassified'].filter(
        (l) => !own(o).includes(l),
      ))
        expect(text).not.toContain(l);
    }
  });
});
