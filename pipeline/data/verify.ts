import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isVitrineError, VitrineError } from '../errors.ts';
import type { Logger, Whereabouts } from '../log.ts';
import {
  contentMd5,
  copyVerified,
  exists,
  listObjectIds,
  type ManifestEntry,
  objectPath,
  parseManifest,
  readCachedManifest,
  writeManifest,
} from './cache.ts';
import { readDvcConfig } from './config.ts';
import { legacyError, readDvcFile, resolveOutPath } from './dvcfile.ts';
import { HashState, hashFile, hashTree, mapPool, md5OfFileSync } from './hash.ts';
import { cacheStateFileOf, configuredRemote, loadManifest, plural, stateFileOf } from './ops.ts';
import { openRemote, type Remote } from './remote.ts';

/*
 * `vitrine data verify`: an fsck for the data layer. Every object in the local cache is read and
 * hashed (its name is its md5); with `remote`, every object data.dvc needs is checked on the remote
 * too. With `repair`, a damaged cache object is restored from a good file in data/ (the folder list:
 * rebuilt from data/ when it holds the recorded version) or from the remote, which is consulted
 * whenever one is set up, and a damaged remote object is uploaded again from a good cache copy.
 */

/** An object and the data/ file that needs it (or a note when the current data.dvc does not). */
export interface ObjectProblem {
  object: string;
  file: string;
}

export interface VerifyResult {
  cache: { checked: number; damaged: ObjectProblem[]; repaired: number; missing: number };
  remote: { name: string; checked: number; damaged: ObjectProblem[]; repaired: number; missing: number } | null;
}

const NOT_CURRENT = '(not in the current data.dvc)';

