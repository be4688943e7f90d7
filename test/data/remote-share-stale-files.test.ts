import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, dataStatus, pullData, pushData } from '../../pipeline/data/index.ts';
import { onRemoteFileOf } from '../../pipeline/data/pushed.ts';
import { openRemote, type Remote } from '../../pipeline/data/remote.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, writeTree } from './helpers.ts';
import { filesIn, makeShare, remount, repository, type Share, unmountLeaving } from './share-fixture.ts';

/*
 * Reviewer V18 (F1, MED): a folder remote whose url is a share's mount point, unmounted, whose mount point already
 * has files/md5 on this computer's own disk (an older push made while unmounted, a "dvc push", or a "mkdir -p" that
 * a refusal advised). The check for an empty folder passed, and a push filled it again, silently. What this
 * computer's record says it sent last must be there before anything is sent or fetched.
 */

let share: Share;
let repo: string;
/** The mount point, and the remote's url. */
let mount: string;
beforeEach(async () => {
  share = await makeShare({ prefix: 'vitrine-share-stale-' });
  ({ repo, mount } = share);
});
afterEach(async () => {
  await cleanup(share.base);
});

/** The refusal: the share not mounted, nothing sent, and how to say the remote really was emptied. */
function expectRefusal(error: unknown): void {
  expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).toContain(`The storage remote's folder ${mount} (remote "storage")`);
  expect(message).toMatch(/network share or a drive that is not mounted/);
  expect(message).not.toContain(onRemoteFileOf(repo));
  expect(message).toContain('npx vitrine data push --new-remote');
  expect(message).not.toContain('mkdir -p');
}

const said = (log: ReturnType<typeof memoryLogger>) => log.lines.map((l) => l.message).join('\n');

describe('a share not mounted whose mount point holds files of its own (reviewer V18, F1)', () => {
  it('a push is refused and writes nothing there; mounted again, it sends what is missing', async () => {
    await repository({ share, count: 5 });
    await pushData({ root: repo, log: silentLogger });
    const left = await unmountLeaving({ share, keep: 2 });
    const log = memoryLogger();
    const error = await pushData({ root: repo, log }).catch((e: unknown) => e);
    expectRefusal(error);
    expect((error as Error).message).toContain('lacks the mark Vitrine left in it (.vitrine-remote-id)');
    // No count of files, as if they were lost (reviewer V19, F5): mounted, the share holds them.
    expect((error as Error).message).not.toMatch(/\d files/);
    expect((error as Error).message).toContain("would then be on this computer's own disk");
    expect(await filesIn({ dir: mount })).toEqual(left);
    expect(said(log)).not.toMatch(/Pushed/);

    await remount({ share });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 0, skipped: 5 });
  });

  it('an empty files/md5 made by hand at the mount point is refused too', async () => {
    await repository({ share, count: 3 });
    await pushData({ root: repo, log: silentLogger });
    await unmountLeaving({ share, keep: 0 });
    const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expectRefusal(error);
    expect(await filesIn({ dir: mount })).toEqual([]);
  });

  it('a share unmounted part-way through a push over files/md5 of this disk stops before the next upload', async () => {
    await repository({ share, count: 3 });
    await pushData({ root: repo, log: silentLogger });
    const more: Record<string, string> = {};
    for (let i = 1; i <= 12; i++) more[`images/B${i}.jpg`] = `another image ${i}`;
    await writeTree(path.join(repo, 'data'), more);
    await addData({ root: repo, log: silentLogger });
    const opened = await openRemote({ root: repo });
    let done = 0;
    let left: string[] = [];
    const dropping: Remote = {
      ...opened,
      async put(options) {
        await opened.put(options);
        if (++done === 4) left = await unmountLeaving({ share, keep: 2 });
      },
    };
    const error = await pushData({ root: repo, remote: dropping, jobs: 1, log: silentLogger }).catch((e) => e);
    expectRefusal(error);
    expect(done).toBe(4);
    expect(await filesIn({ dir: mount })).toEqual(left);
  });

  it('pull, status --remote and verify --remote are refused with the same words', async () => {
    await repository({ share, count: 4 });
    await pushData({ root: repo, log: silentLogger });
    await rm(path.join(repo, 'data'), { recursive: true, force: true });
    const cache = path.join(repo, '.dvc', 'cache', 'files', 'md5');
    for (const item of await readdir(cache, { withFileTypes: true, recursive: true }))
      if (item.isFile() && !item.name.endsWith('.dir')) await rm(path.join(item.parentPath, item.name));
    const left = await unmountLeaving({ share, keep: 1 });
    expectRefusal(await pullData({ root: repo, log: silentLogger }).catch((e: unknown) => e));
    expectRefusal(await dataStatus({ root: repo, log: silentLogger, remote: true }).catch((e: unknown) => e));
    expectRefusal(await verifyData({ root: repo, log: silentLogger, remote: true }).catch((e: unknown) => e));
    expect(await filesIn({ dir: mount })).toEqual(left);
  });

  it('a remote emptied on purpose: the push --new-remote the refusal names sends everything', async () => {
    await repository({ share, count: 3 });
    await pushData({ root: repo, log: silentLogger });
    await rm(mount, { recursive: true });
    await mkdir(path.join(mount, 'files', 'md5'), { recursive: true });
    expectRefusal(await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e));
    expect(await pushData({ root: repo, log: silentLogger, newRemote: true })).toEqual({ transferred: 3, skipped: 0 });
  });

  it('a remote that holds what was sent last is pushed to, though an older version is gone from it', async () => {
    await repository({ share, count: 2 });
    await pushData({ root: repo, log: silentLogger });
    const first = (await filesIn({ dir: mount })).find((f) => f.endsWith('.dir'));
    await writeTree(path.join(repo, 'data'), { 'images/B1.jpg': 'another image' });
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    // A "dvc gc --cloud" keeping only the current version.
    await rm(path.join(mount, first ?? ''));
    await writeTree(path.join(repo, 'data'), { 'images/B2.jpg': 'a third image' });
    await addData({ root: repo, log: silentLogger });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 1, skipped: 3 });
  });

  // Nothing tells a mount point with files of its own from a new remote when this computer never sent there.
  it('a first push with no record still writes at the mount point', async () => {
    await repository({ share, count: 2 });
    await mkdir(path.join(mount, 'files', 'md5'), { recursive: true });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 2, skipped: 0 });
    // Two images, the folder list, and the remote's mark.
    expect((await filesIn({ dir: mount })).length).toBe(4);
  });
});
