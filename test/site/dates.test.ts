import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  centuriesOf,
  centuryName,
  type PeriodVocabulary,
  parseDate,
  periodList,
} from '../../pipeline/catalogue/dates.ts';
import { dateBucket } from '../../pipeline/catalogue/derive.ts';
import { paramsSchema } from '../../pipeline/params.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const egypt = path.resolve(root, '..', 'shared', 'datasets', 'egyptian-antiquities');

async function egyptianPeriods(): Promise<PeriodVocabulary> {
  const example = parseYaml(await readFile(path.join(root, 'docs', 'examples', 'periods-egypt.yaml'), 'utf8')) as {
    periods: PeriodVocabulary;
  };
  // The example is what a museum pastes under `catalogue:`; the params schema must accept it.
  return paramsSchema.parse({ catalogue: { periods: example.periods } }).catalogue.periods;
}

describe('dates as year ranges', () => {
  it('reads years, eras, ranges, circa, centuries, decades and early/mid/late', () => {
    const d = (text: string) => parseDate({ text });
    expect(d('1889')).toEqual({ start: 1889, end: 1889 });
    expect(d('c. 1391–1353 BCE')).toEqual({ start: -1391, end: -1353 });
    expect(d('100 BCE–100 CE')).toEqual({ start: -100, end: 100 });
    expect(d('ca. 30 BC')).toEqual({ start: -30, end: -30 });
    expect(d('AD 79')).toEqual({ start: 79, end: 79 });
    expect(d('1850-55')).toEqual({ start: 1850, end: 1855 });
    expect(d('18th century')).toEqual({ start: 1700, end: 1799 });
    expect(d('early 20th century')).toEqual({ start: 1900, end: 1932 });
    expect(d('mid-19th century')).toEqual({ start: 1833, end: 1866 });
    expect(d('late 5th century BCE')).toEqual({ start: -433, end: -401 });
    expect(d('18th–19th century')).toEqual({ start: 1700, end: 1899 });
    expect(d('Twentieth Century; original New Kingdom')).toEqual({ start: 1900, end: 1999 });
    expect(d('1920s')).toEqual({ start: 1920, end: 1929 });
    expect(d('1000s-1100s')).toEqual({ start: 1000, end: 1199 });
    expect(d('664–30 BCE OR 664–330 BCE')).toEqual({ start: -664, end: -30 });
    expect(d('Collar: c. 200–300 CE')).toEqual({ start: 200, end: 300 });
    expect(d('')).toBeNull();
    expect(d('undated')).toBeNull();
  });

  it('puts "early 20th century" in 1900–1949, not "1950 and later"', () => {
    expect(dateBucket('early 20th century')).toBe('1900–1949');
    expect(dateBucket('late 20th century')).toBe('1950 and later');
    expect(dateBucket('c. 1391–1353 BCE')).toBe('Before 1000 BCE');
  });

  it('reads named periods and dynasties from the vocabulary, with early/late and overlaps', async () => {
    const periods = periodList(await egyptianPeriods());
    const d = (text: string) => parseDate({ text, periods });
    expect(d('Middle Kingdom')).toEqual({ start: -2030, end: -1650 });
    expect(d('Late Middle Kingdom')).toEqual({ start: -1776, end: -1650 });
    expect(d('Late Period–Ptolemaic Period')).toEqual({ start: -664, end: -30 });
    expect(d('Late Period (Saite)')).toEqual({ start: -664, end: -525 });
    expect(d('New Kingdom, Ramesside')).toEqual({ start: -1295, end: -1070 });
    expect(d('Middle Kingdom–Early New Kingdom')).toEqual({ start: -2030, end: -1391 });
    expect(d('18th Dynasty')).toEqual({ start: -1550, end: -1295 });
    expect(d('Third Intermediate Period or later')).toEqual({ start: -1070, end: -664 });
    expect(dateBucket('New Kingdom', periods)).toBe('Before 1000 BCE');
    expect(dateBucket('Roman Period', periods)).toBe('1–999 CE');
  });

  it('dates almost all of the Egyptian set with the example vocabulary (64% undated without it)', async () => {
    const rows = parse(await readFile(path.join(egypt, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const periods = periodList(await egyptianPeriods());
    const undated = rows.filter((r) => parseDate({ text: r.date!, periods }) === null);
    expect(undated.length / rows.length).toBeLessThan(0.02);
    for (const r of rows) {
      const range = parseDate({ text: r.date!, periods });
      if (range) expect(range.start, r.date).toBeLessThanOrEqual(range.end);
    }
  });

  it('names the centuries a range touches, for the timeline', () => {
    expect(centuriesOf({ start: -1391, end: -1353 })).toEqual([-14]);
    expect(centuriesOf({ start: -150, end: 120 })).toEqual([-2, -1, 1, 2]);
    expect(centuryName(-14)).toBe('14th century BCE');
    expect(centuryName(21)).toBe('21st century');
    expect(centuryName(12)).toBe('12th century');
  });
});
