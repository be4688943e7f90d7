import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, pixelBombPng, removeTempDirs, solidImage, testParams } from './fixtures.ts';

afterAll(removeTempDirs);

const reads = (log: ReturnType<typeof memoryLogger>) =>
  log.lines.filter((l) => /Reading \d+ new image/.test(l.message)).map((l) => l.message);

describe('images that cannot be decoded are remembered by md5', () => {
  it('does not decode a broken image again on the next run, and still reports it', async () => {
    const objects = [object('d1'), object('d2'), object('d3')];
    const images = {
      'images/d1.png': await solidImage(),
      'images/d2.png': Buffer.from('not a picture'),
      'images/d3.png': pixelBombPng(),
    };
    const ws = await makeCollection({ objects, images });
    const params = testParams((p) => (p.dataset.image.max_pixels = 5000));
    const first = memoryLogger();
    await buildDataset({ ws, params, log: first });
    expect(reads(first)).toEqual(['Reading 3 new images (0 unchanged since the last run).']);

    const second = memoryLogger();
    const dataset = await buildDataset({ ws, params, log: second });
    expect(reads(second)).toEqual([]);
    expect(dataset.issues.map((i) => [i.code, i.object])).toEqual([
      ['IMAGE_UNREADABLE', 'd2'],
      ['IMAGE_TOO_LARGE', 'd3'],
    ]);
    expect(dataset.issues[0]!.message).toContain('data/images/d2.png');

    // A new photograph (new bytes) is read; the other refused image is still not decoded again.
    await writeFile(path.join(ws.data, 'images', 'd2.png'), await solidImage({ colour: '#123456' }));
    const third = memoryLogger();
    const fixed = await buildDataset({ ws, params, log: third });
    expect(reads(third)).toEqual(['Reading 1 new image (1 unchanged since the last run).']);
    expect(fixed.objects.filter((o) => o.image !== '').map((o) => o.id)).toEqual(['d1', 'd2']);
    expect(fixed.issues.map((i) => [i.code, i.object])).toEqual([['IMAGE_TOO_LARGE', 'd3']]);

    // Another pixel limit may change the answer: every image is read again.
    params.dataset.image.max_pixels = 4000;
    const fourth = memoryLogger();
    await buildDataset({ ws, params, log: fourth });
    expect(reads(fourth)).toEqual(['Reading 3 new images (0 unchanged since the last run).']);
  });
});

describe('an image file of 0 bytes', () => {
  it('is said to be empty, in plain words, not in the decoder’s ("Input Buffer is empty")', async () => {
    const ws = await makeCollection({
      objects: [object('e1'), object('e2')],
      images: { 'images/e1.png': await solidImage(), 'images/e2.png': Buffer.alloc(0) },
    });
    const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger() });
    expect(dataset.issues.map((i) => [i.code, i.object])).toEqual([['IMAGE_UNREADABLE', 'e2']]);
    expect(dataset.issues[0]!.message).toContain(
      'data/images/e2.png: the file is empty (0 bytes), so there is no picture in it: it was not copied whole',
    );
    expect(dataset.issues[0]!.message).not.toMatch(/buffer/i);
  });
});
