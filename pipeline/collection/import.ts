import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import {
  access,
  copyFile,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { environmentProblem } from '../cli/fs-errors.ts';
import { controlName } from '../control-characters.ts';
import { copyVerified, exists } from '../data/cache.ts';
import { HashState, listFiles, mapPool } from '../data/hash.ts';
import { hashFile, loadManifest, objectPath, parseDvcFile, readDvcConfig, readDvcFile } from '../data/index.ts';
import { unfinishedMerge, unfinishedMergeError } from '../data/merge-state.ts';
import { listWords, stateFileOf } from '../data/ops.ts';
import { refuseLinkedFile } from '../dataset/linked-file.ts';
import { MIN_IMAGE_SIDE, MIN_LONG_SIDE, tooSmall } from '../dataset/small-images.ts';
import { lookAlikeIds, meantObjects, SPREADSHEET_IDS_ADVICE } from '../dataset/validate.ts';
import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import { isInside, keepModeOf, writeJsonAtomic } from '../fs.ts';
import { headCommit, readFileAtRef } from '../git/repo.ts';
import { clip, type Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { CollectionObject, LabelLine } from '../types.ts';
import { WINDOWS_DEVICE } from '../windows-names.ts';
import { aboveHeaderNote, exportName, parseExport } from './export.ts';
import {
  CAMERA_RAW,
  DAMAGED_GREY,
  damagedUnreadable,
  hevcBrand,
  IMAGE_EXTENSIONS,
  imageFileProblem,
  jpegDamage,
  pictureSize,
  rawTiff,
  tiffPages,
} from './file-kind.ts';
import { characterCode, labelForm } from './hidden-characters.ts';
import { byComposed, encodedAnotherWay, keptIdForm, lettersApart, sameIdLines } from './id-forms.ts';
import { imageEndDamage } from './image-ends.ts';
import { foldersHolding, foldersHoldingWords } from './images-below.ts';
import { editsUndone, lastImported, lastImportFile, sayEditsUndone } from './import-edits.ts';
import {
  copyWhole,
  type FileIdentity,
  type ImportSession,
  identityOf,
  keptAsideFolder,
  startImport,
  syncFile,
  UNFINISHED_IMPORT,
} from './import-marker.ts';
import { imagesFolder } from './import-source.ts';
import {
  formatImportedPhotographs,
  IMPORTED_PHOTOGRAPHS,
  type ImportedPhotograph,
  importedPhotographsFile,
  readImportedPhotographs,
} from './imported-photographs.ts';
import {
  compareIds,
  compareIdsNaturally,
  decodeExport,
  decodeText,
  emptyRowsMessage,
  formatLabelsTable,
  formatObjects,
  ID_DIFFERENCES,
  idDifferences,
  idKey,
  isEmptyRow,
  LABEL_COLUMNS,
  NUMBER_DIFFERENCES,
  nearColumn,
  OBJECT_COLUMNS,
  parseCsv,
  parseLabels,
  parseObjects,
  readObjects,
  repeatedColumnError,
  SHORTENED,
  SHORTENED_ADVICE,
  scientificKey,
  shortenedNumber,
  spreadsheetChanges,
  untouchedBy,
  visibleIds,
} from './index.ts';
import { headerSize, type LargePicture, largePicturesNotes, overPixelLimit } from './large-pictures.ts';
import { type MediaRows, mediaRowsNotes, sameObjectRow, storedPhotographFirst } from './media-rows.ts';
import {
  parseRefusedImages,
  REFUSED_IMAGES,
  type RefusedImage,
  readRefusedImages,
  refusedImagesFile,
} from './refused-images.ts';
import { type SharingRow, saidTogether, sharedImageWords } from './shared-images.ts';
import {
  beginning,
  idCharacters,
  MAX_FIELD,
  MAX_ID_BYTES,
  MAX_LABEL_BYTES,
  MAX_PATH_BYTES,
  MAX_TITLE,
  overCharacters,
  overLimit,
} from './value-limits.ts';
import {
  checkVocabulary,
  keptNotLearnedWords,
  type LabelCount,
  labelsKeptNotLearned,
  minObjectsPerLabel,
  type VocabularyCheck,
} from './vocabulary.ts';
import { decodedNamesWords, percentDecoded } from './web-names.ts';

/** A row of the export that import names: refused (not imported) or imported with a note. */
export interface ImportProblem {
  file: string;
  line: number;
  object?: string;
  message: string;
  /** True when the row was not imported. */
  refused?: boolean;
  /**
   * True when the row's image file was refused (unreadable, not an image, a phone's HEIC) under on_invalid "skip":
   * the object is imported without it (or keeps the image it had), as when the file is missing.
   */
  imageRefused?: boolean;
}

/** `merge` (the default) never removes or changes a label already in labels.csv; `replace` takes the export's. */
export type LabelsMode = 'merge' | 'replace';

export interface ImportResult {
  /** Objects imported from the export's rows (not those kept unchanged, `unchanged`). */
  objects: number;
  /** Of those, with a label in labels.csv. */
  labelled: number;
  /** Of those, without an image. */
  withoutImage: number;
  /** Rows not imported (no id, a repeated id, an unsafe image path). */
  refused: ImportProblem[];
  /** Objects already in data/objects.csv whose row was refused: kept with their previous row and image. */
  unchanged: string[];
  /** Every problem in line order: the refused rows and rows imported with a note (an image not found). */
  problems: ImportProblem[];
  labels: {
    /** Labels in labels.csv after the import. */
    kept: number;
    /** Labels the export added for objects that had none. */
    added: number;
    /** Merge: the export's label differs from the one kept. */
    conflicts: { objectId: string; kept: string; exported: string; line: number }[];
    /** Labels of objects no longer in the export, kept in labels.csv (merge). */
    notExported: string[];
    /** Replace: objects whose label changed, and objects whose label was removed. */
    changed: string[];
    removed: string[];
  };
  /** data/ files of objects no longer exported: removed (the data cache holds them), or kept because it does not. */
  removedImages: string[];
  keptImages: string[];
  /** The labels of the imported objects against collection.vocabulary. */
  vocabulary: VocabularyCheck;
  /** What this import changed in the collection, against data/objects.csv before it. */
  changes: ObjectChanges;
  /** The export read and the images folder its image paths were taken from (absolute). */
  source: { metadata: string; images: string };
  /**
   * Images in that folder that no row names, not imported: how many, and the first few (relative to it); `walkedAll`
   * false when the folder held more than import looks through (a count of at least that many).
   */
  unnamedImages: { count: number; examples: string[]; walkedAll?: false };
}

/** What an import changed in the collection: objects added, removed, given another photograph or other details. */
export interface ObjectChanges {
  added: string[];
  removed: string[];
  newPhotographs: string[];
  /**
   * Objects whose photograph, the same bytes, is stored under another name now: an import before images were stored
   * under their format's ending kept a PNG named .jpg as A-1.jpg, and this one stored it as A-1.png.
   */
  movedPhotographs: string[];
  /**
   * Objects whose photograph in data/ had been changed since the last import (not from the export): this import
   * replaced it with the export's (the changed one is kept in the data cache, and said).
   */
  photographsPutBack: string[];
  /** Objects that had no photograph and have one now, and objects whose image cell is empty now. */
  firstPhotographs: string[];
  photographsTaken: string[];
  /** Objects whose details changed, with the data/objects.csv columns that did (title, date, …). */
  details: { id: string; fields: string[] }[];
}

/** What importCollection is given. */
export interface ImportOptions {
  ws: Workspace;
  params: Params;
  metadata?: string;
  images?: string;
  labels?: LabelsMode;
  /** How the user says "import the other rows", for the message when rows are refused (init has no params.yaml yet). */
  skipHint?: string;
  /** Warn what `labels: 'replace'` changed and removed (init replacing the demo says so itself). */
  announceReplace?: boolean;
  /** When more than half of the named images are missing: stop before writing (init), or warn (import). */
  missingImages?: 'fail' | 'warn';
  /**
   * The export is the complete collection: objects of data/objects.csv it leaves out go, however many
   * (`vitrine import --remove-missing`; init, which builds the repository from the export). Without it, an export
   * that would remove a large share of the collection is refused (see tooManyRemoved).
   */
  removeMissing?: boolean;
  /**
   * An object of data/objects.csv whose row in this export is refused (on_invalid: skip) keeps its previous row
   * (import). Init, which builds the repository from the export, passes false: the demo's objects go.
   */
  keepRefused?: boolean;
  /**
   * Labels init left out of the vocabulary on purpose, for too few objects: said once as kept and not learned yet,
   * not warned of as labels to fix (a tester read "give their objects a label in it" as "call the drawings
   * Paintings"). A left-out label that is a slip for a vocabulary label is still warned of.
   */
  leftOut?: string[];
  /** Lines above the export's column names were said already (init says so before its proposal): not said again. */
  aboveHeaderSaid?: boolean;
  log: Logger;
  /** The import under way (the CLI starts it, to cover data.dvc too); without it, importCollection starts one. */
  session?: ImportSession;
}

/**
 * Bring an existing collection into `data/` and `labels.csv` (see importInto), as one import: it waits for another
 * to finish, puts back what an interrupted one had half changed, and leaves a marker while it changes files
 * (import-marker.ts).
 */
export async function importCollection(options: ImportOptions): Promise<ImportResult> {
  const session = options.session ?? (await startImport({ ws: options.ws, log: options.log }));
  try {
    return await afterPlaced({
      ws: options.ws,
      session,
      step: 'finishing the import',
      run: () => importInto({ ...options, session }),
    });
  } finally {
    if (!options.session) await session.finish();
  }
}

/**
 * `run`, a step of an import: should it fail once the import has placed its files (session.written), the note of
 * an unfinished import stays, saying which `step` failed (a reviewer: removing old images failed, the note went,
 * and "vitrine run" went on with data.dvc not recording data/), and the error says what is done and what not.
 */
async function afterPlaced<T>({
  ws,
  session,
  step,
  run,
}: {
  ws: Workspace;
  session: ImportSession;
  step: string;
  run: () => Promise<T>;
}): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!session.placed || session.kept) throw error;
    await session.failedAfterWritten({ step });
    const again = `run the same import again (${session.command}): it finishes.`;
    const why =
      environmentProblem({ error, root: ws.root, command: 'import', afterwards: `then ${again}` }) ??
      `${withoutRunAgain(messageOf(error))} Once that is mended, ${again}`;
    throw new VitrineError(
      'IMPORT_NOT_FINISHED',
      'Import stopped half-way: the new photographs and labels are in place (data/, data/objects.csv and ' +
        `labels.csv), but ${step} failed, so data.dvc does not record them yet. ${why} Until then "npx vitrine ` +
        'run" refuses (.vitrine/import-unfinished.json says why), and do not commit labels.csv alone: data.dvc ' +
        'would not match it.',
      { file: path.relative(ws.root, path.join(ws.work, UNFINISHED_IMPORT)) },
      { cause: error },
    );
  }
}

/**
 * The labels outside the vocabulary that init left out on purpose (`leftOut`, for too few objects), each with its
 * count; not one that is a slip for a vocabulary label (those are warned of).
 */
function leftOutOnPurpose({ check, leftOut }: { check: VocabularyCheck; leftOut: string[] }): LabelCount[] {
  if (leftOut.length === 0) return [];
  const chosen = new Set(leftOut.map((l) => l.normalize('NFC')));
  const slips = new Set(check.nearMisses.map((c) => c.label));
  return check.outside
    .filter((c) => chosen.has(c.label.normalize('NFC')) && !slips.has(c.label))
    .map(({ label, count }) => ({ label, count }));
}

/**
 * A message without its closing "and run again.": the import's own advice says what to run again, and how
 * ("move the folder away and run again. Once mended, then run the same import again" said it twice).
 */
export function withoutRunAgain(message: string): string {
  return message.replace(/,? (?:and|then) run (?:it |this |the same command )?again\.$/, '.');
}

/**
 * Bring an existing collection into `data/` and `labels.csv`: a folder of images and a metadata CSV
 * exported from the museum's collections management system, its columns mapped in params.yaml
 * (`import.columns`). Objects without a label are imported too: the model annotates them later.
 * The export is the source of truth for objects and images; labels.csv, which staff edit, is merged.
 * See docs/import.md.
 */
