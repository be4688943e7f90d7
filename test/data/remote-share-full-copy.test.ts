import { cpSync, renameSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { dataStatus, pullData, pushData } from '../../pipeline/data/index.ts';
import { onRemoteFileOf } from '../../pipeline/data/pushed.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup } from './helpers.ts';
import { filesIn, makeShare, repository, type Share } from './share-fixture.ts';

/*
 * Task D7: a share not mounted whose mount point holds a whole copy of the stored files and folder lists (an older
 * push made while it was unmounted), but not the mark a push left at the share's root. A push refused it; "data
 * status" (plain and --remote) and "data pull" did not look for the mark, so staff were told the images were on the
 * remote when they were only on this computer's own disk.
 */

let share: Share;
let repo: string;
/** The mount point, and the remote's url. */
let mount: string;
beforeEach(async () => {
  share = await makeShare({ prefix: 'vitrine-share-full-copy-' });
  ({ repo, mount } = share);
});
afterEach(async () => {
  await cleanup(share.base);
});

/** Push `count` images, then unmount the share, leaving at its mount point all it held but the mark. */
async function pushedThenUnmountedWithCopy(count: number): Promise<void> {
  await repository({ share, count });
  await pushData({ root: repo, log: silentLogger });
  renameSync(mount, share.away);
  await mkdir(mount);
  cpSync(path.join(share.away, 'files'), path.join(mount, 'files'), { recursive: true });
}

/** Data/ and the cached files gone (the folder list kept), as on a computer that has to pull them. */
async function dropLocalCopies(): Promise<void> {
  await rm(path.join(repo, 'data'), { recursive: true, force: true });
  const cache = path.join(repo, '.dvc', 'cache', 'files', 'md5');
  for (const item of await readdir(cache, { withFileTypes: true, recursive: true }))
    if (item.isFile() && !item.name.endsWith('.dir')) await rm(path.join(item.parentPath, item.name));
}

/** The words a push refusing that folder uses: the folder named, the share asked about, the way out. */
function expectNotTheRemote(message: string): void {
  expect(message).toContain(`The storage remote's folder ${mount} (remote "storage")`);
  expect(message).toContain('lacks the mark Vitrine left in it (.vitrine-remote-id)');
  expect(message).toMatch(/network share or a drive that is not mounted/);
  expect(message).toContain('npx vitrine data push --new-remote');
}

const record = async () => readFile(onRemoteFileOf(repo), 'utf8');

describe('a mount point holding a whole copy but not the mark, this computer having pushed to the share', () => {
  it('status --remote is refused as a push is, not told the remote has everything, and notes nothing', async () => {
    await pushedThenUnmountedWithCopy(3);
    const before = await record();
    const error = await dataStatus({ root: repo, log: silentLogger, remote: true }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    expectNotTheRemote((error as Error).message);
    expect(await record()).toBe(before);
  });

  it('plain status says the folder is not the remote this computer sent the images to', async () => {
    await pushedThenUnmountedWithCopy(3);
    const status = await dataStatus({ root: repo, log: silentLogger });
    const said = describeStatus(status).join('\n');
    expectNotTheRemote(said);
    expect(said).not.toContain('has no record');
  });

  it('plain status of a mount point left empty, or gone, says so too: not that the folder is empty when it is not there', async () => {
    await repository({ share, count: 2 });
    await pushData({ root: repo, log: silentLogger });
    renameSync(mount, share.away);
    await mkdir(mount);
    const empty = describeStatus(await dataStatus({ root: repo, log: silentLogger })).join('\n');
    expect(empty).toContain(`The storage remote's folder ${mount} (remote "storage") is empty`);
    expect(empty).toMatch(/network share or a drive that is not mounted/);
    await rm(mount, { recursive: true });
    const gone = describeStatus(await dataStatus({ root: repo, log: silentLogger })).join('\n');
    expect(gone).toContain(`The storage remote's folder ${mount} (remote "storage") is not there`);
    expect(gone).toMatch(/network share or a drive that is not mounted/);
  });

  it('a pull is refused before it fetches from this disk, and data/ is not filled from there', async () => {
    await pushedThenUnmountedWithCopy(3);
    await dropLocalCopies();
    const before = await record();
    const error = await pullData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    expectNotTheRemote((error as Error).message);
    expect(await filesIn({ dir: path.join(repo, 'data') })).toEqual([]);
    expect(await record()).toBe(before);
  });
});

describe('the same folder on a computer with no record of it (a colleague who never pushed there)', () => {
  it('pull, status --remote and plain status work as before', async () => {
    await pushedThenUnmountedWithCopy(3);
    await rm(onRemoteFileOf(repo));
    await dropLocalCopies();
    expect(await pullData({ root: repo, log: silentLogger })).toEqual({ transferred: 3, skipped: 0 });
    expect(await filesIn({ dir: path.join(repo, 'data') })).toHaveLength(3);
    await rm(onRemoteFileOf(repo), { force: true });
    const plain = describeStatus(await dataStatus({ root: repo, log: silentLogger })).join('\n');
    expect(plain).not.toContain('.vitrine-remote-id');
    const asked = await dataStatus({ root: repo, log: silentLogger, remote: true });
    expect(asked.remote?.missing).toBe(0);
  });
});
