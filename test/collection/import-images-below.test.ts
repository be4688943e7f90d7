import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
 * Outside tester (T6 F5): an export naming each photograph by its file name alone ("D_2019_1_1.jpg"), the files two
 * folders down (photos/2019/, photos/Réserves/), the export's folder given as --images. Import said "None of the 136
 * images … is in <folder>" and nothing of where they were: the folder one level down was looked in, not deeper, and
 * when the files are spread over two folders no --images can work, which it did not say either.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-below-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

/** An export of `files` (folder → names), each named by its file name alone, its folder the images folder. */
async function exportOf(name: string, files: Record<string, string[]>): Promise<string> {
  const dir = path.join(root, name);
  const rows: string[][] = [];
  for (const [folder, names] of Object.entries(files)) {
    await mkdir(path.join(dir, folder), { recursive: true });
    for (const file of names) {
      await writeFile(path.join(dir, folder, file), JPEG);
      rows.push([`OBJ-${rows.length + 1}`, file]);
    }
  }
  // A copy a Mac left in a hidden folder is no place to point at.
  await mkdir(path.join(dir, '__MACOSX', 'photos'), { recursive: true });
  await writeFile(path.join(dir, '__MACOSX', 'photos', files[Object.keys(files)[0]!]![0]!), JPEG);
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image'], ...rows]));
  return dir;
}

async function importError(dir: string) {
  return importCollection({
    ws: workspace(path.join(dir, 'repo')),
    params: defaultParams(),
    metadata: path.join(dir, 'objects.csv'),
    images: dir,
    log: memoryLogger(),
  }).catch((e: unknown) => e);
}

describe('images named by their file name alone, in folders deeper down', () => {
  it('two folders down, all in one: the error names that folder to give', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `D_${i + 1}.jpg`);
    const dir = await exportOf('one-folder', { 'photos/2019': names });
    const error = await importError(dir);
    expect(isVitrineError(error, 'IMPORT_NO_IMAGES')).toBe(true);
    expect((error as Error).message).toContain(
      `The first of them, "D_1.jpg", is in "${path.join(dir, 'photos', '2019')}": give that folder.`,
    );
  });

  it('spread over two folders: the error names each with its count, and says to write the paths in the export', async () => {
    const dir = await exportOf('two-folders', {
      'photos/2019': Array.from({ length: 10 }, (_, i) => `D_${i + 1}.jpg`),
      'photos/Réserves': ['vase avec anse.jpg', 'statuette.jpg'],
    });
    const error = await importError(dir);
    expect(isVitrineError(error, 'IMPORT_NO_IMAGES')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('"photos/2019" (10 of them) and "photos/Réserves" (2)');
    expect(message).toContain('no one folder holds them all');
    expect(message).toContain('"photos/2019/D_1.jpg"');
    expect(message).not.toContain('__MACOSX');
  });
});
