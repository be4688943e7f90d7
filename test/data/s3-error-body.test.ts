import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../pipeline/data/s3-client.ts';
import { s3Objects } from '../../pipeline/data/s3-objects.ts';
import { openShardIndex } from '../../pipeline/shard/index-store.ts';
import { cleanup, tempDir } from './helpers.ts';

/*
 * A storage server (or anything pretending to be one) that answers with an endless body, or a very large
 * one, must not fill the memory: Vitrine reads at most 64 KB of an error's body, then closes the connection,
 * and an index file larger than its limit is refused naming the remote and the file.
 */

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let server: http.Server;
let endpoint: string;
/** Bytes of body the server managed to hand to the connection, per request. */
const sent: number[] = [];
let status = 403;
const sockets = new Set<import('node:net').Socket>();
let base: string;

beforeAll(async () => {
  base = await tempDir('vitrine-error-body-');
  server = http.createServer((req, res) => {
    if (req.method === 'HEAD') {
      res.writeHead(404).end();
      return;
    }
    const index = sent.push(0) - 1;
    // An S3 error first, then filler for ever (chunked), as fast as the client takes it.
    res.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/xml' });
    const head = Buffer.from('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>No.</Message>');
    const filler = Buffer.alloc(64 * 1024, 0x20);
    res.write(head);
    const pump = () => {
      while (!res.destroyed && sent[index] < 2 * 1024 ** 3) {
        sent[index] += filler.length;
        if (!res.write(filler)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  status = 403;
  sent.length = 0;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await cleanup(base);
});

/** Far below what an endless body would have cost by then; the socket buffers let a few MB through. */
const FEW_MB = 32 * 1024 * 1024;

describe('an endless error body from the storage server', () => {
  it('the data remote reads its <Code> and stops reading', async () => {
    const objects = s3Objects({
      endpoint,
      region: 'us-east-1',
      bucket: 'museum',
      credentials: async () => credentials,
    });
    const error = await objects.get({ key: 'files/md5/ab/cdef' }).catch((e) => e);
    expect(error).toMatchObject({ name: 'AccessDenied', message: 'No.', $metadata: { httpStatusCode: 403 } });
    expect(Math.max(...sent)).toBeLessThan(FEW_MB);
  }, 30_000);

  it('the AWS SDK client (shard index, publishing) stops reading too', async () => {
    const client = s3Client({ endpoint, region: 'us-east-1', credentials });
    const error = await client.send(new GetObjectCommand({ Bucket: 'museum', Key: 'x.json' })).catch((e) => e);
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(error.name).toBe('AccessDenied');
    expect(Math.max(...sent)).toBeLessThan(FEW_MB);
  }, 30_000);

  it('an index file larger than the limit is refused, naming the remote and the file', async () => {
    status = 200;
    const repo = path.join(base, 'repo');
    await mkdir(path.join(repo, '.dvc'), { recursive: true });
    await writeFile(
      path.join(repo, '.dvc', 'config'),
      `[core]\n    remote = storage\n['remote "storage"']\n    url = s3://museum/collection\n    endpointurl = ${endpoint}\n`,
    );
    await writeFile(
      path.join(repo, '.dvc', 'config.local'),
      `['remote "storage"']\n    access_key_id = test\n    secret_access_key = test\n`,
    );
    const store = await openShardIndex({ root: repo, env: {}, maxIndexBytes: 1024 * 1024 });
    const name = `${'a'.repeat(32)}.json`;
    const error = await store.read(name).catch((e) => e);
    expect(error).toMatchObject({ code: 'REMOTE_FILE_TOO_LARGE' });
    expect(error.message).toContain(`s3://museum/collection/vitrine/shard-caches/${name}`);
    expect(error.message).toContain('"storage"');
    expect(Math.max(...sent)).toBeLessThan(FEW_MB);
  }, 30_000);
});
