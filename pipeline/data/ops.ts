import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  lstatSync,
  mkdirSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isVitrineError, messageOf, systemErrorOf, VitrineError } from '../errors.ts';
import { headCommit, readFileAtRef } from '../git/repo.ts';
import type { Logger, Whereabouts } from '../log.ts';
import { formatBytes, listWords, plural } from '../words.ts';
import {
  cachedSize,
  checkCachedManifest,
  cleanStaleObjectTemps,
  contentMd5,
  copyVerified,
  diffEntries,
  exists,
  listObjectIds,
  type ManifestEntry,
  objectLookup,
  objectPath,
  parseManifest,
  readCachedManifest,
  removeObject,
  tempName,
  unwritableRelpath,
  windowsUnsafeRelpath,
  writeManifest,
} from './cache.ts';
import { isUrl, readDvcConfig } from './config.ts';
import {
  type DvcOut,
  legacyError,
  parseDvcFile,
  readDvcFile,
  recordedFiles,
  resolveOutPath,
  writeDvcFile,
} from './dvcfile.ts';
import { HashState, hashTree, listFiles, mapPool, md5OfFileSync, type TreeHash } from './hash.ts';
import { inside, linkBackInto } from './links.ts';
import {
  type GitOperation,
  noteMergeRecorded,
  type RecordConflict,
  unfinishedMerge,
  unfinishedMergeError,
} from './merge-state.ts';
import { recordMissingOnRemote } from './presence.ts';
import { forgetRemote, movedRemoteWords, noteOnRemote, sentState } from './pushed.ts';
import {
  folderMissingError,
  fullStop,
  inRepositoryFolder,
  listedWhole,
  notTheRemoteError,
  openRemote,
  openRemoteAt,
  type Remote,
} from './remote.ts';
import { removeStaleTemps } from './temp.ts';
import {
  committedEntries,
  NO_COMMIT,
  recordedEntries,
  repositoryTop,
  unreadableImages,
  unreadableWords,
  warnUnreadableImages,
} from './unreadable-images.ts';

// Live in cache.ts, which git/repo.ts loads for dataDiff without this module and the storage clients.
export { diffEntries, diffMaps } from './cache.ts';
// In pipeline/words.ts since (no imports: the site's pages and commands without the data layer load it alone).
export { listWords, plural };

/*
 * The `vitrine data` operations over a repository root: add (hash + cache + data.dvc), push and pull
 * (only missing objects, in parallel, each verified), checkout (materialise data/ from the cache,
 * never from a damaged object) and status. Everything that identifies a repo comes in as `root`.
 */

/** Where Vitrine keeps its hash state cache (inode, mtime, size → md5). */
export function stateFileOf(root: string): string {
  return path.join(path.resolve(root), '.dvc', 'tmp', 'vitrine-state.json');
}

/** Where `data add` remembers the contents (MD5s) it judged to be readable photographs (unreadableImages). */
export function readableFileOf(root: string): string {
  return path.join(path.resolve(root), '.dvc', 'tmp', 'vitrine-readable-images.json');
}

/**
 * Where Vitrine remembers which cache objects it has checked (inode, mtime, size → md5), so `add`
 * verifies an existing object once rather than on every run. Kept apart from the workspace state so
 * that `status` does not load it.
 */
export function cacheStateFileOf(root: string): string {
  return path.join(path.resolve(root), '.dvc', 'tmp', 'vitrine-cache-state.json');
}

/**
 * True when the cache object at `file` holds the bytes of `md5`: remembered in `state` when unchanged
 * since it was last checked, else read and hashed (and remembered when good).
 */
export async function isGoodObject({
  file,
  md5,
  state,
}: {
  file: string;
  md5: string;
  state: HashState;
}): Promise<boolean> {
  const info = await stat(file, { bigint: true }).catch(() => null);
  if (!info?.isFile()) return false;
  if (state.get(file, info) === contentMd5(md5)) return true;
  const actual = md5OfFileSync(file);
  if (actual !== contentMd5(md5)) return false;
  state.set(file, info, actual);
  return true;
}

/**
 * Where checkout writes its temp files: inside `.dvc/tmp` (which git ignores and no scan of data/
 * reaches), on the same filesystem as data/ in the usual layout, so the final rename is atomic.
 */
export function checkoutTempDirOf(root: string): string {
  return path.join(path.resolve(root), '.dvc', 'tmp', 'checkout');
}

/**
 * Written while a pull or checkout brings `target`/ to what its .dvc file records, removed once it has: a pull killed
 * after its downloads leaves files in the cache that are not in data/ yet, which "data add" would otherwise take for
 * files deleted by hand and drop from data.dvc (an outside tester lost 12 images and objects.csv that way). With it
 * there, "data add" first puts them in data/ (finishStoppedCheckout).
 */
export function unfinishedCheckoutFile(root: string, target = 'data'): string {
  return path.join(path.resolve(root), '.dvc', 'tmp', `checkout-unfinished.${target.replace(/[\\/:]/g, '_')}`);
}

async function markCheckoutUnderway(root: string, target: string): Promise<void> {
  const file = unfinishedCheckoutFile(root, target);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `A data pull or checkout of ${target}/ started here and has not finished.\n`);
}

/** Remove what killed checkouts left: stale temp files in data/ (older versions) and in `.dvc/tmp/checkout`. */
async function cleanWorkspaceTemps({ root, temps }: { root: string; temps: string[] }): Promise<void> {
  const tempDir = checkoutTempDirOf(root);
  const staged = (await readdir(tempDir).catch(() => [] as string[])).map((name) => path.join(tempDir, name));
  await removeStaleTemps({ files: [...temps, ...staged], ownerlessIsStale: true });
}

/** The tracked folder recorded in `<root>/<target>.dvc`. */
interface Tracked {
  dvcFile: string;
  out: DvcOut;
  /** Absolute path of the tracked folder. */
  dir: string;
  cacheDir: string;
}

async function tracked({ root, target = 'data' }: { root: string; target?: string }): Promise<Tracked> {
  const absRoot = path.resolve(root);
  const dvcFile = path.join(absRoot, `${target}.dvc`);
  const parsed = await readDvcFile({ file: dvcFile });
  if (parsed.legacy) throw legacyError(dvcFile);
  const out = parsed.outs[0];
  const dir = resolveOutPath({ root: absRoot, dvcFile, out });
  if (!out.md5.endsWith('.dir')) {
    throw new VitrineError(
      'DVCFILE_NOT_FOLDER',
      `${path.basename(dvcFile)} tracks a single file, but Vitrine versions the data folder.`,
      { file: path.basename(dvcFile) },
    );
  }
  const { cacheDir } = await readDvcConfig({ root: absRoot });
  return { dvcFile, out, dir, cacheDir };
}

/**
 * `dvc add data`: hash the folder, copy new files into `.dvc/cache/files/md5/…` (read-only), store the
 * `.dir` manifest, write `data.dvc` and make sure git ignores the folder.
 */
export async function addData({
  root,
  target = 'data',
  log,
  jobs = 8,
  removeMissing = false,
  pushNext = false,
  written = false,
}: {
  root: string;
  target?: string;
  log: Logger;
  jobs?: number;
  /** Record the folder even though data.dvc lists files that are neither in it nor in the local cache. */
  removeMissing?: boolean;
  /**
   * The folder was just written whole (import, init, the demo): a file it lacks was removed on purpose, never one
   * a stopped pull had not put there yet (finishStoppedCheckout).
   */
  written?: boolean;
  /** The caller pushes right after (init, demo): no advice to push, which it would then say twice. */
  pushNext?: boolean;
}): Promise<{ md5: string; size: number; nfiles: number; pushAdvised: boolean }> {
  const absRoot = path.resolve(root);
  const dvcFile = path.join(absRoot, `${target}.dvc`);
  const out: DvcOut = { md5: '', path: target };
  const dir = resolveOutPath({ root: absRoot, dvcFile, out });
  const merging = await refuseUnmergedRecord({ root: absRoot, dvcFile, target });
  await refuseOtherRecordedPath({ root: absRoot, dvcFile, target });
  refuseLinkedFolders({ dir, folders: [''], target, recording: true });
  const { cacheDir } = await readDvcConfig({ root: absRoot });
  if (!removeMissing && !written) await finishStoppedCheckout({ root: absRoot, dvcFile, cacheDir, dir, target, log });
  const links: string[] = [];
  const linkedFolders: string[] = [];
  const dvcignores: string[] = [];
  const brokenLinks: string[] = [];
  const files = await listFiles({ dir, root: absRoot, links, linkedFolders, brokenLinks, dvcignores });
  refuseDvcignoreInside({ dvcignores, target });
  warnBrokenLinks({ dir, brokenLinks, target, log });
  refuseLinkedFolders({ dir, folders: linkedFolders, target, recording: true });
  const cacheLinks = refuseLinksOutside({ root: absRoot, dir, links, target, cacheDir });
  refuseUnwritableNames({ files, target });
  warnWindowsNames({ files, target, log });
  const unknownList = removeMissing
    ? undefined
    : await refuseDroppingUnfetched({ root: absRoot, dvcFile, cacheDir, files, target, written, log });
  const hashing = log.progress(`Hashing ${target}/`, files.length);
  const temps: string[] = [];
  const tree = await hashTree({
    dir,
    root: absRoot,
    stateFile: stateFileOf(absRoot),
    onFile: () => hashing.tick(),
    temps,
  });
  hashing.done();
  // Judged against the record about to be replaced; a folder just written whole (import, init) was judged already.
  const committed = written ? undefined : await committedEntries({ root: absRoot, dvcFile, cacheDir, target });
  const unreadable = written
    ? []
    : await unreadableImages({
        dir,
        cacheDir,
        entries: tree.entries,
        before: await recordedEntries({ dvcFile, cacheDir, target }),
        committed,
        judgedFile: readableFileOf(absRoot),
        jobs,
      });
  // A recorded version whose files are not known here: only data/ being that very version loses nothing.
  if (unknownList && tree.md5 !== unknownList.md5) throw unknownList.refusal;
  refuseChangedCacheLinks({ entries: tree.entries, cacheLinks, target });
  await cleanWorkspaceTemps({ root: absRoot, temps });
  const caching = log.progress('Storing new files in the cache', tree.nfiles);
  const cacheState = await HashState.load({ file: cacheStateFileOf(absRoot) });
  let stored = 0;
  const replaced: string[] = [];
  await mapPool(tree.entries, jobs, async (entry) => {
    const dest = objectPath(cacheDir, entry.md5);
    const there = await exists(dest);
    // An object already there is checked too: a damaged one would otherwise block every push.
    if (!there || !(await isGoodObject({ file: dest, md5: entry.md5, state: cacheState }))) {
      const src = path.join(dir, ...entry.relpath.split('/'));
      try {
        await copyVerified({ src, dest, md5: entry.md5, readOnly: true, what: `${target}/${entry.relpath}` });
      } catch (error) {
        if (isVitrineError(error, 'DATA_CORRUPT')) {
          throw new VitrineError(
            'DATA_CHANGED',
            `${target}/${entry.relpath} changed while it was being added; run "npx vitrine data add" again.`,
            { file: `${target}/${entry.relpath}` },
            { cause: error },
          );
        }
        throw error;
      }
      cacheState.set(dest, await stat(dest, { bigint: true }), contentMd5(entry.md5));
      if (there) replaced.push(`${target}/${entry.relpath}`);
      else stored++;
    }
    caching.tick();
  });
  caching.done();
  await cacheState.save();
  for (const file of replaced)
    log.warn(`The cache copy of ${file} was damaged; it was replaced with the file from ${target}/.`, { file });
  warnUnreadableImages({ images: unreadable, target, log });
  const md5 = await writeManifest({ cacheDir, entries: tree.entries });
  const before = await readFile(dvcFile, 'utf8').catch(() => null);
  await writeDvcFile({
    file: dvcFile,
    outs: [{ md5, size: tree.size, nfiles: tree.nfiles, hash: 'md5', path: target }],
  });
  await ensureGitignored({ root: absRoot, target });
  if (merging) await noteMergeRecorded({ root: absRoot, target, ours: merging.ours, other: merging.other, md5 });
  // Recorded as it is now: nothing is left for a pull or checkout to finish.
  await rm(unfinishedCheckoutFile(absRoot, target), { force: true });
  const after = await readFile(dvcFile, 'utf8');
  const changed = before !== after;
  const toCommit = changed || (await uncommitted({ root: absRoot, dvcFile, text: after }));
  const counts = `${plural(tree.nfiles, 'file')}, ${formatBytes(tree.size)}${changed ? ` (${stored} new in the cache)` : ''}`;
  // Its own sentence, after the warnings that name them (a tester: "(151 files, 1.7 MB (1 damaged cache copies …))").
  const repaired =
    replaced.length === 0
      ? ''
      : replaced.length === 1
        ? ' The damaged cache copy named above was replaced.'
        : ` The ${replaced.length} damaged cache copies named above were replaced.`;
  // Unchanged, yet files stored: this computer's cache lacked them (a fresh clone, a demo written again).
  const cached =
    !changed && stored > 0
      ? ` ${stored === 1 ? '1 of them was' : `${stored} of them were`} copied into this computer's cache.`
      : '';
  const name = `${target}.dvc`;
  const sent = pushNext ? null : await sentState({ root: absRoot, list: md5 });
  const send = pushNext
    ? ''
    : !sent
      ? 'No storage remote is set up yet, so the images are only on this computer: choose one with ' +
        '"npx vitrine data init <folder or s3://bucket/folder>", then run "npx vitrine data push".'
      : sent.known
        ? ''
        : inRepositoryFolder({ root: absRoot, url: sent.url })
          ? `Send the images to the remote "${sent.remote}" (${sent.url}) with "npx vitrine data push" to keep a ` +
            'copy there; that folder is inside this repository, which git leaves out, so it is on this computer ' +
            'only: no one else (nor CI) can pull the images from it. To share them, give a shared folder or bucket ' +
            '("Moving the images to another remote" in docs/data.md).'
          : `Send the images to the remote "${sent.remote}" (${sent.url}) with "npx vitrine data push": until then ` +
            'they are only on this computer, and no one else (nor CI) can pull them.';
  const repository = (await repositoryTop(absRoot)) !== undefined;
  // Photographs that cannot be read, over readable ones: put right first, never "commit to keep this version".
  const putRight =
    unreadable.length > 0
      ? unreadableWords({ images: unreadable, target, committed: committed !== NO_COMMIT, repository })
      : '';
  // Outside a repository "commit" fails: the folder becomes one first (task D23).
  const noRepository = `This folder is not a git repository yet: run "git init" here, then commit ${name} to keep it.`;
  const unchangedTail = putRight
    ? '.'
    : !repository
      ? `. ${noRepository}`
      : toCommit
        ? `, but ${name} is not committed yet: commit it to keep this version.`
        : '.';
  const said = changed
    ? `Recorded ${target}/: ${counts}.${repaired}` +
      (putRight || (repository ? ` Commit ${name} to keep this version.` : ` ${noRepository}`))
    : `${target}/ is unchanged: ${name} already records it (${counts})` + unchangedTail + repaired + cached + putRight;
  log.info(send ? `${said} ${send}` : said);
  // Whether the remote may lack these images: the caller's summary repeats the advice to push only then (with no
  // remote, the advice above is to choose one first).
  return { md5, size: tree.size, nfiles: tree.nfiles, pushAdvised: Boolean(sent && !sent.known) };
}

