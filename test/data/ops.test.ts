import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import {
  addData,
  checkoutData,
  dataStatus,
  initData,
  openRemote,
  pullData,
  pushData,
  readDvcFile,
} from '../../pipeline/data/index.ts';
import { localRemote } from '../../pipeline/data/remote.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, readTree, SAMPLE, tempDir, writeTree } from './helpers.ts';

let base: string;
let repo: string;
let storage: string;
beforeEach(async () => {
  base = await tempDir();
  repo = path.join(base, 'repo');
  storage = path.join(base, 'storage');
  await mkdir(repo);
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await initData({ root: repo, remoteUrl: '../storage' });
});
afterEach(async () => {
  await cleanup(base);
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('init and add', () => {
  it('writes .dvc/config, .dvc/.gitignore and data.dvc exactly as DVC 3 does', async () => {
    expect(await readFile(path.join(repo, '.dvc', 'config'), 'utf8')).toBe(
      `[core]\n    remote = local\n['remote "local"']\n    url = ../../storage\n`,
    );
    expect(await readFile(path.join(repo, '.dvc', '.gitignore'), 'utf8')).toBe('/config.local\n/tmp\n/cache\n');
    const result = await addData({ root: repo, log: silentLogger });
    expect(result.nfiles).toBe(4);
    expect(result.size).toBe(Object.values(SAMPLE).reduce((n, s) => n + s.length, 0));
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(
      `outs:\n- md5: ${result.md5}\n  size: ${result.size}\n  nfiles: 4\n  hash: md5\n  path: data\n`,
    );
    expect(await readFile(path.join(repo, '.gitignore'), 'utf8')).toBe('/data\n');
    // Cache layout files/md5/ab/cdef…, read-only, and the manifest DVC would write.
    const png = objectPath(path.join(repo, '.dvc', 'cache'), md5('not really a png 1'));
    expect(png).toContain(path.join('.dvc', 'cache', 'files', 'md5', md5('not really a png 1').slice(0, 2)));
    expect((await stat(png)).mode & 0o222).toBe(0);
    const manifest = await readFile(objectPath(path.join(repo, '.dvc', 'cache'), result.md5), 'utf8');
    expect(manifest).toBe(
      `[{"md5": "${md5(SAMPLE['images/A1.png'])}", "relpath": "images/A1.png"}, {"md5": ` +
        `"${md5(SAMPLE['images/A2.png'])}", "relpath": "images/A2.png"}, ` +
        `{"md5": "${md5(SAMPLE['images/sub/A3.png'])}", "relpath": "images/sub/A3.png"}, {"md5": ` +
        `"${md5(SAMPLE['objects.csv'])}", "relpath": "objects.csv"}]`,
    );
    expect(md5(manifest)).toBe(result.md5.replace('.dir', ''));
    // A second add changes nothing.
    expect(await addData({ root: repo, log: silentLogger })).toEqual(result);
    expect(await readFile(path.join(repo, '.gitignore'), 'utf8')).toBe('/data\n');
  });
});

describe('.dvcignore', () => {
  it('add, status and checkout --force leave ignored files alone, as DVC does', async () => {
    const recorded = await addData({ root: repo, log: silentLogger });
    await writeFile(path.join(repo, '.dvcignore'), '.DS_Store\n');
    await writeFile(path.join(repo, 'data', '.DS_Store'), 'finder');
    await writeFile(path.join(repo, 'data', 'images', '.DS_Store'), 'finder');
    expect(await addData({ root: repo, log: silentLogger })).toEqual(recorded);
    expect((await dataStatus({ root: repo, log: silentLogger })).clean).toBe(true);
    const out = await checkoutData({ root: repo, log: silentLogger, force: true });
    expect(out.removed).toBe(0);
    expect(await readFile(path.join(repo, 'data', '.DS_Store'), 'utf8')).toBe('finder');
  });
});

describe('push, pull, checkout, status', () => {
  it('round-trips through a local remote, moving only missing objects', async () => {
    const added = await addData({ root: repo, log: silentLogger });
    // 3 distinct file contents (two images share one); the folder list goes too, and is not counted.
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 3, skipped: 0 });
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 0, skipped: 3 });
    expect((await readdir(path.join(storage, 'files', 'md5'))).length).toBeGreaterThan(0);
    expect(await stat(objectPath(storage, added.md5))).toBeTruthy();

    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    const before = await dataStatus({ root: clone, log: silentLogger, remote: true });
    expect(before.clean).toBe(false);
    expect(before.workspace).toBeNull();
    expect(before.remote?.missing).toBe(0);
    // Like `dvc status -c`, checking the remote fetched the folder list into the cache.
    const log = memoryLogger();
    expect(await pullData({ root: clone, log })).toEqual({ transferred: 3, skipped: 0 });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
    const after = await dataStatus({ root: clone, log: silentLogger });
    expect(after.clean).toBe(true);
    expect(after.changes).toEqual({ added: [], removed: [], modified: [] });
    expect(after.cache.missing).toBe(0);

    // Edits show up in status; checkout puts the recorded version back.
    await writeFile(path.join(clone, 'data', 'objects.csv'), 'id,title\nA1,Bowl\n');
    await writeFile(path.join(clone, 'data', 'images', 'new.png'), 'new');
    const edited = await dataStatus({ root: clone, log: silentLogger });
    expect(edited.clean).toBe(false);
    expect(edited.changes).toEqual({ added: ['images/new.png'], removed: [], modified: ['objects.csv'] });
    // The edit to objects.csv is recorded nowhere, so a plain checkout refuses to discard it.
    const refused = await checkoutData({ root: clone, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(refused, 'DATA_UNRECORDED_CHANGES')).toBe(true);
    expect(await readFile(path.join(clone, 'data', 'objects.csv'), 'utf8')).toBe('id,title\nA1,Bowl\n');
    // An edit whose content is in the cache (the same bytes as another recorded file) is safe to overwrite.
    await writeFile(path.join(clone, 'data', 'objects.csv'), SAMPLE['images/A1.png']);
    const out = await checkoutData({ root: clone, log: silentLogger });
    expect(out.written).toBe(1);
    expect(out.extra).toEqual(['data/images/new.png']);
    expect(await readFile(path.join(clone, 'data', 'objects.csv'), 'utf8')).toBe(SAMPLE['objects.csv']);
    await checkoutData({ root: clone, log: silentLogger, force: true });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
  });

  it('two pushes of the same data at once both succeed', async () => {
    await addData({ root: repo, log: silentLogger });
    const [a, b] = await Promise.all([
      pushData({ root: repo, log: silentLogger, jobs: 2 }),
      pushData({ root: repo, log: silentLogger, jobs: 3 }),
    ]);
    expect(a.transferred + a.skipped).toBe(3);
    expect(b.transferred + b.skipped).toBe(3);
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    await pullData({ root: clone, log: silentLogger });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
  });
});

