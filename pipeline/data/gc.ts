import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { formatBytes, plural } from '../words.ts';
import {
  cachedSize,
  cleanStaleObjectTemps,
  listedWhole,
  listObjectIds,
  objectPath,
  parseManifest,
  readCachedManifest,
} from './cache.ts';
import { readDvcConfig } from './config.ts';
import { parseDvcFile } from './dvcfile.ts';
import { mapPool } from './hash.ts';
import { refuseGcDuringMerge } from './merge-state.ts';
import type { Remote } from './remote.ts';

/*
 * `vitrine data gc`, like "dvc gc --workspace": remove from the local cache every object that no .dvc file
 * in the repository (data.dvc and any other) needs for its current version. The cache otherwise keeps every
 * earlier version, images taken down from the collection included, and whatever copies it (the GitHub Actions
 * cache, which a pull request from a fork can read) copies them too. Each object is removed on its own (one
 * unlink), so an interrupted gc leaves a cache that is smaller but never holds half a file.
 */

export interface GcResult {
  /** Objects removed (or, with dryRun, that would be). */
  removed: number;
  removedBytes: number;
  /** Objects the current version needs, kept. */
  kept: number;
  keptBytes: number;
  /** Objects kept because another local version needs them (a branch, HEAD, a stash). */
  keptForOtherVersions: number;
  /** Objects no version here needs, kept because the storage remote does not have them. */
  unpushed: number;
  dryRun: boolean;
  /** The .dvc files whose current version was kept, relative to the root with forward slashes. */
  dvcFiles: string[];
}

/**
 * How gcData opens the default storage remote to ask it (openRemote in data/remote.ts). Passed in by the caller, so
 * that what loads gc.ts without asking (the data-cache action: removeUnpushed) does not carry the S3 client.
 */
export type OpenRemote = (options: { root: string; log: Logger }) => Promise<Remote>;

/** Folders never searched for .dvc files: git's, DVC's own, Vitrine's work folder, installed packages. */
const SKIPPED = new Set(['.git', '.dvc', '.vitrine', 'node_modules']);

/** Every `*.dvc` file under `root` (relative, forward slashes), not looking inside the folders they track. */
export async function findDvcFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const items = await readdir(path.join(root, rel), { withFileTypes: true });
    const names = new Set(items.map((i) => i.name));
    for (const item of items) {
      const child = rel ? `${rel}/${item.name}` : item.name;
      if (item.isFile() && item.name.endsWith('.dvc') && item.name !== '.dvc') found.push(child);
      // A tracked folder (data/ beside data.dvc) holds the collection, never a .dvc file: not walked.
      else if (item.isDirectory() && !SKIPPED.has(item.name) && !names.has(`${item.name}.dvc`)) await walk(child);
    }
  };
  await walk('');
  return found.sort();
}

/** What the current versions need: object id → the .dvc file (or data/ file) that needs it. */
async function neededObjects({
  cacheDir,
  dvcFiles,
  needed = new Map<string, string>(),
  lenient = false,
}: {
  cacheDir: string;
  dvcFiles: { file: string; text: string }[];
  /** Added to (another version's needs are added to the working tree's). */
  needed?: Map<string, string>;
  /**
   * For a version other than the working tree's (another branch, a stash): a file that cannot be read, or a folder
   * list that is not here or damaged, keeps what can be told and does not stop gc.
   */
  lenient?: boolean;
}): Promise<Map<string, string>> {
  for (const { file, text } of dvcFiles) {
    const target = path.posix.basename(file).replace(/\.dvc$/, '');
    let parsed: ReturnType<typeof parseDvcFile>;
    try {
      parsed = parseDvcFile({ text, file, target });
    } catch (error) {
      if (lenient) continue;
      throw error;
    }
    if (parsed.legacy) {
      if (lenient) continue;
      throw new VitrineError(
        'DATA_GC_LEGACY',
        `${file} was written by DVC 2, whose objects sit in another cache layout: Vitrine cannot tell which ` +
          `objects it needs, so "npx vitrine data gc" removed nothing. Run "dvc gc --workspace" with DVC instead.`,
        { file },
      );
    }
    for (const out of parsed.outs) {
      if (!needed.has(out.md5)) needed.set(out.md5, file);
      if (!out.md5.endsWith('.dir')) continue;
      const folder = path.posix.join(path.posix.dirname(file), target);
      let entries: { md5: string; relpath: string }[] | undefined;
      try {
        entries = await readCachedManifest({ cacheDir, md5: out.md5, target });
      } catch (error) {
        if (lenient) continue;
        if (!isVitrineError(error, 'DATA_CORRUPT')) throw error;
        throw new VitrineError(
          'DATA_GC_LIST_DAMAGED',
          `The cache copy of ${file}'s folder list (object ${out.md5}) is damaged, so Vitrine cannot tell which ` +
            `images the current version needs: "npx vitrine data gc" removed nothing. Run "npx vitrine data verify --repair" first.`,
          { file, object: out.md5 },
          { cause: error },
        );
      }
      if (!entries) {
        if (lenient) continue;
        throw new VitrineError(
          'DATA_GC_LIST_MISSING',
          `${file}'s folder list (object ${out.md5}) is not in the local cache, so Vitrine cannot tell which images ` +
            `the current version needs: "npx vitrine data gc" removed nothing. Run "npx vitrine data pull" first.`,
          { file, object: out.md5 },
        );
      }
      for (const e of entries) if (!needed.has(e.md5)) needed.set(e.md5, `${folder}/${e.relpath}`);
    }
  }
  return needed;
}

