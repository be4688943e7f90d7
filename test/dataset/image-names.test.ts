import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { colourFor, makeCollection, object, removeTempDirs, solidImage, testParams } from './fixtures.ts';

/*
 * Tester, 2026-12-03 #2: an image saved on a Mac under the decomposed (NFD) spelling of "Café Müller.jpg", and named
 * composed (NFC) in data/objects.csv, was "missing (no file data/images/Café Müller.jpg)" and at once "1 image in
 * data/ belongs to no object (for example data/images/Café Müller.jpg)": the very name. A path that matches a file
 * once both are in one Unicode form is that file, read under its name on disk; two files that would be one name are
 * said. A path that differs from a file only in capitals gets "did you mean", but is not used: the computers that run
 * Vitrine tell capitals apart.
 */

afterAll(removeTempDirs);

const NFC = 'images/Café Müller.jpg'.normalize('NFC');
const NFD = NFC.normalize('NFD');
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function build(objects: ReturnType<typeof object>[], images: Record<string, Buffer>) {
  const ws = await makeCollection({ objects, images });
  const log = memoryLogger();
  const dataset = await buildDataset({ ws, params: testParams(), log, jobs: 1 });
  return { ws, log, dataset, said: log.lines.map((l) => l.message).join('\n') };
}

describe('an image path in another Unicode form than the file', () => {
  it('is found and read under the name on disk (NFD file, NFC path)', async () => {
    const cafe = await solidImage({ format: 'jpeg', colour: colourFor(1) });
    const { ws, dataset, said } = await build([object('DM-1004', NFC), object('DM-1005', 'images/DM-1005.jpg')], {
      [NFD]: cafe,
      'images/DM-1005.jpg': await solidImage({ format: 'jpeg', colour: colourFor(2) }),
    });
    // The file really is stored decomposed: the test means something only if the two names differ on disk.
    expect(await readdir(ws.images)).toContain(NFD.slice('images/'.length));
    expect(NFD).not.toBe(NFC);
    const o = dataset.objects.find((x) => x.id === 'DM-1004')!;
    expect(o.imageMd5).toBe(md5(cafe));
    // Later stages read path.join(data, image): the name on disk, not the table's spelling.
    expect(o.image).toBe(NFD);
    expect(dataset.issues).toEqual([]);
    expect(said).not.toMatch(/missing/);
    expect(said).not.toMatch(/belongs? to no object/);
  });

  it('names the two files when both forms are in data/, and uses the one the path spells exactly', async () => {
    const composed = await solidImage({ format: 'jpeg', colour: colourFor(3) });
    const decomposed = await solidImage({ format: 'jpeg', colour: colourFor(4) });
    const { dataset, log } = await build([object('DM-1004', NFC)], { [NFC]: composed, [NFD]: decomposed });
    expect(dataset.objects[0]!.imageMd5).toBe(md5(composed));
    const warning = log.lines.find((l) => l.level === 'warn' && /stored two ways/.test(l.message));
    expect(warning?.message).toContain(`data/${NFC} (composed) and data/${NFD} (decomposed)`);
  });

  it('is not guessed between two files that both match it', async () => {
    // "Café" composed, "Müller" decomposed: neither file's spelling, both once normalised.
    const mixed = `images/${'Café'.normalize('NFC')} ${'Müller'.normalize('NFD')}.jpg`;
    const { dataset } = await build([object('DM-1004', mixed)], {
      [NFC]: await solidImage({ format: 'jpeg', colour: colourFor(5) }),
      [NFD]: await solidImage({ format: 'jpeg', colour: colourFor(6) }),
    });
    expect(dataset.objects[0]!.imageMd5).toBe('');
    const issue = dataset.issues.find((i) => i.object === 'DM-1004')!;
    expect(issue.code).toBe('OBJECT_NO_IMAGE');
    expect(issue.message).toMatch(/2 files in data\/ match it/);
    expect(issue.message).toContain(`data/${NFC} (composed) and data/${NFD} (decomposed)`);
  });
});

describe('an image path that differs from a file only in capitals', () => {
  it('says "did you mean" with the file, and does not use it', async () => {
    const { dataset, said } = await build([object('DM-0008', 'images/dm-0008.JPG')], {
      'images/DM-0008.jpg': await solidImage({ format: 'jpeg' }),
    });
    expect(dataset.objects[0]!.imageMd5).toBe('');
    const issue = dataset.issues.find((i) => i.object === 'DM-0008')!;
    expect(issue.code).toBe('OBJECT_NO_IMAGE');
    expect(issue.message).toContain(
      'the image of object "DM-0008" is missing (no file data/images/dm-0008.JPG): did you mean data/images/DM-0008.jpg?',
    );
    expect(said).toMatch(/belongs to no object/);
  });
});
