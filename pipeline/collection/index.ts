import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type InfoField, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { closest } from '../cli/suggest.ts';
import { refuseLinkedFile } from '../dataset/linked-file.ts';
import { isVitrineError, VitrineError } from '../errors.ts';
import { keepModeOf, writeFileAtomic } from '../fs.ts';
import { clip } from '../log.ts';
import type { CollectionObject, LabelLine } from '../types.ts';
import { conflictMarkerLine } from './conflict-markers.ts';
import { notATable } from './file-kind.ts';
import { characterCode, joinerInWord, labelForm } from './hidden-characters.ts';

/*
 * The collection's two tables. `data/objects.csv` holds the objects' metadata in Vitrine's columns
 * (versioned with the images); `labels.csv` holds the human labels in git, one line per object,
 * sorted by object id, so that a pull request diff shows each label change on its own line.
 */

/** Vitrine's metadata columns, in file order. Other columns are kept in `extra`. */
export const OBJECT_COLUMNS = [
  'id',
  'title',
  'maker',
  'date',
  'department',
  'medium',
  'credit_line',
  'rights',
  'description',
  'image',
] as const;

export const FIELD_OF: Record<(typeof OBJECT_COLUMNS)[number], keyof CollectionObject> = {
  id: 'id',
  title: 'title',
  maker: 'maker',
  date: 'date',
  department: 'department',
  medium: 'medium',
  credit_line: 'creditLine',
  rights: 'rights',
  description: 'description',
  image: 'image',
};

/** A line break as editors and GitHub count them: Windows (\r\n), Unix (\n) and old Mac (\r alone). */
const LINE_BREAK = /\r\n|\r|\n/;

interface CsvRow {
  line: number;
  cells: Record<string, string>;
  /** With `required`: the row has fewer cells than the header (the staff's own columns left out). */
  short?: true;
  /** With `spans`: where each cell's raw text stands in the text, by column. */
  spans?: Record<string, CellSpan>;
}

/** Offsets into the text (not its bytes) of a cell's raw text, quotes and spaces included. */
export interface CellSpan {
  start: number;
  end: number;
}

/** In a module of its own, which params.ts loads without this one (the CSV reader) for `vitrine params`. */
export { conflictMarkerLine };

/**
 * Refuse a file that still holds git's conflict markers (two pull requests changed the same lines):
 * staff resolving a conflict in GitHub's editor can commit them, and a CSV parser's message would not say so.
 */
function checkMergeConflict({ text, file }: { text: string; file: string }): void {
  const line = conflictMarkerLine(text);
  if (line === undefined) return;
  throw new VitrineError(
    'CSV_MERGE_CONFLICT',
    `${file}:${line}: this file still has a merge conflict (the lines from <<<<<<< to >>>>>>> hold ` +
      'two versions of the same rows). Keep the right version of those rows, delete the three marker lines ' +
      '(<<<<<<<, ======= and >>>>>>>) and commit the file again.',
    { file, line },
  );
}

/**
 * A CSV saved with ";" or tabs between cells (Excel does so where the decimal mark is a comma; "Unicode Text"
 * uses tabs): csv-parse would read one long column and stop on the first quoted cell, far down the file. Said
 * plainly, for the whole file, with how to save it again.
 */
function checkSeparator({ text, file }: { text: string; file: string }): void {
  const header = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
  const found = header.includes(',') ? undefined : [';', '\t'].find((sep) => header.includes(sep));
  if (!found) return;
  const shown = (header.length > 80 ? `${header.slice(0, 77)}…` : header).replaceAll('\t', '→');
  const name = found === ';' ? 'semicolons (;)' : 'tabs (shown as →)';
  throw new VitrineError(
    'CSV_SEPARATOR',
    `${file} is separated by ${name}, not commas: its first line is "${shown}". Vitrine reads ` +
      'comma-separated files. Save it again as comma-separated CSV: in Excel, "Save As" > "CSV UTF-8 (Comma ' +
      'delimited)" (where Excel still writes ";", its separator follows the computer\'s region settings: use ' +
      'LibreOffice, or edit the file on GitHub); in LibreOffice, "Save As" > "Text CSV", tick "Edit filter ' +
      'settings" and choose "," as the field delimiter; or export it from the collections system with "," as ' +
      'the separator. Editing the file on GitHub keeps its commas.',
    { file, separator: found },
  );
}

/**
 * An export's separator: of ",", ";" and tab, the one that splits its header and the row after it into the same
 * number of cells, two or more, the most cells first. A comma in a column name ("Dimensions (H, L, P)") of a ";"
 * file is no separator, nor a ";" in a title of a "," file. "," when none does (one column).
 */
function exportSeparator(text: string): string {
  // The first lines with text: lines above the header (aboveHeader) are blank by now.
  const [header, next] = text
    .replace(/^\uFEFF/, '')
    .split(LINE_BREAK, 40)
    .filter((l) => l.trim());
  if (header === undefined) return ',';
  let best = { separator: ',', score: 0 };
  for (const separator of SEPARATORS) {
    const cells = cellsOf(header, separator).length;
    const below = next === undefined ? cells : cellsOf(next, separator).length;
    if (cells < 2 || below < 2) continue;
    const score = (cells === below ? 1000 : 0) + cells;
    if (score > best.score) best = { separator, score };
  }
  return best.separator;
}

const SEPARATORS = [',', ';', '\t'];

/** A line's cells for `separator`, a quoted cell's separators kept in it (a line read alone: for guesses only). */
function cellsOf(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      cells.push(cell);
      cell = '';
      continue;
    }
    cell += c;
  }
  cells.push(cell);
  return cells;
}