async function importInto({
  ws,
  params,
  metadata,
  images,
  labels: labelsMode = 'merge',
  skipHint = 'set import.on_invalid to "skip" in params.yaml',
  announceReplace = true,
  missingImages = 'warn',
  removeMissing = false,
  keepRefused = true,
  leftOut = [],
  aboveHeaderSaid = false,
  log,
  session,
}: ImportOptions & { session: ImportSession }): Promise<ImportResult> {
  // A merge stopped on data.dvc: data/ is one branch's, data.dvc neither's. Changed now, data/ would leave "data merge"
  // nothing to go by (a reviewer's import wrote data/ and labels.csv, then failed on data.dvc). So too once data.dvc
  // reads well again (resolved by hand, one side kept), until "data merge" has written the merge.
  const recordedMd5 = await readDvcFile({ file: ws.dataDvc }).then(
    (parsed) => parsed.outs[0]?.md5,
    (error: unknown) => {
      if (isVitrineError(error, 'DVCFILE_MERGE_CONFLICT')) throw error;
      return undefined;
    },
  );
  const unfinished = await unfinishedMerge({ root: ws.root, target: 'data', md5: recordedMd5 });
  if (unfinished && !unfinished.written) throw unfinishedMergeError({ conflict: unfinished, refused: 'import' });
  if (!metadata && !params.import.metadata)
    throw new VitrineError(
      'IMPORT_NO_METADATA',
      'Say which metadata CSV to ' + 'import: give --metadata <file> or set import.metadata in params.yaml.',
    );
  const csvFile = path.resolve(ws.root, metadata || params.import.metadata);
  const { folder: imageRoot, besideExport } = imagesFolder({ root: ws.root, params, csvFile, images });
  const name = exportName({ root: ws.root, file: csvFile });
  if (besideExport)
    log.info(
      `The images of this export are read from ${exportName({ root: ws.root, file: imageRoot })} (beside it, as ` +
        'import.images is beside import.metadata in params.yaml; give --images to read them from elsewhere).',
    );
  let bytes: Buffer;
  try {
    bytes = await readFile(csvFile);
  } catch {
    throw new VitrineError(
      'IMPORT_METADATA_MISSING',
      `The metadata file ${csvFile} cannot be read. Check the path ` +
        `given with --metadata or import.metadata in params.yaml.`,
      { file: csvFile },
    );
  }
  const realImageRoot = await realpath(imageRoot).catch(() => {
    throw new VitrineError(
      'IMPORT_IMAGES_MISSING',
      `The images folder ${imageRoot} does not exist. Check the folder ` +
        `given with --images or import.images in params.yaml.`,
      { file: imageRoot },
    );
  });
  const text = decodeExport({ bytes, file: name });
  const { header, rows, repeated = [], aboveHeader } = parseExport({ text, file: name, repeats: 'list' });
  if (aboveHeader && !aboveHeaderSaid) log.info(aboveHeaderNote({ name, above: aboveHeader }));
  const headerLine = aboveHeader?.headerLine ?? 1;
  if (header.length === 0)
    throw new VitrineError(
      'IMPORT_EMPTY',
      `${name} is empty (${bytes.length === 0 ? '0 bytes' : 'no header line, no rows'}), so nothing was changed. ` +
        'Export the collection again (did the export or the copy stop?), or check that --metadata (or ' +
        'import.metadata in params.yaml) names the right file.',
      { file: name },
    );
  const columns = params.import.columns;
  // Exports often repeat a column nobody uses: only one Vitrine reads is refused (which of the two would it read?).
  const read = new Set<string>([...Object.values(columns), ...params.import.keep]);
  for (const column of repeated) {
    if (read.has(column.name)) throw repeatedColumnError(column);
    log.warn(
      `the export names the column "${column.name}" ${column.columns.length === 2 ? 'twice' : `${column.columns.length} times`} ` +
        `(columns ${listWords(column.columns.map(String))}); Vitrine does not read it, ` +
        'so it is left out.',
      { file: name, line: column.line },
    );
  }
  for (const field of ['id', 'image'] as const) {
    const column = columns[field];
    if (column && !header.includes(column)) {
      // "ID" for "id" (a spreadsheet's or another system's capitals) or "imgae" for "image", said with the line to
      // write: the rule the dataset stage names a misspelt heading of data/objects.csv by.
      const near = nearColumn(column, header);
      throw new VitrineError(
        'IMPORT_COLUMN_MISSING',
        `${name}:${headerLine}: params.yaml maps "${field}" to the column ` +
          `"${column}", but the export has no such column (it has: ${header.join(', ')}). ${
            near
              ? `It has a column "${near}": write ${field}: ${near} under import.columns in params.yaml if it is that one.`
              : `Fix import.columns.${field} in params.yaml.`
          }`,
        { file: name, line: headerLine },
      );
    }
  }
  // Said once for all fields: an export without Vitrine's default names would otherwise get eight warnings.
  const absent = Object.entries(columns).filter(
    ([field, column]) => column && !header.includes(column) && !['id', 'image', 'label'].includes(field),
  );
  if (absent.length === 1) {
    const [field, column] = absent[0]!;
    log.warn(
      `params.yaml maps "${field}" to the column "${column}", which the export does not have: that field ` +
        `stays empty (set import.columns.${field} to "" to say it is absent).`,
      { file: name, line: headerLine },
    );
  } else if (absent.length > 1) {
    const named = absent.map(([field, column]) => (field === column ? field : `${field} ("${column}")`));
    log.warn(
      `params.yaml maps ${absent.length} fields to columns the export does not have: ` +
        `${listWords(named)}${
          absent.some(([field, column]) => field === column)
            ? ' (a field named alone maps to the column of the same name)'
            : ''
        }. Those fields stay empty; set them to "" in import.columns to say they are absent.`,
      { file: name, line: headerLine },
    );
  }
  // A kept column is written under its own name beside Vitrine's columns in data/objects.csv: one named like
  // them would be a second "title" column there, read back as the object's title.
  const keepColumns = params.import.keep.filter((column) => {
    if (!(OBJECT_COLUMNS as readonly string[]).includes(column)) return true;
    const mapped = columns[column as keyof typeof columns];
    // The export column already mapped to that field is kept there.
    if (mapped === column) return false;
    throw new VitrineError(
      'IMPORT_KEEP_COLUMN',
      `params.yaml: import.keep names "${column}", one of Vitrine's own columns in data/objects.csv ` +
        `(${OBJECT_COLUMNS.join(', ')}), which holds ${
          mapped ? `the export's "${mapped}" column (import.columns.${column})` : 'nothing from this export'
        }. Nothing was changed. Take "${column}" out of import.keep, or map it with import.columns.${column} if ` +
        'it is the one to use, then import again.',
      { file: 'params.yaml', column },
    );
  });
  const hasLabels = Boolean(columns.label) && header.includes(columns.label);
  if (labelsMode === 'replace' && !hasLabels) {
    // Replacing with nothing would empty labels.csv: every label staff made would be gone.
    throw new VitrineError(
      'IMPORT_REPLACE_NO_LABELS',
      `--labels replace takes every label from the export, but ${name} ` +
        `has no label column${
          columns.label
            ? ` ("${columns.label}", set in import.columns.label)`
            : ' (import.columns.label ' + 'is empty in params.yaml)'
        }, so it would remove every label in labels.csv. Nothing was changed. Map the label ` +
        `column in import.columns.label, or import without --labels replace to keep labels.csv as it is.`,
      { file: name, line: headerLine },
    );
  }

  // 1. Read every row and decide, before anything is written.
  const problems: ImportProblem[] = [];
  const refuse = (line: number, message: string, object?: string) =>
    problems.push({ file: name, line, object, message, refused: true });
  const note = (line: number, message: string, object?: string) => problems.push({ file: name, line, object, message });
  // `exported`: the image cell's name the source was found by (recorded in data/.imported-photographs.json).
  const accepted: {
    object: CollectionObject;
    source?: string;
    exported?: string;
    ending?: string;
    line: number;
    label: string;
  }[] = [];
  // The objects imported without their image file because it was refused (import.on_invalid: skip), and why.
  const refusedImages = new Map<string, RefusedImage>();
  // Objects that keep a photograph already in data/ whose file the export still has, the same bytes (a damaged JPEG
  // an older import stored): as import stored it, for data/.imported-photographs.json.
  const keptFromExport = new Map<string, ImportedPhotograph>();
  // The image cell of each object whose file this import refused (under "skip"): "still refused" only if the same.
  const refusedCells = new Map<string, string>();
  // The rows naming each image file (its real path), to tell rows naming one file.
  const imageOfRow = new Map<string, (SharingRow & { cell: string })[]>();
  const seen = new Map<string, number>();
  // Each id as the export wrote it on its first row, and data/objects.csv's ids by their composed form.
  const writtenAs = new Map<string, string>();
  const seenComposed = new Map<string, string>();
  let named = 0;
  // Rows whose image cell is empty: counted among those "without an image", and named (withoutFileNameWords).
  const unnamedRows: { id: string; line: number }[] = [];
  const listings = new Map<string, Promise<Map<string, string[]>>>();
  const matchedNames: { cell: string; file: string }[] = [];
  const endingAdded: { cell: string; file: string }[] = [];
  const decodedNames: { cell: string; file: string }[] = [];
  // Images whose name says another format than their bytes: stored under their format's ending, and said.
  const misnamed: { cell: string; line: number; id: string; kind: ImageKind }[] = [];
  // TIFFs of several pages, of which the first alone is shown: said when first stored.
  const manyPages: { cell: string; line: number; id: string; pages: number }[] = [];
  // Pictures too small (tooSmall: a 1×1 “no image” stub, a 40×20 icon): said after the rows, few one by one.
  const tiny: TinyPicture[] = [];
  // Pictures over dataset.image.max_pixels (a 30,000×30,000 PNG of 2.6 MB): said after the rows (large-pictures.ts).
  const large: LargePicture[] = [];
  const missing: string[] = [];
  // The notes of images not found, by their place in `problems`: with most images missing (a wrong --images
  // folder), one message says so instead of a warning per row (a tester's 114, then the error).
  const notFound = new Set<number>();
  // Rows refused for an image that is a link leading outside the images folder: said together (linkedOutMessage).
  const linkedOut: LinkedOut[] = [];
  /** Rows refused for an absolute image path: said once with the folder they share, when there are several. */
  const absolutePaths: { problem: ImportProblem; cell: string }[] = [];
  let previous: Promise<Map<string, CollectionObject>> | undefined;
  const previousObjects = () => (previous ??= previousTable({ ws, log }));
  const previousImage = async (id: string): Promise<string> => {
    const image = (await previousObjects()).get(id)?.image;
    const file = image ? path.join(ws.data, image) : '';
    return file && isInside(ws.images, file) && (await stat(file).catch(() => null))?.isFile() ? image! : '';
  };
  // The image files earlier imports refused, by object (data/.refused-images.json): one refused again is no new problem.
  let refusedBefore: Promise<Map<string, RefusedImage>> | undefined;
  // Written by an import that did not finish, the file says nothing of an earlier import: the refusals data.dvc
  // records count instead (none on a first import), or an init stopped by Ctrl-C, run again, exited 0 on files it
  // refuses (an outside tester's; an uninterrupted one exits 1).
  const previousRefused = () =>
    (refusedBefore ??= session.afterUnfinished
      ? recordedRefusals(ws)
      : readRefusedImages({
          ws,
          unreadable: (why) =>
            log.warn(
              `data/${REFUSED_IMAGES} cannot be read (${why}), so the image files earlier imports refused and recorded ` +
                'in it are judged afresh: one named again is refused as a new problem. A finished import writes the ' +
                'file again with the files it refuses then.',
              { file: `data/${REFUSED_IMAGES}` },
            ),
        }));
  // Read before the rows: a file that cannot be read is said once, even if no row needs it.
  await previousRefused();
  const progress = log.progress('Reading the export', rows.length);
  const blank: number[] = [];
  // Rows refused as an id seen before: a spreadsheet may have made them so (1987.10 saved as 1987.1).
  const repeats: ImportProblem[] = [];
  // The titles of the first row of each id and of each repeat: two titles tell two objects sharing a number.
  const firstTitle = new Map<string, string>();
  const repeatTitle = new Map<ImportProblem, string>();
  // Each id's first row, and the objects with a row per photograph after it (media-rows.ts).
  const firstCells = new Map<string, Record<string, string>>();
  const readColumns = [...Object.values(columns).filter(Boolean), ...keepColumns];
  const mediaRows = new Map<string, MediaRows>();
  // The export's image cell each object's photograph came from, as the last import recorded it: an object with a row
  // per photograph keeps that one while a row names it, in whatever order the rows come (media-rows.ts).
  const lastExported = await readImportedPhotographs({ ws });
  const namesStored = (id: string, cells: Record<string, string>) => {
    const exported = lastExported?.get(id)?.exported;
    const cell = columns.image ? (cells[columns.image] ?? '') : '';
    return Boolean(exported && cell) && (cell === exported || cellNames(cell)?.[0] === exported);
  };
  const storedTable = await previousObjects();
  const storedForms = byComposed(storedTable.keys());
  const ordered = storedPhotographFirst({
    rows,
    idOf: ({ cells }) =>
      isEmptyRow(cells) ? '' : keptIdForm({ id: cells[columns.id] ?? '', stored: storedForms, exact: storedTable }),
    namesStored: (id, { cells }) => namesStored(id, cells),
    sameObject: (first, row) =>
      sameObjectRow({ first: first.cells, cells: row.cells, imageColumn: columns.image, read: readColumns }),
  });
  // Image cells holding several names: the first SHOWN_SEVERAL said by their rows, the others once (severalMoreWords).
  const severalNamed: { line: number; id: string; words: string }[] = [];
  // The images the rows name (namedKey of their path under imageRoot): the folder's others are said after the rows.
  const namedFiles = new Set<string>();
  // Objects left out under on_invalid "skip" because their label holds a control character: counted once when many.
  const leftOutForLabel: { id: string; line: number }[] = [];
  for (const { line, cells } of ordered) {
    progress.tick();
    // A spreadsheet saves rows it once formatted as empty cells (",,,") below the last object: not objects.
    if (isEmptyRow(cells)) {
      blank.push(line);
      continue;
    }
    const get = (column: string) => (column ? (cells[column] ?? '') : '');
    // Named by a row, refused or not: an image a refused row names is said with that row, not as named by none.
    const imageCell = get(columns.image);
    // Each name of a cell naming several (severalNames), or ending with a separator: all named, none unnamed.
    for (const cell of imageCell ? [imageCell, ...(cellNames(imageCell) ?? [])] : [])
      namedFiles.add(namedKey(path.relative(imageRoot, path.resolve(imageRoot, cell.replace(/\\/g, '/')))));
    const written = get(columns.id);
    // Accents composed, or a letter and an accent (a Mac's): one id, kept as data/objects.csv has it (id-forms.ts).
    const id = keptIdForm({ id: written, stored: storedForms, exact: storedTable });
    // Two exports joined into one file (copy and paste, cat) bring the second one's header as a row.
    if (header.every((column) => cells[column] === '' || cells[column] === column) && written === columns.id) {
      refuse(line, 'this row repeats the header line (two exports joined into one file?): delete it');
      continue;
    }
    if (!id) {
      refuse(line, 'this row has no object id');
      continue;
    }
    // A line break or tab (a two-line entry in labels.csv), a zero-width space pasted from a web page (an id no one
    // typing it matches), a bidi override (an id read backwards): the dataset stage refuses them by the same rule.
    const unusable = idCharacters(id);
    if (unusable) {
      refuse(
        line,
        `the object id ${unusable.words}. Remove ${unusable.them} from the id in the export (retype the id)`,
        id,
      );
      continue;
    }
    // Excel shows a long number as 1.23457E+11 and saves it so: the digits after the sixth are lost for good.
    if (isScientific(id)) {
      refuse(
        line,
        `the object id "${clip(id)}" is a number in scientific notation, as a spreadsheet rewrites a long number: ` +
          'its last digits are lost. Export the ids again from the collections system, or format the id column ' +
          'as text in the spreadsheet before saving',
        id,
      );
      continue;
    }
    // A text pasted into the id cell: the id names the object's image file (255 bytes at most) and web address.
    const idOver = overLimit({ value: id, most: MAX_ID_BYTES });
    if (idOver) {
      refuse(
        line,
        `the object id is ${idOver}: an id names the object’s image file and web address, which cannot be that ` +
          `long. A text pasted into the id cell by mistake? It begins ${beginning(id)}. ${EXPORT_AGAIN}`,
        id,
      );
      continue;
    }
    // Its first row's id: as written, or (both forms in data/objects.csv, from an import before) the other form.
    const first = seen.has(id) ? id : seenComposed.get(id.normalize('NFC'));
    // The same object's row again, another photograph (a media report's row per photograph): not a second object.
    const firstRow = first === id ? firstCells.get(id) : undefined;
    if (firstRow && sameObjectRow({ first: firstRow, cells, imageColumn: columns.image, read: readColumns })) {
      const group = mediaRows.get(id) ?? {
        id,
        line: seen.get(id)!,
        image: firstRow[columns.image] ?? '',
        others: [],
        ...(namesStored(id, firstRow) && { kept: true as const }),
      };
      group.others.push({ line, image: get(columns.image) });
      mediaRows.set(id, group);
      continue;
    }
    if (first !== undefined) {
      const accents =
        writtenAs.get(first) === written
          ? ''
          : `, ${encodedAnotherWay({ id: first, other: id })}, which looks the same: one id`;
      refuse(line, `object "${first}" appears again (first on line ${seen.get(first)}${accents})`, id);
      repeats.push(problems.at(-1)!);
      repeatTitle.set(problems.at(-1)!, get(columns.title).trim());
      continue;
    }
    seen.set(id, line);
    firstCells.set(id, cells);
    seenComposed.set(id.normalize('NFC'), id);
    writtenAs.set(id, written);
    firstTitle.set(id, get(columns.title).trim());
    const labelOver = hasLabels ? overLimit({ value: get(columns.label), most: MAX_LABEL_BYTES }) : undefined;
    if (labelOver) {
      refuse(
        line,
        `the label ("${clip(columns.label)}") of object "${clip(id)}" is ${labelOver}: a label is a class the model ` +
          'learns, a word or a few. A text pasted into the label cell by mistake? It begins ' +
          `${beginning(get(columns.label))}. ${EXPORT_AGAIN}${params.import.on_invalid === 'skip' ? KEPT_WHEN_LONG : ''}`,
        id,
      );
      continue;
    }
    // A control character or a bidi override pasted in with the label ("co\u202ein" reads "coni"): params.yaml and
    // every later run refuse such a label, so it is refused here, before anything is written (an outside tester).
    const labelControls = hasLabels ? controlsInLabel(get(columns.label)) : undefined;
    if (labelControls) {
      // Under "skip" the whole row is left out, not the label alone: said of the object (a tester read it as the label).
      const kept = keepRefused && storedTable.has(id);
      if (params.import.on_invalid === 'skip' && !kept) leftOutForLabel.push({ id, line });
      const object =
        params.import.on_invalid !== 'skip'
          ? ''
          : kept
            ? `. Until then object "${clip(id)}" keeps its previous details, image and label`
            : `. Object "${clip(id)}" is left out of this import until then`;
      refuse(
        line,
        `the label "${clip(labelControls.shown)}" of object "${clip(id)}" contains ${labelControls.words}, which no ` +
          `label may hold${labelControls.bidi ? ' (a direction override turns the text after it round)' : ''}: every ` +
          'run refuses such a label. ' +
          `Delete ${labelControls.plural ? 'them' : 'it'} from the label in the collections system and export ` +
          `again${object}`,
        id,
      );
      continue;
    }
    const tooLong = overlongField({ columns, keepColumns, cells, id });
    if (tooLong) {
      refuse(line, `${tooLong}${params.import.on_invalid === 'skip' ? KEPT_WHEN_LONG : ''}`, id);
      continue;
    }
    let source: string | undefined;
    let exported: string | undefined;
    let ending: string | undefined;
    let keptImage = '';
    const whole = get(columns.image);
    if (!whole) unnamedRows.push({ id, line });
    if (whole) {
      named++;
      let cell = whole;
      const maxPixels = params.dataset.image.max_pixels;
      let found = await findImage({ imageRoot, realImageRoot, cell, root: ws.root, listings, maxPixels });
      // A cell naming an object's several media ("img/a.jpg; img/verso_a.jpg"): one photograph per object, the first.
      const names = 'missing' in found ? cellNames(whole) : undefined;
      if (names) {
        cell = names[0]!;
        found = await findImage({ imageRoot, realImageRoot, cell, root: ws.root, listings, maxPixels });
        // One name and a separator after it ("img/a.jpg;"): that name, nothing to say.
        // The first few said one by one; the others counted after the rows (a list in every row: one warning each).
        if (names.length > 1) {
          const words = severalNamesWords({ names, id, taken: !('missing' in found) });
          severalNamed.push({ line, id, words });
          if (severalNamed.length <= SHOWN_SEVERAL) note(line, words, id);
        }
      }
      // A file that cannot be used (unreadable, not an image) under "skip": the object is imported without it, as
      // when the file is missing (it was dropped whole; a reviewer). An unsafe path still refuses the row.
      // One already in the repository is no new problem (a reviewer): stored as the object's photograph in data/ by
      // an import made before such files were refused (same bytes), or refused by an earlier import and recorded in
      // data/.refused-images.json (same name, same bytes). A routine re-import of the unchanged export goes on and
      // says it; a file changed since is judged afresh. So under "skip": a file still refused is said so, not counted
      // as a new refusal (the import exited 1 on every run of an unchanged export; a reviewer).
      const unusable = 'refused' in found && found.unusable ? found : undefined;
      const stored = unusable?.file ? await previousImage(id) : '';
      const before = unusable && (await previousRefused()).get(id);
      // Read whole only when it is compared or recorded (a camera raw file is tens of megabytes).
      const compared = params.import.on_invalid === 'skip' || before?.image === whole;
      const md5 = compared && unusable?.file ? await hashFile({ file: unusable.file }) : undefined;
      // Recorded by an import that kept no fingerprint of the file: the same name refused for the same reason.
      const refusedBefore =
        before?.image === whole && (before.md5 ? before.md5 === md5 : before.reason === unusable?.refused);
      // The same name refused for the same reason, but other bytes: said, or the same words would now stop it.
      const changed =
        !refusedBefore && md5 && before?.image === whole && before.reason === unusable?.refused
          ? ' (changed since an earlier import refused it)'
          : '';
      if (unusable?.file && stored && (await sameBytes(unusable.file, path.join(ws.data, stored)))) {
        keptImage = stored;
        // The export's file, as import stored it before: recorded as such (imported-photographs.ts).
        // Kept, not copied: import never copies a file it cannot use, so it would not put this one back either.
        const bytes = md5 ?? (await hashFile({ file: unusable.file }));
        keptFromExport.set(id, { image: stored, md5: bytes, kept: true, exported: cell });
        const reason = unusable.refused.replace(/ Copy or export.*$/, '').replace(/\.?$/, '.');
        note(
          line,
          `the image "${cell}" of object "${id}" is the same file as its photograph already in data/ ` +
            `(data/${stored}, from an earlier import), and it ${reason} ` +
            'It is kept as it was: the object stays without a usable photograph until a good copy is put in the ' +
            'export in its place and imported again.',
          id,
        );
      } else if (unusable && refusedBefore) {
        keptImage = stored;
        if (!keptImage) refusedImages.set(id, { image: whole, reason: unusable.refused, ...(md5 && { md5 }) });
        note(line, stillRefusedWords({ cell, id, reason: unusable.refused, keptImage }), id);
      } else if (unusable && params.import.on_invalid === 'skip') {
        keptImage = stored;
        // Without an image now: what was refused is kept for the dataset stage (refused-images.ts), with the file's
        // fingerprint, to tell the same file on the next import.
        if (!keptImage) refusedImages.set(id, { image: whole, reason: unusable.refused, ...(md5 && { md5 }) });
        refusedCells.set(id, cell);
        problems.push({
          file: name,
          line,
          object: id,
          message:
            `the image "${cell}" of object "${id}"${changed} ${unusable.refused.replace(/\.?$/, '.')} The file is ` +
            'refused ' +
            `(import.on_invalid is "skip"): ${
              keptImage
                ? `the object keeps its image from the previous import (data/${keptImage})`
                : 'the object is imported without an image'
            }.`,
          imageRefused: true,
        });
      } else if ('refused' in found) {
        refuse(line, `the image "${cell}" of object "${id}"${unusable ? changed : ''} ${found.refused}`, id);
        if (found.linkedOut) linkedOut.push({ problem: problems.at(-1)!, cell, ...found.linkedOut });
        if (found.absolute) absolutePaths.push({ problem: problems.at(-1)!, cell });
        continue;
      } else if ('missing' in found) {
        // A file missing from this export (a share being synced, a renamed folder) does not unpublish an image
        // already in data/: the object keeps it until the export names a file again or leaves it empty.
        keptImage = await previousImage(id);
        // The file refused before and missing for a while: still recorded, so its pages do not say "No photograph
        // yet" and its return is no new problem (a reviewer).
        const before = keptImage ? undefined : (await previousRefused()).get(id);
        if (before?.image === whole) refusedImages.set(id, before);
        missing.push(cell);
        const several = !found.candidates
          ? ''
          : found.endingAdded
            ? ` as it is written, and several files have that name with an image’s ending ` +
              `(${found.candidates.join(', ')}): write the name of the right one, its ending included`
            : ` as it is written, and several files differ from it only in capitals or accents ` +
              `(${found.candidates.join(', ')}): write the name exactly as one of them is written`;
        const what = found.brokenLink
          ? `is a link to ${found.brokenLink}, which does not exist (the link leads nowhere: a drive not connected, ` +
            'a folder moved?)'
          : `was not found in ${imageRoot}${several}`;
        if (!found.brokenLink && !found.candidates) notFound.add(problems.length);
        note(
          line,
          `the image "${cell}" of object "${id}" ${what}; ${
            keptImage
              ? `the object keeps its image from the previous import (data/${keptImage})`
              : 'the object is imported without an image'
          }`,
          id,
        );
      } else {
        source = found.file;
        exported = cell;
        ending = imageEnding({ file: found.as, kind: found.kind });
        // A JPEG overwritten with zero bytes from its middle on decodes without an error, half grey: said, imported.
        if (found.damage) note(line, `the image "${cell}" of object "${id}" ${found.damage}, ${DAMAGED_GREY}`, id);
        if (ending !== path.extname(found.as).toLowerCase()) misnamed.push({ cell, line, id, kind: found.kind });
        if (found.pages) manyPages.push({ cell, line, id, pages: found.pages });
        const size = await pictureSize({ file: found.file, kind: found.kind }).catch(() => undefined);
        if (size && tooSmall(size)) tiny.push({ cell, line, id, ...size });
        const measured = await headerSize({ file: found.file, kind: found.kind, size });
        if (measured && overPixelLimit(measured, maxPixels)) large.push({ cell, line, id, ...measured });
        if (found.matched && found.endingAdded) endingAdded.push({ cell, file: found.matched });
        else if (found.matched && found.decoded) decodedNames.push({ cell, file: found.matched });
        else if (found.matched) matchedNames.push({ cell, file: found.matched });
      }
    }
    const extra: Record<string, string> = {};
    for (const column of keepColumns) extra[column] = cells[column] ?? '';
    const object: CollectionObject = {
      id,
      title: get(columns.title),
      maker: get(columns.maker),
      date: get(columns.date),
      department: get(columns.department),
      medium: get(columns.medium),
      creditLine: get(columns.credit_line),
      rights: get(columns.rights),
      description: get(columns.description),
      image: keptImage,
      extra,
    };
    if (source) {
      // Rows naming one file: each object would be published (and learnt from) with the same photograph.
      const sharing = imageOfRow.get(source) ?? [];
      sharing.push({ line, id, cell: get(columns.image), label: hasLabels ? get(columns.label).trim() : '' });
      imageOfRow.set(source, sharing);
    }
    accepted.push({ object, source, exported, ending, line, label: hasLabels ? get(columns.label) : '' });
  }
  progress.done();
  // A pair photographed together is said row by row; a file named by more rows (a placeholder "noimage.jpg" named by
  // 40 gave 39 long warnings: an outside tester), or named as a placeholder, is said once.
  for (const rows of imageOfRow.values()) {
    const [first, ...others] = rows;
    if (!first || others.length === 0) continue;
    if (saidTogether({ cell: first.cell, rows })) note(first.line, sharedImageWords({ cell: first.cell, rows }));
    else for (const row of others) note(row.line, sameImageWords({ cell: row.cell, id: row.id, first }), row.id);
  }
  if (tiny.length > 0 && tiny.length <= SHOWN_TINY)
    for (const t of tiny) note(t.line, `${tinyNamed(t)}${tinyMeaning(false)}`, t.id);
  else if (tiny.length > 0) note(tiny[0]!.line, tinyPicturesWords(tiny));
  for (const n of largePicturesNotes({ rows: large, maxPixels: params.dataset.image.max_pixels }))
    note(n.line, n.message, n.id);
  for (const n of mediaRowsNotes([...mediaRows.values()])) note(n.line, n.message, n.id);
  if (severalNamed.length > SHOWN_SEVERAL) note(severalNamed[SHOWN_SEVERAL]!.line, severalMoreWords(severalNamed, log));
  if (blank.length > 0) log.info(emptyRowsMessage({ file: name, lines: blank }));
  if (repeats.length > 0) {
    const explained = shortenedRepeats({ repeats, seen, previous: await previousObjects(), keepRefused });
    // Said imported only when it was: the first row may be refused too, and under on_invalid fail nothing is.
    const imported = new Set(params.import.on_invalid === 'skip' ? accepted.map((a) => a.object.id) : []);
    for (const p of repeats) {
      if (explained.has(p)) continue;
      p.message += twoObjectsWords({
        problem: p,
        seen,
        kept: firstTitle.get(p.object!),
        refused: repeatTitle.get(p),
        imported,
      });
    }
  }
  // Said at import, when the export can still be fixed; the dataset stage says it again on every run.
  const alike = lookAlikeIds({ ids: accepted.map((a) => a.object.id), lineOf: seen });
  if (alike) log.warn(`${name}: ${alike}`, { file: name });
  // The one all-digit id of data/objects.csv that a spreadsheet's 1.23457E+11 stands for, if only one rounds to it.
  const spreadsheetNumber = async (id: string): Promise<string | undefined> => {
    const [mantissa, exponent] = id.toLowerCase().replace(',', '.').split('e');
    if (!isScientific(id) || mantissa === undefined || exponent === undefined) return undefined;
    const digits = mantissa.split('.')[1]?.length ?? 0;
    const shown = `${mantissa}e${exponent.startsWith('+') ? exponent : `+${exponent}`}`;
    // Indexed once per number of digits shown: a whole column of such ids against every previous id was
    // minutes (20,000 rows: 5 min 20 s).
    let index = roundedIds.get(digits);
    if (!index) {
      index = new Map();
      for (const before of (await previousObjects()).keys()) {
        if (!/^\d+$/.test(before)) continue;
        const key = Number(before).toExponential(digits);
        index.set(key, [...(index.get(key) ?? []), before].slice(0, 2));
      }
      roundedIds.set(digits, index);
    }
    const matches = index.get(shown) ?? [];
    return matches.length === 1 ? matches[0] : undefined;
  };
  const roundedIds = new Map<number, Map<string, string[]>>();
  // An object already in the collection whose new row is refused (on_invalid: skip) keeps its previous row and
  // image: the export lists it, so it has not left, and one bad cell must not unpublish it.
  const keptRows = async () => {
    const ids = new Set(accepted.map((a) => a.object.id));
    const kept = new Map<string, { object: CollectionObject; line: number }>();
    if (!keepRefused) return kept;
    for (const p of problems) {
      if (!p.refused || !p.object) continue;
      const id = (await spreadsheetNumber(p.object)) ?? p.object;
      if (ids.has(id) || kept.has(id)) continue;
      const before = (await previousObjects()).get(id);
      if (before) kept.set(id, { object: before, line: p.line });
    }
    return kept;
  };
  const failingAlready = params.import.on_invalid === 'fail' && problems.some((p) => p.refused);
  // Under on_invalid: fail a refused row means nothing is written: no previous row is kept.
  const keptBefore = failingAlready ? new Map<string, { object: CollectionObject; line: number }>() : await keptRows();
  // An object kept as it was, without an image: the file refused for it before stays recorded (a reviewer).
  for (const [id, { object }] of keptBefore) {
    const before = object.image ? undefined : (await previousRefused()).get(id);
    if (before) refusedImages.set(id, before);
  }
  // File names in data/images/ are decided before anything is written, so an image that cannot be stored
  // is a refused row like any other, not a failure halfway through.
  const fileNames = imageFileNames(
    // Named after the object, with the ending of the image's real format (a PNG saved as a.jpg is stored as .png).
    accepted.filter((a) => a.source).map((a) => ({ id: a.object.id, ext: a.ending! })),
    new Set(
      [
        ...accepted.filter((a) => !a.source).map((a) => a.object.image),
        ...[...keptBefore.values()].map((k) => k.object.image),
      ]
        .filter(Boolean)
        .map((image) => path.basename(image)),
    ),
  );
  const storable = accepted.filter((a) => {
    if (!a.source) return true;
    a.object.image = `images/${fileNames.get(a.object.id)!}`;
    if (Buffer.byteLength(path.join(ws.data, a.object.image)) <= MAX_PATH_BYTES) return true;
    refuse(
      a.line,
      `the image of object "${clip(a.object.id)}" cannot be stored: the repository's folder path is too ` +
        `long for its file name in data/images/. Move the repository to a shorter path.`,
      a.object.id,
    );
    return false;
  });
  // A row refused just now (its image's path too long) may be an object to keep: only then are the rows gone over again.
  const refusedNow = storable.length < accepted.length;
  accepted.splice(0, accepted.length, ...storable);
  const problemsBefore = [...problems];
  problems.sort((a, b) => a.line - b.line);
  const refused = problems.filter((p) => p.refused);
  const failing = refused.length > 0 && params.import.on_invalid === 'fail';
  // A linked folder of the export refuses each of its rows: one message, not a warning per row (1,955 of them).
  const linked =
    linkedOut.length > 1
      ? await linkedOutMessage({ rows: linkedOut, imageRoot, name, all: refused.length })
      : undefined;
  // Every image path absolute (an export from a Windows collection system): one message, with the folder they share.
  const absolute = absolutePaths.length > 1 ? absolutePathsMessage({ rows: absolutePaths, name }) : undefined;
  const grouped = new Set([
    ...(linked ? linkedOut.map((l) => l.problem) : []),
    ...(absolute ? absolutePaths.map((a) => a.problem) : []),
  ]);
  // Most images missing (a wrong --images folder, an unfinished copy) is said before any other refusal, and the
  // per-row notes are then not printed. Rows refused for their image (not missing) are the refusal's, below.
  const found = accepted.filter((a) => a.source).length;
  const mostlyMissing = missing.length > 0 && missing.length * 2 > named;
  // A folder one level down that holds the first missing image: the usual slip is naming the export's folder.
  // The folders further down that hold them, or spread over several (images-below.ts), else one a link leads to.
  const holding = mostlyMissing ? await foldersHolding({ imageRoot, cells: missing }) : [];
  const foundIn =
    mostlyMissing && holding.length === 0 ? await folderHolding({ imageRoot, cell: missing[0]! }) : undefined;
  const there = foundIn
    ? ` The first of them, "${missing[0]}", is in ${JSON.stringify(foundIn)}: give that folder.`
    : foldersHoldingWords({ imageRoot, holding, missing: new Set(missing).size });
  if (found === 0 && mostlyMissing) {
    throw new VitrineError(
      'IMPORT_NO_IMAGES',
      `None of the ${named} images named in ${name} is in ${imageRoot}, so ` +
        `nothing was changed. Give the folder the image paths are relative to with --images (or import.images in ` +
        `params.yaml).${there}`,
      { file: name },
    );
  }

  if (mostlyMissing) {
    const message = `${missing.length} of the ${named} images named in ${name} are not in ${imageRoot} (e.g. "${missing[0]}")`;
    if (missingImages === 'fail')
      throw new VitrineError(
        'IMPORT_MOSTLY_MISSING',
        `${message}, so nothing was written. Check that the folder holds every image (a copy or sync still ` +
          `running?) and that --images names the folder the image paths are relative to, then run it again.${there}`,
        { file: name },
      );
    log.warn(
      `${message}: those objects are imported without an image (or keep the one they had). Check that the folder ` +
        `holds every image and that import.images (or --images) names the folder the image paths are relative to.${there}`,
      { file: name },
    );
  }

  const unsaid = new Set(mostlyMissing ? [...notFound].map((i) => problemsBefore[i]!) : []);
  const single = problems.filter((p) => !grouped.has(p) && !unsaid.has(p));
  const singleRefused = single.filter((p) => p.refused);
  // When import fails, the error below lists the first refused rows: each row is said once, not also as a warning.
  const inError = new Set(failing ? singleRefused.slice(0, 5) : []);
  if (linked && !failing) log.warn(linked.message, { file: name, line: linked.line, lines: linked.lines });
  if (absolute && !failing) log.warn(absolute.message, { file: name, line: absolute.line, lines: absolute.lines });
  // Said before the refusal below: what would have been done, not what was (a tester read "the object is imported
  // without an image" three times, then "nothing was changed").
  const said = (message: string) =>
    failing
      ? message
          .replace(/\bthe object is imported without an image\b/, 'the object would be imported without an image')
          .replace(/\bthe object keeps its image from\b/, 'the object would keep its image from')
      : message;
  for (const p of single)
    if (!inError.has(p)) log.warn(said(p.message), { file: p.file, line: p.line, object: p.object });
  // A phone's photos come by the hundred: how many, said once, beside the rows.
  const phone = problems.filter((p) => (p.refused || p.imageRefused) && p.message.includes(HEVC_REFUSED));
  if (phone.length > 1)
    log.warn(
      `${phone.length} images are HEIC photos from a phone (HEVC), which cannot be read (lines ` +
        `${sample(
          phone.map((p) => String(p.line)),
          10,
        )}): export them as JPEG and import again.`,
      { file: name, line: phone[0]!.line, lines: phone.map((p) => p.line) },
    );
  if (leftOutForLabel.length > 1)
    log.warn(
      `${leftOutForLabel.length} objects were left out of this import (${listWords(
        leftOutForLabel.map((o) => clip(o.id)),
        { max: 10 },
      )}) because their labels hold a character that prints nothing, which no label may hold (each said above): ` +
        'delete it from those labels in the collections system and export again.',
      { file: name, line: leftOutForLabel[0]!.line, lines: leftOutForLabel.map((o) => o.line) },
    );
  if (failing) {
    const listed = [
      ...(linked ? [`  ${linked.message.split('\n').join('\n  ')}`] : []),
      ...(absolute ? [`  ${absolute.message}`] : []),
      ...singleRefused.slice(0, 5).map((p) => `  ${p.file}:${p.line}: ${p.message}`),
    ];
    const more = singleRefused.length > 5 ? [`  … and ${singleRefused.length - 5} more (listed above)`] : [];
    throw new VitrineError(
      'IMPORT_INVALID',
      `${refused.length} row${refused.length === 1 ? '' : 's'} of ${name} cannot be imported, so nothing was changed ` +
        `(import.on_invalid is "fail"):\n${[...listed, ...more].join('\n')}\n` +
        // Skipping them would import no image at all: only the export's paths can be mended.
        (absolute && absolutePaths.length === refused.length
          ? 'Mend the image paths in the export as said above, then run it again' +
            (accepted.length > 0 ? `, or ${skipHint} to import the other rows.` : '.')
          : `Fix ${refused.length === 1 ? 'the row' : 'these rows'} in the export, or ${skipHint} to import the ` +
            'other rows.'),
      { file: name, line: refused[0]!.line },
    );
  }
  // The objects it leaves out are refused first: the images refusal's advice (--remove-missing) confirms both.
  const kept = refusedNow ? await keptRows() : keptBefore;
  const removal = await removedObjects({ ws, accepted, kept });
  // An export whose image column came out empty (a spreadsheet's column cleared, an export option left out) would
  // take the pictures out of the catalogue: only the user's word that it is complete does that. A few cells
  // emptied (an image withdrawn) are not asked about; one cell left filled must not let the rest through.
  const previousTableNow = await previousObjects();
  // data/objects.csv as it is before this import: the summary compares with data.dvc's record when they differ.
  const objectsMd5Before = await hashFile({ file: ws.objects }).catch(() => undefined);
  const pictured = [...previousTableNow.values()].filter((o) => o.image).length;
  const losing = accepted.filter((a) => !a.object.image && previousTableNow.get(a.object.id)?.image).length;
  const emptiedAll = named === 0 && losing > 0;
  const emptiedMany = losing > REMOVE_WITHOUT_ASKING && (losing * 2 > pictured || losing > REMOVE_AT_MOST);
  refuseLargeRemoval({
    ...removal,
    removeMissing,
    name,
    objectsName: path.relative(ws.root, ws.objects),
    listed: accepted.length,
    listedIds: accepted.map((a) => a.object.id),
    // Its advice (--remove-missing) confirms the images' loss too: said before it is followed.
    imagesLost: emptiedAll || emptiedMany ? losing : 0,
    lineOf: seen,
  });
  if (!removeMissing && (emptiedAll || emptiedMany)) {
    const gone = removal.notListed.length;
    const column = columns.image
      ? `The image column ("${columns.image}") is empty in every row: `
      : 'No column is the image column: ';
    const they = losing === 1 ? 'its' : 'their';
    const also =
      gone > 0
        ? `; it would also remove the ${gone === 1 ? 'object' : `${gone} objects`} the export does not list ` +
          `(${sample(removal.notListed, 5)})`
        : '';
    // The file is named once, by the error's place (`file`).
    throw new VitrineError(
      'IMPORT_IMAGES_EMPTIED',
      `${named === 0 ? column : ''}${losing} object${losing === 1 ? '' : 's'} still in the export would lose ${they} ` +
        `image: ${they} image cell is empty (${pictured} of data/objects.csv ` +
        `${pictured === 1 ? 'has an image' : 'have one'} now), so nothing was changed. Check the image column of the ` +
        `export. If the objects really have no pictures any more, import it again with --remove-missing${also}.`,
      { file: name },
    );
  }
  const scientific = scientificIds({ accepted, previous: previousTableNow, removal, name, lineOf: seen });
  if (scientific) log.warn(scientific.message, { file: name, line: scientific.line });
  // Said plainly: an export without image names trains nothing (vitrine init stops on it; see noImageNamed).
  if (named === 0 && accepted.length > 0)
    log.warn(noImageNamed({ rows: accepted.length, name, column: columns.image }));
  else {
    const ids = new Set(accepted.map((a) => a.object.id));
    const unnamed = unnamedRows.filter((r) => ids.has(r.id));
    if (unnamed.length > 0) log.info(withoutFileNameWords({ rows: unnamed, name, column: columns.image }));
  }
  // Every named image refused, its rows skipped (on_invalid "skip"): nothing left to picture.
  if (found === 0 && named > 0) {
    // Each file found and refused (a phone's HEIC photos): the folder is right, the files are what to mend.
    const first = missing.length === 0 ? problems.find((p) => p.imageRefused) : undefined;
    if (first)
      throw new VitrineError(
        'IMPORT_NO_IMAGES',
        `None of the ${named} images named in ${name} can be used: each was found in ${imageRoot} and refused (see ` +
          `above; line ${first.line}: ${first.message.replace(/ The file is refused \(import\.on_invalid[\s\S]*$/, '')}), ` +
          'so nothing was changed. Mend the files as the reasons say (a format Vitrine cannot read: export the ' +
          'photographs as JPEG or TIFF), then import again.',
        { file: name, line: first.line },
      );
    throw new VitrineError(
      'IMPORT_NO_IMAGES',
      `None of the ${named} images named in ${name} could be imported from ${imageRoot} (see above), so nothing ` +
        'was changed. Give the folder the image paths are relative to with --images (or import.images in ' +
        'params.yaml).',
      { file: name },
    );
  }
  if (matchedNames.length > 0) {
    const shown = matchedNames.slice(0, 3).map(({ cell, file }) => {
      // Names that differ only in Unicode form print alike: said, so the example does not look like no change.
      const same = cell.replace(/\\/g, '/').normalize('NFC') === file.normalize('NFC');
      const form = same ? ` (${lettersApart({ id: cell, other: file })} encoded differently)` : '';
      return `"${cell}" is ${file}${form}`;
    });
    log.info(
      `${matchedNames.length} image name${matchedNames.length === 1 ? '' : 's'} matched files that differ only in ` +
        `capitals or accents, e.g. ${shown.join(', ')}: those files were used.`,
    );
  }
  if (decodedNames.length > 0) log.info(decodedNamesWords(decodedNames));
  if (endingAdded.length > 0) {
    const shown = endingAdded.slice(0, 3).map(({ cell, file }) => `"${cell}" is ${file}`);
    log.info(
      `${count(endingAdded.length, 'image name')} matched files whose names add an image’s ending, e.g. ` +
        `${shown.join(', ')}: those files were used.`,
    );
  }
  const stored = new Map(accepted.filter((a) => a.source).map((a) => [a.object.id, a.object.image]));
  // Said when the image is first stored so, not on every import of the same export after that.
  const renamed = misnamed.filter((m) => stored.has(m.id) && previousTableNow.get(m.id)?.image !== stored.get(m.id));
  if (renamed.length > 0) {
    const one = renamed.length === 1;
    const shown = renamed
      .slice(0, 5)
      .map(
        (m) =>
          `"${m.cell}" (${name}:${m.line}, object ${clip(m.id)}) is ${KIND_WORDS[m.kind]} image, stored as ` +
          `data/${stored.get(m.id)}`,
      );
    const more = renamed.length > 5 ? `; and ${renamed.length - 5} more` : '';
    log.info(
      `${count(renamed.length, 'image')} ${one ? 'is' : 'are'} stored under the ending of ${one ? 'its' : 'their'} ` +
        `real format, which ${one ? 'its name does' : 'their names do'} not end in: ${shown.join('; ')}${more}.`,
    );
  }
  const firstPages = manyPages.filter((m) => previousTableNow.get(m.id)?.image !== stored.get(m.id));
  if (firstPages.length > 0) log.warn(manyPagesWords({ rows: firstPages, name, stored }));
  // A second view of an object, a photograph whose row was not exported, a name misspelt in the export: not imported,
  // and said, since the museum cannot tell otherwise that they are not in the collection.
  const unnamedImages =
    named > 0 ? await imagesNamedByNoRow({ imageRoot, root: ws.root, named: namedFiles }) : { count: 0, examples: [] };
  if (unnamedImages.count > 0)
    log.info(unnamedImagesWords({ ...unnamedImages, imageRoot, name, column: columns.image }));
  // Objects no longer exported whose photograph a new id has: renumbered, most likely (said once the labels are known).
  const sameImage = await sameImageNewId({ ws, previous: previousTableNow, accepted, removed: removal.notListed });
  // data/ as the data layer lists it, before anything is written: a name that is not UTF-8 is refused here, not
  // after data/ changed; step 4 finds the images no longer exported in this listing (what this import adds, it keeps).
  const dataBefore = await listedData({ ws });

  // Where a replace keeps tables git's last commit does not hold as they are: one dated folder for this import.
  const aside = path.join(keptAsideFolder({ ws }), BEFORE_REPLACE);
  // 2. Labels: merged into what staff already have, unless the caller asked to replace them.
  const labelsResult = await mergeLabels({
    ws,
    name,
    accepted,
    unchanged: new Set(kept.keys()),
    hasLabels,
    mode: labelsMode,
    labelColumn: columns.label,
    announce: announceReplace,
    editKept: session.editsKept.find((e) => e.file === ws.labels)?.kept,
    aside,
    saidBefore: await labelDifferencesSaid(ws),
    log,
  });

  const objectsTable = formatObjects({
    objects: [...accepted.map((a) => a.object), ...[...kept.values()].map((k) => k.object)],
  });
  // data/objects.csv is rebuilt from the export: a replace over one changed by hand since the last commit keeps it.
  if (labelsMode === 'replace' && announceReplace && !session.editsKept.some((e) => e.file === ws.objects))
    await keepObjectsBefore({ ws, text: objectsTable, aside, log });
  // Values edited in data/objects.csv since the last import (the table it wrote, kept in data/) that the export
  // says otherwise: said once written, object by object (the collection system is where to correct them).
  const undone = editsUndone({
    imported: await lastImported({ ws, log }),
    current: previousTableNow,
    exported: accepted,
  });

  // 3. Images: copied (original bytes) into a temp folder outside data/; then every file is renamed into
  // place, or none is (a failure undoes the renames done so far).
  const temp = session.temp;
  // Objects that had a photograph and get another file (re-photographed, or another image named): for the summary.
  const newPhotographs: string[] = [];
  // The same photograph stored under its format's ending now (the object ids, and the names they had in data/).
  const movedPhotographs: string[] = [];
  const movedFrom = new Set<string>();
  // Photographs changed in data/ since the last import stored them (not from the export) that this import replaces:
  // their bytes are kept in the data cache first (keepHandChanged), and said.
  const handChanged: HandChanged[] = [];
  // From here on data/ and labels.csv change: an interruption is told to the next import or run.
  await session.begin();
  await mkdir(temp, { recursive: true });
  try {
    // Each image is compared with the one in data/: only new and changed ones are copied (a re-import copies none).
    const copying = log.progress('Comparing images (new and changed ones are copied)', found);
    const staged: { from: string; to: string }[] = [];
    const cutShort: typeof accepted = [];
    // Each photograph as this import stores it from the export (imported-photographs.ts): one already in data/ with
    // the export's bytes has its MD5 from the data layer's hash state (or the bytes compared), a copied one from the
    // identity the commit journals.
    const photographs = new Map<string, ImportedPhotograph>(keptFromExport);
    const copied = new Map<string, { id: string; image: string; exported?: string }>();
    const hashState = await HashState.load({ file: stateFileOf(ws.root) });
    // What the last import stored (read again, with a warning if unreadable, by storedPhotographs below).
    const lastStored = await readImportedPhotographs({ ws });
    for (const a of accepted) {
      if (!a.source) continue;
      const dest = path.join(ws.data, a.object.image);
      if (await startOf(a.source, dest)) cutShort.push(a);
      else {
        const md5 = await md5IfSame({ source: a.source, dest, state: hashState });
        if (md5) {
          photographs.set(a.object.id, { image: a.object.image, md5, ...(a.exported && { exported: a.exported }) });
          copying.tick();
          continue;
        }
        const from = path.join(temp, String(staged.length));
        await copyFile(a.source, from);
        staged.push({ from, to: dest });
        copied.set(from, { id: a.object.id, image: a.object.image, exported: a.exported });
        // The file in data/ is not the export's: changed by hand since the last import stored it?
        const last = lastStored?.get(a.object.id);
        const now = last?.image === a.object.image ? await md5Now({ file: dest, state: hashState }) : undefined;
        if (last && now && now !== last.md5) {
          handChanged.push({ id: a.object.id, image: a.object.image, md5: now, from, lastMd5: last.md5 });
          copying.tick();
          continue;
        }
        const before = previousTableNow.get(a.object.id)?.image;
        // The same photograph under another ending (an import before images were stored under their format's
        // ending kept a PNG named .jpg as A-1.jpg) is not a new one.
        const renamedOnly =
          before && before !== a.object.image && (await sameBytes(a.source, path.join(ws.data, before)));
        if (renamedOnly) {
          movedPhotographs.push(a.object.id);
          movedFrom.add(before);
        } else if (before) newPhotographs.push(a.object.id);
      }
      copying.tick();
    }
    copying.done();
    if (cutShort.length > 0) log.warn(cutShortWords({ cutShort, name }), { file: name, line: cutShort[0]!.line });
    // On the disk before they are renamed into data/: after a power cut an image is whole, never empty. Several
    // at once: one after the other, 1,000 images took 1.5 s more.
    await mapPool(staged, 16, ({ from }) => syncFile(from));
    // What each copied photograph holds: recorded below, and journalled by the commit without reading it again.
    const identities = new Map<string, FileIdentity>();
    await mapPool(staged, 8, async ({ from }) => identities.set(from, await identityOf(from)));
    for (const [from, { id, image, exported }] of copied)
      photographs.set(id, { image, md5: identities.get(from)!.md5, ...(exported && { exported }) });
    for (const h of handChanged) h.putBack = identities.get(h.from)!.md5 === h.lastMd5;
    // Before any file is replaced: the changed photographs' bytes, where the advice can get them back from.
    await keepHandChanged({ ws, handChanged });
    const photographsText = path.join(temp, 'imported-photographs.json');
    await writeFile(
      photographsText,
      formatImportedPhotographs(
        await storedPhotographs({
          ws,
          photographs,
          table: [...accepted, ...kept.values()].map((a) => a.object),
          log,
        }),
      ),
    );
    await syncFile(photographsText);
    staged.push({ from: photographsText, to: importedPhotographsFile(ws) });
    const objectsText = path.join(temp, 'objects.csv');
    await writeFile(objectsText, objectsTable);
    await syncFile(objectsText);
    staged.push({ from: objectsText, to: ws.objects });
    // The table as this import wrote it, beside it: the next import tells the edits made since (import-edits.ts).
    const importedText = path.join(temp, 'imported-objects.csv');
    await writeFile(importedText, objectsTable);
    await syncFile(importedText);
    staged.push({ from: importedText, to: lastImportFile(ws) });
    if (labelsResult.text !== undefined) {
      const labelsText = path.join(temp, 'labels.csv');
      await writeFile(labelsText, labelsResult.text);
      await syncFile(labelsText);
      staged.push({ from: labelsText, to: ws.labels });
    }
    if (refusedImages.size > 0) {
      const refusedText = path.join(temp, 'refused-images.json');
      await writeFile(refusedText, `${JSON.stringify(Object.fromEntries(refusedImages), null, 2)}\n`);
      await syncFile(refusedText);
      staged.push({ from: refusedText, to: refusedImagesFile(ws) });
    }
    await commitAll({
      staged,
      backupDir: temp,
      root: ws.root,
      tables: [ws.labels, ws.objects],
      session,
      identities,
    });
    // None refused now: an earlier import's list is gone with what it said.
    if (refusedImages.size === 0) await rm(refusedImagesFile(ws), { force: true });
  } finally {
    // Kept when a failed commit could not put every file back: the files moved aside are there, and its journal.
    if (!session.kept) await rm(temp, { recursive: true, force: true });
  }

  // 4. Images of objects no longer exported: removed only when the data cache can bring them back.
  const keep = new Set([...accepted.map((a) => a.object.image), ...[...kept.values()].map((k) => k.object.image)]);
  keep.delete('');
  // Images of objects still exported whose image cell is now empty: said apart, they have not left the collection.
  const emptied = new Set(
    accepted.filter((a) => !a.object.image).map((a) => previousTableNow.get(a.object.id)?.image ?? ''),
  );
  // Images of objects still exported whose photograph is now another file (a .webp exported again as .png, say).
  const replaced = new Set(
    accepted
      .map((a) => ({ now: a.object.image, before: previousTableNow.get(a.object.id)?.image ?? '' }))
      .filter(({ now, before }) => now && before && now !== before)
      .map(({ before }) => before),
  );
  const { removedImages, keptImages } = await afterPlaced({
    ws,
    session,
    step: 'removing the images of objects no longer exported from data/',
    run: () => removeStaleImages({ ws, listed: dataBefore, keep, emptied, replaced, movedFrom, log }),
  });
  // Said at import, not first at training: the vocabulary in params.yaml is often still the demo's.
  const vocabularyOptions = {
    vocabulary: params.collection.vocabulary,
    minPerLabel: minObjectsPerLabel({
      minTestPerClass: params.dataset.min_test_per_class,
      testShare: params.dataset.split.test,
    }),
    labelsName: path.relative(ws.root, ws.labels),
  };
  let vocabulary = checkVocabulary({ labels: labelsResult.inUse, ...vocabularyOptions });
  // Init's left-out labels, and any label too few to learn that is no slip: kept, not learned, said once.
  const notLearned = [...leftOutOnPurpose({ check: vocabulary, leftOut }), ...labelsKeptNotLearned(vocabulary)];
  const onPurpose = vocabulary.outside.filter((c) => notLearned.some((k) => k.label === c.label));
  if (onPurpose.length > 0) {
    const set = new Set(onPurpose.map((c) => c.label));
    vocabulary = checkVocabulary({ labels: labelsResult.inUse.filter((l) => !set.has(l.label)), ...vocabularyOptions });
    log.info(
      keptNotLearnedWords({ labels: onPurpose.map(({ label, count }) => ({ label, count })), ...vocabularyOptions }),
    );
  }
  if (vocabulary.message) log.warn(vocabulary.message, vocabulary.where);
  warnRemoved({ ...removal, name, objectsName: path.relative(ws.root, ws.objects), log });
  const renumbered = sameImage.filter((r) => labelsResult.summary.notExported.includes(r.was));
  if (renumbered.length > 0) log.warn(renumberedWords({ renumbered, labelsName: path.relative(ws.root, ws.labels) }));
  // data/objects.csv not as data.dvc records it (an import that wrote data/ and failed to record it, a tester's: its
  // retry said "Nothing changed" over 4 objects added; or an edit not recorded yet): what changed is counted from
  // what data.dvc records, which is what the commit of this import changes.
  const record = objectsMd5Before ? await recordedCollection({ ws, unless: objectsMd5Before }) : undefined;
  const recorded = record && 'table' in record ? record : undefined;
  if (record && 'unread' in record)
    log.info(
      `${path.relative(ws.root, ws.dataDvc)}'s record of data/ could not be read (${record.unread.replace(/\.$/, '')}): what changed ` +
        `is counted from ${path.relative(ws.root, ws.objects)} as it was before this import, which may hold ` +
        'changes not recorded yet.',
    );
  const now = new Set([...accepted.map((a) => a.object.id), ...kept.keys()]);
  const photographs = recorded ? await photographsChanged({ ws, accepted, recorded }) : undefined;
  if (recorded)
    log.info(
      `${path.relative(ws.root, ws.objects)} held changes that ${path.relative(ws.root, ws.dataDvc)} does not ` +
        'record yet (an import or an edit not recorded): what changed is counted from what it records.',
    );
  // What changed is counted from what data.dvc records, when it differs from data/objects.csv (above).
  const beforeImport = recorded?.table ?? previousTableNow;
  const changes = objectChanges({
    previous: beforeImport,
    accepted,
    // An object the export lists under an id written otherwise (capitals: warnRemoved) leaves as its image does.
    removed: recorded
      ? [...recorded.table.keys()].filter((id) => !now.has(id))
      : [...removal.notListed, ...removal.renamed.map((r) => r.id)].sort(compareIds),
    newPhotographs: (photographs?.changed ?? newPhotographs).filter((id) => !handChanged.some((h) => h.id === id)),
    movedPhotographs: photographs?.moved ?? movedPhotographs,
    photographsPutBack: handChanged.map((h) => h.id),
  });
  // A first import (init, or data/ empty) adds every object: nothing to compare with.
  if (previousTableNow.size > 0)
    log.info(
      changesWords({
        changes,
        objectsName: path.relative(ws.root, ws.objects),
        removedImages: removedImages.filter((relpath) => !movedFrom.has(relpath)).length,
        putBack: undone.length,
        labelsRewritten: labelsResult.rewrittenIds.length > 0 ? path.relative(ws.root, ws.labels) : undefined,
        // Files refused by this import (not still refused): what data/ records of their objects changed. An
        // object the last import already kept its photograph for (kept: true) is as it was: not news (V24), when
        // its row names the same file (another file is refused for the first time, V26).
        filesRefused: problems
          .filter((p) => p.imageRefused && p.object)
          .map((p) => {
            const kept = !refusedImages.has(p.object!);
            const last = lastExported?.get(p.object!);
            const same = last?.exported === undefined || last.exported === refusedCells.get(p.object!);
            return { id: p.object!, kept, ...(kept && last?.kept && same && { still: true }) };
          }),
      }),
    );
  sayEditsUndone({ undone, name, objectsName: path.relative(ws.root, ws.objects), log });
  sayHandChanged({ ws, handChanged, log });
  warnAnotherObject({
    changes,
    previous: beforeImport,
    conflicts: labelsResult.summary.conflicts,
    name,
    labelsName: path.relative(ws.root, ws.labels),
    log,
  });
  // The differences said now are not warned of again while they stay the same (sayConflicts). Only a record of what
  // was said: the import is done, and a .vitrine/ that cannot be written must not fail it (they are said again).
  await writeJsonAtomic({
    file: labelDifferencesFile(ws),
    value: labelsResult.summary.conflicts.map(differenceKey),
  }).catch((error: unknown) =>
    log.debug(`The record of the label differences said was not written: ${messageOf(error)}`),
  );
  const importedIds = new Set(accepted.map((a) => a.object.id));
  return {
    objects: accepted.length,
    changes,
    source: { metadata: csvFile, images: imageRoot },
    unnamedImages,
    // Of the imported objects, as `objects` and `withoutImage` count: not those kept unchanged (`unchanged`).
    labelled: new Set(labelsResult.inUse.filter((l) => importedIds.has(l.objectId)).map((l) => l.objectId)).size,
    withoutImage: accepted.filter((a) => !a.object.image).length,
    refused,
    unchanged: [...kept.keys()],
    problems,
    labels: labelsResult.summary,
    removedImages,
    keptImages,
    vocabulary,
  };
}

