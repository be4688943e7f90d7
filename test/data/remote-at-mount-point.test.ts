import { mkdirSync, renameSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { addData, initData, pushData, setDvcConfig } from '../../pipeline/data/index.ts';
import { openRemote, type Remote } from '../../pipeline/data/remote.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * Reviewer V16 (HIGH): a folder remote whose url is the share's mount point itself (url = /mnt/collection). When
 * the share drops, the empty mount point stays: the remote's folder is "there", and the push made files/md5 in it,
 * on this computer's own disk, then failed with a raw ENOENT. The remote's layout (files/md5), once seen, is never
 * made again by a transfer either.
 */

let base: string;
beforeEach(async () => {
  base = await tempDir('vitrine-mount-point-');
});
afterEach(async () => {
  await cleanup(base);
});

/** A repository of `count` images added, whose default remote "storage" is the mount point itself (`mount`). */
async function atMountPoint(count: number): Promise<{ repo: string; mount: string }> {
  const repo = path.join(base, 'repo');
  const mount = path.join(base, 'mnt');
  mkdirSync(mount);
  mkdirSync(repo);
  const files: Record<string, string> = {};
  for (let i = 1; i <= count; i++) files[`images/A${i}.jpg`] = `image ${i}`;
  await writeTree(path.join(repo, 'data'), files);
  await initData({ root: repo, remoteUrl: path.join(base, 'elsewhere') });
  await setDvcConfig({
    root: repo,
    values: [
      { section: 'core', key: 'remote', value: 'storage' },
      { section: 'remote "storage"', key: 'url', value: mount },
    ],
  });
  await addData({ root: repo, log: silentLogger });
  return { repo, mount };
}

it('a share unmounted mid-push at the remote url itself: said as gone part-way, nothing written on this disk', async () => {
  const { repo, mount } = await atMountPoint(60);
  const away = path.join(base, 'away');
  const opened = await openRemote({ root: repo });
  let done = 0;
  const dropping: Remote = {
    ...opened,
    async put(o) {
      await opened.put(o);
      // Unmounted: the share's files go with it, the empty mount point stays.
      if (++done === 10) {
        renameSync(mount, away);
        mkdirSync(mount);
      }
    },
  };
  const error = await pushData({ root: repo, remote: dropping, jobs: 4, log: silentLogger }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isVitrineError(error) && error.code).toBe('REMOTE_FOLDER_MISSING');
  expect((error as Error).message).toContain('went away part-way');
  expect((error as Error).message).toContain('10 of 60 files were sent');
  expect(await readdir(mount, { recursive: true })).toEqual([]);
});

// Reviewer V18 (LOW): the first upload to find files/md5 gone (the folder itself still there, empty) said the folder
// "is not there" and to make it with mkdir -p, which does nothing for a share that is not mounted.
it('files/md5 gone from under a remote that had it: said as the remote gone part-way, not as a folder to make', async () => {
  const { repo, mount } = await atMountPoint(2);
  const remote = await openRemote({ root: repo });
  const cache = path.join(repo, '.dvc', 'cache', 'files', 'md5');
  const objects: { md5: string; file: string }[] = [];
  for (const item of await readdir(cache, { withFileTypes: true, recursive: true }))
    if (item.isFile() && !item.name.endsWith('.dir'))
      objects.push({ md5: path.basename(item.parentPath) + item.name, file: path.join(item.parentPath, item.name) });
  await remote.put(objects[0]!);
  renameSync(mount, path.join(base, 'away'));
  mkdirSync(mount);
  const error = await remote.put(objects[1]!).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isVitrineError(error) && error.code).toBe('REMOTE_FOLDER_MISSING');
  expect((error as Error).message).toContain('went away part-way');
  expect((error as Error).message).not.toContain('mkdir -p');
  expect(await readdir(mount, { recursive: true })).toEqual([]);
});
