import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modelIdentity } from '../../pipeline/registry/identity.ts';
import { manifestOf } from '../../pipeline/registry/store.ts';
import type { ModelInfo } from '../../pipeline/types.ts';

/*
 * A model's identity is what it computes. TF.js names a model it builds "sequential_1",
 * "sequential_2"... counting per process, so the same weights trained twice in one process (a test,
 * a long-lived runner) get different model.json bytes; names do not change what the model computes.
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const info = (over: Partial<ModelInfo> = {}) =>
  ({
    labels: ['coin', 'mask'],
    backbone: {
      id: 'b',
      source: 's',
      licence: 'MIT',
      inputSize: 224,
      fit: 'letterbox',
      inputRange: '0,1',
      layer: 'l',
      embeddingSize: 4,
    },
    durationMs: { embed: 1, train: 2 },
    ...over,
  }) as ModelInfo;

async function model({
  name,
  weights,
  timings = { embed: 1, train: 2 },
}: {
  name: string;
  weights: number[];
  timings?: { embed: number; train: number };
}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-identity-'));
  dirs.push(dir);
  const topology = {
    class_name: 'Sequential',
    config: { name, layers: [{ class_name: 'Dense', config: { name: 'head_logits', units: 2 } }] },
  };
  const json = {
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [
      { paths: ['./weights.bin'], weights: [{ name: 'head_logits/kernel', shape: [4, 2], dtype: 'float32' }] },
    ],
  };
  await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
  await writeFile(path.join(dir, 'weights.bin'), Buffer.from(Float32Array.from(weights).buffer));
  await writeFile(path.join(dir, 'model-info.json'), JSON.stringify({ ...info(), durationMs: timings }));
  return { dir, manifest: await manifestOf({ dir }) };
}

describe('model identity', () => {
  it('is the same for the same weights, classes and backbone, whatever the run timings or the name TF.js gave the model', async () => {
    const a = await model({ name: 'sequential_1', weights: [1, 2, 3, 4, 5, 6, 7, 8] });
    const b = await model({ name: 'sequential_2', weights: [1, 2, 3, 4, 5, 6, 7, 8], timings: { embed: 9, train: 9 } });
    expect(await modelIdentity({ ...a, info: info() })).toBe(
      await modelIdentity({ ...b, info: info({ durationMs: { embed: 9, train: 9 } }) }),
    );
  });

  it('changes with the weights, the classes or the backbone', async () => {
    const a = await model({ name: 'sequential_1', weights: [1, 2, 3, 4, 5, 6, 7, 8] });
    const other = await model({ name: 'sequential_1', weights: [1, 2, 3, 4, 5, 6, 7, 9] });
    const base = await modelIdentity({ ...a, info: info() });
    expect(await modelIdentity({ ...other, info: info() })).not.toBe(base);
    expect(await modelIdentity({ ...a, info: info({ labels: ['mask', 'coin'] }) })).not.toBe(base);
    expect(
      await modelIdentity({ ...a, info: info({ backbone: { ...info().backbone, inputRange: '-1,1' } }) }),
    ).not.toBe(base);
  });
});
