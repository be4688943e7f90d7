import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { clip } from '../log.ts';
import { type AboveHeader, parseCsv, type RepeatedColumn } from './index.ts';

/*
 * A collections-management export: CSV with a header row, or JSON Lines (one JSON object per line,
 * as many APIs and `jq` write them). Both become the same rows of named cells, each with its line.
 */

export interface ExportTable {
  format: 'csv' | 'jsonl';
  /** Column names in the order first seen. */
  header: string[];
  rows: { line: number; cells: Record<string, string> }[];
  /** CSV columns named twice, left out of `header` and the cells (with `repeats: 'list'`). */
  repeated?: RepeatedColumn[];
  /** Lines above a CSV's column names (a title, a date): left out. */
  aboveHeader?: AboveHeader;
}

/** Parse an export; JSON Lines when the name ends in .jsonl/.ndjson or the text starts with "{". */
export function parseExport({
  text,
  file,
  repeats = 'refuse',
}: {
  text: string;
  file: string;
  /**
   * A CSV column named twice: refused, or listed in `repeated` for the caller to refuse only if it reads that column
   * (exports often repeat a column nobody uses). JSON Lines' repeated keys are always refused: see parseExport's body.
   */
  repeats?: 'refuse' | 'list';
}): ExportTable {
  const startsLikeJson = text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('{');
  const jsonl = /\.(jsonl|ndjson)$/i.test(file) || (!/\.csv$/i.test(file) && startsLikeJson);
  // An export may be separated by ";" or tabs (detected); Vitrine writes objects.csv with commas.
  if (!jsonl) {
    const table = parseCsv({ text, file, repeats, separator: 'detect' });
    const noHeader = dataInHeader(table.header);
    // The line that holds it as a whole cell: blank lines or Excel's "sep=;" may come first (a reviewer: line 1 was
    // said), and a title above may name the same file.
    const cells = (l: string) => l.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, '').trim());
    const at = noHeader ? text.split(/\r\n|\n|\r/).findIndex((l) => cells(l).includes(noHeader.cell)) : -1;
    const line = table.aboveHeader?.headerLine ?? (at >= 0 ? at + 1 : 1);
    if (noHeader)
      throw new VitrineError(
        'EXPORT_NO_HEADER',
        `${file}:${line}: this line holds ${noHeader.words} where the names of the columns go: the export seems to have ` +
          'no line of column names, and its first object would be read as them and lost. Export it again with ' +
          'column names (a "header row"), or add a line of names above it, such as: id,image,label,title.',
        { file, line },
      );
    return { format: 'csv', ...table };
  }
  const header: string[] = [];
  const seen = new Set<string>();
  const rows: ExportTable['rows'] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = i + 1;
      if (!raw.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        const why = (error as Error).message;
        const message = `${file}:${line}: this line is not valid JSON (${why}). A JSON Lines export has one object per line.`;
        throw new VitrineError('EXPORT_MALFORMED', message, { file, line }, { cause: error });
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        const found = Array.isArray(value) ? 'a list' : typeof value;
        const message = `${file}:${line}: expected an object like {"id": "…", "image": "…"}, found ${found}.`;
        throw new VitrineError('EXPORT_MALFORMED', message, { file, line });
      }
      // JSON.parse keeps the last of two equal keys without a word: the other value would be lost. Refused even for a
      // key Vitrine does not read: unlike a CSV header written once, JSON with a key twice in one object is
      // malformed (a broken export script), and the same key can carry different data on every line.
      const twice = repeatedKey(raw);
      if (twice !== undefined) {
        const message =
          `${file}:${line}: the key ${JSON.stringify(twice)} is in this object twice: Vitrine cannot tell which ` +
          'value to read, and would lose the other. Rename one of them (or leave out the one not needed) in the export.';
        throw new VitrineError('EXPORT_MALFORMED', message, { file, line, column: twice });
      }
      const cells: [string, string][] = [];
      const keyOf = new Map<string, string>();
      for (const [key, cell] of Object.entries(value as Record<string, unknown>)) {
        const name = key.trim();
        // Two keys that trim to one name: one's value would be lost without a word.
        const other = keyOf.get(name);
        if (other !== undefined) {
          const message =
            `${file}:${line}: the keys ${JSON.stringify(other)} and ${JSON.stringify(key)} are one name ("${name}") ` +
            'once spaces around it are left out: Vitrine cannot tell which to read. Rename one in the export.';
          throw new VitrineError('EXPORT_MALFORMED', message, { file, line, column: name });
        }
        keyOf.set(name, key);
        if (!seen.has(name)) {
          seen.add(name);
          header.push(name);
        }
        cells.push([name, cellText(cell)]);
      }
      // fromEntries: a key "__proto__" is a cell like any other, not the object's prototype.
      rows.push({ line, cells: Object.fromEntries(cells) as Record<string, string> });
    });
  return { format: 'jsonl', header, rows, repeated: [] };
}

/** The first key written twice in the top-level object of a line of valid JSON, or undefined. */
function repeatedKey(raw: string): string | undefined {
  const keys = new Set<string>();
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let end = i + 1;
      while (raw[end] !== '"') end += raw[end] === '\\' ? 2 : 1;
      const isKey = depth === 1 && /^\s*:/.test(raw.slice(end + 1, end + 20));
      if (isKey) {
        const key = JSON.parse(raw.slice(i, end + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      i = end;
    }
  }
  return undefined;
}

/** The fields that name a nested object ("artists": [{"name": "Hokusai", "role": …}]), best first. */
const NAME_FIELDS = ['name', 'display_name', 'displayName', 'title', 'label', 'value'];

/**
 * A JSON value as the text of a cell: lists joined with "; ", a nested object by its name (NAME_FIELDS), other
 * nested objects as JSON (which guessColumns never maps to a field, so it is not published as a maker or title).
 */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).filter(Boolean).join('; ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const named = NAME_FIELDS.map((f) => record[f]).find((v) => typeof v === 'string' && v.trim());
    return typeof named === 'string' ? named.trim() : JSON.stringify(value);
  }
  return String(value).trim();
}

/** The export's name for messages: relative to the repository when inside it. */
export function exportName({ root, file }: { root: string; file: string }): string {
  const relative = path.relative(root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** Said when an export's column names are not on its first line: which lines were left out, and what the first says. */
export function aboveHeaderNote({ name, above }: { name: string; above: AboveHeader }): string {
  const lines =
    above.lines === 1 ? 'line 1 is' : above.lines === 2 ? 'lines 1 and 2 are' : `lines 1 to ${above.lines} are`;
  const what = above.first ? ` (a title: "${clip(above.first)}")` : '';
  return `${name}: ${lines} above the column names, on line ${above.headerLine}${what}, and ${above.lines === 1 ? 'is' : 'are'} left out.`;
}

/**
 * A cell of the column-names line that is data, with it in words ("“images/a.jpg”, a file name,"), or undefined:
 * an image file's name (or its web address) is never a column's name. A web address alone may be one (linked-data
 * exports name columns https://schema.org/name), and a year or a number may be too (a column per year).
 */
function dataInHeader(header: string[]): { cell: string; words: string } | undefined {
  for (const cell of header) {
    if (/\S\.(jpe?g|jpe|jfif|jif|png|tiff?|gif|webp|heic|heif|avif|jp2)$/i.test(cell.trim()))
      return { cell: cell.trim(), words: `“${clip(cell, 60)}”, a file name,` };
  }
  return undefined;
}
