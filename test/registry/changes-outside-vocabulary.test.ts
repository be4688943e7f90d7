import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { writeJsonAtomic } from '../../pipeline/fs.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import type { Dataset } from '../../pipeline/types.ts';
import {
  everyLabel,
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
 * The catalogue holds back the model’s guess for an object staff gave a type outside collection.vocabulary (“Misc”:
 * none of these types): the public never sees it. “Model X changed the type shown for N objects” counted a changed
 * guess on such an object all the same. A slip for a type of the vocabulary (“COIN” for “coin”) is not held back.
 */

const newRepo = repoPerTest();

/** The dataset stage's issue for a label outside the vocabulary (`meant`: the type it is a slip for). */
const outside = (object: string, label: string, line: number, meant?: string) => ({
  code: 'LABEL_NOT_IN_VOCABULARY',
  message: `"${label}" is not in collection.vocabulary.`,
  file: 'labels.csv',
  line,
  object,
  label,
  ...(meant ? { meant, slip: true } : {}),
});

describe('what a promotion changes of the answers shown, for objects staff gave a type outside the vocabulary', () => {
  it('does not count a changed guess the public never sees: staff said the object is none of these types', async () => {
    const f = await newRepo();
    // obj-001: "Misc", a type of the museum’s own; obj-002: "COIN", a slip for "coin".
    const csv = (await readFile(f.ws.labels, 'utf8')).replace('obj-001,coin', 'obj-001,Misc');
    await writeFile(f.ws.labels, csv.replace('obj-002,mask', 'obj-002,COIN'));
    sh(f.root, 'commit', '-q', '-am', 'Labels of the museum’s own');
    const dataset: Dataset = await writeDataset({ ws: f.ws });
    for (const o of dataset.objects) if (o.id === 'obj-001' || o.id === 'obj-002') o.label = null;
    dataset.issues = [outside('obj-001', 'Misc', 2), outside('obj-002', 'COIN', 3, 'coin')];
    await writeJsonAtomic({ file: path.join(f.ws.dataset, 'dataset.json'), value: dataset });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const annotated = (await readAnnotations(f.ws)).map((a) => a.id);
    expect(annotated).toContain('obj-001');

    await writeModel({ ws: f.ws, predicts: 'mask', seed: 2 });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Retrained');
    const promoted = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(promoted.version).toBe('v1.0.1');
    const changes = JSON.parse(await readFile(path.join(f.ws.registry, 'annotation-changes.json'), 'utf8'));
    const ids = changes.objects.map((o: { id: string }) => o.id);
    // Every annotated object’s published type changed from coin to mask, but for obj-001, held back both times.
    expect(ids).not.toContain('obj-001');
    expect(ids).toContain('obj-002');
    expect(changes.changed).toBe(annotated.length - 1);
    // The rule is the catalogue’s: the object it holds back is the one left out of the count, the slip is shown.
    const { catalogue } = await buildCatalogueData({ ws: f.ws, params: f.params, log: memoryLogger() });
    const annotation = (id: string) => catalogue.objects.find((o) => o.id === id)?.annotation;
    expect(annotation('obj-001')).toMatchObject({ published: false, outsideVocabulary: true });
    expect(annotation('obj-002')).toMatchObject({ published: true, label: 'mask' });
  });

  it('holds back the guess of an object staff gave two types of their own, and leaves it out of the count', async () => {
    const f = await newRepo();
    // obj-001: "Misc" on its line and "Textile" on another: twice none of these types. obj-002: "COIN" and "Coin",
    // two spellings of the type "coin" (a slip each): its guess is published as before.
    const csv = (await readFile(f.ws.labels, 'utf8')).replace('obj-001,coin', 'obj-001,Misc');
    await writeFile(f.ws.labels, csv.replace('obj-002,mask', 'obj-002,COIN'));
    const dataset: Dataset = await writeDataset({ ws: f.ws });
    const lines = (await readFile(f.ws.labels, 'utf8')).trim().split('\n').length;
    await writeFile(f.ws.labels, `${await readFile(f.ws.labels, 'utf8')}obj-001,Textile\nobj-002,Coin\n`);
    sh(f.root, 'commit', '-q', '-am', 'Labels of the museum’s own');
    for (const o of dataset.objects) if (o.id === 'obj-001' || o.id === 'obj-002') o.label = null;
    dataset.issues = [
      outside('obj-001', 'Misc', 2),
      outside('obj-002', 'COIN', 3, 'coin'),
      outside('obj-001', 'Textile', lines + 1),
      outside('obj-002', 'Coin', lines + 2, 'coin'),
    ];
    await writeJsonAtomic({ file: path.join(f.ws.dataset, 'dataset.json'), value: dataset });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const annotated = (await readAnnotations(f.ws)).map((a) => a.id);
    expect(annotated).toContain('obj-001');

    await writeModel({ ws: f.ws, predicts: 'mask', seed: 2 });
    await writeMetrics({ ws: f.ws, params: f.params, publication: publicationWith(everyLabel(0.8)) });
    sh(f.root, 'commit', '-q', '--allow-empty', '-m', 'Retrained');
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const changes = JSON.parse(await readFile(path.join(f.ws.registry, 'annotation-changes.json'), 'utf8'));
    const ids = changes.objects.map((o: { id: string }) => o.id);
    expect(ids).not.toContain('obj-001');
    expect(ids).toContain('obj-002');
    expect(changes.changed).toBe(annotated.length - 1);
    // The catalogue holds back the same object: staff’s two lines disagree, and neither is a type the model knows.
    const { catalogue } = await buildCatalogueData({ ws: f.ws, params: f.params, log: memoryLogger() });
    const object = (id: string) => catalogue.objects.find((o) => o.id === id)!;
    expect(object('obj-001').annotation).toMatchObject({ published: false, outsideVocabulary: true });
    expect(object('obj-001')).toMatchObject({ label: null, labelLinesDisagree: true });
    expect(object('obj-001').needsReview).toBe(true);
    expect(object('obj-002').annotation).toMatchObject({ published: true, label: 'mask' });
    // Two spellings of one type: one label staff agree on, shown as written another way (not lines that disagree).
    expect(object('obj-002')).toMatchObject({ labelLinesDisagree: false, labelMeant: 'coin' });
  });
});
