import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { characterCode, HIDDEN_CHARACTER_NAMES, joinerInWord, tabsShown } from '../collection/hidden-characters.ts';
import { encodedAnotherWay } from '../collection/id-forms.ts';
import {
  DATE,
  decodeText,
  ID_DIFFERENCES,
  idDifferences,
  idKey,
  isEmptyRow,
  LABEL_COLUMNS,
  parseCsv,
  parseLabels,
  parseObjects,
  roundsToScientific,
  SCIENTIFIC,
  SHORTENED,
  scientificKey,
  shortenedNumber,
  spreadsheetRewrite,
  untouchedBy,
  visibleIds,
  zerosDroppedFrom,
} from '../collection/index.ts';
import {
  beginning,
  idCharacters,
  idInMessages,
  MAX_FIELD,
  MAX_ID_BYTES,
  MAX_LABEL_BYTES,
  MAX_TITLE,
  overCharacters,
  overLimit,
  UNSEEN_IN_ID,
} from '../collection/value-limits.ts';
import { labelInList, nearLabels, nearMiss, RARE, sameFolded } from '../collection/vocabulary.ts';
import { controlName } from '../control-characters.ts';
import { isVitrineError, VitrineError } from '../errors.ts';
import { clip, quoted } from '../log.ts';
import type { CollectionObject, DatasetIssue, LabelLine } from '../types.ts';
import { refuseLinkedFile } from './linked-file.ts';

/*
 * The checks on the collection's two tables that do not need the images: duplicate or missing object
 * ids, and label lines that name an unknown object, repeat an object or use a label outside the
 * vocabulary. Each problem is a DatasetIssue with its file and line, so that it can be shown as an
 * annotation on that line of the pull request; the caller decides whether issues skip or fail.
 */

/**
 * Read `data/objects.csv`, keeping the first row of a repeated id and reporting the others (the
 * collection reader refuses the whole file instead). `file` is the path to read; `name` is how
 * messages call it (root-relative). Rows of empty cells are skipped, their lines in `emptyRows`.
 */
export async function readObjectsChecked({ file, name }: { file: string; name: string }): Promise<{
  objects: CollectionObject[];
  lineOf: Map<string, number>;
  issues: DatasetIssue[];
  /** The lines of the rows of empty cells skipped, for the caller to say once (emptyRowsMessage). */
  emptyRows: number[];
  /** md5 of the bytes parsed (read once): what the dataset was made from, whatever the file holds by now. */
  md5: string;
}> {
  let text: string;
  let md5: string;
  try {
    const bytes = await readFile(file);
    md5 = md5Of(bytes);
    text = decodeText({ bytes, file: name });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VitrineError(
        'FILE_MISSING',
        `${name} does not exist: the dataset needs the objects table (run "vitrine import" or "vitrine demo" first).`,
        { file: name },
      );
    }
    throw error;
  }
  // The working table: a misspelt heading stops here, before any object is read or anything built.
  return { ...parseObjectsChecked({ text, name, refuseMisspelt: true }), md5 };
}

