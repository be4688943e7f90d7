import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { indexSite, namedFiles, readPagefindMeta, searchablePart } from '../../pipeline/catalogue/search-index.ts';
import { VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * The search index kept between builds: a rebuild that links the last index in and lets Pagefind
 * write only what changed must give exactly the index a fresh build gives, and keep no file the new
 * index does not use. Object pages are written by hand here in the shape the site gives them
 * (searchable part, weights, metadata and filters), so Pagefind runs without Astro.
 */

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-search-index-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Obj {
  slug: string;
  title: string;
  label: string;
  department: string;
}

const page = (o: Obj) => `<!doctype html><html lang="en"><head><title>${o.title}</title></head><body>
<header data-pagefind-ignore>Museum</header>
<article data-pagefind-body>
  <h1 data-pagefind-meta="title" data-pagefind-weight="10">${o.title}</h1>
  <div hidden data-pagefind-ignore>
    <span data-pagefind-filter="department">${o.department}</span>
    <span data-pagefind-filter="type">${o.label}</span>
  </div>
  <p data-pagefind-weight="5">${o.label}</p>
  <p data-pagefind-ignore>Predicted by the model</p>
  <p>A ${o.label.toLowerCase()} from the ${o.department} collection.</p>
</article></body></html>`;

const objects = (n: number): Obj[] =>
  Array.from({ length: n }, (_, i) => ({
    slug: `obj-${i}`,
    title: `${['Painted', 'Carved', 'Woven'][i % 3]} ${['bowl', 'amulet', 'cloth', 'figure'][i % 4]} no. ${i}`,
    label: ['Pottery', 'Jewellery', 'Textiles'][i % 3]!,
    department: ['Egypt', 'Textiles'][i % 2]!,
  }));

async function writeSite(site: string, objs: Obj[]): Promise<void> {
  await rm(path.join(site, 'objects'), { recursive: true, force: true });
  for (const o of objs) {
    await mkdir(path.join(site, 'objects', o.slug), { recursive: true });
    await writeFile(path.join(site, 'objects', o.slug, 'index.html'), page(o));
  }
}

/** Every file of an index, by path, with its bytes. */
async function files(index: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(index, { withFileTypes: true, recursive: true }))
    if (e.isFile()) {
      const file = path.join(e.parentPath, e.name);
      out.set(path.relative(index, file), (await readFile(file)).toString('base64'));
    }
  return out;
}

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');

