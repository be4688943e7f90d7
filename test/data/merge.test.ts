import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, dataStatus, initData, pushData } from '../../pipeline/data/index.ts';
import { mergeData } from '../../pipeline/data/merge.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * An outside tester: two staff members each added a photograph on a branch; merging one branch into the other
 * stopped on a conflict in data.dvc, which every data command then called "not valid YAML", and "data add" wrote a
 * data.dvc over it without the other branch's photograph: committed, it was dropped without a word. A conflict in
 * data.dvc is said as one, and "vitrine data merge" combines both branches' photographs, as DVC's merge driver does.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

/** Record data/ and commit data.dvc, as staff do after adding photographs. */
async function record(root: string, message: string): Promise<void> {
  await addData({ root, log: silentLogger });
  git(root, 'add', 'data.dvc', '.gitignore');
  git(root, 'commit', '-q', '-m', message);
}

/**
 * A repository whose branch "b" is merging branch "a" and stopped on data.dvc: "a" changed `a`, "b" changed `b`,
 * each from the same three photographs (A1, A2, A3) and objects.csv. Undefined content deletes the file.
 */
async function conflicted({
  a,
  b,
}: {
  a: Record<string, string | undefined>;
  b: Record<string, string | undefined>;
}): Promise<string> {
  const base = await tempDir('vitrine-data-merge-');
  dirs.push(base);
  const root = path.join(base, 'repo');
  await writeTree(path.join(root, 'data'), {
    'objects.csv': 'id,image\n',
    'images/A1.jpg': 'one',
    'images/A2.jpg': 'two',
    'images/A3.jpg': 'three',
  });
  git(root, 'init', '-q');
  await initData({ root, remoteName: 'storage', remoteUrl: path.join(base, 'remote') });
  git(root, 'add', '.dvc');
  await record(root, 'Collection');
  await pushData({ root, log: silentLogger });
  const change = async (files: Record<string, string | undefined>) => {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(root, 'data', name);
      if (content === undefined) await rm(file);
      else await writeTree(path.join(root, 'data'), { [name]: content });
    }
  };
  git(root, 'checkout', '-q', '-b', 'a');
  await change(a);
  await record(root, 'a');
  // The other branch's photographs are on the remote, as a pull request's are.
  await pushData({ root, log: silentLogger });
  git(root, 'checkout', '-q', 'main');
  git(root, 'checkout', '-q', '-b', 'b');
  // data/ as main records it: git does not touch data/, which it ignores.
  await rm(path.join(root, 'data'), { recursive: true });
  await rm(path.join(root, '.dvc', 'cache'), { recursive: true });
  await writeTree(path.join(root, 'data'), {
    'objects.csv': 'id,image\n',
    'images/A1.jpg': 'one',
    'images/A2.jpg': 'two',
    'images/A3.jpg': 'three',
  });
  await change(b);
  await record(root, 'b');
  expect(() => git(root, 'merge', '-q', 'a')).toThrow();
  expect(await readFile(path.join(root, 'data.dvc'), 'utf8')).toContain('<<<<<<<');
  return root;
}

const text = (root: string, name: string) => readFile(path.join(root, 'data', name), 'utf8');

