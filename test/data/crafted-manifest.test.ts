import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { addData, checkoutData, dataStatus, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { recordedPresence } from '../../pipeline/data/presence.ts';
import { verifyData } from '../../pipeline/data/verify.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * A folder list (.dir manifest) is chosen by whoever commits data.dvc: it must be treated as untrusted
 * input. A crafted list stored under its true md5 passes every hash check, so its entries themselves
 * are what must be refused (security report, finding 1: an entry md5 with "../" made a pull delete a
 * file outside the cache).
 */

let base: string;
let repo: string;
let storage: string;
let secret: string;
beforeEach(async () => {
  base = await tempDir('vitrine-crafted-');
  repo = path.join(base, 'repo');
  storage = path.join(base, 'storage');
  secret = path.join(base, 'SECRET.txt');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  await writeFile(secret, 'a file outside the repository\n');
});
afterEach(async () => {
  await cleanup(base);
});

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

/** An entry md5 that objectPath turns into the path of SECRET.txt, seen from `root`'s cache. */
function escapingMd5(root: string): string {
  return `xx/${path.relative(path.join(root, '.dvc', 'cache', 'files', 'md5', 'xx'), secret)}`;
}

/**
 * What an attacker commits: a list stored on the remote (and, with `inCache`, in `root`'s cache) under
 * its true md5, and data.dvc pointing at it.
 */
async function craft({
  root = repo,
  entries,
  inCache = false,
}: {
  root?: string;
  entries: unknown;
  inCache?: boolean;
}): Promise<string> {
  const bytes = JSON.stringify(entries);
  const id = `${md5(bytes)}.dir`;
  for (const where of inCache ? [storage, path.join(root, '.dvc', 'cache')] : [storage]) {
    const file = objectPath(where, id);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
  const dvc = await readFile(path.join(root, 'data.dvc'), 'utf8');
  await writeFile(path.join(root, 'data.dvc'), dvc.replace(/md5: [0-9a-f]{32}\.dir/, `md5: ${id}`));
  return id;
}

async function failure(run: Promise<unknown>): Promise<Error & { code?: string; data?: Record<string, unknown> }> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a failure').toBeInstanceOf(Error);
  return error as Error & { code?: string; data?: Record<string, unknown> };
}

function expectInvalidList(error: Error & { code?: string }, relpath: string): void {
  expect(error.code).toBe('DATA_MANIFEST_INVALID');
  expect(error.message).toContain('data.dvc');
  expect(error.message).toContain('not valid');
  expect(error.message).toContain(`"${relpath}"`);
}

const secretKept = async () => expect(await readFile(secret, 'utf8')).toBe('a file outside the repository\n');

describe('an entry md5 that leads outside the cache (finding 1)', () => {
  it('pull with the crafted list in the cache refuses it and deletes nothing outside', async () => {
    await craft({ entries: [{ md5: escapingMd5(repo), relpath: 'objects.csv' }], inCache: true });
    await rm(path.join(repo, 'data'), { recursive: true, force: true });
    expectInvalidList(await failure(pullData({ root: repo, log: silentLogger })), 'objects.csv');
    await secretKept();
  });

  it('pull in a fresh clone (the list comes from the remote) refuses it and deletes nothing outside', async () => {
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    await craft({ root: clone, entries: [{ md5: escapingMd5(clone), relpath: 'objects.csv' }] });
    expectInvalidList(await failure(pullData({ root: clone, log: silentLogger })), 'objects.csv');
    await secretKept();
    await expect(stat(path.join(clone, 'data'))).rejects.toThrow();
  });

  it('checkout, status and verify refuse it too', async () => {
    await craft({ entries: [{ md5: escapingMd5(repo), relpath: 'images/A1.png' }], inCache: true });
    await rm(path.join(repo, 'data', 'images', 'A1.png'));
    expectInvalidList(await failure(checkoutData({ root: repo, log: silentLogger })), 'images/A1.png');
    await secretKept();
    expectInvalidList(await failure(dataStatus({ root: repo, log: silentLogger })), 'images/A1.png');
    expectInvalidList(await failure(verifyData({ root: repo, log: silentLogger })), 'images/A1.png');
    expectInvalidList(await failure(verifyData({ root: repo, log: silentLogger, repair: true })), 'images/A1.png');
    // The stages' check before reading data/ (rather than "not fetched yet").
    expectInvalidList(await failure(recordedPresence({ root: repo })), 'images/A1.png');
    await secretKept();
  });
});

describe('entry md5s DVC never writes', () => {
  const good = md5(SAMPLE['objects.csv']);
  it.each([
    ['upper-case hex', good.toUpperCase()],
    ['a folder list id (".dir")', `${good}.dir`],
    ['too short', good.slice(0, 31)],
    ['a trailing newline', `${good}\n`],
    ['empty', ''],
  ])('%s is refused, naming the entry', async (_, bad) => {
    await craft({ entries: [{ md5: bad, relpath: 'objects.csv' }] });
    await rm(path.join(repo, 'data'), { recursive: true, force: true });
    const error = await failure(pullData({ root: repo, log: silentLogger }));
    expectInvalidList(error, 'objects.csv');
    expect(error.data?.file).toBe('data.dvc');
  });
});

describe('relpaths that name no file inside data/', () => {
  const csv = md5(SAMPLE['objects.csv']);
  it.each([
    ['"." (data/ itself)', '.'],
    ['"images/." (a folder)', 'images/.'],
  ])('%s is refused, and unrecorded files in data/ are kept', async (_, relpath) => {
    await writeFile(path.join(repo, 'data', 'images', 'notes.txt'), 'unrecorded work');
    await craft({ entries: [{ md5: csv, relpath }] });
    expectInvalidList(await failure(pullData({ root: repo, log: silentLogger })), relpath);
    expect(await readFile(path.join(repo, 'data', 'images', 'notes.txt'), 'utf8')).toBe('unrecorded work');
  });

  it.each(['.git/config', 'images/.GIT/hooks/post-checkout', '.dvc/config', '.hg/hgrc'])(
    '"%s" (a folder the hashing never reads) is refused and not written',
    async (relpath) => {
      await craft({ entries: [{ md5: csv, relpath }] });
      expectInvalidList(await failure(pullData({ root: repo, log: silentLogger })), relpath);
      const top = relpath.split('/').slice(0, relpath.startsWith('images/') ? 2 : 1);
      await expect(stat(path.join(repo, 'data', ...top))).rejects.toThrow();
    },
  );
});

describe('relpaths no file system takes (review 1, item 6)', () => {
  const csv = md5(SAMPLE['objects.csv']);
  const long = 'x'.repeat(300);
  it.each([
    ['a NUL byte', 'images/a\u0000.jpg'],
    ['a line break', 'images/a\n.jpg'],
    ['a carriage return', 'images/a\r.jpg'],
    ['a tab', 'images/a\t.jpg'],
    ['DEL', 'images/a\u007f.jpg'],
    ['a 300-character part', `images/${long}.jpg`],
    ['a part of 128 two-byte characters (256 bytes)', `images/${'é'.repeat(128)}`],
  ])('%s is refused by checkout --force and pull with DATA_MANIFEST_INVALID', async (_, relpath) => {
    await craft({ entries: [{ md5: csv, relpath }], inCache: true });
    expect((await failure(checkoutData({ root: repo, log: silentLogger, force: true }))).code).toBe(
      'DATA_MANIFEST_INVALID',
    );
    expect((await failure(pullData({ root: repo, log: silentLogger }))).code).toBe('DATA_MANIFEST_INVALID');
  });

  it('push does not upload such a list', async () => {
    const id = await craft({ entries: [{ md5: csv, relpath: 'images/a\u0000.jpg' }], inCache: true });
    await rm(objectPath(storage, id));
    expect((await failure(pushData({ root: repo, log: silentLogger }))).code).toBe('DATA_MANIFEST_INVALID');
    await expect(stat(objectPath(storage, id))).rejects.toThrow();
  });

  it('a part of exactly 255 bytes is accepted', async () => {
    const relpath = `images/${'y'.repeat(255)}`;
    await craft({ entries: [{ md5: csv, relpath }], inCache: true });
    await checkoutData({ root: repo, log: silentLogger, force: true });
    expect(await readFile(path.join(repo, 'data', 'images', 'y'.repeat(255)), 'utf8')).toBe(SAMPLE['objects.csv']);
  });
});

describe('a file name add would record but no later command could write (review 1, item 6)', () => {
  it('add refuses a name with a line break, recording nothing', async () => {
    const before = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    await writeFile(path.join(repo, 'data', 'images', 'a\nb.png'), 'a picture');
    const error = await failure(addData({ root: repo, log: silentLogger }));
    expect(error.code).toBe('DATA_NAME_INVALID');
    expect(error.message).toContain('data/images/a\\nb.png');
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(before);
  });
});
