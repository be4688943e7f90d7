import { describe, expect, it } from 'vitest';
import { listWords, plural } from '../../pipeline/data/ops.ts';

describe('plural', () => {
  it('says one thing or several', () => {
    expect(plural(1, 'file')).toBe('1 file');
    expect(plural(0, 'file')).toBe('0 files');
    expect(plural(3, 'file')).toBe('3 files');
  });
});

describe('listWords', () => {
  it('joins words with "and", or "or" when asked', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a and b');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listWords(['a', 'b', 'c'], { last: 'or' })).toBe('a, b or c');
  });

  it('joins them with commas only when the last word is a comma', () => {
    expect(listWords(['a', 'b', 'c'], { last: ',' })).toBe('a, b, c');
    expect(listWords(['a'], { last: ',' })).toBe('a');
  });

  it('names at most `max` and counts the rest', () => {
    const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(listWords(seven, { max: 7 })).toBe('a, b, c, d, e, f and g');
    expect(listWords(seven, { max: 5 })).toBe('a, b, c, d, e and 2 more');
    expect(listWords(seven, { last: ',', max: 5 })).toBe('a, b, c, d, e and 2 more');
    expect(listWords(seven, { last: 'or', max: 5 })).toBe('a, b, c, d, e or 2 others');
  });

  it('counts items left out of the list among the rest', () => {
    expect(listWords(['a', 'b'], { last: 'or', untold: 3 })).toBe('a, b or 3 others');
    expect(listWords(['a', 'b', 'c'], { last: 'or', max: 2, untold: 3 })).toBe('a, b or 4 others');
    expect(listWords([], { untold: 2 })).toBe('2 more');
    expect(listWords(['a', 'b'], { last: 'or', untold: 1 })).toBe('a, b or 1 other');
  });
});
