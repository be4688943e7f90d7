import { createHash, randomBytes } from 'node:crypto';
import { cp } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
import { main } from '../../pipeline/cli.ts';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { addData, pullData, pushData } from '../../pipeline/data/index.ts';
import { isVitrineError, type VitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cloneTracked, readTree, writeTree } from './helpers.ts';
import { s3Repo, s3ServerForFile } from './s3-fixture.ts';

/*
 * An upload answered "200 OK" by something that stored nothing, or other bytes (a gateway or proxy in front of the
 * storage that drops request bodies, a server gone wrong), counted as sent: only `data push --verify` found it. One
 * PUT's ETag is the md5 of the bytes the server stored, and the object's id is that md5: a push compares them. Where
 * they differ, or the ETag cannot be compared (none; an object encrypted with a KMS or customer key; an ETag of parts),
 * the push asks the server for the object's size, and refuses, naming the remote and the file, when it does not hold
 * the file at its size (some servers' ETags are not the md5 by design: another ETag alone is no proof, reviewer V9). A proxy on
 * 127.0.0.1 in front of a real s3rver answers the PUTs; everything else passes through.
 */

const s3 = s3ServerForFile('vitrine-s3-put-');
const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');
const PHOTO = `JPEG ${'photograph of a bowl '.repeat(50)}`;
const FILES = { 'images/DM-1001.jpg': PHOTO, 'objects.csv': 'id,title\nDM-1001,Bowl\n' };

type PutAnswer =
  /** Read the body, keep nothing, answer 200 with these headers. */
  | { drop: Record<string, string> }
  /** Pass the PUT to s3rver, then answer with its status and these headers in place of its own. */
  | { pass: Record<string, string> };

const proxies: { close: () => void }[] = [];
/** Listings a proxy rewrote as a bucket encrypting with a KMS key lists them. */
let listings = 0;
afterEach(() => {
  for (const p of proxies.splice(0)) p.close();
});

