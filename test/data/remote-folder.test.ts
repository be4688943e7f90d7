import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { objectPath } from '../../pipeline/data/cache.ts';
import { dataCommands } from '../../pipeline/data/commands.ts';
import { addData, dataStatus, initData, pullData, pushData, setDvcConfig } from '../../pipeline/data/index.ts';
import { openRemote } from '../../pipeline/data/remote.ts';
import { isVitrineError, type VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { cleanup, cloneTracked, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * A local remote whose folder is not there is most often a network share or drive that is not mounted: push must
 * not make the folder on this machine's own disk (and say the images were backed up), and pull must not blame a
 * colleague for a push they did make. Only "data init" makes the folder.
 */

let base: string;
let repo: string;
/** Where .dvc/config points: a "share" that is not mounted. */
let share: string;
beforeEach(async () => {
  base = await tempDir('vitrine-remote-folder-');
  repo = path.join(base, 'repo');
  share = path.join(base, 'mnt', 'museum-share', 'vitrine');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), SAMPLE);
});
afterEach(async () => {
  await cleanup(base);
});

const present = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** A repository whose remote "share" is configured (as a colleague's .dvc/config would have it) but not there. */
async function unmountedShare(): Promise<void> {
  await initData({ root: repo, remoteUrl: path.join(base, 'elsewhere') });
  await setDvcConfig({
    root: repo,
    values: [
      { section: 'core', key: 'remote', value: 'share' },
      { section: 'remote "share"', key: 'url', value: share },
    ],
  });
}

/** What a missing remote folder must be reported as: the remote and its path, why, and what makes one. */
function expectFolderMissing(error: unknown): void {
  expect(isVitrineError(error, 'REMOTE_FOLDER_MISSING'), String(error)).toBe(true);
  const e = error as Error & { data: Record<string, unknown> };
  expect(e.data).toMatchObject({ remote: 'share', url: share });
  expect(e.message).toContain('"share"');
  expect(e.message).toContain(share);
  expect(e.message).toMatch(/mount/);
  // The remote is configured already: correcting its url or making its folder, never "data init" (which would
  // make it the default and rewrite its path in .dvc/config).
  expect(e.message).toContain('correct the url of remote "share" in .dvc/config');
  expect(e.message).toContain(`mkdir -p ${share}`);
  expect(e.message).not.toMatch(/data init/);
  expect(e.message).not.toMatch(/may not have run/);
}

describe('a local remote whose folder is missing', () => {
  it('push refuses it and makes no folder (the images are not backed up on this disk instead)', async () => {
    await unmountedShare();
    await addData({ root: repo, log: silentLogger });
    const log = memoryLogger();
    const error = await pushData({ root: repo, log }).catch((e: unknown) => e);
    expectFolderMissing(error);
    expect(await present(path.join(base, 'mnt'))).toBe(false);
    expect(log.lines.map((l) => l.message).join('\n')).not.toMatch(/Pushed|uploaded/);
  });

  it('pull, and status --remote, say the folder is missing instead of blaming whoever changed data.dvc', async () => {
    // Pushed while the share was mounted; then it is not.
    await mkdir(share, { recursive: true });
    await unmountedShare();
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    await rm(path.join(base, 'mnt'), { recursive: true });
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    expectFolderMissing(await pullData({ root: clone, log: silentLogger }).catch((e: unknown) => e));
    expectFolderMissing(await dataStatus({ root: clone, log: silentLogger, remote: true }).catch((e: unknown) => e));
    // The folder list already in the cache: the files' own downloads say it too.
    expectFolderMissing(await dataStatus({ root: repo, log: silentLogger, remote: true }).catch((e: unknown) => e));
    await rm(path.join(repo, 'data'), { recursive: true });
    const csv = createHash('md5').update(SAMPLE['objects.csv']).digest('hex');
    await rm(objectPath(path.join(repo, '.dvc', 'cache'), csv), { force: true });
    expectFolderMissing(await pullData({ root: repo, log: silentLogger }).catch((e: unknown) => e));
    expect(await present(path.join(base, 'mnt'))).toBe(false);
  });

  it('notices a share unmounted part-way: a later upload or download says so, and makes no folder', async () => {
    await mkdir(share, { recursive: true });
    await unmountedShare();
    const remote = await openRemote({ root: repo });
    expect(await remote.has('0'.repeat(32))).toBe(false);
    await rm(path.join(base, 'mnt'), { recursive: true });
    const file = path.join(repo, 'data', 'objects.csv');
    const md5 = createHash('md5').update(SAMPLE['objects.csv']).digest('hex');
    expectFolderMissing(await remote.get({ md5, file: path.join(base, 'got') }).catch((e: unknown) => e));
    expectFolderMissing(await remote.put({ md5, file }).catch((e: unknown) => e));
    expect(await present(path.join(base, 'mnt'))).toBe(false);
  });

  // A tester unmounted the share after 300 files: "…is not there… Nothing was sent or fetched. … 544 of 1807 files
  // were sent before it stopped".
  it('a push that loses the share part-way says how many were sent, not that nothing was', async () => {
    await mkdir(share, { recursive: true });
    await unmountedShare();
    await addData({ root: repo, log: silentLogger });
    const opened = await openRemote({ root: repo });
    let puts = 0;
    // The share goes away once the first file is there: the next uploads find no folder.
    const remote = {
      ...opened,
      list: undefined,
      async put(options: Parameters<typeof opened.put>[0]) {
        await opened.put(options);
        if (++puts === 1) await rm(path.join(base, 'mnt'), { recursive: true });
      },
    };
    const error = await pushData({ root: repo, remote, jobs: 1, log: silentLogger }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_MISSING'), String(error)).toBe(true);
    expect((error as VitrineError).data).toMatchObject({ remote: 'share', url: share });
    // It was there: it went away (a share unmounted), not a folder to make or a url to correct.
    expect((error as Error).message).toMatch(/"share" went away part-way: .* connect or mount it again/);
    expect((error as Error).message).not.toMatch(/mkdir|correct the url/);
    expect((error as Error).message).toContain('1 of 3 files were sent before it stopped');
    expect((error as Error).message).not.toContain('Nothing was sent');
  });

  it('"data init" makes the folder (and says so), after which push sends the images there', async () => {
    const log = memoryLogger();
    const ctx: CommandContext = {
      ws: workspace(repo),
      log,
      clock: { now: () => new Date() },
      env: {},
      json: false,
      out: () => {},
    };
    const init = dataCommands.find((c) => c.name === 'data init');
    // The share is mounted: the folder it goes in is there (a missing one is refused, test/init/remote-folder).
    await mkdir(path.dirname(share), { recursive: true });
    await init?.run(ctx, { values: { name: 'share' }, positionals: [share] });
    expect((await stat(share)).isDirectory()).toBe(true);
    expect(log.lines.map((l) => l.message)).toContain(`Made the folder ${share} to hold the images.`);
    await addData({ root: repo, log: silentLogger });
    expect(await pushData({ root: repo, log: silentLogger })).toMatchObject({ skipped: 0 });
    expect((await readdir(path.join(share, 'files', 'md5'))).length).toBeGreaterThan(0);
    // Again: the folder is there, nothing more to say about it.
    const again = memoryLogger();
    await init?.run({ ...ctx, log: again }, { values: { name: 'share' }, positionals: [share] });
    expect(again.lines.map((l) => l.message).join('\n')).not.toContain('Made the folder');
  });

  it('initData makes a relative local folder, and none for an S3 remote', async () => {
    expect(await initData({ root: repo, remoteUrl: '../storage' })).toEqual({
      createdFolder: path.join(base, 'storage'),
    });
    expect(await initData({ root: repo, remoteUrl: '../storage' })).toEqual({});
    // A new default replaces "local", and says so (data init's warning); no folder is made for it.
    expect(await initData({ root: repo, remoteName: 's3', remoteUrl: 's3://bucket/folder' })).toEqual({
      replaced: { name: 'local', url: '../storage' },
    });
    expect(await readdir(base)).not.toContain('s3:');
    expect(await readdir(repo)).not.toContain('s3:');
  });
});