/**
 * Whether `text` (data.dvc as it is now) differs from data.dvc in git's last commit: an add that changed nothing
 * still leaves a data.dvc to commit when an earlier add changed it. False when git cannot tell (no repository).
 */
async function uncommitted({ root, dvcFile, text }: { root: string; dvcFile: string; text: string }): Promise<boolean> {
  try {
    // At its path from the repository's top: a project may be a subfolder of its repository.
    const top = await repositoryTop(root);
    if (!top) return false;
    // A repository without a commit yet: nothing is committed.
    if ((await headCommit({ dir: top })) === null) return true;
    const filepath = path.relative(top, dvcFile).split(path.sep).join('/');
    const committed = await readFileAtRef({ dir: top, ref: 'HEAD', filepath });
    return committed === null || committed.replace(/\r\n/g, '\n') !== text.replace(/\r\n/g, '\n');
  } catch {
    return false;
  }
}

/** Links in the folder whose target is gone are not files, so not recorded: said, each named (a few, then a count). */
function warnBrokenLinks({
  dir,
  brokenLinks,
  target,
  log,
}: {
  dir: string;
  brokenLinks: string[];
  target: string;
  log: Logger;
}): void {
  for (const relpath of brokenLinks.slice(0, 5)) {
    const to = (() => {
      try {
        return readlinkSync(path.join(dir, ...relpath.split('/')));
      } catch {
        return '?';
      }
    })();
    const folder = path.posix.dirname(`${target}/${relpath}`);
    log.warn(
      `${target}/${relpath} is a link to ${to}, which does not exist (the link leads nowhere): it is not recorded. ` +
        `Put the file itself (not a link) in ${folder}/, or delete the link, then run "npx vitrine data add" again.`,
      { file: `${target}/${relpath}` },
    );
  }
  if (brokenLinks.length > 5)
    log.warn(`…and ${brokenLinks.length - 5} more links in ${target}/ that lead nowhere, not recorded either.`, {
      file: target,
    });
}

/**
 * While git combines two histories that both changed data.dvc (a merge, a rebase, a cherry-pick stopped on it),
 * recording data/ would write data.dvc from this computer's data/ alone and drop the other side's photographs,
 * whatever data.dvc holds now: git's markers, a hand edit, one side kept whole (a reviewer). Refused until "data
 * merge" has written the merge; after that, what is recorded belongs to the merge (returned, to note it).
 */
async function refuseUnmergedRecord({
  root,
  dvcFile,
  target,
}: {
  root: string;
  dvcFile: string;
  target: string;
}): Promise<RecordConflict | undefined> {
  // Markers, or a hand edit that does not read: said as the conflict, naming the line.
  const md5 = await readDvcFile({ file: dvcFile }).then(
    (parsed) => parsed.outs[0]?.md5,
    (error: unknown) => {
      if (isVitrineError(error, 'DVCFILE_MERGE_CONFLICT')) throw error;
      return undefined;
    },
  );
  const unfinished = await unfinishedMerge({ root, target, md5 });
  if (!unfinished) return undefined;
  const { written, ...conflict } = unfinished;
  if (written) return conflict;
  throw unfinishedMergeError({ conflict, target, refused: 'record' });
}

/**
 * A pull or a checkout while such a merge is unfinished would fill data/ from a data.dvc that has one branch's
 * photographs only (resolved by hand, or one side kept): committed, the other's would be dropped. Refused before
 * anything is changed, as "data add" is; once "data merge" has written the merge, they fill data/ from it.
 */
async function refuseUnfinishedMerge({
  root,
  target,
  md5,
  refused,
}: {
  root: string;
  target: string;
  md5: string;
  refused: 'pull' | 'checkout';
}): Promise<void> {
  const unfinished = await unfinishedMerge({ root, target, md5 });
  if (unfinished && !unfinished.written) throw unfinishedMergeError({ conflict: unfinished, target, refused });
}

/**
 * A data.dvc whose "path:" names another folder than data/ (an edit, a file copied from another project) is not
 * rewritten: someone meant something by it, and `data add` writing "path: data" over it would hide that. Refused,
 * naming the file and line; any other fault of the file (a merge conflict) is replaced by the new record, as before.
 */
async function refuseOtherRecordedPath({
  root,
  dvcFile,
  target,
}: {
  root: string;
  dvcFile: string;
  target: string;
}): Promise<void> {
  const error = await readDvcFile({ file: dvcFile }).then(
    () => undefined,
    (e: unknown) => e,
  );
  // A conflict left by a merge: recorded over, the other branch's photographs would be dropped (an outside tester).
  if (isVitrineError(error, 'DVCFILE_MERGE_CONFLICT')) throw error;
  if (!isVitrineError(error, 'DVCFILE_PATH_OUTSIDE')) return;
  const name = path.basename(dvcFile);
  const value = String(error.data.path ?? '');
  const line = typeof error.data.line === 'number' ? error.data.line : undefined;
  const there = path.resolve(path.dirname(dvcFile), value);
  const relative = path.relative(root, there);
  const where = value.includes('\\')
    ? // "data\" as Windows writes it: DVC files are read the same on every system, with "/" between folder names.
      'has a backslash (\\), as Windows writes paths; a .dvc file takes a forward slash (/) instead, on every system'
    : relative === ''
      ? `is the repository itself (the folder ${name} is in), not its data folder ${target}/`
      : relative.startsWith('..') || path.isAbsolute(relative)
        ? `points outside the repository (to ${there})`
        : `points to another folder of the repository (${relative})`;
  throw new VitrineError(
    'DVCFILE_PATH_OUTSIDE',
    `${name}${line ? `:${line}` : ''}: "path: ${value}" ${where}. ${name} must record the folder ${target}/ beside it ` +
      `("path: ${target}"), and "npx vitrine data add" does not rewrite it, so nothing was recorded and ${name} was ` +
      `left as it was. Put back "path: ${target}"${
        line ? ` on line ${line}` : ''
      } (or "git checkout ${name}" if the edit was a mistake), then run "npx vitrine data add" again.`,
    { ...error.data },
    { cause: error },
  );
}

/**
 * DVC refuses to record a folder that holds a `.dvcignore` (dvc_data's IgnoreInCollectedDirError: "file should not
 * be in collected dir path"): neither does Vitrine, so data.dvc stays one DVC can check. Its lines belong in the
 * repository's top `.dvcignore`, rewritten as DVC itself rewrites them (dvc/pathspec_math.py change_rule).
 */
function refuseDvcignoreInside({ dvcignores, target }: { dvcignores: string[]; target: string }): void {
  if (dvcignores.length === 0) return;
  const file = `${target}/${dvcignores[0]}`;
  const folder = path.posix.dirname(file);
  throw new VitrineError(
    'DATA_DVCIGNORE_INSIDE',
    `${file} is a .dvcignore inside ${target}/, and DVC does not record a folder that holds one (it stops with ` +
      `"file should not be in collected dir path"), so neither does Vitrine. Nothing was recorded. Move its lines ` +
      `into the .dvcignore in the repository's top folder, a line with a "/" in it (not only at its end) after ` +
      `"/${folder}/" and any other after "/${folder}/**/" ("*.tmp" becomes "/${folder}/**/*.tmp"), delete ${file}` +
      `${dvcignores.length > 1 ? ` (and the ${dvcignores.length - 1} other .dvcignore files in ${target}/)` : ''}, ` +
      'then run "npx vitrine data add" again.',
    { file },
  );
}

/** Refuse to record a file name that every later pull and checkout would refuse (a line break, a control character). */
function refuseUnwritableNames({ files, target }: { files: string[]; target: string }): void {
  for (const relpath of files) {
    const problem = unwritableRelpath(relpath);
    if (!problem) continue;
    const shown = JSON.stringify(`${target}/${relpath}`);
    throw new VitrineError(
      'DATA_NAME_INVALID',
      `The file ${shown} ${problem}, so it could not be checked out again on another computer. Nothing was ` +
        'recorded. Rename the file, then run "npx vitrine data add" again.',
      { file: `${target}/${relpath}` },
    );
  }
}

/** Files Windows cannot write are recorded (they are fine here), with one warning naming them. */
function warnWindowsNames({ files, target, log }: { files: string[]; target: string; log: Logger }): void {
  const unsafe = files.flatMap((relpath) => {
    const problem = windowsUnsafeRelpath(relpath);
    return problem ? [{ file: `${target}/${relpath}`, problem }] : [];
  });
  if (!unsafe.length) return;
  const named = unsafe.slice(0, 5).map((u) => `${JSON.stringify(u.file)} ${u.problem}`);
  const more = unsafe.length > 5 ? ` (and ${unsafe.length - 5} more)` : '';
  log.warn(
    `${plural(unsafe.length, 'file')} in ${target}/ cannot be checked out on Windows: ${named.join('; ')}${more}. ` +
      'They were recorded; if anyone clones the repository on Windows, rename them and run "npx vitrine data add" again.',
    { file: unsafe[0]!.file },
  );
}

/**
 * After a pull or checkout stopped while it filled `target`/, the recorded files it had fetched but not put there
 * yet are put there first, from the local cache (only where nothing is): the folder is then what the pull would
 * have left, with the changes made since, and is recorded as such. A pull would refuse to finish over those
 * changes (their content is in no cache), and recording without them would drop the files from data.dvc.
 */
async function finishStoppedCheckout({
  root,
  dvcFile,
  cacheDir,
  dir,
  target,
  log,
}: {
  root: string;
  dvcFile: string;
  cacheDir: string;
  dir: string;
  target: string;
  log: Logger;
}): Promise<void> {
  if (!(await exists(unfinishedCheckoutFile(root, target)))) return;
  const manifest = await recordedFiles({ dvcFile, cacheDir, target });
  if (!manifest) return;
  const putBack: string[] = [];
  for (const entry of manifest) {
    const dest = path.join(dir, ...entry.relpath.split('/'));
    const src = objectPath(cacheDir, entry.md5);
    if (lstatSync(dest, { throwIfNoEntry: false }) || !(await exists(src))) continue;
    const what = `.dvc/cache, needed by ${target}/${entry.relpath}`;
    await copyVerified({ src, dest, md5: entry.md5, what, tempDir: checkoutTempDirOf(root) });
    putBack.push(`${target}/${entry.relpath}`);
  }
  if (putBack.length > 0)
    log.info(
      `A data pull or checkout stopped before it had put ${plural(putBack.length, 'file')} in ${target}/ ` +
        `(${listWords(putBack, { max: 3 })}): ${putBack.length === 1 ? 'it was' : 'they were'} put there from the ` +
        'local cache first. To leave recorded files out on purpose, run "npx vitrine data add --remove-missing".',
    );
}

/**
 * A file data.dvc records that is neither in the folder nor in the cache was never fetched here (an interrupted
 * pull, a clone): recording the folder would drop it from data.dvc and, once committed, from the collection.
 * Files deleted by hand (their content is in the cache) are recorded as removed, as `dvc add` does. Returned: the
 * refusal when the recorded folder list is to be had nowhere, which stands unless data/ hashes to that version.
 */
async function refuseDroppingUnfetched({
  root,
  dvcFile,
  cacheDir,
  files,
  target,
  written,
  log,
}: {
  root: string;
  dvcFile: string;
  cacheDir: string;
  files: string[];
  target: string;
  /** Where a remote opened for the list says it corrected this computer's clock. */
  log: Logger;
  /**
   * The caller wrote the folder whole and answers for the version it replaces (the demo keeps that data.dvc and says
   * how to go back; an import reads it itself): a list not in the cache is not fetched for it.
   */
  written: boolean;
}): Promise<{ md5: string; refusal: VitrineError } | undefined> {
  const found =
    (await recordedFiles({ dvcFile, cacheDir, target })) ??
    (written ? undefined : await unfetchedList({ root, dvcFile, cacheDir, target, log }));
  if (!Array.isArray(found)) return found;
  const manifest = found;
  const have = new Set(files);
  const gone = manifest.filter((e) => !have.has(e.relpath));
  if (gone.length === 0) return undefined;
  // The table of the collection's objects: no import or re-export means to drop it, and without it nothing runs.
  if (target === 'data' && gone.some((e) => e.relpath === 'objects.csv'))
    throw new VitrineError(
      'DATA_OBJECTS_MISSING',
      `data/objects.csv, the table of the collection’s objects, is missing from data/ but data.dvc records it. ` +
        'Recording data/ now would drop it, so data.dvc was left as it was. Run "npx vitrine data checkout" to put ' +
        'it back (or "npx vitrine data pull" if this machine does not have it). To drop it on purpose, run ' +
        '"npx vitrine data add --remove-missing".',
      { file: 'data/objects.csv' },
    );
  const held = await objectLookup(cacheDir);
  const unfetched = gone.filter((e) => !held(e.md5)).map((e) => `${target}/${e.relpath}`);
  if (unfetched.length === 0) return undefined;
  throw new VitrineError(
    'DATA_NOT_FETCHED',
    `${target}.dvc records ${plural(unfetched.length, 'file')} that ${unfetched.length === 1 ? 'is' : 'are'} neither in ` +
      `${target}/ nor in the local cache (e.g. ${unfetched.slice(0, 3).join(', ')}): never fetched to this machine ` +
      `(a "git pull" brought a ${target}.dvc whose files were not pulled yet, or a "npx vitrine data pull" was ` +
      `interrupted). Recording ${target}/ now would drop them from ${target}.dvc, so ` +
      `${target}.dvc was left as it was. Run "npx vitrine data pull" to fetch them, then "npx vitrine data add" again. To ` +
      `drop them from ${target}.dvc on purpose (a re-import whose export no longer has them), run ` +
      '"npx vitrine data add --remove-missing".',
    { file: path.basename(dvcFile), missing: unfetched.length },
  );
}

