import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { addData, dataStatus, pullData, pushData, s3Remote } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { type FaultProxy, faultProxy } from './fault-proxy.ts';
import { cleanup, cloneTracked, tempDir, writeTree } from './helpers.ts';

/*
 * A storage server that answers errors part-way (HTTP 500 InternalError, 503 SlowDown): a pull says how far it got,
 * that what arrived is kept in the cache, and to pull again, as a push says how many files were sent; both name the
 * server's error code and status, not only its free text, each in a sentence of its own. s3rver behind a proxy that
 * fails requests after the first few.
 */

let base: string;
let server: S3rver;
let s3: string;
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  base = await tempDir('vitrine-server-errors-');
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(base, 's3'),
    configureBuckets: [{ name: 'museum', configs: [] }],
  });
  s3 = `http://127.0.0.1:${((await server.run()) as { port: number }).port}`;
});
afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await server?.close();
  await cleanup(base);
});

async function proxy(options: Omit<Parameters<typeof faultProxy>[0], 'target'>): Promise<FaultProxy> {
  const started = await faultProxy({ target: s3, ...options });
  proxies.push(started);
  return started;
}

const config = (endpoint: string, folder: string) =>
  `[core]\n    remote = storage\n['remote "storage"']\n    url = s3://museum/${folder}\n    endpointurl = ${endpoint}\n` +
  '    access_key_id = S3RVER\n    secret_access_key = S3RVER\n';

const direct = (folder: string) =>
  s3Remote({
    name: 'storage',
    settings: { url: `s3://museum/${folder}`, endpointurl: s3, access_key_id: 'S3RVER', secret_access_key: 'S3RVER' },
    env: {},
  });

/** A repository of 10 images whose remote is `folder` in the bucket, through `endpoint`. */
async function repo(name: string, endpoint: string, folder: string): Promise<string> {
  const root = path.join(base, name);
  const images: Record<string, string> = {};
  for (let i = 1; i <= 10; i++) images[`images/A${i}.jpg`] = `${name} image ${i}`;
  await writeTree(path.join(root, 'data'), images);
  await writeTree(path.join(root, '.dvc'), { config: config(endpoint, folder) });
  await addData({ root, log: silentLogger });
  return root;
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('it did not fail'),
    (e: Error) => e,
  );

describe('a server that answers errors part-way', () => {
  it('a pull says how far it got, that what arrived is kept, and to pull again; with the server code', async () => {
    const root = await repo('pulled', s3, 'pull');
    await pushData({ root, log: silentLogger });
    // The folder list and 3 images come; then every GET is answered 500 InternalError.
    const failing = await proxy({ after: 4, mode: 500, methods: ['GET'] });
    const clone = path.join(base, 'clone');
    await cloneTracked(root, clone);
    await writeFile(path.join(clone, '.dvc', 'config'), config(failing.endpoint, 'pull'));
    const error = await failure(pullData({ root: clone, log: silentLogger, jobs: 1 }));
    expect(error.message).toMatch(/: the server answered InternalError \(HTTP 500\): "injected"\. /);
    expect(error.message).toContain(
      '3 of 10 files were downloaded before it stopped; they are kept in the local cache. Run "npx vitrine data pull" ' +
        'again to fetch the rest: files in the cache are not downloaded again.',
    );
    const cached = await readdir(path.join(clone, '.dvc', 'cache', 'files', 'md5'), { recursive: true });
    expect(cached.filter((f) => /^[0-9a-f]{2}[/\\][0-9a-f]{30}/.test(f))).toHaveLength(4);
    // Nothing lost: the next pull fetches only the rest.
    expect(await pullData({ root: clone, remote: direct('pull'), log: silentLogger })).toEqual({
      transferred: 7,
      skipped: 3,
    });
    // Every image came from the remote, over two pulls: status does not say they may be only on this computer.
    const status = await dataStatus({ root: clone, log: silentLogger });
    expect(status.sent?.known).toBe(true);
    expect(describeStatus(status).join('\n')).not.toContain('only on this computer');
  }, 60_000);

  it('a push names the code (503 SlowDown), ends its sentence, then says how many files were sent', async () => {
    const failing = await proxy({ after: 3, mode: 503, methods: ['PUT'] });
    const root = await repo('pushed', failing.endpoint, 'push');
    const error = await failure(pushData({ root, log: silentLogger, jobs: 1 }));
    expect(error.message).toMatch(/: the server answered SlowDown \(HTTP 503\): "injected"\. 3 of 10 files were sent/);
  }, 60_000);
});
