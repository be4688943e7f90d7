import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { hashFile, manifestHash } from '../data/hash.ts';
import { movedRemoteWords } from '../data/pushed.ts';
import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';

/*
 * A model version's files, content-addressed: each file is stored in the data remote under its md5
 * (like DVC's cache), and the registration tag lists relpath → md5 (a DVC-style `.dir` listing), so
 * any machine with the repository and the remote can rebuild the folder.
 */

/** What the registry needs from a data remote (`openRemote` in pipeline/data). */
export interface ModelRemote {
  /** The remote's name in `.dvc/config`. */
  name?: string;
  /** Where the remote is, for messages. */
  url: string;
  /** Whether the remote holds `md5` (at `known.size`, when given: a copy cut short is not one). */
  has(md5: string, known?: { size?: number }): Promise<boolean>;
  put(input: { md5: string; file: string }): Promise<void>;
  get(input: { md5: string; file: string }): Promise<void>;
}

/** One file of a stored folder. */
export interface ManifestEntry {
  /** Path inside the model folder, forward slashes. */
  relpath: string;
  md5: string;
  size: number;
}

/** A stored folder's file list (DVC `.dir` style). */
export interface Manifest {
  /** DVC `.dir` hash of the listing (md5 of DVC's JSON listing, ending in ".dir"). */
  md5: string;
  files: ManifestEntry[];
}

/** List and hash every file of a folder (recursively): the folder's manifest. */
export async function manifestOf({ dir }: { dir: string }): Promise<Manifest> {
  const files: ManifestEntry[] = [];
  const walk = async (sub: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(dir, sub), { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new VitrineError(
          'MODEL_MISSING',
          `There is no trained model in "${dir}". Run the train stage first (vitrine run train).`,
          { file: dir },
        );
      }
      throw error;
    }
    for (const entry of entries) {
      const relpath = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(relpath);
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) {
        const file = path.join(dir, relpath);
        files.push({ relpath, md5: await hashFile({ file }), size: (await stat(file)).size });
      }
    }
  };
  await walk('');
  files.sort((a, b) => (a.relpath < b.relpath ? -1 : a.relpath > b.relpath ? 1 : 0));
  if (files.length === 0)
    throw new VitrineError(
      'MODEL_MISSING',
      `The model folder "${dir}" is empty. Run the train stage first (vitrine run train).`,
      { file: dir },
    );
  return { md5: manifestHash(files), files };
}

/** Upload a folder's files to the remote; files it already has are skipped. Returns how many were sent. */
export async function pushFiles({
  dir,
  manifest,
  remote,
  log,
}: {
  dir: string;
  manifest: Manifest;
  remote: ModelRemote;
  log: Logger;
}): Promise<{ sent: number; present: number }> {
  let sent = 0;
  let present = 0;
  for (const entry of manifest.files) {
    if (await remote.has(entry.md5, { size: entry.size })) {
      present += 1;
      continue;
    }
    await remote.put({ md5: entry.md5, file: path.join(dir, entry.relpath) });
    sent += 1;
  }
  log.debug(`model files: ${sent} sent to ${remote.url}, ${present} already there`);
  return { sent, present };
}

/**
 * A registration tag's file list is text anyone who can push a tag wrote: every entry must name a file
 * inside the model folder by an md5, as `manifestOf` writes them, before anything is read or written.
 */
