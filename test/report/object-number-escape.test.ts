import { describe, expect, it } from 'vitest';
import { text } from '../../pipeline/report/markdown.ts';

/*
 * Outside tester D read .vitrine/report/report.md in a text editor, as README says: object numbers showed as
 * "1992\.19.4" and "1950\.11.8", not as in the museum's register, and could not be pasted into search as they were.
 * The escape guards an ordered list ("1. x"), which needs a space (or nothing) after the dot: a number with more
 * digits after its dot is no list, and keeps its dot as it is.
 */

describe('an object number in the report’s Markdown', () => {
  it('keeps its dots as the register writes them', () => {
    for (const id of ['1992.19.4', '1950.11.8', '2013.28.4a-b']) expect(text(id)).toBe(id);
  });

  it('is still kept from starting an ordered list', () => {
    expect(text('1. not a list')).toBe('1\\. not a list');
    expect(text('12) not a list')).toBe('12\\) not a list');
    expect(text('3.')).toBe('3\\.');
  });
});
