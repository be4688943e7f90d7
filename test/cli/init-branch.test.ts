import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * An outside tester ran `git init` (which names the first branch master on most machines), then `vitrine init`: it
 * wrote `collection.branch: main` and workflows that run on main, without a word, and every `vitrine run` ended
 * "Not promoting on branch "master"". A repository without a commit yet has its first branch named main, as GitHub
 * names a new repository's, and init says so; one with commits on another branch is told what to do.
 */

let root: string;
let exported: string;

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

async function init(museum: string) {
  const log = memoryLogger();
  const code = await main(['init', '--from', exported, '--name', 'T Museum', '--yes'], {
    cwd: museum,
    env: {},
    stdout: () => {},
    log,
    interactive: false,
  });
  return { code, said: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-branch-'));
  const dir = path.join(root, 'export');
  await mkdir(dir);
  const rows = ['C1,coin', 'C2,coin', 'M1,mask', 'M2,mask'];
  for (const row of rows) {
    const id = row.split(',')[0]!;
    await writeFile(path.join(dir, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
  }
  exported = path.join(dir, 'objects.csv');
  await writeFile(exported, `id,label,image\n${rows.map((r) => `${r},${r.split(',')[0]}.jpg`).join('\n')}\n`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('vitrine init in a repository git init named master', () => {
  it('names its first branch main, as collection.branch and the workflows say, and says so', async () => {
    const museum = path.join(root, 'fresh');
    await mkdir(museum);
    git(museum, 'init', '-q', '-b', 'master');
    const { code, said } = await init(museum);
    expect(code, said).toBe(0);
    expect(git(museum, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(said).toContain(
      'info: The repository’s first branch is named main now (git init had named it master): Vitrine promotes ' +
        'models on main (collection.branch in params.yaml), and the workflows run on it, as GitHub names a new ' +
        'repository’s first branch.',
    );
    expect(await readFile(path.join(museum, 'params.yaml'), 'utf8')).toMatch(/branch: main/);
  });

  it('with commits on master already: the branch is left as it is, and init says what to do', async () => {
    const museum = path.join(root, 'history');
    await mkdir(museum);
    git(museum, 'init', '-q', '-b', 'master');
    await writeFile(path.join(museum, 'notes.txt'), 'Our notes\n');
    git(museum, 'add', 'notes.txt');
    git(museum, 'commit', '-q', '-m', 'Notes');
    const { code, said } = await init(museum);
    expect(code, said).toBe(0);
    expect(git(museum, 'symbolic-ref', 'HEAD')).toBe('refs/heads/master');
    expect(said).toContain(
      'warn: This repository’s branch is master, but Vitrine promotes models on main (collection.branch in ' +
        'params.yaml), and the workflows run on pushes to main: rename the branch (git branch -m master main, ' +
        'and on GitHub in the repository’s settings), or set collection.branch to master and change "main" to ' +
        '"master" in the .github/workflows files.',
    );
  });

  // The second reviewer: on an orphan branch of a repository whose main has commits, HEAD was pointed at that main,
  // and the first commit then deleted main's files.
  it('on an orphan branch beside a main with commits: HEAD stays, and init says what to do', async () => {
    const museum = path.join(root, 'orphan');
    await mkdir(museum);
    git(museum, 'init', '-q', '-b', 'main');
    await writeFile(path.join(museum, 'keep.txt'), 'Keep me\n');
    git(museum, 'add', 'keep.txt');
    git(museum, 'commit', '-q', '-m', 'Keep');
    git(museum, 'checkout', '-q', '--orphan', 'vitrine');
    git(museum, 'rm', '-q', '-r', '--cached', '.');
    const { code, said } = await init(museum);
    expect(code, said).toBe(0);
    expect(git(museum, 'symbolic-ref', 'HEAD')).toBe('refs/heads/vitrine');
    expect(said).not.toContain('is named main now');
    expect(said).toContain('warn: This repository’s branch is vitrine, but Vitrine promotes models on main');
  });
});
