import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatVersionDetail } from '../../pipeline/registry/format.ts';
import { showVersion } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  publicationWith,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * An outside tester: a revert pull request's merge registered v1.3.0 ("minor: labels changed") whose identity and
 * weights equal v1.1.0's; `models show v1.3.0` and the model card did not say it is the same model as v1.1.0.
 */

const newRepo = repoPerTest();

describe('a model registered again as a new version', () => {
  it('is said to be the same model as the earlier version, in models show and on its card', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const kept = path.join(f.parent, 'model-v1.0.0');
    await cp(f.ws.model, kept, { recursive: true });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const original = await readFile(f.ws.labels, 'utf8');
    await writeFile(f.ws.labels, original.replace('obj-003,vessel', 'obj-003,coin'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-003');
    await writeModel({ ws: f.ws, predicts: 'vessel', seed: 2 });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    // The relabel reverted: training gives v1.0.0's model again (the same weights).
    await writeFile(f.ws.labels, original);
    sh(f.root, 'commit', '-q', '-am', 'Revert "Relabel obj-003"');
    await rm(f.ws.model, { recursive: true });
    await cp(kept, f.ws.model, { recursive: true });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    const { version } = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(version).toBe('v1.2.0');

    const record = await showVersion({ ws: f.ws, params: f.params, version: 'v1.2.0' });
    expect(record.sameModelAs).toBe('v1.0.0');
    expect(formatVersionDetail({ record })).toContain(
      '  same as   v1.0.0: the same model (same weights, types and image model), registered again as a new version',
    );
    const card = JSON.parse(await readFile(path.join(f.ws.registry, 'cards', 'v1.2.0.json'), 'utf8'));
    expect(card.details.changes[0]).toMatch(/^The same model as v1\.0\.0 \(same weights, types and image model\)/);
    // Not said of a model of its own.
    expect((await showVersion({ ws: f.ws, params: f.params, version: 'v1.1.0' })).sameModelAs).toBeUndefined();
    const other = JSON.parse(await readFile(path.join(f.ws.registry, 'cards', 'v1.1.0.json'), 'utf8'));
    expect(other.details.changes.join(' ')).not.toContain('The same model as');
  });

  it('names the parameters whose change trained a new model, after an object-data edit that registered none', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    // A title edited: the same model, no new version.
    await writeFile(f.ws.objects, (await readFile(f.ws.objects, 'utf8')).replace('Object obj-001', 'A bowl'));
    sh(f.root, 'commit', '-q', '-am', 'Title of obj-001');
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    expect((await promote({ ctx: stageContext(f), predict: standInPredict })).version).toBe('v1.0.0');
    // Then only train.l2_choices: a new model, registered with the change that made it named.
    f.params.train.l2_choices = [0.5];
    await writeModel({ ws: f.ws, predicts: 'coin', seed: 3 });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Fewer l2 choices');
    const { version } = await promote({ ctx: stageContext(f), predict: standInPredict });
    const record = await showVersion({ ws: f.ws, params: f.params, version });
    expect(record.registration?.reason).toContain('parameters changed (train.l2_choices)');
  });
});
