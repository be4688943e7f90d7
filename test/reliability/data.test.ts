import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { describeStatus } from '../../pipeline/data/commands.ts';
import {
  addData,
  checkoutData,
  dataStatus,
  initData,
  pullData,
  pushData,
  setDvcConfig,
  verifyData,
} from '../../pipeline/data/index.ts';
import { tempNameFor } from '../../pipeline/data/temp.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, tempDir } from '../data/helpers.ts';

/*
 * The data layer's reliability battery (issue 11, "Done when"): bad inputs, and real `kill -9` of a
 * child process at random points of push, pull and checkout, against a folder remote and an
 * S3-compatible server (s3rver on 127.0.0.1). After every case: no object anywhere that does not hash
 * to its name, no half-written file in data/, a folder list on a remote only when every file it lists
 * is there, and after a rerun every image byte-identical with no temp litter left. It prints the cases
 * tried and handled and the bytes lost. VITRINE_RELIABILITY_SEED replays a run; VITRINE_RELIABILITY_KILLS
 * sets the kills per operation and remote (default 3).
 */

const SEED = Number(process.env.VITRINE_RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const KILLS = Number(process.env.VITRINE_RELIABILITY_KILLS ?? 3);
const NODE = path.resolve('node_modules/.bin/node');
const CHILD = path.resolve('test/reliability/child.ts');
const IMAGES = path.resolve('..', 'shared', 'datasets', 'egyptian-antiquities', 'images');
const OBJECT_NAME = /^[0-9a-f]{30}(\.dir)?$/;

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(SEED);

const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');

let base: string;
let server: S3rver;
let endpoint: string;
let s3: S3Client;
let origin: string;
let originCache: string;
let originManifest: string;
/** Every file of the collection: relpath in data/ → its bytes. */
const originals = new Map<string, Buffer>();

type RemoteKind = 'folder' | 's3';
type Op = 'push' | 'pull' | 'checkout';

/** What one case found: handled means every guarantee held. */
interface Outcome {
  problems: string[];
  bytesLost: number;
  note?: string;
}

/** Files under `dir` as relpaths (everything, temp files included: this is what a person would see). */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const rel = prefix ? `${prefix}/${item.name}` : item.name;
    if (item.isDirectory()) out.push(...(await walk(path.join(dir, item.name), rel)));
    else out.push(rel);
  }
  return out;
}

/**
 * data/ as a person sees it: every file must be a recorded image with exactly its bytes (a missing
 * one is allowed only while `partial`). Bytes lost: the recorded images not there intact.
 */
async function checkData(dir: string, partial: boolean): Promise<Outcome> {
  const problems: string[] = [];
  const present = new Set<string>();
  for (const rel of await walk(dir)) {
    const expected = originals.get(rel);
    if (!expected) {
      problems.push(`data/${rel} is not a recorded file (half-written or litter)`);
      continue;
    }
    if (!(await readFile(path.join(dir, rel))).equals(expected)) problems.push(`data/${rel} differs from the original`);
    else present.add(rel);
  }
  let bytesLost = 0;
  for (const [rel, bytes] of originals) {
    if (present.has(rel)) continue;
    if (!partial) problems.push(`data/${rel} is missing`);
    bytesLost += bytes.length;
  }
  return { problems, bytesLost: partial ? 0 : bytesLost };
}

/** Objects as `name → bytes` in a cache or folder remote, and the temp files beside them. */
async function folderObjects(root: string): Promise<{ objects: Map<string, Buffer>; temps: string[] }> {
  const objects = new Map<string, Buffer>();
  const temps: string[] = [];
  for (const rel of await walk(path.join(root, 'files', 'md5'))) {
    const [prefix, name] = rel.split('/');
    if (OBJECT_NAME.test(name)) objects.set(prefix + name, await readFile(path.join(root, 'files', 'md5', rel)));
    else temps.push(rel);
  }
  return { objects, temps };
}

