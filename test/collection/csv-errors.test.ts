import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from '../../pipeline/collection/export.ts';
import { decodeExport, parseLabels, parseObjects, readLabels } from '../../pipeline/collection/index.ts';
import { checkLabels, readLabelsChecked } from '../../pipeline/dataset/validate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';

/*
 * A tester's labels.csv mistakes: a quote never closed was reported at the file's last line, a comma in an
 * unquoted note and a short row in the parser's words, and a UTF-16 file (Excel's "Unicode Text") as "empty
 * or missing". Each case failed before its fix.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-csv-errors-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A labels.csv of `lines` rows with `bad` put in as line `at` (1 is the header). */
function labelsText(bad: string, at: number, lines = 60): string {
  const rows = Array.from({ length: lines - 1 }, (_, i) => `artic_${10000 + i},Chicago`);
  rows.splice(at - 2, 0, bad);
  return `object_id,label\n${rows.join('\n')}\n`;
}

function messageOf(run: () => unknown): { message: string; line?: unknown } {
  try {
    run();
  } catch (error) {
    if (!isVitrineError(error)) throw error;
    return { message: error.message, line: error.data.line };
  }
  throw new Error('no error');
}

describe('a labels.csv that cannot be read names the line and says what to do, in plain words', () => {
  it('a quote opened and never closed: the line it opened on', () => {
    const { message, line } = messageOf(() =>
      parseLabels({ text: labelsText('artic_28560,"Chicago', 7), file: 'labels.csv' }),
    );
    expect(message).toMatch(/^labels\.csv:7: /);
    expect(message).toContain('a quote opened on line 7 is never closed');
    expect(message).not.toMatch(/Quote Not Closed|parsing is finished/);
    expect(line).toBe(7);
  });

  it('a quote opened on a line after a quoted cell over two lines (a note with a line break)', () => {
    const text = 'object_id,label,note\nA1,coin,"two\nlines"\nA2,coin,ok\nA3,"coin,\nA4,coin,\n';
    const { message } = messageOf(() => parseLabels({ text, file: 'labels.csv' }));
    expect(message).toMatch(/^labels\.csv:5: a quote opened on line 5 is never closed/);
  });

  it('a comma in an unquoted note: the line, its cells, the header and the fix', () => {
    const { message, line } = messageOf(() =>
      parseLabels({ text: labelsText('artic_28560,Chicago,faded, check frame', 7), file: 'labels.csv' }),
    );
    expect(message).toMatch(/^labels\.csv:7: line 7 has 4 cells, the header has 2/);
    expect(message).toContain('a cell with a comma in it (a title, a label, a note) must be in double quotes');
    expect(message).not.toMatch(/Invalid Record Length|expect 2/);
    expect(line).toBe(7);
  });

  it('a row with fewer cells than the header: short of its label (a row short only of a note is read)', () => {
    const text = 'object_id,label,note\nA1,coin,ok\nA2\nA3,coin\n';
    const { message } = messageOf(() => parseLabels({ text, file: 'labels.csv' }));
    expect(message).toMatch(/^labels\.csv:3: line 3 has 1 cell, the header has 3 \(object_id, label, note\)/);
    expect(message).not.toMatch(/expect 3, got 1/);
  });

  it('objects.csv gets the same treatment', () => {
    const text = 'id,title,image\nA1,"Bowl,A1.jpg\nA2,Jar,A2.jpg\n';
    expect(messageOf(() => parseObjects({ text, file: 'data/objects.csv' })).message).toMatch(
      /^data\/objects\.csv:2: a quote opened on line 2 is never closed/,
    );
  });

  it('a comma in an unquoted title of objects.csv is named as a title, not "a label or note" (an outside tester)', () => {
    const text = 'id,title,image\nA1,Plate, blue and white,A1.jpg\n';
    const { message } = messageOf(() => parseObjects({ text, file: 'data/objects.csv' }));
    expect(message).toMatch(/^data\/objects\.csv:2: line 2 has 4 cells, the header has 3/);
    expect(message).toContain('(a title, a label, a note) must be in double quotes');
  });
});

