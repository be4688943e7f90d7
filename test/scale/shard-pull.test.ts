import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localRemote } from '../../pipeline/data/remote.ts';
import { analysisKey } from '../../pipeline/dataset/analyse.ts';
import { analysisSettings } from '../../pipeline/dataset/build.ts';
import { md5Of } from '../../pipeline/dataset/images.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { encodeSegment, openStore } from '../../pipeline/model/embedding-store.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { embeddingConfigOf, pullShardCaches, pushShardCaches } from '../../pipeline/shard/caches.ts';
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
  it('says so when no shard has shared its caches, instead of computing every image without a word', async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-pull-'));
    const log = memoryLogger();
    const remote = localRemote({ name: 'r', dir: path.join(base, 'remote') });
    const ws = workspace(path.join(base, 'repo'));
    const result = await pullShardCaches({ ws, params: defaultParams(), log, index: memoryIndex({}), remote });
    expect(result).toEqual({ indexes: 0, vectors: 0, images: 0 });
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'No shard has shared its caches on memory yet, so there is nothing to pull: this run computes every image ' +
        'itself. If shard jobs ran before it, check that they finished and use the same data remote.',
    ]);
  });

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

  it('warns and skips the objects an index names that are gone or damaged; the rest still comes in', async () => {
    // As after "dvc gc --cloud": the index files stay, some objects they name do not.
    base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-pull-'));
    const ws = workspace(path.join(base, 'repo'));
    const params = defaultParams();
    const remote = localRemote({ name: 'r', dir: path.join(base, 'remote') });
    const put = async (bytes: Uint8Array) => {
      const md5 = md5Of(bytes);
      const file = path.join(base, md5);
      await writeFile(file, bytes);
      await remote.put({ md5, file });
      return md5;
    };
    const config = embeddingConfigOf(params)!;
    const good = await put(encodeSegment([['k1', new Float32Array([1, 2])]]));
    const notJson = await put(Buffer.from('not json at all'));
    const key = analysisKey(analysisSettings(params));
    const gone = 'a'.repeat(32);
    const index = memoryIndex({
      [`${'1'.repeat(32)}.json`]: {
        schema: 'vitrine.shard-caches/1',
        shard: { index: 1, count: 2 },
        embeddings: [{ config, md5: gone, vectors: 10 }],
        analyses: [
          { key, md5: 'd'.repeat(32), images: 10 },
          { key, md5: notJson, images: 3 },
        ],
      },
      [`${'2'.repeat(32)}.json`]: {
        schema: 'vitrine.shard-caches/1',
        shard: { index: 2, count: 2 },
        embeddings: [{ config, md5: good, vectors: 1 }],
        analyses: [],
      },
    });
    for (const shard of [undefined, { index: 1, count: 2 }]) {
      const log = memoryLogger();
      const result = await pullShardCaches({ ws, params, log, index, remote, shard });
      const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
      expect(warnings.join('\n')).toContain(gone);
      expect(warnings.join('\n')).toContain('d'.repeat(32));
      if (!shard) {
        expect(warnings.join('\n')).toContain(notJson);
        expect(result).toEqual({ indexes: 2, vectors: 1, images: 0 });
      }
      expect(warnings.join('\n')).toMatch(/computes that work again/);
    }
    const store = await openStore({ folder: path.join(ws.cache, 'embeddings', config) });
    expect([...store.vectors.keys()]).toEqual(['k1']);
  });

  it("brings in only the embeddings of today's backbone configuration, not every one ever pushed", async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-pull-'));
    const ws = workspace(path.join(base, 'repo'));
    const params = defaultParams();
    const remote = localRemote({ name: 'r', dir: path.join(base, 'remote') });
    const today = embeddingConfigOf(params)!;
    const old = 'e'.repeat(20);
    expect(today).toMatch(/^[0-9a-f]{20}$/);
    expect(today).not.toBe(old);
    const segments: Record<string, string> = {};
    for (const [config, key] of [
      [today, 'now'],
      [old, 'then'],
    ]) {
      const bytes = encodeSegment([[key!, new Float32Array([1])]]);
      const file = path.join(base, key!);
      await writeFile(file, bytes);
      segments[config!] = md5Of(bytes);
      await remote.put({ md5: segments[config!]!, file });
    }
    const index = memoryIndex({
      [`${'3'.repeat(32)}.json`]: {
        schema: 'vitrine.shard-caches/1',
        shard: { index: 1, count: 1 },
        embeddings: Object.entries(segments).map(([config, md5]) => ({ config, md5, vectors: 1 })),
        analyses: [],
      },
    });
    const result = await pullShardCaches({ ws, params, log: memoryLogger(), index, remote });
    expect(result.vectors).toBe(1);
    expect(await readdir(path.join(ws.cache, 'embeddings'))).toEqual([today]);
  });

  it('lets two shard runs in one checkout push at the same time', async () => {
    // docs/scale.md: two shards on one machine. Neither may delete the other's staged files.
    base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-pull-'));
    const ws = workspace(path.join(base, 'repo'));
    const real = localRemote({ name: 'r', dir: path.join(base, 'remote') });
    let release!: () => void;
    const firstDone = new Promise<void>((resolve) => (release = resolve));
    const job = async (n: number) => {
      // Shard 2's upload waits until shard 1 has finished (and cleaned up after itself).
      const remote = {
        ...real,
        has: async () => false,
        put: async (o: { md5: string; file: string }) => {
          if (n === 2) await firstDone;
          return real.put(o);
        },
      };
      const result = await pushShardCaches({
        ws,
        params: defaultParams(),
        shard: { index: n, count: 2 },
        analysis: { analyses: new Map(), failures: new Map() },
        embeddings: [{ folder: 'c'.repeat(20), entries: [[`${n}`.repeat(32), new Float32Array([n])]] }],
        remote,
        index: memoryIndex({}),
      });
      if (n === 1) release();
      return result;
    };
    const [one, two] = await Promise.all([job(1), job(2)]);
    expect([one.sent, two.sent]).toEqual([1, 1]);
  });
});