async function s3Objects(prefix: string): Promise<{ objects: Map<string, Buffer>; temps: string[] }> {
  const objects = new Map<string, Buffer>();
  const temps: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: 'museum', Prefix: `${prefix}/files/md5/`, ContinuationToken: token }),
    );
    for (const item of page.Contents ?? []) {
      const [p, name] = item.Key!.slice(`${prefix}/files/md5/`.length).split('/');
      if (!OBJECT_NAME.test(name)) {
        temps.push(item.Key!);
        continue;
      }
      const got = await s3.send(new GetObjectCommand({ Bucket: 'museum', Key: item.Key! }));
      objects.set(p + name, Buffer.from(await got.Body!.transformToByteArray()));
    }
    token = page.NextContinuationToken;
  } while (token);
  return { objects, temps };
}

/**
 * Every stored object hashes to its name; on a remote (`complete`), a stored folder list has every
 * file it lists (push uploads it last). A cache may hold the list first: pull fetches it to know the rest.
 */
function checkObjects(where: string, objects: Map<string, Buffer>, complete = where.startsWith('remote')): string[] {
  const problems: string[] = [];
  for (const [id, bytes] of objects) {
    if (md5(bytes) !== id.replace(/\.dir$/, ''))
      problems.push(`${where}: object ${id} does not hash to its name (half-written)`);
    if (!complete || !id.endsWith('.dir')) continue;
    for (const entry of JSON.parse(bytes.toString('utf8')) as { md5: string }[]) {
      if (!objects.has(entry.md5)) problems.push(`${where}: folder list ${id} is there but ${entry.md5} is not`);
    }
  }
  return problems;
}

/** Every recorded file is on the remote byte for byte, and so is the folder list of data.dvc. */
function remoteHolds(objects: Map<string, Buffer>): Outcome {
  const problems: string[] = [];
  let bytesLost = 0;
  for (const [rel, bytes] of originals) {
    if (objects.get(md5(bytes))?.equals(bytes)) continue;
    problems.push(`the remote lacks data/${rel}`);
    bytesLost += bytes.length;
  }
  if (![...objects.keys()].includes(originManifest)) problems.push('the remote lacks the folder list of data.dvc');
  return { problems, bytesLost };
}

async function remoteObjects(kind: RemoteKind, where: string) {
  return kind === 'folder' ? folderObjects(where) : s3Objects(where);
}

/** A repository with data.dvc and a config pointing at `remote`; `sharedCache` reuses the origin's cache. */
async function repoFor({
  name,
  kind,
  remote,
  sharedCache,
}: {
  name: string;
  kind: RemoteKind;
  remote: string;
  sharedCache: boolean;
}): Promise<string> {
  const root = path.join(base, name);
  await mkdir(path.join(root, '.dvc'), { recursive: true });
  await cp(path.join(origin, 'data.dvc'), path.join(root, 'data.dvc'));
  const url = kind === 'folder' ? remote : `s3://museum/${remote}`;
  const lines = ['[core]', '    remote = r', `['remote "r"']`, `    url = ${url}`];
  if (kind === 's3') lines.push(`    endpointurl = ${endpoint}`);
  if (sharedCache) lines.push('[cache]', `    dir = ${originCache}`);
  await writeFile(path.join(root, '.dvc', 'config'), `${lines.join('\n')}\n`);
  if (kind === 's3') {
    await writeFile(
      path.join(root, '.dvc', 'config.local'),
      `['remote "r"']\n    access_key_id = S3RVER\n    secret_access_key = S3RVER\n    region = us-east-1\n`,
    );
  }
  return root;
}

/** Run an operation in a child process; kill it with SIGKILL `killAfterMs` after it started, if given. */
function runChild(
  op: Op,
  root: string,
  killAfterMs?: number,
): Promise<{ killed: boolean; ms: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [CHILD, op, root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let started = 0;
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      if (started || !d.toString().includes('start')) return;
      started = performance.now();
      if (killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', ms: started ? performance.now() - started : 0, code, stderr });
    });
  });
}

