import { execFile, execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addData, initData, pushData } from '../../pipeline/data/index.ts';
import { folderLists } from '../../pipeline/data/ops.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { resolveCommit as resolveReportCommit } from '../../pipeline/git/history.ts';
import { dataDiff, ensureCommit, headCommit, readFileAtRef, resolveCommit } from '../../pipeline/git/repo.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { startGitServer } from './git-server.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/** dataDiff with the folder lists data/ops.ts reads: the local cache, else the default remote. */
const diffOf = (root: string, base: string, head: string) =>
  dataDiff({ root, base, head, log: silentLogger, folderList: folderLists({ root, log: silentLogger }) });

let base: string;
let repo: string;
let baseCommit: string;
let headSha: string;

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Registrar',
      GIT_AUTHOR_EMAIL: 'r@example.org',
      GIT_COMMITTER_NAME: 'Registrar',
      GIT_COMMITTER_EMAIL: 'r@example.org',
    },
  }).trim();
}

beforeAll(async () => {
  base = await tempDir('vitrine-git-');
  repo = path.join(base, 'repo');
  await mkdir(repo);
  sh(repo, 'init', '-q', '-b', 'main');
  await initData({ root: repo, remoteUrl: '../storage' });
  await writeTree(path.join(repo, 'data'), {
    'objects.csv': 'id\nA1\nA2\n',
    'images/A1.png': 'one',
    'images/A2.png': 'two',
  });
  await writeFile(path.join(repo, 'labels.csv'), 'object_id,label\nA1,coin\n');
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  sh(repo, 'add', '.');
  sh(repo, 'commit', '-q', '-m', 'first objects');
  baseCommit = sh(repo, 'rev-parse', 'HEAD');
  // A pull request: one image replaced, one removed, one added, the labels edited.
  await writeFile(path.join(repo, 'data', 'images', 'A1.png'), 'one, photographed again');
  await rm(path.join(repo, 'data', 'images', 'A2.png'));
  await writeTree(path.join(repo, 'data'), { 'images/A3.png': 'three', 'objects.csv': 'id\nA1\nA3\n' });
  await writeFile(path.join(repo, 'labels.csv'), 'object_id,label\nA1,vessel\n');
  for (let i = 0; i < 3; i++) {
    await writeFile(path.join(repo, 'notes.txt'), `note ${i}\n`);
    sh(repo, 'add', '.');
    sh(repo, 'commit', '-q', '-m', `filler ${i}`);
  }
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  sh(repo, 'add', '.');
  sh(repo, 'commit', '-q', '-m', 'rephotograph A1, add A3');
  headSha = sh(repo, 'rev-parse', 'HEAD');
});
afterAll(async () => {
  await cleanup(base);
});