describe('a labels.csv saved as UTF-16', () => {
  const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

  for (const [name, text] of [
    ['Excel "Unicode Text" (tabs)', 'object_id\tlabel\nA1\tcoin\nA2\tvessel\n'],
    ['iconv -t utf-16 (commas)', 'object_id,label\nA1,coin\nA2,vessel\n'],
  ] as const) {
    it(`${name}: says so and how to save it, read by the dataset stage and by readLabels`, async () => {
      const file = path.join(root, `${name.replace(/\W+/g, '-')}.csv`);
      await writeFile(file, utf16(text));
      for (const read of [() => readLabels({ file }), () => readLabelsChecked({ file, name: 'labels.csv' })]) {
        const error = await read().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isVitrineError(error, 'CSV_UTF16'), String(error)).toBe(true);
        expect((error as Error).message).toMatch(/is saved as UTF-16.*save it as "CSV UTF-8/);
      }
    });
  }

  it('an export (vitrine init and import) and data/objects.csv the same way', () => {
    const text = utf16('id\timage\tlabel\nA1\tA1.jpg\tcoin\n').toString('utf8');
    expect(messageOf(() => parseExport({ text, file: 'export/objects.csv' })).message).toMatch(
      /^export\/objects\.csv is saved as UTF-16/,
    );
    expect(messageOf(() => parseObjects({ text, file: 'data/objects.csv' })).message).toMatch(
      /^data\/objects\.csv is saved as UTF-16/,
    );
  });

  it('without a byte-order mark (NUL bytes)', () => {
    const text = Buffer.from('object_id,label\nA1,coin\n', 'utf16le').toString('utf8');
    expect(messageOf(() => parseLabels({ text, file: 'labels.csv' })).message).toMatch(
      /^labels\.csv is saved as UTF-16/,
    );
  });
});

/*
 * A reviewer's findings: a row with a note over several lines was reported (and every later row numbered) at
 * its last line; a quote inside a cell (12" plate) got the parser's words, because the error code compared
 * was wrong; any NUL byte was called UTF-16; "1 cells"; a header cell holding a comma listed as two names.
 * Each case failed before its fix.
 */
describe('line numbers are the line each row starts on', () => {
  it('a row with a note over three lines and a cell too many: the line the row starts on', () => {
    const text = 'object_id,label,note\nA1,coin,"two\nlines\nthree",extra\n';
    const { message, line } = messageOf(() => parseLabels({ text, file: 'labels.csv' }));
    expect(message).toMatch(/^labels\.csv:2: line 2 has 4 cells, the header has 3/);
    expect(line).toBe(2);
  });

  it('rows after a note over several lines, blank lines and CRLF line ends keep their own lines', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = [
        'object_id,label,note',
        'A1,coin,"two',
        'lines',
        'three"',
        'A2,coin,x',
        '',
        'A3,coin,"a',
        'b"',
        'A4,jar,',
      ]
        .join(eol)
        .concat(eol);
      const lines = parseLabels({ text, file: 'labels.csv' }).map((l) => [l.objectId, l.line]);
      expect(lines, JSON.stringify(eol)).toEqual([
        ['A1', 2],
        ['A2', 5],
        ['A3', 7],
        ['A4', 9],
      ]);
    }
  });

  it('a short row after a note over two lines, with accents and a byte-order mark before it', () => {
    const text = '\uFEFFobject_id,label,note\nA1,pièce,"deux\nlignes"\n"A2\nrare"\n';
    expect(messageOf(() => parseLabels({ text, file: 'labels.csv' })).message).toMatch(
      /^labels\.csv:4: line 4 has 1 cell, the header has 3/,
    );
  });

  it('the dataset stage puts an unknown label on the line its row starts on', async () => {
    const file = path.join(root, 'multiline-labels.csv');
    await writeFile(file, 'object_id,label,note\nA1,coin,"faded,\ncheck frame"\nA2,vase,"chipped\nrim"\n');
    const { labels } = await readLabelsChecked({ file, name: 'labels.csv' });
    const { issues } = checkLabels({
      labels,
      objectIds: new Set(['A1', 'A2']),
      vocabulary: ['coin'],
      name: 'labels.csv',
    });
    expect(issues.map((i) => [i.line, i.message.split(':').slice(0, 2).join(':')])).toEqual([[4, 'labels.csv:4']]);
  });
});

