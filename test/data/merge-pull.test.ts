import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CacheService, saveDataCache } from '../../actions/lib/actions-cache.ts';
import { main } from '../../pipeline/cli.ts';
import { listObjectIds } from '../../pipeline/data/cache.ts';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { gcData } from '../../pipeline/data/gc.ts';
import { addData, checkoutData, dataStatus, openRemote, pullData, pushData } from '../../pipeline/data/index.ts';
import { mergeData } from '../../pipeline/data/merge.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup } from './helpers.ts';
import { change, dropFromRemote, git, record, START, conflictedPull as stoppedPull, twoClones } from './two-clones.ts';

/*
 * A reviewer, with two clones of one repository: A and B each added a photograph and recorded it, A pushed, and B's
 * "git pull" stopped on a conflict in data.dvc. What B then does by hand, or with git's other ways of pulling, must
 * not end with a data.dvc that drops A's photograph, and every message must lead somewhere that works.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

/** B's clone, its "git pull" stopped on a conflict in data.dvc (two-clones.ts conflictedPull). */
async function conflictedPull(options: Parameters<typeof stoppedPull>[0] = {}): Promise<string> {
  const { base, b } = await stoppedPull(options);
  dirs.push(base);
  return b;
}

/** The other clone of `b` (A's), and the shared folder remote, beside it. */
const besideB = (b: string) => ({ a: path.join(path.dirname(b), 'a'), remote: path.join(path.dirname(b), 'remote') });
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const said = (log: ReturnType<typeof memoryLogger>) => log.lines.map((l) => l.message).join('\n');

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

describe('a conflict in data.dvc resolved by hand into a record (markers gone, one md5 kept)', () => {
  it('status says the merge is unfinished; pull and checkout refuse, changing nothing; data merge finishes it', async () => {
    const b = await conflictedPull();
    // The other branch's lines kept, git's markers and this branch's lines deleted: a record that reads well.
    await writeFile(
      path.join(b, 'data.dvc'),
      (await dvcText(b)).replace(/^<{7}[\s\S]*?^={7}.*\n/m, '').replace(/^>{7}.*\n/m, ''),
    );
    const kept = await dvcText(b);
    expect(kept).not.toMatch(/<{7}|={7}|>{7}/);
    const images = async () => (await readdir(path.join(b, 'data', 'images'))).sort();
    const before = await images();
    expect(before).toContain('NEW-B.jpg');

    const status = await dataStatus({ root: b, log: silentLogger });
    expect(status.mergeUnfinished).toMatchObject({ operation: 'merge', file: 'data.dvc' });
    const lines = describeStatus(status);
    expect(lines[0]).toMatch(/^A git merge is under way, and both branches changed data\.dvc/);
    expect(lines[0]).toContain('Run "npx vitrine data merge"');
    // Nothing that data pull, checkout or add would refuse is advised.
    expect(lines.join('\n')).not.toMatch(/vitrine data (pull|checkout|add)/);

    for (const run of [
      () => pullData({ root: b, log: silentLogger }),
      () => checkoutData({ root: b, log: silentLogger }),
      () => checkoutData({ root: b, log: silentLogger, force: true }),
      () => addData({ root: b, log: silentLogger }),
    ]) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DATA_MERGE_UNFINISHED' });
      expect((error as Error).message).toContain('drop the other branch’s photographs');
      expect((error as Error).message).toContain('Run "npx vitrine data merge"');
      expect(await dvcText(b)).toBe(kept);
      expect(await images()).toEqual(before);
    }
    expect(existsSync(path.join(b, '.dvc', 'tmp', 'checkout-unfinished.data'))).toBe(false);

    // data merge reads both branches from git, not the hand-resolved file: both photographs, then all is as usual.
    await mergeData({ root: b, log: silentLogger });
    expect(has(b, 'images/NEW-A.jpg') && has(b, 'images/NEW-B.jpg')).toBe(true);
    const merged = await dataStatus({ root: b, log: silentLogger });
    expect(merged.mergeUnfinished).toBeUndefined();
    expect(merged.clean).toBe(true);
    await checkoutData({ root: b, log: silentLogger });
    await pullData({ root: b, log: silentLogger });
    git(b, 'add', 'data.dvc');
    git(b, 'commit', '-q', '--no-edit');
    expect((await dataStatus({ root: b, log: silentLogger })).clean).toBe(true);
  }, 60_000);
});

