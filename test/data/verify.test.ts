import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { addData, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, readTree, SAMPLE, tempDir, writeTree } from './helpers.ts';

/* A damaged object in the local cache must never block a push for good (issue 11 #6). */

let base: string;
let repo: string;
let storage: string;
let cache: string;
beforeEach(async () => {
  base = await tempDir('vitrine-verify-');
  repo = path.join(base, 'repo');
  storage = path.join(base, 'storage');
  cache = path.join(repo, '.dvc', 'cache');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
});
afterEach(async () => {
  await cleanup(base);
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

async function damage(file: string, bytes = 'bit rot'): Promise<void> {
  await chmod(file, 0o644);
  await writeFile(file, bytes);
}

describe('a damaged object in the local cache', () => {
  it('push names the data/ file and the fix, and still uploads the rest', async () => {
    await addData({ root: repo, log: silentLogger });
    await damage(objectPath(cache, md5(SAMPLE['images/A1.png'])));
    const error = await pushData({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT')).toBe(true);
    expect(error.message).toContain('data/images/A1.png');
    expect(error.message).toContain('vitrine data add');
    expect(error.message).toContain('vitrine data verify --repair');
    // The other objects went up; the folder list did not, so the remote never lists what it lacks.
    expect(await readFile(objectPath(storage, md5(SAMPLE['objects.csv'])), 'utf8')).toBe(SAMPLE['objects.csv']);
    await expect(stat(objectPath(storage, md5(SAMPLE['images/A1.png'])))).rejects.toThrow();
  });

  it('data add replaces it with the good workspace file, so push works again', async () => {
    const recorded = await addData({ root: repo, log: silentLogger });
    const object = objectPath(cache, md5(SAMPLE['images/A1.png']));
    await damage(object);
    const log = memoryLogger();
    expect(await addData({ root: repo, log })).toEqual(recorded);
    expect(await readFile(object, 'utf8')).toBe(SAMPLE['images/A1.png']);
    expect((await stat(object)).mode & 0o222).toBe(0);
    expect(log.lines.some((l) => l.level === 'warn' && l.where?.file === 'data/images/A1.png')).toBe(true);
    await pushData({ root: repo, log: silentLogger });
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    await pullData({ root: clone, log: silentLogger });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
  });
});

describe('vitrine data verify', () => {
  it('finds damaged cache objects and, with --repair, restores them from data/', async () => {
    await addData({ root: repo, log: silentLogger });
    await damage(objectPath(cache, md5(SAMPLE['objects.csv'])));
    const found = await verifyData({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(found, 'DATA_CORRUPT')).toBe(true);
    expect(found.message).toContain('data/objects.csv');
    expect(found.message).toContain('vitrine data verify --repair');
    const log = memoryLogger();
    const repaired = await verifyData({ root: repo, log, repair: true });
    expect(repaired.cache).toMatchObject({
      checked: 4,
      damaged: [{ object: md5(SAMPLE['objects.csv']), file: 'data/objects.csv' }],
      repaired: 1,
      missing: 0,
    });
    expect(await readFile(objectPath(cache, md5(SAMPLE['objects.csv'])), 'utf8')).toBe(SAMPLE['objects.csv']);
    expect((await verifyData({ root: repo, log: silentLogger })).cache.damaged).toEqual([]);
  });

  it('restores a damaged cache object from the remote when data/ changed too', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    await damage(objectPath(cache, md5(SAMPLE['images/A2.png'])));
    // Both files with that content were edited and not recorded: only the remote has a good copy.
    await writeFile(path.join(repo, 'data', 'images', 'A2.png'), 'a new photograph');
    await writeFile(path.join(repo, 'data', 'images', 'sub', 'A3.png'), 'another new photograph');
    const result = await verifyData({ root: repo, log: silentLogger, repair: true, remote: true });
    expect(result.cache.repaired).toBe(1);
    expect(await readFile(objectPath(cache, md5(SAMPLE['images/A2.png'])), 'utf8')).toBe(SAMPLE['images/A2.png']);
    expect(result.remote).toMatchObject({ checked: 4, damaged: [], missing: 0 });
  });

  it('checks the remote and, with --repair, uploads good copies of damaged remote objects', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    await damage(objectPath(storage, md5(SAMPLE['images/A1.png'])), 'X'.repeat(SAMPLE['images/A1.png'].length));
    const found = await verifyData({ root: repo, log: silentLogger, remote: true }).catch((e) => e);
    expect(isVitrineError(found, 'DATA_CORRUPT')).toBe(true);
    expect(found.message).toContain('data/images/A1.png');
    expect(found.data.remote.damaged).toEqual([{ object: md5(SAMPLE['images/A1.png']), file: 'data/images/A1.png' }]);
    // The command to type, whole inside its quotes (--remote was left outside them).
    expect(found.message).toContain('Run "npx vitrine data verify --repair --remote" to restore them');
    const repaired = await verifyData({ root: repo, log: silentLogger, remote: true, repair: true });
    expect(repaired.remote).toMatchObject({ checked: 4, repaired: 1 });
    expect(await readFile(objectPath(storage, md5(SAMPLE['images/A1.png'])), 'utf8')).toBe(SAMPLE['images/A1.png']);
  });

  it('a damaged object with no good copy anywhere is named, and verify fails', async () => {
    await addData({ root: repo, log: silentLogger });
    await damage(objectPath(cache, md5(SAMPLE['objects.csv'])));
    await writeFile(path.join(repo, 'data', 'objects.csv'), 'id,title\n');
    const error = await verifyData({ root: repo, log: silentLogger, repair: true }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT')).toBe(true);
    expect(error.message).toContain('data/objects.csv');
    expect(error.message).toContain('no good copy');
  });
});
