import { link, mkdir, readFile, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, tempDir, testParams } from './fixtures.ts';

/*
 * A thumbnail damaged on disk (cut short, say) was kept by every later run, even with --force,
 * and published: the dataset stage reused an image's analysis whenever its thumbnail files merely
 * existed. Each thumbnail's size, md5 and stamp (inode, mtime) are now recorded when it is written;
 * one whose size differs, or whose stamp changed and whose md5 then differs (overwritten with as many
 * bytes), is made again — as a new file (a new inode), because the catalogue hard-links thumbnails
 * into the site and a rewrite in place would change the published copy behind its back.
 */

const objects = ['a1', 'a2', 'a3'].map((id) => object(id));
const labels = [
  { objectId: 'a1', label: 'coin' },
  { objectId: 'a2', label: 'mask' },
  { objectId: 'a3', label: 'vessel' },
];

afterAll(removeTempDirs);

/** Rewrite images.json as the previous version wrote it (thumbnail sizes only); its path. */
async function asPreviousVersion(datasetDir: string): Promise<string> {
  const file = path.join(datasetDir, 'images.json');
  const manifest = JSON.parse(await readFile(file, 'utf8'));
  for (const a of Object.values(manifest.images) as { thumbnailFiles?: { bytes: number }[][] }[]) {
    Object.assign(a, { thumbnailBytes: a.thumbnailFiles!.map((pair) => pair.map((f) => f.bytes)) });
    delete a.thumbnailFiles;
  }
  await writeFile(file, JSON.stringify(manifest));
  return file;
}

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

  it('a thumbnail overwritten with other bytes of the same size is made again, as a new file', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    const first = await buildDataset({ ws, params, log: memoryLogger() });
    const thumb = path.join(ws.dataset, first.objects[0]!.thumbnails[1]!.webp);
    const good = await readFile(thumb);
    const site = path.join(await tempDir(), 'published.webp');
    await link(thumb, site);
    const damaged = Buffer.from(good);
    damaged.fill(0, 20);
    await writeFile(thumb, damaged);
    // A later write: said explicitly, as two writes in the same few milliseconds may share a timestamp.
    const later = new Date(Date.now() + 60_000);
    await utimes(thumb, later, later);
    expect((await stat(thumb)).size).toBe(good.length);

    const log = memoryLogger();
    await buildDataset({ ws, params, log });
    expect(await readFile(thumb)).toEqual(good);
    expect((await stat(thumb)).ino).not.toBe((await stat(site)).ino);
    expect(log.lines.find((l) => l.message.startsWith('Reading'))?.message).toMatch(/Reading 1 new image \(2 /);
  });

  it('a thumbnail only touched (same bytes, new time) is kept, not made again', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    const first = await buildDataset({ ws, params, log: memoryLogger() });
    const thumb = path.join(ws.dataset, first.objects[0]!.thumbnails[0]!.jpeg);
    const later = new Date(Date.now() + 60_000);
    await utimes(thumb, later, later);
    const log = memoryLogger();
    await buildDataset({ ws, params, log });
    expect(log.lines.some((l) => l.message.startsWith('Reading'))).toBe(false);
    // Its new stamp is kept, so the next run need not read it to know it is intact.
    const manifest = JSON.parse(await readFile(path.join(ws.dataset, 'images.json'), 'utf8'));
    const info = await stat(thumb, { bigint: true });
    expect(manifest.images[first.objects[0]!.imageMd5].thumbnailFiles[0][1].stamp).toBe(`${info.ino} ${info.mtimeNs}`);
  });

  it('images.json written by an earlier version (no sizes) is still reused, not read again', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    await buildDataset({ ws, params, log: memoryLogger() });
    const file = path.join(ws.dataset, 'images.json');
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    for (const a of Object.values(manifest.images) as Record<string, unknown>[]) {
      delete a.thumbnailBytes;
      delete a.thumbnailFiles;
    }
    await mkdir(ws.dataset, { recursive: true });
    await writeFile(file, JSON.stringify(manifest));
    const log = memoryLogger();
    await buildDataset({ ws, params, log });
    expect(log.lines.some((l) => l.message.startsWith('Reading'))).toBe(false);
  });

  it('images.json of the previous version (sizes only) is still checked by size', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    const first = await buildDataset({ ws, params, log: memoryLogger() });
    await asPreviousVersion(ws.dataset);
    const thumb = path.join(ws.dataset, first.objects[1]!.thumbnails[0]!.webp);
    const good = await readFile(thumb);
    await truncate(thumb, 100);
    const log = memoryLogger();
    await buildDataset({ ws, params, log });
    expect(await readFile(thumb)).toEqual(good);
    expect(log.lines.find((l) => l.message.startsWith('Reading'))?.message).toMatch(/Reading 1 new image \(2 /);
  });

  it('images.json of an earlier version is brought up to date, so a later same-size overwrite is caught', async () => {
    const ws = await makeCollection({ objects, labels });
    const params = testParams();
    const first = await buildDataset({ ws, params, log: memoryLogger() });
    const file = await asPreviousVersion(ws.dataset);
    await buildDataset({ ws, params, log: memoryLogger() });
    const upgraded = JSON.parse(await readFile(file, 'utf8'));
    for (const a of Object.values(upgraded.images) as { thumbnailFiles?: unknown[] }[])
      expect(a.thumbnailFiles).toHaveLength(first.objects[0]!.thumbnails.length);

    const thumb = path.join(ws.dataset, first.objects[2]!.thumbnails[0]!.webp);
    const good = await readFile(thumb);
    await writeFile(thumb, Buffer.from(good).fill(0, 20));
    const later = new Date(Date.now() + 60_000);
    await utimes(thumb, later, later);
    await buildDataset({ ws, params, log: memoryLogger() });
    expect(await readFile(thumb)).toEqual(good);
  });
});