/**
 * The folder list of the version `dvcFile` records when this computer's cache lacks it (a "git pull" brought another
 * person's data.dvc): fetched from the remote, as "data merge" fetches lists. When it cannot be, the refusal: recording
 * data/ without knowing what that version holds would drop the other person's photographs without a word. Undefined
 * when there is nothing recorded to lose (see recordedFiles, dvcfile.ts) or the cache holds the list, damaged.
 */
async function unfetchedList({
  root,
  dvcFile,
  cacheDir,
  target,
  log,
}: {
  root: string;
  dvcFile: string;
  cacheDir: string;
  target: string;
  log: Logger;
}): Promise<ManifestEntry[] | { md5: string; refusal: VitrineError } | undefined> {
  // A DVC 2 record's list is in a layout Vitrine does not read: "data add" records it again (legacyError).
  const md5 = await readDvcFile({ file: dvcFile }).then(
    (parsed) => (parsed.legacy ? undefined : parsed.outs[0]?.md5),
    () => undefined,
  );
  if (!md5?.endsWith('.dir') || (await exists(objectPath(cacheDir, md5)))) return undefined;
  const remote = await configuredRemote({ root, log })().catch((error: unknown) => error as Error);
  let cause: unknown;
  if (remote && !(remote instanceof Error)) {
    try {
      return await loadManifest({ cacheDir, md5, remote, target });
    } catch (error) {
      cause = error;
    }
  }
  const name = path.basename(dvcFile);
  const said = (error: unknown) => messageOf(error).replace(/\.\s*$/, '');
  const where =
    remote === undefined
      ? 'not on this computer, and no storage remote is set up to fetch it from'
      : remote instanceof Error
        ? `not on this computer, and the storage remote could not be opened (${said(remote)})`
        : isVitrineError(cause, 'REMOTE_OBJECT_MISSING')
          ? `neither on this computer nor on the remote "${remote.name}"`
          : `not on this computer, and the remote "${remote.name}" could not be reached (${said(cause)})`;
  const refusal = new VitrineError(
    'DATA_NOT_FETCHED',
    `${name} records a version of ${target}/ whose list of files is ${where} (object ${md5}): its files ` +
      `were never fetched here (a "git pull" brought it from another computer), or this computer's cache lost ` +
      `them. Recording ${target}/ now would ` +
      `drop from ${name} whatever that version holds and ${target}/ lacks (photographs someone else added), so ` +
      `${name} was left as it was. Run "npx vitrine data pull" first (whoever recorded that version must have run ` +
      `"npx vitrine data push"), then "npx vitrine data add" again. To record ${target}/ as it is on purpose, ` +
      `dropping what that version has and ${target}/ lacks, run "npx vitrine data add --remove-missing".`,
    { file: name, object: md5 },
    { cause: cause ?? (remote instanceof Error ? remote : undefined) },
  );
  return { md5, refusal };
}

/** Add `/<target>` to the root `.gitignore` as `dvc add` does. */
async function ensureGitignored({ root, target }: { root: string; target: string }): Promise<void> {
  const file = path.join(root, '.gitignore');
  const line = `/${target}`;
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // No .gitignore yet.
  }
  if (text.split(/\r?\n/).includes(line)) return;
  await appendFile(file, `${text && !text.endsWith('\n') ? '\n' : ''}${line}\n`);
}

/** A remote, or a way to open the configured one only when it is needed (undefined when none is set up). */
export type RemoteSource = Remote | (() => Promise<Remote | undefined>);

/**
 * The default remote of .dvc/config, or undefined when none is set up. `log`: where an S3 remote says it corrected
 * this computer's clock to the server's (the command's log).
 */
export function configuredRemote({ root, log }: { root: string; log?: Logger }): () => Promise<Remote | undefined> {
  return async () => {
    try {
      return await openRemote({ root, ...(log ? { log } : {}) });
    } catch (error) {
      if (isVitrineError(error, 'DVC_NO_REMOTE')) return undefined;
      throw error;
    }
  };
}

/** The fix for a damaged folder list when the remote cannot supply a good one. */
function damagedListError({
  md5,
  target,
  cause,
  remote,
}: {
  md5: string;
  target: string;
  cause: unknown;
  remote?: string;
}): VitrineError {
  const where = remote
    ? `the remote "${remote}" has no good copy either`
    : 'no remote is set up to fetch a good copy from';
  return new VitrineError(
    'DATA_CORRUPT',
    `The cache copy of ${target}.dvc's folder list (object ${md5}) is damaged, and ${where}. ` +
      `If ${target}/ still holds the version ${target}.dvc records, run "npx vitrine data verify --repair" (or "npx vitrine data add") ` +
      `to rebuild the list from it; otherwise get that version's files into ${target}/ and run "npx vitrine data add".`,
    { object: md5, file: `${target}.dvc`, ...(remote ? { remote } : {}) },
    { cause },
  );
}

/**
 * The manifest of a folder object: from the cache, else fetched from `remote` into the cache. A damaged
 * cache copy is replaced by a good one from `remote` (written beside it, then renamed over it). With
 * `fetchMissing: false` a missing copy is not fetched (checkout asks for a pull instead).
 */
export async function loadManifest({
  cacheDir,
  md5,
  remote: source,
  target = 'data',
  fetchMissing = true,
}: {
  cacheDir: string;
  md5: string;
  remote?: RemoteSource;
  target?: string;
  fetchMissing?: boolean;
}): Promise<ManifestEntry[]> {
  let damage: unknown;
  try {
    const cached = await readCachedManifest({ cacheDir, md5, target });
    if (cached) return cached;
  } catch (error) {
    if (!isVitrineError(error, 'DATA_CORRUPT')) throw error;
    damage = error;
  }
  const remote = damage || fetchMissing ? (typeof source === 'function' ? await source() : source) : undefined;
  if (!remote) {
    if (damage) throw damagedListError({ md5, target, cause: damage });
    throw new VitrineError(
      'DATA_NOT_IN_CACHE',
      `The folder list ${md5} is not in the local cache: run "npx vitrine data pull" first.`,
      { object: md5 },
    );
  }
  try {
    await remote.get({ md5, file: objectPath(cacheDir, md5) });
  } catch (error) {
    if (damage && (isVitrineError(error, 'REMOTE_OBJECT_MISSING') || isVitrineError(error, 'DATA_CORRUPT'))) {
      throw damagedListError({ md5, target, cause: error, remote: remote.name });
    }
    if (isVitrineError(error, 'REMOTE_OBJECT_MISSING') && (await remote.holdsNothing?.().catch(() => false))) {
      throw new VitrineError(
        'REMOTE_EMPTY',
        `The remote "${remote.name}" at ${remote.url} holds no Vitrine data at all, so the folder list ${md5} ` +
          `(needed by ${target}.dvc) is not there. Check its address: the line url under ['remote ` +
          `"${remote.name}"'] in .dvc/config (folder names are case-sensitive). If it is a new remote, run ` +
          '"npx vitrine data push" from a copy of the repository that has the images.',
        { object: md5, file: `${target}.dvc`, remote: remote.name, url: remote.url },
        { cause: error },
      );
    }
    if (isVitrineError(error, 'REMOTE_OBJECT_MISSING')) {
      throw new VitrineError(
        'REMOTE_OBJECT_MISSING',
        `The folder list ${md5} (needed by ${target}.dvc) is not on the remote "${remote.name}". ` +
          `Whoever changed ${target}.dvc may not have run "npx vitrine data push". ${movedRemoteWords(remote.name)}`,
        { object: md5, file: `${target}.dvc`, remote: remote.name },
        { cause: error },
      );
    }
    throw error;
  }
  return parseManifest({ md5, bytes: await readFile(objectPath(cacheDir, md5)), target });
}

/**
 * How git/repo.ts's dataDiff reads a folder list: from the local cache, else from `remote` (a name in .dvc/config,
 * the default one when not given, or one open already), opened once, when first needed. With no remote that
 * opens, only the cache's lists are read (said with --verbose).
 */
export function folderLists({
  root,
  log,
  remote,
}: {
  root: string;
  log: Logger;
  remote?: string | Remote;
}): (md5: string) => Promise<ManifestEntry[]> {
  let opened: Promise<Remote | undefined> | undefined;
  const source = async () => {
    if (typeof remote === 'object') return remote;
    opened ??= openRemote({ root, log, ...(remote ? { name: remote } : {}) }).catch((error) => {
      log.debug(`no remote for folder lists: ${messageOf(error)}`);
      return undefined;
    });
    return opened;
  };
  let config: ReturnType<typeof readDvcConfig> | undefined;
  return async (md5) => {
    config ??= readDvcConfig({ root });
    return loadManifest({ cacheDir: (await config).cacheDir, md5, remote: source });
  };
}

/** What a push or pull moved, counted in files' contents as its progress line is (the folder list is not counted). */
export interface TransferResult {
  /** Contents uploaded (push) or downloaded (pull); files that share a content count once. */
  transferred: number;
  /** Contents the remote (push) or the local cache (pull) had already. */
  skipped: number;
  /** With `push --verify`: objects that were on the remote but damaged (their bytes read), and were uploaded again. */
  repaired?: number;
}

/**
 * Upload the objects of data.dvc that the remote lacks (in parallel, each verified). Rerun to resume.
 * With `verify`, objects already on the remote are read and hashed too, and damaged ones replaced by the
 * cache copy (itself hashed before it is sent).
 */
