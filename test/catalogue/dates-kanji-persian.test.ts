// Dates in kanji numerals, Japanese reign years, and Arabic or Persian centuries written with "قرن" (D38): they were
// undated ("十八世紀", "一九二〇年", "قرن هجدهم") or read as a wrong year ("قرن 18 میلادی" as the year 18, "القرن 13 هـ",
// a century of the Islamic calendar, as 1200–1299).
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../pipeline/catalogue/dates.ts';
import { cpuMilliseconds } from '../fixtures/cpu-time.ts';

const read = (text: string) => {
  const r = parseDate({ text });
  return r ? [r.start, r.end] : null;
};

describe('kanji numerals', () => {
  it.each([
    ['十八世紀', [1700, 1799]],
    ['十八世纪', [1700, 1799]],
    ['二十世紀', [1900, 1999]],
    ['二十一世紀', [2000, 2099]],
    ['二〇世紀', [1900, 1999]],
    ['十九世紀前半', [1800, 1849]],
    ['十九世紀末', [1867, 1899]],
    ['十七～十八世紀', [1600, 1799]],
    ['紀元前五世紀', [-500, -401]],
    ['紀元前二千年紀', [-2000, -1001]],
    ['一九二〇年', [1920, 1920]],
    ['一九二○年', [1920, 1920]],
    ['一九二〇年代', [1920, 1929]],
    ['一八〇〇年頃', [1800, 1800]],
    ['一八〇〇～一八五〇年', [1800, 1850]],
    ['一八〇〇年から一八五〇年まで', [1800, 1850]],
    ['千九百二十年', [1920, 1920]],
    ['公元前二二一年', [-221, -221]],
    ['紀元前三百年', [-300, -300]],
    ['紀元前三千年頃', [-3000, -3000]],
  ])('%s is read', (text, range) => {
    expect(read(text)).toEqual(range);
  });

  it.each([
    // A count of years ("三十年戦争", the Thirty Years War; "創業百年", a hundred years since the founding) is no year.
    ['十年'],
    ['三十年戦争'],
    ['創業百年'],
    ['千年'],
    ['二千年'],
    ['三百年前'],
    ['江戸時代'],
    // A Chinese reign year is not read (only the Japanese reigns since 1868 are).
    ['光緒十年'],
  ])('%s is left undated', (text) => {
    expect(read(text)).toBeNull();
  });
});

describe('Japanese reign years since 1868', () => {
  it.each([
    ['明治三十年', [1897, 1897]],
    ['明治10年', [1877, 1877]],
    ['明治元年', [1868, 1868]],
    ['明治四十五年', [1912, 1912]],
    ['大正十五年', [1926, 1926]],
    ['昭和十年頃', [1935, 1935]],
    ['昭和元年', [1926, 1926]],
    ['平成三十一年', [2019, 2019]],
    ['令和元年', [2019, 2019]],
    ['明治10年（1877）', [1877, 1877]],
    // A decade of a reign, to its end ("the Meiji 40s": Meiji 40 to 45).
    ['昭和三十年代', [1955, 1964]],
    ['明治40年代', [1907, 1912]],
  ])('%s is read', (text, range) => {
    expect(read(text)).toEqual(range);
  });

  it.each([['明治五十年'], ['大正二十年'], ['明治100年'], ['明治35年代'], ['昭和'], ['明治時代']])(
    '%s is left undated',
    (text) => {
      expect(read(text)).toBeNull();
    },
  );
});

