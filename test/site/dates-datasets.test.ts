import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type PeriodVocabulary, parseDate, periodList, type YearRange } from '../../pipeline/catalogue/dates.ts';

/*
 * Every date written in the two shared datasets (387 distinct), read as they were read when this test was written:
 * without a vocabulary of periods, and with the Egyptian example's. A change to the date reader that reads one of
 * them differently fails here; if the new reading is the right one, change its line in dates-datasets.json.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const datasets = path.resolve(root, '..', 'shared', 'datasets');

type Years = [start: number, end: number] | null;
type Reading = [text: string, plain: Years, egyptian: Years];

const years = (range: YearRange | null): Years => (range ? [range.start, range.end] : null);

describe('the dates of the shared datasets', () => {
  it('reads every date of both datasets as dates-datasets.json says (387 distinct)', async () => {
    const expected = JSON.parse(
      await readFile(path.join(import.meta.dirname, 'dates-datasets.json'), 'utf8'),
    ) as Reading[];
    const example = parseYaml(await readFile(path.join(root, 'docs', 'examples', 'periods-egypt.yaml'), 'utf8')) as {
      periods: PeriodVocabulary;
    };
    const egyptian = periodList(example.periods);
    const texts = new Set<string>();
    for (const name of ['egyptian-antiquities', 'five-museums']) {
      const csv = await readFile(path.join(datasets, name, 'metadata.csv'), 'utf8');
      for (const row of parse(csv, { columns: true }) as Record<string, string>[]) texts.add(row.date ?? '');
    }
    expect([...texts].sort()).toEqual(expected.map(([text]) => text));
    const read = expected.map(
      ([text]): Reading => [text, years(parseDate({ text })), years(parseDate({ text, periods: egyptian }))],
    );
    expect(read).toEqual(expected);
  });
});
