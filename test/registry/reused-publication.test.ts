import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import type { EmbedObjects } from '../../pipeline/registry/annotate.ts';
import type { ModelCard } from '../../pipeline/registry/card.ts';
import { publishRegistry } from '../../pipeline/registry/publish.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  promoteStandIn,
  publicationWith,
  readAnnotations,
  repoPerTest,
  stageContext,
  standInPredict,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * A promotion whose model is unchanged reuses the registered version: its annotations must follow the
 * evaluation just made of that very model (the workspace's metrics.json), not the one stored when it was first
 * registered. Real repository, tags and folder remote; the stand-in model predicts every object at 0.9.
 */

const newRepo = repoPerTest();

const BACKBONE = 'nsfwjs-mobilenet_v2@4.4.0#global_average_pooling2d_1';

/** The warnings of a promotion, but the placeholder registry.owners' (the fixture keeps init's default; owners.test). */
function warningsBut(log: ReturnType<typeof memoryLogger>): string[] {
  return log.lines.filter((l) => l.level === 'warn' && !l.message.includes('registry.owners')).map((l) => l.message);
}

describe('promoting an unchanged model', () => {
  it('uses the thresholds of the evaluation just made (annotate.min_precision raised)', async () => {
    const f = await promoteStandIn(await newRepo());
    expect((await readAnnotations(f.ws)).every((a) => a.published === true)).toBe(true);

    // Evaluated again with a stricter annotate.min_precision: the same weights, thresholds above 0.9.
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.95)) });
    const result = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(result.reused).toBe(true);
    const annotations = await readAnnotations(f.ws);
    expect(annotations.every((a) => a.modelVersion === 'v1.0.0' && a.published === false)).toBe(true);
  });

  it('publishes again once evaluated with cross-validation (registered with evaluate.folds 0)', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    // evaluate.folds 0: no publication thresholds, nothing published as fact.
    await writeMetrics({ ws: f.ws, params: f.params });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    expect((await readAnnotations(f.ws)).every((a) => a.published === false)).toBe(true);

    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    const log = memoryLogger();
    const result = await promote({ ctx: stageContext(f, { log }), predict: standInPredict });
    expect(result.reused).toBe(true);
    expect((await readAnnotations(f.ws)).every((a) => a.modelVersion === 'v1.0.0' && a.published === true)).toBe(true);
    expect(log.lines.filter((l) => l.level === 'warn' && l.message.includes('publication thresholds'))).toEqual([]);
  });

  it("holds back unfamiliar photographs by the fresh evaluation's cut, without the stored evaluation's warning", async () => {
    const f = await newRepo();
    f.params.train.backend = 'cpu';
    // Registered before the familiarity check existed: thresholds only.
    f.params.annotate.familiarity = false;
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    // Evaluated again with the check: a cut below every distance holds back each sure annotation.
    const familiarity = { k: 5, quantile: 0.95, cut: -1, reference: 11, backbone: BACKBONE };
    await writeMetrics({
      ws: f.ws,
      params: f.params,
      publication: { ...publicationWith(everyLabel(0.8)), familiarity },
    });
    f.params.annotate.familiarity = true;
    let n = 0;
    const embed: EmbedObjects = async ({ objects }) =>
      new Map(objects.map((o) => [o.imageMd5, Float32Array.from({ length: 4 }, (_, j) => ((n++ * 7 + j) % 5) + 1)]));
    const log = memoryLogger();
    await publishRegistry({ ws: f.ws, params: f.params, log, predict: standInPredict, embed });
    const annotations = await readAnnotations(f.ws);
    expect(annotations.every((a) => a.modelVersion === 'v1.0.0' && a.unfamiliar === true)).toBe(true);
    expect(warningsBut(log)).toEqual([]);
  });

  it('keeps the thresholds stored at registration when evaluated again with evaluate.folds 0, and says so', async () => {
    const f = await promoteStandIn(await newRepo());
    expect((await readAnnotations(f.ws)).every((a) => a.published === true)).toBe(true);

    // The same weights evaluated again with evaluate.folds 0: no thresholds measured this time.
    await writeMetrics({ ws: f.ws, params: f.params });
    const log = memoryLogger();
    const result = await promote({ ctx: stageContext(f, { log }), predict: standInPredict });
    expect(result.reused).toBe(true);
    expect((await readAnnotations(f.ws)).every((a) => a.modelVersion === 'v1.0.0' && a.published === true)).toBe(true);
    expect(log.lines.map((l) => l.message).join('\n')).toContain(
      'Model version v1.0.0 was evaluated again without publication thresholds (evaluate.folds 0), so its ' +
        'annotations follow the thresholds stored when it was registered.',
    );
  });

  it("states on the version's card the publication rule its annotations follow now", async () => {
    const f = await promoteStandIn(await newRepo());
    const first = await readFile(path.join(f.ws.registry, 'cards', 'v1.0.0.md'), 'utf8');
    // The first promotion stores the evaluation its annotations follow: nothing more to say.
    expect(first).not.toContain('Publication rule the catalogue follows now');

    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.95)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const card = await readFile(path.join(f.ws.registry, 'cards', 'v1.0.0.md'), 'utf8');
    const later = card.slice(card.indexOf('### Publication rule the catalogue follows now'));
    expect(card).toContain('### Publication rule the catalogue follows now');
    expect(later).toContain("The annotations in the catalogue follow that later evaluation's publication rule");
    expect(later).toContain('| coin | 95% or more |');
    // The registration's figures stay, labelled as such (above the later rule).
    expect(card.slice(0, card.indexOf('### Publication rule'))).toContain('| coin | 80% or more |');
    const json = JSON.parse(await readFile(path.join(f.ws.registry, 'cards', 'v1.0.0.json'), 'utf8')) as ModelCard;
    expect(json.followed?.publication?.thresholds.coin).toBe(0.95);
    expect(json.metrics.publication?.thresholds.coin).toBe(0.8);
  });

  it('says too few labelled photographs kept the familiarity check from being applied, not that it was left out', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const publication = publicationWith(everyLabel(0.8), { familiarityNotApplied: { reference: 4, k: 5 } });
    await writeMetrics({ ws: f.ws, params: f.params, publication });
    const log = memoryLogger();
    await promote({ ctx: stageContext(f, { log }), predict: standInPredict });
    const warnings = warningsBut(log);
    expect(warnings).toEqual([
      'Model version v1.0.0: too few labelled photographs (4) to judge which photographs are unlike them; the ' +
        'check was not applied, so its annotations are published by its confidence thresholds alone.',
    ]);
  });
});
