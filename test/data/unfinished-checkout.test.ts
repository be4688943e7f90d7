import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeStatus } from '../../pipeline/data/commands.ts';
import { addData, checkoutData, dataStatus, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { unfinishedCheckoutFile } from '../../pipeline/data/ops.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, tempDir, writeTree } from './helpers.ts';

/*
 * An outside tester killed `data pull` while it put the downloaded files in data/, ran the first fix `data status`
 * suggested ("data add") and committed a data.dvc without 12 images and objects.csv: every file was in the local
 * cache, so the ones not in data/ yet looked deleted by hand. A real `vitrine data checkout`, killed part-way.
 */

const NODE = path.resolve('node_modules/.bin/node');
const BIN = path.resolve('bin/vitrine.js');
const FILES = 3000;
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(cleanup));
});

/** A clone of a repository of FILES + 1 files, pulled (every file in its cache), then its data/ deleted. */
let emptied = '';
beforeAll(async () => {
  const base = await tempDir();
  dirs.push(base);
  const origin = path.join(base, 'origin');
  emptied = path.join(base, 'clone');
  const files: Record<string, string> = { 'objects.csv': 'id,image\n' };
  for (let i = 0; i < FILES; i++) files[`images/A${i}.jpg`] = `image ${i} `.repeat(50);
  await writeTree(path.join(origin, 'data'), files);
  await initData({ root: origin, remoteName: 'storage', remoteUrl: path.join(base, 'remote') });
  await addData({ root: origin, log: silentLogger });
  await pushData({ root: origin, log: silentLogger });
  await cloneTracked(origin, emptied);
  await pullData({ root: emptied, log: silentLogger });
  await rm(path.join(emptied, 'data'), { recursive: true });
}, 120_000);

/**
 * A clone whose data/ a `vitrine data checkout` was filling from the cache when it was killed (SIGKILL): a copy of
 * `emptied` (made once: adding, pushing and pulling 3,000 files is most of the work), file times kept.
 */
async function killedCheckout(): Promise<string> {
  const base = await tempDir();
  dirs.push(base);
  const clone = path.join(base, 'clone');
  // cp -a: fs.cp takes seconds of CPU over the 3,000 objects of the cache.
  execFileSync('cp', ['-a', emptied, clone]);
  const child = spawn(NODE, [BIN, '-C', clone, 'data', 'checkout'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const images = path.join(clone, 'data', 'images');
  const written = () => (existsSync(images) ? readdirSync(images).length : 0);
  // Killed once the checkout has put some files in data/.
  while (written() < 10 && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
  child.kill('SIGKILL');
  await exited;
  return clone;
}

describe('a pull or checkout killed while it fills data/', () => {
  it('is said by status, which says to finish it rather than record data/ as it is', async () => {
    const clone = await killedCheckout();
    const there = (await readdir(path.join(clone, 'data', 'images')).catch(() => [])).length;
    expect(there, 'the kill landed before the checkout finished').toBeLessThan(FILES);
    const status = await dataStatus({ root: clone, log: silentLogger });
    expect(status.checkoutUnfinished).toBe(true);
    const text = describeStatus(status).join('\n');
    expect(text).toContain('A data pull or checkout did not finish here, so files data.dvc records may be missing');
    expect(text).not.toContain('Run "npx vitrine data add" to record it');

    // Finishing it clears the mark: data/ is whole.
    await checkoutData({ root: clone, log: silentLogger });
    expect((await dataStatus({ root: clone, log: silentLogger })).checkoutUnfinished).toBeUndefined();
  }, 120_000);

  it('data add first puts back the files it had not put in data/, and records the changes made since', async () => {
    const clone = await killedCheckout();
    const recorded = await readFile(path.join(clone, 'data.dvc'), 'utf8');
    // A change since, whose content no cache holds: a pull would refuse to finish over it (a reviewer).
    await writeFile(path.join(clone, 'data', 'objects.csv'), 'id,image\nA0,images/A0.jpg\n');
    const log = memoryLogger();
    const result = await addData({ root: clone, log });
    expect(result.nfiles).toBe(FILES + 1);
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(
      /A data pull or checkout stopped before it had put \d+ files in data\/ .*put there from the local cache first/,
    );
    expect(await readFile(path.join(clone, 'data.dvc'), 'utf8')).not.toBe(recorded);
    expect(existsSync(unfinishedCheckoutFile(clone))).toBe(false);
    expect((await dataStatus({ root: clone, log: silentLogger })).clean).toBe(true);
  }, 120_000);

  it('data add --remove-missing still drops them on purpose', async () => {
    const clone = await killedCheckout();
    await addData({ root: clone, log: silentLogger, removeMissing: true });
    expect(existsSync(unfinishedCheckoutFile(clone))).toBe(false);
    const status = await dataStatus({ root: clone, log: silentLogger });
    expect(status.clean).toBe(true);
    expect(status.workspace!.nfiles).toBeLessThan(FILES + 1);
  }, 120_000);
});

/*
 * An outside tester: a pull refused over a changed photograph ("Nothing was changed") left the mark all the same,
 * and the "data add" it told them to run put back a photograph they had deleted on purpose (a takedown) from the
 * local cache, and recorded it. A pull or checkout that refuses before it writes anything leaves no mark.
 */
describe('a pull or checkout refused before it changed data/', () => {
  it('leaves no mark: data add records the deletion made on purpose', async () => {
    const base = await tempDir();
    dirs.push(base);
    const origin = path.join(base, 'origin');
    const clone = path.join(base, 'clone');
    await writeTree(path.join(origin, 'data'), {
      'objects.csv': 'id,image\n',
      'images/A1.jpg': 'one',
      'images/A2.jpg': 'two',
      'images/A3.jpg': 'three',
    });
    await initData({ root: origin, remoteName: 'storage', remoteUrl: path.join(base, 'remote') });
    await addData({ root: origin, log: silentLogger });
    await pushData({ root: origin, log: silentLogger });
    await cloneTracked(origin, clone);
    await pullData({ root: clone, log: silentLogger });
    await rm(path.join(clone, 'data', 'images', 'A1.jpg'));
    await writeFile(path.join(clone, 'data', 'images', 'A2.jpg'), 'photographed again');

    for (const refused of [pullData, checkoutData]) {
      const error = await refused({ root: clone, log: silentLogger }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DATA_UNRECORDED_CHANGES' });
      expect(existsSync(unfinishedCheckoutFile(clone)), refused.name).toBe(false);
    }
    expect((await dataStatus({ root: clone, log: silentLogger })).checkoutUnfinished).toBeUndefined();
    await addData({ root: clone, log: silentLogger });
    expect(existsSync(path.join(clone, 'data', 'images', 'A1.jpg'))).toBe(false);
    expect(await readFile(path.join(clone, 'data.dvc'), 'utf8')).toContain('nfiles: 3');
  }, 60_000);
});
