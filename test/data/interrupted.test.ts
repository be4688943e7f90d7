import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import {
  addData,
  checkoutData,
  dataStatus,
  initData,
  pullData,
  pushData,
  readDvcFile,
} from '../../pipeline/data/index.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, readTree, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * What a process killed half-way (kill -9) leaves behind must never show up as data: not in data/,
 * not as an object. Our own temp files are recognised and cleaned on the next run.
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-interrupted-');
  repo = path.join(base, 'repo');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
});
afterEach(async () => {
  await cleanup(base);
});

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');

/** Every file under `dir` (relpaths), or [] when it does not exist. */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const item of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const rel = prefix ? `${prefix}/${item.name}` : item.name;
    if (item.isDirectory()) out.push(...(await walk(path.join(dir, item.name), rel)));
    else out.push(rel);
  }
  return out;
}

describe('a checkout killed mid-copy', () => {
  it('writes its temp file outside data/, so status and add never see it', async () => {
    // A large image whose cache object is a pipe we feed by hand, so the child is caught mid-copy.
    const big = Buffer.alloc(4 * 1024 * 1024, 9);
    await writeFile(path.join(repo, 'data', 'images', 'big.tif'), big);
    await addData({ root: repo, log: silentLogger });
    await rm(path.join(repo, 'data', 'images', 'big.tif'));
    const object = objectPath(path.join(repo, '.dvc', 'cache'), md5(big));
    await chmod(object, 0o644);
    await rm(object);
    execFileSync('mkfifo', [object]);
    const child = path.join(base, 'child.ts');
    const ops = path.resolve('pipeline/data/ops.ts');
    const logModule = path.resolve('pipeline/log.ts');
    await writeFile(
      child,
      `import { checkoutData } from ${JSON.stringify(ops)};\nimport { silentLogger } from ${JSON.stringify(logModule)};\n` +
        `await checkoutData({ root: ${JSON.stringify(repo)}, log: silentLogger });\n`,
    );
    const proc = spawn(path.resolve('node_modules/.bin/node'), [child], { stdio: 'ignore' });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    const writer = await open(object, 'w');
    await writer.write(big.subarray(0, big.length / 2));
    // Wait until the child has written part of the image to its temp file, then kill it.
    let temp: string | undefined;
    for (let i = 0; i < 400 && !temp; i++) {
      const all = (await walk(repo)).filter((f) => f.endsWith('.tmp') && !f.includes('vitrine-state'));
      for (const f of all) if ((await stat(path.join(repo, f))).size > 0) temp = f;
      if (!temp) await new Promise((r) => setTimeout(r, 25));
    }
    proc.kill('SIGKILL');
    await exited;
    await writer.close().catch(() => {});
    expect(temp).toBeDefined();
    expect(temp?.startsWith('data/')).toBe(false);
    // Nothing half-written is visible: status sees only the missing image, add records nothing new.
    const status = await dataStatus({ root: repo, log: silentLogger });
    expect(status.changes).toEqual({ added: [], removed: ['images/big.tif'], modified: [] });
    expect((await walk(path.join(repo, 'data'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 30_000);
});

describe('temp files left by an older Vitrine inside data/', () => {
  it('are not reported by status, not recorded by add, and removed by the next checkout', async () => {
    const recorded = await addData({ root: repo, log: silentLogger });
    // The name pattern earlier versions used beside the file they were writing.
    const litter = path.join(repo, 'data', 'images', 'A1.png.0a1b2c3d4e5f.tmp');
    await writeFile(litter, 'half of a photograph');
    const status = await dataStatus({ root: repo, log: silentLogger });
    expect(status.clean).toBe(true);
    expect(await addData({ root: repo, log: silentLogger })).toEqual(recorded);
    expect((await readDvcFile({ file: path.join(repo, 'data.dvc') })).outs[0].md5).toBe(recorded.md5);
    await checkoutData({ root: repo, log: silentLogger });
    await expect(stat(litter)).rejects.toThrow();
    expect(await readTree(path.join(repo, 'data'))).toEqual(SAMPLE);
  });

  it('a file that only looks a little like a temp file is still data', async () => {
    await writeFile(path.join(repo, 'data', 'notes.tmp'), 'a curator’s notes');
    const recorded = await addData({ root: repo, log: silentLogger });
    expect(recorded.nfiles).toBe(5);
  });
});
describe('temp litter in the cache and the remote', () => {
  it('push and pull remove stale temp files of dead processes, and keep those of live ones', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const storage = path.join(base, 'storage');
    const cache = path.join(repo, '.dvc', 'cache');
    const id = md5(SAMPLE['objects.csv']);
    // A pid that is surely dead: a child that already exited.
    const dead = spawn(path.resolve('node_modules/.bin/node'), ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    const { tempNameFor } = await import('../../pipeline/data/temp.ts');
    // Temp names carry a random part: make each once.
    const names = new Map<string, string>();
    const once = (key: string, make: () => string) => names.get(key) ?? (names.set(key, make()), names.get(key)!);
    const deadTemp = (dir: string) =>
      once(`dead ${dir}`, () => tempNameFor({ file: objectPath(dir, id), pid: dead.pid! }));
    const liveTemp = (dir: string) =>
      once(`live ${dir}`, () => tempNameFor({ file: objectPath(dir, id), pid: process.pid }));
    const oldStyle = (dir: string) => `${objectPath(dir, id)}.0a1b2c3d4e5f.tmp`;
    for (const dir of [storage, cache]) {
      for (const f of [deadTemp(dir), liveTemp(dir), oldStyle(dir)]) await writeFile(f, 'partial');
    }
    // An old-style name carries no owner: only its age makes it stale.
    const { utimes } = await import('node:fs/promises');
    const hourAgo = new Date(Date.now() - 2 * 3600 * 1000);
    await utimes(oldStyle(storage), hourAgo, hourAgo);
    await pushData({ root: repo, log: silentLogger });
    const remoteTemps = (await walk(storage)).filter((f) => f.endsWith('.tmp'));
    expect(remoteTemps.map((f) => path.join(storage, f)).sort()).toEqual([liveTemp(storage)].sort());
    // The clone's pull cleans its cache the same way.
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    const cloneCache = path.join(clone, '.dvc', 'cache');
    await mkdir(path.dirname(objectPath(cloneCache, id)), { recursive: true });
    await writeFile(deadTemp(cloneCache), 'partial');
    await pullData({ root: clone, log: silentLogger });
    expect((await walk(cloneCache)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
    expect(await readFile(objectPath(storage, id), 'utf8')).toBe(SAMPLE['objects.csv']);
  });
});
