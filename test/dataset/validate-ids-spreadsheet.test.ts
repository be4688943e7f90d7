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

// An outside tester: "2019/4/3" saved from a spreadsheet as the date "03/04/2019" was one of "9 lines … name objects
// that are not in data/objects.csv … most likely objects the last import's export left out", with no "Did you mean".
describe('labels.csv ids a spreadsheet turned into dates', () => {
  const dated = new Set(['2019/4/3', '2019/4/13', '2019/12/5', 'MPL 0001']);
  const hintFor = (objectId: string) =>
    checkLabels({ labels: [{ objectId, label: 'vase', line: 4 }], objectIds: dated, vocabulary: ['vase'], name: 'x' })
      .issues[0]!.message;

  it('suggests the id the date was made from, day first or month first', () => {
    expect(hintFor('03/04/2019')).toMatch(/a date.*Did you mean "2019\/4\/3"\?/);
    expect(hintFor('13/04/2019')).toMatch(/Did you mean "2019\/4\/13"\?/);
    expect(hintFor('12/5/2019')).toMatch(/Did you mean "2019\/12\/5"\?/);
    expect(hintFor('2019-04-03')).toMatch(/Did you mean "2019\/4\/3"\?/);
  });

  it('suggests nothing for a date of another year, or other numbers', () => {
    expect(hintFor('03/04/2018')).toMatch(/check the id for a typo/);
    expect(hintFor('03/05/2019')).toMatch(/check the id for a typo/);
  });
});
