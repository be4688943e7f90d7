import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  type Fixture,
  publicationWith,
  readAnnotations,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  steppingClock,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * A rollback across a renamed type (an outside tester: Statuary renamed Sculpture, then a rollback to the version
 * trained before it): the restored model guesses "vessel", a type the vocabulary no longer has ("pot" now). The
 * catalogue published 57 such guesses as disagreements with the staff label "pot", and rolling forward again counted
 * every one as the model changing its mind. Real repository, tags and folder remote; the stand-in predicts one label.
 */

const newRepo = repoPerTest();
const RENAMED = ['coin', 'mask', 'pot'];

/** v1.0.0 predicts vessel; then vessel is renamed pot (labels.csv and the vocabulary) and v2.0.0 predicts pot. */
async function renamedSince(f: Fixture): Promise<void> {
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts: 'vessel' });
  await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
  await promote({ ctx: stageContext(f), predict: standInPredict });
  await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replaceAll(',vessel', ',pot'));
  sh(f.root, 'commit', '-q', '-am', 'Rename vessel to pot');
  f.params.collection.vocabulary = RENAMED;
  await writeDataset({ ws: f.ws, labels: RENAMED });
  await writeModel({ ws: f.ws, predicts: 'pot', labels: RENAMED, seed: 2 });
  const publication = publicationWith({ coin: 0.8, mask: 0.8, pot: 0.8 });
  await writeMetrics({ ws: f.ws, params: f.params, labels: RENAMED, publication });
  await promote({ ctx: stageContext(f), predict: standInPredict });
}

const rollbackTo = (f: Fixture, version: string, log = memoryLogger()) =>
  rollbackAndPublish({
    ws: f.ws,
    params: f.params,
    version,
    clock: steppingClock(Date.parse('2026-04-01T00:00:00Z')),
    log,
    predict: standInPredict,
  });

const changesOf = async (f: Fixture) =>
  JSON.parse(await readFile(path.join(f.ws.registry, 'annotation-changes.json'), 'utf8')) as {
    version: string;
    changed: number;
    objects: { id: string; before: string | null; after: string | null }[];
  };

describe('a promotion across a renamed type', () => {
  it('does not count the renamed guesses as the model changing its mind', async () => {
    const f = await newRepo();
    await renamedSince(f);
    // v2.0.0 says "pot" where v1.0.0 said "vessel": the same judgement under the type’s new name.
    const changes = await changesOf(f);
    expect(changes.version).toBe('v2.0.0');
    expect(changes.objects.filter((o) => o.before === 'vessel' && o.after === 'pot')).toEqual([]);
    expect(changes.changed).toBe(0);
  });
});

describe('a rollback to a version trained on types the vocabulary no longer has', () => {
  it('says which types, and publishes none of their guesses', async () => {
    const f = await newRepo();
    await renamedSince(f);
    const log = memoryLogger();
    const { version } = await rollbackTo(f, 'v1.0.0', log);
    expect(version).toBe('v1.0.0');
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('"vessel"'));
    expect(warning?.message).toContain('Model version v1.0.0');
    expect(warning?.message).toContain('not one of the types in collection.vocabulary');
    expect(warning?.message).toMatch(/renamed or removed/);
    expect(warning?.message).toMatch(/not published/);
    // The registry's record: every guess is of the retired type, none published, each says why.
    const annotations = await readAnnotations(f.ws);
    expect(annotations.length).toBeGreaterThan(0);
    expect(annotations.every((a) => a.label === 'vessel' && a.published === false && a.retiredType === true)).toBe(
      true,
    );
    // What the public saw change: pot held back, not pot turned vessel (a rename is no change of judgement).
    const changes = await changesOf(f);
    expect(changes.objects.every((o) => o.before === 'pot' && o.after === null)).toBe(true);
    // The catalogue publishes no guess of a type it no longer has, and says why on the page.
    const { catalogue } = await buildCatalogueData({ ws: f.ws, params: f.params, log: memoryLogger() });
    const annotated = catalogue.objects.filter((o) => o.annotation);
    expect(annotated.length).toBeGreaterThan(0);
    for (const o of annotated) expect(o.annotation).toMatchObject({ published: false, retiredType: true });
    // Not waiting for staff either: the guess is of a type the museum no longer uses.
    expect(annotated.filter((o) => o.needsReview && o.reviewReason === 'waiting')).toEqual([]);

    // Rolled forward: the renamed type is shown again, not counted as the model changing its mind.
    await rollbackTo(f, 'v2.0.0');
    const forward = await changesOf(f);
    expect(forward.objects.filter((o) => o.before === 'vessel')).toEqual([]);
  });

  it('holds back in the catalogue a guess of a retired type made before the vocabulary changed', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'vessel' });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    // The rename merged, but no new model (its gate failed): the catalogue is built with v1.0.0's annotations.
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replaceAll(',vessel', ',pot'));
    f.params.collection.vocabulary = RENAMED;
    await writeDataset({ ws: f.ws, labels: RENAMED });
    const { catalogue } = await buildCatalogueData({ ws: f.ws, params: f.params, log: memoryLogger() });
    const annotated = catalogue.objects.filter((o) => o.annotation);
    expect(annotated.length).toBeGreaterThan(0);
    for (const o of annotated) expect(o.annotation).toMatchObject({ published: false, retiredType: true });
  });
});