export async function pushData({
  root,
  remote: remoteName,
  jobs = 8,
  log,
  target = 'data',
  verify = false,
  all = false,
  from,
  newRemote = false,
  where = {},
}: {
  root: string;
  /** A remote name from .dvc/config (default: core.remote), or an opened Remote. */
  remote?: string | Remote;
  jobs?: number;
  log: Logger;
  target?: string;
  verify?: boolean;
  /**
   * Every version of data/ that git's history records (any branch, tag or stash, and the working tree's data.dvc),
   * not only the current one: what a remote moved to a new place needs (`data push --all`, tester T10).
   */
  all?: boolean;
  /**
   * Where to read what this computer lacks (`--from`: a remote's name, a folder or an s3:// address; openRemoteAt):
   * the old remote, when the older versions are no longer in the local cache.
   */
  from?: string | Remote;
  /**
   * The remote was emptied, replaced or moved on purpose (`--new-remote`): this computer's record of it is forgotten
   * first, so a folder remote without what was sent there before is pushed to, not refused as a share not mounted.
   */
  newRemote?: boolean;
  /** Kept saying how far the push has got, for the message of a push stopped by Ctrl-C. */
  where?: Whereabouts;
}): Promise<TransferResult> {
  const again = `run "npx vitrine data push${all ? ' --all' : ''}" again to send the rest (files the remote has are not sent again).`;
  where.now = () => `Nothing was sent yet: ${again}`;
  const t = await tracked({ root, target });
  // Before anything is sent: a push that sees part of the history would leave the rest behind, and say done.
  if (all) await refuseWithoutHistory({ root, target });
  const remote = typeof remoteName === 'object' ? remoteName : await openRemote({ root, name: remoteName, log });
  // Before the remote is first asked anything: its checks read the record once, then.
  if (newRemote) await forgetRemote({ root, name: remote.name, log });
  if (verify && !remote.inspect) {
    throw new VitrineError('REMOTE_CANNOT_VERIFY', `The remote "${remote.name}" cannot be checked object by object.`, {
      remote: remote.name,
    });
  }
  const source =
    typeof from === 'object'
      ? from
      : from
        ? await openRemoteAt({ root, from, pushingTo: remote.name, log })
        : undefined;
  await cleanTransferTemps({ cacheDir: t.cacheDir, remote, log });
  // Each version's folder list, and its files (each content once, with the first file that needs it).
  const versions = all
    ? await recordedVersions({ root, target, cacheDir: t.cacheDir, current: t.out.md5, remote, source, log })
    : {
        lists: new Map([
          // A damaged folder list is replaced from the remote (a missing one is not: only data add makes it).
          [
            t.out.md5,
            await loadManifest({ cacheDir: t.cacheDir, md5: t.out.md5, remote, target, fetchMissing: false }),
          ],
        ]),
        unavailable: [],
        holders: new Map<string, string[]>(),
        stashOnly: new Set<string>(),
      };
  // Files first, the folder lists last: a remote that has a folder list then has every file it lists.
  const objects = new Map<string, string>();
  // The versions each file belongs to (--all), to name what records one that is found nowhere.
  const neededBy = new Map<string, string[]>();
  for (const [list, manifest] of versions.lists)
    for (const [md5, needer] of uniqueObjects(manifest, target)) {
      if (!objects.has(md5)) objects.set(md5, needer);
      if (all) neededBy.set(md5, [...(neededBy.get(md5) ?? []), list]);
    }
  // The files' contents only: the folder list after them is not a file staff know, and a push that stops
  // says "N of <this count> files were sent" (interruptedPush), as the progress line beside it does.
  const progress = log.progress(
    verify ? `Checking and uploading to "${remote.name}"` : `Uploading to "${remote.name}"`,
    objects.size,
  );
  let transferred = 0;
  let skipped = 0;
  let repaired = 0;
  where.now = () =>
    `${transferred} of ${objects.size} files were sent to the remote "${remote.name}"` +
    `${skipped > 0 ? ` (${skipped} more were there already)` : ''}. Nothing is lost: the files sent stay on the ` +
    `remote; ${again}`;
  const missingLocal: string[] = [];
  const damagedLocal: { object: string; file: string }[] = [];
  // Many objects: one listing of the remote instead of a check each (what DVC does for large pushes too).
  const listed = !verify && remote.list && objects.size >= 64 ? await remote.list() : undefined;
  /** What the remote holds of `md5`: a good copy, none, or (with `verify`, its bytes read and hashed) a damaged one. */
  const onRemote = async (md5: string, needer: string): Promise<'good' | 'absent' | 'damaged'> => {
    // Listed or asked, a copy of another size than the cache's is cut short: sent again.
    const known = listed || !verify ? await cachedSize({ base: t.cacheDir, md5 }) : {};
    if (listed) return listedWhole(listed, md5, known.size) ? 'good' : 'absent';
    if (!verify) return (await remote.has(md5, known)) ? 'good' : 'absent';
    const found = await remote.inspect!(md5);
    if (!found) return 'absent';
    if (found.md5 === contentMd5(md5)) return 'good';
    log.warn(`The remote "${remote.name}" holds a damaged copy of ${needer} (object ${md5}); uploading a good copy.`, {
      object: md5,
      file: needer,
    });
    return 'damaged';
  };
  /** Send `md5` from `source` (the old remote) through a temp file, when the local cache lacks it; false if it lacks it too. */
  const relay = async (md5: string): Promise<boolean> => {
    if (!source) return false;
    const temp = path.join(t.cacheDir, tempName(`relay-${md5}`));
    try {
      await source.get({ md5, file: temp });
      await remote.put({ md5, file: temp });
      return true;
    } catch (error) {
      if (isVitrineError(error, 'REMOTE_OBJECT_MISSING') || isVitrineError(error, 'DATA_CORRUPT')) return false;
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
  };
  /** Upload object `md5` unless the remote has a good copy; `counted` is false for the folder list (not a file). */
  const one = async (md5: string, needer: string, counted = true) => {
    const file = objectPath(t.cacheDir, md5);
    const there = await onRemote(md5, needer);
    if (there === 'good') {
      if (counted) skipped++;
    } else {
      try {
        await remote.put({ md5, file });
      } catch (error) {
        // Not in the cache (the read says so: no check beforehand, one call fewer per object).
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await exists(file))) {
          if (await relay(md5)) {
            if (counted) transferred++;
            return;
          }
          missingLocal.push(`${md5} (${needer})`);
          return;
        }
        // The remote's disk refused the write (full, read-only, not ours to write): say which remote and where.
        const progress = { sent: transferred, there: skipped, total: objects.size };
        const refused = remoteWriteRefused({ error, remote, sending: needer, progress });
        if (refused) throw refused;
        // Our own copy is damaged (the upload checks it): go on with the rest, then say which file and what to do.
        if (!isVitrineError(error, 'DATA_CORRUPT')) throw forFile(error, md5, needer);
        damagedLocal.push({ object: md5, file: needer });
        return;
      }
      // Counted once the good copy is there (put hashes the cache copy before it sends it).
      if (counted) transferred++;
      if (counted && there === 'damaged') repaired++;
    }
  };
  try {
    await mapPool([...objects], jobs, async ([md5, needer]) => {
      await one(md5, needer);
      progress.tick();
    });
  } catch (error) {
    progress.done();
    throw interruptedPush({ error, sent: transferred, there: skipped, total: objects.size });
  }
  // Every version whose files are all there now: its folder list is sent, last.
  const failed = new Set([...missingLocal.map((m) => m.slice(0, 32)), ...damagedLocal.map((d) => d.object)]);
  const whole = [...versions.lists].filter(([, manifest]) => manifest.every((e) => !failed.has(e.md5)));
  if (all)
    for (const [list] of whole) {
      // Not counted, here or in the summary: the progress line and the summary both count the files.
      await one(list, `${target}.dvc`, false);
      await noteSent({ root, remote, list, make: true, log });
    }
  const recorded = versions.lists.size + versions.unavailable.length;
  const sentWhole =
    all && whole.length > 0 && whole.length < recorded
      ? ` ${whole.length} of the ${recorded} versions of ${target}/ that git records were sent whole.`
      : '';
  const fromOld = all ? fromAdvice({ target, source }) : '';
  // Files only a stash's version needs, found nowhere: said, not a failure (see setAside below).
  const stashOnly = (md5: string) => (neededBy.get(md5) ?? []).every((list) => versions.stashOnly.has(list));
  const aside = missingLocal.filter((m) => all && stashOnly(m.slice(0, 32)));
  if (aside.length > 0) {
    missingLocal.splice(0, missingLocal.length, ...missingLocal.filter((m) => !aside.includes(m)));
    log.warn(
      `${plural(aside.length, 'file')} of a version of ${target}/ that only the stash records ` +
        `(${aside.slice(0, 3).join(', ')}${aside.length > 3 ? ', …' : ''}) ${aside.length === 1 ? 'is' : 'are'} ` +
        `neither in the local cache nor on the remote "${remote.name}"${source ? ` nor on "${source.name}"` : ''}: ` +
        `left out. ${STASH_ADVICE}`,
    );
  }
  if (damagedLocal.length > 0) {
    progress.done();
    const files = damagedLocal.map((d) => d.file);
    for (const d of damagedLocal)
      log.error(`The local cache copy of ${d.file} (object ${d.object}) is damaged, so it was not uploaded.`, d);
    throw new VitrineError(
      'DATA_CORRUPT',
      `The local cache copy of ${files.slice(0, 10).join(', ')}` +
        `${files.length > 10 ? ` and ${files.length - 10} more` : ''} is damaged, so it was not uploaded ` +
        `(everything else was; ${target}.dvc's folder list waits until the remote has every file).${sentWhole} ` +
        `If the file in ${target}/ is right, ` +
        `run "npx vitrine data add" to replace the damaged copy, or "npx vitrine data verify --repair" to restore it ` +
        `from ${target}/ or the remote. ` +
        `Then run "npx vitrine data push${all ? ' --all' : ''}" again.`,
      { damaged: damagedLocal, files, remote: remote.name },
    );
  }
  if (missingLocal.length > 0) {
    progress.done();
    throw new VitrineError(
      'DATA_NOT_IN_CACHE',
      `${plural(missingLocal.length, 'object')} ${missingLocal.length === 1 ? 'is' : 'are'} not in the local cache, so ` +
        `${missingLocal.length === 1 ? 'it cannot' : 'they cannot'} be ` +
        `pushed: ${missingLocal.slice(0, 5).join(', ')}${missingLocal.length > 5 ? ', …' : ''}.` +
        (all
          ? recordedBy(versions.holders, [...new Set(missingLocal.flatMap((m) => neededBy.get(m.slice(0, 32)) ?? []))])
          : '') +
        sentWhole +
        (all ? fromOld : ' Run "npx vitrine data add" on a machine that has the images.'),
      { objects: missingLocal },
    );
  }
  const setAside = versions.unavailable.filter((list) => versions.stashOnly.has(list));
  if (setAside.length > 0)
    log.warn(
      `The folder list of ${setAside.length === 1 ? 'a version' : `${setAside.length} versions`} of ${target}/ that ` +
        `only the stash records (${setAside.join(', ')}) is neither in the local cache nor on the remote ` +
        `"${remote.name}"${source ? ` nor on "${source.name}"` : ''}: left out. ${STASH_ADVICE}`,
    );
  const unavailable = versions.unavailable.filter((list) => !versions.stashOnly.has(list));
  if (unavailable.length > 0) {
    progress.done();
    const lists = unavailable;
    throw new VitrineError(
      'DATA_NOT_IN_CACHE',
      `The folder list of ${lists.length === 1 ? 'a version' : `${lists.length} versions`} of ${target}/ that git records ` +
        `(${lists.slice(0, 3).join(', ')}${lists.length > 3 ? ', …' : ''}) is neither in the local cache nor on ` +
        `the remote "${remote.name}"${source ? ` nor on "${source.name}"` : ''}, so ${lists.length === 1 ? 'its' : 'their'} ` +
        `files were not sent.${recordedBy(versions.holders, lists)}${sentWhole}${fromOld}`,
      { lists, remote: remote.name },
    );
  }
  // The current version alone: its folder list goes last, once the remote holds every file of it.
  if (!all) await one(t.out.md5, `${target}.dvc`, false);
  progress.done();
  if (!all) await noteSent({ root, remote, list: t.out.md5, make: true, log });
  log.info(
    `Pushed to "${remote.name}"${all ? ` (${plural(versions.lists.size, `version`)} of ${target}/)` : ''}: ` +
      `${plural(transferred, 'file')} ` +
      `uploaded${verify ? ` (${repaired} of them replacing damaged copies)` : ''}, ${skipped} already there.`,
  );
  return verify ? { transferred, skipped, repaired } : { transferred, skipped };
}

/** Said of a version only the stash records, found nowhere: stashes never leave the computer that made them. */
const STASH_ADVICE =
  'A stash is a change set aside with "git stash" on this computer and never committed: "git stash list" shows it, ' +
  'and "git stash drop" removes it if it is not wanted.';

/** " Recorded by the branch "idea" and the tag "…"." for the versions `lists` (their folder lists' ids). */
function recordedBy(holders: Map<string, string[]>, lists: string[]): string {
  const refs = [...new Set(lists.flatMap((list) => holders.get(list) ?? []))];
  if (refs.length === 0) return '';
  return ` ${lists.length === 1 ? 'That version is' : 'Those versions are'} recorded by ${listWords(refs.map(refWords), { max: 5 })}.`;
}

/** A ref as people name it: "the branch "idea"", "the tag "…"", "the remote branch "origin/idea"", "the stash". */
function refWords(ref: string): string {
  if (ref === 'refs/stash') return 'the stash';
  const m = /^refs\/(heads|tags|remotes)\/(.+)$/.exec(ref);
  if (!m) return ref === 'HEAD' ? 'the commit checked out' : `"${ref}"`;
  return `the ${m[1] === 'heads' ? 'branch' : m[1] === 'tags' ? 'tag' : 'remote branch'} "${m[2]}"`;
}

/**
 * `data push --all` in a clone that lacks part of the history (historyGaps) would send what it sees and say done,
 * leaving the rest on the old remote: refused, with the git commands that fetch the rest (reviewer V17).
 */
async function refuseWithoutHistory({ root, target }: { root: string; target: string }): Promise<void> {
  const { historyGaps } = await import('../git/history.ts');
  const gaps = await historyGaps({ dir: root });
  if (!gaps.shallow && (gaps.tags || (gaps.narrow.length === 0 && gaps.tagless.length === 0))) return;
  const remote = gaps.narrow[0] ?? gaps.tagless[0] ?? 'origin';
  const steps = [
    ...(gaps.narrow.length > 0 ? [`git remote set-branches ${remote} '*'`] : []),
    ...(gaps.tagless.length > 0 ? [`git config --unset remote.${remote}.tagOpt`] : []),
    gaps.shallow ? `git fetch --unshallow --tags ${remote}` : `git fetch --tags ${remote}`,
  ];
  const lacks = gaps.shallow
    ? 'This copy of the repository is shallow (cloned with --depth, as CI runners such as actions/checkout make by ' +
      'default): it holds only the latest commit'
    : `This copy of the repository was cloned without ${gaps.tags ? '' : 'the tags (the model versions)'}` +
      `${!gaps.tags && gaps.narrow.length > 0 ? ' and ' : ''}${gaps.narrow.length > 0 ? 'the other branches' : ''}`;
  throw new VitrineError(
    'GIT_HISTORY_MISSING',
    `${lacks}, so "data push --all" cannot see every version of ${target}/ or every registered model version, and ` +
      'would leave them on the old remote. Nothing was sent. Fetch the rest first: run ' +
      `${steps.map((c) => `"${c}"`).join(', then ')}; then run "npx vitrine data push --all" again. On a CI runner, ` +
      'give actions/checkout "fetch-depth: 0", or run it on a computer with a full clone.',
    { shallow: gaps.shallow, tags: gaps.tags, narrow: gaps.narrow, tagless: gaps.tagless },
  );
}

/** What to run when the older versions are not on this computer: read them from the old remote (or copy it whole). */
function fromAdvice({ target, source }: { target: string; source?: Remote }): string {
  return source
    ? ` "${source.name}" lacks them too: run "npx vitrine data push --all --from …" with the place that holds them, ` +
        'or copy that folder or bucket to the new remote whole (rclone copy, aws s3 sync).'
    : ` To fetch what this computer lacks from the old remote, run "npx vitrine data push --all --from <the old ` +
        `folder or bucket, or its remote's name>" (or copy the old folder or bucket to the new one whole: rclone ` +
        `copy, aws s3 sync). On the computer that added them, plain "npx vitrine data push --all" sends the ` +
        `versions of ${target}/ its cache holds.`;
}

/**
 * Every version of `target`/ git's history records (recordedTexts) and the working tree's, with its folder list: from
 * the local cache, else from `source` (the old remote), else from `remote` (sent there by an earlier push). A list
 * found nowhere is `unavailable`; a data.dvc that cannot be read (DVC 2's, a file not a folder, broken) is skipped.
 */
