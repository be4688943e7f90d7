import { isDeepStrictEqual } from 'node:util';
import { type Document, type Node, parseDocument, visit } from 'yaml';
import { decodeText } from '../collection/index.ts';
import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import type { GateChange } from '../evaluate/gate.ts';
import type { Logger } from '../log.ts';
import { type Params, parseParams, parseParamsFile, validateParams } from '../params.ts';
import { code, shorten, text } from '../report/markdown.ts';
import type { ChangedFile, Forge, RepoRef } from './forge.ts';
import { chooseRunner, type RunnerChoice } from './runner.ts';
import { gateKeys, VERDICT_SETTINGS } from './verdict-settings.ts';

/*
 * The guard of the trusted pull-request workflow (pull_request_target: its workflow file and code
 * come from the base branch). A pull request's label changes are data, not code, so they may be
 * trained on the self-hosted runner, but only the allow-listed data files are read from the head,
 * through the API and never checked out: labels.csv, params.yaml (checked against the schema, and
 * without a custom backbone or any changed path or address) and, when allowed, data/objects.csv.
 * A fork's head needs a maintainer's approval of that very commit, recorded as a commit status.
 */

/** The data files a pull request may change and still be trained on the self-hosted runner. */
export const DATA_FILES = ['labels.csv', 'params.yaml'] as const;
export const OBJECTS_FILE = 'data/objects.csv';
/**
 * The scheduled retrain's record (retrain.yml writes it on a vitrine/retrain-… branch of this repository): merging it
 * promotes a model (main.yml starts on it), and the retrain's own report sets the gate on its commit.
 */
export const RETRAIN_FILE = '.github/vitrine-retrain.json';
/**
 * The paths the Model report (pull-request.yml, hosted runners) starts on, as its `paths` filter: code the model is
 * made with. With data files, these are what the model reads; a pull request that changes neither needs no report.
 */
export const CODE_PATHS = [
  'data.dvc',
  'pipeline/**',
  'actions/**',
  'bin/**',
  'package.json',
  'package-lock.json',
  '.github/workflows/pull-request.yml',
] as const;

/** Whether a changed path is one the Model report starts on (CODE_PATHS: `dir/**` is anything under dir). */
export function isCodePath(file: string): boolean {
  return CODE_PATHS.some((p) => (p.endsWith('/**') ? file.startsWith(p.slice(0, -2)) : file === p));
}

/**
 * What a file other than the data files is, as the guard names it to staff: a workflow (.github/workflows/), code
 * (the pipeline, actions, site, packages, scripts), a settings file (.dvc/, .github/'s others, top-level .json and
 * .yaml, git's and DVC's ignore files), data.dvc (the record of the images), a file a computer makes by itself
 * (macOS's .DS_Store, Windows's Thumbs.db, a spreadsheet's lock file), or any other file (documentation, …).
 */
export type FileGroup = 'workflow' | 'code' | 'settings' | 'images' | 'system' | 'other';

const CODE_FOLDERS = ['pipeline/', 'actions/', 'bin/', 'site/', 'test/', 'bench/', '.ci/'];
const SETTINGS_NAMES = ['.gitignore', '.gitattributes', '.dvcignore', '.env.example'];

/** A file a computer or a program makes by itself, in its staff's words; null for any other file. */
function systemFile(file: string): string | null {
  const name = file.split('/').at(-1) ?? '';
  if (name === '.DS_Store') return 'macOS makes it by itself to keep how a folder is shown';
  if (name.startsWith('._')) return 'macOS makes it by itself beside a file copied to a memory stick or a shared drive';
  if (/^(?:thumbs\.db|ehthumbs\.db|desktop\.ini)$/i.test(name))
    return "Windows makes it by itself to keep a folder's pictures or settings";
  const lock = /^\.~lock\.(.+)#$/.exec(name);
  if (lock) return `LibreOffice makes it by itself while ${lock[1]} is open, and deletes it on closing`;
  if (name.startsWith('~$'))
    return 'Microsoft Office makes it by itself while a file is open, and deletes it on closing';
  return null;
}

/** The group of a changed path outside the data files (FileGroup). */
export function fileGroup(file: string): FileGroup {
  if (systemFile(file) !== null) return 'system';
  if (file.startsWith('.github/workflows/')) return 'workflow';
  if (file === 'data.dvc') return 'images';
  if (isCodePath(file) || CODE_FOLDERS.some((d) => file.startsWith(d))) return 'code';
  if (/\.(?:[cm]?[jt]sx?|astro|sh|py)$/i.test(file)) return 'code';
  const name = file.split('/').at(-1) ?? '';
  if (file.startsWith('.github/') || file.startsWith('.dvc/') || SETTINGS_NAMES.includes(name)) return 'settings';
  if (!file.includes('/') && /\.(?:json|ya?ml|toml)$/i.test(file)) return 'settings';
  return 'other';
}

/** Each group in the staff's words: what one such file is, and what several are called. */
const GROUP_WORDS: Record<FileGroup, { is: string; called: string }> = {
  workflow: { is: 'it is a workflow file', called: 'workflow files' },
  code: { is: 'it is code', called: 'code' },
  settings: { is: 'it is a settings file', called: 'settings files' },
  images: {
    is: 'it records which version of the images in data/ the model is trained on',
    called: 'the record of the images',
  },
  system: { is: 'a computer made it by itself: it is not a data file', called: 'files a computer makes by itself' },
  other: { is: 'it is not a data file', called: 'other files' },
};

/** Commit status that records a maintainer's approval of one head commit. */
export const APPROVAL_CONTEXT = 'vitrine/approval';
/** Marker of the guard's own comment (kept apart from the report's). */
export const GUARD_MARKER = '<!-- vitrine:guard -->';
/**
 * Most files GitHub lists of one pull request (its API stops there): with that many listed, the list may be cut, and
 * a data file or code past the cut would go unseen.
 */
export const MAX_LISTED_FILES = 3000;

/**
 * The files of a pull request a workflow's `paths` filter looks at (GitHub's documented limit): a pull request with
 * more may change code past them, and then the Model report (pull-request.yml) never starts.
 */
export const PATHS_FILTER_FILES = 300;
/** Largest data file taken from a head (labels of a large museum fit well within it). */
export const MAX_DATA_FILE_BYTES = 50 * 1024 * 1024;

/** params.yaml keys that name a file, a folder or an address: a pull request may not change them. */
export const PATH_KEYS = [
  'collection.repository',
  'import.metadata',
  'import.images',
  'backbone.source',
  'report.catalogue_url',
  'report.object_page',
  'report.thumbnail_folder',
  'catalogue.base',
  'catalogue.site',
] as const;

/**
 * params.yaml keys the trusted run relies on as the base branch sets them: a pull request may not change
 * them. report.status_context names the gate status branch protection requires; a fork choosing it
 * could have the trusted workflow write a status that another required check's name stands for.
 */
export const LOCKED_KEYS = ['report.status_context'] as const;

export interface RefusedPath {
  path: string;
  why: string;
  /**
   * What keeps it off the runner, so that each is said in its own words: a file the runner never takes from a pull
   * request ("other"), a data file the pull request deletes ("deleted"), or data/objects.csv, which the workflow
   * lets pull requests change only with the allow-objects input ("objects"), or a data file the pull request renames
   * (moves), `path` being its old name and `to` its new one ("renamed"), or a file whose name differs from a data
   * file's only in capitals or in spaces at its ends, `meant` being the data file ("misnamed": Labels.csv).
   */
  kind: 'other' | 'deleted' | 'objects' | 'renamed' | 'misnamed';
  /** The new name of a renamed data file. */
  to?: string;
  /** The data file a misnamed file stands for, or that a file renamed `into` a misnamed name stands for. */
  meant?: string;
  /** Set on a file ("other") the pull request renames into a data file: that data file, the rename deleting it. */
  into?: string;
  /** Set on a file ("other") the pull request deletes, when that changes the advice (a .DS_Store: not "delete it"). */
  removed?: boolean;
}

/** Spaces (and invisible characters) at the ends of a name: a name saved with them looks like the data file's. */
const END_SPACES = /^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$/g;

/**
 * The data file a changed path stands for when its name differs from it only in capitals or in spaces at its ends
 * (Labels.csv, "labels.csv "): Windows and macOS let a file be saved so, and GitHub keeps the name. Null otherwise.
 */
export function misnamedData({ path, allowed }: { path: string; allowed: readonly string[] }): string | null {
  if (allowed.includes(path)) return null;
  // Also a browser's or a file manager's copy ("labels (1).csv", "labels copy.csv"), .yml for .yaml, and an ending
  // added by a text editor ("labels.csv.txt"): a reviewer's pull requests of those passed green, their labels unread.
  const plain = (p: string) =>
    p
      .replace(END_SPACES, '')
      .toLowerCase()
      .replace(/\.txt$/, '')
      .replace(/\.yml$/, '.yaml')
      // Saved by a spreadsheet program (labels.xlsx), or downloaded from Google Sheets as "labels - Sheet1.csv".
      .replace(SPREADSHEET, '.csv')
      // Its ending typed in the name while Windows hides endings: "labels.csv.csv".
      .replace(/(\.[a-z]+)\1$/, '$1')
      .replace(/(?:\s*\(\d+\)|[\s_-]+copy(?:\s+\d+)?|\s+-\s+[^./]+)+(?=\.[a-z]+$)/, '');
  // In the top folder or in data/ (beside data/objects.csv) rather than its own: uploaded while another was open.
  const near = ['', 'data'].includes(folderOf(path).toLowerCase());
  const base = (p: string) => plain(p.split('/').at(-1) ?? '');
  return allowed.find((a) => plain(a) === plain(path)) ?? allowed.find((a) => near && base(a) === base(path)) ?? null;
}

