import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, initData, openRemote, pullData, s3Remote } from '../../pipeline/data/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, silentServer, tempDir, writeTree } from './helpers.ts';

/*
 * A storage server that accepts the connection and then says nothing (a stopped or wedged server,
 * a broken proxy) must not hold a pull forever: after the idle timeout the request fails in plain
 * words. A slow transfer whose bytes keep coming is not cut off.
 */

let base: string;
let silent: Awaited<ReturnType<typeof silentServer>>;
let silentEndpoint: string;
let slow: http.Server;
let slowEndpoint: string;
let stalling: http.Server;
let stallingEndpoint: string;
/** GET requests the stalling server has had. */
let stallingRequests = 0;
/** 1,200 bytes sent in 12 pieces, one every 100 ms (longer in all than the idle timeout of the test). */
const slowBody = Buffer.alloc(1200, 3);
const slowMd5 = createHash('md5').update(slowBody).digest('hex');

beforeAll(async () => {
  base = await tempDir('vitrine-s3-timeout-');
  silent = await silentServer();
  silentEndpoint = silent.endpoint;
  slow = http.createServer((req, res) => {
    const stall = req.url?.includes('stall');
    res.writeHead(200, { 'content-length': String(slowBody.length), etag: `"${slowMd5}"` });
    let sent = 0;
    const timer = setInterval(() => {
      // "stall": half the bytes, then nothing.
      if (stall && sent >= slowBody.length / 2) return;
      res.write(slowBody.subarray(sent, sent + 100));
      sent += 100;
      if (sent >= slowBody.length) {
        clearInterval(timer);
        res.end();
      }
    }, 100);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', () => resolve()));
  slowEndpoint = `http://127.0.0.1:${(slow.address() as net.AddressInfo).port}`;
  // Headers and 2 bytes of a small object (or of an error's XML: "refuse" in the bucket name), then nothing:
  // the request itself was answered.
  stalling = http.createServer((req, res) => {
    stallingRequests++;
    res.writeHead(req.url?.includes('refuse') ? 403 : 200, { 'content-length': '100', etag: '"0"' });
    res.write(Buffer.from('ab'));
  });
  await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', () => resolve()));
  stallingEndpoint = `http://127.0.0.1:${(stalling.address() as net.AddressInfo).port}`;
});
afterAll(async () => {
  silent?.close();
  slow?.closeAllConnections();
  slow?.close();
  stalling?.closeAllConnections();
  stalling?.close();
  await cleanup(base);
});

const settings = (endpoint: string, bucket = 'museum') => ({
  url: `s3://${bucket}/collection`,
  endpointurl: endpoint,
  access_key_id: 'KEY',
  secret_access_key: 'SECRET',
  region: 'us-east-1',
});

/** The error `promise` ends with, and how long it took (ms). */
async function failure(promise: Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const start = Date.now();
  const error = await promise.then(
    () => new Error('it did not fail'),
    (e: Error) => e,
  );
  return { error, ms: Date.now() - start };
}

function expectTimedOut(error: Error, endpoint: string) {
  expect(isVitrineError(error, 'REMOTE_UNAVAILABLE'), String(error)).toBe(true);
  expect(error.message).toContain(`The storage server at ${endpoint} did not answer`);
  expect(error.message).toContain('0.3 s');
}

describe('S3 remote: a server that accepts and never answers', { timeout: 20_000 }, () => {
  it('a check (HEAD) gives up after the idle timeout, tried again, and names the server and the wait', async () => {
    const remote = s3Remote({ name: 'storage', settings: settings(silentEndpoint), idleTimeoutMs: 300 });
    const { error, ms } = await failure(remote.has('d751713988987e9331980363e24189ce'));
    expectTimedOut(error, silentEndpoint);
    expect(error.message).toContain('0.3 s, 3 tries');
    expect(error.message).toContain(`add the line "read_timeout = SECONDS" under ['remote "storage"'] in .dvc/config`);
    // Three tries of 0.3 s and the pauses between them; far less than forever.
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(5000);
  });

  it('a listing (the AWS SDK) gives up too', async () => {
    const remote = s3Remote({ name: 'storage', settings: settings(silentEndpoint), idleTimeoutMs: 300 });
    const { error, ms } = await failure(remote.list!());
    expectTimedOut(error, silentEndpoint);
    expect(ms).toBeLessThan(8000);
  });

  it('a pull fails with the same message instead of waiting forever', async () => {
    const repo = path.join(base, 'pull');
    await initData({ root: repo, remoteName: 'storage', remoteUrl: 's3://museum/collection' });
    await writeTree(path.join(repo, 'data'), SAMPLE);
    await addData({ root: repo, log: silentLogger });
    await rm(path.join(repo, '.dvc', 'cache'), { recursive: true, force: true });
    await rm(path.join(repo, 'data'), { recursive: true, force: true });
    const remote = s3Remote({ name: 'storage', settings: settings(silentEndpoint), idleTimeoutMs: 300 });
    const { error, ms } = await failure(pullData({ root: repo, remote, log: silentLogger }));
    expectTimedOut(error, silentEndpoint);
    expect(ms).toBeLessThan(5000);
  });

  it("read_timeout in .dvc/config (DVC's setting, in seconds) sets the idle timeout", async () => {
    const repo = path.join(base, 'config');
    await initData({ root: repo, remoteName: 'storage', remoteUrl: 's3://museum/collection' });
    const values = Object.entries({ ...settings(silentEndpoint), read_timeout: '0.3' })
      .filter(([key]) => key !== 'url')
      .map(([key, value]) => ({ section: 'remote "storage"', key, value }));
    await setDvcConfig({ root: repo, values });
    const remote = await openRemote({ root: repo });
    const { error, ms } = await failure(remote.has('d751713988987e9331980363e24189ce'));
    expectTimedOut(error, silentEndpoint);
    expect(ms).toBeLessThan(5000);
    // The line is there already: the advice is to raise it, naming its value (it said to add the line).
    expect(error.message).toContain('raise read_timeout (now 0.3 seconds)');
    expect(error.message).not.toContain('add the line');
  });
});

describe('S3 remote: slow transfers', { timeout: 20_000 }, () => {
  it('a download whose bytes keep coming is not cut off, though it takes longer than the idle timeout', async () => {
    const remote = s3Remote({ name: 'storage', settings: settings(slowEndpoint), idleTimeoutMs: 300 });
    const file = path.join(base, 'slow.bin');
    const start = Date.now();
    await remote.get({ md5: slowMd5, file });
    expect(Date.now() - start).toBeGreaterThan(1000);
  });

  it('a download that stops in the middle is cut off after the idle timeout and named', async () => {
    const remote = s3Remote({ name: 'storage', settings: settings(slowEndpoint, 'stall'), idleTimeoutMs: 300 });
    const { error, ms } = await failure(remote.get({ md5: slowMd5, file: path.join(base, 'stalled.bin') }));
    expectTimedOut(error, slowEndpoint);
    expect(ms).toBeLessThan(10000);
  });

  it('a small download that stalls after its headers is started again (3 tries), and the message says so', async () => {
    stallingRequests = 0;
    const remote = s3Remote({ name: 'storage', settings: settings(stallingEndpoint), idleTimeoutMs: 300 });
    const md5 = 'd751713988987e9331980363e24189ce';
    const { error, ms } = await failure(remote.get({ md5, file: path.join(base, 'stalling.bin') }));
    expectTimedOut(error, stallingEndpoint);
    expect(stallingRequests).toBe(3);
    expect(error.message).toContain('0.3 s, 3 tries');
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(10000);
  });

  it('an error answer whose body stalls is not retried, and the message counts the one try made', async () => {
    stallingRequests = 0;
    const remote = s3Remote({ name: 'storage', settings: settings(stallingEndpoint, 'refuse'), idleTimeoutMs: 300 });
    const md5 = 'd751713988987e9331980363e24189ce';
    const { error } = await failure(remote.get({ md5, file: path.join(base, 'refused.bin') }));
    expectTimedOut(error, stallingEndpoint);
    expect(stallingRequests).toBe(1);
    expect(error.message).toContain('0.3 s, 1 try)');
    expect(error.message).not.toContain('3 tries');
  });
});
