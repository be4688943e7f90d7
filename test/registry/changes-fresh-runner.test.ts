import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  promoteStandIn,
  publicationWith,
  readAnnotations,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  steppingClock,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * The reviewer: on GitHub each promotion runs on a fresh runner without .vitrine/registry (the record is written
 * again from the tags only by the catalogue stage, after promote), so there were no earlier annotations to compare
 * with and “Recent changes” never said what the new model changed. The promotion now writes the record of the
 * model it replaces first, when the copy lacks it.
 */

const newRepo = repoPerTest();

describe('what a promotion changes of the answers shown, on a runner without the registry’s record', () => {
  it('is recorded against the model it replaces, restored from the tags first', async () => {
    const f = await promoteStandIn(await newRepo());
    const shown = (await readAnnotations(f.ws)).length;
    expect(shown).toBeGreaterThan(0);
    // A fresh runner: the tags, the dataset and the embeddings, no .vitrine/registry.
    await rm(f.ws.registry, { recursive: true });
    await writeModel({ ws: f.ws, predicts: 'mask', seed: 2 });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Retrained');
    const promoted = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(promoted.version).toBe('v1.0.1');
    expect(promoted.prod).toBe(promoted.version);
    const changes = JSON.parse(await readFile(path.join(f.ws.registry, 'annotation-changes.json'), 'utf8'));
    expect([changes.version, changes.previous, changes.changed]).toEqual([promoted.version, 'v1.0.0', shown]);
    expect(changes.objects[0]).toMatchObject({ before: 'coin', after: 'mask' });
  });

  it('is recorded by a rollback against the model it takes out of production', async () => {
    const f = await promoteStandIn(await newRepo());
    await writeModel({ ws: f.ws, predicts: 'mask', seed: 2 });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Retrained');
    await promote({ ctx: stageContext(f), predict: standInPredict });
    // rollback.yml runs on a fresh runner too.
    await rm(f.ws.registry, { recursive: true });
    await rollbackAndPublish({
      ws: f.ws,
      params: f.params,
      version: 'v1.0.0',
      clock: steppingClock(Date.parse('2026-04-01T00:00:00Z')),
      log: memoryLogger(),
      predict: standInPredict,
    });
    const changes = JSON.parse(await readFile(path.join(f.ws.registry, 'annotation-changes.json'), 'utf8'));
    expect([changes.version, changes.previous]).toEqual(['v1.0.0', 'v1.0.1']);
    expect(changes.objects[0]).toMatchObject({ before: 'mask', after: 'coin' });
  });
});
