import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { addData, pushData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { canMountTmpfs, VITRINE_BIN } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * A tester (T4 F2): a pull from an S3 remote onto a full local disk said "Could not download … on the remote
 * "storage" at http://…: ENOSPC", after trying 3 times, so a maintainer would go and check the server. As with a
 * folder remote (push-disk-full.test.ts), it names this computer's cache folder, at once. Real s3rver on 127.0.0.1;
 * the cache is a real 64 KB disk (a tmpfs mounted in a user namespace), filled by the pull itself.
 */

const run = promisify(execFile);
const s3 = s3ServerForFile('vitrine-s3-pull-full-');

describe.runIf(canMountTmpfs())('a full disk during a pull from S3', () => {
  it('names the local cache and its folder, not the remote, and says what to do', async () => {
    const origin = await s3Repo({ s3, name: 'origin', folder: 'full' });
    await mkdir(path.join(origin, 'data', 'images'), { recursive: true });
    for (let i = 1; i <= 6; i++) await writeFile(path.join(origin, 'data', 'images', `A${i}.png`), randomBytes(30_000));
    await addData({ root: origin, log: silentLogger });
    await pushData({ root: origin, log: silentLogger });
    const clone = await s3Repo({ s3, name: 'clone', folder: 'full' });
    await cp(path.join(origin, 'data.dvc'), path.join(clone, 'data.dvc'));
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
    expect(said).toContain(`The disk that holds the local cache (${cache}) is full`);
    expect(said).not.toContain('on the remote');
    expect(said).not.toContain(s3.endpoint);
    expect(said).toContain('npx vitrine data pull');
  }, 60_000);
});
