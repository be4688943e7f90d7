import { describe, expect, it } from 'vitest';
import { hiddenCharacter, visibleLabel } from '../../pipeline/report/invisible.ts';

/*
 * The pull-request comment on a label with two characters that do not show ("\u200ePottery\u200b": a left-to-right
 * mark before it, a zero-width space after it) said "(and 1 other such character)" and then "Delete that character",
 * so staff deleted one and the line was still skipped (review L5). And a right-to-left mark in an Arabic label, which
 * params.yaml takes as the label's own text (it can set the order of words and numbers), was named as a character to
 * delete. Failed before the fix.
 */

const quote = (s: string) => `"${s}"`;

describe('a label with several characters that do not show, in the pull-request comment', () => {
  it('says to delete them all, not “that character”', () => {
    const found = hiddenCharacter({ label: '\u200ePottery\u200b', quote });
    expect(found?.words).toBe(
      'it contains an invisible character (left-to-right mark, U+200E) at the start (and 1 other such character)',
    );
    expect(found?.fix).toBe("Delete those characters on the object's line in labels.csv");
  });

  it('says so too when the same one is written twice', () => {
    expect(hiddenCharacter({ label: 'Pottery\u200b\u200b', quote })?.fix).toBe(
      "Delete those characters on the object's line in labels.csv",
    );
  });

  it('says to replace spaces that are not plain ones when those are all it holds', () => {
    expect(hiddenCharacter({ label: 'Roman\u00a0coin\u00a0', quote })?.fix).toBe(
      "Replace those spaces with plain ones, or delete them, on the object's line in labels.csv",
    );
  });

  it('keeps the single wording for one character', () => {
    expect(hiddenCharacter({ label: 'Pottery\u200b', quote })?.fix).toBe(
      "Delete that character on the object's line in labels.csv",
    );
  });

  it('does not name a right-to-left mark in an Arabic label, which params.yaml takes; one in a Latin label it does', () => {
    expect(hiddenCharacter({ label: '\u200fعملة', quote })).toBeUndefined();
    expect(visibleLabel('\u200fعملة')).toBe('\u200fعملة');
    expect(hiddenCharacter({ label: 'coin\u200f', quote })?.words).toContain('right-to-left mark, U+200F');
  });

  // Review V5: "Delete those characters" for "Ming\u00a0vase\u200e" left "Mingvase"; "Pot\u200btery\u200b" named one.
  it('tells spaces from invisible characters when a label holds both, and counts one written in two places', () => {
    expect(hiddenCharacter({ label: 'Ming\u00a0vase\u200e', quote })?.fix).toBe(
      'Delete the invisible characters, and replace each space that is not a plain one with a plain space, on the ' +
        "object's line in labels.csv",
    );
    expect(hiddenCharacter({ label: 'Pot\u200btery\u200b', quote })?.words).toBe(
      'it contains an invisible character (zero-width space, U+200B) after "Pot" (2 times in all)',
    );
  });
});