/**
 * Objects the export no longer lists whose photograph (the same bytes) a new id of the export has: a renumbering,
 * most likely (an outside tester's MET_544824 became EA.2024.17). Only the removed objects' images are read, and the
 * new objects' sources of the same size.
 */
async function sameImageNewId({
  ws,
  previous,
  accepted,
  removed,
}: {
  ws: Workspace;
  previous: Map<string, CollectionObject>;
  accepted: { object: CollectionObject; source?: string }[];
  removed: string[];
}): Promise<{ was: string; now: string }[]> {
  const added = accepted.filter((a) => a.source && !previous.has(a.object.id));
  if (removed.length === 0 || added.length === 0 || removed.length > RENUMBER_CHECKED) return [];
  const bySize = new Map<number, { id: string; file: string }[]>();
  for (const id of removed) {
    const image = previous.get(id)?.image;
    const file = image ? path.join(ws.data, image) : '';
    const size = file ? (await stat(file).catch(() => null))?.size : undefined;
    if (size) bySize.set(size, [...(bySize.get(size) ?? []), { id, file }]);
  }
  const found: { was: string; now: string }[] = [];
  const md5 = new Map<string, string>();
  const hashed = async (file: string) => md5.get(file) ?? md5.set(file, await hashFile({ file })).get(file)!;
  for (const a of added) {
    const olds = bySize.get((await stat(a.source!).catch(() => null))?.size ?? -1);
    if (!olds) continue;
    const mine = await hashed(a.source!);
    const old = await findAsync(olds, async (o) => (await hashed(o.file)) === mine);
    if (old) found.push({ was: old.id, now: a.object.id });
  }
  return found;
}
/** Past this many objects leaving, their photographs are not compared with the new ones (a reorganisation). */
const RENUMBER_CHECKED = 1000;

