import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import {
  body,
  bucket,
  failingProxy,
  failure,
  keys,
  page,
  publishTo,
  sampleSite,
  through,
  useBucket,
} from './fixture.ts';

/*
 * The publish record (`<prefix>/.vitrine-published.json`) is what says which files earlier publishes put
 * in the bucket. A damaged one (not JSON, cut short, the wrong shape) made the next publish treat the
 * bucket as new: files the new build no longer has stayed online for good. Failed before the fix.
 */

useBucket();

describe('a damaged publish record', () => {
  const damaged = [
    { kind: 'not JSON', text: 'Access denied by proxy' },
    { kind: 'cut short', text: '{"about":"Files \\"vitrine publish\\" put here","files":["404.html","index.ht' },
    { kind: 'the wrong shape', text: '{"files":"index.html"}' },
    { kind: 'a list of other things than file names', text: '{"files":[1,2,3]}' },
    { kind: 'empty', text: '' },
  ];
  const record = async (prefix: string) =>
    JSON.parse((await body(`${prefix}/.vitrine-published.json`)).toString()) as { files: string[] };

  it.each(damaged.map((d, i) => ({ ...d, prefix: `damaged-${i}` })))(
    'one that is $kind: the files Vitrine published that the new build lacks are still deleted, and a good one is written',
    async ({ text, prefix }) => {
      await publishTo(prefix, sampleSite());
      // Beside it: a file put there by hand (no mark of Vitrine's), and Vitrine's files under a sibling prefix.
      await bucket.client.send(new PutObjectCommand({ Bucket: 'www', Key: `${prefix}/press/kit.pdf`, Body: 'pdf' }));
      await publishTo(`${prefix}-sibling`, sampleSite());
      await bucket.client.send(
        new PutObjectCommand({ Bucket: 'www', Key: `${prefix}/.vitrine-published.json`, Body: text }),
      );
      const next = sampleSite();
      delete next['robots.txt'];
      delete next['objects/b-2/index.html'];
      const log = memoryLogger();
      const result = await publishTo(prefix, next, { log });

      expect(result.deleted).toEqual(['objects/b-2/index.html', 'robots.txt']);
      const online = await keys(prefix);
      expect(online).not.toContain('robots.txt');
      expect(online).not.toContain('objects/b-2/index.html');
      // Not put there by Vitrine: left alone, as when the record is whole.
      expect(online).toContain('press/kit.pdf');
      // Nothing outside the prefix is touched.
      expect(await keys(`${prefix}-sibling`)).toEqual([...Object.keys(sampleSite()), '.vitrine-published.json'].sort());
      const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`s3://www/${prefix}/.vitrine-published.json`);
      expect(warnings[0]).toMatch(/is damaged/);
      expect(warnings[0]).toContain('2 files');
      expect(warnings[0]).toMatch(/1 other file .* left alone/);
      // A good record again: the next publish needs no fallback.
      expect((await record(prefix)).files).toEqual(Object.keys(next).sort());
      const again = memoryLogger();
      await publishTo(prefix, next, { log: again });
      expect(again.lines.filter((l) => l.level === 'warn')).toEqual([]);
    },
  );

  it('leaves another site published under a folder of the prefix alone (it has its own record)', async () => {
    const prefix = 'damaged-parent';
    await publishTo(`${prefix}/old`, sampleSite());
    await publishTo(prefix, sampleSite());
    await bucket.client.send(
      new PutObjectCommand({ Bucket: 'www', Key: `${prefix}/.vitrine-published.json`, Body: 'oops' }),
    );
    const next = sampleSite();
    delete next['robots.txt'];
    const result = await publishTo(prefix, next, { log: memoryLogger() });
    expect(result.deleted).toEqual(['robots.txt']);
    expect(await keys(`${prefix}/old`)).toEqual([...Object.keys(sampleSite()), '.vitrine-published.json'].sort());
  });

  it('a first publish above another site deletes nothing of it', async () => {
    const prefix = 'first-parent';
    await publishTo(`${prefix}/old`, sampleSite());
    const result = await publishTo(prefix, { 'index.html': page('New') }, { log: memoryLogger() });
    expect(result.deleted).toEqual([]);
    expect(await keys(`${prefix}/old`)).toEqual([...Object.keys(sampleSite()), '.vitrine-published.json'].sort());
  });

  it('--dry-run says so and what it would delete, and writes nothing', async () => {
    const prefix = 'damaged-dry';
    await publishTo(prefix, sampleSite());
    await bucket.client.send(
      new PutObjectCommand({ Bucket: 'www', Key: `${prefix}/.vitrine-published.json`, Body: '{' }),
    );
    const next = sampleSite();
    delete next['robots.txt'];
    const log = memoryLogger();
    const result = await publishTo(prefix, next, { log, dryRun: true });
    expect(result.deleted).toEqual(['robots.txt']);
    const text = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    expect(text).toMatch(/warn: The publish record s3:\/\/www\/damaged-dry\/\.vitrine-published\.json is damaged/);
    expect(text).toContain('delete robots.txt');
    expect(await keys(prefix)).toContain('robots.txt');
    expect((await body(`${prefix}/.vitrine-published.json`)).toString()).toBe('{');
  });

  it('a publish stopped after a damaged record was found still deletes those files the next time', async () => {
    const prefix = 'damaged-stopped';
    await publishTo(prefix, sampleSite());
    await bucket.client.send(
      new PutObjectCommand({ Bucket: 'www', Key: `${prefix}/.vitrine-published.json`, Body: '[' }),
    );
    const next = sampleSite();
    delete next['robots.txt'];
    next['objects/c-3/index.html'] = page('Cup');
    // Every page upload refused: the record written before the first upload must still name robots.txt.
    const refusing = failingProxy((method, url) => method === 'PUT' && url.includes('.html'));
    const error = await through(refusing, (endpoint) => failure(publishTo(prefix, next, { target: { endpoint } })));
    expect(isVitrineError(error), String(error)).toBe(true);
    expect((await record(prefix)).files).toContain('robots.txt');
    const log = memoryLogger();
    const result = await publishTo(prefix, next, { log });
    expect(result.deleted).toEqual(['robots.txt']);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('never deletes a name a server could resolve outside the prefix ("..", "." or empty parts)', async () => {
    const { plan } = await import('../../pipeline/publish/s3.ts');
    const odd = ['../index.html', 'a/../../x', './robots.txt', 'media//logo.png', '/abs.html'];
    const decided = plan({
      local: new Map(),
      remote: new Map([...odd, 'old.html'].map((f) => [f, { etag: 'x' }])),
      published: new Set([...odd, 'old.html']),
    });
    expect(decided.stale).toEqual(['old.html']);
  });
});