describe('data/ filled from a data.dvc resolved by hand (by DVC, or a Vitrine before it refused)', () => {
  it('data merge takes the other branch’s files in data/ for what they are, and merges', async () => {
    const b = await conflictedPull({
      a: { 'images/NEW-A.jpg': 'new a' },
      b: { 'images/NEW-B.jpg': 'new b', 'images/A2.jpg': 'two, again', 'images/A3.jpg': undefined },
    });
    git(b, 'checkout', '--theirs', 'data.dvc');
    // data/ made as the other branch records it, as "dvc checkout --force" does: this branch's changes undone.
    await change(b, { 'images/NEW-A.jpg': 'new a', 'images/A2.jpg': 'two', 'images/A3.jpg': 'three' });
    await change(b, { 'images/NEW-B.jpg': undefined });
    const log = memoryLogger();
    await mergeData({ root: b, log });
    expect(said(log)).toContain('as the other branch records them');
    const read = (file: string) => readFile(path.join(b, 'data', file), 'utf8');
    expect(await read('images/NEW-A.jpg')).toBe('new a');
    expect(await read('images/NEW-B.jpg')).toBe('new b');
    expect(await read('images/A2.jpg')).toBe('two, again');
    expect(has(b, 'images/A3.jpg')).toBe(false);
    expect(await dvcText(b)).toContain('nfiles: 5');
    git(b, 'add', 'data.dvc');
    git(b, 'commit', '-q', '--no-edit');
    expect((await dataStatus({ root: b, log: silentLogger })).clean).toBe(true);
  }, 60_000);

  it('a change of this branch’s own, not as either branch records it, still stops it (DATA_MERGE_UNRECORDED)', async () => {
    const b = await conflictedPull();
    git(b, 'checkout', '--theirs', 'data.dvc');
    await change(b, { 'images/NEW-A.jpg': 'new a', 'images/A1.jpg': 'one, edited' });
    const error = await mergeData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_MERGE_UNRECORDED', data: { files: ['data/images/A1.jpg'] } });
    expect(await readFile(path.join(b, 'data', 'images', 'A1.jpg'), 'utf8')).toBe('one, edited');
  }, 60_000);
});

describe('data gc during the merge', () => {
  it('the command refuses, removing nothing, until the merge is committed: data merge reads what it would remove', async () => {
    const b = await conflictedPull();
    git(b, 'checkout', '--theirs', 'data.dvc');
    // The other branch's folder list is in this cache (fetched by DVC, or a status --remote): gc could read it.
    const list = /md5: ([0-9a-f]{32})\.dir/.exec(await dvcText(b))![1]!;
    const at = (root: string) =>
      path.join(root, '.dvc', 'cache', 'files', 'md5', list.slice(0, 2), `${list.slice(2)}.dir`);
    await cp(at(besideB(b).a), at(b));
    const cache = path.join(b, '.dvc', 'cache', 'files', 'md5');
    const objects = async () =>
      (
        await Promise.all(
          (await readdir(cache)).map(async (d) => (await readdir(path.join(cache, d))).map((f) => d + f)),
        )
      )
        .flat()
        .sort();
    const before = await objects();
    const gc = async () => {
      const log = memoryLogger();
      const code = await main(['data', 'gc'], { cwd: b, env: {}, stdout: () => {}, log, interactive: false });
      return { code, said: said(log) };
    };
    const refused = await gc();
    expect(refused.code).not.toBe(0);
    expect(refused.said).toContain('A git merge is under way, and both branches changed data.dvc');
    expect(refused.said).toContain('Nothing was removed');
    expect(refused.said).toContain('"npx vitrine data merge"');
    expect(await objects()).toEqual(before);

    await mergeData({ root: b, log: silentLogger });
    // Written, not committed: run again, data merge reads the three versions still.
    expect((await gc()).said).toContain('Nothing was removed');
    git(b, 'add', 'data.dvc');
    git(b, 'commit', '-q', '--no-edit');
    expect((await gc()).code).toBe(0);
    expect(await objects()).not.toEqual(before);
    expect((await dataStatus({ root: b, log: silentLogger })).clean).toBe(true);
  }, 60_000);
});

