import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { recordedPresence } from '../../pipeline/data/presence.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Tester: "ln -s . data/images/loop", then "npx vitrine data add": the refusal advised
 * "dir = /…/data/vitrine-cache", a cache inside data/ (the advice for a folder moved to another disk, worked out
 * from a link that leads back into data/). A link that leads back into data/ is named as what it is, with the
 * advice to delete it; the cache advice is only for a link that leads out of the repository.
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-link-loop-');
  repo = path.join(base, 'repo');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await writeFile(
    path.join(repo, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(base);
});

async function said(...argv: string[]): Promise<{ code: number; text: string }> {
  const log = memoryLogger();
  const printed: string[] = [];
  const code = await main(argv, { cwd: repo, env: {}, stdout: (t) => printed.push(t), log });
  return { code, text: [...printed, ...log.lines.map((l) => l.message)].join('\n') };
}

describe('a link in data/ that leads back into data/', () => {
  it('"data add" names the link loop and says to delete the link, never to move the cache into data/', async () => {
    await symlink('.', path.join(repo, 'data', 'images', 'loop'));
    const before = await readFile(path.join(repo, 'data.dvc'), 'utf8');
    const { code, text } = await said('data', 'add');
    expect(code).toBe(1);
    expect(text).toContain('data/images/loop');
    expect(text).toContain('loop');
    expect(text).toMatch(/[Dd]elete the link data\/images\/loop/);
    expect(text).not.toContain('vitrine-cache');
    expect(text).not.toContain('dir =');
    expect(text).not.toContain('cache.dir');
    expect(await readFile(path.join(repo, 'data.dvc'), 'utf8')).toBe(before);
  });

  it('"data status" says the same', async () => {
    await symlink('..', path.join(repo, 'data', 'images', 'up'));
    const { code, text } = await said('data', 'status');
    expect(code).toBe(1);
    expect(text).toContain('data/images/up');
    expect(text).toMatch(/[Dd]elete the link data\/images\/up/);
    expect(text).not.toContain('vitrine-cache');
  });

  it("the stages' check of data/ (dataset) warns with the same advice", async () => {
    await symlink('.', path.join(repo, 'data', 'images', 'loop'));
    const log = memoryLogger();
    await recordedPresence({ root: repo, log });
    const warning = log.lines.find((l) => l.level === 'warn')?.message ?? '';
    expect(warning).toContain('makes a link loop');
    expect(warning).toContain('Delete the link data/images/loop');
    expect(warning).not.toContain('in place of the link');
  });

  it('a link to another folder of data/ is named as such (its files would be recorded twice)', async () => {
    await mkdir(path.join(repo, 'data', 'more'));
    await symlink(path.join(repo, 'data', 'images', 'sub'), path.join(repo, 'data', 'more', 'sub'));
    const { code, text } = await said('data', 'add');
    expect(code).toBe(1);
    expect(text).toContain('data/more/sub');
    expect(text).toContain('data/images/sub');
    expect(text).toMatch(/[Dd]elete the link data\/more\/sub/);
    expect(text).not.toContain('vitrine-cache');
  });

  it('a folder moved to another disk and linked back still gets the cache advice, outside data/', async () => {
    const disk = path.join(base, 'disk');
    await mkdir(disk);
    await symlink(disk, path.join(repo, 'data', 'scans'));
    const { text } = await said('data', 'add');
    expect(text).toContain(`dir = ${path.join(base, 'vitrine-cache')}`);
  });
});
