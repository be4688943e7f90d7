import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepBaseGate } from '../../pipeline/github/base-gate.ts';
import { guardPullRequest, paramsProblems, withBaseGate } from '../../pipeline/github/guard.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { examplePayload } from './run-action.ts';

/*
 * A base branch whose params.yaml exists but cannot be read (a typo'd key, invalid YAML, a symbolic link) was taken
 * for the defaults, and the defaults became "the base" a pull request was judged by (a reviewer's probe). Now the
 * pull request is not judged: the message says to fix the base first. A base with no params.yaml is the defaults.
 */

const UNREADABLE = /^The base branch's params\.yaml cannot be read \(.+\): this pull request cannot be judged/;

async function repo(files: (dir: string) => Promise<void>): Promise<string> {
  const dir = await tempDir('vitrine-base-params-');
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir });
  git('init', '-q', '-b', 'main');
  await files(dir);
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'head');
  return dir;
}

let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

describe("a base branch's params.yaml that cannot be read", () => {
  it('withBaseGate and paramsProblems refuse a typo, a wrong value or broken YAML, naming the base', () => {
    for (const base of ['gate:\n  min_macro_f1: 0.8\n  min_clas_f1: 0.5\n', 'gate: [\n', 'gate: !!omap\n  - a: 1\n']) {
      const head = 'gate:\n  min_macro_f1: 0.5\n';
      expect(() => withBaseGate({ head, base, baseName: 'main' })).toThrow(UNREADABLE);
      expect(() => withBaseGate({ head, base, baseName: 'main' })).toThrow(
        /Fix params\.yaml on main first: a maintainer can push the fix to it directly, or merge the pull request that fixes it/,
      );
      expect(paramsProblems({ head, base })).toEqual([expect.stringMatching(UNREADABLE)]);
    }
    // No params.yaml on the base: the defaults, as the base's own run has them.
    expect(withBaseGate({ head: 'gate:\n  min_macro_f1: 0\n', base: null }).changes).toEqual([
      { key: 'gate.min_macro_f1', base: 0.5, head: 0 },
    ]);
  });

  it('keepBaseGate fails on a base whose params.yaml does not validate', async () => {
    const dir = await repo((d) => writeFile(path.join(d, 'params.yaml'), 'gate:\n  min_clas_f1: 0.9\n'));
    await writeFile(path.join(dir, 'params.yaml'), 'gate:\n  min_class_f1: 0.9\n'); // the head fixes it
    await expect(keepBaseGate({ root: dir, baseRef: 'main', log: memoryLogger() })).rejects.toThrow(UNREADABLE);
  });

  it('keepBaseGate follows a symbolic link inside the repository at the base, and fails on one that leaves it', async () => {
    // The pull request’s own params.yaml is a regular file: a link there is neither read nor written through (task L6;
    // test/params/params-link.test.ts), and every command refuses it.
    const head = async (dir: string) => {
      await rm(path.join(dir, 'params.yaml'));
      await writeFile(path.join(dir, 'params.yaml'), 'gate:\n  min_macro_f1: 0.1\n');
    };
    const inside = await repo(async (d) => {
      await mkdir(path.join(d, 'config'));
      await writeFile(path.join(d, 'config/params.yaml'), 'gate:\n  min_macro_f1: 0.8\n');
      await symlink('config/params.yaml', path.join(d, 'params.yaml'));
    });
    await head(inside);
    await keepBaseGate({ root: inside, baseRef: 'main', log: memoryLogger() });
    expect((await loadParams({ file: path.join(inside, 'params.yaml') })).gate.min_macro_f1).toBe(0.8);

    const outside = await repo((d) => symlink('../../etc/params.yaml', path.join(d, 'params.yaml')));
    await head(outside);
    await expect(keepBaseGate({ root: outside, baseRef: 'main', log: memoryLogger() })).rejects.toThrow(
      /outside the repository/,
    );
  });

  it("the guard does not train a pull request whose base's params.yaml is a symbolic link or does not validate", async () => {
    for (const entry of [
      { type: 'symlink' as const, target: 'config/params.yaml' },
      { type: 'file' as const, text: 'gate:\n  min_clas_f1: 0.9\n' },
    ]) {
      gh = await startFakeGitHub();
      const event = examplePayload('opened');
      const base = event.pull_request.base as { sha?: string };
      gh.pullFiles.set(event.pull_request.number, [{ filename: 'params.yaml', status: 'modified' }]);
      gh.contents.set(
        event.pull_request.head.sha,
        new Map([['params.yaml', { type: 'file', text: 'train:\n  epochs: 3\n' }]]),
      );
      gh.contents.set(base.sha!, new Map([['params.yaml', entry]]));
      const log = memoryLogger();
      const result = await guardPullRequest({
        forge: githubForge({ apiUrl: gh.url, token: 'test-token', log, sleep: async () => {} }),
        owner: 'Codertocat',
        repo: 'Hello-World',
        eventName: 'pull_request_target',
        event,
        selfHosted: ['self-hosted'],
        approvalLabel: 'vitrine-approved',
        approver: 'github-actions[bot]',
        log,
      });
      expect(result.choice.trusted).toBe(false);
      expect(result.problems).toEqual([expect.stringMatching(UNREADABLE)]);
      await gh.close();
      gh = null;
    }
  });
});
