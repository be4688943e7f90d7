import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { rel, type Workspace } from '../paths.ts';
import type { Dataset } from '../types.ts';

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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new VitrineError('DATASET_MISSING', `${rel(ws, file)} does not exist: run "vitrine dataset" first.`, {
        file: rel(ws, file),
      });
    throw error;
  }
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
