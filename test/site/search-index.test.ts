import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexSite, namedFiles, readPagefindMeta } from '../../pipeline/catalogue/search-index.ts';
import { VitrineError } from '../../pipeline/errors.ts';

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

describe('the search index kept between builds', () => {
  it('gives the same index as a fresh build after a label change and a removed object, with no stale file', async () => {
    const site = path.join(dir, 'site');
    const keep = path.join(dir, 'keep');
    const before = objects(40);
    await writeSite(site, before);
    expect(await indexSite({ outDir: site, keep })).toBe(40);
    const first = await files(path.join(site, 'pagefind'));
    // The kept copy holds the content-named files of the index, linked.
    const kept = await files(keep);
    for (const [f, bytes] of kept) expect(first.get(f)).toBe(bytes);
    expect([...kept.keys()].filter((f) => f.startsWith('fragment'))).toHaveLength(40);

    // One label changed, one object gone.
    const after = before
      .filter((o) => o.slug !== 'obj-7')
      .map((o) => (o.slug === 'obj-3' ? { ...o, label: 'Statuary' } : o));
    await writeSite(site, after);
    expect(await indexSite({ outDir: site, keep })).toBe(39);
    const rebuilt = await files(path.join(site, 'pagefind'));

    const fresh = path.join(dir, 'fresh');
    await writeSite(fresh, after);
    await indexSite({ outDir: fresh });
    expect(rebuilt).toEqual(await files(path.join(fresh, 'pagefind')));

    // Unchanged fragments were not written again: the file is the one kept from the first build.
    const unchanged = [...rebuilt.keys()].filter((f) => f.startsWith('fragment') && first.has(f));
    expect(unchanged.length).toBeGreaterThanOrEqual(37);
    for (const f of unchanged.slice(0, 5))
      expect((await stat(path.join(site, 'pagefind', f))).ino).toBe((await stat(path.join(keep, f))).ino);
    // The kept copy now holds exactly the new index's content-named files.
    const named = await namedFiles(path.join(site, 'pagefind'));
    expect(new Set((await files(keep)).keys())).toEqual(named);
    expect([...named].filter((f) => f.startsWith('fragment'))).toHaveLength(39);
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
