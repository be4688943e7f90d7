import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { addData, initData, pullData } from '../../pipeline/data/index.ts';
import { s3Remote } from '../../pipeline/data/remote.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { writeTree } from './helpers.ts';

/*
 * Faults a real S3 server can show that s3rver does not: a download cut off after its headers, a
 * bucket in another region (Amazon's 301), and a file larger than one buffer should hold. A small
 * HTTP server on 127.0.0.1 plays the bucket.
 */

const good = Buffer.alloc(1000, 7);
const goodMd5 = createHash('md5').update(good).digest('hex');
let mode: 'cut-once' | 'cut-always' | 'wrong-region' | 'store' | 'broken' = 'store';
let cuts = 0;
const stored = new Map<string, Buffer>();
let server: http.Server;
let endpoint: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-s3-faults-'));
  server = http.createServer((req, res) => {
    if (mode === 'wrong-region') {
      res.writeHead(301, { 'x-amz-bucket-region': 'eu-west-1', 'content-type': 'application/xml' });
      res.end();
      return;
    }
    if (mode === 'broken') {
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.end('<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>');
      return;
    }
    if (mode === 'cut-once' || mode === 'cut-always') {
      if (mode === 'cut-always' || cuts === 0) {
        cuts++;
        res.writeHead(200, { 'content-length': '1000', etag: `"${goodMd5}"` });
        res.write(good.subarray(0, 500));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      res.writeHead(200, { 'content-length': '1000', etag: `"${goodMd5}"` });
      res.end(good);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = req.url ?? '';
      if (req.method === 'PUT') {
        const body = Buffer.concat(chunks);
        const md5 = createHash('md5').update(body).digest('base64');
        if (md5 !== req.headers['content-md5'] || String(body.length) !== req.headers['content-length']) {
          res.writeHead(400);
          res.end('<Error><Code>BadDigest</Code></Error>');
          return;
        }
        stored.set(key, body);
        res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
        res.end();
        return;
      }
      const body = stored.get(key);
      if (!body) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server?.close();
  await rm(dir, { recursive: true, force: true });
});

const remote = () =>
  s3Remote({
    name: 'museum',
    settings: { url: 's3://museum/v1', endpointurl: endpoint, access_key_id: 'K', secret_access_key: 'S' },
    env: {},
  });

describe('S3 faults', () => {
  it('a download cut off after its headers is tried again, and a lasting one names the object', async () => {
    mode = 'cut-once';
    cuts = 0;
    const file = path.join(dir, 'once');
    await remote().get({ md5: goodMd5, file });
    expect(await readFile(file)).toEqual(good);
    expect(cuts).toBe(1);
    mode = 'cut-always';
    cuts = 0;
    const error = await remote()
      .get({ md5: goodMd5, file: path.join(dir, 'always') })
      .catch((e: Error) => e);
    expect(cuts).toBe(3);
    expect(isVitrineError(error)).toBe(true);
    expect((error as Error).message).toContain('remote "museum"');
    await expect(stat(path.join(dir, 'always'))).rejects.toThrow();
  });

  it('a read-through check (verify --remote) cut off after its headers is tried again; a lasting cut fails in plain words', async () => {
    mode = 'cut-once';
    cuts = 0;
    // The whole body is hashed: a cut read is not taken for a damaged object.
    expect(await remote().inspect!(goodMd5)).toEqual({ size: 1000, md5: goodMd5 });
    expect(cuts).toBe(1);
    mode = 'cut-always';
    cuts = 0;
    const error = await remote().inspect!(goodMd5).catch((e: Error) => e);
    expect(cuts).toBe(3);
    expect(isVitrineError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('remote "museum"');
  });

  it('a pull whose download keeps failing names the file in data/ that needs the object', async () => {
    const repo = path.join(dir, 'pull-cut');
    await initData({ root: repo, remoteName: 'museum', remoteUrl: 's3://museum/v1' });
    await writeTree(path.join(repo, 'data'), { 'images/A1.png': good });
    await addData({ root: repo, log: silentLogger });
    await rm(objectPath(path.join(repo, '.dvc', 'cache'), goodMd5), { force: true });
    await rm(path.join(repo, 'data'), { recursive: true, force: true });
    mode = 'broken';
    const error = await pullData({ root: repo, remote: remote(), log: silentLogger }).catch((e: Error) => e);
    expect(isVitrineError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain(`data/images/A1.png (object ${goodMd5})`);
  });

  it("a bucket in another region (Amazon's 301) says which region to set", async () => {
    mode = 'wrong-region';
    const error = await remote()
      .has(goodMd5)
      .catch((e: Error) => e);
    expect((error as Error).message).toContain('the bucket is in region eu-west-1: set region = eu-west-1');
  });

  it('a file larger than one buffer is streamed with its length and Content-MD5, and comes back whole', async () => {
    mode = 'store';
    const big = Buffer.alloc(9 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 251;
    const md5 = createHash('md5').update(big).digest('hex');
    const file = path.join(dir, 'big.tif');
    await writeFile(file, big);
    await remote().put({ md5, file });
    // Read through and hashed as it streams in, for verify --remote and push --verify.
    expect(await remote().inspect!(md5)).toEqual({ size: big.length, md5 });
    const back = path.join(dir, 'big-back.tif');
    await remote().get({ md5, file: back });
    expect(
      createHash('md5')
        .update(await readFile(back))
        .digest('hex'),
    ).toBe(md5);
  });
});
