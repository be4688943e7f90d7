import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester: a re-import from a share still syncing, where one photograph was only half copied (its first 3,000
 * bytes), replaced the good image in data/ with the half, without a word; only the dataset stage later said it could
 * not be decoded.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-cut-short-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A JPEG-looking file of `size` bytes, the same bytes for the same seed. */
const photo = (seed: number, size: number) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 6, seed), Buffer.from([0xff, 0xd9])]);

async function exportOf(name: string, images: Record<string, Buffer>) {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'images'), { recursive: true });
  for (const [file, bytes] of Object.entries(images)) await writeFile(path.join(dir, 'images', file), bytes);
  const rows = Object.keys(images).map((file) => [file.replace('.jpg', ''), file, 'coin']);
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image', 'label'], ...rows]));
  return { csv: path.join(dir, 'objects.csv'), images: path.join(dir, 'images') };
}

describe('an image in the export cut short', () => {
  it('does not replace the whole one in data/: the object keeps it, and the line is named', async () => {
    const ws = workspace(path.join(root, 'repo'));
    const params = defaultParams();
    const whole = { 'A1.jpg': photo(1, 9000), 'A2.jpg': photo(2, 9000) };
    const first = await exportOf('first', whole);
    await importCollection({ ws, params, metadata: first.csv, images: first.images, log: memoryLogger() });
    // A2 half copied; A1 really changed (a new photograph, shorter): that one is taken.
    const next = await exportOf('next', { 'A1.jpg': photo(7, 5000), 'A2.jpg': whole['A2.jpg'].subarray(0, 3000) });
    const log = memoryLogger();
    await importCollection({ ws, params, metadata: next.csv, images: next.images, log });
    expect(await readFile(path.join(ws.images, 'A2.jpg'))).toEqual(whole['A2.jpg']);
    expect(await readFile(path.join(ws.images, 'A1.jpg'))).toEqual(photo(7, 5000));
    const warning = log.lines.find((l) => l.level === 'warn' && /cut short/.test(l.message));
    expect(warning?.message).toMatch(/1 image in the export is only the beginning of the one in data\//);
    expect(warning?.message).toContain('objects.csv:3 (object A2, images/A2.jpg)');
    expect(warning?.message).toMatch(/That object keeps its image in data\/\. Import again once the images are copied/);
  });
});
