import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { conflictMarkerLine } from '../collection/index.ts';
import { isVitrineError, VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import { type ManifestEntry, readCachedManifest } from './cache.ts';
import { gitUnderway, notAMergeAdvice, operationWords, recordConflict } from './merge-state.ts';

/*
 * `data.dvc` as DVC 3.x writes it for a tracked folder:
 *
 *   outs:
 *   - md5: 6fdb5336fce0dbfd669f83065f107551.dir
 *     size: 12345
 *     nfiles: 2
 *     hash: md5
 *     path: data
 *
 * A DVC 2.x file has no `hash: md5` line (its hashes are "md5-dos2unix" and its cache has another
 * layout); we read it and say so, so callers can refuse it with a clear message.
 */

/** One output of a `.dvc` file. */
export interface DvcOut {
  /** md5 of the file, or of the folder's manifest plus ".dir". */
  md5: string;
  size?: number;
  nfiles?: number;
  /** "md5" in DVC 3.x files; absent in DVC 2.x files. */
  hash?: string;
  /** Path relative to the `.dvc` file's folder, with forward slashes. */
  path: string;
}

export interface DvcFile {
  outs: DvcOut[];
  /** Written by DVC 2.x (no `hash: md5`): hashes are md5-dos2unix and objects sit in the old cache layout. */
  legacy: boolean;
}

const MD5_RE = /^[0-9a-f]{32}(\.dir)?$/;

// The keys DVC 3's schema allows in a .dvc file (dvc/schema.py SINGLE_STAGE_SCHEMA) and in an output
// (dvc/output.py SCHEMA); DVC refuses any other, and so do we, so both tools read the same files.
const TOP_KEYS = new Set(['md5', 'cmd', 'wdir', 'deps', 'outs', 'locked', 'frozen', 'meta', 'always_changed', 'desc']);
const OUT_KEYS = new Set([
  'md5',
  'etag',
  'checksum',
  'size',
  'nfiles',
  'isexec',
  'version_id',
  'path',
  'persist',
  'cloud',
  'hash',
  'desc',
  'type',
  'labels',
  'meta',
  'cache',
  'remote',
  'push',
  'files',
  'fs_config',
]);

/** Parse the text of a `.dvc` file; errors name the file and line. */
export function parseDvcFile({
  text,
  file,
  target,
}: {
  text: string;
  file: string;
  /** The folder this file must track (`data` for data.dvc); when given, any other "path:" is refused. */
  target?: string;
}): DvcFile {
  // Two branches that each recorded data/ leave git's markers here: not "invalid YAML", and "data merge" resolves it.
  const conflict = conflictMarkerLine(text);
  if (conflict !== undefined)
    throw new VitrineError(
      'DVCFILE_MERGE_CONFLICT',
      `${file}:${conflict}: this file still has a merge conflict: two branches each recorded data/ (each added, ` +
        'removed or changed photographs), and git cannot combine the two records. Run "npx vitrine data merge": it ' +
        `puts both branches' photographs in data/ and records them in ${path.basename(file)}. Then commit it ` +
        `(git add ${path.basename(file)}, then git commit).`,
      { file, line: conflict },
    );
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined, fallback = 1): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  const fail = (line: number, problem: string, key?: string): never => {
    throw new VitrineError('DVCFILE_INVALID', `${file}:${line}: ${problem}`, { file, line, ...(key ? { key } : {}) });
  };
  const unknownKey = (keyNode: unknown, where: string, allowed: Set<string>, fallback: number): never => {
    const key = String((keyNode as { value?: unknown })?.value ?? keyNode);
    return fail(
      lineOf(keyNode as Node, fallback),
      `unknown key "${key}" ${where}; DVC refuses it too. Allowed: ${[...allowed].join(', ')}.`,
      key,
    );
  };
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
    fail(line, `this is not valid YAML (${error.message.split('\n')[0]}).`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(lineOf(root as Node), 'expected "outs:" with a list of outputs.');
  for (const pair of root.items) {
    if (!TOP_KEYS.has(String((pair.key as { value?: unknown })?.value)))
      unknownKey(pair.key, 'at the top of the file', TOP_KEYS, 1);
  }
  const outsPair = root.items.find((pair) => (pair.key as { value?: unknown })?.value === 'outs');
  if (!outsPair) return fail(1, 'there is no "outs:" list, so nothing is tracked.');
  const outsNode = outsPair.value as Node | null;
  if (!isSeq(outsNode) || outsNode.items.length === 0) {
    return fail(
      lineOf(outsNode ?? (outsPair.key as Node)),
      '"outs:" must be a list with at least one entry ("- md5: …").',
    );
  }
  if (outsNode.items.length > 1) {
    return fail(
      lineOf(outsNode.items[1] as Node),
      `${outsNode.items.length} outputs are listed, but Vitrine versions one data folder per .dvc file. Keep ` +
        `only the data folder's entry ` +
        '(track other files or folders with their own .dvc file).',
    );
  }
  const outs: DvcOut[] = [];
  let legacy = false;
  for (const item of outsNode.items) {
    const itemLine = lineOf(item as Node);
    if (!isMap(item)) return fail(itemLine, 'each output must be a mapping with "md5" and "path".');
    for (const pair of item.items) {
      if (!OUT_KEYS.has(String((pair.key as { value?: unknown })?.value)))
        unknownKey(pair.key, 'in the output', OUT_KEYS, itemLine);
    }
    const fieldLine = (key: string): number => {
      const pair = item.items.find((p) => (p.key as { value?: unknown })?.value === key);
      return pair ? lineOf(pair.value as Node, lineOf(pair.key as Node, itemLine)) : itemLine;
    };
    const value = item.toJSON() as Record<string, unknown>;
    const md5 = value.md5;
    if (typeof md5 !== 'string' || !MD5_RE.test(md5.toLowerCase())) {
      if (md5 === undefined) return fail(itemLine, 'this output has no "md5".');
      return fail(
        fieldLine('md5'),
        `"md5: ${String(md5)}" is not an md5 hash (32 hex digits, with ".dir" for a folder).`,
      );
    }
    const outPath = value.path;
    if (typeof outPath !== 'string' || outPath === '') return fail(fieldLine('path'), 'this output has no "path".');
    if (target !== undefined && !isTargetPath(outPath, target)) {
      throw wrongPathError({ file, line: fieldLine('path'), value: outPath, target });
    }
    for (const key of ['size', 'nfiles'] as const) {
      // Safe integers only: a larger number (9 PB and up) is not one JavaScript can hold, so not a real count.
      if (
        value[key] !== undefined &&
        (typeof value[key] !== 'number' || !Number.isSafeInteger(value[key]) || (value[key] as number) < 0)
      ) {
        return fail(fieldLine(key), `"${key}: ${String(value[key])}" must be a whole number.`);
      }
    }
    if (value.hash === undefined) legacy = true;
    else if (value.hash !== 'md5')
      return fail(fieldLine('hash'), `"hash: ${String(value.hash)}" is not supported (only "md5").`);
    outs.push({
      md5: md5.toLowerCase(),
      ...(value.size !== undefined ? { size: value.size as number } : {}),
      ...(value.nfiles !== undefined ? { nfiles: value.nfiles as number } : {}),
      ...(value.hash !== undefined ? { hash: 'md5' } : {}),
      path: outPath,
    });
  }
  return { outs, legacy };
}

/** Read a `.dvc` file. A missing file throws DATA_NOT_TRACKED; a malformed one names its line. */
export async function readDvcFile({ file }: { file: string }): Promise<DvcFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VitrineError(
        'DATA_NOT_TRACKED',
        `${path.basename(file)} does not exist yet: run "npx vitrine data add" to start versioning the data folder.`,
        { file },
        { cause: error },
      );
    }
    throw error;
  }
  try {
    return parseDvcFile({ text, file: path.basename(file), target: targetOf(file) });
  } catch (error) {
    throw await duringGitOperation({ error, file });
  }
}

