import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addData, dataStatus, pushData } from '../../pipeline/data/index.ts';
import { mergeData } from '../../pipeline/data/merge.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, writeTree } from './helpers.ts';
import { git, record, twoClones } from './two-clones.ts';

/*
 * A reviewer, with two clones of one repository: A and B each added a photograph and recorded it, A pushed, and B's
 * "git pull" stopped on a conflict in data.dvc. What B then does by hand, or with git's other ways of pulling, must
 * not end with a data.dvc that drops A's photograph, and every message must lead somewhere that works.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

type Files = Record<string, string>;

/**
 * A records `a` (pushed: git and data), B records `b`, then B runs "git pull" (`--no-rebase`, or `--rebase`), which
 * stops on a conflict in data.dvc. Returns B's clone.
 */
async function conflictedPull({
  a = { 'images/NEW-A.jpg': 'new a' },
  b = { 'images/NEW-B.jpg': 'new b' },
  how = '--no-rebase',
}: {
  a?: Files;
  b?: Files;
  how?: '--no-rebase' | '--rebase';
} = {}): Promise<string> {
  const clones = await twoClones();
  dirs.push(clones.base);
  await writeTree(path.join(clones.a, 'data'), a);
  await record(clones.a, 'A’s photographs');
  await pushData({ root: clones.a, log: silentLogger });
  git(clones.a, 'push', '-q');
  await writeTree(path.join(clones.b, 'data'), b);
  await record(clones.b, 'B’s photographs');
  expect(() => git(clones.b, 'pull', '-q', how)).toThrow();
  expect(await readFile(path.join(clones.b, 'data.dvc'), 'utf8')).toContain('<<<<<<<');
  return clones.b;
}

const dvcText = (root: string) => readFile(path.join(root, 'data.dvc'), 'utf8');
const has = (root: string, file: string) => existsSync(path.join(root, 'data', file));

describe('a conflict in data.dvc edited by hand during the merge', () => {
  const edits: [string, (text: string) => string, RegExp][] = [
    ['only the >>>>>>> line deleted', (t) => t.replace(/^>{7} .*\n/m, ''), /not valid YAML/],
    [
      'the three marker lines deleted, both md5 lines kept',
      (t) => t.replace(/^(<{7}|={7}|>{7}).*\n/gm, ''),
      /2 outputs are listed/,
    ],
  ];
  for (const [edit, change, problem] of edits)
    it(`${edit}: said as an unresolved merge conflict, data add refuses, and data merge still merges`, async () => {
      const b = await conflictedPull();
      await writeFile(path.join(b, 'data.dvc'), change(await dvcText(b)));
      const edited = await dvcText(b);
      for (const run of [
        () => dataStatus({ root: b, log: silentLogger }),
        () => addData({ root: b, log: silentLogger }),
      ]) {
        const error = await run().catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'DVCFILE_MERGE_CONFLICT' });
        expect((error as Error).message).toMatch(/^data\.dvc:\d+: this file still has an unresolved merge conflict/);
        expect((error as Error).message).toMatch(problem);
        expect((error as Error).message).toContain('Run "npx vitrine data merge"');
      }
      expect(await dvcText(b)).toBe(edited);

      await mergeData({ root: b, log: silentLogger });
      expect(has(b, 'images/NEW-A.jpg') && has(b, 'images/NEW-B.jpg')).toBe(true);
      expect(await dvcText(b)).toContain('nfiles: 6');
    }, 60_000);

  it('one side kept whole (a record that reads well): data add still refuses, and points to data merge', async () => {
    const b = await conflictedPull();
    git(b, 'checkout', '--ours', 'data.dvc');
    git(b, 'add', 'data.dvc');
    const kept = await dvcText(b);
    const error = await addData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_MERGE_UNFINISHED' });
    expect((error as Error).message).toContain('drop the other branch’s photographs');
    expect((error as Error).message).toContain('Run "npx vitrine data merge"');
    expect(await dvcText(b)).toBe(kept);

    await mergeData({ root: b, log: silentLogger });
    expect(await dvcText(b)).toContain('nfiles: 6');
    // Once data merge has written the merge, what is recorded next is this merge's too.
    await writeFile(path.join(b, 'data', 'objects.csv'), 'id,image\nA1,images/A1.jpg\nNEW-A,images/NEW-A.jpg\n');
    await addData({ root: b, log: silentLogger });
    git(b, 'add', 'data.dvc');
    git(b, 'commit', '-q', '--no-edit');
    expect((await dataStatus({ root: b, log: silentLogger })).clean).toBe(true);
  }, 60_000);
});

describe('a "git pull --rebase" that stopped on data.dvc', () => {
  it('every data command says to give up the rebase and merge, and that advice works', async () => {
    const b = await conflictedPull({ how: '--rebase' });
    const steps =
      /"git rebase --abort".*then "git pull --no-rebase" \(or "git merge <branch>"\), then "npx vitrine data merge"/;
    for (const run of [
      () => dataStatus({ root: b, log: silentLogger }),
      () => addData({ root: b, log: silentLogger }),
      () => mergeData({ root: b, log: silentLogger }),
    ]) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: expect.stringMatching(/^(DVCFILE_MERGE_CONFLICT|DATA_MERGE_REBASE)$/) });
      expect((error as Error).message).toMatch(steps);
      expect((error as Error).message).toContain('not in a rebase');
      expect((error as Error).message).not.toContain('No git merge is under way');
    }
    expect(await mergeData({ root: b, log: silentLogger }).catch((e: unknown) => e)).toMatchObject({
      code: 'DATA_MERGE_REBASE',
    });

    // One side kept whole, as "git checkout --theirs" does in a rebase: data add still refuses.
    git(b, 'checkout', '--theirs', 'data.dvc');
    const kept = await addData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(kept).toMatchObject({ code: 'DATA_MERGE_REBASE' });
    expect((kept as Error).message).toMatch(steps);

    git(b, 'rebase', '--abort');
    expect(() => git(b, 'pull', '-q', '--no-rebase')).toThrow();
    await mergeData({ root: b, log: silentLogger });
    expect(has(b, 'images/NEW-A.jpg') && has(b, 'images/NEW-B.jpg')).toBe(true);
  }, 60_000);
});
