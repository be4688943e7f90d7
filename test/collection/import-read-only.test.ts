import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

/*
 * The tester's import into a data/images folder this user may not write: the message asked "is
 * data/images/1987.1.png a folder, or the disk full?" and never said permissions. It now says what the CLI's
 * error boundary says for a read-only folder (as "data checkout" does). The folder is really read-only for the
 * importing process: chmod a-w, and for root (whom chmod does not stop) the import runs as user nobody.
 * Failed before.
 */

const NODE = path.resolve('node_modules/.bin/node');
const RUNNER = path.resolve('test/collection/import-read-only-runner.ts');
const isRoot = process.getuid?.() === 0;
let base: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-ro-'));
});
afterAll(async () => {
  await chmod(path.join(base, 'repo', 'data', 'images'), 0o755).catch(() => {});
  await rm(base, { recursive: true, force: true });
});

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

it('import into a read-only data/images says permission, names the folder and what to do', async () => {
  const images = path.join(base, 'export', 'images');
  await mkdir(images, { recursive: true });
  await writeFile(path.join(images, '1987.1.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]));
  const csv = path.join(base, 'export', 'objects.csv');
  await writeFile(csv, 'id,image,label,title\n1987.1,1987.1.png,coin,Coin\n');
  const repo = path.join(base, 'repo');
  await mkdir(path.join(repo, 'data', 'images'), { recursive: true });
  await openTree(base);
  await chmod(path.join(repo, 'data', 'images'), 0o555);
  const run = spawnSync(NODE, [RUNNER, repo, csv, images], {
    encoding: 'utf8',
    timeout: 120_000,
    cwd: base,
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  expect(run.status, run.stderr).toBe(0);
  const { code, message } = JSON.parse(run.stdout) as { code?: string; message: string };
  expect(code).toBe('IMPORT_WRITE_FAILED');
  expect(message).toContain('nothing was changed');
  expect(message).toMatch(/permission/);
  expect(message).toContain(`the folder ${path.join('data', 'images')}`);
  expect(message).not.toMatch(/or the disk full\?/);
}, 120_000);
