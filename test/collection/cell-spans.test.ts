import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../pipeline/collection/index.ts';

/*
 * The collection's CSV reader tells where each cell's raw text stands (quotes included), so that a tool
 * changing one cell (vitrine demo --fix-labels) leaves every other byte as it was without a tokenizer of its
 * own. Offsets are into the text (not its UTF-8 bytes), past a byte-order mark, blank lines and line ends.
 */

/** Each row's cells as their raw text, by column. */
function rawCells(text: string): Record<string, string>[] {
  const { rows } = parseCsv({ text, file: 'labels.csv', spans: true });
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row.spans ?? {}).map(([name, s]) => [name, text.slice(s.start, s.end)])),
  );
}

describe('cell spans', () => {
  it('give each cell raw, quotes and spaces included, through a BOM, CRLF, blank lines and a quoted line break', () => {
    const text = '\uFEFFobject_id,label,note\r\nA,"coin","two\r\nlines"\r\n\r\n\r\nB, mask ,"said ""no"""\r\nC,,';
    expect(rawCells(text)).toEqual([
      { object_id: 'A', label: '"coin"', note: '"two\r\nlines"' },
      { object_id: 'B', label: ' mask ', note: '"said ""no"""' },
      { object_id: 'C', label: '', note: '' },
    ]);
  });

  it('count characters, not bytes, after accents, emoji and other scripts', () => {
    const text = 'object_id,label,note\nÉ-1,vase,naïve 🏺\n陶-2,"bol, grand",x\n';
    expect(rawCells(text)).toEqual([
      { object_id: 'É-1', label: 'vase', note: 'naïve 🏺' },
      { object_id: '陶-2', label: '"bol, grand"', note: 'x' },
    ]);
  });

  it('follow the columns the rows are read by, and are left out unless asked for', () => {
    const text = ' object_id ,label\nA,coin\n';
    expect(rawCells(text)).toEqual([{ object_id: 'A', label: 'coin' }]);
    expect(parseCsv({ text, file: 'labels.csv' }).rows[0]).not.toHaveProperty('spans');
  });
});
