import { readlinkSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { shownName } from '../cli/shown.ts';
import { isVitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import { objectLookup, readCachedManifest } from './cache.ts';
import { readDvcConfig } from './config.ts';
import { readDvcFile, resolveOutPath } from './dvcfile.ts';
import { listFiles } from './hash.ts';
import { linkBackInto } from './links.ts';

/*
 * Which files data.dvc records that the data folder does not hold, without hashing anything: the stages
 * ask before reading the collection, so that an unpulled or half-pulled data/ is said once, up front.
 */

export interface RecordedPresence {
  /** How many files data.dvc records (from its nfiles, else from the file list). */
  nfiles: number | undefined;
  /** Whether the folder exists at all. */
  folder: boolean;
  /** Recorded relpaths the folder lacks; null when the recorded file list is not in the local cache. */
  missing: string[] | null;
  /** Of `missing`, those whose content is not in the local cache either (never fetched). */
  notFetched: string[] | null;
  /**
   * Of `notFetched`, those whose content the last "data pull" found missing on the remote (pulling again
   * cannot help), with the remote's name; null when that pull left no record.
   */
  missingOnRemote: { remote: string; files: string[] } | null;
  /** Files in the folder now. */
  present: number;
  /** Folders in the data folder that are symbolic links (relpaths): not looked into, so their files are missing. */
  linkedFolders: string[];
  /** Symbolic links in the data folder whose target is gone (relpaths): not files, so missing too. */
  brokenLinks: string[];
}

/** Compare `<target>.dvc` with the folder; null when the folder is not versioned. */
export async function recordedPresence({
  root,
  target = 'data',
  log,
}: {
  root: string;
  target?: string;
  /** Told about each linked folder in the data folder (its files are not read, so they count as missing). */
  log?: Logger;
}): Promise<RecordedPresence | null> {
  const absRoot = path.resolve(root);
  const dvcFile = path.join(absRoot, `${target}.dvc`);
  let out: Awaited<ReturnType<typeof readDvcFile>>['outs'][number] | undefined;
  try {
    out = (await readDvcFile({ file: dvcFile })).outs[0];
  } catch (error) {
    if (isVitrineError(error, 'DATA_NOT_TRACKED')) return null;
    throw error;
  }
  if (!out?.md5?.endsWith('.dir')) return null;
  const dir = resolveOutPath({ root: absRoot, dvcFile, out });
  const linkedFolders: string[] = [];
  const brokenLinks: string[] = [];
  const files = await listFiles({ dir, root: absRoot, linkedFolders, brokenLinks }).catch((error) => {
    if (isVitrineError(error, 'DATA_MISSING')) return null;
    throw error;
  });
  for (const folder of linkedFolders) {
    const link = path.join(dir, ...folder.split('/'));
    const to = readlinkSync(link);
    // A link back into the folder (a loop): the advice is to delete it, not to put anything in its place.
    const back = linkBackInto({ dir, link, target });
    if (back) {
      log?.warn(back.replace('so nothing was changed', 'so the files in it are not read'), {
        file: `${target}/${folder}`,
      });
      continue;
    }
    log?.warn(
      `${shownName(`${target}/${folder}`)} is a link to another folder (${shownName(to)}), and Vitrine does not look ` +
        'into linked folders: the files in it are not read. ' +
        `Put the folder itself in ${target}/ in place of the link.`,
      { file: `${target}/${folder}` },
    );
  }
  const { cacheDir } = await readDvcConfig({ root: absRoot });
  const manifest = await readCachedManifest({ cacheDir, md5: out.md5, target }).catch((error) => {
    // A list made by hand is refused here too, rather than read as "not fetched yet".
    if (isVitrineError(error, 'DATA_MANIFEST_INVALID')) throw error;
    return undefined;
  });
  const result: RecordedPresence = {
    nfiles: out.nfiles ?? manifest?.length,
    folder: files !== null,
    missing: null,
    notFetched: null,
    missingOnRemote: null,
    present: files?.length ?? 0,
    linkedFolders,
    brokenLinks,
  };
  if (!manifest) return result;
  const have = new Set(files ?? []);
  const missing = manifest.filter((e) => !have.has(e.relpath));
  result.missing = missing.map((e) => e.relpath);
  const held = missing.length > 0 ? await objectLookup(cacheDir) : () => true;
  const notFetched = missing.filter((e) => !held(e.md5));
  result.notFetched = notFetched.map((e) => e.relpath);
  const lacked = notFetched.length > 0 ? await readMissingOnRemote({ root: absRoot, target }) : null;
  if (lacked) {
    const objects = new Set(lacked.objects);
    const files = notFetched.filter((e) => objects.has(e.md5)).map((e) => e.relpath);
    if (files.length > 0) result.missingOnRemote = { remote: lacked.remote, files };
  }
  return result;
}

/** Where "data pull" notes the objects the remote did not have (in .dvc/tmp, which git ignores). */
export function missingOnRemoteFileOf({ root, target = 'data' }: { root: string; target?: string }): string {
  return path.join(path.resolve(root), '.dvc', 'tmp', `vitrine-pull-missing-${encodeURIComponent(target)}.json`);
}

/** Note (or, with none, forget) the objects the remote lacked in this pull. */
export async function recordMissingOnRemote({
  root,
  target = 'data',
  remote,
  objects,
}: {
  root: string;
  target?: string;
  remote: string;
  objects: string[];
}): Promise<void> {
  const file = missingOnRemoteFileOf({ root, target });
  if (objects.length === 0) await rm(file, { force: true });
  else await writeJsonAtomic({ file, value: { remote, objects } });
}

/** The objects the last pull found missing on the remote; null without a (readable) record. */
async function readMissingOnRemote({
  root,
  target,
}: {
  root: string;
  target: string;
}): Promise<{ remote: string; objects: string[] } | null> {
  const text = await readFile(missingOnRemoteFileOf({ root, target }), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as { remote?: unknown; objects?: unknown };
    if (typeof value.remote !== 'string' || !Array.isArray(value.objects)) return null;
    return { remote: value.remote, objects: value.objects.filter((o): o is string => typeof o === 'string') };
  } catch {
    return null; // A damaged note is only a hint lost: the advice falls back to "pull again".
  }
}
