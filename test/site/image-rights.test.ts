import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue, CatalogueObject } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { openChromium } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * catalogue.images (D16, an outside tester, a small university gallery): the photograph of a work in copyright is
 * shown small only, or not at all, everywhere it leaves the site. Three objects with their own photographs, each with
 * its original in data/: one in the public domain (shown in full, with deep zoom and IIIF), one in copyright (shown
 * small: `thumbnail`, the default) and one with no rights recorded (not shown: `unknown: none` here), built first
 * with every photograph in full (as before the setting existed), then again with the setting. The rebuilt site
 * is read file by file: no file has the bytes of a withheld photograph or of its thumbnails, and no picture but the
 * public-domain one's is larger than catalogue.images.thumbnail_max.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const shared = path.resolve(root, '..', 'shared', 'datasets', 'five-museums');
const MAX = 200;
const OPEN = 'open-1';
const SMALL = 'inc-1';
const NONE = 'unknown-1';
const UNPHOTOGRAPHED = 'inc-2';
// Its rights text says not to publish it (T3 F10): not shown, whatever catalogue.images says, in both builds.
const FORBIDDEN = 'sacred-1';

let dir: string;
let catalogue: Catalogue;
let siteDir: string;
let logged: ReturnType<typeof memoryLogger>;
let firstBuild: { iiif: string[]; media: number };
/** Hashes of the withheld objects' originals and dataset thumbnails. */
const withheldBytes = new Map<string, string>();
/** The withheld objects' thumbnail files, as the dataset names them (media/<name> on a site that published them). */
const withheldNames: string[] = [];
/** Hashes of the open object's files: its pictures may be large. */
const openBytes = new Set<string>();
const byId = (id: string) => catalogue.objects.find((o) => o.id === id) as CatalogueObject;
declare const window: {
  axe: { run(o: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
};
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function filesUnder(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(folder, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-image-rights-'));
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 7 === 0).slice(0, 4);
  const labels = [...new Set(picked.map((r) => r.label!))].sort();
  const rights = ['Public domain', 'In copyright — educational use only', '', 'Culturally sensitive - do not display'];
  const ids = [OPEN, SMALL, NONE, FORBIDDEN];
  const objects: FixtureObject[] = picked.map((r, i) => ({
    id: ids[i]!,
    title: `${r.title!} ${ids[i]}`,
    rights: rights[i],
    label: r.label!,
    image: path.join(shared, r.file!),
  }));
  // In copyright and not photographed yet: nothing is withheld, its page says there is no photograph yet.
  objects.push({
    id: UNPHOTOGRAPHED,
    title: 'Chair not yet photographed',
    rights: 'In copyright',
    label: null,
    image: null,
  });
  await writeFixture({ root: dir, objects, labels });
  const ws = workspace(dir);
  const datasetFile = path.join(ws.dataset, 'dataset.json');
  const dataset = JSON.parse(await readFile(datasetFile, 'utf8')) as Dataset;
  // The empty rights the fixture writes as "Public domain": none recorded.
  dataset.objects[2]!.rights = '';
  await mkdir(path.join(ws.data, 'images'), { recursive: true });
  for (const [i, o] of objects.entries()) {
    if (!o.image) continue;
    // Each original where the dataset says it is, enlarged to 1,600 pixels: large enough for deep zoom.
    const bytes = await sharp(o.image!).rotate().resize({ width: 1600 }).jpeg({ quality: 90 }).toBuffer();
    await writeFile(path.join(ws.data, 'images', `${o.id}.jpg`), bytes);
    const meta = await sharp(bytes).metadata();
    Object.assign(dataset.objects[i]!, { width: meta.width, height: meta.height });
    const own = [bytes, await readFile(o.image!)];
    for (const t of dataset.objects[i]!.thumbnails ?? [])
      for (const f of [t.webp, t.jpeg]) {
        own.push(await readFile(path.join(ws.dataset, f)));
        if (o.id !== OPEN) withheldNames.push(path.basename(f));
      }
    for (const b of own) {
      if (o.id === OPEN) openBytes.add(sha(b));
      else withheldBytes.set(sha(b), o.id);
    }
  }
  await writeFile(datasetFile, JSON.stringify(dataset));
  const params = defaultParams();
  params.catalogue.site = 'https://example-museum.github.io';
  params.catalogue.deep_zoom_min_side = 1000;
  // First built as a catalogue was before the setting: every photograph in full, tiles and all.
  params.catalogue.images = { in_copyright: 'full', unknown: 'full', thumbnail_max: MAX };
  await buildCatalogueData({ ws, params, log: memoryLogger() });
  await buildSite({ ws, params, log: memoryLogger() });
  firstBuild = {
    iiif: await readdir(path.join(ws.site, 'iiif')),
    media: (await filesUnder(path.join(ws.site, 'media'))).length,
  };
  // Then rebuilt with the photograph in copyright shown small and the one of unknown rights not at all.
  params.catalogue.images = { in_copyright: 'thumbnail', unknown: 'none', thumbnail_max: MAX };
  const log = memoryLogger();
  logged = log;
  catalogue = (await buildCatalogueData({ ws, params, log })).catalogue;
  await buildSite({ ws, params, log });
  siteDir = ws.site;
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('photographs withheld or shown small for their rights (catalogue.images)', () => {
  it('shows the public-domain photograph in full, the one in copyright small, the one of unknown rights not at all', () => {
    expect(byId(OPEN).withheld).toBeNull();
    expect(byId(OPEN).zoom, JSON.stringify(logged.lines)).not.toBeNull();
    expect(byId(SMALL).withheld).toEqual({ shown: 'thumbnail', reason: 'in-copyright' });
    expect(byId(SMALL).zoom).toBeNull();
    expect(byId(SMALL).images).toHaveLength(1);
    expect(Math.max(byId(SMALL).images[0]!.width, byId(SMALL).images[0]!.height)).toBeLessThanOrEqual(MAX);
    expect(byId(NONE).withheld).toEqual({ shown: 'none', reason: 'rights-unknown' });
    expect(byId(NONE).images).toEqual([]);
    expect(byId(NONE).zoom).toBeNull();
    expect(byId(FORBIDDEN).withheld).toEqual({ shown: 'none', reason: 'not-for-publication' });
    expect(byId(FORBIDDEN).images).toEqual([]);
    // The model still reads every photograph: each has its annotation.
    for (const id of [SMALL, NONE]) expect(byId(id).annotation).not.toBeNull();
  });

  it('puts no file in the built site with a withheld photograph’s bytes, and no picture larger than allowed', async () => {
    // The build before had them all: the rebuild removed the withheld ones' tiles and thumbnails.
    expect(firstBuild.iiif).toEqual(expect.arrayContaining([OPEN, SMALL, NONE]));
    expect(firstBuild.media).toBeGreaterThan((await filesUnder(path.join(siteDir, 'media'))).length);
    const files = await filesUnder(siteDir);
    expect(files.length).toBeGreaterThan(10);
    const tooLarge: string[] = [];
    const same: string[] = [];
    for (const f of files) {
      const bytes = await readFile(f);
      const hash = sha(bytes);
      if (withheldBytes.has(hash)) same.push(`${path.relative(siteDir, f)} (${withheldBytes.get(hash)})`);
      if (!/\.(jpe?g|webp|png|avif|gif)$/i.test(f) || openBytes.has(hash)) continue;
      if (path.relative(siteDir, f).startsWith(`iiif${path.sep}${byId(OPEN).slug}${path.sep}`)) continue;
      const meta = await sharp(bytes).metadata();
      if (Math.max(meta.width ?? 0, meta.height ?? 0) > MAX) tooLarge.push(path.relative(siteDir, f));
    }
    expect(same).toEqual([]);
    expect(tooLarge).toEqual([]);
    // Nor does any page or data file name one of their thumbnails.
    expect(withheldNames.length).toBeGreaterThan(0);
    const naming: string[] = [];
    for (const f of files.filter((x) => /\.(html|json|xml|js|txt|csv)$/.test(x))) {
      const text = await readFile(f, 'utf8');
      for (const name of withheldNames) if (text.includes(name)) naming.push(`${path.relative(siteDir, f)}: ${name}`);
    }
    expect(naming).toEqual([]);
    // No IIIF folder, tiles or manifest of a withheld photograph; the collection lists the open one alone.
    const iiif = await readdir(path.join(siteDir, 'iiif'));
    expect(iiif).toContain(byId(OPEN).slug);
    expect(iiif).not.toContain(byId(SMALL).slug);
    expect(iiif).not.toContain(byId(NONE).slug);
    expect(iiif).not.toContain(byId(FORBIDDEN).slug);
    expect(firstBuild.iiif).not.toContain(FORBIDDEN);
    const collection = JSON.parse(await readFile(path.join(siteDir, 'iiif', 'collection.json'), 'utf8'));
    expect(collection.items).toHaveLength(1);
  });

  it('says on the page why the photograph is small or not shown, with no share image, manifest or download', async () => {
    const page = (id: string) => readFile(path.join(siteDir, 'objects', byId(id).slug, 'index.html'), 'utf8');
    const open = await page(OPEN);
    expect(open).toContain('property="og:image"');
    expect(open).toContain('id="manifest"');
    const small = await page(SMALL);
    expect(small).toMatch(/id="image-small"[^>]*>Shown small for\s+copyright reasons \(the work is in copyright\)/);
    expect(small).toContain(byId(SMALL).images[0]!.jpeg);
    expect(small).not.toContain('property="og:image"');
    expect(small).not.toContain('id="manifest"');
    expect(small).not.toContain('id="viewer"');
    expect(small).not.toContain('id="download"');
    // The search result's picture: the small one (its address is written so Pagefind reads no word in it).
    expect(small).toContain('data-pagefind-meta="image"');
    const none = await page(NONE);
    expect(none).toMatch(
      /id="image-withheld">The photograph is not shown online for copyright reasons \(its rights are not known yet\)/,
    );
    expect(none).not.toContain('property="og:image"');
    expect(none).not.toContain('data-pagefind-meta="image"');
    expect(none).not.toMatch(/<img /);
    expect(none).not.toContain('id="manifest"');
    const forbidden = await page(FORBIDDEN);
    expect(forbidden).toMatch(
      /id="image-withheld">The photograph is not shown online: the collection’s record says it is not to be published\./,
    );
    expect(forbidden).not.toMatch(/<img /);
    expect(forbidden).not.toContain('copyright reasons');
    // No photograph at all is not a photograph withheld for copyright reasons.
    expect(byId(UNPHOTOGRAPHED).withheld).toBeNull();
    const unphotographed = await page(UNPHOTOGRAPHED);
    expect(unphotographed).toContain('No photograph yet.');
    expect(unphotographed).not.toContain('copyright reasons');
  });

  it('keeps withheld objects in the review queue, with their cards saying why there is no picture', async () => {
    expect(catalogue.reviewQueue).toEqual(expect.arrayContaining([SMALL, NONE]));
    const review = await readFile(path.join(siteDir, 'review', 'index.html'), 'utf8');
    expect(review).toContain(byId(NONE).title);
    expect(review).toContain('Not shown for copyright reasons');
    expect(review).toContain(byId(SMALL).images[0]!.jpeg);
  });

  it('opens the pages in Chromium with no failed request and no axe violation', async () => {
    const site = await serveSite({ dir: siteDir });
    const browser = await openChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(90_000);
      const problems: string[] = [];
      for (const address of ['', `objects/${byId(SMALL).slug}/`, `objects/${byId(NONE).slug}/`, 'review/']) {
        const onResponse = (r: { status(): number; url(): string }) => {
          if (r.status() >= 400) problems.push(`${address}: ${r.status()} ${r.url()}`);
        };
        page.on('response', onResponse);
        await page.goto(`${site.url}${address}`, { waitUntil: 'networkidle' });
        page.off('response', onResponse);
        await page.addScriptTag({ path: axePath });
        const { violations } = await page.evaluate(() => window.axe.run({ resultTypes: ['violations'] }));
        for (const v of violations) problems.push(`${address}: axe ${v.id} at ${v.nodes[0]?.target.join(' ')}`);
      }
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await site.close();
    }
  }, 180_000);

  it('gives no picture of a withheld photograph in the downloads or the colour index', async () => {
    const download = JSON.parse(await readFile(path.join(siteDir, 'data', 'catalogue.json'), 'utf8'));
    const none = download.objects.find((o: { id: string }) => o.id === NONE);
    expect(none).toMatchObject({ withheld: { shown: 'none', reason: 'rights-unknown' }, zoom: null });
    const colours = JSON.parse(await readFile(path.join(siteDir, 'data', 'colours.json'), 'utf8')) as {
      objects: { slug: string; thumb: string | null }[];
    };
    const thumbOf = (id: string) => colours.objects.find((o) => o.slug === byId(id).slug)?.thumb;
    expect(thumbOf(NONE)).toBeNull();
    expect(thumbOf(SMALL)).toMatch(/^small\//);
  });
});
