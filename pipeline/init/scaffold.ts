import { lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, type Pair, parseDocument } from 'yaml';
import { ensureIgnored } from '../cli/core-commands.ts';
import { type ExportTable, exportName, parseExport } from '../collection/export.ts';
import { labelForm, labelShown, withoutPasted } from '../collection/hidden-characters.ts';
import { type ImportResult, importCollection, noImageNamed } from '../collection/import.ts';
import { paramsPath } from '../collection/import-source.ts';
import { decodeExport, readLabels, readObjects, repeatedColumnError } from '../collection/index.ts';
import {
  countLabels,
  type LabelCount,
  labelInList,
  labelList,
  learnableLabels,
  minObjectsPerLabel,
  type NearDuplicate,
  nearDuplicates,
  pastedCharacters,
  tooFewWhy,
  yamlWord,
} from '../collection/vocabulary.ts';
import { controlName } from '../control-characters.ts';
import { emptyParentWords } from '../data/config.ts';
import { addData, initData, pushData, removeDvcRemote, setDvcConfig } from '../data/index.ts';
import { buildDataset } from '../dataset/build.ts';
import { splitOfId } from '../dataset/split.ts';
import { agreedLabels } from '../dataset/validate.ts';
import { messageOf, VitrineError } from '../errors.ts';
import { smallCollectionGate } from '../evaluate/gate.ts';
import { isInside, writeFileAtomic } from '../fs.ts';
import {
  headCommit,
  nameFirstBranch,
  readBytesAtRef,
  repositorySetting,
  stageFiles,
  trackedUnder,
} from '../git/repo.ts';
import { deleteModelTags } from '../git/tags.ts';
import { type Logger, silentLogger, type Whereabouts } from '../log.ts';
import { defaultParams, type Params, parseParams, refuseParamsLink } from '../params.ts';
import { type Workspace, workspace } from '../paths.ts';
import type { Split } from '../types.ts';
import { plural } from '../words.ts';
import { pathFrom, shellWord, vitrineCommandLine, vitrineInvocation } from './invocation.ts';
import { type LanguageGuess, languageWords, recordsLanguage } from './language.ts';
import { type ColumnGuess, guessColumns } from './mapping.ts';
import { museumReadme, nearPath } from './readme.ts';
import { initMarker, unfinishedInit } from './unfinished.ts';
import { copyWorkflows, holdsVitrineActions, noActionsWarning, workflowMark } from './workflows.ts';

/*
 * `vitrine init`: a museum's own Vitrine repository from its collections-management export, in one
 * command. It proposes (column mapping, vocabulary), then writes params.yaml, the data remote, the
 * ignore files, the workflows and a README, imports the collection and stages it all for the first
 * commit. Nothing existing is overwritten.
 */

/** In .vitrine/ (never committed): written before init writes anything, removed when it has finished. */

/** The Vitrine package's own folder (its params.yaml and workflows are the templates). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The remote used when none is given: a folder beside the work tree, ignored by git (as the demo's). */
export const DEFAULT_REMOTE = '.vitrine-remote';
/** The name of the demo's remote in .dvc/config (Vitrine's own repository, the GitHub template). */
const DEMO_REMOTE_NAME = 'local';

