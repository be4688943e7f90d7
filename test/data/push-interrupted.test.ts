import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addData, pushData } from '../../pipeline/data/index.ts';
import { s3Error } from '../../pipeline/data/remote.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * A push that stops half-way says how much was already sent and that running it again continues; an S3
 * key problem names the files and environment variables Vitrine reads, never a "dvc" command staff lack.
 */

let server: http.Server;
let endpoint: string;
let acceptPuts = 3;
let root: string;
/** Objects stored, with their sizes: a HEAD answers an object's size, as S3 does (an empty one is a damaged copy). */
const stored = new Map<string, string>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const key = req.url ?? '';
    req.resume();
    req.on('end', () => {
      if (req.method === 'PUT') {
        if (stored.size >= acceptPuts) {
          res.socket?.destroy(); // the server dies mid-push
          return;
        }
        stored.set(key, String(req.headers['content-length'] ?? '0'));
        res.writeHead(200);
        res.end();
        return;
      }
      // The bucket itself (its check) is there; an object is there once stored.
      const isBucket = key.split('?')[0]!.split('/').filter(Boolean).length <= 1;
      // As every S3 server, an object's ETag (a multipart one here: the md5 is not known to this stand-in).
      const etag = stored.has(key) ? { etag: '"0123456789abcdef0123456789abcdef-1"' } : {};
      res.writeHead(isBucket || stored.has(key) ? 200 : 404, { 'content-length': stored.get(key) ?? '0', ...etag });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  root = await tempDir();
});
afterAll(async () => {
  server?.close();
  await cleanup(root);
});

describe('an interrupted push', () => {
  it('says how many files were already sent and that running it again continues', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 10; i++) files[`images/A${i}.jpg`] = `image ${i}`;
    await writeTree(path.join(root, 'data'), files);
    await mkdir(path.join(root, '.dvc'), { recursive: true });
    await writeFile(
      path.join(root, '.dvc', 'config'),
      `[core]\n    remote = storage\n['remote "storage"']\n    url = s3://museum/data\n    endpointurl = ${endpoint}\n` +
        '    access_key_id = K\n    secret_access_key = S\n',
    );
    await addData({ root, log: silentLogger });
    const error = await pushData({ root, log: silentLogger, jobs: 1 }).then(
      () => new Error('the push succeeded'),
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/3 of 10 files were sent before it stopped/);
    expect(error.message).toMatch(/run "npx vitrine data push" again/);
    acceptPuts = 100;
    const done = await pushData({ root, log: silentLogger, jobs: 1 });
    expect(done).toEqual({ transferred: 7, skipped: 3 });
  });
});

describe('S3 key messages', () => {
  const base = { remote: 'storage', endpoint: 'http://s3.example', bucket: 'museum', action: 'check', md5: '(all)' };
  for (const [what, error] of [
    ['a wrong key', Object.assign(new Error('The key is not known'), { name: 'InvalidAccessKeyId' })],
    [
      'no key',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
    ],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ] as const) {
    it(`${what}: names .dvc/config.local and the environment variables, not a dvc command`, () => {
      const message = s3Error({ ...base, error }).message;
      expect(message).not.toMatch(/dvc remote/);
      expect(message).toMatch(what === 'a timeout' ? /read_timeout = SECONDS.*\.dvc\/config/ : /\.dvc\/config\.local/);
      if (what !== 'a timeout') expect(message).toMatch(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
    });
  }
});
