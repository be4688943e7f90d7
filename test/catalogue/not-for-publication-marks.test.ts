import { describe, expect, it } from 'vitest';
import { embargoYear, forbidsPublication, withheldOf } from '../../pipeline/catalogue/image-rules.ts';

/*
 * A mark no one sees inside or between the words that forbid publishing a photograph ("Do not\u200bpublish online")
 * was kept as written, so the words were not found and the photograph was shown in full and offered for download
 * (reviewer V32 MED 4). Each mark is read as nothing and as a space, as rights.ts reads them (reading 13, D39), and
 * the reading that keeps the photograph off the site wins: a mark never lets one online.
 */

/** The text with its marks written as \u escapes, for a test name or a message that shows them. */
const shown = (t: string) => t.replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);

const RULES = { in_copyright: 'thumbnail', unknown: 'full', thumbnail_max: 300 } as const;

const MARKED = [
  'CC0; Do not\u200bpublish online',
  'CC0; Do not pub\u00adlish online',
  'CC0; Embar\u200bgoed until 2099',
  'CC0; Do\u200enot\u00adpublish',
  'CC0; Must\u200enot\u200ebe pub\u00adli\u00adshed',
  'CC0; Do not\u200bpub\u200blish',
  'CC0; Cultur\u2060ally sensitive',
  'CC0; Secret\u200d/\u200dsacred',
  'CC0; Intern\u00adal use\u200bonly',
  // Blanks that are not default-ignorable: the braille blank, interlinear annotation and hieroglyph format marks.
  'CC0; Do not\u2800publish online',
  'CC0; Not for\ufff9publication',
  'CC0; Do not pub\ufffblish',
  'CC0; Culturally\u{13430}sensitive',
  'CC0; Embar\u{1343f}goed until 2099',
];

describe('marks no one sees in words that forbid publishing the photograph', () => {
  it.each(MARKED.map((t) => [shown(t), t]))('%s keeps the photograph off the site', (_, text) => {
    expect(forbidsPublication(text)).toBe(true);
    expect(
      withheldOf({ rights: { uri: 'http://creativecommons.org/publicdomain/zero/1.0/', text }, rules: RULES }),
    ).toEqual({ shown: 'none', reason: 'not-for-publication' });
  });

  it('never make a text that forbids publishing one that does not, wherever a mark or two of two kinds are put', () => {
    const texts = ['Do not publish online', 'Not for public display', 'Embargoed until 2030', 'Secret/sacred'];
    const marks = ['\u200b', '\u00ad', '\u200e', '\u2800', '\ufeff'];
    const missed: string[] = [];
    for (const text of texts)
      for (let at = 0; at <= text.length; at++)
        for (const a of marks) {
          const one = text.slice(0, at) + a + text.slice(at);
          if (!forbidsPublication(one)) missed.push(one);
          // A second mark of another kind for the first space.
          for (const b of marks) {
            if (b === a) continue;
            const two = one.replace(' ', b);
            if (!forbidsPublication(two)) missed.push(two);
          }
        }
    expect(missed.map(shown)).toEqual([]);
  });

  it('are read in a long text too, all as nothing and all as spaces', () => {
    expect(forbidsPublication(`${'Gift of Jane Doe. '.repeat(150)}CC0; Do not\u200bpublish online`)).toBe(true);
  });

  it('read the year of an embargo written with marks', () => {
    expect(embargoYear('CC0; Embar\u200bgoed until 2099')).toBe(2099);
    expect(embargoYear('Embargoed until 20\u00ad31')).toBe(2031);
  });

  it('leave open texts open', () => {
    for (const text of ['CC0\u200b', 'Public\u00ad domain', 'No known copyright re\u00adstrictions', 'CC\u2800BY 4.0'])
      expect(forbidsPublication(text), shown(text)).toBe(false);
  });
});
