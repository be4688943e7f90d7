import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { branchPoint } from '../../pipeline/git/history.ts';
import { resolveCommit } from '../../pipeline/git/repo.ts';
import { workspace } from '../../pipeline/paths.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import type { Stage, StageName } from '../../pipeline/stages/stage.ts';
import {
  type Fixture,
  promoteStandIn,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * An outside tester ran Vitrine where `.git` is a file ("gitdir: …": a linked worktree, a clone made with
 * --separate-git-dir, a submodule) and in a clone that borrows its objects (`git clone --shared`): every one of them
 * said "No version of collection-classifier is registered yet" and "no branch main to compare with", and a
 * worktree's promotion failed as "not a git repository with a commit". What isomorphic-git can follow is followed;
 * what it cannot is refused in plain words before anything runs.
 */

const newRepo = repoPerTest();

/** `root`, a copy of the fixture's repository made by `git` with `args`, with the stage outputs a run there would have. */
async function copyAt(f: Fixture, root: string): Promise<Fixture> {
  const copy: Fixture = { ...f, root, ws: workspace(root) };
  // .vitrine is not in git; the registry record is left out, as a fresh clone lacks it.
  await cp(path.join(f.root, '.vitrine'), path.join(root, '.vitrine'), { recursive: true });
  await rm(copy.ws.registry, { recursive: true });
  await cp(path.join(f.root, '.dvc', 'config'), path.join(root, '.dvc', 'config'));
  return copy;
}

/** A stage that notes it ran and writes an output, to tell whether a run started. */
function noteStage(runs: StageName[]): Stage {
  return {
    name: 'dataset',
    summary: 'dataset',
    deps: { paths: ['labels.csv'], params: [], stages: [] },
    outs: ['.vitrine/dataset'],
    async run(ctx) {
      runs.push('dataset');
      await mkdir(path.join(ctx.ws.root, '.vitrine', 'dataset'), { recursive: true });
      await writeFile(path.join(ctx.ws.root, '.vitrine', 'dataset', 'out.txt'), 'ran');
      return { summary: 'ran' };
    },
  };
}

const versionsIn = async (f: Fixture) =>
  (await readRegistry({ dir: f.root, name: f.params.registry.model_name })).versions.map((v) => v.version);

describe('a repository whose .git is a file naming a whole repository', () => {
  it('reads and writes the registry of a clone made with --separate-git-dir', async () => {
    const f = await promoteStandIn(await newRepo());
    const root = path.join(f.parent, 'separate');
    sh(f.parent, 'clone', '-q', `--separate-git-dir=${path.join(f.parent, 'elsewhere.git')}`, f.root, root);
    const clone = await copyAt(f, root);
    expect(await readFile(path.join(root, '.git'), 'utf8')).toMatch(/^gitdir: /);
    expect(await versionsIn(clone)).toEqual(['v1.0.0']);
    // A new model on a new commit is registered in the clone’s git folder, where git finds it.
    await writeFile(path.join(root, 'README.md'), 'A later commit.\n');
    sh(root, 'add', 'README.md');
    sh(root, 'commit', '-q', '-m', 'Later');
    await writeModel({ ws: clone.ws, predicts: 'mask' });
    await writeMetrics({ ws: clone.ws, params: clone.params });
    const result = await promote({ ctx: stageContext(clone), predict: standInPredict });
    expect(result.version).not.toBe('v1.0.0');
    expect(sh(root, 'tag', '--list', '--points-at', 'HEAD')).toContain(result.version);
    expect(sh(root, 'fsck', '--no-progress')).toBe('');
    // A branch’s report finds where it left main.
    sh(root, 'checkout', '-q', '-b', 'try');
    sh(root, 'commit', '-q', '--allow-empty', '-m', 'On the branch');
    expect((await branchPoint({ dir: root, branch: 'main' })).commit).toBe(sh(root, 'rev-parse', 'main'));
  });

  it('reads the registry of a submodule', async () => {
    const f = await promoteStandIn(await newRepo());
    const outer = path.join(f.parent, 'outer');
    await mkdir(outer);
    sh(outer, 'init', '-q');
    sh(outer, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', f.root, 'museum');
    const sub = path.join(outer, 'museum');
    expect(await readFile(path.join(sub, '.git'), 'utf8')).toMatch(/^gitdir: \.\.\/\.git\/modules\/museum/);
    expect(await versionsIn({ ...f, root: sub, ws: workspace(sub) })).toEqual(['v1.0.0']);
  });
});

describe('a linked worktree (git worktree add), whose tags and history isomorphic-git cannot read', () => {
  /** A worktree on a new branch `try`, or on main (the main folder then leaves main, as git requires). */
  async function worktreeOfPromoted({ onMain = false } = {}) {
    const f = await promoteStandIn(await newRepo());
    const root = path.join(f.parent, 'wt');
    if (onMain) {
      sh(f.root, 'checkout', '-q', '--detach');
      sh(f.root, 'worktree', 'add', '-q', root, 'main');
    } else sh(f.root, 'worktree', 'add', '-q', root, '-b', 'try');
    return { f, wt: await copyAt(f, root) };
  }

  it('is refused with a typed error in plain words, not read as an empty registry', async () => {
    const { wt } = await worktreeOfPromoted();
    const error = await readRegistry({ dir: wt.root, name: wt.params.registry.model_name }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GIT_WORKTREE_UNSUPPORTED' });
    expect((error as Error).message).toContain('Vitrine cannot read a git worktree yet');
    expect((error as Error).message).toContain('git clone');
    await expect(branchPoint({ dir: wt.root, branch: 'main' })).rejects.toMatchObject({
      code: 'GIT_WORKTREE_UNSUPPORTED',
    });
  });

  it('stops a run before any stage runs or anything is written', async () => {
    const { wt } = await worktreeOfPromoted();
    const runs: StageName[] = [];
    const error = await runStages({ ctx: stageContext(wt), stages: [noteStage(runs)] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GIT_WORKTREE_UNSUPPORTED' });
    expect(runs).toEqual([]);
    await expect(readFile(wt.ws.lock, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('is refused by the promotion itself, which registers nothing', async () => {
    const { f, wt } = await worktreeOfPromoted({ onMain: true });
    const before = sh(f.root, 'tag', '--list');
    const error = await promote({ ctx: stageContext(wt), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GIT_WORKTREE_UNSUPPORTED' });
    expect(sh(f.root, 'tag', '--list')).toBe(before);
  });
});

describe('a clone that borrows objects from another (git clone --shared, --reference)', () => {
  async function sharedCloneOfPromoted() {
    const f = await promoteStandIn(await newRepo());
    const root = path.join(f.parent, 'shared');
    sh(f.parent, 'clone', '-q', '--shared', f.root, root);
    return { f, clone: await copyAt(f, root) };
  }

  it('is refused naming objects/info/alternates and how to make the clone whole', async () => {
    const { f, clone } = await sharedCloneOfPromoted();
    const error = await readRegistry({ dir: clone.root, name: clone.params.registry.model_name }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'GIT_ALTERNATES_UNSUPPORTED' });
    const message = (error as Error).message;
    expect(message).toContain(path.join('.git', 'objects', 'info', 'alternates'));
    expect(message).toContain('git repack -a -d');
    // A commit git shows is not said to be unknown.
    const commit = sh(f.root, 'rev-parse', 'HEAD');
    await expect(resolveCommit({ dir: clone.root, ref: commit.slice(0, 7) })).rejects.toMatchObject({
      code: 'GIT_ALTERNATES_UNSUPPORTED',
    });
    const runs: StageName[] = [];
    await expect(runStages({ ctx: stageContext(clone), stages: [noteStage(runs)] })).rejects.toMatchObject({
      code: 'GIT_ALTERNATES_UNSUPPORTED',
    });
    expect(runs).toEqual([]);
  });

  it('is read in full once repacked and the alternates file removed, as the message says', async () => {
    const { clone } = await sharedCloneOfPromoted();
    sh(clone.root, 'repack', '-a', '-d', '-q');
    await rm(path.join(clone.root, '.git', 'objects', 'info', 'alternates'));
    expect(await versionsIn(clone)).toEqual(['v1.0.0']);
  });
});
