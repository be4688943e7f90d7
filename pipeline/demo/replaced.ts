import { createHash } from 'node:crypto';
import { readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { objectLookup } from '../data/cache.ts';
import { readDvcConfig } from '../data/config.ts';
import { parseDvcFile } from '../data/dvcfile.ts';
import { loadManifest } from '../data/ops.ts';
import { openRemote, type Remote } from '../data/remote.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';

/*
 * `vitrine demo` rewrites data.dvc for the data/ it generates. In a clone, data/ is not there to show what
 * the old data.dvc recorded (objects someone added, a batch): the demo cannot tell before it has run, so it
 * keeps a copy of a data.dvc that it did not write itself, and drops the copy when data.dvc came out unchanged
 * (written first all the same: a run stopped between the two still leaves the old data.dvc somewhere).
 */

const recordFile = (ws: Workspace) => path.join(ws.work, 'demo', 'data-dvc.json');
const md5Of = (text: string) => createHash('md5').update(text).digest('hex');

/** A copy of data.dvc kept before the demo rewrites it: where it is, and the text it holds. */
export interface KeptDataDvc {
  /** The copy's path, relative to the repository (forward slashes). */
  copy: string;
  text: string;
}

/**
 * Keep a copy of data.dvc under `.vitrine/demo-replaced/<time>/` unless it is absent or is what the demo last
 * wrote (nothing anyone else made). Call before the demo rewrites data.dvc; then call settleDataDvc.
 */
export async function keepDataDvc({
  ws,
  now = new Date(),
}: {
  ws: Workspace;
  now?: Date;
}): Promise<KeptDataDvc | null> {
  const text = await readFile(ws.dataDvc, 'utf8').catch(() => null);
  if (text === null) return null;
  const last = await readFile(recordFile(ws), 'utf8')
    .then((t) => (JSON.parse(t) as { md5?: string }).md5)
    .catch(() => undefined);
  if (last === md5Of(text)) return null;
  return { copy: await keepAside({ ws, name: 'data.dvc', text, now }), text };
}

/**
 * Copy a file the demo is about to replace to `.vitrine/demo-replaced/<time>/<name>` (temp file, then rename);
 * its path from the repository, as messages show it.
 */
export async function keepAside({
  ws,
  name,
  text,
  now = new Date(),
}: {
  ws: Workspace;
  name: string;
  text: string;
  now?: Date;
}): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const file = path.join(ws.work, 'demo-replaced', stamp, name);
  await writeFileAtomic({ file, data: text });
  return path.relative(ws.root, file).split(path.sep).join('/');
}

/**
 * After the demo rewrote data.dvc: remember it as the demo's own, and say whether the kept copy is still
 * needed (data.dvc changed). An unneeded copy is removed.
 */
export async function settleDataDvc({ ws, kept }: { ws: Workspace; kept: KeptDataDvc | null }): Promise<boolean> {
  const text = await readFile(ws.dataDvc, 'utf8');
  await writeJsonAtomic({ file: recordFile(ws), value: { md5: md5Of(text) } });
  if (!kept) return false;
  if (kept.text !== text) return true;
  const folder = path.join(ws.root, path.dirname(kept.copy));
  await rm(folder, { recursive: true, force: true });
  // Nor the folder of copies, unless it holds others: a fresh clone's first run kept nothing.
  await rmdir(path.dirname(folder)).catch(() => {});
  return false;
}

/**
 * The warning for a data.dvc the demo replaced (settleDataDvc said its copy is needed): where the copy is, and what
 * going back to the data it records takes here. "Copy it over data.dvc and run data pull" only where its files are in
 * this machine's DVC cache or on the data remote: in a clone they are often in neither (the demo's remote folder is
 * ignored by git, so a clone starts it empty), and the pull would fail.
 */
export async function keptDataDvcWarning({
  ws,
  kept,
  log,
}: {
  ws: Workspace;
  kept: KeptDataDvc;
  /** Where the data remote, when asked for the old files, says it corrected this computer's clock. */
  log?: Logger;
}): Promise<string> {
  const said =
    'data.dvc recorded another data/ folder than the one the demo generates (objects added to it, or a demo with ' +
    `other settings): it now records the demo's. The old data.dvc is kept in ${kept.copy}.`;
  const { found, remote } = await recordedFilesHere({ ws, text: kept.text, ...(log ? { log } : {}) });
  if (found) return `${said} To go back to that data, copy it over data.dvc and run "vitrine data pull".`;
  const where = remote
    ? `are neither in this machine's DVC cache nor on the data remote "${remote.name}" (${shownPath(ws, remote.url)})`
    : "are not in this machine's DVC cache, and no data remote is set up";
  return (
    `${said} The files it records ${where}, so "vitrine data pull" cannot fetch them here. They are only on the ` +
    'computer that made that data.dvc, or a remote it sent them to (a clone does not bring a remote folder that git ' +
    "ignores, such as the demo's)."
  );
}

/** Whether every file `text` (a data.dvc) records is in the local cache or on the default remote. */
async function recordedFilesHere({
  ws,
  text,
  log,
}: {
  ws: Workspace;
  text: string;
  log?: Logger;
}): Promise<{ found: boolean; remote: Remote | null }> {
  const remote = await openRemote({ root: ws.root, ...(log ? { log } : {}) }).catch(() => null);
  let md5: string | undefined;
  try {
    md5 = parseDvcFile({ text, file: 'data.dvc' }).outs[0]?.md5;
  } catch {
    return { found: false, remote };
  }
  if (!md5) return { found: false, remote };
  const { cacheDir } = await readDvcConfig({ root: ws.root });
  // A folder's list of files, then each file: from the cache, else the remote (as "data pull" fetches them).
  const entries = await loadManifest({ cacheDir, md5, ...(remote ? { remote } : {}) }).catch(() => null);
  if (!entries) return { found: false, remote };
  const inCache = await objectLookup(cacheDir);
  const onRemote = remote?.list ? await remote.list().catch(() => new Set<string>()) : null;
  for (const e of entries) {
    if (inCache(e.md5) || onRemote?.has(e.md5)) continue;
    if (onRemote || !remote || !(await remote.has(e.md5).catch(() => false))) return { found: false, remote };
  }
  return { found: true, remote };
}

/** A remote's url as messages show it: relative to the repository when inside it. */
function shownPath(ws: Workspace, url: string): string {
  const relative = path.relative(ws.root, url);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : url;
}