function checkEntries(manifest: Manifest): void {
  for (const { relpath, md5 } of manifest.files) {
    const shown = JSON.stringify(relpath).slice(0, 80);
    const invalid = (problem: string) =>
      new VitrineError(
        'REGISTRY_FILES_INVALID',
        `The model version's file list (${manifest.md5}) is not valid: ${problem} Vitrine wrote nothing. ` +
          'The registration tag was not written by Vitrine: see who pushed it ("git show <tag>").',
        { relpath, md5: manifest.md5 },
      );
    const parts = relpath.split('/');
    if (relpath.startsWith('/') || relpath.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..'))
      throw invalid(`its entry ${shown} does not name a file inside the model folder.`);
    if (!/^[0-9a-f]{32}$/.test(md5)) throw invalid(`its entry ${shown} has ${JSON.stringify(md5)}, not an md5.`);
  }
}

/** True when `dir` holds exactly the manifest's files with the right content. */
export async function folderMatches({ dir, manifest }: { dir: string; manifest: Manifest }): Promise<boolean> {
  checkEntries(manifest);
  for (const entry of manifest.files) {
    const file = path.join(dir, entry.relpath);
    try {
      const info = await stat(file);
      if (info.size !== entry.size) return false;
      if ((await hashFile({ file })) !== entry.md5) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Build `dir` from the manifest: each file is copied from `sources` (local folders that may hold it,
 * such as `.vitrine/model`) when its md5 matches, otherwise fetched from the remote. The folder is
 * assembled under a temp name and renamed, so a half-restored model is never seen.
 */
export async function restoreFolder({
  dir,
  manifest,
  sources = [],
  remote,
  log,
}: {
  dir: string;
  manifest: Manifest;
  sources?: string[];
  remote: (() => Promise<ModelRemote>) | null;
  log: Logger;
}): Promise<{ copied: number; fetched: number }> {
  checkEntries(manifest);
  const temp = `${dir}.${randomBytes(6).toString('hex')}.tmp`;
  let copied = 0;
  let fetched = 0;
  let opened: ModelRemote | null = null;
  try {
    for (const entry of manifest.files) {
      const target = path.join(temp, entry.relpath);
      await mkdir(path.dirname(target), { recursive: true });
      let found = false;
      for (const source of sources) {
        const candidate = path.join(source, entry.relpath);
        try {
          if ((await hashFile({ file: candidate })) === entry.md5) {
            await copyFile(candidate, target);
            found = true;
            copied += 1;
            break;
          }
        } catch {
          // Not in this source: try the next one.
        }
      }
      if (found) continue;
      if (!remote) {
        throw new VitrineError(
          'MODEL_FILES_UNAVAILABLE',
          `The model file "${entry.relpath}" (md5 ${entry.md5}) is not on this machine and no data remote is configured.`,
          { relpath: entry.relpath, md5: entry.md5 },
        );
      }
      opened ??= await remote();
      try {
        await opened.get({ md5: entry.md5, file: target });
      } catch (error) {
        throw new VitrineError(
          'MODEL_FILES_UNAVAILABLE',
          `The model file "${entry.relpath}" (md5 ${entry.md5}) could not be fetched from the data remote ` +
            `${opened.url}: ${messageOf(error)}${missingAdvice(error, opened)}`,
          { relpath: entry.relpath, md5: entry.md5, remote: opened.url },
          { cause: error },
        );
      }
      const got = await hashFile({ file: target });
      if (got !== entry.md5) {
        throw new VitrineError(
          'MODEL_FILE_CORRUPT',
          `The model file "${entry.relpath}" from ${opened.url} has md5 ${got}, expected ${entry.md5}.`,
          { relpath: entry.relpath },
        );
      }
      fetched += 1;
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.dirname(dir), { recursive: true });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  log.debug(`restored ${dir}: ${copied} files copied locally, ${fetched} fetched`);
  return { copied, fetched };
}

/**
 * Why a registered file may be missing from the remote, said after "is not on the remote": the machine that promoted
 * it could not send it, or the remote was moved without the registry's files (tester T10).
 */
function missingAdvice(error: unknown, remote: ModelRemote): string {
  if (!isVitrineError(error, 'REMOTE_OBJECT_MISSING')) return '';
  return (
    ' The machine that registered this version may not have sent it: there, "npx vitrine models push --files" ' +
    `sends it. ${movedRemoteWords(remote.name ?? remote.url)}`
  );
}

/** Where a version's restored files live: `.vitrine/cache/registry/<name>/<version>/`. */
export function versionCacheDir({ ws, name, version }: { ws: Workspace; name: string; version: string }): string {
  return path.join(ws.cache, 'registry', name, version);
}
