import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';

/*
 * The tester's S3 server stopped during init's push: the progress said "1065/1808" and the warning
 * "1065 of 1807 files" (the progress counted data.dvc's folder list), and the warning said to run
 * "data push" twice. Real s3rver behind a proxy on 127.0.0.1 that stops answering after a few uploads.
 * Failed before.
 */

let root: string;
let server: S3rver;
let proxy: http.Server;
let port: number;
const PUTS_BEFORE_STOP = 4;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-push-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(root, 's3'),
    configureBuckets: [{ name: 'museum', configs: [] }],
  });
  const s3Port = ((await server.run()) as { port: number }).port;
  let puts = 0;
  let answered = 0;
  /*
   * The server stops once it has answered the uploads before: stopped at once, the uploads sent at the same time
   * could fail before any of those answers came (on a loaded machine), and the push would have sent nothing.
   */
  const stopping: (() => void)[] = [];
  proxy = http.createServer((req, res) => {
    if (req.method === 'PUT' && ++puts > PUTS_BEFORE_STOP) {
      const stop = () => req.socket.destroy(); // the server has stopped
      if (answered >= PUTS_BEFORE_STOP) stop();
      else stopping.push(stop);
      return;
    }
    const forward = http.request(
      { host: '127.0.0.1', port: s3Port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        res.on('finish', () => {
          if (req.method === 'PUT' && ++answered === PUTS_BEFORE_STOP) for (const stop of stopping.splice(0)) stop();
        });
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  port = (proxy.address() as { port: number }).port;
});
afterAll(async () => {
  proxy?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

it('init whose push stops: one count in the progress and the warning, and the push advice once', async () => {
  const from = (await copyEgyptExport({ dir: path.join(root, 'export'), pick: 12 })).dir;
  const museum = path.join(root, 'museum');
  await mkdir(museum);
  const log = memoryLogger();
  const code = await main(
    [
      'init',
      '--from',
      path.join(from, 'metadata.csv'),
      '--remote',
      's3://museum/collection',
      '--endpoint-url',
      `http://127.0.0.1:${port}`,
      '--access-key-id',
      'S3RVER',
      '--secret-access-key',
      'S3RVER',
    ],
    { cwd: museum, env: {}, stdout: () => {}, log, interactive: false },
  );
  const lines = log.lines.map((l) => `${l.level}: ${l.message}`);
  expect(code, lines.join('\n')).toBe(0);
  const progress = lines.find((l) => l.includes('Uploading to'));
  const warning = lines.find((l) => l.includes('could not be sent'));
  expect(progress, lines.join('\n')).toBeDefined();
  expect(warning, lines.join('\n')).toBeDefined();
  const [, done, total] = /(\d+)\/(\d+)/.exec(progress!)!;
  const [, sent, of] = /(\d+) of (\d+) files were sent/.exec(warning!) ?? [];
  expect(of, warning).toBe(total);
  expect(Number(sent)).toBeLessThanOrEqual(Number(done));
  expect(warning!.match(/data push/g), warning).toHaveLength(1);
}, 120_000);
