import { describe, expect, it } from 'vitest';
import { lettersApart } from '../../pipeline/collection/id-forms.ts';
import { parseObjectsChecked } from '../../pipeline/dataset/validate.ts';

/*
 * Two ids that differ only in their Unicode form are one id. The messages said "its accents encoded another way"
 * for every script, also for a Korean id, where one form is composed syllables and the other the separate jamo
 * letters a Mac saves: there is no accent in it. Accents are named only for accents on Latin, Greek or Cyrillic.
 */

const KOREAN = '\uc720\ubb3c-1';

describe('an id written twice in two Unicode forms', () => {
  it('in Korean says its letters are encoded another way, not its accents', () => {
    const text = `id,title\n${KOREAN},one\n${KOREAN.normalize('NFD')},two\n`;
    expect(KOREAN.normalize('NFD')).not.toBe(KOREAN);
    const { issues } = parseObjectsChecked({ text, name: 'data/objects.csv' });
    const message = issues.map((i) => i.message).join('\n');
    expect(message).toContain('its letters encoded another way (as a Mac saves them), which looks the same: one id');
    expect(message).not.toContain('accents');
  });

  it('with an accent on a Latin letter still says its accents', () => {
    const text = 'id,title\nCaf\u00e9-1,one\nCafe\u0301-1,two\n';
    const { issues } = parseObjectsChecked({ text, name: 'data/objects.csv' });
    expect(issues.map((i) => i.message).join('\n')).toContain('its accents encoded another way, which looks');
  });

  it('names accents for Latin, Greek and Cyrillic, letters for Korean and Japanese kana', () => {
    const apart = (id: string) => lettersApart({ id: id.normalize('NFC'), other: id.normalize('NFD') });
    expect(apart('Caf\u00e9')).toBe('accents');
    expect(apart('\u03ac\u03b3\u03b1\u03bb\u03bc\u03b1')).toBe('accents');
    expect(apart('\u0439')).toBe('accents');
    expect(apart(KOREAN)).toBe('letters');
    expect(apart('\u304c')).toBe('letters');
    expect(apart('Caf\u00e9 \uc720')).toBe('letters');
  });
});