async function readDvcFiles(root: string, files: string[]): Promise<{ file: string; text: string }[]> {
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(root, file), 'utf8') })));
}

/** The names of files an earlier version's folder lists give an object, for the log (best effort). */
async function earlierNames(cacheDir: string, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of ids) {
    if (!id.endsWith('.dir')) continue;
    try {
      const entries = parseManifest({ md5: id, bytes: await readFile(objectPath(cacheDir, id)) });
      for (const e of entries) if (!names.has(e.md5)) names.set(e.md5, e.relpath);
    } catch {
      // A damaged or foreign list only costs a name in the log.
    }
  }
  return names;
}

/**
 * Remove from the local cache every object the current .dvc files do not need. Refuses (removing nothing)
 * when a current version cannot be read whole, when the cache is shared with other repositories
 * (cache.dir outside this repository's .dvc folder): what they need cannot be known from here, or while a git
 * merge in which both branches changed a .dvc file is unfinished (refuseGcDuringMerge): "data merge" reads from
 * the cache what the file does not record now. Every caller is refused: the command and the data-cache action.
 */
export async function gcData({
  root,
  log,
  dryRun = false,
  jobs = 8,
  workspaceOnly = false,
  removeUnpushed = false,
  openRemote,
}: {
  root: string;
  log: Logger;
  dryRun?: boolean;
  jobs?: number;
  /**
   * Keep only what the working tree's .dvc files need, not other local branches' and stashes' (the data-cache
   * action: a runner's cache is a copy of what it pulled, pruned so that earlier versions' images do not reach
   * the Actions cache).
   */
  workspaceOnly?: boolean;
  /**
   * Remove what no version kept here needs without asking the storage remote whether it holds a copy: one it
   * does not hold is gone for good. Otherwise those are kept and said, and gc removes nothing when the remote
   * cannot be asked.
   */
  removeUnpushed?: boolean;
} & ({ removeUnpushed: true; openRemote?: OpenRemote } | { openRemote: OpenRemote })): Promise<GcResult> {
  const absRoot = path.resolve(root);
  const { cacheDir } = await readDvcConfig({ root: absRoot });
  const ownCache = path.join(absRoot, '.dvc', 'cache');
  if (path.resolve(cacheDir) !== ownCache) {
    throw new VitrineError(
      'DATA_GC_SHARED_CACHE',
      `The cache is ${cacheDir} (cache.dir in .dvc/config), not this repository's .dvc/cache: other repositories ` +
        'may share it and need objects this one does not, so "npx vitrine data gc" removed nothing. ' +
        'Run "dvc gc --workspace --all-repos" with DVC, naming every repository that uses it.',
      { file: '.dvc/config', cache: cacheDir },
    );
  }
  const files = await findDvcFiles(absRoot);
  if (files.length === 0) {
    throw new VitrineError(
      'DATA_NOT_TRACKED',
      'There is no .dvc file (such as data.dvc) in this repository, so every object in the cache would go: ' +
        '"npx vitrine data gc" removed nothing. Run "npx vitrine data add" first.',
      {},
    );
  }
  await refuseGcDuringMerge({ root: absRoot, files });
  const texts = await readDvcFiles(absRoot, files);
  const needed = await neededObjects({ cacheDir, dvcFiles: texts });
  // What other local versions need (a branch committed but never pushed, a stash): object id → the version's name.
  const forOthers = new Map<string, string>();
  if (!workspaceOnly) {
    const { dvcFilesOfLocalVersions } = await import('../git/history.ts');
    const skip = (file: string) => file.split('/').some((part) => SKIPPED.has(part));
    for (const version of await dvcFilesOfLocalVersions({ dir: absRoot, skip })) {
      const theirs = await neededObjects({ cacheDir, dvcFiles: version.dvcFiles, lenient: true });
      for (const id of theirs.keys())
        if (!needed.has(id) && !forOthers.has(id)) forOthers.set(id, version.name === 'HEAD' ? 'HEAD' : version.name);
    }
  }
  const held = [...(await listObjectIds(cacheDir))].sort();
  const candidates = held.filter((id) => !needed.has(id) && !forOthers.has(id));
  const remote =
    removeUnpushed || candidates.length === 0
      ? null
      : await askRemote({ root: absRoot, log, cacheDir, candidates, jobs, openRemote });
  const unpushed = new Set(remote?.lacks ?? []);
  const unneeded = candidates.filter((id) => !unpushed.has(id));
  const sizeOf = async (id: string) => (await stat(objectPath(cacheDir, id)).catch(() => null))?.size ?? 0;
  const sum = async (ids: string[]) => (await mapPool(ids, jobs, sizeOf)).reduce((a, b) => a + b, 0);
  const keptNow = held.filter((id) => needed.has(id));
  const keptOthers = held.filter((id) => forOthers.has(id));
  const result: GcResult = {
    removed: 0,
    removedBytes: 0,
    kept: keptNow.length,
    keptBytes: await sum(keptNow),
    keptForOtherVersions: keptOthers.length,
    unpushed: unpushed.size,
    dryRun,
    dvcFiles: files,
  };
  const names = await earlierNames(cacheDir, [...candidates, ...keptOthers]);
  // A data.dvc rewritten meanwhile (a "data add" in another terminal) may need objects listed as unneeded.
  const now = await readDvcFiles(absRoot, files).catch(() => []);
  if (now.length !== texts.length || now.some((t, i) => t.text !== texts[i].text)) {
    throw new VitrineError(
      'DATA_GC_CHANGED',
      `${files.join(', ')} changed while "npx vitrine data gc" was reading the cache (another Vitrine or DVC command?): ` +
        'it removed nothing. Run it again once the other command has finished.',
      { file: files[0] },
    );
  }
  const what = (id: string) =>
    id.endsWith('.dir') ? 'an earlier folder list' : names.has(id) ? `earlier ${names.get(id)}` : 'no current file';
  // Only with --verbose: the names of taken-down images should not land in a public Actions log.
  for (const id of keptOthers) log.debug(`keeping ${id} (${what(id)}): ${forOthers.get(id)} needs it`);
  for (const id of unpushed) log.debug(`keeping ${id} (${what(id)}): not on the remote "${remote?.name}"`);
  for (const id of unneeded) {
    const file = objectPath(cacheDir, id);
    const size = await sizeOf(id);
    log.debug(`${dryRun ? 'would remove' : 'removing'} ${id} (${what(id)}, ${formatBytes(size)})`);
    if (!dryRun) {
      // One unlink per object: it is there whole or gone, never half.
      await rm(file, { force: true });
      await rmdir(path.dirname(file)).catch(() => {});
    }
    result.removed += 1;
    result.removedBytes += size;
  }
  if (!dryRun) await cleanStaleObjectTemps({ base: cacheDir });
  const others = [...new Set(keptOthers.map((id) => forOthers.get(id)))];
  const kept =
    `kept the ${plural(result.kept, 'object')} (${formatBytes(result.keptBytes)}) that ${files.join(', ')} ` +
    `${files.length === 1 ? 'needs' : 'need'} now` +
    (keptOthers.length
      ? `, and ${plural(keptOthers.length, 'object')} (${formatBytes(await sum(keptOthers))}) that ` +
        `${others.length === 1 ? 'another version' : 'other versions'} on this computer ` +
        `${others.length === 1 ? 'needs' : 'need'} (${others.join(', ')}: delete a branch no longer wanted to free them)`
      : '');
  const unused = workspaceOnly ? 'no current version uses' : 'no version on this computer uses';
  if (result.removed === 0) log.info(`The local cache holds nothing else it may remove: ${kept}.`);
  else
    log.info(
      `${dryRun ? 'Would free' : 'Freed'} ${formatBytes(result.removedBytes)} from the local cache: ` +
        `${dryRun ? 'would remove' : 'removed'} ${plural(result.removed, 'object')} ${unused} ` +
        `(earlier versions' images and folder lists); ${kept}.` +
        (remote
          ? ` The storage remote "${remote.name}" holds a copy of each, should an earlier version be wanted again.`
          : ` They ${dryRun ? 'would be' : 'were'} removed without asking the storage remote for a copy ` +
            `(--remove-unpushed): one it did not hold ${dryRun ? 'would be' : 'is'} gone for good.`) +
        (dryRun ? ' Run without --dry-run to remove them.' : ''),
    );
  if (unpushed.size > 0)
    log.warn(
      `Kept ${plural(unpushed.size, 'object')} (${formatBytes(await sum([...unpushed]))}) ${unused} that the ` +
        `storage remote "${remote?.name}" does not have: this cache holds the only copy (a version committed but ` +
        'never pushed, or added and never committed). To keep a copy on the remote, check out the version that ' +
        'recorded it (git checkout <commit>, then "npx vitrine data checkout") and run "npx vitrine data push"; or run ' +
        '"npx vitrine data gc --remove-unpushed" to remove them for good.',
    );
  return result;
}

