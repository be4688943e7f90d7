import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readRefusedImages } from '../../pipeline/collection/refused-images.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * D12: an export with A.png cut in half and B.png whole imported with no problem (on_invalid: skip). The half
 * replaced the good photograph in data/ (or entered the collection), and only the dataset stage said later that it
 * cannot be decoded. A PNG, TIFF or AVIF cut short is refused as a JPEG cut short is.
 */

let root: string;
const whole: Record<string, Buffer> = {};
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-cut-formats-'));
  const width = 120;
  const height = 90;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37 + (i >> 7) * 11) & 255;
  const picture = () => sharp(raw, { raw: { width, height, channels: 3 } });
  whole.png = await picture().png().toBuffer();
  whole.tif = await picture().tiff().toBuffer();
  whole.avif = await picture().avif({ effort: 0 }).toBuffer();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const half = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));

/** An export of `images` (file name to bytes), one object a file, named by the file's name without its ending. */
async function exportOf(name: string, images: Record<string, Buffer>) {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'images'), { recursive: true });
  for (const [file, bytes] of Object.entries(images)) await writeFile(path.join(dir, 'images', file), bytes);
  const rows = Object.keys(images).map((file) => [file.replace(/\..*$/, ''), file, 'coin']);
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image', 'label'], ...rows]));
  return { metadata: path.join(dir, 'objects.csv'), images: path.join(dir, 'images') };
}

describe('a PNG, TIFF or AVIF in the export cut short', () => {
  it('is refused as a JPEG cut short is: a photograph in data/ is kept, a new object has none, both recorded', async () => {
    const ws = workspace(path.join(root, 'repo'));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const first = await exportOf('first', { 'A.png': whole.png!, 'B.png': whole.png! });
    await importCollection({ ws, params, ...first, log: memoryLogger() });
    const next = await exportOf('next', {
      'A.png': half(whole.png!),
      'B.png': whole.png!,
      'C.tif': half(whole.tif!),
      'D.avif': half(whole.avif!),
    });
    const result = await importCollection({ ws, params, ...next, log: memoryLogger() });
    const refused = result.problems.filter((p) => p.imageRefused).map((p) => p.object);
    expect(refused).toEqual(['A', 'C', 'D']);
    for (const p of result.problems) {
      expect(p.message).toMatch(/ends before its picture data does \(a copy or download cut short\?\)/);
      expect(p.message).toMatch(/cannot be decoded \(the image reader says "[^"]+"\)/);
    }
    const a = result.problems.find((p) => p.object === 'A')!;
    expect(a.message).toMatch(/the object keeps its image from the previous import \(data\/images\/A\.png\)/);
    expect(await readFile(path.join(ws.images, 'A.png'))).toEqual(whole.png);
    const objects = await readFile(ws.objects, 'utf8');
    expect(objects).toMatch(/^C,,/m);
    expect(objects).toMatch(/^D,,/m);
    const recorded = await readRefusedImages({ ws });
    expect([...recorded.keys()].sort()).toEqual(['C', 'D']);
    expect(recorded.get('C')?.reason).toMatch(/^ends before its picture data does/);
  });

  it('refuses the import under import.on_invalid: fail, naming the file', async () => {
    const ws = workspace(path.join(root, 'repo-fail'));
    const next = await exportOf('fail', { 'B.png': whole.png!, 'C.tif': half(whole.tif!) });
    const run = importCollection({ ws, params: defaultParams(), ...next, log: memoryLogger() });
    await expect(run).rejects.toThrow(/C\.tif.*ends before its picture data does.*cannot be decoded/s);
  });
});
