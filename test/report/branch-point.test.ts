import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { branchPoint } from '../../pipeline/git/history.ts';

/*
 * A reviewer: a staff member who fetches and rebases on origin/main without updating their own main has a stale
 * local main. The branch point found from it counted colleagues' merged label fixes as the branch's own.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

describe('where a branch left main', () => {
  it("is found from origin's main when the local main is behind it", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-branch-point-'));
    dirs.push(root);
    const origin = path.join(root, 'origin');
    git(root, 'init', '-q', '-b', 'main', origin);
    await writeFile(path.join(origin, 'labels.csv'), 'object_id,label\nA,coin\n');
    git(origin, 'add', '.');
    git(origin, 'commit', '-qm', 'first');
    const first = git(origin, 'rev-parse', 'HEAD');
    await writeFile(path.join(origin, 'labels.csv'), 'object_id,label\nA,vessel\n');
    git(origin, 'commit', '-qam', "a colleague's label fix");
    const merged = git(origin, 'rev-parse', 'HEAD');
    const clone = path.join(root, 'clone');
    git(root, 'clone', '-q', origin, clone);
    // The local main left behind; the branch started from origin/main.
    git(clone, 'reset', '-q', '--hard', first);
    git(clone, 'checkout', '-q', '-b', 'fix', 'origin/main');
    await writeFile(path.join(clone, 'labels.csv'), 'object_id,label\nA,mask\n');
    git(clone, 'commit', '-qam', 'my change');
    expect(await branchPoint({ dir: clone, branch: 'main' })).toEqual({ commit: merged });
    // A local main ahead of origin's (commits not pushed yet) is still the one used.
    git(clone, 'checkout', '-q', 'main');
    git(clone, 'reset', '-q', '--hard', merged);
    await writeFile(path.join(clone, 'notes.txt'), 'local\n');
    git(clone, 'add', '.');
    git(clone, 'commit', '-qm', 'local, not pushed');
    const localTip = git(clone, 'rev-parse', 'HEAD');
    git(clone, 'checkout', '-q', '-b', 'other');
    await writeFile(path.join(clone, 'labels.csv'), 'object_id,label\nA,print\n');
    git(clone, 'commit', '-qam', 'other change');
    expect(await branchPoint({ dir: clone, branch: 'main' })).toEqual({ commit: localTip });
  });
});
