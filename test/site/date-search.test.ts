import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberDateIndex, numberDateKey, numberDateKeys, numberPiece } from '../../pipeline/catalogue/slug-rules.ts';
import { datesAsYears, datesWritten } from '../../site/src/lib/number.ts';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * A visitor typing "c.1900" means the year 1900: searched word by word, it listed every object with a word starting
 * with "c" ("Clock", "Chair"), and "1887-89" was searched as "89". Such a date is searched by its year, and the page
 * says what it searched. One tiny site, read in Chromium.
 */

describe('a date typed as a catalogue writes one', () => {
  let built: SearchSite;
  const labels = ['furniture', 'vessel'];
  const objects: FixtureObject[] = [
    { id: 'Y-1', title: 'Tea bowl', date: 'c. 1900', label: 'vessel', image: null },
    { id: 'Y-2', title: 'Writing desk', date: '1900', label: 'furniture', image: null },
    { id: 'Y-3', title: 'Clock', date: '1850', label: 'furniture', image: null },
    { id: 'Y-4', title: 'Chair', date: '1750', label: 'furniture', image: null },
    { id: 'Y-5', title: 'Jug', date: '1887-89', label: 'vessel', image: null },
    { id: 'Y-6', title: 'Stool no. 89', date: '1920', label: 'furniture', image: null },
    { id: 'Y-7', title: 'Vase', date: 'ca. 1900', label: 'vessel', image: null },
  ];

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-date-search-', objects, labels });
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  const titles = async (q: string) => {
    const answer = await typedSearch({ built, q });
    return { status: answer.status, titles: [...answer.titles].sort() };
  };

  it('is searched by its year: the words of circa left out, a range by its first year', () => {
    for (const q of ['c.1900', 'C.1900', 'ca.1900', 'ca. 1900', 'c. 1900', 'circa 1900', 'Circa. 1900', 'c1900'])
      expect(datesAsYears(q), q).toBe('1900');
    expect(datesAsYears('vase c.1900')).toBe('vase 1900');
    expect(datesAsYears('1887-89')).toBe('1887');
    expect(datesAsYears('1887–1889 jug')).toBe('1887 jug');
    expect(datesAsYears('1914/18')).toBe('1914');
    // Not dates: numbers of a collection, a "c" before no year, words.
    for (const q of ['c.12', 'C.12-1975', '1975-12', '2015.23', 'c vase', 'circa', 'circa 12', 'cup 1900', '1900'])
      expect(datesAsYears(q), q).toBe(q);
  });

  it('leaves a date that is an object number of the catalogue as typed, and says which words are dates', () => {
    expect(datesWritten('CA 1900 b c.1850 1887-89 cup 1900')).toEqual(['CA 1900', 'c.1850', '1887-89']);
    expect(datesWritten('cup 1900')).toEqual([]);
    expect(datesAsYears('1887-89', { numbers: ['1887-89'] })).toBe('1887-89');
    expect(datesAsYears('CA 1900 b', { numbers: ['CA 1900'] })).toBe('CA 1900 b');
    expect(datesAsYears('C.1900 c.1850', { numbers: ['C.1900'] })).toBe('C.1900 1850');
    // Another date than the number: searched by its year.
    expect(datesAsYears('ca 1900', { numbers: ['CA 1900'] })).toBe('1900');
  });

  it('finds the objects of the year for "c.1900", "ca. 1900" and "circa 1900", not every word starting with "c"', async () => {
    for (const q of ['c.1900', 'ca. 1900', 'circa 1900']) {
      const answer = await titles(q);
      expect(answer.titles, q).toEqual(['Tea bowl', 'Vase', 'Writing desk']);
      expect(answer.status, q).toBe(`3 objects for “${q}”. Showing results for “1900”.`);
    }
    // No object written "c. 1850": Pagefind, finding no word starting with "c1850", answered for "c".
    expect(await titles('c.1850')).toEqual({
      status: '1 object for “c.1850”. Showing results for “1850”.',
      titles: ['Clock'],
    });
  }, 120_000);

  it('finds the objects dated from 1887 for "1887-89", not those with the word "89"', async () => {
    const answer = await titles('1887-89');
    expect(answer.titles).toEqual(['Jug']);
    expect(answer.status).toBe('1 object for “1887-89”. Showing results for “1887”.');
  }, 120_000);

  it('searches a date by its year in a search with OR or a word left out, and says so', async () => {
    expect(await titles('c.1900 OR chair')).toEqual({
      status: '4 objects for “c.1900” or “chair”. Showing results for “1900” or “chair”.',
      titles: ['Chair', 'Tea bowl', 'Vase', 'Writing desk'],
    });
    expect(await titles('chair OR desk OR vase -c.1900')).toEqual({
      status:
        '1 object for “chair” or “desk” or “vase” without “c.1900”. Showing results for “chair” or “desk” or “vase” ' +
        'without “1900”.',
      titles: ['Chair'],
    });
  }, 120_000);

  it('says nothing more for a search of plain words or a year', async () => {
    expect(await titles('chair')).toEqual({ status: '1 object for “chair”', titles: ['Chair'] });
    expect((await titles('1900')).status).toBe('3 objects for “1900”');
  }, 120_000);
});

