import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readLabelsChecked } from '../../pipeline/dataset/validate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { caseFolders, exportFolder, importExport, initFrom } from './repeated-fixture.ts';

/* A column named twice in an export (CSV or JSON Lines) or in labels.csv is refused, naming the column and line. */

const { folder } = caseFolders('vitrine-repeated-');
const images = ['a.jpg', 'b.jpg'];

const CSV = 'id,Title,Title,,image,label\nA,Vase,Jar,,a.jpg,vase\nB,Bowl,Dish,,b.jpg,bowl\n';
const JSONL =
  '{"id":"A","Title":"Vase","image":"a.jpg","label":"vase"}\n{"id":"B","Title":"Bowl","Title":"Dish","image":"b.jpg","label":"bowl"}\n';

describe('a column named twice', () => {
  it('import refuses a CSV export with a repeated column it reads, naming it and line 1', async () => {
    const at = folder('csv');
    // Only a column Vitrine reads is refused (repeated-unread-columns.test.ts): here the title.
    const run = await importExport({
      at,
      export: await exportFolder({ at, text: CSV, images }),
      edit: (p) => void (p.import.columns.title = 'Title'),
    });
    const error = 'error' in run ? run.error : undefined;
    expect(isVitrineError(error, 'CSV_COLUMNS')).toBe(true);
    expect((error as Error).message).toContain(
      'objects.csv:1: the header names the column "Title" twice, columns 2 and 3',
    );
  });

  it('import refuses a JSON Lines object with a key twice, naming the line', async () => {
    const at = folder('jsonl');
    const run = await importExport({
      at,
      export: await exportFolder({ at, file: 'objects.jsonl', text: JSONL, images }),
    });
    const error = 'error' in run ? run.error : undefined;
    expect(isVitrineError(error, 'EXPORT_MALFORMED')).toBe(true);
    expect((error as Error).message).toContain('objects.jsonl:2: the key "Title" is in this object twice');
  });

  it('init refuses both exports and writes nothing', async () => {
    for (const [name, text] of [
      ['objects.csv', CSV],
      ['objects.jsonl', JSONL],
    ] as const) {
      const at = folder(`init-${name}`);
      const { file } = await exportFolder({ at, file: name, text, images });
      const { code, messages, files } = await initFrom({ at, file });
      expect(code).not.toBe(0);
      expect(messages.join('\n')).toMatch(/"Title" (twice|is in this object twice)/);
      expect(files).toEqual([]);
    }
  });

  it('labels.csv with the label column twice is refused on line 1', async () => {
    const file = folder('labels.csv');
    await writeFile(file, 'object_id,label,note,label\nA,vase,,bowl\n');
    const error = await readLabelsChecked({ file, name: 'labels.csv' }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'CSV_COLUMNS')).toBe(true);
    expect((error as Error).message).toContain('labels.csv:1: the header names the column "label" twice');
  });
});
