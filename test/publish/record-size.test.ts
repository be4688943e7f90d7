import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { MANIFEST, publishSite } from '../../pipeline/publish/s3.ts';
import { cleanup, tempDir, writeTree } from '../data/helpers.ts';

/*
 * The publish record on the bucket is read before anything is sent. A server (or whatever answers in its place)
 * that sends an endless record must not fill the memory: past the limit Vitrine stops reading, closes the
 * connection and says which file in which bucket to delete.
 */

let base: string;
let server: http.Server;
let endpoint: string;
/** Bytes of the record the server handed to the connection. */
let sent = 0;
const sockets = new Set<import('node:net').Socket>();

beforeAll(async () => {
  base = await tempDir('vitrine-publish-record-');
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.endsWith(MANIFEST)) {
      // Any listing: an empty bucket.
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>www</Name><Prefix>museum/</Prefix>' +
          '<IsTruncated>false</IsTruncated></ListBucketResult>',
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const filler = Buffer.alloc(64 * 1024, 0x20);
    res.write('{"files": [');
    const pump = () => {
      while (!res.destroyed && sent < 2 * 1024 ** 3) {
        sent += filler.length;
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
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await cleanup(base);
});

describe('an endless publish record', () => {
  it('is refused past the limit, naming the file and the bucket, and nothing is published', async () => {
    await writeTree(base, { 'index.html': '<!doctype html><title>Home</title>' });
    const error = await publishSite({
      site: base,
      target: {
        bucket: 'www',
        prefix: 'museum',
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'KEY', secretAccessKey: 'SECRET' },
        imageBaseUrl: '',
        base: '/',
      },
      log: silentLogger,
      maxRecordBytes: 1024 * 1024,
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'PUBLISH_RECORD_TOO_LARGE' });
    expect(error.message).toContain(`museum/${MANIFEST} in bucket "www" (${endpoint})`);
    expect(error.message).toContain('delete that file from the bucket');
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  }, 30_000);
});
