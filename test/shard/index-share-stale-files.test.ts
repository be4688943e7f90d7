import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pushData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { INDEX_FOLDER, openShardIndex } from '../../pipeline/shard/index-store.ts';
import { cleanup } from '../data/helpers.ts';
import { filesIn, makeShare, remount, repository, type Share, unmountLeaving } from '../data/share-fixture.ts';

/*
 * The shard caches' index on a folder remote at a share's mount point, the share not mounted, the mount point
 * holding a files/md5 of this computer's own disk (an older push made while unmounted, a "dvc push", a "mkdir -p").
 * A push refuses it (files/md5 without the mark Vitrine left at the remote's root); the index was
 * still written there, on this computer's own disk, because it only asked whether files/md5 was there.
 */

let share: Share;
let repo: string;
/** The mount point, and the remote's url. */
let mount: string;
beforeEach(async () => {
  share = await makeShare({ prefix: 'vitrine-shard-index-stale-' });
  ({ repo, mount } = share);
  await repository({ share, count: 2 });
});
afterEach(async () => {
  await cleanup(share.base);
});

const name = `${'b'.repeat(32)}.json`;

/** The refusal a push gives, in the same words. */
function expectRefusal(error: unknown): void {
  expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).toContain(`The storage remote's folder ${mount} (remote "storage")`);
  expect(message).toMatch(/network share or a drive that is not mounted/);
  expect(message).toContain('npx vitrine data push --new-remote');
}

describe('the shard caches index at the mount point of a share not mounted that holds files of its own', () => {
  it('is not written there when files/md5 lacks the folder list this computer sent last', async () => {
    await pushData({ root: repo, log: silentLogger });
    const index = await openShardIndex({ root: repo });
    const left = await unmountLeaving({ share, keep: 1 });
    expectRefusal(await index.write(name, Buffer.from('{}')).catch((e: unknown) => e));
    expect(await filesIn({ dir: mount })).toEqual(left);
  });

  it('is not written there when files/md5 was made empty by hand', async () => {
    await pushData({ root: repo, log: silentLogger });
    await unmountLeaving({ share, keep: 0 });
    const index = await openShardIndex({ root: repo });
    expectRefusal(await index.write(name, Buffer.from('{}')).catch((e: unknown) => e));
    expect(await filesIn({ dir: mount })).toEqual([]);
  });

  it('is written when the share is mounted again, and when the record of what was sent is deleted', async () => {
    await pushData({ root: repo, log: silentLogger });
    await unmountLeaving({ share, keep: 0 });
    await remount({ share });
    const index = await openShardIndex({ root: repo });
    await index.write(name, Buffer.from('{}'));
    expect(await index.list()).toEqual([name]);

    // A remote emptied on purpose: the way the refusal gives, a push that forgets what was sent there.
    await rm(mount, { recursive: true });
    await mkdir(path.join(mount, 'files', 'md5'), { recursive: true });
    await pushData({ root: repo, log: silentLogger, newRemote: true });
    await index.write(name, Buffer.from('{}'));
    expect(await filesIn({ dir: mount })).toContain(`${INDEX_FOLDER}/${name}`);
  });
});
