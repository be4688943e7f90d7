import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLabels, writeObjects } from '../../pipeline/collection/index.ts';
import { buildDataset, readDataset } from '../../pipeline/dataset/build.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import type { Dataset } from '../../pipeline/types.ts';
import { makeCollection, object, pixelBombPng, removeTempDirs, solidImage, testParams } from './fixtures.ts';

const five = ['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => object(id));
const labelled = [
  { objectId: 'a1', label: 'coin' },
  { objectId: 'a2', label: 'mask' },
  { objectId: 'a3', label: 'vessel' },
  { objectId: 'a4', label: 'coin' },
];

function _codes(dataset: Dataset): string[] {
  return dataset.issues.map((i) => i.code);
}

afterAll(removeTempDirs);

describe('buildDataset', () => {
  it('joins objects, images and labels into dataset.json with thumbnails and colours', async () => {
    const ws = await makeCollection({ objects: [...five].reverse(), labels: labelled });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.issues).toEqual([]);
    expect(dataset.labels).toEqual(['coin', 'mask', 'vessel']);
    expect(dataset.objects.map((o) => o.id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(dataset.objects.map((o) => o.label)).toEqual(['coin', 'mask', 'vessel', 'coin', null]);
    expect(dataset.counts).toMatchObject({ objects: 5, labelled: 4 });
    expect(Object.values(dataset.counts.bySplit).reduce((s, n) => s + n, 0)).toBe(4);
    expect(
      dataset.counts.byLabel.coin!.train + dataset.counts.byLabel.coin!.validation + dataset.counts.byLabel.coin!.test,
    ).toBe(2);
    const a1 = dataset.objects[0]!;
    expect(a1).toMatchObject({ width: 48, height: 32, title: 'Object a1', image: 'images/a1.png' });
    expect(a1.imageMd5).toMatch(/^[0-9a-f]{32}$/);
    expect(['train', 'validation', 'test']).toContain(a1.split);
    expect(a1.colours.length).toBeGreaterThan(0);
    expect(a1.thumbnails.map((t) => [t.width, t.height])).toEqual([
      [32, 21],
      [48, 32], // never enlarged past the original's 48 px
    ]);
    for (const t of a1.thumbnails) {
      expect((await stat(path.join(ws.dataset, t.webp))).size).toBeGreaterThan(0);
      expect((await readFile(path.join(ws.dataset, t.jpeg))).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    }
    expect(await readDataset({ ws })).toEqual(dataset);
  });

  it('reports a label for an unknown object on its line and skips it', async () => {
    const ws = await makeCollection({ objects: five, labelsText: 'object_id,label\na1,coin\na9,mask\na2,mask\n' });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.issues).toEqual([
      expect.objectContaining({ code: 'LABEL_UNKNOWN_OBJECT', file: 'labels.csv', line: 3, object: 'a9' }),
    ]);
    expect(dataset.objects.map((o) => o.id)).not.toContain('a9');
    expect(dataset.counts.labelled).toBe(2);
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('a9'))!;
    expect(warning.where).toEqual({ file: 'labels.csv', line: 3, object: 'a9' });
    expect(warning.message).toContain('labels.csv:3');
    expect(
      log.lines.some((l) => l.level === 'warn' && /1 row skipped: 1 label for an unknown object/.test(l.message)),
    ).toBe(true);
  });

  it('reports repeated labels: an agreeing repeat keeps the label, a conflicting one leaves the object unlabelled', async () => {
    const ws = await makeCollection({
      objects: five,
      labelsText: 'object_id,label\na1,coin\na1,coin\na2,mask\na2,vessel\na3,vessel\n',
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => [i.code, i.line, i.object])).toEqual([
      ['LABEL_DUPLICATE', 3, 'a1'],
      ['LABEL_DUPLICATE', 5, 'a2'],
    ]);
    const labelOf = Object.fromEntries(dataset.objects.map((o) => [o.id, o.label]));
    expect(labelOf).toMatchObject({ a1: 'coin', a2: null, a3: 'vessel' });
  });

  it('reports labels outside the vocabulary, suggesting the right spelling', async () => {
    const ws = await makeCollection({ objects: five, labelsText: 'object_id,label\na1,Coin\na2,teapot\na3,vessel\n' });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([
      ['LABEL_NOT_IN_VOCABULARY', 2],
      ['LABEL_NOT_IN_VOCABULARY', 3],
    ]);
    expect(dataset.issues[0]!.message).toContain('Did you mean "coin"?');
    expect(dataset.issues[1]!.message).toContain('coin, mask, vessel');
    // The objects stay in the collection, unlabelled.
    expect(dataset.objects.find((o) => o.id === 'a1')!.label).toBeNull();
    expect(dataset.objects.find((o) => o.id === 'a3')!.label).toBe('vessel');
  });

  it('keeps the first of a repeated object id and reports the others on their lines', async () => {
    const images = {
      'images/a.png': await solidImage({ colour: '#ff0000' }),
      'images/b.png': await solidImage({ colour: '#00ff00' }),
    };
    const objectsText = 'id,title,image\nx1,First,images/a.png\nx2,Second,images/b.png\nx1,Again,images/b.png\n';
    const ws = await makeCollection({ objects: [], objectsText, images, labelsText: 'object_id,label\nx1,coin\n' });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues).toEqual([
      expect.objectContaining({ code: 'OBJECT_DUPLICATE', file: 'data/objects.csv', line: 4, object: 'x1' }),
    ]);
    expect(dataset.objects.map((o) => [o.id, o.title, o.label])).toEqual([
      ['x1', 'First', 'coin'],
      ['x2', 'Second', null],
    ]);
  });

  it('reports objects without an image: empty column, missing file, path outside data/', async () => {
    const objects = [object('b1'), object('b2', ''), object('b3', 'images/nowhere.png'), object('b4', '../labels.csv')];
    const ws = await makeCollection({
      objects,
      images: { 'images/b1.png': await solidImage() },
      labels: [
        { objectId: 'b1', label: 'coin' },
        { objectId: 'b2', label: 'coin' },
      ],
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => [i.code, i.file, i.line, i.object])).toEqual([
      ['OBJECT_NO_IMAGE', 'data/objects.csv', 3, 'b2'],
      ['OBJECT_NO_IMAGE', 'data/objects.csv', 4, 'b3'],
      ['OBJECT_NO_IMAGE', 'data/objects.csv', 5, 'b4'],
    ]);
    expect(dataset.issues[1]!.message).toContain('data/images/nowhere.png');
    expect(dataset.issues[2]!.message).toContain('outside the data folder');
    expect(dataset.objects.filter((o) => o.image !== '').map((o) => o.id)).toEqual(['b1']);
  });

  it('reports images that cannot be decoded or are too large', async () => {
    const objects = [object('c1'), object('c2'), object('c3'), object('c4')];
    const images = {
      'images/c1.png': await solidImage({ width: 40, height: 40 }),
      'images/c2.png': Buffer.from('not a picture'),
      'images/c3.png': pixelBombPng(),
      'images/c4.png': await solidImage({ width: 100, height: 100 }),
    };
    const ws = await makeCollection({ objects, images });
    const dataset = await buildDataset({
      ws,
      params: testParams((p) => (p.dataset.image.max_pixels = 5000)),
      log: memoryLogger(),
    });
    expect(dataset.issues.map((i) => [i.code, i.line, i.object])).toEqual([
      ['IMAGE_UNREADABLE', 3, 'c2'],
      ['IMAGE_TOO_LARGE', 4, 'c3'],
      ['IMAGE_TOO_LARGE', 5, 'c4'],
    ]);
    expect(dataset.issues[0]!.message).toContain('data/images/c2.png');
    expect(dataset.objects.filter((o) => o.image !== '').map((o) => o.id)).toEqual(['c1']);
  });

  it(
    'annotates image problems of a labelled object on its labels.csv line (data/ is not in the pull request), ' +
      'naming the objects.csv line in the message',
    async () => {
      const objects = [object('h1'), object('h2'), object('h3'), object('h4')];
      const images = {
        'images/h1.png': await solidImage(),
        'images/h2.png': Buffer.from('not a picture'),
        'images/h4.png': Buffer.from('not a picture either'),
      };
      // h2 (corrupt image) is labelled on line 3, h3 (no image file) on line 4; h4 (corrupt) is unlabelled.
      const ws = await makeCollection({
        objects,
        images,
        labelsText: 'object_id,label\nh1,coin\nh2,mask\nh3,vessel\n',
      });
      const log = memoryLogger();
      const dataset = await buildDataset({ ws, params: testParams(), log });
      expect(dataset.issues.map((i) => [i.code, i.file, i.line, i.object, i.labelsLine])).toEqual([
        ['IMAGE_UNREADABLE', 'data/objects.csv', 3, 'h2', 3],
        ['OBJECT_NO_IMAGE', 'data/objects.csv', 4, 'h3', 4],
        ['IMAGE_UNREADABLE', 'data/objects.csv', 5, 'h4', undefined],
      ]);
      const warningAbout = (id: string) => log.lines.find((l) => l.level === 'warn' && l.message.includes(`"${id}"`))!;
      expect(warningAbout('h2').where).toEqual({ file: 'labels.csv', line: 3, object: 'h2' });
      expect(warningAbout('h2').message).toContain('data/objects.csv:3');
      expect(warningAbout('h3').where).toEqual({ file: 'labels.csv', line: 4, object: 'h3' });
      expect(warningAbout('h3').message).toContain('data/objects.csv:4');
      // Without a label line there is nothing in the pull request to point at: the objects.csv line stays.
      expect(warningAbout('h4').where).toEqual({ file: 'data/objects.csv', line: 5, object: 'h4' });
    },
  );

  it('fails the run with every problem listed when on_invalid is "fail", writing no dataset', async () => {
    const ws = await makeCollection({
      objects: [object('d1'), object('d2', '')],
      labelsText: 'object_id,label\nd1,teapot\nzz,coin\n',
      images: { 'images/d1.png': await solidImage() },
    });
    const error = await buildDataset({
      ws,
      params: testParams((p) => (p.dataset.on_invalid = 'fail')),
      log: memoryLogger(),
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'DATASET_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('3 problems');
    expect(message).toContain('labels.csv:2');
    expect(message).toContain('labels.csv:3');
    expect(message).toContain('data/objects.csv:3');
    await expect(stat(path.join(ws.dataset, 'dataset.json'))).rejects.toThrow();
    await expect(readDataset({ ws })).rejects.toMatchObject({ code: 'DATASET_MISSING' });
  });

  it('a run that fails on a problem keeps the thumbnails of the dataset it leaves in place', async () => {
    // An outside tester: an image replaced by a damaged one failed the run, and its old thumbnails were deleted, so
    // the catalogue of the last good dataset could not be built ("thumbs/….webp is missing").
    const ws = await makeCollection({
      objects: [object('t1'), object('t2')],
      labelsText: 'object_id,label\nt1,coin\nt2,coin\n',
      images: { 'images/t1.png': await solidImage(), 'images/t2.png': await solidImage({ colour: '#0ac81e' }) },
    });
    const params = testParams((p) => (p.dataset.on_invalid = 'fail'));
    const before = await buildDataset({ ws, params, log: memoryLogger() });
    const thumbs = before.objects.flatMap((o) => o.thumbnails.flatMap((t) => [t.webp, t.jpeg]));
    expect(thumbs.length).toBeGreaterThan(0);
    await writeFile(path.join(ws.root, 'data', 'images', 't2.png'), 'not a picture any more');
    await expect(buildDataset({ ws, params, log: memoryLogger() })).rejects.toMatchObject({ code: 'DATASET_INVALID' });
    expect(await readDataset({ ws })).toEqual(before);
    for (const t of thumbs) await expect(stat(path.join(ws.dataset, t)), t).resolves.toBeTruthy();
  });

  it('names a damaged dataset.json and says to rebuild it, instead of an unexpected JSON error', async () => {
    const ws = await makeCollection({
      objects: [object('j1')],
      labelsText: 'object_id,label\nj1,coin\n',
      images: { 'images/j1.png': await solidImage() },
    });
    await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    const file = path.join(ws.dataset, 'dataset.json');
    const text = await readFile(file, 'utf8');
    for (const damaged of [text.slice(0, 100), '', 'null']) {
      await writeFile(file, damaged);
      const error = await readDataset({ ws }).catch((e: unknown) => e);
      expect(isVitrineError(error, 'DATASET_DAMAGED')).toBe(true);
      expect((error as Error).message).toContain('.vitrine/dataset/dataset.json');
      expect((error as Error).message).toContain('vitrine run dataset --force');
    }
  });

  it('gives identical images one split and keeps splits when labels change or objects are added', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `e${String(i).padStart(3, '0')}`);
    const same = await solidImage({ colour: '#336699' });
    const images: Record<string, Buffer> = {};
    for (const [i, id] of ids.entries())
      images[`images/${id}.png`] =
        i % 12 === 0 ? same : await solidImage({ colour: `#${(0x200000 + i * 0x000305).toString(16)}` });
    const labels = ids.map((id, i) => ({ objectId: id, label: ['coin', 'mask', 'vessel'][i % 3]! }));
    const ws = await makeCollection({ objects: ids.map((id) => object(id)), images, labels });
    const params = testParams();
    const first = await buildDataset({ ws, params, log: memoryLogger() });
    const splitOf = (d: Dataset) => Object.fromEntries(d.objects.map((o) => [o.id, o.split]));
    const shared = first.objects.filter((o) => o.imageMd5 === first.objects[0]!.imageMd5);
    // Five (more under different labels would be a placeholder: small-images.ts).
    expect(shared.map((o) => o.id)).toEqual(['e000', 'e012', 'e024', 'e036', 'e048']);
    expect(new Set(shared.map((o) => o.split)).size).toBe(1);
    expect(new Set(first.objects.map((o) => o.split))).toEqual(new Set(['train', 'validation', 'test']));

    // Correct every label and add objects: no existing object changes split.
    await writeLabels({
      file: ws.labels,
      labels: labels.map((l) => ({ ...l, label: l.label === 'coin' ? 'mask' : 'coin' })),
    });
    const added = Array.from({ length: 20 }, (_, i) => object(`f${i}`));
    for (const [i, o] of added.entries())
      await writeFile(
        path.join(ws.data, o.image),
        await solidImage({ colour: `#${(0x800000 + i * 0x000707).toString(16)}` }),
      );
    await writeObjects({ file: ws.objects, objects: [...ids.map((id) => object(id)), ...added] });
    const second = await buildDataset({ ws, params, log: memoryLogger() });
    const before = splitOf(first);
    const after = splitOf(second);
    for (const id of ids) expect(after[id]).toBe(before[id]);
    expect(second.objects.find((o) => o.id === 'e000')!.label).toBe('mask');
  });

  it('gives one split to the same picture saved again with other bytes (re-saved, new metadata)', async () => {
    // An outside tester: 15 copies of one photograph, each with a few bytes after its end (as a photo manager that
    // rewrites EXIF or IPTC leaves it), went to train, validation and test alike: the model was tested on them.
    const ids = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(3, '0')}`);
    const picture = await solidImage({ colour: '#7a5230', format: 'jpeg' });
    const images: Record<string, Buffer> = {};
    for (const [i, id] of ids.entries())
      images[`images/${id}.png`] =
        i % 8 === 0
          ? Buffer.concat([picture, Buffer.from(`saved again ${i}`)])
          : await solidImage({ colour: `#${(0x203040 + i * 0x000503).toString(16)}` });
    // Five copies (more under different labels would be a placeholder: small-images.ts).
    const labels = ids.map((id, i) => ({ objectId: id, label: i % 8 === 0 ? 'vessel' : ['coin', 'mask'][i % 2]! }));
    labels[8]!.label = 'coin';
    const ws = await makeCollection({ objects: ids.map((id) => object(id)), images, labels });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    const copies = dataset.objects.filter((_, i) => i % 8 === 0);
    expect(new Set(copies.map((o) => o.imageMd5)).size).toBe(5);
    expect(new Set(copies.map((o) => o.split)).size).toBe(1);
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('same image'));
    expect(warning?.message).toContain('"p008" (coin)');
    expect(warning?.message).toContain('the same picture');
  });

  it('warns when the same image is under objects with different labels, naming them', async () => {
    const same = await solidImage({ colour: '#123456' });
    const other = await solidImage({ colour: '#654321' });
    const images = { 'images/a1.png': same, 'images/a2.png': same, 'images/b1.png': other, 'images/b2.png': other };
    const labels = [
      { objectId: 'a1', label: 'coin' },
      { objectId: 'a2', label: 'mask' },
      { objectId: 'b1', label: 'vessel' },
      { objectId: 'b2', label: 'vessel' },
    ];
    const ws = await makeCollection({ objects: ['a1', 'a2', 'b1', 'b2'].map((id) => object(id)), images, labels });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams(), log });
    const warnings = log.lines.filter((l) => l.level === 'warn' && l.message.includes('same image'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('"a1" (coin)');
    expect(warnings[0]!.message).toContain('"a2" (mask)');
    // Same image, same label: nothing to say.
    expect(warnings[0]!.message).not.toContain('b1');
  });

  it('warns about object ids that differ only in upper/lower case; one only in how an accent is encoded is one id', async () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    const ids = ['ARTIC_1', 'artic_1', composed, decomposed, 'plain'];
    const ws = await makeCollection({ objects: ids.map((id, i) => object(id, `images/o${i}.png`)) });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    // Two catalogue pages would show the same id: the second row is said and left out, as any id written twice.
    // The table is written sorted by code point: the decomposed id comes first (line 4), and is the one kept.
    expect(dataset.objects.map((o) => o.id).sort()).toEqual(['ARTIC_1', 'artic_1', decomposed, 'plain'].sort());
    const twice = dataset.issues.filter((i) => i.code === 'OBJECT_DUPLICATE');
    expect(twice.map((i) => i.line)).toEqual([5]);
    expect(twice[0]!.message).toContain('appears twice (first on line 4, its accents encoded another way');
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('look alike'))!;
    expect(warning.message).toContain('"ARTIC_1" (line 2) and "artic_1" (line 3)');
    expect(warning.message).not.toContain('plain');
  });

  it('labels an object whose id labels.csv writes with its accents encoded another way (as a Mac does)', async () => {
    // An outside tester: "there is no object "É 12/3 ü" … Did you mean "É 12/3 ü"?", the object left unlabelled.
    const composed = '\u00c9 12/3 \u00fc';
    const decomposed = composed.normalize('NFD');
    const ws = await makeCollection({
      objects: [object(composed, 'images/e.png'), object('plain', 'images/p.png')],
      labelsText: `object_id,label\n${decomposed},coin\nplain,mask\n`,
    });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.objects.find((o) => o.id === composed)?.label).toBe('coin');
    expect(dataset.issues).toEqual([]);
  });

  it('warns when a label has too few test objects', async () => {
    const ws = await makeCollection({ objects: five, labels: labelled });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams((p) => (p.dataset.min_test_per_class = 3)), log });
    const warnings = log.lines.filter((l) => l.level === 'warn' && l.message.includes('in the test split'));
    expect(warnings.map((w) => w.message.match(/labelled "(\w+)"/)![1])).toEqual(['coin', 'mask', 'vessel']);
    expect(warnings[0]!.message).toContain('At least 3');
  });

  it('reuses the previous analysis on a rerun and removes thumbnails no object uses', async () => {
    const ws = await makeCollection({ objects: five, labels: labelled });
    const params = testParams();
    const first = await buildDataset({ ws, params, log: memoryLogger() });
    const thumb = path.join(ws.dataset, first.objects[0]!.thumbnails[0]!.webp);
    const mtime = (await stat(thumb)).mtimeMs;

    await writeLabels({ file: ws.labels, labels: labelled.slice(1) });
    const log = memoryLogger();
    const second = await buildDataset({ ws, params, log });
    expect(log.lines.some((l) => l.message.startsWith('Reading'))).toBe(false);
    expect((await stat(thumb)).mtimeMs).toBe(mtime);
    expect(second.objects.map((o) => o.colours)).toEqual(first.objects.map((o) => o.colours));

    // Drop a5 and replace a1's image: a5's and a1's old thumbnails go, a1's new ones appear.
    await writeObjects({ file: ws.objects, objects: five.slice(0, 4) });
    await writeFile(path.join(ws.data, 'images/a1.png'), await solidImage({ colour: '#abcdef' }));
    const third = await buildDataset({ ws, params, log: memoryLogger() });
    const files = new Set(await readdir(path.join(ws.dataset, 'thumbs')));
    const expected = third.objects.flatMap((o) =>
      o.thumbnails.flatMap((t) => [t.webp, t.jpeg].map((f) => path.posix.basename(f))),
    );
    expect(files).toEqual(new Set(expected));
    expect(files.size).toBe(4 * 2 * 2);

    // A thumbnail setting change redoes the images.
    const log4 = memoryLogger();
    const fourth = await buildDataset({
      ws,
      params: testParams((p) => (p.dataset.thumbnails.widths = [16])),
      log: log4,
    });
    expect(log4.lines.some((l) => l.message.startsWith('Reading 4 new images'))).toBe(true);
    expect(fourth.objects[0]!.thumbnails.map((t) => t.width)).toEqual([16]);
  });

  it('mentions images that belong to no object', async () => {
    const ws = await makeCollection({
      objects: [object('g1')],
      images: { 'images/g1.png': await solidImage(), 'images/stray.jpg': await solidImage({ format: 'jpeg' }) },
    });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.objects.map((o) => o.id)).toEqual(['g1']);
    expect(dataset.issues).toEqual([]);
    expect(
      log.lines.some(
        (l) =>
          l.level === 'info' &&
          l.message.includes('1 image in data/ belongs to no object') &&
          l.message.includes('data/images/stray.jpg'),
      ),
    ).toBe(true);
  });

  it('treats a missing labels.csv as no labels yet', async () => {
    const ws = await makeCollection({ objects: five });
    await rm(ws.labels, { force: true });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.counts).toMatchObject({ objects: 5, labelled: 0 });
    expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('labels.csv does not exist'))).toBe(true);
  });

  it('names a merge conflict left in labels.csv, with its line and what to do, instead of a CSV error', async () => {
    const labelsText = [
      'object_id,label',
      'a1,coin',
      '<<<<<<< HEAD',
      'a2,mask',
      '=======',
      'a2,vessel',
      '>>>>>>> fix-labels',
      'a3,vessel',
      '',
    ].join('\n');
    const ws = await makeCollection({ objects: five, labelsText });
    const error = await buildDataset({ ws, params: testParams(), log: memoryLogger() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CSV_MERGE_CONFLICT', data: { line: 3 } });
    expect((error as Error).message).toMatch(/^labels\.csv:3: .*merge conflict/);
    expect((error as Error).message).toContain('<<<<<<<');
    // With a byte-order mark and the conflict on the first line, too.
    await writeFile(
      ws.labels,
      `\uFEFF<<<<<<< HEAD\n${labelsText.split('\n').slice(0, 2).join('\n')}\n=======\n>>>>>>> b\n`,
    );
    const first = await buildDataset({ ws, params: testParams(), log: memoryLogger() }).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'CSV_MERGE_CONFLICT', data: { line: 1 } });
  });

  it('does not take a title starting with "<<<<<<<" in a quoted multi-line field for a merge conflict', async () => {
    const objectsText =
      'id,title,image\na1,"<<<<<<< a poem\n>>>>>>> in two lines",images/a1.png\na2,Jar,images/a2.png\n';
    const ws = await makeCollection({ objects: five.slice(0, 2), objectsText });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.objects.map((o) => o.id)).toEqual(['a1', 'a2']);
  });

  it('says a labels.csv saved with semicolons or tabs (Excel in many languages) needs commas', async () => {
    for (const [sep, name] of [
      [';', 'semicolons (;)'],
      ['\t', 'tabs (shown as →)'],
    ] as const) {
      const ws = await makeCollection({ objects: five, labelsText: `object_id${sep}label\na1${sep}coin\n` });
      const error = await buildDataset({ ws, params: testParams(), log: memoryLogger() }).catch((e: unknown) => e);
      // Said of the whole file, not of a line where the parser happened to stop.
      expect(error).toMatchObject({ code: 'CSV_SEPARATOR', data: { file: 'labels.csv', separator: sep } });
      expect((error as Error).message).toContain(`labels.csv is separated by ${name}, not commas`);
      expect((error as Error).message).toContain('CSV UTF-8 (Comma delimited)');
      // Excel in some regions writes ";" even then: a way that does not depend on it.
      expect((error as Error).message).toMatch(/where Excel still writes ";".*region settings: use LibreOffice/);
      // A value with a comma in it, where the parser would fail first: the same message.
      await writeFile(ws.labels, `object_id${sep}label\na1${sep}coin\na2${sep}"Vase, lidded"\n`);
      const parsed = await buildDataset({ ws, params: testParams(), log: memoryLogger() }).catch((e: unknown) => e);
      expect(parsed).toMatchObject({ code: 'CSV_SEPARATOR' });
      expect((parsed as Error).message).toContain(`separated by ${name}`);
      // data/objects.csv too.
      const objectsText = `id${sep}title${sep}image\na1${sep}Jar${sep}images/a1.png\n`;
      const other = await makeCollection({ objects: five.slice(0, 1), objectsText });
      const columns = await buildDataset({ ws: other, params: testParams(), log: memoryLogger() }).catch(
        (e: unknown) => e,
      );
      expect((columns as Error).message).toContain(`separated by ${name}`);
    }
  });

  it('names the missing objects table', async () => {
    const ws = await makeCollection({ objects: five });
    await rm(ws.objects);
    await expect(buildDataset({ ws, params: testParams(), log: memoryLogger() })).rejects.toMatchObject({
      code: 'FILE_MISSING',
      message: expect.stringContaining('data/objects.csv'),
    });
  });
});

describe('datasetStage', () => {
  it('declares its inputs and outputs and summarises the run', async () => {
    expect(datasetStage.deps).toEqual({
      paths: ['data', 'labels.csv'],
      params: ['collection.vocabulary', 'dataset'],
      stages: [],
    });
    expect(datasetStage.outs).toEqual(['.vitrine/dataset']);
    const ws = await makeCollection({ objects: five, labelsText: 'object_id,label\na1,coin\na2,mask\nzz,coin\n' });
    const result = await datasetStage.run({
      ws,
      params: testParams(),
      log: memoryLogger(),
      clock: systemClock,
      env: {},
    });
    expect(result.summary).toBe('5 objects (2 labelled), 1 row skipped');
  });
});
