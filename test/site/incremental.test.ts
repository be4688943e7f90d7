import { spawn } from 'node:child_process';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCatalogueData,
  buildSite,
  catalogueFiles,
  type SiteBuild,
  siteSourceDir,
} from '../../pipeline/catalogue/index.ts';
import { pageDigestsFile } from '../../pipeline/catalogue/plan.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * Object pages and listing pages (pages of cards) are kept by key between builds. A rebuild after one
 * label change renders only the object and listing pages whose content changed, and its site equals a
 * cold build of the same data byte for byte (every file: pages, search index, downloads); a build whose
 * props are split in chunk files of 2 pages equals one with a single chunk. Listing pages show 4 cards
 * here, so that the lists have several pages: a card that moves shifts the later pages.
 */

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');
const clock = { now: () => new Date('2026-12-01T10:00:00Z') };
const dirs: string[] = [];
let objects: FixtureObject[];
let labels: string[];

let template: Promise<string> | undefined;

/** A new workspace with the fixture: a copy of one written once (its thumbnails and embeddings take a second or two). */
async function fixture(): Promise<string> {
  template ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-incremental-template-'));
    dirs.push(dir);
    await writeFixture({ root: dir, objects, labels, embeddingSize: 32 });
    return dir;
  })();
  const from = await template;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-incremental-'));
  dirs.push(dir);
  await cp(from, dir, { recursive: true, preserveTimestamps: true });
  return dir;
}

async function build(
  dir: string,
  {
    chunkSize,
    at = clock,
    listingPageSize = 4,
    withoutDigests = false,
    log = memoryLogger(),
  }: {
    chunkSize?: number;
    at?: typeof clock;
    /** Cards a listing page shows (null: the site's own number, for which the data step writes digests). */
    listingPageSize?: number | null;
    /** Delete the digests the data step wrote (planning parses the catalogue). */
    withoutDigests?: boolean;
    log?: ReturnType<typeof memoryLogger>;
  } = {},
): Promise<SiteBuild> {
  const ws = workspace(dir);
  const params = defaultParams();
  params.collection.repository = 'example-museum/collection';
  params.catalogue.base = '/collection/';
  await buildCatalogueData({ ws, params, log: memoryLogger(), clock: at });
  if (withoutDigests) await rm(pageDigestsFile(catalogueFiles(ws).data));
  const steps: string[] = [];
  const built = await buildSite({
    ws,
    params,
    log,
    ...(listingPageSize ? { listingPageSize } : {}),
    ...(chunkSize ? { chunkSize } : {}),
    onStep: (step) => steps.push(step),
  });
  // Each step told as it ended (bench/scale.ts reads the CPU time there).
  expect(steps).toEqual(['planned', 'astro']);
  return built;
}

/** Listing pages of a site (pages of cards): all objects, the review queue, colour families and swatches. */
const isListing = (f: string) => /^(all|review|colours\/[^/]+|colours\/swatch\/[^/]+)\/(\d+\/)?index\.html$/.test(f);

/** A merged label pull request: the object's label changes in labels.csv and in the dataset. */
async function relabel(dir: string, id: string, label: string): Promise<void> {
  const file = path.join(dir, '.vitrine', 'dataset', 'dataset.json');
  const dataset = JSON.parse(await readFile(file, 'utf8')) as { objects: { id: string; label: string | null }[] };
  dataset.objects.find((o) => o.id === id)!.label = label;
  await writeFile(file, JSON.stringify(dataset));
  const csv = path.join(dir, 'labels.csv');
  await writeFile(csv, (await readFile(csv, 'utf8')).replace(new RegExp(`^${id},.*$`, 'm'), `${id},${label}`));
}

/** The inode of every file of a built site, by its path in the site. */
async function siteInodes(dir: string): Promise<Map<string, number>> {
  const site = path.join(dir, '.vitrine', 'site');
  const out = new Map<string, number>();
  for (const e of await readdir(site, { withFileTypes: true, recursive: true }))
    if (e.isFile()) {
      const file = path.join(e.parentPath, e.name);
      out.set(path.relative(site, file), (await stat(file)).ino);
    }
  return out;
}

