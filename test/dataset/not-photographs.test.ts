import { afterAll, describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { photoProblemReason } from '../../pipeline/catalogue/photo-problems.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { photoReason, unusablePhotos, unusablePhotosSection } from '../../pipeline/report/photos.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import { makeCollection, object, removeTempDirs, solidImage, testParams } from './fixtures.ts';

/*
 * Outside tester (T3 F11, F14): a 1×1-pixel picture (a collections system's “no image” stub) was trained on and
 * published as the object's photograph, a 1-pixel box on its page; and one placeholder picture given to 40 objects
 * was trained on under each of their 5 labels and shown on each page as if it were that object's photograph. Neither
 * is a photograph of the object: each object keeps its record and label, without a photograph.
 */

afterAll(removeTempDirs);

const LABELS = ['coin', 'mask', 'vessel'];

describe('pictures that are not photographs of their object', () => {
  it('a picture under 32 pixels on its short side and 64 on its long side: kept without a photograph', async () => {
    const ids = ['s1', 's2', 'ok1', 'ok2', 'ok3'];
    const images: Record<string, Buffer> = {
      'images/s1.png': await solidImage({ width: 1, height: 1 }),
      // An icon; a thin picture (200×20) is a photograph of a long thin object (thin-and-group-pictures.test.ts).
      'images/s2.png': await solidImage({ width: 40, height: 20, colour: '#103070' }),
      'images/ok1.png': await solidImage({ width: 32, height: 32, colour: '#701030' }),
      'images/ok2.png': await solidImage({ colour: '#307010' }),
      'images/ok3.png': await solidImage({ colour: '#303010' }),
    };
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labels: ids.map((id, i) => ({ objectId: id, label: LABELS[i % 3]! })),
      images,
    });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    const byId = new Map(dataset.objects.map((o) => [o.id, o]));
    // Kept, with its label, but without a picture: out of training and evaluation, no thumbnail to publish.
    for (const id of ['s1', 's2']) {
      expect(byId.get(id)).toMatchObject({ image: '', imageMd5: '', thumbnails: [], label: expect.any(String) });
    }
    expect(byId.get('ok1')!.image).toBe('images/ok1.png');
    expect(dataset.counts.labelled).toBe(3);
    const issues = dataset.issues.filter((i) => i.code === 'IMAGE_TOO_SMALL');
    expect(issues.map((i) => [i.object, typeof i.labelsLine])).toEqual([
      ['s1', 'number'],
      ['s2', 'number'],
    ]);
    expect(issues[0]!.message).toMatch(/data\/images\/s1\.png is 1×1 pixels/);
    expect(issues[1]!.message).toMatch(/40×20 pixels, under 32 on its short side and 64 on its long side/);
    const said = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(said.filter((m) => /"s1"/.test(m))).toHaveLength(1);
    expect(said.join('\n')).toMatch(/2 objects kept in the catalogue without a usable photograph/);
    // Its page and the pull request's report say why, in plain words.
    expect(photoProblemReason(issues[0]!)).toMatch(/only 1×1 pixels/);
    expect(photoReason(issues[0]!)).toMatch(/1 × 1 pixels/);
    // The catalogue shows no 1-pixel picture: the page says why, with the file for staff.
    const { catalogue } = await buildCatalogueData({ ws, params: testParams(), log: memoryLogger() });
    const s1 = catalogue.objects.find((o) => o.id === 's1')!;
    expect(s1.images).toEqual([]);
    expect(s1.photoProblem).toMatchObject({ file: 'data/images/s1.png', reason: expect.stringMatching(/1×1 pixels/) });
  });

  it('one picture given to more than 5 objects under different labels: not trained on, still shown', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `p${i + 1}`);
    const placeholder = await solidImage({ colour: '#808080' });
    const images: Record<string, Buffer> = {};
    for (const id of many) images[`images/${id}.png`] = placeholder;
    // A pair photographed together under different labels (a jar and its stick) is a photograph of both: kept.
    const pair = await solidImage({ colour: '#204060' });
    images['images/q1.png'] = pair;
    images['images/q2.png'] = pair;
    // Six of one label sharing a picture (a set photographed together): kept.
    const set = await solidImage({ colour: '#602040' });
    for (const id of ['t1', 't2', 't3', 't4', 't5', 't6']) images[`images/${id}.png`] = set;
    for (const [id, colour] of [
      ['a1', '#a01010'],
      ['a2', '#10a010'],
      ['a3', '#1010a0'],
    ])
      images[`images/${id}.png`] = await solidImage({ colour });
    const ws = await makeCollection({
      objects: [...many, 'q1', 'q2', 't1', 't2', 't3', 't4', 't5', 't6', 'a1', 'a2', 'a3'].map((id) => object(id)),
      labels: [
        ...many.map((id, i) => ({ objectId: id, label: LABELS[i % 3]! })),
        { objectId: 'q1', label: 'coin' },
        { objectId: 'q2', label: 'mask' },
        ...['t1', 't2', 't3', 't4', 't5', 't6'].map((id) => ({ objectId: id, label: 'vessel' })),
        { objectId: 'a1', label: 'coin' },
        { objectId: 'a2', label: 'mask' },
        { objectId: 'a3', label: 'vessel' },
      ],
      images,
    });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    const byId = new Map(dataset.objects.map((o) => [o.id, o]));
    for (const id of many) expect(byId.get(id)).toMatchObject({ image: '', thumbnails: [], label: expect.any(String) });
    for (const id of ['q1', 'q2', 't1', 't6', 'a1']) expect(byId.get(id)!.image).toBe(`images/${id}.png`);
    const issues = dataset.issues.filter((i) => i.code === 'IMAGE_PLACEHOLDER');
    expect(issues.map((i) => i.object).sort()).toEqual([...many].sort());
    expect(issues[0]!.message).toMatch(/the same picture as 11 other objects/);
    // Said once, not once per object: the count, a few ids, the labels, and what to do.
    const said = log.lines
      .filter((l) => l.level === 'warn' && /have the same picture/.test(l.message))
      .map((l) => l.message);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/12 objects/);
    expect(said[0]).toMatch(/under 3 labels/);
    expect(said[0]).toMatch(/"p1" \(coin\), "p4" \(coin\), "p7" \(coin\) and 9 more/);
    expect(said[0]).toMatch(/not used to train or test the model/);
    expect(said[0]).toMatch(/leave their image cells empty/i);
    // The pair is still said as a label likely wrong, and trained on as before.
    expect(log.lines.map((l) => l.message).join('\n')).toMatch(/"q1" \(coin\), "q2" \(mask\)/);
    expect(photoProblemReason(issues[0]!)).toMatch(/the same picture is given to 12 objects/);
    const { catalogue } = await buildCatalogueData({ ws, params: testParams(), log: memoryLogger() });
    // Shown on its page as before: a placeholder card is what the museum exported, a set's photograph a loss to hide.
    const p1 = catalogue.objects.find((o) => o.id === 'p1')!;
    expect(p1.images.length).toBeGreaterThan(0);
    expect(p1.photoProblem).toBeNull();
    expect(catalogue.objects.find((o) => o.id === 'q1')!.images.length).toBeGreaterThan(0);
    // The pull request's report names them, with what to do: not a good copy of the placeholder.
    const photos = await unusablePhotos({ ws, dataset, base: null, maxPixels: 250_000_000 });
    const section = unusablePhotosSection({ photos });
    expect(section).toMatch(/12 objects' photographs cannot be used/);
    expect(section).toMatch(/p1 .*a placeholder, or one photograph of them together, not used to train or test/);
    expect(section).toMatch(/leave their image cells empty in the export/);
    expect(section).toMatch(/still shows it on their pages/);
    expect(photoReason(issues[0]!)).toMatch(/placeholder/);
  });

  it('a dataset made before this rule is made again once, saying why', async () => {
    const ws = await makeCollection({
      objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
      labels: [
        { objectId: 'a1', label: 'coin' },
        { objectId: 'a2', label: 'mask' },
        { objectId: 'a3', label: 'coin' },
      ],
      images: {
        'images/a1.png': await solidImage({ width: 1, height: 1 }),
        'images/a2.png': await solidImage({ colour: '#2040a0' }),
        'images/a3.png': await solidImage({ colour: '#a04020' }),
      },
    });
    const ctx = () => ({ ws, params: testParams(), log: memoryLogger(), clock: systemClock, env: {} });
    // As the Vitrine before it recorded the stage: the rule for texts far too long only.
    const texts = 'rule for texts far too long in data/objects.csv';
    const now = (await datasetStage.fingerprint!(ctx())) as Record<string, string>;
    const earlier = { ...datasetStage, fingerprint: async () => ({ [texts]: now[texts] }) };
    await runStages({ ctx: ctx(), stages: [earlier], targets: ['dataset'] });
    const outcomes = await runStages({ ctx: ctx(), stages: [datasetStage], targets: ['dataset'] });
    expect(outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['ran', 'rule for pictures that are no photograph of their object changed'],
    ]);
    const again = await runStages({ ctx: ctx(), stages: [datasetStage], targets: ['dataset'] });
    expect(again.map((o) => o.status)).toEqual(['skipped']);
  });
});
