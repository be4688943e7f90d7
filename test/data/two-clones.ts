import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { addData, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { tempDir, writeTree } from './helpers.ts';

/*
 * Two staff members, A and B, each with a clone of one shared repository (a bare one, as GitHub is) and one shared
 * folder remote: the setting in which two people's photographs meet in data.dvc.
 */

/** Run git in `cwd` as a person would (a name and e-mail set, main as the first branch); its output, trimmed. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  ).trim();
}

/** The photographs both clones start from: data/{objects.csv, images/A1..A3.jpg}. */
export const START: Record<string, string> = {
  'objects.csv': 'id,image\nA1,images/A1.jpg\nA2,images/A2.jpg\nA3,images/A3.jpg\n',
  'images/A1.jpg': 'one',
  'images/A2.jpg': 'two',
  'images/A3.jpg': 'three',
};

/** Record data/ and commit data.dvc, as staff do after adding photographs. */
export async function record(root: string, message: string): Promise<void> {
  await addData({ root, log: silentLogger });
  git(root, 'add', 'data.dvc', '.gitignore');
  git(root, 'commit', '-q', '-m', message);
}

/**
 * Clones `a` and `b` of the bare repository `shared`, each with data/ as START recorded, pushed (git and data) and
 * pulled; `remote` is the folder remote both use. Everything lives under `base` (for cleanup).
 */
export async function twoClones(): Promise<{ base: string; a: string; b: string; shared: string; remote: string }> {
  const base = await tempDir('vitrine-two-clones-');
  const [a, b, shared, remote] = ['a', 'b', 'shared.git', 'remote'].map((name) => path.join(base, name));
  git(base, 'init', '-q', '--bare', shared);
  await writeTree(path.join(a, 'data'), START);
  git(a, 'init', '-q');
  await initData({ root: a, remoteName: 'storage', remoteUrl: remote });
  git(a, 'add', '.dvc');
  await record(a, 'The collection');
  await pushData({ root: a, log: silentLogger });
  git(a, 'remote', 'add', 'origin', shared);
  git(a, 'push', '-q', '-u', 'origin', 'main');
  git(base, 'clone', '-q', shared, b);
  await pullData({ root: b, log: silentLogger });
  return { base, a, b, shared, remote };
}

/** Delete object `md5` from the folder remote `remote` (as if its push never happened, or it was lost). */
export async function dropFromRemote({ remote, md5 }: { remote: string; md5: string }): Promise<void> {
  await rm(path.join(remote, 'files', 'md5', md5.slice(0, 2), md5.slice(2)));
}

/** Files to write into data/ (undefined deletes one). */
export type DataFiles = Record<string, string | undefined>;

/** Write these files into `root`/data (undefined deletes one). */
export async function change(root: string, files: DataFiles): Promise<void> {
  for (const [name, content] of Object.entries(files))
    if (content === undefined) await rm(path.join(root, 'data', name));
    else await writeTree(path.join(root, 'data'), { [name]: content });
}

/**
 * A records `a` (pushed: git, and data unless `pushed` is false), B records `b`, then B runs "git pull"
 * (`--no-rebase`, or `--rebase`), which stops on a conflict in data.dvc. Returns B's clone and the folder that holds
 * both clones (for cleanup).
 */
export async function conflictedPull({
  a = { 'images/NEW-A.jpg': 'new a' },
  b = { 'images/NEW-B.jpg': 'new b' },
  how = '--no-rebase',
  pushed = true,
}: {
  a?: DataFiles;
  b?: DataFiles;
  how?: '--no-rebase' | '--rebase';
  /** Whether A sends the photographs to the remote (as a pull request's are), or only pushes git. */
  pushed?: boolean;
} = {}): Promise<{ base: string; b: string }> {
  const clones = await twoClones();
  await change(clones.a, a);
  await record(clones.a, 'A’s photographs');
  if (pushed) await pushData({ root: clones.a, log: silentLogger });
  git(clones.a, 'push', '-q');
  await change(clones.b, b);
  await record(clones.b, 'B’s photographs');
  let stopped = false;
  try {
    git(clones.b, 'pull', '-q', how);
  } catch {
    stopped = true;
  }
  const text = await readFile(path.join(clones.b, 'data.dvc'), 'utf8');
  if (!stopped || !text.includes('<<<<<<<')) throw new Error('git pull did not stop on a conflict in data.dvc');
  return { base: clones.base, b: clones.b };
}