describe('the searchable part of each object page', () => {
  it('gives Pagefind exactly the index of the whole pages, and is made again only for pages whose key changed', async () => {
    // The site's own object pages: with and without a photograph, a maker or a date.
    const root = path.join(dir, 'real');
    const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const picked = rows.filter((_, i) => i % 9 === 0).slice(0, 12);
    const objects: FixtureObject[] = picked.map((r, i) => ({
      id: r.id!,
      title: r.title!,
      maker: i % 4 === 0 ? '' : r.artist || 'Unknown maker',
      date: i % 5 === 0 ? '' : r.date,
      department: r.museum,
      medium: r.medium,
      rights: r.license,
      description: i % 3 === 0 ? 'A <b>bold</b> claim & a "quoted" word > that one' : undefined,
      label: i % 6 === 0 ? null : r.label!,
      image: i % 4 === 1 ? null : path.join(shared, r.file!),
    }));
    await writeFixture({ root, objects, labels: [...new Set(picked.map((r) => r.label!))].sort(), embeddingSize: 32 });
    const ws = workspace(root);
    const params = defaultParams();
    params.catalogue.base = '/collection/';
    await buildCatalogueData({ ws, params, log: memoryLogger() });
    await buildSite({ ws, params, log: memoryLogger() });
    const site = ws.site;
    const slugs = (await readdir(path.join(site, 'objects'), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(slugs).toHaveLength(12);
    const index = path.join(site, 'pagefind');

    await indexSite({ outDir: site });
    const whole = await files(index);
    const cacheDir = path.join(dir, 'real-cache');
    const pages = slugs.map((slug) => ({ slug, key: `k1-${slug}` }));
    expect(await indexSite({ outDir: site, cacheDir, pages })).toBe(slugs.length);
    expect(await files(index)).toEqual(whole);
    const part = (slug: string) => path.join(cacheDir, 'pages', 'objects', slug, 'index.html');
    for (const slug of slugs) {
      const full = await readFile(path.join(site, 'objects', slug, 'index.html'), 'utf8');
      expect((await readFile(part(slug), 'utf8')).length).toBeLessThan(full.length / 3);
    }

    // Same keys: the parts are not made again (a part changed by hand stays, so it must not be read).
    const [a, b] = slugs as [string, string];
    const before = (await stat(part(b))).mtimeMs;
    await writeFile(part(a), (await readFile(part(a), 'utf8')).replace('</h1>', ' Zanzibar</h1>'));
    await indexSite({ outDir: site, cacheDir, pages });
    expect((await stat(part(b))).mtimeMs).toBe(before);
    expect(await readFile(part(a), 'utf8')).toContain('Zanzibar');
    // A new key makes that part again from the page; an object that left loses its part.
    await indexSite({ outDir: site, cacheDir, pages: pages.map((p) => (p.slug === a ? { slug: a, key: 'k2' } : p)) });
    expect(await readFile(part(a), 'utf8')).not.toContain('Zanzibar');
    expect(await files(index)).toEqual(whole);
    await rm(path.join(site, 'objects', b), { recursive: true });
    expect(await indexSite({ outDir: site, cacheDir, pages: pages.filter((p) => p.slug !== b) })).toBe(
      slugs.length - 1,
    );
    expect(await stat(part(b)).catch(() => null)).toBeNull();
  }, 300_000);

  it('a build stopped half-way makes every part again', async () => {
    const site = path.join(dir, 'stopped');
    const objs = objects(6);
    await writeSite(site, objs);
    const cacheDir = path.join(dir, 'stopped-cache');
    const pages = objs.map((o) => ({ slug: o.slug, key: o.title }));
    await indexSite({ outDir: site, cacheDir, pages });
    const fresh = await files(path.join(site, 'pagefind'));
    // Stopped after a part was rewritten, before the keys were written again.
    const part = path.join(cacheDir, 'pages', 'objects', 'obj-2', 'index.html');
    await writeFile(part, '<html lang="en"><body><article data-pagefind-body>half</article></body></html>');
    await rm(path.join(cacheDir, 'pages', 'pages.json'));
    await indexSite({ outDir: site, cacheDir, pages });
    expect(await readFile(part, 'utf8')).toBe(searchablePart(page(objs[2]!)));
    expect(await files(path.join(site, 'pagefind'))).toEqual(fresh);
  }, 60_000);

  it('keeps what Pagefind reads inside ignored elements, and quoted ">" in attributes', () => {
    const html = `<!doctype html><html lang="fr"><head><title>T</title><style>a>b{}</style></head><body>
<nav>Menu</nav><main data-pagefind-body><h1 title="a > b">Vase</h1>
<div data-pagefind-ignore><p>Dropped words</p><span data-pagefind-filter="type">Vessel</span>
<section><h2 id="more">More</h2><img src="x.jpg" alt="x"></section></div><br><p>Kept words</p></main>
<footer>Foot</footer></body></html>`;
    const part = searchablePart(html);
    expect(part).toContain('<html lang="fr">');
    expect(part).toContain('<title>T</title>');
    expect(part).toContain('<h1 title="a > b">Vase</h1>');
    expect(part).toContain('<span data-pagefind-filter="type">Vessel</span>');
    expect(part).toContain('<h2 id="more">More</h2><img src="x.jpg" alt="x">');
    expect(part).toContain('<br><p>Kept words</p></main>');
    for (const gone of ['Dropped words', 'Menu', 'Foot', 'a>b{}']) expect(part).not.toContain(gone);
    expect(searchablePart('<html><body><p>No body marked</p></body></html>')).toBe(
      '<html><body><p>No body marked</p></body></html>',
    );
  });
});

describe('the search index kept between builds', () => {
  it('gives the same index as a fresh build after a label change and a removed object, with no stale file', async () => {
    const site = path.join(dir, 'site');
    const cacheDir = path.join(dir, 'cache');
    const keep = path.join(cacheDir, 'index');
    const keyed = (objs: Obj[]) => objs.map((o) => ({ slug: o.slug, key: `${o.title}|${o.label}|${o.department}` }));
    const before = objects(40);
    await writeSite(site, before);
    expect(await indexSite({ outDir: site, cacheDir, pages: keyed(before) })).toBe(40);
    const first = await files(path.join(site, 'pagefind'));
    // The kept copy holds the result files of the index, linked, and which object each is for.
    const kept = await files(keep);
    for (const [f, bytes] of kept) if (f.startsWith('fragment')) expect(first.get(f)).toBe(bytes);
    expect([...kept.keys()].filter((f) => f.startsWith('fragment'))).toHaveLength(40);
    expect(Object.values(JSON.parse(await readFile(path.join(keep, 'results.json'), 'utf8')))).toContain('obj-7');

    // One label changed, one object gone.
    const after = before
      .filter((o) => o.slug !== 'obj-7')
      .map((o) => (o.slug === 'obj-3' ? { ...o, label: 'Statuary' } : o));
    await writeSite(site, after);
    expect(await indexSite({ outDir: site, cacheDir, pages: keyed(after) })).toBe(39);
    const rebuilt = await files(path.join(site, 'pagefind'));

    const fresh = path.join(dir, 'fresh');
    await writeSite(fresh, after);
    await indexSite({ outDir: fresh });
    expect(rebuilt).toEqual(await files(path.join(fresh, 'pagefind')));

    // Unchanged results were not written again: the file is the one kept from the first build.
    const unchanged = [...rebuilt.keys()].filter((f) => f.startsWith('fragment') && first.has(f));
    expect(unchanged.length).toBeGreaterThanOrEqual(37);
    for (const f of unchanged)
      expect((await stat(path.join(site, 'pagefind', f))).ino).toBe((await stat(path.join(keep, f))).ino);
    // The kept copy now holds exactly the new index's result files.
    const named = [...(await namedFiles(path.join(site, 'pagefind')))].filter((f) => f.startsWith('fragment'));
    const keptNow = [...(await files(keep)).keys()].filter((f) => f.startsWith('fragment'));
    expect(new Set(keptNow)).toEqual(new Set(named));
    expect(named).toHaveLength(39);
  }, 120_000);

  it('reads the pages, word chunks and filters a metadata file names', async () => {
    const site = path.join(dir, 'meta');
    await writeSite(site, objects(12));
    await indexSite({ outDir: site });
    const index = path.join(site, 'pagefind');
    const entry = JSON.parse(await readFile(path.join(index, 'pagefind-entry.json'), 'utf8'));
    const file = `pagefind.${entry.languages.en.hash}.pf_meta`;
    const meta = readPagefindMeta(await readFile(path.join(index, file)), file);
    expect(meta.version).toBe(entry.version);
    expect(meta.pages).toHaveLength(12);
    expect(meta.filters).toHaveLength(2);
    const onDisk = async (folder: string) =>
      (await readdir(path.join(index, folder))).map((f) => f.split('.')[0]).sort();
    expect(meta.pages.map((p) => p.hash).sort()).toEqual(await onDisk('fragment'));
    expect([...meta.chunks].sort()).toEqual(await onDisk('index'));
    expect([...meta.filters].sort()).toEqual(await onDisk('filter'));
    for (const p of meta.pages) expect(p.words).toBeGreaterThan(5);
  }, 60_000);

  it('names the file when a metadata file is not Pagefind’s', () => {
    const read = (bytes: Buffer) => () => readPagefindMeta(bytes, 'pagefind.en_x.pf_meta');
    for (const bad of [Buffer.from('plain'), gzipSync('pagefind_dcd\xff'), gzipSync('something else')]) {
      expect(read(bad)).toThrow(VitrineError);
      expect(read(bad)).toThrow(/pagefind\.en_x\.pf_meta is not a Pagefind 1\.x metadata file/);
    }
  });
});

describe('the kept index, against its own pitfalls (found by review)', () => {
  const plain = (title: string) =>
    `<!doctype html><html lang="en"><head><title>${title}</title></head><body><article data-pagefind-body>` +
    `<h1 data-pagefind-meta="title">${title}</h1><p>${title} text</p></article></body></html>`;
  async function site(out: string, objs: [string, string][]) {
    await rm(path.join(out, 'objects'), { recursive: true, force: true });
    for (const [slug, title] of objs) {
      await mkdir(path.join(out, 'objects', slug), { recursive: true });
      await writeFile(path.join(out, 'objects', slug, 'index.html'), plain(title));
    }
  }
  /** Each result file's JSON (what Pagefind hashes for its name), by file name. */
  async function resultJson(index: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const f of await readdir(path.join(index, 'fragment'))) {
      const bytes = gunzipSync(await readFile(path.join(index, 'fragment', f)));
      out.set(f, bytes.toString().slice('pagefind_dcd'.length));
    }
    return out;
  }
  /** Each result file's page address and title, by file name. */
  async function results(index: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [f, json] of await resultJson(index)) {
      const { url, meta } = JSON.parse(json) as { url: string; meta: { title: string } };
      out[f] = `${url} ${meta.title}`;
    }
    return out;
  }
  /** Pagefind's name hash: SHA-1, each byte in hex without padding. */
  const pagefindHash = (s: string) => [...createHash('sha1').update(s).digest()].map((b) => b.toString(16)).join('');

  it("never serves an old page's result under a name the new index gives another page", async () => {
    // Two titles whose result files share the first 7 hex digits of their names (a birthday search over
    // the pages' result JSON, which Pagefind hashes): the first page gets 7 digits, the second 8.
    const probe = path.join(dir, 'clash-probe');
    await site(probe, [
      ['a', 'Bowl QQQQQQ'],
      ['b', 'Bowl QQQQQQ'],
    ]);
    await indexSite({ outDir: probe });
    const template: Record<string, string> = {};
    for (const json of (await resultJson(path.join(probe, 'pagefind'))).values())
      template[(JSON.parse(json) as { url: string }).url.includes('/a/') ? 'a' : 'b'] = json;
    const word = (i: number) => `q${i.toString(36).padStart(5, '0')}`;
    const seen = new Map<string, string>();
    for (let i = 0; i < 200_000; i++)
      seen.set(pagefindHash(template.a!.replaceAll('QQQQQQ', word(i))).slice(0, 7), word(i));
    let pair: [string, string] | null = null;
    for (let j = 0; j < 400_000 && !pair; j++) {
      const clash = seen.get(pagefindHash(template.b!.replaceAll('QQQQQQ', word(j))).slice(0, 7));
      if (clash) pair = [clash, word(j)];
    }
    expect(pair).not.toBeNull();
    const out = path.join(dir, 'clash-site');
    const cacheDir = path.join(dir, 'clash-cache');
    await site(out, [
      ['a', `Bowl ${pair![0]}`],
      ['b', `Bowl ${pair![1]}`],
    ]);
    await indexSite({
      outDir: out,
      cacheDir,
      pages: [
        { slug: 'a', key: 'a1' },
        { slug: 'b', key: 'b1' },
      ],
    });
    // b's title changes, so the clash is gone: whichever page had 8 digits now gets the 7-digit name,
    // and the file kept under that name holds the other page's old result.
    await site(out, [
      ['a', `Bowl ${pair![0]}`],
      ['b', 'Bowl renamed'],
    ]);
    await indexSite({
      outDir: out,
      cacheDir,
      pages: [
        { slug: 'a', key: 'a1' },
        { slug: 'b', key: 'b2' },
      ],
    });
    const clean = path.join(dir, 'clash-clean');
    await site(clean, [
      ['a', `Bowl ${pair![0]}`],
      ['b', 'Bowl renamed'],
    ]);
    await indexSite({ outDir: clean });
    expect(await results(path.join(out, 'pagefind'))).toEqual(await results(path.join(clean, 'pagefind')));
    expect(await files(path.join(out, 'pagefind'))).toEqual(await files(path.join(clean, 'pagefind')));
    // The kept copy holds the right file too, so the next build does not link the old one back.
    expect(await results(path.join(cacheDir, 'index'))).toEqual(await results(path.join(clean, 'pagefind')));
  });

  it('trusts no kept result after a build that stopped once the pages had moved on (found by review)', async () => {
    const out = path.join(dir, 'stopped-site');
    const cacheDir = path.join(dir, 'stopped-cache');
    const results = path.join(cacheDir, 'index', 'results.json');
    await site(out, [
      ['a', 'a bowl'],
      ['b', 'b bowl'],
    ]);
    await indexSite({
      outDir: out,
      cacheDir,
      pages: [
        { slug: 'a', key: 'a1' },
        { slug: 'b', key: 'b1' },
      ],
    });
    expect(existsSync(results)).toBe(true);
    // a changes; the build stops after the searchable parts took the new key (here: Pagefind counts
    // one page fewer than listed). The old map must not survive to file a's old result under a2.
    await site(out, [
      ['a', 'a changed'],
      ['b', 'b bowl'],
    ]);
    const listed = [
      { slug: 'a', key: 'a2' },
      { slug: 'b', key: 'b1' },
      { slug: 'b', key: 'b1' },
    ];
    await expect(indexSite({ outDir: out, cacheDir, pages: listed })).rejects.toMatchObject({
      code: 'SITE_INDEX_FAILED',
    });
    expect(existsSync(results)).toBe(false);
  });

  it('makes a kept searchable part again when it went missing, instead of failing every later build', async () => {
    const out = path.join(dir, 'lost-part-site');
    const cacheDir = path.join(dir, 'lost-part-cache');
    await site(out, [
      ['a', 'a bowl'],
      ['b', 'b bowl'],
    ]);
    const pages = [
      { slug: 'a', key: 'ka' },
      { slug: 'b', key: 'kb' },
    ];
    expect(await indexSite({ outDir: out, cacheDir, pages })).toBe(2);
    const inodes = async () => {
      const folder = path.join(out, 'pagefind', 'fragment');
      const names = (await readdir(folder)).sort();
      return Promise.all(names.map(async (n) => `${n} ${(await stat(path.join(folder, n))).ino}`));
    };
    // Nothing changed: every result file is the kept one, linked, not written again.
    const before = await inodes();
    expect(await indexSite({ outDir: out, cacheDir, pages })).toBe(2);
    expect(await inodes()).toEqual(before);
    // One kept part lost (a disk clean-up, a cache restored in part).
    await rm(path.join(cacheDir, 'pages', 'objects', 'b'), { recursive: true });
    expect(await indexSite({ outDir: out, cacheDir, pages })).toBe(2);
  });
});
