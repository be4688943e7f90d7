import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addData, dataStatus, pullData, pushData } from '../../pipeline/data/index.ts';
import { unfinishedCheckoutFile } from '../../pipeline/data/ops.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, writeTree } from './helpers.ts';
import { dropFromRemote, git, record, twoClones } from './two-clones.ts';

/*
 * A reviewer: a pull refused before it wrote anything in data/ must leave no unfinished-pull mark (1720491), yet the
 * mark was still left when objects were missing on the remote (the pull then checks out what did arrive, and that
 * checkout refused outside the guard) and on any other refusal than a changed file (a linked folder). The "data add"
 * the refusal suggests then put back, from the local cache, a photograph B had deleted on purpose: a takedown came
 * back.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

/** A added NEW-A and pushed git and data, then NEW-A's object was lost from the remote; B has pulled git. */
async function newAMissingOnRemote(): Promise<{ a: string; b: string; remote: string }> {
  const clones = await twoClones();
  dirs.push(clones.base);
  const { a, b, remote } = clones;
  await writeTree(path.join(a, 'data'), { 'images/NEW-A.jpg': 'new a' });
  await record(a, 'NEW-A');
  await pushData({ root: a, log: silentLogger });
  git(a, 'push', '-q');
  await dropFromRemote({ remote, md5: createHash('md5').update('new a').digest('hex') });
  git(b, 'pull', '-q', '--no-rebase');
  return { a, b, remote };
}

describe('a pull refused before it changed data/, while objects are missing on the remote', () => {
  it('leaves no mark, so data add does not put back a photograph deleted on purpose', async () => {
    const { b } = await newAMissingOnRemote();
    await writeFile(path.join(b, 'data', 'images', 'A2.jpg'), 'two, photographed again');
    await rm(path.join(b, 'data', 'images', 'A3.jpg'));

    const refused = await pullData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'DATA_UNRECORDED_CHANGES' });
    expect(existsSync(unfinishedCheckoutFile(b))).toBe(false);
    expect((await dataStatus({ root: b, log: silentLogger })).checkoutUnfinished).toBeUndefined();

    // NEW-A is nowhere to fetch: add refuses to drop it, and does not put A3 back first.
    await expect(addData({ root: b, log: silentLogger })).rejects.toMatchObject({ code: 'DATA_NOT_FETCHED' });
    expect(existsSync(path.join(b, 'data', 'images', 'A3.jpg'))).toBe(false);
  }, 60_000);

  it('keeps the mark an earlier pull, stopped part-way, left', async () => {
    const { b } = await newAMissingOnRemote();
    await writeFile(path.join(b, 'data', 'images', 'A2.jpg'), 'two, photographed again');
    const mark = unfinishedCheckoutFile(b);
    await mkdir(path.dirname(mark), { recursive: true });
    await writeFile(mark, 'A data pull or checkout of data/ started here and has not finished.\n');

    await expect(pullData({ root: b, log: silentLogger })).rejects.toMatchObject({ code: 'DATA_UNRECORDED_CHANGES' });
    expect(existsSync(mark)).toBe(true);
  }, 60_000);
});

describe('a pull refused for another reason before it changed data/', () => {
  it('a linked folder (DATA_PATH_LINK) leaves no mark either', async () => {
    const clones = await twoClones();
    dirs.push(clones.base);
    const { a, b, base } = clones;
    await writeTree(path.join(a, 'data'), { 'images/NEW-A.jpg': 'new a' });
    await record(a, 'NEW-A');
    await pushData({ root: a, log: silentLogger });
    git(a, 'push', '-q');
    git(b, 'pull', '-q', '--no-rebase');
    // B moved the images to another disk and left a link in their place.
    const elsewhere = path.join(base, 'other-disk', 'images');
    await cp(path.join(b, 'data', 'images'), elsewhere, { recursive: true });
    await rm(path.join(b, 'data', 'images'), { recursive: true });
    await symlink(elsewhere, path.join(b, 'data', 'images'));

    await expect(pullData({ root: b, log: silentLogger })).rejects.toMatchObject({ code: 'DATA_PATH_LINK' });
    expect(existsSync(unfinishedCheckoutFile(b))).toBe(false);
    expect(await readFile(path.join(elsewhere, 'A1.jpg'), 'utf8')).toBe('one');
  }, 60_000);
});
