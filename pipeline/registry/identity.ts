import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { hashJson } from '../stages/graph.ts';
import type { Metrics, ModelInfo } from '../types.ts';
import { type Manifest, manifestOf } from './store.ts';

/*
 * A model's identity is what it computes: its weights and architecture, its classes, and the
 * backbone and preprocessing that turn an image into the features the head reads. How long the run
 * took, how many embeddings came from the cache, which machine trained it, and the names TF.js gives
 * a model it builds ("sequential_1", "sequential_2"… counting per process) are not part of it, so a
 * rerun that trains the same weights is the same model.
 */

/** The model folder's file that holds the ModelInfo (with run timings): compared through its fields, not its bytes. */
const INFO_FILE = 'model-info.json';
/** The TF.js topology: compared without names and generator strings. */
const TOPOLOGY_FILE = 'model.json';

/**
 * The ModelInfo fields that change what the model computes. A new field that changes predictions
 * (say, test-time augmentation) belongs here; timings and counts never do.
 */
export const IDENTITY_FIELDS = ['labels', 'backbone'] as const;

/** md5 of the model's weights, architecture (names left out), classes and backbone (canonical JSON). */
export async function modelIdentity({
  dir,
  manifest,
  info,
}: {
  dir: string;
  manifest: Manifest;
  info: ModelInfo;
}): Promise<string> {
  const files: Record<string, unknown> = {};
  for (const f of manifest.files) {
    if (f.relpath === INFO_FILE) continue;
    files[f.relpath] = f.relpath === TOPOLOGY_FILE ? await architecture(path.join(dir, f.relpath)) : f.md5;
  }
  const fields = Object.fromEntries(IDENTITY_FIELDS.map((k) => [k, info[k]]));
  return hashJson({ schema: 'vitrine.identity/1', files, ...fields });
}

/** The topology and weight layout of a TF.js model.json without names, which do not change what it computes. */
async function architecture(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text; // not JSON: its bytes are all there is to compare
  }
  const { generatedBy: _generatedBy, convertedBy: _convertedBy, ...rest } = json;
  return withoutNames(rest);
}

function withoutNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNames);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => k !== 'name')
        .map(([k, v]) => [k, withoutNames(v)]),
    );
  }
  return value;
}

/** What a registration records that identifies its model (older registrations have no `identity`). */
export interface IdentifiedModel {
  identity?: string;
  manifest: Manifest;
  headline: { labels: string[] };
}

/**
 * Do two registrations hold the same model? By identity when both have one; for a version
 * registered before identities were recorded, by its weight files and classes (its ModelInfo is
 * not in the tag, so the backbone is compared through the files it shaped).
 */
export function sameModel(a: IdentifiedModel, b: IdentifiedModel): boolean {
  if (a.identity && b.identity) return a.identity === b.identity;
  const weights = (m: Manifest) =>
    JSON.stringify(m.files.filter((f) => f.relpath !== INFO_FILE).map((f) => [f.relpath, f.md5]));
  return weights(a.manifest) === weights(b.manifest) && a.headline.labels.join('\n') === b.headline.labels.join('\n');
}

/** The identity of the model in folder `dir` (its files and model-info.json): what metrics.json records as evaluated. */
export async function folderIdentity({ dir }: { dir: string }): Promise<string> {
  const info = JSON.parse(await readFile(path.join(dir, INFO_FILE), 'utf8')) as ModelInfo;
  return modelIdentity({ dir, manifest: await manifestOf({ dir }), info });
}

/** Said wherever a metrics.json is found to evaluate another model than the one at hand (museum staff read it). */
export const OTHER_MODEL_WORDS =
  'the scores in metrics.json were measured on another model (one trained or copied after the evaluation); ' +
  'run `npx vitrine run evaluate` again';

/**
 * Whether `metrics` evaluated the model whose identity is `identity`: `same`, `other`, or `unknown` for a
 * metrics.json written before it recorded the model (`inputs.model`), which is trusted as before.
 */
export function evaluatedModel({
  metrics,
  identity,
}: {
  metrics: Pick<Partial<Metrics>, 'inputs'>;
  identity: string | null | undefined;
}): 'same' | 'other' | 'unknown' {
  const evaluated = metrics.inputs?.model;
  if (!evaluated || !identity) return 'unknown';
  return evaluated === identity ? 'same' : 'other';
}
