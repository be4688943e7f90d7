import { rm } from 'node:fs/promises';
import {
  type ClientRequest,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';
import { type Logger, silentLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type PublishResult, type PublishTarget, publishSite } from '../../pipeline/publish/s3.ts';
import { catalogueStage } from '../../pipeline/stages/catalogue.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { cleanup, tempDir, writeTree } from '../data/helpers.ts';
import { upstreamNotRun } from '../stages/upstream.ts';

/*
 * What the publish tests share: a real S3-compatible server on 127.0.0.1 (s3rver, random port, temp
 * folder) with a bucket "www", a small built site with every kind of file the catalogue has, and
 * proxies in front of the bucket that refuse, hold or record requests. A test file calls `useBucket()`
 * once at its top; the rest reads `bucket` inside its tests.
 */

/** The running server, set by `useBucket()` before the first test. */
export const bucket = {
  /** A temp folder for the server's files and the sites the tests build. */
  base: '',
  /** "http://127.0.0.1:PORT" */
  endpoint: '',
  /** A plain SDK client, to look at the bucket or put files in it by hand. */
  client: undefined as unknown as S3Client,
};

export const KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Start the server before this file's tests and stop it after them. */
export function useBucket(): void {
  let server: S3rver | undefined;
  beforeAll(async () => {
    bucket.base = await tempDir('vitrine-publish-');
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: path.join(bucket.base, 's3'),
      configureBuckets: [{ name: 'www', configs: [] }],
    });
    const address = (await server.run()) as { port: number };
    bucket.endpoint = `http://127.0.0.1:${address.port}`;
    bucket.client = new S3Client({
      endpoint: bucket.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: KEYS,
    });
  });
  afterAll(async () => {
    await server?.close();
    await cleanup(bucket.base);
  });
}

/**
 * Record in `root`'s .vitrine/lock.json a catalogue build of the site already in .vitrine/site, as `vitrine run
 * catalogue --single` records one (through the same runStages; the Astro build left out): `vitrine publish` refuses a
 * site whose build lock.json does not record.
 */
export async function recordCatalogueBuild(root: string): Promise<void> {
  const ws = workspace(root);
  const stage = { ...catalogueStage, run: async () => ({ summary: 'the site already there' }) };
  const upstream = upstreamNotRun();
  const ctx = { ws, params: await loadParams({ file: ws.params }), log: silentLogger, clock: systemClock, env: {} };
  await runStages({ ctx, stages: [...upstream, stage], targets: ['catalogue'], single: true });
}

export const THUMB = '3c391e246563aacbd3609b8c765ea4ed';

/** A page that shows the thumbnail (its link is what image_base_url rewrites). */
export const page = (title: string, extra = '') =>
  `<!doctype html><title>${title}</title><img src="/media/thumbs/${THUMB}-240.jpg">${extra}`;

/** A Pagefind result file (gzipped) for the page at `url`. */
export const fragment = (url: string) =>
  gzipSync(Buffer.from(`pagefind_dcd${JSON.stringify({ url, meta: { image: `/media/thumbs/${THUMB}-240.webp` } })}`));

/** A built catalogue as `.vitrine/site/` holds it: every kind of file the site has (27 files). */
export function sampleSite(): Record<string, string | Buffer> {
  return {
    'index.html': page('Home'),
    '404.html': page('Not found'),
    'objects/a-1/index.html': page('Vase'),
    'objects/b-2/index.html': page('Coin'),
    '_astro/browse.Bu2K-VFd.js': 'console.log(1)',
    '_astro/site.Ab12cd.css': 'body{}',
    '_astro/module.X1.mjs': 'export {}',
    'pagefind/pagefind.js': 'export const pagefind = 1',
    'pagefind/pagefind-entry.json': '{"version":"1.6.0"}',
    'pagefind/pagefind.en_6329cce493.pf_meta': Buffer.from([1, 2, 3]),
    'pagefind/fragment/en_aa11.pf_fragment': fragment('/objects/a-1/'),
    'pagefind/index/en_bb22.pf_index': Buffer.from([4, 5]),
    'pagefind/filter/en_cc33.pf_filter': Buffer.from([6]),
    'pagefind/wasm.en.pagefind': Buffer.from([0, 97, 115, 109]),
    'pagefind/pagefind-ui.css': '.pf{}',
    [`media/thumbs/${THUMB}-240.jpg`]: Buffer.from([255, 216, 255]),
    [`media/thumbs/${THUMB}-240.webp`]: Buffer.from('RIFFWEBP'),
    'media/logo.png': Buffer.from([137, 80, 78, 71]),
    'media/logo.avif': Buffer.from([0, 0, 0, 28]),
    'media/logo.svg': '<svg/>',
    'favicon.ico': Buffer.from([0, 0, 1, 0]),
    'sitemap.xml': '<urlset/>',
    'robots.txt': 'User-agent: *',
    'data/catalogue.json': '{"objects":[]}',
    'iiif/a-1/manifest.json': '{"@context":"http://iiif.io/api/presentation/3/context.json"}',
    'model/head/weights.bin': Buffer.from([9, 9, 9]),
    'model/tf.wasm': Buffer.from([0, 97, 115, 109, 1]),
  };
}

