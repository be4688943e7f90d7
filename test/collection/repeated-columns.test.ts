import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readLabelsChecked } from '../../pipeline/dataset/validate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/* A column named twice in an export (CSV or JSON Lines) or in labels.csv is refused, naming the column and line. */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-repeated-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

async function exportFolder(name: string, file: string, text: string) {
  const dir = path.join(root, name, 'export');
  await mkdir(dir, { recursive: true });
  for (const image of ['a.jpg', 'b.jpg'])
    await writeFile(path.join(dir, image), Buffer.concat([JPEG, Buffer.from(image)]));
  await writeFile(path.join(dir, file), text);
  return { file: path.join(dir, file), dir };
}

const CSV = 'id,Title,Title,,image,label\nA,Vase,Jar,,a.jpg,vase\nB,Bowl,Dish,,b.jpg,bowl\n';
const JSONL =
  '{"id":"A","Title":"Vase","image":"a.jpg","label":"vase"}\n{"id":"B","Title":"Bowl","Title":"Dish","image":"b.jpg","label":"bowl"}\n';

describe('a column named twice', () => {
  it('import refuses a CSV export with a repeated column it reads, naming it and line 1', async () => {
    const { file, dir } = await exportFolder('csv', 'objects.csv', CSV);
    const ws = workspace(path.join(root, 'csv', 'repo'));
    // Only a column Vitrine reads is refused (repeated-unread-columns.test.ts): here the title.
    const params = defaultParams();
    params.import.columns.title = 'Title';
    const error = await importCollection({
      ws,
      params,
      metadata: file,
      images: dir,
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'CSV_COLUMNS')).toBe(true);
    expect((error as Error).message).toContain(
      'objects.csv:1: the header names the column "Title" twice, columns 2 and 3',
    );
  });

  it('import refuses a JSON Lines object with a key twice, naming the line', async () => {
    const { file, dir } = await exportFolder('jsonl', 'objects.jsonl', JSONL);
    const ws = workspace(path.join(root, 'jsonl', 'repo'));
    const error = await importCollection({
      ws,
      params: defaultParams(),
      metadata: file,
      images: dir,
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'EXPORT_MALFORMED')).toBe(true);
    expect((error as Error).message).toContain('objects.jsonl:2: the key "Title" is in this object twice');
  });

  it('init refuses both exports and writes nothing', async () => {
    for (const [name, text] of [
      ['objects.csv', CSV],
      ['objects.jsonl', JSONL],
    ] as const) {
      const { file } = await exportFolder(`init-${name}`, name, text);
      const museum = path.join(root, `init-${name}`, 'museum');
      await mkdir(museum, { recursive: true });
      const log = memoryLogger();
      const code = await main(['init', '--from', file], {
        cwd: museum,
        env: {},
        stdout: () => {},
        log,
        interactive: false,
      });
      expect(code).not.toBe(0);
      expect(log.lines.map((l) => l.message).join('\n')).toMatch(/"Title" (twice|is in this object twice)/);
      expect(await readdir(museum)).toEqual([]);
    }
  });

  it('labels.csv with the label column twice is refused on line 1', async () => {
    const file = path.join(root, 'labels.csv');
    await writeFile(file, 'object_id,label,note,label\nA,vase,,bowl\n');
    const error = await readLabelsChecked({ file, name: 'labels.csv' }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'CSV_COLUMNS')).toBe(true);
    expect((error as Error).message).toContain('labels.csv:1: the header names the column "label" twice');
  });
});