async function recordedVersions({
  root,
  target,
  cacheDir,
  current,
  remote,
  source,
  log,
}: {
  root: string;
  target: string;
  cacheDir: string;
  current: string;
  remote: Remote;
  source?: Remote;
  log: Logger;
}): Promise<{
  lists: Map<string, ManifestEntry[]>;
  unavailable: string[];
  /** The refs recording each version (fileTextsInHistory), to name them when its folder list is found nowhere. */
  holders: Map<string, string[]>;
  /** The versions only the stash records: found nowhere, they are said, not a failure. */
  stashOnly: Set<string>;
}> {
  const { fileTextsInHistory } = await import('../git/history.ts');
  const file = `${target}.dvc`;
  // A shallow clone was refused before (refuseWithoutHistory).
  const { texts } = await fileTextsInHistory({ dir: root, file });
  const ids = new Set([current]);
  const holders = new Map<string, string[]>();
  const inStash = new Map<string, boolean>();
  for (const { text, refs, stashOnly } of texts) {
    try {
      const parsed = parseDvcFile({ text, file, target });
      const md5 = parsed.legacy ? undefined : parsed.outs[0]?.md5;
      if (!md5?.endsWith('.dir')) continue;
      ids.add(md5);
      holders.set(md5, [...new Set([...(holders.get(md5) ?? []), ...refs])]);
      inStash.set(md5, (inStash.get(md5) ?? true) && stashOnly);
    } catch {
      log.debug(`A version of ${file} in git's history could not be read; left out.`);
    }
  }
  const lists = new Map<string, ManifestEntry[]>();
  const unavailable: string[] = [];
  for (const md5 of ids) {
    let manifest = await loadManifest({ cacheDir, md5, target, fetchMissing: false }).catch(() => undefined);
    for (const from of [source, remote]) {
      if (manifest || !from) continue;
      manifest = await loadManifest({ cacheDir, md5, target, remote: from }).catch((error: unknown) => {
        const gone = ['REMOTE_OBJECT_MISSING', 'REMOTE_EMPTY', 'DATA_CORRUPT'].some((c) => isVitrineError(error, c));
        if (gone) return undefined;
        throw error;
      });
    }
    if (manifest) lists.set(md5, manifest);
    else unavailable.push(md5);
  }
  // The working tree's data.dvc is this checkout's, never only the stash's.
  const stashOnly = new Set([...inStash].filter(([md5, only]) => only && md5 !== current).map(([md5]) => md5));
  return { lists, unavailable, holders, stashOnly };
}

/**
 * A write to a folder remote that its disk refused: Node's error for a write names no file, and the words at the
 * command-line boundary could only say "a folder Vitrine writes to". Here the remote is known: named, with its
 * folder. Undefined for any other error.
 */
function remoteWriteRefused({
  error,
  remote,
  sending,
  progress,
}: {
  error: unknown;
  remote: Remote;
  /** The file in the data folder whose content was being written. */
  sending: string;
  progress: { sent: number; there: number; total: number };
}): VitrineError | undefined {
  const system = systemErrorOf(error) ?? unwritableFolder(error, remote.url);
  if (!system || !refusedIn(system, remote.url)) return undefined;
  const where = `the remote "${remote.name}" (${remote.url})`;
  const { sent, there, total } = progress;
  const data = { remote: remote.name, url: remote.url, sending, system: system.code, sent, total };
  const stopped =
    `the push stopped while sending ${sending}, after ${sent} of ${total} files were sent` +
    `${there > 0 ? ` (${there} more were there already)` : ''}`;
  const again = 'then run "npx vitrine data push" again: it sends only the files the remote does not have yet.';
  switch (system.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new VitrineError(
        'REMOTE_DISK_FULL',
        `The disk that holds ${where} is full (${system.code}${system.code === 'EDQUOT' ? ': the disk quota is used up' : ''}): ` +
          `${stopped}. Free some space on that disk, ${again}`,
        data,
        { cause: error },
      );
    case 'EROFS':
    case 'EACCES':
    case 'EPERM':
      return new VitrineError(
        'REMOTE_NOT_WRITABLE',
        `Vitrine may not write in ${where} (${system.code}: ${system.code === 'EROFS' ? 'a read-only disk' : 'no permission'}): ` +
          `${stopped}. ${writableAdvice(system.code)}, ${again}`,
        data,
        { cause: error },
      );
    default:
      return undefined;
  }
}

/** What to do about a folder that may not be written: a read-only disk, or a folder this user may not change. */
function writableAdvice(code: string): string {
  return code === 'EROFS'
    ? 'Make that disk writable (or mount it again without read-only)'
    : 'Give this user permission to write in that folder (or run as the user who owns it)';
}

/**
 * Node's `mkdir(…, { recursive: true })` says ENOENT, not EROFS or EACCES, when the folder it starts from may not be
 * written: asked after the failure, `folder` itself says which (undefined when it can be written, or another error).
 */
function unwritableFolder(error: unknown, folder: string): { code: string; path: string } | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (e?.code !== 'ENOENT' || e.syscall !== 'mkdir' || !e.path) return undefined;
  try {
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (refusal) {
    const code = (refusal as NodeJS.ErrnoException).code;
    return code === 'EROFS' || code === 'EACCES' || code === 'EPERM' ? { code, path: e.path } : undefined;
  }
}

/**
 * Whether a refused write was in `folder`: a write on an open file names no path (the copy's temp file, there); a
 * copy names what it wrote as `dest`. A refused read of the other side (a locked cache file) names a path elsewhere.
 */
function refusedIn(system: { path?: string; dest?: string }, folder: string): boolean {
  const written = system.dest ?? system.path;
  return written === undefined || inside(path.resolve(folder), path.resolve(written)) !== undefined;
}

/**
 * Whether `remote` has every object of `ids` (one listing for many, a check each for few), for the note of what it
 * holds (pushed.ts): a hint, so a remote that cannot say counts as not having them, and the failure only logs.
 */
async function remoteHasAll({
  remote,
  ids,
  cacheDir,
  log,
}: {
  remote: Remote;
  ids: string[];
  /** The cache holding `ids`: the remote's copies must be of their sizes. */
  cacheDir: string;
  log: Logger;
}): Promise<boolean> {
  try {
    const listed = remote.list && ids.length >= 64 ? await remote.list() : undefined;
    for (const id of ids) {
      const known = await cachedSize({ base: cacheDir, md5: id });
      if (!(listed ? listedWhole(listed, id, known.size) : await remote.has(id, known))) return false;
    }
    return true;
  } catch (error) {
    log.debug(
      `Could not ask the remote "${remote.name}" whether it has the files found in the cache: ${String(error)}`,
    );
    return false;
  }
}

/**
 * Note that `remote` holds version `list` (pushed.ts), with the id of its mark (a folder remote's; a push, `make`,
 * writes one when it has none): a hint for later, so a failure to write either only logs. A push refused there (the
 * record's remote not found where it should be) is no such failure: nothing is noted and the push stops.
 */
async function noteSent({
  root,
  remote,
  list,
  make = false,
  log,
}: {
  root: string;
  remote: Remote;
  list: string;
  make?: boolean;
  log: Logger;
}): Promise<void> {
  try {
    const mark = await remote.mark?.({ make });
    await noteOnRemote({ root, remote, list, mark, sent: make, log });
  } catch (error) {
    // Not the remote the record says (a push that found all it sends at a share's mount point): refused, not noted.
    if (isVitrineError(error, 'REMOTE_FOLDER_EMPTIED')) throw error;
    log.debug(`Could not note that the remote "${remote.name}" has ${list}: ${String(error)}`);
  }
}

/** A download into the local cache that its disk refused: the cache named, with its folder (as remoteWriteRefused). */
function cacheWriteRefused({
  error,
  cacheDir,
  fetching,
}: {
  error: unknown;
  cacheDir: string;
  fetching: string;
}): VitrineError | undefined {
  const system = systemErrorOf(error) ?? unwritableFolder(error, cacheDir);
  if (!system || !['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM'].includes(system.code)) return undefined;
  if (!refusedIn(system, cacheDir)) return undefined;
  const full = system.code === 'ENOSPC' || system.code === 'EDQUOT';
  const why = full
    ? `The disk that holds the local cache (${cacheDir}) is full (${system.code})`
    : `Vitrine may not write in the local cache (${cacheDir}) (${system.code}: ${
        system.code === 'EROFS' ? 'a read-only disk' : 'no permission'
      })`;
  return new VitrineError(
    full ? 'CACHE_DISK_FULL' : 'CACHE_NOT_WRITABLE',
    `${why}: the pull stopped while fetching ${fetching}. ${
      full ? 'Free some space on that disk' : writableAdvice(system.code)
    }, then run "npx vitrine data pull" again: what was fetched already is not fetched again.`,
    { cache: cacheDir, fetching, system: system.code },
    { cause: error },
  );
}

/**
 * `error` as said of a transfer that had moved files already: a folder remote that went away (a share unmounted
 * mid-push) said "Nothing was sent or fetched" beside "544 of 1807 files were sent" (a tester).
 */
function partway(error: VitrineError): VitrineError {
  const { remote, url } = error.data as { remote?: unknown; url?: unknown };
  if (error.code !== 'REMOTE_FOLDER_MISSING' || typeof remote !== 'string' || typeof url !== 'string') return error;
  return folderMissingError({ remote, dir: url, partway: true });
}

/** A push that stopped part-way: what was sent stays on the remote, and running it again sends only the rest. */
function interruptedPush({
  error,
  sent,
  there,
  total,
}: {
  error: unknown;
  sent: number;
  there: number;
  total: number;
}): unknown {
  // Nothing sent yet: the error's own advice (a key, a bucket, a server) is what matters; or it counted them already.
  if (!isVitrineError(error) || sent === 0 || error.data.sent !== undefined) return error;
  const already = there > 0 ? ` (${there} more were there already)` : '';
  return new VitrineError(
    error.code,
    `${fullStop(partway(error).message)} ${sent} of ${total} files were sent before it stopped${already}; ` +
      'run "npx vitrine data push" again to continue: files the remote has are not sent again.',
    { ...error.data, sent, total },
    { cause: error },
  );
}

/**
 * A pull that stopped part-way (a server failing, a key refused): what arrived stays in the local cache, and running
 * it again downloads only the rest, as a push that stopped says (interruptedPush).
 */
function interruptedPull({
  error,
  got,
  there,
  total,
}: {
  error: unknown;
  got: number;
  there: number;
  total: number;
}): unknown {
  // Nothing downloaded yet: the error's own advice (a key, a bucket, a server) is what matters. A full or read-only
  // cache says itself that what was fetched is kept.
  if (!isVitrineError(error) || got === 0 || error.code.startsWith('CACHE_')) return error;
  const already = there > 0 ? ` (${there} more were in the local cache already)` : '';
  return new VitrineError(
    error.code,
    `${fullStop(partway(error).message)} ${got} of ${total} files were downloaded before it stopped${already}; they are ` +
      'kept in the local cache. Run "npx vitrine data pull" again to fetch the rest: files in the cache are not ' +
      'downloaded again.',
    { ...error.data, downloaded: got, total },
    { cause: error },
  );
}

/** Clean what killed pushes and pulls left in the cache (and the remote): only temp files no live process owns. */
async function cleanTransferTemps({
  cacheDir,
  remote,
  log,
}: {
  cacheDir: string;
  remote?: Remote;
  log: Logger;
}): Promise<void> {
  const inCache = await cleanStaleObjectTemps({ base: cacheDir });
  const onRemote = (await remote?.cleanStaleTemps?.()) ?? 0;
  if (inCache + onRemote > 0) {
    log.info(
      `Removed ${plural(inCache + onRemote, 'temp file')} left by an interrupted transfer (${inCache} in the ` +
        `cache, ${onRemote} on the remote).`,
    );
  }
}

/**
 * A failure about one object, naming the file in the data folder that needs it: staff know their files,
 * not object ids. Server-wide failures (no answer, no key) name no object and pass unchanged.
 */
function forFile(error: unknown, md5: string, file: string): unknown {
  const named = `object ${md5}`;
  if (!isVitrineError(error) || error.data.object !== md5 || !error.message.includes(named)) return error;
  return new VitrineError(error.code, error.message.replace(named, `${file} (${named})`), error.data, {
    cause: error,
  });
}

/**
 * Files that share one content, for a message: "data/a.png is", "data/a.png and data/b.png (the same content)
 * are", or the first three "and 4 more files with the same content are".
 */
function sameContent(files: string[]): string {
  if (files.length === 1) return `${files[0]} is`;
  const shown = files.slice(0, 3).join(', ');
  const more = files.length - 3;
  return more > 0
    ? `${shown} and ${plural(more, 'more file')} with the same content are`
    : `${shown.replace(/, ([^,]*)$/, ' and $1')} (the same content) are`;
}

/** Objects of a manifest, each with the first file that needs it. */
function uniqueObjects(manifest: ManifestEntry[], target: string): Map<string, string> {
  const objects = new Map<string, string>();
  for (const e of manifest) if (!objects.has(e.md5)) objects.set(e.md5, `${target}/${e.relpath}`);
  return objects;
}

/**
 * Download the objects of data.dvc the local cache lacks (in parallel, verified), then check out
 * (refusing to overwrite unrecorded changes unless `force`). Rerun to resume.
 */