describe('a quote inside a cell (12" plate)', () => {
  it('names the line and the column by its header name, and says how to write it', () => {
    const { message, line } = messageOf(() =>
      parseLabels({ text: 'object_id,label\nA1,coin\nA2,12" plate\n', file: 'labels.csv' }),
    );
    expect(message).toMatch(/^labels\.csv:3: line 3 has a quote inside the "label" cell/);
    expect(message).toContain('"12"" plate"');
    expect(message).not.toMatch(/Invalid Opening Quote|field 1/);
    expect(line).toBe(3);
  });

  it('after a row over two lines, the line the row starts on', () => {
    const text = 'object_id,label,note\nA1,coin,"a\nb"\nA2,plate,12" wide\n';
    expect(messageOf(() => parseLabels({ text, file: 'labels.csv' })).message).toMatch(
      /^labels\.csv:4: line 4 has a quote inside the "note" cell/,
    );
  });
});

describe('a NUL byte in a UTF-8 file', () => {
  it('is not called UTF-16: the message names its line', () => {
    const { message, line } = messageOf(() =>
      parseLabels({ text: 'object_id,label\nA1,coin\nA2,co\u0000in\n', file: 'labels.csv' }),
    );
    expect(message).not.toMatch(/UTF-16/);
    expect(message).toMatch(/^labels\.csv:3: line 3 has an invisible NUL character/);
    expect(line).toBe(3);
  });

  it('UTF-16 big-endian with its byte-order mark is still UTF-16', () => {
    const le = Buffer.from('object_id,label\nA1,coin\n', 'utf16le');
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), le.swap16()]).toString('utf8');
    expect(messageOf(() => parseLabels({ text: be, file: 'labels.csv' })).message).toMatch(
      /^labels\.csv is saved as UTF-16/,
    );
  });
});

describe('the cell-count message in plain words', () => {
  it('"1 cell", and a header cell holding a comma shown as one name, quoted as in the file', () => {
    const text = 'object_id,"label, type"\nA1\n';
    const { message } = messageOf(() => parseLabels({ text, file: 'labels.csv' }));
    expect(message).toMatch(/^labels\.csv:2: line 2 has 1 cell, the header has 2 \(object_id, "label, type"\)/);
  });
});

/*
 * A second reviewer's findings: a file with old Mac line ends (a lone \r, Excel's "CSV (Macintosh)") had every
 * row on line 1, and a CRLF header before LF rows read as one long row; a UTF-8 file ending in NUL bytes (not
 * saved completely) or a tiny one with a NUL was called UTF-16, UTF-16 without a byte-order mark and mostly
 * Japanese text was called a NUL on line 1, and UTF-32 was called UTF-16. Each case failed before its fix.
 */
describe('line numbers count every kind of line end, as an editor does (\\r\\n, \\n and a lone \\r)', () => {
  it('old Mac line ends (\\r alone): each row its own line, duplicates and errors on the right lines', () => {
    const text = 'object_id,label,note\rA1,x,\rA2,y,\rA3,z,\r';
    expect(parseLabels({ text, file: 'labels.csv' }).map((l) => l.line)).toEqual([2, 3, 4]);
    expect(messageOf(() => parseObjects({ text: 'id,title\rA1,Bowl\rA2,Jar\rA1,Cup\r', file: 'o.csv' }))).toEqual({
      message: 'o.csv:4: object "A1" appears twice (first on line 2)',
      line: 4,
    });
    expect(
      messageOf(() => parseLabels({ text: 'object_id,label\rA1,x\rA2,"y\rA3,z\r', file: 'l.csv' })).message,
    ).toMatch(/^l\.csv:3: a quote opened on line 3 is never closed/);
  });

  it('a CRLF header before LF rows, and lone \\r inside a quoted note, keep editor line numbers', () => {
    const text = 'object_id,label,note\r\nA1,x,\nA2,y,"a\rb"\nA3,z,\r\n\nA4,w,\r';
    expect(parseLabels({ text, file: 'labels.csv' }).map((l) => [l.objectId, l.line])).toEqual([
      ['A1', 2],
      ['A2', 3],
      ['A3', 5],
      ['A4', 7],
    ]);
  });

  it('a NUL in a file with \\r line ends: its line, and only that line shown', () => {
    const { message, line } = messageOf(() =>
      parseLabels({ text: 'object_id,label\rA1,x\rA2,y\u0000\rA3,z\r', file: 'labels.csv' }),
    );
    expect(message).toMatch(/^labels\.csv:3: line 3 has an invisible NUL character \(shown here as ␀: "A2,y␀"\)/);
    expect(message).not.toContain('\r');
    expect(line).toBe(3);
  });
});

