import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, dataStatus, pullData, pushData, setDvcConfig } from '../../pipeline/data/index.ts';
import { onRemoteFileOf } from '../../pipeline/data/pushed.ts';
import { openRemote, type Remote } from '../../pipeline/data/remote.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { openShardIndex } from '../../pipeline/shard/index-store.ts';
import { cleanup, writeTree } from './helpers.ts';
import { filesIn, makeShare, remount, repository, type Share, unmount } from './share-fixture.ts';

/*
 * A folder remote whose url is the mount point of a network share (url = /mnt/nas). Unmounted, the share leaves an
 * empty folder there: a push filled it on this computer's own disk and said "Pushed", and a pull said files were
 * missing from the remote. What this computer sent there before (its record, .dvc/tmp/vitrine-on-remote.json) tells
 * a share not mounted from a new, empty remote.
 */

let share: Share;
let base: string;
let repo: string;
/** The mount point, and the remote's url: it stays, empty, when the share goes. */
let mount: string;
/** Where the share's files are while it is "unmounted". */
let away: string;
beforeEach(async () => {
  share = await makeShare({ prefix: 'vitrine-share-unmounted-' });
  ({ base, repo, mount, away } = share);
});
afterEach(async () => {
  await cleanup(base);
});

const said = (log: ReturnType<typeof memoryLogger>) => log.lines.map((l) => l.message).join('\n');

/** What a refusal must say: the folder, the count, the likely cause and the way out when it was really emptied. */
function expectRefusal(error: unknown, count?: number): void {
  expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).toContain(`The storage remote's folder ${mount} (remote "storage") is empty`);
  if (count !== undefined) expect(message).toContain(`${count} files`);
  expect(message).toMatch(/network share or a drive that is not mounted/);
  // Making files/md5 by hand no longer says so (reviewer V18, F1): a push to a mount point would fill it.
  expect(message).not.toContain('mkdir -p');
  // Nor deleting the record of every remote (reviewer V19, F4): forgetting this one, once it is known mounted.
  expect(message).not.toContain(onRemoteFileOf(repo));
  expect(message.indexOf('npx vitrine data push --new-remote')).toBeGreaterThan(message.indexOf('Mount or'));
  expect(message).not.toContain('missing from');
}