describe('a merge that stopped on a conflict in data.dvc', () => {
  it('is said as a merge conflict by status and data add, which change nothing', async () => {
    const root = await conflicted({ a: { 'images/NEW-A.jpg': 'new a' }, b: { 'images/NEW-B.jpg': 'new b' } });
    const before = await readFile(path.join(root, 'data.dvc'), 'utf8');
    for (const run of [() => dataStatus({ root, log: silentLogger }), () => addData({ root, log: silentLogger })]) {
      const error = await run().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DVCFILE_MERGE_CONFLICT' });
      expect((error as Error).message).toMatch(/^data\.dvc:2: this file still has a merge conflict/);
      expect((error as Error).message).toContain('npx vitrine data merge');
    }
    expect(await readFile(path.join(root, 'data.dvc'), 'utf8')).toBe(before);
  });

  it('data merge keeps both branches’ photographs, and what each removed or changed', async () => {
    const root = await conflicted({
      a: { 'images/NEW-A.jpg': 'new a', 'images/A1.jpg': undefined },
      b: { 'images/NEW-B.jpg': 'new b', 'images/A2.jpg': 'two, photographed again' },
    });
    const log = memoryLogger();
    const result = await mergeData({ root, log });
    expect(result).toMatchObject({ fromOther: ['data/images/A1.jpg', 'data/images/NEW-A.jpg'], conflicts: [] });
    expect(existsSync(path.join(root, 'data', 'images', 'A1.jpg'))).toBe(false);
    expect(await text(root, 'images/NEW-A.jpg')).toBe('new a');
    expect(await text(root, 'images/NEW-B.jpg')).toBe('new b');
    expect(await text(root, 'images/A2.jpg')).toBe('two, photographed again');
    expect(await text(root, 'images/A3.jpg')).toBe('three');
    const status = await dataStatus({ root, log: silentLogger });
    expect(status.clean).toBe(true);
    expect(status.recorded?.nfiles).toBe(5);
    expect(log.lines.map((l) => l.message).join('\n')).toContain(
      'data/ now holds the photographs of both branches: from the other branch, 1 added and 1 removed. ' +
        'Commit data.dvc to finish the merge: git add data.dvc, then git commit.',
    );
  });

  it('refuses a file both branches changed differently, until told which to keep', async () => {
    const root = await conflicted({
      a: { 'images/A3.jpg': 'three, as a saw it', 'images/NEW-A.jpg': 'new a' },
      b: { 'images/A3.jpg': 'three, as b saw it' },
    });
    const before = await readFile(path.join(root, 'data.dvc'), 'utf8');
    const error = await mergeData({ root, log: silentLogger }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DATA_MERGE_CONFLICT', data: { files: ['data/images/A3.jpg'] } });
    expect((error as Error).message).toBe(
      'Both branches changed data/images/A3.jpg, each in its own way, so Vitrine cannot tell which to keep. ' +
        'Nothing was changed. Run "npx vitrine data merge --keep ours" to keep this branch’s version of it, or ' +
        '"npx vitrine data merge --keep theirs" to keep the other branch’s.',
    );
    expect(await readFile(path.join(root, 'data.dvc'), 'utf8')).toBe(before);
    expect(await text(root, 'images/A3.jpg')).toBe('three, as b saw it');

    // As typed: a --keep that is neither is refused, naming both.
    const cli = async (args: string[]) => {
      const log = memoryLogger();
      const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log, interactive: false });
      return { code, said: log.lines.map((l) => l.message).join('\n') };
    };
    expect(await cli(['data', 'merge', '--keep', 'mine'])).toMatchObject({
      code: 2,
      said: expect.stringContaining('--keep "mine" is not allowed: give ours or theirs.'),
    });
    expect((await cli(['data', 'merge', '--keep', 'theirs'])).code).toBe(0);
    expect(await text(root, 'images/A3.jpg')).toBe('three, as a saw it');
    expect(await text(root, 'images/NEW-A.jpg')).toBe('new a');
    expect((await dataStatus({ root, log: silentLogger })).clean).toBe(true);
  });

  it('refuses when no merge is under way, and when data/ holds changes not recorded', async () => {
    const root = await conflicted({ a: { 'images/NEW-A.jpg': 'new a' }, b: { 'images/NEW-B.jpg': 'new b' } });
    await writeFile(path.join(root, 'data', 'images', 'A2.jpg'), 'changed after the merge began');
    const unrecorded = await mergeData({ root, log: silentLogger }).catch((e: unknown) => e);
    expect(unrecorded).toMatchObject({ code: 'DATA_MERGE_UNRECORDED' });
    expect((unrecorded as Error).message).toContain('data/images/A2.jpg');
    git(root, 'merge', '--abort');
    const none = await mergeData({ root, log: silentLogger }).catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'DATA_MERGE_NONE' });
  });
});