/**
 * A .dvc file that does not read while git is combining two histories that both changed it: the conflict git left,
 * or one edited by hand (a marker line deleted, both "- md5:" lines kept), is said as the unresolved conflict it
 * is, with the way to finish that works; in a rebase or a cherry-pick, "data merge" is not that way.
 */
async function duringGitOperation({ error, file }: { error: unknown; file: string }): Promise<unknown> {
  const markers = isVitrineError(error, 'DVCFILE_MERGE_CONFLICT');
  if (!markers && !isVitrineError(error, 'DVCFILE_INVALID')) return error;
  const root = path.dirname(path.resolve(file));
  const name = path.basename(file);
  const conflict = await recordConflict({ root, dvcName: name });
  // Markers say the conflict themselves: only what git is in the middle of is to be found out.
  const operation = conflict?.operation ?? (markers ? (await gitUnderway({ root }))?.operation : undefined);
  if (!operation || (operation === 'merge' && markers)) return error;
  const line = typeof error.data.line === 'number' ? error.data.line : undefined;
  const where = `${name}${line ? `:${line}` : ''}`;
  const target = targetOf(file);
  if (operation !== 'merge')
    return new VitrineError(
      'DVCFILE_MERGE_CONFLICT',
      `${where}: this file has a conflict that ${operationWords(operation)} stopped on: both sides recorded ` +
        `${target}/ (each added, removed or changed photographs), and git cannot combine the two records. ` +
        notAMergeAdvice(operation),
      { ...error.data, operation },
      { cause: error },
    );
  // Its first sentence: the rest is advice for a file no merge is under way in.
  const problem = error.message.replace(`${where}: `, '').split(/\.(?:\s|$)/)[0];
  return new VitrineError(
    'DVCFILE_MERGE_CONFLICT',
    `${where}: this file still has an unresolved merge conflict: a git merge is under way, both branches recorded ` +
      `${target}/ (each added, removed or changed photographs), and what the file holds now is not a record ` +
      `(${problem}): the conflict was edited by hand, not resolved. Run "npx vitrine data merge": it reads both ` +
      `branches' records from git, not this file, puts both branches' photographs in ${target}/ and writes ${name}. ` +
      `Then commit it (git add ${name}, then git commit).`,
    { ...error.data, operation },
    { cause: error },
  );
}

