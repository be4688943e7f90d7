import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { addData, initData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, SAMPLE, tempDir, writeTree } from './helpers.ts';

/*
 * Tester T9: "data status" listed "2 changed" and then said "--force overwrites the 1 changed file". One photograph
 * had been copied over with another object's, whose bytes the data cache already holds: a plain checkout puts that
 * one back without loss, so it was left out of the count. Both changed files are overwritten by --force; the counts
 * agree, and the one whose new content is kept is named, with why.
 */

let repo: string;
beforeEach(async () => {
  repo = await tempDir('vitrine-status-counts-');
  await writeTree(path.join(repo, 'data'), SAMPLE);
  await writeFile(
    path.join(repo, 'params.yaml'),
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(repo);
});

async function status(): Promise<string> {
  const log = memoryLogger();
  const printed: string[] = [];
  const code = await main(['data', 'status'], { cwd: repo, env: {}, stdout: (t) => printed.push(t), log });
  const text = [...printed, ...log.lines.map((l) => l.message)].join('\n');
  expect(code, text).toBe(0);
  return text;
}

describe('"data status" with one changed file whose new content the cache holds and one whose it does not', () => {
  it('says --force overwrites both changed files, and which change is not lost', async () => {
    const images = path.join(repo, 'data', 'images');
    // cp -p of another object's photograph: its bytes are in the cache already.
    await copyFile(path.join(images, 'A2.png'), path.join(images, 'A1.png'));
    await writeFile(path.join(images, 'sub', 'A3.png'), 'an edited photograph');
    const text = await status();
    expect(text).toContain('0 added, 0 removed, 2 changed.');
    expect(text).toContain('overwrites the 2 changed files with the recorded version');
    expect(text).toMatch(/lost, except .*data\/images\/A1\.png.* the data cache already holds/);
  });
});
