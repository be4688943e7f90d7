import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { addData, dataStatus, pushData } from '../../pipeline/data/index.ts';
import { mergeData } from '../../pipeline/data/merge.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { cleanup, writeTree } from '../data/helpers.ts';
import { git, record, twoClones } from '../data/two-clones.ts';

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

  it('resolved by hand into a record (markers gone): refused before it changes data/, and allowed after data merge', async () => {
    const clones = await twoClones();
    try {
      await writeTree(path.join(clones.a, 'data'), { 'images/NEW-A.jpg': 'new a' });
      await record(clones.a, 'A’s photographs');
      await pushData({ root: clones.a, log: silentLogger });
      git(clones.a, 'push', '-q');
      const b = clones.b;
      await writeTree(path.join(b, 'data'), { 'images/NEW-B.jpg': 'new b' });
      await record(b, 'B’s photographs');
      expect(() => git(b, 'pull', '-q', '--no-rebase')).toThrow();
      // The other branch's lines kept, git's markers and this branch's lines deleted: a record that reads well.
      const dvcFile = path.join(b, 'data.dvc');
      const conflicted = await readFile(dvcFile, 'utf8');
      await writeFile(dvcFile, conflicted.replace(/^<{7}[\s\S]*?^={7}.*\n/m, '').replace(/^>{7}.*\n/m, ''));
      const kept = await readFile(dvcFile, 'utf8');
      expect(kept).not.toMatch(/<{7}|={7}|>{7}/);

      const ws = workspace(b);
      const exported = path.join(clones.base, 'export');
      await mkdir(exported, { recursive: true });
      const ids = ['A1', 'A2', 'A3', 'NEW-A', 'NEW-B', 'C1'];
      for (const id of ids) await writeFile(path.join(exported, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
      await writeFile(
        path.join(exported, 'objects.csv'),
        `id,image\n${ids.map((id) => `${id},${id}.jpg`).join('\n')}\n`,
      );
      const p = defaultParams();
      p.import.columns = { ...p.import.columns, id: 'id', image: 'image' };
      const run = () =>
        importCollection({
          ws,
          params: p,
          metadata: path.join(exported, 'objects.csv'),
          images: exported,
          log: memoryLogger(),
        });
      const snapshot = async () => ({
        objects: await readFile(ws.objects, 'utf8'),
        images: (await readdir(path.join(ws.data, 'images'))).sort(),
        labels: await readFile(ws.labels, 'utf8').catch(() => null),
      });
      const before = await snapshot();
      const error = await run().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DATA_MERGE_UNFINISHED' });
      expect((error as Error).message).toContain('an import now');
      expect((error as Error).message).toContain('Run "npx vitrine data merge"');
      expect(await snapshot()).toEqual(before);
      expect(await readFile(dvcFile, 'utf8')).toBe(kept);

      // Once data merge has written the merge, an import (then its data add) is part of the merge, as docs/data.md
      // advises for two tables of objects.
      await mergeData({ root: b, log: silentLogger });
      await run();
      expect((await readdir(path.join(ws.data, 'images'))).sort()).toContain('C1.jpg');
      await addData({ root: b, log: silentLogger, written: true });
      git(b, 'add', 'data.dvc');
      git(b, 'commit', '-q', '--no-edit');
      expect((await dataStatus({ root: b, log: silentLogger })).clean).toBe(true);
    } finally {
      await cleanup(clones.base);
    }
  }, 60_000);
});
