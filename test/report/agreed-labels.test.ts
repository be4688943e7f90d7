import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { agreedLabels, agreedLines, checkLabels } from '../../pipeline/dataset/validate.ts';
import type { LabelLine } from '../../pipeline/types.ts';

/*
 * Session 5: the report restated the dataset stage's rule for an object on several lines of labels.csv (agreedLabels
 * beside checkLabels), so the two could drift apart. Both now go by the dataset's one rule, agreedLines.
 */

const vocabulary = ['coin', 'mask', 'print'];

/** labels.csv's rows (id, label; '' for an empty label cell), read as the dataset stage and the report read them. */
function read(rows: [string, string][]): { labels: LabelLine[]; blanks: LabelLine[] } {
  const blanks: LabelLine[] = [];
  const text = `object_id,label\n${rows.map(([id, label]) => `${id},${label}`).join('\n')}\n`;
  return { labels: parseLabels({ text, file: 'labels.csv', blanks }), blanks };
}

// Each case: the object A's lines among others, and the label the dataset stage gives A (null: unlabelled).
const cases: { name: string; rows: [string, string][]; label: string | null }[] = [
  { name: 'one line', rows: [['A', 'coin']], label: 'coin' },
  {
    name: 'the same label twice',
    rows: [
      ['A', 'coin'],
      ['B', 'mask'],
      ['A', 'coin'],
    ],
    label: 'coin',
  },
  {
    name: 'two labels',
    rows: [
      ['A', 'coin'],
      ['A', 'mask'],
    ],
    label: null,
  },
  {
    name: 'three lines, the third differs',
    rows: [
      ['A', 'coin'],
      ['A', 'coin'],
      ['A', 'print'],
    ],
    label: null,
  },
  {
    name: 'an empty label cell after a label',
    rows: [
      ['A', 'coin'],
      ['A', ''],
    ],
    label: null,
  },
  {
    name: 'an empty label cell before a label',
    rows: [
      ['A', ''],
      ['A', 'coin'],
    ],
    label: null,
  },
  { name: 'an empty label cell alone', rows: [['A', '']], label: null },
  {
    name: 'a label outside the vocabulary beside one in it',
    rows: [
      ['A', 'Coin'],
      ['A', 'coin'],
    ],
    label: 'coin',
  },
  {
    name: 'outside, inside and an empty cell',
    rows: [
      ['A', 'seal'],
      ['A', 'coin'],
      ['A', ''],
    ],
    label: null,
  },
];

describe('the report reads labels.csv by the dataset stage’s one rule', () => {
  for (const { name, rows, label } of cases) {
    it(`${name}: the report and the dataset stage agree`, () => {
      const { labels, blanks } = read([...rows, ['B', 'mask']]);
      const { labelOf } = checkLabels({
        labels,
        blanks,
        objectIds: new Set(['A', 'B']),
        vocabulary,
        name: 'labels.csv',
      });
      expect(labelOf.get('A') ?? null).toBe(label);
      const report = new Map(agreedLabels({ labels, blanks, vocabulary }).map((l) => [l.objectId, l.label]));
      expect(report.get('A') ?? null).toBe(label);
      expect(report.get('B')).toBe('mask');
    });
  }

  it('agreedLines: each object’s lines and the line whose label it has, or null when they disagree', () => {
    const { labels, blanks } = read([
      ['A', 'coin'],
      ['B', 'mask'],
      ['A', 'coin'],
      ['C', 'coin'],
      ['C', ''],
      ['D', 'print'],
      ['D', 'mask'],
    ]);
    const lines = agreedLines({ labels, blanks });
    const shown = [...lines].map(([id, o]) => [id, o.lines.map((l) => l.line), o.agreed?.line ?? null]);
    expect(shown).toEqual([
      ['A', [2, 4], 2],
      ['B', [3], 3],
      ['C', [5, 6], null],
      ['D', [7, 8], null],
    ]);
  });

  it('the report keeps a line outside the vocabulary when the object has no other, to say it was skipped', () => {
    const { labels, blanks } = read([['A', 'seal']]);
    expect(agreedLabels({ labels, blanks, vocabulary }).map((l) => [l.objectId, l.label, l.line])).toEqual([
      ['A', 'seal', 2],
    ]);
    expect(
      checkLabels({ labels, blanks, objectIds: new Set(['A']), vocabulary, name: 'labels.csv' }).labelOf.size,
    ).toBe(0);
  });
});