describe('UTF-16, UTF-32 and NUL bytes told apart', () => {
  const le = (s: string) => Buffer.from(s, 'utf16le');
  const be = (s: string) => Buffer.from(s, 'utf16le').swap16();
  const u32 = (s: string, big: boolean) => {
    const points = [...s].map((c) => c.codePointAt(0)!);
    const b = Buffer.alloc(points.length * 4);
    points.forEach((p, i) => (big ? b.writeUInt32BE(p, i * 4) : b.writeUInt32LE(p, i * 4)));
    return b;
  };
  const japanese =
    'object_id,label,note\r\n' +
    Array.from({ length: 20 }, (_, i) => `J${i},油彩画,キャンバスに油彩、額装あり、修復済み`).join('\r\n') +
    '\r\n';
  const labels = 'object_id,label\r\nA1,Painting\r\nA2,Sculpture\r\n';

  it('UTF-16 without a byte-order mark and mostly Japanese text, both byte orders', () => {
    for (const bytes of [le(japanese), be(japanese)]) {
      expect(messageOf(() => parseLabels({ text: bytes.toString('utf8'), file: 'labels.csv' })).message).toMatch(
        /^labels\.csv is saved as UTF-16/,
      );
    }
  });

  it('UTF-32 is named UTF-32, with or without its byte-order mark', () => {
    for (const bytes of [
      Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), u32(labels, false)]),
      Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), u32(labels, true)]),
      u32(labels, false),
      u32(labels, true),
    ]) {
      const { message } = messageOf(() => parseLabels({ text: bytes.toString('utf8'), file: 'labels.csv' }));
      expect(message).toMatch(/^labels\.csv is saved as UTF-32, .*save it as "CSV UTF-8/);
    }
  });

  it('a UTF-8 file ending in NUL bytes was not saved completely: says so, after its last line', async () => {
    const file = path.join(root, 'nul-padded.csv');
    await writeFile(file, Buffer.concat([Buffer.from('object_id,label\nA1,x\nA2,y\n'), Buffer.alloc(1000)]));
    const error = await readLabels({ file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'CSV_NUL'), String(error)).toBe(true);
    expect((error as Error).message).toContain(
      'ends in 1000 empty (NUL) characters after line 3: the file was not saved completely',
    );
    expect((error as Error).message).not.toMatch(/UTF-16/);
  });

  // A reviewer: an export in UTF-16 ending in 32 NUL bytes was said to end in 16 bytes (its characters counted).
  it('a UTF-16 export ending in NULs: counted as characters, which they are', () => {
    const text = 'id,image\r\nA1,a.jpg\r\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le'), Buffer.alloc(32)]);
    const { message } = messageOf(() =>
      parseExport({ text: decodeExport({ bytes, file: 'export.csv' }), file: 'export.csv' }),
    );
    expect(message).toContain('ends in 16 empty (NUL) characters after line 2: the file was not saved completely');
  });

  it('a tiny UTF-8 file with one NUL, and a cell of NULs, are not UTF-16', () => {
    for (const text of ['a\u0000\n', 'object_id,label\nA1,\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\n']) {
      expect(messageOf(() => parseLabels({ text, file: 'labels.csv' })).message).not.toMatch(/UTF-16/);
    }
  });
});

describe('a NUL or two at the end of the last row', () => {
  it('is named by its line, not called a file not saved completely', () => {
    const { message, line } = messageOf(() =>
      parseLabels({ text: 'object_id,label\nA1,x\nA2,y\u0000\n', file: 'l.csv' }),
    );
    expect(message).toMatch(/^l\.csv:3: line 3 has an invisible NUL character/);
    expect(line).toBe(3);
  });
});

