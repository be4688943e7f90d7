import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { folderMatches, type Manifest, restoreFolder } from '../../pipeline/registry/store.ts';

/*
 * A registration tag lists the model's files (relpath → md5). A tag is text anyone who can push a tag
 * wrote: a relpath that leaves the model folder must not be written, read or hashed.
 */

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-store-entries-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const MD5 = 'd41d8cd98f00b204e9800998ecf8427e'; // the empty file's

describe('a registration listing files outside the model folder', () => {
  for (const relpath of ['../outside.txt', 'a/../../outside.txt', '/etc/passwd', 'a\\..\\b', '', '.']) {
    it(`refuses ${JSON.stringify(relpath)} before writing anything`, async () => {
      const source = path.join(root, 'source');
      await mkdir(source, { recursive: true });
      await writeFile(path.join(source, 'model.json'), '');
      const manifest: Manifest = { md5: `${MD5}.dir`, files: [{ relpath, md5: MD5, size: 0 }] };
      const dir = path.join(root, 'work', 'model');
      await mkdir(path.dirname(dir), { recursive: true });
      const error = await restoreFolder({ dir, manifest, sources: [source], remote: null, log: silentLogger }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VitrineError);
      expect((error as VitrineError).code).toBe('REGISTRY_FILES_INVALID');
      expect((error as VitrineError).message).toContain('does not name a file inside the model folder');
      expect(await readdir(root)).toEqual(['source', 'work']);
      expect(await readdir(path.join(root, 'work'))).toEqual([]);
      await expect(folderMatches({ dir, manifest })).rejects.toThrow(/does not name a file inside the model folder/);
    });
  }

  it('refuses an md5 that is not one', async () => {
    const manifest: Manifest = { md5: `${MD5}.dir`, files: [{ relpath: 'model.json', md5: '../x', size: 0 }] };
    await expect(
      restoreFolder({ dir: path.join(root, 'model'), manifest, remote: null, log: silentLogger }),
    ).rejects.toThrow(/not an md5/);
  });
});
