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

/*
 * Outside tester U: only the model's settings were compared. The annotate section decides which of the model’s
 * guesses are published as annotations: changed while the run trained (a colleague raising annotate.min_precision
 * to publish fewer, surer guesses), the version was registered on that commit and published with the old setting.
 * The catalogue section only shapes the site, which lock.json records as built with the settings the run began
 * with: the next run builds it again and "vitrine publish" says the site is older than them, so it is not refused.
 */
describe('settings outside the model changed while a run trains', () => {
  it('refuses when the annotate settings changed, naming them', async () => {
    const f = await newRepo();
    await writeFile(f.ws.params, `${PARAMS}annotate:\n  min_precision: 0.9\n`);
    sh(f.root, 'add', 'params.yaml');
    sh(f.root, 'commit', '-qm', 'Settings');
    const params = await loadParams({ file: f.ws.params });
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({ ws: f.ws, params });
    await writeFile(f.ws.params, `${PARAMS}annotate:\n  min_precision: 0.95\n`);
    sh(f.root, 'commit', '-qam', 'Publish surer guesses only');
    const error = await promote({ ctx: { ...stageContext(f), params }, predict: standInPredict }).catch((e) => e);
    expect(error).toMatchObject({
      code: 'PROMOTE_INPUTS_CHANGED',
      data: { changed: [{ what: 'the publication settings (annotate in params.yaml)' }] },
    });
    expect((error as Error).message).toMatch(/annotate in params\.yaml\) changed after this run read them/);
    expect((error as Error).message).toMatch(/Nothing was registered/);
    expect((await readRegistry({ dir: f.root, name: params.registry.model_name })).versions).toEqual([]);
  });

  it('registers the model when only the catalogue settings changed', async () => {
    const f = await newRepo();
    await writeFile(f.ws.params, `${PARAMS}catalogue:\n  title: Old title\n`);
    sh(f.root, 'add', 'params.yaml');
    sh(f.root, 'commit', '-qm', 'Settings');
    const params = await loadParams({ file: f.ws.params });
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({ ws: f.ws, params });
    await writeFile(f.ws.params, `${PARAMS}catalogue:\n  title: New title\n`);
    sh(f.root, 'commit', '-qam', 'Retitle the catalogue');
    const result = await promote({ ctx: { ...stageContext(f), params }, predict: standInPredict });
    expect(result).toMatchObject({ version: 'v1.0.0' });
  });
});
