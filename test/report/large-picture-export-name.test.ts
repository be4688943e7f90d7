import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { unusablePhotos, unusablePhotosSection } from '../../pipeline/report/photos.ts';

/*
 * Outside tester T6 (F10): a picture over dataset.image.max_pixels (a 30,000×30,000 PNG of 2.6 MB) was named by each
 * run and by the pull request’s report by its path in data/ only ("data/images/D.2019.1.18.png"), while the fix is a
 * smaller copy in the export "in place of the file it came from", which was never named ("photos\2019\bombe.png").
 * Import records the export’s name of each photograph it stores; the dataset stage and the report name it.
 * Failed before the fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-large-export-name-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function params(): Params {
  const p = defaultParams();
  p.collection.vocabulary = ['coin', 'mask'];
  p.dataset.thumbnails.widths = [32];
  p.dataset.min_test_per_class = 0;
  // 64×48 = 3,072 pixels: over the limit, as the tester’s bomb was over the default one.
  p.dataset.image.max_pixels = 3000;
  return p;
}

describe('a picture over the pixel limit, stored by import from the export', () => {
  it('is named by the dataset stage and the report with the export’s file it came from', async () => {
    const photos = path.join(root, 'export', 'photos', '2019');
    await mkdir(photos, { recursive: true });
    const picture = (width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: { r: 10, g: 80, b: 120 } } }).jpeg();
    await picture(64, 48).toFile(path.join(photos, 'bombe.jpg'));
    await picture(40, 40).toFile(path.join(photos, 'small.jpg'));
    await writeFile(
      path.join(root, 'export', 'objects.csv'),
      stringify([
        ['id', 'image', 'label'],
        ['D.18', 'photos\\2019\\bombe.jpg', 'coin'],
        ['D.19', 'photos\\2019\\small.jpg', 'mask'],
      ]),
    );
    const ws = workspace(path.join(root, 'repo'));
    const p = params();
    const metadata = path.join(root, 'export', 'objects.csv');
    await importCollection({ ws, params: p, metadata, images: path.join(root, 'export'), log: memoryLogger() });
    const dataset = await buildDataset({ ws, params: p, log: memoryLogger() });
    const issue = dataset.issues.find((i) => i.object === 'D.18')!;
    expect(issue.code).toBe('IMAGE_TOO_LARGE');
    expect(issue.message).toContain('data/images/D.18.jpg (from the export’s "photos\\2019\\bombe.jpg"): ');
    const unusable = await unusablePhotos({ ws, dataset, base: null, maxPixels: p.dataset.image.max_pixels });
    const o = unusable!.objects.find((u) => u.id === 'D.18')!;
    expect(o.fromExport).toBe(true);
    const section = unusablePhotosSection({ photos: unusable });
    expect(section).toContain('`data/images/D.18.jpg` (stored by import from the export’s `photos\\2019\\bombe.jpg`)');
    expect(section).toMatch(/in the export in place of the file it came from/);
  });
});
