import { cpSync, renameSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, pullData, pushData } from '../../pipeline/data/index.ts';
import { onRemoteFileOf } from '../../pipeline/data/pushed.ts';
import { notTheRemoteError } from '../../pipeline/data/remote.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, writeTree } from './helpers.ts';
import { filesIn, makeShare, repository, type Share } from './share-fixture.ts';

/*
 * Reviewer V20: a record from before the marks (no mark id in it) took ANY recorded folder list at the remote for
 * the remote, so an old list left at a share's mount point by a push made while unmounted let a push write there
 * again, and leave a mark there (F1). A computer that only pulled was told of the mark left "when this computer sent
 * files there" (F2).
 */

let share: Share;
let base: string;
let repo: string;
/** The mount point, and the remote's url. */
let mount: string;
beforeEach(async () => {
  share = await makeShare({ prefix: 'vitrine-share-premark-' });
  ({ base, repo, mount } = share);
});
afterEach(async () => {
  await cleanup(base);
});

const record = async (root = repo) => JSON.parse(await readFile(onRemoteFileOf(root), 'utf8'));
const markAt = (dir: string) => readdir(dir).then((names) => names.includes('.vitrine-remote-id'));

/**
 * v1 pushed while the share was not mounted (onto this disk), v2 to the share: then no marks anywhere, as an older
 * Vitrine left them, and the share unmounted again. The mount point holds v1 only; the record lists v1 and v2.
 */
async function oldListAtMountPoint(): Promise<void> {
  await repository({ share, count: 2 });
  await pushData({ root: repo, log: silentLogger });
  const disk = path.join(base, 'disk');
  cpSync(mount, disk, { recursive: true });
  await writeTree(path.join(repo, 'data'), { 'images/A9.jpg': 'v2' });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  const old = await record();
  for (const entry of Object.values(old.remotes) as { mark?: string }[]) delete entry.mark;
  await writeFile(onRemoteFileOf(repo), JSON.stringify(old));
  await rm(path.join(disk, '.vitrine-remote-id'), { force: true });
  renameSync(mount, path.join(base, 'share-away'));
  renameSync(disk, mount);
  expect(old.remotes.storage.lists.length).toBe(2);
}

describe('a record from before the marks, an older recorded list at the mount point (reviewer V20, F1)', () => {
  it('a push of a new version is refused: nothing written there, no mark made', async () => {
    await oldListAtMountPoint();
    const before = await filesIn({ dir: mount, missing: 'throw' });
    await writeTree(path.join(repo, 'data'), { 'images/A10.jpg': 'v3' });
    await addData({ root: repo, log: silentLogger });
    const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    expect((error as Error).message).toContain('lacks the list of the version this computer sent there last');
    expect(await filesIn({ dir: mount, missing: 'throw' })).toEqual(before);
    expect(await markAt(mount)).toBe(false);
  });

  it('a push of the old version it holds whole sends nothing and leaves no mark there either', async () => {
    await oldListAtMountPoint();
    const before = await filesIn({ dir: mount, missing: 'throw' });
    await rm(path.join(repo, 'data', 'images', 'A9.jpg'));
    await addData({ root: repo, log: silentLogger });
    const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    expect(await filesIn({ dir: mount, missing: 'throw' })).toEqual(before);
    expect((await record()).remotes.storage.mark).toBeUndefined();
  });

  it('the shard caches index check refuses it too; mounted again, it is the remote', async () => {
    await oldListAtMountPoint();
    const error = await notTheRemoteError({ root: repo, name: 'storage', url: mount });
    expect(error).toMatchObject({ code: 'REMOTE_FOLDER_EMPTIED', data: { lacking: 'lists' } });
    renameSync(mount, path.join(base, 'disk'));
    renameSync(path.join(base, 'share-away'), mount);
    expect(await notTheRemoteError({ root: repo, name: 'storage', url: mount })).toBeUndefined();
  });
});

describe('a computer that only pulled from a remote now without its mark (reviewer V20, F2)', () => {
  it('is told of the mark it found there before, not of one left when it sent files there', async () => {
    await repository({ share, count: 2 });
    await pushData({ root: repo, log: silentLogger });
    const other = path.join(base, 'other');
    cpSync(repo, other, { recursive: true });
    await rm(onRemoteFileOf(other));
    await rm(path.join(other, '.dvc', 'cache'), { recursive: true });
    await rm(path.join(other, 'data', 'images'), { recursive: true });
    await pullData({ root: other, log: silentLogger });
    expect((await record(other)).remotes.storage.mark).toMatch(/^[0-9a-f]{32}$/);

    // Unmounted, its mount point holding a copy of the stored files without the mark: it sends an image there.
    renameSync(mount, path.join(base, 'share-away'));
    await mkdir(mount);
    cpSync(path.join(base, 'share-away', 'files'), path.join(mount, 'files'), { recursive: true });
    await writeTree(path.join(other, 'data'), { 'images/B1.jpg': 'b' });
    await addData({ root: other, log: silentLogger });
    const error = await pushData({ root: other, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('lacks the mark this computer found there before (.vitrine-remote-id)');
    expect(message).not.toContain('sent files there');
  });
});
