import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import type { BigIntStats } from 'node:fs';
import path from 'node:path';
import ignoreModule from 'ignore';
import { VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
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
  const sorted = [...entries].sort((a, b) => compareCodePoints(a.relpath, b.relpath));
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
const ignore = ((ignoreModule as unknown as { default?: unknown }).default ?? ignoreModule) as unknown as typeof ignoreModule.default;

/** Folders DVC never looks into, at any depth (its built-in ignore rules). */
const ALWAYS_SKIPPED_FOLDERS = new Set(['.git', '.hg', '.dvc']);

/**
 * A matcher for `<root>/.dvcignore` (gitignore syntax, paths relative to the root), or undefined when
 * there is no such file. Returns true for an absolute path DVC would skip.
 */
export async function dvcIgnoreMatcher({ root }: { root: string }): Promise<((abs: string, isFolder: boolean) => boolean) | undefined> {
  const absRoot = path.resolve(root);
  let text: string;
  try {
    text = await readFile(path.join(absRoot, '.dvcignore'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const rules = ignore().add(text);
  return (abs, isFolder) => {
    const rel = path.relative(absRoot, abs).split(path.sep).join('/');
    // Only paths inside the root are subject to its .dvcignore.
    if (!rel || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return false;
    return rules.ignores(isFolder ? `${rel}/` : rel);
  };
}

/**
 * List the files under `dir` (following no symlinked folders), as relpaths with forward slashes,
 * leaving out what DVC leaves out: `.git`, `.hg` and `.dvc` folders, and whatever the repository's
 * `.dvcignore` matches, and Vitrine's own temp files (`….vitrine-…tmp`, listed into `temps` when given:
 * they are what a killed process left, never data). `root` is the repository root (default: the
 * nearest folder with `.dvc/`).
 */
export async function listFiles({ dir, root, temps }: { dir: string; root?: string; temps?: string[] }): Promise<string[]> {
  const info = await statOrMissing(dir);
  if (!info.isDirectory()) {
    throw new VitrineError('DATA_NOT_FOLDER', `"${dir}" is a file, but a folder was expected.`, { file: dir });
  }
  const repoRoot = root ?? (await findDvcRoot(dir));
  const ignored = repoRoot ? await dvcIgnoreMatcher({ root: repoRoot }) : undefined;
  const out: string[] = [];
  const walk = async (abs: string, prefix: string) => {
    const items = await readdir(abs, { withFileTypes: true });
    for (const item of items) {
      const relpath = prefix ? `${prefix}/${item.name}` : item.name;
      const full = path.join(abs, item.name);
      if (item.isDirectory()) {
        if (ALWAYS_SKIPPED_FOLDERS.has(item.name) || ignored?.(full, true)) continue;
        // A folder set aside by a killed checkout (only on another filesystem than .dvc/tmp).
        if (isOurTemp(item.name)) {
          temps?.push(full);
          continue;
        }
        await walk(full, relpath);
      } else if (item.name === '.git' || ignored?.(full, false)) {
        // A ".git" file marks a git worktree or submodule; DVC skips it too.
        continue;
      } else if (isOurTemp(item.name)) {
        temps?.push(full);
      } else if (item.isFile()) out.push(relpath);
      else if (item.isSymbolicLink()) {
        // A link to a file counts as that file (as DVC reads through it); links to folders are skipped.
        const target = await stat(full).catch(() => null);
        if (target?.isFile()) out.push(relpath);
      }
    }
  };
  await walk(path.resolve(dir), '');
  return out.sort(compareCodePoints);
}

/* ---------- state cache ---------- */

type StateRecord = [ino: string, mtimeNs: string, size: number, md5: string];
interface StateFile {
  schema: 'vitrine.data-state/1';
  /** Keyed by path relative to the state file's folder, with forward slashes. */
  files: Record<string, StateRecord>;
}

/** The state cache: remembers the md5 of files by (inode, mtime, size) so unchanged files are not re-read. */
export class HashState {
  readonly file: string | undefined;
  private readonly base: string;
  private files: Record<string, StateRecord>;
  private dirty = false;

  private constructor(file: string | undefined, files: Record<string, StateRecord>) {
    this.file = file;
    this.base = file ? path.dirname(path.resolve(file)) : '';
    this.files = files;
  }

  /** Load the state file; a missing or damaged one is an empty state (it only costs re-reading). */
  static async load({ file }: { file?: string }): Promise<HashState> {
    if (!file) return new HashState(undefined, {});
    try {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as StateFile;
      if (parsed.schema === 'vitrine.data-state/1' && parsed.files && typeof parsed.files === 'object') {
        return new HashState(file, parsed.files);
      }
    } catch {
      // Missing or damaged: start empty.
    }
    return new HashState(file, {});
  }

  private key(abs: string): string {
    return path.relative(this.base, abs).split(path.sep).join('/');
  }

  /** The remembered md5 of `abs` if its inode, mtime and size are unchanged. */
  get(abs: string, info: BigIntStats): string | undefined {
    if (!this.file) return undefined;
    const record = this.files[this.key(abs)];
    if (!record) return undefined;
    const [ino, mtime, size, md5] = record;
    if (ino === String(info.ino) && mtime === String(info.mtimeNs) && size === Number(info.size)) return md5;
    return undefined;
  }

  set(abs: string, info: BigIntStats, md5: string): void {
    if (!this.file) return;
    this.files[this.key(abs)] = [String(info.ino), String(info.mtimeNs), Number(info.size), md5];
    this.dirty = true;
  }

  /** Forget every file under `dir` that is not in `keep` (absolute paths). */
  prune(dir: string, keep: Set<string>): void {
    if (!this.file) return;
    const prefix = `${this.key(dir)}/`;
    const keepKeys = new Set([...keep].map((k) => this.key(k)));
    for (const key of Object.keys(this.files)) {
      if (key.startsWith(prefix) && !keepKeys.has(key)) {
        delete this.files[key];
        this.dirty = true;
      }
    }
  }

  /** Write the state file if anything changed (atomically; concurrent writers: last one wins). */
  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const value: StateFile = { schema: 'vitrine.data-state/1', files: this.files };
    await writeFileAtomic({ file: this.file, data: JSON.stringify(value) });
    this.dirty = false;
  }
}

/** Run `fn` over `items` with at most `jobs` at once. */
export async function mapPool<T, R>(items: T[], jobs: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
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
}: {
  dir: string;
  /** Collects the absolute paths of Vitrine temp files found (and left out). */
  temps?: string[];
  /** The repository root whose `.dvcignore` applies (default: the nearest folder at or above `dir` with `.dvc/`). */
  root?: string;
  stateFile?: string;
  /** Called after each file, e.g. to tick a progress bar. */
  onFile?: (entry: TreeEntry, fromState: boolean) => void;
}): Promise<TreeHash> {
  const absDir = path.resolve(dir);
  const relpaths = await listFiles({ dir: absDir, ...(root ? { root } : {}), temps });
  const state = await HashState.load({ file: stateFile });
  const seen = new Set<string>();
  const entries: TreeEntry[] = [];
  let sinceYield = 0;
  for (const relpath of relpaths) {
    const abs = path.join(absDir, ...relpath.split('/'));
    seen.add(abs);
    const info = statSync(abs, { bigint: true });
    const size = Number(info.size);
    let md5 = state.get(abs, info);
    const fromState = md5 !== undefined;
    if (md5 === undefined) {
      md5 = md5OfFileSync(abs);
      sinceYield += size;
      // Only remember the hash if the file did not change while it was read.
      const after = statSync(abs, { bigint: true });
      if (after.mtimeNs === info.mtimeNs && after.size === info.size) state.set(abs, info, md5);
    }
    const entry = { md5, relpath, size };
    entries.push(entry);
    onFile?.(entry, fromState);
    sinceYield += 4096;
    if (sinceYield >= 16 * 1024 * 1024) {
      // Let timers, progress output and servers run between files.
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  state.prune(absDir, seen);
  await state.save();
  return {
    md5: manifestHash(entries),
    size: entries.reduce((sum, e) => sum + e.size, 0),
    nfiles: entries.length,
    entries,
  };
}
