import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readImageInfo, readSmallPixels } from '../../pipeline/dataset/images.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester: a JPEG cut short (a copy or download that stopped) was imported with the warning that its picture
 * "decodes with the part below the damage grey", and the dataset stage then said it "cannot be decoded (VipsJpeg:
 * premature end of JPEG image)" and left the object out. One rule now: import asks the dataset stage’s decoder. A
 * JPEG cut short is refused as a file that cannot be used; one overwritten with zero bytes from its middle on decodes
 * (grey below the damage) and is imported with the warning.
 */

let root: string;
let whole: Buffer;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-truncated-jpeg-'));
  const width = 200;
  const height = 150;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + (i >> 7) * 11) & 255;
  whole = await sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function importOf(name: string, onInvalid: 'skip' | 'fail') {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'images'), { recursive: true });
  const kept = Math.floor(whole.length * 0.6);
  await writeFile(path.join(dir, 'images', 'cut.jpg'), whole.subarray(0, kept));
  await writeFile(
    path.join(dir, 'images', 'zeroed.jpg'),
    Buffer.concat([whole.subarray(0, kept), Buffer.alloc(whole.length - kept)]),
  );
  await writeFile(path.join(dir, 'images', 'good.jpg'), whole);
  const rows = [
    ['id', 'image', 'label'],
    ['A1', 'good.jpg', 'coin'],
    ['A2', 'cut.jpg', 'coin'],
    ['A3', 'zeroed.jpg', 'coin'],
  ];
  await writeFile(path.join(dir, 'objects.csv'), stringify(rows));
  const ws = workspace(path.join(dir, 'repo'));
  const params = defaultParams();
  params.import.on_invalid = onInvalid;
  const log = memoryLogger();
  const run = importCollection({
    ws,
    params,
    metadata: path.join(dir, 'objects.csv'),
    images: path.join(dir, 'images'),
    log,
  });
  return { ws, log, run };
}

describe('a damaged JPEG in the export', () => {
  it('cut short is refused as a file that cannot be used, in the dataset stage’s words; zeroed is imported', async () => {
    const { ws, log, run } = await importOf('skip', 'skip');
    const result = await run;
    const cut = result.problems.find((p) => p.object === 'A2');
    expect(cut?.imageRefused).toBe(true);
    expect(cut?.message).toMatch(/objects\.csv|cut\.jpg/);
    expect(cut?.message).toMatch(/ends before its picture data does/);
    expect(cut?.message).toMatch(/cannot be decoded/);
    expect(cut?.message).toContain('premature end of JPEG image');
    expect(cut?.message).not.toMatch(/grey/);
    // Not in data/: the object has no photograph import promised would be usable.
    const objects = await readFile(ws.objects, 'utf8');
    expect(objects).toMatch(/^A2,,/m);
    // The zeroed one decodes, as the warning says, with the dataset stage’s decoder.
    const zeroed = result.problems.find((p) => p.object === 'A3');
    expect(zeroed?.imageRefused).toBeUndefined();
    expect(zeroed?.message).toMatch(/zero bytes.*grey/);
    const file = path.join(ws.images, 'A3.jpg');
    expect((await stat(file)).size).toBeGreaterThan(0);
    await expect(readImageInfo({ file })).resolves.toMatchObject({ width: 200, height: 150 });
    await expect(readSmallPixels({ file })).resolves.toMatchObject({ width: 64 });
    expect(log.lines.some((l) => /cut\.jpg.*grey/.test(l.message))).toBe(false);
  });

  it('cut short refuses the import under import.on_invalid: fail, as an empty file does', async () => {
    const { run } = await importOf('fail', 'fail');
    await expect(run).rejects.toThrow(/cut\.jpg.*ends before its picture data does.*cannot be decoded/s);
  });

  it('already stored for its object (an import made before it was refused) is kept, not refused, on re-import', async () => {
    // An earlier import stored the cut-short file: simulated by storing its bytes over the object’s photograph.
    const first = await importOf('before', 'skip');
    await first.run;
    const dir = path.join(root, 'before');
    await writeFile(
      path.join(dir, 'objects.csv'),
      stringify([
        ['id', 'image', 'label'],
        ['A1', 'good.jpg', 'coin'],
        ['A2', 'good.jpg', 'coin'],
      ]),
    );
    const previous = importCollection({
      ws: first.ws,
      params: defaultParams(),
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'images'),
      log: memoryLogger(),
    });
    await previous;
    const cut = await readFile(path.join(dir, 'images', 'cut.jpg'));
    await writeFile(path.join(first.ws.images, 'A2.jpg'), cut);
    // The routine re-import of the unchanged export, under the default on_invalid: fail.
    await writeFile(
      path.join(dir, 'objects.csv'),
      stringify([
        ['id', 'image', 'label'],
        ['A1', 'good.jpg', 'coin'],
        ['A2', 'cut.jpg', 'coin'],
      ]),
    );
    const log = memoryLogger();
    const result = await importCollection({
      ws: first.ws,
      params: defaultParams(),
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'images'),
      log,
    });
    const said = result.problems.filter((p) => p.object === 'A2' && !/same image file/.test(p.message));
    expect(said).toHaveLength(1);
    expect(said[0]!.refused).toBeUndefined();
    expect(said[0]!.imageRefused).toBeUndefined();
    expect(said[0]!.message).toMatch(/same file/);
    expect(said[0]!.message).toMatch(/cannot be decoded/);
    expect(said[0]!.message).not.toMatch(/keeps its image from the previous import/);
    expect(await readFile(first.ws.objects, 'utf8')).toMatch(/^A2,.*images\/A2\.jpg/m);
    expect(await readFile(path.join(first.ws.images, 'A2.jpg'))).toEqual(cut);
  });

  it('cut short and larger than the default pixel limit is judged under dataset.image.max_pixels', async () => {
    // Its header says 16,000 × 16,000 pixels (256 million, over the default 250 million); a museum raised the limit.
    const cut = Buffer.from(whole.subarray(0, Math.floor(whole.length * 0.6)));
    for (let i = 2; i + 8 < cut.length; i++)
      if (cut[i] === 0xff && (cut[i + 1] === 0xc0 || cut[i + 1] === 0xc2)) {
        cut.writeUInt16BE(16_000, i + 5);
        cut.writeUInt16BE(16_000, i + 7);
        break;
      }
    const dir = path.join(root, 'large');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    await writeFile(path.join(dir, 'images', 'big.jpg'), cut);
    await writeFile(path.join(dir, 'images', 'good.jpg'), whole);
    await writeFile(
      path.join(dir, 'objects.csv'),
      stringify([
        ['id', 'image', 'label'],
        ['A1', 'good.jpg', 'coin'],
        ['A2', 'big.jpg', 'coin'],
      ]),
    );
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    params.dataset.image.max_pixels = 300_000_000;
    const result = await importCollection({
      ws: workspace(path.join(dir, 'repo')),
      params,
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'images'),
      log: memoryLogger(),
    });
    const said = result.problems.find((p) => p.object === 'A2');
    expect(said?.imageRefused).toBe(true);
    expect(said?.message).toMatch(/cannot be decoded/);
    expect(said?.message).not.toMatch(/grey/);
  });
});
