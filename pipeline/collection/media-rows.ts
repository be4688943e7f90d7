import { clip } from '../log.ts';
import { listWords } from '../words.ts';

/*
 * An export with a row per photograph: a media report (TMS, Axiell and others write one so) gives an object with five
 * photographs five rows that differ in their image cell (and the report's own columns). An outside tester's (T6 F7)
 * four extra rows were refused
 * as "object … appears again", a second object under one number, and under import.on_invalid "fail" the import
 * stopped. They are one object: it takes the first row's photograph, as for several names in one image cell
 * (severalNamesWords), and the other rows are left out, said once. A row that differs in a column Vitrine reads is
 * another object under the same number, refused as before.
 *
 * The next month's export may list an object's rows in another order (a collections system sorts them as it likes):
 * the object's photograph changed at each import, stored again and said to be new. An object keeps the photograph an
 * earlier import took while one of its rows still names it (storedPhotographFirst); else it takes the first row's.
 */

/** An object's rows after its first, each naming another photograph. */
export interface MediaRows {
  id: string;
  /** The first row's line and image cell: what is imported. */
  line: number;
  image: string;
  /** The other rows. */
  others: { line: number; image: string }[];
  /** The row taken names the photograph the object has from an earlier import (kept while a row names it). */
  kept?: boolean;
}

/**
 * `rows` with, for each object whose photograph an earlier import took from one of its rows, that row put first among
 * the object's rows (the others in their order), when it is the same object's row again (`sameObject`: another
 * photograph, not another object under the same number). Every other row stays where it is.
 */
export function storedPhotographFirst<Row>({
  rows,
  idOf,
  namesStored,
  sameObject,
}: {
  rows: Row[];
  /** The object a row is of; '' for a row of none (blank, without an id). */
  idOf: (row: Row) => string;
  /** Whether `row` names the photograph object `id` has from an earlier import. */
  namesStored: (id: string, row: Row) => boolean;
  /** Whether `row` is the row `first` again for Vitrine, another photograph of the same object (sameObjectRow). */
  sameObject: (first: Row, row: Row) => boolean;
}): Row[] {
  const first = new Map<string, number>();
  // The row to put first, by the place of the object's first row.
  const moved = new Map<number, number>();
  const taken = new Set<number>();
  for (const [i, row] of rows.entries()) {
    const id = idOf(row);
    if (!id) continue;
    const at = first.get(id);
    if (at === undefined) first.set(id, i);
    else if (!moved.has(at) && !namesStored(id, rows[at]!) && namesStored(id, row) && sameObject(rows[at]!, row)) {
      moved.set(at, i);
      taken.add(i);
    }
  }
  if (moved.size === 0) return rows;
  const out: Row[] = [];
  for (const [i, row] of rows.entries()) {
    if (taken.has(i)) continue;
    const put = moved.get(i);
    if (put !== undefined) out.push(rows[put]!);
    out.push(row);
  }
  return out;
}

/**
 * Whether `cells` is the row `first` again for Vitrine, but for another image: the columns it reads (`read`: those
 * import.columns maps and import.keep lists) hold the same, the image another. A media report's own columns (a media
 * id, the photographer) may differ. The same row repeated whole (two exports joined) stays a repeated id, refused.
 */
export function sameObjectRow({
  first,
  cells,
  imageColumn,
  read,
}: {
  first: Record<string, string>;
  cells: Record<string, string>;
  imageColumn: string;
  read: string[];
}): boolean {
  const cell = (row: Record<string, string>, column: string) => (row[column] ?? '').trim();
  if (!imageColumn || cell(first, imageColumn) === cell(cells, imageColumn)) return false;
  return read.every((column) => column === imageColumn || cell(first, column) === cell(cells, column));
}

/** Objects said one by one; more are said in one message. */
const SHOWN = 5;

const linesOf = (rows: MediaRows) =>
  listWords([rows.line, ...rows.others.map((o) => o.line)].sort((a, b) => a - b).map(String));

const ANOTHER_OBJECT = 'If a row is another object, correct its number in the export';

/** What import says of the objects with a row per photograph: one note each, or one for many. */
export function mediaRowsNotes(groups: MediaRows[]): { line: number; message: string; id?: string }[] {
  if (groups.length === 0) return [];
  const firstRow =
    'Vitrine takes one photograph per object: the first row’s, and leaves the other rows out. To show another ' +
    `photograph, put its row first in the export. ${ANOTHER_OBJECT}`;
  if (groups.length <= SHOWN)
    return groups.map((g) => {
      const images = listWords(
        [g.image, ...g.others.map((o) => o.image)].map((image) => `"${clip(image)}"`),
        { max: 5 },
      );
      const taken = `"${clip(g.image)}"`;
      return {
        line: g.others[0]!.line,
        id: g.id,
        message:
          `object "${clip(g.id)}" has ${g.others.length + 1} rows (lines ${linesOf(g)}) with the same details and ` +
          `different images (${images}): an export with a row per photograph. ${
            g.kept
              ? 'Vitrine takes one photograph per object: it keeps the photograph it has from an earlier import ' +
                `(${taken}, line ${g.line}) while a row names it, and leaves the other rows out. To show another ` +
                `photograph, put its row first in the export and leave the row of ${taken} out of the export for ` +
                `one import. ${ANOTHER_OBJECT}`
              : firstRow
          }`,
      };
    });
  const what = groups.some((g) => g.kept)
    ? 'Vitrine takes one photograph per object: the first row’s, or the one an object has from an earlier import ' +
      'while a row still names it, and leaves the other rows out. To show another photograph, put its row first in ' +
      'the export (for an object that has a photograph, also leave that photograph’s row out of the export for one ' +
      `import). ${ANOTHER_OBJECT}`
    : firstRow;
  const shown = groups.map((g) => `${clip(g.id)} (lines ${linesOf(g)})`);
  return [
    {
      line: groups[0]!.others[0]!.line,
      message: `${groups.length} objects have several rows with the same details and different images (${listWords(
        shown,
        {
          max: SHOWN,
        },
      )}): an export with a row per photograph. ${what}`,
    },
  ];
}