export interface RemoteChoice {
  /** A folder (absolute, or relative to the repository) or `s3://bucket/path`. */
  url: string;
  /** A folder typed as a relative path and made absolute here (typed in another folder): .dvc/config keeps it relative. */
  typedRelative?: boolean;
  /** S3-compatible servers other than AWS. */
  endpointurl?: string;
  /** Written to .dvc/config.local only (never committed). */
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface InitProposal {
  from: string;
  images: string;
  table: ExportTable;
  guess: ColumnGuess;
  /** Every label value in the proposed label column, most used first. */
  labels: LabelCount[];
  nearDuplicates: NearDuplicate[];
  /** Labels with enough objects to learn and test. */
  vocabulary: string[];
  /** Labels left out of the proposed vocabulary, with why. */
  leftOut: LabelCount[];
  /**
   * Left-out labels that would have enough objects with their other spellings (other capitals or spaces) counted:
   * a tester's "Pottery" (24) and "pottery" (2), both left out of the 25 needed.
   */
  enoughTogether: { label: string; count: number; spellings: string[] }[];
  /**
   * Labels whose cells hold a character pasted in with them ("Pottery\u200b", "\u200eStatuary", "Jewel\u200dlery"),
   * counted and proposed as `as`, without it; `lines`, the export's lines that hold each.
   */
  pastedCharacters: (LabelCount & { as: string; lines: number[] })[];
  /** The fewest objects a label needed to be proposed (the small-collection fallback's 2 when it applied). */
  minPerLabel: number;
  /** The fewest objects a label needs once two labels have that many (minObjectsPerLabel). */
  fullPerLabel: number;
  name: string;
}

export interface InitChoices {
  columns: Params['import']['columns'];
  keep: string[];
  vocabulary: string[];
  name: string;
  remote: RemoteChoice;
  /** `owner/repo@ref` of Vitrine's GitHub Actions, for the copied workflows. */
  actions?: string;
  /** import.on_invalid for params.yaml: "skip" imports the other rows when some are refused. Default: params.yaml's. */
  onInvalid?: 'skip' | 'fail';
}

/**
 * What is wrong with a remote location, or undefined when the data layer can use it: a folder, or
 * `s3://bucket/path` (any S3-compatible server). Checked before init writes anything, because a
 * repository written with an unusable remote can neither push nor be initialised again.
 */
export function remoteProblem(url: string): string | undefined {
  const kinds = 'Give a folder (../museum-storage, /mnt/collection-store) or S3 storage as s3://bucket/path.';
  if (!url.trim()) return `the storage location is empty. ${kinds}`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  if (!scheme) return undefined;
  if (scheme !== 's3') return `"${url}" is ${scheme}:// storage, which Vitrine cannot use yet. ${kinds}`;
  if (!/^s3:\/\/[^/\s]+(\/|$)/.test(url)) return `"${url}" names no bucket. ${kinds}`;
  return undefined;
}

/** Read the export and propose a mapping, a vocabulary and a name. Changes nothing. */
export async function proposeInit({
  root,
  from,
  images,
  typedIn = root,
}: {
  root: string;
  from: string;
  images?: string;
  /** The folder the command was typed in: --from and --images are relative to it, also with -C. */
  typedIn?: string;
}): Promise<InitProposal> {
  const file = path.resolve(typedIn, from);
  const bytes = await readFile(file).catch(async () => {
    // The README's own `-C ../our-museum --from export/…` means the folder typed in; a person used to git's -C
    // may have named the export from the -C folder: say which rule applies and the path that would work.
    const fromRoot = path.resolve(root, from);
    const meant =
      fromRoot !== file && (await stat(fromRoot).catch(() => undefined))?.isFile()
        ? ` Paths given to init are relative to the folder the command was typed in (${typedIn}), not to -C's: ` +
          `${fromRoot}, which --from ${from} names from the -C folder, is --from ` +
          `${pathFrom({ cwd: typedIn, folder: fromRoot })} from here.`
        : '';
    throw new VitrineError(
      'INIT_EXPORT_MISSING',
      `The export ${file} cannot be read. Give the collections-management ` +
        `export (CSV or JSON Lines) with --from <file>.${meant}`,
      { file },
    );
  });
  // As import reads it: a workbook or a PDF is named for what it is, and text not in UTF-8 is refused, not garbled.
  const shown = exportName({ root, file });
  const table = parseExport({ text: decodeExport({ bytes, file: shown }), file: shown, repeats: 'list' });
  if (table.rows.length === 0)
    throw new VitrineError(
      'INIT_EXPORT_EMPTY',
      `${file} has no rows: export at least the ` + `objects' ids and image files.`,
      { file },
    );
  const guess = guessColumns(table);
  refuseRepeatedGuess(table);
  const name = titleCase(path.basename(path.resolve(root)));
  const proposal = { from: file, images: path.resolve(typedIn, images ?? path.dirname(file)), table, guess, name };
  return { ...proposal, ...proposeVocabulary({ table, labelColumn: guess.columns.label, idColumn: guess.columns.id }) };
}

/** Fields init does not leave to chance: a guess of a column named twice for one of them is refused. */
const CORE_FIELDS = ['id', 'image', 'label', 'title'] as const;

/**
 * The guess never maps a column named twice (the export table leaves it out), but passing over one that looks like
 * the id, image, label or title would quietly map the wrong column or none: that is refused, naming the column.
 * One that looks like a lesser field (two "Notes" columns, the description) is left out and import warns.
 */
function refuseRepeatedGuess(table: ExportTable): void {
  const repeated = table.repeated ?? [];
  if (repeated.length === 0) return;
  // The header in the file's order, repeated names at their first place: names in the same order guess the same.
  const taken = new Map(repeated.map((r) => [r.columns[0]! - 1, r.name]));
  const skipped = new Set(repeated.flatMap((r) => r.columns.slice(1).map((c) => c - 1)));
  const total = table.header.length + repeated.reduce((n, r) => n + r.columns.length, 0);
  const header: string[] = [];
  for (let i = 0, next = 0; i < total; i++) {
    if (taken.has(i)) header.push(taken.get(i)!);
    else if (!skipped.has(i)) header.push(table.header[next++]!);
  }
  const whole = guessColumns({ header, rows: table.rows });
  for (const field of CORE_FIELDS) {
    const column = repeated.find((r) => r.name === whole.columns[field]);
    if (column) throw repeatedColumnError(column);
  }
}

/** Labels with enough objects for about `min_test_per_class` of them to land in the test split. */
export function proposeVocabulary({
  table,
  labelColumn,
  idColumn = '',
}: {
  table: ExportTable;
  labelColumn: string;
  /** The object id's column: an object on several rows (a row per photograph) is counted once. */
  idColumn?: string;
}): Pick<
  InitProposal,
  | 'labels'
  | 'nearDuplicates'
  | 'vocabulary'
  | 'leftOut'
  | 'enoughTogether'
  | 'minPerLabel'
  | 'fullPerLabel'
  | 'pastedCharacters'
> {
  const p = defaultParams().dataset;
  // Objects, not rows: an export with a row per photograph names an object on each of its rows, and import takes it
  // once (tester T6 F8: "Bijou (38)" for 34 objects). A label is counted in the form the dataset stage compares labels
  // in (labelForm): one row's "Ce\u0301ramique" (a Mac's decomposed accent) is "Céramique", not a label of its own
  // beside it in the counts and the "check:" lines (T6 F3). Its capitals are its own: "céramique" stays apart.
  const labels = labelColumn
    ? countLabels(
        table.rows
          .map((r) => {
            const id = idColumn ? (r.cells[idColumn] ?? '').trim() : '';
            return { label: labelForm(r.cells[labelColumn] ?? ''), ...(id ? { objectId: id } : {}) };
          })
          .filter((l) => l.label),
      )
    : [];
  // A small collection takes every label used twice or more rather than none: `min` is the rule that was used.
  const fullPerLabel = minObjectsPerLabel({ minTestPerClass: p.min_test_per_class, testShare: p.split.test });
  // "Pièce" typed on a Mac is "Pie\u0300ce" (the accent a character of its own): the same label, counted and
  // proposed once, in its composed form (NFC), which the dataset stage compares labels in (labelForm). So is
  // "Pottery\u200b", without what was pasted in with it (proposedForm): its rows are named (pastedCharacters).
  const learnable = learnableLabels({ counts: composedCounts(labels), minPerLabel: fullPerLabel });
  const minPerLabel = learnable.min;
  // "Coin" and "coin": one label written two ways, which params.yaml refuses as two classes. The more used
  // spelling is proposed; the other is said as a look-alike below (not as "too few"), to correct in the export.
  const folded = new Set<string>();
  const twins = new Set<string>();
  const vocabulary = learnable.labels.filter((label) => {
    const key = label.toLocaleLowerCase('en');
    if (folded.has(key)) {
      twins.add(label);
      return false;
    }
    folded.add(key);
    return true;
  });
  const chosen = new Set(vocabulary);
  // As counted (composedCounts): "Pottery" once, with its rows of "Pottery\u200b", whose lines import says to
  // correct rather than as left out on purpose (once they had enough: "add it to collection.vocabulary", which
  // refuses it). A label with a control character or a bidi override ("Sculp\u202eture"): import refuses its rows,
  // naming their lines: not proposed, nor said as left out for too few objects.
  const leftOut = composedCounts(labels).filter((l) => !chosen.has(l.label) && !twins.has(l.label));
  // Pairs that are one label once what was pasted in is deleted are said with the rows to correct, not as a pair.
  const duplicates = nearDuplicates(labels.map((l) => l.label)).filter(
    (d) => withoutPasted(d.labels[0]) !== withoutPasted(d.labels[1]),
  );
  // The spellings of one label (capitals, spaces around it) counted together, the most used spelling first.
  const spellingsOf = new Map<string, LabelCount[]>();
  for (const l of composedCounts(labels)) {
    const key = l.label.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
    spellingsOf.set(key, [...(spellingsOf.get(key) ?? []), l]);
  }
  const enoughTogether = [...spellingsOf.values()]
    .filter((group) => group.length > 1 && group.every((l) => !chosen.has(l.label)))
    .map((group) => ({
      label: group[0]!.label,
      count: group.reduce((sum, l) => sum + l.count, 0),
      spellings: group.slice(1).map((l) => l.label),
    }))
    .filter((group) => group.count >= fullPerLabel);
  const pastedCharacters = labels
    .filter((l) => proposedForm(l.label) !== undefined && withoutPasted(l.label) !== l.label)
    .map((l) => {
      const lines = table.rows.filter((r) => labelForm(r.cells[labelColumn] ?? '') === l.label).map((r) => r.line);
      // Said of the export's rows, which are to correct: as many as its lines.
      return { ...l, count: lines.length, as: proposedForm(l.label)!, lines };
    });
  return {
    labels,
    nearDuplicates: duplicates,
    vocabulary,
    leftOut,
    enoughTogether,
    minPerLabel,
    fullPerLabel,
    pastedCharacters,
  };
}

/**
 * A label as init counts and proposes it: without what was pasted in with it (a zero-width space, a joiner that joins
 * nothing, a direction mark before a Latin word: withoutPasted), which params.yaml refuses, in the form labels are
 * compared in (labelForm). Undefined for one import refuses the rows of (a control character or a bidi override), and
 * for a cell that held nothing else.
 */
function proposedForm(label: string): string | undefined {
  if ([...label].some((c) => controlName(c) !== undefined)) return undefined;
  // Trimmed again: a space the CSV kept because the character stood behind it ("Pottery \u200b") is no part of the
  // label, and a cell that held only the character holds no label (params.yaml refuses both).
  const form = labelForm(withoutPasted(label)).trim();
  return form === '' ? undefined : form;
}

/**
 * Objects per label, a label's accents encoded two ways (composed é, or e and a combining accent), or its words apart
 * by a no-break space or a plain one, or a character pasted in with it, counted as one (proposedForm, as params.yaml
 * and labels.csv are read). A label import refuses is not counted.
 */
export function composedCounts(labels: LabelCount[]): LabelCount[] {
  const counts = new Map<string, number>();
  for (const l of labels) {
    const form = proposedForm(l.label);
    if (form !== undefined) counts.set(form, (counts.get(form) ?? 0) + l.count);
  }
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
}

/**
 * A look-alike pair in words. A character pasted in with a label is written by its code (labelShown), as it does not
 * show. Accents encoded two ways are no pair: the labels are counted in one form (proposeVocabulary).
 */
export function lookAlike(d: NearDuplicate): string {
  const [a, b] = d.labels.map(labelShown);
  return `"${a}" and "${b}" look like one label written two ways`;
}

/**
 * What a look-alike pair means for training, when one of the two is in the vocabulary and the other is not: `: the 1
 * object labelled "bowl" is left out of training until its label is written "Bowl" (…)`; "" otherwise. init copies
 * the labels as they are, so a tester read "check:" as a note and found the object missing from training later.
 */
export function lookAlikeLeftOut({
  pair,
  labels,
  vocabulary,
}: {
  pair: NearDuplicate;
  labels: LabelCount[];
  vocabulary: readonly string[];
}): string {
  const chosen = pair.labels.filter((l) => vocabulary.includes(labelForm(l)));
  if (chosen.length !== 1) return '';
  const kept = chosen[0]!;
  const other = pair.labels.find((l) => l !== kept)!;
  const count = labels.filter((l) => l.label === other).reduce((sum, l) => sum + l.count, 0);
  if (count === 0) return '';
  const one = count === 1;
  return (
    `: the ${plural(count, 'object')} labelled "${labelShown(other)}" ${one ? 'is' : 'are'} left ` +
    `out of training until ${one ? 'its' : 'their'} label is written "${labelShown(kept)}" (in labels.csv, or in ` +
    'the collections system before the next import)'
  );
}

/**
 * Labels of a vocabulary typed for init (--vocabulary, or the answer to its question) with a character pasted in, which
 * params.yaml would refuse on a line init wrote: `"Pottery<U+200B>" has a character that does not show (U+200B, a
 * zero-width space, written here as its code), which params.yaml refuses in a label: delete it`; undefined when none.
 */
export function pastedInVocabulary(vocabulary: readonly string[]): string | undefined {
  const words = vocabulary
    .filter((label) => withoutPasted(label) !== label)
    .map((label) => {
      const { what, them } = pastedCharacters(label);
      return `"${labelShown(label)}" has ${what}, which params.yaml refuses in a label: delete ${them}`;
    });
  return words.length > 0 ? words.join('; ') : undefined;
}

/**
 * `"Pottery<U+200B>" (6 rows, on lines 22, 23, 24, 25, 26 and 1 more of objects.csv) has a character that does not
 * show (U+200B, a zero-width space, written here as its code): counted as "Pottery". Delete it …`: a label of the
 * export with a character pasted in (pastedCharacters), which init proposes without it; import copies it as it is.
 */
export function pastedNote({
  label,
  count,
  as,
  lines,
  exportName,
}: LabelCount & { as: string; lines: number[]; exportName: string }): string {
  const { what, them } = pastedCharacters(label);
  const shown = lines.slice(0, 5).join(', ');
  const more = lines.length > 5 ? ` and ${lines.length - 5} more` : '';
  return (
    `"${labelShown(label)}" (${plural(count, 'row')}, on line${lines.length === 1 ? '' : 's'} ${shown}${more} of ` +
    `${exportName}) has ${what}: counted as "${as}". Delete ${them} in the collections system and export again, ` +
    `then run vitrine import: until then labels.csv has ${them} too, and the dataset stage skips ` +
    `${count === 1 ? 'that line' : 'those lines'}.`
  );
}

export interface InitResult {
  written: string[];
  kept: string[];
  /** Workflows already in .github/workflows, left as they are. */
  keptWorkflows: string[];
  /** collection.branch: the branch the workflows run on and models are promoted on. */
  branch: string;
  /** collection.repository: the museum's GitHub repository (owner/name), "" when init could not tell. */
  repository: string;
  /** The data remote's folder when it is inside the repository (".vitrine-remote"): on this computer only. */
  remoteInRepository?: string;
  imported: ImportResult;
  pushed?: { transferred: number; skipped: number };
  pushError?: string;
  /**
   * The data remote refused the images for a reason that waits for a fix, not for the server to answer: no such
   * bucket ("bucket": the url in .dvc/config), a key refused ("key") or none on this computer ("no-key"), a folder remote
   * not there or not writable ("folder"), a clock the server refuses ("clock"). init then exits 1, with the fix first
   * under "Next:".
   */
  pushRefused?: PushRefusal;
  /** The gate settings written for a collection too small to reach gate.min_test_objects (smallCollectionValues). */
  smallCollection?: SmallCollection;
  /** catalogue.language as read from the records (recordsLanguage): written when clear, else left "en" and said. */
  language: LanguageGuess;
}

/**
 * A collection whose test split cannot reach gate.min_test_objects even with every photographed object labelled: the
 * settings vitrine init writes in its place (docs/metrics.md, "Small collections"), and the counts they rest on.
 */
export interface SmallCollection {
  /** Objects with a photograph that fall in the test split (dataset.split), labelled or not. */
  photographedInTest: number;
  /** Of those, labelled with a label of the vocabulary: what a first model is scored on. */
  labelledInTest: number;
  /** gate.min_test_objects as the default params.yaml has it, which the collection cannot reach. */
  defaultMinimum: number;
  /** gate.min_test_objects and gate.max_macro_f1_drop written. */
  minimum: number;
  drop: number;
}

/**
 * The small-collection gate settings for a new repository, or undefined when its test split can reach
 * gate.min_test_objects (or holds no labelled object to set a minimum from: the first run's report then names the
 * settings, withSmallCollectionWayOut). `objects` with an image are counted: those the dataset stage kept, with its
 * splits (smallCollectionOf), or, without a split, each id's; `labels` are each object's label.
 */
export function smallCollectionValues({
  objects,
  labels,
  params,
}: {
  /** `split` as the dataset stage gave it; without it, the split of the id. */
  objects: readonly { id: string; image: string; split?: Split }[];
  labels: ReadonlyMap<string, string>;
  params: Params;
}): SmallCollection | undefined {
  const vocabulary = new Set(params.collection.vocabulary);
  const inTest = objects.filter(
    (o) => o.image && (o.split ?? splitOfId({ id: o.id, ...params.dataset.split })) === 'test',
  );
  const labelledInTest = inTest.filter((o) => vocabulary.has(labels.get(o.id) ?? '')).length;
  const defaultMinimum = params.gate.min_test_objects;
  if (inTest.length >= defaultMinimum || labelledInTest === 0) return undefined;
  const { minimum, drop } = smallCollectionGate({ scored: labelledInTest, maxDrop: params.gate.max_macro_f1_drop });
  return { photographedInTest: inTest.length, labelledInTest, defaultMinimum, minimum, drop };
}

/**
 * smallCollectionValues for the collection init has just imported, counting only the photographs the dataset stage
 * will use: tester T9's 16×16 stub in the test split was counted, and the first run had one labelled test object
 * fewer than the minimum init wrote. The dataset stage's own build decides (too small, over the pixel limit,
 * unreadable, a placeholder), in a folder removed after. Built only when every named photograph already falls short
 * of the default minimum: a large collection's init does not analyse each image for a setting it does not write.
 */
async function smallCollectionOf({
  ws,
  params,
}: {
  ws: Workspace;
  params: Params;
}): Promise<SmallCollection | undefined> {
  const named = smallCollectionValues({
    objects: (await readObjects({ file: ws.objects })).objects,
    labels: new Map(
      agreedLabels({ labels: await readLabels({ file: ws.labels }), blanks: [] }).map((l) => [l.objectId, l.label]),
    ),
    params,
  });
  if (!named) return undefined;
  const dir = await mkdtemp(path.join(ws.work, 'init-dataset-'));
  try {
    const { objects } = await buildDataset({ ws: { ...ws, dataset: dir }, params, log: silentLogger });
    return smallCollectionValues({
      objects: objects.map((o) => ({ id: o.id, image: o.imageMd5, split: o.split })),
      labels: new Map(objects.flatMap((o) => (o.label ? [[o.id, o.label] as const] : []))),
      params,
    });
  } catch (error) {
    // What stops the dataset stage stops the first run too, which says so; its report names the settings after.
    if (error instanceof VitrineError) return undefined;
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type PushRefusal = 'bucket' | 'key' | 'no-key' | 'folder' | 'full' | 'clock' | 'slow';

/** How far init has got: `written` once the repository is whole and only the images' push is left. */
export interface InitWhereabouts extends Whereabouts {
  written?: boolean;
}

/** Which setting a push error says is wrong; undefined for a server that did not answer (or anything else). */
function pushRefusal(error: unknown): PushRefusal | undefined {
  const code = error instanceof VitrineError ? error.code : '';
  if (code === 'REMOTE_NO_BUCKET') return 'bucket';
  if (code === 'REMOTE_ACCESS_DENIED') return 'key';
  if (code === 'REMOTE_NO_CREDENTIALS') return 'no-key';
  if (code === 'REMOTE_FOLDER_MISSING' || code === 'REMOTE_NOT_WRITABLE') return 'folder';
  // A full disk does not empty itself either (an outside tester: exit 0 with 20 of 59 images not sent).
  if (code === 'REMOTE_DISK_FULL') return 'full';
  // Nor a clock the server refuses even with its own time (an outside tester read "when it is reachable").
  if (code === 'REMOTE_CLOCK_SKEW') return 'clock';
  // Nor uploads the server finds too slow (refused as too old while the clocks agree): sending again is as slow.
  if (code === 'REMOTE_TOO_SLOW') return 'slow';
  return undefined;
}

/** Write the repository and import the collection. Refuses a folder that already holds a Vitrine collection. */
export async function initRepository({
  root: rootIn,
  proposal,
  choices,
  log,
  where = {},
}: {
  root: string;
  proposal: InitProposal;
  choices: InitChoices;
  log: Logger;
  /** Kept saying how far init has got, for the message of an init stopped by Ctrl-C (`sayWhenStopped`). */
  where?: InitWhereabouts;
}): Promise<InitResult> {
  const root = path.resolve(rootIn);
  const ws = workspace(root);
  // Neither read nor written through a link: writing the new settings would replace the file it leads to.
  await refuseParamsLink({ file: ws.params, name: 'params.yaml' });
  // In a copy of Vitrine's own repository (a GitHub template) the demo collection is there to be replaced.
  const demo = await holdsOnlyTheDemo(ws);
  // Read before params.yaml is replaced: the demo's models are tagged under its registry.model_name.
  const demoModel = demo ? await modelNameOf(ws) : undefined;
  // An init stopped halfway is done again rather than taken for a collection (unfinished.ts).
  const marker = initMarker(ws);
  const unfinished = !demo && (await unfinishedInit({ ws })) !== null;
  if (!demo && !unfinished) {
    for (const file of [ws.params, ws.labels, ws.dataDvc, ws.data]) {
      if (await exists(file)) {
        throw new VitrineError(
          'INIT_EXISTS',
          `${path.relative(root, file)} already exists in ${root}: this folder ` +
            `already holds a Vitrine collection. To bring in a newer export, run ` +
            `"${await vitrineCommandLine({ root, args: `import --metadata ${shellWord(proposal.from)}` })}" instead.`,
          { file: path.relative(root, file) },
        );
      }
    }
  }
  const badRemote = remoteProblem(choices.remote.url);
  if (badRemote) throw new VitrineError('INIT_REMOTE', `The data remote: ${badRemote} Nothing was written.`);
  if (choices.vocabulary.length < 2) {
    throw new VitrineError(
      'INIT_VOCABULARY',
      `The vocabulary needs at least two labels (found: ` +
        `${labelList(choices.vocabulary) || 'none'}). ${labelColumnAdvice({ proposal, columns: choices.columns })}` +
        `, or give --vocabulary "a,b,…".`,
    );
  }
  const imageColumn = choices.columns.image;
  if (!proposal.table.rows.some((row) => imageColumn && row.cells[imageColumn]?.trim())) {
    const name = path.basename(proposal.from);
    throw new VitrineError(
      'INIT_NO_IMAGES',
      `${noImageNamed({ rows: proposal.table.rows.length, name, column: imageColumn })} Nothing was written.`,
      { file: name },
    );
  }
  await mkdir(root, { recursive: true });
  if (unfinished)
    log.info(
      `An earlier vitrine init in this folder did not finish (${path.relative(root, marker)} or data.dvc and .git ` +
        'missing): doing it again with this export.',
    );
  const madeWork = await mkdir(ws.work, { recursive: true });
  await writeFile(marker, 'vitrine init started here and has not finished; running it again finishes it.\n');
  where.now = () =>
    'vitrine init had not finished writing the repository and importing the export: run the same init command ' +
    'again to finish it (it does those steps again).';
  const written: string[] = [];
  const kept: string[] = [];
  const replaceable = new Set(demo || unfinished ? ['params.yaml', 'README.md'] : []);
  const write = async (relpath: string, data: string) => {
    const file = path.join(root, relpath);
    if (!replaceable.has(relpath) && (await exists(file))) return void kept.push(relpath);
    await writeFileAtomic({ file, data });
    written.push(relpath);
  };

  // Import first: a refused row stops here, before any file of the new repository is written.
  const language = recordsLanguage({ rows: proposal.table.rows, columns: choices.columns });
  const text = await paramsText({ root, proposal, choices, language });
  const params = parseParams({ text, name: 'params.yaml' });
  // The demo's labels are replaced by the export's; an export without labels leaves an empty labels.csv.
  const exportLabels =
    Boolean(params.import.columns.label) && proposal.table.header.includes(params.import.columns.label);
  const imported = await importCollection({
    ws,
    params,
    log,
    // A half-made init's labels.csv came from an export: this one's replace it.
    labels: (demo || unfinished) && exportLabels ? 'replace' : 'merge',
    announceReplace: !demo && !unfinished,
    skipHint: 'run vitrine init again with --on-invalid skip',
    missingImages: 'fail',
    // The new repository is the export: the demo's objects (or a half-made init's) are meant to go.
    removeMissing: true,
    // Nor does a demo object keep its row because an export row with its id was refused.
    keepRefused: false,
    // Left out for too few objects, as init has just said: kept, not labels to fix.
    leftOut: proposal.leftOut.map((l) => l.label),
    // Said with the proposal, before the column names it is above (outside tester T6 F4: said twice).
    aboveHeaderSaid: true,
  }).catch(async (error: unknown) => {
    // Import writes all or nothing: when it stops, this folder is as it was, so a marker this init wrote goes too.
    if (!unfinished) await rm(madeWork ?? marker, { recursive: true, force: true });
    throw error;
  });
  if ((demo || unfinished) && !exportLabels) await writeFileAtomic({ file: ws.labels, data: 'object_id,label\n' });
  // A collection too small for the gate's default minimum of test objects: no model could pass it, so params.yaml
  // gets the small-collection settings the first report would otherwise name (docs/metrics.md, "Small collections").
  const small = await smallCollectionOf({ ws, params });
  const finalText = small ? await paramsText({ root, proposal, choices, language, small }) : text;
  if (demo) {
    log.info(
      'Replaced the demo collection of this copy of Vitrine (params.yaml, labels.csv, data/, data.dvc, README.md).',
    );
    await retireDemoModels({ ws, model: demoModel!, log });
  }
  await write('params.yaml', finalText);

  // The data remote: DVC's own files, so `dvc pull` works on this repository too.
  const remote = choices.remote;
  const remoteUrl = remote.typedRelative ? path.relative(root, remote.url) || '.' : remote.url;
  const { createdFolder, emptyParent } = await initData({ root, remoteName: 'storage', remoteUrl });
  // The demo's remote goes with the demo: left beside the museum's, `dvc push -r local` would still reach it.
  if (demo) await removeDvcRemote({ root, name: DEMO_REMOTE_NAME });
  if (createdFolder) log.info(`Made the folder ${createdFolder} to hold the images.`);
  if (emptyParent) log.warn(emptyParentWords({ folder: createdFolder!, parent: emptyParent }));
  if (remote.endpointurl) {
    await setDvcConfig({
      root,
      values: [{ section: 'remote "storage"', key: 'endpointurl', value: remote.endpointurl }],
    });
  }
  if (remote.accessKeyId || remote.secretAccessKey) {
    // Keys only in config.local, which .dvc/.gitignore keeps out of git.
    await setDvcConfig({
      root,
      local: true,
      values: [
        ...(remote.accessKeyId
          ? [{ section: 'remote "storage"', key: 'access_key_id', value: remote.accessKeyId }]
          : []),
        ...(remote.secretAccessKey
          ? [{ section: 'remote "storage"', key: 'secret_access_key', value: remote.secretAccessKey }]
          : []),
      ],
    });
  }
  written.push('.dvc/config', '.dvc/.gitignore', '.dvcignore');

  const remoteFolder = path.resolve(root, remote.url);
  const inRepository = !/^[a-z][a-z0-9+.-]*:\/\//i.test(remote.url) && isInside(root, remoteFolder);
  const localRemote = inRepository ? path.relative(root, remoteFolder).split(path.sep).join('/') : '';
  const exportIgnored = exportInRepository({ root, from: proposal.from, images: proposal.images });
  const ignore = [
    '/.vitrine/',
    '/node_modules/',
    ...(localRemote ? [`/${localRemote}/`] : []),
    '/data',
    ...(exportIgnored.length ? [EXPORT_IGNORED_NOTE, ...exportIgnored.map((e) => e.pattern)] : []),
  ];
  if (await exists(path.join(root, '.gitignore'))) await ensureIgnored({ root, patterns: ignore });
  else
    await write(
      '.gitignore',
      `# Vitrine: stage outputs and caches (delete .vitrine/ to start clean), and the ` +
        `images (data.dvc versions them)\n${ignore.join('\n')}\n`,
    );
  written.push('.gitignore');
  if (exportIgnored.length)
    log.info(
      `The export's ${exportIgnored.map((e) => e.shown).join(' and ')} ${exportIgnored.length === 1 ? 'is' : 'are'} ` +
        `inside the repository: added to .gitignore (${exportIgnored.map((e) => e.pattern).join(', ')}), so that a ` +
        '"git add ." or a git app\'s "commit all" does not put the raw export' +
        `${exportIgnored.some((e) => e.folder) ? ' and its master photographs' : ''} into git. ` +
        '"vitrine import" still reads them there.',
    );
  // Committed before init, the export stays tracked: .gitignore keeps out only what git does not track yet, so each
  // new export copied there would be committed again ("git commit -a"). Said with the command; not run for the museum.
  // Only added ("git add"), never committed, it is tracked all the same, and said so (reviewer V11).
  for (const e of exportIgnored) {
    const tracked = await trackedUnder({ dir: root, path: e.relative });
    if (tracked.length === 0) continue;
    const command = `"git rm ${e.folder ? '-r ' : ''}--cached ${shellWord(e.relative)}", then commit.`;
    log.warn(
      (await anyCommitted({ root, files: tracked }))
        ? `The export's ${e.shown} was committed to git before init (${plural(tracked.length, 'file')}), so git ` +
            'still tracks it: .gitignore keeps out only files git does not track yet, and each new export copied ' +
            'there would be committed again. To stop tracking it (the files stay on this computer, and in the ' +
            `earlier commits), run ${command}`
        : `The export's ${e.shown} was added to git before init (${plural(tracked.length, 'file')}, not committed ` +
            'yet), so git tracks it: .gitignore keeps out only files git does not track yet, and the next commit ' +
            'would take it in, as each new export copied there. To stop tracking it (the files stay on this ' +
            `computer), run ${command}`,
    );
  }
  // Reviewer V10: photographs in the repository's own folder (--images .) cannot be kept out by a folder line, and the
  // note above said they were.
  if (path.resolve(proposal.images) === path.resolve(root) || isInside(proposal.images, root))
    log.warn(
      `The export's photographs are in the repository's own folder (${proposal.images}): .gitignore cannot keep ` +
        'them out of git without keeping out the repository, so a "git add ." or a git app\'s "commit all" would ' +
        'put every master photograph into git. Move them into a folder of their own (say export/images/, which ' +
        'init adds to .gitignore) and run "vitrine init" again with --images there; data/ and data.dvc already ' +
        "hold Vitrine's copy of each.",
    );
  if (await labelsLineEnds({ root })) written.push('.gitattributes');
  const workflows = await writeWorkflows({ root, actions: choices.actions, log, unfinished });
  written.push(...workflows.written);
  const readme = museumReadme({
    name: choices.name,
    root,
    remote,
    vocabulary: choices.vocabulary,
    from: path.basename(proposal.from),
    repository: params.collection.repository,
    run: await vitrineInvocation({ root }),
  });
  await write('README.md', readme);

  await addData({ root, target: 'data', log, pushNext: true, written: true });
  written.push('data.dvc', 'labels.csv');
  // The repository is whole before the images are sent: a push stopped by Ctrl-C, or one that fails, leaves a
  // finished init, and "data push" sends the rest.
  await stageForCommit({ root, branch: params.collection.branch, files: written });
  await sayBranch({ root, branch: params.collection.branch, log });
  await rm(marker, { force: true });
  const pushing: Whereabouts = {};
  where.written = true;
  where.now = () =>
    'The repository is written and the collection imported; init was sending the images to the data remote: ' +
    (pushing.now?.() ?? 'nothing was sent yet.');
  let pushed: InitResult['pushed'];
  let pushError: string | undefined;
  let pushRefused: PushRefusal | undefined;
  try {
    pushed = await pushData({ root, log, where: pushing });
  } catch (error) {
    // The collection is imported either way; sending it can be retried.
    pushError = messageOf(error);
    pushRefused = pushRefusal(error);
    if (pushRefused) {
      // A wrong bucket or key does not fix itself: an error, and init exits 1 (a script with --yes sees only that).
      log.error(
        `The images could not be sent to the data remote: ${pushError} Everything else is written, and data/ and ` +
          'the local cache hold every image: the steps under "Next:" below correct the remote and send them.',
      );
    } else {
      // A push that stopped part-way already says to run "data push" again: once is enough.
      const advice = /vitrine data push/.test(pushError) ? '' : ' Run "npx vitrine data push" when it is reachable.';
      log.warn(`The images could not be sent to the data remote yet: ${pushError}${advice}`);
    }
  }
  return {
    written: [...new Set(written)],
    kept,
    keptWorkflows: workflows.kept,
    branch: params.collection.branch,
    repository: params.collection.repository,
    ...(localRemote ? { remoteInRepository: localRemote } : {}),
    imported,
    pushed,
    pushError,
    ...(pushRefused ? { pushRefused } : {}),
    ...(small ? { smallCollection: small } : {}),
    language,
  };
}

/** The comment above the export's lines in .gitignore. */
const EXPORT_IGNORED_NOTE =
  "# The museum's export, read by vitrine import from here: not committed (data.dvc versions the images)";

/**
 * The export's file's folder and its images folder when inside the repository (README's own example:
 * --from export/objects.csv --images export/images), as .gitignore patterns from the top (`/export/`), one folder
 * holding the other named once; the export file alone when it sits at the top. Untracked and not ignored, the first
 * "git add ." put the raw export and every master photograph into git's history (outside tester T6 F11). The
 * repository's own folder as the images folder cannot be ignored, and is not.
 */
export function exportInRepository({
  root,
  from,
  images,
}: {
  root: string;
  from: string;
  images: string;
}): { pattern: string; shown: string; folder: boolean; relative: string }[] {
  const folders = [path.dirname(from), images].filter((f) => isInside(root, f));
  const outer = folders.filter((f, i) => folders.indexOf(f) === i && !folders.some((o) => o !== f && isInside(o, f)));
  const found = outer.map((f) => ({ relative: path.relative(root, f), folder: true }));
  if (path.dirname(from) === root) found.unshift({ relative: path.basename(from), folder: false });
  return found.map(({ relative, folder }) => {
    const slashed = relative.split(path.sep).join('/');
    return {
      pattern: ignorePattern(slashed, folder),
      shown: `${folder ? 'folder' : 'file'} ${slashed}${folder ? '/' : ''}`,
      folder,
      relative: `${slashed}${folder ? '/' : ''}`,
    };
  });
}

/**
 * `relative` (with /) as a .gitignore pattern from the repository's top: characters git reads as wildcards or escapes
 * ("Export [2026]") escaped, and a trailing space kept.
 */
function ignorePattern(relative: string, folder: boolean): string {
  const escaped = relative.replace(/[\\*?[]/g, '\\$&').replace(/ $/, '\\ ');
  return `/${escaped}${folder ? '/' : ''}`;
}

/** params.yaml from Vitrine's own (every key commented), with this collection's answers. */
async function paramsText({
  root,
  proposal,
  choices,
  language,
  small,
}: {
  root: string;
  proposal: InitProposal;
  choices: InitChoices;
  /** The records' language: written to catalogue.language when clear; either way the comment says what init made of it. */
  language: LanguageGuess;
  /** The gate settings of a collection too small for the default minimum of test objects, written with why. */
  small?: SmallCollection;
}): Promise<string> {
  const doc = parseDocument(await readFile(path.join(PACKAGE_ROOT, 'params.yaml'), 'utf8'));
  // Relative to the repository, as docs/import.md says, also outside it (../export/objects.csv), so a clone
  // beside the same export works; absolute only when there is no relative path (another Windows drive).
  const place = (file: string) => paramsPath({ root, file });
  // A museum's repository has no pipeline/ folder of its own when Vitrine runs from its folder with -C; the
  // folder is named as the README names it (no absolute folder of this machine in a committed file).
  const toVitrine = nearPath({ from: root, to: PACKAGE_ROOT }) ?? 'path/to/vitrine';
  const reference = toVitrine === '.' ? 'pipeline/params.ts' : `${toVitrine}/pipeline/params.ts (in Vitrine's folder)`;
  // The demo generator's settings mean nothing for a museum's collection (their defaults apply if ever needed).
  doc.delete('demo');
  doc.setIn(['collection', 'name'], choices.name);
  doc.setIn(['collection', 'vocabulary'], doc.createNode(choices.vocabulary));
  // The museum's GitHub repository, for the catalogue's "Suggest a correction" links (an outside tester: left
  // empty even with a github.com origin, the catalogue had none, though both READMEs promise them).
  doc.setIn(['collection', 'repository'], (await gitHubRepositoryOf({ dir: root })) ?? '');
  doc.setIn(['import', 'metadata'], place(proposal.from));
  doc.setIn(['import', 'images'], place(proposal.images));
  for (const [field, column] of Object.entries(choices.columns)) doc.setIn(['import', 'columns', field], column);
  doc.setIn(['import', 'keep'], doc.createNode(choices.keep));
  if (choices.onInvalid) doc.setIn(['import', 'on_invalid'], choices.onInvalid);
  doc.setIn(['catalogue', 'title'], `${choices.name} — Online Collection`);
  if (language.language) doc.setIn(['catalogue', 'language'], language.language);
  const catalogue = doc.get('catalogue', true);
  const languagePair = isMap(catalogue)
    ? catalogue.items.find((p: Pair) => isScalar(p.key) && p.key.value === 'language')
    : undefined;
  if (languagePair && isScalar(languagePair.key)) languagePair.key.commentBefore = languageWords(language).comment;
  const counts = new Map(composedCounts(proposal.labels).map((l) => [l.label, l.count]));
  const tooFew = tooFewWhy(proposal.minPerLabel, proposal.fullPerLabel);
  const notes = [
    ` Proposed by vitrine init from the export's labels: ` +
      `${choices.vocabulary.map((v) => `${labelInList(v)} (${counts.get(v) ?? 0})`).join(', ')}.`,
    ...(proposal.leftOut.length
      ? [
          ` Left out, ${tooFew.few}: ` +
            `${proposal.leftOut.map((l) => `${labelInList(l.label)} (${l.count})`).join(', ')}. ${tooFew.why}`,
        ]
      : []),
    ...proposal.nearDuplicates.map((d) => ` Check: ${lookAlike(d)}.`),
  ];
  const collection = doc.get('collection', true);
  if (isMap(collection)) {
    const pair = collection.items.find((p: Pair) => isScalar(p.key) && p.key.value === 'vocabulary');
    if (pair && isScalar(pair.key)) pair.key.commentBefore = notes.join('\n');
  }
  if (small) {
    doc.setIn(['gate', 'min_test_objects'], small.minimum);
    doc.setIn(['gate', 'max_macro_f1_drop'], small.drop);
    const gate = doc.get('gate', true);
    const first = isMap(gate) ? gate.items[0] : undefined;
    if (first && isScalar(first.key))
      first.key.commentBefore = [
        ` Set by vitrine init for a small collection: its test split holds ${small.photographedInTest} objects with a ` +
          `photograph (${small.labelledInTest} of them labelled), fewer than the ${small.defaultMinimum} labelled ` +
          'test objects the gate asks for by default, so no model could pass.',
        ` min_test_objects is about the labelled test objects there are, and max_macro_f1_drop about three objects' ` +
          'worth. Raise min_test_objects and lower max_macro_f1_drop (default 0.02) as the collection grows ' +
          '(docs/metrics.md, “Small collections”).',
      ].join('\n');
  }
  const body = doc
    .toString({ lineWidth: 0 })
    .replace(
      /See pipeline\/params\.ts for what each key means\./,
      `The comment above each key says what it means; every key with its default:\n# ${reference}.`,
    );
  return `# ${choices.name}: first written by vitrine init from ${path.basename(proposal.from)}.\n${body}`;
}

/** Vitrine's workflows, with its local actions (./actions/…) pointed at Vitrine's repository when known. */
async function writeWorkflows({
  root,
  actions,
  log,
  unfinished = false,
}: {
  root: string;
  actions?: string;
  log: Logger;
  /** An init stopped halfway wrote some: those are this init's own, staged with the rest. */
  unfinished?: boolean;
}): Promise<{ written: string[]; kept: string[] }> {
  const ref = actions ?? (await vitrineActionsRef());
  // A branch or tag can move: what runs on the museum's runner (with write access, for promote) would change
  // without a pull request. GitHub's advice is a full commit (a tester: --actions owner/repo wrote @main).
  if (ref) warnMovingRef({ ref, log });
  // Copying Vitrine's actions/ folder alone, as init once advised, left workflows whose install fails (npm ci with
  // no package-lock.json): only a whole copy of Vitrine runs ./actions/….
  else if (!(await holdsVitrineActions(root))) log.warn(await noActionsWarning({ root }));
  const copied = await copyWorkflows({ root, ref });
  if (!unfinished) return copied;
  // An outside tester: after Ctrl-C and the same init again, "the 7 workflows were already there (kept)" and none
  // was staged, so the first commit went to GitHub without them. Those with Vitrine's mark are init's own.
  const ours: string[] = [];
  for (const file of copied.kept) {
    const text = await readFile(path.join(root, file), 'utf8').catch(() => '');
    if (workflowMark(text)) ours.push(file);
  }
  return { written: [...copied.written, ...ours], kept: copied.kept.filter((f) => !ours.includes(f)) };
}

/** A branch or tag as the actions' version: said to move. */
export function warnMovingRef({ ref, log }: { ref: string; log: Logger }): void {
  const version = ref.split('@')[1];
  if (/^[0-9a-f]{40}$/.test(version ?? '')) return;
  log.warn(
    `The workflows use Vitrine's actions at "${version ?? 'main'}", a ${version ? 'name' : 'branch'} that can ` +
      `move: what runs on your runner would change without a pull request in this repository. Give a commit ` +
      `instead, --actions ${ref.split('@')[0]}@<the 40-character commit>, or edit the "uses:" lines in ` +
      '.github/workflows before pushing.',
  );
}

/**
 * `owner/repo@commit` of the Vitrine checkout running this, from its git origin; undefined when not a GitHub clone.
 * A clone of a local clone (origin a folder) follows that folder's origin, a few steps at most.
 */
export async function vitrineActionsRef({ dir = PACKAGE_ROOT }: { dir?: string } = {}): Promise<string | undefined> {
  try {
    let where: { dir: string } | { gitdir: string } = { dir };
    for (let step = 0; step < 5; step++) {
      const url = await repositorySetting({ where, setting: 'remote.origin.url' });
      if (typeof url !== 'string') return undefined;
      const match = /github\.com[:/]([\w.-]+\/[\w.-]+?)(\.git)?\/?$/.exec(url);
      const head = match ? await headCommit({ dir }) : null;
      if (match) return head ? `${match[1]}@${head}` : undefined;
      // A local origin: a path (relative to the clone) or a file:// URL; a bare repository is its own git folder.
      if (/^[\w+.-]+:\/\//.test(url) && !url.startsWith('file://')) return undefined;
      const from: string = 'dir' in where ? where.dir : where.gitdir;
      const local: string = url.startsWith('file://') ? fileURLToPath(url) : path.resolve(from, url);
      where = (await exists(path.join(local, '.git'))) ? { dir: local } : { gitdir: local };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * `owner/name` of the repository at `dir` from its own origin when that is on github.com; undefined otherwise (no
 * repository there yet, no origin, another server). Only `dir`'s own .git: a folder inside Vitrine's clone is not it.
 */
export async function gitHubRepositoryOf({ dir }: { dir: string }): Promise<string | undefined> {
  if (!(await exists(path.join(dir, '.git')))) return undefined;
  const url = await repositorySetting({ where: { dir }, setting: 'remote.origin.url' }).catch(() => undefined);
  if (typeof url !== 'string') return undefined;
  return /^(?:[\w+]+:\/\/)?(?:[^@/]+@)?github\.com[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url.trim())?.[1];
}

/** registry.model_name of the params.yaml here (the default when it names none or cannot be read). */
async function modelNameOf(ws: ReturnType<typeof workspace>): Promise<string> {
  const fallback = defaultParams().registry.model_name;
  try {
    const js = parseDocument(await readFile(ws.params, 'utf8')).toJS() as { registry?: { model_name?: unknown } };
    return typeof js?.registry?.model_name === 'string' ? js.registry.model_name : fallback;
  } catch {
    return fallback;
  }
}

/** What a demo run leaves in .vitrine/ that belongs to the demo's models (the image cache is kept: it is by content). */
const DEMO_OUTPUTS = [
  'dataset',
  'model',
  'evaluate',
  'report',
  'registry',
  'catalogue',
  'monitor',
  'site',
  'lock.json',
];

/**
 * The demo's models go with the demo collection (an outside tester ran the demo, then init in the same copy as README
 * says: the gallery's catalogue showed the demo model's guesses, "textile" for van Gogh, and the demo's model cards).
 * Its registry tags are removed from this clone, and the stage outputs of its runs from .vitrine/.
 */
async function retireDemoModels({
  ws,
  model,
  log,
}: {
  ws: ReturnType<typeof workspace>;
  model: string;
  log: Logger;
}): Promise<void> {
  const tags = (await exists(path.join(ws.root, '.git'))) ? await deleteModelTags({ dir: ws.root, name: model }) : [];
  const outputs: string[] = [];
  for (const name of DEMO_OUTPUTS) {
    const file = path.join(ws.work, name);
    if (!(await exists(file))) continue;
    await rm(file, { recursive: true, force: true });
    outputs.push(name);
  }
  if (tags.length === 0 && outputs.length === 0) return;
  const removed = [
    ...(tags.length ? [`the registry’s tags ${tags.join(', ')} (from this clone)`] : []),
    ...(outputs.length ? [`the demo’s stage outputs in .vitrine/ (${outputs.join(', ')})`] : []),
  ];
  log.info(
    `The demo’s models went with it: ${removed.join(', and ')} were removed, so the first "vitrine run" trains ` +
      'this collection’s own first model and the catalogue shows only its guesses.' +
      (tags.length
        ? ' If those tags were ever pushed to GitHub, remove them there too, or the next fetch brings them back: ' +
          `git push origin --delete ${tags.map(shellWord).join(' ')}`
        : ''),
  );
}

/** True when the collection here is Vitrine's demo (or there is none): ids "DM-…" only, the demo's name. */
async function holdsOnlyTheDemo(ws: ReturnType<typeof workspace>): Promise<boolean> {
  if (!(await exists(ws.params))) return false;
  // Read for its collection name only: a file that cannot be read is not the demo's (loadParams says why later).
  let params: { collection?: { name?: string } } | null;
  try {
    params = parseDocument(await readFile(ws.params, 'utf8')).toJS() as typeof params;
  } catch {
    return false;
  }
  if ((params?.collection?.name ?? defaultParams().collection.name) !== defaultParams().collection.name) return false;
  const ids = async (file: string) => {
    const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(1);
    return lines.map((l) => l.split(',')[0]!.trim()).filter(Boolean);
  };
  return [...(await ids(ws.labels)), ...(await ids(ws.objects))].every((id) => id.startsWith('DM-'));
}

/**
 * The branch models are promoted on, and the workflows run on, is the repository's: a new repository's first branch
 * is given its name; a repository with commits on another is told what to do (the tester's never promoted).
 */
async function sayBranch({ root, branch, log }: { root: string; branch: string; log: Logger }): Promise<void> {
  const { renamedFrom, other } = await nameFirstBranch({ dir: root, branch });
  if (renamedFrom)
    log.info(
      `The repository’s first branch is named ${branch} now (git init had named it ${renamedFrom}): Vitrine ` +
        `promotes models on ${branch} (collection.branch in params.yaml), and the workflows run on it, as GitHub ` +
        'names a new repository’s first branch.',
    );
  if (other)
    log.warn(
      `This repository’s branch is ${other}, but Vitrine promotes models on ${branch} (collection.branch in ` +
        `params.yaml), and the workflows run on pushes to ${branch}: rename the branch (git branch -m ${other} ` +
        `${branch}, and on GitHub in the repository’s settings), or set collection.branch to ${other} and change ` +
        `"${branch}" to "${other}" in the .github/workflows files.`,
    );
}

/** `git init` when needed and `git add` of what init wrote, so the next step is just `git commit`. */
async function stageForCommit({
  root,
  branch,
  files,
}: {
  root: string;
  branch: string;
  files: string[];
}): Promise<void> {
  await stageFiles({ dir: root, branch, files });
}

/** The .gitattributes line init writes: labels.csv stored with Unix line ends, however it was saved. */
export const LABELS_LINE_ENDS = 'labels.csv text eol=lf';

/**
 * Add LABELS_LINE_ENDS to the repository's .gitattributes (made if there is none): a labels.csv saved by Excel
 * ("CSV UTF-8": Windows line ends) is then stored by git and GitHub Desktop with Unix ones, and a pull request's diff
 * shows the lines that changed, not every line (outside tester T3 F7). A rule of the museum's own for labels.csv or for
 * every CSV file, or a .gitattributes that is not a regular file, is left as it is. Whether the file was written.
 */
async function labelsLineEnds({ root }: { root: string }): Promise<boolean> {
  const file = path.join(root, '.gitattributes');
  const info = await lstat(file).catch(() => null);
  if (info && !info.isFile()) return false;
  const text = info ? await readFile(file, 'utf8') : '';
  // A rule of its own for its line ends (text, eol, binary): for labels.csv (also written from the top, "/labels.csv")
  // or for every CSV file, not one about something else ("*.csv diff=csv"); a byte-order mark is not part of it.
  const own = (line: string) => {
    const [pattern, ...attributes] = line.trim().split(/\s+/);
    return (
      ['labels.csv', '/labels.csv', '*.csv'].includes(pattern) &&
      attributes.some((a) => /^[-!]?text(?:=|$)|^eol=|^binary$/.test(a))
    );
  };
  if (
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .some(own)
  )
    return false;
  const lines =
    '# Vitrine: labels.csv is stored with Unix line ends however a spreadsheet saved it (Excel\'s "CSV UTF-8" ' +
    "writes\n# Windows ones), so that a pull request's diff shows the lines that changed, not every line.\n" +
    `${LABELS_LINE_ENDS}\n`;
  await writeFileAtomic({ file, data: `${text}${text && !text.endsWith('\n') ? '\n' : ''}${lines}` });
  return true;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function titleCase(folder: string): string {
  return folder.replace(/[-_]+/g, ' ').replace(/\b\p{L}/gu, (c) => c.toUpperCase()) || 'Our Museum';
}

/** The vocabulary as the YAML a user could paste. */
export function vocabularyYaml(vocabulary: string[]): string {
  return `[${vocabulary.map(yamlWord).join(', ')}]`;
}

/**
 * What to do when too few labels were found: label more objects in the label column, or, when no column was taken as
 * the labels (tester T6: "Label objects in the export's label column" when there was none), name one of the columns
 * nothing uses with --column label=.
 */
function labelColumnAdvice({ proposal, columns }: { proposal: InitProposal; columns: Params['import']['columns'] }) {
  if (columns.label) return `Label objects in the export's "${columns.label}" column`;
  const used = new Set(Object.values(columns).filter(Boolean));
  const unused = proposal.table.header.filter((h) => h && !used.has(h));
  const name = path.basename(proposal.from);
  if (unused.length === 0) return `${name} has no column for the labels: add one that says what each object is`;
  const first = unused[0]!;
  const word = /^[\w./-]+$/.test(first) ? first : `"${first.replace(/(["\\$`])/g, '\\$1')}"`;
  const shown =
    unused.length <= 10 ? unused.join(', ') : `${unused.slice(0, 10).join(', ')} and ${unused.length - 10} more`;
  return (
    `No column of ${name} was taken as the labels: name the one that says what each object is with ` +
    `--column label=${word} (columns not used: ${shown})`
  );
}

/** Whether any of `files` (tracked by git) is in the last commit: committed, not only added. */
async function anyCommitted({ root, files }: { root: string; files: string[] }): Promise<boolean> {
  if ((await headCommit({ dir: root })) === null) return false;
  for (const filepath of files) if ((await readBytesAtRef({ dir: root, ref: 'HEAD', filepath })) !== null) return true;
  return false;
}