async function findAsync<T>(items: T[], test: (item: T) => Promise<boolean>): Promise<T | undefined> {
  for (const item of items) if (await test(item)) return item;
  return undefined;
}

/** "MET_544824 is no longer in the export and EA.2024.17 is, with the same photograph: renumbered? …" */
function renumberedWords({
  renumbered,
  labelsName,
}: {
  renumbered: { was: string; now: string }[];
  labelsName: string;
}): string {
  const [first] = renumbered;
  const pairs = renumbered.slice(0, 5).map((r) => `${clip(r.was)} → ${clip(r.now)}`);
  const more = renumbered.length > 5 ? ` and ${renumbered.length - 5} more` : '';
  return (
    `${renumbered.length === 1 ? 'An object' : `${renumbered.length} objects`} no longer in the export ` +
    `${renumbered.length === 1 ? 'has its' : 'have their'} photograph under a new id (${pairs.join(', ')}${more}): ` +
    (renumbered.length === 1
      ? `renumbered? Its label in ${labelsName} is still under the old id, which names no object now, and the new ` +
        `id has the export's label. If so, put the new id in place of the old one on its line of ${labelsName} ` +
        `("${clip(first!.was)}" → "${clip(first!.now)}"), and keep one line for the new id, with the right label.`
      : `renumbered? Their labels in ${labelsName} are still under the old ids, which name no object now, and the ` +
        `new ids have the export's label. If so, put each new id in place of the old one on its line of ` +
        `${labelsName} ("${clip(first!.was)}" → "${clip(first!.now)}", …), and keep one line for each new id, ` +
        'with the right label.')
  );
}

/** The details of an object as data/objects.csv names its columns, compared one by one (the image apart). */
const DETAIL_FIELDS: [keyof CollectionObject, string][] = [
  ['title', 'title'],
  ['maker', 'maker'],
  ['date', 'date'],
  ['department', 'department'],
  ['medium', 'medium'],
  ['creditLine', 'credit_line'],
  ['rights', 'rights'],
  ['description', 'description'],
];

/** What the accepted rows change against data/objects.csv before the import. */
function objectChanges({
  previous,
  accepted,
  removed,
  newPhotographs,
  movedPhotographs,
  photographsPutBack,
}: {
  previous: Map<string, CollectionObject>;
  accepted: { object: CollectionObject }[];
  removed: string[];
  newPhotographs: string[];
  movedPhotographs: string[];
  photographsPutBack: string[];
}): ObjectChanges {
  const added: string[] = [];
  const firstPhotographs: string[] = [];
  const photographsTaken: string[] = [];
  const details: ObjectChanges['details'] = [];
  for (const { object } of accepted) {
    const before = previous.get(object.id);
    if (!before) {
      added.push(object.id);
      continue;
    }
    if (!before.image && object.image) firstPhotographs.push(object.id);
    if (before.image && !object.image) photographsTaken.push(object.id);
    const fields = DETAIL_FIELDS.filter(([key]) => before[key] !== object[key]).map(([, column]) => column);
    const extra = new Set([...Object.keys(before.extra), ...Object.keys(object.extra)]);
    for (const column of extra) if ((before.extra[column] ?? '') !== (object.extra[column] ?? '')) fields.push(column);
    if (fields.length > 0) details.push({ id: object.id, fields });
  }
  return {
    added,
    removed,
    newPhotographs,
    movedPhotographs,
    photographsPutBack,
    firstPhotographs,
    photographsTaken,
    details,
  };
}

/**
 * "Since the last import: 20 objects added (…), 5 removed, 1 given a new photograph (…), 2 with other details (…)":
 * what a maintainer commits, which git's diff of data.dvc does not show (data/objects.csv is not in git).
 */
function changesWords({
  changes,
  objectsName,
  removedImages,
  putBack = 0,
  labelsRewritten,
  filesRefused = [],
}: {
  changes: ObjectChanges;
  /**
   * Objects whose image file this import refused: kept, when the object keeps the photograph it had; still, when it
   * kept it at the last import too (data/ records nothing new of it).
   */
  filesRefused?: { id: string; kept: boolean; still?: boolean }[];
  /** labels.csv, when import rewrote ids on it to the objects' Unicode form (said before this). */
  labelsRewritten?: string;
  objectsName: string;
  /** Images this import removed from data/ (of objects no longer in data/objects.csv, say). */
  removedImages: number;
  /** Values edited in data/objects.csv since the last import that the export's put back (import-edits.ts). */
  putBack?: number;
}): string {
  const { added, removed, newPhotographs, movedPhotographs, firstPhotographs, photographsTaken, details } = changes;
  const { photographsPutBack: putBackPhotographs } = changes;
  const counted = [
    added,
    removed,
    newPhotographs,
    putBackPhotographs,
    movedPhotographs,
    firstPhotographs,
    photographsTaken,
    details,
  ];
  // Not "nothing changed" beside a warning that an edit was undone (a reviewer).
  if (counted.every((list) => list.length === 0) && putBack > 0)
    return (
      `The export is as at the last import, but ${count(putBack, 'value')} edited in ${objectsName} since then ` +
      `${putBack === 1 ? 'was' : 'were'} put back to the export’s (below).`
    );
  const refused = filesRefusedWords(filesRefused.filter((f) => !f.still));
  // Not "nothing changed" when data/ records newly refused files, so data.dvc changes (a tester's).
  if (counted.every((list) => list.length === 0) && refused)
    return `No object changed since the last import, but ${refused}.`;
  // Refused again, the object keeping its photograph as at the last import: named (the run ends on it), not news.
  const still = filesRefused.filter((f) => f.still).map((f) => f.id);
  const stillWords =
    still.length === 0
      ? ''
      : ` ${still.length === 1 ? '1 image file' : `${still.length} image files`} the export names ` +
        `${still.length === 1 ? 'is' : 'are'} still refused (${sample(still, 5)}; listed above): ` +
        `${still.length === 1 ? 'its object keeps the photograph it' : 'their objects keep the photograph they'} had.`;
  if (counted.every((list) => list.length === 0))
    return (
      (removedImages > 0
        ? `No object changed since the last import: ${objectsName} is as it was (${count(removedImages, 'image')} ` +
          `no object names ${removedImages === 1 ? 'was' : 'were'} removed from data/).`
        : labelsRewritten
          ? `No object changed since the last import: ${objectsName} and the images are as they were (` +
            `${labelsRewritten} was changed, as said above).`
          : still.length > 0
            ? `No object changed since the last import: ${objectsName} and the images are as they were.`
            : `Nothing changed since the last import: ${objectsName} and the images are as they were.`) + stillWords
    );
  const parts = [
    added.length ? `${count(added.length, 'object')} added (${sample(added, 5)})` : '',
    removed.length ? `${removed.length} removed (${sample(removed, 5)})` : '',
    newPhotographs.length ? `${newPhotographs.length} given a new photograph (${sample(newPhotographs, 5)})` : '',
    putBackPhotographs.length
      ? `${putBackPhotographs.length} with the export’s photograph put back (${sample(putBackPhotographs, 5)}), ` +
        'the one in the data folder having been changed since the last import (below)'
      : '',
    movedPhotographs.length
      ? `${movedPhotographs.length} with the same photograph stored under the ending of its real format now, ` +
        `${objectsName} naming it so (${sample(movedPhotographs, 5)})`
      : '',
    firstPhotographs.length
      ? `${firstPhotographs.length} given a first photograph (${sample(firstPhotographs, 5)})`
      : '',
    photographsTaken.length
      ? `${photographsTaken.length} left without a photograph, their image cell empty now ` +
        `(${sample(photographsTaken, 5)})`
      : '',
    details.length
      ? `${details.length} with other details (${details
          .slice(0, 3)
          .map((d) => `${clip(d.id)}: ${listWords(d.fields)}`)
          .join('; ')}${details.length > 3 ? `; and ${details.length - 3} more` : ''})`
      : '',
    refused,
  ].filter(Boolean);
  return `Since the last import: ${listWords(parts)}.`;
}

/** "2 image files the export names were refused (A1 and A2; listed above): their objects keep …", or "". */
function filesRefusedWords(files: { id: string; kept: boolean }[]): string {
  if (files.length === 0) return '';
  const one = files.length === 1;
  const kept = files.filter((f) => f.kept).length;
  const fate =
    kept === files.length
      ? one
        ? 'its object keeps the photograph it had'
        : 'their objects keep the photograph they had'
      : kept === 0
        ? one
          ? 'its object is now without a photograph'
          : 'their objects are now without a photograph'
        : `${kept} of their objects ${kept === 1 ? 'keeps the photograph it' : 'keep the photograph they'} had, ` +
          `${files.length - kept} ${files.length - kept === 1 ? 'is' : 'are'} now without one`;
  return (
    `${one ? '1 image file' : `${files.length} image files`} the export names ${one ? 'was' : 'were'} refused ` +
    `(${sample(
      files.map((f) => f.id),
      5,
    )}; listed above): ${fate}, and data/ records the refusal`
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Where an export's image cell points, if it is safe to read: inside the images folder, after
 * following links. Web addresses and absolute paths are refused: an export must not make import
 * read (and then publish) files from elsewhere on the machine. Inside the repository, its own
 * folders (.git, .dvc with its keys, .vitrine, data/ itself, node_modules) and hidden files are
 * refused too, and so is any file that is not an image by its name and its first bytes.
 */
export async function findImage({
  imageRoot,
  realImageRoot,
  cell,
  root,
  listings = new Map(),
  maxPixels,
}: {
  /** dataset.image.max_pixels: a damaged JPEG is judged as the dataset stage would decode it. */
  maxPixels?: number;
  imageRoot: string;
  realImageRoot: string;
  cell: string;
  /** The repository: its own files are never images of the collection. */
  root?: string;
  /** Folder listings already read, kept across the rows of one import. */
  listings?: Map<string, Promise<Map<string, string[]>>>;
}): Promise<
  | {
      file: string;
      /** Its path in the images folder as the export names it (capitals as on disk): a link's own name. */
      as: string;
      matched?: string;
      /** `matched` is the name the export gives with an image's ending added (media/2000001 is media/2000001.jpg). */
      endingAdded?: boolean;
      /** `matched` is the name the export gives written as in a web address, decoded (a%20b.jpg is "a b.jpg"). */
      decoded?: boolean;
      kind: ImageKind;
      /** A JPEG whose picture data stops early but which the dataset stage's decoder reads (grey below the damage). */
      damage?: string;
      /** A TIFF's pages (tiffPages) when it has several: only the first is shown. */
      pages?: number;
    }
  | { missing: true; candidates?: string[]; endingAdded?: boolean; brokenLink?: string }
  | {
      refused: string;
      linkedOut?: { relative: string; to: string };
      /** The path is safe, the file cannot be used: unreadable, empty, not an image, a phone's HEIC. */
      unusable?: true;
      /** An absolute path (C:\Collections\Photos\a.jpg): a folder of the computer the export was made on. */
      absolute?: true;
      /** An unusable file that could be read: its real path (to tell one already in data/ or refused before). */
      file?: string;
    }
> {
  // Exports made on Windows use backslashes; on Linux they would otherwise be part of a file name.
  const relative = cell.replace(/\\/g, '/');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(relative) || /^(data|file|javascript|blob):/i.test(relative)) {
    return {
      refused:
        'is a web address: import reads images only from the images folder. Download the image into it ' +
        'and give its path relative to it.',
    };
  }
  if (relative.includes('\0')) return { refused: 'contains a NUL character' };
  if (path.isAbsolute(relative) || /^[a-z]:\//i.test(relative)) {
    return {
      refused: 'is an absolute path: give image paths relative to the images folder (--images).',
      absolute: true,
    };
  }
  let file = path.resolve(imageRoot, relative);
  if (!isInside(imageRoot, file)) return { refused: `leaves the images folder (${imageRoot}).` };
  // A folder on the way this user may not open (chmod 000 images/locked): the file is not missing, it is locked.
  const denied = await stat(file).then(
    () => undefined,
    (error: NodeJS.ErrnoException) => DENIED.has(error.code ?? '') && error,
  );
  if (denied) return { refused: await unreadableWords({ imageRoot, file, error: denied }), unusable: true };
  let info = await stat(file).catch(() => null);
  // A link whose target is gone (a drive not connected, a moved folder) is there to see: said as a link.
  if (!info && (await lstat(file).catch(() => null))?.isSymbolicLink())
    return { missing: true, brokenLink: await readlink(file).catch(() => '?') };
  let matched: string | undefined;
  let endingAdded = false;
  let decoded = false;
  if (!info?.isFile()) {
    // Exports name files as the museum's system spells them; the disk may hold other capitals, or accents in
    // another Unicode form (a Mac writes NFD). One file that matches is that image; several are named.
    let near = await foldedMatches({ imageRoot, relative: path.relative(imageRoot, file), listings });
    // Written as a web address writes it ("vase%20avec%20anse.jpg"): read decoded, and never out of the folder.
    const plain = near.length === 0 ? percentDecoded(relative) : undefined;
    const plainFile = plain === undefined ? undefined : path.resolve(imageRoot, plain);
    if (plainFile && isInside(imageRoot, plainFile)) {
      near = await foldedMatches({ imageRoot, relative: path.relative(imageRoot, plainFile), listings });
      decoded = near.length > 0;
    }
    // Exports that name a photograph by its number alone, beside files that carry an ending (media/2000001.jpg).
    if (near.length === 0 && !IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase())) {
      const relativeFile = path.relative(imageRoot, file);
      for (const ending of IMAGE_EXTENSIONS)
        near.push(...(await foldedMatches({ imageRoot, relative: `${relativeFile}${ending}`, listings })));
      near = [...new Set(near)];
      endingAdded = near.length > 0;
    }
    if (near.length > 1) return { missing: true, candidates: near, ...(endingAdded && { endingAdded }) };
    if (near.length === 0) return { missing: true };
    matched = near[0]!;
    file = path.join(imageRoot, matched);
    info = await stat(file).catch(() => null);
    if (!info?.isFile()) return { missing: true };
  }
  const own = root ? ownFile({ root, file, imageRoot }) : undefined;
  if (own) return { refused: own };
  const real = await realpath(file);
  if (!isInside(realImageRoot, real))
    return {
      refused: `is a link that points outside the images folder (to ${real}).`,
      linkedOut: { relative: path.relative(imageRoot, file).split(path.sep).join('/'), to: real },
    };
  const realOwn = root
    ? ownFile({ root: await realpath(root).catch(() => root), file: real, imageRoot: realImageRoot })
    : undefined;
  if (realOwn) return { refused: `is a link to ${real}, which ${realOwn}` };
  if (info.size === 0) return { refused: 'is an empty file (0 bytes), not an image.', unusable: true, file: real };
  let head: Buffer;
  try {
    head = await fileHead(real);
  } catch (error) {
    // A file this user may not read (chmod 000): a refused row, all of them said at once, not a stop at the first.
    if (!DENIED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    return {
      refused: await unreadableWords({ imageRoot, file: real, error: error as NodeJS.ErrnoException }),
      unusable: true,
    };
  }
  // A link named .dng is a raw file whatever the name of the file it leads to.
  const named = CAMERA_RAW.has(path.extname(file).toLowerCase()) ? file : real;
  const kind = named === real ? imageKind({ head, file: real }) : undefined;
  if (!kind) {
    return {
      refused:
        imageFileProblem({ head, file: named }) ??
        'is not an image: import takes JPEG, PNG, WebP, TIFF, GIF, AVIF and HEIF files, told by their ' +
          'first bytes, and these are no such format.',
      unusable: true,
      file: real,
    };
  }
  if (kind === 'heif' || kind === 'avif') {
    const unreadable = await heifUnreadable(real);
    if (unreadable) return { refused: unreadable, unusable: true, file: real };
  }
  // One rule for a damaged JPEG: what the dataset stage's decoder makes of it. Zeroed: grey below the damage,
  // imported with a warning. Cut short: "premature end of JPEG image", a file that cannot be used.
  // A PNG, TIFF or AVIF/HEIF cut short keeps a header that reads: where its parts end is checked against its size
  // (imageEndDamage), and only a damaged one is decoded (D12's: the half of a PNG was imported without a word).
  const ends = kind === 'jpeg' ? jpegDamage : ENDS_CHECKED.has(kind) ? imageEndDamage : undefined;
  const broken = ends ? await ends(real).catch(() => undefined) : undefined;
  const unreadable = broken ? await undecodable({ file: real, maxPixels }) : undefined;
  if (broken && unreadable)
    return { refused: `${broken} ${damagedUnreadable(unreadable)}`, unusable: true, file: real };
  // Said only of a JPEG that decodes (grey below the damage): another that decodes is as the dataset stage reads it.
  const damage = kind === 'jpeg' ? broken : undefined;
  const as = path.relative(imageRoot, file);
  const pages = kind === 'tiff' ? await tiffPages(real).catch(() => undefined) : undefined;
  const found = {
    file: real,
    as,
    kind,
    ...(matched && { matched, ...(endingAdded && { endingAdded }), ...(decoded && { decoded }) }),
    ...(pages && pages > 1 && { pages }),
  };
  return damage ? { ...found, damage } : found;
}

/**
 * The decoder's words when the dataset stage's decoder cannot read `file`, or undefined. Read under
 * dataset.image.max_pixels when it is raised above the default (as the dataset stage reads it), else the default: a
 * file over a lowered limit is still judged by whether it decodes (the dataset stage says it is too large).
 */
async function undecodable({ file, maxPixels }: { file: string; maxPixels?: number }): Promise<string | undefined> {
  // Loaded only for a damaged file: a collection of whole ones never loads the decoder to import.
  const { DEFAULT_MAX_PIXELS, readSmallPixels } = await import('../dataset/images.ts');
  try {
    await readSmallPixels({ file, maxPixels: Math.max(maxPixels ?? 0, DEFAULT_MAX_PIXELS) });
    return undefined;
  } catch (error) {
    if ((error as { code?: string }).code !== 'IMAGE_UNREADABLE') return undefined;
    const cause = (error as Error).cause;
    const words = messageOf(cause ?? error);
    return clip(words.split('\n').find((l) => l.trim()) ?? words, 100);
  }
}

/**
 * The file names an image cell holds when it holds several (collections systems export an object's media in one
 * cell: "img/a.jpg; img/verso_a.jpg", or one a line), or undefined. Split at ";", "|" and line breaks, and at
 * commas only when every part ends as an image file does (a comma may be part of a file name).
 */
export function severalNames(cell: string): string[] | undefined {
  const parts = (separators: RegExp) =>
    cell
      .split(separators)
      .map((part) => part.trim())
      .filter(Boolean);
  const names = parts(/[;|\r\n]/);
  if (names.length > 1) return names;
  const commas = parts(/,/);
  const endings = commas.every((name) => /\.[a-z0-9]{2,5}$/i.test(name));
  return commas.length > 1 && endings ? commas : undefined;
}

/**
 * The names an image cell holds when it is not one file name as it stands: several (severalNames), or one with a
 * separator after or before it ("img/a.jpg;", "img/a.jpg,") as an export writes a list of one. Else undefined.
 */
export function cellNames(cell: string): string[] | undefined {
  const several = severalNames(cell);
  if (several) return several;
  const one = cell.trim().replace(/^[;|,\s]+|[;|,\s]+$/g, '');
  return one && one !== cell.trim() ? [one] : undefined;
}

/** What import says of an image cell holding several file names: it takes the first (if it is there). */
function severalNamesWords({ names, id, taken }: { names: string[]; id: string; taken: boolean }): string {
  const listed = names.map((name) => `"${clip(name)}"`).join(', ');
  return (
    `the image cell of object "${id}" holds ${names.length} file names (${listed}), not one: Vitrine takes one ` +
    `photograph per object, and takes the first, ${clip(names[0]!)}` +
    `${taken ? '' : ', which cannot be used (the next message says why)'}; the others ` +
    'are not imported. To show another, write only its name in the image column; to keep the names of the others ' +
    'with the object, put them in a column of their own listed in import.keep'
  );
}

/** Image cells holding several names said one by one; the others in one message. */
const SHOWN_SEVERAL = 5;

/** The image cells with several names after the first few: counted with their lines, each one for --verbose. */
function severalMoreWords(rows: { line: number; id: string; words: string }[], log: Logger): string {
  const more = rows.slice(SHOWN_SEVERAL);
  for (const r of more) log.debug(`line ${r.line}: ${r.words}`);
  return `${more.length} more objects’ image cells hold several file names (lines ${listWords(
    more.map((r) => String(r.line)),
    { max: 10 },
  )}; each with --verbose): the first name of each was taken, as above, and the others are not imported`;
}

/** A row whose picture is too small (tooSmall), with its size. */
interface TinyPicture {
  cell: string;
  line: number;
  id: string;
  width: number;
  height: number;
}

/** Such rows said one by one; more are said in one message. */
const SHOWN_TINY = 5;

/** `the image "Media/onepx.jpg" of object "ODD.8" is 1×1 pixels` */
function tinyNamed({ cell, id, width, height }: TinyPicture): string {
  return `the image "${clip(cell)}" of object "${clip(id)}" is ${width}×${height} pixels`;
}

/** What a picture too small is, and what the dataset stage does with it (dataset/small-images.ts). */
function tinyMeaning(several: boolean): string {
  const w = several
    ? { their: 'their', objects: 'their objects', they: 'They are', these: 'these objects', them: 'them', each: 'each' }
    : { their: 'its', objects: 'the object', they: 'It is', these: 'the object', them: 'it', each: 'the' };
  return (
    `, under ${MIN_IMAGE_SIDE} on ${w.their} short side and ${MIN_LONG_SIDE} on ${w.their} long side: not a ` +
    `photograph of ${w.objects} (a “no image” stand-in or an icon, most likely). ${w.they} imported, but the ` +
    `dataset stage keeps ${w.these} without a photograph: the ` +
    `catalogue does not show ${w.them} and the model does not learn from ${w.them}. Name ${w.each} object’s real ` +
    'photograph in the export (or leave the image cell empty until it is photographed) and import again'
  );
}

/** Many rows with pictures too small, said once: the count, the first few, what they are. */
function tinyPicturesWords(rows: TinyPicture[]): string {
  const shown = rows.slice(0, SHOWN_TINY).map((t) => `line ${t.line}: ${tinyNamed(t)}`);
  const under = `under ${MIN_IMAGE_SIDE} pixels on their short side and ${MIN_LONG_SIDE} on their long side`;
  const more = rows.length > SHOWN_TINY ? `; and ${rows.length - SHOWN_TINY} more` : '';
  return `${rows.length} images of the export are ${under} (${shown.join('; ')}${more})${tinyMeaning(true)}`;
}

/** What import says of a row naming the image file an earlier row names. */
function sameImageWords({
  cell,
  id,
  first,
}: {
  cell: string;
  id: string;
  first: { line: number; id: string };
}): string {
  return (
    `the image "${clip(cell)}" of object "${id}" is the same image file as line ${first.line} (object ` +
    `${first.id}) names: both objects are imported with the same photograph, shown for each in the catalogue and ` +
    'learnt from twice. If it is one photograph of several objects (a pair of earrings or of sandals, a set ' +
    'photographed together), there is nothing to do. If one of these rows names the wrong file, write the right one ' +
    'in its image cell in the export (or leave it empty until the object is photographed) and import again.'
  );
}

/**
 * What import says of an image file an earlier import refused for the same reason (data/.refused-images.json), named
 * again by the object's row: still refused, and not counted as a new problem (another row may still stop the import,
 * so it does not say the import goes on).
 */
function stillRefusedWords({
  cell,
  id,
  reason,
  keptImage,
}: {
  cell: string;
  id: string;
  reason: string;
  keptImage: string;
}): string {
  const kept = keptImage
    ? `the object keeps its image from the previous import (data/${keptImage})`
    : 'the object stays without a photograph, as it was';
  return (
    `the image "${cell}" of object "${id}" is still refused: an earlier import refused this file for the same ` +
    `reason (data/${REFUSED_IMAGES} records it), so it is not counted as a new problem. It ` +
    `${reason.replace(/\.?$/, '.')} Until the object's row names a good copy in the export and it is imported ` +
    `again, ${kept}.`
  );
}

/** The errors of a file or folder this user may not read. */
const DENIED = new Set(['EACCES', 'EPERM']);

/**
 * Why an image this user may not read is refused: the file itself, or the first folder under the images folder
 * that this user may not open.
 */
async function unreadableWords({
  imageRoot,
  file,
  error,
}: {
  imageRoot: string;
  file: string;
  error: NodeJS.ErrnoException;
}): Promise<string> {
  const why = `${error.code}: ${error.code === 'EPERM' ? 'operation not permitted' : 'permission denied'}`;
  const inside = path.relative(imageRoot, file);
  const parts = inside.startsWith('..') || path.isAbsolute(inside) ? [] : inside.split(path.sep).slice(0, -1);
  // The images folder itself (chmod 000 on it): said as that folder, not as the file or a folder in it.
  const rootOpen = await access(imageRoot, constants.R_OK | constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!rootOpen)
    return (
      `cannot be read: this user may not open the images folder (${imageRoot}) itself (${why}). Give this user ` +
      'permission to read that folder, or import as a user who may.'
    );
  let folder = imageRoot;
  for (const part of parts) {
    folder = path.join(folder, part);
    const open = await access(folder, constants.R_OK | constants.X_OK).then(
      () => true,
      () => false,
    );
    if (!open)
      return (
        `cannot be read: this user may not open the folder "${path.relative(imageRoot, folder).split(path.sep).join('/')}" ` +
        `in the images folder (${why}). Give this user permission to read it, or import as a user who may.`
      );
  }
  return (
    `cannot be read: this user may not read it (${why}). Give this user permission to read the file, or ` +
    'import as a user who may.'
  );
}

/**
 * Rows whose image is an absolute path, said once: how many, the folder they all start with (the longest one
 * shared, as the export writes it), and how to mend the export. An outside tester's 60 identical warnings ended
 * on "--on-invalid skip to import the other rows", when there were none.
 */
function absolutePathsMessage({ rows, name }: { rows: { problem: ImportProblem; cell: string }[]; name: string }): {
  message: string;
  line: number;
  lines: number[];
} {
  const parts = rows.map((r) => r.cell.split(/(?<=[\\/])/));
  let shared = 0;
  while (shared < parts[0]!.length - 1 && parts.every((p) => p.length - 1 > shared && p[shared] === parts[0]![shared]))
    shared++;
  // A drive or the root alone ("C:\\", "/", "\\\\") is no folder to copy.
  const common = parts[0]!.slice(0, shared).join('');
  const prefix = /^(?:[a-z]:)?[\\/]*$/i.test(common) ? '' : common;
  const lines = rows.map((r) => String(r.problem.line));
  const start = prefix
    ? `all start with "${prefix}", a folder of the computer the export was made on`
    : 'name folders of the computer the export was made on';
  const mend = prefix
    ? `Copy that folder to this computer, give it with --images (import.images in params.yaml), and remove ` +
      `"${prefix}" from the image column of ${name} (a spreadsheet's Find and Replace does it), so that the paths ` +
      'are relative to it'
    : 'Copy the images to one folder on this computer, give it with --images (import.images in params.yaml), and ' +
      `make the image column of ${name} name each file relative to that folder`;
  return {
    message:
      `${rows.length} image paths in ${name} are absolute (lines ${sample(lines, 10)}): they ${start}. Import reads ` +
      `images only from the images folder. ${mend}.`,
    line: rows[0]!.problem.line,
    lines: rows.map((r) => r.problem.line),
  };
}

/** Said of a HEIC photo a phone took: its pictures are coded in HEVC, which the image decoder cannot read. */
export const HEVC_REFUSED =
  "is a HEIC photo from a phone (HEVC), which cannot be read: Vitrine's image decoder has no HEVC support. " +
  'Export it as JPEG or TIFF (on an iPhone: Settings, Camera, Formats, Most Compatible) and name that file in the ' +
  'export.';

/**
 * Why a HEIF file (.heic, .heif, .avif) cannot be read, or undefined. Its header says how its picture is coded:
 * AV1 is decoded by sharp; HEVC (every phone's HEIC photo) is not, in the sharp Vitrine bundles. Anything else is
 * decoded to be sure, so a sharp that reads HEVC is not refused.
 */
async function heifUnreadable(file: string): Promise<string | undefined> {
  // Loaded only for HEIF files: a collection of JPEGs never loads the decoder to import.
  const { default: sharp } = await import('sharp');
  try {
    const { compression } = await sharp(file).metadata();
    if (compression === 'av1') return undefined;
    await sharp(file).raw().toBuffer();
    return undefined;
  } catch (error) {
    const message = messageOf(error);
    // A phone's brand (heic, heix …) on a file cut short: its picture would be HEVC, which cannot be read either.
    if (/HEVC|hevc/.test(message) || hevcBrand(await fileHead(file).catch(() => Buffer.alloc(0)))) return HEVC_REFUSED;
    return (
      `cannot be read as an image (${clip(message.split('\n').at(-1) ?? message)}): export it again as JPEG or ` +
      'TIFF.'
    );
  }
}

/** A row refused because its image is a link leading outside the images folder. */
interface LinkedOut {
  problem: ImportProblem;
  cell: string;
  /** The image's path inside the images folder, with "/". */
  relative: string;
  /** Where the link leads, every link resolved. */
  to: string;
}

/**
 * Rows refused for images that are links leading outside the images folder, in one message: the count, each
 * link (most often a folder linked in from a shared drive, so every image under it is refused) with its rows
 * and a few of their images in natural order, and what to do.
 */
async function linkedOutMessage({
  rows,
  imageRoot,
  name,
  all,
}: {
  rows: LinkedOut[];
  imageRoot: string;
  name: string;
  /** Rows refused in all, for any reason. */
  all: number;
}): Promise<{ message: string; line: number; lines: number[] }> {
  // The first link on the way to each image: a linked folder ("egypt"), or the image file itself.
  const isLink = new Map<string, Promise<boolean>>();
  const linkOf = async (relative: string): Promise<string> => {
    const segments = relative.split('/');
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      if (!isLink.has(prefix))
        isLink.set(
          prefix,
          lstat(path.join(imageRoot, ...segments.slice(0, i))).then(
            (info) => info.isSymbolicLink(),
            () => false,
          ),
        );
      if (await isLink.get(prefix)) return prefix;
    }
    return relative;
  };
  const byLink = new Map<string, LinkedOut[]>();
  for (const row of rows) {
    const link = await linkOf(row.relative);
    byLink.set(link, [...(byLink.get(link) ?? []), row]);
  }
  const links = [...byLink.keys()].sort(compareIdsNaturally);
  const target = new Map<string, string>();
  for (const link of links) {
    const group = byLink.get(link)!;
    const folder = group[0]!.relative !== link;
    target.set(link, folder ? await realpath(path.join(imageRoot, ...link.split('/'))).catch(() => '') : group[0]!.to);
  }
  // Folders linked in under their own names from one folder (images/egypt → /shared/egypt): the export's paths
  // are right relative to that folder, which --images can name.
  const parents = new Set(
    links.map((link) => {
      const to = target.get(link)!;
      return link !== byLink.get(link)![0]!.relative && to && path.basename(to) === link ? path.dirname(to) : '';
    }),
  );
  const parent = parents.size === 1 && !parents.has('') ? [...parents][0]! : undefined;
  const said = await Promise.all(
    links.slice(0, 5).map(async (link) => {
      const group = byLink.get(link)!;
      const to = target.get(link) || group[0]!.to;
      const examples = [...group]
        .sort((a, b) => compareIdsNaturally(a.cell, b.cell))
        .slice(0, 3)
        .map((r) => `"${r.cell}" (line ${r.problem.line})`);
      const rowsSaid = group.length === 1 ? '1 row' : `${group.length} rows`;
      return `  "${link}" is a link to ${to} (${rowsSaid}, e.g. ${examples.join(', ')}${group.length > 3 ? ', …' : ''})`;
    }),
  );
  const more = links.length > 5 ? [`  …and ${links.length - 5} more links.`] : [];
  const others = all - rows.length;
  const other =
    others > 0
      ? ` (${others} other refused row${others === 1 ? ' is' : 's are'} listed on ${others === 1 ? 'its' : 'their'} own)`
      : '';
  let line = Number.POSITIVE_INFINITY;
  for (const r of rows) if (r.problem.line < line) line = r.problem.line;
  return {
    message: [
      `${rows.length} rows of ${name} were refused${other}: their images are links that point outside the images ` +
        `folder (${imageRoot}), and import reads only files inside it, as a link can lead anywhere on this computer:`,
      ...said,
      ...more,
      `Copy the images themselves into the images folder (files, not links), then import again${
        parent ? `; or import with --images ${parent}, the folder the linked folders point into` : ''
      }.`,
    ].join('\n'),
    line,
    lines: rows.map((r) => r.problem.line),
  };
}

