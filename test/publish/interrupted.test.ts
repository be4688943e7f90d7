import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { GetObjectCommand, ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
import { main } from '../../pipeline/cli.ts';
import type { Logger } from '../../pipeline/log.ts';
import { cleanup, tempDir, writeTree } from '../data/helpers.ts';
import { KEYS, page, recordCatalogueBuild, sampleSite } from './fixture.ts';

/*
 * A storage server (s3rver in its own process, on 127.0.0.1) stopped (SIGTERM) half-way through
 * `npx vitrine -C <repo> publish`: the message says in plain words what visitors see and to run the same
 * command again; once the server is back, the next publish sends only the files not already online with
 * the same content, and the bucket ends as a clean publish leaves it.
 */

const SERVER = path.resolve('test/publish/server-child.ts');
const NODE = path.resolve('node_modules/.bin/node');
let base = '';
let port = 0;
let server: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

/** Start s3rver on `port` over the same folder (the bucket keeps what it held). */
async function start(): Promise<void> {
  const child = spawn(NODE, [SERVER, path.join(base, 's3'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`s3rver stopped (${code})`)));
  });
  server = child;
}

async function stop(): Promise<void> {
  const child = server;
  server = undefined;
  if (!child || child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
}

beforeAll(async () => {
  base = await tempDir('vitrine-publish-stop-');
  port = await freePort();
  await start();
});
// A test that failed with the server stopped does not take the next one down with it.
beforeEach(async () => {
  if (!server) await start();
});
afterAll(async () => {
  await stop();
  await cleanup(base);
});

const client = () =>
  new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: KEYS });

/** Every object under `prefix/` with its md5 (the bucket's ETag), by site path. */
async function online(prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let marker: string | undefined;
  do {
    const page = await client().send(new ListObjectsCommand({ Bucket: 'www', Prefix: `${prefix}/`, Marker: marker }));
    for (const item of page.Contents ?? [])
      out.set(item.Key!.slice(prefix.length + 1), (item.ETag ?? '').replace(/"/g, ''));
    marker = page.IsTruncated ? page.Contents?.at(-1)?.Key : undefined;
  } while (marker);
  return out;
}

async function bytes(key: string): Promise<Buffer> {
  const res = await client().send(new GetObjectCommand({ Bucket: 'www', Key: key }));
  return Buffer.from((await res.Body?.transformToByteArray()) ?? []);
}

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** A catalogue of 207 files: enough that a server stopped after 40 uploads stops it well before the end. */
function bigSite(title = 'Home'): Record<string, string | Buffer> {
  const files = sampleSite();
  files['index.html'] = page(title);
  for (let i = 0; i < 120; i++) files[`media/thumbs/${md5(`t${i}`)}-240.webp`] = Buffer.alloc(1500, i);
  for (let i = 0; i < 60; i++) files[`objects/o-${i}/index.html`] = page(`Object ${i} ${title}`);
  return files;
}

async function repo(name: string, prefix: string, files: Record<string, string | Buffer>): Promise<string> {
  const root = path.join(base, name);
  const s3 = `    endpoint: http://127.0.0.1:${port}\n    bucket: www\n    prefix: ${prefix}\n    jobs: 4\n`;
  await writeTree(root, { 'params.yaml': `catalogue:\n  publish: s3\n  s3:\n${s3}` });
  await writeTree(path.join(root, '.vitrine', 'site'), files);
  await recordCatalogueBuild(root);
  return root;
}

const keysEnv = { VITRINE_PUBLISH_ACCESS_KEY_ID: 'S3RVER', VITRINE_PUBLISH_SECRET_ACCESS_KEY: 'S3RVER' };

/**
 * `npx vitrine -C <root> publish --json` as a person types it, with the terminal's own words (stderr);
 * `stopAfter`: the server is stopped (SIGTERM) once that many files went up.
 */
async function publish(root: string, stopAfter?: number) {
  let stderr = '';
  let stdout = '';
  const terminal = terminalLogger({ write: (t) => (stderr += t), isTTY: false });
  let sent = 0;
  const log: Logger = {
    ...terminal,
    progress: (label, total) => {
      const bar = terminal.progress(label, total);
      return {
        ...bar,
        tick: () => {
          bar.tick();
          if (++sent === stopAfter) void stop();
        },
      };
    },
  };
  const code = await main(['-C', root, 'publish', '--json'], {
    cwd: base,
    env: keysEnv,
    stdout: (t) => (stdout += t),
    log,
    interactive: false,
  });
  return { code, stderr, result: stdout ? JSON.parse(stdout) : undefined };
}

describe('a storage server stopped half-way through a publish', () => {
  it('says in plain words what visitors see, and to run the same command again', async () => {
    // A site online, then a new build whose publish loses the server while it sends the pages.
    const root = await repo('words', 'words', bigSite());
    expect((await publish(root)).code).toBe(0);
    await writeTree(path.join(root, '.vitrine', 'site'), bigSite('Home 2'));
    const stopped = await publish(root, 20);
    expect(stopped.code).toBe(1);
    const message = stopped.stderr;
    // No "object …:" prefix (that names a museum object), no bare "(top of the bucket)".
    expect(message).not.toMatch(/object [^ ]*\(top of the bucket\)|error: object /);
    expect(message).toContain(`The storage server at http://127.0.0.1:${port} stopped answering`);
    // Commands are named as every other message names them, with the -C the person typed.
    expect(message).toContain(`npx vitrine -C ${root} publish`);
    expect(message).not.toMatch(/(?<!npx )vitrine -C /);
    // The bucket holds a half-updated site: say so, what visitors see, and that running again finishes it.
    expect(message).toMatch(/changed pages are already the new ones/);
    expect(message).toMatch(/Visitors see this mix of old and new pages until a publish finishes/);
    expect(message).toContain('sends only the files not already online');
  }, 120_000);

  it('the next publish sends only the files not already online, and the bucket ends as a clean publish leaves it', async () => {
    const files = bigSite();
    const root = await repo('resume', 'resume', files);
    const stopped = await publish(root, 40);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('The site is not online yet');
    await start();
    // What the bucket holds whole after the stop: the files that went up before it.
    const before = await online('resume');
    const already = Object.keys(files).filter((f) => before.get(f) === md5(files[f]!));
    expect(already.length).toBeGreaterThanOrEqual(40 - 4);
    const resumed = await publish(root);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.result.unchanged).toBe(already.length);
    expect([...resumed.result.uploaded].sort()).toEqual(
      Object.keys(files)
        .filter((f) => !already.includes(f))
        .sort(),
    );
    // A clean publish of the same build elsewhere: the same files, the same bytes.
    const clean = await repo('clean', 'clean', files);
    expect((await publish(clean)).code).toBe(0);
    const a = await online('resume');
    const b = await online('clean');
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, etag] of b) expect(a.get(file), file).toBe(etag);
    expect(await bytes('resume/.vitrine-published.json')).toEqual(await bytes('clean/.vitrine-published.json'));
    expect((await publish(root)).result).toMatchObject({ uploaded: [], unchanged: Object.keys(files).length });
  }, 180_000);
});