/*
 * A reviewer's case: some exporters end every line of a UTF-8 CSV with a stray NUL byte. Each line's NUL
 * comes alone, so the run count alone called it UTF-16 (and so did a file of short rows with a NUL in each);
 * UTF-16 is called only when the NULs alternate with single characters, as ASCII text in UTF-16 does.
 */
describe('a UTF-8 file with a NUL byte in every row', () => {
  const rows = (nul: (i: number) => string, end = '\n') =>
    `object_id,label${nul(0)}${end}` +
    Array.from({ length: 200 }, (_, i) => `A${i},Painting${nul(i + 1)}`).join(end) +
    end;

  it('a NUL at the end of every line is CSV_NUL on line 1, not UTF-16', () => {
    for (const end of ['\n', '\r\n']) {
      const text = rows(() => '\u0000', end);
      const error = (() => {
        try {
          parseLabels({ text, file: 'labels.csv' });
        } catch (e) {
          return e;
        }
      })();
      expect(isVitrineError(error, 'CSV_NUL'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(/^labels\.csv:1: line 1 has an invisible NUL character/);
      expect((error as Error).message).toContain('and so do 200 other lines after it');
      expect((error as Error).message).not.toMatch(/UTF-16/);
    }
  });

  it('a NUL inside every row (after the first cell) is CSV_NUL too', () => {
    const text = `object_id,label\n${Array.from({ length: 200 }, (_, i) => `A${i}\u0000,Painting`).join('\n')}\n`;
    const { message, line } = messageOf(() => parseLabels({ text, file: 'labels.csv' }));
    expect(message).toMatch(/^labels\.csv:2: line 2 has an invisible NUL character/);
    expect(line).toBe(2);
  });

  it('UTF-16 of short rows is still UTF-16', () => {
    const bytes = Buffer.from(
      `object_id,label\n${Array.from({ length: 200 }, (_, i) => `A${i},x`).join('\n')}\n`,
      'utf16le',
    );
    expect(messageOf(() => parseLabels({ text: bytes.toString('utf8'), file: 'labels.csv' })).message).toMatch(
      /^labels\.csv is saved as UTF-16/,
    );
  });
});

/*
 * Found while fixing the above: a header naming a column twice (an export with two "title" columns, a labels.csv
 * with "label" pasted twice) kept only the last column's cells, silently: the first column's text was lost. A
 * column named "__proto__" was dropped too. Each failed before its fix.
 */
describe('a header that names a column twice', () => {
  it('is an error naming the file, line 1, the column and its two places', () => {
    for (const [text, file, name, where] of [
      ['id,title,title\nA,Vase,Cup\n', 'data/objects.csv', 'title', 'columns 2 and 3'],
      ['object_id,label,label\nA,x,y\n', 'labels.csv', 'label', 'columns 2 and 3'],
      ['id,title, title \nA,Vase,Cup\n', 'export.csv', 'title', 'columns 2 and 3'],
    ] as const) {
      const parse = file === 'labels.csv' ? parseLabels : file === 'export.csv' ? parseExport : parseObjects;
      const error = (() => {
        try {
          parse({ text, file });
        } catch (e) {
          return e;
        }
      })();
      expect(isVitrineError(error, 'CSV_COLUMNS'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`^${file}:1: the header names the column "${name}" twice`));
      expect((error as Error).message).toContain(where);
    }
  });

  it('in JSON Lines: two keys that are one name once trimmed, named by their line', () => {
    const error = (() => {
      try {
        parseExport({ text: '{"id":"A"}\n{"id":"B","title":"Vase"," title":"Cup"}\n', file: 'e.jsonl' });
      } catch (e) {
        return e;
      }
    })();
    expect(isVitrineError(error, 'EXPORT_MALFORMED'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/^e\.jsonl:2: the keys "title" and " title" are one name/);
  });

  it('empty column names (trailing commas) and names differing in case are no duplicates; "__proto__" is kept', () => {
    expect(parseExport({ text: 'id,Title,title,,\nA,Vase,Cup,,\n', file: 'e.csv' }).rows[0]!.cells).toMatchObject({
      Title: 'Vase',
      title: 'Cup',
    });
    const { objects } = parseObjects({ text: 'id,__proto__\nA,x\n', file: 'data/objects.csv' });
    expect(Object.entries(objects[0]!.extra)).toEqual([['__proto__', 'x']]);
  });
});
