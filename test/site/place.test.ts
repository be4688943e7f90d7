import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placeSite } from '../../pipeline/catalogue/place.ts';

/*
 * Updating the site folder in place (place.ts) on hand-made folders: what is kept as the same file,
 * what is replaced, what is deleted, and the odd shapes an older site can have.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

describe('placeSite', () => {
  it('keeps unchanged files, replaces changed ones, deletes the rest, and leaves the search index alone', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-place-'));
    dirs.push(dir);
    const [site, stage, cache, pub] = ['site', 'astro-out', 'pages', 'public'].map((d) => path.join(dir, d)) as [
      string,
      string,
      string,
      string,
    ];
    // The new build: Astro's output, one kept page in the cache, two thumbnails.
    await put(path.join(stage, 'index.html'), 'home');
    await put(path.join(stage, 'all', '2', 'index.html'), 'page 2');
    await put(path.join(stage, 'data', 'index.html'), 'new data page');
    await put(path.join(cache, 'k1.html'), '<html>vase</html>');
    await put(path.join(pub, 'media', 'vase.webp'), 'vase picture');
    await put(path.join(pub, 'media', 'bowl.webp'), 'bowl picture, new');
    // The last site: the same home page, an old data page, a listing page that went, a file where a
    // folder now goes, an old thumbnail, a temporary file a crash left, and the search index.
    await put(path.join(site, 'index.html'), 'home');
    await put(path.join(site, 'data', 'index.html'), 'old data page');
    await put(path.join(site, 'all', '3', 'index.html'), 'page 3');
    await put(path.join(site, 'all', '2'), 'a file where a folder goes');
    await put(path.join(site, 'media', 'bowl.webp'), 'bowl picture, old');
    await put(path.join(site, 'objects', 'vase', 'index.html.0123456789ab.tmp'), '<html>va');
    await put(path.join(site, 'pagefind', 'pagefind.js'), 'index');
    const home = (await stat(path.join(site, 'index.html'))).ino;

    const placed = await placeSite({
      siteDir: site,
      stageDir: stage,
      cacheDir: cache,
      pages: [{ slug: 'vase', key: 'k1', render: false }],
      publicDir: pub,
      folders: ['media'],
      keep: ['pagefind'],
    });

    const files = (await readdir(site, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(site, path.join(e.parentPath, e.name)))
      .sort();
    expect(files).toEqual([
      'all/2/index.html',
      'data/index.html',
      'index.html',
      'media/bowl.webp',
      'media/vase.webp',
      'objects/vase/index.html',
      'pagefind/pagefind.js',
    ]);
    expect((await stat(path.join(site, 'index.html'))).ino).toBe(home);
    expect(await readFile(path.join(site, 'data', 'index.html'), 'utf8')).toBe('new data page');
    expect(await readFile(path.join(site, 'all', '2', 'index.html'), 'utf8')).toBe('page 2');
    expect((await stat(path.join(site, 'media', 'bowl.webp'))).ino).toBe(
      (await stat(path.join(pub, 'media', 'bowl.webp'))).ino,
    );
    expect((await stat(path.join(site, 'objects', 'vase', 'index.html'))).ino).toBe(
      (await stat(path.join(cache, 'k1.html'))).ino,
    );
    expect(await stat(path.join(site, 'all', '3')).catch(() => null)).toBeNull();
    // The file where a folder goes made way when the folder was made.
    expect(placed).toEqual({ kept: 1, written: 5, removed: 2 });
  });
});
