import { createHash } from 'node:crypto';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type EmbedObjects, labelsChangedSince } from '../../pipeline/registry/annotate.ts';
import { rollbackAndPublish } from '../../pipeline/registry/publish.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import type { Annotation, Metrics } from '../../pipeline/types.ts';
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
 * A model's publication thresholds are on its own confidence scale: after a rollback (or a promotion that
 * leaves an older version in production) the catalogue must be judged by the thresholds and familiarity cut
 * stored with the version in production, not by the workspace's latest metrics.json (another model's).
 * Real repository, tags and folder remote; the stand-in model predicts one label at confidence 0.9.
 */

const newRepo = repoPerTest();

type Publication = NonNullable<Metrics['publication']>;
const BACKBONE = 'nsfwjs-mobilenet_v2@4.4.0#global_average_pooling2d_1';

/** Train-and-evaluate stand-in for the workspace as it is now, then `vitrine run promote`. */
async function promoteVersion(f: Fixture, predicts: string, publication?: Publication): Promise<void> {
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts });
  await writeMetrics({ ws: f.ws, params: f.params, publication });
  await promote({ ctx: stageContext(f), predict: standInPredict });
}

/** v1.0.0 predicts coin, v1.1.0 (labels changed) predicts vessel; v1.1.0 is in production. */
async function twoVersions(f: Fixture, v1: Publication | undefined, v2: Publication | undefined): Promise<void> {
  await promoteVersion(f, 'coin', v1);
  await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-003,vessel', 'obj-003,coin'));
  sh(f.root, 'commit', '-q', '-am', 'Relabel obj-003');
  await promoteVersion(f, 'vessel', v2);
}

const rollbackTo = (f: Fixture, version: string, log = memoryLogger(), embed?: EmbedObjects) =>
  rollbackAndPublish({
    ws: f.ws,
    params: f.params,
    version,
    clock: steppingClock(Date.parse('2026-04-01T00:00:00Z')),
    log,
    predict: standInPredict,
    embed,
  });

describe('annotation after a rollback', () => {
  it("judges the restored version's predictions by its own thresholds, not the workspace's latest", async () => {
    const f = await newRepo();
    // v1.0.0 is sure enough at 0.8; v1.1.0, on its own scale, only at 0.95 (and vessel at 0.5).
    await twoVersions(f, publicationWith(everyLabel(0.8)), publicationWith({ ...everyLabel(0.95), vessel: 0.5 }));
    expect((await readAnnotations(f.ws)).every((a) => a.label === 'vessel' && a.published === true)).toBe(true);

    const log = memoryLogger();
    await rollbackTo(f, 'v1.0.0', log);
    const annotations = await readAnnotations(f.ws);
    // coin at 0.9: published by v1.0.0's 0.8, it would be held back by v1.1.0's 0.95.
    expect(annotations.every((a) => a.modelVersion === 'v1.0.0' && a.label === 'coin')).toBe(true);
    expect(annotations.filter((a) => a.published !== true).map((a) => a.id)).toEqual([]);
    expect(annotations.some((a) => a.noThreshold)).toBe(false);
    // v1.0.0 has thresholds but was evaluated before the familiarity check: said, not borrowed from v1.1.0.
    // (The placeholder registry.owners' warning aside: the fixture keeps init's default; owners.test.ts.)
    const warnings = log.lines.filter((l) => l.level === 'warn' && !l.message.includes('registry.owners'));
    expect(warnings.map((l) => l.message)).toEqual([
      'Model version v1.0.0 was evaluated without the check for photographs unlike the labelled ones ' +
        '(annotate.familiarity), so its annotations are published by its confidence thresholds alone.',
    ]);

    // Promoting v1.1.0's commit again leaves v1.0.0 in production: still judged by v1.0.0's thresholds.
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const again = await readAnnotations(f.ws);
    expect(again.every((a) => a.modelVersion === 'v1.0.0' && a.published === true)).toBe(true);
  });

  it('publishes nothing as fact for a version registered without thresholds, and says so', async () => {
    const f = await newRepo();
    // v1.0.0 was registered before Vitrine measured thresholds; v1.1.0's would publish coin at 0.5.
    await twoVersions(f, undefined, publicationWith(everyLabel(0.5)));
    const log = memoryLogger();
    await rollbackTo(f, 'v1.0.0', log);
    const annotations = await readAnnotations(f.ws);
    expect(annotations.every((a) => a.modelVersion === 'v1.0.0' && a.published === false)).toBe(true);
    // Held back because no guess can be published, not for its confidence: the object page says which.
    expect(annotations.every((a) => a.noThreshold === true)).toBe(true);
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('v1.0.0'));
    expect(warning?.message).toMatch(/no publication thresholds/);
    expect(warning?.message).toMatch(/wait for staff/);
  });

  it("publishes nothing as fact when the version's stored metrics.json cannot be fetched, and says so", async () => {
    const f = await newRepo();
    await twoVersions(f, publicationWith(everyLabel(0.8)), publicationWith(everyLabel(0.5)));
    // The remote lost v1.0.0's metrics.json (its model files are still there).
    const state = await readRegistry({ dir: f.root, name: f.params.registry.model_name });
    const v1 = state.versions.find((v) => v.version === 'v1.0.0')!.registration!;
    const md5 = v1.evidence!.files.find((e) => e.relpath === 'metrics.json')!.md5;
    expect(v1.manifest.files.some((e) => e.md5 === md5)).toBe(false);
    await rm(path.join(f.remoteDir, 'files', 'md5', md5.slice(0, 2), md5.slice(2)));
    // A fresh clone: no evidence kept locally.
    const cloneRoot = path.join(f.parent, 'clone');
    sh(f.parent, 'clone', '-q', f.root, cloneRoot);
    const clone = workspace(cloneRoot);
    await cp(path.join(f.ws.dataset, 'dataset.json'), path.join(clone.dataset, 'dataset.json'));
    const log = memoryLogger();
    await rollbackAndPublish({
      ws: clone,
      params: f.params,
      version: 'v1.0.0',
      clock: steppingClock(Date.parse('2026-04-01T00:00:00Z')),
      log,
      predict: standInPredict,
    });
    const annotations = await readAnnotations(clone);
    expect(annotations.every((a) => a.modelVersion === 'v1.0.0' && a.published === false)).toBe(true);
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.startsWith('Model version v1.0.0'));
    expect(warning?.message).toMatch(/has no publication thresholds here: its evaluation \(metrics\.json\) could not/);
    expect(warning?.message).toContain('they all wait for staff');
  });

  it("holds back unfamiliar photographs by the restored version's familiarity cut, not the latest one", async () => {
    const f = await newRepo();
    f.params.train.backend = 'cpu';
    // Off while promoting (the stand-in objects have no photographs to embed), on for the rollback.
    f.params.annotate.familiarity = false;
    // v1.1.0's cut is below every distance: each of its sure annotations would be held back as unfamiliar.
    const cut = { k: 5, quantile: 0.95, cut: -1, reference: 11, backbone: BACKBONE };
    await twoVersions(f, publicationWith(everyLabel(0.8)), publicationWith(everyLabel(0.5), { familiarity: cut }));
    f.params.annotate.familiarity = true;
    let n = 0;
    const embed: EmbedObjects = async ({ objects }) =>
      new Map(objects.map((o) => [o.imageMd5, Float32Array.from({ length: 4 }, (_, j) => ((n++ * 7 + j) % 5) + 1)]));

    await rollbackTo(f, 'v1.0.0', memoryLogger(), embed);
    const annotations = await readAnnotations(f.ws);
    expect(annotations.every((a) => a.published === true && a.unfamiliar === undefined)).toBe(true);

    // The same photographs with v1.1.0 back in production: its cut holds them back.
    await rollbackTo(f, 'v1.1.0', memoryLogger(), embed);
    const forward = await readAnnotations(f.ws);
    expect(forward.every((a) => a.modelVersion === 'v1.1.0' && a.unfamiliar === true)).toBe(true);
  });
});

