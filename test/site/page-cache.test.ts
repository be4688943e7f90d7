import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheRenderedPages, placeSite } from '../../pipeline/catalogue/place.ts';
import { linkTree, planObjectPages, siteFingerprint } from '../../pipeline/catalogue/plan.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import type { Stage } from '../../pipeline/stages/stage.ts';

/*
 * The object-page cache (.vitrine/cache/pages/<key>.html) heals: a page just rendered replaces the
 * entry of its key whatever it held, and an entry that is not the file on record (records.json: its size,
 * time and content hash when stored) is rendered again: cut short, or changed anywhere at the same size.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tmp(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-page-cache-'));
  dirs.push(dir);
  return dir;
}

const page = (title: string) => `<!DOCTYPE html><html><head><title>${title}</title></head><body></body></html>`;

describe('the object-page cache', () => {
  it('replaces the entry of a page rendered again, and leaves no temporary file', async () => {
    const dir = await tmp();
    const stageDir = path.join(dir, 'astro-out');
    const siteDir = path.join(dir, 'site');
    const cacheDir = path.join(dir, 'pages');
    await mkdir(path.join(stageDir, 'objects', 'vase'), { recursive: true });
    await mkdir(cacheDir, { recursive: true });
    await writeFile(path.join(stageDir, 'objects', 'vase', 'index.html'), page('Vase'));
    // A bad entry under the same key (a half-written copy, or an older renderer's output).
    await writeFile(path.join(cacheDir, 'k1.html'), '<!DOCTYPE html><html><head><tit');
    const pages = [{ slug: 'vase', key: 'k1', render: true }];
    await placeSite({ siteDir, stageDir, cacheDir, pages, publicDir: path.join(dir, 'public'), folders: [] });
    expect(await readFile(path.join(cacheDir, 'k1.html'), 'utf8')).toBe(page('Vase'));
    // And its record (records.json): the entry as stored, which later builds check it against.
    expect((await readdir(cacheDir)).sort()).toEqual(['k1.html', 'records.json']);
    expect(await readFile(path.join(siteDir, 'objects', 'vase', 'index.html'), 'utf8')).toBe(page('Vase'));
    expect(await readdir(path.join(siteDir, 'objects', 'vase'))).toEqual(['index.html']);
  });

  it('renders again a page whose kept entry is cut short', async () => {
    const dir = await tmp();
    const cacheDir = path.join(dir, 'pages');
    await mkdir(cacheDir, { recursive: true });
    const file = path.join(dir, 'catalogue.json');
    await writeFile(file, JSON.stringify(catalogueOf(['vase', 'bowl'])));
    const options = { file, cacheDir, planDir: path.join(dir, 'render'), chunkSize: 10, fingerprint: 'f' };
    const first = await planObjectPages({ ...options, reuse: true });
    expect(first.pages.map((p) => p.render)).toEqual([true, true]);
    // Listing pages too: the list of all objects, and the review queue (empty: one page saying so).
    expect(first.listings.map((l) => [l.file, l.render])).toEqual([
      ['all/index.html', true],
      ['review/index.html', true],
    ]);
    // Rendered (as Astro would) and stored; then two entries are cut short, as a copy interrupted would leave them.
    const stageDir = path.join(dir, 'astro-out');
    const files = [
      ...first.pages.map((p) => path.join('objects', p.slug, 'index.html')),
      ...first.listings.map((l) => l.file),
    ];
    for (const f of files) {
      await mkdir(path.dirname(path.join(stageDir, f)), { recursive: true });
      await writeFile(path.join(stageDir, f), page(f));
    }
    await cacheRenderedPages({ stageDir, cacheDir, pages: first.pages, listings: first.listings });
    const [, bowl] = first.pages;
    const [, review] = first.listings;
    await writeFile(path.join(cacheDir, `${bowl!.key}.html`), '<!DOCTYPE html><html><head><tit');
    await writeFile(path.join(cacheDir, `${review!.key}.html`), '<!DOCTYPE html><html><he');
    const second = await planObjectPages({ ...options, reuse: true });
    expect(second.pages.map((p) => [p.slug, p.render])).toEqual([
      ['vase', false],
      ['bowl', true],
    ]);
    expect(second.listings.map((l) => [l.file, l.render])).toEqual([
      ['all/index.html', false],
      ['review/index.html', true],
    ]);
    // reuse: false (vitrine run catalogue --force) renders every page.
    const forced = await planObjectPages({ ...options, reuse: false });
    expect(forced.pages.map((p) => p.render)).toEqual([true, true]);
    expect(forced.listings.map((l) => l.render)).toEqual([true, true]);
  });
});

describe('a kept page changed after it was stored', () => {
  /** Plan two object pages, "render" them (as Astro would, a while ago) and store them in the cache. */
  async function storedPages() {
    const dir = await tmp();
    const cacheDir = path.join(dir, 'pages');
    const stageDir = path.join(dir, 'astro-out');
    const file = path.join(dir, 'catalogue.json');
    await writeFile(file, JSON.stringify(catalogueOf(['vase', 'bowl'])));
    const options = { file, cacheDir, planDir: path.join(dir, 'render'), chunkSize: 10, fingerprint: 'f', reuse: true };
    const first = await planObjectPages(options);
    const longAgo = new Date(Date.now() - 3_600_000);
    for (const p of first.pages) {
      const staged = path.join(stageDir, 'objects', p.slug, 'index.html');
      await mkdir(path.dirname(staged), { recursive: true });
      await writeFile(staged, page(`The ${p.slug}, a long page ${'.'.repeat(200)} end`));
      await utimes(staged, longAgo, longAgo);
    }
    for (const l of first.listings) {
      const staged = path.join(stageDir, l.file);
      await mkdir(path.dirname(staged), { recursive: true });
      await writeFile(staged, page(l.file));
    }
    await cacheRenderedPages({ stageDir, cacheDir, pages: first.pages, listings: first.listings });
    const again = await planObjectPages(options);
    expect(again.pages.map((p) => p.render)).toEqual([false, false]);
    return {
      entry: (slug: string) => path.join(cacheDir, `${again.pages.find((p) => p.slug === slug)!.key}.html`),
      plan: () => planObjectPages(options),
    };
  }

  it('renders again a page whose entry changed in the middle, at the same size', async () => {
    const { entry, plan } = await storedPages();
    const before = await readFile(entry('vase'), 'utf8');
    // Written in place (the site's page is the same file, a hard link): its end and its size as they were.
    await writeFile(entry('vase'), before.replace('a long page', 'A LONG PAGE'));
    expect((await readFile(entry('vase'), 'utf8')).length).toBe(before.length);
    const after = await plan();
    expect(after.pages.map((p) => [p.slug, p.render])).toEqual([
      ['vase', true],
      ['bowl', false],
    ]);
  });

  it('keeps a page whose entry holds the same bytes under another time (a cache restored from an archive)', async () => {
    const { entry, plan } = await storedPages();
    const now = new Date();
    await utimes(entry('vase'), now, now);
    expect((await plan()).pages.map((p) => p.render)).toEqual([false, false]);
    // And still after that (the entry's new time is the one on record now).
    expect((await plan()).pages.map((p) => p.render)).toEqual([false, false]);
  });
});

