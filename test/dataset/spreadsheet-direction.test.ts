import { describe, expect, it } from 'vitest';
import { checkLabels, meantObjects, spreadsheetLosses } from '../../pipeline/dataset/validate.ts';

/*
 * Reviewer, 2026-12-05: the spreadsheet-ids gate counted changes no spreadsheet makes. A deaccessioned "2019.10"
 * left in labels.csv was "1 label would be lost … ("2019.10" for "2019.1")", and "Did you mean "1999.2.1"?" for a
 * removed "1999.1.2" invited staff to move its label onto another object. A spreadsheet only drops zeros, adds
 * ".0", writes a long number in scientific notation, or re-formats a date written with "/" or "-".
 */

type Row = [id: string, label: string];

function check(objects: string[], rows: Row[]) {
  const labels = rows.map(([objectId, label], i) => ({ objectId, label, line: i + 2 }));
  const { issues, labelOf } = checkLabels({
    labels,
    objectIds: new Set(objects),
    vocabulary: ['vase', 'bowl'],
    name: 'labels.csv',
  });
  const losses = spreadsheetLosses({ issues, labelled: (id) => labelOf.has(id) });
  const messages = issues.map((i) => i.message).join('\n');
  const meant = meantObjects({ lines: labels, objectIds: new Set(objects) });
  return { losses, messages, meant };
}

describe('ids a spreadsheet cannot have made are no spreadsheet loss and get no "Did you mean"', () => {
  it.each([
    ['2019.10 for an unlabelled 2019.1 (a spreadsheet drops zeros, never adds them)', ['2019.1', '2019.2'], '2019.10'],
    ['A-012 for A-12 (zeros added)', ['A-12', 'B-1'], 'A-012'],
    ['00017 for 17 (more zeros than the object’s id)', ['17', '18'], '00017'],
    ['1999.1.2 for 1999.2.1 (an accession number, not a date)', ['1999.2.1', '1999.3.3'], '1999.1.2'],
    ['2020.1.5 for 2020.5.1 (an accession number, not a date)', ['2020.5.1'], '2020.1.5'],
    ['1.5.2020 for 2020.5.1 (a dotted accession number is no date)', ['2020.5.1'], '1.5.2020'],
  ])('%s', (_, objects, id) => {
    const { losses, messages, meant } = check(objects, [[id, 'vase']]);
    expect(losses).toEqual([]);
    expect(messages).not.toContain('Did you mean');
    expect(meant.size).toBe(0);
  });
});

describe('ids a spreadsheet made from an unlabelled object are counted, with "Did you mean"', () => {
  it.each([
    ['1 for 00001', ['00001', '2'], '1', '00001'],
    ['1987.1 for 1987.10', ['1987.10'], '1987.1', '1987.10'],
    ['12.0 for 12', ['12', '13'], '12.0', '12'],
    ['1.00E+05 for 100000', ['100000'], '1.00E+05', '100000'],
    ['03/04/2019 for 2019/4/3', ['2019/4/3', '2019/4/5'], '03/04/2019', '2019/4/3'],
    ['4/3/2019 for 2019-04-03', ['2019-04-03'], '4/3/2019', '2019-04-03'],
    ['03.04.2019 for 2019/4/3 (a German spreadsheet’s date)', ['2019/4/3'], '03.04.2019', '2019/4/3'],
  ])('%s', (_, objects, id, object) => {
    const { losses, messages, meant } = check(objects, [[id, 'vase']]);
    expect(losses).toEqual([{ id, meant: object, line: 2 }]);
    expect(messages).toContain(`Did you mean "${object}"?`);
    expect(meant.get(2)).toMatchObject({ meant: object, spreadsheet: true });
  });

  it('a scientific form with digits lost (1.2E+05 for 123456) when one object’s id rounds to it', () => {
    const { losses, messages } = check(['123456', '2'], [['1.2E+05', 'vase']]);
    expect(losses).toEqual([{ id: '1.2E+05', meant: '123456', line: 2 }]);
    expect(messages).toContain('only in scientific notation (a spreadsheet or script rewrote it as a number');
    expect(messages).toContain('Did you mean "123456"?');
  });

  it('no hint and no loss when two objects’ ids round to the scientific form', () => {
    const { losses, messages } = check(['123456', '123457'], [['1.2E+05', 'vase']]);
    expect(losses).toEqual([]);
    expect(messages).not.toContain('Did you mean');
  });
});

describe('what held', () => {
  it('objects "1" and "001" both present and both labelled are not flagged', () => {
    const { losses, messages } = check(
      ['1', '001', '2'],
      [
        ['1', 'vase'],
        ['001', 'bowl'],
      ],
    );
    expect(losses).toEqual([]);
    expect(messages).not.toContain('Did you mean');
  });

  it('an ambiguous match ("1" for "01" or "001") gives no hint', () => {
    const { losses, messages } = check(['01', '001'], [['1', 'vase']]);
    expect(losses).toEqual([]);
    expect(messages).not.toContain('Did you mean');
  });

  it('fixing the ids back clears the loss', () => {
    expect(check(['00001'], [['1', 'vase']]).losses).toHaveLength(1);
    expect(check(['00001'], [['00001', 'vase']]).losses).toEqual([]);
  });
});
