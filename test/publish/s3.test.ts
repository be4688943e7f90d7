import { createHash } from 'node:crypto';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { publishSite } from '../../pipeline/publish/s3.ts';
import {
  body,
  bucket,
  failingProxy,
  failure,
  head,
  keys,
  newSite,
  page,
  publishTo,
  sampleSite,
  THUMB,
  target,
  through,
  useBucket,
} from './fixture.ts';

/*
 * `vitrine publish` against a real S3-compatible server on 127.0.0.1 (fixture.ts): what goes up, with
 * which headers, what is compared and what is deleted. Failures: failures.test.ts; the order of the
 * uploads: order.test.ts; a damaged publish record: record.test.ts; settings and the command: settings.test.ts.
 */

useBucket();

describe('publishing the catalogue to a bucket', () => {
  it('first publish uploads every file with its content type and cache header', async () => {
    const result = await publishTo('museum', sampleSite());
    const files = Object.keys(sampleSite()).sort();
    expect(result.uploaded.sort()).toEqual(files);
    expect(result.unchanged).toBe(0);
    expect(result.deleted).toEqual([]);
    expect((await keys('museum')).filter((k) => !k.startsWith('.vitrine'))).toEqual(files);

    const types: Record<string, string> = {
      'index.html': 'text/html; charset=utf-8',
      '_astro/browse.Bu2K-VFd.js': 'text/javascript; charset=utf-8',
      '_astro/module.X1.mjs': 'text/javascript; charset=utf-8',
      '_astro/site.Ab12cd.css': 'text/css; charset=utf-8',
      'pagefind/pagefind-entry.json': 'application/json; charset=utf-8',
      'pagefind/fragment/en_aa11.pf_fragment': 'application/octet-stream',
      'pagefind/wasm.en.pagefind': 'application/octet-stream',
      'model/tf.wasm': 'application/wasm',
      [`media/thumbs/${THUMB}-240.jpg`]: 'image/jpeg',
      [`media/thumbs/${THUMB}-240.webp`]: 'image/webp',
      'media/logo.png': 'image/png',
      'media/logo.avif': 'image/avif',
      'media/logo.svg': 'image/svg+xml',
      'favicon.ico': 'image/x-icon',
      'sitemap.xml': 'application/xml; charset=utf-8',
      'robots.txt': 'text/plain; charset=utf-8',
      'iiif/a-1/manifest.json': 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"',
    };
    for (const [file, type] of Object.entries(types))
      expect((await head(`museum/${file}`)).ContentType, file).toBe(type);

    const immutable = 'public, max-age=31536000, immutable';
    const revalidate = 'public, max-age=0, must-revalidate';
    for (const file of [
      '_astro/site.Ab12cd.css',
      'pagefind/fragment/en_aa11.pf_fragment',
      'pagefind/index/en_bb22.pf_index',
      'pagefind/pagefind.en_6329cce493.pf_meta',
    ]) {
      expect((await head(`museum/${file}`)).CacheControl, file).toBe(immutable);
    }
    for (const file of [
      'index.html',
      'objects/a-1/index.html',
      'pagefind/pagefind-entry.json',
      'pagefind/pagefind.js',
    ]) {
      expect((await head(`museum/${file}`)).CacheControl, file).toBe(revalidate);
    }
    expect((await head('museum/media/logo.png')).CacheControl).toBe('public, max-age=300');
    // Thumbnails are named by the photograph's md5, not by their own bytes: a new thumbnail quality
    // keeps the name, so they are kept a day, not forever.
    expect((await head(`museum/media/thumbs/${THUMB}-240.webp`)).CacheControl).toBe('public, max-age=86400');
    // The md5 travels with the object, so a later multipart copy (whose ETag is no md5) can still be compared.
    const md5 = createHash('md5').update(sampleSite()['index.html']).digest('hex');
    expect((await head('museum/index.html')).Metadata?.md5).toBe(md5);
    expect((await body('museum/objects/a-1/index.html')).toString()).toBe(page('Vase'));
  });

  it('compares against listings of more than one page (1,000 objects per page on S3)', async () => {
    const files = sampleSite();
    await publishTo('paged', files, { pageSize: 5 });
    files['robots.txt'] = 'User-agent: *\nDisallow: /review/';
    const again = await publishTo('paged', files, { pageSize: 5 });
    expect(again.uploaded).toEqual(['robots.txt']);
    expect(again.unchanged).toBe(Object.keys(files).length - 1);
  });

  it('publishes a linked file (thumbnails are linked from the dataset) as the file it points to', async () => {
    const site = await newSite('linked', sampleSite());
    const { symlink, writeFile } = await import('node:fs/promises');
    await writeFile(path.join(bucket.base, 'outside.webp'), 'RIFF-linked');
    await symlink(path.join(bucket.base, 'outside.webp'), path.join(site, 'media', 'linked.webp'));
    const result = await publishSite({ site, target: target('linked'), log: silentLogger });
    expect(result.uploaded).toContain('media/linked.webp');
    expect((await body('linked/media/linked.webp')).toString()).toBe('RIFF-linked');
  });

  it('a second publish after one page changed uploads only that page; a removed page is deleted after', async () => {
    const files = sampleSite();
    await publishTo('second', files);
    files['objects/a-1/index.html'] = page('Vase, corrected');
    delete files['objects/b-2/index.html'];
    const log = memoryLogger();
    const result = await publishTo('second', files, { log });
    expect(result.uploaded).toEqual(['objects/a-1/index.html']);
    expect(result.unchanged).toBe(Object.keys(files).length - 1);
    expect(result.deleted).toEqual(['objects/b-2/index.html']);
    expect(await keys('second')).not.toContain('objects/b-2/index.html');
    expect((await body('second/objects/a-1/index.html')).toString()).toBe(page('Vase, corrected'));
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/1 file uploaded, 25 unchanged, 1 deleted/);
    // Nothing to do the third time: nothing is written (a recording proxy sees no upload or delete).
    const writes: string[] = [];
    const recording = failingProxy((method, url) => {
      if (method !== 'GET' && method !== 'HEAD') writes.push(`${method} ${url}`);
      return false;
    });
    const again = await through(recording, (endpoint) => publishTo('second', files, { target: { endpoint } }));
    expect(again).toMatchObject({ uploaded: [], deleted: [] });
    expect(writes).toEqual([]);
  });

  it('an object whose ETag is not an md5 (multipart upload) is compared by the md5 in its metadata', async () => {
    const files = sampleSite();
    await publishTo('multi', files);
    // s3rver only gives single-part ETags, so the decision is checked on what a listing of objects
    // uploaded in parts by another tool looks like: an ETag "…-N", with or without our md5 metadata.
    const { plan } = await import('../../pipeline/publish/s3.ts');
    const md5 = createHash('md5').update(files['index.html']).digest('hex');
    const decided = plan({
      local: new Map([
        ['index.html', md5],
        ['404.html', 'ffffffffffffffffffffffffffffffff'],
      ]),
      remote: new Map([
        ['index.html', { etag: 'abc123-2', md5 }],
        ['404.html', { etag: 'def456-3', md5: undefined }],
      ]),
      published: new Set(),
    });
    expect(decided.upload).toEqual(['404.html']);
    expect(decided.unchanged).toEqual(['index.html']);
  });

  it('leaves files it did not publish alone, even under its prefix', async () => {
    await bucket.client.send(new PutObjectCommand({ Bucket: 'www', Key: 'shared/press/kit.pdf', Body: 'pdf' }));
    await publishTo('shared', sampleSite());
    const smaller = sampleSite();
    delete smaller['robots.txt'];
    const result = await publishTo('shared', smaller);
    expect(result.deleted).toEqual(['robots.txt']);
    expect(await keys('shared')).toContain('press/kit.pdf');
  });

  it('--dry-run says what it would do and changes nothing', async () => {
    const files = sampleSite();
    await publishTo('dry', files);
    files['index.html'] = page('Home, new');
    delete files['robots.txt'];
    files['objects/c-3/index.html'] = page('Mask');
    const log = memoryLogger();
    const result = await publishTo('dry', files, { log, dryRun: true });
    expect(result.uploaded.sort()).toEqual(['index.html', 'objects/c-3/index.html']);
    expect(result.deleted).toEqual(['robots.txt']);
    expect(result.dryRun).toBe(true);
    const text = log.lines.map((l) => l.message).join('\n');
    expect(text).toContain('Would upload 2 files');
    expect(text).toContain('objects/c-3/index.html');
    expect(text).toContain('would delete 1');
    expect((await body('dry/index.html')).toString()).toBe(page('Home'));
    expect(await keys('dry')).toContain('robots.txt');
    expect(await keys('dry')).not.toContain('objects/c-3/index.html');
  });

  it('with image_base_url, pages and search results link to the images there', async () => {
    await publishTo('images', sampleSite(), { target: { imageBaseUrl: 'https://images.museum.example/media' } });
    const html = (await body('images/objects/a-1/index.html')).toString();
    expect(html).toContain(`src="https://images.museum.example/media/thumbs/${THUMB}-240.jpg"`);
    expect(html).not.toContain('"/media/');
    const frag = gunzipSync(await body('images/pagefind/fragment/en_aa11.pf_fragment')).toString();
    expect(frag).toContain(`https://images.museum.example/media/thumbs/${THUMB}-240.webp`);
    // The images themselves still go up (under media/), for a CDN or image server in front of that folder.
    expect(await keys('images')).toContain(`media/thumbs/${THUMB}-240.jpg`);
  });

  // Found while fixing the above: a result file cut short failed the publish with zlib's "unexpected end of
  // file", naming no file. Failed before the fix.
  it('with image_base_url, a search result file cut short is named, and nothing is sent', async () => {
    const files = sampleSite();
    files['pagefind/fragment/en_aa11.pf_fragment'] = (
      files['pagefind/fragment/en_aa11.pf_fragment'] as Buffer
    ).subarray(0, 20);
    const error = await failure(
      publishTo('images-cut', files, { target: { imageBaseUrl: 'https://images.museum.example/media' } }),
    );
    expect(isVitrineError(error, 'PUBLISH_DAMAGED_FILE'), String(error)).toBe(true);
    expect(error.message).toMatch(/^pagefind\/fragment\/en_aa11\.pf_fragment in the built catalogue .* is damaged/);
    expect(error.message).toContain('vitrine catalogue');
    expect(await keys('images-cut')).toEqual([]);
  });
});
