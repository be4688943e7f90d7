/*
 * The public catalogue at scale: a synthetic 10,000-object collection (a dozen real photographs
 * reused, each object with its own thumbnail files as in a real dataset) built into the Astro site
 * and indexed by Pagefind. Prints build time, peak memory, index size, the bytes a visitor's
 * browser downloads for a search and for a filter-only browse, and the "More like this" time.
 * Target on this 2-core machine: 10,000 objects build in under 5 minutes and under 4 GB.
 * Size: VITRINE_BENCH_OBJECTS (default 10,000). Run alone: `npx node bench/site.ts`.
 * `searchWeight({ objects })` builds a synthetic site of that size and measures only the search page
 * (for bench/scale.ts); `npx node bench/site.ts scale` runs it at 100,000 objects.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { buildCatalogueData, buildSite, indexSite } from '../pipeline/catalogue/index.ts';
import { nearestNeighbours } from '../pipeline/catalogue/neighbours.ts';
import { readPartsManifest } from '../pipeline/catalogue/search-index.ts';
import { silentLogger } from '../pipeline/log.ts';
import { selectBackend } from '../pipeline/model/backend.ts';
import { defaultParams } from '../pipeline/params.ts';
import { workspace } from '../pipeline/paths.ts';
import { seededUniform } from '../pipeline/random.ts';
import { type FixtureObject, writeFixture } from '../test/site/fixture.ts';
import { serveSite } from '../test/site/server.ts';

// Page-side code in waitForFunction/evaluate runs in the browser; only these two globals are used there.
declare const document: { getElementById(id: string): { textContent: string | null } | null };
const WORDS = [
  'Bowl',
  'Vase',
  'Mask',
  'Coin',
  'Portrait',
  'Landscape',
  'Textile',
  'Figure',
  'Jar',
  'Print',
  'Amulet',
  'Panel',
  'Cup',
  'Plate',
  'Head',
  'Relief',
];
const ADJ = [
  'painted',
  'glazed',
  'carved',
  'woven',
  'gilded',
  'incised',
  'lacquered',
  'embroidered',
  'engraved',
  'moulded',
];
const MAKERS = [
  'Unknown maker',
  'Workshop of the Guild of Weavers',
  'Katsushika Hokusai',
  'Rembrandt van Rijn',
  'Mint of the realm',
  'Unknown carver',
  'Attic workshop',
  'Meissen Porcelain Manufactory',
];
const DEPTS = [
  'Ancient Mediterranean',
  'Asian Art',
  'Decorative Arts',
  'Prints and Drawings',
  'Textiles',
  'Coins and Medals',
  'Arts of Africa',
  'Arts of the Americas',
];
export const LABELS = ['coin', 'figurine', 'mask', 'print', 'textile', 'vessel'];

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A deterministic spread of titles, makers, dates and labels; about 8% disagreements. */
export function syntheticObjects({ count, images }: { count: number; images: string[] }): FixtureObject[] {
  return Array.from({ length: count }, (_, i) => {
    const label = LABELS[i % LABELS.length]!;
    const wrong = (i * 7919) % 100 < 8;
    return {
      id: `B-${String(i).padStart(6, '0')}`,
      title: `${ADJ[(i * 31) % ADJ.length]} ${WORDS[(i * 17) % WORDS.length]} no. ${i}`.replace(/^./, (c) =>
        c.toUpperCase(),
      ),
      maker: MAKERS[(i * 13) % MAKERS.length],
      date: i % 3 === 0 ? `${(i % 20) + 1}th century` : i % 3 === 1 ? `${1400 + (i % 600)}` : `${100 + (i % 900)} BCE`,
      department: DEPTS[(i * 5) % DEPTS.length],
      medium: ['Earthenware', 'Silver', 'Wool', 'Etching', 'Wood, pigment', 'Bronze'][i % 6],
      description: `A ${label} from the synthetic benchmark collection, object ${i}.`,
      label: i % 50 === 49 ? null : label,
      image: images[i % images.length]!,
      predicted: wrong
        ? { label: LABELS[(i + 1) % LABELS.length]!, confidence: 0.55 + (i % 40) / 100 }
        : { label, confidence: 0.6 + (i % 39) / 100 },
    };
  });
}