/** A fresh clone that pulls from `remote`, and what its data/ holds. */
async function pullIntoClone(name: string, kind: RemoteKind, remote: string): Promise<Outcome> {
  const clone = await repoFor({ name, kind, remote, sharedCache: false });
  await pullData({ root: clone, log: silentLogger });
  return checkData(path.join(clone, 'data'), false);
}

function madeFolder(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

const remotes: Record<RemoteKind, { full: string; fresh: (i: string) => string }> = {
  // A new folder remote is made as "data init" makes it: push refuses a missing one (a share not mounted).
  folder: { full: '', fresh: (i) => madeFolder(path.join(base, `remote-${i}`)) },
  s3: { full: 'full', fresh: (i) => `case-${i}` },
};

/** One kill case: run `op` in a child, kill it after `delay` ms, check, rerun in-process, check again. */
async function killCase(op: Op, kind: RemoteKind, i: number, delay: number): Promise<Outcome> {
  const id = `${op}-${kind}-${i}`;
  if (op === 'push') {
    const remote = remotes[kind].fresh(id);
    const repo = await repoFor({ name: id, kind, remote, sharedCache: true });
    const run = await runChild('push', repo, delay);
    const after = await remoteObjects(kind, remote);
    // s3rver stores the part of a PUT a killed client sent (Amazon S3 and MinIO commit a PUT whole or
    // not at all): right after the kill that is noted, not counted; the rerun must leave none.
    const partial = checkObjects(`remote after kill`, after.objects);
    const problems = kind === 's3' ? [] : partial;
    await pushData({ root: repo, log: silentLogger });
    const resumed = await remoteObjects(kind, remote);
    problems.push(...checkObjects('remote after rerun', resumed.objects));
    if (resumed.temps.length > 0) problems.push(`remote keeps temp litter: ${resumed.temps.join(', ')}`);
    // What a clone would pull: every image, byte for byte (the objects were just read back from the remote).
    const held = remoteHolds(resumed.objects);
    const killed = run.killed ? `killed after ${delay.toFixed(0)} ms` : 'finished before the kill';
    const note =
      kind === 's3' && partial.length > 0
        ? `${killed}; s3rver kept ${partial.length} partial upload(s), repaired by the rerun`
        : killed;
    return { problems: [...problems, ...held.problems], bytesLost: held.bytesLost, note };
  }
  const repo = await repoFor({
    name: id,
    kind,
    remote: kind === 'folder' ? remotes.folder.full : remotes.s3.full,
    sharedCache: op === 'checkout',
  });
  const run = await runChild(op, repo, delay);
  const data = path.join(repo, 'data');
  const problems = [...(await checkData(data, true)).problems];
  const cacheDir = op === 'pull' ? path.join(repo, '.dvc', 'cache') : originCache;
  problems.push(...checkObjects('cache after kill', (await folderObjects(cacheDir)).objects));
  // What status reports must be real files only.
  const status = await dataStatus({ root: repo, log: silentLogger });
  for (const added of status.changes.added) problems.push(`status reports data/${added}, which is not a recorded file`);
  if (op === 'pull') await pullData({ root: repo, log: silentLogger });
  else await checkoutData({ root: repo, log: silentLogger });
  const final = await checkData(data, false);
  problems.push(...final.problems);
  const litter = [
    ...(op === 'pull' ? (await folderObjects(cacheDir)).temps : []),
    ...(await walk(path.join(repo, '.dvc', 'tmp', 'checkout'))),
  ];
  if (litter.length > 0) problems.push(`temp litter left after the rerun: ${litter.join(', ')}`);
  return {
    problems,
    bytesLost: final.bytesLost,
    note: run.killed ? `killed after ${delay.toFixed(0)} ms` : 'finished before the kill',
  };
}

/** Expect `promise` to fail with `code` and a message containing each of `words`; a problem otherwise. */
async function refused(promise: Promise<unknown>, code: string, words: string[]): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) return [`expected ${code}, but it succeeded`];
  if (!isVitrineError(error, code)) return [`expected ${code}, got ${(error as Error).message}`];
  return words.filter((w) => !error.message.includes(w)).map((w) => `message lacks "${w}": ${error.message}`);
}

