import { createHash } from 'node:crypto';
import { readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
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
