import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
 * Outside tester (T6 F13): a JSON Lines export whose "media" field lists every photograph of each object (recto,
 * verso) had one warning per object, "the image cell of object … holds 2 file names", nine here and thousands for a
 * whole collection, burying the warnings that matter. The first few are said one by one; the others in one message,
 * each with --verbose, as import says other warnings that repeat.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-several-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function importOf(name: string, objects: number) {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'media'), { recursive: true });
  const rows = [['id', 'image']];
  for (let i = 1; i <= objects; i++) {
    const picture = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: i * 9, g: 80, b: 40 } } });
    await writeFile(path.join(dir, 'media', `o${i}.jpg`), await picture.jpeg().toBuffer());
    rows.push([`O-${i}`, `media/o${i}.jpg; media/o${i}_verso.jpg`]);
  }
  await writeFile(path.join(dir, 'objects.csv'), stringify(rows));
  const log = memoryLogger();
  const result = await importCollection({
    ws: workspace(path.join(dir, 'repo')),
    params: defaultParams(),
    metadata: path.join(dir, 'objects.csv'),
    images: dir,
    log,
  });
  return { result, log };
}

describe('many image cells holding several file names', () => {
  it('a few are said one by one', async () => {
    const { result } = await importOf('few', 3);
    const said = result.problems.filter((p) => /file names/.test(p.message));
    expect(said.map((p) => p.object)).toEqual(['O-1', 'O-2', 'O-3']);
  });

  it('more than five: the first five one by one, the others in one message with their lines', async () => {
    const { result, log } = await importOf('many', 9);
    const said = result.problems.filter((p) => /file names/.test(p.message));
    expect(said.map((p) => p.object)).toEqual(['O-1', 'O-2', 'O-3', 'O-4', 'O-5', undefined]);
    const summary = said.at(-1)!;
    expect(summary.line).toBe(7);
    expect(summary.message).toMatch(/^4 more objects’ image cells hold several file names \(lines 7, 8, 9 and 10;/);
    expect(summary.message).toMatch(/the first name of each was taken/);
    // Each is still there for a maintainer.
    expect(log.lines.filter((l) => l.level === 'debug' && /"O-9" holds 2 file names/.test(l.message))).toHaveLength(1);
  });
});