async function damage(file: string, bytes: Buffer | string): Promise<void> {
  await chmod(file, 0o644);
  await writeFile(file, bytes);
}

/** A repository with its own copy of data/ and cache, added and pushed to a fresh remote. */
async function ownRepo(name: string, kind: RemoteKind): Promise<{ repo: string; remote: string }> {
  const remote = remotes[kind].fresh(name);
  const repo = await repoFor({ name, kind, remote, sharedCache: false });
  await cp(path.join(origin, 'data'), path.join(repo, 'data'), { recursive: true });
  await addData({ root: repo, log: silentLogger });
  await pushData({ root: repo, log: silentLogger });
  return { repo, remote };
}

const someImage = () => [...originals.keys()].find((k) => k.startsWith('images/'))!;

/** The bad-input and race cases: each returns what went wrong (nothing, when handled). */
function inputCases(): { name: string; run: () => Promise<Outcome> }[] {
  const dvcText = async () => readFile(path.join(origin, 'data.dvc'), 'utf8');
  const withDvc = async (name: string, text: string) => {
    const repo = await repoFor({ name, kind: 'folder', remote: remotes.folder.full, sharedCache: true });
    await writeFile(path.join(repo, 'data.dvc'), text);
    return repo;
  };
  const none: Outcome = { problems: [], bytesLost: 0 };
  const cases: { name: string; run: () => Promise<Outcome> }[] = [
    {
      name: 'data.dvc with an unknown key',
      run: async () => ({
        ...none,
        problems: await refused(
          dataStatus({ root: await withDvc('bad-key', `${await dvcText()}  colour: blue\n`), log: silentLogger }),
          'DVCFILE_INVALID',
          ['data.dvc:', '"colour"'],
        ),
      }),
    },
    {
      name: 'data.dvc with two outputs',
      run: async () => {
        const text = await dvcText();
        const second = text.slice('outs:\n'.length).replace('path: data', 'path: more');
        return {
          ...none,
          problems: await refused(
            pullData({ root: await withDvc('two-outs', text + second), log: silentLogger }),
            'DVCFILE_INVALID',
            ['data.dvc:', '2 outputs'],
          ),
        };
      },
    },
    {
      name: 'data.dvc that is not YAML',
      run: async () => ({
        ...none,
        problems: await refused(
          dataStatus({ root: await withDvc('not-yaml', 'outs:\n- md5: abc\n   path: [\n'), log: silentLogger }),
          'DVCFILE_INVALID',
          ['data.dvc:'],
        ),
      }),
    },
    {
      name: 'data.dvc whose path leaves the repository',
      run: async () => {
        const repo = await withDvc('path-outside', (await dvcText()).replace('path: data', 'path: ../outside'));
        const problems = await refused(checkoutData({ root: repo, log: silentLogger }), 'DVCFILE_PATH_OUTSIDE', [
          '../outside',
        ]);
        if ((await walk(path.join(base, 'outside'))).length > 0)
          problems.push('files were written outside the repository');
        return { ...none, problems };
      },
    },
    {
      name: 'data.dvc naming a version missing from the cache',
      run: async () => {
        const repo = await withDvc(
          'no-version',
          (await dvcText()).replace(/md5: [0-9a-f]{32}/, `md5: ${'0'.repeat(32)}`),
        );
        await cp(path.join(origin, 'data'), path.join(repo, 'data'), { recursive: true });
        const text = describeStatus(await dataStatus({ root: repo, log: silentLogger })).join('\n');
        return {
          ...none,
          problems: text.includes('not in the cache: run "npx vitrine data pull"') ? [] : [`status said: ${text}`],
        };
      },
    },
    {
      name: 'litter of an older version inside data/',
      run: async () => {
        const repo = await repoFor({
          name: 'old-litter',
          kind: 'folder',
          remote: remotes.folder.full,
          sharedCache: true,
        });
        await checkoutData({ root: repo, log: silentLogger });
        await writeFile(path.join(repo, 'data', `${someImage()}.0a1b2c3d4e5f.tmp`), 'half');
        const status = await dataStatus({ root: repo, log: silentLogger });
        await checkoutData({ root: repo, log: silentLogger });
        const after = await checkData(path.join(repo, 'data'), false);
        return {
          problems: [...(status.clean ? [] : ['status counts the temp file']), ...after.problems],
          bytesLost: after.bytesLost,
        };
      },
    },
  ];
  for (const kind of ['folder', 's3'] as const) {
    cases.push(
      {
        name: `damaged local cache object, push (${kind})`,
        run: async () => {
          const { repo, remote } = await ownRepo(`damaged-cache-${kind}`, kind);
          const image = someImage();
          const object = objectPath(path.join(repo, '.dvc', 'cache'), md5(originals.get(image)!));
          await damage(object, 'bit rot');
          // A fresh remote, so the push has to upload the damaged object.
          const fresh = remotes[kind].fresh(`damaged-cache-${kind}-2`);
          await writeFile(
            path.join(repo, '.dvc', 'config'),
            (await readFile(path.join(repo, '.dvc', 'config'), 'utf8')).replace(
              kind === 'folder' ? remote : `s3://museum/${remote}`,
              kind === 'folder' ? fresh : `s3://museum/${fresh}`,
            ),
          );
          const problems = await refused(pushData({ root: repo, log: silentLogger }), 'DATA_CORRUPT', [
            `data/${image}`,
            'vitrine data add',
            'vitrine data verify --repair',
          ]);
          await addData({ root: repo, log: silentLogger });
          await pushData({ root: repo, log: silentLogger });
          const pulled = await pullIntoClone(`damaged-cache-${kind}-clone`, kind, fresh);
          return { problems: [...problems, ...pulled.problems], bytesLost: pulled.bytesLost };
        },
      },
      {
        name: `damaged remote object, pull then verify --repair (${kind})`,
        run: async () => {
          const { repo, remote } = await ownRepo(`damaged-remote-${kind}`, kind);
          const image = someImage();
          const id = md5(originals.get(image)!);
          const wrong = Buffer.alloc(originals.get(image)!.length, 0x58);
          if (kind === 'folder') await damage(objectPath(remote, id), wrong);
          else
            await s3.send(
              new PutObjectCommand({
                Bucket: 'museum',
                Key: `${remote}/files/md5/${id.slice(0, 2)}/${id.slice(2)}`,
                Body: wrong,
              }),
            );
          const clone = await repoFor({ name: `damaged-remote-${kind}-clone`, kind, remote, sharedCache: false });
          const problems = await refused(pullData({ root: clone, log: silentLogger }), 'DATA_CORRUPT', [
            `data/${image}`,
          ]);
          const partial = await checkData(path.join(clone, 'data'), true);
          problems.push(...partial.problems);
          const sharing = [...originals.values()].filter((b) => md5(b) === id).length;
          if ((await walk(path.join(clone, 'data'))).length !== originals.size - sharing)
            problems.push('pull did not check out everything else');
          await verifyData({ root: repo, log: silentLogger, remote: true, repair: true });
          await pullData({ root: clone, log: silentLogger });
          const final = await checkData(path.join(clone, 'data'), false);
          return { problems: [...problems, ...final.problems], bytesLost: final.bytesLost };
        },
      },
      {
        name: `two pushes at once, in two processes (${kind})`,
        run: async () => {
          const remote = remotes[kind].fresh(`race-${kind}`);
          const a = await repoFor({ name: `race-a-${kind}`, kind, remote, sharedCache: true });
          const b = await repoFor({ name: `race-b-${kind}`, kind, remote, sharedCache: true });
          const [ra, rb] = await Promise.all([runChild('push', a), runChild('push', b)]);
          const problems = [ra, rb].filter((r) => r.code !== 0).map((r) => `a push failed: ${r.stderr.slice(0, 300)}`);
          const stored = await remoteObjects(kind, remote);
          problems.push(...checkObjects('remote', stored.objects));
          if (stored.temps.length > 0) problems.push(`temp files left: ${stored.temps.join(', ')}`);
          const pulled = await pullIntoClone(`race-${kind}-clone`, kind, remote);
          return { problems: [...problems, ...pulled.problems], bytesLost: pulled.bytesLost };
        },
      },
    );
  }
  cases.push({
    name: 'a live push’s temp file survives another push’s cleaning (folder)',
    run: async () => {
      const remote = remotes.folder.fresh('live-temp');
      const repo = await repoFor({ name: 'live-temp', kind: 'folder', remote, sharedCache: true });
      // A process that is alive for the whole case stands for a concurrent push mid-upload.
      const sleeper = spawn('sleep', ['30']);
      const id = md5(originals.get(someImage())!);
      await mkdir(path.dirname(objectPath(remote, id)), { recursive: true });
      const live = tempNameFor({ file: objectPath(remote, id), pid: sleeper.pid! });
      await writeFile(live, 'upload in progress');
      await pushData({ root: repo, log: silentLogger });
      const kept = (await folderObjects(remote)).temps.length === 1;
      sleeper.kill('SIGKILL');
      await new Promise((resolve) => sleeper.on('exit', resolve));
      await pushData({ root: repo, log: silentLogger });
      const gone = (await folderObjects(remote)).temps.length === 0;
      return {
        ...none,
        problems: [
          ...(kept ? [] : ['the live temp file was removed']),
          ...(gone ? [] : ['the dead temp file was kept']),
        ],
      };
    },
  });
  return cases;
}

