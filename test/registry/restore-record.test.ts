import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../../pipeline/fs.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { restoreRegistryRecord } from '../../pipeline/registry/publish.ts';
import { type ReviewFile, reviewFile } from '../../pipeline/review/index.ts';
import { catalogueStage } from '../../pipeline/stages/catalogue.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import type { Dataset, DatasetObject } from '../../pipeline/types.ts';
import {
  everyLabel,
  LABELS,
  promoteStandIn,
  publicationWith,
  readAnnotations,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * An outside tester built the catalogue in a fresh clone (as a CI runner whose cache expired does): "No promoted
 * model yet", 0 annotated, 0 model cards, though `models list` showed v1.1.0 in production from the git tags. The
 * catalogue stage now writes .vitrine/registry again from the tags first. Real repository, tags, folder remote.
 */

const newRepo = repoPerTest();

/** A repository with v1.0.0 promoted (the stand-in model predicts "coin"), its record written by the promotion. */
async function promotedRepo() {
  return promoteStandIn(await newRepo());
}

describe('the record of the promoted models in a copy that lacks it', () => {
  it('is written again from the git tags: the versions, the cards, and the annotations of production', async () => {
    const f = await promotedRepo();
    const before = await readAnnotations(f.ws);
    const versions = await readFile(path.join(f.ws.registry, 'versions.json'), 'utf8');
    // As in a fresh clone: the tags, and no .vitrine/registry.
    await rm(f.ws.registry, { recursive: true });

    const log = memoryLogger();
    expect(await restoreRegistryRecord({ ws: f.ws, params: f.params, log, predict: standInPredict })).toBe('restored');
    expect(log.lines.map((l) => l.message).join('\n')).toContain('the git tags put v1.0.0 in production');
    expect(await readAnnotations(f.ws)).toEqual(before);
    expect(JSON.parse(await readFile(path.join(f.ws.registry, 'versions.json'), 'utf8'))).toEqual(JSON.parse(versions));
    // Once there, nothing to do.
    expect(await restoreRegistryRecord({ ws: f.ws, params: f.params, log, predict: standInPredict })).toBe('untouched');
  });

  it('keeps the label issues of the evaluation that registered production (its review list is stored with it)', async () => {
    // An outside tester's fresh clone: its review queue had 22 objects, not 50, as .vitrine/evaluate was not there.
    const f = await newRepo();
    const dataset = await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    const wrong = dataset.objects.find((o) => o.label === 'mask')!;
    const review: ReviewFile = {
      schema: 'vitrine.review/1',
      labels: LABELS,
      checked: dataset.counts.labelled,
      agreement: { accuracy: 0.9, guessing: 1 / 3, better: true, labelsInUse: 3 },
      confident: 1,
      flagged: 1,
      items: [
        {
          id: wrong.id,
          label: 'mask',
          suggested: 'coin',
          score: 0.93,
          confidence: 0.95,
          confident: true,
          reason: 'flagged',
          threshold: 0.6,
          split: wrong.split,
        },
      ],
    };
    await writeJsonAtomic({ file: reviewFile(f.ws), value: review });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const before = await readAnnotations(f.ws);
    const issue = { score: 0.93, suggested: 'coin', flagged: true, label: 'mask' };
    expect(before.find((a) => a.id === wrong.id)?.labelIssue).toEqual(issue);

    // A fresh clone: no .vitrine but the dataset (the evidence comes from the model remote).
    await rm(f.ws.registry, { recursive: true });
    await rm(f.ws.evaluate, { recursive: true });
    await rm(path.join(f.ws.root, '.vitrine', 'cache', 'registry'), { recursive: true, force: true });
    const log = memoryLogger();
    expect(await restoreRegistryRecord({ ws: f.ws, params: f.params, log, predict: standInPredict })).toBe('restored');
    expect(await readAnnotations(f.ws)).toEqual(before);
  });

  it('writes a record again that was left half-written (cards, no annotations), and waits for the dataset', async () => {
    const f = await promotedRepo();
    const before = await readAnnotations(f.ws);
    // An outside tester's fresh clone: a first try without the dataset wrote the cards, not the annotations.
    await rm(path.join(f.ws.registry, 'annotations.json'));
    const dataset = path.join(f.ws.dataset, 'dataset.json');
    const saved = await readFile(dataset);
    await rm(dataset);
    expect(
      await restoreRegistryRecord({ ws: f.ws, params: f.params, log: memoryLogger(), predict: standInPredict }),
    ).toBe('untouched');
    await writeFile(dataset, saved);
    expect(
      await restoreRegistryRecord({ ws: f.ws, params: f.params, log: memoryLogger(), predict: standInPredict }),
    ).toBe('restored');
    expect(await readAnnotations(f.ws)).toEqual(before);
  });

  it('never stops the catalogue: a failure to annotate leaves staff labels only, and says why', async () => {
    const f = await promotedRepo();
    await rm(f.ws.registry, { recursive: true });
    const log = memoryLogger();
    const broken = async () => {
      throw new Error('the TensorFlow.js backend did not start');
    };
    expect(await restoreRegistryRecord({ ws: f.ws, params: f.params, log, predict: broken })).toBe('failed');
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toContain(
      'The collection could not be annotated with v1.0.0 again (the TensorFlow.js backend did not start): the ' +
        'catalogue shows staff labels only, with no machine annotations.',
    );
  });

  it('says that a branch other than the collection’s shows production’s annotations as a preview', async () => {
    const f = await promotedRepo();
    sh(f.ws.root, 'checkout', '-q', '-b', 'relabel-scarabs');
    await rm(f.ws.registry, { recursive: true });
    const log = memoryLogger();
    expect(await restoreRegistryRecord({ ws: f.ws, params: f.params, log, predict: standInPredict })).toBe('restored');
    expect(log.lines.map((l) => l.message).join('\n')).toContain(
      'with it (a preview on branch relabel-scarabs: its objects as production’s model sees them',
    );
  });

  it('annotates again when the collection has objects or photographs its annotations were not made for', async () => {
    // A reviewer: on a machine that keeps .vitrine/registry, a merge whose model failed the gate built the catalogue
    // with --single, and the month's new objects had no machine annotation (a fresh CI runner annotates them).
    const f = await promotedRepo();
    // Found up to date first: what remembers that (a stamp, to spare a large collection the reading) must not
    // hide the change that follows.
    expect(await restoreRegistryRecord({ ws: f.ws, params: f.params, log: memoryLogger(), refreshStale: true })).toBe(
      'untouched',
    );
    const file = path.join(f.ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
    const [first, second] = dataset.objects as [DatasetObject, DatasetObject];
    dataset.objects.push({ ...first, id: 'DM-0301', image: 'images/DM-0301.png', imageMd5: 'f'.repeat(32) });
    second.imageMd5 = 'e'.repeat(32);
    await writeJsonAtomic({ file, value: dataset });

    // A promotion wants only the record of what the public sees now (it annotates the collection itself next).
    const log = memoryLogger();
    const restore = { ws: f.ws, params: f.params, log, predict: standInPredict };
    expect(await restoreRegistryRecord(restore)).toBe('untouched');
    expect(await restoreRegistryRecord({ ...restore, refreshStale: true })).toBe('restored');
    expect(log.lines.map((l) => l.message).join('\n')).toContain(
      `The production model’s annotations (.vitrine/registry) were made before 1 object was added (DM-0301) and 1 ` +
        `given a new photograph (${second.id}); the git tags put v1.0.0 in production`,
    );
    const after = await readAnnotations(f.ws);
    expect(after.map((a) => a.id)).toContain('DM-0301');
    expect(after.find((a) => a.id === second.id)?.imageMd5).toBe('e'.repeat(32));
    // Once they match, nothing to do.
    expect(await restoreRegistryRecord({ ...restore, refreshStale: true })).toBe('untouched');
  });

  it('does not annotate again at every run an object the model could make nothing of', async () => {
    // A reviewer: an image without a usable embedding gets no annotation, and was taken for a new object every run.
    const f = await promotedRepo();
    const file = path.join(f.ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
    dataset.objects.push({ ...dataset.objects[0]!, id: 'DM-0301', imageMd5: 'f'.repeat(32) });
    await writeJsonAtomic({ file, value: dataset });
    const leavesOut: typeof standInPredict = async (input) =>
      (await standInPredict(input)).filter((p) => p.id !== 'DM-0301');
    const restore = { ws: f.ws, params: f.params, log: memoryLogger(), predict: leavesOut, refreshStale: true };
    expect(await restoreRegistryRecord(restore)).toBe('restored');
    expect((await readAnnotations(f.ws)).map((a) => a.id)).not.toContain('DM-0301');
    expect(await restoreRegistryRecord(restore)).toBe('untouched');
  });

  it('says the annotations already made are kept when making the missing ones fails', async () => {
    const f = await promotedRepo();
    const file = path.join(f.ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
    dataset.objects.push({ ...dataset.objects[0]!, id: 'DM-0301', imageMd5: 'f'.repeat(32) });
    await writeJsonAtomic({ file, value: dataset });
    const before = await readAnnotations(f.ws);
    const log = memoryLogger();
    const broken = async () => {
      throw new Error('the TensorFlow.js backend did not start');
    };
    expect(await restoreRegistryRecord({ ws: f.ws, params: f.params, log, predict: broken, refreshStale: true })).toBe(
      'failed',
    );
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toContain(
      'The collection could not be annotated with v1.0.0 again (the TensorFlow.js backend did not start): the ' +
        'objects its annotations were not made for show staff labels only; the others keep their annotations.',
    );
    expect(await readAnnotations(f.ws)).toEqual(before);
  });

  it('is asked of the catalogue stage before it builds (--single included)', async () => {
    const f = await promotedRepo();
    const file = path.join(f.ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
    dataset.objects.push({ ...dataset.objects[0]!, id: 'DM-0301', imageMd5: 'f'.repeat(32) });
    await writeJsonAtomic({ file, value: dataset });
    const ctx = stageContext(f);
    // The stand-in model's files are not a TF.js model: the real predictor fails, which the stage only warns of.
    expect(await catalogueStage.prepare!(ctx)).toEqual(['.vitrine/registry']);
    const said = ctx.log.lines.map((l) => l.message).join('\n');
    expect(said).toContain('were made before 1 object was added (DM-0301); the git tags put v1.0.0 in production');
    expect(said).toContain('The collection could not be annotated with v1.0.0 again');
  });

  it('annotates again with production when the annotations are another version’s (a rollback elsewhere)', async () => {
    const f = await promotedRepo();
    const annotations = await readAnnotations(f.ws);
    await writeJsonAtomic({
      file: path.join(f.ws.registry, 'annotations.json'),
      value: annotations.map((a) => ({ ...a, modelVersion: 'v1.1.0' })),
    });
    const log = memoryLogger();
    const restore = { ws: f.ws, params: f.params, log, predict: standInPredict, refreshStale: true };
    expect(await restoreRegistryRecord(restore)).toBe('restored');
    expect(log.lines.map((l) => l.message).join('\n')).toContain(
      'The production model’s annotations (.vitrine/registry) were made by v1.1.0; the git tags put v1.0.0 in production',
    );
    expect(new Set((await readAnnotations(f.ws)).map((a) => a.modelVersion))).toEqual(new Set(['v1.0.0']));
  });

  it('does nothing where no version is in production', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    expect(await restoreRegistryRecord({ ws: f.ws, params: f.params, log: memoryLogger() })).toBe('untouched');
    await expect(readFile(path.join(f.ws.registry, 'versions.json'))).rejects.toThrow();
  });
});
