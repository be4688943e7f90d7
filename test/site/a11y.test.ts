import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { catalogueSchema } from '../../pipeline/catalogue/schema.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { openChromium, type TestBrowser } from '../fixtures/chromium.ts';
import { type FixtureObject, writeFixture, writeMonitoringFixture } from './fixture.ts';
import { serveSite } from './server.ts';

/*
 * Every page type, at a desktop (1280 px) and a phone (390 px) width, in Chromium: axe-core finds
 * no violations, nothing is wider than the screen, and no request fails (a missing favicon is a
 * 404 on every page). A small fixture of real photographs; one factor group under 10 objects.
 */

declare const document: { documentElement: { scrollWidth: number } };
declare const window: {
  axe: { run(o: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> };
};
const root = path.resolve(import.meta.dirname, '..', '..');
const shared = path.resolve(root, '..', 'shared', 'datasets', 'five-museums');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let dir: string;
let browser: TestBrowser;
let site: Awaited<ReturnType<typeof serveSite>>;
let pages: [string, string][];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-a11y-'));
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 7 === 0).slice(0, 14);
  const labels = [...new Set(picked.map((r) => r.label!))].sort();
  const objects: FixtureObject[] = picked.map((r, i) => ({
    id: r.id!,
    title: r.title!,
    maker: r.artist || 'Unknown maker',
    date: r.date,
    department: r.museum,
    medium: r.medium,
    rights: r.license,
    label: r.label!,
    image: path.join(shared, r.file!),
    predicted:
      i % 4 === 1
        ? { label: labels[(labels.indexOf(r.label!) + 1) % labels.length]!, confidence: 0.8 }
        : { label: r.label!, confidence: 0.7 },
  }));
  // A small picture, as the demo's generated ones (320 pixels): no file of it is wider than that.
  const small = path.join(dir, 'small.png');
  await writeFile(
    small,
    await sharp({ create: { width: 320, height: 200, channels: 3, background: '#8a6d3b' } })
      .png()
      .toBuffer(),
  );
  objects.push({
    id: 'small-1',
    title: 'Small drawing of a cup',
    maker: 'Unknown maker',
    // Not about the photograph (reviewer V35: it replaced the photograph's text and the object's name was lost).
    description: 'Doado por Maria Silva em 1923.',
    label: labels[0]!,
    image: small,
    predicted: { label: labels[0]!, confidence: 0.7 },
  });
  await writeFixture({ root: dir, objects, labels });
  // Its original, where the catalogue looks for it to cut deep-zoom tiles.
  await mkdir(path.join(workspace(dir).data, 'images'), { recursive: true });
  await sharp(small)
    .jpeg()
    .toFile(path.join(workspace(dir).data, 'images', 'small-1.jpg'));
  await writeMonitoringFixture({
    root: dir,
    version: 'v1.1.0',
    otherVersion: 'v1.0.0',
    unfamiliar: [objects[2]!],
    nearest: objects[0]!.id,
  });
  const ws = workspace(dir);
  const params = defaultParams();
  params.collection.repository = 'example-museum/collection';
  // The small picture (320 pixels) gets the deep-zoom viewer, one tile whole (tester T17); the others are 120.
  params.catalogue.deep_zoom_min_side = 300;
  const log = memoryLogger();
  const { catalogue } = await buildCatalogueData({ ws, params, log });
  await buildSite({ ws, params, log });
  const c = catalogueSchema.parse(catalogue);
  const swatch = c.swatches[0]!;
  pages = [
    ['home', ''],
    ['search', 'browse/?q=the'],
    ['all', 'all/'],
    ['object', `objects/${c.objects[1]!.slug}/`],
    ['object with a small picture', `objects/${c.objects.find((o) => o.id === 'small-1')!.slug}/`],
    ['colours', 'colours/'],
    ['colour family', `colours/${swatch.family}/`],
    ['swatch', `colours/swatch/${swatch.slug}/`],
    ['review', 'review/'],
    ['models', 'models/'],
    ['model card', 'models/v1.1.0/'],
    ['monitoring', 'models/v1.1.0/monitoring/'],
    ['demo', 'demo/'],
    ['data', 'data/'],
    ['not found', 'no/such/page/'],
  ];
  site = await serveSite({ dir: ws.site });
  browser = await openChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/*
 * What axe does not check, said by a tester and the museum's web person on the demo catalogue:
 * - a picture drawn bigger than its largest file (a 320-pixel photograph blown up to 650 and blurry): the catalogue
 *   makes no file bigger than the photograph, and must not show one bigger than its file either;
 * - a figure (the picture and its IIIF caption) read before the page's heading: the h1 comes first;
 * - a card whose picture's text repeats the title its link already says (read twice by a screen reader).
 */
