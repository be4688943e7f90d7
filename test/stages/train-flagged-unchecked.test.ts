import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { selectBackend } from '../../pipeline/model/backend.ts';
import type { Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { ModelInfo } from '../../pipeline/types.ts';
import { smallDemoParams, trainSmallDemo, writeTrapBackbone } from '../fixtures/left-out.ts';

/*
 * train.flagged: drop records in model-info.json why it left no label out (`flagged.unchecked`), for the model card
 * and page to say "no check was made" rather than "none was found". The card’s tests write that field by hand;
 * these run the real train stage on the small demo, with tiny real backbones, and read what it wrote.
 */

const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

/** A layers model that gives every photograph the same 4 numbers: no model trained on them beats guessing. */
async function writeConstantBackbone({ folder, backbone }: { folder: string; backbone: Params['backbone'] }) {
  const { tf } = await selectBackend({ preference: 'cpu', log: memoryLogger() });
  const model = tf.sequential({
    layers: [
      tf.layers.averagePooling2d({ inputShape: [32, 32, 3], poolSize: 32, strides: 32, name: 'mean' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 4, name: 'embedding' }),
    ],
  });
  model.getLayer('embedding').setWeights([tf.zeros([3, 4]), tf.tensor1d([1, 0.5, 0.25, 2])]);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = { modelTopology: artifacts.modelTopology, format: 'layers-model' };
      const manifest = [{ paths: ['same.bin'], weights: artifacts.weightSpecs }];
      await writeFile(path.join(folder, 'same.json'), JSON.stringify({ ...json, weightsManifest: manifest }));
      await writeFile(path.join(folder, 'same.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  const trap = await writeTrapBackbone({ folder, backbone });
  return { ...trap, source: path.join(folder, 'same.json') };
}

/** Train the small demo with train.flagged: drop after `change`; the flagged field of model-info.json. */
async function trainedFlagged(
  name: string,
  change: (params: Params, folder: string) => Promise<void>,
): Promise<ModelInfo['flagged']> {
  const ws = workspace(await mkdtemp(path.join(os.tmpdir(), `vitrine-flagged-${name}-`)));
  roots.push(ws.root);
  const params = smallDemoParams();
  params.train.flagged = 'drop';
  await change(params, ws.root);
  await trainSmallDemo({ ws, params, log: memoryLogger(), clock, env: {} });
  const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
  return info.flagged;
}

describe('model-info.json says why train.flagged: drop left no label out', () => {
  it('"no-folds" when evaluate.folds is 0 (no cross-validation to check the labels)', async () => {
    const flagged = await trainedFlagged('no-folds', async (params, folder) => {
      params.backbone = await writeTrapBackbone({ folder, backbone: params.backbone });
      params.evaluate.folds = 0;
    });
    expect(flagged).toEqual({ l2: null, ids: [], leftOut: [], unchecked: 'no-folds' });
  }, 180_000);

  it('"guessing" when the check’s model is no better than guessing (every photograph alike to it)', async () => {
    const flagged = await trainedFlagged('guessing', async (params, folder) => {
      params.backbone = await writeConstantBackbone({ folder, backbone: params.backbone });
    });
    expect(flagged?.unchecked).toBe('guessing');
    expect(flagged?.leftOut).toEqual([]);
  }, 180_000);

  it('nothing when the check was made and its model is better than guessing', async () => {
    // The default backbone: on the demo’s photographs it tells the kinds of object apart.
    const flagged = await trainedFlagged('checked', async () => undefined);
    expect(flagged).toBeDefined();
    expect(flagged).not.toHaveProperty('unchecked');
  }, 180_000);
});
