import { describe, expect, it } from 'vitest';
import { checkLabels } from '../../pipeline/dataset/validate.ts';

/*
 * Session 4, 2026-12-02: labels.csv opened and saved in a spreadsheet loses the leading zeros of numeric ids
 * (00012 becomes 12), and an id retyped from a Japanese system may be fullwidth or spaced: each line was "check
 * the id for a typo", though the id it was meant to be is plain.
 */

const objectIds = new Set(['00012', '00013', 'DM-0006', '7', '007']);

function messageFor(objectId: string): string {
  const { issues } = checkLabels({
    labels: [{ objectId, label: 'vase', line: 4 }],
    objectIds,
    vocabulary: ['vase'],
    name: 'labels.csv',
  });
  return issues[0]!.message;
}

describe('labels.csv ids written another way', () => {
  it('suggests the id whose leading zeros a spreadsheet dropped', () => {
    expect(messageFor('12')).toMatch(/leading zeros.*Did you mean "00012"\?/);
  });

  it('suggests the id written with spaces around its dash or in fullwidth characters', () => {
    expect(messageFor('DM - 0006')).toMatch(/spaces.*Did you mean "DM-0006"\?/);
    expect(messageFor('ＤＭ－０００６')).toMatch(/Did you mean "DM-0006"\?/);
  });

  it('suggests nothing when two ids match', () => {
    expect(messageFor('0007')).toMatch(/check the id for a typo/);
  });
});
