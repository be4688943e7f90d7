import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_EXTENSIONS, jpegDamage } from '../collection/file-kind.ts';
import { imageEndDamage } from '../collection/image-ends.ts';
import { messageOf } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import { gitLayout, headCommit, readFileAtRef } from '../git/repo.ts';
import type { Logger } from '../log.ts';
import { objectPath, readCachedManifest } from './cache.ts';
import { parseDvcFile, readDvcFile, recordedFiles } from './dvcfile.ts';
import type { TreeEntry } from './hash.ts';
import { mapPool } from './hash.ts';
import { tempName } from './temp.ts';

/*
 * `data add` records whatever data/ holds, as `dvc add` does; but a photograph emptied or cut short (a copy or sync
 * that stopped) was recorded over a good one without a word, where import refuses such a file and keeps the old one.
 * Each changed file named as an image is now judged by its header and its end, cheaply, and said.
 * A content judged readable is remembered by its MD5 (judgedFile), so that no later add reads it again: before the
 * record's first commit every photograph recorded is judged on each add, 15 s for 10,000 when each was read.
 */

/** Endings of the files the dataset stage reads as photographs (import's list). */
const IMAGE_ENDINGS = new Set(IMAGE_EXTENSIONS);

/** A photograph of data/ that cannot be read as an image. */
export interface UnreadableImage {
  /** Path inside the folder, with "/". */
  relpath: string;
  /** Why, in words to follow the file's name ("is empty (0 bytes)"). */
  why: string;
  /** The MD5 of the readable version the earlier record had, when the local cache holds it. */
  goodBefore?: string;
  /** The earlier record had another version of it (readable or not, in the cache or not). */
  recordedBefore: boolean;
}

/** Why `file` cannot be read as an image, or undefined when its header and its end (imageEndDamage) read. */
export async function imageProblem(file: string): Promise<string | undefined> {
  const { size } = await stat(file);
  if (size === 0) return 'is empty (0 bytes)';
  const head = Buffer.alloc(3);
  const handle = await open(file, 'r');
  try {
    await handle.read(head, 0, 3, 0);
  } finally {
    await handle.close();
  }
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    const damage = await jpegDamage(file).catch(() => undefined);
    if (damage) return damage;
  }
  // A PNG, TIFF or AVIF cut short keeps a header the decoder reads: its parts are checked against its size.
  const cut = await imageEndDamage(file).catch(() => undefined);
  if (cut) return cut;
  // Loaded only when a photograph changed: an add of nothing new never loads the decoder.
  const { default: sharp } = await import('sharp');
  try {
    // The header only, at any size: a large scan is whole, not damaged (its size is the dataset stage's business).
    await sharp(file, { limitInputPixels: false }).metadata();
    return undefined;
  } catch (error) {
    const words =
      messageOf(error)
        .split('\n')
        .find((l) => l.trim()) ?? '';
    return `cannot be read as an image (the image reader says "${words.slice(0, 100)}")`;
  }
}

/**
 * The photographs among `entries` that are new or changed since `before` (the earlier record's entries), or that
 * replace the version `committed` (git's last commit of the record) holds, and cannot be read as images, with an
 * earlier version that was readable. The committed one keeps them said on each add until the record is committed
 * or put right (a reviewer: the second add said "commit it to keep this version"). With no earlier record (a first
 * add), none are judged: no good version is lost, each file is new (a whole collection to read), and the dataset
 * stage says them.
 */