describe('the labels an older model learnt', () => {
  it('after a rollback, a label corrected since that model was trained is recorded as changed, not as its mistake', async () => {
    const f = await newRepo();
    await twoVersions(f, publicationWith(everyLabel(0.8)), publicationWith(everyLabel(0.8)));
    // v1.1.0 learnt obj-003 as coin: its annotations record the labels of its own training.
    const before = await readAnnotations(f.ws);
    expect(before.find((a) => a.id === 'obj-003')?.humanLabel).toBe('coin');
    await rollbackTo(f, 'v1.0.0');
    const after = await readAnnotations(f.ws);
    // v1.0.0 learnt obj-003 as vessel, before staff corrected it: the catalogue then reads the correction as one
    // the model has not learnt (humanLabel ≠ today's label), not as the model disagreeing with staff.
    expect(after.find((a) => a.id === 'obj-003')?.humanLabel).toBe('vessel');
    const others = (list: Annotation[]) => list.filter((a) => a.id !== 'obj-003').map((a) => [a.id, a.humanLabel]);
    expect(others(after)).toEqual(others(before));
    // Today's label is still what the model agrees with or not.
    expect(after.find((a) => a.id === 'obj-003')?.agrees).toBe(true);
    // And the record names it, so that it does not contradict itself (an outside tester read "label": "Pottery",
    // "humanLabel": "Pottery", "agrees": false, staff having made it Jewellery since): only where the two differ.
    expect(after.find((a) => a.id === 'obj-003')?.staffLabel).toBe('coin');
    expect(after.filter((a) => a.id !== 'obj-003' && a.staffLabel !== undefined)).toEqual([]);

    // The next run on main keeps v1.0.0 in production and annotates again: still the labels v1.0.0 learnt.
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const again = await readAnnotations(f.ws);
    expect(again.every((a) => a.modelVersion === 'v1.0.0')).toBe(true);
    expect(again.find((a) => a.id === 'obj-003')?.humanLabel).toBe('vessel');
  });

  it('are read from labels.csv at the recorded commit, only when it is the file the model was trained on', async () => {
    const f = await newRepo();
    const commit = sh(f.root, 'rev-parse', 'HEAD').trim();
    const md5 = createHash('md5')
      .update(await readFile(f.ws.labels))
      .digest('hex');
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-003,vessel', 'obj-003,coin'));
    await writeFile(f.ws.labels, `${await readFile(f.ws.labels, 'utf8')}obj-013,mask\n`);
    const log = memoryLogger();
    const since = (trainedOn: { md5: string; commit: string | null }) =>
      labelsChangedSince({ ws: f.ws, trainedOn, log });
    expect(await since({ md5, commit })).toEqual(
      new Map<string, string | null>([
        ['obj-003', 'vessel'],
        ['obj-013', null],
      ]),
    );
    // Not knowable: no commit recorded, a commit this clone lacks (shallow), another file than the one trained on.
    expect(await since({ md5, commit: null })).toBeNull();
    expect(await since({ md5, commit: 'f'.repeat(40) })).toBeNull();
    expect(await since({ md5: '0'.repeat(32), commit })).toBeNull();
  });
});
