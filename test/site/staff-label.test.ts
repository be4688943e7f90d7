import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { type FixtureObject, withCheckedLabels, writeFixture } from './fixture.ts';

/*
 * A staff label outside the vocabulary (params collection.vocabulary): the dataset stage leaves it out of
 * training with a LABEL_NOT_IN_VOCABULARY issue, so the object has no label in dataset.json. The public
 * catalogue still shows what the museum catalogued, under its own name, not "Not labelled yet".
 */

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A fixture whose labels.csv gives O-2 "Smithsonian" (not in the vocabulary), as the dataset stage reports it. */
async function outsideVocabularyFixture(root: string): Promise<void> {
  const labels = ['Chicago', 'Met'];
  const objects: FixtureObject[] = [
    { id: 'O-0', title: 'Bowl', label: 'Chicago', image: null },
    { id: 'O-1', title: 'Vase', label: 'Met', image: null },
    { id: 'O-2', title: 'Portrait', label: null, image: null, predicted: { label: 'Met', confidence: 0.7 } },
    { id: 'O-3', title: 'Cup', label: null, image: null },
  ];
  await writeFixture({ root, objects, labels, withMetrics: false });
  const ws = workspace(root);
  await writeFile(ws.labels, 'object_id,label\nO-0,Chicago\nO-1,Met\nO-2,Smithsonian\n');
  const file = path.join(ws.dataset, 'dataset.json');
  const dataset = JSON.parse(await readFile(file, 'utf8')) as Dataset;
  dataset.issues.push({
    code: 'LABEL_NOT_IN_VOCABULARY',
    message: 'labels.csv:4: "Smithsonian" is not one of the labels of this collection.',
    file: 'labels.csv',
    line: 4,
    object: 'O-2',
  });
  await writeFile(file, JSON.stringify(dataset));
}

describe('a staff label outside the vocabulary', () => {
  it('is shown as catalogued and counted under its own name, marked as not learnt by the model', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-staff-label-'));
    await outsideVocabularyFixture(dir);
    const { catalogue } = await buildCatalogueData({
      ws: workspace(dir),
      params: defaultParams(),
      log: memoryLogger(),
    });
    const o2 = catalogue.objects.find((o) => o.id === 'O-2')!;
    expect(o2.label).toBe('Smithsonian');
    expect(o2.labelOutsideVocabulary).toBe(true);
    // The model cannot answer "Smithsonian": its guess is neither agreement nor a disagreement to review.
    expect(o2.annotation!.agrees).toBeNull();
    expect(o2.reviewReason).not.toBe('disagrees');
    expect(catalogue.objects.find((o) => o.id === 'O-0')!.labelOutsideVocabulary).toBe(false);
    expect(catalogue.counts.byLabel).toEqual(
      expect.arrayContaining([
        { value: 'Smithsonian', count: 1 },
        { value: 'Not labelled yet', count: 1 },
      ]),
    );
    expect(catalogue.counts.labelled).toBe(3);
  });

  it('keeps the model’s guess from being published as the object’s type (an outside tester)', async () => {
    // "Misc": staff saying "none of these types". Its page read "Predicted by the model Relief 84% confident" under
    // "Not one of the types the model is trained on", and the guess was published with no staff check.
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-staff-label-'));
    await outsideVocabularyFixture(dir);
    const { catalogue } = await buildCatalogueData({
      ws: workspace(dir),
      params: defaultParams(),
      log: memoryLogger(),
    });
    const a = catalogue.objects.find((o) => o.id === 'O-2')!.annotation!;
    expect(a.published).toBe(false);
    expect(a.outsideVocabulary).toBe(true);
    // The model's nearest type is kept for the page to name, but is no value of the predicted-type facet.
    expect(a.label).toBe('Met');
    const published = catalogue.objects.filter((o) => o.annotation?.published && o.annotation.label === 'Met');
    expect(catalogue.counts.byPredicted.find((r) => r.value === 'Met')?.count ?? 0).toBe(published.length);
    expect(published.map((o) => o.id)).not.toContain('O-2');
    // Not waiting for staff: the staff label is the museum's word.
    expect(catalogue.reviewQueue).not.toContain('O-2');
  });

  it('is read by object id, so a line that moved still counts; an object the dataset did not report is left as is', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-staff-label-'));
    await outsideVocabularyFixture(dir);
    const ws = workspace(dir);
    // Rows sorted after the dataset reported line 4; O-3 has an unknown label the dataset never saw.
    await writeFile(ws.labels, 'object_id,label\nO-2,Smithsonian\nO-0,Chicago\nO-1,Met\nO-3,Louvre\n');
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    expect(catalogue.objects.find((o) => o.id === 'O-2')!.label).toBe('Smithsonian');
    expect(catalogue.objects.find((o) => o.id === 'O-3')!.label).toBeNull();
  });

  it('is left out when labels.csv now gives the object a label of the vocabulary, or two different labels', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-staff-label-'));
    await outsideVocabularyFixture(dir);
    const ws = workspace(dir);
    await writeFile(ws.labels, 'object_id,label\nO-0,Chicago\nO-1,Met\nO-2,Met\n');
    let { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    expect(catalogue.objects.find((o) => o.id === 'O-2')!.label).toBeNull();
    await writeFile(ws.labels, 'object_id,label\nO-0,Chicago\nO-1,Met\nO-2,Smithsonian\nO-2,Louvre\n');
    ({ catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() }));
    expect(catalogue.objects.find((o) => o.id === 'O-2')!.label).toBeNull();
  });
});