/** How many of a line's cells hold text. */
function textCells(line: string, separator: string): number {
  return cellsOf(line, separator).filter((c) => c.replace(/"/g, '').trim() !== '').length;
}

/** The cells of a header up to its last named one: columns after it have no name (a header ending ";;;"). */
function namedWidth(header: string[]): number {
  let width = header.length;
  while (width > 0 && !header[width - 1]!.trim()) width--;
  return width;
}

/** Lines an export has above its column names (aboveHeader): how many, the header's line, the first one's text. */
export interface AboveHeader {
  lines: number;
  headerLine: number;
  first: string;
}

/**
 * A title, a date or a blank line above an export's column names, as report tools and collections systems write
 * them ("Export TMS du 03/12/2024;;;", "Collection export" above rows separated by commas): read as the header,
 * they hid every column. The column names are the first of the first 10 lines with two cells
 * or more holding text whose number of cells the (up to 3) lines after it share, for a separator; each line above
 * them holds text in one cell at most. A header on the first line is left as it is, and so is an export of one
 * column (ids alone), which has no such line.
 */
function aboveHeader(text: string): AboveHeader | undefined {
  const lines = text.replace(/^\uFEFF/, '').split(LINE_BREAK, 14);
  for (let i = 0; i < Math.min(lines.length, 10); i++) {
    const after = lines
      .slice(i + 1)
      .filter((l) => l.trim())
      .slice(0, 3);
    const separator = SEPARATORS.find((s) => {
      const cells = cellsOf(lines[i]!, s).length;
      return textCells(lines[i]!, s) >= 2 && after.every((l) => cellsOf(l, s).length === cells);
    });
    if (separator === undefined) continue;
    if (i === 0) return undefined;
    const above = lines.slice(0, i);
    // Blank lines alone above the header are no title: the parser passes over them. A line above with text in two
    // cells may be the header itself, its rows longer than it (commas in unquoted cells): never blanked on a guess.
    if (!above.some((l) => l.trim()) || above.some((l) => textCells(l, separator) > 1)) return undefined;
    const first = above.map((l) => l.replace(/^[,;\t\s"]+|[,;\t\s"]+$/g, '')).find(Boolean) ?? '';
    return { lines: i, headerLine: i + 1, first };
  }
  return undefined;
}

/** The text with its first `lines` lines emptied, their line breaks (and a byte-order mark) kept. */
function blankLines({ text, lines }: { text: string; lines: number }): string {
  const breaks = /\r\n|\r|\n/g;
  for (let n = 0; n < lines && breaks.exec(text); n++);
  const head = text.slice(0, breaks.lastIndex);
  return (text.startsWith('\uFEFF') ? '\uFEFF' : '') + head.replace(/[^\r\n]/g, '') + text.slice(head.length);
}

/**
 * The text with the lines of spaces, tabs or Ctrl-Z after its last row replaced by one line break. A scan from the
 * end: a regular expression anchored at $ is tried from every blank line and took minutes on a crafted labels.csv.
 */
function trimBlankEnd(text: string): string {
  const blank = (c: string) => c === ' ' || c === '\t' || c === '\u001a' || c === '\r' || c === '\n';
  let start = text.length;
  while (start > 0 && blank(text[start - 1] as string)) start--;
  // Spaces before the first line break end the last row's line: they stay in its cell.
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\r' || text[i] === '\n') return `${text.slice(0, i)}\n`;
  }
  return text;
}

/** Parse CSV text with a header row; each row keeps the 1-based line it starts on in the file. */
export function parseCsv({
  text,
  file,
  repeats = 'refuse',
  spans = false,
  separator = 'comma',
  required,
}: {
  text: string;
  file: string;
  /**
   * How many columns, from the first, every line of Vitrine's own file must have (labels.csv: object_id and label).
   * A line short only of the columns after them, the staff's own (a note), is read with those cells empty: a staff
   * member who adds a column for one note need not add a comma to every other line. Not given: the header's cells.
   */
  required?: number;
  /**
   * "comma": Vitrine's own files (labels.csv, objects.csv), which staff edit in pull requests, are comma-separated,
   * and another separator is refused with how to save it. "detect": a museum's export, read once by import, may be
   * separated by ";" (Excel where the decimal mark is a comma) or tabs: taken from Excel's "sep=" first line, or
   * from a header with no comma.
   */
  separator?: 'comma' | 'detect';
  /**
   * A column named twice: refused (Vitrine's own files), or listed in `repeated` and left out of `header` and the
   * cells (an export, where the caller refuses it only when it reads that column).
   */
  repeats?: 'refuse' | 'list';
  /** Give each row's `spans`: to change a cell in the text and leave every other byte as it was. */
  spans?: boolean;
}): { header: string[]; rows: CsvRow[]; repeated: RepeatedColumn[]; aboveHeader?: AboveHeader } {
  // Excel's "sep=," first line names the separator; it is not the header. Its line break stays, so lines count
  // as in the file (not with spans, whose offsets are the file's own: Vitrine's files never hold it).
  let delimiter = ',';
  let above: AboveHeader | undefined;
  if (separator === 'detect') {
    const named = /^\uFEFF?sep=([,;\t|])[ \t]*(?=\r\n|\r|\n|$)/i.exec(text);
    if (named) {
      delimiter = named[1]!;
      text = text.replace(/^\uFEFF?sep=[^\r\n]*/i, '');
    } else {
      // Lines above the column names are emptied, their line breaks kept: the rows' lines count as in the file.
      above = aboveHeader(text);
      if (above) text = blankLines({ text, lines: above.lines });
      delimiter = exportSeparator(text);
    }
  } else if (!spans) text = text.replace(/^\uFEFF?sep=,[ \t]*(?=\r\n|\r|\n|$)/i, '');
  // Lines of spaces, tabs or DOS's Ctrl-Z after the last row look empty to staff: they end the file, not a row.
  if (!spans) text = trimBlankEnd(text);
  // An export is told as one whatever its name (../export/data/objects.csv, a reviewer).
  checkEncoding({ text, file, isExport: separator === 'detect' });
  checkMergeConflict({ text, file });
  if (separator === 'comma') checkSeparator({ text, file });
  const lineAt = lineCounter(text);
  const cellSpans = spans ? spanRecorder(text) : undefined;
  // csv-parse's `info.lines` is a row's last line (and miscounts quoted CRLF line breaks): the byte offset where
  // the previous record ended is where this one starts, after any blank lines.
  let ended = 0;
  let first: string[] | undefined;
  let bad: { line: number; record: string[]; others: { line: number; more: boolean }[] } | undefined;
  // The last row with the header's cells: lines of one cell after it are under the table (a total, a note).
  let lastRow = 0;
  const starts: number[] = [];
  let records: string[][];
  // csv-parse makes an Error, with its stack, for every row whose cells are not the header's, even when told to let
  // them be: 25 µs each, seconds for an export of 100,000 rows Excel wrote without their empty cells at the end.
  const stackTraceLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 0;
    records = parse(text, {
      bom: true,
      delimiter,
      // Any mix of line ends (a CRLF header before LF rows, old Mac \r): csv-parse would take the first it meets.
      record_delimiter: ['\r\n', '\r', '\n'],
      // Checked below instead: a row of empty cells need not have the header's number of cells.
      relax_column_count: true,
      skip_empty_lines: true,
      ...(cellSpans && { cast: cellSpans.cast }),
      on_record: (record: string[], context) => {
        const line = lineAt(ended);
        // ",," below a two-column table (a spreadsheet's rows of empty cells, isEmptyRow) is no row with a cell too
        // many. Any other row must have the header's cells, save an export's row short only of cells under columns
        // with no name (a header ending ";;;", rows without them): nothing is lost. A row short of a named cell is a
        // note under the table ("Total;2"), a line break in an unquoted cell, a cell left out: refused. Every such
        // line is noted, the first with its cells, to be said when the file has been read.
        const named = first ? namedWidth(first) : 0;
        const least = separator === 'detect' ? Math.max(named, 2) : (required ?? Number.POSITIVE_INFINITY);
        const cut = first && record.length >= least && record.length < first.length;
        if (first && record.length !== first.length && !cut && !(record.length > 1 && record.every((c) => !c.trim()))) {
          if (!bad) bad = { line, record, others: [] };
          else bad.others.push({ line, more: record.length > first.length });
        } else if (first) lastRow = line;
        starts.push(line);
        cellSpans?.record(context.bytes);
        ended = context.bytes;
        first ??= record;
        return record;
      },
    }) as string[][];
    // An export that stopped in the middle of a row (a copy, a download or a sync that did not finish) ends in a row
    // short of the header's cells and no line break; Excel and collections systems end every row with one.
    const last = records.at(-1) ?? [];
    const lastCells = last.filter((c) => c.trim()).length;
    // Short of a named cell; a last line of one cell is said as a line under the table (a total, a note), and one of
    // empty cells is no row.
    if (
      separator === 'detect' &&
      records.length > 1 &&
      last.length < namedWidth(first!) &&
      last.length > 1 &&
      lastCells > 0 &&
      !/[\r\n]$/.test(text)
    )
      throw Object.assign(new Error('The file ends in the middle of a row'), {
        code: 'CUT_SHORT',
        record: last,
        line: starts.at(-1),
      });
    if (bad) {
      const { record, line, others } = bad;
      const more = record.length > first!.length;
      throw Object.assign(new Error(`Invalid Record Length: ${record.length} cells, the header has ${first!.length}`), {
        code: 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH',
        record,
        line,
        // Lines short or long as the first one is: fixed the same way.
        others: others.filter((o) => o.more === more).map((o) => o.line),
        // A total or note an export writes below its objects; Vitrine's own files have none.
        under: separator === 'detect' && record.length === 1 && lastRow > 0 && line > lastRow,
        headerLine: starts[0],
      });
    }
  } catch (error) {
    Error.stackTraceLimit = stackTraceLimit;
    const { line, problem } = csvProblem({ error, text, header: first, line: lineAt(ended), delimiter });
    throw new VitrineError(
      'CSV_MALFORMED',
      `${file}${line ? `:${line}` : ''}: ${problem}`,
      { file, line },
      { cause: error },
    );
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (records.length === 0) return { header: [], rows: [], repeated: [] };
  const names = records[0]!.map((h) => h.trim());
  const repeated = repeatedColumns({ header: names, raw: records[0]!, file, line: starts[0] ?? 1 });
  if (repeats === 'refuse' && repeated[0]) throw repeatedColumnError(repeated[0]);
  const left = new Set(repeated.map((r) => r.name));
  const read = names.flatMap((name, i) => (left.has(name) ? [] : [{ name, i }]));
  // fromEntries: a column named "__proto__" is a cell like any other, not the object's prototype.
  const rows = records.slice(1).map((record, i) => ({
    line: starts[i + 1]!,
    cells: Object.fromEntries(read.map(({ name, i }) => [name, (record[i] ?? '').trim()])) as Record<string, string>,
    ...(required !== undefined && record.length < records[0]!.length ? { short: true as const } : {}),
    ...(cellSpans && {
      spans: Object.fromEntries(read.map(({ name, i: column }) => [name, cellSpans.records[i + 1]![column]!])),
    }),
  }));
  return { header: read.map((c) => c.name), rows, repeated, ...(above && { aboveHeader: above }) };
}

/**
 * Where csv-parse's cells stand. Its `cast` is told each cell's end (a UTF-8 byte offset: where the comma or line
 * end after it stands); a record's first cell starts where the record before it ended, after any blank lines (a
 * cell starting with a line break is quoted), and each other cell one byte (the comma) after the one before.
 */
function spanRecorder(text: string): {
  cast: (value: string, context: InfoField) => string;
  record: (end: number) => void;
  records: CellSpan[][];
} {
  const indexAt = charIndexer(text);
  const records: CellSpan[][] = [];
  let cells: CellSpan[] = [];
  // The byte-order mark (3 bytes) is no part of the first cell.
  let ended = text.startsWith('\uFEFF') ? 3 : 0;
  let lastEnd = 0;
  return {
    cast: (value, { column, bytes }) => {
      let start = column === 0 ? indexAt(ended) : indexAt(lastEnd + 1);
      if (column === 0) while (text[start] === '\r' || text[start] === '\n') start++;
      cells.push({ start, end: indexAt(bytes) });
      lastEnd = bytes;
      return value;
    },
    record: (end) => {
      records.push(cells);
      cells = [];
      ended = end;
    },
    records,
  };
}

/** The text offset of each UTF-8 byte offset of `text`, for offsets that do not decrease. */
function charIndexer(text: string): (byte: number) => number {
  let at = 0;
  let bytes = 0;
  return (offset) => {
    while (bytes < offset && at < text.length) {
      const code = text.codePointAt(at)!;
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      at += code > 0xffff ? 2 : 1;
    }
    return at;
  };
}

/** A header name given to more than one column. */
export interface RepeatedColumn {
  name: string;
  /** 1-based positions of the columns with that name. */
  columns: number[];
  /** How each was written, when they differ once trimmed alike (" Notes" and "Notes"). */
  spelled: string[];
  file: string;
  line: number;
}

/**
 * Columns named twice (two "title" columns in an export, "label" pasted twice): a row's cells are looked up by
 * name, so one column's cells would be lost without a word. Empty names (a trailing comma) are no column.
 */
function repeatedColumns({
  header,
  raw,
  file,
  line,
}: {
  header: string[];
  raw: string[];
  file: string;
  line: number;
}): RepeatedColumn[] {
  const at = new Map<string, number[]>();
  header.forEach((name, i) => {
    if (name) at.set(name, [...(at.get(name) ?? []), i]);
  });
  return [...at]
    .filter(([, places]) => places.length > 1)
    .map(([name, places]) => ({
      name,
      columns: places.map((i) => i + 1),
      spelled: new Set(places.map((i) => raw[i])).size > 1 ? places.map((i) => raw[i]!) : [],
      file,
      line,
    }));
}

/** The error for a column named twice that Vitrine would read. */
export function repeatedColumnError({ name, columns, spelled, file, line }: RepeatedColumn): VitrineError {
  const written = spelled.length > 0 ? ` (written ${spelled.map((s) => `"${s}"`).join(' and ')})` : '';
  const places = `${columns.slice(0, -1).join(', ')} and ${columns.at(-1)}`;
  return new VitrineError(
    'CSV_COLUMNS',
    `${file}:${line}: the header names the column "${name}" ${columns.length === 2 ? 'twice' : `${columns.length} times`}, ` +
      `columns ${places}${written}: Vitrine cannot tell which to read, and would lose the cells of one. Rename one ` +
      'of them (or delete the column that is not needed) and save the file again.',
    { file, line, column: name },
  );
}

/**
 * The line (counted as GitHub and editors do: \r\n, \n and a lone \r each end one) of the first character that is
 * not a line break at or after a UTF-8 byte offset of `text` (csv-parse counts bytes, the byte-order mark
 * included). Offsets must not decrease.
 */
function lineCounter(text: string): (offset: number) => number {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  let line = 1;
  return (offset) => {
    let i = Math.max(offset, at);
    while (i < bytes.length && (bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
    for (; at < i; at++) if (bytes[at] === 0x0d || (bytes[at] === 0x0a && bytes[at - 1] !== 0x0d)) line++;
    return line;
  };
}

/**
 * Which file `file` is, for the advice on saving it again: labels.csv and params.yaml (in git), data/objects.csv
 * (import writes it), or else a museum's export.
 */
function fileOfVitrine(file: string): 'labels' | 'params' | 'objects' | 'export' {
  const parts = file.toLowerCase().split(/[\\/]/);
  const name = parts.at(-1);
  if (name === 'labels.csv') return 'labels';
  if (name === 'params.yaml' || name === 'params.yml') return 'params';
  if (name === 'objects.csv' && parts.at(-2) === 'data') return 'objects';
  return 'export';
}

/**
 * Excel's "Unicode Text" (and other tools) save UTF-16, which read as UTF-8 is a NUL byte after or before every
 * ASCII character: the header and every cell would look wrong in ways that hide the cause. NUL bytes at the end
 * of a UTF-8 file are a file not saved completely (a disk or a sync tool that stopped); a NUL elsewhere (a paste
 * from another program) is named by its line.
 */
function checkEncoding({ text, file, isExport = false }: { text: string; file: string; isExport?: boolean }): void {
  const nul = text.indexOf('\u0000');
  if (nul < 0) return;
  const wide = wideEncoding(text);
  const kind = isExport ? 'export' : fileOfVitrine(file);
  // labels.csv and params.yaml are in git, where a change can be made on GitHub; an export, or objects.csv, is not.
  const inGit = kind === 'labels' || kind === 'params';
  const saveAs =
    kind === 'params' ? 'as UTF-8 (in Notepad: File > Save As, Encoding: UTF-8)' : 'as "CSV UTF-8 (Comma delimited)"';
  const elsewhere = {
    labels: ', or edit it on GitHub',
    params: ', or edit it on GitHub',
    objects: ', or run "vitrine import" again, which writes it',
    export: ', or export it again as UTF-8 from the collection system',
  }[kind];
  if (wide) {
    // An export in UTF-16 with its byte-order mark is read (decodeExport): here it has none, so its byte order
    // would be a guess. Vitrine's own files are UTF-8 only, mark or none.
    const unmarked = wide === 'UTF-16' && !text.startsWith('\uFFFD\uFFFD') && kind === 'export';
    const saved = unmarked
      ? 'UTF-16 without the mark at its start that says which of its two byte orders it uses, so Vitrine cannot ' +
        `read it safely (Excel's "Unicode Text" writes the mark, and is read as it is)`
      : `${wide === 'UTF-16' ? `UTF-16 (Excel's "Unicode Text")` : wide}, which Vitrine does not read` +
        (kind !== 'export' && wide === 'UTF-16' ? ` in ${path.basename(file)}` : '');
    throw new VitrineError(
      'CSV_UTF16',
      `${file} is saved as ${saved}: save it ${saveAs}${kind === 'params' ? '' : ' (in Excel: File > Save As)'}` +
        `${elsewhere}.`,
      { file, encoding: wide },
    );
  }
  // A run of NULs at the end (an interrupted save leaves whole blocks of them), not a NUL or two after the text.
  // Scanned back from the end: a regex anchored at the end retries every NUL of a long run in the middle.
  let end = text.length;
  let nuls = 0;
  for (; end > 0 && /[\u0000\s]/.test(text[end - 1]!); end--) if (text[end - 1] === '\u0000') nuls++;
  const body = text.slice(0, end);
  if (nuls >= 16 && !body.includes('\u0000')) {
    const line = body.split(LINE_BREAK).length;
    throw new VitrineError(
      'CSV_NUL',
      `${file}:${line}: the file ends in ${count(nuls, 'empty (NUL) character')} after line ${line}: the file was not ` +
        'saved completely. Check that its last rows are all there (compare with the copy it came from), then save ' +
        `it again ${saveAs}${inGit ? ' or edit it on GitHub' : ''}.`,
      { file, line },
    );
  }
  const before = text.slice(0, nul).split(LINE_BREAK);
  const line = before.length;
  const rest = text.slice(nul).split(LINE_BREAK);
  const shown = (before.at(-1)! + rest[0]!).replaceAll('\u0000', '\u2400');
  // Some exporters put one on every line: said, so that fixing line 1 is not taken for the end of it.
  const others = rest.slice(1).filter((l) => l.includes('\u0000')).length;
  throw new VitrineError(
    'CSV_NUL',
    `${file}:${line}: line ${line} has an invisible NUL character (shown here as \u2400: ` +
      `"${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown}"), left by a damaged file or a paste from ` +
      (others
        ? `another program, and so do ${count(others, 'other line')} after it (some programs write one on every ` +
          'line): export the file again as "CSV UTF-8", or delete them all in a text editor that shows them.'
        : 'another program: type that line again, or delete the character in a text editor that shows it.'),
    { file, line },
  );
}

/**
 * UTF-16 or UTF-32 read as UTF-8. With a byte-order mark: FF FE or FE FF (each byte an invalid U+FFFD), FF FE 00 00
 * or 00 00 FE FF for UTF-32. Without one, the text's ASCII characters each sit next to one NUL (UTF-16) or three
 * (UTF-32), so the NULs come alone, or in threes, through the first few thousand characters: runs of NULs, a
 * file padded with NULs, a NUL or two in a short file, or one NUL a line are not a wide encoding. Counted in runs
 * next to each other rather than by even and odd byte position, since other characters (Japanese, say) read as
 * UTF-8 shift the positions.
 */
function wideEncoding(text: string): 'UTF-16' | 'UTF-32' | undefined {
  if (/^(\uFFFD\uFFFD\u0000\u0000|\u0000\u0000\uFFFD\uFFFD)/.test(text)) return 'UTF-32';
  if (text.startsWith('\uFFFD\uFFFD')) return 'UTF-16';
  const sample = text.slice(0, 4000).replace(/\u0000+$/, '');
  const runs = [...sample.matchAll(/\u0000+/g)].map((m) => ({ at: m.index, length: m[0].length }));
  // ASCII text in a wide encoding: its NULs alternate with single characters ("i\0d\0,\0"), so most runs have
  // another one character before or after them. A stray NUL at the end of every line (some exporters write
  // one) comes alone too, but a line apart.
  const paired = runs.filter(
    (r, i) => runs[i + 1]?.at === r.at + r.length + 1 || (i > 0 && runs[i - 1]!.at + runs[i - 1]!.length + 1 === r.at),
  );
  const alone = paired.filter((r) => r.length === 1).length;
  const threes = paired.filter((r) => r.length === 2 || r.length === 3).length;
  if (alone >= 8 && alone >= 0.5 * runs.length && alone >= 0.01 * sample.length) return 'UTF-16';
  if (threes >= 8 && threes >= 0.5 * runs.length) return 'UTF-32';
  return undefined;
}

/** What csv-parse's error means for the person who edited the file, and the line to look at. */
function csvProblem({
  error,
  text,
  header: parsedHeader,
  line: reading,
  delimiter,
}: {
  error: unknown;
  text: string;
  /** The header record, when the parser got past it. */
  header?: string[];
  /** The line the record being read starts on. */
  line: number;
  delimiter: string;
}): { line?: number; problem: string } {
  const e = error as {
    code?: string;
    column?: number;
    message: string;
    record?: string[];
    line?: number;
    others?: number[];
    under?: boolean;
    headerLine?: number;
  };
  const line = e.line ?? reading;
  const body = text.replace(/^\uFEFF/, '');
  const header = parsedHeader ?? firstRecord({ text: body, delimiter });
  const separator = SEPARATOR_WORDS[delimiter] ?? `"${delimiter}"`;
  if (e.code === 'CUT_SHORT' && header)
    return {
      line,
      problem:
        `the file ends in the middle of line ${line} (it has ${count(e.record!.length, 'cell')} of the header's ` +
        `${header.length}, and no line break after it): the export seems to have stopped before its end (a copy, ` +
        'a download or a sync that did not finish). Export or copy it again, and use that file.',
    };
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
    // csv-parse reports the file's end, where it gave up; the person needs the line the quote opened on.
    const opened = unclosedQuoteLine({ text: body, delimiter }) ?? line;
    return {
      line: opened,
      problem:
        `a quote opened on line ${opened} is never closed: a cell that starts with " must end with " ` +
        '(and a quote inside it is written twice, "").',
    };
  }
  if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && e.record && header) {
    const cells = e.record.length;
    const more = cells > header.length;
    // A line that looks empty in an editor: "has 1 cell" would not tell staff which line is meant.
    if (cells === 1 && /^[ \t\u001a]+$/.test(e.record[0] ?? ''))
      return { line, problem: `line ${line} holds only spaces or tabs: delete it (it looks empty, but is not).` };
    const others = e.others ?? [];
    // A total or a note an export writes under its objects: a line of one cell after the last row.
    if (e.under && !more)
      return {
        line,
        problem:
          `line ${line} ("${clip(e.record[0]!.trim(), 60)}") is under the table, with one cell where the header has ` +
          `${header.length}${
            others.length
              ? ` (and so ${others.length === 1 ? 'is' : 'are'} ` + `${count(others.length, 'line')} after it)`
              : ''
          }: if it is a total or a note the export added below ` +
          `the objects, delete it; if it is an object, give it a cell for each column (a ${separator} for each).`,
      };
    const so =
      others.length === 0
        ? ''
        : others.length === 1
          ? `, and so does line ${others[0]}`
          : `, and so do lines ${
              others.length <= 4
                ? `${others.slice(0, -1).join(', ')} and ${others.at(-1)}`
                : `${others.slice(0, 3).join(', ')} and ${others.length - 3} others`
            }`;
    const example = delimiter === ',' || delimiter === ';' ? ` ("Plate${delimiter} blue and white")` : '';
    // Every row from the first on is longer: the line read as the header may be a title above it.
    const title =
      more && e.headerLine !== undefined && others[0] !== undefined && line <= e.headerLine + 2
        ? ` If line ${e.headerLine} ("${clip(header.join(delimiter === '\t' ? ' ' : delimiter), 60)}") is a title ` +
          'above the column names, not the column names, delete it.'
        : '';
    return {
      line,
      problem:
        `line ${line} has ${count(cells, 'cell')}, the header has ${header.length} ` +
        `(${headerNames(header, delimiter)})${so}: ` +
        (more
          ? `a cell with a ${separator} in it (a title, a label, a note) must be in double quotes${example}.${title}`
          : `give every line a cell for each column of the header, empty if need be (a ${separator} for each).`),
    };
  }
  if (e.code === 'CSV_INVALID_CLOSING_QUOTE' || e.code === 'INVALID_OPENING_QUOTE') {
    // csv-parse's column is the cell's 0-based index in its record.
    const name = typeof e.column === 'number' ? header?.[e.column]?.trim() : undefined;
    return {
      line,
      problem:
        `line ${line} has a quote inside ${name ? `the "${name}" cell` : 'a cell'}: put the whole cell in double ` +
        'quotes and write the quote inside it twice ("12"" plate"), or write it another way (12 in. plate).',
    };
  }
  return { line, problem: `this CSV file cannot be read (${e.message}).` };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A separator in words, as "a … in it" and "a … for each" go on. */
const SEPARATOR_WORDS: Record<string, string> = {
  ',': 'comma',
  ';': 'semicolon (;)',
  '\t': 'tab',
  '|': 'vertical bar (|)',
};

/** The header's names as the file writes them: a name holding the separator or a quote in double quotes. */
function headerNames(header: string[], delimiter: string): string {
  return header
    .map((h) => h.trim())
    .map((h) => (h.includes('"') || h.includes(delimiter) || h.includes(',') ? `"${h.replaceAll('"', '""')}"` : h))
    .join(', ');
}

/** The header's cells, read leniently (the file is already known to be malformed somewhere). */
function firstRecord({ text, delimiter }: { text: string; delimiter: string }): string[] | undefined {
  try {
    const line = text.split(LINE_BREAK).find((l) => l.trim()) ?? '';
    return (parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0];
  } catch {
    return undefined;
  }
}

/**
 * The line a quoted cell that never closes starts on: quotes open only at the start of a cell, and `""`
 * inside a quoted cell is a quote character (RFC 4180, as csv-parse reads it).
 */
function unclosedQuoteLine({ text, delimiter }: { text: string; delimiter: string }): number | undefined {
  let line = 1;
  let openedOn: number | undefined;
  let cellStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' || (c === '\n' && text[i - 1] !== '\r')) line++;
    if (openedOn !== undefined) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') openedOn = undefined;
      continue;
    }
    if (c === '"' && cellStart) openedOn = line;
    cellStart = c === delimiter || c === '\n' || c === '\r';
  }
  return openedOn;
}

/**
 * A row of nothing but empty cells (",,," once cells are trimmed): a spreadsheet saves rows it once formatted so,
 * below the last one. Not a row of the table: the one rule for an export (vitrine import), labels.csv and
 * data/objects.csv, whose readers skip such rows and say so once (emptyRowsMessage).
 */
export function isEmptyRow(cells: Record<string, string>): boolean {
  return Object.values(cells).every((cell) => cell === '');
}

/** What is said, once, of the rows of empty cells skipped in `file`: how many, and their first ten lines. */
export function emptyRowsMessage({ file, lines }: { file: string; lines: number[] }): string {
  const shown = lines.slice(0, 10);
  const listed = shown.length === 1 ? `line ${shown[0]}` : `lines ${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
  return (
    `${lines.length === 1 ? '1 row' : `${lines.length} rows`} of ${file} ${lines.length === 1 ? 'is' : 'are'} empty ` +
    `(${listed}${lines.length > 10 ? ` and ${lines.length - 10} more` : ''}: only separators, as a spreadsheet ` +
    'leaves below the last row): skipped.'
  );
}

/** Read `data/objects.csv`. Duplicate ids are an error naming both lines. */
export async function readObjects({
  file,
}: {
  file: string;
}): Promise<{ objects: CollectionObject[]; lineOf: Map<string, number> }> {
  const text = await readText(file);
  return parseObjects({ text, file });
}

/** Parse the objects table from text (e.g. a git blob). Rows of empty cells are skipped (isEmptyRow). */
export function parseObjects({
  text,
  file,
  emptyRows,
  refuseMisspelt = false,
}: {
  text: string;
  file: string;
  /** Collects the lines of the rows of empty cells skipped, for the caller to say once (emptyRowsMessage). */
  emptyRows?: number[];
  /**
   * Refuse a heading that is a near miss of one of Vitrine's columns absent from the header (misspeltColumns): the
   * dataset stage, before it builds anything. Readers of an older table (a pull request's base) read it as it is.
   */
  refuseMisspelt?: boolean;
}): {
  objects: CollectionObject[];
  lineOf: Map<string, number>;
} {
  let table: ReturnType<typeof parseCsv>;
  try {
    table = parseCsv({ text, file });
  } catch (error) {
    // Earlier versions wrote a column of import.keep named like one of Vitrine's twice: the fix is there.
    const column = error instanceof VitrineError && error.code === 'CSV_COLUMNS' ? error.data.column : undefined;
    if (typeof column !== 'string' || !(OBJECT_COLUMNS as readonly string[]).includes(column)) throw error;
    throw new VitrineError(
      'CSV_COLUMNS',
      `${error instanceof Error ? error.message : ''} This table is written by "vitrine import": if import.keep in ` +
        `params.yaml names "${column}", take it out of import.keep and import again.`,
      (error as VitrineError).data,
      { cause: error },
    );
  }
  const { header, rows } = table;
  if (!header.includes('id')) {
    const near = misspeltColumns({ header, absent: ['id'] })[0];
    throw new VitrineError(
      'CSV_COLUMNS',
      `${file}:1: the header has no "id" column (found: ` +
        `${header.join(', ') || 'nothing'}).${
          near
            ? ` The heading "${near.heading}" (column ${near.column}) looks like "id": rename it "id" in the first ` +
              `line of ${file}.`
            : ''
        }`,
      { file, line: 1, ...(near && { column: near.heading, meant: 'id' }) },
    );
  }
  if (refuseMisspelt) {
    const misses = misspeltColumns({ header }).filter(meantForSure);
    if (misses.length > 0) throw misspeltColumnsError({ file, misses });
  }
  const objects: CollectionObject[] = [];
  const lineOf = new Map<string, number>();
  for (const { line, cells } of rows) {
    if (isEmptyRow(cells)) {
      emptyRows?.push(line);
      continue;
    }
    const id = cells.id ?? '';
    if (!id) throw new VitrineError('OBJECT_ID_MISSING', `${file}:${line}: this row has no object id`, { file, line });
    const seen = lineOf.get(id);
    if (seen !== undefined)
      throw new VitrineError(
        'OBJECT_DUPLICATE',
        `${file}:${line}: object "${id}" appears twice ` + `(first on line ${seen})`,
        { file, line, object: id },
      );
    lineOf.set(id, line);
    const object = {
      id,
      title: '',
      maker: '',
      date: '',
      department: '',
      medium: '',
      creditLine: '',
      rights: '',
      description: '',
      image: '',
      extra: {},
    } as CollectionObject;
    const extra: [string, string][] = [];
    for (const [column, value] of Object.entries(cells)) {
      const field = Object.hasOwn(FIELD_OF, column) ? FIELD_OF[column as (typeof OBJECT_COLUMNS)[number]] : undefined;
      if (field && field !== 'extra') (object as unknown as Record<string, string>)[field] = value;
      else extra.push([column, value]);
    }
    object.extra = Object.fromEntries(extra);
    objects.push(object);
  }
  return { objects, lineOf };
}

/**
 * The column of `known` that `heading` is most likely a misspelling of: the same once capitals, spaces and dashes
 * are set aside (idKey, the rule "vitrine import" names an export's near column by), or a letter or two off, two
 * letters swapped included (closest, the command line's "did you mean"). Undefined when none is near.
 */
export function nearColumn(heading: string, known: readonly string[]): string | undefined {
  const key = idKey(heading);
  const same = known.find((column) => idKey(column) === key);
  if (same !== undefined) return same;
  // Only the columns closest could take (it takes at most a third of the heading changed, or a beginning): a header
  // of thousands of long headings is not compared letter by letter with every column.
  const most = Math.max(1, Math.floor(heading.length / 3));
  const lower = heading.toLowerCase();
  const near = known.filter((c) => Math.abs(c.length - heading.length) <= most || c.toLowerCase().startsWith(lower));
  return near.length > 0 ? closest(heading, near) : undefined;
}

/** A heading of data/objects.csv that looks like one of Vitrine's columns the header does not have. */
export interface MisspeltColumn {
  heading: string;
  /** Its column, counted from 1. */
  column: number;
  /** The column of Vitrine's it looks like. */
  meant: string;
}

/**
 * The headings of an objects table that are near misses (nearColumn) of Vitrine's columns absent from it: "titel"
 * without "title" would leave every object's title empty, its cells kept as an extra column. A heading beside the
 * real column ("titles" beside "title") is a column of its own. `absent`: the columns to look for, by default every
 * one of Vitrine's the header lacks.
 */
export function misspeltColumns({
  header,
  absent = OBJECT_COLUMNS.filter((c) => !header.includes(c)),
}: {
  header: string[];
  absent?: readonly string[];
}): MisspeltColumn[] {
  if (absent.length === 0) return [];
  return header.flatMap((heading, i) => {
    if ((OBJECT_COLUMNS as readonly string[]).includes(heading)) return [];
    const meant = nearColumn(heading, absent);
    return meant ? [{ heading, column: i + 1, meant }] : [];
  });
}

/**
 * A near miss that stops the dataset stage: the column in other capitals or spacing ("Title", "Credit Line"), or a
 * slip in one the catalogue cannot do without (id, title, image: "titel", "imgae"). A museum's own columns that look
 * like an optional one ("dated", "makers", "credit") or extend a name ("titles", "images") are kept as its own.
 */
function meantForSure({ heading, meant }: MisspeltColumn): boolean {
  if (idKey(heading) === idKey(meant)) return true;
  const lower = heading.toLowerCase();
  return ['id', 'title', 'image'].includes(meant) && lower.length >= 3 && !lower.startsWith(meant);
}

/** The error for misspelt headings of data/objects.csv, all named in one message (line 1, each with its column). */
export function misspeltColumnsError({ file, misses }: { file: string; misses: MisspeltColumn[] }): VitrineError {
  const list = (items: string[]) =>
    items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  const one = misses.length === 1;
  const headings = list(misses.map((m) => `"${m.heading}" (column ${m.column})`));
  const meant = list(misses.map((m) => `"${m.meant}"`));
  const fields = list(misses.map((m) => m.meant.replace('_', ' ')));
  const first = misses[0]!;
  return new VitrineError(
    'CSV_COLUMNS',
    `${file}:1: the heading${one ? '' : 's'} ${headings} look${one ? 's' : ''} like ${meant}, ` +
      `${one ? "one of Vitrine's columns" : "Vitrine's columns"}, and the header has no ${
        one ? `"${first.meant}" column` : 'such columns'
      }: every object would be read without its ${fields}. Did you mean ${meant}? ` +
      `Rename ${one ? 'the heading' : 'those headings'} in the first line of ${file}, then run again ` +
      `(if ${one ? `"${first.heading}"` : 'one'} is a column of your own, add an empty ${
        one ? `"${first.meant}" column` : "column of Vitrine's name"
      } beside it instead). Nothing was written.`,
    { file, line: 1, column: first.heading, meant: first.meant, columns: misses },
  );
}

/**
 * Write the objects table (sorted by id) atomically. `tempDir` keeps the temporary file out of data/,
 * where the data layer's scan would see it.
 */
export async function writeObjects({
  file,
  objects,
  tempDir,
}: {
  file: string;
  objects: CollectionObject[];
  tempDir?: string;
}): Promise<void> {
  const data = formatObjects({ objects });
  if (!tempDir) return writeFileAtomic({ file, data });
  await mkdir(tempDir, { recursive: true });
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(tempDir, `${path.basename(file)}.${randomBytes(6).toString('hex')}`);
  await writeFile(temp, data);
  await keepModeOf({ target: file, temp });
  await rename(temp, file);
}

/** The exact text of the objects table: Vitrine's columns, then the extra ones sorted, rows sorted by id. */
export function formatObjects({ objects }: { objects: CollectionObject[] }): string {
  const extraColumns = [...new Set(objects.flatMap((o) => Object.keys(o.extra)))].sort();
  const header = [...OBJECT_COLUMNS, ...extraColumns];
  const rows = [...objects]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((o) => [
      ...OBJECT_COLUMNS.map((c) => String(o[FIELD_OF[c]] ?? '')),
      ...extraColumns.map((c) => o.extra[c] ?? ''),
    ]);
  return stringify([header, ...rows]);
}

/** Read `labels.csv` (`object_id,label`). */
export async function readLabels({ file }: { file: string }): Promise<LabelLine[]> {
  await refuseLinkedFile({ file, name: path.basename(file) });
  return parseLabels({ text: await readText(file), file });
}

/*
 * labels.csv is two columns (object_id, label) and perhaps a few of the staff's own (a note, who checked it). A
 * line of 100,000 columns cost seconds and hundreds of megabytes to parse, a cell object per column per row: such
 * a line is refused by one pass over the text, before the CSV parser sees it.
 */

/** Most columns a line of labels.csv may have. */
export const MAX_LABEL_COLUMNS = 100;

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** The columns every line of labels.csv has: object_id and label (the staff's own may follow). */
export const LABEL_COLUMNS = 2;

/**
 * Throw LABELS_TOO_MANY_COLUMNS, naming the file and the line the record starts on, when a record of `text` has
 * more than MAX_LABEL_COLUMNS cells. Commas and line breaks inside quoted cells belong to the cell; lines count as
 * in the file (a quoted line break starts a new one). Stops at the first such record.
 */
function checkLabelColumns({ text, name }: { text: string; name: string }): void {
  let line = 1;
  let recordLine = 1;
  let columns = 1;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (c === CR || c === LF) {
      // \r\n is one line break.
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      line++;
      if (!quoted) {
        recordLine = line;
        columns = 1;
      }
    } else if (c === COMMA && !quoted && ++columns > MAX_LABEL_COLUMNS) {
      throw new VitrineError(
        'LABELS_TOO_MANY_COLUMNS',
        `${name}:${recordLine}: this line has more than ${MAX_LABEL_COLUMNS} columns (cells separated by commas). ` +
          `${name} needs two, object_id and label, and may keep a few of your own (a note, who checked it). ` +
          'Remove the extra columns (or the extra commas on that line) and commit the file again.',
        { file: name, line: recordLine, max: MAX_LABEL_COLUMNS },
      );
    }
  }
}

/**
 * Parse labels text. Rows with an empty label are skipped (the object is unlabelled), and collected in
 * `blanks` when given (the dataset stage warns of one that repeats a labelled object); rows of empty cells
 * (isEmptyRow: a spreadsheet's below the last row) are skipped, their lines collected in `emptyRows`;
 * structural problems (no header, missing id) are errors naming the line. Duplicates and unknown ids are
 * left to the dataset stage, which reports them with the rest of the validation.
 */
export function parseLabels({
  text,
  file,
  blanks,
  emptyRows,
  tabs,
}: {
  text: string;
  file: string;
  /** Collects the rows whose label cell is empty (label ""). */
  blanks?: LabelLine[];
  /** Collects the lines of the rows of empty cells skipped, for the caller to say once (emptyRowsMessage). */
  emptyRows?: number[];
  /**
   * Collects the rows whose label holds a tab (read as a space, as labelForm reads it), each with its label as
   * written: unlike a no-break space, a tab does not look like a space where staff read the file (the report says it).
   */
  tabs?: LabelLine[];
}): LabelLine[] {
  // Here, before parsing, so that every reader of labels.csv (dataset, report, import, monitor) refuses such a line.
  checkLabelColumns({ text, name: file });
  const { header, rows } = parseCsv({ text, file, required: LABEL_COLUMNS });
  if (header.length === 0) return [];
  if (header[0] !== 'object_id' || header[1] !== 'label') {
    throw new VitrineError(
      'LABELS_HEADER',
      `${file}:1: the first line must be "object_id,label" (found ` + `"${header.join(',')}").`,
      { file, line: 1 },
    );
  }
  const labels: LabelLine[] = [];
  // The line of the row above when its last column (one of the staff's own) holds a note.
  let note: number | undefined;
  for (const { line, cells, short } of rows) {
    if (isEmptyRow(cells)) {
      emptyRows?.push(line);
      note = undefined;
      continue;
    }
    const afterNote = short ? note : undefined;
    note = header.length > LABEL_COLUMNS && !short && cells[header.at(-1)!] ? line : undefined;
    const objectId = cells.object_id ?? '';
    if (!objectId) {
      // Only the staff's own columns filled in (a note): "has a label" would send them looking for one.
      const what = cells.label
        ? 'this line has a label but no object id'
        : 'this line has no object id and no label, only other cells: give it the object id and label, or delete it';
      throw new VitrineError('LABEL_ID_MISSING', `${file}:${line}: ${what}`, { file, line });
    }
    if (!cells.label) {
      blanks?.push({ objectId, label: '', line });
      continue;
    }
    // One Unicode form: "Pièce" saved composed by one program and decomposed (e + accent) by another, as
    // some Mac programs write it, is one label, not two classes that look the same.
    // And a no-break space or another that prints as a space between words is a plain space (labelForm).
    labels.push({ objectId, label: labelForm(cells.label), line, ...(afterNote ? { afterNote } : {}) });
    if (cells.label.includes('\t')) tabs?.push({ objectId, label: cells.label, line });
  }
  return labels;
}

/** Write `labels.csv` sorted by object id, one line per object, atomically. */
export async function writeLabels({
  file,
  labels,
}: {
  file: string;
  labels: { objectId: string; label: string }[];
}): Promise<void> {
  await writeFileAtomic({ file, data: formatLabels({ labels }) });
}

/** The exact text of a labels file for these labels. */
export function formatLabels({ labels }: { labels: { objectId: string; label: string }[] }): string {
  const sorted = [...labels].sort((a, b) => compareIds(a.objectId, b.objectId));
  return stringify([['object_id', 'label'], ...sorted.map((l) => [l.objectId, l.label])]);
}

/**
 * The text of a labels file with every column staff keep (`object_id,label,note`), rows sorted by object
 * id (stable: repeated ids keep their order) and the file's own line ends.
 */
export function formatLabelsTable({
  header,
  rows,
  eol = '\n',
  short = false,
}: {
  header: string[];
  rows: Record<string, string>[];
  eol?: string;
  /**
   * The file leaves the staff's own columns out of lines where they are empty ("A1,coin" under
   * "object_id,label,notes"): such lines are written so again, not rewritten with a comma each.
   */
  short?: boolean;
}): string {
  const sorted = [...rows].sort((a, b) => compareIds(a.object_id ?? '', b.object_id ?? ''));
  const cells = (r: Record<string, string>) => {
    const all = header.map((c) => r[c] ?? '');
    if (!short) return all;
    let width = all.length;
    while (width > LABEL_COLUMNS && all[width - 1] === '') width--;
    return all.slice(0, width);
  };
  return stringify([header, ...sorted.map(cells)], { record_delimiter: eol === '\r\n' ? 'windows' : 'unix' });
}

/** Object ids sort by code point, the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How idDifferences names characters that print as nothing. */
const INVISIBLE = 'invisible characters (a zero-width space, a soft hyphen, a direction mark)';

/**
 * An id as messages show it: each invisible character written <U+200B>, so that two ids that print alike differ. A
 * joiner inside a word of a script written with it (Persian "کتاب\u200cخانه-12": joinerInWord) is the id's own text,
 * shown as it is, as a label's is (labelShown); one at an end or between Latin letters is written by its code.
 */
export function visibleId(id: string): string {
  return id.replace(/\p{Cf}/gu, (c, at: number) => (joinerInWord({ text: id, at }) ? c : `<${characterCode(c)}>`));
}

/**
 * Ids compared in one message ("e.g. "A-1" for "A–1"", a group of look-alike ids), each as visibleId shows it; when
 * two would then print alike (they differ only in a joiner inside a word), every invisible character of each is
 * written by its code, as the dataset stage writes two such labels.
 */
export function visibleIds(ids: readonly string[]): string[] {
  const shown = ids.map(visibleId);
  const printed = new Map<string, string>();
  for (const [i, s] of shown.entries()) {
    const seen = s.replace(/\p{Cf}/gu, '');
    const other = printed.get(seen);
    if (other !== undefined && other !== ids[i])
      return ids.map((id) => id.replace(/\p{Cf}/gu, (c) => `<${characterCode(c)}>`));
    printed.set(seen, ids[i]!);
  }
  return shown;
}

/** The ways ids are rewritten by exports and spreadsheets, in the order applied, each named for messages. */
const ID_FORMS: [string, (id: string) => string][] = [
  ['how an accent is encoded', (id) => id.normalize('NFC')],
  ['fullwidth or other forms of characters', (id) => id.normalize('NFKC')],
  // A copy and paste brings them in; NFKC keeps them, and the two ids print alike (a tester's split object).
  [INVISIBLE, (id) => id.replace(/\p{Cf}/gu, '')],
  ['capitals', (id) => id.toLowerCase()],
  ['dashes', (id) => id.replace(/[\u2010-\u2015\u2212]/g, '-')],
  [
    'spaces',
    (id) =>
      // Not U+FEFF, which JavaScript counts as a space: it is one of the invisible characters, said as such.
      id
        .replace(/[^\S\uFEFF]+/g, ' ')
        .replace(/^ | $/g, '')
        .replace(/ ?([^\p{L}\p{N} ]) ?/gu, '$1'),
  ],
];

/**
 * Punctuation written another way or left out ("Ms 12/3a" for "Ms. 12/3a", "MS 10_5" for "MS 10/5"): each run of
 * spaces and punctuation is one gap, so the letters and numbers must be the same and grouped the same ("MS 12/3" is
 * not "MS 1/23"). Only with idKey's `punctuation`: import keeps such ids apart.
 */
const PUNCTUATION: [string, (id: string) => string] = [
  'punctuation',
  (id) => id.replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ').trim(),
];

/**
 * An id typed with no punctuation at all ("DM0006") says nothing of how its letters and numbers are grouped: it is
 * compared with them run together ("DM-0006", "DM 0006"), spaces and punctuation named apart.
 */
const RUN_TOGETHER: [string, (id: string) => string][] = [
  ['spaces', (id) => id.replace(/\s+/gu, '')],
  ['punctuation', (id) => id.replace(/[^\p{L}\p{N}\p{M}\s]+/gu, '')],
];

/**
 * An id as compared to find the same id written another way: `ＤＭ－０００１`, `dm - 0001` and `DM-0001` are one.
 * `punctuation`: also with punctuation left out or written otherwise (`Ms 12/3a` and `Ms. 12/3a`), for a "Did you
 * mean" when nothing nearer matches; 'run together': with no spaces or punctuation left at all (`DM0006` and
 * `DM-0006`), only for an id typed without any (the caller's to check: `MS 12/3` is not `MS 1/23`).
 */
export function idKey(
  id: string,
  { zeros = false, punctuation = false }: { zeros?: boolean; punctuation?: boolean | 'run together' } = {},
): string {
  const key = ID_FORMS.reduce((key, [, form]) => form(key), id);
  const spaced = punctuation ? PUNCTUATION[1](key) : key;
  const loose = punctuation === 'run together' ? spaced.replaceAll(' ', '') : spaced;
  return zeros ? NUMBER_FORMS.reduce((key, [, form]) => form(key), loose) : loose;
}

/** How idDifferences names the zeros a spreadsheet drops from the end of a number with a dot (1987.10 → 1987.1). */
export const SHORTENED = 'zeros dropped at the end of a number with a dot';

/** How idDifferences names the leading zeros a spreadsheet drops (000123 → 123). */
export const LEADING_ZEROS = 'leading zeros';

/** How idDifferences names the ".0" a script writes after a whole number (12 → 12.0). */
export const POINT_ZERO = 'a ".0" after a number';

/** How idDifferences names an id a spreadsheet saved in scientific notation (100000 → 1.00E+05, 1E5). */
export const SCIENTIFIC = 'scientific notation';

/** How idDifferences names an id a spreadsheet took for a date and saved as one (2019/4/3 → 03/04/2019). */
export const DATE = 'being saved as a date';

/**
 * A date-like id (a four-digit year first or last, and two other numbers, apart by "/", "-" or ".") as one key
 * whatever the order and padding a spreadsheet saves a date in: 2019/4/3, 03/04/2019, 4/3/2019 and 2019-04-03 are
 * all `2019-3-4`. Any other id is returned as it is.
 */
export function dateKey(id: string): string {
  const match = /^(\d{1,4})([/.-])(\d{1,2})[/.-](\d{1,4})$/.exec(id);
  if (!match) return id;
  const [, a, , b, c] = match as unknown as [string, string, string, string, string];
  const yearFirst = a.length === 4 && c.length <= 2;
  const yearLast = c.length === 4 && a.length <= 2;
  if (!yearFirst && !yearLast) return id;
  const [year, x, y] = yearFirst ? [a, b, c] : [c, a, b];
  const [low, high] = [Number(x), Number(y)].sort((m, n) => m - n);
  return `${year}-${low}-${high}`;
}

/**
 * The whole number an id in scientific notation stands for, as a spreadsheet saves a number it took an id for:
 * `1.00E+05`, `1E5`, `1,23E+05` (a comma where the locale writes one) → `100000`, `100000`, `123000`. Any other id,
 * or one that is no whole number (`1.5E0`) or absurdly long, is returned as it is.
 */
export function scientificWhole(id: string): string {
  const match = /^(\d+)(?:[.,](\d+))?e\+?(\d{1,2})$/i.exec(id);
  if (!match) return id;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  const exponent = Number(match[3]);
  if (fraction.length > exponent) return id;
  return `${match[1]}${fraction}${'0'.repeat(exponent - fraction.length)}`.replace(/^0+(?=\d)/, '');
}

/**
 * True when `shown` is the all-digit id `number` in scientific notation with digits lost, as a spreadsheet shows a
 * number in a narrow column and saves it so in a CSV: 123456 as 1.2E+05 or 1,23E+05 (a comma in some locales).
 */
export function roundsToScientific(number: string, shown: string): boolean {
  const key = scientificKey(shown);
  return key !== undefined && /^\d+$/.test(number) && Number(number).toExponential(key.digits) === key.key;
}

/**
 * `shown` in scientific notation as toExponential writes it (1,23E+05 → 1.23e+5), with its number of digits after
 * the point; undefined for any other id.
 */
export function scientificKey(shown: string): { key: string; digits: number } | undefined {
  const match = /^(\d)(?:[.,](\d+))?e\+?(\d{1,2})$/i.exec(shown);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  return { key: `${match[1]}${fraction ? `.${fraction}` : ''}e+${Number(match[3])}`, digits: fraction.length };
}

/**
 * How spreadsheets and scripts rewrite ids they take for numbers: scientific notation (100000 → 1.00E+05), leading
 * zeros dropped (00012 → 12), or a decimal written (12 → 12.0, pandas with an empty cell in the column), or the
 * zeros at the end of a number with a dot dropped (1987.10 → 1987.1), or a date-like id saved as a date
 * (2019/4/3 → 03/04/2019). Tried only when no other form matches.
 */
const NUMBER_FORMS: [string, (id: string) => string][] = [
  // First: dropping leading zeros would turn 1.00E+05 into 1.0E+5, which no longer reads back whole.
  [SCIENTIFIC, (id) => scientificWhole(id)],
  [LEADING_ZEROS, (id) => id.replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, ''))],
  [POINT_ZERO, (id) => id.replace(/^(\d+)\.0+$/, '$1')],
  [SHORTENED, (id) => shortenedNumber(id)],
  // Last: after leading zeros are dropped, 03/04/2019 and 2019/4/3 differ only in the order a date is written in.
  [DATE, (id) => dateKey(id)],
];

/**
 * An id as a spreadsheet saves it when it takes it for a number with a dot: the zeros at the end dropped
 * (accession number 1987.10 → 1987.1, 2001.300 → 2001.3). Any other id is returned as it is.
 */
export function shortenedNumber(id: string): string {
  return id.replace(/^(\d+\.\d*[1-9])0+$/, '$1');
}

/** What to do about ids a spreadsheet shortened, said after the ids. */
export const SHORTENED_ADVICE =
  'a spreadsheet takes such an id for a number and drops the zeros at its end: format the id column as text ' +
  'before saving, or export again from the collections system';

/**
 * How a spreadsheet or script turned the id `old` into `now`, if it can have: the forms it used (000123 → 123 is
 * leading zeros; 1987.10 → 1987.1 zeros dropped at the end), none when it cannot have. It writes numbers only, and
 * only drops zeros, never adds them: 1987.1 → 1987.10 or A-012 → A-12 is no spreadsheet's doing. Scientific notation
 * is said only for an id of digits alone (100000 → 1.00E+05, 123456 → 1.2E+05).
 */
export function spreadsheetChanges(old: string, now: string): string[] {
  const number = /^(\d+)(?:\.(\d+))?$/.exec(old);
  if (!number) return [];
  const [, whole, fraction] = number as unknown as [string, string, string | undefined];
  const unpadded = whole.replace(/^0+(?=\d)/, '');
  if (fraction === undefined && scientificKey(now) !== undefined)
    return scientificWhole(now) === unpadded || roundsToScientific(old, now) ? [SCIENTIFIC] : [];
  const forms = unpadded === whole ? [] : [LEADING_ZEROS];
  if (fraction !== undefined) {
    const shortened = fraction.replace(/0+$/, '');
    if (shortened === fraction) return [];
    return now === (shortened ? `${unpadded}.${shortened}` : unpadded) ? [...forms, SHORTENED] : [];
  }
  if (/^\d+\.0+$/.test(now) && now.replace(/\.0+$/, '') === unpadded) return [...forms, POINT_ZERO];
  return now === unpadded ? forms : [];
}

/**
 * A date with "/" or "-", a four-digit year first or last; with `saved`, also as a spreadsheet in a German or
 * Russian locale saves one, year last after dots (03.04.2019). Never a dot otherwise: 1999.1.2 is an accession number.
 */
function realDate(id: string, { saved = false }: { saved?: boolean } = {}): boolean {
  const match =
    /^(\d{1,4})([/-])(\d{1,2})\2(\d{1,4})$/.exec(id) ?? (saved ? /^\d{1,2}\.\d{1,2}\.\d{4}$/.exec(id) : null);
  if (!match || dateKey(id) === id) return false;
  // dateKey writes the two numbers smaller first: one is a month, the other a day.
  const [year, low, high] = dateKey(id).split('-').map(Number) as [number, number, number];
  return year > 0 && low >= 1 && low <= 12 && high <= 31;
}

/**
 * How a spreadsheet turned the collection's id `object` into `written`, the id a labels.csv line has, in the
 * direction a spreadsheet changes ids: leading zeros dropped, zeros dropped at the end of a number with a dot
 * (2019.10 → 2019.1, never 2019.1 → 2019.10), a ".0" added, a number in scientific notation (digits lost or not), a
 * date written with "/" or "-" saved as a date (2019/4/3 → 03/04/2019; never a dotted accession number like
 * 1999.1.2). None when no spreadsheet can have. Spaces, capitals and other forms idKey sets aside are set aside first.
 * The one rule for "Did you mean" by a spreadsheet's change, the labels the gate counts lost, and import.
 */
export function spreadsheetRewrite({ object, written }: { object: string; written: string }): string[] {
  const [from, to] = [idKey(object), idKey(written)];
  if (from === to) return [];
  const forms = spreadsheetChanges(from, to);
  if (forms.length > 0) return forms;
  return realDate(from) && realDate(to, { saved: true }) && dateKey(from) === dateKey(to) ? [DATE] : [];
}

/**
 * Whether `written` is the id `object` with leading zeros dropped from its numbers (DM-0006 → DM-6), as staff or a
 * script shorten it; never zeros added (A-12 → A-012).
 */
export function zerosDroppedFrom({ object, written }: { object: string; written: string }): boolean {
  const [from, to] = [idKey(object), idKey(written)];
  return from !== to && from.replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '')) === to;
}

/**
 * Whether an id of the export is one a spreadsheet would have changed by `form` and is there unchanged (1987.20 with
 * its last zero, 000124 with its leading zeros, 12 without ".0"): then no spreadsheet saved the id column.
 */
export function untouchedBy(form: string, id: string): boolean {
  if (form === LEADING_ZEROS) return /^0\d+(?:\.\d+)?$/.test(id);
  if (form === SHORTENED) return /^\d+\.\d*0$/.test(id);
  if (form === POINT_ZERO) return /^\d+$/.test(id);
  return false;
}

/** The ways idDifferences names that are a spreadsheet's or script's doing: never a renaming staff would make. */
export const NUMBER_DIFFERENCES = NUMBER_FORMS.map(([what]) => what);

/** Every way idDifferences names, in the order messages list them. */
export const ID_DIFFERENCES = [...ID_FORMS, PUNCTUATION, ...NUMBER_FORMS].map(([what]) => what);

/**
 * How two ids with one idKey (with or without zeros or punctuation) differ: the forms without which they would not
 * be equal. NFKC also composes accents, so a difference in accent encoding alone is told first, and apart.
 * `punctuation`: the ids were matched with punctuation set aside (idKey's `punctuation`), so that is the reason
 * named, never a spreadsheet's number or date forms: 1999.1.2 for 1999-1-2 is an accession number, not a date.
 * 'run together': matched with no spaces or punctuation at all, each named when it is one of the differences.
 */
export function idDifferences(
  a: string,
  b: string,
  { punctuation = false }: { punctuation?: boolean | 'run together' } = {},
): string[] {
  const [accents, ...others] = ID_FORMS;
  if (a !== b && a.normalize('NFC') === b.normalize('NFC')) return [accents![0]];
  // Punctuation only for ids no other form makes one: beside the others it would hide a difference in spaces or dashes.
  const loose =
    punctuation ||
    (idKey(a, { zeros: true }) !== idKey(b, { zeros: true }) &&
      idKey(a, { punctuation: true }) === idKey(b, { punctuation: true }));
  const forms =
    punctuation === 'run together'
      ? [...others, ...RUN_TOGETHER]
      : loose
        ? [...others, PUNCTUATION]
        : [...others, ...NUMBER_FORMS];
  const apply = (id: string, skip: number) =>
    forms.reduce((key, [, form], i) => (i === skip ? key : form(key)), id.normalize('NFC'));
  // Two forms are named "spaces" with 'run together': each difference named once.
  const differences = [...new Set(forms.flatMap(([what], i) => (apply(a, i) === apply(b, i) ? [] : [what])))];
  // 123456 saved as 1.2E+05: no form gives one from the other, digits were lost.
  return differences.length === 0 && (roundsToScientific(a, b) || roundsToScientific(b, a))
    ? [SCIENTIFIC]
    : differences;
}

/**
 * Ids in messages, as staff count them: OBJ-2 before OBJ-10 (natural-order.ts). Files keep compareIds, whose order
 * never depends on a collation table.
 */
export { compareIdsNaturally } from '../natural-order.ts';

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new VitrineError('FILE_MISSING', `${file} does not exist`, { file });
    throw error;
  }
  return decodeText({ bytes, file });
}

/**
 * The text of a CSV or JSON Lines file's bytes, which must be UTF-8 (a byte-order mark is kept, as the parsers
 * expect). A file saved as Windows-1252 or Latin-1 (Excel's plain "CSV (Comma delimited)", many collection-system
 * exports) would otherwise have every accent turned into "\uFFFD" without a word; it is refused with the first line
 * that has such a byte. Not transcoded: a guessed encoding can be wrong and would change letters silently. A UTF-8
 * file that holds the character U+FFFD itself is valid. A file that is not text at all (an Excel workbook, a PDF, a
 * photograph) is named for what it is first. `file` is how messages name it.
 */
export function decodeText({
  bytes,
  file,
  isExport = false,
}: {
  bytes: Uint8Array;
  file: string;
  /** A museum's export (decodeExport): its refusal is worded for one, whatever its name. */
  isExport?: boolean;
}): string {
  // A workbook, a zip, a PDF or a photograph read as text would be blamed on its NUL bytes or its encoding.
  const other = notATable({ bytes, file });
  if (other) throw other;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // UTF-16 and UTF-32 are not UTF-8 either: their own message says what to do.
    checkEncoding({ text: Buffer.from(bytes).toString('utf8'), file, isExport });
    throw notUtf8({ bytes, file });
  }
}

/**
 * The text of a museum's export (init and import): as decodeText, but a file in UTF-16 with its byte-order mark
 * (Excel's "Unicode Text", with tabs between cells, and "CSV UTF-16") is read too: the mark says which encoding and
 * byte order it is in, so nothing is guessed. The mark is kept as "\uFEFF", as decodeText keeps UTF-8's. Vitrine's
 * own files (labels.csv, objects.csv) stay UTF-8 only: git shows a UTF-16 file as binary, and a pull request would
 * show none of its lines.
 */
export function decodeExport({ bytes, file }: { bytes: Uint8Array; file: string }): string {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe && !(bytes[2] === 0 && bytes[3] === 0);
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be) return notWebPage({ text: decodeText({ bytes, file, isExport: true }), file });
  try {
    return notWebPage({
      text: new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true, ignoreBOM: true }).decode(bytes),
      file,
    });
  } catch (error) {
    if (isVitrineError(error)) throw error;
    throw new VitrineError(
      'CSV_UTF16',
      `${file} starts as a UTF-16 file (Excel's "Unicode Text") but is not whole UTF-16 text (an odd number of ` +
        'bytes, or a broken character): the file was probably not saved or copied completely. Save it again as ' +
        '"CSV UTF-8 (Comma delimited)" (in Excel: File > Save As), or export it again from the collection system.',
      { file, encoding: 'UTF-16' },
    );
  }
}

/**
 * An export's text, unless it is a web page: a download that failed (an expired login, an error page) saves the
 * page under the export's name, and read as a table it "has no rows" (a tester's).
 */
function notWebPage({ text, file }: { text: string; file: string }): string {
  // The first tag, after a byte-order mark, blank lines, an XML declaration and comments ("Save page as" writes one).
  const opening = text
    .slice(0, 4096)
    .replace(/^\uFEFF?(\s|<\?xml[^>]*>|<!--[\s\S]*?-->)*/, '')
    .slice(0, 20)
    .toLowerCase();
  if (!/^<(!doctype html|html[\s>]|head[\s>])/.test(opening)) return text;
  const title = /<title[^>]*>([^<]{1,80})<\/title>/i.exec(text.slice(0, 16384))?.[1]?.replace(/\s+/g, ' ').trim();
  throw new VitrineError(
    'NOT_CSV',
    `${file} is a web page (HTML), not an export: the download probably failed, and saved a web page in its place ` +
      `(a login page?${title ? ` Its title is "${title}".` : ''}). Download the export again from the collections ` +
      'management system, logged in, and check that it opens as a table.',
    { file, kind: 'a web page' },
  );
}

/** The error for bytes that are not UTF-8, naming the first line with one, shown with "?" in its place. */
function notUtf8({ bytes, file }: { bytes: Uint8Array; file: string }): VitrineError {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const loose = new TextDecoder('utf-8');
  let first: { line: number; shown: string } | undefined;
  let others = 0;
  // Line breaks (\r\n, \n, a lone \r) are single bytes that never occur inside a UTF-8 character.
  for (let start = 0, line = 1; start <= bytes.length; line++) {
    let end = start;
    while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
    const part = bytes.subarray(start, end);
    try {
      strict.decode(part);
    } catch {
      if (first) others++;
      else first = { line, shown: shownAround(loose.decode(part).replace(/^\uFEFF/, '')) };
    }
    start = end + (bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? 2 : 1);
  }
  const { line, shown } = first ?? { line: 1, shown: '' };
  const json = /\.(jsonl|ndjson)$/i.test(file);
  return new VitrineError(
    'NOT_UTF8',
    `${file}:${line}: this file is not saved as UTF-8, so Vitrine cannot read its accented letters: line ${line} ` +
      `has a character it cannot read (shown here as ?: "${shown}")` +
      (others ? `, and so ${others === 1 ? 'does 1 other line' : `do ${others} other lines`}` : '') +
      '. The file is probably in Windows-1252 or Latin-1' +
      (json
        ? ': export it again as UTF-8 from the collection system. '
        : ` (Excel's plain "CSV (Comma delimited)"): in Excel, save it as "CSV UTF-8 (Comma delimited)" ` +
          '(File > Save As), or export it again as UTF-8 from the collection system. ') +
      'Vitrine does not guess the encoding, since a wrong guess would change letters without a word.',
    { file, line },
  );
}

/** A line with each unreadable character as "?", cut to about 80 characters around the first one. */
function shownAround(text: string): string {
  const shown = text.replaceAll('\uFFFD', '?');
  if (shown.length <= 80) return shown;
  const from = Math.max(0, Math.min(text.indexOf('\uFFFD') - 30, shown.length - 79));
  return `${from > 0 ? '…' : ''}${shown.slice(from, from + 79)}${from + 79 < shown.length ? '…' : ''}`;
}
