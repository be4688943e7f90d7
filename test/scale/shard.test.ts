import { execFile, execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { setDvcConfig } from '../../pipeline/data/config.ts';
import { initData } from '../../pipeline/data/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { openStore } from '../../pipeline/model/embedding-store.ts';

/*
 * The work of one run split over three "runners" (three real `vitrine` processes, each in its own
 * copy of the repository, as three GitHub Actions jobs would have), sharing their caches through an
 * S3-compatible server (s3rver on 127.0.0.1). A fourth copy then pulls the merged caches and runs
 * the whole-collection steps: it must compute nothing, and end with exactly what one process alone
 * makes — the same embedding vectors, the same dataset.json, the same model weights.
 */

const repo = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(repo, 'bin', 'vitrine.js');
const exec = promisify(execFile);

let base: string;
let source: string;
let server: S3rver;

const PARAMS = `demo:
  per_type: 6
  unlabelled_per_type: 1
  wrong_label_rate: 0.1
  image_size: 96
dataset:
  thumbnails:
    widths: [120]
  min_test_per_class: 1
train:
  epochs: 30
  workers: 1
evaluate:
  bootstrap: 100
  folds: 3
gate:
  min_test_objects: 1
`;

/** `vitrine ...` as a child process in `cwd`; resolves with its output whatever the exit code. */
async function vitrine(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A runner's fresh checkout: the repository's files, without `.vitrine/` (nothing computed yet). */
async function checkout(name: string): Promise<string> {
  const dir = path.join(base, name);
  await cp(source, dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.vitrine${path.sep}`) && !src.endsWith(`${path.sep}.vitrine`),
  });
  return dir;
}

async function vectors(root: string): Promise<Map<string, Buffer>> {
  const folders = await readdir(path.join(root, '.vitrine', 'cache', 'embeddings'));
  const out = new Map<string, Buffer>();
  for (const folder of folders) {
    const store = await openStore({ folder: path.join(root, '.vitrine', 'cache', 'embeddings', folder) });
    for (const [key, v] of store.vectors)
      out.set(`${folder}/${key}`, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  }
  return out;
}

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: path.join(base, 's3'),
    configureBuckets: [{ name: 'museum', configs: [] }],
  });
  const { port } = (await server.run()) as { port: number };
  source = path.join(base, 'source');
  await initData({ root: source, remoteName: 'storage', remoteUrl: 's3://museum/collection' });
  await setDvcConfig({
    root: source,
    values: [{ section: 'remote "storage"', key: 'endpointurl', value: `http://127.0.0.1:${port}` }],
  });
  await setDvcConfig({
    root: source,
    local: true,
    values: [
      { section: 'remote "storage"', key: 'access_key_id', value: 'S3RVER' },
      { section: 'remote "storage"', key: 'secret_access_key', value: 'S3RVER' },
    ],
  });
  await writeFile(path.join(source, 'params.yaml'), PARAMS);
  await writeFile(path.join(source, '.gitignore'), 'node_modules\n');
  // The demo collection, pushed to the S3 remote as a museum's images would be.
  const log = memoryLogger();
  const code = await main(['demo'], { cwd: source, env: {}, stdout: () => {}, log });
  if (code !== 0) throw new Error(log.lines.map((l) => l.message).join('\n'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: source,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'T',
        GIT_AUTHOR_EMAIL: 't@e.org',
        GIT_COMMITTER_NAME: 'T',
        GIT_COMMITTER_EMAIL: 't@e.org',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'Demo collection');
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

describe('sharded stages', () => {
  it('three shards and a final job give what one process gives, and the final job computes nothing', async () => {
    const single = await checkout('single');
    const shards = await Promise.all([1, 2, 3].map((i) => checkout(`shard-${i}`)));
    const final = await checkout('final');

    const alone = await vitrine(single, 'run', 'evaluate');
    expect(alone.code, alone.stderr).toBe(0);
    // What the final job must not do, seen here so the check below can fail.
    expect(alone.stderr).toMatch(/Reading \d+ new images/);
    expect(alone.stderr).toMatch(/Embedding \d+ images/);

    const parts = await Promise.all(shards.map((dir, i) => vitrine(dir, 'run', 'evaluate', '--shard', `${i + 1}/3`)));
    for (const part of parts) expect(part.code, part.stderr).toBe(0);
    // Every shard did a share of the work, and no image was read twice.
    const read = parts.map((p) => Number(/Reading (\d+) new image/.exec(p.stderr)?.[1] ?? 0));
    expect(read.every((n) => n > 0)).toBe(true);
    expect(read.reduce((a, b) => a + b)).toBe(Number(/Reading (\d+) new images/.exec(alone.stderr)![1]));

    const merged = await vitrine(final, 'run', 'evaluate', '--pull-caches', '--json');
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stderr).not.toMatch(/Reading \d+ new image/);
    expect(merged.stderr).not.toMatch(/Embedding \d+ image/);
    const { stages } = JSON.parse(merged.stdout) as { stages: { name: string; status: string; summary: string }[] };
    expect(stages.map((s) => [s.name, s.status])).toEqual([
      ['dataset', 'ran'],
      ['train', 'ran'],
      ['evaluate', 'ran'],
    ]);
    expect(stages[1]!.summary).toMatch(/, each photograph described by the image model \(0 newly, [1-9]\d* reused\)/);

    // The same results as one process alone.
    const files = ['.vitrine/dataset/dataset.json', '.vitrine/model/weights.bin', '.vitrine/model/model.json'];
    for (const file of files)
      expect(
        Buffer.compare(await readFile(path.join(final, file)), await readFile(path.join(single, file))),
        file,
      ).toBe(0);
    // Every vector the single run made, byte for byte; the shards also embedded the unlabelled
    // objects, ready for promote's annotation (which a single run reaches later).
    const expected = await vectors(single);
    const got = await vectors(final);
    for (const [key, v] of expected) expect(got.has(key) && Buffer.compare(got.get(key)!, v), key).toBe(0);
    const unlabelled = 6;
    expect(got.size).toBe(expected.size + unlabelled);
    expect(
      await readFile(path.join(final, '.vitrine/evaluate/metrics.json'), 'utf8').then((t) => JSON.parse(t).candidate),
    ).toEqual(
      await readFile(path.join(single, '.vitrine/evaluate/metrics.json'), 'utf8').then((t) => JSON.parse(t).candidate),
    );
    // The thumbnails the catalogue publishes are there too, byte for byte.
    const thumbs = await readdir(path.join(single, '.vitrine/dataset/thumbs'));
    expect((await readdir(path.join(final, '.vitrine/dataset/thumbs'))).sort()).toEqual(thumbs.sort());
    for (const name of thumbs) {
      const [a, b] = await Promise.all(
        [final, single].map((root) => readFile(path.join(root, '.vitrine/dataset/thumbs', name))),
      );
      expect(Buffer.compare(a!, b!), name).toBe(0);
    }
  }, 300_000);

  it('refuses a bad --shard with a usage error naming the flag', async () => {
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1.5/3', '2', '-1/2']) {
      for (const args of [
        ['run', `--shard=${bad}`],
        ['train', `--shard=${bad}`],
      ]) {
        const log = memoryLogger();
        const code = await main(args, { cwd: source, env: {}, stdout: () => {}, log });
        const said = log.lines.map((l) => l.message).join('\n');
        expect(code, bad).toBe(2);
        expect(said, bad).toMatch(/--shard takes "i\/n".*1 ≤ i ≤ n/);
        expect(said, bad).toContain(`got "${bad}"`);
      }
    }
  });
});
