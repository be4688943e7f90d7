import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester: `vitrine init --from ex1/objects.csv` without --images (the photographs in ex1/images/) printed
 * 114 warnings "… was not found", one per row, then the error; a 20,000-row export would print 20,000 lines first,
 * and nothing said where the images were.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-wrong-folder-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

async function exportOf(n: number, present: number): Promise<string> {
  const dir = path.join(root, `export-${n}-${present}`);
  await mkdir(path.join(dir, 'images'), { recursive: true });
  const ids = Array.from({ length: n }, (_, i) => `OBJ-${i + 1}`);
  for (const id of ids.slice(0, present)) await writeFile(path.join(dir, 'images', `${id}.jpg`), JPEG);
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image'], ...ids.map((id) => [id, `${id}.jpg`])]));
  return dir;
}

describe('an images folder that is not the one the export names', () => {
  it('gives one error, naming the folder that holds them, not a warning per row', async () => {
    const dir = await exportOf(40, 40);
    const ws = workspace(path.join(root, 'repo'));
    const log = memoryLogger();
    const error = await importCollection({
      ws,
      params: defaultParams(),
      metadata: path.join(dir, 'objects.csv'),
      images: dir,
      log,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_NO_IMAGES')).toBe(true);
    expect((error as Error).message).toContain(`"OBJ-1.jpg", is in "${path.join(dir, 'images')}": give that folder`);
    expect(log.lines.filter((l) => /was not found/.test(l.message))).toEqual([]);
    expect(await readdir(ws.data).catch(() => 'none')).toBe('none');
  });

  it('with most images missing, one warning says how many, not one per row', async () => {
    const dir = await exportOf(40, 10);
    const log = memoryLogger();
    await importCollection({
      ws: workspace(path.join(root, 'repo-most')),
      params: defaultParams(),
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'images'),
      log,
    });
    expect(log.lines.filter((l) => /was not found/.test(l.message))).toEqual([]);
    expect(log.lines.some((l) => /30 of the 40 images named in .* are not in/.test(l.message))).toBe(true);
  });

  // The reviewer: with a row refused as well (no id), import stopped on that row and said nothing of the images.
  it('says most images are missing before it stops on a refused row', async () => {
    const dir = await exportOf(10, 3);
    await writeFile(path.join(dir, 'objects.csv'), `${await readFile(path.join(dir, 'objects.csv'), 'utf8')},x.jpg\n`);
    const log = memoryLogger();
    const error = await importCollection({
      ws: workspace(path.join(root, 'repo-refused')),
      params: defaultParams(),
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'images'),
      log,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_INVALID'), String(error)).toBe(true);
    expect(log.lines.some((l) => /7 of the 10 images named in .* are not in/.test(l.message))).toBe(true);
  });

  // Every named image refused (not missing: here, paths leaving the folder) is the refused rows’ error, not
  // “none of the images is in the folder”.
  it('with every named image refused rather than missing, lists the refused rows', async () => {
    const dir = path.join(root, 'all-refused');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    const rows = [1, 2, 3].map((i) => [`R-${i}`, `../../outside-${i}.jpg`]);
    await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image'], ...rows]));
    const error = await importCollection({
      ws: workspace(path.join(root, 'repo-all-refused')),
      params: defaultParams(),
      metadata: path.join(dir, 'objects.csv'),
      images: path.join(dir, 'images'),
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_INVALID'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/leaves the images folder/);
  });
});
