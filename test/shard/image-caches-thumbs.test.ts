import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempNameFor } from '../../pipeline/data/temp.ts';
import { type ImageAnalysis, removeLeftTemps, saveAnalyses } from '../../pipeline/dataset/analyse.ts';
import { analysisSettings } from '../../pipeline/dataset/build.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { addImageCaches } from '../../pipeline/shard/image-caches.ts';

/*
 * Two shard runs in one checkout (docs/scale.md) write thumbnails into the same folder. One adding its
 * analyses to images.json deleted every thumbnail images.json did not name yet: the other run's new
 * thumbnails, and its half-written temp files (CI: ENOENT renaming `<md5>-48.webp.<hex>.tmp` into place).
 */

let base: string | undefined;
afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

const analysisOf = (md5: string): ImageAnalysis => ({
  width: 64,
  height: 64,
  colours: [],
  thumbnails: [{ width: 48, height: 48, webp: `thumbs/${md5}-48.webp`, jpeg: `thumbs/${md5}-48.jpg` }],
});

describe('a shard run adding to the image caches', () => {
  it('leaves the thumbnails another run has written but not yet recorded, and its temp files', async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-caches-thumbs-'));
    const ws = workspace(base);
    const thumbs = path.join(ws.dataset, 'thumbs');
    await mkdir(thumbs, { recursive: true });
    const mine = 'a'.repeat(32);
    const others = 'b'.repeat(32);
    await writeFile(path.join(thumbs, `${mine}-48.webp`), 'w');
    await writeFile(path.join(thumbs, `${mine}-48.jpg`), 'j');
    // The other run's: one thumbnail written, the next being written.
    const theirs = [`${others}-48.webp`, `${others}-48.jpg.0123456789ab.tmp`];
    for (const name of theirs) await writeFile(path.join(thumbs, name), 'x');
    const settings = analysisSettings(defaultParams());
    await addImageCaches({
      ws,
      settings,
      analyses: new Map([[mine, analysisOf(mine)]]),
      failures: new Map(),
      replace: true,
    });
    expect((await readdir(thumbs)).sort()).toEqual([`${mine}-48.jpg`, `${mine}-48.webp`, ...theirs].sort());
  });
});

describe('the whole dataset stage pruning thumbnails', () => {
  it('leaves a temp file another run is writing now, and removes an old one and unused thumbnails', async () => {
    // The old one by removeLeftTemps, which the stage calls once its images are read.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-prune-thumbs-'));
    try {
      const ws = workspace(dir);
      const thumbs = path.join(ws.dataset, 'thumbs');
      await mkdir(thumbs, { recursive: true });
      const mine = 'a'.repeat(32);
      // Named by a live process of this machine (this test's parent).
      const writing = path.basename(tempNameFor({ file: `${'b'.repeat(32)}-48.webp`, pid: process.ppid }));
      const left = `${'c'.repeat(32)}-48.webp.0123456789ab.tmp`;
      const unused = `${'d'.repeat(32)}-48.jpg`;
      for (const name of [`${mine}-48.webp`, `${mine}-48.jpg`, writing, left, unused])
        await writeFile(path.join(thumbs, name), 'x');
      const hourAgo = new Date(Date.now() - 3_600_000);
      await utimes(path.join(thumbs, left), hourAgo, hourAgo);
      const settings = analysisSettings(defaultParams());
      await saveAnalyses({
        datasetDir: ws.dataset,
        settings,
        analyses: new Map([[mine, analysisOf(mine)]]),
        prune: true,
      });
      expect(await removeLeftTemps({ datasetDir: ws.dataset })).toBe(1);
      expect((await readdir(thumbs)).sort()).toEqual([`${mine}-48.jpg`, `${mine}-48.webp`, writing].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
