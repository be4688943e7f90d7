import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readObjects } from '../../pipeline/collection/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Image names and ids as exports write them: a name that differs from the file on disk only in capitals or in
 * how an accent is encoded (a Mac writes NFD names), ids holding control characters, ids that look alike.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-names-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

/** An export whose rows name `image` while the disk holds `files` (paths under images/). */
async function exportWith(name: string, rows: string[][], files: string[]) {
  const dir = path.join(root, name, 'export');
  const images = path.join(dir, 'images');
  for (const [i, file] of files.entries()) {
    await mkdir(path.dirname(path.join(images, file)), { recursive: true });
    await writeFile(path.join(images, file), Buffer.concat([JPEG, Buffer.from(String(i))]));
  }
  await mkdir(images, { recursive: true });
  const csv = path.join(dir, 'objects.csv');
  await writeFile(csv, stringify([['id', 'image', 'label'], ...rows]));
  return { csv, images, ws: workspace(path.join(root, name, 'repo')) };
}

function params(onInvalid: 'skip' | 'fail' = 'fail') {
  const p = defaultParams();
  p.import.on_invalid = onInvalid;
  return p;
}

describe('image names that differ from the files only in capitals or accents', () => {
  it('uses the one file that matches ignoring case and Unicode form, and says so once', async () => {
    const rows = [
      ['CLE_1', 'Sub\\CLE_1.JPG', 'vase'],
      ['CLE_2', 'Sub\\CLE_2.JPG', 'bowl'],
      ['V1', 'Vitrine \u00e9 X.jpg', 'vase'],
      ['V2', 'exact.jpg', 'bowl'],
    ];
    const files = ['sub/cle_1.jpg', 'sub/cle_2.jpg', 'Vitrine e\u0301 X.jpg', 'exact.jpg'];
    const { csv, images, ws } = await exportWith('fold', rows, files);
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images, log });
    expect(result).toMatchObject({ objects: 4, withoutImage: 0, problems: [] });
    const { objects } = await readObjects({ file: ws.objects });
    const v1 = objects.find((o) => o.id === 'V1')!;
    expect((await readFile(path.join(ws.data, v1.image))).equals(await readFile(path.join(images, files[2]!)))).toBe(
      true,
    );
    const said = log.lines.filter((e) => /differ only in capitals or accents/.test(e.message));
    expect(said).toHaveLength(1);
    expect(said[0]!.message).toMatch(/^3 image names matched files/);
    expect(said[0]!.message).toContain('"Sub\\CLE_1.JPG" is sub/cle_1.jpg');
  });

  it('names the files when several match: ambiguous, imported without an image', async () => {
    const rows = [
      ['A', 'Photo.jpg', 'vase'],
      ['B', 'b.jpg', 'bowl'],
      ['C', 'c.jpg', 'bowl'],
    ];
    const { csv, images, ws } = await exportWith('ambiguous', rows, ['photo.jpg', 'PHOTO.JPG', 'b.jpg', 'c.jpg']);
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images, log });
    expect(result.withoutImage).toBe(1);
    expect(result.problems[0]!.message).toMatch(/"Photo\.jpg" of object "A" .*several files .*PHOTO\.JPG.*photo\.jpg/);
  });

  it('refuses, before writing, when more than half of the named images are missing (init), and warns (import)', async () => {
    const rows = [
      ['A', 'a.jpg', 'vase'],
      ['B', 'gone-b.jpg', 'bowl'],
      ['C', 'gone-c.jpg', 'bowl'],
    ];
    const { csv, images, ws } = await exportWith('mostly', rows, ['a.jpg']);
    const error = await importCollection({
      ws,
      params: params(),
      metadata: csv,
      images,
      missingImages: 'fail',
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'IMPORT_MOSTLY_MISSING')).toBe(true);
    expect((error as Error).message).toContain('2 of the 3 images');
    expect((error as Error).message).toContain('"gone-b.jpg"');
    expect((error as Error).message).toContain(images);
    await expect(readFile(ws.objects)).rejects.toThrow();
    const log = memoryLogger();
    await importCollection({ ws, params: params(), metadata: csv, images, log });
    expect(log.lines.some((e) => e.level === 'warn' && /2 of the 3 images named/.test(e.message))).toBe(true);
  });
});

describe('object ids in the export', () => {
  it('refuses ids holding control characters (a line break, a tab), naming the file and line', async () => {
    const rows = [
      ['Line1\nLine2', 'a.jpg', 'vase'],
      ['ID\twith tab', 'b.jpg', 'bowl'],
      ['C\u0085', 'c.jpg', 'bowl'],
      ['OK', 'd.jpg', 'vase'],
    ];
    const { csv, images, ws } = await exportWith('control', rows, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']);
    const error = await importCollection({ ws, params: params(), metadata: csv, images, log: memoryLogger() }).catch(
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'IMPORT_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(
      /objects\.csv:2: the object id "Line1\\nLine2" contains a control character \(a line break/,
    );
    expect(message).toMatch(/objects\.csv:4: the object id "ID\\twith tab" contains a control character \(a tab/);
    expect(message).toMatch(/objects\.csv:5: the object id "C\\u0085" contains a control character/);
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params('skip'), metadata: csv, images, log });
    expect(result.objects).toBe(1);
    expect(await readFile(ws.labels, 'utf8')).toBe('object_id,label\nOK,vase\n');
  });

  // Ids that differ only in accent encoding are one id written twice: import-accent-ids.test.ts.
  it('warns about ids that differ only in capitals, with their lines', async () => {
    const rows = [
      ['EG-1a', 'a.jpg', 'vase'],
      ['EG-1A', 'b.jpg', 'bowl'],
      ['Caf\u00e9', 'c.jpg', 'bowl'],
      ['CAF\u00c9', 'd.jpg', 'vase'],
    ];
    const { csv, images, ws } = await exportWith('alike', rows, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']);
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images, log });
    expect(result.objects).toBe(4);
    const warned = log.lines.find((l) => l.level === 'warn' && /look alike/.test(l.message))!;
    expect(warned.message).toContain('"EG-1a" (line 2) and "EG-1A" (line 3) differ only in upper/lower case');
    expect(warned.message).toContain('"Caf\u00e9" (line 4) and "CAF\u00c9" (line 5) differ only in upper/lower case');
  });
});

describe('image names in folders whose capitals differ', () => {
  it('finds the file in the one of two alike folders that holds it, and says how an accent-only match differs', async () => {
    const rows = [
      ['P1', 'images\\Pottery\\P_1.JPG', 'vase'],
      ['P2', 'images/Pottery/P_2.jpg', 'bowl'],
      ['V1', 'Vitrine \u00e9 X.jpg', 'bowl'],
    ];
    const files = ['images/pottery/p_1.jpg', 'images/Pottery/P_2.jpg', 'Vitrine e\u0301 X.jpg'];
    const { csv, images, ws } = await exportWith('two-folders', rows, files);
    const log = memoryLogger();
    const result = await importCollection({ ws, params: params(), metadata: csv, images, log });
    expect(result).toMatchObject({ objects: 3, withoutImage: 0, problems: [] });
    const said = log.lines.find((e) => /differ only in capitals or accents/.test(e.message))!;
    expect(said.message).toContain('"images\\Pottery\\P_1.JPG" is images/pottery/p_1.jpg');
    expect(said.message).toContain('"Vitrine \u00e9 X.jpg" is Vitrine e\u0301 X.jpg (accents encoded differently)');
  });
});