/** The folder a `<name>.dvc` file tracks: `<name>`, beside it (what "dvc add <name>" writes). */
function targetOf(dvcFile: string): string {
  return path.basename(dvcFile).replace(/\.dvc$/, '');
}

/** "data", "./data" and "data/" all name the folder data beside the .dvc file; nothing else does. */
function isTargetPath(value: string, target: string): boolean {
  return !value.includes('\\') && path.posix.normalize(value).replace(/\/+$/, '') === target;
}

// A .dvc file edited to name another folder (.github, pipeline) would let checkout --force delete it.
function wrongPathError({
  file,
  line,
  value,
  target,
}: {
  file: string;
  line?: number;
  value: string;
  target: string;
}): VitrineError {
  return new VitrineError(
    'DVCFILE_PATH_OUTSIDE',
    `${file}${line ? `:${line}` : ''}: "path: ${value}" must be "path: ${target}": ${file} tracks the folder ${target}/ beside it ` +
      `(what "dvc add ${target}" writes). Vitrine refuses to read or write "${value}". Put back "path: ${target}".`,
    { file, ...(line ? { line } : {}), path: value },
  );
}

// Plain YAML scalars that ruamel (DVC's writer) leaves unquoted; anything else is single-quoted.
const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

/** The exact bytes DVC 3.x writes for these outputs. */
export function formatDvcFile({ outs }: { outs: DvcOut[] }): string {
  const lines = ['outs:'];
  for (const out of outs) {
    lines.push(`- md5: ${out.md5}`);
    if (out.size !== undefined) lines.push(`  size: ${out.size}`);
    if (out.nfiles !== undefined) lines.push(`  nfiles: ${out.nfiles}`);
    lines.push('  hash: md5');
    const p =
      PLAIN.test(out.path) && !/^(true|false|null|yes|no|on|off|~)$/i.test(out.path) && !/^[0-9.]+$/.test(out.path)
        ? out.path
        : `'${out.path.replaceAll("'", "''")}'`;
    lines.push(`  path: ${p}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Write a `.dvc` file atomically, byte-for-byte as DVC 3.x does. */
export async function writeDvcFile({ file, outs }: { file: string; outs: DvcOut[] }): Promise<void> {
  await writeFileAtomic({ file, data: formatDvcFile({ outs }) });
}

/** The absolute folder an output points at; refuses any path but the `.dvc` file's own target. */
export function resolveOutPath({ root, dvcFile, out }: { root: string; dvcFile: string; out: DvcOut }): string {
  const absRoot = path.resolve(root);
  const name = path.basename(dvcFile);
  if (!isTargetPath(out.path, targetOf(dvcFile)))
    throw wrongPathError({ file: name, value: out.path, target: targetOf(dvcFile) });
  if (path.isAbsolute(out.path) || /^[a-zA-Z]:/.test(out.path) || out.path.includes('\\') || out.path.includes('://')) {
    throw new VitrineError(
      'DVCFILE_PATH_OUTSIDE',
      `${name}: "path: ${out.path}" must be a folder inside the repository, written relative to ${name}.`,
      { file: name, path: out.path },
    );
  }
  const abs = path.resolve(path.dirname(path.resolve(dvcFile)), out.path);
  const relative = path.relative(absRoot, abs);
  if (
    relative === '' ||
    relative.startsWith('..') ||
    path.isAbsolute(relative) ||
    relative.split(path.sep).includes('.git') ||
    relative.split(path.sep)[0] === '.dvc'
  ) {
    throw new VitrineError(
      'DVCFILE_PATH_OUTSIDE',
      `${name}: "path: ${out.path}" points outside the repository's data (to "${relative || '.'}"); Vitrine ` +
        `refuses to read or write there.`,
      { file: name, path: out.path },
    );
  }
  return abs;
}

