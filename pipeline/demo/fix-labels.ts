import { readFile } from 'node:fs/promises';
import { parseLabels } from '../collection/index.ts';
import { writeFileAtomic } from '../fs.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { planDemo } from './generate.ts';

/*
 * `vitrine demo --fix-labels` plays a member of staff correcting labels. The labels.csv it edits may have
 * been edited by people too (a note column, Excel's byte-order mark and CRLF line ends, quoted cells):
 * only the label cells of the rows it corrects change; every other byte stays as it was.
 */

/**
 * Correct the demo's deliberately wrong labels in `labels.csv`, cell by cell. Returns the object ids whose
 * label changed (a row already corrected by hand, or emptied, is left alone).
 */
export async function fixDemoLabels({ ws, params }: { ws: Workspace; params: Params }): Promise<{ fixed: string[] }> {
  const truth = new Map(
    planDemo({ demo: params.demo })
      .filter((i) => i.label !== null && i.label !== i.type)
      .map((i) => [i.object.id, i.type] as const),
  );
  const text = await readFile(ws.labels, 'utf8');
  const { text: corrected, changed } = setLabelCells({ text, file: 'labels.csv', labels: truth });
  if (corrected !== text) await writeFileAtomic({ file: ws.labels, data: corrected });
  return { fixed: changed };
}

/**
 * `text` (a labels file) with the label cell of each row whose object id is in `labels` set to that label,
 * when it holds another one. The file is checked by the collection's own parser first; the cells are then
 * found by their offsets, so nothing else moves. A quoted cell stays quoted.
 */
export function setLabelCells({
  text,
  file,
  labels,
}: {
  text: string;
  file: string;
  labels: ReadonlyMap<string, string>;
}): { text: string; changed: string[] } {
  // Refuses a file that is not a labels file (header, merge conflict, malformed CSV) with its own message.
  parseLabels({ text, file });
  const records = csvRecords(text);
  const header = records[0]?.map((c) => cellValue(text, c).trim()) ?? [];
  const idColumn = header.indexOf('object_id');
  const labelColumn = header.indexOf('label');
  const edits: { start: number; end: number; cell: string }[] = [];
  const changed: string[] = [];
  for (const record of records.slice(1)) {
    const id = record[idColumn] ? cellValue(text, record[idColumn]).trim() : '';
    const cell = record[labelColumn];
    const label = labels.get(id);
    if (!cell || label === undefined) continue;
    const current = cellValue(text, cell).trim();
    if (!current || current === label) continue;
    const quoted = text.slice(cell.start, cell.end).trim().startsWith('"') || /[",\r\n]|^\s|\s$/.test(label);
    edits.push({ ...cell, cell: quoted ? `"${label.replaceAll('"', '""')}"` : label });
    changed.push(id);
  }
  let out = text;
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.cell + out.slice(edit.end);
  return { text: out, changed };
}

interface Cell {
  /** Offsets of the cell's raw text in the file, quotes included. */
  start: number;
  end: number;
}

/**
 * The records of CSV `text` as cell offsets: commas separate cells, CRLF, LF or CR end a record, double
 * quotes enclose cells that hold them (a quote inside doubled). Blank lines are no record; a byte-order
 * mark is not part of the first cell.
 */
function csvRecords(text: string): Cell[][] {
  const records: Cell[][] = [];
  let record: Cell[] = [];
  let start = text.startsWith('\uFEFF') ? 1 : 0;
  let quoted = false;
  let i = start;
  const endRecord = (end: number) => {
    record.push({ start, end });
    // A blank line is one empty cell: csv-parse (skip_empty_lines) has no record for it either.
    if (record.length > 1 || end > record[0]!.start) records.push(record);
    record = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push({ start, end: i });
      start = i + 1;
    } else if (c === '\r' || c === '\n') {
      endRecord(i);
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  if (start < text.length || record.length > 0) endRecord(text.length);
  return records;
}

/** A cell's value: its raw text without enclosing quotes, doubled quotes made single. */
function cellValue(text: string, { start, end }: Cell): string {
  const raw = text.slice(start, end).trim();
  return raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replaceAll('""', '"') : raw;
}
