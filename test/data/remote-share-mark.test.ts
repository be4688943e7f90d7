import { cpSync, renameSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, dataStatus, pushData, setDvcConfig } from '../../pipeline/data/index.ts';
import { onRemoteFileOf } from '../../pipeline/data/pushed.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, writeTree } from './helpers.ts';
import { filesIn, makeShare, repository, type Share } from './share-fixture.ts';

/*
 * Reviewer V19 (F3, F4, F5): the check for a share not mounted (reviewer V18) refused a mounted remote whose last
 * folder list was removed on purpose (a "dvc gc" of an abandoned branch, a list lost), and its way out dropped the
 * record of every remote. A mark Vitrine leaves at the remote's root tells the share from its mount point.
 */

let share: Share;
let base: string;
let repo: string;
/** The mount point, and the remote's url. */
let mount: string;
beforeEach(async () => {
  share = await makeShare({ prefix: 'vitrine-share-mark-' });
  ({ base, repo, mount } = share);
});
afterEach(async () => {
  await cleanup(base);
});

const lists = async () => (await filesIn({ dir: mount })).filter((f) => f.endsWith('.dir'));
const record = async () => JSON.parse(await readFile(onRemoteFileOf(repo), 'utf8'));

/** Push v1, then a branch's v2, then go back to v1 (as a checkout of main would): the v2 list and file names. */
async function abandonedBranch(): Promise<string[]> {
  await repository({ share, count: 2 });
  await pushData({ root: repo, log: silentLogger });
  const v1 = await filesIn({ dir: mount });
  await writeTree(path.join(repo, 'data'), { 'images/B1.jpg': 'branch image' });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  const v2 = (await filesIn({ dir: mount })).filter((f) => !f.startsWith('.') && !v1.includes(f));
  await rm(path.join(repo, 'data', 'images', 'B1.jpg'));
  await addData({ root: repo, log: silentLogger });
  return v2;
}

describe('a mounted remote that lacks what was sent to it last (reviewer V19, F3)', () => {
  it('a dvc gc of the version sent last: push and status --remote of the current one work', async () => {
    const v2 = await abandonedBranch();
    expect(v2.length).toBe(2); // B1 and the v2 list
    for (const f of v2) await rm(path.join(mount, f));
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 0, skipped: 2 });
    const status = await dataStatus({ root: repo, log: silentLogger, remote: true });
    expect(status.remote?.missingFiles ?? []).toEqual([]);
  });

  it('only the folder list sent last lost: verify --remote --repair runs and says so, a push puts it back', async () => {
    await repository({ share, count: 3 });
    await pushData({ root: repo, log: silentLogger });
    const [list] = await lists();
    await rm(path.join(mount, list ?? ''));
    const result = await verifyData({ root: repo, log: silentLogger, remote: true, repair: true });
    expect(result.remote).toMatchObject({ checked: 4, missing: 1, damaged: [] });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 0, skipped: 3 });
    expect(await lists()).toEqual([list]);
  });

  it('a record made before the mark (none in it), a remote holding an older version only: refused, --new-remote sends', async () => {
    const v2 = await abandonedBranch();
    for (const f of v2) await rm(path.join(mount, f));
    // As an older Vitrine left them: no mark at the remote's root, none in the record.
    for (const f of await readdir(mount)) if (f.startsWith('.')) await rm(path.join(mount, f));
    const old = await record();
    for (const entry of Object.values(old.remotes) as { mark?: string }[]) delete entry.mark;
    await writeFile(onRemoteFileOf(repo), JSON.stringify(old));
    // An older list is no sign of the remote: a push made while a share was not mounted leaves one (reviewer V20, F1).
    const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REMOTE_FOLDER_EMPTIED', data: { lacking: 'lists' } });
    expect(await readdir(mount)).not.toContain('.vitrine-remote-id');
    const pushed = await pushData({ root: repo, log: silentLogger, newRemote: true });
    expect(pushed).toEqual({ transferred: 0, skipped: 2 });
    expect(await readdir(mount)).toContain('.vitrine-remote-id');
  });
});

describe('the mark of a folder remote (reviewer V19)', () => {
  it('a push leaves one mark at the root, its id in the record; a mount point without it is refused', async () => {
    await repository({ share, count: 3 });
    await pushData({ root: repo, log: silentLogger });
    const marks = (await readdir(mount)).filter((f) => f.startsWith('.'));
    expect(marks).toEqual(['.vitrine-remote-id']);
    const id = (await readFile(path.join(mount, marks[0] ?? ''), 'utf8')).split('\n')[0];
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await record()).remotes.storage.mark).toBe(id);
    // A second push keeps it.
    await pushData({ root: repo, log: silentLogger });
    expect((await readFile(path.join(mount, marks[0] ?? ''), 'utf8')).split('\n')[0]).toBe(id);

    // Unmounted, its mount point holding a whole copy of the files and lists (a "dvc push" made while unmounted).
    const away = path.join(base, 'nas-away');
    renameSync(mount, away);
    await mkdir(mount);
    cpSync(path.join(away, 'files'), path.join(mount, 'files'), { recursive: true });
    const left = await filesIn({ dir: mount });
    const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/network share or a drive that is not mounted/);
    // Said in plain words, no count of files as if they were lost (F5), no rm of the whole record (F4).
    expect(message).not.toMatch(/\d files/);
    expect(message).not.toContain('rm ');
    expect(message.indexOf('npx vitrine data push --new-remote')).toBeGreaterThan(message.indexOf('Mount or'));
    expect(await filesIn({ dir: mount })).toEqual(left);
  });
});

describe('data push --new-remote (reviewer V19, F4)', () => {
  it('forgets only that remote: a remote emptied on purpose is sent everything; another remote keeps its record', async () => {
    await repository({ share, count: 3 });
    await pushData({ root: repo, log: silentLogger });
    const second = path.join(base, 'second');
    await mkdir(second);
    await setDvcConfig({ root: repo, values: [{ section: 'remote "second"', key: 'url', value: second }] });
    await pushData({ root: repo, remote: 'second', log: silentLogger });
    const before = (await record()).remotes.second;

    await rm(mount, { recursive: true });
    await mkdir(mount);
    const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_EMPTIED'), String(error)).toBe(true);
    expect(await pushData({ root: repo, log: silentLogger, newRemote: true })).toEqual({ transferred: 3, skipped: 0 });
    expect((await record()).remotes.second).toEqual(before);
    expect((await readdir(mount)).filter((f) => f.startsWith('.'))).toEqual(['.vitrine-remote-id']);
  });
});