export async function pullData({
  root,
  remote: remoteName,
  jobs = 8,
  log,
  target = 'data',
  force = false,
  where = {},
}: {
  root: string;
  /** A remote name from .dvc/config (default: core.remote), or an opened Remote. */
  remote?: string | Remote;
  jobs?: number;
  log: Logger;
  target?: string;
  force?: boolean;
  /** Kept saying how far the pull has got, for the message of a pull stopped by Ctrl-C. */
  where?: Whereabouts;
}): Promise<TransferResult> {
  const again = 'run "npx vitrine data pull" again to fetch the rest (files in the cache are not downloaded again).';
  where.now = () => `Nothing was downloaded yet: ${again}`;
  const t = await tracked({ root, target });
  await refuseUnfinishedMerge({ root: path.resolve(root), target, md5: t.out.md5, refused: 'pull' });
  const remote = typeof remoteName === 'object' ? remoteName : await openRemote({ root, name: remoteName, log });
  await cleanTransferTemps({ cacheDir: t.cacheDir, log });
  // The files' contents, as the progress line counts them: not the folder list fetched first.
  let transferred = 0;
  let skipped = 0;
  const listWasHere = await exists(objectPath(t.cacheDir, t.out.md5));
  const manifest = await loadManifest({ cacheDir: t.cacheDir, md5: t.out.md5, remote, target });
  // From here the pull fills data/ (as objects arrive, or at the end): stopped before the checkout that ends it has
  // finished, what it fetched is in the cache and not all in data/ (unfinishedCheckoutFile).
  const markedBefore = await exists(unfinishedCheckoutFile(root, target));
  await markCheckoutUnderway(root, target);
  // A checkout refused before it wrote anything in data/ (planCheckout: a changed file, a linked folder): no pull is
  // left to finish there, and the mark would make "data add" put back files deleted on purpose (a takedown came
  // back). One an earlier stopped pull left stays, as do files this pull wrote as they arrived.
  const unmarkIfRefused = async (error: unknown): Promise<void> => {
    if (refusedBeforeWriting.has(error as object) && !markedBefore && !early?.written.size)
      await rm(unfinishedCheckoutFile(root, target), { force: true });
  };
  const objects = uniqueObjects(manifest, target);
  // Every file that has an object's content: a missing object leaves them all out of data/.
  const filesOf = new Map<string, string[]>();
  for (const e of manifest) {
    const files = filesOf.get(e.md5) ?? [];
    files.push(`${target}/${e.relpath}`);
    filesOf.set(e.md5, files);
  }
  const progress = log.progress(`Downloading from "${remote.name}"`, objects.size);
  where.now = () =>
    `${transferred} of ${objects.size} files were downloaded from the remote "${remote.name}"` +
    `${skipped > 0 ? ` (${skipped} more were in the local cache already)` : ''}. Nothing is lost: what arrived is ` +
    `kept in the local cache; ${again}`;
  const missing: { object: string; file: string }[] = [];
  const corrupt: { object: string; file: string }[] = [];
  // Many objects: one listing of the cache instead of a check each.
  const held = objects.size >= 64 ? await listObjectIds(t.cacheDir) : undefined;
  // Many objects: each file goes into data/ as soon as its object has arrived, so the checkout runs
  // while the server sends the next ones, instead of after the last.
  const early = held && held.size < objects.size ? await earlyCheckout({ root, target, force, log }) : undefined;
  /** Objects that were in the local cache already. */
  const found: string[] = [];
  const fetching = mapPool([...objects], jobs, async ([md5, needer]) => {
    const dest = objectPath(t.cacheDir, md5);
    if (held ? held.has(md5) : await exists(dest)) {
      skipped++;
      found.push(md5);
    } else {
      try {
        let bytes: Uint8Array | undefined;
        await remote.get({ md5, file: dest, ...(early ? { keep: (b: Uint8Array) => (bytes = b) } : {}) });
        transferred++;
        await early?.write(md5, bytes);
      } catch (error) {
        if (isVitrineError(error, 'REMOTE_OBJECT_MISSING')) missing.push({ object: md5, file: needer });
        else if (isVitrineError(error, 'DATA_CORRUPT')) corrupt.push({ object: md5, file: needer });
        else throw cacheWriteRefused({ error, cacheDir: t.cacheDir, fetching: needer }) ?? forFile(error, md5, needer);
      }
    }
    progress.tick();
  });
  await fetching.catch((error: unknown) => {
    progress.done();
    throw interruptedPull({ error, got: transferred, there: skipped, total: objects.size });
  });
  progress.done();
  where.now = () =>
    `Every file was downloaded from the remote "${remote.name}" and is kept in the local cache; it stopped while ` +
    `putting them in ${target}/. Run "npx vitrine data pull" again to finish: nothing is downloaded again.`;
  await early?.save();
  const allFiles = (m: { object: string; file: string }) => filesOf.get(m.object) ?? [m.file];
  for (const m of missing)
    log.error(`${sameContent(allFiles(m))} not on the remote "${remote.name}" (object ${m.object}).`, {
      file: m.file,
      object: m.object,
    });
  for (const c of corrupt)
    log.error(
      `${sameContent(allFiles(c))} damaged on the remote "${remote.name}" (object ${c.object}): that copy was not used.`,
      { file: c.file, object: c.object },
    );
  // What the remote lacked, for the dataset stage to tell from a pull cut short (see missingOnRemote).
  await recordMissingOnRemote({ root, target, remote: remote.name, objects: missing.map((m) => m.object) });
  // Every object came from the remote: it holds this version whole. (One found in the local cache says nothing
  // about the remote: after "data add", a pull finds everything here and sends nothing.) A pull that finishes one
  // stopped part-way found the rest here: the remote, which answered for the files this one fetched, is asked about
  // those, so its images are not said to be "only on this computer".
  const wholeOnRemote =
    skipped === 0
      ? !listWasHere
      : transferred > 0 &&
        (await remoteHasAll({
          remote,
          ids: [...found, ...(listWasHere ? [t.out.md5] : [])],
          cacheDir: t.cacheDir,
          log,
        }));
  if (missing.length === 0 && corrupt.length === 0 && wholeOnRemote)
    await noteSent({ root, remote, list: t.out.md5, log });
  if (missing.length > 0 || corrupt.length > 0) {
    // Fill data/ with everything that did arrive, so one lost object does not hold back the rest.
    await checkoutPresent({ root, log, target, force, jobs, quietMissing: true }).catch(async (error: unknown) => {
      await unmarkIfRefused(error);
      throw error;
    });
    const first = missing[0] ?? corrupt[0];
    const files = [...missing, ...corrupt].flatMap(allFiles);
    // Not one good download among several: a remote rarely loses every copy at once; a network that rewrites does.
    const onTheWay = corrupt.length >= 2 && missing.length === 0 && transferred === 0;
    throw new VitrineError(
      missing.length > 0 ? 'REMOTE_OBJECT_MISSING' : 'DATA_CORRUPT',
      `${listWords([
        ...(missing.length > 0
          ? [`${plural(missing.length, 'object')} ${missing.length === 1 ? 'is' : 'are'} missing`]
          : []),
        ...(corrupt.length > 0
          ? [`${plural(corrupt.length, 'object')} ${corrupt.length === 1 ? 'is' : 'are'} damaged`]
          : []),
      ])}` +
        ` on the remote "${remote.name}", so ${plural(files.length, 'file')} ` +
        `${files.length === 1 ? 'was' : 'were'} not checked out: ` +
        `${files.slice(0, 10).join(', ')}${files.length > 10 ? ` and ${files.length - 10} more` : ''} (for ` +
        `example object ${first.object} for ${first.file}). ` +
        'Everything else was downloaded and put in data/. ' +
        (missing.length > 0
          ? `Ask whoever added the missing images to run "npx vitrine data push". ${movedRemoteWords(remote.name)} `
          : '') +
        (corrupt.length > 0 && onTheWay
          ? 'Every file downloaded arrived damaged: the copies on the remote may well be good, and something on the ' +
            'way changed them (a proxy, an antivirus or a VPN that rewrites downloads). Try from another network, ' +
            'or ask whoever runs this one; if the same happens from there, run "npx vitrine data push --verify" on a ' +
            'machine that has good copies. '
          : corrupt.length > 0
            ? 'For damaged objects, run "npx vitrine data push --verify" on a machine that has good copies. '
            : '') +
        'Then run "npx vitrine data pull" again.',
      { missing, corrupt, remote: remote.name, files },
    );
  }
  try {
    await checkoutData({
      root,
      log,
      target,
      force,
      quietCorrupt: true,
      ...(early ? { writtenBefore: early.written } : {}),
    });
  } catch (error) {
    if (!isVitrineError(error, 'DATA_CORRUPT')) {
      await unmarkIfRefused(error);
      throw error;
    }
    // Damaged cache copies (found while checking out, and removed): fetch good ones now, so one pull suffices.
    const damaged = (error.data as { corrupt: { object: string; file: string }[] }).corrupt;
    await mapPool(damaged, jobs, async (d) => {
      try {
        await remote.get({ md5: d.object, file: objectPath(t.cacheDir, d.object) });
      } catch (fetchError) {
        if (!isVitrineError(fetchError, 'REMOTE_OBJECT_MISSING') && !isVitrineError(fetchError, 'DATA_CORRUPT'))
          throw fetchError;
        throw new VitrineError(
          'DATA_CORRUPT',
          `The cache copy of ${d.file} (object ${d.object}) was damaged and was removed, ` +
            `and the remote "${remote.name}" has no good copy. Put the right file in ${d.file} and run "npx vitrine data add", ` +
            'or run "npx vitrine data push --verify" on a machine that has it, then pull again.',
          { object: d.object, file: d.file, remote: remote.name },
          { cause: fetchError },
        );
      }
      log.warn(`The cache copy of ${d.file} was damaged; a good copy was downloaded from "${remote.name}".`, d);
    });
    transferred += damaged.length;
    await checkoutData({ root, log, target, force, ...(early ? { writtenBefore: early.written } : {}) });
  }
  log.info(`Pulled from "${remote.name}": ${plural(transferred, 'file')} downloaded, ${skipped} already in the cache.`);
  return { transferred, skipped };
}

export interface CheckoutResult {
  /** Files written from the cache. */
  written: number;
  /** Files already right. */
  unchanged: number;
  /** Files removed because data.dvc does not list them (only with `force`). */
  removed: number;
  /** Files not in data.dvc that were kept. */
  extra: string[];
}

/** What to do with files data/ holds and data.dvc does not list, those the cache keeps said apart from new work. */
function extraFilesWords({ extra, known, target }: { extra: string[]; known: string[]; target: string }): string {
  const isKnown = new Set(known);
  const fresh = extra.filter((f) => !isKnown.has(f));
  const it = (n: number, one: string, many: string) => (n === 1 ? one : many);
  const parts = [
    `${plural(extra.length, 'file')} in ${target}/ ${it(extra.length, 'is', 'are')} not in ${target}.dvc, so ` +
      `${it(extra.length, 'it was', 'they were')} kept.`,
  ];
  if (known.length > 0)
    parts.push(
      `${listWords(known, { max: 5 })}: ${it(known.length, 'its', 'their')} content is in the data cache, so an ` +
        `earlier ${target}.dvc or a "data add" recorded ${it(known.length, 'it', 'them')}: if ${target}.dvc dropped ` +
        `${it(known.length, 'it', 'them')} on purpose (an object removed from the collection), delete ` +
        `${it(known.length, 'it', 'them')}; "npx vitrine data add" would record ${it(known.length, 'it', 'them')} again.`,
    );
  if (fresh.length > 0)
    parts.push(
      `${listWords(fresh, { max: 5 })}: recorded nowhere (new work): run "npx vitrine data add" to record ` +
        `${it(fresh.length, 'it', 'them')}; "npx vitrine data checkout --force" would delete ` +
        `${it(fresh.length, 'it', 'them')}, and ${it(fresh.length, 'it is', 'they are')} nowhere else.`,
    );
  return parts.join(' ');
}

/** A workspace file that differs from data.dvc and whose content the cache does not hold. */
function unrecordedError({ files, target }: { files: string[]; target: string }): VitrineError {
  const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? ` and ${files.length - 10} more` : '');
  return new VitrineError(
    'DATA_UNRECORDED_CHANGES',
    `These files in ${target}/ were changed and not recorded with "npx vitrine data add": ${shown}. Nothing was changed. ` +
      `Record them with "npx vitrine data add", or run "npx vitrine data checkout --force" to discard the changes.`,
    { files },
  );
}

/**
 * Make the data folder match data.dvc from the cache. Every object is verified while it is copied;
 * a damaged one is reported and its file left alone. A changed file whose content is not in the cache
 * (so it would be lost) stops the checkout before anything is written, unless `force`. Files not in
 * data.dvc are kept (and listed) unless `force`.
 */
export async function checkoutData(options: {
  root: string;
  log: Logger;
  target?: string;
  force?: boolean;
  jobs?: number;
  /** Pull fetches damaged objects again itself, so it logs them its own way. */
  quietCorrupt?: boolean;
  /** Files a pull already put in place as their objects arrived (relpaths): counted as written, not as up to date. */
  writtenBefore?: Set<string>;
}): Promise<CheckoutResult> {
  const { missing, ...result } = await checkoutPresent(options);
  if (missing.length > 0) {
    throw new VitrineError(
      'DATA_NOT_IN_CACHE',
      `${missing.length} file(s) are not in the local cache, for example ${missing[0].file} ` +
        `(object ${missing[0].object}). Run "npx vitrine data pull".`,
      { missing },
    );
  }
  return result;
}

/**
 * For a pull: write the files of each object into data/ as it arrives. Only when the checkout's own
 * checks pass beforehand (else undefined: the checkout after the downloads refuses, as it always has),
 * and only for plain files (a folder in the way is left to that checkout). `save` records the files
 * written in the state, so the checkout that follows finds them done.
 */
async function earlyCheckout({
  root,
  target,
  force,
  log,
}: {
  root: string;
  target: string;
  force: boolean;
  log: Logger;
}): Promise<
  { write(md5: string, bytes?: Uint8Array): Promise<void>; save(): Promise<void>; written: Set<string> } | undefined
> {
  let plan: CheckoutPlan;
  try {
    plan = await planCheckout({ root, target, force, log });
  } catch (error) {
    if (isVitrineError(error)) return undefined;
    throw error;
  }
  const byObject = new Map<string, ManifestEntry[]>();
  for (const entry of plan.toWrite) {
    if (plan.folders.has(entry.relpath)) continue;
    const list = byObject.get(entry.md5);
    if (list) list.push(entry);
    else byObject.set(entry.md5, [entry]);
  }
  const state = await HashState.load({ file: stateFileOf(root) });
  const made = new Set<string>();
  const written = new Set<string>();
  return {
    /** Relpaths written so far: the checkout after the downloads finds them up to date and counts them as written. */
    written,
    /** `bytes`: the object's content, verified as it was downloaded (then the cache copy is not read again). */
    async write(md5, bytes) {
      for (const entry of byObject.get(md5) ?? []) {
        const dest = path.join(plan.t.dir, ...entry.relpath.split('/'));
        const what = `.dvc/cache, needed by ${target}/${entry.relpath}`;
        try {
          if (bytes) {
            // Staged in .dvc/tmp/checkout as every checkout write is, then renamed into place.
            const folder = path.dirname(dest);
            if (!made.has(folder)) {
              mkdirSync(folder, { recursive: true });
              made.add(folder);
            }
            const temp = tempName(path.join(plan.tempDir, randomBytes(6).toString('hex')));
            try {
              writeFileSync(temp, bytes, { mode: 0o644, flag: 'wx' });
              renameSync(temp, dest);
            } catch (error) {
              rmSync(temp, { force: true });
              throw error;
            }
          } else {
            await replaceVerified({ src: objectPath(plan.t.cacheDir, md5), dest, md5, what, tempDir: plan.tempDir });
          }
          state.set(dest, statSync(dest, { bigint: true }), md5);
          written.add(entry.relpath);
        } catch {
          // Left as it was: the checkout after the downloads writes it again and reports what fails.
        }
      }
    },
    save: () => state.save(),
  };
}

