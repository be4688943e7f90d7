import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ignoreModule from 'ignore';
import { VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import { type EvalWorker, startWorker } from '../worker.ts';
import { isOurTemp } from './temp.ts';

/*
 * Hashing exactly as DVC 3.x does: a file is the md5 of its raw bytes; a folder is the md5 of its
 * `.dir` manifest (the files, not empty folders, as a JSON list of {"md5", "relpath"} sorted by
 * relpath in code-point order, serialised like Python's json.dumps(..., sort_keys=True)) plus ".dir".
 * A state file (path → inode, mtime, size, md5) lets an unchanged tree be hashed without reading it.
 */

/** One file of a tracked folder, as listed in its `.dir` manifest (plus its size). */
export interface TreeEntry {
  md5: string;
  /** Path inside the folder, with forward slashes. */
  relpath: string;
  size: number;
}

export interface TreeHash {
  /** md5 of the manifest, ending with ".dir". */
  md5: string;
  /** Total bytes of the files. */
  size: number;
  nfiles: number;
  /** Sorted by relpath in code-point order, as in the manifest. */
  entries: TreeEntry[];
}

const CHUNK = 1024 * 1024;
let shared: Buffer | undefined;

/** md5 (hex) of a file's raw bytes. */
export async function hashFile({ file }: { file: string }): Promise<string> {
  await statOrMissing(file);
  return md5OfFileSync(file);
}

/*
 * Synchronous reads into one reused buffer: for many small files this is about twice as fast as
 * promise-based reads (no per-call promise and buffer allocation) and on par with md5sum. Callers
 * yield to the event loop between files.
 */
/** md5 of a file, read synchronously (for short files, or inside a loop that yields between files). */
export function md5OfFileSync(file: string): string {
  shared ??= Buffer.allocUnsafe(CHUNK);
  const hash = createHash('md5');
  const fd = openSync(file, 'r');
  try {
    let n: number;
    while ((n = readSync(fd, shared, 0, CHUNK, null)) > 0) hash.update(shared.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/*
 * Worker threads for hashing a fresh tree on every core. The worker is a short CommonJS script given
 * as source (eval), so it runs the same from TypeScript sources, the bundled actions and any Node.
 * Each worker reads with synchronous calls into one reused buffer, like md5OfFileSync.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync, fstatSync } = require('node:fs');
const buffer = Buffer.allocUnsafe(${CHUNK});
parentPort.on('message', ({ id, files }) => {
  const stamps = [];
  const out = files.map((file) => {
    try {
      const hash = createHash('md5');
      const fd = openSync(file, 'r');
      try {
        let n;
        while ((n = readSync(fd, buffer, 0, buffer.length, null)) > 0) hash.update(buffer.subarray(0, n));
        // What the file was once read, for the caller to compare with what it was before.
        const after = fstatSync(fd, { bigint: true });
        stamps.push(after.ino + ' ' + after.mtimeNs + ' ' + after.size);
      } finally {
        closeSync(fd);
      }
      return hash.digest('hex');
    } catch (error) {
      stamps.push('');
      return { code: error.code || 'EIO', message: error.message };
    }
  });
  parentPort.postMessage({ id, out, stamps });
});
`;

/** Files per message to a worker: enough to amortise the message, few enough to balance the threads. */
const BATCH_FILES = 32;
const BATCH_BYTES = 8 * 1024 * 1024;

/** The number of threads to hash with when none is given: one per core. */
export function defaultHashThreads(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * md5 of each file, on `threads` worker threads (default: one per core); `sizes` (bytes, same order)
 * balances the batches. A file that cannot be read throws DATA_MISSING (gone) or its own error.
 */
export async function md5OfFiles(options: {
  files: string[];
  sizes?: number[];
  threads?: number;
  /** `stamp`: "<inode> <mtime ns> <size>" of the file just after it was read (a stat the caller need not make). */
  onFile?: (index: number, md5: string, stamp: string) => void;
}): Promise<{ md5s: string[]; threads: number }> {
  const { files, sizes, threads = defaultHashThreads(), onFile } = options;
  const md5s = new Array<string>(files.length);
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  files.forEach((_, i) => {
    current.push(i);
    bytes += sizes?.[i] ?? 0;
    if (current.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  });
  if (current.length) batches.push(current);
  const count = Math.max(1, Math.min(threads, batches.length));
  type Reply = { id: number; out: (string | { code: string; message: string })[]; stamps: string[] };
  const workers: EvalWorker[] = [];
  let next = 0;
  let idle = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      // Each thread takes the next batch when it answers; done once every thread has none left.
      const send = (worker: EvalWorker) => {
        if (next < batches.length) worker.post({ id: next, files: batches[next++].map((i) => files[i]) });
        else if (++idle === count) resolve();
      };
      for (let t = 0; t < count; t++) {
        const worker = startWorker<Reply>({
          source: WORKER_SOURCE,
          name: 'a hashing thread',
          onMessage: ({ id, out, stamps }) => {
            for (let k = 0; k < out.length; k++) {
              const index = batches[id][k];
              const result = out[k];
              if (typeof result !== 'string') return reject(unreadable(files[index], result));
              md5s[index] = result;
              onFile?.(index, result, stamps[k]);
            }
            send(worker);
          },
          // A thread that fails or ends while hashing fails the hash, rather than leaving it waiting for ever.
          onStop: reject,
        });
        workers.push(worker);
        send(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { md5s, threads: count };
}

/** The error for a file a hashing thread could not read: DATA_MISSING when it is gone. */
function unreadable(file: string, failure: { code: string; message: string }): Error {
  if (failure.code === 'ENOENT') return new VitrineError('DATA_MISSING', `"${file}" does not exist.`, { file });
  return Object.assign(new Error(`${file}: ${failure.message}`), { code: failure.code });
}

async function statOrMissing(file: string): Promise<BigIntStats> {
  try {
    return await stat(file, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VitrineError('DATA_MISSING', `"${file}" does not exist.`, { file }, { cause: error });
    }
    throw error;
  }
}

/** Compare strings by Unicode code point, as Python sorts str (JS's default compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Only surrogates (U+D800–DFFF) sort differently: as code points they are above U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** A string as Python's json.dumps writes it with ensure_ascii=True. */
export function pyJsonString(s: string): string {
  // Printable ASCII without quotes or backslashes (nearly every file name) is written as it is.
  if (/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** The `.dir` manifest bytes of a folder, exactly as DVC writes them. */
export function manifestBytes(entries: { md5: string; relpath: string }[]): Buffer {
  // Trees come sorted from listFiles; checking is cheaper than sorting again.
  let inOrder = true;
  for (let i = 1; i < entries.length && inOrder; i++)
    inOrder = compareCodePoints(entries[i - 1].relpath, entries[i].relpath) < 0;
  const sorted = inOrder ? entries : [...entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
  const items = sorted.map((e) => `{"md5": ${pyJsonString(e.md5)}, "relpath": ${pyJsonString(e.relpath)}}`);
  return Buffer.from(`[${items.join(', ')}]`, 'utf8');
}

/** The `.dir` hash of a manifest: its md5 plus ".dir". */
export function manifestHash(entries: { md5: string; relpath: string }[]): string {
  return `${createHash('md5').update(manifestBytes(entries)).digest('hex')}.dir`;
}

/** The repository root for `dir`: the nearest folder at or above it that holds `.dvc/`, else undefined. */
export async function findDvcRoot(dir: string): Promise<string | undefined> {
  let current = path.resolve(dir);
  for (;;) {
    if ((await stat(path.join(current, '.dvc')).catch(() => null))?.isDirectory()) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

// `ignore` is CommonJS whose types declare an ES default export; under NodeNext the default import is
// module.exports, which is the factory itself at runtime (and carries it as .default too).
const ignore = ((ignoreModule as unknown as { default?: unknown }).default ??
  ignoreModule) as unknown as typeof ignoreModule.default;

/** Folders DVC never looks into, at any depth (its built-in ignore rules). */
const ALWAYS_SKIPPED_FOLDERS = new Set(['.git', '.hg', '.dvc']);

const ONLY_DOTS = /^\.+$/;

/** The rules of one `.dvcignore`, with `toDir`: the path from its folder to the folder listed ("" or "a/b/"). */
interface IgnoreLevel {
  rules: ReturnType<typeof ignore>;
  toDir: string;
}

/** The rules of `<folder>/.dvcignore` (gitignore syntax, relative to `folder`), or undefined without a pattern. */
async function readDvcIgnore(folder: string): Promise<IgnoreLevel['rules'] | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(folder, '.dvcignore'), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
  // The .dvcignore "dvc init" writes holds only comments: then there is nothing to match.
  if (!text.split(/\r?\n/).some((line) => line.trim() !== '' && !line.trim().startsWith('#'))) return undefined;
  // Case-sensitive, as DVC's gitignore matching is on Linux: a folder must hash as DVC hashes it.
  return ignore({ ignorecase: false }).add(text);
}

/**
 * Whether DVC leaves out `relpath` (inside the folder listed; a folder when `isFolder`). DVC joins every level's
 * patterns, the top folder's first, each rewritten relative to the top (dvc/pathspec_math.py), and the last pattern
 * that matches decides: so the deepest level with a verdict decides ("!keep.log" there re-includes).
 */
function ignoredIn(levels: readonly IgnoreLevel[], relpath: string, isFolder: boolean): boolean {
  let ignored = false;
  for (const { rules, toDir } of levels) {
    // `ignore` refuses a path of dots only ("..."): only the listed folder's own level could see one.
    if (!toDir && ONLY_DOTS.test(relpath)) continue;
    const verdict = rules.test(`${toDir}${relpath}${isFolder ? '/' : ''}`);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/**
 * The `.dvcignore` files in force in `dir`: the repository's (`root`) and those of the folders between it and `dir`,
 * each relative to its folder, as DVC reads them; one that the levels above it match is not read
 * (DvcIgnoreFilter._update_trie). Not those inside `dir`: DVC refuses to record a folder that holds a `.dvcignore`
 * (dvc_data IgnoreInCollectedDirError), so there they are listed as files (`dvcignores`), their patterns unused.
 */
async function ignoreLevels({ root, dir }: { root: string; dir: string }): Promise<IgnoreLevel[]> {
  const rel = path.relative(root, dir);
  if (!rel || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    const own = rel ? undefined : await readDvcIgnore(root);
    return own ? [{ rules: own, toDir: '' }] : [];
  }
  const parts = rel.split(path.sep);
  const levels: IgnoreLevel[] = [];
  for (let depth = 0; depth < parts.length; depth++) {
    const toDir = `${parts.slice(depth).join('/')}/`;
    if (depth > 0) {
      const above = levels.map((l) => ({ rules: l.rules, toDir: l.toDir.slice(0, -toDir.length) }));
      if (ignoredIn(above, '.dvcignore', false)) continue;
    }
    const rules = await readDvcIgnore(path.join(root, ...parts.slice(0, depth)));
    if (rules) levels.push({ rules, toDir });
  }
  return levels;
}

/**
 * List the files under `dir` (following no symlinked folders), as relpaths with forward slashes,
 * leaving out what DVC leaves out: `.git`, `.hg` and `.dvc` folders, whatever a `.dvcignore` matches (the
 * repository's, and those of the folders between it and `dir`, each relative to its folder), and Vitrine's own temp
 * files (`….vitrine-…tmp`, listed into `temps` when given: they are what a killed process left, never data).
 * `root` is the repository root (default: the nearest folder with `.dvc/`).
 */
export async function listFiles({
  dir,
  root,
  temps,
  links,
  linkedFolders,
  brokenLinks,
  dvcignores,
}: {
  dir: string;
  root?: string;
  temps?: string[];
  /** Collects the relpaths of the listed files that are symbolic links (to a file). */
  links?: string[];
  /** Collects the relpaths of symbolic links to folders (skipped, not followed). */
  linkedFolders?: string[];
  /** Collects the relpaths of symbolic links that lead to nothing (their target is gone): skipped. */
  brokenLinks?: string[];
  /** Collects the relpaths of the `.dvcignore` files listed (DVC refuses to record a folder holding one). */
  dvcignores?: string[];
}): Promise<string[]> {
  const info = await statOrMissing(dir);
  if (!info.isDirectory()) {
    throw new VitrineError('DATA_NOT_FOLDER', `"${dir}" is a file, but a folder was expected.`, { file: dir });
  }
  const repoRoot = root ?? (await findDvcRoot(dir));
  const absDir = path.resolve(dir);
  const levels = repoRoot ? await ignoreLevels({ root: path.resolve(repoRoot), dir: absDir }) : [];
  const ignored = (relpath: string, isFolder: boolean) => levels.length > 0 && ignoredIn(levels, relpath, isFolder);
  const out: string[] = [];
  const walk = async (abs: string, prefix: string) => {
    const items = await readdir(abs, { withFileTypes: true });
    // Node reads names as UTF-8 text: a byte that is not (a Latin-1 "caf\xe9.jpg") becomes U+FFFD, and the name then
    // names no file (stat said ENOENT, "a bug in Vitrine"). Only a folder with such a name is read again as bytes.
    // A name .dvcignore leaves out is not data: no reason to stop (a tester's "*.bak" of a Latin-1 name did).
    const relpathOf = (name: string) => (prefix ? `${prefix}/${name}` : name);
    const unread = items.filter((item) => item.name.includes('\ufffd'));
    const kept = unread.filter((item) => !ignored(relpathOf(item.name), item.isDirectory()));
    if (kept.length > 0)
      await refuseNamesNotUtf8({
        abs,
        root: repoRoot ?? absDir,
        skip: (name, isFolder) => ignored(relpathOf(name), isFolder),
      });
    for (const item of items) {
      const name = item.name;
      const relpath = prefix ? `${prefix}/${name}` : name;
      // Paths are joined only when needed: at 100,000 files every per-file call shows.
      const full = () => path.join(abs, name);
      const temp = name.endsWith('.tmp') && isOurTemp(name);
      if (item.isDirectory()) {
        if (ALWAYS_SKIPPED_FOLDERS.has(name) || ignored(relpath, true)) continue;
        // A folder set aside by a killed checkout (only on another filesystem than .dvc/tmp).
        if (temp) {
          temps?.push(full());
          continue;
        }
        await walk(full(), relpath);
      } else if (name === '.git' || ignored(relpath, false)) {
      } else if (temp) {
        temps?.push(full());
      } else if (item.isFile()) {
        out.push(relpath);
        if (name === '.dvcignore') dvcignores?.push(relpath);
      } else if (item.isSymbolicLink()) {
        // A link to a file counts as that file (as DVC reads through it); links to folders are skipped.
        const target = await stat(full()).catch(() => null);
        if (target?.isFile()) {
          out.push(relpath);
          links?.push(relpath);
          if (name === '.dvcignore') dvcignores?.push(relpath);
        } else if (target?.isDirectory()) {
          if (!ignored(relpath, true)) linkedFolders?.push(relpath);
        } else if (!target && !ignored(relpath, false)) brokenLinks?.push(relpath);
      }
    }
  };
  await walk(absDir, '');
  // Without surrogate pairs, UTF-16 order is code-point order, and the built-in sort is much faster.
  return out.some((p) => /[\ud800-\udfff]/.test(p)) ? out.sort(compareCodePoints) : out.sort();
}

/**
 * Refuse a folder holding a name that is not valid UTF-8 (DATA_NAME_NOT_UTF8), naming the file with its bytes
 * escaped (caf\xe9.jpg) and asking to rename it: git, DVC's manifest and the catalogue's pages all need UTF-8 names.
 */
async function refuseNamesNotUtf8({
  abs,
  root,
  skip,
}: {
  abs: string;
  root: string;
  /** A name (as Node reads it, U+FFFD in place of each bad byte) .dvcignore leaves out. */
  skip: (name: string, isFolder: boolean) => boolean;
}): Promise<void> {
  const bad = (await readdir(abs, { encoding: 'buffer', withFileTypes: true }))
    .filter((item) => !isUtf8(item.name) && !skip(item.name.toString('utf8'), item.isDirectory()))
    .map((item) => item.name)
    .sort(Buffer.compare);
  if (bad.length === 0) return;
  const folder = path.relative(root, abs).split(path.sep).join('/');
  const names = bad.map((name) => (folder ? `${folder}/` : '') + escapeName(name)).sort();
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
  const one = names.length === 1;
  throw new VitrineError(
    'DATA_NAME_NOT_UTF8',
    `${shown} ${one ? 'has a name' : 'have names'} that ${one ? 'is' : 'are'} not UTF-8 text (the bytes that are ` +
      `not are shown as \\xNN): Vitrine cannot record ${one ? 'it' : 'them'}, as git, data.dvc and the catalogue ` +
      `need UTF-8 names. Rename ${one ? 'it' : 'each'} (in a terminal: mv $'${names[0]!.replaceAll("'", "\\'")}' ` +
      `${folder ? `${folder}/` : ''}new-name${path.extname(bad[0]!.toString('latin1'))}, or in a file manager), then ` +
      'run again.',
    { files: names },
  );
}

/** True when `name` is valid UTF-8. */
function isUtf8(name: Buffer): boolean {
  return Buffer.compare(Buffer.from(name.toString('utf8')), name) === 0;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** `name` as text, each byte that is not part of a valid UTF-8 character written \xNN. */
export function escapeName(name: Buffer): string {
  let out = '';
  for (let i = 0; i < name.length; ) {
    const lead = name[i]!;
    const size =
      lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead < 0xf5 ? 4 : 0;
    if (size > 0) {
      try {
        out += STRICT_UTF8.decode(name.subarray(i, i + size));
        i += size;
        continue;
      } catch {}
    }
    out += `\\x${lead.toString(16).padStart(2, '0')}`;
    i++;
  }
  return out;
}

/* ---------- state cache ---------- */

/** Why a state file could not be written that the checkout, not Vitrine, decides: left unsaved. */
const CACHE_REFUSED = new Set(['EACCES', 'EPERM', 'EROFS']);

/*
 * One string per file, "<inode> <mtime ns> <size> <md5>". Schema 3 keeps the paths and the records in
 * two lists sorted by path: at 100,000 files two lists of strings parse five times faster than an
 * object with a key per file (schema 2), and a folder walked in the same order finds each record at
 * the next place, without a lookup table. Schemas 1 and 2 are still read (and rewritten as 3).
 */
type StateRecord = string;
type LegacyRecord = [ino: string, mtimeNs: string, size: number, md5: string];
interface StateFile {
  schema: 'vitrine.data-state/3';
  /** Paths relative to the state file's folder, with forward slashes, in code-point order. */
  paths: string[];
  /** The record of each path, in the same order. */
  records: StateRecord[];
  /**
   * Folder hashes, "<nfiles> <md5>.dir" by the folder's key: valid while no record under the folder
   * changes (any change drops it), so an unchanged folder of 100,000 files is not serialised again.
   */
  trees?: Record<string, string>;
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');

/** The state cache: remembers the md5 of files by (inode, mtime, size) so unchanged files are not re-read. */
export class HashState {
  readonly file: string | undefined;
  private readonly base: string;
  /** As loaded (sorted), until the first change; then `files` holds every record. */
  private paths: string[];
  private records: StateRecord[];
  private files: Map<string, StateRecord> | undefined;
  /** Where the next sorted lookup is expected in `paths`. */
  private cursor = 0;
  private trees: Record<string, string>;
  private dirty = false;

  private constructor(
    file: string | undefined,
    paths: string[] = [],
    records: StateRecord[] = [],
    trees: Record<string, string> = {},
  ) {
    this.file = file;
    this.base = file ? path.dirname(path.resolve(file)) : '';
    this.paths = paths;
    this.records = records;
    this.trees = trees;
  }

  /** Load the state file; a missing or damaged one is an empty state (it only costs re-reading). */
  static async load({ file }: { file?: string }): Promise<HashState> {
    if (!file) return new HashState(undefined);
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as {
        schema?: string;
        paths?: unknown;
        records?: unknown;
        files?: Record<string, unknown>;
        trees?: unknown;
      };
      // Only string values count: a damaged entry is dropped (it costs a re-read, never a crash).
      const trees: Record<string, string> = {};
      if (parsed.trees && typeof parsed.trees === 'object' && !Array.isArray(parsed.trees)) {
        for (const [dir, md5] of Object.entries(parsed.trees)) if (typeof md5 === 'string') trees[dir] = md5;
      }
      if (parsed.schema === 'vitrine.data-state/3') {
        const { paths, records } = parsed;
        if (isStringList(paths) && isStringList(records) && paths.length === records.length) {
          // Sorted as written; a file edited out of order is sorted again (and rewritten).
          let sorted = true;
          for (let i = 1; i < paths.length && sorted; i++) sorted = compareCodePoints(paths[i - 1], paths[i]) < 0;
          if (sorted) return new HashState(file, paths, records, trees);
          const state = new HashState(file, [], [], trees);
          state.files = new Map(paths.map((p, i) => [p, records[i]]));
          state.dirty = true;
          return state;
        }
      } else if (parsed.files && typeof parsed.files === 'object') {
        const files = new Map<string, StateRecord>();
        if (parsed.schema === 'vitrine.data-state/2') {
          for (const [key, record] of Object.entries(parsed.files))
            if (typeof record === 'string') files.set(key, record);
        } else if (parsed.schema === 'vitrine.data-state/1') {
          for (const [key, [ino, mtime, size, md5]] of Object.entries(parsed.files as Record<string, LegacyRecord>)) {
            files.set(key, `${ino} ${mtime} ${size} ${md5}`);
          }
        }
        // Written back in the new form at the next save (older forms had no folder hashes to keep).
        const state = new HashState(file);
        state.files = files;
        state.dirty = files.size > 0;
        return state;
      }
    } catch {
      // Missing or damaged: start empty.
    }
    return new HashState(file);
  }

  /** The state's key for an absolute path (relative to the state file's folder, forward slashes). */
  key(abs: string): string {
    return path.relative(this.base, abs).split(path.sep).join('/');
  }

  /** The remembered md5 of `abs` if its inode, mtime and size are unchanged. */
  get(abs: string, info: BigIntStats): string | undefined {
    return this.getKey(this.key(abs), info);
  }

  /** The record of `key`: at the cursor when keys come in order, else by binary search (or from `files`). */
  private record(key: string): StateRecord | undefined {
    if (this.files) return this.files.get(key);
    const paths = this.paths;
    let i = this.cursor;
    if (paths[i] !== key) {
      let lo = 0;
      let hi = paths.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareCodePoints(paths[mid], key) < 0) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
      if (paths[i] !== key) {
        this.cursor = i;
        return undefined;
      }
    }
    this.cursor = i + 1;
    return this.records[i];
  }

  /** As `get`, by key (callers walking a folder build keys by appending to the folder's key). */
  getKey(key: string, info: BigIntStats): string | undefined {
    if (!this.file) return undefined;
    const record = this.record(key);
    if (record === undefined) return undefined;
    const stamp = `${info.ino} ${info.mtimeNs} ${info.size} `;
    return record.length === stamp.length + 32 && record.startsWith(stamp) ? record.slice(stamp.length) : undefined;
  }

  /** Every record in a map, for changes (the sorted lists are rebuilt when saved). */
  private editable(): Map<string, StateRecord> {
    if (!this.files) {
      const files = new Map<string, StateRecord>();
      for (let i = 0; i < this.paths.length; i++) files.set(this.paths[i], this.records[i]);
      this.files = files;
      this.paths = [];
      this.records = [];
    }
    return this.files;
  }

  set(abs: string, info: BigIntStats, md5: string): void {
    this.setKey(this.key(abs), info, md5);
  }

  setKey(key: string, info: BigIntStats, md5: string): void {
    if (!this.file) return;
    this.editable().set(key, `${info.ino} ${info.mtimeNs} ${info.size} ${md5}`);
    this.dirty = true;
    this.forgetTreesOver(key);
  }

  /** Drop the remembered hash of every folder that holds `key`: its files are no longer what was hashed. */
  private forgetTreesOver(key: string): void {
    for (const dirKey in this.trees) {
      if (key.startsWith(`${dirKey}/`)) {
        delete this.trees[dirKey];
        this.dirty = true;
      }
    }
  }

  /**
   * The remembered hash of the folder `dirKey` when it held `nfiles` files, all still recorded as they
   * were then; undefined otherwise.
   */
  tree(dirKey: string, nfiles: number): string | undefined {
    const memo = this.trees[dirKey];
    const space = memo?.indexOf(' ') ?? -1;
    return memo && memo.slice(0, space) === String(nfiles) ? memo.slice(space + 1) : undefined;
  }

  /** Remember the hash of the folder `dirKey` (computed from exactly the records now under it). */
  setTree(dirKey: string, nfiles: number, md5: string): void {
    if (!this.file) return;
    const memo = `${nfiles} ${md5}`;
    if (this.trees[dirKey] === memo) return;
    this.trees[dirKey] = memo;
    this.dirty = true;
  }

  /** Forget every file under `dir` that is not in `keep` (absolute paths). */
  prune(dir: string, keep: Set<string>): void {
    this.pruneKeys(this.key(dir), new Set([...keep].map((k) => this.key(k))));
  }

  /** Forget every key under the folder key `dirKey` that is not in `keepKeys`. */
  pruneKeys(dirKey: string, keepKeys: Set<string>): void {
    if (!this.file) return;
    const prefix = `${dirKey}/`;
    const keys = this.files ? [...this.files.keys()] : this.paths;
    const gone = keys.filter((key) => key.startsWith(prefix) && !keepKeys.has(key));
    if (gone.length === 0) return;
    const files = this.editable();
    for (const key of gone) {
      files.delete(key);
      this.forgetTreesOver(key);
    }
    this.dirty = true;
  }

  /**
   * Write the state file if anything changed (atomically; concurrent writers: last one wins). A folder this user
   * may not write is left as it is (a note for `log`'s debug level).
   */
  async save({ log }: { log?: Logger } = {}): Promise<void> {
    if (!this.file || !this.dirty) return;
    if (this.files) {
      const paths = [...this.files.keys()];
      // Without surrogate pairs, UTF-16 order is code-point order, and the built-in sort is much faster.
      if (paths.some((p) => /[\ud800-\udfff]/.test(p))) paths.sort(compareCodePoints);
      else paths.sort();
      const files = this.files;
      this.paths = paths;
      this.records = paths.map((p) => files.get(p) as StateRecord);
      this.files = undefined;
      this.cursor = 0;
    }
    const value: StateFile = {
      schema: 'vitrine.data-state/3',
      paths: this.paths,
      records: this.records,
      trees: this.trees,
    };
    try {
      await writeFileAtomic({ file: this.file, data: JSON.stringify(value) });
    } catch (error) {
      // A checkout this user may only read (another user's, a read-only mount): the cache only spares reading the
      // files again, so a question that changes nothing still answers, and a command that writes fails on its own
      // files, naming them. Said for --verbose, naming the folder, never the temp file.
      const e = error as NodeJS.ErrnoException;
      const code = e.code ?? '';
      // Node's recursive mkdir says ENOENT when the folder it starts from may not be written.
      if (!CACHE_REFUSED.has(code) && !(code === 'ENOENT' && e.syscall === 'mkdir')) throw error;
      log?.debug(
        `The hash cache was not saved (${code}: this user may not write in ${path.dirname(this.file)}): ` +
          'the next check reads the files again.',
      );
      return;
    }
    this.dirty = false;
  }
}

/**
 * Run `fn` over `items` with at most `jobs` at once. The first failure stops it: no item is begun after it, and it
 * is thrown once those under way have ended, so nothing goes on behind the caller's back (uploads to a share that
 * had gone went on, and the push's count of files sent was short of what it sent).
 */
export async function mapPool<T, R>(
  items: T[],
  jobs: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

/**
 * Hash a folder as DVC 3.x does. With `stateFile` (e.g. `.dvc/tmp/vitrine-state.json`), files whose
 * inode, mtime and size are unchanged since the last call are not read again.
 */
export async function hashTree({
  dir,
  root,
  stateFile,
  onFile,
  temps,
  linkedFolders,
  brokenLinks,
  threads,
  log,
}: {
  dir: string;
  /** Collects the relpaths of symbolic links that lead to nothing (skipped). */
  brokenLinks?: string[];
  /** For a note when the state file cannot be saved (a read-only checkout). */
  log?: Logger;
  /** Collects the relpaths of symbolic links to folders (skipped, not followed). */
  linkedFolders?: string[];
  /** Worker threads for files that must be read (default: one per core when there is enough to read). */
  threads?: number;
  /** Collects the absolute paths of Vitrine temp files found (and left out). */
  temps?: string[];
  /** The repository root whose `.dvcignore` applies (default: the nearest folder at or above `dir` with `.dvc/`). */
  root?: string;
  stateFile?: string;
  /** Called after each file, e.g. to tick a progress bar. */
  onFile?: (entry: TreeEntry, fromState: boolean) => void;
}): Promise<TreeHash> {
  const absDir = path.resolve(dir);
  const relpaths = await listFiles({ dir: absDir, ...(root ? { root } : {}), temps, linkedFolders, brokenLinks });
  const state = await HashState.load({ file: stateFile });
  const entries: TreeEntry[] = new Array(relpaths.length);
  // State keys are built by appending to the folder's key: path.relative per file is slow at 100,000 files.
  const dirKey = state.key(absDir);
  const keyOf = (i: number) => `${dirKey}/${relpaths[i]}`;
  const absOf = (i: number) =>
    path.sep === '/' ? `${absDir}/${relpaths[i]}` : path.join(absDir, ...relpaths[i].split('/'));
  // First the state: files unchanged since they were last hashed are not read again.
  const infos: BigIntStats[] = new Array(relpaths.length);
  const fresh: number[] = [];
  let freshBytes = 0;
  for (let i = 0; i < relpaths.length; i++) {
    const info = statSync(absOf(i), { bigint: true });
    infos[i] = info;
    const md5 = state.getKey(keyOf(i), info);
    if (md5 === undefined) {
      fresh.push(i);
      freshBytes += Number(info.size);
    } else {
      entries[i] = { md5, relpath: relpaths[i], size: Number(info.size) };
      onFile?.(entries[i], true);
    }
  }
  const record = (i: number, md5: string, stampAfter?: string) => {
    const info = infos[i];
    // Only remember the hash if the file did not change while it was read (workers say what it was after).
    const before = `${info.ino} ${info.mtimeNs} ${info.size}`;
    const after = stampAfter ?? statSync(absOf(i), { bigint: true });
    const unchanged =
      typeof after === 'string' ? after === before : after.mtimeNs === info.mtimeNs && after.size === info.size;
    if (unchanged) state.setKey(keyOf(i), info, md5);
    entries[i] = { md5, relpath: relpaths[i], size: Number(info.size) };
    onFile?.(entries[i], false);
  };
  const useThreads = threads ?? (fresh.length >= 64 && freshBytes >= 16 * 1024 * 1024 ? defaultHashThreads() : 1);
  if (useThreads > 1 && fresh.length > 0) {
    const sizes = fresh.map((i) => Number(infos[i].size));
    await md5OfFiles({
      files: fresh.map(absOf),
      sizes,
      threads: useThreads,
      onFile: (k, md5, stamp) => record(fresh[k], md5, stamp),
    });
  } else {
    let sinceYield = 0;
    for (const i of fresh) {
      record(i, md5OfFileSync(absOf(i)));
      sinceYield += Number(infos[i].size) + 4096;
      if (sinceYield >= 16 * 1024 * 1024) {
        // Let timers, progress output and servers run between files.
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
  // Every file was found unchanged in a state whose records under this folder are exactly those the
  // remembered folder hash was computed from: the hash is the same, and there is nothing to forget.
  let md5 = fresh.length === 0 ? state.tree(dirKey, relpaths.length) : undefined;
  if (md5 === undefined) {
    state.pruneKeys(dirKey, new Set(relpaths.map((_, i) => keyOf(i))));
    md5 = manifestHash(entries);
    state.setTree(dirKey, relpaths.length, md5);
  }
  await state.save({ log });
  return { md5, size: entries.reduce((sum, e) => sum + e.size, 0), nfiles: entries.length, entries };
}