/** Every file of a built site, by its path in the site. */
async function siteFiles(dir: string): Promise<Map<string, Buffer>> {
  const site = path.join(dir, '.vitrine', 'site');
  const out = new Map<string, Buffer>();
  for (const e of await readdir(site, { withFileTypes: true, recursive: true }))
    if (e.isFile()) {
      const file = path.join(e.parentPath, e.name);
      out.set(path.relative(site, file), await readFile(file));
    }
  return out;
}

function differing(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => !a.get(n) || !b.get(n) || !a.get(n)!.equals(b.get(n)!)).sort();
}

beforeAll(async () => {
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 7 === 0).slice(0, 14);
  labels = [...new Set(picked.map((r) => r.label!))].sort();
  objects = picked.map((r) => ({
    id: r.id!,
    title: r.title!,
    maker: r.artist || 'Unknown maker',
    date: r.date,
    department: r.museum,
    medium: r.medium,
    rights: r.license,
    label: r.label!,
    image: path.join(shared, r.file!),
  }));
}, 60_000);

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('object pages kept between builds', () => {
  it('rebuilds only the pages a label change touches, and equals a cold build', async () => {
    const warm = await fixture();
    const first = await build(warm);
    expect(first.objectPages).toEqual({ rendered: objects.length, reused: 0 });
    const before = await siteFiles(warm);
    const listingFiles = [...before.keys()].filter(isListing);
    expect(listingFiles).toContain('all/2/index.html');
    // Pager links end in "/" as every other link does: a bucket without index rewriting answers "/all/2" with 404
    // (a public tester found them without it).
    const pager = [
      ...before
        .get('all/2/index.html')!
        .toString()
        .matchAll(/href="([^"]*)" rel="(?:prev|next)"/g),
    ];
    expect(pager.map((m) => m[1])).toEqual(['/collection/all/', '/collection/all/3/']);
    expect(first.listingPages).toEqual({ rendered: listingFiles.length, reused: 0 });
    const inodesBefore = await siteInodes(warm);

    const target = objects[5]!;
    const to = labels.find((l) => l !== target.label)!;
    await relabel(warm, target.id, to);
    const second = await build(warm);
    const after = await siteFiles(warm);
    // The site is updated in place: a file whose content did not change is the same file (the search
    // index, written whole by Pagefind each build, aside).
    const inodesAfter = await siteInodes(warm);
    const unchanged = [...after.keys()].filter(
      (f) => before.get(f)?.equals(after.get(f)!) && !f.startsWith('pagefind/'),
    );
    expect(unchanged.length).toBeGreaterThan(objects.length * 6);
    expect(unchanged.filter((f) => inodesAfter.get(f) !== inodesBefore.get(f))).toEqual([]);
    const changedObjectPages = differing(before, after).filter((f) => /^objects\/[^/]+\/index\.html$/.test(f));
    // The relabelled object's own page, and the pages whose "More like this" shows its card (alt text names the label).
    expect(changedObjectPages.length).toBeGreaterThanOrEqual(1);
    const catalogue = JSON.parse(await readFile(path.join(warm, '.vitrine', 'catalogue', 'catalogue.json'), 'utf8'));
    const slug = (catalogue as { objects: { id: string; slug: string }[] }).objects.find(
      (o) => o.id === target.id,
    )!.slug;
    expect(changedObjectPages).toContain(`objects/${slug}/index.html`);
    expect(second.objectPages).toEqual({
      rendered: changedObjectPages.length,
      reused: objects.length - changedObjectPages.length,
    });
    expect(changedObjectPages.length).toBeLessThan(objects.length);
    console.log(`one label changed: ${changedObjectPages.length} of ${objects.length} object pages rendered again`);
    // Listing pages: only those whose cards changed (a card shows the label only in an untitled object's
    // alt text; the review queue's cards and order follow the labels).
    const changedListings = differing(before, after).filter(isListing);
    expect(second.listingPages).toEqual({
      rendered: changedListings.length,
      reused: listingFiles.length - changedListings.length,
    });
    expect(changedListings.length).toBeLessThan(listingFiles.length);
    console.log(
      `one label changed: ${changedListings.length} of ${listingFiles.length} listing pages rendered again:`,
      changedListings.join(' '),
    );

    // A merge on another day changes no object page: the footer shows no build day (the data page does).
    const nextDay = { now: () => new Date('2026-12-02T09:00:00Z') };
    const third = await build(warm, { at: nextDay });
    expect(third.objectPages).toEqual({ rendered: 0, reused: objects.length });
    expect(third.listingPages).toEqual({ rendered: 0, reused: listingFiles.length });

    const cold = await fixture();
    await relabel(cold, target.id, to);
    const fresh = await build(cold, { chunkSize: 2 });
    expect(fresh.objectPages).toEqual({ rendered: objects.length, reused: 0 });
    expect(fresh.listingPages).toEqual({ rendered: listingFiles.length, reused: 0 });
    const coldFiles = await siteFiles(cold);
    expect(coldFiles.size).toBeGreaterThan(objects.length);
    expect(differing(after, coldFiles)).toEqual([]);
  }, 600_000);
});

