import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { bucket, failingProxy, failure, keys, publishTo, sampleSite, through, useBucket } from './fixture.ts';

/*
 * Review s25 #1: a publish that only replaced files wrote no record before sending. Stopped before its final record
 * (here: that PUT fails), it left the bucket's file with the new md5 mark and the record with the old md5, so the next
 * publish whose build dropped the file took it for someone else's: it left it online for good and warned of
 * tampering. The record now names both md5s of a file being replaced before anything is sent. Failed before the fix.
 */

useBucket();

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('a publish stopped after replacing a file, before its final record', () => {
  it('leaves the next publish able to delete that file when the build drops it, without a tampering warning', async () => {
    const prefix = 'replaced';
    await publishTo(prefix, sampleSite());
    const v2 = { ...sampleSite(), 'robots.txt': 'User-agent: *\nDisallow: /private' };
    const error = await through(
      failingProxy(
        (method, url) => method === 'PUT' && url.includes('.vitrine-published.json') && !url.includes('x-id=Get'),
      ),
      (endpoint) => failure(publishTo(prefix, v2, { target: { endpoint }, idleTimeoutMs: 2000 })),
    );
    expect(error.code).toBe('PUBLISH_FAILED');
    const v3 = sampleSite();
    delete v3['robots.txt'];
    const log = memoryLogger();
    const result = await publishTo(prefix, v3, { log });
    expect(result.deleted).toEqual(['robots.txt']);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(await keys(prefix)).not.toContain('robots.txt');
  });

  it('a record naming two md5s, neither the mark, still does not delete the file', async () => {
    const prefix = 'forged-pair';
    await publishTo(prefix, sampleSite());
    const put = (Key: string, Body: string) => bucket.client.send(new PutObjectCommand({ Bucket: 'www', Key, Body }));
    await bucket.client.send(
      new PutObjectCommand({ Bucket: 'www', Key: `${prefix}/kit.pdf`, Body: 'pdf', Metadata: { md5: md5('pdf') } }),
    );
    const files = [...Object.keys(sampleSite()), 'kit.pdf'].sort();
    const sums = files.map((f) => (f === 'kit.pdf' ? [md5('a'), md5('b')] : ''));
    await put(`${prefix}/.vitrine-published.json`, JSON.stringify({ files, md5: sums }));
    const log = memoryLogger();
    const result = await publishTo(prefix, sampleSite(), { log });
    expect(result.deleted).toEqual([]);
    expect(await keys(prefix)).toContain('kit.pdf');
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('kit.pdf'))).toBe(true);
  });
});