/** Write `files` as a built site in a fresh folder `name` under the temp folder. */
export async function newSite(name: string, files = sampleSite()): Promise<string> {
  const dir = path.join(bucket.base, name);
  await rm(dir, { recursive: true, force: true });
  await writeTree(dir, files);
  return dir;
}

/** Bucket "www" of the test server under `prefix`, with the test keys. */
export function target(prefix: string, extra: Partial<PublishTarget> = {}): PublishTarget {
  return {
    bucket: 'www',
    prefix,
    endpoint: bucket.endpoint,
    region: 'us-east-1',
    credentials: KEYS,
    imageBaseUrl: '',
    base: '/',
    ...extra,
  };
}

let sites = 0;

/**
 * Build `files` as a site (in a fresh folder, unless `site` names one) and publish it to `prefix` of the
 * test bucket; `target` overrides parts of the target (another endpoint: a proxy). Throws as publishSite does.
 */
export async function publishTo(
  prefix: string,
  files: Record<string, string | Buffer>,
  {
    site = `${prefix}-site-${++sites}`,
    target: extra = {},
    log = silentLogger,
    ...options
  }: {
    site?: string;
    target?: Partial<PublishTarget>;
    log?: Logger;
    dryRun?: boolean;
    pageSize?: number;
    idleTimeoutMs?: number;
  } = {},
): Promise<PublishResult> {
  return publishSite({ site: await newSite(site, files), target: target(prefix, extra), log, ...options });
}

/** The error `promise` ends with; an Error "it did not fail" when it does not. */
export function failure(promise: Promise<unknown>): Promise<Error & { code?: string; data?: Record<string, unknown> }> {
  return promise.then(
    () => new Error('it did not fail'),
    (e: Error) => e,
  );
}

export async function head(key: string) {
  return bucket.client.send(new HeadObjectCommand({ Bucket: 'www', Key: key }));
}

export async function body(key: string): Promise<Buffer> {
  const res = await bucket.client.send(new GetObjectCommand({ Bucket: 'www', Key: key }));
  return Buffer.from((await res.Body?.transformToByteArray()) ?? []);
}

/** The keys under `prefix/`, without it, sorted. */
export async function keys(prefix: string): Promise<string[]> {
  const res = await bucket.client.send(new ListObjectsV2Command({ Bucket: 'www', Prefix: `${prefix}/` }));
  return (res.Contents ?? []).map((c) => (c.Key ?? '').slice(prefix.length + 1)).sort();
}

export interface Proxy {
  url: string;
  close(): Promise<void>;
}

/** Run `fn` with the proxy's address, and close the proxy after, whatever happens. */
export async function through<T>(proxy: Promise<Proxy>, fn: (endpoint: string) => Promise<T>): Promise<T> {
  const started = await proxy;
  try {
    return await fn(started.url);
  } finally {
    await started.close();
  }
}

/** A proxy to the bucket that tells `seen` each request once its body is in, before passing it on. */
export function recordingProxy(seen: (method: string, url: string, body: string) => void): Promise<Proxy> {
  return proxyTo((req, _res, upstream) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      seen(req.method ?? '', req.url ?? '', bytes.toString('utf8'));
      upstream().end(bytes);
    });
  });
}

/** A proxy to the bucket that answers 500 to the requests `fail` picks, or holds them ('hold': never answered). */
export function failingProxy(fail: (method: string, url: string) => boolean | 'hold'): Promise<Proxy> {
  return proxyTo((req, res, upstream) => {
    const decision = fail(req.method ?? '', req.url ?? '');
    // Never answered: the request waits until the proxy closes (or the client gives up).
    if (decision === 'hold') return;
    if (decision) {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0"?><Error><Code>InternalError</Code><Message>refused by the test</Message></Error>');
      });
      return;
    }
    req.pipe(upstream());
  });
}

type Handler = (req: IncomingMessage, res: ServerResponse, upstream: () => ClientRequest) => void;

/** An HTTP server on 127.0.0.1 in front of the bucket; `handle` decides, `upstream()` passes a request on. */
async function proxyTo(handle: Handler): Promise<Proxy> {
  const to = new URL(bucket.endpoint);
  const proxy: Server = createServer((req, res) => {
    const upstream = () =>
      request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
    handle(req, res, upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