/** As much of a catalogue as the page plan reads. */
function catalogueOf(slugs: string[]) {
  return {
    title: 'Test collection',
    collection: 'test',
    counts: { objects: slugs.length, byFamily: [] },
    models: [],
    reviewQueue: [],
    objects: slugs.map((slug) => ({
      id: slug,
      slug,
      title: slug,
      images: [],
      colours: [],
      similar: [],
      annotation: null,
      suggestUrl: null,
    })),
  };
}

describe('vitrine run --force', () => {
  it('tells the stages it forces, so the catalogue renders every object page again', async () => {
    const root = await tmp();
    const seen: (boolean | undefined)[] = [];
    const stage: Stage = {
      name: 'catalogue',
      summary: 'test',
      deps: { paths: [], params: [], stages: [] },
      outs: [],
      run: async (ctx) => {
        seen.push(ctx.forced);
        return { summary: 'built' };
      },
    };
    const ctx = { ws: workspace(root), params: defaultParams(), log: memoryLogger(), clock: systemClock, env: {} };
    await runStages({ ctx, stages: [stage], targets: ['catalogue'] });
    await runStages({ ctx, stages: [stage], targets: ['catalogue'], force: true });
    expect(seen).toEqual([false, true]);
  });
});

describe('the site fingerprint', () => {
  it('changes when a package Astro builds with is updated within its ranges', async () => {
    const root = await tmp();
    const siteDir = path.join(root, 'site');
    await mkdir(siteDir, { recursive: true });
    await writeFile(path.join(siteDir, 'astro.config.mjs'), 'export default {};\n');
    const install = async (name: string, version: string, dependencies: Record<string, string> = {}) => {
      await mkdir(path.join(root, 'node_modules', name), { recursive: true });
      await writeFile(path.join(root, 'node_modules', name, 'package.json'), JSON.stringify({ version, dependencies }));
    };
    await install('astro', '6.0.0', { vite: '^8.0.0', esbuild: '^0.28.0' });
    await install('vite', '8.0.13', { rolldown: '^1.0.0' });
    await install('esbuild', '0.28.0');
    await install('rolldown', '1.0.0');
    const fingerprint = () => siteFingerprint({ siteDir, base: '/', site: '', root });
    const before = await fingerprint();
    expect(await fingerprint()).toBe(before);
    await install('vite', '8.0.14', { rolldown: '^1.0.0' });
    const vite = await fingerprint();
    expect(vite).not.toBe(before);
    await install('esbuild', '0.28.1');
    const esbuild = await fingerprint();
    expect(esbuild).not.toBe(vite);
    // Vite's own dependencies count too.
    await install('rolldown', '1.0.1');
    expect(await fingerprint()).not.toBe(esbuild);
  });
});

describe('per-object files placed in the site', () => {
  it('leave out build markers and temporary files a crash left', async () => {
    const dir = await tmp();
    const from = path.join(dir, 'public', 'iiif');
    await mkdir(path.join(from, 'vase'), { recursive: true });
    for (const f of ['manifest.json', 'info.json', 'manifest.json.0123456789ab.tmp', '.vitrine-source'])
      await writeFile(path.join(from, 'vase', f), '{}');
    const to = path.join(dir, 'astro-public', 'iiif');
    await linkTree({ from, to });
    expect((await readdir(path.join(to, 'vase'))).sort()).toEqual(['info.json', 'manifest.json']);
    const siteDir = path.join(dir, 'site');
    const placed = { siteDir, stageDir: path.join(dir, 'astro-out'), cacheDir: path.join(dir, 'pages'), pages: [] };
    await placeSite({ ...placed, publicDir: path.join(dir, 'public'), folders: ['iiif'] });
    expect((await readdir(path.join(siteDir, 'iiif', 'vase'))).sort()).toEqual(['info.json', 'manifest.json']);
  });
});
