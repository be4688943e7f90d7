import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { readTextOrNull } from '../fs.ts';
import { rel, type Workspace } from '../paths.ts';
import type { Dataset, DatasetObject, StandIn } from '../types.ts';

/*
 * Reading what the dataset stage wrote: one reader for every stage and command (train, evaluate, promote, the
 * monitor, review), kept apart from the stage itself so that reading it does not load the image decoder.
 */

/** `.vitrine/dataset/dataset.json` of a workspace. */
export function datasetFile(ws: Workspace): string {
  return path.join(ws.dataset, 'dataset.json');
}

/**
 * Read `.vitrine/dataset/dataset.json`; DATASET_MISSING when the dataset stage has not run, DATASET_DAMAGED when it
 * is not readable JSON.
 */
export async function readDataset({ ws }: { ws: Workspace }): Promise<Dataset> {
  const file = datasetFile(ws);
  const text = await readTextOrNull({ file });
  if (text === null)
    throw new VitrineError('DATASET_MISSING', `${rel(ws, file)} does not exist: run "vitrine dataset" first.`, {
      file: rel(ws, file),
    });
  const damaged = (why: string) =>
    new VitrineError(
      'DATASET_DAMAGED',
      `${rel(ws, file)} is damaged (${why}), perhaps by a run that was stopped or a full disk. Build it again ` +
        `with "vitrine run dataset --force".`,
      { file: rel(ws, file) },
    );
  let dataset: Dataset;
  try {
    dataset = JSON.parse(text) as Dataset;
  } catch (error) {
    throw damaged(`not valid JSON: ${(error as Error).message}`);
  }
  if (dataset === null || typeof dataset !== 'object' || Array.isArray(dataset))
    throw damaged('it does not hold a dataset');
  if (dataset.schema !== 'vitrine.dataset/1')
    throw new VitrineError(
      'DATASET_SCHEMA',
      `${rel(ws, file)} was written by another version of Vitrine (schema "${dataset.schema}"); run "vitrine dataset" again.`,
      { file: rel(ws, file) },
    );
  return dataset;
}

/**
 * dataset.json read once for what the catalogue shows and what the model reads (readShownDataset): the report and the
 * catalogue speak of the same photographs.
 */
export interface ShownDataset {
  /** As written: a stand-in's objects without a picture, as training, evaluation and annotation read them. */
  dataset: Dataset;
  /** Its objects as the catalogue shows them: a picture kept for showing only (shownOnly) in its object's place. */
  shown: DatasetObject[];
  /** The stand-in picture (IMAGE_PLACEHOLDER) each object shares with others, by object id. */
  standInOf: Map<string, StandIn>;
}

/** A dataset with its objects as the catalogue shows them, and each object's stand-in picture (ShownDataset). */
export function shownDataset(dataset: Dataset): ShownDataset {
  const shown = dataset.objects.map(({ shownOnly, ...o }) => (shownOnly?.image ? { ...o, ...shownOnly } : o));
  return { dataset, shown, standInOf: standInsOf(dataset) };
}

/** The stand-in picture (IMAGE_PLACEHOLDER) each object shares with others, by object id (Dataset.standIns). */
export function standInsOf(dataset: Pick<Dataset, 'objects' | 'standIns'>): Map<string, StandIn> {
  let standIns = dataset.standIns;
  if (!standIns) {
    // Made before they were recorded: the objects showing one file are one stand-in.
    const byFile = new Map<string, StandIn>();
    for (const o of dataset.objects) {
      const key = o.shownOnly?.imageMd5;
      if (!key) continue;
      const group = byFile.get(key);
      if (group) group.objects.push(o.id);
      else byFile.set(key, { image: o.shownOnly!.image, objects: [o.id], labels: [] });
    }
    const labelOf = new Map(dataset.objects.map((o) => [o.id, o.label]));
    standIns = [...byFile.values()].map((s) => ({
      ...s,
      labels: [...new Set(s.objects.flatMap((id) => labelOf.get(id) ?? []))],
    }));
  }
  const standInOf = new Map<string, StandIn>();
  for (const standIn of standIns) for (const id of standIn.objects) standInOf.set(id, standIn);
  return standInOf;
}

/**
 * Read dataset.json for the catalogue and the pull request's report: null when the dataset stage has not written it
 * (or it holds no objects), DATASET_DAMAGED when it is not readable JSON.
 */
export async function readShownDataset({ ws }: { ws: Workspace }): Promise<ShownDataset | null> {
  const file = datasetFile(ws);
  const text = await readTextOrNull({ file });
  if (text === null) return null;
  let dataset: Dataset | null;
  try {
    dataset = JSON.parse(text) as Dataset | null;
  } catch (error) {
    throw new VitrineError(
      'DATASET_DAMAGED',
      `${rel(ws, file)} is damaged (not valid JSON: ${(error as Error).message}), perhaps by a run that was stopped ` +
        'or a full disk. Build it again with "vitrine run dataset --force".',
      { file: rel(ws, file) },
      { cause: error },
    );
  }
  if (!dataset || typeof dataset !== 'object' || !Array.isArray(dataset.objects)) return null;
  return shownDataset(dataset);
}
