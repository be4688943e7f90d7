import { link, mkdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, tempDir, testParams } from './fixtures.ts';

/*
 * A thumbnail damaged on disk (cut short, say) was kept by every later run, even with --force,
 * and published: the dataset stage reused an image's analysis whenever its thumbnail files merely
 * existed. Each thumbnail's size is now recorded when it is written, and one whose size differs is
 * made again — as a new file (a new inode), because the catalogue hard-links thumbnails into the
 * site and a rewrite in place would change the published copy behind its back.
 */

const objects = ['a1', 'a2', 'a3'].map((id) => object(id));
const labels = [
  { objectId: 'a1', label: 'coin' },
  { objectId: 'a2', label: 'mask' },
  { objectId: 'a3', label: 'vessel' },
];

afterAll(removeTempDirs);

describe('a thumbnail damaged on disk', () => {
  it('is made again by the next build, as a new file; the other images are not read again', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    const first = await buildDataset({ ws, params, log: memoryLogger() });
    const thumb = path.join(ws.dataset, first.objects[1]!.thumbnails[0]!.webp);
    const good = await readFile(thumb);
    // The site's hard link to the same file.
    const site = path.join(await tempDir(), 'published.webp');
    await link(thumb, site);
    await truncate(thumb, 100);

    const log = memoryLogger();
    const second = await buildDataset({ ws, params, log });
    expect(await readFile(thumb)).toEqual(good);
    expect((await stat(thumb)).ino).not.toBe((await stat(site)).ino);
    expect(log.lines.find((l) => l.message.startsWith('Reading'))?.message).toMatch(/Reading 1 new image \(2 /);
    expect(second.objects).toEqual(first.objects);

    // Then kept as it is: nothing read again.
    const quiet = memoryLogger();
    await buildDataset({ ws, params, log: quiet });
    expect(quiet.lines.some((l) => l.message.startsWith('Reading'))).toBe(false);
  });

  it('a JPEG fallback cut short is made again too', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    const first = await buildDataset({ ws, params, log: memoryLogger() });
    const jpeg = path.join(ws.dataset, first.objects[2]!.thumbnails[1]!.jpeg);
    const good = await readFile(jpeg);
    await writeFile(jpeg, good.subarray(0, good.length - 1));
    await buildDataset({ ws, params, log: memoryLogger() });
    expect(await readFile(jpeg)).toEqual(good);
  });

  it('images.json written by an earlier version (no sizes) is still reused, not read again', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    await buildDataset({ ws, params, log: memoryLogger() });
    const file = path.join(ws.dataset, 'images.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    for (const a of Object.values(manifest.images) as Record<string, unknown>[]) delete a.thumbnailBytes;
    await mkdir(ws.dataset, { recursive: true });
    await writeFile(file, JSON.stringify(manifest));
    const log = memoryLogger();
    await buildDataset({ ws, params, log });
    expect(log.lines.some((l) => l.message.startsWith('Reading'))).toBe(false);
  });
});