beforeAll(async () => {
  base = await tempDir('vitrine-reliability-');
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(base, 's3'),
    configureBuckets: [{ name: 'museum', configs: [] }],
  });
  endpoint = `http://127.0.0.1:${((await server.run()) as { port: number }).port}`;
  s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  remotes.folder.full = path.join(base, 'remote-full');
  // Real museum photographs when the shared datasets are there, plus two large scans so kills land mid-object.
  const found = (await walk(IMAGES))
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, 60);
  for (const rel of found) originals.set(`images/${rel}`, await readFile(path.join(IMAGES, rel)));
  const next = seeded(SEED ^ 0x5eed);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  if (found.length === 0)
    for (let i = 0; i < 150; i++) originals.set(`images/synthetic/${i}.jpg`, bytes(4096 + Math.floor(next() * 20000)));
  for (let i = 0; i < 2; i++)
    originals.set(`scans/scan-${i}.tif`, Buffer.concat([bytes(65536), Buffer.alloc(2 * 1024 * 1024 - 65536, i + 1)]));
  originals.set(
    'objects.csv',
    Buffer.from(`id,file\n${[...originals.keys()].map((k, i) => `${i},${k}`).join('\n')}\n`),
  );
  origin = path.join(base, 'origin');
  for (const [rel, content] of originals) {
    await mkdir(path.dirname(path.join(origin, 'data', rel)), { recursive: true });
    await writeFile(path.join(origin, 'data', rel), content);
  }
  await initData({ root: origin, remoteName: 'folder', remoteUrl: remotes.folder.full });
  await setDvcConfig({
    root: origin,
    values: [
      { section: 'remote "s3"', key: 'url', value: 's3://museum/full' },
      { section: 'remote "s3"', key: 'endpointurl', value: endpoint },
    ],
  });
  await setDvcConfig({
    root: origin,
    local: true,
    values: [
      { section: 'remote "s3"', key: 'access_key_id', value: 'S3RVER' },
      { section: 'remote "s3"', key: 'secret_access_key', value: 'S3RVER' },
    ],
  });
  originManifest = (await addData({ root: origin, log: silentLogger })).md5;
  await pushData({ root: origin, log: silentLogger, remote: 'folder' });
  await pushData({ root: origin, log: silentLogger, remote: 's3' });
  originCache = path.join(origin, '.dvc', 'cache');
}, 120_000);

