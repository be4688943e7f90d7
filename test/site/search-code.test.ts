import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  indexSite,
  type PagefindApi,
  readPartsManifest,
  searchablePart,
} from '../../pipeline/catalogue/search-index.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The search index's parts, and the searchable pages they are made from, are kept between builds by their pages'
 * keys. They were made again after an upgrade of Vitrine only when someone raised a version number by hand, so an
 * upgrade that changed how they are made (searchablePart, the compact metadata) and forgot to kept serving stale
 * ones. They are now keyed on the hash of the code that makes them (`searchCodeHash`), and kept while it is the same.
 */

const page = (slug: string, title: string) => `<!doctype html><html lang="en"><head><title>${title}</title></head>
<body><header data-pagefind-ignore>Museum</header>
<article data-pagefind-body><h1 data-pagefind-meta="title">${title}</h1>
<p data-pagefind-ignore>Predicted by the model</p><p>Object ${slug} of the collection.</p></article></body></html>`;

/** Pagefind's own API, counting the indexes it is asked to make. */
async function counted(): Promise<PagefindApi & { made: number }> {
  const real = await import('pagefind');
  const api = {
    made: 0,
    close: real.close,
    createIndex: async (options?: Parameters<typeof real.createIndex>[0]) => {
      api.made++;
      return real.createIndex(options);
    },
  };
  return api;
}

describe('the kept parts of the search index', () => {
  it('are made again, with their searchable pages, when the code that makes them changed, and kept while it is the same', async () => {
    const dir = await tempDir('vitrine-search-code-');
    const site = path.join(dir, 'site');
    const titles = ['Painted bowl', 'Carved amulet', 'Woven cloth', 'Bronze figure', 'Glass vase'];
    const slugs = titles.map((_, i) => `obj-${i}`);
    for (const [i, slug] of slugs.entries()) {
      await mkdir(path.join(site, 'objects', slug), { recursive: true });
      await writeFile(path.join(site, 'objects', slug, 'index.html'), page(slug, titles[i]!));
    }
    const pages = slugs.map((slug) => ({ slug, key: `key-${slug}` }));
    const cacheDir = path.join(dir, 'cache');
    const build = async (code: string) => {
      const api = await counted();
      // 2 pages a part: 3 parts.
      await indexSite({
        outDir: site,
        cacheDir,
        workDir: path.join(dir, 'work'),
        pages,
        partPages: 2,
        pagefind: api,
        code,
      });
      const manifest = await readPartsManifest(path.join(site, 'pagefind'));
      return { made: api.made, keys: manifest!.parts.map((p) => p.key) };
    };
    const kept = async (slug: string) => {
      for (const part of ['0', '1', '2']) {
        const file = path.join(cacheDir, 'pages', part, 'objects', slug, 'index.html');
        const text = await readFile(file, 'utf8').catch(() => null);
        if (text !== null) return { file, text };
      }
      throw new Error(`no searchable page of ${slug}`);
    };

    const first = await build('a'.repeat(64));
    expect(first.made).toBe(first.keys.length);
    expect(first.keys.length).toBeGreaterThanOrEqual(2);
    // A kept searchable page changed by hand stays while nothing says to make it again (so it is not read)…
    const { file } = await kept('obj-1');
    await writeFile(file, (await readFile(file, 'utf8')).replace('</h1>', ' Zanzibar</h1>'));
    // The same code and pages: nothing indexed again.
    expect(await build('a'.repeat(64))).toEqual({ made: 0, keys: first.keys });
    expect((await kept('obj-1')).text).toContain('Zanzibar');

    // An upgrade that changed how the parts are made: every part is indexed again, from searchable pages made again.
    const upgraded = await build('b'.repeat(64));
    expect(upgraded.made).toBe(first.keys.length);
    expect(upgraded.keys).toHaveLength(first.keys.length);
    for (const key of upgraded.keys) expect(first.keys).not.toContain(key);
    expect((await kept('obj-1')).text).toBe(searchablePart(page('obj-1', titles[1]!)));
    // The parts the last code made are gone from the cache.
    expect((await readdir(path.join(cacheDir, 'parts'))).sort()).toEqual([...upgraded.keys].sort());
    expect(await build('b'.repeat(64))).toEqual({ made: 0, keys: upgraded.keys });
  }, 120_000);
});
