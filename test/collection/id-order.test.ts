import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { compareIdsNaturally } from '../../pipeline/collection/index.ts';
import { addData } from '../../pipeline/data/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Session 4, 2026-12-02: lists of ids in import's messages were sorted by code point, so "OBJ-1, OBJ-10, OBJ-11,
 * OBJ-12, OBJ-2": staff read them as numbers. Messages now list ids in natural order; files keep code-point order.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-id-order-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `OBJ-${from + i}`);

async function exportOf(file: string, list: string[]): Promise<{ csv: string; images: string }> {
  const images = path.join(root, 'images');
  await mkdir(images, { recursive: true });
  for (const id of list) await writeFile(path.join(images, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
  const csv = path.join(root, file);
  await writeFile(csv, stringify([['id', 'image', 'label'], ...list.map((id) => [id, `${id}.jpg`, 'coin'])]));
  return { csv, images };
}

describe('ids listed in messages', () => {
  it('compareIdsNaturally counts the numbers in ids, and is a total order', () => {
    expect(['OBJ-10', 'OBJ-2', 'OBJ-1', 'obj-1', 'B', 'a'].sort(compareIdsNaturally)).toEqual([
      'a',
      'B',
      'obj-1',
      'OBJ-1',
      'OBJ-2',
      'OBJ-10',
    ]);
  });

  it('are in natural order (OBJ-2 before OBJ-10) in what import says', async () => {
    const ws = workspace(path.join(root, 'repo'));
    const full = await exportOf('full.csv', ids(1, 60));
    await importCollection({
      ws,
      params: defaultParams(),
      metadata: full.csv,
      images: full.images,
      log: memoryLogger(),
    });
    await addData({ root: ws.root, target: 'data', log: memoryLogger() });
    const next = await exportOf('next.csv', ids(13, 60));
    const log = memoryLogger();
    await importCollection({ ws, params: defaultParams(), metadata: next.csv, images: next.images, log });
    const said = log.lines.map((l) => l.message);
    // Removed objects, their labels kept, their images removed: each list counts 1, 2, 3…
    expect(said.find((m) => /12 objects .* were removed/.test(m))).toMatch(/OBJ-1, OBJ-2, OBJ-3, OBJ-4, OBJ-5 and/);
    // The way back goes through data.dvc: data/ is not in git, so "git checkout data/objects.csv" would fail.
    expect(said.find((m) => /12 objects .* were removed/.test(m))).toMatch(
      /"git checkout data\.dvc" and then "npx vitrine data checkout --force"/,
    );
    expect(said.join('\n')).not.toMatch(/git checkout data\/objects\.csv/);
    // Labels of removed objects are named by their lines in labels.csv, in the file's order: the lines to delete.
    expect(said.find((m) => /name objects no longer in the collection/.test(m))).toMatch(
      /lines 2 \("OBJ-1"\), 3 \("OBJ-10"\), .*13 \("OBJ-2"\), .* and 2 more/,
    );
    expect(said.find((m) => /^Removed 12 images/.test(m))).toMatch(/images\/OBJ-1\.jpg, images\/OBJ-2\.jpg/);
  });
});
