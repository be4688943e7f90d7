import { spawnSync } from 'node:child_process';
import { chmod, readdir, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addData, initData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Tester, in a read-only checkout (another user’s, or a read-only mount): `data status` and `data verify` failed
 * saving their hash cache, "Vitrine may not open .dvc/tmp/vitrine-state.json.<random>.tmp (EACCES …)", verify even
 * after it had checked everything. The cache only saves reading the files again: questions that change nothing now
 * answer without it. Vitrine runs as user nobody on a checkout owned by root (chmod does not stop root).
 */

const NODE = path.resolve('node_modules/.bin/node');
const VITRINE = path.resolve('bin/vitrine.js');
const isRoot = process.getuid?.() === 0;

let base: string;
let repo: string;

/** Folders 755 and files 644: every user may read the checkout, only its owner (root) may write it. */
async function readOnlyForOthers(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, item.name);
    if (item.isSymbolicLink()) continue;
    if (item.isDirectory()) await readOnlyForOthers(p);
    else await chmod(p, 0o644);
  }
}

beforeEach(async () => {
  base = await tempDir('vitrine-read-only-');
  repo = path.join(base, 'repo');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  // Files this user has not hashed yet (a fresh clone, or files touched since): the cache has news to save.
  await rm(path.join(repo, '.dvc', 'tmp', 'vitrine-state.json'), { force: true });
  const later = new Date(Date.now() + 60_000);
  await utimes(path.join(repo, 'data', 'images', 'A1.png'), later, later);
  await readOnlyForOthers(base);
});
afterEach(async () => {
  await cleanup(base);
});

function asAnotherUser(...args: string[]) {
  const run = spawnSync(NODE, [VITRINE, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: repo,
    env: { ...process.env, GITHUB_ACTIONS: '' },
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  return { ...run, text: `${run.stdout}\n${run.stderr}` };
}

describe.runIf(isRoot || process.getuid?.() !== 0)('a checkout this user may only read', () => {
  it('"data status" answers (exit 0), with no word of the hash cache or a temp file', async () => {
    const status = asAnotherUser('data', 'status');
    expect(status.status, status.text).toBe(0);
    expect(status.text).toContain('data/ matches data.dvc');
    expect(status.text).not.toMatch(/EACCES|\.tmp|vitrine-state/);
  });

  it('"data verify" answers after checking everything (exit 0), with no word of the hash cache either', async () => {
    const verify = asAnotherUser('data', 'verify');
    expect(verify.status, verify.text).toBe(0);
    expect(verify.text).not.toMatch(/EACCES|\.tmp|vitrine-state/);
  });

  it('a checkout without .dvc/tmp (never run there) is answered too', async () => {
    await rm(path.join(repo, '.dvc', 'tmp'), { recursive: true, force: true });
    const status = asAnotherUser('data', 'status');
    expect(status.status, status.text).toBe(0);
    expect(status.text).not.toMatch(/EACCES|\.tmp|vitrine-state/);
  });
});
