import { chmod, link, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Fault tester: a checkout shared by a group (labels.csv 664, so every curator may edit it) had its files reset to
 * the umask's 644 by an import, which writes each file beside and renames it into place. The atomic writes of
 * fs.ts kept modes; import's own renames did not.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-modes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

async function exportOf(rows: string[][], version: string): Promise<{ csv: string; images: string }> {
  const dir = path.join(root, `export-${version}`);
  const images = path.join(dir, 'images');
  await mkdir(images, { recursive: true });
  for (const [id] of rows) await writeFile(path.join(images, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(version)]));
  const csv = path.join(dir, 'objects.csv');
  await writeFile(
    csv,
    stringify([['id', 'image', 'label', 'title'], ...rows.map((r) => [r[0]!, `${r[0]}.jpg`, ...r.slice(1)])]),
  );
  return { csv, images };
}

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('a re-import', () => {
  it('keeps the modes of the labels, the object records and the images it replaces', async () => {
    const ws = await workspace(path.join(root, 'repo'));
    const params = defaultParams();
    const first = await exportOf([['A1', 'coin', 'Coin']], 'one');
    await importCollection({ ws, params, metadata: first.csv, images: first.images, log: memoryLogger() });
    const image = path.join(ws.images, 'A1.jpg');
    await chmod(ws.labels, 0o664);
    await chmod(ws.objects, 0o660);
    await chmod(image, 0o664);
    // A new title, a new label and new image bytes: all three files are replaced.
    const second = await exportOf([['A1', 'vessel', 'Coin, rim chipped']], 'two');
    const log = memoryLogger();
    await importCollection({ ws, params, metadata: second.csv, images: second.images, log, labels: 'replace' });
    expect(await readFile(ws.labels, 'utf8')).toContain('A1,vessel');
    expect(await mode(ws.labels)).toBe(0o664);
    expect(await mode(ws.objects)).toBe(0o660);
    expect(await mode(image)).toBe(0o664);
  });

  // The reviewer: an image the data layer linked from its read-only cache (a hard link, 0444) gave its mode to
  // the new file that replaced it, which then could not be edited like any other.
  it('does not give a new image the read-only mode of a cache file the old one was linked to', async () => {
    const ws = await workspace(path.join(root, 'linked'));
    const params = defaultParams();
    const first = await exportOf([['B1', 'coin', 'Coin']], 'linked-one');
    await importCollection({ ws, params, metadata: first.csv, images: first.images, log: memoryLogger() });
    const image = path.join(ws.images, 'B1.jpg');
    const cached = path.join(root, 'cache-copy');
    await link(image, cached);
    await chmod(image, 0o444);
    const second = await exportOf([['B1', 'coin', 'Coin']], 'linked-two');
    await importCollection({ ws, params, metadata: second.csv, images: second.images, log: memoryLogger() });
    expect((await readFile(image)).toString()).toContain('linked-two');
    expect((await stat(image)).nlink).toBe(1);
    expect(await mode(image)).not.toBe(0o444);
    expect(await mode(cached)).toBe(0o444);
  });
});
