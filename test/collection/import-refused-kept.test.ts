import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { readObjects } from '../../pipeline/collection/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';

/*
 * Session 4, 2026-12-02: under import.on_invalid: skip, an object already in the collection whose row in the new
 * export was refused (a bad image path) was dropped from data/objects.csv, with its image, and only warned about.
 * Its row was refused, not left out of the export: it keeps its previous row, and the message says so by line.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-refused-kept-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const ids = Array.from({ length: 20 }, (_, i) => `KP-${i + 1}`);

/** An export in `<name>/<file>` of rows [id, image, title], its images written beside it. */
async function exportOf(name: string, file: string, rows: string[][]): Promise<{ csv: string; images: string }> {
  const images = path.join(root, name, 'images');
  await mkdir(images, { recursive: true });
  for (const [id, image] of rows)
    if (image && !image.startsWith('/'))
      await writeFile(path.join(images, image), Buffer.concat([JPEG, Buffer.from(id!)]));
  const csv = path.join(root, name, file);
  await writeFile(
    csv,
    stringify([['id', 'image', 'label', 'title'], ...rows.map(([id, image, title]) => [id, image, 'coin', title])]),
  );
  return { csv, images };
}

async function collection(name: string): Promise<Workspace> {
  const ws = workspace(path.join(root, name, 'repo'));
  const full = await exportOf(
    name,
    'full.csv',
    ids.map((id) => [id, `${id}.jpg`, `Old ${id}`]),
  );
  await importCollection({ ws, params: defaultParams(), metadata: full.csv, images: full.images, log: memoryLogger() });
  return ws;
}

describe('an object whose row in the new export is refused', () => {
  for (const labels of ['merge', 'replace'] as const) {
    it(`keeps its previous row, image and label (--labels ${labels}), said with the file and line`, async () => {
      const ws = await collection(`kept-${labels}`);
      const labelsBefore = await readFile(ws.labels, 'utf8');
      const params = defaultParams();
      params.import.on_invalid = 'skip';
      // KP-3 (line 4) and KP-12 (line 13) name an absolute path: refused.
      const next = await exportOf(
        `kept-${labels}`,
        'next.csv',
        ids.map((id) => [id, id === 'KP-3' || id === 'KP-12' ? '/etc/passwd' : `${id}.jpg`, `New ${id}`]),
      );
      const log = memoryLogger();
      await importCollection({ ws, params, metadata: next.csv, images: next.images, labels, log });
      const { objects } = await readObjects({ file: ws.objects });
      const byId = new Map(objects.map((o) => [o.id, o]));
      expect(objects).toHaveLength(20);
      expect(byId.get('KP-3')?.title).toBe('Old KP-3');
      expect(byId.get('KP-12')?.title).toBe('Old KP-12');
      expect(byId.get('KP-4')?.title).toBe('New KP-4');
      expect((await stat(path.join(ws.data, byId.get('KP-3')!.image))).isFile()).toBe(true);
      expect(await readFile(ws.labels, 'utf8')).toBe(labelsBefore);
      const said = log.lines.map((l) => l.message).join('\n');
      expect(said).toMatch(/kept unchanged/);
      expect(said).toMatch(/KP-3 \([^)]*next\.csv:4\)/);
      expect(said).toMatch(/KP-12 \([^)]*next\.csv:13\)/);
      expect(said).not.toMatch(/left out because/);
      expect(said).not.toMatch(/no longer in the export/);
      expect(said).not.toMatch(/removed/);
    });
  }
});

// Session 5: the rows to keep are gone over once, before the image file names are chosen. A row refused after that,
// because the repository's path is too long for its image's name, must still keep its object's previous row.
describe('an object whose row is refused because its image cannot be stored (path too long)', () => {
  it('keeps its previous row, like any refused row', async () => {
    let deep = path.join(root, 'deep');
    while (deep.length < 3900) deep = path.join(deep, 'd'.repeat(Math.min(250, 3900 - deep.length + 1)));
    const ws = workspace(deep);
    // The longest id taken (200 bytes): longer ones are refused for themselves (import-long-ids.test.ts).
    const long = 'Y'.repeat(200);
    // First without an image: the object is in the collection, with nothing the path could be too long for.
    const first = await exportOf('deep', 'first.csv', [
      ['A1', 'A1.jpg', 'Old A1'],
      [long, '', 'Old long'],
    ]);
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    await importCollection({ ws, params, metadata: first.csv, images: first.images, log: memoryLogger() });
    const next = await exportOf('deep', 'next.csv', [
      ['A1', 'A1.jpg', 'New A1'],
      [long, 'long.jpg', 'New long'],
    ]);
    const log = memoryLogger();
    const result = await importCollection({ ws, params, metadata: next.csv, images: next.images, log });
    expect(result.refused.map((p) => [p.line, p.message.includes('too long')])).toEqual([[3, true]]);
    const { objects } = await readObjects({ file: ws.objects });
    expect(objects.map((o) => [o.id.slice(0, 3), o.title])).toEqual([
      ['A1', 'New A1'],
      ['YYY', 'Old long'],
    ]);
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/kept unchanged/);
  });
});
