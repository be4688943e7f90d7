import { describe, expect, it } from 'vitest';
import { PICTURE_TEXT_MAX, pictureText } from '../../site/src/lib/picture-text.ts';

/*
 * Tester T17: the photograph's text on its page, "Photograph of <title>, <date>", said again the heading just above
 * it. The record's description says what the photograph shows, when it is short.
 */
describe('the text of an object page photograph', () => {
  const alt = 'Photograph of Cup, 1750';
  it('is the record description when it is short, its spaces tidied', () => {
    expect(pictureText({ alt, description: ' A white cup with\n a blue rim. ' })).toBe('A white cup with a blue rim.');
  });
  it('is the catalogue text when the record has no description, or one too long to read as a picture text', () => {
    expect(pictureText({ alt, description: '' })).toBe(alt);
    expect(pictureText({ alt, description: '  ' })).toBe(alt);
    expect(pictureText({ alt, description: 'a'.repeat(PICTURE_TEXT_MAX + 1) })).toBe(alt);
  });
});