describe('faults', () => {
  it('checkout and pull refuse to overwrite a changed file that was not recorded, unless forced', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    // A re-photographed image, not yet recorded with "vitrine data add".
    const a1 = path.join(repo, 'data', 'images', 'A1.png');
    await writeFile(a1, 'the new photograph');
    const error = await checkoutData({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_UNRECORDED_CHANGES')).toBe(true);
    expect(error.message).toContain('data/images/A1.png');
    expect(error.message).toContain('vitrine data add');
    expect(error.message).toContain('vitrine data checkout --force');
    expect(error.data.files).toEqual(['data/images/A1.png']);
    expect(await readFile(a1, 'utf8')).toBe('the new photograph');
    const pulled = await pullData({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(pulled, 'DATA_UNRECORDED_CHANGES')).toBe(true);
    expect(await readFile(a1, 'utf8')).toBe('the new photograph');
    // --force discards the change.
    await checkoutData({ root: repo, log: silentLogger, force: true });
    expect(await readFile(a1, 'utf8')).toBe(SAMPLE['images/A1.png']);
  });

  it('checkout keeps files data.dvc does not list, saying apart those the cache keeps from new work', async () => {
    // Tester: a colleague's import removed A2 and recorded it; here A2 stayed beside a staff member's new photograph,
    // and one advice for both (add them, or --force) either put A2 back or deleted the only copy of the new one.
    // Neither is removed (a reviewer: a cached copy may be damaged, or recorded only by a data add never committed).
    await addData({ root: repo, log: silentLogger });
    const a2 = path.join(repo, 'data', 'images', 'A2.png');
    const { rm } = await import('node:fs/promises');
    await rm(a2);
    await addData({ root: repo, log: silentLogger });
    await writeFile(a2, SAMPLE['images/A2.png']!);
    const fresh = path.join(repo, 'data', 'images', 'new.png');
    await writeFile(fresh, 'a photograph recorded nowhere');
    const log = memoryLogger();
    const out = await checkoutData({ root: repo, log });
    expect(out.removed).toBe(0);
    expect(out.extra).toEqual(['data/images/A2.png', 'data/images/new.png']);
    expect(await readFile(a2, 'utf8')).toBe(SAMPLE['images/A2.png']);
    expect(await readFile(fresh, 'utf8')).toBe('a photograph recorded nowhere');
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      '2 files in data/ are not in data.dvc, so they were kept. data/images/A2.png: its content is in the data cache, ' +
        'so an earlier data.dvc or a "data add" recorded it: if data.dvc dropped it on purpose (an object removed ' +
        'from the collection), delete it; "npx vitrine data add" would record it again. data/images/new.png: ' +
        'recorded nowhere (new work): run "npx vitrine data add" to record it; "npx vitrine data checkout --force" ' +
        'would delete it, and it is nowhere else.',
    ]);
  });

  it('a damaged cache object leaves the file that was there in place, even with force', async () => {
    await addData({ root: repo, log: silentLogger });
    const object = objectPath(path.join(repo, '.dvc', 'cache'), md5(SAMPLE['images/A1.png']));
    await chmod(object, 0o644);
    await writeFile(object, 'tampered bytes');
    const a1 = path.join(repo, 'data', 'images', 'A1.png');
    await writeFile(a1, 'the only copy of this photograph');
    const error = await checkoutData({ root: repo, log: silentLogger, force: true }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT')).toBe(true);
    expect(await readFile(a1, 'utf8')).toBe('the only copy of this photograph');
  });

  it('a folder where a recorded file belongs is kept when it holds unrecorded files, and replaced once the copy is verified', async () => {
    await addData({ root: repo, log: silentLogger });
    const a1 = path.join(repo, 'data', 'images', 'A1.png');
    const { rm } = await import('node:fs/promises');
    await rm(a1);
    await writeTree(a1, { 'notes.txt': 'unrecorded notes' });
    const error = await checkoutData({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_UNRECORDED_CHANGES')).toBe(true);
    expect(error.message).toContain('data/images/A1.png/notes.txt');
    expect(await readFile(path.join(a1, 'notes.txt'), 'utf8')).toBe('unrecorded notes');
    // A folder holding only recorded content is replaced by the file.
    await writeFile(path.join(a1, 'notes.txt'), SAMPLE['images/A2.png']);
    const out = await checkoutData({ root: repo, log: silentLogger });
    expect(out.extra).toEqual([]);
    expect(await readTree(path.join(repo, 'data'))).toEqual(SAMPLE);
  });

  it('a missing remote object names the object and the file that needs it', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const lost = md5(SAMPLE['objects.csv']);
    await chmod(objectPath(storage, lost), 0o644);
    const { rm } = await import('node:fs/promises');
    await rm(objectPath(storage, lost));
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    const log = memoryLogger();
    const error = await pullData({ root: clone, log }).catch((e) => e);
    expect(isVitrineError(error, 'REMOTE_OBJECT_MISSING')).toBe(true);
    expect(error.message).toContain(lost);
    expect(error.message).toContain('data/objects.csv');
    expect(
      log.lines.some((l) => l.level === 'error' && l.where?.file === 'data/objects.csv' && l.where?.object === lost),
    ).toBe(true);
    // Everything that is on the remote was checked out; only the missing file is absent.
    const { 'objects.csv': _lostFile, ...rest } = SAMPLE;
    expect(await readTree(path.join(clone, 'data'))).toEqual(rest);
    expect(error.data.files).toEqual(['data/objects.csv']);
    // The rest was downloaded: a later pull after a push resumes.
    await pushData({ root: repo, log: silentLogger });
    expect(await pullData({ root: clone, log: silentLogger })).toEqual({ transferred: 1, skipped: 2 });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
  });

  it('a damaged cache object is detected, reported and never checked out', async () => {
    await addData({ root: repo, log: silentLogger });
    const object = objectPath(path.join(repo, '.dvc', 'cache'), md5(SAMPLE['images/A1.png']));
    await chmod(object, 0o644);
    await writeFile(object, 'tampered bytes');
    const { rm } = await import('node:fs/promises');
    await rm(path.join(repo, 'data', 'images', 'A1.png'));
    const log = memoryLogger();
    const error = await checkoutData({ root: repo, log }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT')).toBe(true);
    expect(error.message).toContain(md5(SAMPLE['images/A1.png']));
    expect(error.message).toContain('data/images/A1.png');
    await expect(stat(path.join(repo, 'data', 'images', 'A1.png'))).rejects.toThrow();
    expect(log.lines.some((l) => l.level === 'error' && l.where?.file === 'data/images/A1.png')).toBe(true);
  });

  it('a damaged object on the remote is refused by pull', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const object = objectPath(storage, md5(SAMPLE['objects.csv']));
    await chmod(object, 0o644);
    await writeFile(object, 'tampered');
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    const log = memoryLogger();
    const error = await pullData({ root: clone, log }).catch((e) => e);
    expect(isVitrineError(error, 'DATA_CORRUPT')).toBe(true);
    // Tester: "The copy of data/objects.csv is on the remote … is damaged".
    expect(log.lines.find((l) => l.level === 'error')?.message).toBe(
      `data/objects.csv is damaged on the remote "local" (object ${md5(SAMPLE['objects.csv'])}): that copy was not used.`,
    );
    await expect(stat(objectPath(path.join(clone, '.dvc', 'cache'), md5(SAMPLE['objects.csv'])))).rejects.toThrow();
    await expect(stat(path.join(clone, 'data', 'objects.csv'))).rejects.toThrow();
    expect(error.message).toContain('data/objects.csv');
    // An outside tester: "0 object(s) missing and 1 damaged …, so these 1 files were not checked out".
    expect(error.message).toMatch(
      /^1 object is damaged on the remote "local", so 1 file was not checked out: data\/objects\.csv \(for example object /,
    );
    expect(await readFile(path.join(clone, 'data', 'images', 'A1.png'), 'utf8')).toBe(SAMPLE['images/A1.png']);
    expect(error.message).toContain('vitrine data push --verify');
  });

  it('push --verify finds damaged objects on the remote and uploads good copies, so the clone can pull', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    // One object with the wrong size, one with the right size but other bytes.
    const shorter = objectPath(storage, md5(SAMPLE['objects.csv']));
    const sameSize = objectPath(storage, md5(SAMPLE['images/A1.png']));
    await chmod(shorter, 0o644);
    await writeFile(shorter, 'tampered');
    await chmod(sameSize, 0o644);
    await writeFile(sameSize, 'X'.repeat(SAMPLE['images/A1.png'].length));
    // A plain push compares sizes: it sends the copy cut short again, and cannot see the other one.
    expect(await pushData({ root: repo, log: silentLogger })).toEqual({ transferred: 1, skipped: 2 });
    expect(await readFile(shorter, 'utf8')).toBe(SAMPLE['objects.csv']);
    const log = memoryLogger();
    expect(await pushData({ root: repo, log, verify: true })).toEqual({ transferred: 1, skipped: 2, repaired: 1 });
    expect(log.lines.some((l) => l.level === 'warn' && l.where?.file === 'data/images/A1.png')).toBe(true);
    expect(await readFile(sameSize, 'utf8')).toBe(SAMPLE['images/A1.png']);
    expect(await pushData({ root: repo, log: silentLogger, verify: true })).toEqual({
      transferred: 0,
      skipped: 3,
      repaired: 0,
    });
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    await pullData({ root: clone, log: silentLogger });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
  });

  it('an interrupted push (process killed mid-object) leaves no partial object visible, and the next push completes', async () => {
    const remoteDir = path.join(base, 'killed-remote');
    const fifo = path.join(base, 'fifo');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const content = Buffer.alloc(4 * 1024 * 1024, 7);
    const id = createHash('md5').update(content).digest('hex');
    const child = path.join(base, 'child.ts');
    const remoteModule = path.resolve('pipeline/data/remote.ts');
    await writeFile(
      child,
      `import { localRemote } from ${JSON.stringify(remoteModule)};\nawait localRemote({ name: 'r', ` +
        `dir: ${JSON.stringify(remoteDir)} }).put({ md5: ${JSON.stringify(id)}, file: ${JSON.stringify(fifo)} });\n`,
    );
    const proc = spawn(path.resolve('node_modules/.bin/node'), [child], { stdio: 'ignore' });
    const exited = new Promise((resolve) => proc.on('exit', resolve));
    // Feed half the object through the pipe, wait until the temp file holds some of it, then kill.
    const writer = await open(fifo, 'w');
    await writer.write(content.subarray(0, content.length / 2));
    const dest = objectPath(remoteDir, id);
    let sawPartial = false;
    for (let i = 0; i < 200; i++) {
      const names = await readdir(path.dirname(dest)).catch(() => []);
      const temp = names.find((n) => n.endsWith('.tmp'));
      if (temp && (await stat(path.join(path.dirname(dest), temp))).size > 0) {
        sawPartial = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    proc.kill('SIGKILL');
    await exited;
    await writer.close().catch(() => {});
    expect(sawPartial).toBe(true);
    const remote = localRemote({ name: 'r', dir: remoteDir });
    expect(await remote.has(id)).toBe(false);
    await expect(stat(dest)).rejects.toThrow();
    // Resume: a real push of the same object succeeds.
    const file = path.join(base, 'whole.bin');
    await writeFile(file, content);
    await remote.put({ md5: id, file });
    expect(await remote.has(id)).toBe(true);
  }, 30_000);

  it('an interrupted pull keeps what it finished and resumes with the rest', async () => {
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    const real = await openRemote({ root: clone });
    let gets = 0;
    const flaky = {
      ...real,
      get: async (o: { md5: string; file: string }) => {
        if (++gets > 2) throw new Error('network dropped');
        return real.get(o);
      },
    };
    await expect(pullData({ root: clone, log: silentLogger, remote: flaky, jobs: 1 })).rejects.toThrow(
      'network dropped',
    );
    const resumed = await pullData({ root: clone, log: silentLogger });
    expect(resumed).toEqual({ transferred: 2, skipped: 1 });
    expect(await readTree(path.join(clone, 'data'))).toEqual(SAMPLE);
  });

  it('refuses a path in data.dvc that leaves the repository', async () => {
    await addData({ root: repo, log: silentLogger });
    const text = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    for (const bad of ['../outside', '/etc', '.git/objects', '.']) {
      await writeFile(path.join(repo, 'data.dvc'), text.replace('path: data', `path: ${bad}`));
      const error = await checkoutData({ root: repo, log: silentLogger }).catch((e) => e);
      expect(isVitrineError(error, 'DVCFILE_PATH_OUTSIDE'), bad).toBe(true);
    }
  });

  it('a malformed data.dvc names its line', async () => {
    await writeFile(path.join(repo, 'data.dvc'), 'outs:\n- md5: not-a-hash\n  size: 12\n  hash: md5\n  path: data\n');
    const error = await dataStatus({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'DVCFILE_INVALID')).toBe(true);
    expect(error.message).toMatch(/^data\.dvc:2: /);
    await writeFile(
      path.join(repo, 'data.dvc'),
      'outs:\n- md5: d751713988987e9331980363e24189ce.dir\n  size: twelve\n  path: data\n',
    );
    const sizeError = await readDvcFile({ file: path.join(repo, 'data.dvc') }).catch((e) => e);
    expect(sizeError.message).toMatch(/^data\.dvc:3: "size: twelve"/);
    await writeFile(path.join(repo, 'data.dvc'), 'outs:\n- md5: abc\n   path: [\n');
    const yamlError = await readDvcFile({ file: path.join(repo, 'data.dvc') }).catch((e) => e);
    expect(isVitrineError(yamlError, 'DVCFILE_INVALID')).toBe(true);
    expect(yamlError.data.line).toBeGreaterThan(1);
  });

  it('a DVC 2.x data.dvc (no "hash:") is read, and refused for transfers with a message that says so', async () => {
    await writeFile(
      path.join(repo, 'data.dvc'),
      'outs:\n- md5: 6fdb5336fce0dbfd669f83065f107551.dir\n  size: 20\n  nfiles: 2\n  path: data\n',
    );
    const parsed = await readDvcFile({ file: path.join(repo, 'data.dvc') });
    expect(parsed.legacy).toBe(true);
    expect(parsed.outs[0].md5).toBe('6fdb5336fce0dbfd669f83065f107551.dir');
    const error = await pullData({ root: repo, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'DVCFILE_LEGACY')).toBe(true);
    expect(error.message).toContain('DVC 2.x');
    // "vitrine data add" records it again in DVC 3 format.
    await addData({ root: repo, log: silentLogger });
    expect((await readDvcFile({ file: path.join(repo, 'data.dvc') })).legacy).toBe(false);
  });
});

describe('push to a remote holding many objects', () => {
  it('lists the remote once instead of checking each object, and uploads only what is missing', async () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 150; i++) many[`images/object-${i}.jpg`] = `photograph ${i}`;
    await writeTree(path.join(repo, 'data'), many);
    await addData({ root: repo, log: silentLogger });
    const real = localRemote({ name: 'local', dir: storage });
    let checks = 0;
    const counting = { ...real, has: async (id: string) => (checks++, real.has(id)) };
    const first = await pushData({ root: repo, log: silentLogger, remote: counting });
    expect(first.transferred).toBe(150 + 3);
    expect(checks).toBeLessThanOrEqual(1);
    // One image lost on the remote: listed as missing and uploaded again.
    const lost = objectPath(storage, md5('photograph 7'));
    await chmod(lost, 0o644);
    const { rm } = await import('node:fs/promises');
    await rm(lost);
    checks = 0;
    expect(await pushData({ root: repo, log: silentLogger, remote: counting })).toEqual({
      transferred: 1,
      skipped: 150 + 2,
    });
    expect(checks).toBeLessThanOrEqual(1);
    expect(await readFile(lost, 'utf8')).toBe('photograph 7');
  });
});

describe('a large pull (files checked out as their objects arrive)', () => {
  const many = (n: number, tag: string) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`images/${i % 7}/${tag}-${i}.png`, `${tag} photograph ${i}`]),
    );

  it('fills data/ byte for byte, shared objects included, and the next status reads nothing', async () => {
    const files = { ...many(150, 'obj'), 'images/copy-of-3.png': 'obj photograph 3' };
    await writeTree(path.join(repo, 'data'), files);
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    const result = await pullData({ root: clone, log: silentLogger });
    expect(result.transferred).toBe(150 + Object.keys(SAMPLE).length - 1);
    expect(await readTree(path.join(clone, 'data'))).toEqual({ ...SAMPLE, ...files });
    const read: boolean[] = [];
    const status = await dataStatus({ root: clone, log: silentLogger });
    expect(status.clean).toBe(true);
    // Every file the pull wrote is in the state: hashing the tree again reads none of them.
    const { hashTree } = await import('../../pipeline/data/hash.ts');
    await hashTree({
      dir: path.join(clone, 'data'),
      stateFile: path.join(clone, '.dvc', 'tmp', 'vitrine-state.json'),
      onFile: (_e, fromState) => read.push(!fromState),
    });
    expect(read.filter(Boolean)).toEqual([]);
  });

  it('refuses unrecorded changes before writing; a missing object still lets the rest in', async () => {
    await writeTree(path.join(repo, 'data'), many(100, 'obj'));
    await addData({ root: repo, log: silentLogger });
    await pushData({ root: repo, log: silentLogger });
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    await writeTree(path.join(clone, 'data'), { 'images/0/obj-0.png': 'a new photograph, not recorded' });
    const refused = await pullData({ root: clone, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(refused, 'DATA_UNRECORDED_CHANGES')).toBe(true);
    expect(await readTree(path.join(clone, 'data'))).toEqual({
      'images/0/obj-0.png': 'a new photograph, not recorded',
    });
    // Lost on the remote: one object. Everything else arrives and is checked out.
    const clone2 = path.join(base, 'clone2');
    await cloneTracked(repo, clone2);
    const lost = objectPath(storage, md5('obj photograph 42'));
    await chmod(path.dirname(lost), 0o755);
    const { rm } = await import('node:fs/promises');
    await rm(lost, { force: true });
    const error = await pullData({ root: clone2, log: silentLogger }).catch((e) => e);
    expect(isVitrineError(error, 'REMOTE_OBJECT_MISSING')).toBe(true);
    const tree = await readTree(path.join(clone2, 'data'));
    expect(Object.keys(tree)).toHaveLength(Object.keys(SAMPLE).length + 99);
    expect(tree['images/0/obj-42.png']).toBeUndefined();
    expect(tree['images/1/obj-43.png']).toBe('obj photograph 43');
  });
});