describe('pages planned from the catalogue data step’s digests', () => {
  it('a rebuild planned from them equals a cold build planned from a parse of the catalogue', async () => {
    const warm = await fixture();
    const log = memoryLogger();
    await build(warm, { listingPageSize: null, log });
    const keyedFrom = (l: typeof log) =>
      l.lines.filter((x) => x.message.startsWith('Planning the pages')).map((x) => x.message);
    expect(keyedFrom(log)).toEqual([expect.stringContaining("keyed from the catalogue data step's digests")]);
    const target = objects[3]!;
    const to = labels.find((l) => l !== target.label)!;
    await relabel(warm, target.id, to);
    const again = memoryLogger();
    const second = await build(warm, { listingPageSize: null, log: again });
    expect(keyedFrom(again)).toEqual([expect.stringContaining("keyed from the catalogue data step's digests")]);
    expect(second.objectPages.rendered).toBeGreaterThanOrEqual(1);
    expect(second.objectPages.rendered).toBeLessThan(objects.length);

    const cold = await fixture();
    await relabel(cold, target.id, to);
    const parsed = memoryLogger();
    await build(cold, { listingPageSize: null, withoutDigests: true, log: parsed });
    expect(keyedFrom(parsed)).toEqual([expect.stringContaining('keyed from the catalogue, parsed')]);
    expect(differing(await siteFiles(warm), await siteFiles(cold))).toEqual([]);
  }, 600_000);
});

describe('the site updated in place', () => {
  it('drops the files of objects that left and listing pages no longer there; a failed build leaves the site', async () => {
    const warm = await fixture();
    await build(warm);
    // 14 objects, 4 cards a page: the list of all objects has 4 pages.
    expect(await stat(path.join(warm, '.vitrine', 'site', 'all', '4', 'index.html')).catch(() => null)).not.toBeNull();
    const ws = workspace(warm);
    const datasetFile = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(datasetFile, 'utf8')) as { objects: { id: string }[] };
    const catalogueFile = path.join(ws.catalogue, 'catalogue.json');
    type Objects = { objects: { id: string; slug: string; images: { webp: string }[] }[] };
    const leaving = (JSON.parse(await readFile(catalogueFile, 'utf8')) as Objects).objects.find(
      (o) => o.id === dataset.objects[2]!.id,
    )!;
    dataset.objects.splice(2, 2);
    await writeFile(datasetFile, JSON.stringify(dataset));
    const second = await build(warm);
    const site = ws.site;
    // 12 objects: 3 pages, each showing another page count (and the later ones other cards).
    expect(await stat(path.join(site, 'all', '4')).catch(() => null)).toBeNull();
    expect(second.listingPages.rendered).toBeGreaterThanOrEqual(3);
    // Its address keeps a page saying it left (printed labels and QR codes point there), with none of its files.
    const left = await readFile(path.join(site, 'objects', leaving.slug, 'index.html'), 'utf8');
    expect(left).toContain('This object is no longer in the online catalogue');
    expect(await stat(path.join(site, leaving.images[0]!.webp)).catch(() => null)).toBeNull();
    const after = await siteFiles(warm);
    expect([...after.keys()].filter((f) => /\.tmp$/.test(f))).toEqual([]);

    // The same data built from nothing gives the same site, file for file: the data with the addresses kept (which
    // objects left the catalogue is in them).
    const cold = await fixture();
    await writeFile(path.join(cold, '.vitrine', 'dataset', 'dataset.json'), JSON.stringify(dataset));
    const addresses = path.join('.vitrine', 'cache', 'catalogue-slugs.json');
    await mkdir(path.dirname(path.join(cold, addresses)), { recursive: true });
    await copyFile(path.join(warm, addresses), path.join(cold, addresses));
    await build(cold);
    expect(differing(after, await siteFiles(cold))).toEqual([]);

    // A build that fails (here Astro, on a catalogue it cannot read) leaves every file of the site as it was.
    const catalogue = JSON.parse(await readFile(catalogueFile, 'utf8')) as Objects;
    (catalogue.objects[0] as unknown as Record<string, unknown>).extra = 'not a table';
    await writeFile(catalogueFile, JSON.stringify(catalogue));
    const params = defaultParams();
    params.collection.repository = 'example-museum/collection';
    params.catalogue.base = '/collection/';
    await expect(buildSite({ ws, params, log: memoryLogger() })).rejects.toMatchObject({ code: 'SITE_BUILD_FAILED' });
    expect(differing(after, await siteFiles(warm))).toEqual([]);
  }, 600_000);
});

