import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * The second reviewer: `vitrine import` in a repository whose data.dvc still holds a merge conflict replaced the
 * images in data/ and wrote labels.csv, and only then failed on data.dvc; "data merge" then refused over the files
 * the import had changed. Import refuses first, changing nothing.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-conflict-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);

describe('an import while data.dvc holds a merge conflict', () => {
  it('is refused before it changes data/ or labels.csv', async () => {
    const ws = workspace(path.join(root, 'museum'));
    await mkdir(path.join(ws.data, 'images'), { recursive: true });
    await writeFile(path.join(ws.data, 'images', 'A1.jpg'), Buffer.concat([JPEG, Buffer.from('A1')]));
    await writeFile(ws.objects, 'id,title,image\nA1,Bowl,images/A1.jpg\n');
    await writeFile(ws.labels, 'object_id,label\nA1,coin\n');
    await writeFile(
      ws.dataDvc,
      'outs:\n<<<<<<< HEAD\n- md5: 0123456789abcdef0123456789abcdef.dir\n=======\n' +
        '- md5: fedcba9876543210fedcba9876543210.dir\n>>>>>>> a\n  path: data\n',
    );
    const exported = path.join(root, 'export');
    await mkdir(exported, { recursive: true });
    await writeFile(path.join(exported, 'B1.jpg'), Buffer.concat([JPEG, Buffer.from('B1')]));
    await writeFile(path.join(exported, 'objects.csv'), 'id,image,label\nA1,B1.jpg,mask\n');
    const p = defaultParams();
    p.import.columns = { ...p.import.columns, id: 'id', image: 'image', label: 'label' };
    const before = {
      labels: await readFile(ws.labels, 'utf8'),
      objects: await readFile(ws.objects, 'utf8'),
      images: await readdir(path.join(ws.data, 'images')),
    };
    const error = await importCollection({
      ws,
      params: p,
      metadata: path.join(exported, 'objects.csv'),
      images: exported,
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DVCFILE_MERGE_CONFLICT' });
    expect((error as Error).message).toContain('npx vitrine data merge');
    expect(await readFile(ws.labels, 'utf8')).toBe(before.labels);
    expect(await readFile(ws.objects, 'utf8')).toBe(before.objects);
    expect(await readdir(path.join(ws.data, 'images'))).toEqual(before.images);
  });
});
