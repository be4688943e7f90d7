import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, initData, pushData, setDvcConfig } from '../../pipeline/data/index.ts';
import { openRemote, type Remote } from '../../pipeline/data/remote.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * A folder remote on a network share that drops during a push (a tester: umount -l mid-push). An upload that had
 * checked the folder before it went made it again on this computer's own disk, every later check then passed, and
 * the push said "Pushed … 107 files uploaded". The remote's folder is never made by a transfer, the first upload
 * that finds it gone stops the rest, and the push says so with how many files were sent.
 */

let base: string;
let repo: string;
/** The share's mount point: it stays when the share goes. */
let mount: string;
/** The remote's folder, on the share. */
let share: string;
/** Where the share's files are while it is "unmounted". */
let away: string;
beforeEach(async () => {
  base = await tempDir('vitrine-share-drops-');
  repo = path.join(base, 'repo');
  mount = path.join(base, 'share');
  share = path.join(mount, 'vitrine');
  away = path.join(base, 'nas-away');
  await mkdir(share, { recursive: true });
  await mkdir(repo);
});
afterEach(async () => {
  await cleanup(base);
});

const present = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** A repository of `count` images whose default remote "storage" is the share. */
async function repository(count: number): Promise<void> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= count; i++) files[`images/A${i}.jpg`] = `image ${i}`;
  await writeTree(path.join(repo, 'data'), files);
  await initData({ root: repo, remoteUrl: path.join(base, 'elsewhere') });
  await setDvcConfig({
    root: repo,
    values: [
      { section: 'core', key: 'remote', value: 'storage' },
      { section: 'remote "storage"', key: 'url', value: share },
    ],
  });
  await addData({ root: repo, log: silentLogger });
}

/** Object files (no temp files) under a remote's folder. */
async function objectsIn(dir: string): Promise<number> {
  const md5 = path.join(dir, 'files', 'md5');
  let n = 0;
  for (const prefix of await readdir(md5).catch(() => [])) {
    for (const name of await readdir(path.join(md5, prefix))) if (/^[0-9a-f]{30}(\.dir)?$/.test(name)) n++;
  }
  return n;
}

/** Every file (temp files too) under a folder. */
async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (item.isFile()) out.push(path.join(item.parentPath, item.name));
  return out;
}

/**
 * The opened remote, with the share taken away (renamed, as umount does to the path) once `after` uploads have
 * finished; `startedAfterFailure` counts the uploads begun after one failed.
 */
function droppingShare(opened: Remote, after: number): Remote & { startedAfterFailure: () => number } {
  let done = 0;
  let failed = false;
  let late = 0;
  return {
    ...opened,
    startedAfterFailure: () => late,
    async put(options) {
      if (failed) late++;
      try {
        await opened.put(options);
      } catch (error) {
        failed = true;
        throw error;
      }
      if (++done === after) renameSync(share, away);
    },
  };
}

describe('a folder remote whose share drops during a push', () => {
  it('an upload under way when the share drops fails as the folder gone, and makes no folder on this disk', async () => {
    // The upload reads a pipe: it has checked the folder and is copying when the share goes.
    const fifo = path.join(base, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const bytes = Buffer.from('an image that takes a while to send');
    const md5 = createHash('md5').update(bytes).digest('hex');
    await repository(1);
    const remote = await openRemote({ root: repo });
    const putting = remote.put({ md5, file: fifo }).then(
      () => 'uploaded',
      (error: unknown) => error,
    );
    // The pipe opens for writing once the upload reads it (until then, ENXIO).
    let fd: number | undefined;
    while (fd === undefined) {
      try {
        fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO') throw error;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    renameSync(share, away);
    writeSync(fd, bytes);
    closeSync(fd);
    // An upload that tried again (having made the folder) reads a plain file with the same bytes.
    writeFileSync(`${fifo}.plain`, bytes);
    renameSync(`${fifo}.plain`, fifo);
    const result = await putting;
    expect(isVitrineError(result, 'REMOTE_FOLDER_MISSING'), String(result)).toBe(true);
    expect(await present(share)).toBe(false);
    expect(await filesIn(mount)).toEqual([]);
  }, 20_000);

  it('stops at the first upload that finds it gone, says so with the count, and a push after remounting ends it', async () => {
    await repository(100);
    const dropping = droppingShare(await openRemote({ root: repo }), 10);
    const log = memoryLogger();
    const error = await pushData({ root: repo, remote: dropping, jobs: 8, log }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'REMOTE_FOLDER_MISSING'), String(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('went away');
    expect(message).toMatch(/network share .*unmounted/);
    // Nothing written in its place: neither the folder nor a file under the mount point.
    expect(await present(share)).toBe(false);
    expect(await filesIn(mount)).toEqual([]);
    expect(dropping.startedAfterFailure()).toBe(0);
    // The count said is what the share holds.
    const sent = await objectsIn(away);
    expect(sent).toBeGreaterThanOrEqual(10);
    expect(message).toContain(`${sent} of 100 files were sent before it stopped`);
    expect(message).not.toContain('Nothing was sent');
    // Advice for a folder never there (make it, correct the url) would put the images on this disk.
    expect(message).not.toContain('mkdir');
    expect(log.lines.map((l) => l.message).join('\n')).not.toMatch(/Pushed/);

    // Again, not remounted: refused, nothing made.
    const again = memoryLogger();
    const refused = await pushData({ root: repo, log: again }).catch((e: unknown) => e);
    expect(isVitrineError(refused, 'REMOTE_FOLDER_MISSING'), String(refused)).toBe(true);
    expect(await present(share)).toBe(false);
    expect(again.lines.map((l) => l.message).join('\n')).not.toMatch(/Pushed/);

    // Remounted: the rest is sent.
    renameSync(away, share);
    const after = memoryLogger();
    expect(await pushData({ root: repo, log: after })).toEqual({ transferred: 100 - sent, skipped: sent });
    expect(after.lines.map((l) => l.message)).toContain(
      `Pushed to "storage": ${100 - sent} files uploaded, ${sent} already there.`,
    );
    expect(await objectsIn(share)).toBe(101);
  });
});
