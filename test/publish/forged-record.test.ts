import { createHash } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { body, bucket, keys, publishTo, sampleSite, useBucket } from './fixture.ts';

/*
 * The publish record (`<prefix>/.vitrine-published.json`) lives in the bucket: anyone who can write one file under
 * the prefix can rewrite it. A record that listed other files (a press kit, the data remote's files with prefix "")
 * made the next publish delete them. A listed file is now deleted only when it carries the md5 Vitrine stores on
 * every upload, and that md5 is the one the record says was uploaded. Failed before the fix.
 */

useBucket();

const put = (Key: string, Body: string, md5?: string) =>
  bucket.client.send(new PutObjectCommand({ Bucket: 'www', Key, Body, ...(md5 ? { Metadata: { md5 } } : {}) }));
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const record = async (prefix: string) =>
  JSON.parse((await body(`${prefix ? `${prefix}/` : ''}.vitrine-published.json`)).toString()) as {
    files: string[];
    md5?: string[];
  };

describe('a publish record rewritten by someone else', () => {
  it('deletes only the files Vitrine put there, not others the record names', async () => {
    const prefix = 'forged';
    await publishTo(prefix, sampleSite());
    // Others' files under the prefix: a press kit, a data remote's file, and one marked with another md5.
    await put(`${prefix}/press/kit.pdf`, 'pdf');
    await put(`${prefix}/files/md5/3c/391e246563aacbd3609b8c765ea4ed`, 'data');
    await put(`${prefix}/other/marked.txt`, 'marked', md5('marked'));
    const listed = [
      ...(await record(prefix)).files,
      'press/kit.pdf',
      'files/md5/3c/391e246563aacbd3609b8c765ea4ed',
      'other/marked.txt',
    ];
    const forged = { files: listed, md5: listed.map((f) => (f === 'other/marked.txt' ? md5('something else') : '')) };
    await put(`${prefix}/.vitrine-published.json`, JSON.stringify(forged));
    const next = sampleSite();
    delete next['robots.txt'];
    const log = memoryLogger();
    const result = await publishTo(prefix, next, { log });

    // Vitrine's own file that the new build lacks still goes.
    expect(result.deleted).toEqual(['robots.txt']);
    const online = await keys(prefix);
    expect(online).not.toContain('robots.txt');
    for (const f of ['press/kit.pdf', 'files/md5/3c/391e246563aacbd3609b8c765ea4ed', 'other/marked.txt'])
      expect(online).toContain(f);
    const warned = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warned.join('\n')).toContain('press/kit.pdf');
    // The record written after names only the site's files, each with the md5 uploaded.
    const written = await record(prefix);
    expect(written.files).toEqual(Object.keys(next).sort());
    expect(written.md5).toHaveLength(written.files.length);
    expect(written.md5![written.files.indexOf('index.html')]).toBe(md5(next['index.html'] as string));
  });

  it('with prefix "", leaves the data remote\'s files in the bucket', async () => {
    await put('files/md5/aa/bbccdd', 'precious');
    await publishTo('', { 'index.html': '<!doctype html><title>Home</title>' });
    await put('.vitrine-published.json', JSON.stringify({ files: ['index.html', 'files/md5/aa/bbccdd'] }));
    const result = await publishTo('', { 'index.html': '<!doctype html><title>Home 2</title>' });
    expect(result.deleted).toEqual([]);
    const all = await bucket.client.send(new ListObjectsV2Command({ Bucket: 'www', Prefix: 'files/' }));
    expect((all.Contents ?? []).map((c) => c.Key)).toContain('files/md5/aa/bbccdd');
  });
});