/*
 * An outside tester: "DM-0003,Figurine" (the vocabulary has "figurine") was shown on the public page as
 * "Figurine — Not one of the types the model is trained on, so it cannot suggest this one", which is false, and
 * "Figurine" became a value of the type facet beside "figurine". The dataset stage's near miss ("Did you mean
 * "figurine"?", kept on its issue in dataset.json) reaches the catalogue: the object shows what staff wrote, marked
 * as spelt differently from the type and waiting for a correction, and is counted under "figurine".
 */

/** A fixture whose labels.csv is `labelsText`, with the dataset's label issues as checkLabels gives them. */
async function nearMissFixture(root: string, labelsText: string): Promise<void> {
  const labels = ['figurine', 'coin', 'chain'];
  const objects: FixtureObject[] = [
    { id: 'O-0', title: 'Horse', label: 'figurine', image: null },
    { id: 'O-1', title: 'Obol', label: 'coin', image: null },
    { id: 'O-2', title: 'Dancer', label: null, image: null, predicted: { label: 'figurine', confidence: 0.8 } },
    { id: 'O-3', title: 'Seat', label: null, image: null },
    { id: 'O-4', title: 'Seat', label: null, image: null },
    { id: 'O-5', title: 'Seat', label: null, image: null },
  ];
  await writeFixture({ root, objects, labels, withMetrics: false });
  const ws = workspace(root);
  await withCheckedLabels({
    ws,
    labelsText,
    objectIds: new Set(objects.map((o) => o.id)),
    vocabulary: labels,
    minPerLabel: 3,
  });
}

describe('a staff label spelt differently from a type of the vocabulary', () => {
  it('is shown as written, as a slip for that type waiting for a correction, and counted under that type', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-staff-label-'));
    await nearMissFixture(dir, 'object_id,label\nO-0,figurine\nO-1,coin\nO-2,Figurine\n');
    const { catalogue } = await buildCatalogueData({
      ws: workspace(dir),
      params: defaultParams(),
      log: memoryLogger(),
    });
    const o2 = catalogue.objects.find((o) => o.id === 'O-2')!;
    expect(o2.label).toBe('Figurine');
    expect(o2.labelMeant).toBe('figurine');
    // The model's "figurine" is neither an agreement nor a disagreement to review while the label waits.
    expect(o2.annotation!.agrees).toBeNull();
    expect(o2.reviewReason).not.toBe('disagrees');
    expect(catalogue.objects.find((o) => o.id === 'O-0')!.labelMeant).toBeNull();
    expect(catalogue.counts.byLabel.map((r) => r.value)).not.toContain('Figurine');
    expect(catalogue.counts.byLabel).toEqual(expect.arrayContaining([{ value: 'figurine', count: 2 }]));
  });

  it('used by as many objects as a type needs, may be a type of its own: shown and counted under its own name', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-staff-label-'));
    await nearMissFixture(dir, 'object_id,label\nO-0,figurine\nO-1,coin\nO-3,chair\nO-4,chair\nO-5,chair\n');
    const { catalogue } = await buildCatalogueData({
      ws: workspace(dir),
      params: defaultParams(),
      log: memoryLogger(),
    });
    const o3 = catalogue.objects.find((o) => o.id === 'O-3')!;
    expect(o3.label).toBe('chair');
    expect(o3.labelOutsideVocabulary).toBe(true);
    expect(o3.labelMeant).toBeNull();
    expect(catalogue.counts.byLabel).toEqual(expect.arrayContaining([{ value: 'chair', count: 3 }]));
  });
});
