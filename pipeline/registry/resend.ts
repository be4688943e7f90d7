import path from 'node:path';
import { hashFile } from '../data/hash.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
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
  log,
}: {
  ws: Workspace;
  /** The model's name (registry.model_name in params.yaml). */
  name: string;
  remote: ModelRemote;
  log: Logger;
}): Promise<{ sent: number; present: number; lost: LostFile[] }> {
  const state = await readRegistry({ dir: ws.root, name });
  // Each content once, with every place it may be found on this machine (the same file often serves two versions).
  const wanted = new Map<string, { version: string; relpath: string; sources: string[] }[]>();
  for (const { version, registration } of state.versions) {
    if (!registration) continue;
    const cache = versionCacheDir({ ws, name, version });
    const folders: [Manifest | null | undefined, string[]][] = [
      [registration.manifest, [cache, ws.model]],
      [registration.evidence, [`${cache}.evidence`, evidenceStagingDir(ws)]],
    ];
    for (const [manifest, sources] of folders)
      for (const { md5, relpath } of manifest?.files ?? [])
        wanted.set(md5, [...(wanted.get(md5) ?? []), { version, relpath, sources }]);
  }
  let sent = 0;
  let present = 0;
  const lost: LostFile[] = [];
  for (const [md5, places] of wanted) {
    if (await remote.has(md5)) {
      present += 1;
      continue;
    }
    let copy: string | undefined;
    for (const { relpath, sources } of places) {
      copy = await localCopy({ sources, relpath, md5 });
      if (copy) break;
    }
    if (!copy) {
      for (const { version, relpath } of places) lost.push({ version, relpath, md5 });
      continue;
    }
    await remote.put({ md5, file: copy });
    sent += 1;
  }
  log.debug(`registered model files: ${sent} sent to ${remote.url}, ${present} already there, ${lost.length} lost`);
  return { sent, present, lost };
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
