// Library and archive date forms (AACR2/RDA, ISAD(G), MARC, EDTF): a photo archive's dates (tester T12, D25).
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../pipeline/catalogue/dates.ts';

const read = (text: string) => parseDate({ text });

describe('archive date forms with unknown digits', () => {
  it.each([
    ['[192-?]', 1920, 1929],
    ['[192-]', 1920, 1929],
    ['190-?', 1900, 1909],
    ['195-', 1950, 1959],
    ['[ca. 192-]', 1920, 1929],
    ['ca.192-', 1920, 1929],
    ['19--', 1900, 1999],
    ['[18--]', 1800, 1899],
    ['[19--?]', 1900, 1999],
    ['[20--]', 2000, 2099],
    ['192x', 1920, 1929],
    ['19XX', 1900, 1999],
    ['192u', 1920, 1929],
    ['19uu', 1900, 1999],
    ['19??', 1900, 1999],
    ['[192-?]-1935', 1920, 1935],
    ['191-?-192-?', 1910, 1929],
    ['192- to 195-', 1920, 1959],
    ['between 192- and 193-', 1920, 1939],
    ['190-? or 191-?', 1900, 1919],
    ['19-- or 20--', 1900, 2099],
    ['19xx-20xx', 1900, 2099],
  ])('%s is %i to %i, not a year of two or three digits', (text, start, end) => {
    expect(read(text)).toEqual({ start, end });
  });

  it.each(['1---', '1xxx', 'No. 19--', 'Inv. 192-', 'DM-192-', '192- B.C.'])(
    '%s is undated: no fragment of a year is read as one',
    (text) => {
      expect(read(text)).toBeNull();
    },
  );

  it.each([
    ['192-193', 192, 193],
    ['12-13', 12, 13],
    ['650?', 650, 650],
    ['1889-05', 1889, 1889],
    ['1920x1080, 1850', 1850, 1850],
    ['’700-’800', 1700, 1899],
  ])('%s is read as before (a dash or mark between or after whole numbers)', (text, start, end) => {
    expect(read(text)).toEqual({ start, end });
  });
});

describe('decades written with s on both sides of a range', () => {
  it.each([
    ['1890s-1900s', 1890, 1909],
    ['ca. 1890s-1900s', 1890, 1909],
    ['1900s-1910s', 1900, 1919],
    ['1910s–1900s BC', -1919, -1900],
    ['1800s-1900s', 1800, 1999],
    ['1920s-1930s', 1920, 1939],
  ])('%s is %i to %i', (text, start, end) => {
    expect(read(text)).toEqual({ start, end });
  });
});

describe('other catalogue forms of the same family', () => {
  it.each([
    ['[ca. 1920]', 1920, 1920],
    ['[1935?]', 1935, 1935],
    ['1920 or 1921', 1920, 1921],
    ['[1920 or 1921?]', 1920, 1921],
    ['between 1920 and 1925', 1920, 1925],
    ['[between 1906 and 1912?]', 1906, 1912],
    ['1920/21', 1920, 1921],
    ['c1920', 1920, 1920],
    ['[1920], c1918', 1920, 1920],
  ])('%s is %i to %i', (text, start, end) => {
    expect(read(text)).toEqual({ start, end });
  });

  it.each(['s.d.', '[s.d.]', 'n.d.', '[n.d.]', 'undated', 'o. J.', 'o.J.', 'sans date'])('%s stays undated', (text) => {
    expect(read(text)).toBeNull();
  });

  // An open range is no range of years: the Date filter lists it as Undated, and the page shows the text as written.
  it.each(['before 1900', 'after 1945', 'not before 1920', 'not after 1800', '[not before 1920]', '[after 1945]'])(
    '%s is undated (an open range)',
    (text) => {
      expect(read(text)).toBeNull();
    },
  );
});

// Reviewer V29: a range with a side written with unknown digits keeps the year on its other side.
describe('ranges with one side written with unknown digits', () => {
  it.each([
    ['1920-19--', 1920, 1999],
    ['1930-19--', 1930, 1999],
    ['[19--?]-1930', 1900, 1930],
    ['19---1930', 1900, 1930],
    ['19--–1930', 1900, 1930],
    ['19--/20--', 1900, 2099],
    ['19xx/20xx', 1900, 2099],
    ['19-- to 20--', 1900, 2099],
    ['192-/193-', 1920, 1939],
    ['192-?/193-?', 1920, 1939],
    ['1925-192-', 1925, 1929],
  ])('%s is %i to %i', (text, start, end) => {
    expect(read(text)).toEqual({ start, end });
  });

  it.each([
    ['mid-192-', 1923, 1926],
    ['mid 192-', 1923, 1926],
    ['late-192-', 1927, 1929],
    ['early 19--', 1900, 1932],
    // The first date written is the object's, as in "1920, 1930".
    ['192-,193-', 1920, 1929],
  ])('%s is %i to %i (early, mid and late as for "1920s")', (text, start, end) => {
    expect(read(text)).toEqual({ start, end });
  });

  it.each([
    '192x 30 cm',
    '192x30 cm',
    '19xx x 24 cm',
    '192- x 30 cm',
    'Box 19--',
    'Neg. 192-',
    '#192-',
    'Box 1920',
    '12-19--',
    '1930-192-',
  ])('%s is undated: a measure, a number, or a range we cannot read', (text) => {
    expect(read(text)).toBeNull();
  });

  it.each(['99xx', '25xx', '30--', '21--'])('%s is undated: no object dates from a later century', (text) => {
    expect(read(text)).toBeNull();
  });
});
