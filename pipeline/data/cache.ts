import { createHash, randomBytes } from 'node:crypto';
import { constants, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { WINDOWS_DEVICE } from '../windows-names.ts';
import { manifestBytes, md5OfFileSync } from './hash.ts';
import { isOurTemp, removeStaleTemps, type Staleness, tempName } from './temp.ts';

export { tempName } from './temp.ts';

/*
 * The DVC 3.x object layout, shared by the local cache and remotes: `files/md5/ab/cdef…` where
 * "abcdef…" is the md5 (folder manifests keep their ".dir" suffix). Objects are written to a temp
 * name, verified against their md5 and renamed, so a reader never sees a partial object.
 */

/** The content md5 of an object id ("….dir" ids name a manifest whose bytes hash to the id without ".dir"). */
export function contentMd5(md5: string): string {
  return md5.endsWith('.dir') ? md5.slice(0, -4) : md5;
}

/** An object id: an md5 (32 lower-case hex digits), with ".dir" for a folder list. */
const OBJECT_ID = /^[0-9a-f]{32}(\.dir)?$/;

/**
 * Refuse anything but an object id before it becomes a path or a key. Ids come from data.dvc and folder
 * lists, which whoever commits them chooses: "xx/../../x" would name a file outside the cache or remote.
 */
export function checkObjectId(md5: string): void {
  if (typeof md5 === 'string' && OBJECT_ID.test(md5)) return;
  throw new VitrineError(
    'DATA_OBJECT_ID_INVALID',
    `${JSON.stringify(String(md5)).slice(0, 80)} is not an object id (an md5: 32 characters 0-9 and a-f, with ".dir" ` +
      'for a folder list). Vitrine refuses to read, write or remove anything by it.',
    { object: String(md5) },
  );
}

/** Relative key of an object: `files/md5/ab/cdef…`. */
export function objectKey(md5: string): string {
  checkObjectId(md5);
  return `files/md5/${md5.slice(0, 2)}/${md5.slice(2)}`;
}

/** Absolute path of an object under a cache or local remote folder. */
export function objectPath(base: string, md5: string): string {
  checkObjectId(md5);
  return path.join(base, 'files', 'md5', md5.slice(0, 2), md5.slice(2));
}

/**
 * Remove object `md5` from a cache or folder remote (a damaged copy). Only a path inside
 * `<base>/files/md5/` is ever removed, whatever the id: objectPath refuses any id but an md5.
 */
export async function removeObject({ base, md5 }: { base: string; md5: string }): Promise<void> {
  const file = objectPath(base, md5);
  await rm(file, { force: true });
}

/**
 * Remove the stale temp files that killed transfers left among the objects of a cache or folder
 * remote (`<base>/files/md5/ab/…`). Temp files of live processes (concurrent pushes) are kept.
 */
export async function cleanStaleObjectTemps({ base, ...staleness }: { base: string } & Staleness): Promise<number> {
  const root = path.join(base, 'files', 'md5');
  const files: string[] = [];
  for (const prefix of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!prefix.isDirectory()) continue;
    const dir = path.join(root, prefix.name);
    for (const name of await readdir(dir).catch(() => [])) if (isOurTemp(name)) files.push(path.join(dir, name));
  }
  return removeStaleTemps({ files, ...staleness });
}

/** Every object id held in a cache or folder remote (`files/md5/ab/cdef…` → "abcdef…"), temp files left out. */
export async function listObjectIds(base: string): Promise<Set<string>> {
  const root = path.join(base, 'files', 'md5');
  const ids = new Set<string>();
  for (const prefix of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!prefix.isDirectory() || !/^[0-9a-f]{2}$/.test(prefix.name)) continue;
    for (const name of await readdir(path.join(root, prefix.name))) {
      if (/^[0-9a-f]{30}(\.dir)?$/.test(name)) ids.add(prefix.name + name);
    }
  }
  return ids;
}

/**
 * Every object held in a cache or folder remote with its size in bytes (`files/md5/ab/cdef…` → "abcdef…"), temp
 * files left out: one stat per object, so that a copy cut short (a copy stopped half-way, a disk that filled) can be
 * told from a whole one by a listing, as S3's listing tells it.
 */
