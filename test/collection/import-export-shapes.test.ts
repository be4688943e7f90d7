import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { parseExport } from '../../pipeline/collection/export.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';

/*
 * Session 37, 2026-12-04: exports as collections systems and report tools write them, from an outside tester's
 * list. A title line above the column names was read as the header ("No column looks like the object id (its
 * columns: Export TMS du 03/12/2024, , , )"); rows Excel wrote without their trailing empty cells refused the file;
 * a semicolon file was told to quote "a cell with a comma in it", and only its first bad line was named.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-export-shapes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

function params(): Params {
  const p = defaultParams();
  p.import.columns = { ...p.import.columns, id: 'Inventaire', image: 'Image', label: 'Type', title: 'Titre' };
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  return p;
}

/** A folder `name` with images a.jpg, b.jpg, c.jpg, an export holding `lines`, and the import of it. */
async function importing(name: string, lines: string[], p = params()) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  for (const n of ['a', 'b', 'c']) await writeFile(path.join(dir, `${n}.jpg`), Buffer.concat([JPEG, Buffer.from(n)]));
  const metadata = path.join(dir, 'export.csv');
  await writeFile(metadata, lines.join('\r\n'));
  const ws: Workspace = workspace(path.join(dir, 'repo'));
  const log = memoryLogger();
  const result = await importCollection({ ws, params: p, metadata, log }).catch((e: unknown) => e as Error);
  return { ws, result, log, said: log.lines.map((l) => l.message).join('\n') };
}

const HEADER = 'Inventaire;Titre;Type;Image';
const ROWS = ['A-1;Bol;Céramique;a.jpg', 'A-2;Vase;Céramique;b.jpg', 'A-3;Pièce;Monnaie;c.jpg'];

