import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { colourFor, solidImage } from '../dataset/fixtures.ts';

/*
 * Images in the export's folder that no row names (a second view of an object, a photograph whose row was not
 * exported, a name misspelt in the export) were left out without a word: the museum could not tell that they were
 * not in the collection. They are now counted and named, and never imported.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-unnamed-images-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function exportWith({ dir, files, rows }: { dir: string; files: string[]; rows: string[] }) {
  await mkdir(path.join(dir, 'images'), { recursive: true });
  for (const [i, file] of files.entries()) {
    await mkdir(path.dirname(path.join(dir, 'images', file)), { recursive: true });
    await writeFile(path.join(dir, 'images', file), await solidImage({ colour: colourFor(i) }));
  }
  await writeFile(path.join(dir, 'export.csv'), ['id,title,image', ...rows].join('\n'));
  const log = memoryLogger();
  const result = await importCollection({
    ws: workspace(path.join(dir, 'repo')),
    params: defaultParams(),
    metadata: path.join(dir, 'export.csv'),
    images: path.join(dir, 'images'),
    log,
  });
  return { result, said: log.lines.map((l) => l.message).join('\n') };
}

describe('images that no row of the export names', () => {
  it('are counted and named, with what to do, and not imported', async () => {
    const { result, said } = await exportWith({
      dir: path.join(root, 'views'),
      files: ['A1.jpg', 'A1_back.jpg', 'A2.JPG', 'B/B7.png', 'notes.txt', '.hidden.jpg'],
      rows: ['A1,Bowl,A1.jpg', 'A2,Jar,a2.jpg'],
    });
    expect(result.objects).toBe(2);
    expect(result.unnamedImages).toEqual({ count: 2, examples: ['A1_back.jpg', 'B/B7.png'] });
    expect(said).toContain(
      `2 images in ${path.join(root, 'views', 'images')} are named by no row of ${path.join(root, 'views', 'export.csv')} ` +
        '(A1_back.jpg, B/B7.png), ' +
        'so they were not imported. If they are photographs of objects in the export, write their file names in ' +
        'its image column ("image").',
    );
  });

  // The reviewer: images named by rows that were refused (a repeated id) were said to be named by no row.
  it('counts an image a refused row names as named (that row is said with its own problem)', async () => {
    const dir = path.join(root, 'refused');
    await mkdir(path.join(dir, 'images'), { recursive: true });
    for (const [i, file] of ['A.png', 'B.png', 'C.png'].entries())
      await writeFile(path.join(dir, 'images', file), await solidImage({ colour: colourFor(i) }));
    await writeFile(path.join(dir, 'export.csv'), 'id,title,image\nA1,Bowl,A.png\nA1,Bowl again,B.png\n');
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const result = await importCollection({
      ws: workspace(path.join(dir, 'repo')),
      params,
      metadata: path.join(dir, 'export.csv'),
      images: path.join(dir, 'images'),
      log: memoryLogger(),
    });
    expect(result.refused).toHaveLength(1);
    expect(result.unnamedImages).toEqual({ count: 1, examples: ['C.png'] });
  });

  it('says nothing when every image is named', async () => {
    const { result, said } = await exportWith({
      dir: path.join(root, 'all'),
      files: ['A1.jpg', 'A2.jpg'],
      rows: ['A1,Bowl,A1.jpg', 'A2,Jar,A2.jpg'],
    });
    expect(result.unnamedImages).toEqual({ count: 0, examples: [] });
    expect(said).not.toContain('named by no row');
  });
});
