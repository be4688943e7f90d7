import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { namedImages } from '../../pipeline/catalogue/photo-problems.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { lastImportFile } from '../../pipeline/collection/import-edits.ts';
import {
  importedPhotographsFile,
  photographOrigins,
  readImportedPhotographs,
} from '../../pipeline/collection/imported-photographs.ts';
import { pullData, pushData } from '../../pipeline/data/index.ts';
import { mergeData } from '../../pipeline/data/merge.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { cleanup } from './helpers.ts';
import { conflictedPull, git, record, twoClones } from './two-clones.ts';

/*
 * A reviewer: two staff members import two exports in their clones (one adds an object, the other has a new
 * photograph of another), then one pulls: "data merge" stopped on data/.imported-photographs.json, which both imports
 * wrote whole ("Both branches changed data/.imported-photographs.json, each in its own way"), where it had finished on
 * its own before the record was kept. It is combined entry by entry: never a conflict for staff.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

const jpeg = (r: number) =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 80, b: 120 } } })
    .jpeg()
    .toBuffer();
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
/** A record as import writes it: each object's photograph under images/, with the MD5 of `text`. */
const recordOf = (entries: Record<string, string>) =>
  `${JSON.stringify(
    Object.fromEntries(
      Object.entries(entries).map(([id, text]) => [id, { image: `images/${id}.jpg`, md5: md5(text) }]),
    ),
    null,
    2,
  )}\n`;
const md5Of = async (file: string) =>
  createHash('md5')
    .update(await readFile(file))
    .digest('hex');

describe('data merge after two imports', () => {
  it('combines data/.imported-photographs.json entry by entry, with no conflict for staff', async () => {
    const c = await twoClones();
    dirs.push(c.base);
    const params = defaultParams();
    params.import.columns = { ...params.import.columns, id: 'id', image: 'image' };
    async function exported(name: string, rows: [string, number][]) {
      const dir = path.join(c.base, name);
      await mkdir(dir, { recursive: true });
      for (const [id, r] of rows) await writeFile(path.join(dir, `${id}.jpg`), await jpeg(r));
      const table = `id,image\n${rows.map(([id]) => `${id},${id}.jpg`).join('\n')}\n`;
      await writeFile(path.join(dir, 'objects.csv'), table);
      return { metadata: path.join(dir, 'objects.csv'), images: dir };
    }
    const imported = async (root: string, from: { metadata: string; images: string }) =>
      importCollection({ ws: workspace(root), params, ...from, log: memoryLogger() });
    const first: [string, number][] = [
      ['A1', 10],
      ['A2', 20],
      ['A3', 30],
    ];
    await imported(c.a, await exported('e0', first));
    await record(c.a, 'import');
    await pushData({ root: c.a, log: silentLogger });
    git(c.a, 'push', '-q');
    git(c.b, 'pull', '-q', '--no-rebase');
    await pullData({ root: c.b, log: silentLogger });
    // A: a new object, A4. B: a new photograph of A1.
    await imported(c.a, await exported('e1', [...first, ['A4', 40]]));
    await record(c.a, 'A4');
    await pushData({ root: c.a, log: silentLogger });
    git(c.a, 'push', '-q');
    await imported(
      c.b,
      await exported('e2', [
        ['A1', 200],
        ['A2', 20],
        ['A3', 30],
      ]),
    );
    await record(c.b, 'A1 again');
    expect(() => git(c.b, 'pull', '-q', '--no-rebase')).toThrow();

    const log = memoryLogger();
    const result = await mergeData({ root: c.b, log });
    expect(result.conflicts).toEqual([]);
    expect(result.fromOther).toContain('data/.imported-photographs.json');
    const ws = workspace(c.b);
    // Each entry is the photograph now in data/: B's new A1, A's A4.
    const entries = (await readImportedPhotographs({ ws }))!;
    expect([...entries.keys()]).toEqual(['A1', 'A2', 'A3', 'A4']);
    for (const [id, entry] of entries) {
      expect(entry.image).toBe(`images/${id}.jpg`);
      expect(entry.md5).toBe(await md5Of(path.join(ws.data, entry.image)));
    }
    const origins = await photographOrigins({
      ws,
      ids: ['A1', 'A2', 'A3', 'A4'],
      images: await namedImages({ file: ws.objects }),
      lastImport: await namedImages({ file: lastImportFile(ws) }),
    });
    expect([...origins.values()]).toEqual(['export', 'export', 'export', 'export']);
    // Run again before the commit, it finds the merge written (the record combined as before).
    expect(await mergeData({ root: c.b, log: silentLogger })).toMatchObject({ already: true });
    // The merge is finished as any other: data.dvc committed, the record pushed with the photographs.
    git(c.b, 'add', 'data.dvc');
    git(c.b, 'commit', '-q', '--no-edit');
    await pushData({ root: c.b, log: silentLogger });
    git(c.b, 'push', '-q');
    git(c.a, 'pull', '-q', '--no-rebase');
    await pullData({ root: c.a, log: silentLogger });
    expect(await readFile(importedPhotographsFile(workspace(c.a)), 'utf8')).toBe(
      await readFile(importedPhotographsFile(ws), 'utf8'),
    );
  }, 200_000);

  it('keeps, of an entry both imports changed, the one of the photograph the merge keeps', async () => {
    // Both imported a new photograph of A1 (so data/images/A1.jpg is for staff to settle); A kept A4, B A3.
    const { base, b } = await conflictedPull({
      a: {
        'images/A1.jpg': 'a1',
        'images/A4.jpg': 'four',
        '.imported-photographs.json': recordOf({ A1: 'a1', A2: 'two', A4: 'four' }),
      },
      b: { 'images/A1.jpg': 'b1', '.imported-photographs.json': recordOf({ A1: 'b1', A2: 'two', A3: 'three' }) },
    });
    dirs.push(base);
    const refused = await mergeData({ root: b, log: silentLogger }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'DATA_MERGE_CONFLICT', data: { files: ['data/images/A1.jpg'] } });
    expect(String((refused as Error).message)).not.toContain('imported-photographs');
    const ws = workspace(b);
    await mergeData({ root: b, log: silentLogger, keep: 'theirs' });
    expect(await readFile(path.join(ws.images, 'A1.jpg'), 'utf8')).toBe('a1');
    expect(await readFile(importedPhotographsFile(ws), 'utf8')).toBe(
      recordOf({ A1: 'a1', A2: 'two', A3: 'three', A4: 'four' }),
    );
  }, 200_000);
});
