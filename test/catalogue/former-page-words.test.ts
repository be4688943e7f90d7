import { describe, expect, it } from 'vitest';
import { formerPageWords } from '../../pipeline/catalogue/former-page.ts';

/*
 * Reviewer V34 M2: the page at the address of an object that left the catalogue printed its number raw: one whose
 * id holds a right-to-left override (refused since, so it left) turned the sentence backwards.
 */

describe('the words of a departed object page', () => {
  it('write a character no id may hold by its code, never the character', () => {
    const words = formerPageWords({ number: 'DM-\u202e0006', now: null });
    expect(words.description).toBe('Object DM-⟨U+202E⟩0006 is no longer in the online catalogue.');
    expect(words.lede).toContain('Object DM-⟨U+202E⟩0006 was shown at this address.');
    expect(Object.values(words).join(' ')).not.toMatch(/\u202e/);
  });

  it('keep a plain number and a Persian joiner inside a word as they are', () => {
    expect(formerPageWords({ number: 'DM-0006', now: { number: 'DM-1006' } }).heading).toBe(
      'DM-0006 is now catalogued as DM-1006',
    );
    expect(formerPageWords({ number: 'کتاب\u200cخانه-1', now: null }).title).toContain('کتاب\u200cخانه-1');
  });
});