/** The folder of a path ('' at the top). */
function folderOf(path: string): string {
  return path.split('/').slice(0, -1).join('/');
}

/** Whether a misnamed file (misnamedData) is in another folder than the data file it stands for. */
function otherFolder(path: string, meant: string): boolean {
  return folderOf(path).toLowerCase() !== folderOf(meant);
}

/** The ending of a spreadsheet program's own file (Excel, LibreOffice, Numbers): not text, whatever its name. */
export const SPREADSHEET = /\.(?:xlsx|xlsm|xls|ods|numbers)$/i;

/** What makes a name hard to tell from another when shown: spaces at its start or end ('' when none). */
function spacesNote(name: string): string {
  const start = /^[\s\u200b-\u200d\u2060\ufeff]/.test(name);
  const end = /[\s\u200b-\u200d\u2060\ufeff]$/.test(name);
  return start && end
    ? ' (with a space at the start and at the end)'
    : start
      ? ' (with a space at the start)'
      : end
        ? ' (with a space at the end)'
        : '';
}

/** A file's name in plain text, in quotes with its spaces said when it has some at its ends (cut to `max`). */
function plainName(name: string, max = 2 * QUOTE_MAX): string {
  const note = spacesNote(name);
  const cut = shorten(name.replace(/[\u0000-\u001f\u007f]+/g, ' '), max);
  if (!note) return cut;
  const start = /^[\s\u200b-\u200d\u2060\ufeff]/.test(name) ? ' ' : '';
  const end = /[\s\u200b-\u200d\u2060\ufeff]$/.test(name) ? ' ' : '';
  return `"${start}${cut}${end}"${note}`;
}

/** A file's name in the comment (Markdown code), its spaces at its ends said after it. */
function codeName(name: string, max = 2 * QUOTE_MAX): string {
  return `${code(shorten(name, max))}${spacesNote(name)}`;
}

/** A misnamed file's name beside the data file's, in words: "its name differs from labels.csv only in capitals". */
function nameDiffers(name: string, meant: string): string {
  if (otherFolder(name, meant)) return `it is in another folder than ${meant}`;
  const how = differsBy(name, meant);
  return how === 'in its name'
    ? `it looks like a copy of ${meant} under another name`
    : `its name differs from ${meant} only ${how}`;
}

/** How a misnamed file's name differs from the data file's (misnamedData). */
function differsBy(name: string, meant: string): string {
  if (name.replace(END_SPACES, '').toLowerCase() !== meant.toLowerCase()) return 'in its name';
  const capitals = name.replace(END_SPACES, '') !== meant;
  const spaces = spacesNote(name).replace(/^ \((.*)\)$/, '$1');
  return capitals && spaces
    ? `in capitals and ${spaces.replace(/^with /, 'by ')}`
    : capitals
      ? 'in capitals'
      : spaces.replace(/^with /, 'by ');
}

/** Each data file in the staff's words, what a run has without it, and what of it staff would copy. */
const DATA_FILE_WORDS: Record<string, { what: string; without: string; holds: string }> = {
  'labels.csv': { what: "the file of the staff's labels", without: 'nothing to train on', holds: 'lines' },
  'params.yaml': {
    what: "the museum's settings",
    without: "Vitrine's default settings, not the museum's",
    holds: 'settings',
  },
  [OBJECTS_FILE]: { what: "the collection's table of objects", without: 'nothing to train on', holds: 'lines' },
};
const wordsFor = (file: string) =>
  DATA_FILE_WORDS[file] ?? { what: 'a data file', without: 'nothing to train on', holds: 'contents' };

/** Changed paths outside the allow-list, each with the reason in plain words. */
export function refusedPaths({ files, allowed }: { files: ChangedFile[]; allowed: readonly string[] }): RefusedPath[] {
  const refused: RefusedPath[] = [];
  // A data file deleted and the same name in other capitals added: GitHub lists a rename so when the content changed
  // much. Said as the rename it is, once: not as a deletion beside a file that is not read.
  const removed = files.filter((f) => f.status === 'removed' && allowed.includes(f.path)).map((f) => f.path);
  const renamedAs = new Map<string, string>();
  for (const f of files) {
    const meant = f.status === 'added' ? misnamedData({ path: f.path, allowed }) : null;
    if (meant && removed.includes(meant) && !renamedAs.has(meant)) renamedAs.set(meant, f.path);
  }
  const asRename = [...renamedAs.values()];
  const listed: ChangedFile[] = files.flatMap((f) => {
    if (asRename.includes(f.path) && f.status === 'added') return [];
    const to = f.status === 'removed' ? renamedAs.get(f.path) : undefined;
    return to === undefined ? [f] : [{ ...f, path: to, status: 'renamed', previousPath: f.path }];
  });
  for (const f of listed) {
    // GitHub lists a rename once, under the new name: a data file renamed is one taken away from its path.
    const from = f.previousPath;
    if (f.status === 'renamed' && from !== null && (allowed.includes(from) || from === OBJECTS_FILE)) {
      const words = wordsFor(from);
      // Moved to another folder (data/labels.csv) is a move, not another spelling.
      const spelling = otherFolder(f.path, from) ? null : misnamedData({ path: f.path, allowed: [from] });
      // Spaces at the ends are said with the name; other capitals after it ("labels (1).csv" differs in its name).
      const capitals =
        spelling && differsBy(f.path, from).startsWith('in capitals') ? ', which differs in capitals' : '';
      const why = spelling
        ? `the pull request renames it to ${plainName(f.path)}${capitals}, but Vitrine reads ${words.what} only as ` +
          `${from}, in exactly that spelling: without it a run has ${words.without}`
        : `the pull request renames it to ${plainName(f.path)}, but Vitrine reads ${words.what} only at ` +
          `this exact path: without it a run has ${words.without}`;
      refused.push({ path: from, why, kind: 'renamed', to: f.path });
      continue;
    }
    // A file renamed into a data file: that data file is added, and the old name is gone with the rename.
    const into =
      f.status === 'renamed' && (allowed.includes(f.path) || misnamedData({ path: f.path, allowed }))
        ? f.path
        : undefined;
    // Renamed into a data file's name in other capitals (notes.csv to Labels.csv): said once, with the old name, so
    // that the advice is one (keep the old file, add labels.csv), not also "rename Labels.csv to labels.csv".
    const intoMeant = into !== undefined && !allowed.includes(into) ? misnamedData({ path: into, allowed }) : null;
    for (const p of [f.path, f.previousPath]) {
      if (p === null || allowed.includes(p) || (intoMeant && p === into)) continue;
      if (p === OBJECTS_FILE) {
        // A data file, not code: only this repository's workflow keeps it out (allow-objects is off).
        const why =
          "it is the collection's table of objects, which an import writes; this repository's workflow does not " +
          'let pull requests change it';
        refused.push({ path: p, why, kind: 'objects' });
        continue;
      }
      // "Labels.csv": a data file's name in other capitals, as Windows and macOS let a file be saved or renamed;
      // data/Objects.csv too when the workflow keeps data/objects.csv out (allow-objects off).
      const meant = misnamedData({ path: p, allowed: [...new Set([...allowed, OBJECTS_FILE])] });
      if (meant && p === f.path && f.status !== 'removed') {
        const why = SPREADSHEET.test(p)
          ? `it is a spreadsheet file, and Vitrine reads ${wordsFor(meant).what} only as text (CSV) named ${meant}: ` +
            'this file is not read'
          : `${nameDiffers(p, meant)}, and Vitrine reads ${wordsFor(meant).what} ` +
            `only as ${meant}, in exactly that spelling: this file is not read`;
        refused.push({ path: p, why, kind: 'misnamed', meant });
        continue;
      }
      const exactly = meant && otherFolder(p, meant) ? 'at exactly that path' : 'with this exact capitalisation';
      const is =
        p === 'package.json' || p === 'package-lock.json'
          ? 'it lists the packages the code installs'
          : meant
            ? `${GROUP_WORDS.other.is}: Vitrine reads ${meant}, ${exactly}`
            : fileGroup(p) === 'system'
              ? `${systemFile(p)}: it is not a data file`
              : GROUP_WORDS[fileGroup(p)].is;
      if (into !== undefined && p === from) {
        const why = `the pull request renames it to ${plainName(into)}, which deletes it, and ${is}`;
        if (!intoMeant) {
          refused.push({ path: p, why, kind: 'other', into });
          continue;
        }
        const spelling =
          `; ${plainName(into)} is not read either: ${nameDiffers(into, intoMeant)}, and Vitrine reads ` +
          `${wordsFor(intoMeant).what} only as ${intoMeant}, in exactly that spelling`;
        refused.push({ path: p, why: `${why}${spelling}`, kind: 'other', into, meant: intoMeant });
        continue;
      }
      // A file the computer made (.DS_Store) that the pull request deletes: a clean-up, to be moved apart as any other.
      if (f.status === 'removed' && fileGroup(p) === 'system') {
        refused.push({ path: p, why: `the pull request deletes it, and ${is}`, kind: 'other', removed: true });
        continue;
      }
      refused.push({ path: p, why: is, kind: 'other' });
    }
    if (allowed.includes(f.path) && f.status === 'removed') {
      const words = wordsFor(f.path);
      const why = `the pull request deletes it, and it is ${words.what}: without it a run has ${words.without}`;
      refused.push({ path: f.path, why, kind: 'deleted' });
    }
  }
  return refused;
}

