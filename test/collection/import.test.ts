import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection, safeFileName } from '../../pipeline/collection/import.ts';
import { readLabels, readObjects } from '../../pipeline/collection/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * `vitrine import` on real museum exports from ../shared/datasets: their columns mapped in params,
 * images copied into data/, labels written sorted, problems named by line.
 */

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets');
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function mapped(): Params {
  const params = defaultParams();
  params.import.columns = {
    ...params.import.columns,
    image: 'file',
    maker: 'artist',
    rights: 'license',
    department: 'museum',
    credit_line: '',
    description: '',
  };
  params.import.keep = ['source_url', 'museum'];
  return params;
}

async function fresh(name: string) {
  const dir = path.join(root, name);
  return workspace(dir);
}

describe('vitrine import', () => {
  it('imports the five-museums export: every object, its image and its metadata, no labels when none are mapped', async () => {
    const ws = await fresh('five');
    const params = mapped();
    params.import.columns.label = '';
    const log = memoryLogger();
    const result = await importCollection({
      ws,
      params,
      metadata: path.join(shared, 'five-museums', 'metadata.csv'),
      log,
    });
    expect(result).toMatchObject({ objects: 128, labelled: 0, withoutImage: 0, problems: [] });
    const { objects } = await readObjects({ file: ws.objects });
    expect(objects).toHaveLength(128);
    const wave = objects.find((o) => o.id === 'artic_24645')!;
    expect(wave.title).toBe('Under the Wave off Kanagawa (Kanagawa oki nami ura)');
    expect(wave.maker).toBe('Katsushika Hokusai');
    expect(wave.department).toBe('The Art Institute of Chicago');
    expect(wave.extra.source_url).toMatch(/^https:\/\/www\.artic\.edu\/artworks\/24645/);
    const copied = await readFile(path.join(ws.data, wave.image));
    expect(copied.equals(await readFile(path.join(shared, 'five-museums', 'images', 'artic', 'artic_24645.jpg')))).toBe(
      true,
    );
    expect((await readdir(ws.images)).length).toBe(128);
    expect(await readLabels({ file: ws.labels })).toEqual([]);
  });

  it('imports labels from the Egyptian export sorted by object id, and names bad rows by line', async () => {
    const ws = await fresh('egypt');
    const [header, ...all] = parse(
      await readFile(path.join(shared, 'egyptian-antiquities', 'metadata.csv'), 'utf8'),
    ) as string[][];
    // A small export: 12 real rows (reversed), then a duplicate id, a row without id and one whose image is missing.
    const rows = all.slice(0, 12);
    const broken = [
      rows[0]!,
      ['', ...rows[1]!.slice(1)],
      ['MISSING_1', 'images/Pottery/nope.jpg', ...rows[2]!.slice(2)],
    ];
    const csv = path.join(root, 'egypt-export.csv');
    const exported = stringify([header!, ...[...rows].reverse(), ...broken]);
    await writeFile(csv, exported);
    // One real title spans two lines, so lines are counted in the file, not by record.
    const last = exported.trimEnd().split('\n').length;
    const brokenLines = [last - 2, last - 1, last];
    const log = memoryLogger();
    const params = mapped();
    params.import.on_invalid = 'skip';
    const result = await importCollection({
      ws,
      params,
      metadata: csv,
      images: path.join(shared, 'egyptian-antiquities'),
      log,
    });
    expect(result.objects).toBe(13);
    expect(result.withoutImage).toBe(1);
    expect(brokenLines[0]).toBe(15);
    expect(result.problems.map((p) => p.line)).toEqual(brokenLines);
    expect(result.problems[0]!.message).toMatch(/appears again \(first on line \d+\)/);
    expect(result.refused.map((p) => p.line)).toEqual(brokenLines.slice(0, 2));
    expect(result.problems[1]!.message).toMatch(/no object id/);
    expect(result.problems[2]!.message).toMatch(/"images\/Pottery\/nope\.jpg" of object "MISSING_1" was not found/);
    expect(
      log.lines.filter((l) => l.level === 'warn' && l.where?.file !== 'params.yaml').map((l) => l.where?.line),
    ).toEqual(brokenLines);
    const labels = await readLabels({ file: ws.labels });
    expect(labels.map((l) => l.objectId)).toEqual([...labels.map((l) => l.objectId)].sort());
    expect(labels).toHaveLength(13);
    expect(new Set(labels.map((l) => l.label))).toEqual(new Set([...rows, broken[2]!].map((r) => r[2])));
  });

  it('names the params key when a mapped column is not in the export', async () => {
    const ws = await fresh('bad');
    const params = defaultParams();
    params.import.columns.id = 'object_number';
    try {
      await importCollection({
        ws,
        params,
        metadata: path.join(shared, 'five-museums', 'metadata.csv'),
        log: memoryLogger(),
      });
      expect.unreachable();
    } catch (error) {
      expect(isVitrineError(error, 'IMPORT_COLUMN_MISSING')).toBe(true);
      expect((error as Error).message).toContain('metadata.csv:1: params.yaml maps "id" to the column "object_number"');
      expect((error as Error).message).toContain('import.columns.id');
    }
  });

  it('turns accession numbers into safe file names', () => {
    expect(safeFileName('1987.123.4a-b')).toBe('1987.123.4a-b');
    expect(safeFileName('E 12/3 (lot)')).toBe('E_12_3_lot_');
    expect(safeFileName('../x')).toBe('__x');
  });
});
