import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheService, dataCacheKeys, restoreDataCache, saveDataCache } from '../../actions/lib/actions-cache.ts';
import { listObjectIds } from '../../pipeline/data/cache.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

const SERVICE_VARS = ['ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_SERVICE_V2'];
let saved: Record<string, string | undefined>;
let root: string;
beforeEach(async () => {
  // @actions/cache reads the runner's variables from process.env; each test sets its own.
  saved = Object.fromEntries(SERVICE_VARS.map((k) => [k, process.env[k]]));
  for (const k of SERVICE_VARS) delete process.env[k];
  root = await tempDir('vitrine-ghcache-');
  // The folder list data.dvc records ("[]", an empty folder), so the cache can be pruned before it is saved.
  await mkdir(path.join(root, '.dvc', 'cache', 'files', 'md5', 'd7'), { recursive: true });
  await writeFile(path.join(root, '.dvc', 'cache', 'files', 'md5', 'd7', '51713988987e9331980363e24189ce.dir'), '[]');
  await writeFile(
    path.join(root, 'data.dvc'),
    'outs:\n- md5: d751713988987e9331980363e24189ce.dir\n  size: 0\n  nfiles: 0\n  hash: md5\n  path: data\n',
  );
});
afterEach(async () => {
  for (const k of SERVICE_VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await cleanup(root);
});

describe('GitHub Actions cache for .dvc/cache', () => {
  it('keys by the content of data.dvc, with earlier versions as fallbacks', async () => {
    const first = await dataCacheKeys({ root });
    expect(first.key).toMatch(/^vitrine-dvc-cache-v2-[0-9a-f]{32}$/);
    expect(first.restoreKeys).toEqual(['vitrine-dvc-cache-v2-']);
    expect(first.paths).toEqual([path.join(root, '.dvc', 'cache')]);
    await writeFile(
      path.join(root, 'data.dvc'),
      'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551.dir\n  hash: md5\n  path: data\n',
    );
    expect((await dataCacheKeys({ root })).key).not.toBe(first.key);
  });

  it('without the cache service (outside GitHub), warns and carries on', async () => {
    const log = memoryLogger();
    expect(await restoreDataCache({ root, log })).toMatchObject({ hit: false });
    expect(await saveDataCache({ root, log })).toMatchObject({ saved: false });
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
    expect(log.lines[0].message).toContain('not available');
  });

  it('with the cache service down (HTTP 503 from 127.0.0.1), warns and carries on ' +
    '(slow: ~20 s of the toolkit’s own retries)', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"message":"service unavailable"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      process.env.ACTIONS_CACHE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      process.env.ACTIONS_RUNTIME_TOKEN = 'test-token';
      const log = memoryLogger();
      expect(await restoreDataCache({ root, log })).toMatchObject({ hit: false });
      expect(await saveDataCache({ root, log })).toMatchObject({ saved: false });
      expect(requests).toBeGreaterThan(0);
      expect(log.lines.some((l) => l.level === 'error')).toBe(false);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 60_000);

  it('a service that throws outright is a warning too', async () => {
    const log = memoryLogger();
    const broken = {
      isFeatureAvailable: () => true,
      restoreCache: async () => {
        throw new Error('socket hang up');
      },
      saveCache: async () => {
        throw 'not even an Error';
      },
    };
    expect(await restoreDataCache({ root, log, service: broken })).toMatchObject({ hit: false });
    expect(await saveDataCache({ root, log, service: broken })).toMatchObject({ saved: false });
    // The info line between them: the cache pruned to the current version before the save was tried.
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'info', 'warn']);
    expect(log.lines[0].message).toContain('socket hang up');
    expect(log.lines[2].message).toContain('not even an Error');
  });

  /** A cache service that records what each call was given and, on save, which objects the cache held then. */
  function recordingService() {
    const calls: { op: string; objects?: Set<string> }[] = [];
    const service: CacheService = {
      isFeatureAvailable: () => true,
      restoreCache: async () => {
        calls.push({ op: 'restore' });
        return undefined;
      },
      saveCache: async (paths) => {
        calls.push({ op: 'save', objects: await listObjectIds(paths[0]) });
        return 1;
      },
    };
    return { calls, service };
  }

  describe('what a pull request from a fork could read', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    let repo: string;
    beforeEach(async () => {
      repo = path.join(root, 'repo');
      await writeTree(path.join(repo, 'data'), { ...SAMPLE, 'images/TAKEDOWN.jpg': 'sensitive image bytes' });
      await initData({ root: repo, remoteUrl: '../storage' });
      await addData({ root: repo, log: silentLogger });
      // The image is taken down and a new version recorded; the cache still holds it.
      await rm(path.join(repo, 'data', 'images', 'TAKEDOWN.jpg'));
      await addData({ root: repo, log: silentLogger });
      expect((await listObjectIds(path.join(repo, '.dvc', 'cache'))).has(md5('sensitive image bytes'))).toBe(true);
    });

    it('prunes the cache to the current data version before saving it', async () => {
      const { calls, service } = recordingService();
      const log = memoryLogger();
      expect(await saveDataCache({ root: repo, log, service })).toMatchObject({ saved: true });
      expect(calls).toHaveLength(1);
      const saved = calls[0].objects!;
      expect(saved.has(md5('sensitive image bytes'))).toBe(false);
      expect(saved.has(md5(SAMPLE['images/A1.png']))).toBe(true);
      expect(log.lines.map((l) => l.message).join('\n')).toMatch(/Freed .* removed 2 objects/);
    });

    it('does not save a cache it cannot prune', async () => {
      const { calls, service } = recordingService();
      await rm(path.join(repo, '.dvc', 'cache', 'files'), { recursive: true });
      await writeTree(path.join(repo, '.dvc', 'cache', 'files', 'md5', 'ab'), { ['c'.repeat(30)]: 'an old image' });
      const log = memoryLogger();
      expect(await saveDataCache({ root: repo, log, service })).toMatchObject({ saved: false });
      expect(calls).toEqual([]);
      expect(log.lines.find((l) => l.level === 'warn')?.message).toMatch(/not saved: it could not first be pruned/);
    });

    it("with save-images 'false', neither restores nor saves the images", async () => {
      const { calls, service } = recordingService();
      const log = memoryLogger();
      expect(await restoreDataCache({ root: repo, log, service, images: false })).toMatchObject({ hit: false });
      expect(await saveDataCache({ root: repo, log, service, images: false })).toMatchObject({ saved: false });
      expect(calls).toEqual([]);
      expect(log.lines[0].message).toMatch(/kept out of the GitHub Actions cache/);
    });
  });
});
