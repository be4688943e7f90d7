import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { mergeData } from '../../pipeline/data/merge.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { checkDataRecorded } from '../../pipeline/stages/promote.ts';
import { unrecordedData } from '../../pipeline/stages/unrecorded.ts';
import { cleanup } from '../data/helpers.ts';
import { conflictedPull, git } from '../data/two-clones.ts';

/*
 * A "vitrine run" during a git merge in which both branches changed data.dvc, the conflict resolved by hand (one
 * side kept): data/ then matches data.dvc, one branch's photographs only, and the run went on as if all were well,
 * training on them. It stops before any stage, as data pull, checkout, add and import do, saying to run data merge.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

async function stoppedMerge(): Promise<string> {
  const { base, b } = await conflictedPull();
  dirs.push(base);
  return b;
}

/** "vitrine run" in `root`: its exit code and what it said. */
async function run(root: string): Promise<{ code: number; said: string }> {
  const log = memoryLogger();
  const code = await main(['run'], { cwd: root, env: {}, stdout: () => {}, log, interactive: false });
  return { code, said: log.lines.map((l) => l.message).join('\n') };
}

const advice = (message: string) => {
  expect(message).toContain('A git merge is under way, and both branches changed data.dvc');
  expect(message).toContain('Run "npx vitrine data merge"');
  expect(message).toContain('git add data.dvc, then git commit');
  expect(message).toContain('"git merge --abort"');
};

describe('a run while the merge of data.dvc is unfinished', () => {
  it('one side kept by hand: "vitrine run" stops before any stage, naming data merge', async () => {
    const b = await stoppedMerge();
    git(b, 'checkout', '--ours', 'data.dvc');
    git(b, 'add', 'data.dvc');
    const kept = await readFile(path.join(b, 'data.dvc'), 'utf8');

    const { code, said } = await run(b);
    expect(code).not.toBe(0);
    advice(said);
    expect(said).toContain('a run now would train and report on data/ as it is, one branch’s photographs only');
    expect(said).toContain('nothing was trained');
    expect(existsSync(path.join(b, '.vitrine', 'dataset'))).toBe(false);
    expect(existsSync(path.join(b, '.vitrine', 'model'))).toBe(false);
    expect(await readFile(path.join(b, 'data.dvc'), 'utf8')).toBe(kept);

    // What compares data/ with data.dvc refuses too (promote’s gate): data/ matches the record kept.
    for (const compare of [
      () => checkDataRecorded({ ws: workspace(b), log: silentLogger }),
      () => unrecordedData({ ws: workspace(b), log: silentLogger }),
    ]) {
      const error = await compare().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DATA_MERGE_UNFINISHED' });
      advice((error as Error).message);
    }

    // Once data merge has written the merge, data/ is compared with it as usual: both branches’ photographs.
    await mergeData({ root: b, log: silentLogger });
    expect(await unrecordedData({ ws: workspace(b), log: silentLogger })).toBeNull();
  }, 60_000);

  it('git’s markers still in data.dvc: the run stops before any stage, naming data merge', async () => {
    const b = await stoppedMerge();
    const { code, said } = await run(b);
    expect(code).not.toBe(0);
    expect(said).toMatch(/^data\.dvc:\d+: this file still has a merge conflict/);
    expect(said).toContain('Run "npx vitrine data merge"');
    expect(existsSync(path.join(b, '.vitrine', 'dataset'))).toBe(false);
  }, 60_000);

  it('in a rebase stopped on data.dvc, one side kept: says to give up the rebase and merge', async () => {
    const { base, b } = await conflictedPull({ how: '--rebase' });
    dirs.push(base);
    git(b, 'checkout', '--theirs', 'data.dvc');
    const { code, said } = await run(b);
    expect(code).not.toBe(0);
    expect(said).toContain('Git is in the middle of a rebase');
    expect(said).toContain('a run now would train and report on data/ as it is, one side’s photographs only');
    expect(said).toContain('"git rebase --abort"');
    expect(existsSync(path.join(b, '.vitrine', 'dataset'))).toBe(false);
  }, 60_000);
});
