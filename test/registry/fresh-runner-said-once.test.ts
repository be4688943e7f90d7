import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  promoteStandIn,
  publicationWith,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  steppingClock,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * Tester T9: a fresh clone's first promotion said "The model cards name no owner" twice, and "Annotated 44 objects
 * …" twice. A copy without .vitrine/registry writes the record of what the public sees first, from the tags (to tell
 * what the new model changes of it), then publishes again: each said once, by the publication the run ends with.
 */

const newRepo = repoPerTest();

/** The lines of `level` that start with `start`. */
function said(log: ReturnType<typeof memoryLogger>, level: string, start: string): string[] {
  return log.lines.filter((l) => l.level === level && l.message.startsWith(start)).map((l) => l.message);
}

describe('a promotion on a copy without the registry’s record (a fresh clone, a CI runner)', () => {
  it('says once that the model cards name no owner, and once what it annotated, with the new model', async () => {
    const f = await promoteStandIn(await newRepo());
    await rm(f.ws.registry, { recursive: true });
    await writeModel({ ws: f.ws, predicts: 'mask', seed: 2 });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Retrained');
    const log = memoryLogger();
    const promoted = await promote({ ctx: stageContext(f, { log }), predict: standInPredict });
    expect(promoted.version).toBe('v1.0.1');
    expect(said(log, 'warn', 'The model cards name no owner')).toHaveLength(1);
    const annotated = said(log, 'info', 'Annotated ');
    expect(annotated).toHaveLength(1);
    expect(annotated[0]).toContain('with model v1.0.1');
  });

  it('says each once when the model retrained is the one in production (the same version kept)', async () => {
    const f = await promoteStandIn(await newRepo());
    await rm(f.ws.registry, { recursive: true });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Again');
    const log = memoryLogger();
    const promoted = await promote({ ctx: stageContext(f, { log }), predict: standInPredict });
    expect(promoted.version).toBe('v1.0.0');
    expect(said(log, 'warn', 'The model cards name no owner')).toHaveLength(1);
    expect(said(log, 'info', 'Annotated ')).toHaveLength(1);
  });

  it('and a rollback on such a copy says each once too, with the version put back', async () => {
    const f = await promoteStandIn(await newRepo());
    await writeModel({ ws: f.ws, predicts: 'mask', seed: 2 });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Retrained');
    await promote({ ctx: stageContext(f), predict: standInPredict });
    await rm(f.ws.registry, { recursive: true });
    const log = memoryLogger();
    const clock = steppingClock(Date.parse('2026-04-01T00:00:00Z'));
    await rollbackAndPublish({ ws: f.ws, params: f.params, version: 'v1.0.0', clock, log, predict: standInPredict });
    expect(said(log, 'warn', 'The model cards name no owner')).toHaveLength(1);
    const annotated = said(log, 'info', 'Annotated ');
    expect(annotated).toHaveLength(1);
    expect(annotated[0]).toContain('with model v1.0.0');
  });
});
