import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadParams } from '../../pipeline/params.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import { repoPerTest, sh, stageContext, standInPredict, writeDataset, writeMetrics, writeModel } from './helpers.ts';

/*
 * Outside tester T, session 51, F4 (its params.yaml window): "vitrine run" reads params.yaml once, as it begins. A
 * change to it committed (or pulled) while the run trained left params.yaml as committed, so the version was tagged
 * on the new commit with the parameters the run began with, which that commit’s params.yaml does not hold.
 */

const newRepo = repoPerTest();

const PARAMS = 'evaluate:\n  factors: [department]\ntrain:\n  epochs: 20\n';

describe('params.yaml committed while a run trains', () => {
  it('registers nothing, saying params.yaml changed while the run was going; the next run’s params register', async () => {
    const f = await newRepo();
    await writeFile(f.ws.params, PARAMS);
    sh(f.root, 'add', 'params.yaml');
    sh(f.root, 'commit', '-qm', 'Settings');
    // The run begins: it reads params.yaml, trains and evaluates with it.
    const params = await loadParams({ file: f.ws.params });
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({ ws: f.ws, params });
    // Meanwhile a colleague’s change to the training settings is committed.
    await writeFile(f.ws.params, PARAMS.replace('epochs: 20', 'epochs: 30'));
    sh(f.root, 'commit', '-qam', 'More epochs');
    const ctx = { ...stageContext(f), params };
    const error = await promote({ ctx, predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PROMOTE_INPUTS_CHANGED',
      data: { changed: [{ what: 'the parameters (params.yaml)' }] },
    });
    expect((error as Error).message).toMatch(/params\.yaml.* while this run was going/);
    expect((error as Error).message).toMatch(/Nothing was registered/);
    expect((await readRegistry({ dir: f.root, name: params.registry.model_name })).versions).toEqual([]);

    // The next run reads the new params.yaml: its model is registered.
    const next = await loadParams({ file: f.ws.params });
    await writeMetrics({ ws: f.ws, params: next });
    const result = await promote({ ctx: { ...ctx, params: next }, predict: standInPredict });
    expect(result).toMatchObject({ version: 'v1.0.0' });
  });
});