/** A name as compared when the exact one is missing: accents in one Unicode form (NFC), capitals ignored. */
function foldName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * The files under `imageRoot` whose path matches `relative` segment by segment ignoring capitals and Unicode
 * form, as paths relative to `imageRoot` with "/". At most 10.
 */
async function foldedMatches({
  imageRoot,
  relative,
  listings,
}: {
  imageRoot: string;
  relative: string;
  listings: Map<string, Promise<Map<string, string[]>>>;
}): Promise<string[]> {
  let found = [''];
  for (const segment of relative.split(path.sep)) {
    const next: string[] = [];
    for (const prefix of found) {
      const dir = path.join(imageRoot, prefix);
      let names = listings.get(dir);
      if (!names) {
        // Indexed by folded name once per folder: a large flat folder is not scanned again for every row.
        names = readdir(dir).then(
          (entries) => {
            const index = new Map<string, string[]>();
            for (const e of entries) index.set(foldName(e), [...(index.get(foldName(e)) ?? []), e]);
            return index;
          },
          () => new Map<string, string[]>(),
        );
        listings.set(dir, names);
      }
      // Every folder that matches is searched: "Pottery/" may lack the file that "pottery/" holds.
      const alike = [...((await names).get(foldName(segment)) ?? [])];
      next.push(...alike.sort(compareIds).map((e) => (prefix ? `${prefix}/${e}` : e)));
    }
    found = next.slice(0, 10);
    if (found.length === 0) break;
  }
  return found;
}

/** Folders of a Vitrine repository that hold its own machinery, keys or outputs, never collection images. */
const OWN_FOLDERS = new Set(['.git', '.dvc', '.vitrine', 'data', 'node_modules']);

/** Why `file` must not be imported as an image, when it is one of the repository's own files or hidden. */
function ownFile({ root, file, imageRoot }: { root: string; file: string; imageRoot: string }): string | undefined {
  const inRepo = isInside(root, file) ? path.relative(root, file).split(path.sep) : [];
  if (inRepo.length > 0 && OWN_FOLDERS.has(inRepo[0]!)) {
    return `is in the repository's own ${inRepo[0]}/ folder, not the collection's images: import never copies it.`;
  }
  const segments = path.relative(imageRoot, file).split(path.sep);
  if (segments.includes('node_modules')) return "is in a node_modules folder, not the collection's images.";
  if ([...segments, ...inRepo].some((s) => s.startsWith('.'))) {
    return 'is a hidden (dot) file or is in a hidden (dot) folder: import never copies those.';
  }
  return undefined;
}

/** Folders and files a walk of the images folder looks at, at most: a mistaken --images (a home folder) ends. */
const MAX_WALKED = 200_000;

/**
 * How a path under the images folder is compared with the ones rows name: "/" between folders, one Unicode form, and
 * no capitals, since an image whose capitals differ from its row's is found (foldedMatches, or a Mac's disk itself).
 */
function namedKey(relative: string): string {
  return foldName(relative.split(path.sep).join('/'));
}

/**
 * The image files under `imageRoot` whose path is not in `named` (namedKey), leaving out what import never takes
 * (hidden files, node_modules, the repository's own folders) and links to folders. Paths with "/".
 */
async function imagesNamedByNoRow({
  imageRoot,
  root,
  named,
}: {
  imageRoot: string;
  root: string;
  named: Set<string>;
}): Promise<{ count: number; examples: string[]; walkedAll?: false }> {
  const unnamed: string[] = [];
  const folders = [imageRoot];
  let walked = 0;
  let stopped = false;
  while (folders.length > 0 && !stopped) {
    const dir = folders.shift()!;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => compareIds(a.name, b.name))) {
      if (walked++ >= MAX_WALKED) {
        stopped = true;
        break;
      }
      const file = path.join(dir, entry.name);
      if (ownFile({ root, file, imageRoot })) continue;
      if (entry.isDirectory()) folders.push(file);
      else if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      else if (IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
        const relative = path.relative(imageRoot, file);
        // Named with or without its ending: an export may give a photograph's number alone (findImage).
        const bare = relative.slice(0, relative.length - path.extname(relative).length);
        if (!named.has(namedKey(relative)) && !named.has(namedKey(bare)))
          unnamed.push(relative.split(path.sep).join('/'));
      }
    }
  }
  const examples = unnamed.sort(compareIdsNaturally).slice(0, 5);
  return { count: unnamed.length, examples, ...(stopped || folders.length > 0 ? { walkedAll: false as const } : {}) };
}

/** "2 images in /exports/images are named by no row of export.csv (a.jpg, b.jpg), so they were not imported. …" */
function unnamedImagesWords({
  count,
  examples,
  walkedAll,
  imageRoot,
  name,
  column,
}: {
  count: number;
  examples: string[];
  walkedAll?: false;
  imageRoot: string;
  name: string;
  column: string;
}): string {
  const shown =
    count > examples.length ? `${examples.join(', ')} and ${count - examples.length} more` : examples.join(', ');
  const many = count === 1 ? 'image' : 'images';
  return (
    `${walkedAll === false ? 'At least ' : ''}${count} ${many} in ${imageRoot} ${count === 1 ? 'is' : 'are'} named by ` +
    `no row of ${name} (${shown}), so ${count === 1 ? 'it was' : 'they were'} not imported. If ${
      count === 1 ? 'it is a photograph' : 'they are photographs'
    } of objects in the export, write ${count === 1 ? 'its file name' : 'their file names'} in its image column ` +
    `("${column}").`
  );
}

/**
 * `objects.csv: 1 row has no file name in its image column ("Image File"): object 1950.1.7 (line 62). …`: counted among
 * the objects "without an image", and otherwise named nowhere (a tester could not find the fourth of four).
 */
function withoutFileNameWords({
  rows,
  name,
  column,
}: {
  rows: { id: string; line: number }[];
  name: string;
  column: string;
}): string {
  const one = rows.length === 1;
  const shown = rows.slice(0, 10).map((r) => `${one ? 'object ' : ''}${r.id} (line ${r.line})`);
  const more = rows.length > 10 ? ` and ${rows.length - 10} more` : '';
  return (
    `${name}: ${one ? '1 row has' : `${rows.length} rows have`} no file name in ${one ? 'its' : 'their'} image ` +
    `column ("${column}"): ${shown.join(', ')}${more}. ${one ? 'It is' : 'They are'} imported without an image; ` +
    `to add a photograph, write its file name there and import again.`
  );
}

/** The sentence for an export in which no row names an image. */
export function noImageNamed({ rows, name, column }: { rows: number; name: string; column: string }): string {
  const why = column ? `the "image" column ("${column}") is empty in every row` : 'no column is the "image" column';
  return (
    `None of the ${rows} rows of ${name} names an image: ${why}, so the model has nothing to learn from and ` +
    'the catalogue shows no pictures. Export the image file names too, or name the column that holds them ' +
    '(import.columns.image in params.yaml; vitrine init: --column image=<column>).'
  );
}

