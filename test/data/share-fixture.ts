import { spawnSync } from 'node:child_process';
import { cpSync, renameSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { addData, initData, setDvcConfig } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { tempDir, writeTree } from './helpers.ts';

/*
 * A folder remote at a network share's mount point, and the share taken away: the tests of a share not mounted
 * (test/data/remote-share-*.test.ts, test/shard/index-share-stale-files.test.ts) all set it up the same way, so
 * it is made here once and a change to it reaches every one of them.
 */

/** The folders of one test; `cleanup(base)` removes them all. */
export interface Share {
  base: string;
  /** The repository: an empty folder until `repository` fills it. */
  repo: string;
  /** The mount point, and the remote's url: it stays, empty, when the share goes. */
  mount: string;
  /** Where the share's files are while it is "unmounted" (made by `unmount`). */
  away: string;
}

/** A fresh temp folder holding an empty repository folder and an empty mount point. */
export async function makeShare(options: { prefix: string }): Promise<Share> {
  const base = await tempDir(options.prefix);
  const share: Share = {
    base,
    repo: path.join(base, 'repo'),
    mount: path.join(base, 'nas'),
    away: path.join(base, 'nas-away'),
  };
  await mkdir(share.mount);
  await mkdir(share.repo);
  return share;
}

/** A git repository of `count` images whose default remote "storage" is the mount point itself. */
export async function repository(options: { share: Share; count: number }): Promise<void> {
  const { share, count } = options;
  expect(spawnSync('git', ['init', '-q', share.repo]).status).toBe(0);
  const files: Record<string, string> = {};
  for (let i = 1; i <= count; i++) files[`images/A${i}.jpg`] = `image ${i}`;
  await writeTree(path.join(share.repo, 'data'), files);
  await initData({ root: share.repo, remoteUrl: path.join(share.base, 'elsewhere') });
  await setDvcConfig({
    root: share.repo,
    values: [
      { section: 'core', key: 'remote', value: 'storage' },
      { section: 'remote "storage"', key: 'url', value: share.mount },
    ],
  });
  await addData({ root: share.repo, log: silentLogger });
}

/**
 * Every file under a folder (temp files too), sorted: as paths from it, or whole paths with `absolute`. A folder
 * that is not there holds none, unless `missing: 'throw'` (then its error is thrown).
 */
export async function filesIn(options: {
  dir: string;
  absolute?: boolean;
  missing?: 'empty' | 'throw';
}): Promise<string[]> {
  const { dir } = options;
  const listing = readdir(dir, { withFileTypes: true, recursive: true });
  const out: string[] = [];
  for (const item of await (options.missing === 'throw' ? listing : listing.catch(() => []))) {
    if (!item.isFile()) continue;
    const file = path.join(item.parentPath, item.name);
    out.push(options.absolute ? file : path.relative(dir, file));
  }
  return out.sort();
}

/** Take the share away: its files go to `away` and the mount point stays, an empty folder. */
export async function unmount(options: { share: Share }): Promise<void> {
  renameSync(options.share.mount, options.share.away);
  await mkdir(options.share.mount);
}

/**
 * Take the share away, leaving at the mount point a files/md5 on this disk that holds `keep` of the share's
 * objects (not its folder lists): what an older push made while it was unmounted leaves there. Returns the files
 * then at the mount point, as paths from it.
 */
export async function unmountLeaving(options: { share: Share; keep: number }): Promise<string[]> {
  const { mount, away } = options.share;
  renameSync(mount, away);
  await mkdir(path.join(mount, 'files', 'md5'), { recursive: true });
  // Stored files only: neither folder lists nor the remote's mark (reviewer V19), which are the share's own.
  const all = await filesIn({ dir: away });
  const objects = all.filter((f) => f.startsWith('files/') && !f.endsWith('.dir')).slice(0, options.keep);
  for (const f of objects) cpSync(path.join(away, f), path.join(mount, f));
  return filesIn({ dir: mount });
}

/** Mount the share again: what was written at the mount point meanwhile goes, the share's files come back. */
export async function remount(options: { share: Share }): Promise<void> {
  await rm(options.share.mount, { recursive: true });
  renameSync(options.share.away, options.share.mount);
}
