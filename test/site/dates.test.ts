import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  centuriesOf,
  centuryName,
  type PeriodVocabulary,
  parseDate,
  periodList,
} from '../../pipeline/catalogue/dates.ts';
import { dateBucket } from '../../pipeline/catalogue/derive.ts';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, paramsSchema } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { writeFixture } from './fixture.ts';

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

describe('dates as museums write them (The Met, ISO, day and month)', () => {
  const d = (text: string) => parseDate({ text });

  it('reads "B.C." and "B.C.E." with full stops as before the common era, with or without "ca."', () => {
    expect(d('ca. 1479–1425 B.C.')).toEqual({ start: -1479, end: -1425 });
    expect(d('1700–1600 B.C.')).toEqual({ start: -1700, end: -1600 });
    expect(d('1391–1353 B.C.E.')).toEqual({ start: -1391, end: -1353 });
    expect(d('664–332 B.C.')).toEqual({ start: -664, end: -332 });
    expect(d('ca. 2000 BCE')).toEqual({ start: -2000, end: -2000 });
    expect(d('3rd century B.C.')).toEqual({ start: -300, end: -201 });
    expect(d('A.D. 100–200')).toEqual({ start: 100, end: 200 });
    expect(d('100 BC–AD 50')).toEqual({ start: -100, end: 50 });
    expect(d('100 B.C.–A.D. 50')).toEqual({ start: -100, end: 50 });
    expect(d('19th c.')).toEqual({ start: 1800, end: 1899 });
  });

  it('gives the era written after a range of centuries or decades to both sides', () => {
    expect(d('3rd–2nd century B.C.')).toEqual({ start: -300, end: -101 });
    expect(d('5th–4th century BCE')).toEqual({ start: -500, end: -301 });
    expect(d('late 3rd–early 2nd century B.C.')).toEqual({ start: -233, end: -168 });
    expect(d('1500s–1400s BCE')).toEqual({ start: -1599, end: -1400 });
    expect(d('1st century B.C.–1st century A.D.')).toEqual({ start: -100, end: 99 });
  });

  it('reads a year written with a thousands separator, or leaves it undated', () => {
    expect(d('c. 3,000 B.C.')).toEqual({ start: -3000, end: -3000 });
    expect(d('10,000 BC')).toBeNull(); // no five-digit years: undated rather than 10 BCE
  });

  it('reads a leading minus as a year before the common era, not as a dash', () => {
    expect(d('-500')).toEqual({ start: -500, end: -500 });
    expect(d('-500 to -400')).toEqual({ start: -500, end: -400 });
    expect(d('\u2212500')).toEqual({ start: -500, end: -500 }); // the minus sign
  });

  it('reads the year of a full date (ISO, with a time, day/month/year, a month name)', () => {
    expect(d('1889-05-01')).toEqual({ start: 1889, end: 1889 });
    expect(d('1889-05-01T10:30:00Z')).toEqual({ start: 1889, end: 1889 });
    expect(d('1889-05-01 10:30')).toEqual({ start: 1889, end: 1889 });
    expect(d('01/05/1889')).toEqual({ start: 1889, end: 1889 });
    expect(d('1889/05/01')).toEqual({ start: 1889, end: 1889 });
    expect(d('1 May 1889')).toEqual({ start: 1889, end: 1889 });
    expect(d('May 1, 1889')).toEqual({ start: 1889, end: 1889 });
    expect(d('September 1889')).toEqual({ start: 1889, end: 1889 });
    expect(d('c. 3 Sept. 1889')).toEqual({ start: 1889, end: 1889 });
  });

  it('still reads centuries, decades and short ranges', () => {
    expect(d('late 19th century')).toEqual({ start: 1867, end: 1899 });
    expect(d('1850s')).toEqual({ start: 1850, end: 1859 });
    expect(d('19th–20th century')).toEqual({ start: 1800, end: 1999 });
    expect(d('1850-55')).toEqual({ start: 1850, end: 1855 });
    expect(d('1895–05')).toEqual({ start: 1895, end: 1905 });
    expect(d('1889-05')).toEqual({ start: 1889, end: 1889 }); // ISO year and month
    expect(d('1st half of 19th century')).toEqual({ start: 1800, end: 1849 });
  });

  it('leaves undated what it cannot read with confidence, never a wrong year', () => {
    expect(d('Dynasty 18')).toBeNull();
    expect(d('Second Intermediate Period–early Dynasty 18')).toBeNull();
    expect(d('n.d.')).toBeNull();
    expect(d('1700–1600')).toBeNull(); // a range that runs backwards: the era was left out
    expect(d('1039 AH')).toBeNull(); // the Islamic calendar, not a common-era year
    expect(d('dated 1039 AH/1630 CE')).toEqual({ start: 1630, end: 1630 });
    expect(d('1889-13-45')).toBeNull();
  });

  it('puts The Met\'s "B.C." dates in the date buckets before the common era', () => {
    expect(dateBucket('ca. 1479–1425 B.C.')).toBe('Before 1000 BCE');
    expect(dateBucket('664–332 B.C.')).toBe('1000–1 BCE');
    expect(dateBucket('-500')).toBe('1000–1 BCE');
    expect(dateBucket('1889-05-01')).toBe('1800–1899');
    expect(dateBucket('Dynasty 18')).toBe('Undated');
  });
});

