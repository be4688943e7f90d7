import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { checkVocabulary, nearDuplicates } from '../../pipeline/collection/vocabulary.ts';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { makeCollection, object, removeTempDirs, testParams } from '../dataset/fixtures.ts';

/*
 * Issue 15 #3: labels outside the vocabulary are named with counts and a suggested vocabulary; 0 labelled objects is
 * an error that says why.
 */

const dirs: string[] = [];
afterAll(async () => {
  await removeTempDirs();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('checkVocabulary', () => {
  it('counts the labels outside the vocabulary and suggests one made of the labels in use, most used first', () => {
    const labels = ['Statuary', 'Statuary', 'Statuary', 'Jewellery', 'Jewellery', 'Jewelry', 'coin'].map((label) => ({
      label,
    }));
    const check = checkVocabulary({ labels, vocabulary: ['coin', 'mask'] });
    expect(check.outside).toEqual([
      { label: 'Statuary', count: 3, lines: [] },
      { label: 'Jewellery', count: 2, lines: [] },
      { label: 'Jewelry', count: 1, lines: [] },
    ]);
    // Jewelry (1 object) cannot be learnt and tested: not suggested (as vitrine init leaves it out).
    expect(check.suggested).toEqual(['Statuary', 'Jewellery', 'coin']);
    expect(check.nearDuplicates).toEqual([{ labels: ['Jewellery', 'Jewelry'], why: 'spelling' }]);
    expect(check.message).toContain(
      '3 labels used in labels.csv are not in collection.vocabulary in params.yaml: Statuary (3), Jewellery (2), Jewelry (1)',
    );
    expect(check.message).toContain('vocabulary: [Statuary, Jewellery, coin]');
    expect(check.message).toContain('Jewelry (1) has too few objects to learn and test (at least 2 objects each)');
    expect(check.message).toContain('"Jewellery" and "Jewelry" look like the same label');
  });

  it('flags case variants, plurals and spelling variants, and not different words', () => {
    expect(
      nearDuplicates([
        'Coin',
        'coin',
        'Reliefs',
        'Relief',
        'Jewelry',
        'Jewellery',
        'Pottery',
        'Statuary',
        'mask',
        'vase',
      ]).map((d) => d.labels),
    ).toEqual([
      ['Coin', 'coin'],
      ['Reliefs', 'Relief'],
      ['Jewelry', 'Jewellery'],
    ]);
  });

  it('says nothing when every label is in the vocabulary', () => {
    expect(checkVocabulary({ labels: [{ label: 'coin' }], vocabulary: ['coin', 'mask'] })).toMatchObject({
      outside: [],
      message: '',
    });
  });
});

describe('vitrine import and the vocabulary', () => {
  it('lists the imported labels that are not in the vocabulary, with counts and a suggested vocabulary', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-vocab-'));
    dirs.push(dir);
    await mkdir(path.join(dir, 'export'), { recursive: true });
    const csv = path.join(dir, 'export', 'objects.csv');
    await writeFile(
      csv,
      stringify([
        ['id', 'image', 'label'],
        ['A1', '', 'Statuary'],
        ['A2', '', 'Statuary'],
        ['A3', '', 'coin'],
      ]),
    );
    const log = memoryLogger();
    const result = await importCollection({
      ws: workspace(path.join(dir, 'repo')),
      params: defaultParams(),
      metadata: csv,
      log,
    });
    expect(result.vocabulary.outside).toEqual([{ label: 'Statuary', count: 2, lines: [2, 3] }]);
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('not in collection.vocabulary'));
    expect(warning?.message).toContain('Statuary (2)');
    expect(warning?.message).toContain('vocabulary: [Statuary, coin]');
  });
});