describe('a folder remote at the mount point of a share that is not mounted', () => {
  it('a push is refused, as the share not mounted, and writes nothing on this disk', async () => {
    await repository({ share, count: 5 });
    await pushData({ root: repo, log: silentLogger });
    await unmount({ share });
    const log = memoryLogger();
    const error = await pushData({ root: repo, log }).catch((e: unknown) => e);
    expectRefusal(error, 5);
    expect(await filesIn({ dir: mount, absolute: true })).toEqual([]);
    expect(said(log)).not.toMatch(/Pushed/);

    // Mounted again, nothing is missing.
    await remount({ share });
    const after = memoryLogger();
    expect(await pushData({ root: repo, log: after })).toEqual({ transferred: 0, skipped: 5 });
  });

  it('a pull is refused with the same words, not as files missing from the remote', async () => {
    await repository({ share, count: 3 });
    await pushData({ root: repo, log: silentLogger });
    // This computer lost the images (the folder list stays in the cache): a pull must fetch them.
    await rm(path.join(repo, 'data'), { recursive: true, force: true });
    const cache = path.join(repo, '.dvc', 'cache', 'files', 'md5');
    for (const item of await readdir(cache, { withFileTypes: true, recursive: true }))
      if (item.isFile() && !item.name.endsWith('.dir')) await rm(path.join(item.parentPath, item.name));
    await unmount({ share });
    const error = await pullData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expectRefusal(error, 3);
    expect(await filesIn({ dir: mount, absolute: true })).toEqual([]);

    await remount({ share });
    expect(await pullData({ root: repo, log: silentLogger })).toMatchObject({ transferred: 3 });
  });

  it('a pull without even the folder list in the cache is refused too', async () => {
    await repository({ share, count: 2 });
    await pushData({ root: repo, log: silentLogger });
    await rm(path.join(repo, 'data'), { recursive: true, force: true });
    await cleanup(path.join(repo, '.dvc', 'cache'));
    await unmount({ share });
    const error = await pullData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expectRefusal(error);
  });

  it('verify --remote and status --remote are refused with the same words', async () => {
    await repository({ share, count: 2 });
    await pushData({ root: repo, log: silentLogger });
    await unmount({ share });
    const error = await verifyData({ root: repo, log: silentLogger, remote: true }).catch((e: unknown) => e);
    expectRefusal(error, 2);
    const status = await dataStatus({ root: repo, log: silentLogger, remote: true }).catch((e: unknown) => e);
    expectRefusal(status, 2);
  });

  it('a folder holding other things but none of the stored files is refused too', async () => {
    await repository({ share, count: 2 });
    await pushData({ root: repo, log: silentLogger });
    await unmount({ share });
    await mkdir(path.join(mount, 'lost+found'));
    const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    expect((error as Error).message).toContain(`folder ${mount} (remote "storage") holds none of the files`);
    expect(await filesIn({ dir: mount, absolute: true })).toEqual([]);
  });

  it('a remote really emptied: the push --new-remote the refusal names sends everything again', async () => {
    await repository({ share, count: 4 });
    await pushData({ root: repo, log: silentLogger });
    await rm(mount, { recursive: true });
    await mkdir(mount);
    const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expectRefusal(error, 4);
    expect(await pushData({ root: repo, log: silentLogger, newRemote: true })).toEqual({ transferred: 4, skipped: 0 });
  });

  it('a new remote (no record of a push to it) that is an empty folder is pushed to as before', async () => {
    await repository({ share, count: 3 });
    const log = memoryLogger();
    expect(await pushData({ root: repo, log })).toEqual({ transferred: 3, skipped: 0 });
    expect(said(log)).toContain('Pushed to "storage": 3 files uploaded, 0 already there.');
  });

  it('a record of another folder under the same remote name does not refuse an empty new one', async () => {
    await repository({ share, count: 2 });
    await pushData({ root: repo, log: silentLogger });
    const moved = path.join(base, 'new-nas');
    await mkdir(moved);
    await setDvcConfig({ root: repo, values: [{ section: 'remote "storage"', key: 'url', value: moved }] });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 2, skipped: 0 });
  });

  it('a share unmounted part-way through a push, after an earlier one, writes nothing under the mount point', async () => {
    await repository({ share, count: 5 });
    await pushData({ root: repo, log: silentLogger });
    const more: Record<string, string> = {};
    for (let i = 1; i <= 60; i++) more[`images/B${i}.jpg`] = `another image ${i}`;
    await writeTree(path.join(repo, 'data'), more);
    await addData({ root: repo, log: silentLogger });
    const opened = await openRemote({ root: repo });
    let done = 0;
    const dropping: Remote = {
      ...opened,
      async put(options) {
        await opened.put(options);
        if (++done === 10) await unmount({ share });
      },
    };
    const error = await pushData({ root: repo, remote: dropping, jobs: 4, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/network share or a drive that is not mounted/);
    expect(await filesIn({ dir: mount, absolute: true })).toEqual([]);
    expect(await stat(path.join(away, 'files', 'md5')).then((s) => s.isDirectory())).toBe(true);
  });

  // Reviewer V18 (MED): the shard caches' index was still written under the empty mount point.
  it('the shard caches index is not written on this disk when the share is not mounted', async () => {
    await repository({ share, count: 3 });
    await pushData({ root: repo, log: silentLogger });
    const index = await openShardIndex({ root: repo });
    await unmount({ share });
    const error = await index.write(`${'b'.repeat(32)}.json`, Buffer.from('{}')).catch((e: unknown) => e);
    expectRefusal(error, 3);
    expect(await filesIn({ dir: mount, absolute: true })).toEqual([]);
  });
});
