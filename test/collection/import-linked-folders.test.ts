import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
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
 * An export whose images folder holds links to folders elsewhere (a shared drive linked in) has every such row
 * refused, rightly; but one warning per row (1,955 lines in a tester's run) buried the one thing to do. The
 * rows are said in one message: the count, the links, a few examples.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-linked-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

/** 30 objects in images/egypt and 12 in images/five, both links to folders outside; A1 a real file. */
async function linkedExport(name: string) {
  const dir = path.join(root, name);
  const images = path.join(dir, 'export', 'images');
  const shared = path.join(dir, 'shared');
  await mkdir(images, { recursive: true });
  const rows: string[][] = [['A1', 'A1.jpg', 'coin']];
  await writeFile(path.join(images, 'A1.jpg'), JPEG);
  for (const [folder, count] of [
    ['egypt', 30],
    ['five', 12],
  ] as const) {
    await mkdir(path.join(shared, folder), { recursive: true });
    for (let i = 1; i <= count; i++) {
      await writeFile(path.join(shared, folder, `${folder}-${i}.jpg`), Buffer.concat([JPEG, Buffer.from(`${i}`)]));
      rows.push([`${folder}-${i}`, `${folder}/${folder}-${i}.jpg`, 'coin']);
    }
    await symlink(path.join(shared, folder), path.join(images, folder));
  }
  // Rows in the export's order: the five-museums rows first, then Egypt's 10 before its 9 (natural order matters).
  rows.sort((a, b) => (a[0]!.startsWith('five') === b[0]!.startsWith('five') ? 0 : a[0]!.startsWith('five') ? -1 : 1));
  const csv = path.join(dir, 'export', 'objects.csv');
  await writeFile(csv, stringify([['id', 'image', 'label'], ...rows]));
  return { csv, images, ws: workspace(path.join(dir, 'repo')), shared };
}

describe('rows whose images are links to folders outside the images folder', () => {
  it('are one warning with the count, each link and a few examples (on_invalid: skip)', async () => {
    const { csv, images, ws, shared } = await linkedExport('skip');
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const log = memoryLogger();
    const result = await importCollection({ ws, params, metadata: csv, images, log });
    expect(result.refused).toHaveLength(42);
    expect(result.objects).toBe(1);
    const warnings = log.lines.filter((l) => l.level === 'warn');
    const linked = warnings.filter((l) => l.message.includes('outside the images folder'));
    expect(linked).toHaveLength(1);
    const message = linked[0]!.message;
    expect(message).toMatch(/^42 rows of \S*objects\.csv were refused/);
    expect(message).toContain(`"egypt" is a link to ${path.join(shared, 'egypt')} (30 rows, e.g. "egypt/egypt-1.jpg"`);
    expect(message).toContain(`"five" is a link to ${path.join(shared, 'five')} (12 rows`);
    // Natural order: egypt-1, egypt-2, egypt-3, not egypt-1, egypt-10, egypt-11.
    expect(message).toMatch(
      /"egypt\/egypt-1\.jpg" \(line \d+\), "egypt\/egypt-2\.jpg" \(line \d+\), "egypt\/egypt-3\.jpg"/,
    );
    expect(message).toContain('Copy the images themselves into the images folder');
    expect(message).toContain(`or import with --images ${shared}, the folder the linked folders point into.`);
    expect(linked[0]!.where).toMatchObject({ file: expect.stringMatching(/objects\.csv$/), line: 2 });
  });

  it('are one entry of the error when on_invalid is "fail"', async () => {
    const { csv, images, ws } = await linkedExport('fail');
    const log = memoryLogger();
    const error = await importCollection({ ws, params: defaultParams(), metadata: csv, images, log }).catch(
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'IMPORT_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^42 rows of \S*objects\.csv cannot be imported/);
    expect(message.split('\n').filter((l) => l.includes('outside the images folder'))).toHaveLength(1);
    expect(message).not.toContain('more (listed above)');
    // The file is named once in the entry, not "objects.csv: 42 rows of objects.csv".
    expect(message.split('\n')[1]).toMatch(/^ {2}42 rows of /);
    expect(log.lines.filter((l) => l.level === 'warn' && l.message.includes('outside the images folder'))).toEqual([]);
  });

  it('a single such row is still said on its own line', async () => {
    const { csv, images, ws } = await linkedExport('one');
    await writeFile(
      csv,
      stringify([
        ['id', 'image', 'label'],
        ['A1', 'A1.jpg', 'coin'],
        ['egypt-1', 'egypt/egypt-1.jpg', 'coin'],
      ]),
    );
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const log = memoryLogger();
    await importCollection({ ws, params, metadata: csv, images, log });
    const linked = log.lines.filter((l) => l.level === 'warn' && l.message.includes('outside the images folder'));
    expect(linked.map((l) => l.where)).toEqual([
      { file: expect.stringMatching(/objects\.csv$/), line: 3, object: 'egypt-1' },
    ]);
  });
});
