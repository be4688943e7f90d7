import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectKey, objectPath } from '../../pipeline/data/cache.ts';
import { addData, dataStatus, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, readTree, tempDir, writeTree } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * A copy on the remote cut short (a copy to a share stopped half-way, a disk that filled, a server that kept part of
 * an upload) must not count as stored: `data push` skipped it and a colleague's pull got a damaged photograph. A
 * folder remote compares the size of its file with the cache copy's, object by object and in the one listing a large
 * push makes; an S3 listing gives each object's size, compared the same way. Real files, real s3rver on 127.0.0.1.
 */

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const image = (i: number) => `JPEG ${`photograph ${i} `.repeat(40)}`;
/** `count` images; from 64 a push lists the remote once rather than asking for each object. */
const images = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`images/DM-${1000 + i}.jpg`, image(i)]));

let base: string;
beforeEach(async () => {
  base = await tempDir('vitrine-short-copy-');
});
afterEach(async () => {
  await cleanup(base);
});

/** A repository with `files` pushed to its folder remote; returns the repository and the remote’s folder. */
async function pushedToFolder(files: Record<string, string>) {
  const repo = path.join(base, 'repo');
  const remoteDir = path.join(base, 'share');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), files);
  await initData({ root: repo, remoteUrl: remoteDir });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  return { repo, remoteDir };
}

/** Cut the remote’s copy of `content` to half its size, as a copy stopped half-way leaves it. */
async function cutShort(remoteDir: string, content: string): Promise<void> {
  const file = objectPath(remoteDir, md5(content));
  await chmod(file, 0o644);
  await truncate(file, Math.floor(content.length / 2));
}

async function pulledByColleague(repo: string): Promise<Record<string, string>> {
  const clone = path.join(base, 'clone');
  await cloneTracked(repo, clone);
  await pullData({ root: clone, log: silentLogger });
  return readTree(path.join(clone, 'data'));
}

describe('a folder remote holding a copy cut short', () => {
  for (const count of [3, 80]) {
    it(`is sent again by push (${count} files), so a colleague pulls every photograph whole`, async () => {
      const files = images(count);
      const { repo, remoteDir } = await pushedToFolder(files);
      const cut = files['images/DM-1001.jpg']!;
      await cutShort(remoteDir, cut);
      expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 1, skipped: count - 1 });
      expect(await readFile(objectPath(remoteDir, md5(cut)), 'utf8')).toBe(cut);
      expect(await pulledByColleague(repo)).toEqual(files);
    });
  }

  it('is counted as missing by status --remote, naming the file', async () => {
    const files = images(3);
    const { repo, remoteDir } = await pushedToFolder(files);
    await cutShort(remoteDir, files['images/DM-1002.jpg']!);
    const status = await dataStatus({ root: repo, log: silentLogger, remote: true });
    expect(status.remote).toMatchObject({ missing: 1, missingFiles: ['data/images/DM-1002.jpg'] });
  });
});

describe('an S3 remote whose listing shows a copy cut short', () => {
  const s3 = s3ServerForFile('vitrine-s3-short-');

  it('is sent again by a large push (one listing), so a clone pulls every photograph whole', async () => {
    const files = images(80);
    const repo = await s3Repo({ s3, name: 'museum' });
    await writeTree(path.join(repo, 'data'), files);
    await addData({ root: repo, log: silentLogger });
    expect((await pushData({ root: repo, log: silentLogger })).transferred).toBe(80);
    // What a server that kept part of the bytes lists: the ETag of the whole upload, the size of what it holds.
    const cut = files['images/DM-1005.jpg']!;
    const stored = `${path.join(s3.s3Dir, 'museum', 'museum', ...objectKey(md5(cut)).split('/'))}._S3rver_object`;
    await truncate(stored, Math.floor(cut.length / 2));
    await writeFile(`${stored}.md5`, md5(cut));
    expect((await stat(stored)).size).toBe(Math.floor(cut.length / 2));
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 1, skipped: 79 });
    const clone = path.join(s3.base, 'clone');
    await cloneTracked(repo, clone);
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    await pullData({ root: clone, log: silentLogger });
    expect(await readTree(path.join(clone, 'data'))).toEqual(files);
  });
});