export async function listObjectSizes(base: string): Promise<Map<string, number>> {
  const root = path.join(base, 'files', 'md5');
  const sizes = new Map<string, number>();
  for (const prefix of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!prefix.isDirectory() || !/^[0-9a-f]{2}$/.test(prefix.name)) continue;
    const dir = path.join(root, prefix.name);
    for (const name of await readdir(dir)) {
      if (!/^[0-9a-f]{30}(\.dir)?$/.test(name)) continue;
      // Synchronous: at 10,000 objects a trip through the thread pool per stat costs more than the stat. A file
      // removed between the listing and its stat (a gc, a repair) is not held.
      const info = statSync(path.join(dir, name), { throwIfNoEntry: false });
      if (info?.isFile()) sizes.set(prefix.name + name, info.size);
    }
  }
  return sizes;
}

/**
 * A test for "is object `md5` in this cache or folder remote", from one listing: a set of names per
 * `ab/` folder. At 100,000 objects this costs half of a set of whole ids (no joined strings to hash).
 */
export async function objectLookup(base: string): Promise<(md5: string) => boolean> {
  const root = path.join(base, 'files', 'md5');
  const folders = new Map<string, Set<string>>();
  for (const prefix of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (!prefix.isDirectory() || !/^[0-9a-f]{2}$/.test(prefix.name)) continue;
    folders.set(prefix.name, new Set(await readdir(path.join(root, prefix.name))));
  }
  // An md5 (32 hex digits, ".dir" for a list) never equals a temp file's name.
  return (md5) => folders.get(md5.slice(0, 2))?.has(md5.slice(2)) === true;
}

const CHUNK = 1024 * 1024;
/** Files up to this size are copied through memory in one read and one write. */
const SMALL_COPY = 4 * 1024 * 1024;

/** Folders this process made or saw: a transfer of 10,000 objects need not ask for each one again. */
const knownDirs = new Set<string>();

/**
 * Run `write` (which creates a file in `dir`) once `dir` exists. The folder is made only the first time;
 * if it vanished since (ENOENT), it is made again and `write` retried once.
 */
export async function inDir<T>(dir: string, write: () => Promise<T>): Promise<T> {
  if (!knownDirs.has(dir)) {
    // Synchronous, so that transfers running at once into a new folder make it once, not each.
    mkdirSync(dir, { recursive: true });
    knownDirs.add(dir);
  }
  try {
    return await write();
  } catch (error) {
    // Made again whether or not it is back: a copy running beside this one may have made it since it failed.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    return write();
  }
}

/**
 * Make the folders from `base` (exclusive) down to `dir`, one level at a time and never `base` itself: when `base`
 * is gone this fails (ENOENT) rather than making it again. A folder remote on a share that was unmounted part-way
 * through a push was made again on this computer's own disk, and every later upload went there (a tester).
 */
