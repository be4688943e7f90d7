import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { addData, checkoutData, dataStatus, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { recordedPresence } from '../../pipeline/data/presence.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * A symbolic link can be committed to git (`git add -f data/images`), and a clone then holds it before
 * any pull: a pull or checkout that wrote through it would put the collection's files (names and bytes
 * chosen by whoever commits data.dvc) anywhere, and `checkout --force` would delete what it finds there.
 * The same class as finding 1 of the security report, by the workspace rather than the folder list.
 */

let base: string;
let repo: string;
let outside: string;
beforeEach(async () => {
  base = await tempDir('vitrine-links-');
  repo = path.join(base, 'repo');
  outside = path.join(base, 'outside');
  await mkdir(outside);
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(base);
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

async function failure(run: Promise<unknown>): Promise<Error & { code?: string }> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a failure').toBeInstanceOf(Error);
  return error as Error & { code?: string };
}

describe('a folder in data/ that is a link elsewhere', () => {
  it('pull refuses to write through it, naming it, and writes nothing there', async () => {
    await rm(path.join(repo, 'data'), { recursive: true });
    await mkdir(path.join(repo, 'data'));
    await symlink(outside, path.join(repo, 'data', 'images'));
    const error = await failure(pullData({ root: repo, log: silentLogger }));
    expect(error.code).toBe('DATA_PATH_LINK');
    expect(error.message).toContain('data/images');
    expect(await readdir(outside)).toEqual([]);
  });

  it('checkout refuses it too, before writing anything', async () => {
    await rm(path.join(repo, 'data', 'images'), { recursive: true });
    await rm(path.join(repo, 'data', 'objects.csv'));
    await symlink(outside, path.join(repo, 'data', 'images'));
    expect((await failure(checkoutData({ root: repo, log: silentLogger }))).code).toBe('DATA_PATH_LINK');
    expect(await readdir(outside)).toEqual([]);
    await expect(readFile(path.join(repo, 'data', 'objects.csv'))).rejects.toThrow();
  });
});

describe('a folder in data/ that is a link elsewhere, when recording (review 1, item 4)', () => {
  beforeEach(async () => {
    // The images moved to another disk and linked back: add used to record a version without them.
    await rename(path.join(repo, 'data', 'images'), path.join(outside, 'images'));
    await symlink(path.join(outside, 'images'), path.join(repo, 'data', 'images'));
  });

  it('add refuses it, naming it and saying what to do, and data.dvc is unchanged', async () => {
    const before = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    const error = await failure(addData({ root: repo, log: silentLogger }));
    expect(error.code).toBe('DATA_PATH_LINK');
    expect(error.message).toContain('data/images');
    expect(error.message).toContain('cache.dir');
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(before);
  });

  it('add --remove-missing refuses it too', async () => {
    const error = await failure(addData({ root: repo, log: silentLogger, removeMissing: true }));
    expect(error.code).toBe('DATA_PATH_LINK');
  });

  it('status refuses it rather than reporting the files behind it as removed', async () => {
    expect((await failure(dataStatus({ root: repo, log: silentLogger }))).code).toBe('DATA_PATH_LINK');
  });

  it('a linked folder that .dvcignore leaves out is not refused', async () => {
    await writeFile(path.join(repo, '.dvcignore'), 'data/images/\n');
    await mkdir(path.join(repo, 'data', 'extra'));
    await writeFile(path.join(repo, 'data', 'extra', 'x.txt'), 'x');
    expect((await addData({ root: repo, log: silentLogger })).nfiles).toBeGreaterThan(0);
  });
});

describe('data/ itself a link elsewhere', () => {
  beforeEach(async () => {
    await rm(path.join(repo, 'data'), { recursive: true });
    await symlink(outside, path.join(repo, 'data'));
  });

  it('pull refuses it and writes nothing there', async () => {
    const error = await failure(pullData({ root: repo, log: silentLogger }));
    expect(error.code).toBe('DATA_PATH_LINK');
    expect(error.message).toContain('data/');
    expect(await readdir(outside)).toEqual([]);
  });

  it('checkout --force deletes nothing there', async () => {
    await writeFile(path.join(outside, 'keep.txt'), 'not the collection');
    expect((await failure(checkoutData({ root: repo, log: silentLogger, force: true }))).code).toBe('DATA_PATH_LINK');
    expect(await readFile(path.join(outside, 'keep.txt'), 'utf8')).toBe('not the collection');
  });

  it('add refuses it rather than recording (and a push uploading) what it points at', async () => {
    await writeFile(path.join(outside, 'id_rsa'), 'a private key');
    expect((await failure(addData({ root: repo, log: silentLogger }))).code).toBe('DATA_PATH_LINK');
  });
});

describe('a file in data/ that is a link', () => {
  it('add refuses one that points outside data/, storing nothing from it', async () => {
    await writeFile(path.join(outside, 'id_rsa'), 'a private key');
    await symlink(path.join(outside, 'id_rsa'), path.join(repo, 'data', 'images', 'A9.png'));
    const error = await failure(addData({ root: repo, log: silentLogger }));
    expect(error.code).toBe('DATA_PATH_LINK');
    expect(error.message).toContain('data/images/A9.png');
    const cached = await readdir(path.join(repo, '.dvc', 'cache', 'files', 'md5'), { recursive: true });
    expect(cached).not.toContain(`${md5('a private key').slice(0, 2)}/${md5('a private key').slice(2)}`);
  });

  it('add records one that points to a file inside data/, as DVC does', async () => {
    await symlink('A1.png', path.join(repo, 'data', 'images', 'A1-copy.png'));
    expect((await addData({ root: repo, log: silentLogger })).nfiles).toBe(5);
  });
});

describe('a file in data/ that links into the cache, as DVC leaves it with cache.type: symlink (review 1, item 5)', () => {
  const cached = (content: string) => objectPath(path.join(repo, '.dvc', 'cache'), md5(content));

  it('add reads it as the file DVC recorded, and the version is unchanged', async () => {
    const before = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    for (const name of ['A1.png', 'A2.png']) {
      const file = path.join(repo, 'data', 'images', name);
      const content = await readFile(file, 'utf8');
      await rm(file);
      await symlink(cached(content), file);
    }
    expect((await addData({ root: repo, log: silentLogger })).nfiles).toBe(4);
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(before);
  });

  it('add refuses one whose cache copy no longer matches its name, recording nothing', async () => {
    const before = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    const file = path.join(repo, 'data', 'images', 'A1.png');
    const object = cached(await readFile(file, 'utf8'));
    await rm(file);
    await symlink(object, file);
    await chmod(object, 0o644);
    await writeFile(object, 'changed behind the link');
    const error = await failure(addData({ root: repo, log: silentLogger }));
    expect(error.code).toBe('DATA_CORRUPT');
    expect(error.message).toContain('data/images/A1.png');
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(before);
  });

  it('add still refuses a link to another file of the cache folder than an object', async () => {
    const file = path.join(repo, 'data', 'images', 'A1.png');
    await rm(file);
    await writeFile(path.join(repo, '.dvc', 'cache', 'notes.txt'), 'not an object');
    await symlink(path.join(repo, '.dvc', 'cache', 'notes.txt'), file);
    expect((await failure(addData({ root: repo, log: silentLogger }))).code).toBe('DATA_PATH_LINK');
  });
});

describe('data/ itself a link: add says what to do (session 5, item 4)', () => {
  it('move the folder back, or put the cache on the other disk with cache.dir, in plain words', async () => {
    await rename(path.join(repo, 'data'), path.join(outside, 'data'));
    await symlink(path.join(outside, 'data'), path.join(repo, 'data'));
    const error = await failure(addData({ root: repo, log: silentLogger }));
    expect(error.code).toBe('DATA_PATH_LINK');
    expect(error.message).toContain('data/ is a symbolic link');
    expect(error.message).toContain('Move the folder it points to back in place of the link');
    expect(error.message).toContain(
      `"[cache]" and "dir = ${path.join(outside, 'vitrine-cache')}" to .dvc/config.local`,
    );
    expect(error.message).toContain("DVC's cache.dir setting");
  });
});

describe('the cache on another disk (cache.dir, or .dvc/cache a link), which DVC allows', () => {
  async function roundTrip(): Promise<void> {
    const before = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    expect((await addData({ root: repo, log: silentLogger })).nfiles).toBe(4);
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(before);
    await rm(path.join(repo, 'data', 'images', 'A1.png'));
    await checkoutData({ root: repo, log: silentLogger });
    expect((await dataStatus({ root: repo, log: silentLogger })).clean).toBe(true);
  }

  it('cache.dir set to a folder elsewhere: add, checkout and status work', async () => {
    await writeFile(path.join(repo, '.dvc', 'config.local'), `[cache]\n    dir = ${path.join(outside, 'cache')}\n`);
    await roundTrip();
    expect(await readdir(path.join(outside, 'cache', 'files', 'md5'))).not.toEqual([]);
  });

  it('.dvc/cache a link to a folder elsewhere: add, checkout and status work', async () => {
    await rename(path.join(repo, '.dvc', 'cache'), path.join(outside, 'cache'));
    await symlink(path.join(outside, 'cache'), path.join(repo, '.dvc', 'cache'));
    await roundTrip();
  });
});

describe('a file in data/ that links into a DVC 2 cache (.dvc/cache/ab/cdef…, session 5, item 6)', () => {
  it('add says the cache is in DVC 2 layout and how to migrate, rather than "outside data/"', async () => {
    const file = path.join(repo, 'data', 'images', 'A1.png');
    const content = await readFile(file, 'utf8');
    const old = path.join(repo, '.dvc', 'cache', md5(content).slice(0, 2), md5(content).slice(2));
    await mkdir(path.dirname(old), { recursive: true });
    await writeFile(old, content);
    await rm(file);
    await symlink(old, file);
    const before = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    const error = await failure(addData({ root: repo, log: silentLogger }));
    expect(error.code).toBe('DATA_CACHE_DVC2');
    expect(error.message).toContain("data/images/A1.png is a link into the cache in DVC 2's layout");
    expect(error.message).toContain('.dvc/cache/files/md5/');
    expect(error.message).toContain('"dvc cache migrate --dvc-files", then "dvc checkout --relink"');
    expect(error.message).not.toContain('outside data/');
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(before);
  });
});

describe('the presence check before the stages read data/ (session 5, item 5)', () => {
  it('names a linked folder in a warning rather than skipping it silently', async () => {
    await rename(path.join(repo, 'data', 'images'), path.join(outside, 'images'));
    await symlink(path.join(outside, 'images'), path.join(repo, 'data', 'images'));
    const log = memoryLogger();
    const presence = await recordedPresence({ root: repo, log });
    expect(presence?.linkedFolders).toEqual(['images']);
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain(`data/images is a link to another folder (${path.join(outside, 'images')})`);
    expect(warnings[0]?.message).toContain('Put the folder itself in data/ in place of the link');
    expect(warnings[0]?.where).toEqual({ file: 'data/images' });
  });

  it('says nothing when there is no linked folder', async () => {
    const log = memoryLogger();
    expect((await recordedPresence({ root: repo, log }))?.linkedFolders).toEqual([]);
    expect(log.lines).toEqual([]);
  });
});
