import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inDir } from '../../pipeline/data/cache.ts';

/*
 * The cache's folders are made once a process; when one is deleted under a running transfer (`data gc`,
 * a cache cleaned by hand), the copies into it make it again. Several at once: one made it again while
 * the others were still failing, and those others then gave up ("no such file or directory", exit 70).
 */

const roots: string[] = [];
afterAll(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

describe('a cache folder deleted under copies running at once', () => {
  it('every copy lands once the folder is made again', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-cache-gone-'));
    roots.push(root);
    const dir = path.join(root, 'cache', 'files', 'md5', 'ab');
    await inDir(dir, () => writeFile(path.join(dir, 'first'), 'x'));
    await rm(path.join(root, 'cache'), { recursive: true });
    const names = Array.from({ length: 40 }, (_, i) => `object-${i}`);
    // Half of the copies hear of the missing folder late (a slow disk, a busy thread pool): after
    // another copy has already made it again.
    const copy = (name: string, late: boolean) => async () => {
      try {
        await writeFile(path.join(dir, name), name);
      } catch (error) {
        if (late) await new Promise((resolve) => setTimeout(resolve, 30));
        throw error;
      }
    };
    await Promise.all(names.map((name, i) => inDir(dir, copy(name, i % 2 === 1))));
    expect((await readdir(dir)).sort()).toEqual([...names].sort());
  });
});