async function pageChecks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type El = {
      tagName: string;
      textContent: string | null;
      getAttribute(n: string): string | null;
      getBoundingClientRect(): { width: number; height: number };
      compareDocumentPosition(o: El): number;
      querySelectorAll(s: string): El[];
    };
    const d = (globalThis as unknown as { document: { querySelector(s: string): El | null } & El }).document;
    const out: string[] = [];
    for (const img of d.querySelectorAll('img')) {
      const box = img.getBoundingClientRect();
      if (box.width === 0) continue;
      const files = [
        Number(img.getAttribute('width') ?? 0),
        ...(img.getAttribute('srcset') ?? '').split(',').map((c) => Number(/(\d+)w\s*$/.exec(c.trim())?.[1] ?? 0)),
      ];
      const largest = Math.max(...files);
      if (largest > 0 && box.width > largest + 1)
        out.push(`picture ${img.getAttribute('src')} shown ${Math.round(box.width)} px wide, its file ${largest} px`);
    }
    const h1 = d.querySelector('h1');
    for (const f of d.querySelectorAll('figure'))
      if (h1 && h1.compareDocumentPosition(f) & 2) out.push('a figure comes before the h1 in reading order');
    for (const a of d.querySelectorAll('.card a')) {
      const img = a.querySelectorAll('img')[0];
      const alt = img?.getAttribute('alt') ?? '';
      if (alt && (a.textContent ?? '').trim())
        out.push(`card picture says “${alt}” beside its link text “${(a.textContent ?? '').trim().slice(0, 40)}”`);
    }
    return out;
  });
}

/** A CSS colour's red, green and blue ("rgb(1, 2, 3)"). */
const rgb = (c: string) => (/rgba?\(([^)]*)\)/.exec(c)?.[1] ?? '0,0,0').split(',').map((x) => Number(x));
/** WCAG's relative luminance of a CSS colour. */
const lum = (c: string) => {
  const [r, g, b] = rgb(c).map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};