export async function unreadableImages({
  dir,
  cacheDir,
  entries,
  before,
  committed,
  judgedFile,
  jobs = 8,
}: {
  dir: string;
  cacheDir: string;
  entries: TreeEntry[];
  before: Map<string, string> | undefined;
  /**
   * The entries of the record git last committed, when it differs from `before`; NO_COMMIT when git has none (each
   * photograph recorded is then judged: none is kept by a commit yet).
   */
  committed?: Map<string, string> | typeof NO_COMMIT | undefined;
  /**
   * Where the MD5s of contents judged readable are kept (readableFileOf): those are not read again. Without it,
   * each photograph to judge is read.
   */
  judgedFile?: string;
  jobs?: number;
}): Promise<UnreadableImage[]> {
  const all = committed === NO_COMMIT;
  const last = committed === NO_COMMIT ? undefined : committed;
  if (!before && !last) return [];
  const replaced = (e: TreeEntry, record: Map<string, string> | undefined) =>
    record?.has(e.relpath) === true && record.get(e.relpath) !== e.md5;
  // One that cannot be read is never remembered: it is judged, and said, on each add until it is put right.
  const readable = judgedFile ? await loadReadable(judgedFile) : new Set<string>();
  const judged = entries.filter(
    (e) =>
      IMAGE_ENDINGS.has(path.posix.extname(e.relpath).toLowerCase()) &&
      (all || (before && !before.has(e.relpath)) || replaced(e, before) || replaced(e, last)) &&
      !readable.has(e.md5),
  );
  const judgedReadable: string[] = [];
  const found = await mapPool(judged, jobs, async (entry): Promise<UnreadableImage | undefined> => {
    // A file that cannot be opened (gone, no permission) is not said here, nor remembered as readable.
    const why = await imageProblem(path.join(dir, ...entry.relpath.split('/'))).catch(() => null);
    if (why === undefined) judgedReadable.push(entry.md5);
    if (!why) return undefined;
    // The latest version recorded first: a photograph edited since the commit is the one to put back.
    const olds = [before?.get(entry.relpath), last?.get(entry.relpath)].filter(
      (md5): md5 is string => md5 !== undefined && md5 !== entry.md5,
    );
    if (olds.length === 0) return { relpath: entry.relpath, why, recordedBefore: false };
    for (const old of new Set(olds))
      if ((await imageProblem(objectPath(cacheDir, old)).catch(() => 'absent')) === undefined)
        return { relpath: entry.relpath, why, recordedBefore: true, goodBefore: old };
    return { relpath: entry.relpath, why, recordedBefore: true };
  });
  if (judgedFile) {
    // Kept: the contents of the records at hand (the folder, the record it replaces, the committed one).
    const recorded = new Set([...entries.map((e) => e.md5), ...(before?.values() ?? []), ...(last?.values() ?? [])]);
    const kept = [...new Set([...readable, ...judgedReadable])].filter((md5) => recorded.has(md5)).sort();
    if (judgedReadable.length > 0 || kept.length !== readable.size) await saveReadable(judgedFile, kept);
  }
  return found.filter((f): f is UnreadableImage => f !== undefined);
}

/** What a remembered verdict depends on besides the bytes: a new name when imageProblem comes to read more. */
const READABLE_SCHEMA = 'vitrine.readable-images/1';

/** The MD5s remembered as readable images; none when the file is missing, damaged or of another schema. */
async function loadReadable(file: string): Promise<Set<string>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { schema?: unknown; md5s?: unknown };
    if (parsed.schema !== READABLE_SCHEMA || !Array.isArray(parsed.md5s)) return new Set();
    return new Set(parsed.md5s.filter((m): m is string => typeof m === 'string'));
  } catch {
    return new Set(); // none yet, or damaged: judging again only costs time
  }
}

async function saveReadable(file: string, md5s: string[]): Promise<void> {
  // Not kept (a checkout this user may only read, a full disk): the next add reads them again, nothing worse.
  await writeFileAtomic({ file, data: JSON.stringify({ schema: READABLE_SCHEMA, md5s }), temp: tempName }).catch(
    () => {},
  );
}

/** Each unreadable photograph said as a warning (a few, then a count), with how to put a good version back. */
export function warnUnreadableImages({
  images,
  target,
  log,
}: {
  images: UnreadableImage[];
  target: string;
  log: Logger;
}): void {
  for (const image of images.slice(0, 10)) {
    const file = `${target}/${image.relpath}`;
    const before = image.goodBefore
      ? ` The version ${target}.dvc recorded before was a readable photograph, and it is still in this ` +
        `computer's cache: put it back with "npx vitrine data restore --from ${image.goodBefore} ${file}", then ` +
        'run "npx vitrine data add" again.'
      : image.recordedBefore
        ? ` ${target}.dvc recorded another version of it before, which this computer's cache does not hold as a ` +
          'readable photograph: copy the photograph again from where it came from, then run "npx vitrine data add" again.'
        : ' Copy the photograph again from where it came from, then run "npx vitrine data add" again.';
    log.warn(
      `${file} ${image.why}: it cannot be shown in the catalogue nor learnt from, yet it was recorded as it is.` +
        before,
      { file },
    );
  }
  if (images.length > 10)
    log.warn(`…and ${images.length - 10} more photographs in ${target}/ that cannot be read as images.`, {
      file: target,
    });
}

