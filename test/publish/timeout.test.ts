import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { publishSite } from '../../pipeline/publish/s3.ts';
import { cleanup, silentServer, tempDir, writeTree } from '../data/helpers.ts';

/*
 * A storage server that accepts the connection and never answers (stopped, wedged, a broken proxy): the
 * publish gives up after the idle timeout and says what it was doing, with which server and bucket, how
 * long and how many times it waited, and what to do. It said only "did not answer (timeout)".
 */

let base: string;
let silent: Awaited<ReturnType<typeof silentServer>>;
let endpoint: string;

beforeAll(async () => {
  base = await tempDir('vitrine-publish-timeout-');
  silent = await silentServer();
  endpoint = silent.endpoint;
});
afterAll(async () => {
  silent?.close();
  await cleanup(base);
});

describe('publishing to a server that accepts and never answers', { timeout: 20_000 }, () => {
  it('gives up after the idle timeout, tried 3 times, and names what, where, how long and what to do', async () => {
    await writeTree(base, { 'index.html': '<!doctype html><title>Home</title>' });
    const start = Date.now();
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
      idleTimeoutMs: 300,
    }).then(
      () => new Error('published'),
      (e: Error) => e,
    );
    const ms = Date.now() - start;
    expect(isVitrineError(error, 'PUBLISH_UNAVAILABLE'), String(error)).toBe(true);
    expect(error.message).toContain(`The storage server at ${endpoint} did not answer`);
    expect(error.message).toContain('listing the files under museum/ in bucket "www"');
    expect(error.message).toContain('it sent nothing for 0.3 s, 3 tries');
    expect(error.message).toContain('Check that it is running and that this computer can reach it');
    expect(error.message).toContain('run "npx vitrine publish" again');
    expect(error.message).not.toMatch(/\btimed out\b|\(timeout\)/);
    expect((error as { data?: Record<string, unknown> }).data).toMatchObject({ bucket: 'www', endpoint });
    // Three tries of 0.3 s and the SDK's pauses between them; far less than forever.
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(10_000);
  });
});
