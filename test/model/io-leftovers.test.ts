import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { saveModel } from '../../pipeline/model/io.ts';
import type { ModelInfo } from '../../pipeline/types.ts';

/*
 * Tester s25 #6: a run stopped between saveModel's two renames left .vitrine/model.old-<hex> (and model.tmp-<hex>)
 * for good. The next save sweeps saveModel's own leftovers of that folder, and nothing else.
 */

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('saveModel leftovers', () => {
  it("removes model.old-* and stale model.tmp-* of the same folder, and leaves other folders' names alone", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-model-io-'));
    dirs.push(root);
    const dir = path.join(root, 'model');
    const leftovers = ['model.old-0123456789ab', 'model.tmp-ba9876543210'];
    const kept = [
      'model.old-notmine',
      'model.old-0123456789ab.txt',
      'other.old-0123456789ab',
      'model.tmp-fe5000000000',
    ];
    for (const name of [...leftovers, ...kept]) {
      await mkdir(path.join(root, name));
      await writeFile(path.join(root, name, 'model.json'), '{}');
    }
    // A temp folder of a save still under way (written a moment ago) is not another run's leftover.
    const longAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const name of leftovers) await utimes(path.join(root, name), longAgo, longAgo);
    await utimes(path.join(root, 'model.tmp-fe5000000000'), new Date(), new Date());
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    await saveModel({ dir, model, info: { schema: 'vitrine.model/1', labels: ['a', 'b'] } as unknown as ModelInfo });
    expect((await readdir(root)).sort()).toEqual(['model', ...kept].sort());
  });
});
