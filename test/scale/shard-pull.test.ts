import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localRemote } from '../../pipeline/data/remote.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { pullShardCaches } from '../../pipeline/shard/caches.ts';
import type { ShardIndexStore } from '../../pipeline/shard/index-store.ts';

let base: string;
afterEach(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

/** An index store in memory holding the given files. */
function memoryIndex(files: Record<string, unknown>): ShardIndexStore {
  return {
    where: 'memory',
    list: async () => Object.keys(files).sort(),
    read: async (name) => Buffer.from(JSON.stringify(files[name])),
    write: async () => {},
  };
}

describe('pulling the shard caches', () => {
  it('skips index files that would write outside the caches, and says so', async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-pull-'));
    const ws = workspace(path.join(base, 'repo'));
    const log = memoryLogger();
    const md5 = 'a'.repeat(32);
    const index = memoryIndex({
      [`${'b'.repeat(32)}.json`]: {
        schema: 'vitrine.shard-caches/1',
        shard: { index: 1, count: 2 },
        embeddings: [{ config: '../../../escape', md5, vectors: 1 }],
        analyses: [],
      },
    });
    const result = await pullShardCaches({
      ws,
      params: defaultParams(),
      log,
      index,
      remote: localRemote({ name: 'r', dir: path.join(base, 'remote') }),
    });
    expect(result).toEqual({ indexes: 1, vectors: 0, images: 0 });
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/name files Vitrine never writes; they are skipped/);
    // Nothing written anywhere (the folder it named would have been made before the download).
    expect(await readdir(base)).toEqual([]);
  });
});
