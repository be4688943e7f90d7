import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addData, pushData, s3Remote } from '../../pipeline/data/index.ts';
import { s3Error } from '../../pipeline/data/remote.ts';
import { refusalClock, S3ResponseError } from '../../pipeline/data/s3-objects.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { openModelRemote } from '../../pipeline/registry/remote.ts';
import { cleanup, tempDir, writeTree } from './helpers.ts';
import { type SkewedS3, skewedConfig, skewedS3 } from './skewed-s3.ts';

/*
 * A computer whose clock is off from the storage server's by more than 15 minutes (a runner without NTP, a VM
 * restored from a snapshot) signs every request with a time the server refuses: 403 RequestTimeTooSkewed, and for a
 * HEAD (no body) a bare 403 whose Date header shows the server's time. As the AWS SDKs do, the request is signed
 * again with the server's time (its Date header) and sent again, and the log says this computer's clock is off.
 * When that fails too, the message must say the clocks differ and by how much, not send the maintainer to change an
 * access key that works. After outside testers.
 * The storage server: test/data/skewed-s3.ts.
 */

let s3: SkewedS3;
let endpoint: string;
let base: string;

beforeAll(async () => {
  base = await tempDir('vitrine-clock-skew-');
  s3 = await skewedS3({ skewMs: 0 });
  endpoint = s3.endpoint;
});
afterAll(async () => {
  await s3?.close();
  await cleanup(base);
});

/** The server's clock minus this computer's, and its other refusals (test/data/skewed-s3.ts). */
function server({
  skewMs = 0,
  deny = false,
  stubborn = false,
}: {
  skewMs?: number;
  deny?: boolean;
  stubborn?: boolean;
}) {
  Object.assign(s3, { skewMs, deny, stubborn });
}

const settings = () => ({
  url: 's3://museum/collection',
  endpointurl: endpoint,
  access_key_id: 'KEY',
  secret_access_key: 'SECRET',
  region: 'us-east-1',
});
const remote = (log = silentLogger) => s3Remote({ name: 'storage', settings: settings(), env: {}, log });

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('it did not fail'),
    (e: Error) => e,
  );

function expectSkew(error: Error, words: string) {
  expect(isVitrineError(error, 'REMOTE_CLOCK_SKEW'), String(error)).toBe(true);
  expect(error.message).toContain(`This computer's clock is ${words} the storage server's at ${endpoint}`);
  expect(error.message).toContain("Set this computer's date and time");
  expect(error.message).not.toContain('access key');
  expect(error.message).not.toContain('permission');
}

async function pushTree(name: string, log = silentLogger) {
  const root = path.join(base, name);
  await writeTree(path.join(root, 'data'), { 'images/A1.jpg': `one ${name}`, 'images/A2.jpg': `two ${name}` });
  await writeTree(path.join(root, '.dvc'), { config: skewedConfig(endpoint) });
  await addData({ root, log: silentLogger });
  return pushData({ root, log, jobs: 1 });
}

const clockLines = (log: ReturnType<typeof memoryLogger>) =>
  log.lines.filter((l) => /clock/.test(l.message)).map((l) => `${l.level}: ${l.message}`);

