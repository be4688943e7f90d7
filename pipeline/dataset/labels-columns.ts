import { VitrineError } from '../errors.ts';

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

/**
 * Throw LABELS_TOO_MANY_COLUMNS, naming the file and the line the record starts on, when a record of `text` has
 * more than MAX_LABEL_COLUMNS cells. Commas and line breaks inside quoted cells belong to the cell; lines count as
 * in the file (a quoted line break starts a new one). Stops at the first such record.
 */
export function checkLabelColumns({ text, name }: { text: string; name: string }): void {
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