describe('dates a reviewer found read wrong (dynasties, short decades, quarters, "/", open ranges)', () => {
  const d = (text: string) => parseDate({ text });

  it('reads the year range in brackets after a dynasty, period or reign as the date', () => {
    expect(d('Ming dynasty (1368–1644)')).toEqual({ start: 1368, end: 1644 });
    expect(d('Tang dynasty (618–907)')).toEqual({ start: 618, end: 907 });
    expect(d('Qing dynasty (1644–1911)')).toEqual({ start: 1644, end: 1911 });
    expect(d('Joseon dynasty (1392–1910)')).toEqual({ start: 1392, end: 1910 });
    expect(d('Han dynasty (206 B.C.–A.D. 220)')).toEqual({ start: -206, end: 220 });
    expect(d('Ming dynasty, Wanli period (1573–1620)')).toEqual({ start: 1573, end: 1620 });
    expect(d('Edo period (1615–1868)')).toEqual({ start: 1615, end: 1868 });
    expect(d('Ming dynasty 1368–1644')).toEqual({ start: 1368, end: 1644 });
    // A year before the brackets stays the date: the brackets say something else.
    expect(d('1880 (printed 1902)')).toEqual({ start: 1880, end: 1880 });
  });

  it('leaves a range of dynasty numbers undated, or reads each dynasty from the vocabulary', async () => {
    expect(d('Dynasty 18–19')).toBeNull();
    expect(d('Dynasties 18-19')).toBeNull();
    expect(d('Dynasty 18 or 19')).toBeNull();
    expect(d('regnal year 5–6')).toBeNull();
    const periods = periodList(await egyptianPeriods());
    expect(parseDate({ text: 'Dynasty 18–19', periods })).toEqual({ start: -1550, end: -1186 });
    expect(parseDate({ text: '18th–19th Dynasty', periods })).toEqual({ start: -1550, end: -1186 });
  });

  it('reads a second decade written short, and decades written "1990\'s"', () => {
    expect(d('1920s–30s')).toEqual({ start: 1920, end: 1939 });
    expect(d('1880s–90s')).toEqual({ start: 1880, end: 1899 });
    expect(d("1990's")).toEqual({ start: 1990, end: 1999 });
    expect(d('1990’s')).toEqual({ start: 1990, end: 1999 });
    expect(d("1920's–30's")).toEqual({ start: 1920, end: 1939 });
  });

  it('reads halves, thirds and quarters of a century, with or without "of the"', () => {
    expect(d('3rd quarter 19th century')).toEqual({ start: 1850, end: 1874 });
    expect(d('third quarter of the 19th century')).toEqual({ start: 1850, end: 1874 });
    expect(d('second half 19th century')).toEqual({ start: 1850, end: 1899 });
    expect(d('first quarter of the 10th century')).toEqual({ start: 900, end: 924 });
    expect(d('last quarter of the 18th century')).toEqual({ start: 1775, end: 1799 });
    expect(d('first half of the 5th century B.C.')).toEqual({ start: -500, end: -451 });
  });

  it('reads "early to mid-12th century" from the start of the early part', () => {
    expect(d('early to mid-12th century')).toEqual({ start: 1100, end: 1166 });
    expect(d('mid- to late 19th century')).toEqual({ start: 1833, end: 1899 });
  });

  it('reads "1880/90" and "1880/1890" as both years, and leaves far-apart years undated', () => {
    expect(d('1880/90')).toEqual({ start: 1880, end: 1890 });
    expect(d('1880/1890')).toEqual({ start: 1880, end: 1890 });
    expect(d('1039/1630')).toBeNull(); // an Islamic and a common-era year, not a range
    expect(d('664/3 BC')).toEqual({ start: -664, end: -663 });
    expect(d('700/99 BC')).toBeNull();
  });

  it('leaves "before 1920" and "after 1850" undated rather than read as that exact year', () => {
    expect(d('before 1920')).toBeNull();
    expect(d('after 1850')).toBeNull();
    expect(d('by 1901')).toBeNull();
    expect(d('before 1920 this is common era, not BCE')).toBeNull();
    expect(d('1895; reworked by 1901')).toEqual({ start: 1895, end: 1895 });
  });
});

