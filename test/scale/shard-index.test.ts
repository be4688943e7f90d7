import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { initData } from '../../pipeline/data/index.ts';
import { openShardIndex } from '../../pipeline/shard/index-store.ts';

/*
 * The shard caches' index talks to the same server as the data remote: with the endpoint named only
 * in the environment (AWS_ENDPOINT_URL, as the AWS tools and DVC accept it), the index goes there too.
 */

let base: string;
let server: S3rver;
let endpoint: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-index-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(base, 's3'),
    configureBuckets: [{ name: 'museum', configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  endpoint = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

describe('the shard cache index on S3', () => {
  it('follows AWS_ENDPOINT_URL when .dvc/config names no endpoint, like the data remote', async () => {
    const repo = path.join(base, 'repo');
    await mkdir(repo, { recursive: true });
    await initData({ root: repo, remoteName: 'm', remoteUrl: 's3://museum/v1' });
    await setDvcConfig({
      root: repo,
      local: true,
      values: [
        { section: 'remote "m"', key: 'access_key_id', value: 'S3RVER' },
        { section: 'remote "m"', key: 'secret_access_key', value: 'S3RVER' },
      ],
    });
    const index = await openShardIndex({ root: repo, env: { AWS_ENDPOINT_URL: endpoint } });
    const name = `${'0'.repeat(32)}.json`;
    await index.write(name, Buffer.from('{}'));
    expect(await index.list()).toEqual([name]);
    expect((await index.read(name)).toString()).toBe('{}');
  }, 60_000);
});
