import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isVitrineError } from '../../pipeline/errors.ts';
import { keepBaseGate } from '../../pipeline/github/base-gate.ts';
import { guardPullRequest, paramsProblems, withBaseGate } from '../../pipeline/github/guard.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { examplePayload } from './run-action.ts';

/*
 * Reviewer: a pull request whose params.yaml holds no settings (empty, only comments, `{}`, or only an empty
 * `collection: {}`) went through the guard, and withBaseGate wrote the base's gate into it: the file then held
 * settings, so the run never gave the PARAMS_EMPTY refusal a normal run gives, and trained with the demo's name
 * and labels. Now the head is refused with the very code and words of the normal loading (loadParams).
 */

const BASE = 'collection:\n  name: Town Museum\n  vocabulary: [coin, mask]\ngate:\n  min_macro_f1: 0.7\n';

const EMPTY_HEADS: [string, string][] = [
  ['empty', ''],
  ['only comments', '# the settings\n# gate:\n#   min_macro_f1: 0\n'],
  ['an empty mapping', '{}\n'],
  ['only an empty collection section', 'collection: {}\n'],
  ['only empty sections', 'collection: {}\ntrain: {}\n'],
];

/**
 * What a normal run says of `text` as params.yaml (loadParams on a real file), in a collection's folder (it has a
 * labels.csv), as a pull request's repository is: the advice depends on the folder (restore it, not `vitrine init`).
 */
async function normalRun(text: string): Promise<unknown> {
  const dir = await tempDir('vitrine-empty-head-');
  const file = path.join(dir, 'params.yaml');
  await writeFile(file, text);
  await writeFile(path.join(dir, 'labels.csv'), 'object_id,label\n');
  return loadParams({ file }).catch((e: unknown) => e);
}

function thrown(f: () => unknown): unknown {
  try {
    f();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** A repository with `base` as params.yaml on main and `head` (null: no file) in the working tree of a branch. */
async function repo({ base, head }: { base: string; head: string | null }): Promise<string> {
  const dir = await tempDir('vitrine-empty-head-repo-');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  await writeFile(path.join(dir, 'params.yaml'), base);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'head');
  if (head === null) await rm(path.join(dir, 'params.yaml'));
  else await writeFile(path.join(dir, 'params.yaml'), head);
  return dir;
}

let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

describe('a normal run on a params.yaml that holds no settings', () => {
  it.each(EMPTY_HEADS)('refuses it when %s (PARAMS_EMPTY)', async (_, text) => {
    const error = await normalRun(text);
    expect(isVitrineError(error, 'PARAMS_EMPTY')).toBe(true);
    expect((error as Error).message).toMatch(/^params\.yaml holds no settings/);
  });

  it('says which section is empty when the file has only empty sections', async () => {
    const error = await normalRun('collection: {}\n');
    expect((error as Error).message).toContain('holds no settings (its only section, "collection", is empty)');
    const two = await normalRun('collection: {}\ntrain: {}\n');
    expect((two as Error).message).toContain('holds no settings (its sections "collection" and "train" are empty)');
  });

  it('still reads an empty section next to settings, as the defaults of that section', async () => {
    const params = await loadParams({
      file: await (async () => {
        const dir = await tempDir('vitrine-empty-head-');
        await writeFile(path.join(dir, 'params.yaml'), 'collection: {}\ntrain:\n  epochs: 5\n');
        return path.join(dir, 'params.yaml');
      })(),
    });
    expect(params.train.epochs).toBe(5);
    expect(params.collection.name).toBe('Vitrine Demo Museum');
  });
});

describe("a pull request's params.yaml that holds no settings", () => {
  it.each(EMPTY_HEADS)('withBaseGate refuses it as a normal run does when %s', async (_, head) => {
    const normal = await normalRun(head);
    const error = thrown(() => withBaseGate({ head, base: BASE, baseName: 'main' }));
    expect(isVitrineError(error, 'PARAMS_EMPTY')).toBe(true);
    expect((error as Error).message).toBe((normal as Error).message);
  });

  it.each(EMPTY_HEADS)('paramsProblems gives the normal run its message, on one line, when %s', async (_, head) => {
    const normal = await normalRun(head);
    // The guard's reasons are one line each (the pull request's comment lists them), whole here.
    const oneLine = (normal as Error).message.replace(/\s+/g, ' ').replace(/" (name|vocabulary):/g, '"$1:');
    expect(paramsProblems({ head, base: BASE })).toEqual([oneLine]);
  });

  it('a head without params.yaml (not an empty one) is still the defaults, with the base gate', () => {
    expect(withBaseGate({ head: null, base: BASE }).changes).toEqual([
      { key: 'gate.min_macro_f1', base: 0.7, head: 0.5 },
    ]);
  });

  it('the guard does not train it and says why in the normal words', async () => {
    gh = await startFakeGitHub();
    const event = examplePayload('opened');
    const base = event.pull_request.base as { sha?: string };
    gh.pullFiles.set(event.pull_request.number, [{ filename: 'params.yaml', status: 'modified' }]);
    gh.contents.set(event.pull_request.head.sha, new Map([['params.yaml', { type: 'file', text: '# nothing yet\n' }]]));
    gh.contents.set(base.sha!, new Map([['params.yaml', { type: 'file', text: BASE }]]));
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
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([expect.stringMatching(/^params\.yaml holds no settings/)]);
  });

  it('keepBaseGate leaves an empty params.yaml as it is, so the run refuses it with PARAMS_EMPTY', async () => {
    const dir = await repo({ base: BASE, head: '# to do\n' });
    const log = memoryLogger();
    expect(await keepBaseGate({ root: dir, baseRef: 'main', log })).toEqual({ changes: [], baseCommit: null });
    expect(await readFile(path.join(dir, 'params.yaml'), 'utf8')).toBe('# to do\n');
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/params\.yaml is left as it is \(params\.yaml holds no/);
    const error = await loadParams({ file: path.join(dir, 'params.yaml') }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'PARAMS_EMPTY')).toBe(true);
  });

  it("keepBaseGate still gives a checkout without params.yaml the base's gate over the defaults", async () => {
    const dir = await repo({ base: BASE, head: null });
    const { changes } = await keepBaseGate({ root: dir, baseRef: 'main', log: memoryLogger() });
    expect(changes).toEqual([{ key: 'gate.min_macro_f1', base: 0.7, head: 0.5 }]);
    expect(parse(await readFile(path.join(dir, 'params.yaml'), 'utf8'))).toEqual({ gate: { min_macro_f1: 0.7 } });
  });
});
