import { clip } from '../log.ts';
import { listWords } from '../words.ts';

/*
 * An export with a row per photograph: a media report (TMS, Axiell and others write one so) gives an object with five
 * photographs five rows that differ only in their image cell. An outside tester's (T6 F7) four extra rows were refused
 * as "object … appears again", a second object under one number, and under import.on_invalid "fail" the import
 * stopped. They are one object: it takes the first row's photograph, as for several names in one image cell
 * (severalNamesWords), and the other rows are left out, said once. A row that differs in any other cell is another
 * object under the same number, refused as before.
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
 * Whether `cells` is the row `first` again but for another image: the same object, another photograph. The same row
 * repeated whole (two exports joined) stays a repeated id, refused.
 */
export function sameObjectRow({
  first,
  cells,
  imageColumn,
}: {
  first: Record<string, string>;
  cells: Record<string, string>;
  imageColumn: string;
}): boolean {
  if (!imageColumn || (first[imageColumn] ?? '').trim() === (cells[imageColumn] ?? '').trim()) return false;
  const columns = new Set([...Object.keys(first), ...Object.keys(cells)]);
  for (const column of columns) {
    if (column === imageColumn) continue;
    if ((first[column] ?? '').trim() !== (cells[column] ?? '').trim()) return false;
  }
  return true;
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
          `object "${clip(g.id)}" has ${g.others.length + 1} rows (lines ${linesOf(g)}) that differ only in their ` +
          `image (${images}): an export with a row per photograph. ${what}`,
      };
    });
  const shown = groups.map((g) => `${clip(g.id)} (lines ${linesOf(g)})`);
  return [
    {
      line: groups[0]!.others[0]!.line,
      message: `${groups.length} objects have several rows that differ only in their image (${listWords(shown, {
        max: SHOWN,
      })}): an export with a row per photograph. ${what}`,
    },
  ];
}
