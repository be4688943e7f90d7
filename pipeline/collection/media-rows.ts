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
 */

/** An object's rows after its first, each naming another photograph. */
export interface MediaRows {
  id: string;
  /** The first row's line and image cell: what is imported. */
  line: number;
  image: string;
  /** The other rows. */
  others: { line: number; image: string }[];
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

const linesOf = (rows: MediaRows) => listWords([rows.line, ...rows.others.map((o) => o.line)].map(String));

/** What import says of the objects with a row per photograph: one note each, or one for many. */
export function mediaRowsNotes(groups: MediaRows[]): { line: number; message: string; id?: string }[] {
  if (groups.length === 0) return [];
  const what =
    'Vitrine takes one photograph per object: the first row’s, and leaves the other rows out. To show another ' +
    'photograph, put its row first in the export. If a row is another object, correct its number in the export';
  if (groups.length <= SHOWN)
    return groups.map((g) => {
      const images = listWords(
        [g.image, ...g.others.map((o) => o.image)].map((image) => `"${clip(image)}"`),
        { max: 5 },
      );
      return {
        line: g.others[0]!.line,
        id: g.id,
        message:
          `object "${clip(g.id)}" has ${g.others.length + 1} rows (lines ${linesOf(g)}) with the same details and ` +
          `different images (${images}): an export with a row per photograph. ${what}`,
      };
    });
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
