import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initData, setDvcConfig } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { INDEX_FOLDER, openShardIndex } from '../../pipeline/shard/index-store.ts';
import { cleanup, tempDir } from '../data/helpers.ts';

/*
 * The shard caches' index on a folder remote whose folder has gone (a network share unmounted after the shard sent
 * its caches): the index file was written with a recursive mkdir, which made the remote's folder again on this
 * computer's own disk. As an upload of the data does, it makes only the folders under the remote's own.
 */

let base: string;
let repo: string;
/** The remote's folder, on the share. */
let share: string;
beforeEach(async () => {
  base = await tempDir('vitrine-shard-index-folder-');
  repo = path.join(base, 'repo');
  share = path.join(base, 'mnt', 'nas');
  await mkdir(share, { recursive: true });
  await mkdir(repo);
  expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
  await initData({ root: repo, remoteUrl: path.join(base, 'elsewhere') });
  await setDvcConfig({
    root: repo,
    values: [
      { section: 'core', key: 'remote', value: 'storage' },
      { section: 'remote "storage"', key: 'url', value: share },
    ],
  });
});
afterEach(async () => {
  await cleanup(base);
});

const name = `${'b'.repeat(32)}.json`;

describe('the shard caches index on a folder remote', () => {
  it('is written below a remote folder that is there, its own folders made', async () => {
    const index = await openShardIndex({ root: repo });
    await index.write(name, Buffer.from('{"schema":"x"}'));
    expect(await index.list()).toEqual([name]);
    expect(await readFile(path.join(share, INDEX_FOLDER, name), 'utf8')).toBe('{"schema":"x"}');
  });

  it('is refused when the remote folder has gone, as the folder gone, and makes no folder on this disk', async () => {
    const index = await openShardIndex({ root: repo });
    await rm(share, { recursive: true });
    const error = await index.write(name, Buffer.from('{}')).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_MISSING'), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(share);
    expect(message).toMatch(/network share .*unmounted/);
    expect(message).not.toContain('mkdir');
    expect(
      await stat(share).then(
        () => true,
        () => false,
      ),
    ).toBe(false);
    expect(await readdir(path.join(base, 'mnt'))).toEqual([]);
  });
});
