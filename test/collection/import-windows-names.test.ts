import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { imageFileNames, importCollection, safeFileName } from '../../pipeline/collection/import.ts';
import { readObjects } from '../../pipeline/collection/index.ts';
import { windowsUnsafeRelpath } from '../../pipeline/data/cache.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Import names each image in data/images/ after its object id. An object numbered "CON", "nul" or "COM1.2" would
 * become a file Windows cannot write (a device name, with any extension): a museum cloning the repository on
 * Windows could not check it out. Those ids get a name with "_" after the device name.
 */

describe('image file names from object ids, on Windows', () => {
  it.each([
    ['CON', 'CON_'],
    ['nul', 'nul_'],
    ['Aux', 'Aux_'],
    ['PRN', 'PRN_'],
    ['COM1', 'COM1_'],
    ['lpt9', 'lpt9_'],
    ['COM1.2', 'COM1_.2'],
    ['NUL.tar', 'NUL_.tar'],
  ])('%j becomes %j', (id, name) => {
    expect(safeFileName(id)).toBe(name);
  });

  it.each(['CONSOLE', 'COM10', 'COM0', 'icon', '1987.123.4a-b', 'LPT'])('%j is kept', (id) => {
    expect(safeFileName(id)).toBe(id);
  });

  it('names no image Windows cannot write, for ids that are devices or end in a dot or a space', () => {
    const ids = ['CON', 'nul', 'com3', 'LPT1.5', 'A.', 'B ', 'C..', 'aux.'];
    const names = imageFileNames(ids.map((id) => ({ id, ext: '.jpg' })));
    for (const id of ids) expect(windowsUnsafeRelpath(`images/${names.get(id)}`), names.get(id)).toBeUndefined();
    expect(new Set(names.values()).size).toBe(ids.length);
  });

  it('an import of objects numbered CON and nul writes files Windows can check out', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-windows-'));
    try {
      const images = path.join(root, 'export', 'images');
      await mkdir(images, { recursive: true });
      const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
      await writeFile(path.join(images, 'con.jpg'), Buffer.concat([JPEG, Buffer.from('1')]));
      await writeFile(path.join(images, 'nul.jpg'), Buffer.concat([JPEG, Buffer.from('2')]));
      const csv = path.join(root, 'export', 'objects.csv');
      await writeFile(
        csv,
        stringify([
          ['id', 'image', 'label'],
          ['CON', 'con.jpg', 'vase'],
          ['nul', 'nul.jpg', 'bowl'],
        ]),
      );
      const ws = workspace(path.join(root, 'repo'));
      const result = await importCollection({
        ws,
        params: defaultParams(),
        metadata: csv,
        images,
        log: memoryLogger(),
      });
      expect(result).toMatchObject({ objects: 2, withoutImage: 0 });
      expect((await readdir(ws.images)).sort()).toEqual(['CON_.jpg', 'nul_.jpg']);
      const { objects } = await readObjects({ file: ws.objects });
      expect(objects.map((o) => o.image).sort()).toEqual(['images/CON_.jpg', 'images/nul_.jpg']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