describe('dates in the catalogue: years, centuries and the timeline', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('puts "B.C." dates, a leading minus and full dates in the right centuries, and leaves the unreadable undated', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-dates-'));
    const dates = ['ca. 1479–1425 B.C.', '664–332 B.C.', '-500', '1889-05-01', '1 May 1889', 'Dynasty 18', '1700–1600'];
    await writeFixture({
      root: dir,
      objects: dates.map((date, i) => ({ id: `D-${i}`, title: `Object ${i}`, date, label: 'coin', image: null })),
      labels: ['coin', 'mask'],
      withMetrics: false,
    });
    const { catalogue } = await buildCatalogueData({
      ws: workspace(dir),
      params: defaultParams(),
      log: memoryLogger(),
    });
    const byDate = new Map(catalogue.objects.map((o) => [o.date, o]));
    expect(byDate.get('ca. 1479–1425 B.C.')!.years).toEqual({ start: -1479, end: -1425 });
    expect(byDate.get('ca. 1479–1425 B.C.')!.centuries).toEqual(['15th century BCE']);
    expect(byDate.get('664–332 B.C.')!.centuries).toEqual([
      '7th century BCE',
      '6th century BCE',
      '5th century BCE',
      '4th century BCE',
    ]);
    expect(byDate.get('-500')!.centuries).toEqual(['5th century BCE']);
    expect(byDate.get('1889-05-01')!.years).toEqual({ start: 1889, end: 1889 });
    expect(byDate.get('1 May 1889')!.centuries).toEqual(['19th century']);
    for (const undated of ['Dynasty 18', '1700–1600']) {
      expect(byDate.get(undated)!.years).toBeNull();
      expect(byDate.get(undated)!.centuries).toEqual([]);
    }
    // No object of the common era before the 19th century: the timeline's common-era part is 19th century only.
    const counted = catalogue.counts.byCentury.filter((c) => c.count > 0).map((c) => [c.name, c.count]);
    expect(counted).toEqual([
      ['15th century BCE', 1],
      ['7th century BCE', 1],
      ['6th century BCE', 1],
      ['5th century BCE', 2],
      ['4th century BCE', 1],
      ['19th century', 2],
    ]);
  });

  it('puts dynasty ranges, short decades and quarters in their centuries, and open ranges in none', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-dates-'));
    const dates = ['Ming dynasty (1368–1644)', 'Han dynasty (206 B.C.–A.D. 220)', 'Dynasty 18–19', '1920s–30s'];
    dates.push('3rd quarter 19th century', 'before 1920');
    await writeFixture({
      root: dir,
      objects: dates.map((date, i) => ({ id: `D-${i}`, title: `Object ${i}`, date, label: 'coin', image: null })),
      labels: ['coin', 'mask'],
      withMetrics: false,
    });
    const { catalogue } = await buildCatalogueData({
      ws: workspace(dir),
      params: defaultParams(),
      log: memoryLogger(),
    });
    const centuries = new Map(catalogue.objects.map((o) => [o.date, o.centuries]));
    expect(centuries.get('Ming dynasty (1368–1644)')).toEqual([
      '14th century',
      '15th century',
      '16th century',
      '17th century',
    ]);
    expect(centuries.get('Han dynasty (206 B.C.–A.D. 220)')).toEqual([
      '3rd century BCE',
      '2nd century BCE',
      '1st century BCE',
      '1st century',
      '2nd century',
      '3rd century',
    ]);
    expect(centuries.get('1920s–30s')).toEqual(['20th century']);
    expect(centuries.get('3rd quarter 19th century')).toEqual(['19th century']);
    expect(centuries.get('Dynasty 18–19')).toEqual([]);
    expect(centuries.get('before 1920')).toEqual([]);
  });
});