describe('Arabic and Persian centuries written with قرن', () => {
  it.each([
    ['قرن 18', [1700, 1799]],
    ['قرن ۱۸', [1700, 1799]],
    ['قرن 18 میلادی', [1700, 1799]],
    ['قرن ۱۸م', [1700, 1799]],
    ['قرن 18-19', [1700, 1899]],
    ['القرن الثامن عشر', [1700, 1799]],
    ['قرن هجدهم', [1700, 1799]],
    ['قرن هیجدهم', [1700, 1799]],
    ['قرن هجدهم میلادی', [1700, 1799]],
    ['قرن نوزدهم', [1800, 1899]],
    ['قرن بیستم', [1900, 1999]],
    ['قرن بیست و یکم', [2000, 2099]],
    ['قرن اول', [0, 99]],
    ['قرن پنجم پیش از میلاد', [-500, -401]],
    ['قرن 18 م', [1700, 1799]],
    ['قرن هجدهم و نوزدهم', [1700, 1899]],
    ['قرن هيجدهم', [1700, 1799]],
    ['اوایل قرن نوزدهم', [1800, 1832]],
    ['نیمه دوم قرن هجدهم', [1750, 1799]],
    ['نیمهٔ اول قرن هجدهم', [1700, 1749]],
  ])('%s is read', (text, range) => {
    expect(read(text)).toEqual(range);
  });

  it.each([
    // A century or a year of the Islamic or Persian calendar: no common-era century or year matches it, and none is
    // converted, so never read as one.
    ['القرن 13 هـ'],
    ['القرن 13 ه.ق'],
    ['القرن الثالث عشر الهجري'],
    ['قرن سیزدهم هجری'],
    ['قرن 14 ه.ش'],
    ['1300 هـ'],
    ['١٣٠٠ ه.ش'],
    ['۱۳۰۰ هجری شمسی'],
    ['1300 قمری'],
    // "The century 1800": which century is meant is not written.
    ['القرن 1800'],
  ])('%s is left undated', (text) => {
    expect(read(text)).toBeNull();
  });
});

describe('kanji and Persian dates that gave a wrong year (V34)', () => {
  it.each([
    // "前" is also "before" or "former": only 紀元前 (or 前 before digits, "前300年") is before Christ in kanji.
    ['前九年の役'],
    ['前三年'],
    ['前十年'],
    ['前百年'],
    // A count written digit by digit ("創業一〇〇年記念", a hundredth anniversary) is a year at four figures only.
    ['創業一〇〇年記念'],
    ['創業一五〇年'],
    // No century of that number: never the 0th century (100 BCE to 1 BCE), nor the 8th of "十 八".
    ['百世紀'],
    ['千世紀'],
    ['二百世紀'],
    ['〇世紀'],
    ['100世紀'],
    ['0世紀'],
    ['十 八世紀'],
  ])('%s is left undated', (text) => {
    expect(read(text)).toBeNull();
  });

  it.each([
    ['前30年', [-30, -30]],
    ['前300年', [-300, -300]],
    ['紀元前三年', [-3, -3]],
    ['一九二〇年', [1920, 1920]],
    ['二〇〇〇年', [2000, 2000]],
    ['十八 世紀', [1700, 1799]],
    // "سده" is Persian for century, as "قرن" is.
    ['سده ۱۸ میلادی', [1700, 1799]],
    ['سده ۱۸', [1700, 1799]],
    ['سده هجدهم', [1700, 1799]],
    ['سدهٔ هجدهم', [1700, 1799]],
    // Before Christ written right after the century number, with no space.
    ['قرن ۱۸ق.م', [-1800, -1701]],
    ['قرن ۱۸ ق.م', [-1800, -1701]],
    ['القرن 18ق.م', [-1800, -1701]],
    ['۱۸ق.م', [-18, -18]],
    // "تا" is Persian for "to".
    ['قرن ۱۹ تا ۲۰', [1800, 1999]],
    ['1850 تا 1900', [1850, 1900]],
  ])('%s is read', (text, range) => {
    expect(read(text)).toEqual(range);
  });
});

describe('a long field of kanji numerals, reign names or Persian centuries', () => {
  // Each about 78,000 characters; a field of kanji digits alone took 68 s of CPU time while the reading was written.
  // Four shapes only (CI time): kanji digits, ranges of them, Persian centuries, and runs of spaces before an era.
  const fields = ['一', '一～', 'قرن هجدهم و ', `1${' '.repeat(20)}ق.م `].map((piece) =>
    piece.repeat(Math.ceil(78_000 / piece.length)),
  );

  it('reads each in a time that grows with its length, not with its square', async () => {
    for (const text of fields) {
      const spent = await cpuMilliseconds(() => parseDate({ text }));
      expect(spent, text.slice(0, 12)).toBeLessThan(1500);
    }
  });
});
