import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';

/*
 * The tester's "vitrine run" with a .vitrine folder this user may not write: the first line was "warning: Could
 * not update the note for the pull request: EACCES: permission denied, mkdir '…/.vitrine/report'", before the
 * real error about the same folder. The note's trouble is now left unsaid when the run's own error is the same
 * folder's permissions, and in plain words otherwise. For root (whom chmod does not stop), Vitrine runs as user
 * nobody. Failed before.
 */

const NODE = path.resolve('node_modules/.bin/node');
const VITRINE = path.resolve('bin/vitrine.js');
const isRoot = process.getuid?.() === 0;
afterAll(removeTempDirs);

async function openTree(dir: string): Promise<void> {
  await chmod(dir, 0o777);
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, item.name);
    // Never through a link: chmod would change what it points to.
    if (item.isSymbolicLink()) continue;
    if (item.isDirectory()) await openTree(p);
    else await chmod(p, 0o666);
  }
}

it('a read-only .vitrine: the run fails with one clear error, no raw "note for the pull request" warning', async () => {
  const ws = await makeCollection({
    objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
    labels: [{ objectId: 'a1', label: 'coin' }],
  });
  await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
  await openTree(ws.root);
  await mkdir(path.join(ws.root, '.vitrine'), { recursive: true });
  await chmod(path.join(ws.root, '.vitrine'), 0o555);
  const run = spawnSync(NODE, [VITRINE, '-C', ws.root, 'run'], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: ws.root,
    env: { ...process.env, GITHUB_ACTIONS: '' },
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  await chmod(path.join(ws.root, '.vitrine'), 0o755);
  expect(run.status, run.stderr).toBe(1);
  expect(run.stderr).not.toContain('did not expect');
  expect(run.stderr).not.toContain('note for the pull request');
  expect(run.stderr).not.toMatch(/EACCES: permission denied, mkdir/);
  expect(run.stderr).toMatch(/\.vitrine/);
}, 120_000);
