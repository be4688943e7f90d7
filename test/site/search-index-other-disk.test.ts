import { existsSync, statSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexSite, readPartsManifest } from '../../pipeline/catalogue/search-index.ts';

/*
 * Tester: `.vitrine/site` a link to a folder on another disk. The catalogue build failed "Search index could not be
 * built: EXDEV: cross-device link not permitted, rename …/.vitrine/catalogue/search-index-work/parts.json ->
 * …/.vitrine/site/pagefind/parts.json": the index is assembled in a work folder beside the site’s link, not beside
 * the folder it points to, and a rename cannot cross file systems. /dev/shm is a tmpfs here, another file system than
 * the temp folder: the site goes there, the work folder and the cache stay in the temp folder, as a build has them.
 */

const SHM = '/dev/shm';
let dir: string;
let away: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-index-other-disk-'));
  if (existsSync(SHM)) away = await mkdtemp(path.join(SHM, 'vitrine-site-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  if (away) await rm(away, { recursive: true, force: true });
});

const page = (slug: string, word: string) => `<!doctype html><html lang="en"><head><title>${slug}</title></head><body>
<article data-pagefind-body><h1 data-pagefind-meta="title">${slug}</h1><p>A ${word} from the collection.</p></article>
</body></html>`;

async function writePages(site: string, slugs: string[], word: string): Promise<void> {
  for (const slug of slugs) {
    await mkdir(path.join(site, 'objects', slug), { recursive: true });
    await writeFile(path.join(site, 'objects', slug, 'index.html'), page(slug, word));
  }
}

/** /dev/shm on another file system than the temp folder (on Linux it is a tmpfs). */
const differentDisks = existsSync(SHM) && statSync(SHM).dev !== statSync(os.tmpdir()).dev;

describe.runIf(differentDisks)('the search index of a site whose folder is a link to another disk', () => {
  it('is built, in parts and again, into the folder the link points to; the link stays a link', async () => {
    const vitrine = path.join(dir, '.vitrine');
    const site = path.join(vitrine, 'site');
    await mkdir(vitrine, { recursive: true });
    await symlink(away, site);
    const slugs = Array.from({ length: 6 }, (_, i) => `obj-${i}`);
    await writePages(site, slugs, 'bowl');
    const options = {
      outDir: site,
      workDir: path.join(vitrine, 'catalogue', 'search-index-work'),
      cacheDir: path.join(vitrine, 'cache', 'search'),
      partPages: 2,
    };
    const pages = slugs.map((slug) => ({ slug, key: `k1-${slug}` }));
    expect(await indexSite({ ...options, pages })).toBe(6);
    expect((await lstat(site)).isSymbolicLink()).toBe(true);
    expect((await readPartsManifest(path.join(away, 'pagefind')))?.parts).toHaveLength(3);
    // Again with one page changed: a part is placed into the index that is there.
    await writePages(site, ['obj-0'], 'amulet');
    expect(await indexSite({ ...options, pages: pages.map((p, i) => (i === 0 ? { ...p, key: 'k2' } : p)) })).toBe(6);
    expect((await readPartsManifest(path.join(away, 'pagefind')))?.parts).toHaveLength(3);
    // Nothing of the work is left in the site, where a publish would send it.
    const left = (await readdir(away, { recursive: true })).filter((f) => /\.tmp$|search-index-work/.test(f));
    expect(left).toEqual([]);
  }, 300_000);
});
