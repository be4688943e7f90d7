import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
import { main } from '../../pipeline/cli.ts';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';

/*
 * An address that is not S3 storage: a museum's website (a web page comes back), an https address of a server
 * without https, a certificate this computer does not trust. `data push` and `publish --check` gave the AWS SDK's
 * own words ("@aws-sdk XML parse error: mismatched tags <meta> and </head>", "write EPROTO …:wrong version
 * number:…"). Real servers on 127.0.0.1.
 */

let base: string;
const servers: (http.Server | https.Server)[] = [];
let website: string;
let plainAsHttps: string;
let untrusted: string;

const PAGE = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Museum</title></head><body>Hi</body></html>';

async function listen(server: http.Server | https.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  base = await tempDir('vitrine-not-storage-');
  const page = (_: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(404, { 'content-type': 'text/html' }).end(PAGE);
  };
  const port = await listen(http.createServer(page));
  website = `http://127.0.0.1:${port}`;
  plainAsHttps = `https://127.0.0.1:${port}`;
  // A certificate of its own, signed by nobody this computer trusts.
  const key = path.join(base, 'key.pem');
  const cert = path.join(base, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1'].concat([
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  const tls = https.createServer({ key: await readFile(key), cert: await readFile(cert) }, page);
  untrusted = `https://127.0.0.1:${await listen(tls)}`;
});
afterAll(async () => {
  for (const s of servers) s.close();
  await cleanup(base);
});

async function run(cwd: string, argv: string[], env: Record<string, string> = {}) {
  let text = '';
  const log = terminalLogger({ write: (t) => (text += t), isTTY: false });
  const code = await main(argv, { cwd, env, stdout: (t) => (text += t), log, interactive: false });
  return { code, text };
}

