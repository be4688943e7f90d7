import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addData, initData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { canMountTmpfs, cleanup, cloneTracked, tempDir, VITRINE_BIN } from './helpers.ts';

/*
 * Tester: a full disk during "npx vitrine data push" said "The disk that holds a folder Vitrine writes to (the
 * system did not say which) is full", though Vitrine knew it was writing to the remote "local" at /tmp/…. The
 * remote here is a real 64 KB disk (a tmpfs mounted in a user namespace), filled by the push itself.
 */

const run = promisify(execFile);

let base: string;
beforeAll(async () => {
  base = await tempDir('vitrine-push-full-');
});
afterAll(async () => {
  await cleanup(base);
});

describe.runIf(canMountTmpfs())('a full disk during a push or a pull', () => {
  it('names the remote and its folder, and says what to do', async () => {
    const repo = path.join(base, 'museum');
    const storage = path.join(base, 'storage');
    await mkdir(path.join(repo, 'data', 'images'), { recursive: true });
    await mkdir(storage);
    await writeFile(
      path.join(repo, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    // Six photographs of 30 KB: the third does not fit on a 64 KB disk.
    for (let i = 1; i <= 6; i++) await writeFile(path.join(repo, 'data', 'images', `A${i}.png`), randomBytes(30_000));
    await initData({ root: repo, remoteUrl: storage });
    await addData({ root: repo, log: silentLogger });
    const script = `mount -t tmpfs -o size=64k tmpfs "$1" && exec "$2" "$3" data push --jobs 1`;
    const result = await run('unshare', ['-Urm', 'sh', '-c', script, 'sh', storage, process.execPath, VITRINE_BIN], {
      cwd: repo,
    }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(result?.code).toBe(1);
    const said = result?.stderr ?? '';
    expect(said).toContain('ENOSPC');
    expect(said).toContain('the remote "local"');
    expect(said).toContain(storage);
    expect(said).not.toContain('the system did not say which');
    expect(said).toContain('npx vitrine data push');
    // What was sent stays there: running it again continues.
    expect(said).toMatch(/after \d of 6 files were sent/);
  });

  it('a push onto a read-only disk names the remote too', async () => {
    const repo = path.join(base, 'museum-ro');
    const storage = path.join(base, 'storage-ro');
    await mkdir(path.join(repo, 'data', 'images'), { recursive: true });
    await mkdir(storage);
    await writeFile(path.join(repo, 'data', 'images', 'A1.png'), randomBytes(1000));
    await writeFile(
      path.join(repo, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    await initData({ root: repo, remoteUrl: storage });
    await addData({ root: repo, log: silentLogger });
    const script = `mount -t tmpfs -o ro,size=64k tmpfs "$1" && exec "$2" "$3" data push`;
    const result = await run('unshare', ['-Urm', 'sh', '-c', script, 'sh', storage, process.execPath, VITRINE_BIN], {
      cwd: repo,
    }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(result?.code).toBe(1);
    const said = result?.stderr ?? '';
    expect(said).toContain(`Vitrine may not write in the remote "local" (${storage}) (EROFS: a read-only disk)`);
  });

  it('a pull onto a full disk names the local cache and its folder', async () => {
    const origin = path.join(base, 'origin');
    const storage = path.join(base, 'storage-2');
    await mkdir(path.join(origin, 'data', 'images'), { recursive: true });
    for (let i = 1; i <= 6; i++) await writeFile(path.join(origin, 'data', 'images', `A${i}.png`), randomBytes(30_000));
    await initData({ root: origin, remoteUrl: storage });
    await addData({ root: origin, log: silentLogger });
    await pushData({ root: origin, log: silentLogger });
    const clone = path.join(base, 'clone');
    await cloneTracked(origin, clone);
    await writeFile(
      path.join(clone, 'params.yaml'),
      'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    const cache = path.join(clone, '.dvc', 'cache');
    await mkdir(cache, { recursive: true });
    const script = `mount -t tmpfs -o size=64k tmpfs "$1" && exec "$2" "$3" data pull --jobs 1`;
    const result = await run('unshare', ['-Urm', 'sh', '-c', script, 'sh', cache, process.execPath, VITRINE_BIN], {
      cwd: clone,
    }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(result?.code).toBe(1);
    const said = result?.stderr ?? '';
    expect(said).toContain('ENOSPC');
    expect(said).toContain('the local cache');
    expect(said).toContain(cache);
    expect(said).not.toContain('the system did not say which');
    expect(said).toContain('npx vitrine data pull');
  });
});
