import { chmod, lstat, mkdir, readFile, rename, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Tester: a committed `data.dvc -> meta/data.dvc`, and a group-shared checkout (`chmod 664 data.dvc`). `data add`
 * replaced the link by a regular file (git status " T data.dvc"), left meta/data.dvc as it was, and made the file
 * 644. It now writes meta/data.dvc, keeps the link, and keeps the mode.
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-dvc-file-link-');
  repo = path.join(base, 'repo');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
  await mkdir(path.join(repo, 'meta'));
  await rename(path.join(repo, 'data.dvc'), path.join(repo, 'meta', 'data.dvc'));
  await symlink(path.join('meta', 'data.dvc'), path.join(repo, 'data.dvc'));
  await chmod(path.join(repo, 'meta', 'data.dvc'), 0o664);
});
afterEach(async () => {
  await cleanup(base);
});

it('"data add" writes the data.dvc a link points to, keeps the link and the file’s mode 664', async () => {
  const before = await readFile(path.join(repo, 'meta', 'data.dvc'), 'utf8');
  await writeFile(path.join(repo, 'data', 'images', 'A9.png'), 'a new photograph');
  const log = memoryLogger();
  const old = process.umask(0o022);
  const code = await main(['data', 'add'], { cwd: repo, env: {}, stdout: () => {}, log, interactive: false }).finally(
    () => process.umask(old),
  );
  expect(code, log.lines.map((l) => l.message).join('\n')).toBe(0);
  expect((await lstat(path.join(repo, 'data.dvc'))).isSymbolicLink()).toBe(true);
  const after = await readFile(path.join(repo, 'meta', 'data.dvc'), 'utf8');
  expect(after).not.toBe(before);
  expect(after).toMatch(/nfiles: 5/);
  expect((await stat(path.join(repo, 'meta', 'data.dvc'))).mode & 0o7777).toBe(0o664);
});