describe('catalogue files kept between builds', () => {
  it('keeps deep-zoom tiles and thumbnail links, and drops those of objects that left', async () => {
    const dir = await fixture();
    const ws = workspace(dir);
    const params = defaultParams();
    // One object's original is large enough for deep zoom (1,500 px by default).
    const dataset = JSON.parse(await readFile(path.join(ws.dataset, 'dataset.json'), 'utf8')) as {
      objects: { id: string; image: string; width: number; height: number }[];
    };
    const big = dataset.objects[0]!;
    await mkdir(path.join(ws.data, 'images'), { recursive: true });
    const made = await sharp(objects[0]!.image!)
      .rotate()
      .resize({ width: 1600 })
      .jpeg()
      .toFile(path.join(ws.data, big.image));
    Object.assign(big, { width: made.width, height: made.height });
    await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify(dataset));

    const first = await buildCatalogueData({ ws, params, log: memoryLogger(), clock });
    const slug = first.catalogue.objects[0]!.slug;
    const info = path.join(ws.catalogue, 'public', 'iiif', slug, 'info.json');
    const thumb = path.join(ws.catalogue, 'public', first.catalogue.objects[1]!.images[0]!.webp);
    const before = { info: (await stat(info)).ino, thumb: (await stat(thumb)).ino };

    // A crash while a manifest was written left its temporary file in the kept folder (and the build's
    // mark that IIIF files were being written: see test/catalogue/iiif-prune.test.ts).
    const leftover = path.join(path.dirname(info), 'manifest.json.0123456789ab.tmp');
    await writeFile(leftover, '{"half": ');
    await writeFile(path.join(ws.catalogue, 'iiif-unfinished'), '');
    const log = memoryLogger();
    await buildCatalogueData({ ws, params, log, clock });
    expect(await stat(leftover).catch(() => null)).toBeNull();
    expect(log.lines.some((l) => /deep-zoom tiles/.test(l.message))).toBe(false);
    expect((await stat(info)).ino).toBe(before.info);
    expect((await stat(thumb)).ino).toBe(before.thumb);

    // The object with the big picture leaves the collection: its tiles and thumbnails go with it.
    const gone = dataset.objects.shift()!;
    await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify(dataset));
    const third = await buildCatalogueData({ ws, params, log: memoryLogger(), clock });
    expect(third.catalogue.objects.some((o) => o.id === gone.id)).toBe(false);
    expect(await stat(path.join(ws.catalogue, 'public', 'iiif', slug)).catch(() => null)).toBeNull();
    const media = await readdir(path.join(ws.catalogue, 'public', 'media'), { recursive: true });
    const expected = third.catalogue.objects.flatMap((o) => o.images.flatMap((i) => [i.webp, i.jpeg]));
    expect(media.filter((f) => /\.(webp|jpg)$/.test(f)).length).toBe(
      new Set(expected.filter((f) => f.startsWith('media/'))).size,
    );
  }, 300_000);
});

