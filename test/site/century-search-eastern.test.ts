import { describe, expect, it } from 'vitest';
import { centuryTyped } from '../../site/src/lib/number.ts';

/*
 * D32 (7 December 2026): the catalogue now reads "18世紀" and "القرن 18" as the 18th century, but the search box read
 * centuries only in the European languages, so "18世紀" typed on a Japanese catalogue searched the words and found
 * TNM-018 (a 17th-century object numbered 18: tester T14). The search box reads a century as the catalogue does.
 */
describe('a century typed in Japanese, Chinese, Korean or Arabic', () => {
  it.each([
    ['18世紀', 18],
    ['18世纪', 18],
    ['18세기', 18],
    ['紀元前5世紀', -5],
    ['القرن 18', 18],
    ['القرن الثامن عشر', 18],
  ])('reads "%s" as the century %i', (typed, century) => {
    expect(centuryTyped(typed)).toBe(century);
  });

  it('leaves a year or a word alone', () => {
    expect(centuryTyped('1876年')).toBeNull();
    expect(centuryTyped('القاهرة')).toBeNull();
  });
});
