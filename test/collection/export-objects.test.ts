import { describe, expect, it } from 'vitest';
import { parseExport } from '../../pipeline/collection/export.ts';
import { guessColumns } from '../../pipeline/init/mapping.ts';

/* JSON Lines fields that hold objects (an API's "artists": [{"name": …}]) are read by their names, never as raw JSON. */

describe('JSON Lines fields holding objects', () => {
  it('reads a list of objects by their "name" fields, and the maker guess takes it', () => {
    const table = parseExport({
      file: 'objects.jsonl',
      text:
        '{"id":"A","image":"a.jpg","artists":[{"name":"Hokusai","role":"artist"},{"name":"Hiroshige"}]}\n' +
        '{"id":"B","image":"b.jpg","artists":{"name":"Utamaro"}}\n',
    });
    expect(table.rows.map((r) => r.cells.artists)).toEqual(['Hokusai; Hiroshige', 'Utamaro']);
    expect(guessColumns(table).columns.maker).toBe('artists');
  });

  it('does not guess a column whose values are objects without a name', () => {
    const table = parseExport({
      file: 'objects.jsonl',
      text:
        '{"id":"A","image":"a.jpg","creator":{"born":1760,"died":1849}}\n' +
        '{"id":"B","image":"b.jpg","creator":[{"born":1797}]}\n',
    });
    expect(guessColumns(table).columns.maker).toBe('');
  });
});
