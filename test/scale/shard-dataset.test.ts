import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { analyseShard } from '../../pipeline/dataset/shard.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * docs/scale.md: two shards may run on one machine, in one checkout. Both keep their image analyses
 * in the same images.json: neither may lose the other's.
 */

let base: string | undefined;
afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

describe('two shards in one checkout', () => {
  it("keep both shards' image analyses in images.json", async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-shard-dataset-'));
    const root = path.join(base, 'repo');
    await mkdir(root, { recursive: true });
    await writeFile(
      path.join(root, 'params.yaml'),
      'demo:\n  per_type: 4\n  unlabelled_per_type: 0\n  image_size: 64\ndataset:\n  thumbnails:\n    widths: [48]\n',
    );
    const log = memoryLogger();
    const code = await main(['demo'], { cwd: root, env: {}, stdout: () => {}, log });
    expect(code, log.lines.map((l) => l.message).join('\n')).toBe(0);
    const ws = workspace(root);
    const params = await loadParams({ file: ws.params });
    const [one, two] = await Promise.all(
      [1, 2].map((index) => analyseShard({ ws, params, log: memoryLogger(), jobs: 1, shard: { index, count: 2 } })),
    );
    expect(one!.analyses.size).toBeGreaterThan(0);
    expect(two!.analyses.size).toBeGreaterThan(0);
    const stored = JSON.parse(await readFile(path.join(ws.dataset, 'images.json'), 'utf8')) as {
      images: Record<string, unknown>;
    };
    expect(Object.keys(stored.images).sort()).toEqual([...one!.analyses.keys(), ...two!.analyses.keys()].sort());
  }, 120_000);
});