/**
 * Most names said in one list of the guard's reason or advice, and most files of one kind listed line by line in its
 * comment: a pull request of a folder of photographs would otherwise pass a comment's 65,536 characters, and the
 * advice after the list would be cut off.
 */
const MAX_NAMED = 10;
const MAX_LINES = 30;

/** Names joined with ", ", the first MAX_NAMED of them and "and N others" for the rest. */
function someNames(names: readonly string[]): string {
  const more = names.length - MAX_NAMED;
  const rest = more === 1 ? '1 other' : `${more.toLocaleString('en')} others`;
  return more > 0 ? `${names.slice(0, MAX_NAMED).join(', ')} and ${rest}` : names.join(', ');
}

/** The guard's `reason` for refused paths: a deleted data file is named as deleted, never as another file. */
function refusalReason(refused: RefusedPath[]): string {
  const others = refused.filter((r) => r.kind === 'other' && r.into === undefined).map((r) => r.path);
  // By what they are (code, workflow files, …): documentation is not called code.
  const groups = (['code', 'workflow', 'settings', 'images', 'system', 'other'] as const)
    .map((g) => ({ g, paths: others.filter((p) => fileGroup(p) === g) }))
    .filter((x) => x.paths.length > 0);
  const files = `the pull request changes ${others.length === 1 ? 'a file' : 'files'} other than the data files`;
  const parts =
    groups.length === 0
      ? []
      : groups.length === 1 && groups[0]!.g === 'other'
        ? [`${files} (${someNames(others)})`]
        : [`${files}: ${groups.map((x) => `${GROUP_WORDS[x.g].called} (${someNames(x.paths)})`).join(', ')}`];
  for (const r of refused.filter((r) => r.kind === 'misnamed')) {
    const meant = r.meant ?? '';
    const words = wordsFor(meant);
    parts.push(
      SPREADSHEET.test(r.path)
        ? `the pull request has ${plainName(r.path)}, but Vitrine reads ${words.what} only as text (CSV) named ` +
            `${meant}: open it, save it as CSV UTF-8 under the name ${meant}, and delete ${plainName(r.path)}`
        : otherFolder(r.path, meant)
          ? `the pull request has ${plainName(r.path)}, but Vitrine reads ${words.what} only as ${meant}, at ` +
            `exactly that path: move it to ${meant}, or copy its ${words.holds} into ${meant}`
          : `the pull request has ${plainName(r.path)}, but Vitrine reads ${words.what} only as ${meant}, in exactly ` +
            `that spelling: rename it to ${meant}, or copy its ${words.holds} into ${meant}`,
    );
  }
  for (const r of refused.filter((r) => r.kind === 'other' && r.into !== undefined)) {
    const spelling = r.meant
      ? `, and Vitrine reads ${wordsFor(r.meant).what} only as ${r.meant}, in exactly that spelling`
      : '';
    parts.push(
      `the pull request renames ${plainName(r.path)} to ${plainName(r.into ?? '')}, which deletes ${plainName(r.path)}, ` +
        `a file other than the data files${spelling}`,
    );
  }
  if (refused.some((r) => r.kind === 'objects')) {
    parts.push(
      `the pull request changes ${OBJECTS_FILE} (${wordsFor(OBJECTS_FILE).what}), which this repository's workflow ` +
        'does not let pull requests change (the allow-objects input of choose-runner)',
    );
  }
  for (const r of refused.filter((r) => r.kind === 'deleted')) {
    const words = wordsFor(r.path);
    parts.push(`the pull request deletes ${r.path} (${words.what}): without it a run has ${words.without}`);
  }
  for (const r of refused.filter((r) => r.kind === 'renamed')) {
    parts.push(
      `the pull request renames (moves) ${r.path} to ${plainName(r.to ?? '')}: Vitrine reads ` +
        `${wordsFor(r.path).what} only at ${r.path}, so keep that name`,
    );
  }
  return parts.join('; ');
}

/**
 * Problems with a head's params.yaml compared with the base's: schema errors, a custom backbone, a
 * changed path or address.
 */
export function paramsProblems({
  head,
  base,
  baseName,
}: {
  head: string;
  base: string | null;
  baseName?: string;
}): string[] {
  let params: Params;
  try {
    // Read as the run would read it: a file with no settings is refused, not taken for the demo's defaults.
    params = parseParamsFile({ text: head, name: 'params.yaml' });
  } catch (error) {
    // Vitrine's own words, whole; only the section names quoted in them are the fork's.
    if (isVitrineError(error, 'PARAMS_EMPTY')) return [shorten(quotesCut(messageOf(error)), 12 * QUOTE_MAX)];
    if (isVitrineError(error, 'PARAMS_YAML')) return [shortQuotes(messageOf(error))];
    // One reason per problem, each quoted value cut short: a fork writes these keys and values.
    const each = isVitrineError(error, 'PARAMS_INVALID') ? error.data.problems : null;
    const problems = Array.isArray(each)
      ? each.map((p) => `params.yaml is not valid: ${String(p).replace(/^params\.yaml(:\d+)?: /, '')}`)
      : [messageOf(error)];
    return problems.map(shortQuotes);
  }
  let before: Params;
  try {
    before = baseParams({ base, baseName });
  } catch (error) {
    if (!isVitrineError(error, 'BASE_PARAMS_UNREADABLE')) throw error;
    return [shortQuotes(error.message)];
  }
  const problems: string[] = [];
  if (params.backbone.name === 'custom' || params.backbone.source !== '') {
    problems.push(
      'params.yaml sets a custom backbone (backbone.name "custom" or a backbone.source): ' +
        'a model file from a pull request is code the runner would load',
    );
  }
  for (const key of PATH_KEYS) {
    const now = at(params, key);
    const was = at(before, key);
    if (key === 'backbone.source' || now === was) continue;
    problems.push(`params.yaml changes "${key}" (${quote(was)} → ${quote(now)}), which names a path or an address`);
  }
  for (const key of LOCKED_KEYS) {
    const now = at(params, key);
    const was = at(before, key);
    if (now === was) continue;
    const change = `(${quote(was)} → ${quote(now)})`;
    problems.push(`params.yaml changes "${key}" ${change}, which only the base branch may set`);
  }
  // Any other text that looks like a path or an address, in a key added after this list was written.
  const listed: readonly string[] = [...PATH_KEYS, ...LOCKED_KEYS];
  for (const [key, value] of leaves(params)) {
    if (listed.includes(key) || typeof value !== 'string' || value === at(before, key)) continue;
    if (!/:\/\/|^[/.~]|\\|\.\.\//.test(value)) continue;
    problems.push(`params.yaml sets "${shorten(key)}" to ${quote(value)}, which looks like a path or an address`);
  }
  return problems;
}

/**
 * The head's params.yaml with the base branch's values of the settings that decide the verdict (VERDICT_SETTINGS:
 * the gate, the baseline, the test split, the verdict's test, …) in place of its own, and the settings it changes.
 * A pull request is judged by the rules in force: one that lowers the bar would otherwise pass by its own weakened
 * gate. The rest of the file (comments too) stays the head's; a head that changes none of them is returned as it
 * is. Call it on a head that validates (paramsProblems accepts it, in the trusted workflow). A head that holds no
 * settings is refused as a run refuses it (PARAMS_EMPTY): with the base's values written in, it would hold some, and
 * the run would take the demo's name and labels for the rest.
 */
export function withBaseGate({
  head,
  base,
  baseName,
  doesNot = VERDICT_SETTINGS.doesNot,
}: {
  /** The head's params.yaml; null: it has none (the defaults, as a run reads a missing file). */
  head: string | null;
  /** The base's params.yaml; null: it has none (the defaults). */
  base: string | null;
  /** The base branch's name, for the message when its params.yaml cannot be read. */
  baseName?: string;
  /** The settings that do not decide the verdict (tests leave one out, as a setting nobody has classified yet). */
  doesNot?: readonly string[];
}): {
  /** The params.yaml to run with ("" when there is no head file and nothing to put in one). */
  text: string;
  changes: GateChange[];
} {
  const now = head === null ? validateParams({ raw: {} }) : parseParamsFile({ text: head, name: 'params.yaml' });
  const before = baseParams({ base, baseName });
  const changes = gateKeys({ base: before, head: now, doesNot })
    .map((key) => ({ key, base: at(before, key), head: at(now, key) }))
    .filter((c) => !isDeepStrictEqual(c.base, c.head));
  if (changes.length === 0) return { text: head ?? '', changes };
  const doc = parseDocument(head ?? '');
  expandAliases(doc);
  // A new node rather than the value set in place: no other setting shares it.
  for (const c of changes) doc.setIn(c.key.split('.'), doc.createNode(c.base));
  const text = doc.toString();
  checkRewrite({ text, now, changes });
  return { text, changes };
}

/**
 * The base's settings: the defaults when it has no params.yaml, as its own run has them. A params.yaml that cannot
 * be read fails: taking the defaults for it would judge the pull request by rules nobody set.
 */
export function baseParams({ base, baseName }: { base: string | null; baseName?: string }): Params {
  if (base === null) return validateParams({ raw: {} });
  try {
    return parseParams({ text: base, name: 'params.yaml' });
  } catch (error) {
    if (!isVitrineError(error, 'PARAMS_YAML') && !isVitrineError(error, 'PARAMS_INVALID')) throw error;
    throw baseUnreadable({ why: messageOf(error).replace(/^params\.yaml is not valid:\s*/, ''), baseName });
  }
}

/** The plain message for a base branch's params.yaml that cannot be read (`why`, one line). */
export function baseUnreadable({ why, baseName }: { why: string; baseName?: string }): VitrineError {
  const reason = why.split('\n')[0]!.trim();
  return new VitrineError(
    'BASE_PARAMS_UNREADABLE',
    `The base branch's params.yaml cannot be read (${reason}): this pull request cannot be judged by the base ` +
      `branch's settings. Fix params.yaml on ${baseName || 'the base branch'} first: a maintainer can push the ` +
      'fix to it directly, or merge the pull request that fixes it (whose own check stops here too) without waiting ' +
      'for this check.',
    { why: reason, baseName },
  );
}

/**
 * Fail unless `text` (the head's params.yaml with the base's values put back) reads as the head's settings with
 * exactly those values: YAML that reads otherwise than it looks would have the pull request judged by neither.
 */
function checkRewrite({ text, now, changes }: { text: string; now: Params; changes: GateChange[] }): void {
  const expected = structuredClone(now) as Record<string, unknown>;
  for (const c of changes) {
    const keys = c.key.split('.');
    const parent = keys
      .slice(0, -1)
      .reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, expected);
    parent[keys.at(-1)!] = c.base;
  }
  let read: Params | null = null;
  let why = '';
  try {
    read = parseParams({ text, name: 'params.yaml' });
  } catch (error) {
    why = messageOf(error).split('\n')[0]!;
  }
  if (read && isDeepStrictEqual(read, expected)) return;
  if (read) {
    const off = gateKeys({ base: read, head: read, doesNot: [] }).filter(
      (k) => !isDeepStrictEqual(at(read, k), at(expected, k)),
    );
    why = `it reads ${off.slice(0, 3).join(', ') || 'other settings'} otherwise`;
  }
  throw new VitrineError(
    'BASE_GATE_REWRITE',
    `params.yaml could not be given the base branch's settings (${why}): this pull request cannot be judged by ` +
      'them. Write params.yaml as plain `key: value` lines.',
    { why },
  );
}