/*
 * Museums number objects by year and serial ("1887-89 a", "1914/18", "C.1900", the Science Museum Group's "CA 1900
 * b"): typed, such a number was searched as a year, and "1887-89" listed objects of 1887 besides its two parts (a
 * reviewer). A date that is, or begins, an object number of the catalogue is searched as typed.
 */
describe('an object number written as a date', () => {
  let built: SearchSite;
  const objects: FixtureObject[] = [
    { id: '1887-89 a', title: 'Jug body', date: '1700', label: 'vessel', image: null },
    { id: '1887-89 b', title: 'Jug lid', date: '1700', label: 'vessel', image: null },
    { id: '1887-12', title: 'Teapot', date: '1887', label: 'vessel', image: null },
    { id: '1887-5', title: 'Plate', date: '1850', label: 'vessel', image: null },
    { id: '1914/18', title: 'Medal', date: '1750', label: 'furniture', image: null },
    { id: '1914/2', title: 'Helmet', date: '1914', label: 'furniture', image: null },
    { id: 'C.1900', title: 'Cup', date: '1800', label: 'vessel', image: null },
    { id: 'C.19', title: 'Bowl', date: '1900', label: 'vessel', image: null },
    { id: 'CA 1900 b', title: 'Saucer', date: '1600', label: 'vessel', image: null },
    { id: 'D-7', title: 'Tray', date: 'c. 1850', label: 'vessel', image: null },
    // Numbers as dates among many titles with the same date, which Pagefind ranks above them (a reviewer).
    { id: 'C.1750', title: 'Beaker', date: '1600', label: 'vessel', image: null },
    { id: '1901-03 a', title: 'Lamp base', date: '1600', label: 'furniture', image: null },
    { id: '1901-03 b', title: 'Lamp shade', date: '1600', label: 'furniture', image: null },
    { id: 'Q-1', title: 'Teapot', date: '1901', label: 'vessel', image: null },
  ];
  for (let i = 1; i <= 30; i++) {
    objects.push({ id: `S-${i}`, title: 'Chair, c.1750', date: 'c.1750', label: 'furniture', image: null });
    objects.push({ id: `R-${i}`, title: 'Dish 1901-03', date: '1901-03', label: 'vessel', image: null });
  }

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-date-number-', objects, labels: ['furniture', 'vessel'] });
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  const answer = async (q: string) => {
    const a = await typedSearch({ built, q });
    return { status: a.status, offered: a.offered, titles: [...a.titles].sort() };
  };

  it('finds the object numbered so, or the parts of its number, not the objects of the year', async () => {
    expect(await answer('1887-89')).toEqual({
      status: '2 objects for “1887-89”',
      offered: null,
      titles: ['Jug body', 'Jug lid'],
    });
    for (const q of ['1914/18', 'C.1900', 'c1900', 'CA 1900', 'ca 1900 b']) {
      const a = await answer(q);
      expect(a.status, q).toBe(`1 object for “${q}”`);
      expect(a.titles, q).toHaveLength(1);
    }
    expect((await answer('1914/18')).offered).toBe('Go to object 1914/18');
    expect((await answer('c1900')).titles).toEqual(['Cup']);
    expect((await answer('CA 1900')).titles).toEqual(['Saucer']);
  }, 120_000);

  it('searches a date that begins no object number by its year', async () => {
    expect(await answer('c.1850')).toEqual({
      status: '2 objects for “c.1850”. Showing results for “1850”.',
      offered: null,
      titles: ['Plate', 'Tray'],
    });
  }, 120_000);

  it('finds a number among 30 objects titled with its date, which Pagefind ranks first, not the objects of the year', async () => {
    const beaker = await typedSearch({ built, q: 'C.1750' });
    expect(beaker.status).toBe('31 objects for “C.1750”');
    expect(beaker.offered).toBe('Go to object C.1750');
    expect(beaker.titles[0]).toBe('Beaker');
    // The two parts and the thirty dishes, not the Teapot of 1901 (searched by its year, it was listed again).
    const lamp = await answer('1901-03');
    expect(lamp.status).toBe('32 objects for “1901-03”');
    expect(lamp.titles).not.toContain('Teapot');
  }, 120_000);

  it('says Searching before it looks the date up among the object numbers, not once it has', async () => {
    const { page } = built;
    await page.goto(`${built.site.url}browse/`);
    await page
      .locator('#status')
      .filter({ hasText: /objects? in the collection/ })
      .waitFor();
    // The search files Pagefind fetched between Enter and "Searching…": none, or the last answer stays up meanwhile.
    // A string, not a function: the test files are typed without the browser's names.
    const fetched = page.evaluate(`new Promise((resolve) => {
      const status = document.querySelector('#status');
      const before = performance.getEntriesByType('resource').length;
      new MutationObserver(() => {
        if (status.textContent !== 'Searching…') return;
        const after = performance.getEntriesByType('resource').slice(before);
        resolve(after.map((e) => e.name).filter((n) => n.includes('/pagefind/')));
      }).observe(status, { childList: true, characterData: true, subtree: true });
    })`);
    await page.fill('#q', '1901-03');
    await page.press('#q', 'Enter');
    expect(await fetched).toEqual([]);
    await page
      .locator('#status')
      .filter({ hasText: /objects? for / })
      .waitFor();
  }, 120_000);

  it('searches an object number as typed with OR too', async () => {
    expect((await answer('1887-89 OR medal')).titles).toEqual(['Jug body', 'Jug lid', 'Medal']);
    expect((await answer('C.1900 OR tray')).titles).toEqual(['Cup', 'Tray']);
  }, 120_000);
});