describe('git history', () => {
  it('reads files at any ref, and null for a file absent there', async () => {
    expect(await headCommit({ dir: repo })).toBe(headSha);
    expect(await readFileAtRef({ dir: repo, ref: baseCommit, filepath: 'labels.csv' })).toBe(
      'object_id,label\nA1,coin\n',
    );
    expect(await readFileAtRef({ dir: repo, ref: 'main', filepath: 'labels.csv' })).toBe(
      'object_id,label\nA1,vessel\n',
    );
    expect(await readFileAtRef({ dir: repo, ref: baseCommit.slice(0, 8), filepath: 'notes.txt' })).toBeNull();
    expect(await readFileAtRef({ dir: repo, ref: 'HEAD~0'.replace('~0', ''), filepath: 'data.dvc' })).toMatch(
      /^outs:\n- md5: [0-9a-f]{32}\.dir\n/,
    );
    const error = await readFileAtRef({ dir: repo, ref: 'no-such-branch', filepath: 'labels.csv' }).catch((e) => e);
    expect(isVitrineError(error, 'GIT_REF_UNKNOWN')).toBe(true);
  });

  it('reads ancestry suffixes as git does', async () => {
    expect(await resolveCommit({ dir: repo, ref: 'main~4' })).toBe(baseCommit);
    expect(await resolveCommit({ dir: repo, ref: 'HEAD^^~2' })).toBe(baseCommit);
    expect(await resolveCommit({ dir: repo, ref: 'HEAD~' })).toBe(sh(repo, 'rev-parse', 'HEAD~1'));
    expect(await readFileAtRef({ dir: repo, ref: 'main~4', filepath: 'labels.csv' })).toBe(
      'object_id,label\nA1,coin\n',
    );
    const error = await resolveCommit({ dir: repo, ref: 'main~5' }).catch((e) => e);
    expect(isVitrineError(error, 'GIT_REF_UNKNOWN')).toBe(true);
  });

  it('on a shallow clone (git clone --depth 1), a ref past the history there is a clear error, never an empty past', async () => {
    const clone = path.join(base, 'depth-one');
    sh(base, 'clone', '-q', '--depth', '1', `file://${repo}`, clone);
    // The parent's id is in HEAD's commit, but the commit is not in the clone: it used to stand for an empty
    // history (data.dvc and labels.csv "absent", every object and label new) or fail with isomorphic-git's error.
    for (const ref of ['HEAD~1', 'HEAD^', 'main~1', 'HEAD~3']) {
      const error = await resolveCommit({ dir: clone, ref }).catch((e) => e);
      expect(isVitrineError(error, 'GIT_HISTORY_MISSING'), ref).toBe(true);
      expect(error.message).toContain(`"${ref}"`);
      expect(error.message).toContain('shallow clone');
      expect(error.message).toContain('fetch-depth: 0');
      expect(error.data).toMatchObject({ ref, shallow: true });
    }
    const read = await readFileAtRef({ dir: clone, ref: 'HEAD~1', filepath: 'labels.csv' }).catch((e) => e);
    expect(isVitrineError(read, 'GIT_HISTORY_MISSING')).toBe(true);
    const diff = await diffOf(clone, 'HEAD~1', 'HEAD').catch((e) => e);
    expect(isVitrineError(diff, 'GIT_HISTORY_MISSING')).toBe(true);
    // The report reads refs through the same function (VITRINE_BASE_REF=HEAD~1).
    const reportBase = await resolveReportCommit({ dir: clone, ref: 'HEAD~1' }).catch((e) => e);
    expect(isVitrineError(reportBase, 'GIT_HISTORY_MISSING')).toBe(true);
    // A commit the clone lacks altogether says the same thing to do (callers that can fetch it still do).
    const missing = await resolveCommit({ dir: clone, ref: baseCommit }).catch((e) => e);
    expect(isVitrineError(missing, 'GIT_REF_UNKNOWN')).toBe(true);
    expect(missing.message).toContain('fetch-depth: 0');
    // What is there still resolves.
    expect(await resolveCommit({ dir: clone, ref: 'HEAD' })).toBe(headSha);
  });

  it('headCommit is null in a repository without commits', async () => {
    const empty = path.join(base, 'empty');
    await mkdir(empty);
    sh(empty, 'init', '-q');
    expect(await headCommit({ dir: empty })).toBeNull();
  });

  it('lists the data files added, removed and modified between two refs', async () => {
    expect(await diffOf(repo, baseCommit, headSha)).toEqual({
      added: ['images/A3.png'],
      removed: ['images/A2.png'],
      modified: ['images/A1.png', 'objects.csv'],
    });
    expect(await diffOf(repo, headSha, 'main')).toEqual({
      added: [],
      removed: [],
      modified: [],
    });
  });

  it('on a shallow clone over smart HTTP, fetches the base commit first, then diffs with manifests from the remote', async () => {
    const served = path.join(base, 'served');
    await mkdir(served);
    sh(served, 'clone', '-q', '--bare', repo, 'museum.git');
    const server = await startGitServer({ projectRoot: served });
    try {
      const clone = path.join(base, 'shallow');
      // Asynchronously: the HTTP server runs in this process and must keep answering.
      await promisify(execFile)('git', ['clone', '-q', '--depth', '1', `${server.url}/museum.git`, clone], {
        cwd: base,
      });
      // Storage is beside the original repo; point the clone's remote at it.
      await initData({ root: clone, remoteUrl: path.join(base, 'storage') });
      const missing = await readFileAtRef({ dir: clone, ref: baseCommit, filepath: 'labels.csv' }).catch((e) => e);
      expect(isVitrineError(missing, 'GIT_REF_UNKNOWN')).toBe(true);

      expect(await ensureCommit({ dir: clone, oid: baseCommit, ref: 'main' })).toEqual({ fetched: true });
      expect(await ensureCommit({ dir: clone, oid: baseCommit, ref: 'main' })).toEqual({ fetched: false });
      expect(await readFileAtRef({ dir: clone, ref: baseCommit, filepath: 'labels.csv' })).toBe(
        'object_id,label\nA1,coin\n',
      );
      // The clone has no cache: the folder lists come from the remote.
      expect(await diffOf(clone, baseCommit, 'HEAD')).toEqual({
        added: ['images/A3.png'],
        removed: ['images/A2.png'],
        modified: ['images/A1.png', 'objects.csv'],
      });
      const notThere = await ensureCommit({ dir: clone, oid: 'f'.repeat(40), ref: 'main', depths: [5] }).catch(
        (e) => e,
      );
      expect(isVitrineError(notThere, 'GIT_COMMIT_MISSING')).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);
});