/**
 * Each alias replaced by a copy of what it names (without anchors), so that putting a base value in one place
 * changes no other setting: `min_macro_f1: &z 0` with `min_new_labels: *z` elsewhere keeps that 0.
 */
function expandAliases(doc: Document): void {
  const unanchored = (node: Node): Node => {
    const copy = node.clone() as Node;
    visit(copy, {
      Node(_, n) {
        n.anchor = undefined;
      },
    });
    return copy;
  };
  visit(doc, {
    Alias(_, alias) {
      const source = alias.resolve(doc);
      return source ? unanchored(source) : undefined;
    },
  });
}

/** Longest quoted key or value in a reason: a fork's text, shown to everyone on the pull request. */
const QUOTE_MAX = 80;

/** A value as JSON on one line, cut to QUOTE_MAX characters with "…". */
function quote(value: unknown): string {
  return shorten(JSON.stringify(value) ?? String(value), QUOTE_MAX);
}

/** A message with each "quoted" key or value cut to QUOTE_MAX characters, and on one line. */
function shortQuotes(message: string): string {
  return shorten(quotesCut(message), 4 * QUOTE_MAX);
}

/** Each quoted value of `message` cut short. */
function quotesCut(message: string): string {
  return message.replace(/"([^"]*)"/g, (_, q: string) => `"${shorten(q, QUOTE_MAX)}"`);
}

function at(params: unknown, key: string): unknown {
  const step = (v: unknown, k: string) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined);
  return key.split('.').reduce<unknown>(step, params);
}

function leaves(value: unknown, prefix = ''): [string, unknown][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${prefix}.${i}`));
  return [[prefix, value]];
}

interface PullRequestEvent {
  action?: string;
  label?: { name?: string };
  sender?: { login?: string };
  pull_request?: {
    number?: number;
    head?: { sha?: string; repo?: { full_name?: string } | null };
    base?: { sha?: string; ref?: string; repo?: { full_name?: string; default_branch?: string } };
  };
  repository?: { full_name?: string; default_branch?: string };
}

interface CommentEvent {
  issue?: { number?: number; pull_request?: unknown };
  comment?: { body?: string; user?: { login?: string } };
  repository?: { full_name?: string; default_branch?: string };
}

/** The lines of a comment that are an approval command (`/vitrine approve …` on a line of its own), with what each names. */
function commandLines(body: string | undefined): string[] {
  return (body ?? '').split(/\r?\n|\r/).flatMap((line) => {
    const m = /^\/vitrine approve(?:[ \t]+(\S*))?$/i.exec(line.trim());
    return m ? [m[1] ?? ''] : [];
  });
}

/**
 * `/vitrine approve <commit>` on a line of its own, anywhere in the comment ("LGTM" above it is fine): the full
 * 40-digit commit is required, so the approval names exactly what was read (a fork can push a commit that shares any
 * shorter prefix). Null when no line is one, or the lines name different commits.
 */
export function approveCommand(body: string | undefined): { sha: string } | null {
  const named = commandLines(body);
  if (named.length === 0 || !named.every((n) => /^[0-9a-f]{40}$/i.test(n))) return null;
  const shas = new Set(named.map((n) => n.toLowerCase()));
  return shas.size === 1 ? { sha: [...shas][0]! } : null;
}

/**
 * Why a comment's approval command approves nothing (a short commit, none, two commits), in the maintainer's words;
 * null when the comment has no command line, or a good one.
 */
export function approveCommandProblem(body: string | undefined): string | null {
  const named = commandLines(body);
  if (named.length === 0 || approveCommand(body)) return null;
  const bad = named.find((n) => !/^[0-9a-f]{40}$/i.test(n));
  if (bad === undefined)
    return 'the comment names more than one commit to approve, so which one was read cannot be told';
  if (bad === '') return 'the comment says "/vitrine approve" without a commit';
  const shown = shorten(bad, 50).replace(/[\u0000-\u001f\u007f`]+/g, ' ');
  const what = /^[0-9a-f]+$/i.test(bad) ? `the commit "${shown}" is short` : `"${shown}" is not a commit`;
  return (
    `${what}: an approval names the full commit, all 40 characters, because a fork can push another commit that ` +
    'begins with the same characters'
  );
}

/** Write access or more: who may approve a fork's commit, by label or by comment. */
const APPROVERS = ['admin', 'maintain', 'write'];

export interface GuardResult {
  choice: RunnerChoice;
  /** The pull request decided on (from the event, or from the API for a comment command); null: none. */
  pullRequest: {
    number: number;
    headSha: string;
    baseRef: string | null;
    /** The base branch's commit params.yaml was read at (the event's, or the API's for a comment). */
    baseSha: string | null;
    fork: boolean;
  } | null;
  /** The allow-listed data files the head changes, read from it (only when trusted). */
  files: { path: string; text: string }[];
  /**
   * The allow-listed data files the pull request changes, read or not: what the comment asks a maintainer to read
   * (a fork's files are read only once approved). Unset when the guard did not get to the list of changed files.
   */
  changedData?: string[];
  /** Changed paths the Model report (pull-request.yml) starts on (CODE_PATHS); empty when none, or not listed. */
  code?: string[];
  /** The pull request changes no data file (labels.csv, params.yaml, data/objects.csv): nothing to train here. */
  noData?: boolean;
  /** With noData: it changes RETRAIN_FILE, whose merge promotes a model: never a green gate from the guard. */
  retrain?: boolean;
  /** GitHub listed MAX_LISTED_FILES files or more: the list may be cut, so the pull request was not judged. */
  tooManyFiles?: boolean;
  /** How many files GitHub listed for the pull request (each once, a rename too); unset when not listed. */
  listed?: number;
  /** Set when the pull request targets a branch other than the default one: nothing was read or approved. */
  offBase?: { base: string; defaultBranch: string } | null;
  /** Why the run stays off the self-hosted runner, when it does (for the comment and the gate status). */
  refused: RefusedPath[];
  problems: string[];
  /** The approval recorded by this run (a maintainer added the approval label), if any. */
  approvedNow: string | null;
  /**
   * Gate settings the head's params.yaml changes. `files` carries the base's values for them instead: the
   * report says the pull request proposes a new gate and was judged by the base branch's.
   */
  gateChanges: GateChange[];
}