describe('two builds in one workspace', () => {
  it('take turns: a build touches nothing while another holds the workspace', async () => {
    const dir = await fixture();
    const ws = workspace(dir);
    const params = defaultParams();
    await buildCatalogueData({ ws, params, log: memoryLogger(), clock });
    // Another build of this workspace (this process) is placing its pages.
    const lock = path.join(ws.catalogue, 'site-build.lock');
    await writeFile(lock, `${process.pid}\n${os.hostname()}\n`);
    await mkdir(ws.site, { recursive: true });
    await writeFile(path.join(ws.site, 'index.html'), 'the other build');
    const log = memoryLogger();
    let done = false;
    const second = buildSite({ ws, params, log }).finally(() => {
      done = true;
    });
    second.catch(() => {});
    while (!done && !log.lines.some((l) => l.message.includes(lock))) await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    expect(await readFile(path.join(ws.site, 'index.html'), 'utf8')).toBe('the other build');
    expect(await stat(path.join(ws.catalogue, 'astro-public')).catch(() => null)).toBeNull();
    await rm(lock);
    const built = await second;
    expect(built.objectPages).toEqual({ rendered: objects.length, reused: 0 });
    expect(await stat(lock).catch(() => null)).toBeNull();
  }, 300_000);
});

describe('two repositories built at once', () => {
  const builds = path.join(siteSourceDir(), '.astro', 'builds');
  /**
   * Every file under the site sources (site/, with its .astro/), by path: its size and when it last changed. Not the
   * folders of Astro runs (.astro/builds/): other test files build at the same time.
   */
  async function sources(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const e of await readdir(siteSourceDir(), { withFileTypes: true, recursive: true }))
      if (e.isFile() && path.relative(builds, e.parentPath).startsWith('..')) {
        const file = path.join(e.parentPath, e.name);
        const info = await stat(file);
        out.set(path.relative(siteSourceDir(), file), `${info.size} ${info.mtimeMs}`);
      }
    return out;
  }

  it('each gets its own site, neither waits for the other, and they leave the site sources as they were', async () => {
    const dirs = [await fixture(), await fixture()];
    // The folder of a build killed two days ago: the next build removes it.
    const killed = path.join(builds, 'killed-build');
    await mkdir(killed, { recursive: true });
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    await utimes(killed, twoDaysAgo, twoDaysAgo);
    const before = await sources();
    const bases = ['/first-museum/', '/second-museum/'];
    // Each build in a process of its own, as two `vitrine run catalogue` in two repositories (Pagefind's Node API
    // runs one indexer a process).
    const pids: number[] = [];
    const sites = await Promise.all(
      dirs.map(async (dir, i) => {
        const child = spawn(process.execPath, [path.join(import.meta.dirname, 'build-apart.ts'), dir, bases[i]!], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        pids.push(child.pid!);
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect(code, err).toBe(0);
        return JSON.parse(out) as { objectPages: SiteBuild['objectPages']; lines: string[] };
      }),
    );
    for (const [i, built] of sites.entries()) {
      expect(built.objectPages).toEqual({ rendered: objects.length, reused: 0 });
      const home = await readFile(path.join(dirs[i]!, '.vitrine', 'site', 'index.html'), 'utf8');
      expect(home).toContain(`href="${bases[i]}browse/"`);
      expect(home).not.toContain(bases[1 - i]!);
      expect(built.lines.filter((l) => /^Another /.test(l))).toEqual([]);
    }
    expect(await sources()).toEqual(before);
    // Astro staged each build in a folder of its own there (named by the build's process), removed after it.
    const left = await readdir(builds);
    for (const pid of pids) expect(left.filter((f) => f.startsWith(`${pid}-`))).toEqual([]);
    expect(await stat(killed).catch(() => null)).toBeNull();
  }, 300_000);
});
