import path from 'node:path';
import { readJsonOrNull } from '../catalogue/read.ts';
import { hashFile } from '../data/hash.ts';
import { datasetFile, readDataset } from '../dataset/read.ts';
import { writeJsonAtomic } from '../fs.ts';
import type { Workspace } from '../paths.ts';
import type { Annotation } from '../types.ts';
import { listWords, plural } from '../words.ts';

/*
 * Whether the production model's annotations (.vitrine/registry/annotations.json) were made for the collection as
 * it is: the catalogue annotates it again when objects were added or photographed again since. A stamp in
 * .vitrine/cache records the dataset and the annotations they were made for (or last found to cover), so that
 * neither file is read at every run (seconds at 100,000 objects), and objects the model could make nothing of (no
 * usable embedding) are not taken for new ones at every run.
 */

interface Stamp {
  dataset: string;
  annotations: string;
  madeBy: string[];
}

function stampFile(ws: Workspace): string {
  return path.join(ws.cache, 'annotations-coverage.json');
}

async function currentHashes({ ws, annotations }: { ws: Workspace; annotations: string }) {
  return { dataset: await hashFile({ file: datasetFile(ws) }), annotations: await hashFile({ file: annotations }) };
}

/** Record that `annotations` (the file) were made by `madeBy` for today's dataset. Only a cache: failures are ignored. */
export async function recordAnnotationsMade({
  ws,
  annotations,
  madeBy,
}: {
  ws: Workspace;
  annotations: string;
  madeBy: string[];
}): Promise<void> {
  try {
    const value: Stamp = { ...(await currentHashes({ ws, annotations })), madeBy };
    await writeJsonAtomic({ file: stampFile(ws), value });
  } catch {
    // The next check reads both files instead.
  }
}

/**
 * Whether the annotations in `annotations` (the file) cover today's collection (`stale`: '' when they do, else what
 * they miss in words; null when they cannot be read, so are to be written again) and which versions made them.
 */
export async function annotationsCoverage({
  ws,
  annotations: file,
}: {
  ws: Workspace;
  annotations: string;
}): Promise<{ stale: string | null; madeBy: string[] }> {
  const now = await currentHashes({ ws, annotations: file });
  const stamp = (await readJsonOrNull({ file: stampFile(ws) }).catch(() => null)) as Partial<Stamp> | null;
  if (stamp?.dataset === now.dataset && stamp.annotations === now.annotations && Array.isArray(stamp.madeBy))
    return { stale: '', madeBy: stamp.madeBy.map(String) };
  const annotations = (await readJsonOrNull({ file }).catch(() => null)) as Annotation[] | null;
  if (!Array.isArray(annotations)) return { stale: null, madeBy: [] };
  const stale = await photographsNotAnnotated({ ws, annotations });
  const madeBy = [...new Set(annotations.map((a) => a.modelVersion))];
  if (stale === '') await recordAnnotationsMade({ ws, annotations: file, madeBy });
  return { stale, madeBy };
}

/**
 * What the collection has that `annotations` were not made for, in words ("2 objects were added (DM-0301, DM-0302)
 * and 1 given a new photograph (DM-0007)"); '' when they cover it.
 * Annotations written before they recorded the photograph (`imageMd5`) count as made for the object's photograph.
 */
async function photographsNotAnnotated({ ws, annotations }: { ws: Workspace; annotations: Annotation[] }) {
  const made = new Map(annotations.map((a) => [a.id, a.imageMd5]));
  const added: string[] = [];
  const rephotographed: string[] = [];
  for (const o of (await readDataset({ ws })).objects) {
    // A photograph that cannot be used gets no annotation: the catalogue says why instead.
    if (o.image === '' || !o.imageMd5) continue;
    if (!made.has(o.id)) added.push(o.id);
    else if (made.get(o.id) !== undefined && made.get(o.id) !== o.imageMd5) rephotographed.push(o.id);
  }
  const said = [
    added.length
      ? `${plural(added.length, 'object')} ${added.length === 1 ? 'was' : 'were'} added (${listWords(added, { max: 5 })})`
      : '',
    rephotographed.length
      ? `${rephotographed.length} given a new photograph (${listWords(rephotographed, { max: 5 })})`
      : '',
  ].filter(Boolean);
  return listWords(said);
}