/** What a checkout will do, worked out before anything is written. */
interface CheckoutPlan {
  t: Tracked;
  manifest: ManifestEntry[];
  /** The files in the folder now, relpath → md5. */
  current: Map<string, string>;
  wanted: Set<string>;
  /** Recorded files whose content in the folder differs (or that are absent). */
  toWrite: ManifestEntry[];
  /** Files inside a folder that stands where a recorded file belongs. */
  inFolderInTheWay: Set<string>;
  /** Folders that hold files now. */
  folders: Set<string>;
  tempDir: string;
}

/** Errors planCheckout threw: the checkout stopped before it wrote anything in data/. */
const refusedBeforeWriting = new WeakSet<object>();

/**
 * Compare the folder with data.dvc's list, before writing anything: a changed file whose content exists
 * nowhere else stops here (DATA_UNRECORDED_CHANGES) unless `force`.
 */
async function planCheckout(options: {
  root: string;
  target: string;
  force: boolean;
  log: Logger;
}): Promise<CheckoutPlan> {
  try {
    return await makePlan(options);
  } catch (error) {
    if (typeof error === 'object' && error !== null) refusedBeforeWriting.add(error);
    throw error;
  }
}

async function makePlan({
  root,
  target,
  force,
  log,
}: {
  root: string;
  target: string;
  force: boolean;
  /** Where the remote, if a damaged folder list is fetched again, says it corrected this computer's clock. */
  log: Logger;
}): Promise<CheckoutPlan> {
  const t = await tracked({ root, target });
  await refuseUnfinishedMerge({ root: path.resolve(root), target, md5: t.out.md5, refused: 'checkout' });
  refuseLinkedFolders({ dir: t.dir, folders: [''], target });
  const remote = configuredRemote({ root, log });
  const manifest = await loadManifest({ cacheDir: t.cacheDir, md5: t.out.md5, remote, target, fetchMissing: false });
  const current = new Map<string, string>();
  let present: TreeHash | undefined;
  const temps: string[] = [];
  try {
    present = await hashTree({ dir: t.dir, root: path.resolve(root), stateFile: stateFileOf(root), temps });
  } catch (error) {
    if (!isVitrineError(error, 'DATA_MISSING')) throw error;
  }
  await cleanWorkspaceTemps({ root, temps });
  const tempDir = checkoutTempDirOf(root);
  await mkdir(tempDir, { recursive: true });
  for (const e of present?.entries ?? []) current.set(e.relpath, e.md5);
  const wanted = new Set(manifest.map((e) => e.relpath));
  // Before writing anything: files that would be overwritten (or sit inside a folder that would be
  // replaced by a file) and whose content exists nowhere else. Losing them silently is what DVC refuses too.
  const toWrite = manifest.filter((e) => current.get(e.relpath) !== e.md5);
  refuseLinkedFolders({ dir: t.dir, folders: parentFolders(toWrite.map((e) => e.relpath)), target });
  const inFolderInTheWay = new Set<string>();
  const unrecorded: string[] = [];
  const isCached = async (md5: string) => exists(objectPath(t.cacheDir, md5));
  // Folders that hold files now, so only a recorded path that is such a folder needs a scan.
  const folders = new Set<string>();
  for (const relpath of current.keys()) {
    for (let i = relpath.indexOf('/'); i !== -1; i = relpath.indexOf('/', i + 1)) folders.add(relpath.slice(0, i));
  }
  for (const entry of toWrite) {
    const now = current.get(entry.relpath);
    if (now !== undefined && !(await isCached(now))) unrecorded.push(`${target}/${entry.relpath}`);
    if (!folders.has(entry.relpath)) continue;
    const prefix = `${entry.relpath}/`;
    for (const [relpath, md5] of current) {
      if (!relpath.startsWith(prefix)) continue;
      inFolderInTheWay.add(relpath);
      if (!wanted.has(relpath) && !(await isCached(md5))) unrecorded.push(`${target}/${relpath}`);
    }
  }
  if (unrecorded.length > 0 && !force) throw unrecordedError({ files: unrecorded, target });
  return { t, manifest, current, wanted, toWrite, inFolderInTheWay, folders, tempDir };
}

/**
 * Refuse a folder that is a symbolic link: `data/` itself (folder "") or one inside it on the way to a
 * file (or, when `recording`, anywhere in it: add would otherwise record its files as removed). A link
 * can be committed to git and so point anywhere; writing or removing through it would reach files outside
 * `data/`, and reading through it would record (and push) them. DVC refuses linked folders too.
 */
function refuseLinkedFolders({
  dir,
  folders,
  target,
  recording = false,
}: {
  dir: string;
  folders: Iterable<string>;
  target: string;
  /** add and status: the advice names cache.dir, the way to keep the collection's copies on another disk. */
  recording?: boolean;
}): void {
  for (const folder of folders) {
    const abs = folder === '' ? dir : path.join(dir, ...folder.split('/'));
    if (!lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink()) continue;
    const name = folder === '' ? `${target}/` : `${target}/${folder}`;
    const to = readlinkSync(abs);
    const back = folder === '' ? undefined : linkBackInto({ dir, link: abs, target });
    if (back) throw new VitrineError('DATA_PATH_LINK', back, { file: name, link: to });
    // A folder is most often linked to make room: the cache (a second copy of every file) can go there instead.
    const cacheThere = path.join(path.dirname(path.resolve(path.dirname(abs), to)), 'vitrine-cache');
    const diskAdvice = recording
      ? ` If it was moved to another disk to make room, keep the collection in ${target}/ and put the cache (a ` +
        'second copy of every file) on that disk instead: add the two lines "[cache]" and ' +
        `"dir = ${cacheThere}" to .dvc/config.local (this computer's own settings; .dvc/config for everyone). ` +
        `This is DVC's cache.dir setting, which "dvc cache dir --local ${cacheThere}" writes too.`
      : '';
    throw new VitrineError(
      'DATA_PATH_LINK',
      `${name} is a symbolic link (to ${to}), and Vitrine does not read or write the collection through a link: ` +
        `it could point anywhere on this computer. Nothing was changed. Move the folder it points to back in ` +
        `place of the link (or copy the files into a real folder ${name}), then run the command again.${diskAdvice}`,
      { file: name, link: to },
    );
  }
}

/** An object of the cache by its path inside it (DVC 3 layout, files/md5/ab/cdef…). */
const CACHE_OBJECT = /^files[/\\]md5[/\\]([0-9a-f]{2})[/\\]([0-9a-f]{30})$/;
/** An object in DVC 2's layout (ab/cdef…, no files/md5/): its ids are md5-dos2unix, which Vitrine does not read. */
const DVC2_CACHE_OBJECT = /^[0-9a-f]{2}[/\\][0-9a-f]{30}$/;

/** True when `to` (a real path) is an object of the cache `realCache` in DVC 2's layout. */
export function isDvc2CacheObject({ realCache, to }: { realCache: string | undefined; to: string }): boolean {
  const relpath = realCache && inside(realCache, to);
  return Boolean(relpath && DVC2_CACHE_OBJECT.test(relpath));
}

/**
 * Refuse a file link in `data/` that leads outside it: `add` would store (and `push` upload) whatever it
 * points at, such as a key in ~/.ssh from a link committed to git. A link to another file of `data/` is
 * read as that file, as DVC does, and so is a link to an object of the repository's cache (what DVC
 * leaves with cache.type: symlink): it is the file DVC recorded. Returns those, relpath → the object's md5.
 */
/**
 * Where the real path `to` of a link under `realData` leads: into data/ (read as that file, as DVC does),
 * to an object of the repository's cache `realCache` (what DVC leaves with cache.type: symlink: the file
 * DVC recorded; its md5), or outside. The one rule for recording (`add`) and reading (the dataset stage).
 */
export function linkLeadsTo({
  realData,
  realCache,
  to,
}: {
  realData: string;
  realCache: string | undefined;
  to: string;
}): 'data' | 'outside' | { object: string } {
  if (inside(realData, to)) return 'data';
  const object = realCache && inside(realCache, to)?.match(CACHE_OBJECT);
  return object ? { object: object[1]! + object[2]! } : 'outside';
}

/**
 * What to do about a file of data/ that is a link into the cache as DVC 2 laid it out (`isDvc2CacheObject`): one
 * text for `vitrine data add` (`recording`: nothing was recorded, add again) and for the dataset stage.
 */
export function dvc2CacheLinkMessage({
  file,
  link,
  cache,
  recording = false,
}: {
  /** The file as staff see it ("data/images/A1.png"). */
  file: string;
  /** Where the link leads, when it is to be shown. */
  link?: string;
  /** The cache folder, as shown (absent: "the cache"). */
  cache?: string;
  recording?: boolean;
}): string {
  return (
    `${file} is a link into the cache in DVC 2's layout${link ? ` (${link})` : ''}, which Vitrine does not read: this ` +
    `repository's cache was made by DVC 2, and DVC 3 keeps its files under ${cache ? `${cache}/` : "the cache's "}files/md5/. ` +
    `${recording ? 'Nothing was recorded. ' : ''}With DVC 3 installed, run "dvc cache migrate --dvc-files", then ` +
    `"dvc checkout --relink"${recording ? ', then "npx vitrine data add" again' : ''}. Without DVC, put a copy of the ` +
    'file in place of its link (docs/data.md).'
  );
}

/** The real path of the cache folder, or undefined when there is none yet (no link can lead into it). */
export function realCacheDir(cacheDir: string): string | undefined {
  try {
    return realpathSync(cacheDir);
  } catch {
    return undefined;
  }
}

function refuseLinksOutside({
  root,
  dir,
  links,
  target,
  cacheDir,
}: {
  root: string;
  dir: string;
  links: string[];
  target: string;
  cacheDir: string;
}): Map<string, string> {
  const cacheLinks = new Map<string, string>();
  if (links.length === 0) return cacheLinks;
  const realData = realpathSync(dir);
  const realCache = realCacheDir(cacheDir);
  for (const relpath of links) {
    const to = realpathSync(path.join(dir, ...relpath.split('/')));
    const leads = linkLeadsTo({ realData, realCache, to });
    if (leads === 'data') continue;
    if (leads !== 'outside') {
      cacheLinks.set(relpath, leads.object);
      continue;
    }
    if (isDvc2CacheObject({ realCache, to })) {
      const cache = inside(root, cacheDir)?.split(path.sep).join('/') ?? cacheDir;
      throw new VitrineError(
        'DATA_CACHE_DVC2',
        dvc2CacheLinkMessage({ file: `${target}/${relpath}`, link: to, cache, recording: true }),
        { file: `${target}/${relpath}`, link: to },
      );
    }
    throw new VitrineError(
      'DATA_PATH_LINK',
      `${target}/${relpath} is a symbolic link to ${to}, outside ${target}/, and Vitrine does not record files ` +
        `from outside ${target}/: it could be any file on this computer. Nothing was recorded. Put a copy of the ` +
        `file in ${target}/ instead of the link, then run "npx vitrine data add" again.`,
      { file: `${target}/${relpath}`, link: to },
    );
  }
  return cacheLinks;
}

/** A link into the cache must still read as the object it names: otherwise the cache copy was changed. */
function refuseChangedCacheLinks({
  entries,
  cacheLinks,
  target,
}: {
  entries: { relpath: string; md5: string }[];
  cacheLinks: Map<string, string>;
  target: string;
}): void {
  if (cacheLinks.size === 0) return;
  for (const entry of entries) {
    const object = cacheLinks.get(entry.relpath);
    if (object === undefined || object === entry.md5) continue;
    const file = `${target}/${entry.relpath}`;
    throw new VitrineError(
      'DATA_CORRUPT',
      `${file} is a link to the cache copy ${object}, but that copy has been changed since it was stored, so it ` +
        `is no longer the file DVC recorded. Nothing was recorded. Put the right file in ${target}/ in place of ` +
        'the link, then run "npx vitrine data add" again.',
      { file, object },
    );
  }
}

/** Every folder above these relpaths ("images", "images/sub" for "images/sub/A3.png"), parents first. */
function parentFolders(relpaths: string[]): string[] {
  const folders = new Set<string>();
  for (const relpath of relpaths)
    for (let i = relpath.indexOf('/'); i !== -1; i = relpath.indexOf('/', i + 1)) folders.add(relpath.slice(0, i));
  return [...folders].sort();
}