describe('an export with lines above its column names', () => {
  it('reads the column names from the first line with two or more of them, saying which lines it left out', async () => {
    const { ws, result, said } = await importing('title-semicolons', [
      'Export TMS du 03/12/2024;;;',
      ';;;',
      HEADER,
      ...ROWS,
      '',
    ]);
    expect(result).toMatchObject({ objects: 3 });
    expect(said).toMatch(/export\.csv: lines 1 and 2 are above the column names, on line 3/);
    expect(said).toMatch(/"Export TMS du 03\/12\/2024"/);
    const objects = await readFile(ws.objects, 'utf8');
    expect(objects).toMatch(/^A-1,Bol,.*images\/A-1\.jpg$/m);
  });

  it('counts the lines of the rows as in the file, after a title with no separator in it', async () => {
    const text = ['Objets du département des Arts décoratifs', '', 'id,image', 'A-1,a.jpg', 'A-2,/etc/passwd', ''];
    const table = parseExport({ text: text.join('\n'), file: 'export.csv' });
    expect(table.header).toEqual(['id', 'image']);
    expect(table.rows.map((r) => r.line)).toEqual([4, 5]);
    expect(table.aboveHeader).toEqual({ lines: 2, headerLine: 3, first: 'Objets du département des Arts décoratifs' });
  });

  it('does not take a title holding a comma for the column names', async () => {
    const text = ['Export, 3 December 2024', '', 'id;image;title', 'A-1;a.jpg;Bowl, blue', ''];
    const table = parseExport({ text: text.join('\n'), file: 'export.csv' });
    expect(table.header).toEqual(['id', 'image', 'title']);
    expect(table.rows[0]!.cells.title).toBe('Bowl, blue');
  });

  it('says nothing of blank lines alone above the column names, and quotes the first line with text', () => {
    const blank = parseExport({ text: '\n\nid,image\nA-1,a.jpg\n', file: 'export.csv' });
    expect(blank.header).toEqual(['id', 'image']);
    expect(blank.rows[0]!.line).toBe(4);
    expect(blank.aboveHeader).toBeUndefined();
    const empty = parseExport({ text: ';;\n"Objets";;\nid;image\nA-1;a.jpg\n', file: 'export.csv' });
    expect(empty.aboveHeader).toEqual({ lines: 2, headerLine: 3, first: 'Objets' });
  });

  it('takes the separator the header and its rows share (a comma in a column name of a ";" file)', () => {
    // The reviewer: "Dimensions (H, L, P)" sent the file to the comma, after its title line too.
    for (const lines of [
      ['N° inv.;Titre;Dimensions (H, L, P);Image', 'A-1;Bol;10 x 5;a.jpg'],
      ['Export TMS du 03/12/2024;;;', 'N° inv.;Titre;Dimensions (H, L, P);Image', 'A-1;Bol;10 x 5;a.jpg'],
    ]) {
      const table = parseExport({ text: `${lines.join('\n')}\n`, file: 'export.csv' });
      expect(table.header).toEqual(['N° inv.', 'Titre', 'Dimensions (H, L, P)', 'Image']);
      expect(table.rows[0]!.cells.Image).toBe('a.jpg');
    }
  });

  it('asks whether a first line with a comma in it is a title, when every row is longer than it', () => {
    const text = 'Collection export, December 2024\nid,title,image\nA-1,Bowl,a.jpg\nA-2,Vase,b.jpg\n';
    const error = (() => {
      try {
        parseExport({ text, file: 'export.csv' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error!.message).toMatch(/export\.csv:2: line 2 has 3 cells, the header has 2 .*, and so do lines 3 and 4: /);
    expect(error!.message).toMatch(
      /If line 1 \("Collection export, December 2024"\) is a title above the column names, not the column names, delete it\.$/,
    );
  });

  it('leaves an export of one column (ids alone) and an ordinary header as they are', async () => {
    expect(parseExport({ text: 'id\nA-1\nA-2\n', file: 'ids.csv' }).header).toEqual(['id']);
    const plain = parseExport({ text: 'id,image\nA-1,a.jpg\n', file: 'export.csv' });
    expect(plain.header).toEqual(['id', 'image']);
    expect(plain.aboveHeader).toBeUndefined();
  });
});

describe('an export whose rows are shorter than its header', () => {
  it('reads rows short only of cells under columns with no name (a header ending ";;"), losing nothing', async () => {
    const header = 'Inventaire;Titre;Image;Type;;';
    const { ws, result } = await importing('short-rows', [
      header,
      'A-1;Bol;a.jpg;Céramique;;',
      'A-2;Vase;b.jpg;Céramique',
      'A-3;Pièce;c.jpg;',
      '',
    ]);
    expect(result).toMatchObject({ objects: 3 });
    const labels = await readFile(ws.labels, 'utf8');
    expect(labels).toMatch(/A-2,Céramique/);
    expect(labels).not.toMatch(/A-3,/);
  });

  it('refuses a row short of a named cell (a note under the table, a line break in an unquoted cell)', async () => {
    // The reviewer: "Total;2" became an object "Total"; an unquoted line break made one object of each half.
    const { result: total } = await importing('total', [HEADER, ...ROWS, 'Total;3', '']);
    expect(isVitrineError(total, 'CSV_MALFORMED')).toBe(true);
    expect((total as Error).message).toMatch(/export\.csv:5: line 5 has 2 cells, the header has 4/);
    const broken = ['Inventaire;Titre;Type;Image', 'A-1;Bol;first line', 'second line;a.jpg', 'A-2;Vase;x;b.jpg', ''];
    const { result: split } = await importing('broken', broken);
    expect((split as Error).message).toMatch(
      /export\.csv:2: line 2 has 3 cells, the header has 4 .*, and so does line 3:/,
    );
  });

  it('refuses an export that stops in the middle of its last row (no line break after it), saying so', async () => {
    for (const cut of ['A-3;Pièce', 'A-3;Pièce;Monnaie']) {
      const { ws, result } = await importing(`cut-${cut.length}`, [HEADER, ROWS[0]!, ROWS[1]!, cut]);
      expect(isVitrineError(result, 'CSV_MALFORMED'), cut).toBe(true);
      expect((result as Error).message).toMatch(
        /export\.csv:4: the file ends in the middle of line 4 \(it has \d cells? of the header's 4, and no line break/,
      );
      expect((result as Error).message).toMatch(/stopped before its end/);
      await expect(readFile(ws.objects)).rejects.toThrow();
    }
    // A last line of one cell without a line break is said as a line under the table; one of empty cells is no row.
    const { result: note } = await importing('cut-note', [HEADER, ROWS[0]!, ROWS[1]!, 'Total : 2']);
    expect((note as Error).message).toMatch(/line 4 \("Total : 2"\) is under the table/);
    const { result: empty } = await importing('cut-empty', [HEADER, ROWS[0]!, ROWS[1]!, ';']);
    expect(empty).toMatchObject({ objects: 2 });
    // Short only of unnamed cells, without a line break: nothing is cut.
    const { result: whole } = await importing('cut-not', ['Inventaire;Titre;Type;Image;;', ROWS[0]!, ROWS[1]!]);
    expect(whole).toMatchObject({ objects: 2 });
  });

  it('still refuses a line of one cell in a table of several (a total or a note under the table)', async () => {
    const { result } = await importing('footer', [HEADER, ...ROWS, 'Total : 3 objets', '', 'Imprimé le 03/12', '']);
    expect(isVitrineError(result, 'CSV_MALFORMED')).toBe(true);
    expect((result as Error).message).toBe(
      `${path.join(root, 'footer', 'export.csv')}:5: line 5 ("Total : 3 objets") is under the table, with one cell ` +
        'where the header has 4 (and so is 1 line after it): if it is a total or a note the export added below the ' +
        'objects, delete it; if it is an object, give it a cell for each column (a semicolon (;) for each).',
    );
    // A line of one cell between rows is no note under the table.
    const { result: between } = await importing('one-cell', [HEADER, ROWS[0]!, 'A-9', ROWS[1]!, '']);
    expect((between as Error).message).toMatch(/export\.csv:3: line 3 has 1 cell, the header has 4/);
  });
});

describe('an export with rows longer than its header', () => {
  it('says a semicolon in a cell needs quotes, in a semicolon file, and names the other lines like it', async () => {
    const { result } = await importing('long-rows', [
      HEADER,
      'A-1;Bol; bleu;Céramique;a.jpg',
      ROWS[1]!,
      'A-3;Pièce; or;Monnaie;c.jpg',
      'A-4;Pièce; argent;Monnaie;c.jpg',
      '',
    ]);
    expect(isVitrineError(result, 'CSV_MALFORMED')).toBe(true);
    const message = (result as Error).message;
    expect(message).toMatch(/export\.csv:2: line 2 has 5 cells, the header has 4/);
    expect(message).toMatch(/a cell with a semicolon \(;\) in it/);
    expect(message).not.toMatch(/comma/);
    expect(message).toMatch(/so do lines 4 and 5/);
  });

  it('names how many other lines when there are many', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `A-${i},x,y,z`);
    const text = ['id,image', 'B-1,b.jpg', ...rows, ''].join('\n');
    const error = (() => {
      try {
        parseExport({ text, file: 'export.csv' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(isVitrineError(error, 'CSV_MALFORMED')).toBe(true);
    expect(error!.message).toMatch(/export\.csv:3: line 3 has 4 cells, the header has 2/);
    expect(error!.message).toMatch(/so do lines 4, 5, 6 and 26 others/);
  });
});

describe('init from an export with a title line above its column names', () => {
  it('guesses the columns from the column names and says which lines it left out', async () => {
    const { dir, header, rows } = await copyEgyptExport({ dir: path.join(root, 'init-export'), pick: 26 });
    const csv = path.join(dir, 'metadata.csv');
    const cells = (r: string[]) => r.map((c) => (/[;"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(';');
    const title = `Export du 03/12/2024${';'.repeat(header.length - 1)}`;
    await writeFile(csv, [title, cells(header), ...rows.map(cells), ''].join('\r\n'));
    const museum = path.join(root, 'init-museum');
    await mkdir(museum);
    const log = memoryLogger();
    const code = await main(['init', '--from', csv, '--yes'], { cwd: museum, env: {}, stdout: () => {}, log });
    const said = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    expect(code, said).toBe(0);
    expect(said).toMatch(
      /metadata\.csv: line 1 is above the column names, on line 2 \(a title: "Export du 03\/12\/2024"\)/,
    );
    expect(said).toMatch(/^ +id +← id$/m);
    expect(await readFile(path.join(museum, 'labels.csv'), 'utf8')).toMatch(/^object_id,label\r?\n\S+,\S+/);
  });
});
