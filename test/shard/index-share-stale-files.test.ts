import { spawnSync } from 'node:child_process';
import { cpSync, renameSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, initData, pushData, setDvcConfig } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { INDEX_FOLDER, openShardIndex } from '../../pipeline/shard/index-store.ts';
import { cleanup, tempDir, writeTree } from '../data/helpers.ts';

/*
 * The shard caches' index on a folder remote at a share's mount point, the share not mounted, the mount point
 * holding a files/md5 of this computer's own disk (an older push made while unmounted, a "dvc push", a "mkdir -p").
 * A push refuses it (files/md5 without the mark Vitrine left at the remote's root); the index was
 * still written there, on this computer's own disk, because it only asked whether files/md5 was there.
 */

let base: string;
let repo: string;
/** The mount point, and the remote's url. */
let mount: string;
/** Where the share's files are while it is "unmounted". */
let away: string;
beforeEach(async () => {
  base = await tempDir('vitrine-shard-index-stale-');
  repo = path.join(base, 'repo');
  mount = path.join(base, 'nas');
  away = path.join(base, 'nas-away');
  await mkdir(mount);
  await mkdir(repo);
  expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0);
  await writeTree(path.join(repo, 'data'), { 'images/A1.jpg': 'image 1', 'images/A2.jpg': 'image 2' });
  await initData({ root: repo, remoteUrl: path.join(base, 'elsewhere') });
  await setDvcConfig({
    root: repo,
    values: [
      { section: 'core', key: 'remote', value: 'storage' },
      { section: 'remote "storage"', key: 'url', value: mount },
    ],
  });
  await addData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(base);
});

const name = `${'b'.repeat(32)}.json`;

/** Every file under a folder, as paths from it, sorted. */
async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []))
    if (item.isFile()) out.push(path.relative(dir, path.join(item.parentPath, item.name)));
  return out.sort();
}

/** Take the share away, leaving at the mount point a files/md5 that holds `keep` of its objects, not its lists. */
async function unmountLeaving(keep: number): Promise<string[]> {
  renameSync(mount, away);
  await mkdir(path.join(mount, 'files', 'md5'), { recursive: true });
  const objects = (await filesIn(away)).filter((f) => f.startsWith('files/') && !f.endsWith('.dir')).slice(0, keep);
  for (const f of objects) cpSync(path.join(away, f), path.join(mount, f));
  return filesIn(mount);
}

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
    const left = await unmountLeaving(1);
    expectRefusal(await index.write(name, Buffer.from('{}')).catch((e: unknown) => e));
    expect(await filesIn(mount)).toEqual(left);
  });

  it('is not written there when files/md5 was made empty by hand', async () => {
    await pushData({ root: repo, log: silentLogger });
    await unmountLeaving(0);
    const index = await openShardIndex({ root: repo });
    expectRefusal(await index.write(name, Buffer.from('{}')).catch((e: unknown) => e));
    expect(await filesIn(mount)).toEqual([]);
  });

  it('is written when the share is mounted again, and when the record of what was sent is deleted', async () => {
    await pushData({ root: repo, log: silentLogger });
    await unmountLeaving(0);
    await rm(mount, { recursive: true });
    renameSync(away, mount);
    const index = await openShardIndex({ root: repo });
    await index.write(name, Buffer.from('{}'));
    expect(await index.list()).toEqual([name]);

    // A remote emptied on purpose: the way the refusal gives, a push that forgets what was sent there.
    await rm(mount, { recursive: true });
    await mkdir(path.join(mount, 'files', 'md5'), { recursive: true });
    await pushData({ root: repo, log: silentLogger, newRemote: true });
    await index.write(name, Buffer.from('{}'));
    expect(await filesIn(mount)).toContain(`${INDEX_FOLDER}/${name}`);
  });
});
