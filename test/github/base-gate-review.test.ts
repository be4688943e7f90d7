import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepBaseGate } from '../../pipeline/github/base-gate.ts';
import { withBaseGate } from '../../pipeline/github/guard.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { tempDir } from '../fixtures/temp.ts';

const BASE = 'gate:\n  min_macro_f1: 0.6\n  min_class_f1: 0.6\n  min_test_objects: 100\n';

async function repo({ base, head }: { base: string; head: string }): Promise<string> {
  const dir = await tempDir('vitrine-rev-gate-');
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir });
  git('init', '-q', '-b', 'main');
  await writeFile(path.join(dir, 'params.yaml'), base);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'head');
  await writeFile(path.join(dir, 'params.yaml'), head);
  return dir;
}

describe('review probes (F1, F2)', () => {
  it('F1 !!omap: the gate read as the base but ran as the defaults; now refused', async () => {
    const head = 'gate: !!omap\n  - min_macro_f1: 0.6\n  - min_class_f1: 0.6\n  - min_test_objects: 100\n';
    const dir = await repo({ base: BASE, head });
    const log = memoryLogger();
    expect(await keepBaseGate({ root: dir, baseRef: 'main', log })).toEqual({ changes: [], baseCommit: null });
    // The run does not go on with the defaults: the pipeline refuses the file, saying which line.
    await expect(loadParams({ file: path.join(dir, 'params.yaml') })).rejects.toThrow(/line 1 uses `!!omap`/);
  });

  it('F1b %YAML 1.1 and no gate section: the rewrite wrote !!omap, read as the defaults; now refused', async () => {
    const dir = await repo({ base: BASE, head: '%YAML 1.1\n---\ntrain:\n  epochs: 12\n' });
    await keepBaseGate({ root: dir, baseRef: 'main', log: memoryLogger() });
    await expect(loadParams({ file: path.join(dir, 'params.yaml') })).rejects.toThrow(/`%YAML 1.1`/);
  });

  it('F1c a merge key: raising one gate setting brought every other one back to its default; now refused', () => {
    const head = '%YAML 1.1\n---\n<<: {gate: {min_macro_f1: 0.61, min_class_f1: 0.6, min_test_objects: 100}}\n';
    expect(() => withBaseGate({ head, base: BASE })).toThrow(/`%YAML 1.1`/);
    expect(() => withBaseGate({ head: '<<: {gate: {min_macro_f1: 0.61}}\n', base: BASE })).toThrow(/merge key/);
  });

  it('F1d the rewritten params.yaml reads back as the base values', () => {
    const head = 'gate:\n  min_macro_f1: 0.1 # lowered\ntrain:\n  epochs: 3\n';
    const { text } = withBaseGate({ head, base: BASE });
    expect(text).toContain('min_macro_f1: 0.6');
  });
  it('F2 a tag named like the base branch was read as the base (the base only as origin/main, as actions/checkout leaves it)', async () => {
    const dir = await repo({ base: BASE, head: 'gate:\n  min_macro_f1: 0\n' });
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir });
    git('commit', '-q', '-am', 'head');
    // As actions/checkout leaves a pull request's clone: origin/main, no local main, detached HEAD, tags fetched.
    git('update-ref', 'refs/remotes/origin/main', 'main');
    git('tag', 'main', 'HEAD'); // pushed by anyone with write access, pointing at the weak gate
    git('checkout', '-q', '--detach', 'HEAD');
    git('branch', '-q', '-D', 'main');
    const { changes } = await keepBaseGate({ root: dir, baseRef: 'main', log: memoryLogger() });
    expect(changes).toContainEqual({ key: 'gate.min_macro_f1', base: 0.6, head: 0 });
  });

  it('F2b a branch named like a commit prefix is the branch, also when only origin has it', async () => {
    const dir = await repo({ base: BASE, head: 'gate:\n  min_macro_f1: 0\n' });
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir })
        .toString()
        .trim();
    git('commit', '-q', '-am', 'head');
    const prefix = git('rev-parse', '--short=8', 'HEAD'); // the weak commit's prefix, as a branch name
    git('update-ref', `refs/remotes/origin/${prefix}`, 'main');
    git('checkout', '-q', '--detach', 'HEAD');
    git('branch', '-q', '-D', 'main');
    const { changes } = await keepBaseGate({ root: dir, baseRef: prefix, log: memoryLogger() });
    expect(changes).toContainEqual({ key: 'gate.min_macro_f1', base: 0.6, head: 0 });
  });
});
