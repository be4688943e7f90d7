import { describe, expect, it } from 'vitest';
import { visibleId, visibleIds } from '../../pipeline/collection/index.ts';
import { lookAlikeIds } from '../../pipeline/dataset/validate.ts';

/*
 * Object ids compared in messages ("e.g. X for Y", the dataset stage’s look-alike ids) wrote every character that
 * prints as nothing by its code, a joiner inside a Persian word too ("کتاب<U+200C>خانه-12"), where labels show such a
 * joiner as it is (it is how the word is written). Shown as written now, like labels; a stray one (at an end, between
 * Latin letters) and a zero-width space still by code, and both ids of a pair that differ only in such a joiner by
 * code, or they would print alike. Failed before the fix.
 */

const PERSIAN = 'کتاب\u200cخانه-12';

describe('an object id in a message', () => {
  it('shows a joiner inside a word as written, a stray one and a zero-width space by code', () => {
    expect(visibleId(PERSIAN)).toBe(PERSIAN);
    expect(visibleId('क्\u200dष-3')).toBe('क्\u200dष-3');
    expect(visibleId('A\u200c12')).toBe('A<U+200C>12');
    expect(visibleId(`${PERSIAN}\u200d`)).toBe(`${PERSIAN}<U+200D>`);
    expect(visibleId('A-12\u200b')).toBe('A-12<U+200B>');
  });

  it('shows two ids that differ only in a joiner inside a word with every such character by code', () => {
    expect(visibleIds(['کتابخانه-12', PERSIAN])).toEqual(['کتابخانه-12', 'کتاب<U+200C>خانه-12']);
    expect(visibleIds([PERSIAN, 'کتاب\u200cخانه-13'])).toEqual([PERSIAN, 'کتاب\u200cخانه-13']);
  });

  it('in the dataset stage’s look-alike ids, a Persian id with its joiner is shown as written', () => {
    const ids = [PERSIAN, 'کتاب\u200cخانه-12\u200b'];
    const message = lookAlikeIds({ ids, lineOf: new Map(ids.map((id, i) => [id, i + 2])) });
    expect(message).toContain(`"${PERSIAN}" (line 2) and "${PERSIAN}<U+200B>" (line 3) differ only in`);
  });
});
