import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { addData, dataStatus, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, tempDir, writeTree } from './helpers.ts';

/*
 * After an interrupted pull, data/ holds part of what data.dvc records and the cache lacks the rest:
 * status must not call those files "removed", and data add must not record the incomplete folder.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

const FILES: Record<string, string> = { 'objects.csv': 'id,image\n' };
for (let i = 1; i <= 12; i++) FILES[`images/A${i}.jpg`] = `image ${i}`;

/** A pushed repository and a clone whose pull stopped after the folder list and the first 4 files. */
async function interruptedClone(): Promise<{ clone: string }> {
  const base = await tempDir();
  dirs.push(base);
  const origin = path.join(base, 'origin');
  const clone = path.join(base, 'clone');
  await writeTree(path.join(origin, 'data'), FILES);
  await initData({ root: origin, remoteName: 'storage', remoteUrl: path.join(base, 'remote') });
  await addData({ root: origin, log: silentLogger });
  await pushData({ root: origin, log: silentLogger });
  await cloneTracked(origin, clone);
  await pullData({ root: clone, log: silentLogger });
  // Simulate the kill: keep the folder list and 4 of the 12 images; their cache copies are gone too.
  expect((await dataStatus({ root: clone, log: silentLogger })).clean).toBe(true);
  for (let i = 5; i <= 12; i++) await rm(path.join(clone, 'data', 'images', `A${i}.jpg`));
  const objects = path.join(clone, '.dvc', 'cache', 'files', 'md5');
  for (let i = 5; i <= 12; i++) {
    const md5 = createHash('md5').update(`image ${i}`).digest('hex');
    await rm(path.join(objects, md5.slice(0, 2), md5.slice(2)), { force: true });
  }
  return { clone };
}

describe('an interrupted pull', () => {
  it('status tells never-fetched files apart from files deleted by hand, and says to pull', async () => {
    const { clone } = await interruptedClone();
    await rm(path.join(clone, 'data', 'images', 'A1.jpg')); // deleted by hand: its cache copy is there
    const status = await dataStatus({ root: clone, log: silentLogger });
    expect(status.changes.removed).toEqual(['images/A1.jpg']);
    expect(status.changes.notFetched).toHaveLength(8);
    const text = describeStatus(status).join('\n');
    expect(text).toMatch(/8 of the 13 files data\.dvc records were never fetched .*run "npx vitrine data pull"/);
    expect(text).toMatch(/0 added, 1 removed, 0 changed/);
    expect(text).not.toMatch(/9 removed/);
  });

  it('data add refuses to drop files that were never fetched, unless --remove-missing', async () => {
    const { clone } = await interruptedClone();
    const before = await readFile(path.join(clone, 'data.dvc'), 'utf8');
    await expect(addData({ root: clone, log: silentLogger })).rejects.toMatchObject({
      code: 'DATA_NOT_FETCHED',
      message: expect.stringMatching(
        /8 files .*never fetched.*data\.dvc was left as it was.*"npx vitrine data pull".*--remove-missing/,
      ),
    });
    expect(await readFile(path.join(clone, 'data.dvc'), 'utf8')).toBe(before);
    const result = await addData({ root: clone, log: silentLogger, removeMissing: true });
    expect(result.nfiles).toBe(5);
  });

  it('data add still records files deleted by hand (their content is in the cache)', async () => {
    const { clone } = await interruptedClone();
    await pullData({ root: clone, log: silentLogger });
    await rm(path.join(clone, 'data', 'images', 'A1.jpg'));
    const result = await addData({ root: clone, log: silentLogger });
    expect(result.nfiles).toBe(12);
  });

  it('data add refuses to drop objects.csv deleted by hand, unless --remove-missing (an outside tester)', async () => {
    const { clone } = await interruptedClone();
    await pullData({ root: clone, log: silentLogger });
    await rm(path.join(clone, 'data', 'objects.csv'));
    const before = await readFile(path.join(clone, 'data.dvc'), 'utf8');
    await expect(addData({ root: clone, log: silentLogger })).rejects.toMatchObject({
      code: 'DATA_OBJECTS_MISSING',
      message: expect.stringContaining('data/objects.csv, the table of the collection’s objects, is missing'),
    });
    expect(await readFile(path.join(clone, 'data.dvc'), 'utf8')).toBe(before);
    expect((await addData({ root: clone, log: silentLogger, removeMissing: true })).nfiles).toBe(12);
  });
});