describe('the dataset with no labelled objects', () => {
  it('is an error that names the labels outside the vocabulary, with counts and the vocabulary to set', async () => {
    const ws = await makeCollection({
      objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
      labelsText: 'object_id,label\na1,Statuary\na2,Statuary\na3,Pottery\n',
    });
    const log = memoryLogger();
    const error = await buildDataset({ ws, params: testParams(), log }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('labels.csv has 3 labels, but none of them could be used');
    expect(message).toContain('Statuary (2), Pottery (1)');
    expect(message).toContain('vocabulary: [Statuary, Pottery]');
  });

  it('is an error that says so when no object has a label yet', async () => {
    const ws = await makeCollection({ objects: ['a1', 'a2'].map((id) => object(id)) });
    const error = await datasetStage
      .run({ ws, params: testParams(), log: memoryLogger(), clock: systemClock, env: {} })
      .catch((e: unknown) => e);
    expect(isVitrineError(error, 'DATASET_NO_LABELS')).toBe(true);
    expect((error as Error).message).toContain('No object has a label yet');
    expect((error as Error).message).toContain('labels.csv');
  });

  it('warns once, with counts, when some labels are outside the vocabulary but others are usable', async () => {
    const ws = await makeCollection({
      objects: ['a1', 'a2', 'a3'].map((id) => object(id)),
      labelsText: 'object_id,label\na1,coin\na2,Coin\na3,teapot\n',
    });
    const log = memoryLogger();
    const dataset = await buildDataset({ ws, params: testParams(), log });
    expect(dataset.counts.labelled).toBe(1);
    const summary = log.lines.filter((l) => l.level === 'warn' && l.message.includes('not in collection.vocabulary'));
    expect(summary).toHaveLength(1);
    expect(summary[0]!.message).toContain('teapot (1)');
    // "Coin" is a near miss of "coin": said once on its line as a did-you-mean, not in this paragraph.
    expect(summary[0]!.message).not.toContain('Coin');
    expect(log.lines.map((l) => l.message)).toContain(
      'labels.csv:3: "Coin" is not one of the labels of this collection. Did you mean "coin"?',
    );
  });
});

describe('checkVocabulary agrees with the vocabulary vitrine init proposes', () => {
  it('does not suggest a label too rare to learn and test, and says to label more of it', async () => {
    const { proposeVocabulary } = await import('../../pipeline/init/scaffold.ts');
    const used = [...Array(20).fill('Met'), ...Array(12).fill('NGA'), 'Smithsonian'];
    const proposal = proposeVocabulary({
      table: { format: 'csv', header: ['label'], rows: used.map((label, i) => ({ line: i + 2, cells: { label } })) },
      labelColumn: 'label',
    });
    expect(proposal.vocabulary).toEqual(['Met', 'NGA']);
    const check = checkVocabulary({
      labels: used.map((label) => ({ label })),
      vocabulary: proposal.vocabulary,
      minPerLabel: proposal.minPerLabel,
    });
    expect(check.outside).toEqual([{ label: 'Smithsonian', count: 1, lines: [] }]);
    expect(check.message).not.toMatch(/vocabulary: \[/);
    expect(check.message).toMatch(/Smithsonian \(1\) has too few objects to learn and test/);
  });

  it('does not advise giving the objects of a label with too few objects another label, which may be wrong', () => {
    // A tester read "or give their objects a label in it" as "call the drawings Paintings".
    const used = [...Array(26).fill('Painting'), ...Array(25).fill('Sculpture'), ...Array(15).fill('Drawing')];
    const check = checkVocabulary({
      labels: used.map((label) => ({ label })),
      vocabulary: ['Painting', 'Sculpture'],
      minPerLabel: 25,
    });
    expect(check.message).toMatch(/Drawing \(15\) has too few objects to learn and test \([^)]*\): label more objects/);
    expect(check.message).not.toMatch(/give (its|their) objects a label/);
  });

  it('proposes one spelling of a label written in two cases (the more used), which params.yaml accepts', async () => {
    const { proposeVocabulary } = await import('../../pipeline/init/scaffold.ts');
    const { validateParams } = await import('../../pipeline/params.ts');
    const used = [...Array(60).fill('Coin'), ...Array(50).fill('coin'), ...Array(55).fill('Vase')];
    const proposal = proposeVocabulary({
      table: { format: 'csv', header: ['label'], rows: used.map((label, i) => ({ line: i + 2, cells: { label } })) },
      labelColumn: 'label',
    });
    expect(proposal.vocabulary).toEqual(['Coin', 'Vase']);
    // Not "too few objects": the pair is said as one label written two ways.
    expect(proposal.leftOut).toEqual([]);
    expect(proposal.nearDuplicates.map((d) => d.labels)).toContainEqual(['Coin', 'coin']);
    expect(() => validateParams({ raw: { collection: { vocabulary: proposal.vocabulary } } })).not.toThrow();
  });

  // Outside tester: "Pottery" (24) and "pottery" (2), "Reliefs " and "reliefs" were each left out as too few,
  // though each label had enough objects with its spellings counted together: with --yes, 51 objects went untrained.
  it('says which labels left out would have enough with their other spellings counted', async () => {
    const { proposeVocabulary } = await import('../../pipeline/init/scaffold.ts');
    const used = [
      ...Array(34).fill('Statuary'),
      ...Array(25).fill('Jewellery'),
      ...Array(24).fill('Pottery'),
      ...Array(2).fill('pottery'),
      ...Array(23).fill('Reliefs'),
      ...Array(2).fill('reliefs '),
      ...Array(3).fill('Coins'),
      'coins',
    ];
    const proposal = proposeVocabulary({
      table: { format: 'csv', header: ['label'], rows: used.map((label, i) => ({ line: i + 2, cells: { label } })) },
      labelColumn: 'label',
    });
    expect(proposal.vocabulary).toEqual(['Statuary', 'Jewellery']);
    expect(proposal.enoughTogether).toEqual([
      { label: 'Pottery', count: 26, spellings: ['pottery'] },
      // Counted as params.yaml and labels.csv read it, without the space around it (review V5: init proposed
      // "Pottery " when a pasted character stood behind the space, and stopped on its own params.yaml).
      { label: 'Reliefs', count: 25, spellings: ['reliefs'] },
    ]);
  });
});