/**
 * Ask the default storage remote which of `candidates` it holds. Throws DATA_GC_REMOTE_UNCHECKED (gc removes
 * nothing) when there is no remote or it cannot be asked: an object it lacks would be the only copy.
 */
async function askRemote({
  root,
  log,
  cacheDir,
  candidates,
  jobs,
  openRemote,
}: {
  root: string;
  log: Logger;
  cacheDir: string;
  candidates: string[];
  jobs: number;
  openRemote: OpenRemote | undefined;
}): Promise<{ name: string; lacks: string[] }> {
  const count = plural(candidates.length, 'object');
  const anyway =
    `or run "npx vitrine data gc --remove-unpushed" to remove the ${count} no version on this computer uses ` +
    'anyway (one the remote does not hold is then gone for good).';
  // The options' type asks for it without removeUnpushed; a caller in plain JavaScript may still leave it out.
  if (!openRemote)
    throw new VitrineError(
      'DATA_GC_REMOTE_UNCHECKED',
      `Vitrine was not given a way to reach the storage remote, so it could not ask which of the ${count} no ` +
        'version on this computer uses it holds: "npx vitrine data gc" removed nothing.',
      {},
    );
  let remote: Remote;
  try {
    remote = await openRemote({ root, log });
  } catch (error) {
    if (!isVitrineError(error, 'DVC_NO_REMOTE')) throw error;
    throw new VitrineError(
      'DATA_GC_REMOTE_UNCHECKED',
      'There is no storage remote (.dvc/config), so this cache may hold the only copy of every earlier version: ' +
        '"npx vitrine data gc" removed nothing. Set one up and push ("npx vitrine data init", then ' +
        `"npx vitrine data push"), ${anyway}`,
      {},
      { cause: error },
    );
  }
  try {
    // Many objects: one listing of the remote instead of a check each (as a large push does).
    if (remote.list && candidates.length >= 64) {
      const listed = await remote.list();
      const whole = await mapPool(candidates, jobs, async (id) =>
        listedWhole(listed, id, (await cachedSize({ base: cacheDir, md5: id })).size),
      );
      return { name: remote.name, lacks: candidates.filter((_, i) => !whole[i]) };
    }
    const has = await mapPool(candidates, jobs, async (id) =>
      remote.has(id, await cachedSize({ base: cacheDir, md5: id })),
    );
    return { name: remote.name, lacks: candidates.filter((_, i) => !has[i]) };
  } catch (error) {
    throw new VitrineError(
      'DATA_GC_REMOTE_UNCHECKED',
      `Vitrine could not ask the storage remote "${remote.name}" which of the ${count} no version on this ` +
        `computer uses it holds (${fullStopless(messageOf(error))}), so "npx vitrine data gc" removed nothing: ` +
        `one it lacks would be the only copy. Run it again when the remote answers, ${anyway}`,
      { remote: remote.name },
      { cause: error },
    );
  }
}

function fullStopless(text: string): string {
  return text.replace(/[.\s]+$/, '');
}
