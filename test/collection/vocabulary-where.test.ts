import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { makeCollection, object, removeTempDirs, testParams } from '../dataset/fixtures.ts';

/*
 * A label in labels.csv that is not in params.yaml's vocabulary was reported as a params.yaml problem only,
 * though the fix is as often a typo in labels.csv. The warning now names both files, the labels.csv lines
 * that use each label, the two ways to fix it, and is annotated where the fix most likely belongs.
 */

const dirs: string[] = [];
afterAll(async () => {
  await removeTempDirs();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const ids = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'];
const vocabularyWarning = (log: ReturnType<typeof memoryLogger>) => {
  const found = log.lines.filter((l) => l.level === 'warn' && l.message.includes('not in collection.vocabulary'));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('the dataset stage on a label outside the vocabulary', () => {
  it('used once (a typo, most likely): names its labels.csv line, both fixes, and is annotated on that line', async () => {
    // "teapot" is near no label of the vocabulary; a near miss ("vesel") is only a did-you-mean (below).
    const labels = ['coin', 'mask', 'coin', 'teapot', 'mask', 'vessel', 'coin', 'mask', 'vessel'];
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labels: ids.map((objectId, i) => ({ objectId, label: labels[i]! })),
    });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams(), log });
    const warning = vocabularyWarning(log);
    expect(warning.message).toContain('labels.csv');
    expect(warning.message).toContain('params.yaml');
    expect(warning.message).toContain('"teapot" (1 object) on line 5');
    expect(warning.message).toMatch(/add it to collection\.vocabulary in params\.yaml/);
    expect(warning.message).toMatch(/correct it on (that line|those lines) of labels\.csv/);
    expect(warning.where).toEqual({ file: 'labels.csv', line: 5 });
  });

  it('a near miss of a vocabulary label ("vesel"): only the did-you-mean, on its line', async () => {
    const labels = ['coin', 'mask', 'coin', 'vesel', 'mask', 'vessel', 'coin', 'mask', 'vessel'];
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labels: ids.map((objectId, i) => ({ objectId, label: labels[i]! })),
    });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams(), log });
    const said = log.lines.filter((l) => l.level === 'warn' && l.message.includes('vesel'));
    expect(said.map((l) => l.message)).toEqual([
      'labels.csv:5: "vesel" is not one of the labels of this collection. Did you mean "vessel"?',
    ]);
    expect(said[0]!.where).toMatchObject({ file: 'labels.csv', line: 5 });
  });

  it('used by many objects (a new label, most likely): lists the first lines and a count, annotated on params.yaml', async () => {
    const labels = ['coin', 'Statuary', 'Statuary', 'mask', 'Statuary', 'Statuary', 'Statuary', 'Statuary', 'Statuary'];
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labels: ids.map((objectId, i) => ({ objectId, label: labels[i]! })),
    });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams(), log });
    const warning = vocabularyWarning(log);
    expect(warning.message).toContain('"Statuary" (7 objects) on lines 3, 4, 6, 7, 8 and 2 more');
    expect(warning.message).toMatch(/add it to collection\.vocabulary in params\.yaml/);
    expect(warning.where).toEqual({ file: 'params.yaml' });
  });
});

describe('the dataset stage on a label of the vocabulary that no object has', () => {
  it('names both fixes and is annotated on params.yaml, not labels.csv', async () => {
    const labels = ['coin', 'mask', 'coin', 'mask', 'coin', 'mask', 'coin', 'mask', 'coin'];
    const ws = await makeCollection({
      objects: ids.map((id) => object(id)),
      labels: ids.map((objectId, i) => ({ objectId, label: labels[i]! })),
    });
    const log = memoryLogger();
    await buildDataset({ ws, params: testParams((p) => (p.dataset.min_test_per_class = 1)), log });
    const vessel = log.lines.filter((l) => l.level === 'warn' && l.message.includes('"vessel"'));
    expect(vessel).toHaveLength(1);
    expect(vessel[0]!.message).toContain('collection.vocabulary in params.yaml');
    expect(vessel[0]!.message).toMatch(/Label objects "vessel" in labels\.csv, or remove "vessel" from the vocabulary/);
    expect(vessel[0]!.where).toEqual({ file: 'params.yaml' });
  });
});

describe('vitrine import on a label outside the vocabulary', () => {
  async function importLabels(labels: string[]) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-vocab-where-'));
    dirs.push(dir);
    await mkdir(path.join(dir, 'export'), { recursive: true });
    const csv = path.join(dir, 'export', 'objects.csv');
    await writeFile(csv, stringify([['id', 'image', 'label'], ...labels.map((label, i) => [`A${i + 1}`, '', label])]));
    const log = memoryLogger();
    const params = defaultParams();
    params.collection.vocabulary = ['coin', 'mask'];
    await importCollection({ ws: workspace(path.join(dir, 'repo')), params, metadata: csv, log });
    return vocabularyWarning(log);
  }

  it('names the lines of labels.csv as written by the import; a label used twice is annotated there', async () => {
    const warning = await importLabels(['coin', 'mask', 'Medal', 'coin', 'Medal', 'mask']);
    expect(warning.message).toContain('"Medal" (2 objects) on lines 4, 6');
    expect(warning.message).toContain('params.yaml');
    expect(warning.where).toEqual({ file: 'labels.csv', line: 4 });
  });

  it('a label used by many objects is annotated on params.yaml', async () => {
    const warning = await importLabels(['Statuary', 'Statuary', 'coin', 'Statuary', 'mask', 'Statuary']);
    expect(warning.message).toContain('"Statuary" (4 objects) on lines 2, 3, 5, 7');
    expect(warning.where).toEqual({ file: 'params.yaml' });
  });
});