describe('gcData during the merge (what the command and the data-cache action call)', () => {
  it('refuses, removing nothing, and the action saves no cache: data merge reads what it would remove', async () => {
    const b = await conflictedPull();
    git(b, 'checkout', '--theirs', 'data.dvc');
    // The other branch's folder list is in this cache (fetched by DVC, or a status --remote): gc could read it.
    const list = /md5: ([0-9a-f]{32})\.dir/.exec(await dvcText(b))![1]!;
    const at = (root: string) =>
      path.join(root, '.dvc', 'cache', 'files', 'md5', list.slice(0, 2), `${list.slice(2)}.dir`);
    await cp(at(besideB(b).a), at(b));
    const cache = path.join(b, '.dvc', 'cache');
    const before = await listObjectIds(cache);
    // This branch's photograph, never pushed: only this cache holds it besides data/.
    expect(before.has(md5('new b'))).toBe(true);

    for (const dryRun of [false, true]) {
      const error = await gcData({ root: b, log: silentLogger, dryRun, openRemote }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DATA_MERGE_UNFINISHED', data: { file: 'data.dvc' } });
      expect((error as Error).message).toContain('A git merge is under way, and both branches changed data.dvc');
      expect((error as Error).message).toContain('Nothing was removed');
      expect((error as Error).message).toContain('"npx vitrine data merge"');
      expect(await listObjectIds(cache)).toEqual(before);
    }

    // The data-cache action prunes with gcData before it saves: refused, it saves nothing and removes nothing.
    const saves: string[][] = [];
    const service: CacheService = {
      isFeatureAvailable: () => true,
      restoreCache: async () => undefined,
      saveCache: async (paths) => {
        saves.push(paths);
        return 1;
      },
    };
    const log = memoryLogger();
    expect(await saveDataCache({ root: b, log, service })).toMatchObject({ saved: false });
    expect(saves).toEqual([]);
    expect(said(log)).toContain('A git merge is under way, and both branches changed data.dvc');
    expect(await listObjectIds(cache)).toEqual(before);

    // Once the merge is committed, gcData prunes as usual, keeping both branches’ photographs.
    await mergeData({ root: b, log: silentLogger });
    git(b, 'add', 'data.dvc');
    git(b, 'commit', '-q', '--no-edit');
    const result = await gcData({ root: b, log: silentLogger, openRemote });
    expect(result.removed).toBeGreaterThan(0);
    const after = await listObjectIds(cache);
    expect(after.has(md5('new a')) && after.has(md5('new b'))).toBe(true);
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
    for (const run of [
      () => pullData({ root: b, log: silentLogger }),
      () => checkoutData({ root: b, log: silentLogger }),
    ]) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DATA_MERGE_REBASE' });
      expect((error as Error).message).toMatch(steps);
    }
    const status = await dataStatus({ root: b, log: silentLogger });
    expect(status.mergeUnfinished).toMatchObject({ operation: 'rebase' });
    expect(describeStatus(status)[0]).toMatch(steps);

    git(b, 'rebase', '--abort');
    // A REBASE_HEAD left behind with no rebase under way (git status says none) is no rebase either.
    await writeFile(path.join(b, '.git', 'REBASE_HEAD'), `${git(b, 'rev-parse', 'HEAD')}\n`);
    expect(() => git(b, 'pull', '-q', '--no-rebase')).toThrow();
    await mergeData({ root: b, log: silentLogger });
    expect(has(b, 'images/NEW-A.jpg') && has(b, 'images/NEW-B.jpg')).toBe(true);
  }, 60_000);
});

