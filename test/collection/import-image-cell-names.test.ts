import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester: an image cell holding two file names ("img/a.jpg; img/verso_a.jpg", as collections systems export
 * an object’s several media) was said to be "not found", and two rows naming the same image file were imported
 * without a word, both objects published with the same photograph.
 */

let root: string;
let jpeg: (shade: number) => Promise<Buffer>;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-cell-names-'));
  jpeg = (shade) =>
    sharp({ create: { width: 40, height: 30, channels: 3, background: { r: shade, g: 80, b: 120 } } })
      .jpeg()
      .toBuffer();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function importRows(name: string, rows: string[][]) {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'img'), { recursive: true });
  for (const [file, shade] of [
    ['a.jpg', 10],
    ['verso_a.jpg', 20],
    ['b.jpg', 30],
  ] as const)
    await writeFile(path.join(dir, 'img', file), await jpeg(shade));
  await writeFile(path.join(dir, 'objects.csv'), stringify([['id', 'image', 'label'], ...rows]));
  const ws = workspace(path.join(dir, 'repo'));
  const params = defaultParams();
  params.import.on_invalid = 'skip';
  const log = memoryLogger();
  const result = await importCollection({ ws, params, metadata: path.join(dir, 'objects.csv'), images: dir, log });
  return { ws, result, log };
}

describe('an image cell holding two file names', () => {
  it('is said to hold two names, and the first is taken as the object’s photograph', async () => {
    const { ws, result } = await importRows('two-names', [
      ['A1', 'img/a.jpg; img/verso_a.jpg', 'coin'],
      ['A2', 'img/b.jpg', 'coin'],
    ]);
    const said = result.problems.find((p) => p.object === 'A1');
    expect(said?.line).toBe(2);
    expect(said?.message).not.toMatch(/not found/);
    expect(said?.message).toMatch(/holds 2 file names \("img\/a\.jpg", "img\/verso_a\.jpg"\)/);
    expect(said?.message).toMatch(/one photograph per object/);
    expect(said?.message).toMatch(/takes the first, img\/a\.jpg/);
    expect(await readFile(path.join(ws.images, 'A1.jpg'))).toEqual(
      await readFile(path.join(root, 'two-names/img/a.jpg')),
    );
    expect(result.withoutImage).toBe(0);
  });

  it('does not say the photographs it names were named by no row', async () => {
    const { result, log } = await importRows('two-names-listed', [
      ['A1', 'img/a.jpg; img/verso_a.jpg', 'coin'],
      ['A2', 'img/b.jpg', 'coin'],
    ]);
    const said = [...result.problems, ...log.lines].map((p) => p.message).join('\n');
    expect(said).not.toMatch(/named by no row/);
  });

  it('says plainly when the first name is not there, without “said below”', async () => {
    const { result } = await importRows('two-names-first-missing', [
      ['A1', 'img/missing.jpg; img/a.jpg', 'coin'],
      ['A2', 'img/b.jpg', 'coin'],
    ]);
    const said = result.problems.find((p) => p.object === 'A1' && /file names/.test(p.message));
    expect(said?.message).not.toMatch(/said below/);
    expect(said?.message).toMatch(/takes the first, img\/missing\.jpg, which cannot be used/);
  });
});

describe('an image cell ending with a separator', () => {
  it('is taken as the one name it holds, not "not found"', async () => {
    const { ws, result, log } = await importRows('trailing', [
      ['A1', 'img/a.jpg;', 'coin'],
      ['A2', 'img/b.jpg,', 'coin'],
    ]);
    const said = [...result.problems, ...log.lines].map((p) => p.message).join('\n');
    expect(said).not.toMatch(/not found|file names/);
    expect(said).not.toMatch(/named by no row[^\n]*\((img\/a|img\/b)/);
    expect(result.withoutImage).toBe(0);
    expect(await readFile(path.join(ws.images, 'A2.jpg'))).toEqual(
      await readFile(path.join(root, 'trailing/img/b.jpg')),
    );
  });
});

describe('two rows naming the same image file', () => {
  it('are warned of, naming both lines and objects', async () => {
    const { result } = await importRows('same-file', [
      ['A1', 'img/a.jpg', 'coin'],
      ['A2', 'img/b.jpg', 'coin'],
      ['A3', 'img/a.jpg', 'coin'],
    ]);
    const said = result.problems.filter((p) => /same image file/.test(p.message));
    expect(said).toHaveLength(1);
    expect(said[0]!.line).toBe(4);
    expect(said[0]!.object).toBe('A3');
    expect(said[0]!.message).toMatch(/line 2 \(object A1\)/);
    expect(said[0]!.message).toMatch(/object "A3"/);
    expect(said[0]!.message).toMatch(/img\/a\.jpg/);
    expect(said[0]!.message).toMatch(/same photograph/);
  });

  /*
   * A reviewer: the warning told staff to “write each object’s own photograph”, unfair to a pair of earrings or of
   * sandals photographed together. It says both cases: one photograph of several objects, nothing to do; a row
   * naming the wrong file, fixed in the export.
   */
  it('say a pair photographed together needs nothing, and a wrong file is fixed in the export', async () => {
    const { result } = await importRows('same-file-pair', [
      ['E1', 'img/a.jpg', 'earring'],
      ['E2', 'img/a.jpg', 'earring'],
    ]);
    const said = result.problems.find((p) => /same image file/.test(p.message))!.message;
    expect(said).not.toMatch(/each object.s own photograph/);
    expect(said).toMatch(/one photograph of several objects \(a pair of earrings or of sandals[^)]*\)[^.]*nothing/);
    expect(said).toMatch(/wrong file[^.]*in the export[^.]*import again/);
    // Either row may be the wrong one, and the message ends as a sentence (a reviewer).
    expect(said).toContain('If one of these rows names the wrong file');
    expect(said).toMatch(/import again\.$/);
  });
});