/** A dozen real photographs from the five-museums set, reused across the synthetic objects. */
async function sharedImages(): Promise<string[]> {
  const shared = path.resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'five-museums');
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  return rows
    .filter((_, i) => i % 10 === 0)
    .slice(0, 12)
    .map((r) => path.join(shared, r.file!));
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** One file the search page asked for: where, what kind, and its size as gzip would send it. */
export interface Fetched {
  path: string;
  kind: string;
  gzip: number;
  /** When the page had it in full, ms after navigation started. */
  doneMs: number;
}

/** What a visitor arriving at `/browse/?q=…` downloads (images not counted) and when the first card shows. */
export interface SearchWeight {
  query: string;
  requests: number;
  gzipBytes: number;
  firstResultMs: number;
  files: Fetched[];
}

/** The highest peak resident memory (VmHWM) among the live child processes of `pid` (Linux; 0 elsewhere), bytes. */
async function childrenPeak(pid: number): Promise<number> {
  let peak = 0;
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const children = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of children.split(' ').filter((c) => c.trim())) {
      const status = await readFile(`/proc/${child}/status`, 'utf8').catch(() => '');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024);
    }
  }
  return peak;
}

/** The kind of a file the search page fetched, for the breakdown. */
function kindOf(p: string): string {
  // The index's parts merged into the first (`pagefind/parts/<key>/`) hold the same kinds of files.
  const index = /\/pagefind\/(?:parts\/[^/]+\/)?/;
  if (new RegExp(`${index.source}fragment/`).test(p)) return 'fragment';
  if (new RegExp(`${index.source}filter/`).test(p)) return 'filter chunk';
  if (new RegExp(`${index.source}index/`).test(p)) return 'index chunk';
  if (p.endsWith('.pf_meta')) return 'pagefind metadata';
  if (/\/pagefind\/wasm\./.test(p)) return 'pagefind wasm';
  if (p.endsWith('pagefind-entry.json')) return 'pagefind entry';
  if (p.endsWith('/pagefind/parts.json')) return 'index parts list';
  if (p.includes('/pagefind/')) return 'pagefind runtime';
  if (p.endsWith('/browse/')) return 'page';
  return p.endsWith('.js') ? 'script' : p.endsWith('.css') ? 'style' : 'other';
}

/**
 * Open `browse/?q=<query>` in a fresh Chromium page and count what it fetches until the network is
 * idle (the issue's target: the search page plus one query, images not counted, sizes as gzip would
 * send them), and the time to the first result card.
 */
export async function measureSearch({
  url,
  query = 'amulet',
  address = `browse/?q=${encodeURIComponent(query)}`,
  ready = `for “${query}”`,
}: {
  url: string;
  query?: string;
  /** Another address of the search page (browsing without words, a filter), and the status it ends with. */
  address?: string;
  ready?: string;
}): Promise<SearchWeight> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const files: Fetched[] = [];
    const pending: Promise<void>[] = [];
    page.on('requestfinished', (request) => {
      if (request.resourceType() === 'image') return;
      pending.push(
        (async () => {
          const response = await request.response();
          const body = response ? await response.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
          const p = new URL(request.url()).pathname;
          files.push({ path: p, kind: kindOf(p), gzip: gzipSync(body).length, doneMs: 0 });
        })(),
      );
    });
    await page.goto(`${url}${address}`);
    await page.locator('#results li').first().waitFor({ timeout: 120_000 });
    const firstResultMs = await page.evaluate(() => performance.now());
    await page.waitForFunction((r) => (document.getElementById('status')?.textContent ?? '').includes(r), ready, {
      timeout: 60_000,
    });
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    // The critical path: when each file was in (the browser's resource timing).
    const done = new Map(
      await page.evaluate(() =>
        performance
          .getEntries()
          .filter((e) => /^https?:/.test(e.name)) // the page and what it fetched, not paint marks
          .map((e) => [new URL(e.name).pathname, e.startTime + e.duration] as [string, number]),
      ),
    );
    for (const f of files) f.doneMs = done.get(f.path) ?? 0;
    files.sort((a, b) => b.gzip - a.gzip);
    const gzipBytes = files.reduce((n, f) => n + f.gzip, 0);
    return { query, requests: files.length, gzipBytes, firstResultMs, files };
  } finally {
    await browser.close();
  }
}

