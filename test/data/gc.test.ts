import { createHash } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listObjectIds, objectPath } from '../../pipeline/data/cache.ts';
import { gcData } from '../../pipeline/data/gc.ts';
import {
  addData,
  checkoutData,
  dataStatus,
  initData,
  openRemote,
  pushData,
  readDvcFile,
} from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, readTree, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * `vitrine data gc`: the local cache keeps every earlier version (a taken-down image included) until gc
 * removes what the current .dvc files do not need; what they do need stays, so status and checkout work offline.
 */

let base: string;
let repo: string;
let cache: string;
beforeEach(async () => {
  base = await tempDir('vitrine-gc-');
  repo = path.join(base, 'repo');
  cache = path.join(repo, '.dvc', 'cache');
  await writeTree(path.join(repo, 'data'), { ...SAMPLE, 'images/TAKEDOWN.jpg': 'sensitive image bytes' });
  // The collection pushed once to a folder remote: gc removes only what the remote holds a copy of.
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(base);
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const held = async (s: string) => (await listObjectIds(cache)).has(md5(s));

/** The takedown: the image leaves the collection and a new version is recorded. */
async function takeDown(): Promise<string> {
  const first = (await readDvcFile({ file: path.join(repo, 'data.dvc') })).outs[0].md5;
  await rm(path.join(repo, 'data', 'images', 'TAKEDOWN.jpg'));
  await addData({ root: repo, log: silentLogger });
  return first;
}

describe('vitrine data gc', () => {
  it('removes an image taken down and the earlier folder list; status and checkout still work offline', async () => {
    const earlierList = await takeDown();
    expect(await held('sensitive image bytes')).toBe(true);

    const log = memoryLogger();
    const result = await gcData({ root: repo, log, openRemote });
    expect(result).toMatchObject({ removed: 2, kept: 4, dryRun: false, dvcFiles: ['data.dvc'] });
    expect(await held('sensitive image bytes')).toBe(false);
    await expect(stat(objectPath(cache, earlierList))).rejects.toMatchObject({ code: 'ENOENT' });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toMatch(
      /^Freed \d+ B from the local cache: removed 2 objects no version on this computer uses .*kept the 4 objects .* data\.dvc needs now/m,
    );
    expect(said).toContain('The storage remote "local" holds a copy of each');

    const status = await dataStatus({ root: repo, log: silentLogger });
    expect(status.clean).toBe(true);
    expect(status.cache).toMatchObject({ hasManifest: true, missing: 0 });
    await rm(path.join(repo, 'data'), { recursive: true });
    await checkoutData({ root: repo, log: silentLogger });
    expect(await readTree(path.join(repo, 'data'))).toEqual(SAMPLE);

    // Nothing else to remove the second time.
    const again = memoryLogger();
    expect(await gcData({ root: repo, log: again, openRemote })).toMatchObject({ removed: 0, kept: 4 });
    expect(again.lines.find((l) => l.level === 'info')?.message).toMatch(/holds nothing else/);
  });

  it('--dry-run says what it would free and removes nothing', async () => {
    await takeDown();
    const before = await listObjectIds(cache);
    const log = memoryLogger();
    expect(await gcData({ root: repo, log, dryRun: true, openRemote })).toMatchObject({ removed: 2, dryRun: true });
    expect(log.lines.find((l) => l.level === 'info')?.message).toMatch(/^Would free .*Run without --dry-run/);
    expect(await listObjectIds(cache)).toEqual(before);
  });

  it('keeps what another .dvc file in the repository records', async () => {
    await writeTree(path.join(repo, 'models'), { 'weights.bin': 'model bytes' });
    await addData({ root: repo, target: 'models', log: silentLogger });
    await takeDown();
    const result = await gcData({ root: repo, log: silentLogger, openRemote });
    expect(result.dvcFiles).toEqual(['data.dvc', 'models.dvc']);
    expect(await held('model bytes')).toBe(true);
    expect(await held('sensitive image bytes')).toBe(false);
  });

  it('removes nothing when the current folder list is not in the cache, and says to pull', async () => {
    const current = (await readDvcFile({ file: path.join(repo, 'data.dvc') })).outs[0].md5;
    await rm(objectPath(cache, current), { force: true });
    const before = await listObjectIds(cache);
    const error = await gcData({ root: repo, log: silentLogger, openRemote }).catch((e) => e);
    expect(error).toMatchObject({ code: 'DATA_GC_LIST_MISSING' });
    expect(error.message).toContain('vitrine data pull');
    expect(await listObjectIds(cache)).toEqual(before);
  });

  it('removes nothing when a .dvc file was written by DVC 2 (its objects are in another layout)', async () => {
    await writeFile(path.join(repo, 'old.dvc'), 'outs:\n- md5: 0123456789abcdef0123456789abcdef\n  path: old\n');
    await takeDown();
    const before = await listObjectIds(cache);
    const error = await gcData({ root: repo, log: silentLogger, openRemote }).catch((e) => e);
    expect(error).toMatchObject({ code: 'DATA_GC_LEGACY', data: { file: 'old.dvc' } });
    expect(await listObjectIds(cache)).toEqual(before);
  });

  it('refuses a cache shared with other repositories (cache.dir elsewhere)', async () => {
    await writeFile(path.join(repo, '.dvc', 'config.local'), '[cache]\n    dir = ../../shared-cache\n');
    const error = await gcData({ root: repo, log: silentLogger, openRemote }).catch((e) => e);
    expect(error).toMatchObject({ code: 'DATA_GC_SHARED_CACHE' });
  });
});