/*
 * A reviewer typed "c.1900" where 5,000 objects are titled "Chair, c.1900" and one is numbered "C.1900.1": the page
 * read up to 120 objects found (116 fragments, 2.5 s) to learn whether an object number begins with the date, did not
 * reach the Beaker, and searched the year 1900. 150 chairs are enough to put it past those 120. The build lists the
 * dates that are or begin an object number (data/number-dates/): one small file answers, whatever the chairs.
 */
describe('a date that begins an object number, among many objects titled with it', () => {
  let built: SearchSite;
  const objects: FixtureObject[] = [];
  for (let i = 1; i <= 150; i++)
    objects.push({ id: `F-${i}`, title: `Chair, c.1900 no ${i}`, date: 'c.1900', label: 'furniture', image: null });
  objects.push({ id: 'C.1900.1', title: 'Beaker', date: '1750', label: 'vessel', image: null });

  beforeAll(async () => {
    built = await searchSite({ prefix: 'vitrine-date-cost-', objects, labels: ['furniture', 'vessel'] });
  }, 300_000);

  afterAll(async () => {
    await built?.close();
  });

  it('searches it as typed, finding the Beaker, with a few search files read, not a fragment per object found', async () => {
    const { page } = built;
    for (const q of ['c.1900', 'C.1900']) {
      await page.goto(`${built.site.url}browse/`);
      await page
        .locator('#status')
        .filter({ hasText: /objects? in the collection/ })
        .waitFor();
      // A string, not a function: the test files are typed without the browser's names.
      await page.evaluate('performance.setResourceTimingBufferSize(10000); performance.clearResourceTimings()');
      const a = await typedSearch({ built, q });
      const names: string[] = await page.evaluate(
        `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/pagefind/'))`,
      );
      // The 150 chairs and the Beaker, not the objects of the year 1900 (the chairs alone).
      expect(a.status, q).toBe(`151 objects for “${q}”`);
      // The first cards' fragments (6), and none read to tell whether the date begins an object number (120 were).
      expect(names.filter((n) => n.includes('fragment')).length, q).toBeLessThanOrEqual(8);
    }
  }, 180_000);
});

describe('the dates that are or begin an object number, listed by the build', () => {
  it('lists each run of parts of a number that a visitor could type as a date, as the search page keys a date typed', () => {
    expect(numberDateKeys('C.1900.1')).toEqual(['c1900']);
    expect(numberDateKeys('1887-89 a')).toEqual(['1887-89']);
    expect(numberDateKeys('CA 1900 b')).toContain('ca1900');
    expect(numberDateKeys('C.01900')).toContain('c1900');
    expect(numberDateKeys('Herb. 1887/89')).toContain('1887-89');
    // Digits apart in the number but typed together: still its beginning, as before ("c.1900" of "C.19.00").
    expect(numberDateKeys('C.19.00')).toContain('c1900');
    // Not a range: its years are not apart in the number ("188789"), or the second is no later year ("1887-12").
    expect(numberDateKeys('188789')).toEqual([]);
    expect(numberDateKeys('1887-12')).toEqual([]);
    expect(numberDateKeys('DM-0267')).toEqual([]);
    for (const [typed, id] of [
      ['c.1900', 'C.1900.1'],
      ['C.1900', 'C.1900'],
      ['c. 1900', 'C.1900'],
      ['c1900', 'C 1900'],
      ['CA 1900', 'CA 1900 b'],
      ['1887-89', '1887-89 a'],
      ['1887–89', '1887-89 b'],
      ['1914/18', '1914/18'],
      ['c.1750', 'X.C.1750'],
    ])
      expect(numberDateKeys(id!), `${typed} ${id}`).toContain(numberDateKey(typed!));
    for (const [typed, id] of [
      ['ca 1900', 'C.1900.1'],
      ['1887-1889', '1887-89 a'],
      ['c.1900', 'C.19001'],
      ['1887-89', '188789'],
    ])
      expect(numberDateKeys(id!), `${typed} ${id}`).not.toContain(numberDateKey(typed!));
  });

  it('writes each key in the piece its hash names, every piece written', () => {
    const index = numberDateIndex([{ id: 'C.1900.1' }, { id: 'C.1900.2' }, { id: 'DM-0267' }]);
    expect(index.size).toBe(256);
    expect(index.get(numberPiece('c1900'))).toContain('c1900');
    expect([...index.values()].flat().filter((k) => k === 'c1900')).toHaveLength(1);
  });
});