describe('S3 remote: this computer’s clock is far from the server’s', { timeout: 30_000 }, () => {
  it('a check (HEAD, no body) is sent again with the server’s time, and the log says the clock is off', async () => {
    server({ skewMs: 20 * 60_000 });
    const log = memoryLogger();
    const r = remote(log);
    expect(await r.has('d751713988987e9331980363e24189ce')).toBe(false);
    expect(await r.has('d751713988987e9331980363e24189cf')).toBe(false);
    expect(clockLines(log)).toEqual([
      'warn: This computer\'s clock is 20 minutes off; used the storage server\'s time (remote "storage" at ' +
        `${endpoint}). Set this computer's date and time (turn on automatic time, NTP).`,
    ]);
  });

  it('a listing (the AWS SDK corrects its clock itself) says so in the log too', async () => {
    server({ skewMs: 20 * 60_000 });
    const log = memoryLogger();
    expect(await remote(log).list!()).toEqual(new Map());
    expect(clockLines(log)).toEqual([expect.stringMatching(/^warn: This computer's clock is 20 minutes off; used/)]);
  });

  it('a push is sent with the server’s time, saying so once in its log', async () => {
    server({ skewMs: -20 * 60_000 });
    const log = memoryLogger();
    await pushTree('push', log);
    expect([...s3.stored.keys()].filter((k) => k.startsWith('/museum/collection/files/md5/')).length).toBe(3);
    expect(clockLines(log)).toHaveLength(1);
    expect(clockLines(log)[0]).toMatch(/^warn: This computer's clock is 20 minutes off; used the storage server's/);
  });

  it('a push refused again with the server’s time names the clocks, not a permission', async () => {
    server({ skewMs: -20 * 60_000, stubborn: true });
    expectSkew(await failure(pushTree('push-refused')), '20 minutes ahead of');
  });

  it('a bare 403 from a server whose clock agrees is still about the key', async () => {
    server({ deny: true });
    const error = await failure(remote().has('d751713988987e9331980363e24189ce'));
    expect(isVitrineError(error, 'REMOTE_ACCESS_DENIED'), String(error)).toBe(true);
  });
});

const xmlError = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}.</Message></Error>`;
const at = (ms: number) => new Date(ms).toUTCString();
/** Requests of `method` to objects (not the bucket), one entry per key, with how many times each was received. */
const sentTimes = (method: string) => {
  const counts = new Map<string, number>();
  for (const r of s3.received.filter((r) => r.startsWith(`${method} /museum/collection/`)))
    counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts.values()];
};

describe('S3 remote: a refusal is put down to the clocks only when it is about them (review V)', {
  timeout: 30_000,
}, () => {
  const reset = () => {
    server({});
    s3.received.length = 0;
  };
  afterAll(() => {
    s3.override = undefined;
  });

  it('an upload refused for another reason is not sent again, whatever the server’s Date says', async () => {
    reset();
    // A key that may not write, answered by a server whose Date is 20 minutes ahead (and, for a slow upload, an
    // answer that came long after the request was signed): not the clocks.
    s3.override = (req, now) =>
      req.method === 'PUT'
        ? {
            status: 403,
            headers: { 'content-type': 'application/xml', date: at(now + 20 * 60_000) },
            body: xmlError('AccessDenied'),
          }
        : undefined;
    const log = memoryLogger();
    const error = await failure(pushTree('denied-put', log));
    expect(isVitrineError(error, 'REMOTE_ACCESS_DENIED'), String(error)).toBe(true);
    expect(sentTimes('PUT').length).toBeGreaterThan(0);
    expect(sentTimes('PUT').every((n) => n === 1)).toBe(true);
    expect(clockLines(log)).toEqual([]);
  });

  it('an upload refused as too old while the clocks agree is not sent again, nor blamed on the clock', async () => {
    reset();
    // What a 1 GB photograph through a proxy that holds the whole body meets: RequestTimeTooSkewed, the clocks equal.
    s3.override = (req, now) =>
      req.method === 'PUT'
        ? {
            status: 403,
            headers: { 'content-type': 'application/xml', date: at(now) },
            body: xmlError('RequestTimeTooSkewed'),
          }
        : undefined;
    const log = memoryLogger();
    const error = await failure(pushTree('too-slow', log));
    expect(isVitrineError(error, 'REMOTE_TOO_SLOW'), String(error)).toBe(true);
    expect(error.message).toContain(`The storage server at ${endpoint} refused`);
    expect(error.message).toContain('reached it too long after it was signed');
    expect(error.message).toContain("this computer's clock agrees with the server's");
    expect(error.message).not.toContain('0 minutes');
    expect(error.message).not.toContain("Set this computer's date");
    expect(sentTimes('PUT').every((n) => n === 1)).toBe(true);
    expect(clockLines(log)).toEqual([]);
  });

  it('a proxy’s web page (403) dated 1970 does not move the clock', async () => {
    reset();
    s3.override = (req) =>
      req.method === 'HEAD'
        ? { status: 403, headers: { 'content-type': 'text/html', date: 'Thu, 01 Jan 1970 00:00:00 GMT' } }
        : undefined;
    const log = memoryLogger();
    const error = await failure(remote(log).has('d751713988987e9331980363e24189ce'));
    expect(isVitrineError(error, 'REMOTE_NOT_STORAGE'), String(error)).toBe(true);
    expect(sentTimes('HEAD')).toEqual([1]);
    expect(clockLines(log)).toEqual([]);
  });

  for (const [what, date] of [
    ['absurd (1970)', 'Thu, 01 Jan 1970 00:00:00 GMT'],
    ['more than a year away', at(Date.now() + 400 * 86_400_000)],
    ['not an HTTP date', new Date(Date.now() + 20 * 60_000).toISOString()],
  ]) {
    it(`a bare 403 on a check whose Date is ${what} is the key’s refusal, not the clock’s`, async () => {
      reset();
      s3.override = (req) => (req.method === 'HEAD' ? { status: 403, headers: { date } } : undefined);
      const log = memoryLogger();
      const error = await failure(remote(log).has('d751713988987e9331980363e24189ce'));
      expect(isVitrineError(error, 'REMOTE_ACCESS_DENIED'), String(error)).toBe(true);
      expect(sentTimes('HEAD')).toEqual([1]);
      expect(clockLines(log)).toEqual([]);
    });
  }

  it('after a correction, a bare 403 on a check again is the key’s permission, said so', async () => {
    reset();
    s3.override = undefined;
    server({ skewMs: 20 * 60_000, deny: true });
    const log = memoryLogger();
    const error = await failure(remote(log).has('d751713988987e9331980363e24189ce'));
    expect(isVitrineError(error, 'REMOTE_ACCESS_DENIED'), String(error)).toBe(true);
    expect(error.message).toContain("signed with the server's own time");
    expect(error.message).toContain('may not have permission for bucket "museum"');
    expect(error.message).not.toContain("Set this computer's date");
    expect(sentTimes('HEAD')).toEqual([2]);
    expect(clockLines(log)).toHaveLength(1);
  });

  it('the server’s time is compared with the time its answer came, not the time the request was signed', () => {
    const min = 60_000;
    // A slow upload (17 minutes) with the clocks equal: late, not the clocks (no re-send).
    expect(refusalClock({ serverTime: 17 * min, signedAt: 0, arrivedAt: 17 * min, offsetMs: 0 })).toBe('late');
    // Clocks 20 minutes apart, a quick request: signed again with the server’s time.
    expect(refusalClock({ serverTime: 20 * min, signedAt: 0, arrivedAt: 0, offsetMs: 0 })).toBe('skewed');
    // The same, already corrected, then a slow upload: late.
    expect(refusalClock({ serverTime: 37 * min, signedAt: 0, arrivedAt: 17 * min, offsetMs: 20 * min })).toBe('late');
    // Corrected and quick, refused again: the clocks are apart (a server that refuses its own time).
    expect(refusalClock({ serverTime: 20 * min, signedAt: 0, arrivedAt: 0, offsetMs: 20 * min })).toBe('apart');
  });
});

describe('S3 remote: the model registry’s files say the clock too (review V12)', { timeout: 30_000 }, () => {
  it('the remote a promotion or "models push --files" opens says the clock was corrected in their log', async () => {
    server({ skewMs: 20 * 60_000 });
    s3.override = undefined;
    const root = path.join(base, 'registry');
    await writeTree(path.join(root, '.dvc'), { config: skewedConfig(endpoint) });
    const log = memoryLogger();
    const store = await openModelRemote({ ws: workspace(root), log });
    expect(await store.has('d751713988987e9331980363e24189ce')).toBe(false);
    expect(clockLines(log)).toEqual([expect.stringMatching(/^warn: This computer's clock is 20 minutes off; used/)]);
  });
});

describe('S3 remote: an upload too slow for the server, in words (review V5)', () => {
  const slow = (clockOffsetMs: number) => {
    const error = new S3ResponseError('RequestTimeTooSkewed', 'too skewed', 403);
    [error.lateMs, error.clockOffsetMs] = [17 * 60_000, clockOffsetMs];
    const md5 = 'd751713988987e9331980363e24189ce';
    return s3Error({
      remote: 'storage',
      endpoint: 'https://s3.museum.example',
      bucket: 'museum',
      action: 'upload',
      md5,
      error,
    });
  };

  it('says how long it took, and that the clocks are not the cause', () => {
    const error = slow(2_000);
    expect(isVitrineError(error, 'REMOTE_TOO_SLOW')).toBe(true);
    expect(error.message).toContain('the request reached it 17 minutes after it was signed, more than the 15 minutes');
    expect(error.message).toContain("this computer's clock agrees with the server's");
  });

  it('after a correction, says the upload carried the server’s own time (the clock does not agree)', () => {
    const error = slow(20 * 60_000);
    expect(error.message).toContain("it was signed with the server's own time");
    expect(error.message).not.toContain('agrees');
  });
});
