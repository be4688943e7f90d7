import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namedImages, photoProblemsOf } from '../../pipeline/catalogue/photo-problems.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { unusablePhotos } from '../../pipeline/report/photos.ts';

/*
 * Outside tester: objects whose image file import refused (an empty file, a JPEG cut short) were imported without a
 * photograph, so the dataset stage said "has no image", the report and the review queue left them out, and their
 * public pages said "No photograph yet" although the museum has a (broken) file for them. Import now records why it
 * refused each, and the dataset stage says it of the object, which every later list reads (photoProblemsOf).
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-refused-photos-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function jpeg(shade: number): Promise<Buffer> {
  const width = 120;
  const height = 90;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * shade + (i >> 6) * 13) & 255;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe('objects whose image file import refused', () => {
  it('are said by the dataset stage with the reason, and listed with the photographs that cannot be used', async () => {
    const dir = path.join(root, 'export');
    await mkdir(path.join(dir, 'img'), { recursive: true });
    await writeFile(path.join(dir, 'img', 'a.jpg'), await jpeg(7));
    await writeFile(path.join(dir, 'img', 'b.jpg'), await jpeg(11));
    const cut = await jpeg(13);
    await writeFile(path.join(dir, 'img', 'cut.jpg'), cut.subarray(0, Math.floor(cut.length * 0.6)));
    await writeFile(path.join(dir, 'img', 'empty.jpg'), Buffer.alloc(0));
    const rows = [
      ['id', 'image', 'label'],
      ['A1', 'img/a.jpg', 'coin'],
      ['A2', 'img/b.jpg', 'vase'],
      ['A3', 'img/cut.jpg', 'coin'],
      ['A4', 'img/empty.jpg', 'vase'],
      ['A5', '', 'coin'],
    ];
    await writeFile(path.join(dir, 'objects.csv'), stringify(rows));
    const ws = workspace(path.join(root, 'repo'));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    params.collection.vocabulary = ['coin', 'vase'];
    await importCollection({ ws, params, metadata: path.join(dir, 'objects.csv'), images: dir, log: memoryLogger() });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params, log, jobs: 1 });
    const problems = photoProblemsOf({ issues: dataset.issues, images: await namedImages({ file: ws.objects }) });
    expect([...problems.keys()].sort()).toEqual(['A3', 'A4']);
    expect(problems.get('A4')?.reason).toBe('the file is empty');
    expect(problems.get('A3')?.reason).toBe('the file is damaged or not an image');
    const a4 = dataset.issues.find((i) => i.object === 'A4');
    expect(a4?.message).toMatch(/img\/empty\.jpg/);
    expect(a4?.message).toMatch(/refused by import/);
    const a3 = dataset.issues.find((i) => i.object === 'A3');
    expect(a3?.message).toMatch(/img\/cut\.jpg.*premature end of JPEG image/);
    // The report’s list reads the same issues: both, each with its reason.
    const report = await unusablePhotos({ ws, dataset, base: null, maxPixels: 100_000_000 });
    expect(report?.objects.map((o) => o.id).sort()).toEqual(['A3', 'A4']);
    expect(report?.objects.find((o) => o.id === 'A4')?.reason).toMatch(/it is an empty file/);
    // A5 has no photograph named: not photographed yet, not a broken file.
    expect(problems.has('A5')).toBe(false);
    const said = log.lines.find((l) => /without a usable photograph/.test(l.message));
    expect(said?.message).toMatch(/^3 objects/);
    expect(said?.message).toMatch(/2 images that cannot be read, 1 object without an image/);
    // Once the files are exported again whole, the record of what was refused is gone with it.
    await writeFile(path.join(dir, 'img', 'cut.jpg'), cut);
    await writeFile(path.join(dir, 'img', 'empty.jpg'), await jpeg(17));
    await importCollection({ ws, params, metadata: path.join(dir, 'objects.csv'), images: dir, log: memoryLogger() });
    const again = await buildDataset({ ws, params, log: memoryLogger(), jobs: 1 });
    expect(photoProblemsOf({ issues: again.issues, images: await namedImages({ file: ws.objects }) }).size).toBe(0);
    await expect(stat(path.join(ws.data, '.refused-images.json'))).rejects.toThrow();
  });
});
