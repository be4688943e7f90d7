import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { addData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * Tester, 2026-12-02 #1: a partial export ("this month's additions", 6 rows) imported into a repository of 128
 * objects removed all 128 from data/ without a question. Import now refuses a removal that large before writing
 * anything, and takes it only with removeMissing (vitrine import --remove-missing).
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-partial-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

/** An export of `ids` (image `<id>.jpg` each) in `<name>/<file>`, its images beside it. */
async function exportOf(name: string, file: string, ids: string[]): Promise<{ csv: string; images: string }> {
  const images = path.join(root, name, 'images');
  await mkdir(images, { recursive: true });
  for (const id of ids) await writeFile(path.join(images, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
  const csv = path.join(root, name, file);
  await writeFile(
    csv,
    stringify([['id', 'image', 'label', 'title'], ...ids.map((id) => [id, `${id}.jpg`, 'coin', id])]),
  );
  return { csv, images };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

/** A repository holding `n` imported objects, their images in the data cache (as after a commit). */
async function collection(name: string, n: number): Promise<Workspace> {
  const ws = workspace(path.join(root, name, 'repo'));
  const full = await exportOf(name, 'full.csv', ids('OBJ-', n));
  await importCollection({ ws, params: defaultParams(), metadata: full.csv, images: full.images, log: memoryLogger() });
  await addData({ root: ws.root, target: 'data', log: memoryLogger() });
  return ws;
}

describe('an export that would remove most of the collection', () => {
  it('is refused before anything is written, saying how many of how many objects would go and how to confirm', async () => {
    const ws = await collection('partial', 128);
    const objectsBefore = await readFile(ws.objects, 'utf8');
    const labelsBefore = await readFile(ws.labels, 'utf8');
    const additions = await exportOf('partial', 'bad.csv', ids('NEW-', 4));
    const error = await importCollection({
      ws,
      params: defaultParams(),
      metadata: additions.csv,
      images: additions.images,
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_WOULD_REMOVE')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/remove 128 of the 128 objects/);
    expect(message).toContain('bad.csv');
    expect(message).toMatch(/OBJ-1\b/);
    expect(message).toMatch(/nothing was changed/i);
    expect(message).toMatch(/--remove-missing/);
    expect(await readFile(ws.objects, 'utf8')).toBe(objectsBefore);
    expect(await readFile(ws.labels, 'utf8')).toBe(labelsBefore);
    expect(await readdir(ws.images)).toHaveLength(128);
  });

  it('is imported when confirmed as the complete export (removeMissing)', async () => {
    const ws = await collection('confirmed', 20);
    const complete = await exportOf('confirmed', 'complete.csv', ids('NEW-', 3));
    const log = memoryLogger();
    const result = await importCollection({
      ws,
      params: defaultParams(),
      metadata: complete.csv,
      images: complete.images,
      removeMissing: true,
      log,
    });
    expect(result.objects).toBe(3);
    expect(result.removedImages).toHaveLength(20);
  });

  it('takes a small removal without asking: a few objects leaving is a deaccession, listed by name', async () => {
    const ws = await collection('few', 6);
    const next = await exportOf('few', 'next.csv', [...ids('OBJ-', 6).slice(3), 'NEW-1']);
    const result = await importCollection({
      ws,
      params: defaultParams(),
      metadata: next.csv,
      images: next.images,
      log: memoryLogger(),
    });
    expect(result.removedImages).toEqual(['images/OBJ-1.jpg', 'images/OBJ-2.jpg', 'images/OBJ-3.jpg']);
  });

  it('takes a removal of a fifth of the collection or less without asking', async () => {
    // Session 37: the share was a half, and an export cut at 60% removed 40% of a collection without a word.
    const ws = await collection('share', 60);
    const next = await exportOf('share', 'next.csv', ids('OBJ-', 60).slice(12));
    const result = await importCollection({
      ws,
      params: defaultParams(),
      metadata: next.csv,
      images: next.images,
      log: memoryLogger(),
    });
    expect(result.removedImages).toHaveLength(12);
  });
});
