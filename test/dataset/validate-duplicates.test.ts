import { describe, expect, it } from 'vitest';
import { checkLabels } from '../../pipeline/dataset/validate.ts';

/*
 * A tester's labels.csv with three lines for one object (11 "Statuary", 73 "Pottery", 76 "Statuary"): line 76 was
 * reported as having 'two different labels ("Statuary" on line 11, "Statuary" here)', comparing it with the first
 * line only, and said "until one line is removed" (one is not enough). Failed before the fix.
 */

const objectIds = new Set(['EG-1', 'EG-2']);
const vocabulary = ['Pottery', 'Statuary'];

describe('an object on several lines of labels.csv', () => {
  it('with different labels: every message lists all its lines and labels once, and says to keep one line', () => {
    const { labelOf, issues } = checkLabels({
      labels: [
        { objectId: 'EG-1', label: 'Statuary', line: 11 },
        { objectId: 'EG-2', label: 'Pottery', line: 12 },
        { objectId: 'EG-1', label: 'Pottery', line: 73 },
        { objectId: 'EG-1', label: 'Statuary', line: 76 },
      ],
      objectIds,
      vocabulary,
      name: 'labels.csv',
    });
    expect(labelOf.has('EG-1')).toBe(false);
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      ['LABEL_DUPLICATE', 73],
      ['LABEL_DUPLICATE', 76],
    ]);
    for (const issue of issues) {
      expect(issue.message).toContain('line 11 "Statuary", line 73 "Pottery" and line 76 "Statuary"');
      expect(issue.message).toMatch(/keep one line/i);
      expect(issue.message).not.toContain('until one line is removed');
      expect(issue.message).not.toContain('two different labels');
    }
    expect(issues[1]!.message).toMatch(/^labels\.csv:76: object "EG-1" is on 3 lines/);
  });

  it('with the same label three times: says so once per extra line, and keeps the label', () => {
    const { labelOf, issues } = checkLabels({
      labels: [
        { objectId: 'EG-1', label: 'Statuary', line: 2 },
        { objectId: 'EG-1', label: 'Statuary', line: 3 },
        { objectId: 'EG-1', label: 'Statuary', line: 4 },
      ],
      objectIds,
      vocabulary,
      name: 'labels.csv',
    });
    expect(labelOf.get('EG-1')).toBe('Statuary');
    expect(issues).toHaveLength(2);
    expect(issues[0]!.message).toContain('lines 2, 3 and 4');
    expect(issues[0]!.message).toMatch(/keep one line/i);
  });

  it('two lines with two labels', () => {
    const { issues } = checkLabels({
      labels: [
        { objectId: 'EG-1', label: 'Statuary', line: 2 },
        { objectId: 'EG-1', label: 'Pottery', line: 3 },
      ],
      objectIds,
      vocabulary,
      name: 'labels.csv',
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain('line 2 "Statuary" and line 3 "Pottery"');
  });
});
