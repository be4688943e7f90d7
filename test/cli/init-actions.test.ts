import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vitrineActionsRef } from '../../pipeline/init/scaffold.ts';

/*
 * Tester, session 22 #4: init run from a local clone of Vitrine (origin a folder, not GitHub) warned that
 * ./actions/… is missing, although the README says init points the workflows at Vitrine's repository "by
 * itself when run from a clone". A clone of a clone follows the origins to the GitHub one.
 */

let root: string;
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-actions-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("init's actions reference (owner/repo@commit)", () => {
  it('follows a local clone to the GitHub clone it came from', async () => {
    const github = path.join(root, 'github-clone');
    git(root, 'init', '-q', '-b', 'main', github);
    await writeFile(path.join(github, 'README.md'), 'Vitrine\n');
    git(github, 'add', 'README.md');
    git(github, 'commit', '-qm', 'start');
    git(github, 'remote', 'add', 'origin', 'https://github.com/museum-tools/vitrine.git');
    const local = path.join(root, 'local-clone');
    git(root, 'clone', '-q', github, local);
    const head = git(local, 'rev-parse', 'HEAD');
    expect(await vitrineActionsRef({ dir: github })).toBe(`museum-tools/vitrine@${head}`);
    expect(await vitrineActionsRef({ dir: local })).toBe(`museum-tools/vitrine@${head}`);
    // Through a bare repository too (git clone --bare, then a clone of that).
    const bare = path.join(root, 'bare.git');
    git(root, 'clone', '-q', '--bare', github, bare);
    git(bare, 'remote', 'set-url', 'origin', 'git@github.com:museum-tools/vitrine.git');
    const fromBare = path.join(root, 'from-bare');
    git(root, 'clone', '-q', bare, fromBare);
    expect(await vitrineActionsRef({ dir: fromBare })).toBe(`museum-tools/vitrine@${head}`);
  });

  it('is undefined when no origin leads to GitHub', async () => {
    const alone = path.join(root, 'alone');
    git(root, 'init', '-q', '-b', 'main', alone);
    expect(await vitrineActionsRef({ dir: alone })).toBeUndefined();
  });
});