describe('a "git cherry-pick" that stopped on data.dvc', () => {
  it('is said as a cherry-pick, with the way to a merge', async () => {
    const clones = await twoClones();
    dirs.push(clones.base);
    await change(clones.a, { 'images/NEW-A.jpg': 'new a' });
    await record(clones.a, 'A’s photographs');
    git(clones.a, 'push', '-q');
    await change(clones.b, { 'images/NEW-B.jpg': 'new b' });
    await record(clones.b, 'B’s photographs');
    git(clones.b, 'fetch', '-q');
    expect(() => git(clones.b, 'cherry-pick', 'origin/main')).toThrow();
    for (const run of [
      () => addData({ root: clones.b, log: silentLogger }),
      () => mergeData({ root: clones.b, log: silentLogger }),
    ]) {
      const error = await run().catch((e: unknown) => e);
      expect((error as Error).message).toContain('a cherry-pick ("git cherry-pick")');
      expect((error as Error).message).toContain('Run "git cherry-pick --abort"');
      expect((error as Error).message).toContain('"npx vitrine data merge"');
    }
  }, 60_000);
});

describe('data/ changed after the merge began (DATA_MERGE_UNRECORDED)', () => {
  it('gives advice that works: give up the merge, drop the change with checkout --force, merge again', async () => {
    const b = await conflictedPull();
    await writeFile(path.join(b, 'data', 'images', 'A2.jpg'), 'two, photographed again');
    const error = await mergeData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_MERGE_UNRECORDED' });
    const message = (error as Error).message;
    expect(message).toContain('data/images/A2.jpg');
    expect(message).toContain('First run "git merge --abort"');
    expect(message).toContain('"npx vitrine data checkout --force"');
    expect(message).toContain('"npx vitrine data add", then commit data.dvc');
    expect(message).toContain(
      'Then merge again (git pull --no-rebase, or git merge <branch>) and run "npx vitrine data merge"',
    );

    git(b, 'merge', '--abort');
    await checkoutData({ root: b, log: silentLogger, force: true });
    expect(() => git(b, 'pull', '-q', '--no-rebase')).toThrow();
    await mergeData({ root: b, log: silentLogger });
    expect(await readFile(path.join(b, 'data', 'images', 'A2.jpg'), 'utf8')).toBe('two');
    expect(has(b, 'images/NEW-A.jpg')).toBe(true);
  }, 60_000);

  it('and the other way: record the change first, then merge again', async () => {
    const b = await conflictedPull();
    await writeFile(path.join(b, 'data', 'images', 'A2.jpg'), 'two, photographed again');
    git(b, 'merge', '--abort');
    await record(b, 'A2 photographed again');
    expect(() => git(b, 'pull', '-q', '--no-rebase')).toThrow();
    await mergeData({ root: b, log: silentLogger });
    expect(await readFile(path.join(b, 'data', 'images', 'A2.jpg'), 'utf8')).toBe('two, photographed again');
    expect(has(b, 'images/NEW-A.jpg')).toBe(true);
  }, 60_000);
});

describe('data merge run again before the merge is committed', () => {
  it('says the merge is written and data/ matches it: commit data.dvc (not that data/ holds changes)', async () => {
    const b = await conflictedPull({ a: { 'images/NEW-A.jpg': 'new a' }, b: { 'images/A3.jpg': undefined } });
    await mergeData({ root: b, log: silentLogger });
    const written = await dvcText(b);
    const log = memoryLogger();
    await mergeData({ root: b, log });
    expect(said(log)).toContain(
      'data.dvc already holds the merge of both branches (no conflict is left in it), and data/ matches it. ' +
        'Commit data.dvc to finish the merge: git add data.dvc, then git commit.',
    );
    expect(said(log)).not.toContain('A3');
    expect(await dvcText(b)).toBe(written);
  }, 60_000);

  it('after its own pull stopped on a photograph missing on the remote: says to pull once it is pushed', async () => {
    const b = await conflictedPull();
    const { a, remote } = besideB(b);
    await dropFromRemote({ remote, md5: md5('new a') });
    const stopped = await mergeData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(stopped).toMatchObject({ code: 'REMOTE_OBJECT_MISSING' });
    expect((stopped as Error).message).toMatch(/^The merge of both branches is written in data\.dvc/);
    expect((stopped as Error).message).toContain('data/images/NEW-A.jpg');
    expect((stopped as Error).message).toContain('When data/ is filled, commit data.dvc to finish the merge');

    const again = await mergeData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'DATA_MERGE_NOT_FILLED' });
    expect((again as Error).message).toContain('data.dvc already holds the merge of both branches');
    expect((again as Error).message).toContain('data/images/NEW-A.jpg');
    expect((again as Error).message).toContain('Run "npx vitrine data pull" to finish filling data/');
    expect((again as Error).message).not.toContain('holds changes');

    // The advice, followed: A pushes again, B pulls, and the merge is finished.
    await pushData({ root: a, log: silentLogger });
    await pullData({ root: b, log: silentLogger });
    const log = memoryLogger();
    await mergeData({ root: b, log });
    expect(said(log)).toContain('Commit data.dvc to finish the merge');
    git(b, 'add', 'data.dvc');
    git(b, 'commit', '-q', '--no-edit');
    expect((await dataStatus({ root: b, log: silentLogger })).clean).toBe(true);
  }, 60_000);
});