/** A proxy in front of s3rver whose answer to each PUT of a photograph or list is `answer` (other PUTs pass). */
async function putProxy(answer: PutAnswer, heads: Record<string, string> = {}): Promise<string> {
  const upstream = new URL(s3.endpoint);
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const put = req.method === 'PUT' && /\/files\/md5\//.test(req.url ?? '');
    if (put && 'drop' in answer) {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-length': '0', ...answer.drop }).end());
      return;
    }
    const pass = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (reply) => {
        const headers = { ...reply.headers };
        if (put && 'pass' in answer) {
          delete headers.etag;
          Object.assign(headers, answer.pass);
        }
        // What an encrypting server says of an object it holds: `heads` in place of s3rver's ETag.
        if (req.method === 'HEAD' && reply.statusCode === 200 && /\/files\/md5\//.test(req.url ?? '') && heads.etag) {
          delete headers.etag;
          Object.assign(headers, heads);
        }
        // And in a listing: every ETag another 32 hex digits (what S3 lists for objects encrypted with a KMS key).
        if (req.method === 'GET' && heads.etag && /[?&]prefix=/.test(req.url ?? '')) {
          listings++;
          const chunks: Buffer[] = [];
          reply.on('data', (chunk: Buffer) => chunks.push(chunk));
          reply.on('end', () => {
            const text = Buffer.concat(chunks)
              .toString('utf8')
              .replace(/(<ETag>(?:&quot;|")?)[0-9a-f]{32}/g, (_, open) => `${open}${randomBytes(16).toString('hex')}`);
            res.writeHead(reply.statusCode ?? 502, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
            res.end(text);
          });
          return;
        }
        res.writeHead(reply.statusCode ?? 502, headers);
        reply.pipe(res);
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
  proxies.push({
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let repos = 0;
/** A repository with FILES added, whose remote "museum-s3" (its own folder of s3rver's bucket) is reached at `via`. */
async function repoVia(via: string): Promise<string> {
  const repo = await s3Repo({ s3, name: `museum-${++repos}` });
  await setDvcConfig({ root: repo, values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: via }] });
  await writeTree(path.join(repo, 'data'), FILES);
  await addData({ root: repo, log: silentLogger });
  return repo;
}

async function run(cwd: string, argv: string[]) {
  let text = '';
  const log = terminalLogger({ write: (t) => (text += t), isTTY: false });
  const code = await main(argv, { cwd, env: {}, stdout: (t) => (text += t), log, interactive: false });
  return { code, text: text.replace(/\s+/g, ' ') };
}

/** What a refused upload must say: the remote, the server, the file, and that the push does not count as done. */
async function expectRefused(repo: string, via: string, why: RegExp) {
  const push = await run(repo, ['data', 'push']);
  expect(push.code).toBe(1);
  expect(push.text).toContain(`The storage server at ${via} answered that it stored`);
  expect(push.text).toContain('remote "museum-s3"');
  expect(push.text).toMatch(/data\/(images\/DM-1001\.jpg|objects\.csv) \(object [0-9a-f]{32}\)/);
  expect(push.text).toMatch(why);
  expect(push.text).toContain('the file is still in the local cache, and the push does not count as done');
  expect(push.text).not.toMatch(/Pushed to|uploaded, \d+ already there/);
  const error = await pushData({ root: repo, log: silentLogger }).catch((e: unknown) => e);
  expect(isVitrineError(error, 'REMOTE_UPLOAD_NOT_STORED'), String(error)).toBe(true);
  expect((error as VitrineError).data).toMatchObject({ remote: 'museum-s3', endpoint: via });
  // Nothing was taken as sent: status does not say the remote holds this version.
  const status = await run(repo, ['data', 'status', '--remote']);
  expect(status.text).not.toContain('has everything');
  return push.text;
}

describe('an upload answered “stored” by a server that stored nothing, or other bytes', () => {
  it('a gateway that drops the body and answers 200 with the ETag of nothing: refused, naming remote and file', async () => {
    const via = await putProxy({ drop: { etag: `"${md5('')}"` } });
    const text = await expectRefused(await repoVia(via), via, /ETag d41d8cd98f00b204e9800998ecf8427e/);
    expect(text).toContain('is not the file’s');
  });

  it('a server that answers 200 with a wrong ETag: refused, naming remote, file and both checksums', async () => {
    const other = md5('another photograph');
    const via = await putProxy({ drop: { etag: `"${other}"` } });
    const repo = await repoVia(via);
    const text = await expectRefused(repo, via, new RegExp(`ETag ${other}`));
    expect(text).toMatch(/is not the file’s \([0-9a-f]{32}\)/);
  });

  it('a server that answers 200 without an ETag and holds nothing: refused, since it does not hold the file', async () => {
    const via = await putProxy({ drop: {} });
    await expectRefused(await repoVia(via), via, /it does not hold it/);
  });

  it('an ETag that is not an md5 (KMS encryption) and nothing stored: refused, since it does not hold the file', async () => {
    const via = await putProxy({
      drop: { etag: `"${randomBytes(16).toString('hex')}"`, 'x-amz-server-side-encryption': 'aws:kms' },
    });
    await expectRefused(await repoVia(via), via, /it does not hold it/);
  });
});

describe('an upload whose ETag is not an md5 by design', () => {
  for (const [what, headers] of [
    [
      'an object encrypted with a KMS key',
      () => ({ etag: `"${randomBytes(16).toString('hex')}"`, 'x-amz-server-side-encryption': 'aws:kms' }),
    ],
    [
      'an object encrypted with the customer’s key (SSE-C)',
      () => ({
        etag: `"${randomBytes(16).toString('hex')}"`,
        'x-amz-server-side-encryption-customer-algorithm': 'AES256',
      }),
    ],
    ['an ETag in the form of a multipart upload', () => ({ etag: `"${randomBytes(16).toString('hex')}-1"` })],
    // Reviewer V9: refused before, which stopped every push there. Huawei OBS: an encrypted object's ETag is the md5
    // of the ciphertext; its SSE-KMS says "kms", its own encryption "AES256" (as S3's default, whose ETag is the md5).
    [
      'Huawei OBS, a bucket encrypting with SSE-KMS',
      () => ({ etag: `"${randomBytes(16).toString('hex')}"`, 'x-amz-server-side-encryption': 'kms' }),
    ],
    [
      'Huawei OBS, a bucket encrypting with SSE-OBS (AES256)',
      () => ({ etag: `"${randomBytes(16).toString('hex')}"`, 'x-amz-server-side-encryption': 'AES256' }),
    ],
    [
      'Google Cloud Storage with a Cloud KMS key (CMEK)',
      () => ({
        etag: `"${randomBytes(16).toString('hex')}"`,
        'x-goog-encryption-kms-key-name': 'projects/p/locations/eu/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1',
      }),
    ],
    // No header says why: the size the server holds decides.
    [
      'an ETag of 32 hex digits that is not the md5, no header',
      () => ({ etag: `"${randomBytes(16).toString('hex')}"` }),
    ],
  ] as const) {
    it(`is accepted once the server holds it at the file’s size: ${what}`, async () => {
      const via = await putProxy({ pass: headers() });
      const repo = await repoVia(via);
      const push = await run(repo, ['data', 'push']);
      expect(push.text).toContain('2 files uploaded, 0 already there');
      expect(push.code).toBe(0);
      const clone = path.join(s3.base, `clone-${repos}`);
      await cloneTracked(repo, clone);
      await cp(path.join(repo, '.dvc', 'config.local'), path.join(clone, '.dvc', 'config.local'));
      await pullData({ root: clone, log: silentLogger });
      expect(await readTree(path.join(clone, 'data'))).toEqual(FILES);
    });
  }

  it('an object encrypted with a KMS key is not sent again by the next push (its ETag is not its md5)', async () => {
    const kms = () => ({ etag: `"${randomBytes(16).toString('hex')}"`, 'x-amz-server-side-encryption': 'aws:kms' });
    const via = await putProxy({ pass: kms() }, kms());
    const repo = await repoVia(via);
    expect((await run(repo, ['data', 'push'])).text).toContain('2 files uploaded, 0 already there');
    expect((await run(repo, ['data', 'push'])).text).toContain('0 files uploaded, 2 already there');
  });

  it('a bucket encrypting with a KMS key: a large push (one listing) does not send every object again', async () => {
    // The listing cannot say why an ETag is not the md5 (a damaged copy, or encryption): each such object is asked.
    const kms = () => ({ etag: `"${randomBytes(16).toString('hex')}"`, 'x-amz-server-side-encryption': 'aws:kms' });
    const via = await putProxy({ pass: kms() }, kms());
    const repo = await s3Repo({ s3, name: `museum-${++repos}` });
    await setDvcConfig({ root: repo, values: [{ section: 'remote "museum-s3"', key: 'endpointurl', value: via }] });
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`images/DM-${i}.jpg`, `photograph ${i}`]));
    await writeTree(path.join(repo, 'data'), many);
    await addData({ root: repo, log: silentLogger });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 70, skipped: 0 });
    const before = listings;
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 0, skipped: 70 });
    expect(listings).toBeGreaterThan(before);
  });
});