/** The message for a DVC 2.x file, which this version of Vitrine does not read objects for. */
export function legacyError(file: string): VitrineError {
  const name = path.basename(file);
  return new VitrineError(
    'DVCFILE_LEGACY',
    `${name} was written by DVC 2.x (it has no "hash: md5" line), whose cache layout Vitrine does not read. ` +
      'Either run "dvc cache migrate --dvc-files" with DVC 3, or run "npx vitrine data add" to record the data folder ' +
      'again in DVC 3 format.',
    { file: name },
  );
}

/**
 * The files `dvcFile` records, from the folder list in the local cache (`data add`, before it records again, and its
 * check of photographs read them alike); undefined when there is nothing readable recorded (not versioned yet, an
 * unreadable .dvc file or list: a later step says what is wrong, and recording the folder now replaces it).
 */
export async function recordedFiles({
  dvcFile,
  cacheDir,
  target,
}: {
  dvcFile: string;
  cacheDir: string;
  target: string;
}): Promise<ManifestEntry[] | undefined> {
  let recorded: DvcOut | undefined;
  try {
    recorded = (await readDvcFile({ file: dvcFile })).outs[0];
  } catch {
    return undefined;
  }
  if (!recorded?.md5.endsWith('.dir')) return undefined;
  return readCachedManifest({ cacheDir, md5: recorded.md5, target }).catch(() => undefined);
}
