import { createHash } from 'node:crypto';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { listObjectIds } from '../../pipeline/data/cache.ts';
import { gcData } from '../../pipeline/data/gc.ts';
import { checkoutData, openRemote, pushData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, readTree } from './helpers.ts';
import { change, git, record, START, twoClones } from './two-clones.ts';

/*
 * `vitrine data gc` and versions that are only on this computer (a tester, T4 F3): photographs committed on a
 * branch but never pushed, the maintainer back on main. gc removed them from the cache, the only copy, and said
 * "Copies pushed to the storage remote stay there". It keeps what data.dvc on every local branch (HEAD, stashes)
 * needs, and of the rest removes only what the storage remote holds.
 */

let base = '';
afterEach(async () => {
  if (base) await cleanup(base);
  base = '';
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const said = (log: ReturnType<typeof memoryLogger>) => log.lines.map((l) => l.message).join('\n');
const NEW = { 'images/S1.jpg': 'statue one', 'images/S2.jpg': 'statue two' };

describe('vitrine data gc with versions that are not on the remote', () => {
  it('keeps the photographs of a branch never pushed; back on the branch, checkout brings them back', async () => {
    const clones = await twoClones();
    base = clones.base;
    const a = clones.a;
    git(a, 'checkout', '-q', '-b', 'new-photos');
    await change(a, NEW);
    await record(a, 'Statuary');
    git(a, 'checkout', '-q', 'main');
    await checkoutData({ root: a, log: silentLogger, force: true });

    const log = memoryLogger();
    await gcData({ root: a, log, openRemote });
    const held = await listObjectIds(path.join(a, '.dvc', 'cache'));
    expect(held.has(md5('statue one')) && held.has(md5('statue two'))).toBe(true);
    expect(said(log)).toContain('new-photos');
    expect(said(log)).not.toContain('Copies pushed to the storage remote stay there');

    git(a, 'checkout', '-q', 'new-photos');
    await checkoutData({ root: a, log: silentLogger });
    expect(await readTree(path.join(a, 'data'))).toEqual({ ...START, ...NEW });
  }, 60_000);

  it('keeps an unpushed earlier version no branch needs now, says so, and removes it only when told', async () => {
    const clones = await twoClones();
    base = clones.base;
    const a = clones.a;
    // A version pushed and then replaced: on the remote, so gc may remove it here.
    await change(a, { 'images/OLD.jpg': 'old pushed photo' });
    await record(a, 'Old photo');
    await pushData({ root: a, log: silentLogger });
    await change(a, { 'images/OLD.jpg': undefined, 'images/DRAFT.jpg': 'draft photo' });
    await record(a, 'Draft photo, never pushed');
    await change(a, { 'images/DRAFT.jpg': undefined });
    await record(a, 'Draft taken out');

    const log = memoryLogger();
    const result = await gcData({ root: a, log, openRemote });
    const cache = path.join(a, '.dvc', 'cache');
    let held = await listObjectIds(cache);
    expect(held.has(md5('old pushed photo'))).toBe(false);
    expect(held.has(md5('draft photo'))).toBe(true);
    expect(result.unpushed).toBeGreaterThan(0);
    expect(said(log)).toMatch(/the storage remote "storage" does not have/);
    expect(said(log)).toContain('--remove-unpushed');

    // As the command line gives it.
    const cli = memoryLogger();
    const code = await main(['data', 'gc', '--remove-unpushed'], {
      cwd: a,
      env: {},
      stdout: () => {},
      log: cli,
      interactive: false,
    });
    expect(code).toBe(0);
    expect(said(cli)).toContain('gone for good');
    held = await listObjectIds(cache);
    expect(held.has(md5('draft photo'))).toBe(false);
  }, 60_000);

  it('asks the remote once for many objects (its listing), with the same result', async () => {
    const clones = await twoClones();
    base = clones.base;
    const a = clones.a;
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`images/M${i}.jpg`, `many ${i}`]));
    await change(a, many);
    await record(a, 'Many');
    await pushData({ root: a, log: silentLogger });
    await change(a, { ...Object.fromEntries(Object.keys(many).map((k) => [k, undefined])), 'images/D.jpg': 'draft' });
    await record(a, 'Draft, never pushed');
    await change(a, { 'images/D.jpg': undefined });
    await record(a, 'Draft out');
    const result = await gcData({ root: a, log: silentLogger, openRemote });
    const held = await listObjectIds(path.join(a, '.dvc', 'cache'));
    expect(held.has(md5('many 3'))).toBe(false);
    expect(held.has(md5('draft'))).toBe(true);
    expect(result.removed).toBeGreaterThanOrEqual(70);
  }, 60_000);

  it('removes nothing when the remote cannot be asked, and says why', async () => {
    const clones = await twoClones();
    base = clones.base;
    const a = clones.a;
    await change(a, { 'images/A1.jpg': undefined });
    await record(a, 'A1 taken down');
    await rename(clones.remote, `${clones.remote}-unmounted`);
    const cache = path.join(a, '.dvc', 'cache');
    const before = await listObjectIds(cache);
    const error = await gcData({ root: a, log: silentLogger, openRemote }).catch((e) => e);
    expect(error).toMatchObject({ code: 'DATA_GC_REMOTE_UNCHECKED' });
    expect(error.message).toMatch(/removed nothing/);
    expect(await listObjectIds(cache)).toEqual(before);
  }, 60_000);
});
