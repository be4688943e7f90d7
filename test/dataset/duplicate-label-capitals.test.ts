import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * An outside tester's labels.csv had "DM-0001,Jewellery" on line 2 and, further down, "DM-0001,jewellery": the
 * second line was reported only as a label not in the vocabulary ("Did you mean "Jewellery"?"), so staff corrected
 * its capital and were then told the object was labelled twice. A second line for an object is said as such, with
 * both lines, whatever its label. A line whose object id differs only in capitals from an object already on another
 * line says that line too. Lines for one object that are all in the vocabulary are reported as before.
 */

afterAll(removeTempDirs);

const ids = ['DM-0001', 'DM-0002', 'DM-0003', 'DM-0004'];
const objects = ids.map((id) => object(id));
const params = testParams((p) => {
  p.collection.vocabulary = ['Jewellery', 'Pottery', 'Statuary'];
});

async function build(labelsText: string) {
  const ws = await makeCollection({ objects, labelsText });
  const log = memoryLogger();
  const dataset = await buildDataset({ ws, params, log, jobs: 1 });
  const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  return { dataset, warnings };
}

describe('a second line for an object in labels.csv, its label in other capitals', () => {
  it('is reported as the second line of that object, naming both lines', async () => {
    const { dataset, warnings } = await build(
      'object_id,label\nDM-0001,Jewellery\nDM-0002,Pottery\nDM-0003,Statuary\nDM-0004,Pottery\nDM-0001,jewellery\n',
    );
    expect(dataset.issues.map((i) => [i.code, i.line, i.object])).toEqual([['LABEL_DUPLICATE', 6, 'DM-0001']]);
    const message = dataset.issues[0]!.message;
    expect(message).toBe(
      'labels.csv:6: object "DM-0001" is on 2 lines, line 2 "Jewellery" and line 6 "jewellery", which differ only ' +
        'in capitals: "jewellery" is not one of the labels of this collection, "Jewellery" is. Delete line 6; the ' +
        'object has the label "Jewellery" of line 2.',
    );
    expect(warnings.some((w) => w.startsWith('labels.csv:6: object "DM-0001" is on 2 lines'))).toBe(true);
    // Labelled as before: line 2 is in the vocabulary.
    expect(dataset.objects.find((o) => o.id === 'DM-0001')!.label).toBe('Jewellery');
  });

  // A reviewer: with a third line whose label cell is empty, line 3 said the object has line 2’s label and line 4
  // that it is left unlabelled, both counting 2 lines. The empty cell leaves it unlabelled (agreedLines).
  it('with a third line whose label cell is empty: 3 lines, and the object said unlabelled, as it is', async () => {
    const { dataset } = await build(
      'object_id,label\nDM-0001,Jewellery\nDM-0001,jewellery\nDM-0001,\nDM-0002,Pottery\n',
    );
    const second = dataset.issues.find((i) => i.line === 3)!;
    expect(second.code).toBe('LABEL_DUPLICATE');
    expect(second.message).toMatch(
      /^labels\.csv:3: object "DM-0001" is on 3 lines, line 2 "Jewellery", line 3 "jewellery" and line 4 with the label cell empty: /,
    );
    expect(second.message).toMatch(
      /until then the object is left unlabelled until only one line is left, as line 4 has the label cell empty\.$/,
    );
    expect(second.message).not.toContain('the object has the label');
    // The second reviewer: line 4’s own message counted 2 lines, leaving line 3 aside.
    const empty = dataset.issues.find((i) => i.line === 4)!;
    expect(empty.code).toBe('LABEL_DUPLICATE');
    expect(empty.message).toBe(
      'labels.csv:4: object "DM-0001" is on 3 lines with different labels (line 2 "Jewellery", line 3 "jewellery" ' +
        'and line 4 with the label cell empty): it is left unlabelled until only one line is left. Keep one line, ' +
        'with the right label, and delete the others.',
    );
    expect(dataset.objects.find((o) => o.id === 'DM-0001')!.label).toBeNull();
  });

  // The second reviewer: "C1,Coin" then "C1," (label cell empty) was only "not in the vocabulary"; once corrected,
  // staff were told of the second line.
  it('beside a line whose label cell is empty only: a second line at once, and the object unlabelled', async () => {
    const { dataset } = await build('object_id,label\nDM-0001,jewellery\nDM-0001,\nDM-0002,Pottery\n');
    const issue = dataset.issues.find((i) => i.line === 2)!;
    expect(issue.code).toBe('LABEL_DUPLICATE');
    expect(issue.message).toMatch(
      /^labels\.csv:2: object "DM-0001" is on 2 lines, line 2 "jewellery" and line 3 with the label cell empty: /,
    );
    expect(issue.message).toContain('Did you mean "Jewellery"?');
    expect(issue.message).toMatch(/as line 3 has the label cell empty\.$/);
    expect(dataset.objects.find((o) => o.id === 'DM-0001')!.label).toBeNull();
  });

  it('two lines of one label and a third in other capitals: every message counts 3 lines', async () => {
    const { dataset } = await build(
      'object_id,label\nDM-0001,Jewellery\nDM-0001,Jewellery\nDM-0001,jewellery\nDM-0002,Pottery\n',
    );
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([
      ['LABEL_DUPLICATE', 3],
      ['LABEL_DUPLICATE', 4],
    ]);
    expect(dataset.issues[0]!.message).toBe(
      'labels.csv:3: object "DM-0001" is on 3 lines with different labels (line 2 "Jewellery", line 3 "Jewellery" ' +
        'and line 4 "jewellery"): it has the label "Jewellery" of lines 2 and 3, in the vocabulary. Keep one line, ' +
        'with the right label, and delete the others.',
    );
    expect(dataset.issues[1]!.message).toMatch(/^labels\.csv:4: object "DM-0001" is on 3 lines, /);
    expect(dataset.objects.find((o) => o.id === 'DM-0001')!.label).toBe('Jewellery');
  });

  it('the same when the line in other capitals comes first: it is the one to delete', async () => {
    const { dataset } = await build('object_id,label\nDM-0001,jewellery\nDM-0002,Pottery\nDM-0001,Jewellery\n');
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([['LABEL_DUPLICATE', 2]]);
    const message = dataset.issues[0]!.message;
    expect(message).toMatch(
      /^labels\.csv:2: object "DM-0001" is on 2 lines, line 2 "jewellery" and line 4 "Jewellery", /,
    );
    expect(message).toMatch(
      /which differ only in capitals: .* Delete line 2; the object has the label "Jewellery" of line 4\.$/,
    );
    expect(dataset.objects.find((o) => o.id === 'DM-0001')!.label).toBe('Jewellery');
  });

  it('a second line with a label outside the vocabulary that is not a matter of capitals: both lines, and the vocabulary', async () => {
    const { dataset } = await build('object_id,label\nDM-0001,Jewellery\nDM-0002,Pottery\nDM-0001,Scarab\n');
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([['LABEL_DUPLICATE', 4]]);
    const message = dataset.issues[0]!.message;
    expect(message).toMatch(/^labels\.csv:4: object "DM-0001" is on 2 lines, line 2 "Jewellery" and line 4 "Scarab": /);
    expect(message).toContain('"Scarab" is not one of the labels of this collection');
    expect(message).toContain('Keep one line, with the right label, and delete the other');
    expect(message).toContain('collection.vocabulary in params.yaml');
  });

  it('an object id in other capitals, of an object already on another line, names that line', async () => {
    const { dataset } = await build('object_id,label\nDM-0001,Jewellery\nDM-0002,Pottery\ndm-0001,Jewellery\n');
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([['LABEL_UNKNOWN_OBJECT', 4]]);
    expect(dataset.issues[0]!.message).toContain('Did you mean "DM-0001"?');
    expect(dataset.issues[0]!.message).toContain(
      'Object "DM-0001" is on line 2 already ("Jewellery"): if this line is for it, it is a second line for the ' +
        'same object; keep one of the two.',
    );
  });

  it('two lines in the vocabulary, same or different labels: reported as before', async () => {
    const same = await build('object_id,label\nDM-0001,Jewellery\nDM-0002,Pottery\nDM-0001,Jewellery\n');
    expect(same.dataset.issues[0]!.message).toBe(
      'labels.csv:4: object "DM-0001" is labelled twice, each "Jewellery" (lines 2 and 4): keep one line and delete ' +
        'the others.',
    );
    const other = await build('object_id,label\nDM-0001,Jewellery\nDM-0002,Pottery\nDM-0001,Pottery\n');
    expect(other.dataset.issues[0]!.message).toContain(
      'object "DM-0001" is on 2 lines with different labels (line 2 "Jewellery" and line 4 "Pottery")',
    );
    expect(other.dataset.objects.find((o) => o.id === 'DM-0001')!.label).toBeNull();
  });

  it('a label outside the vocabulary on the only line of its object: as before', async () => {
    const { dataset } = await build('object_id,label\nDM-0001,jewellery\nDM-0002,Pottery\n');
    expect(dataset.issues.map((i) => [i.code, i.line])).toEqual([['LABEL_NOT_IN_VOCABULARY', 2]]);
    expect(dataset.issues[0]!.message).toContain('Did you mean "Jewellery"?');
  });
});