async function dataRepo(name: string, endpoint: string): Promise<string> {
  const repo = path.join(base, name);
  await writeTree(path.join(repo, 'data'), { 'images/a-1.jpg': 'photograph' });
  await initData({ root: repo, remoteName: 'storage', remoteUrl: `s3://museum/${name}` });
  await setDvcConfig({ root: repo, values: [{ section: 'remote "storage"', key: 'endpointurl', value: endpoint }] });
  await setDvcConfig({
    root: repo,
    local: true,
    values: [
      { section: 'remote "storage"', key: 'access_key_id', value: 'K' },
      { section: 'remote "storage"', key: 'secret_access_key', value: 'S' },
    ],
  });
  await writeFile(
    path.join(repo, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await addData({ root: repo, log: silentLogger });
  return repo;
}

async function publishRepo(name: string, endpoint: string): Promise<string> {
  const root = path.join(base, name);
  await writeTree(root, {
    'params.yaml': `catalogue:\n  publish: s3\n  s3:\n    endpoint: ${endpoint}\n    bucket: www\n`,
  });
  return root;
}
const keys = { VITRINE_PUBLISH_ACCESS_KEY_ID: 'K', VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'S' };

describe('an address that is not S3 storage', () => {
  it('a website: says it answered with something else than storage, and where the address is set', async () => {
    const push = await run(await dataRepo('web', website), ['data', 'push']);
    expect(push.code).toBe(1);
    expect(push.text).toContain(`The server at ${website} answered (HTTP 404), but not as S3 storage does`);
    expect(push.text).toContain('endpointurl under [\'remote "storage"\'] in .dvc/config');
    expect(push.text).not.toContain('@aws-sdk');
    const check = await run(await publishRepo('web-publish', website), ['publish', '--check'], keys);
    expect(check.code).toBe(1);
    expect(check.text).toContain(`The server at ${website} answered (HTTP 404), but not as S3 storage does`);
    expect(check.text).toContain('"catalogue.s3.endpoint" in params.yaml');
    expect(check.text).not.toContain('@aws-sdk');
  });

  it('a website answering every address with a page: never read as objects already there', async () => {
    // A reviewer: a console or single-page app answers HEAD and GET with 200 and a page; push said "1 already there".
    const everywhere = http.createServer((req, res) => {
      if (req.method === 'PUT') res.writeHead(405).end();
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag: 'W/"1"' }).end(PAGE);
    });
    const site = `http://127.0.0.1:${await listen(everywhere)}`;
    const repo = await dataRepo('app', site);
    const push = await run(repo, ['data', 'push']);
    expect(push.code).toBe(1);
    expect(push.text).toContain(`The server at ${site} answered (HTTP 200), but not as S3 storage does`);
    expect(push.text).not.toContain('already there');
    const status = await run(repo, ['data', 'status', '--remote']);
    expect(status.text).toContain('but not as S3 storage does');
    expect(status.text).not.toContain('has everything');
  });

  it('a server answering 200 “OK” to every address, without an ETag: not storage, never “already there”', async () => {
    // A tester (T4 F1): a load balancer or health page answered every HEAD with 200 text/plain; push said
    // "0 files uploaded, 1 already there" and status --remote "has everything" while nothing was stored.
    const ok = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
        res.end(req.method === 'HEAD' ? undefined : 'OK');
      });
    });
    const site = `http://127.0.0.1:${await listen(ok)}`;
    const repo = await dataRepo('ok', site);
    const push = await run(repo, ['data', 'push']);
    expect(push.code).toBe(1);
    expect(push.text).toContain(`The server at ${site} answered (HTTP 200), but not as S3 storage does`);
    expect(push.text).toContain('ETag');
    expect(push.text).not.toContain('already there');
    const status = await run(repo, ['data', 'status', '--remote']);
    expect(status.text).toContain('but not as S3 storage does');
    expect(status.text).not.toContain('has everything');
  });

  it('an object whose size on the remote is not the file’s: not a good copy, sent again', async () => {
    // HEAD answers with an ETag S3 gives a multipart upload (not the md5, so not compared) and 2 bytes.
    const puts: string[] = [];
    const short = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.method === 'PUT') puts.push(req.url ?? '');
        const headers = { 'content-type': 'application/octet-stream', etag: '"0123456789abcdef-2"' };
        if (req.method === 'HEAD') res.writeHead(200, { ...headers, 'content-length': 2 }).end();
        else res.writeHead(200, headers).end();
      });
    });
    const site = `http://127.0.0.1:${await listen(short)}`;
    const repo = await dataRepo('short', site);
    const status = await run(repo, ['data', 'status', '--remote']);
    expect(status.text).not.toContain('has everything');
    // Sent again; and since this server keeps nothing (its HEAD still says 2 bytes), the upload is refused, not
    // counted (its ETag, of parts, cannot be compared, so the size is asked for).
    const push = await run(repo, ['data', 'push']);
    expect(puts.length).toBeGreaterThan(0);
    expect(push.code).toBe(1);
    expect(push.text).toMatch(/answered that it stored .*, but it holds 2 bytes under that name, not the file’s 10/s);
    expect(push.text).not.toContain('1 file uploaded');
  });

  it('an address with a user name and password in it is shown without them, as git shows one', async () => {
    // A tester (T4 F6): endpointurl = http://admin:TopSecretPw@host (a proxy’s login) was printed whole in every
    // message, which a CI log keeps.
    const closed = http.createServer();
    const port = await listen(closed);
    closed.close();
    const secret = `http://admin:TopSecretPw@127.0.0.1:${port}`;
    const status = await run(await dataRepo('secret', secret), ['data', 'status', '--remote']);
    expect(status.code).toBe(1);
    expect(status.text).toContain(`The storage server at http://127.0.0.1:${port} did not answer`);
    expect(status.text).not.toContain('TopSecretPw');
    expect(status.text).not.toContain('admin');
    const check = await run(await publishRepo('secret-publish', secret), ['publish', '--check'], keys);
    expect(check.code).toBe(1);
    expect(check.text).toContain(`http://127.0.0.1:${port}`);
    expect(check.text).not.toContain('TopSecretPw');
  });

  it('https:// to a server without https: says to write http://, or check the port', async () => {
    const push = await run(await dataRepo('tls', plainAsHttps), ['data', 'push']);
    expect(push.code).toBe(1);
    expect(push.text).toContain(`The address ${plainAsHttps} starts with https://, but the server there does not`);
    expect(push.text).not.toContain('EPROTO');
    const check = await run(await publishRepo('tls-publish', plainAsHttps), ['publish', '--check'], keys);
    expect(check.code).toBe(1);
    expect(check.text).toContain(`The address ${plainAsHttps} starts with https://, but the server there does not`);
    expect(check.text).toContain('"catalogue.s3.endpoint" in params.yaml');
  });

  it('publish --check, stopped by a server that does not answer, says to run the check again', async () => {
    const closed = http.createServer();
    const port = await listen(closed);
    closed.close();
    const check = await run(
      await publishRepo('down-publish', `http://127.0.0.1:${port}`),
      ['publish', '--check'],
      keys,
    );
    expect(check.code).toBe(1);
    expect(check.text).toContain('refused the connection (ECONNREFUSED)');
    expect(check.text).toContain('then run "npx vitrine publish --check" again.');
  });

  it('a certificate this computer does not trust: names it, and how to trust the museum’s own', async () => {
    const push = await run(await dataRepo('cert', untrusted), ['data', 'push']);
    expect(push.code).toBe(1);
    expect(push.text).toContain(`The server at ${untrusted} showed a certificate this computer does not trust`);
    expect(push.text).toContain('NODE_EXTRA_CA_CERTS');
    const check = await run(await publishRepo('cert-publish', untrusted), ['publish', '--check'], keys);
    expect(check.code).toBe(1);
    expect(check.text).toContain(`The server at ${untrusted} showed a certificate this computer does not trust`);
  });
});
