import { link, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkThumbnailLinks } from '../../pipeline/catalogue/thumbnail-links.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * The thumbnail links a rebuild keeps are checked on a worker thread: a link is kept only when it is
 * the very file of the dataset (same inode), a thumbnail the dataset stage made again is linked
 * again, a file in the way is named, and media/ files no object has any longer are listed for removal.
 */

async function layout() {
  const root = await tempDir('vitrine-thumbnail-links-');
  const sourceDir = path.join(root, 'dataset');
  const mediaDir = path.join(root, 'public', 'media');
  const files = ['media/a/240.webp', 'media/a/240.jpg', 'media/b/240.webp', 'media/c d/240.webp'];
  for (const f of files) {
    await mkdir(path.dirname(path.join(sourceDir, f)), { recursive: true });
    await writeFile(path.join(sourceDir, f), f);
  }
  return { root, sourceDir, mediaDir, files };
}

describe('checkThumbnailLinks', () => {
  it('finds every thumbnail missing in an empty media folder, and nothing stale', async () => {
    const { sourceDir, mediaDir, files } = await layout();
    const links = await checkThumbnailLinks({ sourceDir, mediaDir, files });
    expect(links.missing).toEqual(files.map((file) => ({ file, there: false })));
    expect(links.stale).toEqual([]);
  });

  it('keeps links to the same file, relinks a remade thumbnail, names a file in the way, lists stale ones', async () => {
    const { sourceDir, mediaDir, files } = await layout();
    for (const f of files) {
      await mkdir(path.dirname(path.join(mediaDir, f)), { recursive: true });
      await link(path.join(sourceDir, f), path.join(mediaDir, f));
    }
    // The dataset stage made one thumbnail again (a new file, a new inode) ...
    await rm(path.join(sourceDir, files[0]!));
    await writeFile(path.join(sourceDir, files[0]!), 'remade');
    // ... one in media/ is a copy, not a link (same bytes, another file) ...
    await rm(path.join(mediaDir, files[2]!));
    await writeFile(path.join(mediaDir, files[2]!), files[2]!);
    // ... and an object left the collection.
    await mkdir(path.join(mediaDir, 'media', 'gone'), { recursive: true });
    await writeFile(path.join(mediaDir, 'media', 'gone', '240.webp'), 'old');

    const links = await checkThumbnailLinks({ sourceDir, mediaDir, files });
    expect(links.missing).toEqual([
      { file: files[0], there: true },
      { file: files[2], there: true },
    ]);
    expect(links.stale).toEqual([path.join('media', 'gone', '240.webp')]);
    // The check itself changes nothing on disk.
    expect((await stat(path.join(mediaDir, 'media', 'gone', '240.webp'))).isFile()).toBe(true);
    expect(await readdir(path.join(mediaDir, 'media'))).toHaveLength(4);
  });

  it('counts a thumbnail whose source is gone as missing, so linking it names the file', async () => {
    const { sourceDir, mediaDir, files } = await layout();
    for (const f of files) {
      await mkdir(path.dirname(path.join(mediaDir, f)), { recursive: true });
      await link(path.join(sourceDir, f), path.join(mediaDir, f));
    }
    await rm(path.join(sourceDir, files[1]!));
    const links = await checkThumbnailLinks({ sourceDir, mediaDir, files });
    expect(links.missing).toEqual([{ file: files[1], there: true }]);
  });
});
