import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import type { Stage, StageName } from '../../pipeline/stages/stage.ts';
import { copyStage, writeInputs } from './copy-stages.ts';

/*
 * `vitrine run catalogue --single` after a re-import built the catalogue from the old dataset and said
 * nothing. Like `dvc repro --single-item`, it still runs only the target, but it warns, as `dvc status`
 * would, which input of which earlier stage changed, and gives the command that brings all up to date.
 */

let root: string;
const runs: StageName[] = [];

const copy = (name: StageName, deps: Stage['deps'], read: string[]) => copyStage({ name, deps, read, runs });

const stages: Stage[] = [
  copy('dataset', { paths: ['data', 'labels.csv'], params: ['collection.vocabulary', 'dataset'], stages: [] }, [
    'data/objects.csv',
    'labels.csv',
  ]),
  copy('train', { paths: [], params: ['train'], stages: ['dataset'] }, ['.vitrine/dataset/out.txt']),
  copy('evaluate', { paths: ['labels.csv'], params: ['evaluate'], stages: ['dataset', 'train'] }, [
    '.vitrine/train/out.txt',
  ]),
  copy('promote', { paths: ['.vitrine/model'], params: ['gate'], stages: ['evaluate'] }, []),
  copy('catalogue', { paths: ['site', 'labels.csv'], params: ['catalogue'], stages: ['dataset', 'promote'] }, [
    '.vitrine/dataset/out.txt',
  ]),
];

async function run({
  targets,
  single = false,
  params = defaultParams(),
}: {
  targets?: StageName[];
  single?: boolean;
  params?: Params;
}) {
  runs.length = 0;
  const log = memoryLogger();
  await runStages({ ctx: { ws: workspace(root), params, log, clock: systemClock, env: {} }, stages, targets, single });
  return { runs: [...runs], warnings: log.lines.filter((l) => l.level === 'warn').map((l) => l.message) };
}

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-single-'));
  await writeInputs({ root });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('--single after the inputs of earlier stages changed', () => {
  it('runs only the target, warning which file changed since which stage ran and how to catch up', async () => {
    await run({});
    // A re-import: new objects and labels.
    await writeFile(path.join(root, 'data', 'objects.csv'), 'id,title\nA,Bowl\nB,Coin\nC,Mask\n');
    await writeFile(path.join(root, 'labels.csv'), 'object_id,label\nA,vessel\nB,coin\nC,mask\n');
    const result = await run({ targets: ['catalogue'], single: true });
    expect(result.runs).toEqual(['catalogue']);
    // Each changed file named once, with every stage it changed since.
    expect(result.warnings).toEqual([
      'data changed since the dataset stage last ran; labels.csv changed since the dataset and evaluate stages ' +
        'last ran. With --single, catalogue runs on their outputs as they were. To bring everything up to date, ' +
        'run: npx vitrine run catalogue. To bring only the objects and their labels up to date, without a new ' +
        'model (while no model passes the gate, say), run: npx vitrine run dataset, then npx vitrine run ' +
        'catalogue --single',
    ]);
    // The catalogue was built from the old dataset, as asked.
    expect(await readFile(path.join(root, '.vitrine', 'catalogue', 'out.txt'), 'utf8')).not.toContain('Mask');
  });

  it('names a changed params key too', async () => {
    await run({});
    const params = defaultParams();
    params.dataset.on_invalid = 'fail';
    const result = await run({ targets: ['catalogue'], single: true, params });
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/^params dataset\.on_invalid changed since the dataset stage last ran\. /);
  });

  it('says that bringing the catalogue up to date after a training setting changed trains a model first', async () => {
    // A tester after an upgrade: the gate said to build the catalogue with --single, which said to run catalogue,
    // which stopped at the gate again, without a word that it trains a model.
    await run({});
    const params = defaultParams();
    params.train.epochs = 3;
    const result = await run({ targets: ['catalogue'], single: true, params });
    expect(result.warnings).toEqual([
      'params train.epochs changed since the train stage last ran. With --single, catalogue runs on its outputs as ' +
        'they were. To bring everything up to date, run: npx vitrine run catalogue (it trains and evaluates a model ' +
        'first, and stops if that model does not pass the promotion gate; meanwhile --single keeps the production ' +
        'model’s annotations)',
    ]);
  });

  it('says it evaluates (not trains) first when only the evaluation’s settings changed', async () => {
    await run({});
    const params = defaultParams();
    params.evaluate.alpha = 0.01;
    const result = await run({ targets: ['catalogue'], single: true, params });
    expect(result.warnings[0]).toContain('npx vitrine run catalogue (it evaluates the model first, and stops if');
  });

  it('names the files that changed since the same stages together', async () => {
    await run({});
    await writeFile(path.join(root, 'data', 'objects.csv'), 'id,title\nA,Bowl\nB,Coin\nC,Mask\n');
    const params = defaultParams();
    params.dataset.on_invalid = 'fail';
    const result = await run({ targets: ['train'], single: true, params });
    expect(result.warnings).toEqual([
      'data and params dataset.on_invalid changed since the dataset stage last ran. With --single, train runs on its ' +
        'outputs as they were. To bring everything up to date, run: npx vitrine run train',
    ]);
  });

  it('says nothing when the earlier stages are up to date, or have not run here (nothing to compare)', async () => {
    expect((await run({ targets: ['catalogue'], single: true })).warnings).toEqual([]);
    await run({});
    // The target's own input changed: it reruns, which is no news.
    await writeFile(path.join(root, 'site', 'index.astro'), '<h1>New</h1>');
    expect(await run({ targets: ['catalogue'], single: true })).toEqual({ runs: ['catalogue'], warnings: [] });
  });

  it('without --single, the changed stages simply run again', async () => {
    await run({});
    await writeFile(path.join(root, 'labels.csv'), 'object_id,label\nA,vessel\nB,vessel\n');
    const result = await run({ targets: ['catalogue'] });
    expect(result.warnings).toEqual([]);
    expect(result.runs).toEqual(['dataset', 'train', 'evaluate', 'promote', 'catalogue']);
  });
});
