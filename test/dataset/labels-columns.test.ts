import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLabels, readLabels } from '../../pipeline/collection/index.ts';
import { readLabelsChecked } from '../../pipeline/dataset/validate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { cpuMilliseconds } from '../fixtures/cpu-time.ts';
import { removeTempDirs, tempDir } from './fixtures.ts';

/*
 * Security tester: a labels.csv of 100,000 columns by 40 rows (4.7 MB) took 10 s and 600 MB to parse, a cell
 * object per column per row. A line with more columns than any labels.csv needs is refused before parsing.
 */

afterAll(removeTempDirs);

async function read(text: string) {
  const file = path.join(await tempDir('vitrine-labels-columns-'), 'labels.csv');
  await writeFile(file, text);
  return readLabelsChecked({ file, name: 'labels.csv' });
}

async function refusal(text: string): Promise<{ message: string; line: unknown }> {
  try {
    await read(text);
  } catch (error) {
    if (isVitrineError(error, 'LABELS_TOO_MANY_COLUMNS')) return { message: error.message, line: error.data.line };
    throw error;
  }
  throw new Error('expected labels.csv to be refused');
}

const wide = (n: number, first: string) => [first, ...Array.from({ length: n - 1 }, (_, i) => `c${i}`)].join(',');

describe('labels.csv with very many columns', () => {
  it('a header of 100,000 columns is refused at once, naming labels.csv and the line', async () => {
    const rows = Array.from({ length: 40 }, (_, r) => wide(100_000, `o${r}`));
    let refused: Awaited<ReturnType<typeof refusal>> | undefined;
    const cpu = await cpuMilliseconds(async () => {
      refused = await refusal(`${wide(100_000, 'object_id')}\n${rows.join('\n')}\n`);
    });
    expect(cpu).toBeLessThan(3_000);
    const { message, line } = refused!;
    expect(line).toBe(1);
    expect(message).toMatch(/^labels\.csv:1: this line has more than 100 columns/);
    expect(message).toContain('object_id and label');
  });

  it('a wide line further down is refused on its own line (a quoted line break counts as a line)', async () => {
    const { message, line } = await refusal(
      `object_id,label,note\no1,coin,"two\nlines"\no2,mask,${Array.from({ length: 150 }, () => 'x').join(',')}\n`,
    );
    expect(line).toBe(4);
    expect(message).toMatch(/^labels\.csv:4: /);
  });

  it('commas inside a quoted note and a labels.csv of 100 columns are read as before', async () => {
    const note = `"${Array.from({ length: 500 }, (_, i) => `word ${i}`).join(', ')}"`;
    expect((await read(`object_id,label,note\no1,coin,${note}\n`)).labels).toHaveLength(1);
    const header = wide(100, 'object_id,label').split(',').slice(0, 100).join(',');
    const row = ['o1', 'coin', ...Array.from({ length: 98 }, () => '')].join(',');
    expect((await read(`${header}\n${row}\n`)).labels).toEqual([{ objectId: 'o1', label: 'coin', line: 2 }]);
  });
});

describe('every reader of labels.csv refuses a line of too many columns', () => {
  // The report, import, the monitor and the catalogue read labels.csv through parseLabels, not the dataset stage:
  // they parsed the 100,000 columns. Failed before the check moved into parseLabels.
  const text = `object_id,label\no1,coin\no2,mask,${Array.from({ length: 150 }, () => 'x').join(',')}\n`;

  it('parseLabels, with the same code, line and message', () => {
    let caught: unknown;
    try {
      parseLabels({ text, file: 'labels.csv' });
    } catch (error) {
      caught = error;
    }
    expect(isVitrineError(caught, 'LABELS_TOO_MANY_COLUMNS')).toBe(true);
    const error = caught as Error & { data: { line: number } };
    expect(error.data.line).toBe(3);
    expect(error.message).toMatch(/^labels\.csv:3: this line has more than 100 columns/);
  });

  it('readLabels', async () => {
    const file = path.join(await tempDir('vitrine-labels-columns-'), 'labels.csv');
    await writeFile(file, text);
    const error = await readLabels({ file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'LABELS_TOO_MANY_COLUMNS')).toBe(true);
  });
});