export async function mkdirBelow({ base, dir }: { base: string; dir: string }): Promise<void> {
  const rel = path.relative(base, dir);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
    throw new Error(`${dir} is not a folder below ${base}`);
  let at = base;
  for (const part of rel.split(path.sep)) {
    at = path.join(at, part);
    await mkdir(at).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/**
 * Copy `src` to `dest` through a temp file, checking the bytes hash to `md5` before the rename.
 * A mismatch throws DATA_CORRUPT and leaves `dest` untouched. With `tempDir` the temp file is written
 * there (e.g. `.dvc/tmp`, so a scan of the data folder never meets it), falling back to beside `dest`
 * when the two are on different filesystems. With `below` (a folder remote's folder), only the folders under it
 * are made, never it (mkdirBelow): gone, the copy fails with ENOENT.
 */
export async function copyVerified(options: CopyOptions & { tempDir?: string; below?: string }): Promise<void> {
  const { below, ...copy } = options;
  if (below) return copyBelow({ ...copy, below });
  if (!options.tempDir) return copyVerifiedVia({ ...options, temp: tempName(options.dest) });
  if (!knownDirs.has(options.tempDir)) await mkdir(options.tempDir, { recursive: true });
  const temp = tempName(path.join(options.tempDir, randomBytes(6).toString('hex')));
  try {
    await copyVerifiedVia({ ...options, temp });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyVerifiedVia({ ...options, temp: tempName(options.dest) });
  }
}

interface CopyOptions {
  src: string;
  dest: string;
  md5: string;
  readOnly?: boolean;
  what?: string;
}

/** copyVerified beside `dest`, its folder made (if it is not there) below `below` only. */
async function copyBelow(options: CopyOptions & { below: string }): Promise<void> {
  const temp = tempName(options.dest);
  try {
    // Tried first: the folder is there for all but the first object of each of the 256 prefixes.
    return await copyVerifiedInto({ ...options, temp });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdirBelow({ base: options.below, dir: path.dirname(options.dest) });
  return copyVerifiedInto({ ...options, temp });
}

async function copyVerifiedVia(options: CopyOptions & { temp: string }): Promise<void> {
  // The destination's folder may be removed by others (checkout --force tidies empty folders): always made.
  if (path.dirname(options.temp) !== path.dirname(options.dest))
    mkdirSync(path.dirname(options.dest), { recursive: true });
  await inDir(path.dirname(options.temp), () => copyVerifiedInto(options));
}

async function copyVerifiedInto({
  src,
  dest,
  md5,
  readOnly = false,
  what,
  temp,
}: CopyOptions & { temp: string }): Promise<void> {
  const info = statSync(src);
  if (info.isFile() && info.size <= SMALL_COPY) {
    // A small file (most images): read once, check, write the temp, rename. Synchronous calls: at
    // 10,000 files a trip through the thread pool per call costs more CPU than the copy itself.
    try {
      const bytes = readFileSync(src);
      const actual = createHash('md5').update(bytes).digest('hex');
      if (actual !== contentMd5(md5)) throw corruptError({ md5, actual, where: what ?? src });
      writeFileSync(temp, bytes, { mode: readOnly ? 0o444 : 0o644, flag: 'wx' });
      renameSync(temp, dest);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    return;
  }
  if (info.isFile()) {
    // A regular file: let the kernel copy it (a reflink where the filesystem allows), then check the copy.
    try {
      await copyFile(src, temp, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
      const actual = md5OfFileSync(temp);
      if (actual !== contentMd5(md5)) throw corruptError({ md5, actual, where: what ?? src });
      await chmod(temp, readOnly ? 0o444 : 0o644);
      await rename(temp, dest);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return;
  }
  // Anything else (a pipe, a device): stream it, hashing on the way.
  const hash = createHash('md5');
  try {
    const input = await open(src, 'r');
    try {
      const output = await open(temp, 'wx');
      try {
        const buffer = Buffer.allocUnsafe(CHUNK);
        for (;;) {
          const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
          if (bytesRead === 0) break;
          const chunk = buffer.subarray(0, bytesRead);
          hash.update(chunk);
          await output.write(chunk);
        }
      } finally {
        await output.close();
      }
    } finally {
      await input.close();
    }
    const actual = hash.digest('hex');
    if (actual !== contentMd5(md5)) {
      throw corruptError({ md5, actual, where: what ?? src });
    }
    if (readOnly) await chmod(temp, 0o444);
    await rename(temp, dest);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export function corruptError({ md5, actual, where }: { md5: string; actual: string; where: string }): VitrineError {
  return new VitrineError(
    'DATA_CORRUPT',
    `The stored copy of object ${md5} (${where}) is damaged: its content hashes to ${actual}. It was not used.`,
    { object: md5, actual, file: where },
  );
}

/** The size of object `md5` in the cache at `base`, for a remote to compare its copy with; undefined when absent. */
export async function cachedSize({ base, md5 }: { base: string; md5: string }): Promise<{ size?: number }> {
  // Synchronous: asked once per object of a push (10,000), a local stat costs less than a trip through the thread pool.
  const info = statSync(objectPath(base, md5), { throwIfNoEntry: false });
  return info?.isFile() ? { size: info.size } : {};
}

/** True when a file exists at `file`. */
export async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Write bytes as an object (temp, verify, rename, read-only) unless it is already there. */
export async function writeObjectBytes({
  base,
  md5,
  bytes,
}: {
  base: string;
  md5: string;
  bytes: Uint8Array;
}): Promise<void> {
  const dest = objectPath(base, md5);
  const actual = createHash('md5').update(bytes).digest('hex');
  if (actual !== contentMd5(md5)) throw corruptError({ md5, actual, where: 'in memory' });
  // A damaged copy already there is replaced (by the rename below): "data add" is then a fix for it.
  const there = await readFile(dest).catch(() => undefined);
  if (there && createHash('md5').update(there).digest('hex') === actual) return;
  await mkdir(path.dirname(dest), { recursive: true });
  const temp = tempName(dest);
  try {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(temp, bytes, { mode: 0o444 });
    await rename(temp, dest);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** A folder manifest entry as stored in a `.dir` object. */
export interface ManifestEntry {
  md5: string;
  relpath: string;
}

/** An md5 as DVC writes it in a folder list: files only, so never ".dir". */
const ENTRY_MD5 = /^[0-9a-f]{32}$/;
/** Folders the hashing never reads (hash.ts ALWAYS_SKIPPED_FOLDERS): a list naming one was not made from a folder. */
const SKIPPED_PART = /^\.(git|hg|dvc)$/i;
// Control characters (NUL, line breaks, DEL): no file system takes NUL, and the rest break messages and logs.
const CONTROL = /[\u0000-\u001f\u007f]/;
/** The longest file or folder name most file systems take (ext4, APFS, NTFS: 255 bytes or UTF-16 units). */
const MAX_PART_BYTES = 255;

/**
 * Why a relpath (of a folder list, or of a file `add` would record) names no file this computer can write,
 * or undefined when it is fine. Cheap enough for 100,000 entries.
 */
export function unwritableRelpath(relpath: string): string | undefined {
  if (CONTROL.test(relpath)) return 'holds a control character (such as a NUL byte, a tab or a line break)';
  for (const part of relpath.split('/')) {
    // A part of 85 characters or fewer is at most 255 bytes in UTF-8: only longer ones are measured.
    if (part.length > 85 && Buffer.byteLength(part) > MAX_PART_BYTES)
      return `has a name longer than ${MAX_PART_BYTES} bytes, which file systems do not take`;
  }
  return undefined;
}

/**
 * Why Windows could not write a relpath (a device name such as CON or NUL.jpg, a name ending in a dot or a space),
 * or undefined when it can. Such files are fine here; a museum that clones the repository on Windows cannot check
 * them out.
 */
export function windowsUnsafeRelpath(relpath: string): string | undefined {
  for (const part of relpath.split('/')) {
    const device = WINDOWS_DEVICE.exec(part);
    if (device) return `is named like the Windows device ${device[1]!.toUpperCase()}`;
    if (/[. ]$/.test(part) && part !== '.' && part !== '..')
      return 'has a name ending in a dot or a space, which Windows drops';
  }
  return undefined;
}

/**
 * Parse and check the bytes of a `.dir` object: its hash, then its shape. A list whose bytes hash right
 * but whose entries DVC never writes (an md5 that is not 32 hex digits, a relpath leaving the folder or
 * entering `.git`) was made by hand: DATA_MANIFEST_INVALID, naming `<target>.dvc` and the entry.
 */
export function parseManifest({
  md5,
  bytes,
  target = 'data',
}: {
  md5: string;
  bytes: Uint8Array;
  /** The folder whose `.dvc` file records this list, for messages. */
  target?: string;
}): ManifestEntry[] {
  const actual = createHash('md5').update(bytes).digest('hex');
  if (actual !== contentMd5(md5)) throw corruptError({ md5, actual, where: 'folder manifest' });
  const invalid = (problem: string, entry?: { relpath: string }, cause?: unknown): VitrineError =>
    new VitrineError(
      'DATA_MANIFEST_INVALID',
      `${target}.dvc records a folder list (object ${md5}) that is not valid: ${problem} Vitrine used none of it ` +
        `and changed nothing in ${target}/. Neither Vitrine nor DVC writes such a list: someone made it by hand, ` +
        `perhaps on purpose. See who changed ${target}.dvc last ("git log -p ${target}.dvc"), put back a version ` +
        `you trust, and run the command again.`,
      { object: md5, file: `${target}.dvc`, ...(entry ? { entry: entry.relpath } : {}) },
      cause === undefined ? undefined : { cause },
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw invalid('it is not valid JSON.', undefined, error);
  }
  if (!Array.isArray(parsed) || !parsed.every((e) => e && typeof e.md5 === 'string' && typeof e.relpath === 'string'))
    throw invalid('it is not a list of {"md5", "relpath"} entries.');
  const shown = (s: string) => JSON.stringify(s).slice(0, 80);
  for (const e of parsed as ManifestEntry[]) {
    if (!ENTRY_MD5.test(e.md5)) {
      throw invalid(
        `its entry for ${shown(e.relpath)} has the md5 ${shown(e.md5)}, which is not an md5 (32 characters 0-9 and a-f).`,
        e,
      );
    }
    const parts = e.relpath.split('/');
    if (
      e.relpath.startsWith('/') ||
      e.relpath.includes('\\') ||
      parts.some((p) => p === '' || p === '.' || p === '..')
    ) {
      throw invalid(`its entry ${shown(e.relpath)} does not name a file inside ${target}/.`, e);
    }
    const unwritable = unwritableRelpath(e.relpath);
    if (unwritable) throw invalid(`its entry ${shown(e.relpath)} ${unwritable}.`, e);
    if (parts.some((p) => SKIPPED_PART.test(p)))
      throw invalid(
        `its entry ${shown(e.relpath)} is inside a .git, .hg or .dvc folder, which Vitrine never records.`,
        e,
      );
  }
  return (parsed as ManifestEntry[]).map((e) => ({ md5: e.md5, relpath: e.relpath }));
}

/** Read a manifest from the local cache, or undefined when the cache does not have it. */
export async function readCachedManifest({
  cacheDir,
  md5,
  target,
}: {
  cacheDir: string;
  md5: string;
  /** The folder whose `.dvc` file records this list, for messages. */
  target?: string;
}): Promise<ManifestEntry[] | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(objectPath(cacheDir, md5));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseManifest({ md5, bytes, ...(target ? { target } : {}) });
}

/**
 * Whether the cache holds a good copy of manifest `md5`, checked by its hash only (no parsing): "missing",
 * or "good"; a damaged copy throws DATA_CORRUPT. For a folder whose files hash to `md5` (then the manifest
 * lists exactly them, so parsing 100,000 entries again would tell nothing new).
 */
export async function checkCachedManifest({
  cacheDir,
  md5,
}: {
  cacheDir: string;
  md5: string;
}): Promise<'good' | 'missing'> {
  let bytes: Buffer;
  try {
    bytes = await readFile(objectPath(cacheDir, md5));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  const actual = createHash('md5').update(bytes).digest('hex');
  if (actual !== contentMd5(md5)) throw corruptError({ md5, actual, where: 'folder manifest' });
  return 'good';
}

/** Store a manifest object for these entries in the cache; returns its id ("….dir"). */
export async function writeManifest({
  cacheDir,
  entries,
}: {
  cacheDir: string;
  entries: ManifestEntry[];
}): Promise<string> {
  const bytes = manifestBytes(entries);
  const md5 = `${createHash('md5').update(bytes).digest('hex')}.dir`;
  await writeObjectBytes({ base: cacheDir, md5, bytes });
  return md5;
}

/** Which keys were added, removed or changed going from `before` to `after` (in the maps' order). */
export function diffMaps<V>({ before, after }: { before: Map<string, V>; after: Map<string, V> }): {
  added: string[];
  removed: string[];
  changed: string[];
} {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) added.push(key);
    else if (before.get(key) !== value) changed.push(key);
  }
  for (const key of before.keys()) if (!after.has(key)) removed.push(key);
  return { added, removed, changed };
}

/** Which relpaths were added, removed or modified going from `base` to `head`. */
export function diffEntries(
  base: ManifestEntry[],
  head: ManifestEntry[],
): { added: string[]; removed: string[]; modified: string[] } {
  const { added, removed, changed } = diffMaps({
    before: new Map(base.map((e) => [e.relpath, e.md5])),
    after: new Map(head.map((e) => [e.relpath, e.md5])),
  });
  return { added, removed, modified: changed };
}

/**
 * Whether a listing (`Remote.list`) holds a whole copy of object `md5`: listed, and, when both the listing and the
 * caller (the cache copy's `size`) know the size, of that size. A copy cut short is not one.
 */
export function listedWhole(listed: ReadonlyMap<string, number | undefined>, md5: string, size?: number): boolean {
  if (!listed.has(md5)) return false;
  const held = listed.get(md5);
  return size === undefined || held === undefined || held === size;
}
