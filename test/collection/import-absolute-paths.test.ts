import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { cleanup, tempDir } from '../data/helpers.ts';

/*
 * An outside tester's export named every image by its Windows path (C:\Collections\Médiathèque\Photos\…): 60 identical
 * warnings, then "Fix these rows in the export, or run vitrine init again with --on-invalid skip to import the other
 * rows", when there were no other rows. The rows are said once, with the folder they share and how to mend the export.
 */

let root: string;
beforeAll(async () => {
  root = await tempDir('vitrine-import-absolute-');
});
afterAll(async () => {
  await cleanup(root);
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const PREFIX = 'C:\\Collections\\Médiathèque\\Photos\\';

async function windowsExport(name: string, alsoRelative: boolean) {
  const dir = path.join(root, name);
  const images = path.join(dir, 'images');
  await mkdir(path.join(images, 'salle 1'), { recursive: true });
  const rows = [1, 2, 3, 4].map((i) => [`A${i}`, `${PREFIX}salle ${i % 2}\\A${i}.jpg`, 'coin']);
  if (alsoRelative) {
    await writeFile(path.join(images, 'B1.jpg'), JPEG);
    rows.push(['B1', 'B1.jpg', 'coin']);
  }
  const csv = path.join(dir, 'objects.csv');
  await writeFile(csv, stringify([['id', 'image', 'label'], ...rows]));
  return { csv, images, ws: workspace(path.join(dir, 'repo')) };
}

describe('an export whose image paths are absolute Windows paths', () => {
  it('is refused in one message naming the folder they share, and not told to skip the rows', async () => {
    const { csv, images, ws } = await windowsExport('fail', false);
    const params = defaultParams();
    params.import.on_invalid = 'fail';
    const error = await importCollection({ ws, params, metadata: csv, images, log: memoryLogger() }).catch((e) => e);
    expect(isVitrineError(error) && error.code).toBe('IMPORT_INVALID');
    const message = String(error.message);
    expect(message).toContain(`4 image paths in ${csv} are absolute (lines 2, 3, 4, 5)`);
    expect(message).toContain(`all start with "${PREFIX}"`);
    expect(message).toContain(`remove "${PREFIX}" from the image column`);
    expect(message).not.toContain('--on-invalid skip');
    expect(message).not.toContain('import the other rows');
    // Said once, not once per row.
    expect(message.split('is an absolute path').length - 1).toBe(0);
  });

  // A reviewer: "copy that folder" for a prefix of "C:\\" alone (a whole drive); the skip hint dropped though other
  // rows could be imported.
  it('names no folder when they share only a drive, and keeps the skip hint when other rows are fine', async () => {
    const dir = path.join(root, 'drive');
    const images = path.join(dir, 'images');
    await mkdir(images, { recursive: true });
    await writeFile(path.join(images, 'B1.jpg'), JPEG);
    const rows = [
      ['A1', 'C:\\A1.jpg', 'coin'],
      ['A2', 'C:\\Other\\A2.jpg', 'coin'],
      ['B1', 'B1.jpg', 'coin'],
    ];
    const csv = path.join(dir, 'objects.csv');
    await writeFile(csv, stringify([['id', 'image', 'label'], ...rows]));
    const params = defaultParams();
    params.import.on_invalid = 'fail';
    const ws = workspace(path.join(dir, 'repo'));
    const error = await importCollection({ ws, params, metadata: csv, images, log: memoryLogger() }).catch((e) => e);
    const message = String(error.message);
    expect(message).toContain('2 image paths');
    expect(message).not.toContain('all start with');
    expect(message).toContain('Copy the images to one folder on this computer');
    expect(message).toContain('import the other rows');
  });

  it('with on_invalid skip: one warning for the rows, the other rows imported', async () => {
    const { csv, images, ws } = await windowsExport('skip', true);
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const log = memoryLogger();
    await importCollection({ ws, params, metadata: csv, images, log });
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings.filter((w) => w.includes('absolute'))).toHaveLength(1);
    expect(warnings.join('\n')).toContain(`all start with "${PREFIX}"`);
  });
});
