import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { type AddressInfo, createServer as netServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import {
  body,
  failingProxy,
  failure,
  keys,
  newSite,
  page,
  publishTo,
  sampleSite,
  target,
  through,
  useBucket,
} from './fixture.ts';

/*
 * A publish that fails, is stopped or waits on a silent server part-way: the site people see stays whole,
 * the message says what state it is in, and the next publish finishes the job (fixture.ts: s3rver and
 * proxies in front of it that refuse or hold requests).
 */

const CHILD = path.resolve('test/publish/child.ts');

useBucket();

describe('a publish that stops part-way', () => {
  it('a publish that fails part-way leaves the old site servable, and the next one finishes the job', async () => {
    const old = sampleSite();
    await publishTo('fail', old);
    const next = sampleSite();
    next['_astro/site.New999.css'] = 'body{color:red}';
    delete next['_astro/site.Ab12cd.css'];
    next['index.html'] = page('Home', '<link rel="stylesheet" href="/_astro/site.New999.css">');
    delete next['objects/b-2/index.html'];
    // A proxy in front of the bucket that refuses every page upload: the assets go up, the pages fail.
    const refusing = failingProxy((method, url) => method === 'PUT' && url.includes('.html'));
    const error = await through(refusing, (endpoint) => failure(publishTo('fail', next, { target: { endpoint } })));
    expect(isVitrineError(error)).toBe(true);
    expect(error.message).toContain('index.html');
    expect(error.message).toContain('The pages already online were not changed');
    // Old pages and everything they use are still there; nothing was deleted.
    expect((await body('fail/index.html')).toString()).toBe(page('Home'));
    const online = await keys('fail');
    for (const file of Object.keys(old)) expect(online, file).toContain(file);
    expect(online).toContain('_astro/site.New999.css');

    const result = await publishTo('fail', next);
    expect(result.uploaded.sort()).toEqual(['index.html']);
    expect(result.deleted.sort()).toEqual(['_astro/site.Ab12cd.css', 'objects/b-2/index.html']);
    expect((await body('fail/index.html')).toString()).toContain('site.New999.css');
  });

  it('a publish that fails among the pages names the pages that are still the old ones', async () => {
    await publishTo('some', sampleSite());
    const next = sampleSite();
    next['index.html'] = page('Home 2');
    next['objects/a-1/index.html'] = page('Vase 2');
    next['objects/b-2/index.html'] = page('Coin 2');
    const error = await through(
      failingProxy((method, url) => method === 'PUT' && url.includes('objects/b-2')),
      (endpoint) => failure(publishTo('some', next, { target: { endpoint, jobs: 1 } })),
    );
    expect(isVitrineError(error), error.message).toBe(true);
    expect(error.message).toContain('2 of 3 changed pages are already the new ones');
    expect(error.message).toContain('1 page is still the old version: objects/b-2/index.html');
    expect(error.message).toContain('search is unchanged');
    expect(error.message).toContain('Run "npx vitrine publish" again');
  });

  it('a publish that fails among the pages tells the pages still the old version from new pages not online yet', async () => {
    await publishTo('new', sampleSite());
    const next = sampleSite();
    next['index.html'] = page('Home 2');
    next['objects/a-1/index.html'] = page('Vase 2');
    next['objects/b-2/index.html'] = page('Coin 2');
    // A new object: its page has no old version online.
    next['objects/c-3/index.html'] = page('Bowl');
    const error = await through(
      failingProxy((method, url) => method === 'PUT' && /objects\/(b-2|c-3)/.test(url)),
      (endpoint) => failure(publishTo('new', next, { target: { endpoint, jobs: 1 } })),
    );
    expect(isVitrineError(error), error.message).toBe(true);
    expect(error.message).toContain('2 of 4 changed pages are already the new ones');
    expect(error.message).toContain('1 page is still the old version: objects/b-2/index.html');
    expect(error.message).toContain('1 new page is not online yet: objects/c-3/index.html');
    expect(error.message).not.toContain('still the old: objects/b-2/index.html, objects/c-3');
  });

  it('a publish whose deletes fail says the new site is online, whole, and the next one deletes them', async () => {
    await publishTo('del', sampleSite());
    const next = sampleSite();
    delete next['robots.txt'];
    const error = await through(
      failingProxy((method) => method === 'DELETE'),
      (endpoint) => failure(publishTo('del', next, { target: { endpoint } })),
    );
    expect(isVitrineError(error), error.message).toBe(true);
    expect(error.message).toContain('robots.txt');
    expect(error.message).toContain('The new site is online, whole, search included');
    expect(error.message).toContain('Run "npx vitrine publish" again');
    const result = await publishTo('del', next);
    expect(result.deleted).toEqual(['robots.txt']);
    expect(await keys('del')).not.toContain('robots.txt');
  });

  it('a publish killed while sending the pages leaves the old site servable; a later one cleans up', async () => {
    const old = sampleSite();
    await publishTo('killed', old);
    const next = sampleSite();
    next['_astro/site.K1.css'] = 'body{color:blue}';
    delete next['_astro/site.Ab12cd.css'];
    next['index.html'] = page('Home', '<link rel="stylesheet" href="/_astro/site.K1.css">');
    // The proxy holds the first page upload unanswered; the process is killed while it waits.
    let reached: () => void = () => {};
    const pageUpload = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const proxy = await failingProxy((method, url) => {
      if (method === 'PUT' && url.includes('.html')) {
        reached();
        return 'hold';
      }
      return false;
    });
    const site = await newSite('killed-b', next);
    const args = [CHILD, site, JSON.stringify(target('killed', { endpoint: proxy.url }))];
    const child = spawn(path.resolve('node_modules/.bin/node'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const ended = new Promise((resolve) => child.on('exit', resolve));
    await Promise.race([pageUpload, ended]);
    child.kill('SIGKILL');
    await ended;
    await proxy.close();
    expect(output).toBe('');

    expect((await body('killed/index.html')).toString()).toBe(page('Home'));
    const online = await keys('killed');
    for (const file of Object.keys(old)) expect(online, file).toContain(file);
    expect(online).toContain('_astro/site.K1.css');
    // The build is reverted before anyone publishes again: what the killed publish sent is still
    // known to be Vitrine's (it was listed before the first upload), so it is cleaned up.
    const result = await publishTo('killed', old);
    expect(result.uploaded).toEqual([]);
    expect(result.deleted).toEqual(['_astro/site.K1.css']);
  });
});

describe('a storage server that fails the listing', () => {
  it('says in words what it could not do at the top of the bucket, and that this publish changed nothing', async () => {
    // As s3rver does after a kill cut short an object's metadata file: every listing answers 500.
    const error = await through(
      failingProxy((method, url) => method === 'GET' && url.includes('max-keys')),
      (endpoint) => failure(publishTo('', sampleSite(), { target: { endpoint } })),
    );
    expect(isVitrineError(error, 'PUBLISH_FAILED'), String(error)).toBe(true);
    expect(error.message).toMatch(
      /^Could not list the files at the top of bucket "www" at http:\/\/127\.0\.0\.1:\d+: /,
    );
    expect(error.message).not.toContain('(top of the bucket)');
    expect(error.message).toContain('This publish sent and deleted nothing: the bucket holds what it held before.');
    expect(error.message).toContain('Run "npx vitrine publish" again to finish');
    expect(error.data).not.toHaveProperty('object');
  });
});

describe('a storage server that stops answering while a publish sends', () => {
  it('names the file it was sending, how long and how often it waited, and says once to run it again', async () => {
    await publishTo('held', sampleSite());
    const next = sampleSite();
    next['index.html'] = page('Home 2');
    // The page's upload is accepted and never answered (every try).
    const error = await through(
      failingProxy((method, url) => (method === 'PUT' && url.includes('index.html') ? 'hold' : false)),
      (endpoint) => failure(publishTo('held', next, { target: { endpoint }, idleTimeoutMs: 300 })),
    );
    expect(isVitrineError(error, 'PUBLISH_UNAVAILABLE'), String(error)).toBe(true);
    expect(error.message).toContain('The storage server at http://127.0.0.1:');
    expect(error.message).toContain('while Vitrine was uploading held/index.html to bucket "www"');
    expect(error.message).toContain('it sent nothing for 0.3 s, 3 tries');
    expect(error.message).toContain('The pages already online were not changed');
    expect(error.message.match(/run "npx vitrine publish" again/gi)).toHaveLength(1);
    expect(error.message).toContain('carries on where this one stopped');
    expect((await body('held/index.html')).toString()).toBe(page('Home'));
  }, 20_000);
});

describe('a storage server that is not running', () => {
  it('says it refused the connection, not that it stopped answering: it never answered', async () => {
    // A port nothing listens on (taken, then given back).
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await failure(publishTo('down', sampleSite(), { target: { endpoint: `http://127.0.0.1:${port}` } }));
    expect(isVitrineError(error, 'PUBLISH_UNAVAILABLE'), String(error)).toBe(true);
    expect(error.message).toContain(
      `The storage server at http://127.0.0.1:${port} refused the connection (ECONNREFUSED)`,
    );
    expect(error.message).not.toContain('stopped answering');
    expect(error.message).toContain('This publish sent and deleted nothing');
  });

  it('a server that cuts every connection at once is said to have closed it, not to have been silent', async () => {
    // A broken reverse proxy or a firewall: the request arrives and the connection is reset, with no answer.
    const cutting = netServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.resetAndDestroy());
    });
    await new Promise<void>((resolve) => cutting.listen(0, '127.0.0.1', resolve));
    const { port } = cutting.address() as AddressInfo;
    try {
      const error = await failure(publishTo('cut', sampleSite(), { target: { endpoint: `http://127.0.0.1:${port}` } }));
      expect(isVitrineError(error, 'PUBLISH_UNAVAILABLE'), String(error)).toBe(true);
      expect(error.message).toContain(
        `The storage server at http://127.0.0.1:${port} closed the connection without answering (ECONNRESET)`,
      );
      expect(error.message).not.toContain('sent nothing');
      expect(error.message).toContain('This publish sent and deleted nothing');
    } finally {
      await new Promise((resolve) => cutting.close(resolve));
    }
  }, 20_000);
});