afterAll(async () => {
  await server?.close();
  await cleanup(base);
});

describe('data layer reliability battery', () => {
  it('handles every bad input and every kill -9 with 0 bytes lost', async () => {
    const started = performance.now();
    const results: { name: string; outcome: Outcome; ms: number }[] = [];
    const record = async (name: string, run: () => Promise<Outcome>) => {
      let outcome: Outcome;
      const t0 = performance.now();
      try {
        outcome = await run();
      } catch (error) {
        outcome = { problems: [`threw: ${(error as Error).message}`], bytesLost: 0 };
      }
      results.push({ name, outcome, ms: performance.now() - t0 });
    };
    for (const c of inputCases()) await record(c.name, c.run);
    const combos: [Op, RemoteKind][] = [
      ['push', 'folder'],
      ['push', 's3'],
      ['pull', 'folder'],
      ['pull', 's3'],
      ['checkout', 'folder'],
    ];
    for (const [op, kind] of combos) {
      // How long the operation takes here, uninterrupted: kills land uniformly within it.
      const probeRemote =
        op === 'push'
          ? remotes[kind].fresh(`probe-${op}-${kind}`)
          : kind === 'folder'
            ? remotes.folder.full
            : remotes.s3.full;
      const probe = await repoFor({
        name: `probe-${op}-${kind}`,
        kind,
        remote: probeRemote,
        sharedCache: op !== 'pull',
      });
      const full = await runChild(op, probe);
      if (full.code !== 0) throw new Error(`${op} (${kind}) failed without a kill: ${full.stderr}`);
      for (let i = 0; i < KILLS; i++) {
        const delay = random() * full.ms;
        await record(`kill -9 during ${op} (${kind}) #${i + 1}`, () => killCase(op, kind, i, delay));
      }
    }
    const handled = results.filter((r) => r.outcome.problems.length === 0).length;
    const kills = results.filter((r) => r.name.startsWith('kill -9'));
    const landed = kills.filter((r) => r.outcome.note?.startsWith('killed')).length;
    const bytesLost = results.reduce((n, r) => n + r.outcome.bytesLost, 0);
    const lines = results.map(
      (r) =>
        `  ${r.outcome.problems.length === 0 ? 'ok  ' : 'FAIL'} ${r.name}` +
        `${r.outcome.note ? ` (${r.outcome.note})` : ''} [${(r.ms / 1000).toFixed(1)} s]` +
        `${r.outcome.problems.length ? `\n       ${r.outcome.problems.slice(0, 5).join('\n       ')}` : ''}`,
    );
    console.log(
      `Data reliability battery (seed ${SEED}): ${results.length} cases tried, ${handled} handled, ${bytesLost} bytes lost ` +
        `(${originals.size} files; ${landed} of ${kills.length} kills landed ` +
        `mid-operation; ${((performance.now() - started) / 1000).toFixed(1)} s)\n${lines.join('\n')}`,
    );
    expect(
      results.filter((r) => r.outcome.problems.length > 0).map((r) => `${r.name}: ${r.outcome.problems.join('; ')}`),
    ).toEqual([]);
    expect(bytesLost).toBe(0);
    expect(handled).toBe(results.length);
  }, 300_000); // about 100 s alone; a loaded 2-core runner has taken over 180 s
});
