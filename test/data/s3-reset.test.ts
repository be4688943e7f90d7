import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Remote } from '../../pipeline/data/remote.ts';
import { isVitrineError } from '../../pipeline/errors.ts';

/*
 * A server (or a broken proxy, or a firewall) that cuts every connection at once, before any answer. The AWS SDK,
 * which makes a listing, names such an error "TimeoutError" though nothing waited; the message must say the
 * connection was closed, not that the server was silent for a minute, and must not advise a longer wait, which
 * cannot help. After an outside tester: "it sent nothing for 60 s, 3 tries", printed after 4 s.
 */

let server: net.Server;
let endpoint: string;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    // The request arrives, and the connection is reset (a TCP RST) instead of answered.
    socket.once('data', () => socket.resetAndDestroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const remote = () =>
  s3Remote({
    name: 'storage',
    settings: {
      url: 's3://museum/collection',
      endpointurl: endpoint,
      access_key_id: 'KEY',
      secret_access_key: 'SECRET',
      region: 'us-east-1',
    },
    idleTimeoutMs: 60_000,
  });

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => new Error('it did not fail'),
    (e: Error) => e,
  );
}

function expectClosed(error: Error) {
  expect(isVitrineError(error, 'REMOTE_UNAVAILABLE'), String(error)).toBe(true);
  expect(error.message).toContain(
    `The storage server at ${endpoint} closed the connection without answering (remote "storage", ECONNRESET).`,
  );
  expect(error.message).not.toContain('60 s');
  expect(error.message).not.toContain('sent nothing');
  expect(error.message).not.toContain('read_timeout');
  expect((error as { data?: { reason?: string } }).data?.reason).toBe('ECONNRESET');
}

describe('S3 remote: a server that resets every connection', { timeout: 30_000 }, () => {
  it('a listing (the AWS SDK) says the connection was closed, not that it waited 60 s', async () => {
    expectClosed(await failure(remote().list!()));
  });

  it('a check (our own client) says the same', async () => {
    expectClosed(await failure(remote().has('d751713988987e9331980363e24189ce')));
  });
});