/**
 * Decide for a pull_request_target event, or an issue_comment carrying `/vitrine approve <commit>`
 * (both run the base branch's workflow): record an approval when this event is one, read the
 * recorded approvals, check the changed paths and the head's params.yaml, and read the data files.
 * Every input about trust comes from GitHub's API or the event, never from the head's files.
 */
export async function guardPullRequest({
  forge,
  owner,
  repo,
  eventName,
  event,
  selfHosted,
  hosted = ['ubuntu-latest'],
  approvalLabel,
  approver,
  allowObjects = false,
  baseCommit = null,
  log,
}: RepoRef & {
  forge: Forge;
  eventName: string;
  event: unknown;
  selfHosted: string[];
  hosted?: string[];
  approvalLabel: string;
  /** Login that records approvals (the token's identity): only its approval statuses count. */
  approver: string;
  allowObjects?: boolean;
  /**
   * The run's own commit (GITHUB_SHA: for both events the default branch's latest), which the runner jobs check
   * out. The event's base.sha is the base when the pull request was opened or last pushed to: approved days later,
   * it judged by the gate of an older main. Null: the event's.
   */
  baseCommit?: string | null;
  log: Logger;
}): Promise<GuardResult> {
  let baseRefFromApi: string | null = null;
  const none: Omit<GuardResult, 'choice'> = {
    pullRequest: null,
    files: [],
    refused: [],
    problems: [],
    approvedNow: null,
    gateChanges: [],
  };
  let payload = (event ?? {}) as PullRequestEvent;
  let command: { sha: string; who: string } | null = null;
  if (eventName === 'issue_comment') {
    // A comment command: the pull request is read from the API, never from the comment.
    const c = (event ?? {}) as CommentEvent;
    const parsed = approveCommand(c.comment?.body);
    const who = c.comment?.user?.login;
    const problem = approveCommandProblem(c.comment?.body);
    if (problem && c.issue?.pull_request && c.issue.number && who) {
      // A maintainer's command that approves nothing is answered; anyone else's would start nothing anyway.
      const reason = `${who}'s "/vitrine approve" approves nothing: ${problem}`;
      log.warn(`${reason}.`);
      const permission = await forge.getPermission({ owner, repo, user: who });
      if (APPROVERS.includes(permission)) {
        const now = await forge.getPullRequest({ owner, repo, number: c.issue.number });
        const named = commandLines(c.comment?.body).find((n) => /^[0-9a-f]+$/i.test(n) && n.length < 40);
        const moved =
          named && !now.headSha.toLowerCase().startsWith(named.toLowerCase())
            ? ` The pull request's head commit does not begin with "${named}": it may have changed since you read it.`
            : '';
        const body =
          `@${who}: your \`/vitrine approve\` approves nothing: ${problem}. Nothing runs.${moved}\n\n` +
          'If you read the files of the head commit ' +
          `\`${now.headSha.slice(0, 12)}\`, comment (with the full commit, all 40 characters, on a line of its own):\n\n` +
          `    /vitrine approve ${now.headSha.replace(/[^0-9a-f]/gi, '')}\n`;
        const about = `the answer to ${who}’s "/vitrine approve"`;
        await forge.createComment({ owner, repo, issue: c.issue.number, body, about });
      }
      return { ...none, choice: { runsOn: hosted, trusted: false, reason } };
    }
    if (!parsed || !c.issue?.pull_request || !c.issue.number || !who) {
      return { ...none, choice: chooseRunner({ eventName, event, selfHosted, hosted }) };
    }
    const now = await forge.getPullRequest({ owner, repo, number: c.issue.number });
    payload = {
      action: 'approve-command',
      pull_request: {
        number: now.number,
        head: { sha: now.headSha, repo: now.headRepo ? { full_name: now.headRepo } : null },
        base: { sha: now.baseSha, repo: { full_name: now.baseRepo } },
      },
      repository: c.repository,
    };
    command = { sha: parsed.sha, who };
    baseRefFromApi = now.baseRef;
  }
  const pr = payload.pull_request;
  const number = pr?.number;
  const sha = pr?.head?.sha;
  if ((eventName !== 'pull_request_target' && !command) || !number || !sha) {
    return { ...none, choice: chooseRunner({ eventName, event, selfHosted, hosted }) };
  }
  // Both run the base branch's workflow and take only data from the head: one decision for both.
  const decided = { ...payload, pull_request: pr };
  const fork = (pr.head?.repo?.full_name ?? '').toLowerCase() !== (pr.base?.repo?.full_name ?? '').toLowerCase();
  let approvedNow: string | null = null;
  // An approval (label or command) starts a run, and a run replaces the pull request's running one
  // (job concurrency): from someone without write access it starts nothing, on any pull request.
  const labelApproval = payload.action === 'labeled' && payload.label?.name === approvalLabel;
  if (command || labelApproval) {
    const who = command?.who ?? payload.sender?.login;
    const permission = who ? await forge.getPermission({ owner, repo, user: who }) : 'none';
    if (!who || !APPROVERS.includes(permission)) {
      const by = who ?? 'Someone';
      const how = command ? 'asked to approve' : `added "${approvalLabel}"`;
      log.warn(`${by} ${how}, but approving needs write access (they have ${permission}): nothing runs.`);
      if (labelApproval) await forge.removeLabel({ owner, repo, issue: number, name: approvalLabel });
      const reason = `${by} has no write access, so their approval starts nothing`;
      return { ...none, choice: { runsOn: hosted, trusted: false, reason } };
    }
  }
  const baseRef = baseRefFromApi ?? pr.base?.ref ?? null;
  // After the permission check: an approval from someone without write access says nothing, here as anywhere.
  // Since GitHub's change of 8 December 2025, pull_request_target runs the default branch's copy of this workflow
  // and guard whichever branch the pull request targets (before it, the targeted branch's copy ran, however old).
  // Only pull requests into the default branch are trained, still: the runner trains what is to be merged there.
  // GitHub sends repository.default_branch with both events.
  const defaultBranch = payload.repository?.default_branch || pr.base?.repo?.default_branch || null;
  if (defaultBranch && baseRef !== defaultBranch) {
    const base = baseRef ?? '';
    const reason =
      `the pull request targets the branch "${shorten(base, QUOTE_MAX)}", not the default branch ` +
      `"${shorten(defaultBranch, QUOTE_MAX)}": only pull requests into the default branch are trained on the museum's runner`;
    log.warn(`Not trained: ${reason}.`);
    // An approval label on it approves nothing: off again, so adding it after the base is changed approves then.
    if (labelApproval) await forge.removeLabel({ owner, repo, issue: number, name: approvalLabel });
    return {
      ...none,
      choice: { runsOn: hosted, trusted: false, reason },
      pullRequest: { number, headSha: sha, baseRef, baseSha: pr.base?.sha ?? null, fork },
      offBase: { base, defaultBranch },
    };
  }
  if (command && fork) {
    if (sha.toLowerCase() !== command.sha) {
      log.warn(`${command.who} approved commit ${command.sha}, but the head is now ${sha.slice(0, 12)}: not approved.`);
    } else {
      const description = `Approved by ${command.who} for commit ${sha.slice(0, 12)} only`;
      await forge.setStatus({ owner, repo, sha, state: 'success', context: APPROVAL_CONTEXT, description });
      approvedNow = sha;
      log.info(`Recorded ${command.who}'s approval of commit ${sha.slice(0, 12)} (${APPROVAL_CONTEXT}).`);
    }
  }
  // Adding the label is the approval, for the head commit at that moment; the label comes off again so
  // that adding it later approves the commit of that later moment, never one nobody has looked at.
  if (labelApproval) {
    // The sender's write access was read from the API above, as for a comment.
    const who = payload.sender?.login ?? '';
    if (fork) {
      const description = `Approved by ${who} for commit ${sha.slice(0, 12)} only`;
      await forge.setStatus({ owner, repo, sha, state: 'success', context: APPROVAL_CONTEXT, description });
      approvedNow = sha;
      log.info(
        `Recorded ${who}'s approval of commit ${sha.slice(0, 12)} (${APPROVAL_CONTEXT}); a later push needs a new one.`,
      );
    }
    await forge.removeLabel({ owner, repo, issue: number, name: approvalLabel });
  }
  const statuses = fork ? await forge.listStatuses({ owner, repo, sha }) : [];
  const recorded = statuses.some(
    (s) =>
      s.context === APPROVAL_CONTEXT && s.state === 'success' && s.creator?.toLowerCase() === approver.toLowerCase(),
  );
  // A fork's own events (reopened, a push that brings an approved commit back) find an approval recorded
  // earlier, when its report ran. Running again would replace the running report (job concurrency),
  // as often as the fork's author likes: only a maintainer's new approval runs an approved commit again.
  if (fork && recorded && !approvedNow && !command && !labelApproval) {
    const reason = `commit ${sha.slice(0, 12)} was approved before and ran then; a maintainer's new approval runs it again`;
    log.info(`Nothing to run: ${reason}.`);
    return { ...none, choice: { runsOn: hosted, trusted: false, reason } };
  }
  const approvedShas = approvedNow || recorded ? [sha] : [];
  const choice = chooseRunner({ eventName: 'pull_request_target', event: decided, selfHosted, hosted, approvedShas });
  const pullRequest = {
    number,
    headSha: sha,
    baseRef,
    baseSha: baseCommit || pr.base?.sha || null,
    fork,
  };
  const allowed = allowObjects ? [...DATA_FILES, OBJECTS_FILE] : [...DATA_FILES];
  const changed = await forge.listPullRequestFiles({ owner, repo, number });
  const paths = changed.flatMap((f) => (f.previousPath === null ? [f.path] : [f.path, f.previousPath]));
  const code = paths.filter(isCodePath);
  if (changed.length >= MAX_LISTED_FILES) {
    // Past GitHub's cut a data file or code can hide: not "nothing the model reads changed", and not trained.
    const reason =
      `the pull request changes ${MAX_LISTED_FILES.toLocaleString('en')} files or more, and GitHub lists only the ` +
      `first ${MAX_LISTED_FILES.toLocaleString('en')} of a pull request's files: which files it changes cannot be ` +
      'told, so it is not judged';
    log.warn(`Not trained: ${reason}.`);
    return {
      ...none,
      choice: { runsOn: hosted, trusted: false, reason },
      pullRequest,
      approvedNow,
      code,
      tooManyFiles: true,
    };
  }
  // Every pull request into the default branch starts this workflow (no path filter), so that each gets the gate:
  // one that changes no data file has nothing to train here, whether or not the Model report checks its code.
  const dataFiles: readonly string[] = [...DATA_FILES, OBJECTS_FILE];
  // A data file saved under other capitals (Labels.csv) is the staff's work too: refused with what to do, not passed.
  // Checked against every data file: data/Objects.csv is not passed green because allow-objects is off.
  const misnamed = changed.some((f) => f.status !== 'removed' && misnamedData({ path: f.path, allowed: dataFiles }));
  if (!misnamed && !paths.some((p) => dataFiles.includes(p))) {
    const retrain = paths.includes(RETRAIN_FILE);
    const reason =
      code.length > 0
        ? 'the pull request changes no data file, only code, which the Model report (pull-request.yml) checks on a hosted runner'
        : retrain && !fork
          ? `the pull request changes no data file, only ${RETRAIN_FILE}: it is the scheduled retrain's, whose ` +
            'report (retrain.yml) sets the gate'
          : retrain
            ? `the pull request changes no data file, but ${RETRAIN_FILE}, which only the scheduled retrain writes: ` +
              'merging it would promote a model nobody judged'
            : 'the pull request changes no file the model reads (no data file, no code), so there is nothing to train';
    log.info(`Nothing to train on the museum's runner: ${reason}.`);
    return {
      ...none,
      choice: { runsOn: hosted, trusted: false, reason },
      pullRequest,
      approvedNow,
      code,
      listed: changed.length,
      noData: true,
      retrain,
    };
  }
  const refused = refusedPaths({ files: changed, allowed });
  const problems: string[] = [];
  const files: { path: string; text: string }[] = [];
  const gateChanges: GateChange[] = [];
  if (refused.length === 0) {
    for (const f of changed) {
      const at = await forge.readFileAt({ owner, repo, path: f.path, ref: sha });
      if (at.kind !== 'file') {
        const kind = at.kind === 'missing' ? 'missing file' : at.kind;
        problems.push(`${f.path} in commit ${sha.slice(0, 12)} is a ${kind}, not a regular file`);
        continue;
      }
      if (at.size > MAX_DATA_FILE_BYTES) {
        const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
        problems.push(`${f.path} is ${mb(at.size)} MB, more than the ${mb(MAX_DATA_FILE_BYTES)} MB a data file may be`);
        continue;
      }
      try {
        // Strictly UTF-8, as the pipeline reads them: a loose reading would write accents back as "\uFFFD".
        files.push({ path: f.path, text: decodeText({ bytes: at.bytes, file: f.path }) });
      } catch (error) {
        if (!isVitrineError(error)) throw error;
        problems.push(shortQuotes(messageOf(error)));
      }
    }
    const params = files.find((f) => f.path === 'params.yaml');
    if (params) {
      const baseSha = pullRequest.baseSha;
      const base = baseSha
        ? await forge.readFileAt({ owner, repo, path: 'params.yaml', ref: baseSha })
        : { kind: 'missing' as const };
      // The base's own file is trusted: read as the base's run would read it. Anything but a file or nothing (a
      // symbolic link, a folder) cannot be read here: not judged, rather than judged by the defaults.
      const baseText = base.kind === 'file' ? Buffer.from(base.bytes).toString('utf8') : null;
      const baseName = pullRequest.baseRef ?? undefined;
      const found =
        base.kind === 'file' || base.kind === 'missing'
          ? paramsProblems({ head: params.text, base: baseText, baseName })
          : [baseUnreadable({ why: `it is a ${base.kind}, not a file`, baseName }).message];
      problems.push(...found);
      if (found.length === 0) {
        // The head's own text is handed over, as written: the runner merges it three ways into the base's file,
        // and the pipeline job's base-gate step then puts the base's verdict settings back. Rewritten here with
        // them (a YAML document printed whole: comments dropped, spacing changed), it conflicted with any change
        // the base made near them since (a reviewer: a plain settings change beside main's newer folds).
        const kept = withBaseGate({ head: params.text, base: baseText, baseName });
        // What the pull request proposes is what it changed since its branch was made: a value the base branch
        // changed meanwhile is not the pull request's proposal.
        const since =
          kept.changes.length > 0 && baseSha
            ? await mergeBaseParams({ forge, owner, repo, base: baseSha, head: sha })
            : null;
        gateChanges.push(
          ...(since ? kept.changes.filter((c) => !isDeepStrictEqual(at(since, c.key), c.head)) : kept.changes),
        );
        if (kept.changes.length > 0) {
          const keys = kept.changes.map((c) => c.key).join(', ');
          log.info(`The pull request changes settings that judge it (${keys}): it is judged by the base branch's.`);
        }
      }
    }
  }
  const changedData = changed.map((f) => f.path).filter((p) => allowed.includes(p));
  if (refused.length > 0 || problems.length > 0) {
    const reason = refused.length > 0 ? refusalReason(refused) : problems.join('; ');
    return {
      choice: { runsOn: hosted, trusted: false, reason },
      pullRequest,
      files: [],
      changedData,
      code,
      listed: changed.length,
      refused,
      problems,
      approvedNow,
      gateChanges: [],
    };
  }
  return {
    choice,
    pullRequest,
    files: choice.trusted ? files : [],
    changedData,
    code,
    listed: changed.length,
    refused,
    problems,
    approvedNow,
    gateChanges: choice.trusted ? gateChanges : [],
  };
}