describe('dates a second reviewer found read wrong (brackets, A.H., secondary dates, counts, eras)', () => {
  const d = (text: string) => parseDate({ text });

  it('keeps the year outside the brackets when the brackets count or date something else', () => {
    expect(d('1890, state II (of 3)')).toEqual({ start: 1890, end: 1890 });
    expect(d('ca. 1900, printed (1 of 10)')).toEqual({ start: 1900, end: 1900 });
    expect(d('1970, edition (of 50)')).toEqual({ start: 1970, end: 1970 });
    expect(d('1765, Sèvres factory (founded 1740)')).toEqual({ start: 1765, end: 1765 });
    expect(d('1920, cast (posthumous, 1950)')).toEqual({ start: 1920, end: 1920 });
    expect(d('Ming dynasty (1368–1644)')).toEqual({ start: 1368, end: 1644 });
  });

  it('leaves a range undated when one side cannot be read, rather than reading the other as a point', () => {
    expect(d('Jōmon period (ca. 10,500–ca. 300 B.C.)')).toBeNull();
    expect(d('ca. 10,000–8000 B.C.')).toBeNull();
  });

  it('reads "1910-11" as two years and "1889-05" as a year and month', () => {
    expect(d('1910-11')).toEqual({ start: 1910, end: 1911 });
    expect(d('1911-12')).toEqual({ start: 1911, end: 1912 });
    expect(d('1908-09')).toEqual({ start: 1908, end: 1909 });
    expect(d('2010-11')).toEqual({ start: 2010, end: 2011 });
    expect(d('1889-05')).toEqual({ start: 1889, end: 1889 });
  });

  it('reads the common-era year beside a year of the Islamic calendar (A.H.)', () => {
    expect(d('Mamluk, A.H. 750/A.D. 1350')).toEqual({ start: 1350, end: 1350 });
    expect(d('dated A.H. 710/A.D. 1310–11')).toEqual({ start: 1310, end: 1311 });
    expect(d('A.H. 1039 (A.D. 1629–30)')).toEqual({ start: 1629, end: 1630 });
    expect(d('A.H. 1039/1629–30')).toEqual({ start: 1629, end: 1630 });
    expect(d('13th–14th century A.H.')).toBeNull(); // centuries of the Islamic calendar
    expect(d('10th century AH')).toBeNull();
  });

  it("reads the object's own date before a later century or decade of additions, frames or casts", () => {
    expect(d('ca. 1740, with 19th-century additions')).toEqual({ start: 1740, end: 1740 });
    expect(d('ca. 1750 (frame 19th century)')).toEqual({ start: 1750, end: 1750 });
    expect(d('ca. 1870, printed 1920s')).toEqual({ start: 1870, end: 1870 });
    expect(d('modeled ca. 1880 (this cast 1920s)')).toEqual({ start: 1880, end: 1880 });
  });

  it('does not read the number of a series, plate, volume, opus or edition as the year', () => {
    expect(d('Series 2, 1870')).toEqual({ start: 1870, end: 1870 });
    expect(d('Plate 12, 1850')).toEqual({ start: 1850, end: 1850 });
    expect(d('Vol. 2, 1888')).toEqual({ start: 1888, end: 1888 });
    expect(d('Opus 12, 1899')).toEqual({ start: 1899, end: 1899 });
    expect(d('Edition 3/50, 1970')).toEqual({ start: 1970, end: 1970 });
  });

  it('reads the common-era year in brackets after a Japanese era year', () => {
    expect(d('Meiji 10 (1877)')).toEqual({ start: 1877, end: 1877 });
    expect(d('Kaei 5 (1852)')).toEqual({ start: 1852, end: 1852 });
    expect(d('Tenpō 3 (1832)')).toEqual({ start: 1832, end: 1832 });
    expect(d('Heisei 5 (1993)')).toEqual({ start: 1993, end: 1993 });
  });

  it('reads short decades beside a full one, and leaves a decade with no century undated', () => {
    expect(d('1850-60s')).toEqual({ start: 1850, end: 1869 });
    expect(d('1850s-60')).toEqual({ start: 1850, end: 1860 });
    expect(d("'30s")).toBeNull();
    expect(d('the 30s')).toBeNull();
  });

  it('reads alternatives of centuries and "between A and B" as covering both', () => {
    expect(d('19th or 20th century')).toEqual({ start: 1800, end: 1999 });
    expect(d('late 19th or early 20th century')).toEqual({ start: 1867, end: 1932 });
    expect(d('12th/13th century')).toEqual({ start: 1100, end: 1299 });
    expect(d('between 1820 and 1830')).toEqual({ start: 1820, end: 1830 });
  });

  it('reads "2000s" as a decade (the century is "21st century")', () => {
    expect(d('2000s')).toEqual({ start: 2000, end: 2009 });
    expect(d('1990s-2000s')).toEqual({ start: 1990, end: 2009 });
    expect(d('1800s')).toEqual({ start: 1800, end: 1899 });
    expect(d('late 2000s BCE')).toEqual({ start: -2032, end: -2000 }); // a century before the common era
  });

  it('reads a hyphen between letters as part of a word, and leaves a year with a word at the dash undated', () => {
    expect(d('Neo-Assyrian, ca. 883–859 B.C.')).toEqual({ start: -883, end: -859 });
    expect(d('Neolithic–1200 B.C.')).toBeNull(); // an open end, not 1200 BCE
    expect(d('1980–present')).toBeNull();
    expect(d('Ptolemaic–Roman, 1st century B.C.')).toEqual({ start: -100, end: -1 });
  });

  it('reads "post-Amarna Period" as not in the Amarna Period', async () => {
    const periods = periodList(await egyptianPeriods());
    expect(parseDate({ text: 'New Kingdom, post-Amarna Period', periods })).toEqual({ start: -1550, end: -1070 });
  });
});