/** The folder right under `imageRoot` that holds the image `cell` names, if one does (else undefined). */
async function folderHolding({ imageRoot, cell }: { imageRoot: string; cell: string }): Promise<string | undefined> {
  const relative = cell.replace(/\\/g, '/');
  const folders = await readdir(imageRoot, { withFileTypes: true }).catch(() => []);
  const sorted = folders.filter((f) => f.isDirectory()).sort((a, b) => compareIds(a.name, b.name));
  for (const folder of sorted.slice(0, 50)) {
    const candidate = path.join(imageRoot, folder.name);
    if (
      await stat(path.join(candidate, relative)).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/**
 * TIFF files of several pages, said once: the first page alone is the object's photograph (the dataset stage, the
 * model and the catalogue read no other), so the other pages, a verso or the rest of a scanned document, are not
 * shown. Named with their lines, the first five.
 */
function manyPagesWords({
  rows,
  name,
  stored,
}: {
  rows: { cell: string; line: number; id: string; pages: number }[];
  name: string;
  stored: Map<string, string>;
}): string {
  const one = rows.length === 1;
  const shown = rows
    .slice(0, 5)
    .map(
      (m) =>
        `"${m.cell}" (${name}:${m.line}, object ${clip(m.id)}, stored as data/${stored.get(m.id)}): ${m.pages} pages`,
    );
  const more = rows.length > 5 ? `; and ${rows.length - 5} more` : '';
  return (
    `${count(rows.length, 'TIFF image')} ${one ? 'has' : 'have'} several pages, and only the first page is the ` +
    `object's photograph (the catalogue and the model use no other): ${shown.join('; ')}${more}. If another page is the ` +
    'view to show, save that page as a file of its own (JPEG or TIFF) and name it in the export.'
  );
}

/** A file's first bytes (up to 1 KB): enough to tell an image's format, or a drawing's or web page's first tag. */
async function fileHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(1024);
  try {
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** An image format import takes, told by its first bytes (imageKind). */
export type ImageKind = 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif' | 'avif' | 'heif';

/** The formats whose end imageEndDamage checks (a JPEG's is jpegDamage's). */
const ENDS_CHECKED = new Set<ImageKind>(['png', 'tiff', 'avif', 'heif']);

/** The endings of each format, its usual one first: an image is stored under one of its own format's. */
const KIND_ENDINGS: Record<ImageKind, string[]> = {
  jpeg: ['.jpg', '.jpeg', '.jpe'],
  png: ['.png'],
  webp: ['.webp'],
  tiff: ['.tif', '.tiff'],
  gif: ['.gif'],
  // AVIF is a HEIF file too, told apart by its brand (imageKind): an AVIF stored as .heic would mislead.
  avif: ['.avif'],
  heif: ['.heic', '.heif', '.avif'],
};

/** Each format as "is … image" says it. */
const KIND_WORDS: Record<ImageKind, string> = {
  jpeg: 'a JPEG',
  png: 'a PNG',
  webp: 'a WebP',
  tiff: 'a TIFF',
  gif: 'a GIF',
  avif: 'an AVIF',
  heif: 'a HEIF (HEIC or AVIF)',
};

/**
 * The ending (lower case) an image is stored under in data/images/: its own when it is one of its format's, else
 * its format's usual one. A PNG named a.jpg kept as .jpg would carry the wrong name into data/, objects.csv and
 * every tool that goes by the name; import names the file after its object anyway, so only the ending changes.
 */
export function imageEnding({ file, kind }: { file: string; kind: ImageKind }): string {
  const ext = path.extname(file).toLowerCase();
  return KIND_ENDINGS[kind].includes(ext) ? ext : KIND_ENDINGS[kind][0]!;
}

/**
 * The image format by first bytes, or undefined: a renamed text file is not an image. The name need not say it:
 * collections systems keep files with no ending (or a number, or a backup's ending) and import renames the file
 * anyway. A camera raw file is refused by its name: its first bytes are most often a TIFF's.
 */
export function imageKind({ head: bytes, file }: { head: Buffer; file: string }): ImageKind | undefined {
  if (CAMERA_RAW.has(path.extname(file).toLowerCase())) return undefined;
  // Short files: the checks below read 16 bytes, as zeros past the end.
  const head = Buffer.concat([bytes.subarray(0, 16), Buffer.alloc(16)]).subarray(0, 16);
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return rawTiff(bytes) ? undefined : 'tiff';
  // BigTIFF, as libvips writes a scan past 4 GB (and on request): sharp reads it.
  if (ascii(0, 4) === 'II+\0' || ascii(0, 4) === 'MM\0+') return 'tiff';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(4, 8) === 'ftyp' && /^(avif|avis|heic|heix|heim|heis|hevc|hevx|mif1|msf1)$/.test(ascii(8, 12))) {
    // The box's brands: its main one, then the compatible ones (after 4 bytes of version), 4 characters each.
    const box = Math.min(bytes.length, bytes.readUInt32BE(0));
    const brands = [ascii(8, 12)];
    for (let at = 16; at + 4 <= box; at += 4) brands.push(bytes.toString('latin1', at, at + 4));
    return brands[0] === 'avif' || brands[0] === 'avis' || (brands[0]!.startsWith('m') && brands.includes('avif'))
      ? 'avif'
      : 'heif';
  }
  return undefined;
}

async function mergeLabels({
  ws,
  name,
  accepted,
  unchanged,
  hasLabels,
  mode,
  labelColumn,
  announce,
  editKept,
  aside,
  saidBefore,
  log,
}: {
  ws: Workspace;
  name: string;
  accepted: { object: CollectionObject; line: number; label: string }[];
  /** Objects kept unchanged because their rows were refused: still in the collection, their labels as they are. */
  unchanged: Set<string>;
  hasLabels: boolean;
  mode: LabelsMode;
  labelColumn: string;
  announce: boolean;
  /** labels.csv as staff had changed it after an interrupted import, copied aside by this one (import-marker.ts). */
  editKept?: string;
  /** Where labels.csv is copied before a replace changes it, when git's last commit does not hold it as it is. */
  aside: string;
  /** The differences between labels.csv and the export the last import said (labelDifferencesSaid). */
  saidBefore: Set<string>;
  log: Logger;
}): Promise<{
  text?: string;
  labelled: number;
  inUse: LabelLine[];
  summary: ImportResult['labels'];
  /** Ids of labels.csv lines rewritten to the object's Unicode form. */
  rewrittenIds: string[];
}> {
  const labelsName = path.relative(ws.root, ws.labels);
  // Staff may keep their own columns (a note, who checked it) and Windows line ends: both survive a re-import.
  const table = await readLabelsTable({ file: ws.labels, name: labelsName });
  const { rows } = table;
  // A line whose id is an object's with its accents encoded another way (saved on a Mac) is that object's line.
  const rewritten = sameIdLines({ rows, ids: [...accepted.map((a) => a.object.id), ...unchanged] });
  const rewrittenIds = [...new Set(rewritten.map((r) => r.object_id!))];
  const first = rewritten[0];
  if (first) {
    const one = rewritten.length === 1;
    const how = encodedAnotherWay({ id: first.object_id!, other: first.object_id!.normalize('NFD') });
    const lineOf = (row: object) => table.lineOf.get(row as Record<string, string>) ?? 0;
    // Named by its line, as every other message about a line of labels.csv is: the line is what staff look for.
    const what = one
      ? `${labelsName}:${lineOf(first)}: "${clip(first.object_id!)}" written with ${how} was rewritten as the ` +
        'collection has it (one id, which looks the same)'
      : `${labelsName} lines ${listWords(
          rewritten.map((r) => `${lineOf(r)} ("${clip(r.object_id!)}")`),
          { max: 5 },
        )}, their ids written with ${how.replace(/^its /, 'their ')}, were rewritten as the collection has them ` +
        '(each one id, which looks the same)';
    log.info(`${what}: ${labelsName} is changed: commit it with the import's other changes.`);
  }
  const labelled = () => rows.filter((r) => r.object_id && r.label);
  const existing = labelled().map((r) => ({ objectId: r.object_id!, label: r.label! }));
  // Composed (NFC), as a new id is: one label decomposed among its composed lines (a Mac's) reads as one to Vitrine,
  // but as two in a spreadsheet's filter or a search of labels.csv (an outside tester's). Staff's lines stay as written.
  const exported = accepted
    .filter((a) => a.label)
    .map((a) => ({ objectId: a.object.id, label: a.label.normalize('NFC'), line: a.line }));
  const inExport = new Set([...accepted.map((a) => a.object.id), ...unchanged]);
  const summary: ImportResult['labels'] = {
    kept: 0,
    added: 0,
    conflicts: [],
    notExported: [],
    changed: [],
    removed: [],
  };
  const newRow = (objectId: string, label: string) =>
    Object.fromEntries(table.header.map((c) => [c, c === 'object_id' ? objectId : c === 'label' ? label : '']));
  if (mode === 'replace') {
    const now = new Map(exported.map((l) => [l.objectId, l.label]));
    for (const l of existing) if (unchanged.has(l.objectId) && !now.has(l.objectId)) now.set(l.objectId, l.label);
    const had = new Set(existing.map((l) => l.objectId));
    for (const old of existing) {
      const next = now.get(old.objectId);
      if (next === undefined) summary.removed.push(old.objectId);
      // A label that prints the same (labelForm: a no-break space, accents as a Mac saves them) is no change.
      else if (labelForm(next) !== labelForm(old.label)) summary.changed.push(old.objectId);
    }
    const listed = new Set(rows.map((r) => r.object_id));
    // A row whose label goes keeps its line when staff wrote something else on it (a note).
    const extraColumns = table.header.filter((c) => c !== 'object_id' && c !== 'label');
    const kept = rows.filter((r) => now.has(r.object_id!) || extraColumns.some((c) => r[c]));
    for (const r of kept) {
      const next = now.get(r.object_id!) ?? '';
      if (!r.label || labelForm(r.label) !== labelForm(next)) r.label = next;
    }
    for (const l of exported) if (!listed.has(l.objectId)) kept.push(newRow(l.objectId, l.label));
    summary.kept = exported.length;
    summary.added = exported.filter((l) => !had.has(l.objectId)).length;
    if (announce && summary.changed.length + summary.removed.length > 0) {
      const parts = [
        summary.changed.length &&
          `${summary.changed.length} label${summary.changed.length === 1 ? '' : 's'} changed to the export's ` +
            `(${sample(summary.changed)})`,
        summary.removed.length && `${summary.removed.length} removed (${sample(summary.removed)})`,
      ].filter(Boolean);
      // labels.csv may hold changes git's last commit does not (made after an interrupted import, or not committed
      // yet): "git checkout" would not bring those back, a copy of it as it is now does.
      const words = (file: string) => path.relative(ws.root, file).split(path.sep).join('/');
      const before = editKept ? undefined : await keepUncommitted({ ws, file: ws.labels, aside, state: inGit });
      const undo = editKept
        ? `git diff ${labelsName} shows them; ${labelsName} as it was before this import, with the changes made after ` +
          `the interrupted one, is kept in ${words(editKept)}: copy back from there what you need ("git checkout ` +
          `${labelsName}" would bring back the last commit, without those changes).`
        : before?.why === 'changed'
          ? `${labelsName} held changes not committed to git, so it is kept as it was before this import in ` +
            `${words(before.kept)}: copy that file back over ${labelsName} to undo this import's changes, or copy ` +
            `from it the lines you need ("git checkout ${labelsName}" would bring back the last commit, without ` +
            'those changes).'
          : before
            ? `${labelsName} is not committed to git, so it is kept as it was before this import in ` +
              `${words(before.kept)}: copy that file back over ` +
              `${labelsName} to undo this import's changes, or copy from it the lines you need.`
            : `git diff ${labelsName} shows them; git checkout ${labelsName} undoes it.`;
      log.warn(`--labels replace: ${parts.join(' and ')}. ${undo}`, { file: labelsName });
    }
    const text = formatLabelsTable({ ...table, rows: kept });
    const inUse = labelsOf({ text, name: labelsName, ids: inExport });
    return {
      text: text === table.text ? undefined : `${table.bom ? '\uFEFF' : ''}${text}`,
      labelled: exported.length,
      rewrittenIds,
      inUse,
      summary,
    };
  }
  if (!hasLabels) {
    log.info(
      `The export has no label column${labelColumn ? ` ("${labelColumn}")` : ''}: ${labelsName} is kept as it ` +
        `is (${existing.length} label${existing.length === 1 ? '' : 's'}).`,
    );
  }
  const rowOf = new Map<string, Record<string, string>>();
  for (const r of rows) if (r.object_id && !rowOf.has(r.object_id)) rowOf.set(r.object_id, r);
  for (const l of exported) {
    const row = rowOf.get(l.objectId);
    if (!row) {
      const added = newRow(l.objectId, l.label);
      rows.push(added);
      rowOf.set(l.objectId, added);
      summary.added++;
    } else if (!row.label) {
      row.label = l.label;
      summary.added++;
    } else if (labelForm(row.label) !== labelForm(l.label)) {
      // Written another way that prints the same (a no-break space, accents as a Mac saves them): the same label.
      summary.conflicts.push({ objectId: l.objectId, kept: row.label, exported: l.label, line: l.line });
    }
  }
  sayConflicts({ conflicts: summary.conflicts, name, labelsName, saidBefore, log });
  summary.notExported = [...new Set(existing.map((l) => l.objectId).filter((id) => !inExport.has(id)))].sort(
    compareIds,
  );
  if (summary.notExported.length > 0) {
    // Named by their lines: every run of the dataset stage names them so too, and they are what to delete.
    const named = labelsOf({ text: table.text ?? '', name: labelsName, ids: new Set(summary.notExported) });
    // Ids that are an object's id written another way ("1" for "00001", as a spreadsheet saves it): said with the
    // object meant, by the dataset stage's rule, not as objects that left the collection (an outside tester).
    const meant = meantObjects({ lines: named, objectIds: inExport });
    // A match by punctuation alone is a guess ("1987-10" may be another object, one that left): such a line is said
    // with the lines of objects that left, and the id it may be asked as a question.
    const retyped = named.filter((l) => meant.has(l.line) && !meant.get(l.line)!.punctuation);
    if (retyped.length > 0) {
      const oneRetyped = retyped.length === 1;
      const first = meant.get(retyped[0]!.line)!;
      const spreadsheet = retyped.some((l) => meant.get(l.line)!.spreadsheet);
      log.warn(
        `${labelsName} ${oneRetyped ? 'line' : 'lines'} ` +
          `${listWords(
            retyped.map((l) => `${l.line} ("${clip(l.objectId)}" for "${clip(meant.get(l.line)!.meant)}")`),
            { max: 10 },
          )} ${oneRetyped ? 'names an object' : 'name objects'} of the collection by ` +
          `${oneRetyped ? 'its id' : 'their ids'} written another way (line ${retyped[0]!.line}: ${first.hint}), ` +
          `so the dataset skips ${oneRetyped ? 'its label' : 'their labels'}. ` +
          (spreadsheet
            ? `To fix it, ${SPREADSHEET_IDS_ADVICE}.`
            : `Write ${oneRetyped ? 'the id' : 'the ids'} as the export does.`),
        { file: labelsName, line: retyped[0]!.line },
      );
    }
    // A match by spaces and punctuation alone ("DM0006" for "DM-0006", "1987-10" for "1987.10") is a guess: its own
    // warning says so, with the id to write on the line, or the line to delete when it is another object that left.
    const maybe = named.filter((l) => meant.has(l.line) && !retyped.includes(l));
    if (maybe.length > 0) {
      const first = maybe[0]!;
      const one = maybe.length === 1;
      const guess = (l: LabelLine) => `"${clip(meant.get(l.line)!.meant)}"`;
      log.warn(
        one
          ? `${labelsName} line ${first.line} ("${clip(first.objectId)}") names no object in the export, but may be ` +
              `meant for ${guess(first)}: the same letters and numbers but for spaces and punctuation. That is ` +
              `only a guess: "${clip(first.objectId)}" may instead be another object, one that has left the ` +
              `collection. If the line is meant for ${guess(first)}, write the id as ${guess(first)} on line ` +
              `${first.line}; if not, delete the line in a pull request. Until then the dataset skips it.`
          : `${labelsName} lines ${listWords(
              maybe.map((l) => `${l.line} ("${clip(l.objectId)}", maybe ${guess(l)})`),
              { max: 10 },
            )} name no object in the export, but each may be meant for the object named after it: the same ` +
              'letters and numbers but for spaces and punctuation. That is only a guess: each may instead be ' +
              'another object, one that has left the collection. For a line meant for that object, write its id ' +
              'as the export does; delete the others in a pull request. Until then the dataset skips them.',
        { file: labelsName, line: first.line },
      );
    }
    const gone = named.filter((l) => !retyped.includes(l) && !maybe.includes(l));
    const one = gone.length === 1;
    const lines = listWords(
      gone.map((l) => `${l.line} ("${clip(l.objectId)}")`),
      { max: 10 },
    );
    if (gone.length > 0)
      log.warn(
        `${labelsName} ${one ? 'line' : 'lines'} ${lines} ${one ? 'names an object' : 'name objects'} no longer in ` +
          `the collection (the export leaves ${one ? 'it' : 'them'} out): ${labelsName} keeps ${one ? 'it' : 'them'} ` +
          `and the dataset skips ${one ? 'it' : 'them'}. If ${one ? 'that object has' : 'those objects have'} left ` +
          `the collection, delete the ${one ? 'line' : 'lines'} in a pull request; if the export held only some ` +
          'objects, import the complete export again.',
        { file: labelsName, line: gone[0]!.line },
      );
  }
  const merged = labelled();
  summary.kept = merged.length;
  const text = formatLabelsTable(table);
  const inUse = labelsOf({ text, name: labelsName, ids: inExport });
  return {
    text: text === table.text ? undefined : `${table.bom ? '\uFEFF' : ''}${text}`,
    labelled: inUse.length,
    rewrittenIds,
    inUse,
    summary,
  };
}

/**
 * An object whose photograph and title both changed since the last import, and whose label in labels.csv differs
 * from the export's, is most likely another object than the one labelled: the last import gave it another row (two
 * objects sharing a number, corrected since). labels.csv keeps its label, as for a staff correction, so it is said
 * on its own line, not counted among the corrections (a tester's Faience Mold kept a decree's "Jewellery").
 */
function warnAnotherObject({
  changes,
  previous,
  conflicts,
  name,
  labelsName,
  log,
}: {
  changes: ObjectChanges;
  previous: Map<string, CollectionObject>;
  conflicts: ImportResult['labels']['conflicts'];
  name: string;
  labelsName: string;
  log: Logger;
}): void {
  const photographed = new Set(changes.newPhotographs);
  const retitled = new Set(changes.details.filter((d) => d.fields.includes('title')).map((d) => d.id));
  for (const c of conflicts) {
    if (!photographed.has(c.objectId) || !retitled.has(c.objectId)) continue;
    const was = previous.get(c.objectId)?.title;
    log.warn(
      `object "${c.objectId}" has another photograph and another title since the last import` +
        `${was ? ` (it was "${clip(was)}")` : ''}: it is probably another object than the one labelled ` +
        `"${c.kept}" in ${labelsName}, and the export says "${c.exported}". Check it, and change its line in ` +
        `${labelsName} if the export is right.`,
      { file: name, line: c.line, object: c.objectId },
    );
  }
}

/** How many label differences are each said as a warning; the others are counted in one line. */
const CONFLICTS_SAID = 5;

/**
 * Labels staff corrected in labels.csv that the export still has otherwise: said at each re-import, so after a
 * round of corrections a hundred lines said the same thing. The first few are named, each on its line of the export;
 * the others are counted in one line with a few of their ids, each said with --verbose (and all in --json).
 */
function sayConflicts({
  conflicts: all,
  name,
  labelsName,
  saidBefore,
  log,
}: {
  conflicts: ImportResult['labels']['conflicts'];
  name: string;
  labelsName: string;
  saidBefore: Set<string>;
  log: Logger;
}): void {
  const replace = 'or import with --labels replace to take every label from the export.';
  const words = (c: (typeof all)[number]) =>
    `object "${c.objectId}": ${labelsName} keeps "${c.kept}"; the export says "${c.exported}".`;
  // A label staff corrected, which the export still has the old way, is warned of once (a re-import tester had the
  // same warnings at every monthly import): after that, one line while it stays the same.
  const known = all.filter((c) => saidBefore.has(differenceKey(c)));
  const conflicts = all.filter((c) => !saidBefore.has(differenceKey(c)));
  if (known.length > 0) {
    for (const c of known) log.debug(words(c));
    log.info(
      `${known.length} ${known.length === 1 ? 'object keeps its' : 'objects keep their'} label in ${labelsName} against ` +
        `the export’s, as at the last import (${sample(known.map((c) => c.objectId))}): said once, not again (import ` +
        'with --verbose to see each).',
    );
  }
  conflicts.slice(0, CONFLICTS_SAID).forEach((c) => {
    log.warn(`${words(c)} Change it in ${labelsName} if the export is right, ${replace}`, {
      file: name,
      line: c.line,
      object: c.objectId,
    });
  });
  const others = conflicts.slice(CONFLICTS_SAID);
  if (others.length === 0) return;
  for (const c of others) log.debug(words(c));
  log.warn(
    `${others.length} more ${others.length === 1 ? 'object has' : 'objects have'} a label in ${labelsName} that ` +
      "differs from the export's " +
      `(${sample(others.map((c) => c.objectId))}): ${labelsName} keeps its own. Import with --verbose to see each ` +
      `(with --json, labels.conflicts lists them all). Change them in ${labelsName} if the export is right, ${replace}`,
    { file: name, line: others[0]!.line },
  );
}

/** Where an import records the differences between labels.csv and the export it said (this machine's, not versioned). */
function labelDifferencesFile(ws: Workspace): string {
  return path.join(ws.work, 'import', 'label-differences.json');
}

function differenceKey(c: { objectId: string; kept: string; exported: string }): string {
  return JSON.stringify([c.objectId, c.kept, c.exported]);
}

/** The differences the last import said (empty when none was recorded, or the record cannot be read). */
async function labelDifferencesSaid(ws: Workspace): Promise<Set<string>> {
  const text = await readFile(labelDifferencesFile(ws), 'utf8').catch(() => '[]');
  try {
    const list = JSON.parse(text) as unknown;
    return new Set(Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}

/** The labels of `ids` in labels.csv as written (`text`), with their lines there, for messages that name them. */
function labelsOf({ text, name, ids }: { text: string; name: string; ids: Set<string> }): LabelLine[] {
  return parseLabels({ text, file: name }).filter((l) => ids.has(l.objectId));
}

/** labels.csv as staff keep it: every column and row (also unlabelled ones), its line ends and byte-order mark. */
async function readLabelsTable({ file, name }: { file: string; name: string }): Promise<{
  text?: string;
  header: string[];
  rows: Record<string, string>[];
  eol: '\n' | '\r\n';
  bom: boolean;
  /** Some lines leave out the staff's own columns: formatLabelsTable writes such lines short again. */
  short: boolean;
  /** Each row's line in the file, for messages. */
  lineOf: Map<Record<string, string>, number>;
}> {
  // A link is refused before it is read, as the dataset stage refuses it: import would print the lines it leads to
  // and write them into the repository's labels.csv in place of the link (review V6).
  await refuseLinkedFile({ file, name });
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (bytes === undefined)
    return { header: ['object_id', 'label'], rows: [], eol: '\n', bom: false, short: false, lineOf: new Map() };
  const text = decodeText({ bytes, file: name });
  parseLabels({ text, file: name }); // the header and ids, checked with the dataset stage's messages
  const { header, rows } = parseCsv({ text, file: name, required: LABEL_COLUMNS });
  // Excel's mark of UTF-8, which decodeText keeps: kept as the file had it (without it Excel reads accents as another
  // encoding), and not counted as a change (compared without it).
  const bom = text.startsWith('\uFEFF');
  return {
    text: bom ? text.slice(1) : text,
    header: header.length > 0 ? header : ['object_id', 'label'],
    rows: rows.map((r) => r.cells),
    eol: /\r\n/.test(text) ? '\r\n' : '\n',
    bom,
    short: rows.some((r) => r.short),
    lineOf: new Map(rows.map((r) => [r.cells, r.line])),
  };
}

/** In the import's folder of `.vitrine/import-recovered/<date>/`: tables a `--labels replace` changes, as they were. */
const BEFORE_REPLACE = 'before-replace';

/** Whether git's last commit holds a table as it is now (`same`), otherwise (`changed`), or not at all. */
type CommittedState = 'same' | 'changed' | 'uncommitted';

/**
 * Before a `--labels replace` changes `file` (labels.csv, data/objects.csv): unless the last commit holds it as it is
 * (`state`: then "git checkout" brings it back), copy it whole to `aside` (`.vitrine/import-recovered/<date>/
 * before-replace/`), under its own path. Returns the copy and why it was made: the file differs from the commit (`changed`), or is in
 * none (`uncommitted`: not added, no commit yet, no repository git can read here, or a state that cannot be read).
 */
async function keepUncommitted({
  ws,
  file,
  aside,
  state,
}: {
  ws: Workspace;
  file: string;
  aside: string;
  state: (options: { ws: Workspace; file: string }) => Promise<CommittedState>;
}): Promise<{ kept: string; why: Exclude<CommittedState, 'same'> } | undefined> {
  // Nothing shows the file is committed when its state cannot be read (a damaged repository, a cache without it).
  const why = await state({ ws, file }).catch((): CommittedState => 'uncommitted');
  if (why === 'same') return undefined;
  const kept = path.join(aside, path.relative(ws.root, file));
  await copyWhole({ file, copy: kept });
  return { kept, why };
}

/** labels.csv against git's last commit (isomorphic-git: pipeline/git/repo.ts). */
async function inGit({ ws, file }: { ws: Workspace; file: string }): Promise<CommittedState> {
  if ((await headCommit({ dir: ws.root })) === null) return 'uncommitted';
  const committed = await readFileAtRef({ dir: ws.root, ref: 'HEAD', filepath: path.relative(ws.root, file) });
  if (committed === null) return 'uncommitted';
  // Line ends as git may convert them (core.autocrlf): the same labels.
  const now = await readFile(file, 'utf8');
  return now.replace(/\r\n/g, '\n') === committed.replace(/\r\n/g, '\n') ? 'same' : 'changed';
}

/**
 * data/objects.csv against what data.dvc in git's last commit records: its md5 in that commit's folder list, read
 * from the local data cache (not fetched: a list not there leaves the file `uncommitted`, and a copy is kept).
 */
async function inDataDvc({ ws, file }: { ws: Workspace; file: string }): Promise<CommittedState> {
  if ((await headCommit({ dir: ws.root })) === null) return 'uncommitted';
  const dvcName = path.relative(ws.root, ws.dataDvc);
  const text = await readFileAtRef({ dir: ws.root, ref: 'HEAD', filepath: dvcName });
  if (text === null) return 'uncommitted';
  const files = await recordedFiles({ ws, text, name: `${dvcName} at HEAD` });
  const recorded = files?.md5.get(path.relative(ws.data, file).split(path.sep).join('/'));
  if (!recorded) return 'uncommitted';
  return recorded === (await hashFile({ file })) ? 'same' : 'changed';
}

/**
 * The md5 of each file a data.dvc's `text` records, from its folder list in the local data cache (not fetched);
 * undefined for a data.dvc that records no folder list (legacy, a single file).
 */
async function recordedFiles({
  ws,
  text,
  name,
}: {
  ws: Workspace;
  text: string;
  name: string;
}): Promise<{ md5: Map<string, string>; cacheDir: string } | undefined> {
  const dvc = parseDvcFile({ text, file: name });
  const out = dvc.outs[0];
  if (dvc.legacy || !out?.md5.endsWith('.dir')) return undefined;
  const { cacheDir } = await readDvcConfig({ root: ws.root });
  const entries = await loadManifest({ cacheDir, md5: out.md5, fetchMissing: false });
  return { md5: new Map(entries.map((e) => [e.relpath, e.md5])), cacheDir };
}

/**
 * data/.refused-images.json as data.dvc records it (the last finished import's), from the local data cache; empty
 * when there is no record, it holds no such file, or it cannot be read (each refusal is then judged afresh).
 */
async function recordedRefusals(ws: Workspace): Promise<Map<string, RefusedImage>> {
  const text = await readFile(ws.dataDvc, 'utf8').catch(() => undefined);
  if (text === undefined) return new Map();
  try {
    const files = await recordedFiles({ ws, text, name: path.relative(ws.root, ws.dataDvc) });
    const md5 = files?.md5.get(REFUSED_IMAGES);
    if (!files || !md5) return new Map();
    return parseRefusedImages(await readFile(objectPath(files.cacheDir, md5), 'utf8'));
  } catch {
    return new Map();
  }
}

/**
 * data/objects.csv as data.dvc (in the work tree) records it, and the md5 of each file it records, from the local
 * data cache; undefined when there is no data.dvc, or it records the table whose md5 is `unless` (or no folder
 * list: legacy). `unread` says why a record there is could not be read (its list not in the local cache, say).
 */
async function recordedCollection({
  ws,
  unless,
}: {
  ws: Workspace;
  unless: string;
}): Promise<{ table: Map<string, CollectionObject>; md5: Map<string, string> } | { unread: string } | undefined> {
  const name = path.relative(ws.root, ws.dataDvc);
  // Any other failure to read it (a folder in its place, no permission) is the data layer's to say, when the import
  // records data/: thrown here, half-way, it said less.
  const read = await readFile(ws.dataDvc, 'utf8').then(
    (text) => ({ text }),
    (error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT'
        ? undefined
        : {
            unread:
              error.code === 'EISDIR'
                ? 'it is a folder, not a file'
                : error.code === 'EACCES' || error.code === 'EPERM'
                  ? 'this user may not read it'
                  : messageOf(error),
          },
  );
  if (!read || 'unread' in read) return read;
  const dvcText = read.text;
  const objectsName = path.relative(ws.root, ws.objects);
  let files: Awaited<ReturnType<typeof recordedFiles>>;
  try {
    files = await recordedFiles({ ws, text: dvcText, name });
  } catch (error) {
    const list = isVitrineError(error, 'DATA_NOT_IN_CACHE') ? error.data.object : undefined;
    return { unread: list ? `its list of files, ${list}, is not in the local data cache` : messageOf(error) };
  }
  const objectsMd5 = files?.md5.get(path.relative(ws.data, ws.objects).split(path.sep).join('/'));
  if (!files || !objectsMd5 || objectsMd5 === unless) return undefined;
  const text = await readFile(objectPath(files.cacheDir, objectsMd5), 'utf8').catch(() => undefined);
  if (text === undefined) return { unread: `its copy of ${objectsName} is not in the local data cache` };
  try {
    const { objects } = parseObjects({ text, file: `${objectsName} as ${name} records it` });
    return { table: new Map(objects.map((o) => [o.id, o])), md5: files.md5 };
  } catch (error) {
    return { unread: messageOf(error) };
  }
}

/**
 * Objects whose photograph in data/ now is another file than the one `recorded` (recordedCollection) has
 * (`changed`), or the same bytes under another name (`moved`: stored under its real format's ending).
 */
async function photographsChanged({
  ws,
  accepted,
  recorded,
}: {
  ws: Workspace;
  accepted: { object: CollectionObject }[];
  recorded: { table: Map<string, CollectionObject>; md5: Map<string, string> };
}): Promise<{ changed: string[]; moved: string[] }> {
  const changed: string[] = [];
  const moved: string[] = [];
  for (const { object } of accepted) {
    const before = recorded.table.get(object.id)?.image;
    const was = before ? recorded.md5.get(before) : undefined;
    if (!was || !object.image) continue;
    const is = await hashFile({ file: path.join(ws.data, object.image) }).catch(() => undefined);
    if (is && is !== was) changed.push(object.id);
    else if (is && before !== object.image) moved.push(object.id);
  }
  return { changed, moved };
}

/**
 * Before a `--labels replace` rebuilds data/objects.csv from the export (as `text`): a table changed by hand since
 * data.dvc's last commit is copied aside, and a warning names the copy and how to get the changes back.
 */
async function keepObjectsBefore({
  ws,
  text,
  aside,
  log,
}: {
  ws: Workspace;
  text: string;
  aside: string;
  log: Logger;
}): Promise<void> {
  const now = await readFile(ws.objects, 'utf8').catch(() => undefined);
  if (now === undefined || now === text) return;
  const before = await keepUncommitted({ ws, file: ws.objects, aside, state: inDataDvc });
  if (!before) return;
  const words = (file: string) => path.relative(ws.root, file).split(path.sep).join('/');
  const objectsName = words(ws.objects);
  log.warn(
    `${
      before.why === 'changed'
        ? `${objectsName} held changes that ${words(ws.dataDvc)} in git's last commit does not record`
        : `${objectsName} is not recorded by ${words(ws.dataDvc)} in git's last commit (or the data cache of this ` +
          'computer cannot show it is)'
    }, and this import rebuilds it from the export: it is kept as it was before this import in ` +
      `${words(before.kept)}. Copy from it what you need, or copy it back over ${objectsName} to undo this import's ` +
      'changes to it.',
    { file: objectsName },
  );
}

/** "KP-3 (next.csv:4)": an object named with its row in the export. */
const at =
  (name: string) =>
  ({ id, line }: { id: string; line: number }) =>
    `${clip(id)} (${name}:${line})`;

/** The first `n` of `ids` in natural order (OBJ-2 before OBJ-10), and how many more. */
function sample(ids: string[], n = 10): string {
  return listWords([...ids].sort(compareIdsNaturally), { last: ',', max: n });
}

/** The longest file name most file systems store (ext4, APFS, NTFS); the longest path is MAX_PATH_BYTES. */
const MAX_NAME_BYTES = 255;

/**
 * One file name per object: its id made safe, at most 255 bytes, with a short hash of the id when two ids
 * would collide (also on case-insensitive disks) or when the id had to be cut short.
 */
export function imageFileNames(items: { id: string; ext: string }[], taken = new Set<string>()): Map<string, string> {
  const hashed = (id: string, safe: string, ext: string) =>
    `${safe.slice(0, MAX_NAME_BYTES - Buffer.byteLength(ext) - 9)}-${createHash('sha1').update(id).digest('hex').slice(0, 8)}`;
  // safeFileName keeps only ASCII, so characters are bytes.
  const base = ({ id, ext }: { id: string; ext: string }) => {
    const safe = safeFileName(id);
    return safe.length + Buffer.byteLength(ext) <= MAX_NAME_BYTES ? safe : hashed(id, safe, ext);
  };
  // Names kept by objects whose image is missing this time count as used, so no other object overwrites them.
  const counts = new Map<string, number>([...taken].map((name) => [name.toLowerCase(), 1]));
  for (const item of items) {
    const key = `${base(item)}${item.ext}`.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map(
    items.map((item) => {
      const name = base(item);
      const collides = counts.get(`${name}${item.ext}`.toLowerCase())! > 1;
      return [item.id, `${collides ? hashed(item.id, safeFileName(item.id), item.ext) : name}${item.ext}`];
    }),
  );
}

/**
 * Rename each staged file to its place, all or none: a file already there is first moved aside into
 * `backupDir`; on an error every rename done so far is undone and the files moved aside are put back,
 * so data/, data/objects.csv and labels.csv are as they were before. Every move is written in the session's
 * journal before the first: a process killed part-way has the next import undo them (import-marker.ts).
 */
async function commitAll({
  staged,
  backupDir,
  root,
  tables,
  session,
  identities,
}: {
  staged: { from: string; to: string }[];
  backupDir: string;
  root: string;
  /** The files staff edit (labels.csv, data/objects.csv): what each holds before and after is journalled too. */
  tables: string[];
  session: ImportSession;
  /** What staged files hold, known already (by `from`): not read again. */
  identities?: Map<string, FileIdentity>;
}): Promise<void> {
  const done: { to: string; backup?: string; placed: boolean }[] = [];
  const createdDirs: string[] = [];
  try {
    const plan: { from: string; to: string; backup?: string }[] = [];
    for (const [i, { from, to }] of staged.entries()) {
      const there = await lstat(to).catch(() => null);
      plan.push({ from, to, ...(there && !there.isDirectory() ? { backup: path.join(backupDir, `was-${i}`) } : {}) });
    }
    // What each placed file holds (size, md5): the next import takes away or replaces only a file still the same.
    const placed = await mapPool(plan, 8, async (p) => identities?.get(p.from) ?? (await identityOf(p.from)));
    // And what each table it replaces holds: the next import tells a change staff make after an interruption.
    const replaced = await mapPool(plan, 8, async (p) =>
      p.backup && tables.includes(p.to) ? await identityOf(p.to).catch(() => undefined) : undefined,
    );
    // What each table holds once this is done, also one it does not change: a change made after an interruption
    // is told from it.
    const held = await mapPool(tables, 2, async (to) => {
      const i = plan.findIndex((p) => p.to === to);
      const identity = i >= 0 ? placed[i] : await identityOf(to).catch(() => undefined);
      return identity ? [{ to: path.relative(root, to), placed: identity }] : [];
    });
    await session.journal({
      tables: held.flat(),
      entries: plan.map((p, i) => ({
        from: path.relative(backupDir, p.from),
        to: path.relative(root, p.to),
        ...(p.backup ? { backup: path.relative(backupDir, p.backup) } : {}),
        placed: placed[i],
        ...(replaced[i] ? { replaced: replaced[i] } : {}),
      })),
    });
    const folders = new Set<string>();
    for (const { from, to, backup } of plan) {
      const entry: (typeof done)[number] = { to, placed: false };
      done.push(entry);
      const created = await mkdir(path.dirname(to), { recursive: true });
      if (created) createdDirs.push(created);
      folders.add(path.dirname(to));
      if (backup) {
        // A group-shared checkout's 664 stays 664 (the temp copy has the umask's mode).
        await keepModeOf({ target: to, temp: from });
        entry.backup = backup;
        await rename(to, backup);
      }
      await rename(from, to);
      entry.placed = true;
    }
    // The renames on the disk before the marker says they are done (and the journal that undoes them goes).
    for (const folder of folders) await syncFile(folder);
    await session.written();
  } catch (error) {
    const failed = path.relative(root, done.at(-1)?.to ?? backupDir);
    const notUndone: string[] = [];
    for (const entry of done.reverse()) {
      try {
        if (entry.placed) await rm(entry.to, { force: true });
        if (entry.backup) await rename(entry.backup, entry.to);
      } catch {
        notUndone.push(path.relative(root, entry.to));
      }
    }
    for (const dir of createdDirs.reverse()) await rmdir(dir).catch(() => {});
    // The next import finishes the undoing from the journal: the marker and the folder stay.
    if (notUndone.length > 0) session.keep();
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    // A read-only folder or a full disk: the words the CLI gives such errors ("data checkout" too), ending in
    // "import again" (init imports as well).
    const machine = environmentProblem({ error, root, command: 'import', afterwards: 'then import again.' });
    throw new VitrineError(
      'IMPORT_WRITE_FAILED',
      notUndone.length === 0
        ? `Import could not write ${failed} (${why}), so nothing was changed: data/, data/objects.csv and labels.csv ` +
            'are as they were before. ' +
            (machine ?? `Fix the cause (is ${failed} a folder, or the disk full?) and import again.`)
        : `Import could not write ${failed} (${why}) and could not put back ${notUndone.join(', ')}. The files it ` +
            `had moved aside are kept in ${path.relative(root, backupDir)}, and the next import puts them back ` +
            'first: fix the cause and run the import again (or restore them with "git checkout labels.csv" and ' +
            `"npx vitrine data checkout").${machine ? ` ${machine}` : ''}`,
      { file: failed },
      { cause: error },
    );
  }
}

/**
 * Whether removing `removed` of the `current` objects needs the user's word that the export is complete. An
 * export leaving out more than a fifth of the collection is almost always partial or cut short (this month's
 * additions, one department, a filtered search, a copy that stopped at 60%: a tester's 127 of 315 went without a
 * word when the line was half), while a deaccession removes a few objects; and past 1,000 objects a mistake costs
 * a large catalogue whatever the share. Up to 10 are taken without asking: import names them all, unless they are
 * the whole collection (an export holding its header alone, from a system that stopped writing it).
 */
export function tooManyRemoved({ removed, current }: { removed: number; current: number }): boolean {
  if (removed > 0 && removed >= current) return true;
  if (removed <= REMOVE_WITHOUT_ASKING) return false;
  return removed * 5 > current || removed > REMOVE_AT_MOST;
}
const REMOVE_WITHOUT_ASKING = 10;
const REMOVE_AT_MOST = 1000;

interface Removal {
  /** Objects in data/objects.csv before, in the collection no longer: the export does not list them. */
  notListed: string[];
  /**
   * Objects the export lists with their id written otherwise (capitals, spaces: changedIds), each with its id there
   * and how a spreadsheet changed it (spreadsheetChanges; none when it cannot have, or the export shows it did not).
   */
  renamed: { id: string; as: string; spreadsheet: string[] }[];
  /** Objects whose row of the export was refused (on_invalid: skip), with its line: kept as they were. */
  refusedRows: { id: string; line: number }[];
  /** Objects in data/objects.csv before this import. */
  before: number;
}

/** Why each object of data/objects.csv would leave it: not listed, its id written otherwise, or its row refused. */
async function removedObjects({
  ws,
  accepted,
  kept,
}: {
  ws: Workspace;
  accepted: { object: CollectionObject }[];
  kept: Map<string, { line: number }>;
}): Promise<Removal> {
  const before = await previousIds({ ws });
  const inExport = new Set(accepted.map((a) => a.object.id));
  const removal: Removal = { notListed: [], renamed: [], refusedRows: [], before: before.length };
  const previous = new Set(before);
  const gone = before.filter((id) => !inExport.has(id) && !kept.has(id));
  removal.refusedRows = [...kept].map(([id, { line }]) => ({ id, line }));
  const renamed = changedIds({ before: gone, after: [...inExport].filter((id) => !previous.has(id)) });
  // A spreadsheet changes every number of the column: when an id it would have changed so is there unchanged
  // (1987.20 with its last zero beside 1987.1 for 1987.10), no spreadsheet saved it, and the id was changed.
  const untouched = (form: string) => [...inExport].some((id) => untouchedBy(form, id));
  for (const id of gone) {
    const as = renamed.get(id);
    if (as === undefined) removal.notListed.push(id);
    else {
      const forms = spreadsheetChanges(id, as);
      removal.renamed.push({ id, as, spreadsheet: forms.some(untouched) ? [] : forms });
    }
  }
  removal.notListed.sort(compareIds);
  removal.refusedRows.sort((a, b) => a.line - b.line);
  removal.renamed.sort((a, b) => compareIdsNaturally(a.id, b.id));
  return removal;
}

/**
 * A repeated id whose rows have different titles is two objects sharing a number (a typing slip in the collections
 * system), not a row exported twice: which row was imported is said, and what the number then stands for. A tester's
 * export gave its second object's number to another one; the import kept the other's label and photograph for it,
 * and "fix those rows to add them" did not say so.
 */
function twoObjectsWords({
  problem,
  seen,
  kept,
  refused,
  imported,
}: {
  problem: ImportProblem;
  seen: Map<string, number>;
  /** The titles of the first row with the id and of this one. */
  kept: string | undefined;
  refused: string | undefined;
  /** The ids this import takes in (none under on_invalid fail, which stops it). */
  imported: Set<string>;
}): string {
  const id = problem.object!;
  const first = seen.get(id);
  if (first === undefined || !kept || !refused || kept === refused) return '';
  if (!imported.has(id))
    return (
      `: two different objects have this number, line ${first} ("${clip(kept)}") and this line ` +
      `("${clip(refused)}"). Correct the number of the one that is wrong in the export`
    );
  return (
    `: two different objects have this number. Line ${first} ("${clip(kept)}") was imported as ${id}, this line ` +
    `("${clip(refused)}") was not. Correct the number of the one that is wrong in the export and import again: ` +
    `until then ${id} stands for line ${first}'s object (its title, label and any photograph)`
  );
}

/**
 * Rows refused as a repeated id that a spreadsheet probably made so: it saves 1987.10 as 1987.1, a number. When
 * an object of the collection whose id shortens so is missing from the export, the row is taken as that object's
 * (its `object`): refused, the object keeps its previous row instead of being removed. At a first import, a repeated
 * number with a dot is said to perhaps be one. A spreadsheet changes every number of the column, so when an id it
 * would have changed the same way is in the export unchanged (1987.20 with its last zero: untouchedBy, the evidence
 * IMPORT_IDS_CHANGED weighs), none saved it: the row is a repeated id, said plainly, and blames no spreadsheet.
 */
function shortenedRepeats({
  repeats,
  seen,
  previous,
  keepRefused,
}: {
  repeats: ImportProblem[];
  seen: Map<string, number>;
  previous: Map<string, unknown>;
  keepRefused: boolean;
}): Set<ImportProblem> {
  const explained = new Set<ImportProblem>();
  const vanished = new Map<string, string[]>();
  for (const before of previous.keys()) {
    const short = shortenedNumber(before);
    if (short !== before && !seen.has(before)) vanished.set(short, [...(vanished.get(short) ?? []), before]);
  }
  const kept = new Map<string, boolean>();
  const untouched = (form: string) => {
    if (!kept.has(form))
      kept.set(
        form,
        [...seen.keys()].some((id) => untouchedBy(form, id)),
      );
    return kept.get(form)!;
  };
  for (const problem of repeats) {
    const id = problem.object!;
    const meant = vanished.get(id)?.shift();
    const forms = meant === undefined ? [SHORTENED] : spreadsheetChanges(meant, id);
    if (forms.length === 0 || forms.some(untouched)) continue;
    if (meant !== undefined) {
      explained.add(problem);
      problem.object = meant;
      problem.message +=
        `: a spreadsheet probably shortened ${meant} to ${id} (${meant} is not in the export)` +
        `${keepRefused ? `, so object ${meant} keeps its previous row and image` : ''}. Correct the id on this line; ` +
        SHORTENED_ADVICE;
    } else if (/^\d+\.\d*[1-9]$/.test(id) && !seen.has(`${id}0`)) {
      explained.add(problem);
      problem.message +=
        `: if this row is object ${id}0, a spreadsheet probably shortened ${id}0 to ${id}. Correct the id on this ` +
        `line; ${SHORTENED_ADVICE}`;
    }
  }
  return explained;
}

/**
 * The objects of `before` that `after` lists with their id written another way (idKey: capitals, spaces around
 * punctuation, fullwidth characters; then leading zeros a spreadsheet dropped), each to its id there. Only one-to-one
 * matches count: "0007" beside "7" and "007" is no object's new id.
 */
function changedIds({ before, after }: { before: string[]; after: string[] }): Map<string, string> {
  const matches = new Map<string, string>();
  const byKey = (ids: string[], key: (id: string) => string) => {
    const groups = new Map<string, string[]>();
    for (const id of ids) groups.set(key(id), [...(groups.get(key(id)) ?? []), id]);
    return groups;
  };
  let olds = before;
  let news = after;
  // Leading zeros are tried only for ids the other forms did not match, so "DM-01" keeps a match with "dm-01".
  for (const key of [idKey, (id: string) => idKey(id, { zeros: true })]) {
    const newByKey = byKey(news, key);
    for (const [k, group] of byKey(olds, key)) {
      const match = newByKey.get(k);
      if (group.length === 1 && match?.length === 1) matches.set(group[0]!, match[0]!);
    }
    const taken = new Set(matches.values());
    olds = olds.filter((id) => !matches.has(id));
    news = news.filter((id) => !taken.has(id));
  }
  // Last, an all-digit id in scientific notation with digits lost (123456 as 1.2E+05), indexed by digits shown.
  const rounded = new Map<number, Map<string, string[]>>();
  const shown = byKey(news, (id) => scientificKey(id)?.key ?? '');
  for (const [key, group] of shown) {
    if (!key || group.length !== 1) continue;
    const digits = scientificKey(group[0]!)!.digits;
    let index = rounded.get(digits);
    if (!index) {
      index = byKey(
        olds.filter((id) => /^\d+$/.test(id)),
        (id) => Number(id).toExponential(digits),
      );
      rounded.set(digits, index);
    }
    const match = index.get(key);
    if (match?.length === 1) matches.set(match[0]!, group[0]!);
  }
  return matches;
}

/** For ids a spreadsheet shortened (1987.10 → 1987.1), a sentence saying so plainly; else nothing. */
function shortenedSaid(renamed: Removal['renamed']): string {
  const short = renamed.filter((r) => r.spreadsheet.includes(SHORTENED));
  if (short.length === 0) return '';
  const e = short[0]!;
  return (
    ` A spreadsheet probably shortened ${clip(e.id)} to ${clip(e.as)}` +
    `${short.length > 1 ? ` (and ${short.length - 1} more id${short.length === 2 ? '' : 's'} so)` : ''}: ${SHORTENED_ADVICE}.`
  );
}

/** "capitals and spaces": how the renamed ids differ, all pairs together. */
function howRenamed(renamed: { id: string; as: string }[]): string {
  const kinds = new Set(renamed.flatMap((r) => idDifferences(r.id, r.as)));
  const named = ID_DIFFERENCES.filter((what) => kinds.has(what));
  return named.length === 0 ? 'written differently' : listWords(named);
}

/**
 * Refuse, before anything is written, an import that would remove a large share of the collection (tooManyRemoved)
 * or change the case of ids (their labels in labels.csv would name no object), naming which it is and what to do.
 */
function refuseLargeRemoval({
  notListed,
  renamed,
  refusedRows,
  before,
  removeMissing,
  name,
  objectsName,
  listed,
  listedIds,
  imagesLost,
  lineOf,
}: Removal & {
  removeMissing: boolean;
  name: string;
  objectsName: string;
  listed: number;
  /** The ids the export lists. */
  listedIds: string[];
  imagesLost: number;
  /** The line of the export each id it lists is on. */
  lineOf: Map<string, number>;
}) {
  // Rows the export has but were refused (on_invalid: skip) are an export fault, not objects that left: they keep
  // their previous rows, but when most of the collection is refused (or left out) the export is broken (absolute
  // image paths), not worth importing. --remove-missing does not confirm those, so this is checked with it too.
  if (refusedRows.length > 0 && tooManyRemoved({ removed: refusedRows.length + notListed.length, current: before }))
    throw new VitrineError(
      'IMPORT_ROWS_REFUSED',
      `${name} cannot update ${refusedRows.length + notListed.length} of the ${before} objects in ` +
        `${objectsName}: ${refusedRows.length} object${refusedRows.length === 1 ? '' : 's'} whose rows were ` +
        `refused (said above; e.g. ${sample(refusedRows.map(at(name)), 3)})${
          notListed.length ? ` and ${notListed.length} it does not list` : ''
        }, so nothing was changed. Fix those rows in the export (an image path, a missing file) and import again.`,
      { file: name, line: refusedRows[0]!.line },
    );
  if (removeMissing) return;
  refuseNumberIds({ renamed, name, objectsName, lineOf });
  if (renamed.length > 0 && tooManyRemoved({ removed: renamed.length + notListed.length, current: before })) {
    const e = renamed[0]!;
    const [as = '', was = ''] = visibleIds([e.as, e.id]);
    const how = howRenamed(renamed);
    throw new VitrineError(
      'IMPORT_IDS_CHANGED',
      `${renamed.length} object${renamed.length === 1 ? '' : 's'} of ${objectsName} ${renamed.length === 1 ? 'is' : 'are'} ` +
        `in ${name} with ${renamed.length === 1 ? 'its id' : 'their ids'} written differently (${how}), ` +
        `e.g. "${clip(as)}" for "${clip(was)}", so nothing was changed. Imported, they would be new objects and ` +
        'their labels in labels.csv would name objects no longer there. Keep the ids as they were: export them ' +
        `written exactly as before, or correct them in the export, and import again. If the ids were changed on ` +
        'purpose (a renumbering), import it again with --remove-missing: the labels in labels.csv under the old ids ' +
        `then name no object.${
          how.includes('leading zeros') || how.includes('.0')
            ? ' A spreadsheet or script rewrites ids it takes for numbers (drops leading zeros, adds ".0"): keep ' +
              'the id column as text before saving, or export straight from the collections system.'
            : ''
        }${shortenedSaid(renamed)}`,
      { file: name },
    );
  }
  if (!tooManyRemoved({ removed: notListed.length, current: before })) return;
  // An export of its header alone (a system that stopped writing) is not "some objects".
  const none = listed === 0;
  // Not one id in common: new objects alone, another collection's export, or ids from another field; rarely a
  // renumbering, the one case --remove-missing is for.
  if (!none && notListed.length === before)
    throw new VitrineError(
      'IMPORT_WOULD_REMOVE',
      `${name} has not one object id in common with the ${before} objects in ${objectsName} (it lists ` +
        `${listed}, such as ${sample(listedIds.slice(0, 50), 3)}; ${objectsName} has ${sample(notListed, 3)}), so ` +
        `importing it would remove ${before} of the ${before} objects: nothing was changed. Is it new objects alone (this month's ` +
        'additions: import the complete export instead), the export of another collection, or ids taken from ' +
        'another field (a system number instead of the accession number: map the id column used before, ' +
        'import.columns.id in params.yaml)? Only if this collection was renumbered throughout, import it again ' +
        'with --remove-missing: the labels in labels.csv under the old ids then name no object.',
      { file: name },
    );
  throw new VitrineError(
    'IMPORT_WOULD_REMOVE',
    `${name} would remove ${notListed.length} of the ${before} objects in ${objectsName} (those it does ` +
      `not list: ${sample(notListed, 5)}), so nothing was changed. ${
        none
          ? `${name} lists no object at all (only its header line): export it again from the collections system.`
          : `If ${name} holds only some objects (this month's additions, one department), import the complete ` +
            'export instead: it must list every object of the collection.'
      } If it is the complete export and those objects have left the ` +
      'collection, import it again with --remove-missing (their images stay in the data cache and their labels ' +
      `in labels.csv).${
        imagesLost > 0
          ? ` But look at its image column first: --remove-missing would also take the image from the ${imagesLost} ` +
            `object${imagesLost === 1 ? '' : 's'} it lists: ${imagesLost === 1 ? 'its' : 'their'} image cell is empty.`
          : ''
      }`,
    { file: name },
  );
}

/**
 * Refuse, before anything is written, an export in which ids of the collection come back as a spreadsheet or script
 * rewrites a number (000123 as 123, 100000 as 1.00E+05, 12 as 12.0, 1987.10 as 1987.1): however few, imported they
 * would be new objects, the objects under the old ids removed with their images and their labels left naming
 * nothing. No one renames ids so by hand; a renumbering on purpose is imported with --remove-missing.
 */
function refuseNumberIds({
  renamed,
  name,
  objectsName,
  lineOf,
}: {
  renamed: Removal['renamed'];
  name: string;
  objectsName: string;
  lineOf: Map<string, number>;
}): void {
  const numbers = renamed
    .filter((r) => r.spreadsheet.length > 0)
    .map((r) => ({ ...r, line: lineOf.get(r.as) ?? 0 }))
    .sort((a, b) => a.line - b.line);
  if (numbers.length === 0) return;
  const one = numbers.length === 1;
  // Only the changes seen: 1,2E+05 for 123000 is scientific notation, not leading zeros or a ".0".
  const kinds = new Set(numbers.flatMap((r) => r.spreadsheet));
  const how = listWords(NUMBER_DIFFERENCES.filter((what) => kinds.has(what)));
  const shown = numbers.slice(0, 10).map((r) => `  line ${r.line}: "${clip(r.as)}" for "${clip(r.id)}"`);
  const more = numbers.length > 10 ? [`  … and ${numbers.length - 10} more`] : [];
  throw new VitrineError(
    'IMPORT_IDS_CHANGED',
    `${name} has ${one ? 'an id' : `${numbers.length} ids`} of ${objectsName} changed the way a spreadsheet changes ` +
      `numbers (${how}), so nothing was changed:\n${[...shown, ...more].join('\n')}\nImported, ` +
      `${one ? 'it would be a new object' : 'they would be new objects'}: the object${one ? '' : 's'} under the ` +
      `old id${one ? '' : 's'} would be removed with ${one ? 'its image' : 'their images'}, and ` +
      `${one ? 'its label' : 'their labels'} in labels.csv would name no object. Export again keeping the ids as ` +
      'text, exactly as before: straight from the collections system, or, if the file goes through a spreadsheet, ' +
      'open it there with the id column set to Text (Excel: Data > From Text/CSV; a CSV opened by double-click has ' +
      'its ids turned into numbers), then import again. If the ids were changed on purpose (a renumbering), import ' +
      'it again with --remove-missing: the labels in labels.csv under the old ids then name no object.' +
      shortenedSaid(numbers),
    { file: name, line: numbers[0]!.line },
  );
}

/**
 * A spreadsheet's scientific notation (1.2E+05, 1,4E+05: "E+" as it writes it): a number it showed in a narrow
 * column, saved as shown, its digits maybe lost (1.2E+05 is anything from 115000 to 124999).
 */
function isSpreadsheetNumber(id: string): boolean {
  return /^\d(?:[.,]\d+)?E\+\d+$/i.test(id);
}

/**
 * A warning for new objects whose ids a spreadsheet wrote in scientific notation (at a first import above all, when
 * no object of the collection tells what they were): imported as they are, but not the collections system's ids.
 * Not a refusal: whether digits were lost cannot be told (1.2E+05 may be 120000), and the ids may be corrected by
 * importing again. Those that stand for an object already there were refused (refuseNumberIds).
 */
function scientificIds({
  accepted,
  previous,
  removal,
  name,
  lineOf,
}: {
  accepted: { object: CollectionObject }[];
  previous: Map<string, unknown>;
  removal: Removal;
  name: string;
  lineOf: Map<string, number>;
}): { message: string; line: number } | undefined {
  const matched = new Set(removal.renamed.map((r) => r.as));
  const ids = accepted
    .map((a) => a.object.id)
    .filter((id) => isSpreadsheetNumber(id) && !previous.has(id) && !matched.has(id));
  if (ids.length === 0) return undefined;
  const one = ids.length === 1;
  const lines = ids.map((id) => lineOf.get(id) ?? 0);
  const shown = ids.slice(0, 10).map((id, i) => `  line ${lines[i]}: "${clip(id)}"`);
  const more = ids.length > 10 ? [`  … and ${ids.length - 10} more`] : [];
  const message =
    `${name} has ${one ? 'an id' : `${ids.length} ids`} in scientific notation, as a spreadsheet writes a number ` +
    `it shortened:\n${[...shown, ...more].join('\n')}\n${one ? 'It was' : 'They were'} imported as ` +
    `${one ? 'it is' : 'they are'}, but ${one ? 'it is' : 'they are'} probably not the id${one ? '' : 's'} of the ` +
    'collections system: digits may be lost (1.2E+05 is any number from 115000 to 124999). Export again with the ' +
    'id column as text (straight from the collections system, or in a spreadsheet with the id column set to Text: ' +
    'Excel: Data > From Text/CSV) and import again.';
  return { message, line: lines[0]! };
}

/**
 * Said after an import that removed objects: below the refusal's threshold, 500 missing of 100,000 (a department
 * left out of the export) would otherwise go unnoticed. Ten or fewer (a deaccession) are named by the diff.
 */
function warnRemoved({
  notListed,
  renamed,
  refusedRows,
  name,
  objectsName,
  log,
}: Removal & { name: string; objectsName: string; log: Logger }): void {
  if (refusedRows.length > 0) {
    const one = refusedRows.length === 1;
    log.warn(
      `${refusedRows.length} object${one ? '' : 's'} already in ${objectsName} ${one ? 'was' : 'were'} kept unchanged ` +
        `(${one ? 'its' : 'their'} previous row and image) because ${one ? 'its' : 'their'} new row${one ? ' was' : 's were'} ` +
        `refused (said above): ${sample(refusedRows.map(at(name)), 10)}. Fix ${one ? 'that row' : 'those rows'} ` +
        'in the export and import again to update them.',
      { file: name, line: refusedRows[0]!.line },
    );
  }
  const [as = '', was = ''] = renamed.length > 0 ? visibleIds([renamed[0]!.as, renamed[0]!.id]) : [];
  if (renamed.length > 0)
    log.warn(
      `${name} has ${renamed.length} id${renamed.length === 1 ? '' : 's'} of ${objectsName} written differently ` +
        `(${howRenamed(renamed)}), e.g. "${clip(as)}" for "${clip(was)}": ` +
        'imported as new ' +
        `objects, their labels in labels.csv name objects no longer there. Keep the ids as they were.${shortenedSaid(renamed)}`,
      { file: name },
    );
  const gone = notListed.length + renamed.length;
  if (gone <= REMOVE_WITHOUT_ASKING) return;
  log.warn(
    `${gone} objects of ${objectsName} are not in ${name} and were removed from it ` +
      `(${sample([...notListed, ...renamed.map((r) => r.id)], 5)}); their labels stay in labels.csv. If they ` +
      // data/ is not in git (data.dvc records it): "git checkout data/objects.csv" would fail.
      'should still be there, "git checkout data.dvc" and then "npx vitrine data checkout --force" put the table ' +
      'and its images back as the last commit records them (undoing this whole import in data/), and import the ' +
      'complete export.',
    { file: objectsName },
  );
}

/** The ids in data/objects.csv before this import; none when there is no readable table (a first import). */
async function previousIds({ ws }: { ws: Workspace }): Promise<string[]> {
  try {
    return (await readObjects({ file: ws.objects })).objects.map((o) => o.id);
  } catch {
    // A table that cannot be read is named by the dataset stage; import replaces it, as before.
    return [];
  }
}

/** The objects of data/objects.csv before this import, by id (none when there is no readable table). */
async function previousTable({ ws, log }: { ws: Workspace; log: Logger }): Promise<Map<string, CollectionObject>> {
  try {
    const { objects } = await readObjects({ file: ws.objects });
    return new Map(objects.map((o) => [o.id, o]));
  } catch (error) {
    if (!isVitrineError(error, 'FILE_MISSING')) {
      log.warn(
        `${path.relative(ws.root, ws.objects)} cannot be read (${messageOf(error)}), so objects whose image is ` +
          'missing from the export cannot keep their earlier image, nor objects whose row is refused their earlier row.',
        { file: path.relative(ws.root, ws.objects) },
      );
    }
    return new Map();
  }
}

/** What to do about a value of the export too long. */
const EXPORT_AGAIN = 'Correct it in the collections system and export again';

/**
 * A label's control characters and bidi embeddings, overrides and isolates (control-characters.ts: the ones params.yaml
 * refuses in a label): the label with each written <U+202E> (`shown`) and what they are, in words to follow
 * "contains" (`words`: `a character that prints nothing (U+202E, a right-to-left override)`); undefined when it has
 * none.
 */
function controlsInLabel(label: string): { shown: string; words: string; plural: boolean; bidi: boolean } | undefined {
  const chars = [...label];
  const found = [...new Set(chars.filter((c) => controlName(c) !== undefined))];
  if (found.length === 0) return undefined;
  const shown = chars.map((c) => (controlName(c) === undefined ? c : `<${characterCode(c)}>`)).join('');
  const names = found.map((c) => `${characterCode(c)}, a ${controlName(c)}`).join('; ');
  const what = found.length === 1 ? 'a character that prints nothing' : 'characters that print nothing';
  // A bidi embedding, override or isolate (a bell or an escape turns nothing round).
  const bidi = found.some((c) => controlName(c) !== 'control character');
  return { shown, words: `${what} (${names})`, plural: found.length > 1, bidi };
}

/** Said after a field too long, under on_invalid: skip, where the row is refused. */
const KEPT_WHEN_LONG =
  '. The row is not imported, so the catalogue keeps the details the object had (an object new in this export is ' +
  'left out of it until its row is corrected)';

/**
 * The first field of a row far longer than any real one (MAX_TITLE, MAX_FIELD), said with its column and size:
 * imported, it would be copied into the catalogue's pages (a tester's 5 MB title: an object page of 50 MB, a home
 * page of 10 MB). Undefined when every field is of a real length.
 */
function overlongField({
  columns,
  keepColumns,
  cells,
  id,
}: {
  columns: Params['import']['columns'];
  keepColumns: string[];
  cells: Record<string, string>;
  /** The row's object. */
  id: string;
}): string | undefined {
  const fields: [string, string, number][] = [
    ['title', columns.title, MAX_TITLE],
    ['maker', columns.maker, MAX_FIELD],
    ['date', columns.date, MAX_FIELD],
    ['department', columns.department, MAX_FIELD],
    ['medium', columns.medium, MAX_FIELD],
    ['credit line', columns.credit_line, MAX_FIELD],
    ['rights', columns.rights, MAX_FIELD],
    ['description', columns.description, MAX_FIELD],
    ...keepColumns.map((column): [string, string, number] => ['column', column, MAX_FIELD]),
  ];
  for (const [what, column, most] of fields) {
    const value = column ? (cells[column] ?? '') : '';
    const over = overCharacters({ value, most });
    if (!over) continue;
    const field = what === 'column' ? `the column "${clip(column)}"` : `the ${what} ("${clip(column)}")`;
    return (
      `${field} of object "${clip(id)}" is ${over}, far longer than any ` +
      `real ${what === 'title' ? 'title' : 'text'} (at most ${most.toLocaleString('en')} characters: ` +
      'a row with more is refused, not cut short): ' +
      `a text pasted into the cell by mistake? It begins "${clip(value.slice(0, 100), 40)}". Correct it in the collections ` +
      'system and export again'
    );
  }
  return undefined;
}

/**
 * A number as a spreadsheet shows and saves it when it is long: 1.23457E+11. Excel writes this form only for
 * numbers of 12 digits or more, always with "E+": "2E3" or "1e5" is a real id.
 */
function isScientific(id: string): boolean {
  // A comma where the locale writes one (1,23457E+11).
  const match = /^\d(?:[.,]\d+)?E\+(\d{2,})$/i.exec(id);
  return match !== null && Number(match[1]) >= 11;
}

/**
 * True when `file` holds the first bytes of `whole` and fewer: a copy cut short (a share still syncing, a download
 * stopped), which would have replaced a good image with half of it (a tester's, without a word).
 */
async function startOf(file: string, whole: string): Promise<boolean> {
  const [a, b] = await Promise.all([stat(file), stat(whole).catch(() => null)]);
  if (!b?.isFile() || a.size === 0 || a.size >= b.size) return false;
  const handle = await open(whole, 'r');
  try {
    const start = Buffer.alloc(a.size);
    await handle.read(start, 0, a.size, 0);
    return start.equals(await readFile(file));
  } finally {
    await handle.close();
  }
}

/** The warning for images of the export that are the start of the ones in data/: those objects keep theirs. */
function cutShortWords({ cutShort, name }: { cutShort: { object: CollectionObject; line: number }[]; name: string }) {
  const one = cutShort.length === 1;
  const shown = cutShort
    .slice(0, 5)
    .map((a) => `${name}:${a.line} (object ${clip(a.object.id)}, ${a.object.image})`)
    .join(', ');
  return (
    `${cutShort.length} image${one ? '' : 's'} in the export ${one ? 'is' : 'are'} only the beginning of the one in ` +
    `data/, cut short (a copy or sync not finished?): ${shown}${cutShort.length > 5 ? ` and ${cutShort.length - 5} more` : ''}. ` +
    `${one ? 'That object keeps its' : 'Those objects keep their'} image in data/. Import again once the images are ` +
    'copied whole. (If the shorter file is the one wanted, say with its end trimmed off on purpose, delete the one in ' +
    'data/ and import again.)'
  );
}

/**
 * The MD5 of `dest` when it holds the bytes of `source` (undefined otherwise): from the data layer's hash state when
 * `dest` is unchanged since the data layer hashed it, else from the bytes compared (no file is read again).
 */
async function md5IfSame({
  source,
  dest,
  state,
}: {
  source: string;
  dest: string;
  state: HashState;
}): Promise<string | undefined> {
  const [sa, sb] = await Promise.all([stat(source), stat(dest, { bigint: true }).catch(() => null)]);
  if (!sb?.isFile() || BigInt(sa.size) !== sb.size) return undefined;
  const bytes = await readFile(dest);
  if (!(await readFile(source)).equals(bytes)) return undefined;
  return state.get(dest, sb) ?? createHash('md5').update(bytes).digest('hex');
}

/** A photograph changed in data/ since the last import stored it, which this import replaces with the export's. */
interface HandChanged {
  id: string;
  /** Its path in data/ ("images/A1.jpg"). */
  image: string;
  /** The MD5 of the changed file (its bytes are kept in the data cache under it). */
  md5: string;
  /** The export's copy, staged in import's temp folder. */
  from: string;
  /** The MD5 the last import stored. */
  lastMd5: string;
  /** The export's is the photograph the last import stored (put back), not a new one; set once it is hashed. */
  putBack?: boolean;
  /** Its bytes were in the data cache already (recorded with data add): set by keepHandChanged. */
  cachedBefore?: boolean;
}

/**
 * The MD5 of `file` as it is now: from the data layer's hash state when it is unchanged since the data layer hashed
 * it (no read), else read; undefined when it is not a file (gone).
 */
async function md5Now({ file, state }: { file: string; state: HashState }): Promise<string | undefined> {
  const info = await stat(file, { bigint: true }).catch(() => null);
  if (!info?.isFile()) return undefined;
  return state.get(file, info) ?? (await hashFile({ file }));
}

/**
 * Keeps the bytes of each photograph changed by hand that import replaces in the data cache, content-addressed as
 * `data add` stores them (read-only, checked against its MD5), unless they are there already: nothing staff made is
 * lost, and the advice (sayHandChanged) names the copy by its MD5 (`npx vitrine data restore --from <md5>`).
 */
async function keepHandChanged({ ws, handChanged }: { ws: Workspace; handChanged: HandChanged[] }): Promise<void> {
  if (handChanged.length === 0) return;
  const { cacheDir } = await readDvcConfig({ root: ws.root });
  for (const h of handChanged) {
    const dest = objectPath(cacheDir, h.md5);
    h.cachedBefore = await exists(dest);
    if (!h.cachedBefore)
      await copyVerified({ src: path.join(ws.data, h.image), dest, md5: h.md5, readOnly: true, what: h.image });
  }
}

/**
 * A path as one word of a command typed in any shell (cmd, PowerShell, sh): as it is when it holds only letters,
 * digits and . / _ -, as imported file names do; else in double quotes, which all three take around a space.
 */
function commandWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `"${text}"`;
}

/** "data/images/A1.jpg": a photograph's path in data/ as typed in the repository. */
function inData(ws: Workspace, image: string): string {
  return path.relative(ws.root, path.join(ws.data, image)).split(path.sep).join('/');
}

/**
 * Says, object by object (the first five, then the others in one message, each with its command), which changed
 * photograph was replaced and how to get it.
 */
function sayHandChanged({ ws, handChanged, log }: { ws: Workspace; handChanged: HandChanged[]; log: Logger }): void {
  for (const h of handChanged.slice(0, 5)) {
    const file = inData(ws, h.image);
    const replaced = h.putBack
      ? 'import put back the export’s photograph'
      : 'the export has a new photograph for it too, which import stored';
    const kept = h.cachedBefore
      ? 'The changed one is in the data cache already (recorded with data add)'
      : 'The changed one is kept in the data cache';
    log.warn(
      `${h.id}: the photograph in the data folder (${file}) had been changed since the last import (not from the ` +
        `export); ${replaced}. ${kept}: to use it instead, run \`npx vitrine data restore --from ${h.md5} ` +
        `${commandWord(file)}\` and then \`npx vitrine data add\`, and put it in the export too, or the next import ` +
        'puts back the export’s again. ' +
        'Do it before any `npx vitrine data gc`, which removes from the cache what data.dvc does not use.',
      { file },
    );
  }
  if (handChanged.length > 5) {
    // Each with the command that brings it back: its MD5 is known only here.
    const more = handChanged.slice(5);
    const commands = more
      .slice(0, 20)
      .map((h) => `\n  ${h.id}: npx vitrine data restore --from ${h.md5} ${commandWord(inData(ws, h.image))}`);
    log.warn(
      `${more.length} more photographs in the data folder had been changed since the last import ` +
        `(${sample(
          more.map((h) => h.id),
          10,
        )}): import put back the export’s, and kept each changed one in the data cache. To use one instead, run ` +
        'its command below and then `npx vitrine data add`, before any `npx vitrine data gc`:' +
        commands.join('') +
        (more.length > 20 ? `\n  …and ${more.length - 20} more (see --verbose).` : ''),
      { file: 'data/images' },
    );
    for (const h of more.slice(20))
      log.debug(`${h.id}: npx vitrine data restore --from ${h.md5} ${commandWord(inData(ws, h.image))}`);
  }
}

/**
 * The record of the photographs import stored (imported-photographs.ts): those this import compared with the export
 * (`photographs`), and, for an object of the new `table` that keeps its photograph without comparing it (its row
 * refused and kept, its file missing from the export or refused, the export's a shorter copy), the last import's
 * entry when it names the same file, marked kept (importing again would not put the file back). An object with no
 * entry is judged by its path alone, as before the record. A record that cannot be read is said (`log`).
 */
async function storedPhotographs({
  ws,
  photographs,
  table,
  log,
}: {
  ws: Workspace;
  photographs: Map<string, ImportedPhotograph>;
  table: CollectionObject[];
  log: Logger;
}): Promise<Map<string, ImportedPhotograph>> {
  const name = `data/${IMPORTED_PHOTOGRAPHS}`;
  const before = await readImportedPhotographs({
    ws,
    unreadable: (why) =>
      log.warn(
        `${name} cannot be read (${why}), so what it recorded of the photographs earlier imports stored is lost. ` +
          'This import writes it again with the photographs it compares with the export; the others (their files ' +
          'gone from the export, or refused) are told apart by their path alone when they cannot be used.',
        { file: name },
      ),
  });
  const out = new Map<string, ImportedPhotograph>();
  for (const o of table) {
    if (!o.image) continue;
    // Not compared with the export this time: kept, as importing again would keep it.
    const earlier = before?.get(o.id);
    const entry = photographs.get(o.id) ?? (earlier && { ...earlier, kept: true as const });
    if (entry?.image === o.image) out.set(o.id, entry);
  }
  return out;
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b).catch(() => null)]);
  if (!sb?.isFile() || sa.size !== sb.size) return false;
  return (await readFile(a)).equals(await readFile(b));
}

/** The files of data/ (relpaths from it, as the data layer lists them) and its linked folders; none without data/. */
async function listedData({ ws }: { ws: Workspace }): Promise<{ files: string[]; linkedFolders: string[] }> {
  const linkedFolders: string[] = [];
  const isFolder = await stat(ws.data).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const files = isFolder ? await listFiles({ dir: ws.data, root: ws.root, linkedFolders }) : [];
  return { files, linkedFolders };
}

async function removeStaleImages({
  ws,
  listed,
  keep,
  emptied,
  replaced,
  movedFrom,
  log,
}: {
  ws: Workspace;
  /** data/ as listed before the import wrote anything (listedData). */
  listed: { files: string[]; linkedFolders: string[] };
  keep: Set<string>;
  /** Images of objects the export still lists with an empty image cell. */
  emptied: Set<string>;
  /** Images of objects the export still lists with another image file. */
  replaced: Set<string>;
  /** The names images had before they were stored under their format's ending (the same bytes). */
  movedFrom: Set<string>;
  log: Logger;
}): Promise<{ removedImages: string[]; keptImages: string[] }> {
  // As the data layer lists them (.dvcignore honoured), from the listing made before anything was written; an images
  // folder that is a link to another (which that listing does not follow) is listed itself.
  const folder = path.relative(ws.data, ws.images).split(path.sep).join('/');
  const files = listed.linkedFolders.includes(folder)
    ? (await listFiles({ dir: ws.images, root: ws.root })).map((relpath) => `${folder}/${relpath}`)
    : listed.files.filter((relpath) => relpath.startsWith(`${folder}/`));
  const stale = files.filter((relpath) => !keep.has(relpath)).sort(compareIds);
  const removedImages: string[] = [];
  const keptImages: string[] = [];
  if (stale.length === 0) return { removedImages, keptImages };
  const { cacheDir } = await readDvcConfig({ root: ws.root });
  for (const relpath of stale) {
    const file = path.join(ws.data, relpath);
    const cached = await stat(objectPath(cacheDir, await hashFile({ file }))).then(
      () => true,
      () => false,
    );
    if (cached) {
      await rm(file);
      removedImages.push(relpath);
    } else keptImages.push(relpath);
  }
  if (removedImages.length > 0) {
    log.info(
      `Removed ${removedImages.length} image${removedImages.length === 1 ? '' : 's'} from data/ ` +
        `(${whose({ removed: removedImages, emptied, replaced, movedFrom })}). The data cache and remote keep them: checking out an ` +
        `earlier data.dvc brings them back.`,
    );
  }
  if (keptImages.length > 0) {
    log.warn(
      `Kept ${keptImages.length} file${keptImages.length === 1 ? '' : 's'} in data/ that no exported object ` +
        `uses (${sample(keptImages)}): the data cache has no copy, so removing ` +
        `${keptImages.length === 1 ? 'it' : 'them'} would lose ${keptImages.length === 1 ? 'it' : 'them'}. Delete ` +
        `${keptImages.length === 1 ? 'it' : 'them'} by hand if ${keptImages.length === 1 ? 'it is' : 'they are'} not ` +
        `needed.`,
      { file: 'data/images' },
    );
  }
  return { removedImages, keptImages };
}

/**
 * Why images were removed, each reason with its files: "3 whose objects are no longer in the export: a, b, c; 1
 * replaced by another file for the same object: d" (the objects of the last three reasons stay).
 */
function whose({
  removed,
  emptied,
  replaced,
  movedFrom,
}: {
  removed: string[];
  emptied: Set<string>;
  replaced: Set<string>;
  movedFrom: Set<string>;
}): string {
  const empty = removed.filter((r) => emptied.has(r));
  const moved = removed.filter((r) => !emptied.has(r) && movedFrom.has(r));
  const other = removed.filter((r) => !emptied.has(r) && !movedFrom.has(r) && replaced.has(r));
  const left = removed.filter((r) => !emptied.has(r) && !movedFrom.has(r) && !replaced.has(r));
  const reason = (files: string[], single: string, many: string) =>
    files.length === 0 ? '' : `${files.length} ${files.length === 1 ? single : many}: ${sample(files)}`;
  return [
    reason(left, 'whose object is no longer in the export', 'whose objects are no longer in the export'),
    reason(empty, "whose object's image cell is now empty", "whose objects' image cells are now empty"),
    reason(other, 'replaced by another file for the same object', 'replaced by other files for the same objects'),
    reason(
      moved,
      'stored again under the ending of its real format (the same photograph)',
      'stored again under the endings of their real formats (the same photographs)',
    ),
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * An object id as a file name: museums use slashes, spaces and dots in accession numbers. A Windows device name
 * ("CON", "nul", "COM1.2": the part before the first dot) gets "_" after it, so the image can be checked out on
 * Windows.
 */
export function safeFileName(id: string): string {
  return id
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^\.+/, '_')
    .replace(WINDOWS_DEVICE, '$1_');
}