/**
 * The settings at the commit where the pull request's branch left the base (the defaults without a params.yaml there);
 * null when that file cannot be read: every difference from the base is then said to be the pull request's.
 */
async function mergeBaseParams({
  forge,
  owner,
  repo,
  base,
  head,
}: RepoRef & { forge: Forge; base: string; head: string }): Promise<Params | null> {
  const mergeBase = await forge.mergeBase({ owner, repo, base, head });
  if (mergeBase.toLowerCase() === base.toLowerCase()) return null;
  const at = await forge.readFileAt({ owner, repo, path: 'params.yaml', ref: mergeBase });
  if (at.kind !== 'file' && at.kind !== 'missing') return null;
  try {
    return baseParams({ base: at.kind === 'file' ? Buffer.from(at.bytes).toString('utf8') : null });
  } catch (error) {
    if (!isVitrineError(error)) throw error;
    return null;
  }
}

/** The guard's comment: which paths or settings keep the run off the museum's runner and why, or what approval is awaited. */
export function guardComment({
  result,
  sha,
  approvalLabel,
  allowed,
}: {
  result: GuardResult;
  sha: string;
  approvalLabel: string;
  allowed: readonly string[];
}): string | null {
  const lines = [GUARD_MARKER];
  const files = allowed.map((p) => `\`${p}\``).join(', ');
  const listed = (paths: readonly string[]) => paths.map((p) => code(shorten(p, 2 * QUOTE_MAX))).join(', ');
  if (result.offBase) {
    const into = code(shorten(result.offBase.defaultBranch, 2 * QUOTE_MAX));
    lines.push(
      `**Not trained on the museum's runner.** This pull request targets ${code(shorten(result.offBase.base, 2 * QUOTE_MAX))}, ` +
        `not the default branch ${into}. The museum's runner trains only pull requests into the default branch, ` +
        'whose copy of this check is the one kept up to date.',
      '',
      `To have it trained, change its base branch to ${into} (Edit, next to the title), then push a commit or close ` +
        'and reopen the pull request.',
    );
  } else if (result.tooManyFiles) {
    const most = MAX_LISTED_FILES.toLocaleString('en');
    lines.push(
      `**Not trained on the museum's runner.** This pull request changes ${most} files or more, and GitHub lists ` +
        `only the first ${most} files of a pull request, so which files it changes cannot be told.`,
      '',
      `Put the changes to the data files (${files}) in a separate pull request of their own. Files such as ` +
        'photographs are not added by a pull request: a maintainer imports them (`npx vitrine import`, then ' +
        '`npx vitrine data push`).',
    );
  } else if (result.noData) {
    return null;
  } else if (result.refused.length > 0) {
    const named = (list: RefusedPath[]) => {
      const more = list.length - MAX_NAMED;
      const some = listed(list.slice(0, MAX_NAMED).map((r) => r.path));
      return more > 0 ? `${some} and ${more.toLocaleString('en')} other file${more === 1 ? '' : 's'}` : some;
    };
    const isCode = new Set(result.code ?? []);
    const dataFiles: readonly string[] = [...DATA_FILES, OBJECTS_FILE];
    const notData = result.refused.filter((r) => r.kind === 'other');
    const deleted = result.refused.filter((r) => r.kind === 'deleted');
    const objects = result.refused.filter((r) => r.kind === 'objects');
    const renamed = result.refused.filter((r) => r.kind === 'renamed');
    const misnamed = result.refused.filter((r) => r.kind === 'misnamed');
    // Files renamed into a data file: the rename deletes them, so "move them apart" would be no advice.
    const renamedInto = notData.filter((r) => r.into !== undefined);
    const apart = notData.filter((r) => r.into === undefined);
    // Files a computer makes by itself (.DS_Store, a lock file) are deleted, not moved to another pull request.
    const system = apart.filter((r) => fileGroup(r.path) === 'system' && !r.removed);
    const codeMoved = apart.filter((r) => isCode.has(r.path) && !system.includes(r));
    const others = apart.filter((r) => !isCode.has(r.path) && !dataFiles.includes(r.path) && !system.includes(r));
    const advice: string[] = [];
    // Said of code, workflows and settings only: documentation beside the data files is no risk, just not data.
    const run = ['code', 'workflow', 'settings'];
    if (notData.some((r) => run.includes(fileGroup(r.path))))
      advice.push(
        'The runner keeps its disk and network between jobs, so from a pull request it takes only the data files, ' +
          'never its code, workflows or settings.',
      );
    if (codeMoved.length > 0)
      advice.push(
        `Put ${named(codeMoved)} in a separate pull request: the Model report checks ` +
          `${codeMoved.length === 1 ? 'it' : 'them'} on a hosted runner, and sets the gate for a branch of this repository.`,
      );
    const alsoWrong = deleted.length + renamed.length + misnamed.length + renamedInto.length > 0;
    // "Then trained here" only when moving these apart is all it takes.
    const onlyThese = !alsoWrong && system.length === 0 && objects.length === 0;
    if (others.length > 0)
      advice.push(
        `Move ${named(others)} to a separate pull request: the model does not read ${others.length === 1 ? 'it' : 'them'}, ` +
          `so that one needs no model report${onlyThese ? ', and this one is then trained here.' : '.'}`,
      );
    if (system.length > 0) {
      const them = system.length === 1 ? 'it' : 'them';
      const done = !alsoWrong && codeMoved.length === 0 && objects.length === 0;
      advice.push(
        `Delete ${named(system)} in this pull request: the computer made ${them} by itself, and nothing here ` +
          `needs ${them}${done ? '; this one is then trained here.' : '.'}`,
      );
    }
    const moveOrRename = (r: RefusedPath) =>
      otherFolder(r.path, r.meant ?? '') ? 'at exactly that path: move' : 'in exactly that spelling: rename';
    for (const r of misnamed) {
      const meant = code(r.meant ?? '');
      // Renamed, a spreadsheet program's file would still not be text.
      advice.push(
        SPREADSHEET.test(r.path)
          ? `Vitrine reads ${meant} only as text (CSV): open ${codeName(r.path)} and save it as "CSV UTF-8" under ` +
              `the name ${meant}, then delete ${codeName(r.path)} in this pull request.`
          : `Vitrine reads ${meant} only ${moveOrRename(r)} ` +
              `${codeName(r.path)} to ${meant} in this pull request, or copy its ${wordsFor(r.meant ?? '').holds} ` +
              `into ${meant} and delete ${codeName(r.path)}.`,
      );
    }
    for (const r of renamedInto) {
      const into = codeName(r.into ?? '');
      // Into a data file's name in other capitals: the file to add is the data file, in its exact spelling.
      const add = r.meant ? code(r.meant) : into;
      const spelling = r.meant ? `, and Vitrine reads ${add} only in exactly that spelling` : '';
      advice.push(
        `Renaming ${codeName(r.path)} to ${into} deletes ${codeName(r.path)}${spelling}: keep ${codeName(r.path)} ` +
          `as it is in this pull request and add ${add} as a file of its own (copy into it what it should hold); ` +
          `delete ${codeName(r.path)} in a separate pull request if it is no longer needed.`,
      );
    }
    const objectsAdvice =
      "To change an object's title or other details, change it in the collections-management system and have a " +
      'maintainer import its export again (`npx vitrine import`). If this repository keeps ' +
      `${code(OBJECTS_FILE)} in git (not in the data remote), a maintainer can let pull requests change it: ` +
      '`allow-objects: true` on the choose-runner step of the trusted workflow (`pull-request-data.yml`).';
    if (objects.length > 0) advice.push(objectsAdvice);
    if (deleted.length > 0) {
      const one = deleted.length === 1;
      advice.push(
        `If ${named(deleted)} ${one ? 'was' : 'were'} deleted by mistake, put ${one ? 'it' : 'them'} back in this ` +
          `pull request. Deleting ${one ? 'it' : 'them'} for good is for a maintainer to decide: the museum's runner ` +
          'does not train a pull request that deletes a data file, so a maintainer who agrees merges it without ' +
          'waiting for this check.',
      );
    }
    for (const r of renamed) {
      const to = codeName(r.to ?? '');
      // With allow-objects off, data/objects.csv may not change at all: renamed back, it must hold what it held.
      const locked = r.path === OBJECTS_FILE && !allowed.includes(OBJECTS_FILE);
      advice.push(
        `Keep the name ${code(r.path)}: rename ${to} back to ${code(r.path)} in this pull request` +
          (locked
            ? ", and leave what it holds as it is: this repository's workflow does not let pull requests change it."
            : ' (the changes to what it holds can stay).'),
      );
      if (locked && objects.length === 0 && !advice.includes(objectsAdvice)) advice.push(objectsAdvice);
    }
    // Said from the pull request's own files: a deleted labels.csv is not "a file other than the data files".
    const all = (list: RefusedPath[]) => list.length === result.refused.length;
    const lead = all(deleted)
      ? `This pull request deletes ${deleted.length === 1 ? 'a data file' : 'data files'}`
      : all(renamed)
        ? `This pull request renames (moves) ${renamed.length === 1 ? 'a data file' : 'data files'}`
        : all(misnamed) && misnamed.every((r) => SPREADSHEET.test(r.path))
          ? `This pull request has ${misnamed.length === 1 ? 'a data file' : 'data files'} saved as a spreadsheet`
          : all(misnamed)
            ? `This pull request names ${misnamed.length === 1 ? 'a data file' : 'data files'} in another spelling`
            : all(renamedInto)
              ? `This pull request renames ${renamedInto.length === 1 ? 'a file' : 'files'} into a data file`
              : all(notData)
                ? `This pull request changes files other than the data files (${files})`
                : all(objects)
                  ? `This pull request changes ${code(OBJECTS_FILE)}`
                  : "This pull request makes changes the museum's runner does not take from a pull request";
    // Files other than the data files: at most MAX_LINES of each group line by line; every other refusal is said.
    const shownOf = new Map<FileGroup, number>();
    const shown = result.refused.filter((r) => {
      if (r.kind !== 'other' || r.into !== undefined) return true;
      const group = fileGroup(r.path);
      shownOf.set(group, (shownOf.get(group) ?? 0) + 1);
      return (shownOf.get(group) ?? 0) <= MAX_LINES;
    });
    const hidden = result.refused.length - shown.length;
    lines.push(
      `**Not trained on the museum's runner.** ${lead}:`,
      '',
      ...shown.map((r) => `- ${codeName(r.path)}: ${text(r.why)}`),
      ...(hidden === 1 ? ['- …and 1 other file: it is not a data file'] : []),
      ...(hidden > 1 ? [`- …and ${hidden.toLocaleString('en')} other files: they are not data files`] : []),
      '',
      advice.join(' '),
    );
  } else if (result.problems.length > 0) {
    // Plain text: the reasons quote the fork's params.yaml (links, @mentions, #refs, HTML, carriage returns).
    const problems = result.problems.map((p) => `- ${text(shorten(p, 4 * QUOTE_MAX))}`);
    lines.push("**Not trained on the museum's runner.** The data files cannot be used as they are:", '', ...problems);
  } else if (!result.choice.trusted) {
    // The pull request's own data files: the allow-list would name files it leaves alone.
    const changes = result.changedData?.length ? `the changes to ${listed(result.changedData)}` : 'its changes';
    lines.push(
      `**Waiting for a maintainer.** This pull request comes from a fork. A maintainer who has read ${changes} ` +
        `at commit \`${sha.slice(0, 12)}\` can add the "${approvalLabel}" label to train it on the museum's runner, ` +
        'or, to approve exactly the commit they read, comment (with the full commit, all 40 characters):',
      '',
      `    /vitrine approve ${sha.replace(/[^0-9a-f]/gi, '')}`,
      '',
      'The approval covers that commit only: after a new push, a maintainer approves again.',
    );
  } else return null;
  return lines.join('\n');
}

