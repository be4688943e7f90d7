import path from 'node:path';
import { listWords, stateFileOf } from '../data/ops.ts';
import { VitrineError } from '../errors.ts';
import { shellText } from '../init/invocation.ts';
import { type Params, paramAt } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { datasetStage } from '../stages/dataset.ts';
import { hashPath, readLock } from '../stages/graph.ts';

/*
 * A rollback annotates the objects of the dataset last built (.vitrine/dataset), with the labels it was built
 * from. When data/, labels.csv or the dataset's settings changed since the dataset stage last ran (another branch
 * checked out, labels edited, a new import), those are another collection's objects and labels: the annotations
 * the catalogue publishes, and the agreement with people the rollback reports, would be theirs. `vitrine run
 * catalogue --single` warns of the same (warnStaleUpstream in stages/graph.ts) and goes on, as asked; a rollback
 * writes what the public sees and is refused before anything changes: building the dataset is one command.
 */

/** The dataset stage's inputs that differ from its last run ("data", "labels.csv", "params.yaml dataset"), in order. */
export async function datasetChangedSince({ ws, params }: { ws: Workspace; params: Params }): Promise<string[]> {
  const previous = (await readLock({ file: ws.lock })).stages.dataset;
  // Never run here through the stage graph (a dataset copied in, a fresh runner): nothing to compare with.
  if (!previous) return [];
  const stateFile = stateFileOf(ws.root);
  const changed: string[] = [];
  for (const p of datasetStage.deps.paths)
    if (previous.deps.paths[p] !== (await hashPath({ file: path.join(ws.root, p), stateFile }))) changed.push(p);
  for (const key of datasetStage.deps.params)
    if (JSON.stringify(previous.deps.params[key] ?? null) !== JSON.stringify(paramAt(params, key) ?? null))
      changed.push(`params.yaml ${key}`);
  return changed;
}

/** Refuse a rollback while the dataset was built from other files than the ones checked out. */
export async function checkDatasetCurrent({
  ws,
  params,
  version,
  prod,
  reason,
}: {
  ws: Workspace;
  params: Params;
  /** The version being put back, and the one in production now. */
  version: string;
  prod: string | null;
  /** The rollback's --reason, kept in the command it suggests (a reviewer: it was dropped). */
  reason?: string;
}): Promise<void> {
  const changed = await datasetChangedSince({ ws, params });
  if (changed.length === 0) return;
  const named = changed.map((c) => (c === 'data' ? 'data/' : c));
  const list = listWords(named);
  throw new VitrineError(
    'ROLLBACK_DATASET_STALE',
    `${list} changed since the dataset was last built (another branch checked out, files or settings edited, or a ` +
      'new import): the ' +
      'rollback would annotate the objects and labels of that earlier dataset, not the ones here, and the ' +
      `catalogue would show those annotations. Production was not changed (it is still ${prod ?? 'none'}). ` +
      `Build the dataset from the files as they are now, then roll back again: npx vitrine run dataset, then ` +
      `npx vitrine models rollback ${version}${reason ? ` --reason ${shellText(reason)}` : ''}`,
    { changed },
  );
}
