import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, dataStatus, initData, openRemote, pullData, pushData } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, readTree, SAMPLE, tempDir, writeTree } from './helpers.ts';

// A real S3-compatible server on 127.0.0.1 (random port, temp folder), started by the test itself.
let base: string;
let server: S3rver;
let endpoint: string;

beforeAll(async () => {
  base = await tempDir('vitrine-s3-');
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(base, 's3'),
    configureBuckets: [{ name: 'museum', configs: [] }],
  });
  const address = (await server.run()) as { port: number };
  endpoint = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await server?.close();
  await cleanup(base);
});

async function s3Repo(name: string): Promise<string> {
  const repo = path.join(base, name);
  await mkdir(repo, { recursive: true });
  await initData({ root: repo, remoteName: 'museum-s3', remoteUrl: 's3://museum/collection/v1' });
  await setDvcConfig({ root: repo, values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: endpoint }] });
  // Credentials go to config.local, which git ignores, as DVC recommends.
  await setDvcConfig({
    root: repo,
    local: true,
    values: [
      { section: 'remote "museum-s3"', key: 'access_key_id', value: 'S3RVER' },
      { section: 'remote "museum-s3"', key: 'secret_access_key', value: 'S3RVER' },
      { section: 'remote "museum-s3"', key: 'region', value: 'us-east-1' },
    ],
  });
  return repo;
}