/**
 * The gate status the guard sets on a head it keeps off the runner, or null when another run sets it: the trusted
 * training (after its report), or the Model report (pull-request.yml) for a branch of this repository that changes
 * code. vitrine/gate is required on main, so every pull request into it gets one from somewhere. Descriptions are
 * at most 140 characters (GitHub's limit).
 */
export function guardGateStatus(
  result: GuardResult,
): { state: 'success' | 'failure' | 'pending'; description: string } | null {
  const pr = result.pullRequest;
  if (!pr || result.choice.trusted) return null;
  const codeChanged = (result.code ?? []).length > 0;
  if (result.offBase) {
    // The Model report runs on a branch's pull request into any base; only a fork's head waits on this one.
    if (!pr.fork) return null;
    return {
      state: 'failure',
      description: "Not trained: only pull requests into the default branch are trained on the museum's runner",
    };
  }
  if (result.tooManyFiles) {
    const most = MAX_LISTED_FILES.toLocaleString('en');
    const description = `Not judged: GitHub lists only the first ${most} files of a pull request; split it (see the comment)`;
    return { state: 'failure', description };
  }
  // The retrain's report sets the gate on its own pull request (a failure there must stay one); a fork that writes
  // the retrain's file would promote a model on merge that nothing judged.
  if (result.noData && !codeChanged && result.retrain)
    return pr.fork
      ? {
          state: 'failure',
          description: `Not judged: ${RETRAIN_FILE} is the scheduled retrain's; a maintainer decides`,
        }
      : null;
  if (result.noData && !codeChanged)
    return {
      state: 'success',
      description: 'Nothing the model reads changed (no data file, no code): no model report needed',
    };
  // A branch's code: its Model report (hosted) trains with its own code and data files and sets the gate. Past the
  // first PATHS_FILTER_FILES files GitHub may not start it at all: the gate then waits, and says why (never a pass).
  if (codeChanged && !pr.fork && (result.listed ?? 0) > PATHS_FILTER_FILES)
    return {
      state: 'pending',
      description:
        `Waiting for the Model report. GitHub may not start it: it looks at the first ${PATHS_FILTER_FILES} files ` +
        'of a pull request only',
    };
  if (codeChanged && !pr.fork) return null;
  // Names on one line; a name with spaces at its ends quoted, so that "labels.csv " is not read as labels.csv.
  const shown = (name: string, max: number) => plainName(name, max);
  // Each rename as "old to new", each new name cut to its share of `max` once: never cut again when joined.
  const renames = (list: RefusedPath[], max: number) => {
    const share = Math.floor(max / list.length);
    return list.map((r) => {
      const from = shown(r.path, Math.max(12, Math.floor(share / 2)));
      const to = r.kind === 'renamed' ? (r.to ?? '') : (r.into ?? '');
      return `${from} to ${shown(to, Math.max(12, share - Array.from(from).length - 6))}`;
    });
  };
  const misnamedOnes = result.refused.filter((r) => r.kind === 'misnamed');
  const misnamedText = (max: number) =>
    misnamedOnes.map(
      (r) => `${shown(r.path, Math.max(12, Math.floor(max / misnamedOnes.length) - 20))}, not ${r.meant}`,
    );
  if (codeChanged) {
    // A data file it deletes, renames or names in other capitals is named too: the code is not all that keeps it
    // off the runner.
    // A file renamed into a data file too: fixing only the code would meet a second refusal.
    const gone = [
      ...result.refused.filter((r) => r.kind === 'deleted').map((r) => `deletes ${r.path}`),
      ...renames(
        result.refused.filter((r) => r.kind === 'renamed' || (r.kind === 'other' && r.into !== undefined)),
        40,
      ).map((x) => `renames ${x}`),
      ...(misnamedOnes.length > 0 ? [`has ${misnamedText(40).join(', ')}`] : []),
    ];
    if (gone.length > 0) {
      const description = `Not judged: it ${shorten(gone.join(', '), 70)}, and a fork's code gets no gate; a maintainer decides`;
      return { state: 'failure', description: shorten(description, 140) };
    }
    return {
      state: 'failure',
      description: "Not judged: a fork's code gets a report on a hosted runner but no gate; a maintainer decides",
    };
  }
  if (result.refused.length === 0 && result.problems.length === 0)
    return { state: 'pending', description: `Waiting for a maintainer to approve commit ${pr.headSha.slice(0, 12)}` };
  // Each kind of refusal is named, so that a deletion beside other files is not said as those files alone.
  const oneLine = (paths: string[], max: number) =>
    shorten(paths.join(', ').replace(/[\u0000-\u001f\u007f]+/g, ' '), max);
  const apart = result.refused.filter((r) => r.kind === 'other' && r.into === undefined);
  // Files a computer makes by itself (.DS_Store) are to be deleted, not moved apart.
  const system = apart.filter((r) => fileGroup(r.path) === 'system' && !r.removed).map((r) => r.path);
  const others = apart.map((r) => r.path).filter((p) => !system.includes(p));
  const deleted = result.refused.filter((r) => r.kind === 'deleted').map((r) => r.path);
  const objects = result.refused.some((r) => r.kind === 'objects');
  const renamedOnes = result.refused.filter(
    (r) => r.kind === 'renamed' || (r.kind === 'other' && r.into !== undefined),
  );
  const kinds = [
    others.length > 0,
    deleted.length > 0,
    objects,
    renamedOnes.length > 0,
    misnamedOnes.length > 0,
    system.length > 0,
  ];
  if (kinds.filter(Boolean).length > 1) {
    const parts = [
      ...(deleted.length > 0 ? [`deletes ${oneLine(deleted, 40)}`] : []),
      ...(renamedOnes.length > 0 ? [`renames ${renames(renamedOnes, 50).join(', ')}`] : []),
      ...(misnamedOnes.length > 0 ? [`has ${misnamedText(40).join(', ')}`] : []),
      ...(objects ? [`changes ${OBJECTS_FILE}`] : []),
      ...(others.length > 0 ? [`changes ${oneLine(others, 40)} besides the data files`] : []),
      ...(system.length > 0 ? [`has ${oneLine(system, 30)}, made by the computer (delete it)`] : []),
    ];
    const description = `Not trained: it ${parts.join(', and ')} (see the comment)`;
    return { state: 'failure', description: shorten(description, 140) };
  }
  if (others.length > 0) {
    const list = oneLine(others, 60);
    return { state: 'failure', description: `Not trained: it changes ${list} besides the data files; move that apart` };
  }
  if (system.length > 0) {
    const them = system.length === 1 ? 'it' : 'them';
    const list = oneLine(system, 50);
    return { state: 'failure', description: `Not trained: it has ${list}, which the computer made; delete ${them}` };
  }
  if (deleted.length > 0)
    return { state: 'failure', description: `Not trained: it deletes ${deleted.join(', ')} (see the comment)` };
  if (misnamedOnes.length === 1) {
    const r = misnamedOnes[0]!;
    if (SPREADSHEET.test(r.path)) {
      const save = `Not trained: Vitrine reads ${r.meant} only as CSV; save ${shown(r.path, 40)} as CSV UTF-8 named ${r.meant}`;
      return { state: 'failure', description: shorten(save, 140) };
    }
    const rename = otherFolder(r.path, r.meant ?? '')
      ? `Not trained: Vitrine reads ${r.meant} only at that path; move ${shown(r.path, 40)} to it`
      : `Not trained: Vitrine reads ${r.meant} only in that spelling; rename ${shown(r.path, 40)} to it`;
    const description = `${rename} or copy it in (see the comment)`;
    return { state: 'failure', description: description.length <= 140 ? description : shorten(rename, 140) };
  }
  if (misnamedOnes.length > 0) {
    const description = `Not trained: it has ${misnamedText(80).join(', ')}; use the exact names (see the comment)`;
    return { state: 'failure', description: shorten(description, 140) };
  }
  if (renamedOnes.length === 1) {
    const r = renamedOnes[0]!;
    const [named] = renames(renamedOnes, 40);
    const description =
      r.kind === 'renamed'
        ? `Not trained: it renames ${named}; keep the name ${r.path} (see the comment)`
        : `Not trained: it renames ${named}, which deletes ${shown(r.path, 30)} (see the comment)`;
    return { state: 'failure', description: shorten(description, 140) };
  }
  if (renamedOnes.length > 0) {
    const keep = renamedOnes.every((r) => r.kind === 'renamed') ? '; keep their names' : '';
    const description = `Not trained: it renames ${renames(renamedOnes, 80).join(', ')}${keep} (see the comment)`;
    return { state: 'failure', description: shorten(description, 140) };
  }
  if (objects)
    return {
      state: 'failure',
      description: `Not trained: this repository does not let pull requests change ${OBJECTS_FILE} (see the comment)`,
    };
  return { state: 'failure', description: 'Not trained: the data files cannot be used as they are (see the comment)' };
}
