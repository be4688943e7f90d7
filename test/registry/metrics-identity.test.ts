import { describe, expect, it } from 'vitest';
import { VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { annotateCollection } from '../../pipeline/registry/annotate.ts';
import { publishRegistry } from '../../pipeline/registry/publish.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  publicationWith,
  readAnnotations,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  workspaceModelIdentity,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * metrics.json records which model it evaluated (`inputs.model`, the registry's model identity). A model
 * trained or copied after the evaluation (`vitrine run train --single`, a folder copied by hand) must not be
 * promoted or annotated with the other model's gate, scores or publication thresholds. Real repository, tags
 * and folder remote; the stand-in model predicts every object at 0.9.
 */

const newRepo = repoPerTest();

const OTHER = 'the scores in metrics.json were measured on another model';

describe('metrics.json of another model', () => {
  it('refuses to promote a model trained after the evaluation, and says to evaluate again', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const evaluated = await workspaceModelIdentity(f.ws);
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)), model: evaluated });
    // `vitrine run train --single`: new weights, the evaluation left as it was.
    await writeModel({ ws: f.ws, predicts: 'mask' });
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VitrineError);
    expect((error as VitrineError).code).toBe('PROMOTE_MODEL_MISMATCH');
    expect((error as VitrineError).message).toContain(OTHER);
    expect((error as VitrineError).message).toContain('vitrine run evaluate');
    expect(sh(f.root, 'tag', '-l')).toBe('');
  });

  it('promotes as before when metrics.json names this model, or names none (written before it was recorded)', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const model = await workspaceModelIdentity(f.ws);
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)), model });
    expect((await promote({ ctx: stageContext(f), predict: standInPredict })).version).toBe('v1.0.0');
    expect((await readAnnotations(f.ws)).every((a) => a.published === true)).toBe(true);

    await writeModel({ ws: f.ws, predicts: 'mask' });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Retrained');
    expect((await promote({ ctx: stageContext(f), predict: standInPredict })).version).toBe('v1.0.1');
  });

  it("annotates the production model by its stored thresholds, not another model's metrics.json", async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const model = await workspaceModelIdentity(f.ws);
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)), model });
    await promote({ ctx: stageContext(f), predict: standInPredict });

    // metrics.json now evaluates another model (its thresholds would hold back every annotation).
    await writeMetrics({
      ws: f.ws,
      params: f.params,
      publication: publicationWith(everyLabel(0.95)),
      model: 'another-model',
    });
    const log = memoryLogger();
    await publishRegistry({ ws: f.ws, params: f.params, log, predict: standInPredict });
    const annotations = await readAnnotations(f.ws);
    expect(annotations.every((a) => a.modelVersion === 'v1.0.0' && a.published === true)).toBe(true);
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes(OTHER))).toBe(true);
  });

  it("publishes nothing as fact when annotating with a model whose metrics.json is another model's, and says why", async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({
      ws: f.ws,
      params: f.params,
      publication: publicationWith(everyLabel(0.8)),
      model: 'another-model',
    });
    const log = memoryLogger();
    const { annotations } = await annotateCollection({
      ws: f.ws,
      params: f.params,
      modelDir: f.ws.model,
      modelVersion: 'v1.0.0',
      log,
      predict: standInPredict,
    });
    expect(annotations.every((a) => a.published === false)).toBe(true);
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain(OTHER);
    expect(said).toContain('vitrine run evaluate');
  });
});