describe('the data.dvc data merge writes', () => {
  it('is complete, as data add writes it, even when filling data/ stopped (size and nfiles)', async () => {
    const b = await conflictedPull();
    const { a, remote } = besideB(b);
    await dropFromRemote({ remote, md5: md5('new a') });
    const stopped = await mergeData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(stopped).toMatchObject({ code: 'REMOTE_OBJECT_MISSING' });
    const written = await dvcText(b);
    const bytes = [START['objects.csv'], 'one', 'two', 'three', 'new a', 'new b'].join('').length;
    expect(written).toContain(`  size: ${bytes}\n`);
    expect(written).toContain('  nfiles: 6\n');

    // Filled once A has pushed: data add then finds data.dvc as it would write it.
    await pushData({ root: a, log: silentLogger });
    await pullData({ root: b, log: silentLogger });
    await addData({ root: b, log: silentLogger });
    expect(await dvcText(b)).toBe(written);
  }, 60_000);
});

describe('both branches imported, so both changed data/objects.csv', () => {
  it('says keeping one table drops the other branch’s objects, and how to combine them', async () => {
    const b = await conflictedPull({
      a: { 'objects.csv': `${START['objects.csv']}NEW-A,images/NEW-A.jpg\n`, 'images/NEW-A.jpg': 'new a' },
      b: { 'objects.csv': `${START['objects.csv']}NEW-B,images/NEW-B.jpg\n`, 'images/NEW-B.jpg': 'new b' },
    });
    const error = await mergeData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_MERGE_CONFLICT', data: { files: ['data/objects.csv'] } });
    const message = (error as Error).message;
    expect(message).toContain('keeping one table drops the objects only the other branch’s table lists');
    expect(message).toContain('"npx vitrine import" again with an export that has every object');
    expect(message).toContain('or merge the rows of both tables by hand');
    expect(message).toContain('then "npx vitrine data add"');

    // --keep theirs drops B's row: said, not silent.
    const log = memoryLogger();
    await mergeData({ root: b, log, keep: 'theirs' });
    expect(said(log)).toContain(
      'data/objects.csv: both branches changed it, and the other branch’s table was kept (--keep theirs): 1 row of ' +
        'this branch’s table is not in it',
    );
    // The way to combine them, followed: the rows merged by hand, recorded and committed within the merge.
    await writeFile(
      path.join(b, 'data', 'objects.csv'),
      `${START['objects.csv']}NEW-A,images/NEW-A.jpg\nNEW-B,images/NEW-B.jpg\n`,
    );
    await addData({ root: b, log: silentLogger });
    git(b, 'add', 'data.dvc');
    git(b, 'commit', '-q', '--no-edit');
    expect((await dataStatus({ root: b, log: silentLogger })).clean).toBe(true);
  }, 60_000);
});

describe('the other branch’s folder list not on the remote', () => {
  it('names the other branch’s commit', async () => {
    const b = await conflictedPull({ pushed: false });
    const commit = git(besideB(b).a, 'rev-parse', '--short=7', 'HEAD');
    const error = await mergeData({ root: b, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REMOTE_OBJECT_MISSING' });
    expect((error as Error).message).toContain(`the other branch’s commit ${commit} ("A’s photographs")`);
    expect((error as Error).message).toContain('"npx vitrine data push"');
  }, 60_000);
});
