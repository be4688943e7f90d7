import { describe, expect, it } from 'vitest';
import { foldedCopy } from '../../site/src/lib/fold.ts';

/*
 * Tester T12 (7 December 2026), a photo archive with Arabic titles: "القاهرة" (al-Qāhira, Cairo) found its two
 * photographs, "قاهرة" found none. Arabic writes the article "ال" joined to its word, and a visitor often types the
 * word without it; Pagefind finds words by how they start, so the word without its article was never found. An
 * object page now carries the word without it in its hidden copy, with "و" (and) or "ب" (with) before the article
 * taken off too, as light Arabic stemmers do (Larkey et al., light10).
 */
describe('Arabic words with the article joined to them', () => {
  it('carries each word also without its article, so a visitor typing it without finds the page', () => {
    expect(foldedCopy('منظر القاهرة من القلعة').split(' ')).toEqual(['قاهرة', 'قلعة']);
    expect(foldedCopy('والقاهرة بالمتحف').split(' ')).toEqual(['قاهرة', 'متحف']);
    // With its vowel marks written.
    expect(foldedCopy('القَاهِرَة')).toBe('قَاهِرَة');
  });

  it('leaves words without the article, and short words the article would leave nothing of, as they are', () => {
    expect(foldedCopy('قاهرة مصر')).toBe('');
    // الله, الا: what is left is no word anyone types.
    expect(foldedCopy('الله الا')).toBe('');
  });

  it('does not take "ال" off Latin or other scripts', () => {
    expect(foldedCopy('Alhambra al-Qahira')).toBe('');
  });

  /*
   * Reviewer V30: Persian and Urdu words and foreign names lost their first letters as if an article ("والدین",
   * parents, gave "دین", religion; "بالتیمور", Baltimore, gave "تیمور"), and a tatweel or an alef wasla hid it.
   */
  it('leaves Persian and Urdu words alone, and takes only "و" and "ب" before the article', () => {
    expect(foldedCopy('والدین بالتیمور الماری')).toBe('');
    expect(foldedCopy('فالوده كالسيوم فالكون')).toBe('');
  });

  it('sees the article through a tatweel or an alef wasla', () => {
    expect(foldedCopy('القـاهرة').split(' ')).toEqual(['قاهرة']);
    expect(foldedCopy('ٱلقاهرة').split(' ')).toEqual(['قاهرة']);
  });
});
