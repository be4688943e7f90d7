import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkVocabulary } from '../../pipeline/collection/vocabulary.ts';
import { checkLabels, lookAlikeIds, readObjectsChecked } from '../../pipeline/dataset/validate.ts';
import { clip } from '../../pipeline/log.ts';

/*
 * A tester's 1,600-character label and 3,000-character id were printed whole, several times, in the dataset's
 * warnings. Each case failed before the fix: values are cut to 80 characters with "…" (log.clip).
 */

const LABEL = 'Statuary'.repeat(200);
const ID = `L${'x'.repeat(2999)}`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-long-values-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function short(message: string): void {
  expect(message.length).toBeLessThan(600);
  expect(message).toContain('…');
}

describe('very long labels and ids in messages', () => {
  it('clip cuts by characters, never half an emoji, and leaves short text alone', () => {
    expect(clip('abc')).toBe('abc');
    expect(clip('a'.repeat(100))).toBe(`${'a'.repeat(80)}…`);
    expect(clip('🏺'.repeat(100), 3)).toBe('🏺🏺🏺…');
    // escaped: false cuts alone, for text copied back into a file (a tab stays a tab).
    expect(clip('a\tb'.repeat(50), 3, { escaped: false })).toBe('a\tb…');
    expect(clip('a\tb')).toBe('a\\tb');
  });

  it('a label outside the vocabulary, an unknown object, a repeated object', () => {
    const { issues } = checkLabels({
      labels: [
        { objectId: 'A-1', label: LABEL, line: 2 },
        { objectId: ID, label: 'Pottery', line: 3 },
        { objectId: 'A-2', label: 'Pottery', line: 4 },
        { objectId: 'A-2', label: 'Statuary', line: 5 },
      ],
      objectIds: new Set(['A-1', 'A-2']),
      vocabulary: ['Pottery', 'Statuary'],
      name: 'labels.csv',
    });
    expect(issues).toHaveLength(3);
    for (const issue of issues.slice(0, 2)) short(issue.message);
  });

  it('the same long object labelled twice', () => {
    const { issues } = checkLabels({
      labels: [
        { objectId: ID, label: LABEL, line: 2 },
        { objectId: ID, label: 'Pottery', line: 3 },
      ],
      objectIds: new Set([ID]),
      vocabulary: ['Pottery', LABEL],
      name: 'labels.csv',
    });
    short(issues[0]!.message);
  });

  it('the vocabulary check', () => {
    const { message } = checkVocabulary({
      labels: [
        { label: LABEL, line: 2 },
        { label: 'Pottery', line: 3 },
        { label: 'Pottery', line: 4 },
      ],
      vocabulary: ['Pottery', 'Statuary'],
    });
    expect(message.split(LABEL.slice(0, 100)).length).toBe(1);
    expect(message).toContain('…');
  });

  it('a repeated id in objects.csv, and ids alike but for capitals', async () => {
    const file = path.join(root, 'objects.csv');
    await writeFile(file, `id,image\n${ID},a.jpg\n${ID},b.jpg\n`);
    const { issues } = await readObjectsChecked({ file, name: 'data/objects.csv' });
    short(issues[0]!.message);
    const alike = lookAlikeIds({ ids: [ID, ID.toUpperCase()], lineOf: new Map([[ID, 2]]) });
    short(alike ?? '');
  });
});

/*
 * An id or a label of thousands of characters in labels.csv (a text pasted into the cell) was read as any other: a
 * label outside the vocabulary, or, were it put in the vocabulary, a class of the model named in the catalogue. Each
 * line is now skipped with LABEL_TOO_LONG, naming the file, line, object and how the value begins. Failed before.
 */
describe('a line of labels.csv whose id or label is far too long', () => {
  it('is skipped with LABEL_TOO_LONG, naming the file, line, object and how the value begins', () => {
    const { issues, labelOf } = checkLabels({
      labels: [
        { objectId: 'A-1', label: LABEL, line: 2 },
        { objectId: ID, label: 'Pottery', line: 3 },
        { objectId: 'A-2', label: 'Pottery', line: 4 },
      ],
      // Even an object an earlier Vitrine imported with that id, and the label put in the vocabulary.
      objectIds: new Set(['A-1', 'A-2', ID]),
      vocabulary: ['Pottery', LABEL],
      name: 'labels.csv',
    });
    expect(issues.map((i) => [i.code, i.line, i.object])).toEqual([
      ['LABEL_TOO_LONG', 2, 'A-1'],
      ['LABEL_TOO_LONG', 3, ID],
    ]);
    expect(issues[0]!.message).toBe(
      'labels.csv:2: the label of object "A-1" is 1,600 characters long (1,600 bytes in UTF-8; at most 100): a label ' +
        'is a class the model learns, a word or a few. A text pasted into the cell by mistake? It begins ' +
        `"${LABEL.slice(0, 40)}…". Correct it on this line; until then the line is skipped.`,
    );
    expect(issues[1]!.message).toBe(
      'labels.csv:3: the object id on this line is 3,000 characters long (3,000 bytes in UTF-8; at most 200), longer ' +
        'than an id may be (it names the object’s image file and web address). A text pasted into the cell by ' +
        `mistake? It begins "${ID.slice(0, 40)}…". Correct it on this line; until then the line is skipped.`,
    );
    expect([...labelOf]).toEqual([['A-2', 'Pottery']]);
  });

  it('takes an id of 200 bytes and a label of 100, the most they may have', () => {
    const id = '藏'.repeat(66);
    const label = 'é'.repeat(50);
    const { issues, labelOf } = checkLabels({
      labels: [{ objectId: id, label, line: 2 }],
      objectIds: new Set([id]),
      vocabulary: [label],
      name: 'labels.csv',
    });
    expect(issues).toEqual([]);
    expect(labelOf.get(id)).toBe(label);
  });
});
