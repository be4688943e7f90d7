import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { addData, checkoutData, dataStatus, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, readTree, SAMPLE, tempDir, writeTree } from './helpers.ts';

/* A damaged .dir manifest (or file object) in the local cache must never block the data commands. */

let base: string;
let repo: string;
let cache: string;
let list: string;
let listMd5: string;
beforeEach(async () => {
  base = await tempDir('vitrine-manifest-');
  repo = path.join(base, 'repo');
  cache = path.join(repo, '.dvc', 'cache');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
  const { md5 } = await addData({ root: repo, log: silentLogger });
  list = objectPath(cache, md5);
  listMd5 = md5.replace('.dir', '');
});
afterEach(async () => {
  await cleanup(base);
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

async function damage(file: string, bytes = '[{"md5": "rot"'): Promise<void> {
  await chmod(file, 0o644);
  await writeFile(file, bytes);
}

async function failure(run: Promise<unknown>): Promise<Error & { code?: string }> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a failure').toBeInstanceOf(Error);
  return error as Error & { code?: string };
}

describe('a damaged folder list (.dir manifest) in the local cache, with a remote that has a good one', () => {
  beforeEach(async () => {
    await pushData({ root: repo, log: silentLogger });
    await damage(list);
  });

  it('pull fetches the good copy, replaces the damaged one and fills data/', async () => {
    await rm(path.join(repo, 'data'), { recursive: true });
    await pullData({ root: repo, log: silentLogger });
    expect(await readTree(path.join(repo, 'data'))).toEqual(SAMPLE);
    expect(
      createHash('md5')
        .update(await readFile(list))
        .digest('hex'),
    ).toBe(listMd5);
    expect((await stat(list)).mode & 0o222).toBe(0);
  });

  it('checkout fetches the good copy from the configured remote', async () => {
    await rm(path.join(repo, 'data', 'objects.csv'));
    expect((await checkoutData({ root: repo, log: silentLogger })).written).toBe(1);
    expect(await readTree(path.join(repo, 'data'))).toEqual(SAMPLE);
  });

  it('status --remote fetches it; plain status reports it with the fix, without failing', async () => {
    const plain = await dataStatus({ root: repo, log: silentLogger });
    expect(plain.clean).toBe(true);
    const text = describeStatus(plain).join('\n');
    expect(text).toContain('damaged');
    expect(text).toContain('vitrine data verify --repair');
    await writeFile(path.join(repo, 'data', 'objects.csv'), 'edited');
    const changed = describeStatus(await dataStatus({ root: repo, log: silentLogger })).join('\n');
    expect(changed).toContain('damaged');
    expect(changed).toContain('vitrine data pull');
    const withRemote = await dataStatus({ root: repo, log: silentLogger, remote: true });
    expect(withRemote.cache.hasManifest).toBe(true);
    expect(withRemote.remote?.missing).toBe(0);
    expect((await dataStatus({ root: repo, log: silentLogger })).cache.hasManifest).toBe(true);
  });

  it('push fetches it from the remote rather than failing', async () => {
    await pushData({ root: repo, log: silentLogger });
    expect((await verifyData({ root: repo, log: silentLogger })).cache.damaged).toEqual([]);
  });

  it('verify --repair restores it from the remote without being told --remote', async () => {
    await writeFile(path.join(repo, 'data', 'objects.csv'), 'edited, so data/ cannot rebuild the list');
    const result = await verifyData({ root: repo, log: silentLogger, repair: true });
    expect(result.cache.repaired).toBe(1);
    expect(result.remote).toBeNull();
    expect((await verifyData({ root: repo, log: silentLogger })).cache.damaged).toEqual([]);
  });
});

describe('a damaged folder list with no good copy on the remote', () => {
  it('every message names a fix, and that fix works', async () => {
    await damage(list);
    const checkout = await failure(checkoutData({ root: repo, log: silentLogger }));
    expect(checkout.code).toBe('DATA_CORRUPT');
    expect(checkout.message).toContain('vitrine data add');
    const push = await failure(pushData({ root: repo, log: silentLogger }));
    expect(push.message).toContain('vitrine data add');
    const verify = await failure(verifyData({ root: repo, log: silentLogger }));
    expect(verify.message).toContain('vitrine data verify --repair');
    // The fix named: data/ still holds the recorded version, so the list is rebuilt from it.
    expect((await verifyData({ root: repo, log: silentLogger, repair: true })).cache.repaired).toBe(1);
    await pushData({ root: repo, log: silentLogger });
  });

  it('"vitrine data add" replaces it when data/ holds the recorded version', async () => {
    await damage(list);
    await addData({ root: repo, log: silentLogger });
    expect((await verifyData({ root: repo, log: silentLogger })).cache.damaged).toEqual([]);
  });

  it('with no remote set up and data/ changed, verify --repair says what it looked at', async () => {
    await writeFile(path.join(repo, '.dvc', 'config'), '');
    await damage(list);
    await writeFile(path.join(repo, 'data', 'objects.csv'), 'edited');
    const error = await failure(verifyData({ root: repo, log: silentLogger, repair: true }));
    expect(error.message).toContain('data.dvc');
    expect(error.message).toContain('no remote is set up');
    expect(error.message).not.toContain('or the remote');
  });
});

describe('a damaged file object in the local cache', () => {
  it('one pull fetches a good copy from the remote', async () => {
    await pushData({ root: repo, log: silentLogger });
    await damage(objectPath(cache, md5(SAMPLE['images/A1.png'])), 'bit rot');
    await rm(path.join(repo, 'data', 'images', 'A1.png'));
    await pullData({ root: repo, log: silentLogger });
    expect(await readTree(path.join(repo, 'data'))).toEqual(SAMPLE);
    expect(await readFile(objectPath(cache, md5(SAMPLE['images/A1.png'])), 'utf8')).toBe(SAMPLE['images/A1.png']);
  });
});
