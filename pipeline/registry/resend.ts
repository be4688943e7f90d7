import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { hashFile, mapPool } from '../data/hash.ts';
import { isVitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import { listWords } from '../words.ts';
import { evidenceStagingDir } from './publish.ts';
import { readRegistry } from './registry.ts';
import { type Manifest, type ModelRemote, versionCacheDir } from './store.ts';

/*
 * A registered version's model files and evidence live on the data remote under their md5; the registration tag
 * only lists them. When the remote loses them (a bucket deleted and made again, a provider's lifecycle rule), no
 * other machine can build that version's card or roll back to it, and `data push` does not notice: it sends
 * data.dvc's objects only. This sends them again from the copies this machine still has (an outside tester).
 */

/** A registered file the remote lacks and this machine has no copy of. */
export interface LostFile {
  version: string;
  relpath: string;
  md5: string;
  /** One of the model's files, or of the evidence kept for its card (which holds a copy of model-info.json). */
  part: 'model' | 'evidence';
}

/** A lost file as a message names it: "v1.0.0 model.json", "v1.0.0 model-info.json (evidence)". */
export function lostFileName(file: { version: string; relpath: string; part: LostFile['part'] }): string {
  return `${file.version} ${file.relpath}${file.part === 'evidence' ? ' (evidence)' : ''}`;
}

/**
 * Check every registered version's model files and evidence on `remote`; send those it lacks from this machine's
 * copies (the versions' folders in .vitrine/cache/registry, .vitrine/model, the staged evidence). Returns what was
 * sent, what was there, and the files found in neither place, by version.
 */
export async function sendRegisteredFiles({
  ws,
  name,
  remote,
  from,
  jobs = 8,
  log,
}: {
  ws: Workspace;
  /** The model's name (registry.model_name in params.yaml). */
  name: string;
  remote: ModelRemote;
  /**
   * Another remote that may hold what this machine has no copy of: the old one, when the remote was moved
   * (`data push --all --from`). Its copies pass through a temp file in .vitrine/.
   */
  from?: ModelRemote;
  /** Files asked about at once: one at a time, each promotion made it slower. */
  jobs?: number;
  log: Logger;
}): Promise<{ sent: number; present: number; lost: LostFile[] }> {
  // Each content once, with every place it may be found on this machine (the same file often serves two versions).
  const wanted = [...(await registeredFiles({ ws, name }))];
  const there = await mapPool(wanted, jobs, ([md5, places]) => remote.has(md5, { size: places[0]?.size }));
  let sent = 0;
  let present = 0;
  const lost: LostFile[] = [];
  for (const [i, [md5, places]] of wanted.entries()) {
    if (there[i]) {
      present += 1;
      continue;
    }
    let copy: string | undefined;
    for (const { relpath, sources } of places) {
      copy = await localCopy({ sources, relpath, md5 });
      if (copy) break;
    }
    if (!copy && from && (await relay({ ws, md5, from, remote }))) {
      // One line per file, for --verbose; the count is the caller's to say, once.
      log.debug(`registered model file ${md5} copied from ${from.name ?? from.url}`);
      sent += 1;
      continue;
    }
    if (!copy) {
      for (const { version, relpath, part } of places) lost.push({ version, relpath, md5, part });
      continue;
    }
    await remote.put({ md5, file: copy });
    sent += 1;
  }
  return { sent, present, lost };
}

/** Copy `md5` from `from` to `remote` through a temp file in .vitrine/; false when `from` lacks it. */
async function relay({
  ws,
  md5,
  from,
  remote,
}: {
  ws: Workspace;
  md5: string;
  from: ModelRemote;
  remote: ModelRemote;
}): Promise<boolean> {
  await mkdir(ws.work, { recursive: true });
  const dir = await mkdtemp(path.join(ws.work, 'relay-'));
  const file = path.join(dir, md5);
  try {
    await from.get({ md5, file });
    // The copy is checked against its name: a damaged one is not passed on.
    if ((await hashFile({ file })) !== md5) return false;
    await remote.put({ md5, file });
    return true;
  } catch (error) {
    if (isVitrineError(error, 'REMOTE_OBJECT_MISSING') || isVitrineError(error, 'DATA_CORRUPT')) return false;
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first of `sources` holding `relpath` with content `md5`, as a file path; undefined when none does. */
async function localCopy({
  sources,
  relpath,
  md5,
}: {
  sources: string[];
  relpath: string;
  md5: string;
}): Promise<string | undefined> {
  // The tag's file list is text anyone who can push a tag wrote: only a plain path inside the folder is read.
  const parts = relpath.split('/');
  if (relpath.startsWith('/') || relpath.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..'))
    return undefined;
  for (const source of sources) {
    const file = path.join(source, ...parts);
    const found = await hashFile({ file }).catch(() => undefined);
    if (found === md5) return file;
  }
  return undefined;
}

/** A remote that can read an object whole and hash it (the data remotes), or only say whether it has it. */
type CheckedRemote = ModelRemote & { inspect?(md5: string): Promise<{ size: number; md5: string } | null> };

/** What `data verify --remote` found of the registered versions' files on the remote. */
export interface RegisteredFilesCheck {
  /** Distinct files checked. */
  checked: number;
  /** Files the remote lacks, by version. */
  missing: LostFile[];
  /** Files whose copy on the remote is not their content, by version, not replaced. */
  damaged: LostFile[];
  /** Damaged copies replaced from this machine's copies (`repair`). */
  repaired: number;
}

/**
 * Read and hash every registered version's model files and evidence on `remote` (only ask whether it has them, when
 * it cannot be read object by object), as `data verify --remote` does data.dvc's objects; with `repair`, a damaged
 * copy is replaced from this machine's copies of the version (those `models push --files` sends).
 */
export async function checkRegisteredFiles({
  ws,
  name,
  remote,
  repair = false,
  jobs = 8,
  log,
}: {
  ws: Workspace;
  /** The model's name (registry.model_name in params.yaml). */
  name: string;
  remote: CheckedRemote;
  repair?: boolean;
  /** Files read at once (`--jobs`), as data.dvc's objects are: one at a time, each promotion made it slower. */
  jobs?: number;
  log: Logger;
}): Promise<RegisteredFilesCheck> {
  const wanted = [...(await registeredFiles({ ws, name }))];
  const result: RegisteredFilesCheck = { checked: wanted.length, missing: [], damaged: [], repaired: 0 };
  const progress = log.progress(`Reading and checking the registered model files on "${remote.name}"`, wanted.length);
  const inspected = await mapPool(wanted, jobs, async ([md5]) => {
    const found = remote.inspect ? await remote.inspect(md5) : (await remote.has(md5)) ? { md5 } : null;
    progress.tick();
    return found;
  });
  // What was found is said in the files' order, whichever download ended first; replacements one at a time.
  for (const [i, [md5, places]] of wanted.entries()) {
    const found = inspected[i];
    if (!found) {
      for (const { version, relpath, part } of places) result.missing.push({ version, relpath, md5, part });
      continue;
    }
    if (found.md5 === md5) continue;
    let copy: string | undefined;
    for (const { relpath, sources } of repair ? places : []) {
      copy = await localCopy({ sources, relpath, md5 });
      if (copy) break;
    }
    if (copy) {
      await remote.put({ md5, file: copy });
      result.repaired += 1;
      const first = places[0]!;
      log.info(
        `Replaced the damaged copy of ${lostFileName(first)} on the remote "${remote.name}" with this ` +
          "machine's copy.",
      );
      continue;
    }
    for (const { version, relpath, part } of places) result.damaged.push({ version, relpath, md5, part });
  }
  progress.done();
  return result;
}

/** Each registered file's content once, with every version and path it serves and where this machine may have it. */
/** Where one registered file is listed: which version, its path in the folder, and where this machine may hold it. */
interface RegisteredPlace {
  version: string;
  relpath: string;
  part: LostFile['part'];
  sources: string[];
  /** Its size, as the registration lists it (a copy of another size on the remote is not one). */
  size: number;
}

async function registeredFiles({ ws, name }: { ws: Workspace; name: string }): Promise<Map<string, RegisteredPlace[]>> {
  const state = await readRegistry({ dir: ws.root, name });
  const wanted = new Map<string, RegisteredPlace[]>();
  for (const { version, registration } of state.versions) {
    if (!registration) continue;
    const cache = versionCacheDir({ ws, name, version });
    const folders: [Manifest | null | undefined, LostFile['part'], string[]][] = [
      [registration.manifest, 'model', [cache, ws.model]],
      [registration.evidence, 'evidence', [`${cache}.evidence`, evidenceStagingDir(ws)]],
    ];
    for (const [manifest, part, sources] of folders)
      for (const { md5, relpath, size } of manifest?.files ?? [])
        wanted.set(md5, [...(wanted.get(md5) ?? []), { version, relpath, part, sources, size }]);
  }
  return wanted;
}

/** The problems `checkRegisteredFiles` left, one message each, with what to run; none when all is well. */
export function registeredFilesProblems({ check, remote }: { check: RegisteredFilesCheck; remote: string }): string[] {
  const named = (files: LostFile[]) => {
    const shown = files.slice(0, 10).map(lostFileName);
    return `${shown.join(', ')}${files.length > 10 ? ` and ${files.length - 10} more` : ''}`;
  };
  const of = (files: LostFile[]) => {
    const versions = [...new Set(files.map((l) => l.version))];
    return (
      `${files.length} file${files.length === 1 ? '' : 's'} of the registered model ` +
      `version${versions.length === 1 ? '' : 's'} ${listWords(versions)} (${named(files)})`
    );
  };
  const without =
    'without them, those versions’ model cards cannot be rebuilt on another machine and production cannot be rolled ' +
    'back to them';
  const problems: string[] = [];
  if (check.missing.length > 0)
    problems.push(
      `The data remote "${remote}" lacks ${of(check.missing)}: ${without}. Run "npx vitrine models push --files" ` +
        'to send them from this machine’s copies (on the machine that promoted those versions, if this one has none).',
    );
  if (check.damaged.length > 0)
    problems.push(
      `The data remote "${remote}" holds damaged copies of ${of(check.damaged)}: ${without}. Run "npx vitrine data ` +
        'verify --remote --repair" to replace them from this machine’s copies (on the machine that promoted those ' +
        'versions, if this one has none).',
    );
  return problems;
}