async function remoteManifest(options: {
  cacheDir: string;
  md5: string;
  remote: Remote;
  scratchBase: string;
  target: string;
}): Promise<ManifestEntry[]> {
  const { cacheDir, md5, remote, scratchBase, target } = options;
  if (!(await exists(objectPath(cacheDir, md5)))) return loadManifest({ cacheDir, md5, remote, target });
  // The cache holds a damaged copy: read the remote's through a fresh temp folder, leaving the cache to the repair step.
  await mkdir(scratchBase, { recursive: true });
  const scratch = await mkdtemp(path.join(scratchBase, 'verify-'));
  try {
    await remote.get({ md5, file: path.join(scratch, 'list') });
    return parseManifest({ md5, bytes: await readFile(path.join(scratch, 'list')), target });
  } catch (error) {
    if (isVitrineError(error, 'REMOTE_OBJECT_MISSING') || isVitrineError(error, 'DATA_CORRUPT')) return [];
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Check (and with `repair`, restore) the cache and optionally the remote; throws DATA_CORRUPT when damage remains. */
export async function verifyData({
  root,
  log,
  target = 'data',
  remote: remoteOption = false,
  repair = false,
  jobs = 8,
  where = {},
}: {
  root: string;
  log: Logger;
  target?: string;
  /** Also check the remote: true for the default one, a name from .dvc/config, or an opened Remote. */
  remote?: boolean | string | Remote;
  repair?: boolean;
  jobs?: number;
  /** Kept saying how far the check has got, for the message of a check stopped by Ctrl-C. */
  where?: Whereabouts;
}): Promise<VerifyResult> {
  // Every repair puts a whole copy in place (a temporary file, then renamed): a stop loses no file.
  const again =
    `run "npx vitrine data verify${repair ? ' --repair' : ''}${remoteOption ? ' --remote' : ''}" again ` +
    `to ${repair ? 'finish' : 'check everything'}.`;
  where.now = () => `Nothing was checked yet: ${again}`;
  const absRoot = path.resolve(root);
  const dvcFile = path.join(absRoot, `${target}.dvc`);
  const parsed = await readDvcFile({ file: dvcFile });
  if (parsed.legacy) throw legacyError(dvcFile);
  const out = parsed.outs[0];
  const dir = resolveOutPath({ root: absRoot, dvcFile, out });
  const { cacheDir } = await readDvcConfig({ root: absRoot });
  const remote =
    remoteOption === false
      ? undefined
      : typeof remoteOption === 'object'
        ? remoteOption
        : await openRemote({ root: absRoot, name: remoteOption === true ? undefined : remoteOption, log });
  // Where good copies may come from: the remote being checked, else the configured one (if any).
  let source: Remote | undefined = remote;
  let sourceLooked = remote !== undefined;
  const repairSource = async (): Promise<Remote | undefined> => {
    if (!sourceLooked) [source, sourceLooked] = [await configuredRemote({ root: absRoot, log })(), true];
    return source;
  };

  // Which data/ files need which object, from the current data.dvc.
  // A damaged folder list in the cache is itself one of the problems found below.
  const cachedList = await readCachedManifest({ cacheDir, md5: out.md5, target }).catch((error) => {
    // A list made by hand is no damage a repair can undo: say so, and check nothing by it.
    if (isVitrineError(error, 'DATA_MANIFEST_INVALID')) throw error;
    return undefined;
  });
  const scratchBase = path.join(absRoot, '.dvc', 'tmp');
  const listSource = remote ?? (repair && !cachedList ? await repairSource() : undefined);
  const fromRemote = async (remote: Remote) => remoteManifest({ cacheDir, md5: out.md5, remote, scratchBase, target });
  const manifest: ManifestEntry[] = cachedList ?? (listSource ? await fromRemote(listSource) : []);
  const needers = new Map<string, string[]>();
  for (const e of manifest) needers.set(e.md5, [...(needers.get(e.md5) ?? []), e.relpath]);
  const fileOf = (md5: string) =>
    md5 === out.md5 ? `${target}.dvc` : needers.has(md5) ? `${target}/${needers.get(md5)![0]}` : NOT_CURRENT;

  // 1. Every object in the cache: read it all, as fsck does (the state only remembers the result).
  const state = await HashState.load({ file: cacheStateFileOf(absRoot) });
  const ids = [...(await listObjectIds(cacheDir))].sort();
  const checking = log.progress('Checking the local cache', ids.length);
  const damaged: ObjectProblem[] = [];
  let checked = 0;
  where.now = () =>
    `${checked} of ${ids.length} objects of the local cache were checked${damagedSoFar(damaged)}; nothing was ` +
    `changed: ${again}`;
  await mapPool(ids, jobs, async (md5) => {
    const file = objectPath(cacheDir, md5);
    const info = await stat(file, { bigint: true });
    const actual = md5OfFileSync(file);
    if (actual === contentMd5(md5)) state.set(file, info, actual);
    else damaged.push({ object: md5, file: fileOf(md5) });
    checked++;
    checking.tick();
  });
  checking.done();
  const wanted = [...needers.keys(), out.md5];
  const missing = (await mapPool(wanted, jobs, async (md5) => !(await exists(objectPath(cacheDir, md5))))).filter(
    Boolean,
  ).length;

  // 2. Repair the cache: from a data/ file that still hashes right, else from the remote.
  const unrepaired: ObjectProblem[] = [];
  let repairedCache = 0;
  if (repair && damaged.length > 0)
    where.now = () =>
      `The local cache was checked: ${repairedCache} of ${damaged.length} damaged copies were restored (each ` +
      `whole); nothing is lost: ${again}`;
  for (const problem of damaged) {
    log.warn(`The cache copy of ${problem.file} (object ${problem.object}) is damaged.`, problem);
    if (!repair) continue;
    const dest = objectPath(cacheDir, problem.object);
    let fixed = false;
    for (const relpath of needers.get(problem.object) ?? []) {
      const src = path.join(dir, ...relpath.split('/'));
      if (!(await exists(src)) || md5OfFileSync(src) !== problem.object) continue;
      await copyVerified({ src, dest, md5: problem.object, readOnly: true, what: `${target}/${relpath}` });
      fixed = true;
      break;
    }
    if (!fixed && problem.object === out.md5) fixed = await rebuildList({ dir, root: absRoot, cacheDir, md5: out.md5 });
    const from = fixed ? undefined : await repairSource();
    if (from) {
      try {
        await from.get({ md5: problem.object, file: dest });
        fixed = true;
      } catch (error) {
        if (!isVitrineError(error, 'REMOTE_OBJECT_MISSING') && !isVitrineError(error, 'DATA_CORRUPT')) throw error;
      }
    }
    if (fixed) {
      state.set(dest, await stat(dest, { bigint: true }), contentMd5(problem.object));
      repairedCache++;
      log.info(`Restored the cache copy of ${problem.file}.`);
    } else {
      unrepaired.push(problem);
    }
  }
  await state.save({ log });
  const result: VerifyResult = {
    cache: { checked: ids.length, damaged, repaired: repairedCache, missing },
    remote: null,
  };

  // 3. The remote: every object the current data.dvc needs (files first, the folder list last).
  const remoteUnrepaired: ObjectProblem[] = [];
  if (remote) {
    if (!remote.inspect) {
      const message = `The remote "${remote.name}" cannot be checked object by object.`;
      throw new VitrineError('REMOTE_CANNOT_VERIFY', message, { remote: remote.name });
    }
    // Each object is read whole and hashed (S3's ETag is the md5 of what was uploaded, not of what is stored now).
    const checkingRemote = log.progress(`Reading and checking the remote "${remote.name}"`, wanted.length);
    const remoteDamaged: ObjectProblem[] = [];
    let remoteMissing = 0;
    let remoteChecked = 0;
    const cacheDone =
      damaged.length === 0
        ? 'The local cache was checked: no damaged copy'
        : repair
          ? `The local cache was checked: ${repairedCache} of ${damaged.length} damaged copies restored`
          : `The local cache was checked: ${damaged.length} damaged ${damaged.length === 1 ? 'copy' : 'copies'} found`;
    where.now = () =>
      `${cacheDone}; ${remoteChecked} of ${wanted.length} objects on the remote "${remote.name}" were checked` +
      `${damagedSoFar(remoteDamaged)}; nothing is lost: ${again}`;
    await mapPool(wanted, jobs, async (md5) => {
      const found = await remote.inspect!(md5);
      remoteChecked++;
      checkingRemote.tick();
      if (!found) remoteMissing++;
      else if (found.md5 !== contentMd5(md5)) remoteDamaged.push({ object: md5, file: fileOf(md5) });
    });
    checkingRemote.done();
    let repairedRemote = 0;
    if (repair && remoteDamaged.length > 0)
      where.now = () =>
        `${cacheDone}; ${repairedRemote} of ${remoteDamaged.length} damaged copies on the remote "${remote.name}" ` +
        `were uploaded again (each whole); nothing is lost: ${again}`;
    for (const problem of remoteDamaged.sort((a, b) => Number(a.object === out.md5) - Number(b.object === out.md5))) {
      log.warn(
        `The remote "${remote.name}" holds a damaged copy of ${problem.file} (object ${problem.object}).`,
        problem,
      );
      const source = objectPath(cacheDir, problem.object);
      // Only a cache copy read and hashed again just now replaces the remote's: never one damaged too.
      const good =
        repair &&
        !unrepaired.some((u) => u.object === problem.object) &&
        (await hashFile({ file: source }).catch(() => null)) === contentMd5(problem.object);
      if (good) {
        await remote.put({ md5: problem.object, file: source });
        repairedRemote++;
        log.info(
          `Replaced the damaged copy of ${problem.file} on the remote "${remote.name}" with the good cache copy.`,
        );
      } else {
        remoteUnrepaired.push(problem);
      }
    }
    result.remote = {
      name: remote.name,
      checked: wanted.length,
      damaged: remoteDamaged,
      repaired: repairedRemote,
      missing: remoteMissing,
    };
  }

  const left = repair ? [...unrepaired, ...remoteUnrepaired] : [...damaged, ...(result.remote?.damaged ?? [])];
  if (left.length > 0) {
    const files = left.map((p) => p.file);
    const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? ` and ${files.length - 10} more` : '');
    // Say exactly where good copies were (or would be) looked for, so the named fix is one that can work.
    const from = await repairSource();
    const places = from
      ? `${target}/, the cache or the remote "${from.name}"`
      : `${target}/ or the cache (no remote is set up)`;
    throw new VitrineError(
      'DATA_CORRUPT',
      repair
        ? `Damaged objects with no good copy in ${places}: ${shown}. ` +
            `Put a good copy of each file in ${target}/ and run "npx vitrine data add" ` +
            `(for ${target}.dvc's folder list: the recorded version of every file), or run "npx vitrine data push --verify" ` +
            'on a machine that has good copies and then "npx vitrine data verify --repair" again.'
        : `${plural(left.length, 'damaged object')} found: ${shown}. ` +
            `Run "npx vitrine data verify --repair${remote ? ' --remote' : ''}" to restore them ` +
            // A damaged remote copy is replaced from the local cache; a damaged cache copy from data/ or the remote.
            `from ${(result.remote?.damaged.length ?? 0) > 0 ? 'the local cache, ' : ''}` +
            `${from ? `${target}/ or the remote "${from.name}"` : `${target}/`}.`,
      { ...result, files },
    );
  }
  const r = result.remote;
  const replaced =
    r?.repaired === 0
      ? 'none damaged'
      : `${r?.repaired} damaged ${r?.repaired === 1 ? 'copy' : 'copies'} replaced from the local cache`;
  const remoteLine = r
    ? `; remote "${r.name}": ${r.checked} objects read and checked, ${replaced}, ${r.missing} not uploaded yet`
    : '';
  log.info(
    `Local cache: ${ids.length} objects checked, ${repairedCache} repaired, ${missing} of data.dvc's not here${remoteLine}.`,
  );
  return result;
}

/** " (2 damaged so far)", or nothing. */
function damagedSoFar(found: ObjectProblem[]): string {
  return found.length > 0 ? ` (${found.length} damaged so far)` : '';
}

/** Write data.dvc's folder list again from data/, when data/ holds exactly the recorded version. */
async function rebuildList({
  dir,
  root,
  cacheDir,
  md5,
}: {
  dir: string;
  root: string;
  cacheDir: string;
  md5: string;
}): Promise<boolean> {
  let tree;
  try {
    tree = await hashTree({ dir, root, stateFile: stateFileOf(root) });
  } catch (error) {
    if (isVitrineError(error, 'DATA_MISSING')) return false;
    throw error;
  }
  if (tree.md5 !== md5) return false;
  await writeManifest({ cacheDir, entries: tree.entries });
  return true;
}
