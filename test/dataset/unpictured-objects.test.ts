import { writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/data.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { makeCollection, object, pixelBombPng, removeTempDirs, solidImage, testParams } from './fixtures.ts';

/*
 * Tester s25 #2: an object whose photograph cannot be read (truncated, over the pixel limit) left the public
 * catalogue, which reads dataset.json's objects. Its record stays there, without a picture, out of training and
 * evaluation (image and imageMd5 empty, as every later stage already reads them); the warning stays.
 */

afterAll(removeTempDirs);

describe('objects without a usable picture', () => {
  it('stay in dataset.json without a picture, out of the counts of training data, each still warned of', async () => {
    const jpeg = await solidImage({ width: 200, height: 200, format: 'jpeg' });
    const objects = [
      object('a1'),
      object('a2'),
      object('b-trunc', 'images/b-trunc.jpg'),
      object('b-huge'),
      object('b-none', ''),
      object('b-gone', 'images/nowhere.png'),
    ];
    const ws = await makeCollection({
      objects,
      labels: [
        { objectId: 'a1', label: 'coin' },
        { objectId: 'a2', label: 'mask' },
        { objectId: 'b-trunc', label: 'coin' },
        { objectId: 'b-huge', label: 'mask' },
        { objectId: 'b-none', label: 'coin' },
      ],
      images: {
        'images/a1.png': await solidImage(),
        'images/a2.png': await solidImage({ colour: '#123456' }),
        'images/b-trunc.jpg': jpeg.subarray(0, Math.floor(jpeg.length / 3)),
        'images/b-huge.png': pixelBombPng(),
      },
    });
    const params = testParams((p) => (p.dataset.image.max_pixels = 5000));
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params, log });
    expect(dataset.objects.map((o) => o.id).sort()).toEqual(['a1', 'a2', 'b-gone', 'b-huge', 'b-none', 'b-trunc']);
    for (const id of ['b-trunc', 'b-huge', 'b-none', 'b-gone']) {
      const o = dataset.objects.find((x) => x.id === id)!;
      expect(o).toMatchObject({ image: '', imageMd5: '', thumbnails: [], colours: [], title: `Object ${id}` });
    }
    expect(dataset.objects.find((o) => o.id === 'b-trunc')!.label).toBe('coin');
    // The training data: only the two pictured objects.
    expect(dataset.counts).toMatchObject({ objects: 2, labelled: 2 });
    expect(dataset.issues.map((i) => i.object).sort()).toEqual(['b-gone', 'b-huge', 'b-none', 'b-trunc']);
    // Objects sharing no image are not "the same image with different labels".
    expect(log.lines.map((l) => l.message).join('\n')).not.toContain('have the same image');

    const summary = await datasetStage.run({ ws, params, log: memoryLogger(), env: {} } as never);
    expect(summary?.summary).toContain(
      '6 objects: 2 with a usable photograph (2 labelled), 4 without one (kept in the catalogue, not used to train)',
    );
    expect(summary?.summary).not.toContain('very small');

    // The catalogue (which reads dataset.json) keeps each record, without a picture.
    const { catalogue } = await buildCatalogueData({ ws, params, log: memoryLogger() });
    const trunc = catalogue.objects.find((o) => o.id === 'b-trunc');
    expect(trunc).toMatchObject({ title: 'Object b-trunc', images: [], label: 'coin' });
    expect(catalogue.objects.map((o) => o.id).sort()).toEqual(['a1', 'a2', 'b-gone', 'b-huge', 'b-none', 'b-trunc']);
  });

  it('are said as objects kept without a usable photograph, not as skipped rows; each names its own file', async () => {
    // Outside tester: a pull request broke three photographs and the run said "3 rows skipped: 3 images that cannot
    // be read. The 3 objects with an image problem stay in the catalogue", and the stage "2 objects (2 labelled)"
    // while the table had 5 rows. Two empty files (the same bytes) were both said to be the first one.
    const jpeg = await solidImage({ width: 200, height: 200, format: 'jpeg' });
    const ws = await makeCollection({
      objects: [
        object('a1'),
        object('a2'),
        object('b-trunc', 'images/b-trunc.jpg'),
        object('b-empty', 'images/b-empty.jpg'),
        object('b-empty2', 'images/b-empty2.jpg'),
      ],
      labels: [
        { objectId: 'a1', label: 'coin' },
        { objectId: 'a2', label: 'mask' },
      ],
      images: {
        'images/a1.png': await solidImage(),
        'images/a2.png': await solidImage({ colour: '#123456' }),
        'images/b-trunc.jpg': jpeg.subarray(0, Math.floor(jpeg.length / 3)),
        'images/b-empty.jpg': Buffer.alloc(0),
        'images/b-empty2.jpg': Buffer.alloc(0),
      },
    });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    const warned = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warned.join('\n')).not.toMatch(/skipped/);
    expect(warned).toContain(
      '3 objects kept in the catalogue without a usable photograph, and left out of training: ' +
        '3 images that cannot be read.',
    );
    const issueOf = (id: string) => dataset.issues.find((i) => i.object === id)!.message;
    expect(issueOf('b-empty')).toContain('data/images/b-empty.jpg:');
    expect(issueOf('b-empty2')).toContain('data/images/b-empty2.jpg:');
    expect(issueOf('b-empty2')).not.toContain('data/images/b-empty.jpg');

    const { summary } = (await datasetStage.run({ ws, params: testParams(), log: memoryLogger(), env: {} } as never))!;
    expect(summary).toBe(
      '5 objects: 2 with a usable photograph (2 labelled), 3 without one (kept in the catalogue, not used to train)',
    );

    // A label for an unknown object is a skipped row, said apart from the photographs.
    await writeFile(ws.labels, 'object_id,label\na1,coin\na2,mask\nzz,coin\n');
    const again = memoryLogger();
    await buildDataset({ ws, params: testParams(), log: again });
    const said = again.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(said).toContain('1 row skipped: 1 label for an unknown object.');
    expect(said).toContain(
      '3 objects kept in the catalogue without a usable photograph, and left out of training: ' +
        '3 images that cannot be read.',
    );
    const stage = (await datasetStage.run({ ws, params: testParams(), log: memoryLogger(), env: {} } as never))!;
    expect(stage.summary).toBe(
      '5 objects: 2 with a usable photograph (2 labelled), 3 without one (kept in the catalogue, not used to train), ' +
        '1 row skipped',
    );
  });
});
