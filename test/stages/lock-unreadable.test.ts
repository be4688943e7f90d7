import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';

/*
 * The reviewer: a lock.json this user may not read (a runner whose workspace another user wrote) was taken for a
 * missing one. Every stage ran again without a word, and the record was replaced. The run now stops, naming the
 * file, and leaves it as it was. For root (whom chmod does not stop), Vitrine runs as user nobody. Failed before.
 */

const NODE = path.resolve('node_modules/.bin/node');
const VITRINE = path.resolve('bin/vitrine.js');
const isRoot = process.getuid?.() === 0;
afterAll(removeTempDirs);

async function openTree(dir: string): Promise<void> {
  await chmod(dir, 0o777);
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, item.name);
    if (item.isSymbolicLink()) continue;
    if (item.isDirectory()) await openTree(p);
    else await chmod(p, 0o666);
  }
}

it('a lock.json this user may not read stops the run, naming it, and is left as it was', async () => {
  const ws = await makeCollection({
    objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
    labels: [{ objectId: 'a1', label: 'coin' }],
  });
  await writeFile(ws.params, 'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\n');
  await mkdir(path.join(ws.root, '.vitrine'), { recursive: true });
  await openTree(ws.root);
  const lockFile = path.join(ws.root, '.vitrine', 'lock.json');
  const recorded = `${JSON.stringify({ schema: 'vitrine.lock/1', stages: {} })}\n`;
  await writeFile(lockFile, recorded);
  await chmod(lockFile, 0o000);
  const run = spawnSync(NODE, [VITRINE, '-C', ws.root, 'run', 'dataset'], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: ws.root,
    env: { ...process.env, GITHUB_ACTIONS: '' },
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  await chmod(lockFile, 0o644);
  expect(run.status, run.stderr + run.stdout).toBe(1);
  expect(run.stderr).toContain('lock.json');
  expect(run.stderr).not.toContain('did not expect');
  expect(run.stderr + run.stdout).not.toContain('damaged');
  expect(await readFile(lockFile, 'utf8')).toBe(recorded);
}, 120_000);