describe('S3-compatible remote', () => {
  it('reads endpoint and credentials from .dvc/config and .dvc/config.local as DVC names them', async () => {
    const repo = await s3Repo('config');
    expect(await readFile(path.join(repo, '.dvc', 'config'), 'utf8')).toBe(
      `[core]\n    remote = museum-s3\n['remote "museum-s3"']\n    url = s3://museum/collection/v1\n    endpointurl = ${endpoint}\n`,
    );
    const remote = await openRemote({ root: repo });
    expect(remote.url).toBe('s3://museum/collection/v1');
    expect(await remote.has('d751713988987e9331980363e24189ce.dir')).toBe(false);
  });

  it('pushes and pulls only missing objects, under <prefix>/files/md5/ab/cdef…', async () => {
    const repo = await s3Repo('origin');
    await writeTree(path.join(repo, 'data'), SAMPLE);
    const added = await addData({ root: repo, log: silentLogger });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 3, skipped: 0 });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 0, skipped: 3 });
    // DVC's key layout inside the bucket.
    const { S3Client, HeadObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const head = await client.send(
      new HeadObjectCommand({
        Bucket: 'museum',
        Key: `collection/v1/files/md5/${added.md5.slice(0, 2)}/${added.md5.slice(2)}`,
      }),
    );
    expect(head.ContentLength).toBeGreaterThan(0);

    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    const { cp } = await import('node:fs/promises');
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    const status = await dataStatus({ root: clone, log: silentLogger, remote: true });
    expect(status.remote).toMatchObject({ name: 'museum-s3', missing: 0 });
    await pullData({ root: clone, log: silentLogger, jobs: 4 });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
    expect(await pullData({ root: clone, log: silentLogger })).toEqual({ transferred: 0, skipped: 3 });
  });

  it('a large push lists the bucket (1,000 keys a page) and uploads only what is missing', async () => {
    const repo = await s3Repo('listed');
    await setDvcConfig({
      root: repo,
      values: [{ section: 'remote "museum-s3"', key: 'url', value: 's3://museum/listed' }],
    });
    const many: Record<string, string> = {};
    for (let i = 0; i < 1100; i++) many[`images/object-${i}.jpg`] = `photograph ${i}`;
    await writeTree(path.join(repo, 'data'), many);
    await addData({ root: repo, log: silentLogger });
    const remote = await openRemote({ root: repo });
    expect((await remote.list!()).size).toBe(0);
    expect(await pushData({ root: repo, log: silentLogger, jobs: 16 })).toEqual({ transferred: 1100, skipped: 0 });
    expect((await remote.list!()).size).toBe(1101);
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 0, skipped: 1100 });
  }, 120_000);

  it('a listing push uploads again an object the bucket holds half-written (ETag not its md5)', async () => {
    const repo = await s3Repo('half-written');
    await setDvcConfig({
      root: repo,
      values: [{ section: 'remote "museum-s3"', key: 'url', value: 's3://museum/half' }],
    });
    const many: Record<string, string> = {};
    for (let i = 0; i < 80; i++) many[`images/object-${i}.jpg`] = `photograph number ${i}`;
    await writeTree(path.join(repo, 'data'), many);
    await addData({ root: repo, log: silentLogger });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 80, skipped: 0 });
    // What some servers keep when a client is killed mid-upload: the first bytes under the full name.
    const md5 = createHash('md5').update('photograph number 7').digest('hex');
    const { S3Client, PutObjectCommand, GetObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const Key = `half/files/md5/${md5.slice(0, 2)}/${md5.slice(2)}`;
    await client.send(new PutObjectCommand({ Bucket: 'museum', Key, Body: 'photog' }));
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 1, skipped: 79 });
    const body = await (await client.send(new GetObjectCommand({ Bucket: 'museum', Key }))).Body!.transformToString();
    expect(body).toBe('photograph number 7');
  }, 120_000);

  it('a small push (one check per object) also uploads again a half-written object', async () => {
    const repo = await s3Repo('half-small');
    await setDvcConfig({
      root: repo,
      values: [{ section: 'remote "museum-s3"', key: 'url', value: 's3://museum/half-small' }],
    });
    await writeTree(path.join(repo, 'data'), SAMPLE);
    await addData({ root: repo, log: silentLogger });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 3, skipped: 0 });
    const [name, content] = Object.entries(SAMPLE)[0]!;
    const md5 = createHash('md5').update(content).digest('hex');
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await client.send(
      new PutObjectCommand({
        Bucket: 'museum',
        Key: `half-small/files/md5/${md5.slice(0, 2)}/${md5.slice(2)}`,
        Body: 'x',
      }),
    );
    expect(await pushData({ root: repo, log: silentLogger }), name).toEqual({ transferred: 1, skipped: 2 });
  });

  it('names the missing object and the file that needs it', async () => {
    const repo = await s3Repo('lonely');
    await writeTree(path.join(repo, 'data'), { 'images/only-here.png': 'never pushed' });
    await addData({ root: repo, log: silentLogger });
    const remote = await openRemote({ root: repo });
    // Push the manifest only, as a half-finished push by another tool would leave it.
    const { objectPath } = await import('../../pipeline/data/cache.ts');
    const dvc = await (await import('../../pipeline/data/dvcfile.ts')).readDvcFile({
      file: path.join(repo, 'data.dvc'),
    });
    await remote.put({ md5: dvc.outs[0].md5, file: objectPath(path.join(repo, '.dvc', 'cache'), dvc.outs[0].md5) });
    const clone = path.join(base, 'lonely-clone');
    await cloneTracked(repo, clone);
    const { cp } = await import('node:fs/promises');
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    const error = await pullData({ root: clone, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'REMOTE_OBJECT_MISSING')).toBe(true);
    expect(error.message).toContain('data/images/only-here.png');
  });

  it('push --verify replaces an object whose bytes on S3 do not match (ETag), so a clone can pull', async () => {
    const repo = await s3Repo('damaged');
    await writeTree(path.join(repo, 'data'), SAMPLE);
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const id = createHash('md5').update(SAMPLE['images/A1.png']).digest('hex');
    // Same size, other bytes: only the ETag tells.
    await client.send(
      new PutObjectCommand({
        Bucket: 'museum',
        Key: `collection/v1/files/md5/${id.slice(0, 2)}/${id.slice(2)}`,
        Body: 'X'.repeat(SAMPLE['images/A1.png'].length),
      }),
    );
    const clone = path.join(base, 'damaged-clone');
    await cloneTracked(repo, clone);
    const { cp } = await import('node:fs/promises');
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    const error = await pullData({ root: clone, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT')).toBe(true);
    expect(error.message).toContain('vitrine data push --verify');
    // On S3 a plain push already reads the ETag it is given, so it uploads a good copy too.
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 1, skipped: 2 });
    await client.send(
      new PutObjectCommand({
        Bucket: 'museum',
        Key: `collection/v1/files/md5/${id.slice(0, 2)}/${id.slice(2)}`,
        Body: 'X'.repeat(SAMPLE['images/A1.png'].length),
      }),
    );
    expect(await pushData({ root: repo, log: silentLogger, verify: true })).toEqual({
      transferred: 1,
      skipped: 2,
      repaired: 1,
    });
    await pullData({ root: clone, log: silentLogger });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
  });

  it('a server that does not answer is named in plain words', async () => {
    // A port that was just free: nothing listens there.
    const { createServer } = await import('node:net');
    const probe = createServer();
    const port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
    );
    await new Promise((resolve) => probe.close(resolve));
    const repo = await s3Repo('down');
    await setDvcConfig({
      root: repo,
      values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: `http://127.0.0.1:${port}` }],
    });
    const remote = await openRemote({ root: repo });
    const error = await remote.has('d751713988987e9331980363e24189ce.dir').catch((e) => e);
    expect(isVitrineError(error, 'REMOTE_UNAVAILABLE')).toBe(true);
    expect(error.message).toContain(`The storage server at http://127.0.0.1:${port} did not answer`);
    expect(error.message).not.toMatch(/connect ECONNREFUSED/);
  });

  it('a bucket that does not exist: status --remote says so, with the same message as push', async () => {
    const repo = await s3Repo('nobucket');
    await setDvcConfig({
      root: repo,
      values: [{ section: 'remote "museum-s3"', key: 'url', value: 's3://nobucket/collection' }],
    });
    await writeTree(path.join(repo, 'data'), SAMPLE);
    await addData({ root: repo, log: silentLogger });
    const pushed = await pushData({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(pushed, 'REMOTE_NO_BUCKET'), String(pushed)).toBe(true);
    const status = await dataStatus({ root: repo, log: silentLogger, remote: true }).catch((e) => e);
    expect(isVitrineError(status, 'REMOTE_NO_BUCKET'), String(status)).toBe(true);
    expect(status.message).toBe(pushed.message);
    expect(status.message).toContain('has no bucket called "nobucket"');
    // A fresh clone, nothing in its cache: pull asks for the folder list first, and blamed a missing push (tester).
    const clone = path.join(base, 'nobucket-clone');
    await cloneTracked(repo, clone);
    await copyFile(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    const pulled = await pullData({ root: clone, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(pulled, 'REMOTE_NO_BUCKET'), String(pulled)).toBe(true);
    expect(pulled.message).toBe(pushed.message);
    // The bucket exists: an object that is absent is just absent.
    const remote = await openRemote({ root: await s3Repo('bucket-exists') });
    expect(await remote.has('0123456789abcdef0123456789abcdef')).toBe(false);
  });

  it('a key the server does not know is named in plain words, with what to set (upload and check)', async () => {
    // s3rver checks the key id but not SigV4 signatures, so a wrong secret cannot be shown against it.
    const repo = await s3Repo('wrong-key');
    await writeTree(path.join(repo, 'data'), SAMPLE);
    await addData({ root: repo, log: silentLogger });
    await setDvcConfig({
      root: repo,
      local: true,
      values: [{ section: 'remote "museum-s3"', key: 'access_key_id', value: 'NOBODY' }],
    });
    const remote = await openRemote({ root: repo });
    const file = path.join(base, 'x.txt');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, 'x');
    const onUpload = await remote.put({ md5: createHash('md5').update('x').digest('hex'), file }).catch((e) => e);
    const onCheck = await remote.has('d751713988987e9331980363e24189ce.dir').catch((e) => e);
    const onPush = await pushData({ root: repo, log: silentLogger }).catch((e) => e);
    for (const error of [onUpload, onCheck, onPush]) {
      expect(isVitrineError(error, 'REMOTE_ACCESS_DENIED')).toBe(true);
      expect(error.message).toContain(
        `The storage server at ${endpoint} did not accept the access key of remote "museum-s3"`,
      );
      expect(error.message).toContain('access_key_id and secret_access_key');
      expect(error.message).toContain('.dvc/config.local');
      expect(error.message).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    }
  });

  it('without endpointurl, AWS_ENDPOINT_URL (as the AWS tools read it) is where every request goes', async () => {
    const repo = path.join(base, 'env-endpoint');
    await mkdir(repo, { recursive: true });
    await initData({ root: repo, remoteName: 'museum-s3', remoteUrl: 's3://museum/env-endpoint' });
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    });
    try {
      await writeTree(path.join(repo, 'data'), SAMPLE);
      await addData({ root: repo, log: silentLogger });
      // A small push checks each object (HEAD) and uploads (PUT); both must reach the same server.
      expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 3, skipped: 0 });
      expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 0, skipped: 3 });
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }, 30_000);

  it('no credentials anywhere names what to set', async () => {
    const repo = path.join(base, 'no-key');
    await mkdir(repo, { recursive: true });
    await initData({ root: repo, remoteName: 'museum-s3', remoteUrl: 's3://museum/collection/v1' });
    await setDvcConfig({
      root: repo,
      values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: endpoint }],
    });
    // Make sure the AWS SDK finds no key in this process: no environment keys, no profile files, no instance metadata.
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(base, 'no-credentials');
    process.env.AWS_CONFIG_FILE = path.join(base, 'no-config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    try {
      const remote = await openRemote({ root: repo });
      const error = await remote.has('d751713988987e9331980363e24189ce.dir').catch((e) => e);
      expect(isVitrineError(error, 'REMOTE_NO_CREDENTIALS')).toBe(true);
      expect(error.message).toContain('needs an access key, and none was found');
      expect(error.message).toContain(
        `access_key_id and secret_access_key under ['remote "museum-s3"'] in .dvc/config.local`,
      );
      expect(error.message).toContain('environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
      expect(error.message).not.toContain('dvc remote');
      expect(error.message).not.toContain('Could not load credentials');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }, 20_000);

  it('a busy server (503 SlowDown) is asked again, as the AWS SDK does; one that stays busy is named', async () => {
    // A proxy in front of s3rver that answers the first `busy` requests with S3's "slow down".
    const http = await import('node:http');
    let busy = 2;
    const seen: number[] = [];
    const proxy = http.createServer((req, res) => {
      if (busy-- > 0) {
        seen.push(503);
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
        );
        return;
      }
      seen.push(200);
      const target = new URL(endpoint);
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    });
    const port = await new Promise<number>((resolve) =>
      proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as { port: number }).port)),
    );
    try {
      const repo = await s3Repo('busy');
      await setDvcConfig({
        root: repo,
        values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: `http://127.0.0.1:${port}` }],
      });
      const remote = await openRemote({ root: repo });
      const file = path.join(base, 'busy.txt');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, 'busy');
      const id = createHash('md5').update('busy').digest('hex');
      await remote.put({ md5: id, file });
      expect(seen).toEqual([503, 503, 200]);
      expect(await remote.has(id)).toBe(true);
      busy = 10;
      const error = await remote.put({ md5: id, file }).catch((e) => e);
      expect(isVitrineError(error, 'REMOTE_UNAVAILABLE')).toBe(true);
      expect(error.message).toContain('Please reduce your request rate.');
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('a large pull writes each file from the bytes it downloaded and checked, byte for byte', async () => {
    const repo = await s3Repo('large-pull');
    const files = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [`images/${i % 6}/object-${i}.jpg`, `photograph number ${i}`]),
    );
    // Two files with the same content, and a folder name that sorts between files.
    await writeTree(path.join(repo, 'data'), {
      ...files,
      'images/0/same.jpg': 'photograph number 7',
      'images.csv': 'x',
    });
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const clone = path.join(base, 'large-pull-clone');
    await cloneTracked(repo, clone);
    await mkdir(path.join(clone, '.dvc'), { recursive: true });
    const { cp } = await import('node:fs/promises');
    await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
    const pulled = await pullData({ root: clone, log: silentLogger });
    expect(pulled.transferred).toBe(120 + 1);
    expect(await readTree(path.join(clone, 'data'))).toEqual(await readTree(path.join(repo, 'data')));
    const status = await dataStatus({ root: clone, log: silentLogger });
    expect(status.clean).toBe(true);
    expect(status.cache.missing).toBe(0);
  });
});