describe('dates a third reviewer found read wrong (short second years, "12–13th century", "?-", label clauses)', () => {
  const d = (text: string) => parseDate({ text });

  it('keeps a range with a short second year to itself when a later year follows', () => {
    expect(d('1887–90, cast 1910')).toEqual({ start: 1887, end: 1890 });
    expect(d('ca. 1887–90, printed 1900')).toEqual({ start: 1887, end: 1890 });
    expect(d('1857–60, printed ca. 1870')).toEqual({ start: 1857, end: 1860 });
    expect(d('1887-95, printed 1897')).toEqual({ start: 1887, end: 1895 });
    expect(d('1887–8, printed 1890')).toEqual({ start: 1887, end: 1888 });
    expect(d('1887–90, printed 1920s')).toEqual({ start: 1887, end: 1890 });
    expect(d('1887–90')).toEqual({ start: 1887, end: 1890 });
    // Not a short number that opens a date of its own: a fraction, a month.
    expect(d('3/4 view, 1887')).toEqual({ start: 1887, end: 1887 });
    expect(d('12/1887')).toEqual({ start: 1887, end: 1887 });
  });

  it('reads centuries written with a slash, with or without early/late, as both', () => {
    expect(d('late 18th/early 19th century')).toEqual(d('late 18th–early 19th century'));
    expect(d('17/18th century')).toEqual({ start: 1600, end: 1799 });
    expect(d('12th/13th century')).toEqual({ start: 1100, end: 1299 });
  });

  it('reads "12–13th century" as two centuries', () => {
    expect(d('12–13th century')).toEqual({ start: 1100, end: 1299 });
    expect(d('17-18th century')).toEqual({ start: 1600, end: 1799 });
    expect(d('ca. 9-10th century')).toEqual({ start: 800, end: 999 });
  });

  it('does not read an unknown start ("?-1887") or a spaced hyphen as a year before the common era', () => {
    for (const text of ['?-1887', '? - 1887', '[?]-1887', '- 1887']) {
      const read = d(text);
      expect(read === null || read.start >= 0, text).toBe(true);
    }
    expect(d('-500')).toEqual({ start: -500, end: -500 });
  });

  it('does not take a label and its count before ";" for the year', () => {
    expect(d('Dynasty: 18; 1390–1352 B.C.')).toEqual({ start: -1390, end: -1352 });
    expect(d('Meiji 20; 1887')).toEqual({ start: 1887, end: 1887 });
    expect(d('Plate: 12; 1887')).toEqual({ start: 1887, end: 1887 });
    expect(d('Set of 6; 1887')).toEqual({ start: 1887, end: 1887 });
    expect(d('ca. 30 BC')).toEqual({ start: -30, end: -30 });
    expect(d('AD 79')).toEqual({ start: 79, end: 79 });
  });
});
