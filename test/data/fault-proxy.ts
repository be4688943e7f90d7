import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/*
 * A proxy on 127.0.0.1 in front of a storage server (s3rver) that lets the first `after` requests through, then
 * fails the next ones as a server in trouble does: it never answers ('hang'), cuts the connection ('reset'), or
 * answers with an S3 error (500 InternalError, 503 SlowDown), or passes a photograph's bytes on with one changed
 * ('flip': a proxy or an antivirus rewriting downloads; folder lists pass unchanged). Only requests whose method is in `methods` are
 * counted and failed (all when absent); the others always pass. After an outside tester's fault proxy.
 */

export interface FaultProxy {
  /** "http://127.0.0.1:PORT" */
  endpoint: string;
  /** Resolves once `n` requests are being held without an answer ('hang'). */
  holding(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function faultProxy({
  target,
  after,
  mode,
  methods,
}: {
  /** The server behind it, "http://127.0.0.1:PORT". */
  target: string;
  after: number;
  mode: 'hang' | 'reset' | 500 | 503 | 'flip';
  methods?: string[];
}): Promise<FaultProxy> {
  const upstream = new URL(target);
  let counted = 0;
  let held = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const counts = !methods || methods.includes(req.method ?? '');
    const flips =
      mode === 'flip' && req.method === 'GET' && /\/files\/md5\/[0-9a-f]{2}\/[0-9a-f]{30}$/.test(req.url ?? '');
    if (counts && ++counted > after && mode !== 'flip') {
      if (mode === 'hang') {
        held++;
        for (const w of waiters.filter((w) => held >= w.n)) w.resolve();
        return;
      }
      if (mode === 'reset') return void req.socket.destroy();
      const code = mode === 503 ? 'SlowDown' : 'InternalError';
      req.resume();
      res.writeHead(mode, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0"?><Error><Code>${code}</Code><Message>injected</Message></Error>`);
      return;
    }
    const pass = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!(flips && counted > after && answer.statusCode === 200)) return void answer.pipe(res);
        let first = true;
        answer.on('data', (chunk: Buffer) => {
          if (first && chunk.length > 0) chunk[0] ^= 0xff;
          first = false;
          res.write(chunk);
        });
        answer.on('end', () => res.end());
      },
    );
    pass.on('error', () => res.destroy());
    req.pipe(pass);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holding: (n) => (held >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