/** The files `<target>.dvc` records now (relpath → MD5), or undefined when there is no record or its list is not here. */
export async function recordedEntries({
  dvcFile,
  cacheDir,
  target,
}: {
  dvcFile: string;
  cacheDir: string;
  target: string;
}): Promise<Map<string, string> | undefined> {
  // A record that cannot be read (markers, a hand edit) is none: as a first add, nothing to compare with.
  const files = await recordedFiles({ dvcFile, cacheDir, target });
  return files && new Map(files.map((e) => [e.relpath, e.md5]));
}

/** What committedEntries says of a repository where git has not committed `<target>.dvc` (or anything) yet. */
export const NO_COMMIT = 'no commit';

/**
 * The top of the git repository `dir` is in (the project may be a subfolder of it), or undefined outside one.
 */
export async function repositoryTop(dir: string): Promise<string | undefined> {
  for (let folder = path.resolve(dir); ; folder = path.dirname(folder)) {
    if (await gitLayout({ dir: folder })) return folder;
    if (path.dirname(folder) === folder) return undefined;
  }
}

/**
 * The files `<target>.dvc` recorded in git's last commit (relpath → MD5), when that record differs from the one in
 * the folder now; NO_COMMIT when git has no commit of it (a repository with no commit yet, or the record never
 * committed); undefined when it is the same, or there is no repository.
 */
export async function committedEntries({
  root,
  dvcFile,
  cacheDir,
  target,
}: {
  root: string;
  dvcFile: string;
  cacheDir: string;
  target: string;
}): Promise<Map<string, string> | typeof NO_COMMIT | undefined> {
  try {
    // Read at its path from the repository's top: a project may be a subfolder of its repository.
    const top = await repositoryTop(root);
    if (!top) return undefined;
    if ((await headCommit({ dir: top })) === null) return NO_COMMIT;
    const filepath = path.relative(top, dvcFile).split(path.sep).join('/');
    const text = await readFileAtRef({ dir: top, ref: 'HEAD', filepath });
    if (text === null) return NO_COMMIT;
    const md5 = parseDvcFile({ text, file: dvcFile, target }).outs[0]?.md5;
    const now = await readDvcFile({ file: dvcFile }).catch(() => undefined);
    if (md5 === now?.outs[0]?.md5) return undefined;
    return await entriesOf({ md5, cacheDir, target });
  } catch {
    // A repository Vitrine cannot read, or a committed record that cannot be read: nothing to compare with.
    return undefined;
  }
}

/** A folder list's entries by relpath, when `md5` names one the cache holds. */
async function entriesOf({
  md5,
  cacheDir,
  target,
}: {
  md5: string | undefined;
  cacheDir: string;
  target: string;
}): Promise<Map<string, string> | undefined> {
  if (!md5?.endsWith('.dir')) return undefined;
  const entries = await readCachedManifest({ cacheDir, md5, target });
  return entries && new Map(entries.map((e) => [e.relpath, e.md5]));
}

/**
 * The summary's last sentences when photographs that cannot be read were recorded: not "commit to keep this version",
 * but put them back first, or undo the whole add (when git has a commit to go back to).
 */
export function unreadableWords({
  images,
  target,
  committed,
  repository,
}: {
  images: UnreadableImage[];
  target: string;
  /** Whether git has committed `<target>.dvc`: "git checkout" then undoes the add. */
  committed: boolean;
  /** Whether the folder is in a git repository: outside one, no earlier record is kept to go back to. */
  repository: boolean;
}): string {
  const name = `${target}.dvc`;
  const one = images.length === 1;
  const said =
    ` ${one ? '1 photograph' : `${images.length} photographs`} named above cannot be read as ` +
    `${one ? 'an image' : 'images'}: put ${one ? 'it' : 'them'} right as said above`;
  // No "git init" yet: nothing to commit, and no earlier record to go back to (a museum folder's first steps).
  if (!repository)
    return `${said}. This folder is not a git repository, so no earlier ${name} is kept to undo this whole add with.`;
  return (
    `${said} before you commit ${name}.` +
    (committed
      ? ` To undo this whole add instead (data/ as the last commit recorded it), run "git checkout ${name}", then ` +
        '"npx vitrine data checkout".'
      : '')
  );
}