/** md5 (hex) of bytes read, as hashFile gives for the file that held them. */
function md5Of(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

/** Whether two of `ids` differ only in how an accent is encoded (composed or not): only ids beyond ASCII can. */
function accentTwins(ids: string[]): boolean {
  const composed = new Set<string>();
  for (const id of ids) {
    if (/^[\x00-\x7f]*$/.test(id)) continue;
    const key = id.normalize('NFC');
    if (composed.has(key)) return true;
    composed.add(key);
  }
  return false;
}

/**
 * The objects table from its text, as the dataset stage reads it: a repeated id keeps its first row, a row without
 * an id is left out, each said in `issues` (parseObjects refuses both). The report reads the base's table so too.
 */
export function parseObjectsChecked({
  text,
  name,
  refuseMisspelt = false,
}: {
  text: string;
  name: string;
  /** Refuse a misspelt heading (parseObjects): the working table; a pull request's base is read as it is. */
  refuseMisspelt?: boolean;
}): {
  objects: CollectionObject[];
  lineOf: Map<string, number>;
  issues: DatasetIssue[];
  emptyRows: number[];
} {
  // The usual case, a clean table, is parsed once; only a table with problems takes the slow path.
  try {
    const emptyRows: number[] = [];
    const parsed = parseObjects({ text, file: name, emptyRows, refuseMisspelt });
    // Two ids that differ only in how an accent is encoded are one id written twice (the slow path says which).
    if (!accentTwins(parsed.objects.map((o) => o.id))) return { ...parsed, issues: [], emptyRows };
  } catch (error) {
    if (!isVitrineError(error, 'OBJECT_DUPLICATE') && !isVitrineError(error, 'OBJECT_ID_MISSING')) throw error;
  }
  const { header, rows } = parseCsv({ text, file: name });
  const issues: DatasetIssue[] = [];
  const firstLine = new Map<string, number>();
  const firstComposed = new Map<string, { id: string; line: number }>();
  const kept: typeof rows = [];
  const emptyRows: number[] = [];
  for (const row of rows) {
    if (isEmptyRow(row.cells)) {
      emptyRows.push(row.line);
      continue;
    }
    const id = row.cells.id ?? '';
    if (!id) {
      issues.push({
        code: 'OBJECT_ID_MISSING',
        message: `${name}:${row.line}: this row has no object id, so it cannot be used.`,
        file: name,
        line: row.line,
      });
      continue;
    }
    // Composed, or a letter and an accent (a Mac's): the same id to anyone reading it, so one object and one page.
    const twin = firstComposed.get(id.normalize('NFC'));
    const seen = firstLine.get(id) ?? twin?.line;
    if (seen !== undefined) {
      const accents =
        twin && twin.id !== id ? `, ${encodedAnotherWay({ id, other: twin.id })}, which looks the same: one id` : '';
      issues.push({
        code: 'OBJECT_DUPLICATE',
        message:
          `${name}:${row.line}: object ${quoted(id)} appears twice (first on line ${seen}${accents}); this row is ` +
          `ignored.${accents && ' Keep one row for the object in the export and import it again.'}`,
        file: name,
        line: row.line,
        object: id,
      });
      continue;
    }
    firstLine.set(id, row.line);
    firstComposed.set(id.normalize('NFC'), { id, line: row.line });
    kept.push(row);
  }
  // Let the collection reader map the columns, so both agree on what a row means.
  const clean = stringify([header, ...kept.map((row) => header.map((h) => row.cells[h] ?? ''))]);
  const { objects } = header.length === 0 ? { objects: [] } : parseObjects({ text: clean, file: name });
  return { objects, lineOf: firstLine, issues, emptyRows };
}

/**
 * `objects` without those whose id cannot be used, each said in `issues` with its line: an id longer than any may be
 * (MAX_ID_BYTES, the limit import refuses a row over) as OBJECT_ID_TOO_LONG with its length and how it begins; an id
 * holding a character no id may hold (idCharacters, import's own rule: a control character, a zero-width space, a
 * direction mark or bidi override) as OBJECT_ID_UNSEEN_CHARACTER, the character named by its code. An id names the
 * object's image file, page and web address, and an object cannot be shown without its number, so the row is left out
 * (said so): "DM-" U+202E "1000" was published everywhere, drawn "DM-0001" (tester T16).
 */
export function withoutUnusableIds({
  objects,
  lineOf,
  name,
}: {
  objects: CollectionObject[];
  lineOf: Map<string, number>;
  name: string;
}): { objects: CollectionObject[]; issues: DatasetIssue[] } {
  const issues: DatasetIssue[] = [];
  const leftOut = (fix: string) =>
    `This row is left out of the dataset and the catalogue until the id is corrected: ${fix} in the collections ` +
    `system and import again (or in ${name}, then run "npx vitrine data add").`;
  const kept = objects.filter((object) => {
    const over = overLimit({ value: object.id, most: MAX_ID_BYTES });
    const unseen = over ? undefined : idCharacters(object.id);
    if (!over && !unseen) return true;
    const line = lineOf.get(object.id);
    issues.push({
      code: over ? 'OBJECT_ID_TOO_LONG' : 'OBJECT_ID_UNSEEN_CHARACTER',
      message: over
        ? `${name}:${line}: the object id is ${over}: an id names the object’s image file and web address, which ` +
          `cannot be that long. A text pasted into the id cell by mistake? It begins ${beginning(object.id)}. ${leftOut('correct it')}`
        : `${name}:${line}: the object id ${unseen!.words}. ${leftOut(`remove ${unseen!.them} from the id`)}`,
      file: name,
      ...(line !== undefined && { line }),
      object: object.id,
    });
    return false;
  });
  return { objects: kept, issues };
}

/** The fields of an object the catalogue publishes, as messages name them, with the most characters each may have. */
const TEXT_FIELDS: [keyof CollectionObject, string, number][] = [
  ['title', 'title', MAX_TITLE],
  ['maker', 'maker', MAX_FIELD],
  ['date', 'date', MAX_FIELD],
  ['department', 'department', MAX_FIELD],
  ['medium', 'medium', MAX_FIELD],
  ['creditLine', 'credit line', MAX_FIELD],
  ['rights', 'rights', MAX_FIELD],
  ['description', 'description', MAX_FIELD],
];

/**
 * `objects` with each field far longer than any real one (MAX_TITLE, MAX_FIELD: the limits import refuses a row
 * over) emptied, each said in `issues` as OBJECT_FIELD_TOO_LONG with the file, line, object, field, length and
 * how it begins. Such a text was pasted into the cell by mistake, most likely in data/objects.csv itself (import
 * refuses it): published, one 5 MB title made a 5 MB object page, browse page and catalogue download. The object is
 * kept (its page, photograph and label), only the field is withheld: taking the object out over one field would
 * remove a public page and leave its label lines naming an unknown object.
 */
export function withoutOverlongFields({
  objects,
  lineOf,
  name,
}: {
  objects: CollectionObject[];
  lineOf: Map<string, number>;
  name: string;
}): { objects: CollectionObject[]; issues: DatasetIssue[] } {
  const issues: DatasetIssue[] = [];
  type Field = { value: string; field: string; its: string; most: number; without: (o: CollectionObject) => void };
  const out = objects.map((object) => {
    const fields: Field[] = [
      ...TEXT_FIELDS.map(([key, what, most]) => ({
        value: String(object[key]),
        field: `the ${what}`,
        its: `its ${what}`,
        most,
        without: (o: CollectionObject) => Object.assign(o, { [key]: '' }),
      })),
      ...Object.entries(object.extra).map(([column, value]) => ({
        value,
        field: `the column ${quoted(column)}`,
        its: `its column ${quoted(column)}`,
        most: MAX_FIELD,
        without: (o: CollectionObject) => (o.extra[column] = ''),
      })),
    ];
    const over = fields.flatMap((f) => {
      const words = overCharacters({ value: f.value, most: f.most });
      return words ? [{ ...f, words }] : [];
    });
    if (over.length === 0) return object;
    const kept = { ...object, extra: { ...object.extra } };
    const line = lineOf.get(object.id);
    for (const { value, field, its, most, without, words } of over) {
      without(kept);
      issues.push({
        code: 'OBJECT_FIELD_TOO_LONG',
        message:
          `${name}:${line}: ${field} of object ${quoted(object.id)} is ${words}, far longer than any real ` +
          `${field === 'the title' ? 'title' : 'text'} (at most ${most.toLocaleString('en')} characters): a text ` +
          `pasted into the cell by mistake? It begins ${beginning(value)}. The object stays in the catalogue, ` +
          `without ${its}, until ${field} is corrected: correct it in the collections system and import again (or ` +
          `in ${name}, then run "npx vitrine data add").`,
        file: name,
        ...(line !== undefined && { line }),
        object: object.id,
      });
    }
    return kept;
  });
  return { objects: out, issues };
}

/**
 * Read `labels.csv`; a missing file means no labels yet. `empty` says, for a file that exists but gives
 * no label, what it holds instead (zero bytes, blank lines, the header only, rows with empty labels).
 * Rows of empty cells (a spreadsheet's, below the last row) are no rows: their lines are in `emptyRows`.
 */
export async function readLabelsChecked({ file, name }: { file: string; name: string }): Promise<{
  labels: LabelLine[];
  /** Rows whose label cell is empty: the object is unlabelled, unless another line labels it (checkLabels). */
  blanks: LabelLine[];
  missing: boolean;
  empty?: EmptyLabels;
  /** The lines of the rows of empty cells skipped, for the caller to say once (emptyRowsMessage). */
  emptyRows: number[];
  /** The lines whose label holds a tab, their labels as written (parseLabels' `tabs`), for checkLabels to quote. */
  tabs: LabelLine[];
  /** md5 of the bytes parsed (read once), "absent" for no file: lock.json records it as what the stage read. */
  md5: string;
  /** The bytes parsed (null: no file), kept for the stages after the dataset stage (labels-as-read.ts). */
  bytes: Uint8Array | null;
}> {
  let text: string;
  let md5: string;
  let bytes: Buffer;
  await refuseLinkedFile({ file, name });
  try {
    bytes = await readFile(file);
    md5 = md5Of(bytes);
    text = decodeText({ bytes, file: name });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { labels: [], blanks: [], missing: true, emptyRows: [], tabs: [], md5: 'absent', bytes: null };
    throw error;
  }
  const blanks: LabelLine[] = [];
  const emptyRows: number[] = [];
  const tabs: LabelLine[] = [];
  const labels = parseLabels({ text, file: name, blanks, emptyRows, tabs });
  if (labels.length > 0) return { labels, blanks, missing: false, emptyRows, tabs, md5, bytes };
  // Parsed a second time only in this rare case, to say exactly what the file holds.
  const empty: EmptyLabels =
    text.length === 0
      ? { kind: 'zero-bytes' }
      : text.replace(/^\uFEFF/, '').trim() === ''
        ? { kind: 'blank' }
        : {
            kind: 'rows',
            rows: parseCsv({ text, file: name, required: LABEL_COLUMNS }).rows.filter((r) => !isEmptyRow(r.cells))
              .length,
          };
  return { labels, blanks, missing: false, empty, emptyRows, tabs, md5, bytes };
}

/** What an existing labels file without any label holds. */
export type EmptyLabels = { kind: 'zero-bytes' } | { kind: 'blank' } | { kind: 'rows'; rows: number };

/** What a labels file without any label holds, after its name: "is empty (0 bytes)", "has no rows below its header". */
export function emptyLabelsWords({ empty }: { empty: EmptyLabels }): string {
  return empty.kind === 'zero-bytes'
    ? 'is empty (0 bytes)'
    : empty.kind === 'blank'
      ? 'holds only blank lines'
      : empty.rows === 0
        ? 'has no rows below its header'
        : `has ${empty.rows} row${empty.rows === 1 ? '' : 's'} but none has a label (the label column is empty)`;
}

/**
 * The one error for a labels file that exists but gives no label: what it holds, and how to fill it in, with an
 * example line from this collection. Said before any image is read, instead of a warning per label.
 */
export function emptyLabelsError({
  empty,
  name,
  vocabulary,
  exampleId,
  unreadBase,
}: {
  empty: EmptyLabels;
  name: string;
  vocabulary: string[];
  exampleId?: string;
  /** The base branch this copy of the repository cannot read (unreadBase): this branch may have emptied it. */
  unreadBase?: string | null;
}): VitrineError {
  const what = `${name} ${emptyLabelsWords({ empty })}`;
  return new VitrineError(
    'DATASET_NO_LABELS',
    `${what}, so no object has a label and there is nothing to train on. ` +
      `${fillInWords({ empty, vocabulary, exampleId })}. ` +
      `Or import the labels with the export's label column (docs/import.md).` +
      (unreadBase
        ? ` If this branch emptied it, restore it from ${unreadBase} ("git checkout ${unreadBase} -- ${name}") and commit.`
        : ''),
    { file: name },
  );
}

/**
 * How to fill in a labels file without any label, with an example line from this collection: "Add one line per object
 * below the header (for example "a1,coin"), with labels from collection.vocabulary in params.yaml (coin, mask)".
 */
export function fillInWords({
  empty,
  vocabulary,
  exampleId,
}: {
  empty: EmptyLabels;
  vocabulary: string[];
  exampleId?: string;
}): string {
  const example = `"${exampleId ?? 'ID-0001'},${vocabulary[0] ?? 'coin'}"`;
  const todo =
    empty.kind !== 'rows'
      ? `Add the header "object_id,label", then one line per object (for example ${example})`
      : empty.rows === 0
        ? `Add one line per object below the header (for example ${example})`
        : `Fill in the label column of those rows (a row reads like ${example})`;
  return `${todo}, with labels from collection.vocabulary in params.yaml (${vocabulary.map(labelInList).join(', ')})`;
}

/** Each labelled object's first line in `labels.csv`, so problems with its image can be shown on a line a pull request contains. */
export function firstLabelLines({ labels }: { labels: LabelLine[] }): Map<string, number> {
  const lineOf = new Map<string, number>();
  for (const label of labels) if (!lineOf.has(label.objectId)) lineOf.set(label.objectId, label.line);
  return lineOf;
}

/**
 * LABEL_NOT_IN_VOCABULARY as checkLabels writes it in dataset.json: besides the message, the label on the line and the
 * near miss its "Did you mean" names, for the catalogue to show the label as catalogued without reading the message.
 */
export interface OutsideVocabularyIssue extends DatasetIssue {
  code: 'LABEL_NOT_IN_VOCABULARY';
  /** The label on the line, as read (composed, NFC). */
  label: string;
  /** The one vocabulary label it is a near miss of (capitals, spaces, punctuation, a letter or two); absent when none. */
  meant?: string;
  /**
   * Surely a slip for `meant` (it differs only in capitals, spaces or punctuation, or is used by fewer objects than a
   * label needs); false when it may be a label of its own (chain, chair: used by many objects). With `meant` only.
   */
  slip?: boolean;
}

/**
 * LABEL_UNKNOWN_OBJECT as checkLabels writes it: besides the message, the one object id the line's id is written
 * another way of (`meant`) and why it is thought so (`hint`, "it differs from an id in the collection only in
 * capitals. Did you mean "DM-0006"?"), for the report to pair the line with that object without reading the message.
 */
export interface UnknownObjectIssue extends DatasetIssue {
  code: 'LABEL_UNKNOWN_OBJECT';
  meant?: string;
  hint?: string;
}

/** Whether a dataset.json issue is an unknown object id with the object it was meant to be. */
export function isUnknownObjectIssue(
  issue: DatasetIssue,
): issue is UnknownObjectIssue & { meant: string; hint: string } {
  const u = issue as UnknownObjectIssue;
  return issue.code === 'LABEL_UNKNOWN_OBJECT' && typeof u.meant === 'string' && typeof u.hint === 'string';
}

/**
 * A labels.csv line whose id is an object's id as a spreadsheet saved it ("1" for "00001", "03/04/2019" for
 * "2019/4/3", "1.0E+05" for "100000"), where that object has no label now: a broken edit, not a label removed.
 */
export interface SpreadsheetLoss {
  /** The id as the line has it ("1"). */
  id: string;
  /** The object it was meant for ("00001"). */
  meant: string;
  line: number;
}

/**
 * The staff labels a spreadsheet's rewriting of ids loses: each object (once) that a labels.csv line names by its id
 * as a spreadsheet saved it (checkLabels' "Did you mean", by a spreadsheet's forms only: leading zeros, a date,
 * scientific notation, ".0"), and that has no label now. The one count the evaluate stage's gate and log, the
 * report's first line, its label section and the commit status say. Ids that match no object are not counted.
 */
export function spreadsheetLosses({
  issues,
  labelled,
}: {
  /** The dataset stage's issues (dataset.json). */
  issues: readonly DatasetIssue[];
  /** Whether the object has a label now (then the line lost nothing). */
  labelled: (id: string) => boolean;
}): SpreadsheetLoss[] {
  const meant = new Set<string>();
  const losses: SpreadsheetLoss[] = [];
  for (const issue of issues) {
    if (!isUnknownObjectIssue(issue) || issue.line === undefined || issue.object === undefined) continue;
    if (meant.has(issue.meant) || labelled(issue.meant)) continue;
    if (spreadsheetRewrite({ object: issue.meant, written: issue.object }).length === 0) continue;
    meant.add(issue.meant);
    losses.push({ id: issue.object, meant: issue.meant, line: issue.line });
  }
  return losses.sort((a, b) => a.line - b.line);
}

/**
 * The object each labels.csv line whose id is not in `objectIds` was meant to be, by checkLabels' one rule for an
 * unknown id ("Did you mean"), with its words, whether a spreadsheet's rewriting explains it, and whether only
 * punctuation set aside matches it (a guess: the line may be for another object); by line. Lines whose
 * id is an object's, or near none, are left out. For readers of labels.csv outside the dataset stage (import).
 */
export function meantObjects({
  lines,
  objectIds,
}: {
  lines: readonly LabelLine[];
  objectIds: Set<string>;
}): Map<number, { meant: string; hint: string; spreadsheet: boolean; punctuation: boolean }> {
  const unknown = lines
    .filter((l) => !objectIds.has(l.objectId))
    .map((l) => ({ objectId: l.objectId, label: l.label, line: l.line }));
  const out = new Map<number, { meant: string; hint: string; spreadsheet: boolean; punctuation: boolean }>();
  if (unknown.length === 0) return out;
  const { issues } = checkLabels({ labels: unknown, objectIds, vocabulary: [], name: 'labels.csv' });
  for (const i of issues)
    if (isUnknownObjectIssue(i) && i.line !== undefined && i.object !== undefined) {
      const spreadsheet = spreadsheetRewrite({ object: i.meant, written: i.object }).length > 0;
      out.set(i.line, {
        meant: i.meant,
        hint: i.hint,
        spreadsheet,
        punctuation: !spreadsheet && byPunctuationOnly({ object: i.meant, written: i.object }),
      });
    }
  return out;
}

/**
 * Whether `written` matches the id `object` only with punctuation set aside (keyHint's last tiers): "1987-10" for
 * "1987.10", "DM0006" for "DM-0006". A guess, not a fact: "1987-10" may be another object, one that left.
 */
function byPunctuationOnly({ object, written }: { object: string; written: string }): boolean {
  const loose = { punctuation: 'run together' } as const;
  return (
    idKey(object) !== idKey(written) &&
    !zerosDroppedFrom({ object, written }) &&
    idKey(object, loose) === idKey(written, loose)
  );
}

/** What to do about ids a spreadsheet changed, said after them. */
export const SPREADSHEET_IDS_ADVICE =
  'open labels.csv in a text editor (not a spreadsheet) and put the ids back as they were, or in the ' +
  'spreadsheet format the id column as text before saving';

/**
 * The words for spreadsheetLosses, plain text: `short` for a commit status ('15 labels would be lost
 * to ids a spreadsheet changed ("1" for "00001")'), `what` with the lines, `long` with what to do too. Undefined
 * for none.
 */
export function spreadsheetLossWords({
  losses,
  labelsName = 'labels.csv',
}: {
  losses: readonly SpreadsheetLoss[];
  labelsName?: string;
}): { count: string; short: string; what: string; long: string } | undefined {
  const first = losses[0];
  if (!first) return undefined;
  const one = losses.length === 1;
  const count = `${losses.length} ${one ? 'label' : 'labels'} would be lost`;
  const example = (l: SpreadsheetLoss) => `${quoted(l.id, 20)} for ${quoted(l.meant, 20)}`;
  const short = `${count} to ${one ? 'an id' : 'ids'} a spreadsheet changed (${example(first)})`;
  const shown = losses.slice(0, 3).map((l) => `${example(l)} on line ${l.line}`);
  const more = losses.length > 3 ? `, and ${losses.length - 3} more` : '';
  const what =
    `${count}: ${labelsName} ${one ? 'line names an object by its id' : 'lines name objects by their ids'} as a ` +
    `spreadsheet changed ${one ? 'it' : 'them'} (${shown.join(', ')}${more}), so ${one ? 'that object has' : 'those objects have'} ` +
    `no staff label: merged, ${one ? 'it' : 'they'} would be trained and published without ${one ? 'it' : 'them'}.`;
  return { count, short, what, long: `${what} To fix it, ${SPREADSHEET_IDS_ADVICE}.` };
}

/** Whether a dataset.json issue is a label outside the vocabulary with what checkLabels keeps of it. */
export function isOutsideVocabularyIssue(issue: DatasetIssue): issue is OutsideVocabularyIssue {
  return (
    issue.code === 'LABEL_NOT_IN_VOCABULARY' && typeof (issue as Partial<OutsideVocabularyIssue>).label === 'string'
  );
}

/**
 * The staff labels outside the vocabulary that the public is told are a slip for one of its types, by object and
 * label (`${object}\0${label}` → the type meant): surely a slip (the issue's `slip`) and written only another way
 * (capitals, spaces, punctuation). "chair" beside "chain", or a plural, may be a new type staff are starting. One
 * rule for the catalogue's pages and the registry's count of changes the public sees.
 */
export function writtenSlips(issues: readonly DatasetIssue[]): Map<string, string> {
  const slips = new Map<string, string>();
  for (const i of issues)
    if (isOutsideVocabularyIssue(i) && i.object && i.slip && i.meant && sameFolded(i.label, i.meant))
      slips.set(`${i.object}\u0000${i.label}`, i.meant);
  return slips;
}

/**
 * Check label lines against the objects and the vocabulary. Returns one label per object (a label
 * line that is repeated with a different label leaves the object unlabelled: we do not guess) and
 * the issues, each on its line of `labels.csv`.
 */
export function checkLabels({
  labels,
  blanks = [],
  objectIds,
  vocabulary,
  name,
  minPerLabel,
  saidApart,
  tabs = [],
  refused = [],
}: {
  labels: LabelLine[];
  /**
   * Rows whose label cell is empty. Alone they only mean "unlabelled"; beside a line that labels the object they
   * are a second, different label: the object is left unlabelled like any two lines that disagree, and warned of.
   * (A cell blanked in a spreadsheet on a copied row most likely meant to remove the label.)
   */
  blanks?: LabelLine[];
  objectIds: Set<string>;
  vocabulary: string[];
  name: string;
  /** minObjectsPerLabel: a label a letter from a vocabulary label used by this many objects may be one of its own. */
  minPerLabel?: number;
  /** Labels outside the vocabulary whose lines are not printed (labelsKeptNotLearned): no line refers to theirs. */
  saidApart?: Set<string>;
  /** The lines whose label holds a tab, as written (readLabelsChecked's `tabs`): quoted so, the tab shown as →. */
  tabs?: LabelLine[];
  /**
   * The rows of data/objects.csv left out for their id (withoutUnusableIds' issues): a line naming one is told why,
   * not "there is no object … delete this line" (reviewer V34 M3: the label is good, the id in the table is not).
   */
  refused?: readonly DatasetIssue[];
}): { labelOf: Map<string, string>; issues: DatasetIssue[]; unknown: LabelLine[] } {
  const issues: DatasetIssue[] = [];
  // A text pasted into a cell (thousands of characters): said on its line and skipped, before anything else reads it.
  ({ labels, blanks } = withoutTooLong({ labels, blanks, name, issues }));
  const uses = new Map<string, number>();
  for (const l of labels) if (objectIds.has(l.objectId)) uses.set(l.label, (uses.get(l.label) ?? 0) + 1);
  // Lines whose id matches no object even loosely (no did-you-mean): many of them are gone objects, not typos.
  const unknown: LabelLine[] = [];
  const known = new Set(vocabulary);
  // The lines that count: known objects, labels in the vocabulary.
  const counted: LabelLine[] = [];
  let byFolded: Map<string, string[]> | undefined;
  const byKey = new Map<Tier, Map<string, string[]>>();
  const digitIds: { ids?: string[] } = {};
  // Once per distinct label, not per line: each search goes through the whole vocabulary.
  const hints = new Map<string, ReturnType<typeof nearMiss>>();
  const closeTo = new Map<string, string[]>();
  // The first line without a near miss lists the vocabulary; the others refer to it (a list per line made a
  // 1,000-line labels.csv and a large vocabulary into hundreds of megabytes of warnings).
  let listedAt: number | undefined;
  const objectOf = objectIdOf(objectIds);
  // A refused row by its id as staff see it (its unseen characters dropped) and as written.
  const refusedRow = new Map(
    refused.flatMap((i) => (i.object === undefined ? [] : [[withoutUnseen(i.object), i] as const])),
  );
  // Each object's lines: a line outside the vocabulary, or with the id in other capitals, beside another line of
  // the same object is a second line for it, which is what staff need to hear first (a tester corrected the
  // capital of "jewellery" as asked, only to be told then that the object was labelled twice).
  // Its lines with the label cell empty too: beside a label, one leaves the object unlabelled (agreedLines).
  const linesOf = new Map<string, LabelLine[]>();
  for (const l of [...labels, ...blanks].sort((a, b) => a.line - b.line)) {
    const id = objectOf(l.objectId);
    linesOf.set(id, [...(linesOf.get(id) ?? []), l]);
  }
  const and = (items: string[]) =>
    items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
  // A label with a tab is quoted as written, the tab as →: as read, with a space, it is not found in the file.
  const writtenOn = new Map(tabs.map((l) => [l.line, l.label]));
  const shown = (l: LabelLine) => {
    const written = writtenOn.get(l.line);
    return written === undefined ? invisibleShown(l.label) : invisibleShown(tabsShown(written));
  };
  const tabNote = (l: LabelLine) => (writtenOn.has(l.line) ? ' (→ for a tab, read as a space)' : '');
  const said = (l: LabelLine) =>
    l.label ? `line ${l.line} ${quoted(shown(l))}` : `line ${l.line} with the label cell empty`;
  for (const written of labels) {
    const line = { ...written, objectId: objectOf(written.objectId) };
    if (!objectIds.has(line.objectId) && line.afterNote !== undefined)
      throw new VitrineError(
        'LABEL_NOTE_CUT',
        `${name}:${line.line}: this line reads as object ${quoted(invisibleShown(line.objectId))}, which the collection does not have: ` +
          `it is most likely the rest of the note on line ${line.afterNote}, cut by a line break. Put that note in ` +
          'double quotes ("…"), or write it on one line.',
        { file: name, line: line.line },
      );
    const refusal = objectIds.has(line.objectId) ? undefined : refusedRow.get(withoutUnseen(line.objectId));
    if (refusal) {
      const id = refusal.object!;
      const unseen = refusal.code === 'OBJECT_ID_UNSEEN_CHARACTER';
      const shown = [...id.matchAll(NOT_IN_ID)].filter((m) => !joinerInWord({ text: id, at: m.index }));
      const codes = [...new Set(shown.map((m) => m[0]))].map(characterCode).join(', ');
      const why = unseen
        ? `its id there, ${quoted(invisibleShown(unseenInId(id)))}, holds a character no id may hold (${codes})`
        : 'its id there is far too long';
      issues.push({
        code: 'LABEL_UNKNOWN_OBJECT',
        message:
          `${name}:${line.line}: object ${quoted(invisibleShown(line.objectId))} is not in the dataset: its row in ` +
          `${refusal.file}${refusal.line === undefined ? '' : ` (line ${refusal.line})`} is left out, because ` +
          `${why}. This line is kept and counts again once that id is corrected: do not delete it.`,
        file: name,
        line: line.line,
        object: line.objectId,
      });
      continue;
    }
    if (!objectIds.has(line.objectId)) {
      byFolded ??= foldedIds(objectIds);
      const hint =
        idHint({ id: line.objectId, byFolded }) ?? keyHint({ id: line.objectId, objectIds, byKey, digitIds });
      if (!hint) unknown.push(line);
      const meantLines = hint ? (linesOf.get(hint.meant) ?? []) : [];
      const already =
        hint && meantLines.length > 0
          ? ` Object ${quoted(hint.meant)} is on ${meantLines.length === 1 ? 'line' : 'lines'} ` +
            `${and(meantLines.map((l) => String(l.line)))} already (${meantLines.map((l) => `${quoted(l.label)}`).join(', ')}): ` +
            'if this line is for it, it is a second line for the same object; keep one of the two.'
          : '';
      const issue: UnknownObjectIssue = {
        code: 'LABEL_UNKNOWN_OBJECT',
        // Each character that does not show by its code: an override quoted as it is turned the message round.
        message: `${name}:${line.line}: there is no object ${quoted(invisibleShown(line.objectId))} in the collection${
          hint
            ? `: ${hint.words}${already}`
            : ': check the id for a typo, or, if the object was removed from the collection (an import said it ' +
              'left the export), delete this line in a pull request.'
        }`,
        file: name,
        line: line.line,
        object: line.objectId,
        ...(hint ? { meant: hint.meant, hint: hint.words } : {}),
      };
      issues.push(issue);
      continue;
    }
    if (!known.has(line.label)) {
      // Capitals, spaces or a letter or two away from one label: the slip to correct, not a label to add.
      if (!hints.has(line.label))
        hints.set(
          line.label,
          nearMiss({ label: line.label, count: uses.get(line.label) ?? 1, vocabulary, minPerLabel }),
        );
      const hint = hints.get(line.label);
      // Close to two labels or more ("chaim": chain, chair), which nearMiss leaves open: each is suggested.
      if (!hint && !closeTo.has(line.label)) closeTo.set(line.label, nearLabels({ label: line.label, vocabulary }));
      const close = hint ? [] : (closeTo.get(line.label) ?? []);
      listedAt ??= hint || close.length > 0 || saidApart?.has(line.label) ? undefined : line.line;
      // One or two objects: most likely a slip (a typo, the wrong word), corrected on its line (whereToFix's rule).
      const count = uses.get(line.label) ?? 1;
      const rare = count <= RARE;
      // A character that does not show (a zero-width space, near a vocabulary label or not) is shown by its code
      // wherever it is, and so is a control character or a bidi override: as it is, it would turn the message round
      // (an override makes what follows it read the other way). "Kupfer\u200bstich", near no label, was said as it
      // is: it printed as "Kupferstich" (an outside tester).
      const visible = shown(line);
      // Used by many objects, a label a letter from another (chain, chair) may be meant: both ways stay open. As read:
      // with a tab, the label to add is the one with a space.
      const ownLabel =
        ` If ${quoted(invisibleShown(line.label))} is a label of its own, add it to ` +
        'collection.vocabulary in params.yaml.';
      const suggestion =
        close.length > 0
          ? ` Did you mean ${close.map((l) => quoted(l)).join(close.length === 2 ? ' or ' : ', ')}?${rare ? '' : ownLabel}`
          : !hint
            ? listedAt === line.line
              ? ` The labels are: ${vocabulary.map(labelInList).join(', ')} (collection.vocabulary in params.yaml).`
              : ` The labels are listed in the warning on line ${listedAt} (collection.vocabulary in params.yaml).`
            : hint.slip
              ? ` Did you mean "${hint.meant}"?`
              : ` Did you mean "${hint.meant}"?${ownLabel}`;
      // A character that does not show ("co\u200bin"): without it named, "Did you mean "coin"?" reads as coin is not coin.
      const odd = oddCharacter({ text: line.label, label: true });
      // What to do on this line, for a slip no one label is suggested for (a "did you mean" alone says it).
      const onLine = rare && !hint ? ' Correct it on this line; until then the line is skipped.' : '';
      const slip =
        rare && !hint && !odd && close.length === 0
          ? `, and only ${count === 1 ? '1 object has' : `${count} objects have`} it: most likely a slip (a typo or ` +
            'the wrong word)'
          : '';
      // Beside a line of the object in the vocabulary, which gives the object its label (agreedLabels' rule).
      const lines = linesOf.get(line.objectId) ?? [line];
      const inVocabulary = lines.filter((l) => l !== written && known.has(l.label));
      // Or beside a line with the label cell empty, which leaves the object unlabelled (a reviewer: "C1,Coin" then
      // "C1," was only "not in the vocabulary", and the second line said after it was corrected).
      const empty = lines.filter((l) => l.label === '');
      if (inVocabulary.length > 0 || empty.length > 0) {
        const kept = inVocabulary[0] ?? line;
        const agreed = empty.length === 0 && inVocabulary.every((l) => l.label === kept.label);
        const capitals = lines.every((l) => l.label.toLowerCase() === line.label.toLowerCase());
        const has = agreed
          ? `the object has the label ${quoted(kept.label)} of ${inVocabulary.length === 1 ? 'line' : 'lines'} ` +
            `${and(inVocabulary.map((l) => String(l.line)))}`
          : empty.length > 0
            ? `the object is left unlabelled until only one line is left, as ${empty.length === 1 ? 'line' : 'lines'} ` +
              `${and(empty.map((l) => String(l.line)))} ${empty.length === 1 ? 'has' : 'have'} the label cell empty`
            : 'the object is left unlabelled until only one line is left, as its lines in the vocabulary disagree';
        const others = lines.length === 2 ? 'the other' : 'the others';
        issues.push({
          code: 'LABEL_DUPLICATE',
          message:
            `${name}:${line.line}: object ${quoted(line.objectId)} is on ${lines.length} lines, ${and(lines.map(said))}` +
            (capitals && agreed
              ? `, which differ only in capitals: ${quoted(visible)}${tabNote(line)} is not one of the labels of ` +
                'this collection, ' +
                `${quoted(kept.label)} is. Delete line ${line.line}; ${has}.`
              : `: ${quoted(visible)}${tabNote(line)} is not one of the labels of this collection` +
                `${odd ? `: ${odd.words}` : ''}.` +
                `${suggestion} Keep one line, with the right label, and delete ${others}; until then ${has}.`),
          file: name,
          line: line.line,
          object: line.objectId,
        });
        continue;
      }
      // Only an invisible character sets it apart from the label meant (a soft hyphen in "Gefä\u00adße"): shown where
      // it stands, and what to do said, as params.yaml says of such a label (a tester: "Did you mean "Gefäße"?" alone).
      const unseen =
        odd &&
        hint &&
        line.label.replace(ODD, (c, at: number) =>
          INVISIBLE[c] && !joinerInWord({ text: line.label, at }) ? '' : c,
        ) === hint.meant;
      const issue: OutsideVocabularyIssue = {
        code: 'LABEL_NOT_IN_VOCABULARY',
        message:
          `${name}:${line.line}: ${quoted(visible)}${tabNote(line)} is not one of the ` +
          `labels of this collection${odd ? `: ${odd.words}` : slip}.${suggestion}` +
          (unseen
            ? ` Delete ${odd.many ? 'them' : 'that character'} on this line; until ` + 'then the line is skipped.'
            : onLine),
        file: name,
        line: line.line,
        object: line.objectId,
        label: line.label,
        ...(hint && { meant: hint.meant, slip: hint.slip }),
      };
      issues.push(issue);
      continue;
    }
    counted.push(line);
  }
  const labelOf = new Map<string, string>();
  let shortened: Map<string, string[]> | undefined;
  for (const [id, { lines, agreed }] of agreedLines({ labels: counted, blanks })) {
    const [first, ...rest] = lines as [LabelLine, ...LabelLine[]];
    if (rest.length === 0) {
      labelOf.set(id, first.label);
      continue;
    }
    const agree = agreed !== null;
    if (agree) labelOf.set(id, first.label);
    // 1987.10 saved by a spreadsheet as 1987.1: the repeated line is most likely another object, not one to delete.
    shortened ??= unlabelledShortened({ objectIds, labels, blanks });
    const longer = shortened.get(id);
    if (longer) {
      for (const extra of rest)
        issues.push({
          code: 'LABEL_DUPLICATE',
          message: `${name}:${extra.line}: ${shortenedMessage({ id, longer, extra, lines: linesOf.get(id) ?? lines, agree })}`,
          file: name,
          line: extra.line,
          object: id,
        });
      continue;
    }
    // Every line of the object, each once: comparing each extra line with the first only misnamed a third line.
    // Its lines outside the vocabulary too, reported above: leaving them out counted 2 lines of 3 (a reviewer).
    const all = linesOf.get(id) ?? lines;
    const until = (kept: LabelLine | false) =>
      kept
        ? `it has the label ${quoted(kept.label)} of lines ${and(lines.map((l) => String(l.line)))}, in the vocabulary.`
        : 'it is left unlabelled until only one line is left.';
    const times = all.length === 2 ? 'twice' : `${all.length} times`;
    const blank = all.length === 2 ? all.find((l) => !l.label) : undefined;
    const labelled = blank && all.find((l) => l.label);
    const what =
      agree && all.length === lines.length
        ? `object ${quoted(id)} is labelled ${times}, each ${quoted(first.label)} (lines ${and(all.map((l) => String(l.line)))}): ` +
          'keep one line and delete the others.'
        : blank && labelled
          ? `object ${quoted(id)} is on 2 lines, ${and(all.map(said))}: it is left unlabelled until only one line is ` +
            `left, as for two different labels. If the label was emptied to remove it, delete line ${labelled.line} ` +
            `as well; if not, delete line ${blank.line}.`
          : `object ${quoted(id)} is on ${all.length} lines with different labels ` +
            `(${and(all.map(said))}): ${until(agree && first)} Keep one line, with the right label, and delete the ` +
            'others.';
    // One issue per extra line, so that each is annotated on its line of the pull request.
    for (const extra of rest)
      issues.push({
        code: 'LABEL_DUPLICATE',
        message: `${name}:${extra.line}: ${what}`,
        file: name,
        line: extra.line,
        object: id,
      });
  }
  return { labelOf, issues, unknown };
}

/**
 * The lines of `labels` and `blanks` whose id or label is longer than any may be (MAX_ID_BYTES, MAX_LABEL_BYTES),
 * each said in `issues` as LABEL_TOO_LONG; the other lines.
 */
function withoutTooLong({
  labels,
  blanks,
  name,
  issues,
}: {
  labels: LabelLine[];
  blanks: LabelLine[];
  name: string;
  issues: DatasetIssue[];
}): { labels: LabelLine[]; blanks: LabelLine[] } {
  const skip = ' Correct it on this line; until then the line is skipped.';
  const tooLong = (line: LabelLine): boolean => {
    const idOver = overLimit({ value: line.objectId, most: MAX_ID_BYTES });
    const labelOver = idOver ? undefined : overLimit({ value: line.label, most: MAX_LABEL_BYTES });
    if (!idOver && !labelOver) return false;
    const what = idOver
      ? `the object id on this line is ${idOver}, longer than an id may be (it names the object’s image file and ` +
        `web address). A text pasted into the cell by mistake? It begins ${beginning(line.objectId)}.`
      : `the label of object ${quoted(line.objectId)} is ${labelOver}: a label is a class the model learns, a word ` +
        `or a few. A text pasted into the cell by mistake? It begins ${beginning(line.label)}.`;
    issues.push({
      code: 'LABEL_TOO_LONG',
      message: `${name}:${line.line}: ${what}${skip}`,
      file: name,
      line: line.line,
      object: line.objectId,
    });
    return true;
  };
  return { labels: labels.filter((l) => !tooLong(l)), blanks: blanks.filter((l) => !tooLong(l)) };
}

/**
 * The objects a spreadsheet may have shortened to another id (1987.10 and 1987.100 to 1987.1: shortenedNumber) and
 * that have no line of their own in labels.csv, by the id they would have become. None when a line of labels.csv
 * has an id a spreadsheet would have shortened, unchanged (1987.30 with its last zero): a spreadsheet changes every
 * number of the column, so none saved the file (untouchedBy, the evidence import weighs).
 */
function unlabelledShortened({
  objectIds,
  labels,
  blanks,
}: {
  objectIds: Set<string>;
  labels: LabelLine[];
  blanks: LabelLine[];
}): Map<string, string[]> {
  const lined = new Set([...labels, ...blanks].map((l) => l.objectId));
  const byShort = new Map<string, string[]>();
  if ([...lined].some((id) => untouchedBy(SHORTENED, id))) return byShort;
  for (const id of objectIds) {
    const short = shortenedNumber(id);
    if (short === id || lined.has(id)) continue;
    const list = byShort.get(short);
    if (list) list.push(id);
    else byShort.set(short, [id]);
  }
  for (const list of byShort.values()) list.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  return byShort;
}

/** The message on a repeated line of `id` that is most likely one of `longer`, shortened by a spreadsheet. */
function shortenedMessage({
  id,
  longer,
  extra,
  lines,
  agree,
}: {
  id: string;
  longer: string[];
  extra: LabelLine;
  lines: LabelLine[];
  agree: boolean;
}): string {
  const or = longer.length === 1 ? longer[0]! : `${longer.slice(0, -1).join(', ')} or ${longer.at(-1)}`;
  const back = longer.length === 1 ? `as ${longer[0]}` : 'as the right one of these';
  const said = (l: LabelLine) =>
    l.label ? `line ${l.line} ${quoted(l.label)}` : `line ${l.line} with the label cell empty`;
  const until = agree
    ? `Until then ${or} ${longer.length === 1 ? 'has' : 'have'} no label.`
    : `Until then object ${quoted(id)} is left unlabelled (its lines disagree: ${lines.map(said).join(', ')}) ` +
      `and ${or} ${longer.length === 1 ? 'has' : 'have'} no label.`;
  return (
    `a spreadsheet probably shortened ${or} to ${clip(id)}: line ${extra.line} is probably object ${or}; ` +
    `write its id back ${back} (format the id column as text). ${until}`
  );
}

/**
 * The dataset's one rule for an object on several lines of labels.csv (checkLabels, and the report reading labels.csv
 * at another commit, go by it): the object has the label its lines agree on; lines that disagree, another label or a
 * label cell left empty beside a label (`blanks`), leave it unlabelled (we do not guess). `labels` are the lines that
 * count (checkLabels: known objects, labels in the vocabulary); a blank counts only beside one of them. Returns each
 * object's lines (in line order when blanks joined them) and the line whose label it has (its first), or null.
 */
export function agreedLines({
  labels,
  blanks = [],
}: {
  labels: LabelLine[];
  blanks?: LabelLine[];
}): Map<string, { lines: LabelLine[]; agreed: LabelLine | null }> {
  const linesOf = new Map<string, LabelLine[]>();
  for (const line of labels) {
    const list = linesOf.get(line.objectId);
    if (list) list.push(line);
    else linesOf.set(line.objectId, [line]);
  }
  for (const blank of blanks) linesOf.get(blank.objectId)?.push(blank);
  const out = new Map<string, { lines: LabelLine[]; agreed: LabelLine | null }>();
  for (const [id, lines] of linesOf) {
    if (blanks.length > 0) lines.sort((a, b) => a.line - b.line);
    const first = lines[0]!;
    out.set(id, { lines, agreed: lines.every((l) => l.label === first.label) ? first : null });
  }
  return out;
}

/**
 * The labels as the dataset stage reads them, by its own rule (agreedLines): an object on lines that disagree,
 * another label or a label cell left empty beside a label, is unlabelled; the same label twice is that label. A line
 * whose label is not in the vocabulary does not count when the object has a line in it (the dataset stage sets it
 * aside); an object with none is read from its lines outside it, so the report can say they were skipped.
 */
export function agreedLabels({
  labels,
  blanks,
  vocabulary,
}: {
  labels: LabelLine[];
  blanks: LabelLine[];
  vocabulary?: string[];
}): LabelLine[] {
  const known = vocabulary && new Set(vocabulary);
  const inVocabulary = new Set(known ? labels.filter((l) => known.has(l.label)).map((l) => l.objectId) : []);
  const counted = known ? labels.filter((l) => known.has(l.label) || !inVocabulary.has(l.objectId)) : labels;
  return [...agreedLines({ labels: counted, blanks }).values()].flatMap(({ agreed }) => (agreed ? [agreed] : []));
}

/** Beyond this many, label lines naming no object are said in one message: a typo is one line, not dozens. */
const UNKNOWN_SAID_ONE_BY_ONE = 5;

/**
 * One message for many labels.csv lines naming objects that are not in data/objects.csv (`unknown` from
 * checkLabels): after an export that left objects out, one warning per line said "check the id for a typo"
 * dozens of times, the wrong advice. Undefined for a few, which keep their own lines.
 */
export function unknownObjectsMessage({
  unknown,
  labelsName,
  objectsName,
}: {
  unknown: LabelLine[];
  labelsName: string;
  objectsName: string;
}): { message: string; lines: Set<number> } | undefined {
  if (unknown.length <= UNKNOWN_SAID_ONE_BY_ONE) return undefined;
  const first = unknown[0]!.line;
  const last = unknown.at(-1)!.line;
  const where =
    last - first + 1 === unknown.length ? `lines ${first} to ${last}` : `between lines ${first} and ${last}`;
  const examples = unknown.slice(0, 5).map((l) => `${quoted(invisibleShown(l.objectId))} (line ${l.line})`);
  const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
  return {
    message:
      `${labelsName}: ${unknown.length} lines (${where}) name objects that are not in ${objectsName}, e.g. ` +
      `${examples.join(', ')}${more}. So many are most likely objects the last import's export left out: if they ` +
      `have left the collection, remove those lines from ${labelsName}; if the export held only some objects, ` +
      'import the complete export again (npx vitrine import, docs/import.md). Until then the dataset skips them.',
    lines: new Set(unknown.map((l) => l.line)),
  };
}

/**
 * Ids that differ only in upper/lower case, or only in how an accented letter is encoded (two
 * Unicode forms that look the same): likely one object written twice. They stay separate objects.
 */
export function lookAlikeIds({ ids, lineOf }: { ids: string[]; lineOf: Map<string, number> }): string | null {
  const groups = new Map<string, string[]>();
  // The key import uses for ids written another way: capitals, accent encoding, fullwidth forms, dashes, spaces.
  for (const id of ids) {
    const key = idKey(id);
    groups.set(key, [...(groups.get(key) ?? []), id]);
  }
  const alike = [...groups.values()].filter((g) => g.length > 1);
  if (alike.length === 0) return null;
  const shown = alike.slice(0, 10).map((g) => {
    const kinds = new Set(g.slice(1).flatMap((id) => idDifferences(g[0]!, id)));
    const how = ID_DIFFERENCES.filter((what) => kinds.has(what)).map((what) =>
      what === 'capitals' ? 'upper/lower case' : what,
    );
    const shownIds = visibleIds(g);
    const named = g.map((id, i) => `${quoted(shownIds[i]!)} (line ${lineOf.get(id) ?? '?'})`);
    return `  ${named.slice(0, -1).join(', ')} and ${named.at(-1)} differ only in ${how.join(' and ') || 'how they are written'}`;
  });
  const more = alike.length > 10 ? [`  …and ${alike.length - 10} more.`] : [];
  return [
    'some object ids look alike; they are kept as different objects, but if they are one object, keep one row:',
    ...shown,
    ...more,
  ].join('\n');
}

/** Characters that show as nothing: pasted from web pages and word processors into an id. */
const INVISIBLE: Record<string, string> = Object.fromEntries([
  ...['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff', '\u00ad'].map((c) => [
    c,
    HIDDEN_CHARACTER_NAMES[c]!,
  ]),
  // Control characters and bidi embeddings, overrides and isolates ("co\u202ein" reads "coni"), which params.yaml
  // refuses in a label: named the same way here.
  ...Array.from({ length: 0x2070 }, (_, code) => String.fromCharCode(code)).flatMap((c) => {
    const name = controlName(c);
    return name === undefined ? [] : [[c, name]];
  }),
]);

/** Characters that look like "-" (word processors turn hyphens into these). */
const HYPHENS: Record<string, string> = {
  '\u2010': 'hyphen',
  '\u2011': 'non-breaking hyphen',
  '\u2012': 'figure dash',
  '\u2013': 'en dash',
  '\u2014': 'em dash',
  '\u2212': 'minus sign',
  '\ufe63': 'small hyphen-minus',
  '\uff0d': 'fullwidth hyphen-minus',
};

const ODD = new RegExp(`[${Object.keys({ ...INVISIBLE, ...HYPHENS }).join('')}]`, 'g');

/** An id as compared for a suggestion: invisible characters left out, hyphens as "-", one Unicode form, no capitals. */
function foldId(id: string): string {
  return id
    .replace(ODD, (c) => (HYPHENS[c] ? '-' : ''))
    .normalize('NFC')
    .toLowerCase();
}

/**
 * keyHint's comparisons, nearest first: idKey as it is, with a spreadsheet's number forms, with punctuation, and for an
 * id typed without spaces or punctuation, with none at all.
 */
const TIERS = ['plain', 'zeros', 'punctuation', 'run together'] as const;
type Tier = (typeof TIERS)[number];

/**
 * The one id of the collection that `id` is written another way (idKey: spaces around punctuation, fullwidth
 * forms; then leading zeros dropped or a ".0" added, as spreadsheets and scripts do to numbers; last, punctuation
 * left out or written otherwise, "Ms 12/3a" for "Ms. 12/3a"; or, typed with none at all, "DM0006" for "DM-0006"),
 * said with how. None when two objects match.
 */
function keyHint({
  id,
  objectIds,
  byKey,
  digitIds,
}: {
  id: string;
  objectIds: Set<string>;
  byKey: Map<Tier, Map<string, string[]>>;
  /** The collection's all-digit ids, found the first time an id in scientific notation needs them. */
  digitIds: { ids?: string[] };
}): { words: string; meant: string } | undefined {
  // Typed with spaces or punctuation between its letters and numbers, an id is grouped: "MS 12/3" is not "MS 1/23".
  const grouped = idKey(id, { punctuation: true }).includes(' ');
  for (const tier of TIERS) {
    if (tier === 'run together' && grouped) break;
    const zeros = tier === 'zeros';
    const punctuation = tier === 'run together' ? tier : tier === 'punctuation';
    const form = { zeros, punctuation };
    let index = byKey.get(tier);
    if (!index) {
      index = new Map();
      for (const known of objectIds) {
        const key = idKey(known, form);
        index.set(key, [...(index.get(key) ?? []), known]);
      }
      byKey.set(tier, index);
    }
    // By a spreadsheet's forms, only in the direction it changes ids (spreadsheetRewrite): "2019.10" is not
    // "2019.1" as a spreadsheet saved it, nor "1999.1.2" the date "1999.2.1". A number shown in scientific notation
    // with digits lost (1.2E+05) is the one all-digit id that rounds to it.
    const matches = zeros
      ? (scientificKey(idKey(id))
          ? rounding({ id, objectIds, digitIds })
          : (index.get(idKey(id, { zeros })) ?? [])
        ).filter(
          (known) =>
            spreadsheetRewrite({ object: known, written: id }).length > 0 ||
            zerosDroppedFrom({ object: known, written: id }),
        )
      : index.get(idKey(id, form));
    if (!matches || matches.length === 0) continue;
    if (matches.length > 1) return undefined;
    const meant = matches[0]!;
    // Run together, "123" may be "1/23" or "12/3", "1999110" "1999.1.10" or "1999.11.0": a mark that parts two
    // numbers tells which object, and was not typed; one that parts letters from numbers ("DM-0006") does not.
    if (tier === 'run together' && /\p{N}[^\p{L}\p{N}\p{M}]+\p{N}/u.test(idKey(meant))) return undefined;
    // A number shown with digits lost (1.2E+05 for 123456) is no other form of it: idDifferences would name them all.
    const rounded = zeros && spreadsheetRewrite({ object: meant, written: id }).includes(SCIENTIFIC);
    const how = (rounded ? [SCIENTIFIC] : idDifferences(id, meant, { punctuation })).map((what) =>
      what === 'capitals' ? 'upper/lower case' : what,
    );
    const spreadsheet = !zeros
      ? ''
      : how.includes(DATE)
        ? ' (a spreadsheet took it for a date: keep the id column as text)'
        : ' (a spreadsheet or script rewrote it as a number: keep the id column as text)';
    return {
      words: `it differs from an id in the collection only in ${how.join(' and ')}${spreadsheet}. Did you mean ${quoted(meant)}?`,
      meant,
    };
  }
  return undefined;
}

/** The all-digit ids of the collection that `id`, in scientific notation, is a rounding of (roundsToScientific). */
function rounding({
  id,
  objectIds,
  digitIds,
}: {
  id: string;
  objectIds: Set<string>;
  digitIds: { ids?: string[] };
}): string[] {
  if (!scientificKey(idKey(id))) return [];
  // The all-digit ids, found once per labels.csv.
  digitIds.ids ??= [...objectIds].filter((known) => /^\d+$/.test(idKey(known)));
  return digitIds.ids.filter((known) => roundsToScientific(idKey(known), idKey(id)));
}

function foldedIds(ids: Set<string>): Map<string, string[]> {
  const byFolded = new Map<string, string[]>();
  for (const id of ids) {
    const key = foldId(id);
    byFolded.set(key, [...(byFolded.get(key) ?? []), id]);
  }
  return byFolded;
}

/**
 * The object a labels.csv line's id names: the id itself, or the one object id it reads as once accents are encoded
 * alike (a Mac writes them apart, NFD): the same id to anyone reading it. Every reader of labels.csv that looks up
 * objects by its ids goes through it (checkLabels, the report's label changes, the catalogue's line numbers).
 */
export function objectIdOf(objectIds: Iterable<string>): (id: string) => string {
  const ids = objectIds instanceof Set ? (objectIds as Set<string>) : new Set(objectIds);
  let byNfc: Map<string, string[]> | undefined;
  return (id) => {
    if (ids.has(id)) return id;
    byNfc ??= groupBy([...ids], (x) => x.normalize('NFC'));
    const same = byNfc.get(id.normalize('NFC'));
    return same?.length === 1 ? same[0]! : id;
  };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * What makes an unknown id differ from the one id it was meant to be (an invisible character, a look-alike
 * hyphen, capitals, accent encoding), and that id; undefined when no id, or several, match.
 */
function idHint({
  id,
  byFolded,
}: {
  id: string;
  byFolded: Map<string, string[]>;
}): { words: string; meant: string } | undefined {
  const matches = byFolded.get(foldId(id));
  if (matches?.length !== 1) return undefined;
  const meant = matches[0]!;
  const why =
    oddCharacter({ text: id })?.words ??
    (id.normalize('NFC') === meant.normalize('NFC')
      ? 'it differs from an id in the collection only in how an accented letter is encoded'
      : 'it differs from an id in the collection only in capitals');
  return { words: `${why}. Did you mean ${quoted(meant)}?`, meant };
}

/** A character no id may hold (idCharacters): a control character, or one UNSEEN_IN_ID finds. */
const NOT_IN_ID = new RegExp(`\\p{Cc}|${UNSEEN_IN_ID.source}`, 'gu');

/** An id as staff see it: without the characters no id may hold, in one Unicode form (NFC). */
function withoutUnseen(id: string): string {
  return id.replace(NOT_IN_ID, '').normalize('NFC');
}

/** An id with each character no id may hold written as its code ("DM-0002<U+0007>"), before quoting. */
function unseenInId(id: string): string {
  return idInMessages(id);
}

/**
 * A label with each character that does not show written as its code: "Gefä<U+00AD>ße". Not a joiner inside a word
 * of a script written with them (Persian "کتاب\u200cخانه"), which is the label's own text (joinerInWord).
 */
function invisibleShown(text: string): string {
  return text.replace(ODD, (c, at: number) =>
    INVISIBLE[c] && !joinerInWord({ text, at })
      ? `<U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`
      : c,
  );
}

/**
 * The first character of `text` that does not show, or that only looks like "-", named with its code and where it is
 * (`it contains an invisible character (zero-width space, U+200B) after "co"`); undefined when there is none. Said
 * the same for an object id and for a label; in a `label`, a joiner inside a word (joinerInWord) is not one. Two or
 * more that do not show are each named (`it contains 2 invisible characters (left-to-right mark, U+200E, at the start;
 * zero-width space, U+200B, after "Pottery")`): "delete that character" would leave one.
 */
function oddCharacter({ text, label = false }: { text: string; label?: boolean }): OddWords | undefined {
  const all = [...text.matchAll(ODD)].filter((m) => !label || !joinerInWord({ text, at: m.index }));
  const odd = all[0];
  if (!odd) return undefined;
  const code = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const where = (at: number) => {
    const before = text
      .slice(0, at)
      .replace(ODD, (x, i: number) => (HYPHENS[x] ? '-' : label && joinerInWord({ text, at: i }) ? x : ''));
    return before ? `after ${quoted(before)}` : 'at the start';
  };
  const c = odd[0];
  if (all.length > 1 && all.every((m) => INVISIBLE[m[0]])) {
    // One written twice ("کتاب\u200c\u200cخانه") is one place: said as written twice there.
    const places: { c: string; where: string; times: number }[] = [];
    for (const m of all) {
      const last = places.at(-1);
      const at = where(m.index);
      if (last && last.c === m[0] && last.where === at) last.times++;
      else places.push({ c: m[0], where: at, times: 1 });
    }
    const times = (n: number) => (n === 1 ? '' : n === 2 ? ' twice' : ` ${n} times`);
    if (places.length === 1)
      return {
        words: `it contains an invisible character written${times(all.length)} (${INVISIBLE[c]}, ${code(c)}) ${places[0]!.where}`,
        many: true,
      };
    const named = places
      .slice(0, 3)
      .map((p) => `${INVISIBLE[p.c]}, ${code(p.c)},${times(p.times)} ${p.where}`)
      .join('; ');
    const more = places.length > 3 ? `; and ${places.length - 3} more places` : '';
    return { words: `it contains ${all.length} invisible characters (${named}${more})`, many: true };
  }
  return {
    words: INVISIBLE[c]
      ? `it contains an invisible character (${INVISIBLE[c]}, ${code(c)}) ${where(odd.index)}`
      : `it contains a hyphen that only looks like "-" (${HYPHENS[c]}, ${code(c)}) ${where(odd.index)}`,
    many: false,
  };
}

/** What oddCharacter says, and whether it names more than one character (then "delete them"). */
interface OddWords {
  words: string;
  many: boolean;
}
