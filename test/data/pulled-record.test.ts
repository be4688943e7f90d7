import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addData, pullData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, writeTree } from './helpers.ts';
import { git, record, twoClones } from './two-clones.ts';

/*
 * A reviewer: a clean "git pull" brought A's data.dvc (A had added NEW-A) into B's clone, whose cache did not have
 * its folder list; "data add" then took data/ as it was for the new record and dropped NEW-A from data.dvc without a
 * word: the check for files never fetched gave up when the list was not in the local cache. It is fetched from the
 * remote (as data merge does), and without it nothing is recorded.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

/** A added NEW-A (pushing the data when `pushed`, and git); B committed something else, then ran "git pull". */
async function pulledOthersRecord({ pushed }: { pushed: boolean }): Promise<{ b: string; remote: string }> {
  const clones = await twoClones();
  dirs.push(clones.base);
  const { a, b, remote } = clones;
  await writeTree(path.join(a, 'data'), { 'images/NEW-A.jpg': 'new a' });
  await record(a, 'NEW-A');
  if (pushed) await pushData({ root: a, log: silentLogger });
  git(a, 'push', '-q');
  await writeFile(path.join(b, 'notes.md'), 'Loans for the spring exhibition.\n');
  git(b, 'add', 'notes.md');
  git(b, 'commit', '-q', '-m', 'Notes');
  git(b, 'pull', '-q', '--no-rebase');
  expect(await readFile(path.join(b, 'data.dvc'), 'utf8')).toContain('nfiles: 5');
  return { b, remote };
}

describe('data add after a git pull that brought another person’s data.dvc', () => {
  it('refuses to drop their photographs, fetching the folder list from the remote, and says to pull', async () => {
    const { b } = await pulledOthersRecord({ pushed: true });
    const before = await readFile(path.join(b, 'data.dvc'), 'utf8');
    const error = await addData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_NOT_FETCHED' });
    expect((error as Error).message).toContain('data/images/NEW-A.jpg');
    expect((error as Error).message).toContain('Run "npx vitrine data pull" to fetch them');
    expect(await readFile(path.join(b, 'data.dvc'), 'utf8')).toBe(before);

    await pullData({ root: b, log: silentLogger });
    expect((await addData({ root: b, log: silentLogger })).nfiles).toBe(5);
  }, 60_000);

  it('refuses too when the remote does not have the folder list, unless --remove-missing', async () => {
    const { b } = await pulledOthersRecord({ pushed: false });
    const before = await readFile(path.join(b, 'data.dvc'), 'utf8');
    const error = await addData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_NOT_FETCHED' });
    expect((error as Error).message).toMatch(
      /^data\.dvc records a version of data\/ whose list of files is neither on this computer nor on the remote "storage"/,
    );
    expect((error as Error).message).toContain('"npx vitrine data add --remove-missing"');
    expect(await readFile(path.join(b, 'data.dvc'), 'utf8')).toBe(before);
    expect((await addData({ root: b, log: silentLogger, removeMissing: true })).nfiles).toBe(4);
  }, 60_000);
});
