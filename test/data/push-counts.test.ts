import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { objectPath } from '../../pipeline/data/cache.ts';
import { addData, initData, pullData, pushData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { cleanup, cloneTracked, tempDir, writeTree } from './helpers.ts';

/*
 * The progress line and the closing summary count the same things: the files' contents. A tester saw a push end
 * at "325/325" and then say "326 uploaded" (the folder list, data.dvc's own object, counted in one only).
 */

let base: string;
let repo: string;
beforeEach(async () => {
  base = await tempDir('vitrine-push-counts-');
  repo = path.join(base, 'repo');
  await mkdir(repo);
  await writeTree(
    path.join(repo, 'data'),
    Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`images/${i}.png`, `image ${i}`])),
  );
  await initData({ root: repo, remoteUrl: '../storage' });
  await addData({ root: repo, log: silentLogger });
});
afterEach(async () => {
  await cleanup(base);
});

/** The progress line's "done/total" and the numbers of the summary line starting with `summary`. */
function counts(log: ReturnType<typeof memoryLogger>, label: RegExp, summary: string) {
  const messages = log.lines.map((l) => l.message);
  const bar = messages.map((m) => label.exec(m)).find(Boolean);
  const said = messages.find((m) => m.startsWith(summary));
  return { bar: bar ? [Number(bar[1]), Number(bar[2])] : undefined, said };
}

describe('push and pull counts', () => {
  it('a push says as many files uploaded as its progress line counted', async () => {
    const log = memoryLogger();
    const result = await pushData({ root: repo, log });
    const { bar, said } = counts(log, /^Uploading to "local": (\d+)\/(\d+)$/, 'Pushed to "local"');
    expect(bar).toEqual([5, 5]);
    expect(said).toBe('Pushed to "local": 5 files uploaded, 0 already there.');
    expect(result).toEqual({ transferred: 5, skipped: 0 });
    // Again: nothing to send, and the count is the same files.
    const again = memoryLogger();
    expect(await pushData({ root: repo, log: again })).toEqual({ transferred: 0, skipped: 5 });
    expect(counts(again, /^Uploading to "local": (\d+)\/(\d+)$/, 'Pushed').said).toBe(
      'Pushed to "local": 0 files uploaded, 5 already there.',
    );
  });

  it('a pull says as many files downloaded as its progress line counted', async () => {
    await pushData({ root: repo, log: silentLogger });
    const clone = path.join(base, 'clone');
    await cloneTracked(repo, clone);
    const log = memoryLogger();
    expect(await pullData({ root: clone, log })).toEqual({ transferred: 5, skipped: 0 });
    const { bar, said } = counts(log, /^Downloading from "local": (\d+)\/(\d+)$/, 'Pulled from "local"');
    expect(bar).toEqual([5, 5]);
    expect(said).toBe('Pulled from "local": 5 files downloaded, 0 already in the cache.');
    // One image's cache copy gone: one downloaded, the rest were there.
    await rm(path.join(clone, 'data'), { recursive: true });
    const cache = path.join(clone, '.dvc', 'cache');
    await rm(objectPath(cache, createHash('md5').update('image 0').digest('hex')));
    expect(await pullData({ root: clone, log: silentLogger })).toEqual({ transferred: 1, skipped: 4 });
  });
});
