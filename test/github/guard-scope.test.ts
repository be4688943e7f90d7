import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { INPUTS } from '../../actions/choose-runner/settings.ts';
import { CODE_PATHS } from '../../pipeline/github/guard.ts';
import { tempDir } from '../fixtures/temp.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { asFork, examplePayload, type PullRequestEvent, parseOutputs } from './run-action.ts';

/*
 * vitrine/gate is required on main (docs/actions.md), so every pull request into it must get it from someone. The
 * trusted workflow starts on every pull request (no path filter) and its guard decides: data files are trained on
 * the museum's runner; code is the Model report's (pull-request.yml, hosted), which sets the gate for a branch of
 * the repository; a pull request that changes nothing the model reads gets a success from the guard; one it keeps
 * off the runner and nobody else judges gets a failure that says why, and a comment whose advice fits. The
 * choose-runner action runs its bundle (dist/index.mjs, as GitHub's runner does; test/github/build.test.ts checks
 * that it is built from the current source) against GitHub's REST on 127.0.0.1, with real pull_request payloads.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LABELS = 'object_id,label\nDM-1,coin\n';
let gh: FakeGitHub | null = null;
afterEach(async () => {
  await gh?.close();
  gh = null;
});

async function guard(files: string[], fork: boolean, action = 'opened', before: (sha: string) => void = () => {}) {
  gh = await startFakeGitHub();
  const event = examplePayload(action) as PullRequestEvent;
  if (fork) asFork(event);
  const number = event.pull_request.number;
  const sha = event.pull_request.head.sha;
  gh.pullFiles.set(
    number,
    files.map((filename) => ({ filename, status: 'modified' })),
  );
  before(sha);
  gh.contents.set(sha, new Map([['labels.csv', { type: 'file' as const, text: LABELS }]]));
  const dir = await tempDir('vitrine-guard-scope-');
  await writeFile(path.join(dir, 'event.json'), JSON.stringify(event));
  await writeFile(path.join(dir, 'output'), '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_EVENT_NAME: 'pull_request_target',
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_OUTPUT: path.join(dir, 'output'),
    RUNNER_TEMP: dir,
    [`INPUT_${INPUTS.token.toUpperCase()}`]: 'test-token',
    [`INPUT_${INPUTS.apiUrl.toUpperCase()}`]: gh.url,
  };
  const child = spawn(process.execPath, [path.join(ROOT, 'actions', 'choose-runner', 'dist', 'index.mjs')], {
    cwd: dir,
    env,
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  expect(await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1))), log).toBe(0);
  const outputs = parseOutputs(await readFile(path.join(dir, 'output'), 'utf8'));
  const gate = gh.statuses.filter((s) => s.context === 'vitrine/gate');
  const comments = (gh.comments.get(number) ?? []).map((c) => c.body);
  return { outputs, gate, comments, sha };
}

describe('the gate status of a pull request into the default branch', () => {
  it.each([[false], [true]])('is a success when nothing the model reads changed (fork: %s)', async (fork) => {
    for (const files of [['README.md'], ['docs/catalogue.md', '.github/workflows/main.yml']]) {
      const { outputs, gate, comments, sha } = await guard(files, fork);
      expect(outputs.trusted).toBe('false');
      expect(outputs['data-dir']).toBe('');
      expect(gate).toEqual([
        expect.objectContaining({
          sha,
          state: 'success',
          description: expect.stringMatching(/^Nothing the model reads/),
        }),
      ]);
      expect(gate[0]!.description!.length).toBeLessThanOrEqual(140);
      expect(comments).toEqual([]);
      await gh!.close();
      gh = null;
    }
  });

  it('fails, with advice that fits, for data files and a file the model does not read', async () => {
    const { outputs, gate, comments } = await guard(['labels.csv', 'README.md'], false);
    expect(outputs.trusted).toBe('false');
    expect(gate).toEqual([
      expect.objectContaining({ state: 'failure', description: expect.stringContaining('README.md') }),
    ]);
    expect(gate[0]!.description!.length).toBeLessThanOrEqual(140);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain('`README.md`');
    expect(comments[0]).toContain('Move `README.md` to a separate pull request');
    // No code in it: the hosted runner's Model report does not run on it, so the comment does not send it there.
    expect(comments[0]).not.toContain('hosted runner');
  });

  it('leaves the gate of a branch’s code to the Model report, and says so when data files come with it', async () => {
    const code = await guard(['pipeline/train.ts'], false);
    expect(code.outputs.trusted).toBe('false');
    expect(code.gate).toEqual([]);
    expect(code.comments).toEqual([]);
    await gh!.close();
    gh = null;
    const mixed = await guard(['labels.csv', 'pipeline/train.ts', 'README.md'], false);
    expect(mixed.gate).toEqual([]);
    expect(mixed.comments).toHaveLength(1);
    expect(mixed.comments[0]).toContain('Model report');
    expect(mixed.comments[0]).toContain('hosted runner');
  });

  // GitHub's `paths` filter sees only the first 300 files of a pull request: past them, pull-request.yml may never
  // start, and nothing would say why the required gate waits. The guard says it, as a pending gate: never a pass.
  it('says the Model report may not start for a branch’s code among more than 300 files, as a pending gate', async () => {
    const docs = Array.from({ length: 300 }, (_, i) => `docs/page-${String(i).padStart(3, '0')}.md`);
    const many = await guard([...docs, 'pipeline/train.ts'], false);
    expect(many.outputs.trusted).toBe('false');
    expect(many.gate).toEqual([
      expect.objectContaining({ state: 'pending', description: expect.stringMatching(/first 300 files/) }),
    ]);
    expect(many.gate[0]!.description!.length).toBeLessThanOrEqual(140);
    await gh!.close();
    gh = null;
    const few = await guard([...docs.slice(1), 'pipeline/train.ts'], false);
    expect(few.gate).toEqual([]);
  });

  // A reviewer: a later guard run (a label added, a comment) after the Model report had passed set the gate back to
  // pending, and no new Model report starts on such events: the passing pull request was blocked.
  it('leaves a gate the Model report already set when the pull request has more than 300 files', async () => {
    const docs = Array.from({ length: 300 }, (_, i) => `docs/page-${String(i).padStart(3, '0')}.md`);
    for (const state of ['success', 'failure'] as const) {
      const { gate } = await guard([...docs, 'pipeline/train.ts'], false, 'labeled', (sha) => {
        gh!.statuses.push({ sha, context: 'vitrine/gate', state, description: 'Model report' } as never);
      });
      expect(gate.map((s) => s.state)).toEqual([state]);
      await gh!.close();
      gh = null;
    }
  });

  it('fails a fork’s code, which no run judges (its hosted report sets no status)', async () => {
    for (const files of [['pipeline/train.ts'], ['labels.csv', 'bin/vitrine.js']]) {
      const { outputs, gate } = await guard(files, true);
      expect(outputs.trusted).toBe('false');
      expect(gate).toEqual([expect.objectContaining({ state: 'failure' })]);
      expect(gate[0]!.description!.length).toBeLessThanOrEqual(140);
      await gh!.close();
      gh = null;
    }
  });

  it('still trains a data pull request on the runner, and sets no status before its report', async () => {
    const { outputs, gate } = await guard(['labels.csv'], false);
    expect(outputs.trusted).toBe('true');
    expect(gate).toEqual([]);
  });
});

describe('the workflows that start on a pull request', () => {
  const read = async (file: string) => parse(await readFile(path.join(ROOT, '.github', 'workflows', file), 'utf8'));

  it('start the guard on every pull request into main, and know the Model report’s paths alike', async () => {
    const data = await read('pull-request-data.yml');
    expect(data.on.pull_request_target.paths).toBeUndefined();
    expect(data.on.pull_request_target.branches).toEqual(['main']);
    const code = await read('pull-request.yml');
    expect([...CODE_PATHS]).toEqual(code.on.pull_request.paths);
  });
});

describe('a pull request of very many files', () => {
  it('is read page by page, so that a file past the first hundred is seen', async () => {
    const docs = Array.from({ length: 249 }, (_, i) => `docs/page-${String(i).padStart(3, '0')}.md`);
    const { outputs, gate, comments } = await guard(['labels.csv', ...docs, 'pipeline/train.ts'], true);
    expect(outputs.trusted).toBe('false');
    expect(outputs.reason).toContain('code (pipeline/train.ts)');
    expect(outputs.reason).toContain('and 239 others');
    expect(gate).toEqual([expect.objectContaining({ state: 'failure' })]);
    expect(comments[0]).toContain('- `pipeline/train.ts`: it is code');
    expect(gh!.requests.filter((r) => r.path.includes('/files')).length).toBe(3);
  });

  it('gets a comment that fits and ends with its advice, naming some of its files, not every one', async () => {
    // A folder of photographs from a phone committed beside labels.csv: a list of every name would pass the
    // 65,536 characters of a comment, and the advice at its end would be cut off.
    const photos = Array.from({ length: 1500 }, (_, i) => `images/IMG_${String(i).padStart(4, '0')}.JPG`);
    const { outputs, gate, comments } = await guard(['labels.csv', ...photos, 'pipeline/train.ts'], false);
    expect(outputs.trusted).toBe('false');
    const comment = comments[0]!;
    expect(comment.length).toBeLessThan(10_000);
    expect(comment).not.toContain('job summary');
    // The code is named wherever it is in the list.
    expect(comment).toContain('- `pipeline/train.ts`: it is code');
    expect(comment).toContain('- `images/IMG_0000.JPG`: it is not a data file');
    expect(comment).toMatch(/^- …and 1,4\d\d other files: they are not data files$/m);
    const advice = comment.split('\n').at(-1)!;
    expect(advice).toContain('Put `pipeline/train.ts` in a separate pull request');
    expect(advice).toMatch(/Move `images\/IMG_0000\.JPG`, .* and 1,4\d\d other files to a separate pull request/);
    expect(outputs.reason.length).toBeLessThan(2000);
    expect(outputs.reason).toMatch(/other files \(images\/IMG_0000\.JPG, .* and 1,4\d\d others\)/);
    // Its code is the Model report's to judge, which GitHub may not start past the first 300 files: never a pass.
    expect(gate).toEqual([expect.objectContaining({ state: 'pending' })]);
    expect(gate[0]!.description).toContain('first 300 files');
  });

  it.each([[false], [true]])(
    'is never passed green when GitHub lists only its first 3,000 files (fork: %s)',
    async (fork) => {
      // A folder of photographs committed beside labels.csv: GitHub’s list stops before labels.csv (or any code).
      const photos = Array.from({ length: 3050 }, (_, i) => `images/${String(i).padStart(4, '0')}.jpg`);
      const { outputs, gate, comments } = await guard([...photos, 'labels.csv'], fork);
      expect(outputs.trusted).toBe('false');
      expect(outputs.reason).toContain('3,000');
      expect(gate).toEqual([expect.objectContaining({ state: 'failure' })]);
      expect(gate[0]!.description).toContain('3,000');
      expect(gate[0]!.description!.length).toBeLessThanOrEqual(140);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toContain('3,000');
      expect(comments[0]).toContain('separate pull request');
      // Not a list of thousands of names: a comment has room for about 65,000 characters.
      expect(comments[0]!.length).toBeLessThan(2000);
    },
  );
});
