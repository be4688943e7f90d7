import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

/*
 * An outside tester: "Imported 63 objects (65 with a label, 2 without an image)" when the new rows of two objects
 * already in the collection were refused (on_invalid: skip) and the objects kept as they were: the labels counted
 * them, the objects did not. The counts are of the imported objects now, and the kept ones are said apart.
 */

let root: string;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);

async function exportOf(name: string, rows: string[][]): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  for (const [id, image] of rows)
    if (image && !image.startsWith('/'))
      await writeFile(path.join(dir, image), Buffer.concat([JPEG, Buffer.from(id!)]));
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image', 'label', 'title'], ...rows]));
  return path.join(dir, 'objects.csv');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-summary-kept-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

it('counts the imported objects alone, and says the kept ones apart', async () => {
  const museum = path.join(root, 'museum');
  await mkdir(museum);
  const ids = ['A1', 'A2', 'A3', 'A4', 'A5'];
  const first = await exportOf(
    'export-1',
    ids.map((id) => [id, `${id}.jpg`, id === 'A5' ? 'vessel' : 'coin', `Old ${id}`]),
  );
  const init = await runCli(museum, [
    'init',
    '--from',
    first,
    '--name',
    'T',
    '--on-invalid',
    'skip',
    '--vocabulary',
    'coin,vessel',
    '--yes',
  ]);
  expect(init.code, init.messages).toBe(0);
  // A2 and A3 name an absolute path: refused, kept with their previous row. A5 has no image now.
  const second = await exportOf(
    'export-2',
    ids.map((id) => [
      id,
      id === 'A2' || id === 'A3' ? '/etc/passwd' : id === 'A5' ? '' : `${id}.jpg`,
      id === 'A5' ? 'vessel' : 'coin',
      `New ${id}`,
    ]),
  );
  const run = await runCli(museum, ['import', '--metadata', second]);
  expect(run.code, run.messages).toBe(1);
  expect(run.messages).toContain('Imported 3 objects (3 with a label, 1 without an image)');
  expect(run.messages).toContain('2 objects whose new rows were refused are kept as they were (A2, A3)');
});

// One object kept: said of it ("is kept as it was … its previous"), not "as they were … their" (a reviewer).
it('says one kept object in the singular', async () => {
  const museum = path.join(root, 'museum-one');
  await mkdir(museum);
  const ids = ['C1', 'C2', 'C3', 'C4'];
  const labelOf = (id: string) => (id === 'C4' ? 'vessel' : 'coin');
  const first = await exportOf(
    'export-one-1',
    ids.map((id) => [id, `${id}.jpg`, labelOf(id), `Old ${id}`]),
  );
  const options = ['--name', 'T', '--on-invalid', 'skip', '--vocabulary', 'coin,vessel', '--yes'];
  const init = await runCli(museum, ['init', '--from', first, ...options]);
  expect(init.code, init.messages).toBe(0);
  const second = await exportOf(
    'export-one-2',
    ids.map((id) => [id, id === 'C2' ? '/etc/passwd' : `${id}.jpg`, labelOf(id), `New ${id}`]),
  );
  const run = await runCli(museum, ['import', '--metadata', second]);
  expect(run.messages).toContain(
    '1 object whose new row was refused is kept as it was (C2), with its previous details, image and label.',
  );
});
