import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isShallow } from '../../pipeline/git/repo.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { restoreRegistryRecord } from '../../pipeline/registry/publish.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  type Fixture,
  promoteStandIn,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  writeMetrics,
} from './helpers.ts';

/*
 * An outside tester ran `vitrine run` in `git clone --depth 1` of a museum's repository (actions/checkout's default):
 * the clone had none of the registry's tags, so "No model is registered as "prod" yet" and "Registered model version
 * v1.0.0 (first version)", a second v1.0.0 on another commit, exit 0; its catalogue had no annotations, no warning.
 */

const newRepo = repoPerTest();

/** v1.0.0 promoted on the first commit, then one more commit on main, and a shallow clone of it (depth 1). */
async function shallowCloneOfPromoted(): Promise<{ f: Fixture; clone: Fixture }> {
  const f = await promoteStandIn(await newRepo());
  await writeFile(path.join(f.root, 'README.md'), 'A later commit.\n');
  sh(f.root, 'add', '-A');
  sh(f.root, 'commit', '-q', '-m', 'Later');
  const root = path.join(f.parent, 'shallow');
  sh(f.parent, 'clone', '-q', '--depth', '1', `file://${f.root}`, root);
  const clone: Fixture = { ...f, root, ws: workspace(root) };
  // The stages' outputs as a run in the clone would have them (.vitrine is not in git).
  await cp(path.join(f.root, '.vitrine'), path.join(root, '.vitrine'), { recursive: true });
  await rm(clone.ws.registry, { recursive: true });
  await cp(path.join(f.root, '.dvc', 'config'), path.join(root, '.dvc', 'config'));
  return { f, clone };
}

describe('a shallow clone (git clone --depth 1), which lacks the registry’s tags', () => {
  it('is not promoted: nothing is registered, and the message says how to fetch the history', async () => {
    const { clone } = await shallowCloneOfPromoted();
    expect((await readRegistry({ dir: clone.root, name: clone.params.registry.model_name })).versions).toEqual([]);
    const error = await promote({ ctx: stageContext(clone), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REGISTRY_SHALLOW_CLONE' });
    expect((error as Error).message).toContain('only part of its history');
    expect((error as Error).message).toContain('git fetch --unshallow');
    expect(sh(clone.root, 'tag', '--list')).toBe('');
  });

  it('is known as shallow from a worktree of it too, and a failed gate is said as such first', async () => {
    const { f, clone } = await shallowCloneOfPromoted();
    const worktree = path.join(f.parent, 'worktree');
    sh(clone.root, 'worktree', 'add', '-q', worktree);
    expect(await isShallow(worktree)).toBe(true);
    const full = path.join(f.parent, 'full-worktree');
    sh(f.root, 'worktree', 'add', '-q', full);
    expect(await isShallow(full)).toBe(false);
    // A reviewer: a failed gate in a shallow clone was reported as the shallow clone.
    await writeMetrics({ ws: clone.ws, params: clone.params, passed: false });
    const error = await promote({ ctx: stageContext(clone), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROMOTE_GATE_FAILED' });
  });

  it('builds its catalogue saying why it has no machine annotations', async () => {
    const { clone } = await shallowCloneOfPromoted();
    const log = memoryLogger();
    expect(await restoreRegistryRecord({ ws: clone.ws, params: clone.params, log, predict: standInPredict })).toBe(
      'untouched',
    );
    const warning = log.lines.find((l) => l.level === 'warn')?.message ?? '';
    expect(warning).toContain('only part of its history');
    expect(warning).toContain('no machine annotations');
  });
});
