import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pagefindChildren } from '../../pipeline/catalogue/pagefind-watch.ts';
import { indexSite } from '../../pipeline/catalogue/search-index.ts';
import { VitrineError } from '../../pipeline/errors.ts';

/*
 * Pagefind's Node API never notices its process exiting: killed in the middle of a request (out of
 * memory, say), the build waited for ever. Now it fails, naming what happened. Real Pagefind, real kill.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-pagefind-killed-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('a Pagefind process killed while it indexes', () => {
  it('fails the index with SITE_INDEX_FAILED instead of waiting for ever', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i} amphora${i % 37} bronze${i % 11}`).join(' ');
    for (let i = 0; i < 4000; i++) {
      const page = path.join(dir, 'objects', `o-${i}`);
      await mkdir(page, { recursive: true });
      await writeFile(
        path.join(page, 'index.html'),
        `<html lang="en"><body><main data-pagefind-body><h1>Object ${i}</h1><p>${words}</p></main></body></html>`,
      );
    }
    // Killed as soon as it is there: it has 4,000 pages to read.
    let killed = 0;
    const killer = setInterval(() => {
      for (const pid of pagefindChildren()) {
        process.kill(pid, 'SIGKILL');
        killed++;
      }
    }, 20);
    try {
      const error = await indexSite({ outDir: dir }).catch((e: unknown) => e);
      expect(killed).toBeGreaterThan(0);
      expect(error).toBeInstanceOf(VitrineError);
      expect((error as VitrineError).code).toBe('SITE_INDEX_FAILED');
      expect((error as VitrineError).message).toMatch(/Pagefind process stopped in the middle of its work/);
    } finally {
      clearInterval(killer);
    }
  }, 60_000);
});
