import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataCacheKeys, restoreDataCache, saveDataCache } from '../../actions/lib/actions-cache.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { cleanup, tempDir } from './helpers.ts';

const SERVICE_VARS = ['ACTIONS_CACHE_URL', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_SERVICE_V2'];
let saved: Record<string, string | undefined>;
let root: string;
beforeEach(async () => {
  // @actions/cache reads the runner's variables from process.env; each test sets its own.
  saved = Object.fromEntries(SERVICE_VARS.map((k) => [k, process.env[k]]));
  for (const k of SERVICE_VARS) delete process.env[k];
  root = await tempDir('vitrine-ghcache-');
  await mkdir(path.join(root, '.dvc', 'cache'), { recursive: true });
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
    expect(first.key).toMatch(/^vitrine-dvc-cache-v1-[0-9a-f]{32}$/);
    expect(first.restoreKeys).toEqual(['vitrine-dvc-cache-v1-']);
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
    expect(log.lines.map((l) => l.level)).toEqual(['warn', 'warn']);
    expect(log.lines[0].message).toContain('socket hang up');
    expect(log.lines[1].message).toContain('not even an Error');
  });
});
