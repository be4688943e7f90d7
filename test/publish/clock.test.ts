import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { checkPublishTarget, publishSite } from '../../pipeline/publish/s3.ts';
import type { PublishTarget } from '../../pipeline/publish/settings.ts';
import { cleanup, tempDir, writeTree } from '../data/helpers.ts';
import { type SkewedS3, skewedS3 } from '../data/skewed-s3.ts';

/*
 * The catalogue's bucket on a server whose clock is 20 minutes ahead of this computer's: the AWS SDK signs again with
 * the server's time and the site is published, as the data remote does. The data remote says so in its log (set the
 * clock); `vitrine publish` said nothing, so a runner without NTP went on unnoticed. Now it says so, once.
 */

let s3: SkewedS3;
let base: string;
beforeAll(async () => {
  s3 = await skewedS3({ skewMs: 20 * 60_000 });
  base = await tempDir('vitrine-publish-clock-');
});
afterAll(async () => {
  await s3?.close();
  await cleanup(base);
});

const target = (): PublishTarget => ({
  bucket: 'www',
  prefix: 'museum',
  endpoint: s3.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'KEY', secretAccessKey: 'SECRET' },
  imageBaseUrl: '',
  base: '/',
  jobs: 4,
});
const clockLines = (log: ReturnType<typeof memoryLogger>) =>
  log.lines.filter((l) => /clock/.test(l.message)).map((l) => `${l.level}: ${l.message}`);

describe('publishing the catalogue to a server whose clock differs', { timeout: 60_000 }, () => {
  it('publishes with the server’s time and says once that this computer’s clock is off', async () => {
    const pages = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [`objects/o${i}/index.html`, `<!doctype html><title>${i}</title>`]),
    );
    await writeTree(base, { 'index.html': '<!doctype html><title>Home</title>', ...pages });
    const log = memoryLogger();
    await publishSite({ site: base, target: target(), log });
    expect([...s3.stored.keys()]).toContain('/www/museum/index.html');
    expect(clockLines(log)).toEqual([
      "warn: This computer's clock is 20 minutes off; used the storage server's time (the catalogue's bucket \"www\" " +
        `at ${s3.endpoint}). Set this computer's date and time (turn on automatic time, NTP).`,
    ]);
  });

  it('refused again with the server’s own time, says the clocks and what to do, in words (review V3)', async () => {
    s3.stubborn = true;
    try {
      const log = memoryLogger();
      const error = await publishSite({ site: base, target: target(), log }).then(
        () => new Error('published'),
        (e: Error) => e,
      );
      expect(isVitrineError(error, 'PUBLISH_CLOCK_SKEW'), String(error)).toBe(true);
      expect(error.message).toContain(
        `The storage server at ${s3.endpoint} refused to list the files under museum/ in bucket "www": this ` +
          "computer's clock is 20 minutes behind the server's",
      );
      expect(error.message).toContain("Set this computer's date and time");
      expect(error.message).toContain('then run "npx vitrine publish" again');
      expect(error.message).not.toContain('The difference between the request time');
    } finally {
      s3.stubborn = false;
    }
  });

  it('refused as too old while the clocks agree, blames the slow request, not this computer’s clock (review V4)', async () => {
    [s3.skewMs, s3.stubborn] = [0, true];
    try {
      const error = await publishSite({ site: base, target: target(), log: memoryLogger() }).then(
        () => new Error('published'),
        (e: Error) => e,
      );
      expect(isVitrineError(error, 'PUBLISH_TOO_SLOW'), String(error)).toBe(true);
      expect(error.message).toContain("this computer's clock agrees with the server's");
      expect(error.message).not.toContain("Set this computer's date");
      expect(error.message).not.toContain('0 minutes');
    } finally {
      [s3.skewMs, s3.stubborn] = [20 * 60_000, false];
    }
  });

  it('vitrine publish --check says it too', async () => {
    const log = memoryLogger();
    await checkPublishTarget({ target: target(), log });
    expect(clockLines(log)).toEqual([expect.stringMatching(/^warn: This computer's clock is 20 minutes off; used/)]);
  });
});