/** Check out every file whose object is in the cache; the ones that are not are returned (and logged unless `quietMissing`). */
async function checkoutPresent({
  root,
  log,
  target = 'data',
  force = false,
  jobs = 8,
  quietMissing = false,
  quietCorrupt = false,
  writtenBefore,
}: {
  root: string;
  log: Logger;
  target?: string;
  force?: boolean;
  jobs?: number;
  quietMissing?: boolean;
  quietCorrupt?: boolean;
  writtenBefore?: Set<string>;
}): Promise<CheckoutResult & { missing: { object: string; file: string }[] }> {
  const { t, manifest, current, wanted, toWrite, inFolderInTheWay, tempDir } = await planCheckout({
    root,
    target,
    force,
    log,
  });
  const state = await HashState.load({ file: stateFileOf(root) });
  // Nothing to write: no progress line (it would only report a rate over no time).
  const quiet = { tick: () => {}, done: () => {} };
  const progress = toWrite.length > 0 ? log.progress(`Checking out ${target}/`, manifest.length) : quiet;
  const pending = new Set(toWrite.map((e) => e.relpath));
  const earlier = writtenBefore ? [...writtenBefore].filter((relpath) => !pending.has(relpath)).length : 0;
  let written = earlier;
  const unchanged = manifest.length - toWrite.length - earlier;
  const missing: { object: string; file: string }[] = [];
  const corrupt: { object: string; file: string }[] = [];
  progress.tick(unchanged + earlier);
  if (toWrite.length > 0) await markCheckoutUnderway(root, target);
  await mapPool(toWrite, jobs, async (entry) => {
    const file = `${target}/${entry.relpath}`;
    const src = objectPath(t.cacheDir, entry.md5);
    const dest = path.join(t.dir, ...entry.relpath.split('/'));
    try {
      if (!(await exists(src))) {
        missing.push({ object: entry.md5, file });
      } else {
        await replaceVerified({ src, dest, md5: entry.md5, what: `.dvc/cache, needed by ${file}`, tempDir });
        state.set(dest, statSync(dest, { bigint: true }), entry.md5);
        written++;
      }
    } catch (error) {
      if (!isVitrineError(error, 'DATA_CORRUPT')) throw error;
      corrupt.push({ object: entry.md5, file });
    }
    progress.tick();
  });
  progress.done();
  let removed = 0;
  const extra: string[] = [];
  // Kept, both kinds, but said apart (a tester: one advice for both either put back an image a colleague's import
  // had removed, or deleted a new photograph that was nowhere else). Whose content the cache keeps: recorded
  // before (a colleague removed it in data.dvc, or a data add not committed); the rest: new, recorded nowhere.
  const known: string[] = [];
  for (const [relpath, md5] of current) {
    if (wanted.has(relpath) || inFolderInTheWay.has(relpath)) continue;
    if (force) {
      await rm(path.join(t.dir, ...relpath.split('/')), { force: true });
      removed++;
    } else {
      extra.push(`${target}/${relpath}`);
      if (await exists(objectPath(t.cacheDir, md5))) known.push(`${target}/${relpath}`);
    }
  }
  if (removed > 0) await removeEmptyFolders(t.dir);
  await state.save();
  if (extra.length > 0) log.warn(extraFilesWords({ extra, known, target }), { file: extra[0] });
  for (const c of quietCorrupt ? [] : corrupt) {
    const message =
      `The cached copy of ${c.file} (object ${c.object}) is damaged and was not checked out. ` +
      'Run "npx vitrine data pull" to fetch a good copy.';
    log.error(message, { file: c.file, object: c.object });
  }
  if (!quietMissing)
    for (const m of missing)
      log.error(`${m.file} (object ${m.object}) is not in the local cache. Run "npx vitrine data pull".`, {
        file: m.file,
        object: m.object,
      });
  if (corrupt.length > 0) {
    // Damaged objects are removed so the next pull fetches good copies.
    for (const c of corrupt) await removeObject({ base: t.cacheDir, md5: c.object });
    throw new VitrineError(
      'DATA_CORRUPT',
      `${plural(corrupt.length, 'cached object')} ${corrupt.length === 1 ? 'is' : 'are'} damaged and ` +
        `${corrupt.length === 1 ? 'was' : 'were'} not checked out, for ` +
        `example ${corrupt[0].object} for ${corrupt[0].file}. They were removed from the cache; run "npx vitrine ` +
        `data pull" to fetch good copies.`,
      { corrupt },
    );
  }
  if (missing.length === 0) await rm(unfinishedCheckoutFile(root, target), { force: true });
  if (missing.length === 0)
    log.info(
      written === 0 && removed === 0
        ? unchanged === 0
          ? `${target}/ is up to date.`
          : unchanged === 1
            ? `The 1 file in ${target}/ is up to date.`
            : `All ${unchanged} files in ${target}/ are up to date.`
        : `Checked out ${target}/: ${written} written, ${unchanged} already up to date${removed ? `, ${removed} removed` : ''}.`,
    );
  return { written, unchanged, removed, extra, missing };
}

/**
 * Put a verified copy of `src` at `dest`. Nothing at `dest` is deleted before the copy is verified:
 * a file is replaced by the final rename; a folder in the way is moved aside only once the copy is
 * ready, then removed.
 */
async function replaceVerified({
  src,
  dest,
  md5,
  what,
  tempDir,
}: {
  src: string;
  dest: string;
  md5: string;
  what: string;
  tempDir: string;
}): Promise<void> {
  const info = lstatSync(dest, { throwIfNoEntry: false });
  if (!info?.isDirectory()) {
    await copyVerified({ src, dest, md5, what, tempDir });
    return;
  }
  // Staged and set aside under tempDir, never inside data/ (beside dest only across filesystems).
  const sameDevice = (await stat(tempDir).catch(() => null))?.dev === info.dev;
  const near = (name: string) =>
    sameDevice ? tempName(path.join(tempDir, randomBytes(6).toString('hex'))) : tempName(name);
  const staged = near(dest);
  await copyVerified({ src, dest: staged, md5, what });
  const aside = near(dest);
  try {
    await rename(dest, aside);
  } catch (error) {
    await rm(staged, { force: true });
    throw error;
  }
  await rename(staged, dest);
  await rm(aside, { recursive: true, force: true });
}

async function removeEmptyFolders(dir: string): Promise<boolean> {
  const items = await readdir(dir, { withFileTypes: true });
  let empty = true;
  for (const item of items) {
    if (item.isDirectory() && (await removeEmptyFolders(path.join(dir, item.name)))) {
      await rmdir(path.join(dir, item.name));
    } else {
      empty = false;
    }
  }
  return empty;
}

/** What `vitrine data status` reports: the data folder against data.dvc, the cache and (optionally) the remote. */
export interface DataStatus {
  /** What data.dvc records, or null when the folder is not tracked yet. */
  recorded: { md5: string; size?: number; nfiles?: number } | null;
  /** The folder as it is now, or null when it does not exist. */
  workspace: { md5: string; size: number; nfiles: number } | null;
  /**
   * Files that differ between the folder and data.dvc (relpaths inside the folder). `removed`: deleted from the
   * folder (the cache still has them); `notFetched`: recorded but neither in the folder nor in the local cache,
   * e.g. after an interrupted pull.
   */
  changes: { added: string[]; removed: string[]; modified: string[]; notFetched?: string[] };
  /** Of `changes.modified`, those whose content now is in no cache: a checkout overwrites them only with --force. */
  unsaved?: string[];
  /** True when the folder is exactly what data.dvc records. */
  clean: boolean;
  /** `listDamaged`: the cache holds data.dvc's folder list, but damaged (so `hasManifest` is false). */
  cache: { hasManifest: boolean; listDamaged?: boolean; missing: number; missingFiles: string[] };
  /** Only when asked for (it contacts the remote). */
  remote: { name: string; url: string; missing: number; missingFiles: string[] } | null;
  /**
   * Without `remote`: the default remote and whether this machine knows it holds data.dvc's version (a push or a
   * whole pull from here, or an earlier "status --remote"; see pushed.ts). Null or absent: no remote set up.
   * `notTheRemote`: a folder remote that is not the one the record names (its mark is missing: a share not mounted),
   * in the words a push refusing it uses.
   */
  sent?: { remote: string; url: string; known: boolean; notTheRemote?: string } | null;
  /** True when a pull or checkout of the folder started and did not finish (`unfinishedCheckoutFile`). */
  checkoutUnfinished?: boolean;
  /**
   * Git is combining two histories that both changed data.dvc, and data.dvc does not hold the merge "vitrine data
   * merge" writes (a conflict resolved by hand, one side kept): what data.dvc records is one branch's photographs
   * only, so the comparison above is no guide. Add, pull and checkout refuse until "data merge" has run.
   */
  mergeUnfinished?: { operation: GitOperation; file: string };
}

/** Compare the data folder, data.dvc, the cache and optionally the remote, without changing anything. */
export async function dataStatus({
  root,
  log,
  target = 'data',
  remote: checkRemote = false,
  remoteName,
  jobs = 16,
  checkRemoteMark = true,
}: {
  root: string;
  log: Logger;
  target?: string;
  remote?: boolean;
  remoteName?: string;
  jobs?: number;
  /**
   * Without `remote`: read a folder remote's mark to say a share not mounted (`sent.notTheRemote`), as "data status"
   * does. False: read nothing at the remote (the pipeline's stages: a share mounted "hard" that cannot be reached
   * would hang the run where it never touched the share; reviewer V24, F3).
   */
  checkRemoteMark?: boolean;
}): Promise<DataStatus> {
  const absRoot = path.resolve(root);
  const dvcFile = path.join(absRoot, `${target}.dvc`);
  let t: Tracked | undefined;
  try {
    t = await tracked({ root: absRoot, target });
  } catch (error) {
    if (!isVitrineError(error, 'DATA_NOT_TRACKED')) throw error;
  }
  const dir = t?.dir ?? resolveOutPath({ root: absRoot, dvcFile, out: { md5: '', path: target } });
  let tree: TreeHash | undefined;
  // Files behind a linked folder would be counted as removed: refuse it, as add does.
  refuseLinkedFolders({ dir, folders: [''], target, recording: true });
  const linkedFolders: string[] = [];
  const brokenLinks: string[] = [];
  try {
    tree = await hashTree({ dir, root: absRoot, stateFile: stateFileOf(absRoot), linkedFolders, brokenLinks, log });
  } catch (error) {
    if (!isVitrineError(error, 'DATA_MISSING')) throw error;
  }
  refuseLinkedFolders({ dir, folders: linkedFolders, target, recording: true });
  // Left out of the hash as add leaves them out: "data/ matches data.dvc" alone would hide them.
  warnBrokenLinks({ dir, brokenLinks, target, log });
  const status: DataStatus = {
    recorded: t ? { md5: t.out.md5, size: t.out.size, nfiles: t.out.nfiles } : null,
    workspace: tree ? { md5: tree.md5, size: tree.size, nfiles: tree.nfiles } : null,
    changes: { added: [], removed: [], modified: [] },
    clean: false,
    cache: { hasManifest: false, missing: 0, missingFiles: [] },
    remote: null,
  };
  if (await exists(unfinishedCheckoutFile(absRoot, target))) status.checkoutUnfinished = true;
  const unfinished = t ? await unfinishedMerge({ root: absRoot, target, md5: t.out.md5 }) : undefined;
  if (unfinished && !unfinished.written)
    status.mergeUnfinished = { operation: unfinished.operation, file: `${target}.dvc` };
  if (!t) {
    status.changes.added = tree?.entries.map((e) => e.relpath) ?? [];
    log.debug(`${target}.dvc does not exist`);
    return status;
  }
  status.clean = tree?.md5 === t.out.md5;
  let manifest: ManifestEntry[] | undefined;
  try {
    // A folder that hashes to the recorded md5 lists exactly the manifest's entries: a hash check of the
    // cached copy is enough (parsing 100,000 entries costs more than the rest of a status).
    if (status.clean && tree) {
      const cached = await checkCachedManifest({ cacheDir: t.cacheDir, md5: t.out.md5 });
      manifest = cached === 'good' ? tree.entries : undefined;
    } else manifest = await readCachedManifest({ cacheDir: t.cacheDir, md5: t.out.md5, target });
  } catch (error) {
    if (!isVitrineError(error, 'DATA_CORRUPT')) throw error;
    // Plain status changes nothing and says how to fix it; with --remote, a good copy replaces it.
    if (checkRemote) {
      const remote = await openRemote({ root: absRoot, name: remoteName, log });
      manifest = await loadManifest({ cacheDir: t.cacheDir, md5: t.out.md5, remote, target });
    } else status.cache.listDamaged = true;
  }
  status.cache.hasManifest = manifest !== undefined;
  if (manifest) {
    // The same folder hash means the same files: no need to compare 100,000 of them one by one.
    if (!status.clean) {
      status.changes = diffEntries(manifest, tree?.entries ?? []);
      // As the checkout decides (planCheckout): a changed file whose content is in the cache is not lost.
      const now = new Map((tree?.entries ?? []).map((e) => [e.relpath, e.md5]));
      const cached = await mapPool(status.changes.modified, jobs, async (relpath) =>
        exists(objectPath(t.cacheDir, now.get(relpath) ?? '')),
      );
      const unsaved = status.changes.modified.filter((_, i) => !cached[i]);
      if (unsaved.length > 0) status.unsaved = unsaved;
    }
    // A large folder: one listing of the cache beats a stat per file (100,000 stats take about a second).
    const held = manifest.length >= 1000 ? await objectLookup(t.cacheDir) : undefined;
    const missing = held
      ? manifest.map((e) => (held(e.md5) ? null : e.relpath))
      : await mapPool(manifest, jobs, async (e) => ((await exists(objectPath(t.cacheDir, e.md5))) ? null : e.relpath));
    const missingFiles = missing.filter((m): m is string => m !== null);
    status.cache = { hasManifest: true, missing: missingFiles.length, missingFiles: missingFiles.slice(0, 20) };
    if (status.changes.removed.length > 0) {
      const notInCache = new Set(missingFiles);
      const notFetched = status.changes.removed.filter((f) => notInCache.has(f));
      if (notFetched.length > 0) {
        status.changes.notFetched = notFetched;
        status.changes.removed = status.changes.removed.filter((f) => !notInCache.has(f));
      }
    }
  }
  if (checkRemote) {
    const remote = await openRemote({ root: absRoot, name: remoteName, log });
    // A share's mount point holding a whole copy from an older push is not the remote: refused, as a push refuses it.
    await remote.check?.();
    const list = manifest ?? (await loadManifest({ cacheDir: t.cacheDir, md5: t.out.md5, remote }));
    const objects = [...uniqueObjects(list, target), [t.out.md5, `${target}.dvc`] as [string, string]];
    const missing = await mapPool(objects, jobs, async ([md5, needer]) =>
      (await remote.has(md5, await cachedSize({ base: t.cacheDir, md5 }))) ? null : needer,
    );
    const missingFiles = missing.filter((m): m is string => m !== null);
    status.remote = {
      name: remote.name,
      url: remote.url,
      missing: missingFiles.length,
      missingFiles: missingFiles.slice(0, 20),
    };
    if (missingFiles.length === 0) await noteSent({ root: absRoot, remote, list: t.out.md5, log });
  } else {
    const sent = await sentState({ root: absRoot, list: t.out.md5 });
    // One look at the folder's mark (no listing): whatever the record says, a share not mounted holds none of it.
    const refused =
      sent && checkRemoteMark && !isUrl(sent.url)
        ? await notTheRemoteError({ root: absRoot, name: sent.remote, url: sent.url }).catch(() => undefined)
        : undefined;
    status.sent = sent && refused ? { ...sent, notTheRemote: refused.message } : sent;
  }
  return status;
}