/** WCAG's contrast ratio of two CSS colours. */
const ratio = (a: string, b: string) => {
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

/*
 * Tester T17, on the search page: its title named no search (WCAG 2.4.2), the date chart told a screen reader to drag
 * across it, 50 filter tab stops came before the first result, and a date bar outside the range chosen was 1.41:1
 * on white (1.4.11). Checked light and dark: a bar drawn as outside the range (its class "out") against the page.
 */
async function searchPageChecks(page: Page): Promise<string[]> {
  const problems: string[] = [];
  const title = await page.title();
  if (!title.startsWith('“the” — ')) problems.push(`search: title “${title}” does not name the search`);
  const skip = page.locator('a.skip[href="#results-h"]');
  if ((await skip.count()) !== 1 || (await page.locator('#results-h').count()) !== 1)
    problems.push('search: no “Skip to results” link before the filters');
  // The fixture's dates may draw no chart: its label is checked where there is one, a bar's colour on one drawn here.
  if ((await page.locator('#timeline svg').count()) > 0) {
    const label = (await page.locator('#timeline svg').getAttribute('aria-label')) ?? '';
    if (/drag/i.test(label) || !/From and To/.test(label)) problems.push(`search: date chart says “${label}”`);
  }
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const seen = await page.evaluate(() => {
      type El = { append(e: El): void; remove(): void; setAttribute(n: string, v: string): void };
      const g = globalThis as unknown as {
        document: { documentElement: unknown; body: El; createElementNS(ns: string, n: string): El };
        getComputedStyle(e: unknown): { fill: string; backgroundColor: string };
      };
      const svgNs = 'http://www.w3.org/2000/svg';
      const chart = g.document.createElementNS(svgNs, 'svg');
      chart.setAttribute('class', 'timeline');
      const bar = g.document.createElementNS(svgNs, 'rect');
      bar.setAttribute('class', 'out');
      chart.append(bar);
      g.document.body.append(chart);
      const fill = g.getComputedStyle(bar).fill;
      chart.remove();
      return { fill, background: g.getComputedStyle(g.document.documentElement).backgroundColor };
    });
    if (ratio(seen.fill, seen.background) < 3)
      problems.push(
        `search (${colorScheme}): a date bar outside the range ${seen.fill} on ${seen.background} below 3:1`,
      );
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}

/*
 * A visitor whose computer is set to dark: the catalogue follows it (prefers-color-scheme), its text and links
 * still at least 4.5:1 against their background (WCAG AA: axe's colour-contrast), and an object's colour swatches
 * keep the colours of the photograph. Checked on a page shown light and checked, then switched to dark
 * (page.emulateMedia): the site's colours are CSS alone (no script reads the colour scheme, no transition), so the
 * page is as a visitor set to dark sees it, without loading it again (each of the 15 loads cost Chromium about as
 * much CPU as its checks). axe-core is in the page already.
 */
async function darkChecks(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  await page.emulateMedia({ colorScheme: 'dark' });
  const seen = await page.evaluate(() => {
    type Style = { color: string; backgroundColor: string };
    const g = globalThis as unknown as {
      document: {
        documentElement: unknown;
        body: unknown;
        querySelector(s: string): unknown;
        querySelectorAll(s: string): { getAttribute(n: string): string | null }[];
      };
      getComputedStyle(e: unknown): Style;
    };
    const d = g.document;
    const link = d.querySelector('main p a:not(.button)') ?? d.querySelector('nav a');
    const chips = [...d.querySelectorAll('.chip')].map((c) => ({
      style: c.getAttribute('style') ?? '',
      shown: g.getComputedStyle(c).backgroundColor,
    }));
    return {
      background: g.getComputedStyle(d.documentElement).backgroundColor,
      text: g.getComputedStyle(d.body).color,
      link: link ? g.getComputedStyle(link).color : null,
      chips,
    };
  });
  if (lum(seen.background) > 0.1) problems.push(`${name}: background ${seen.background} is not dark`);
  if (ratio(seen.text, seen.background) < 4.5)
    problems.push(`${name}: text ${seen.text} on ${seen.background} below 4.5:1`);
  if (seen.link && ratio(seen.link, seen.background) < 4.5)
    problems.push(`${name}: link ${seen.link} on ${seen.background} below 4.5:1`);
  for (const c of seen.chips) {
    const hex = /#([0-9a-f]{6})/i.exec(c.style)?.[1];
    if (!hex) continue;
    const want = `rgb(${[0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    if (c.shown !== want) problems.push(`${name}: swatch #${hex} shown as ${c.shown}`);
  }
  const { violations } = await page.evaluate(() =>
    window.axe.run({ runOnly: ['color-contrast', 'link-in-text-block'], resultTypes: ['violations'] }),
  );
  for (const v of violations)
    problems.push(
      `${name}: axe ${v.id} at ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
    );
  await page.emulateMedia({ colorScheme: 'light' });
  return problems;
}

/*
 * A visitor with forced colours (Windows High Contrast): the browser paints every background in the system's
 * colours, so the colour swatches were empty squares (tester T17); they keep their own colour.
 */
async function forcedColourChecks(page: Page, name: string): Promise<string[]> {
  await page.emulateMedia({ forcedColors: 'active' });
  const chips = await page.evaluate(() => {
    const g = globalThis as unknown as {
      document: { querySelectorAll(s: string): { getAttribute(n: string): string | null }[] };
      getComputedStyle(e: unknown): { backgroundColor: string };
    };
    return [...g.document.querySelectorAll('.chip')].map((c) => ({
      style: c.getAttribute('style') ?? '',
      shown: g.getComputedStyle(c).backgroundColor,
    }));
  });
  await page.emulateMedia({ forcedColors: 'none' });
  const problems: string[] = [];
  for (const c of chips) {
    const hex = /#([0-9a-f]{6})/i.exec(c.style)?.[1];
    if (!hex) continue;
    const want = `rgb(${[0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    if (c.shown !== want) problems.push(`${name}: with forced colours, swatch #${hex} shown as ${c.shown}`);
  }
  return problems;
}

/*
 * The deep-zoom viewer of the small picture (tester T17): it opens (its one tile is where OpenSeadragon asks for it),
 * its focusable area has a role, a name (the photograph's text, with the object's name, not the record's
 * description) and its keys said, and a focus ring that is drawn (reviewer V35: OpenSeadragon's picture painted over
 * it); the names of the figure, picture and viewer are not the same text read again; the mouse wheel over it scrolls
 * the page (Ctrl and the wheel zoom); when its tiles cannot be loaded the plain picture stays, and a tile that loads
 * after one failed changes nothing (reviewer V35: neither picture nor viewer was left); before its first tile the
 * viewer takes no room below the picture.
 */
async function viewerChecks(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  // Loaded again to see its tiles asked for (the requests of the first load are counted before its viewer opened).
  const tiles: string[] = [];
  const onTile = (r: { status(): number; url(): string }) => {
    if (r.url().endsWith('/default.jpg')) tiles.push(`${r.status()} ${r.url()}`);
  };
  page.on('response', onTile);
  await page.reload({ waitUntil: 'networkidle' });
  const opened = await page
    .waitForSelector('#viewer[data-open="true"]', { timeout: 20_000 })
    .then(() => true)
    .catch(() => false);
  page.off('response', onTile);
  if (tiles.length === 0 || tiles.some((t) => !t.startsWith('200 ')))
    problems.push(`${name}: tiles ${tiles.join(', ')}`);
  if (!opened) return [...problems, `${name}: the deep-zoom viewer did not open`];
  const seen = await page.evaluate(() => {
    type El = { textContent: string | null; getAttribute(n: string): string | null; focus(): void } & {
      matches(s: string): boolean;
    };
    const w = globalThis as unknown as {
      document: { querySelector(s: string): El | null; getElementById(i: string): El | null };
    };
    const d = w.document;
    const canvas = d.querySelector('.openseadragon-canvas');
    const described = canvas?.getAttribute('aria-describedby') ?? '';
    canvas?.focus();
    return {
      role: canvas?.getAttribute('role') ?? null,
      name: canvas?.getAttribute('aria-label') ?? '',
      keys: described ? (d.getElementById(described)?.textContent ?? '') : '',
      focusVisible: canvas?.matches(':focus-visible') ?? false,
      names: [
        d.querySelector('figure')?.getAttribute('aria-label') ?? '',
        // The picture is out of the page (hidden) while the viewer shows it.
        d.querySelector('.object-image picture:not([hidden]) img')?.getAttribute('alt') ?? '',
        d.getElementById('viewer')?.getAttribute('aria-label') ?? '',
        canvas?.getAttribute('aria-label') ?? '',
      ].filter(Boolean),
      heading: d.querySelector('h1')?.textContent?.trim() ?? '',
    };
  });
  if (seen.role !== 'application' && seen.role !== 'img') problems.push(`${name}: viewer role ${seen.role}`);
  if (!seen.name) problems.push(`${name}: viewer has no name`);
  if (!/arrow keys/i.test(seen.keys) || !/\+/.test(seen.keys))
    problems.push(`${name}: viewer keys not said (“${seen.keys}”)`);
  // The ring as drawn: the pixels in and around the viewer, focused and not, differ at least all round it.
  const at = (await page.locator('#viewer').boundingBox())!;
  const clip = { x: at.x - 8, y: at.y - 8, width: at.width + 16, height: at.height + 16 };
  const focused = await page.screenshot({ clip });
  await page.evaluate(() =>
    (globalThis as unknown as { document: { activeElement: { blur(): void } } }).document.activeElement.blur(),
  );
  const blurred = await page.screenshot({ clip });
  const [a, b] = await Promise.all([focused, blurred].map((p) => sharp(p).raw().toBuffer()));
  let ring = 0;
  for (let i = 0; i < a!.length; i += 3) if (a!.compare(b!, i, i + 3, i, i + 3) !== 0) ring++;
  if (!seen.focusVisible || ring < 2 * (at.width + at.height))
    problems.push(`${name}: viewer focus ring drawn on ${ring} pixels (focus-visible ${seen.focusVisible})`);
  if (new Set(seen.names).size !== seen.names.length)
    problems.push(`${name}: names repeated: ${seen.names.join(' | ')}`);
  if (!seen.name.startsWith(`Photograph of ${seen.heading}`) || seen.name.includes('Maria'))
    problems.push(`${name}: viewer named “${seen.name}”, not the photograph of “${seen.heading}”`);
  // The wheel over the viewer without Ctrl scrolls the page.
  const box = (await page.locator('#viewer').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 300);
  await page.waitForTimeout(300);
  if ((await page.evaluate(() => (globalThis as unknown as { scrollY: number }).scrollY)) === 0)
    problems.push(`${name}: the mouse wheel over the viewer does not scroll the page`);
  // No tile to be had: the plain picture stays, the viewer goes.
  await page.route('**/iiif/**/default.jpg', (r) => r.abort());
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  const after = await page.evaluate(() => {
    const d = (globalThis as unknown as { document: { querySelector(s: string): { hidden: boolean } | null } })
      .document;
    return { picture: d.querySelector('.object-image picture')?.hidden, viewer: d.querySelector('#viewer')?.hidden };
  });
  await page.unroute('**/iiif/**/default.jpg');
  if (after.picture !== false || after.viewer !== true)
    problems.push(`${name}: with no tile, picture hidden ${after.picture}, viewer hidden ${after.viewer}`);
  problems.push(...(await failThenLoad(page, name)));
  return problems;
}

/*
 * Tiles that never answer (a slow network); then one tile fails and another loads in the same task, before the
 * failed viewer is gone, as reviewer V35's race.cjs raises them on the viewer (kept as window.viewer).
 */
async function failThenLoad(page: Page, name: string): Promise<string[]> {
  const keep = ';{const f=OpenSeadragon;window.OpenSeadragon=Object.assign((o)=>(window.viewer=f(o)),f);}';
  await page.route('**/openseadragon.min.js', async (r) => {
    const response = await r.fetch();
    await r.fulfill({ response, body: `${await response.text()}\n${keep}` });
  });
  await page.route('**/iiif/**/default.jpg', () => {});
  await page.reload({ waitUntil: 'domcontentloaded' });
  type El = { hidden: boolean; getBoundingClientRect(): { height: number } };
  type W = {
    viewer?: { raiseEvent(e: string, a: unknown): void };
    document: { querySelector(s: string): El & { checkVisibility(o: unknown): boolean } };
  };
  await page.waitForFunction(() => {
    const w = globalThis as unknown as W;
    return w.viewer !== undefined && !w.document.querySelector('#viewer').hidden;
  });
  const state = () =>
    page.evaluate(() => {
      const d = (globalThis as unknown as W).document;
      const box = d.querySelector('#viewer');
      return {
        picture: d.querySelector('.object-image picture').hidden,
        viewerSeen: !box.hidden && box.checkVisibility({ visibilityProperty: true }),
        buttons: !d.querySelector('#zoom-controls').hidden,
        figure: Math.round(d.querySelector('figure').getBoundingClientRect().height),
      };
    });
  const before = await state();
  await page.evaluate(() => {
    const v = (globalThis as unknown as W).viewer!;
    v.raiseEvent('tile-load-failed', { message: 'x' });
    v.raiseEvent('tile-loaded', {});
  });
  await page.waitForTimeout(300);
  const after = await state();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  const problems: string[] = [];
  if (before.picture || before.viewerSeen || before.buttons)
    problems.push(`${name}: before a tile ${JSON.stringify(before)}, not the picture alone`);
  if (after.picture || after.viewerSeen || after.buttons || after.figure !== before.figure)
    problems.push(`${name}: a tile failed, then one loaded: ${JSON.stringify(after)} (before ${before.figure})`);
  return problems;
}

/*
 * The two passes (two widths; dark mode at 1280 px) run at once, each in a page of its own: most of a pass is waiting
 * for the network to be idle after each page (half a second every time, 15 pages), which the other fills. Each pass
 * then lasts about as long as the passes together: on a machine loaded 12 times over three passes took 165 s each,
 * near the 180 s that vitest allows a test, hence 600 s.
 */
describe.concurrent.each([
  [
    1280,
    'has no axe violations, no horizontal overflow and no failed requests; in dark mode, it is dark, with text ' +
      'and links that meet WCAG AA, and swatches in their own colours',
  ],
  [390, 'has no axe violations, no horizontal overflow and no failed requests'],
])('every page type at %i px', (width, checked) => {
  it(checked, async ({ expect }) => {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: 'light' });
    page.setDefaultTimeout(90_000);
    const problems: string[] = [];
    const dark: string[] = [];
    for (const [name, address] of pages) {
      const failed: string[] = [];
      const onResponse = (r: { status(): number; url(): string }) => {
        if (r.status() >= 400 && !r.url().includes('no/such/page')) failed.push(`${r.status()} ${r.url()}`);
      };
      page.on('response', onResponse);
      await page.goto(`${site.url}${address}`, { waitUntil: 'networkidle' });
      page.off('response', onResponse);
      if (name === 'search')
        await page.waitForFunction(() =>
          /for “the”/.test(
            (
              globalThis as unknown as { document: { getElementById(i: string): { textContent: string } | null } }
            ).document.getElementById('status')?.textContent ?? '',
          ),
        );
      await page.addScriptTag({ path: axePath });
      const { violations } = await page.evaluate(() => window.axe.run({ resultTypes: ['violations'] }));
      for (const v of violations)
        problems.push(
          `${name}: axe ${v.id} (${v.help}) at ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
        );
      for (const p of await pageChecks(page)) problems.push(`${name}: ${p}`);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > width) problems.push(`${name}: ${scrollWidth} px wide at ${width} px`);
      for (const f of failed) problems.push(`${name}: request failed ${f}`);
      // Browsers ask for /favicon.ico when a page names no icon (a 404 on every page); headless Chromium does not show it.
      const icon = await page
        .locator('link[rel="icon"]')
        .getAttribute('href')
        .catch(() => null);
      if (!icon) problems.push(`${name}: no favicon`);
      else if (!icon.startsWith('data:') && (await fetch(new URL(icon, page.url()))).status !== 200)
        problems.push(`${name}: favicon ${icon} missing`);
      if (width === 1280 && name === 'search') problems.push(...(await searchPageChecks(page)));
      if (width === 1280) dark.push(...(await darkChecks(page, name)));
      if (width === 1280) dark.push(...(await forcedColourChecks(page, name)));
      if (width === 1280 && name === 'object with a small picture') problems.push(...(await viewerChecks(page, name)));
    }
    await page.close();
    expect(problems).toEqual([]);
    expect(dark).toEqual([]);
  }, 600_000);
});
