import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeMapping } from '../../pipeline/init/mapping.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { FixtureObject } from './fixture.ts';
import { type SearchSite, searchSite, typedSearch } from './search-site.ts';

/*
 * Outside tester D (a university art gallery): staff and visitors search by donor and class gift. "Ellsworth" found
 * nothing, and the status line said "no object has the word “ellsworth”" and to check the spelling, while 20-odd
 * object pages show "Credit line: Gift of Margaret and Henry Ellsworth, 1962" (and init had said the credit line
 * column is shown "in search"). The credit line is searched now, below every other field, as the department is.
 */

let built: SearchSite;
const labels = ['Painting', 'Sculpture'];
const objects: FixtureObject[] = [
  {
    id: '1962.1.1',
    title: 'Harbour at dusk',
    creditLine: 'Gift of Margaret and Henry Ellsworth, 1962',
    label: 'Painting',
    image: null,
  },
  {
    id: '1962.1.2',
    title: 'Seated woman',
    creditLine: 'Gift of Margaret and Henry Ellsworth, 1962',
    label: 'Sculpture',
    image: null,
  },
  { id: '1951.3.1', title: 'Still life', creditLine: 'Gift of the Class of 1951', label: 'Painting', image: null },
  // The donor's portrait: its own title has the name.
  { id: '1970.2.1', title: 'Portrait of Henry Ellsworth', label: 'Painting', image: null },
  { id: '1970.2.2', title: 'River landscape', label: 'Painting', image: null },
];

beforeAll(async () => {
  built = await searchSite({ prefix: 'vitrine-credit-line-', objects, labels });
}, 300_000);

afterAll(async () => {
  await built?.close();
});

const typed = (q: string) => typedSearch({ built, q });

describe('the credit line typed into the search box', () => {
  it('finds the objects a donor gave, after the object whose own title names the donor', async () => {
    const r = await typed('Ellsworth');
    expect(r.status).not.toContain('no object has');
    expect(r.titles).toHaveLength(3);
    expect(r.titles[0]).toBe('Portrait of Henry Ellsworth');
    expect([...r.titles].sort()).toEqual(['Harbour at dusk', 'Portrait of Henry Ellsworth', 'Seated woman']);
  });

  it('finds a class gift by its words', async () => {
    const r = await typed('"Class of 1951"');
    expect(r.titles).toEqual(['Still life']);
  });
});

describe('what init says search finds', () => {
  it('names the rights column as the one published but not searched', () => {
    const columns = { ...defaultParams().import.columns, credit_line: 'Credit Line', rights: 'Rights Statement' };
    const said = describeMapping(columns);
    expect(said).toMatch(/search finds their words, all but "Rights Statement"/);
    expect(said).not.toContain('in search and');
  });
});