const sum = (files: Fetched[]) => files.reduce((n, f) => n + f.gzip, 0);

/** Print a search measurement: the totals against the targets, then bytes and requests per kind of file. */
export function printSearch(w: SearchWeight, label?: string): void {
  const first = `first result at ${w.firstResultMs.toFixed(0)} ms`;
  const what = `${w.requests} requests (images not counted), ${kb(w.gzipBytes)} gzip, ${first}`;
  const targets = '(targets: ≤ 15, ≤ 150 kB, ≤ 1000 ms)';
  console.log(label ? `${label}: ${what}` : `search page + "${w.query}": ${what} ${targets}`);
  const kinds = new Map<string, { n: number; gzip: number; file: string; doneMs: number }>();
  for (const f of w.files) {
    const k = kinds.get(f.kind) ?? { n: 0, gzip: 0, file: f.path, doneMs: 0 };
    kinds.set(f.kind, { n: k.n + 1, gzip: k.gzip + f.gzip, file: k.file, doneMs: Math.max(k.doneMs, f.doneMs) });
  }
  for (const [kind, k] of [...kinds].sort((a, b) => b[1].gzip - a[1].gzip))
    console.log(
      `  ${kb(k.gzip).padStart(7)}  ${String(k.n).padStart(2)} × ${kind}, in at ${k.doneMs.toFixed(0)} ms` +
        (k.n === 1 ? ` (${k.file})` : ''),
    );
}

/**
 * Build a synthetic collection of `objects` objects into a site and measure its search page (for
 * bench/scale.ts). Objects share a dozen thumbnails' worth of files (images are not counted), so
 * the build is the site itself.
 */
export async function searchWeight({
  objects: count,
  query = 'amulet',
}: {
  objects: number;
  query?: string;
}): Promise<
  SearchWeight & { objects: number; buildMs: number; indexBytes: number; browse: SearchWeight; filtered: SearchWeight }
> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-search-'));
  try {
    const objects = syntheticObjects({ count, images: await sharedImages() });
    const started = performance.now();
    await writeFixture({ root, objects, labels: LABELS, widths: [240] });
    const ws = workspace(root);
    const params = defaultParams();
    await buildCatalogueData({ ws, params, log: silentLogger });
    const site = await buildSite({ ws, params, log: silentLogger });
    const buildMs = performance.now() - started;
    const server = await serveSite({ dir: site.outDir });
    try {
      const weight = await measureSearch({ url: server.url, query });
      // Without words, and with one filter only, from a fresh page.
      const browse = await measureSearch({ url: server.url, address: 'browse/', ready: 'in the collection' });
      const filtered = await measureSearch({
        url: server.url,
        address: 'browse/?department=Textiles',
        ready: 'with Department: Textiles',
      });
      return { ...weight, objects: count, buildMs, indexBytes: site.indexBytes, browse, filtered };
    } finally {
      await server.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Pagefind's part of the search page at sizes too large to build here (100,000 objects): each
 * synthetic object gets a small page holding only what the object page gives Pagefind (its words
 * with their weights, metadata and filters; colour and century filters stand in with similar numbers
 * of values), indexed by `indexSite` as the site is (in parts of `partPages` pages; no Astro, no
 * catalogue), and a bare page merges the parts as the search page does, runs one search and reads
 * the first 6 results in Chromium. Our own page and script (about 8 kB) are not in it. Also the peak
 * resident memory of the Pagefind processes (one at a time). (Pagefind's `addCustomRecord` and
 * `addHTMLFile` look each new page up among all the pages added before: quadratic, 433 s at 100,000
 * objects. Reading a folder is linear.)
 */
export async function indexWeight({
  objects: count,
  query = 'amulet',
  partPages = defaultParams().catalogue.search_part_pages,
}: {
  objects: number;
  query?: string;
  partPages?: number;
}): Promise<
  SearchWeight & { objects: number; indexMs: number; metaBytes: number; parts: number; pagefindPeak: number }
> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-index-'));
  try {
    const objects = syntheticObjects({ count, images: [''] });
    const span = (attrs: string, text: string) => `<span ${attrs}>${escapeHtml(text)}</span>`;
    for (let i = 0; i < objects.length; i += 256)
      await Promise.all(
        objects.slice(i, i + 256).map(async (o, k) => {
          const n = i + k;
          const type = o.label ?? 'Not labelled yet';
          const filters = {
            department: [o.department ?? 'Unassigned'],
            type: [type],
            predicted: [o.predicted?.label ?? type],
            medium: [o.medium ?? ''],
            colour: [['red', 'brown', 'grey', 'white', 'black', 'yellow'][n % 6]!, ['blue', 'green'][n % 2]!],
            century: [`${(n % 30) + 1}th century`],
            review: [n % 20 === 0 ? 'Needs review' : 'No review needed'],
          };
          const dir = path.join(root, 'objects', o.id.toLowerCase());
          await mkdir(dir, { recursive: true });
          await writeFile(
            path.join(dir, 'index.html'),
            `<!doctype html><html lang="en"><body><article data-pagefind-body>` +
              span('data-pagefind-meta="title" data-pagefind-weight="10"', o.title) +
              span('data-pagefind-weight="4"', o.maker ?? '') +
              span('', o.date ?? '') +
              '<div hidden data-pagefind-ignore>' +
              span('data-pagefind-meta="maker"', o.maker ?? '') +
              span('data-pagefind-meta="date"', o.date ?? '') +
              span('data-pagefind-meta="image"', `/media/${o.id}-240.webp`) +
              Object.entries(filters)
                .flatMap(([f, vs]) => vs.map((v) => span(`data-pagefind-filter="${f}"`, v)))
                .join('') +
              '</div>' +
              span('data-pagefind-weight="5"', type) +
              span('data-pagefind-weight="2"', o.medium ?? '') +
              `<p>${escapeHtml(o.description ?? '')}</p></article></body></html>`,
          );
        }),
      );
    const started = performance.now();
    let pagefindPeak = 0;
    const sampler = setInterval(async () => {
      pagefindPeak = Math.max(pagefindPeak, await childrenPeak(process.pid));
    }, 200);
    try {
      await indexSite({
        outDir: root,
        cacheDir: `${root}-cache`,
        workDir: `${root}-work`,
        pages: objects.map((o) => ({ slug: o.id.toLowerCase(), key: 'synthetic' })),
        partPages,
      });
    } finally {
      clearInterval(sampler);
      await rm(`${root}-cache`, { recursive: true, force: true });
      await rm(`${root}-work`, { recursive: true, force: true });
    }
    const indexMs = performance.now() - started;
    const manifest = (await readPartsManifest(path.join(root, 'pagefind')))!;
    let metaBytes = 0;
    for (const part of manifest.parts) {
      const folder = path.join(root, 'pagefind', part.path);
      const entry = JSON.parse(await readFile(path.join(folder, 'pagefind-entry.json'), 'utf8'));
      metaBytes += (await readFile(path.join(folder, `pagefind.${entry.languages.en.hash}.pf_meta`))).length;
    }
    await mkdir(path.join(root, 'browse'));
    await writeFile(
      path.join(root, 'browse', 'index.html'),
      `<!doctype html><html lang="en"><body><ul id="results"></ul><p id="status"></p><script type="module">
const parts = fetch('/pagefind/parts.json', { cache: 'no-cache' }).then((r) => r.json());
const pagefind = await import('../pagefind/pagefind.js');
const ranking = { pageLength: 0 };
await pagefind.options({ baseUrl: '/', noWorker: true, ranking });
// As the search page does: each part's entry and metadata come with the list (search-meta.ts).
const files = new Map();
for (const p of (await parts).parts)
  for (const [name, b64] of Object.entries(p.files ?? {}))
    files.set('/pagefind/' + p.path + name, Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
globalThis.vitrineSearchFiles = files;
await pagefind.init();
for (const p of (await parts).parts)
  if (p.path) await pagefind.mergeIndex('/pagefind/' + p.path, { baseUrl: '/', ranking });
const q = new URLSearchParams(location.search).get('q');
const search = await pagefind.search(q);
const data = await Promise.all(search.results.slice(0, 6).map((r) => r.data()));
const list = document.getElementById('results');
for (const d of data) list.append(Object.assign(document.createElement('li'), { textContent: d.meta.title }));
document.getElementById('status').textContent = search.results.length + ' objects for “' + q + '”';
</script></body></html>`,
    );
    const server = await serveSite({ dir: root });
    try {
      const weight = await measureSearch({ url: server.url, query });
      return { ...weight, objects: count, indexMs, metaBytes, parts: manifest.parts.length, pagefindPeak };
    } finally {
      await server.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * The search page at 100,000 objects (VITRINE_BENCH_OBJECTS changes the size): Pagefind's part from
 * an index-only build (a minute or two), then the catalogue's own page and its files in place of the
 * bare page's, from a whole site built at 2,000 objects (a minute). With VITRINE_BENCH_FULL=1 also the
 * whole site built and measured at that size (`searchWeight`; bench/scale.ts's catalogue figures measure
 * it too, after a rebuild).
 */
export async function scale(): Promise<void> {
  const objects = Number(process.env.VITRINE_BENCH_OBJECTS ?? 100_000);
  const partPages = process.env.VITRINE_BENCH_PART_PAGES ? Number(process.env.VITRINE_BENCH_PART_PAGES) : undefined;
  const index = await indexWeight({ objects, partPages });
  console.log(
    `${objects} objects, Pagefind only (indexed in ${(index.indexMs / 1000).toFixed(0)} s in ${index.parts} ` +
      `part(s), Pagefind peak ${mb(index.pagefindPeak)}; metadata files ` +
      `${kb(index.metaBytes)} = ${(index.metaBytes / objects).toFixed(1)} bytes an object; bare page):`,
  );
  printSearch(index);
  // The catalogue's own search page (its HTML and script) in place of the bare page's, from a whole site
  // built at 2,000 objects: what a visitor loads at this size, short of building 100,000 pages with Astro.
  const small = await searchWeight({ objects: 2_000 });
  // Everything but Pagefind's files: the page, and any script, style or other file of its own.
  const own = (w: SearchWeight) => w.files.filter((f) => !f.path.includes('/pagefind/'));
  const requests = index.requests - own(index).length + own(small).length;
  const bytes = index.gzipBytes - sum(own(index)) + sum(own(small));
  console.log(
    `the catalogue's search page at this size (the bare page replaced by the site's page and its files, ` +
      `${own(small).length} request(s), ${kb(sum(own(small)))}, from a 2,000-object site): ${requests} ` +
      `requests, ${kb(bytes)} gzip (targets: ≤ 15, ≤ 150 kB)${requests > 15 || bytes > 150 * 1024 ? ': missed' : ''}`,
  );
  if (!process.env.VITRINE_BENCH_FULL) return;
  const w = await searchWeight({ objects });
  console.log(`${objects} objects, whole site: built in ${(w.buildMs / 1000).toFixed(0)} s, index ${mb(w.indexBytes)}`);
  printSearch(w);
}

export async function run(): Promise<void> {
  const count = Number(process.env.VITRINE_BENCH_OBJECTS ?? 10_000);
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-site-'));
  try {
    const images = await sharedImages();
    const objects = syntheticObjects({ count, images });
    let t = performance.now();
    await writeFixture({ root, objects, labels: LABELS, widths: [240, 480, 960], uniqueThumbnails: true });
    console.log(
      `synthetic collection: ${count} objects (${images.length} real photographs reused, ${count * 6} thumbnail ` +
        `files) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    // "More like this" at this size with MobileNetV2-sized embeddings (1,280 dimensions).
    {
      const uniform = seededUniform(1);
      const vectors = Array.from({ length: count }, () => Float32Array.from({ length: 1280 }, () => uniform()));
      const { tf, name } = await selectBackend({ preference: 'auto', log: silentLogger });
      const started = performance.now();
      const { reducedTo } = await nearestNeighbours({ vectors, k: 6, tf });
      console.log(
        `more like this: ${count} objects × 1280 dimensions, 6 neighbours ` +
          `each, ${((performance.now() - started) / 1000).toFixed(1)} s on ` +
          `TF.js ${name}${reducedTo ? ` (reduced to ${reducedTo} principal dimensions)` : ''} (target < 60 s)`,
      );
    }

    const ws = workspace(root);
    const params = defaultParams();
    params.collection.repository = 'example-museum/collection';
    const rssBefore = process.resourceUsage().maxRSS * 1024;
    t = performance.now();
    const { file } = await buildCatalogueData({ ws, params, log: silentLogger });
    const dataMs = performance.now() - t;
    const dataSize = (await readFile(file)).length;
    const site = await buildSite({ ws, params, log: silentLogger });
    const parentRss = process.resourceUsage().maxRSS * 1024;
    console.log(`catalogue data: ${(dataMs / 1000).toFixed(1)} s, catalogue.json ${mb(dataSize)}`);
    console.log(
      `astro build: ${(site.astroMs / 1000).toFixed(1)} s for ${site.pages} object pages, peak ` +
        `memory ${mb(site.astroPeakRss)} (target < 4096 MB)`,
    );
    console.log(
      `pagefind index: ${(site.pagefindMs / 1000).toFixed(1)} s beside updating the site ` +
        `(${(site.placeMs / 1000).toFixed(1)} s), ${mb(site.indexBytes)} on disk`,
    );
    const siteMs = site.planMs + site.astroMs + site.placeAndIndexMs;
    console.log(
      `total build: ${((dataMs + siteMs) / 1000).toFixed(1)} s (target < 300 s); this ` +
        `process peaked at ${mb(Math.max(rssBefore, parentRss))}`,
    );

    // What a visitor downloads: the search page plus one query, then more searches on one page.
    const server = await serveSite({ dir: site.outDir });
    printSearch(await measureSearch({ url: server.url }));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const bytes = () => [...server.sent].filter(([p]) => p.includes('/pagefind/')).reduce((s, [, n]) => s + n, 0);
      await page.goto(`${server.url}browse/`);
      await page.waitForFunction(
        () => /objects? in the collection/.test(document.getElementById('status')?.textContent ?? ''),
        null,
        { timeout: 120_000 },
      );
      const startup = bytes();
      console.log(`search page start (Pagefind runtime, filters, browse everything): ${kb(startup)}`);
      let before = bytes();
      await page.getByLabel('Search words').fill('glazed');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForFunction(
        () => (document.getElementById('status')?.textContent ?? '').includes('glazed'),
        null,
        { timeout: 60_000 },
      );
      const status = await page.locator('#status').textContent();
      console.log(`search "glazed" (${status}): ${kb(bytes() - before)} transferred`);
      // Filter-only browsing from a fresh page: no words, one department.
      before = bytes();
      const cold = await browser.newPage();
      await cold.goto(`${server.url}browse/?department=Textiles`);
      await cold.waitForFunction(
        () => /objects? with Department: Textiles/.test(document.getElementById('status')?.textContent ?? ''),
        null,
        { timeout: 60_000 },
      );
      console.log(
        `filter-only browse, fresh page (department = ` +
          `Textiles, ${await cold.locator('#status').textContent()}): ${kb(bytes() - before)} transferred`,
      );
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await (process.argv[2] === 'scale' ? scale() : run());
