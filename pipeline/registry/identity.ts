import { hashJson } from '../stages/graph.ts';
import type { ModelInfo } from '../types.ts';
import type { Manifest } from './store.ts';

/*
 * A model's identity is what it computes: its weights and topology, its classes, and the backbone
 * and preprocessing that turn an image into the features the head reads. How long the run took,
 * how many embeddings came from the cache or which machine trained it are not part of it, so a
 * rerun that trains the same weights is the same model.
 */

/** The model folder's file that holds the ModelInfo (with run timings): compared through its fields, not its bytes. */
const INFO_FILE = 'model-info.json';

/**
 * The ModelInfo fields that change what the model computes. A new field that changes predictions
 * (say, test-time augmentation) belongs here; timings and counts never do.
 */
export const IDENTITY_FIELDS = ['labels', 'backbone'] as const;

/** md5 of the model's weights, topology, classes and backbone (canonical JSON). */
export function modelIdentity({ manifest, info }: { manifest: Manifest; info: ModelInfo }): string {
  const files = Object.fromEntries(manifest.files.filter((f) => f.relpath !== INFO_FILE).map((f) => [f.relpath, f.md5]));
  const fields = Object.fromEntries(IDENTITY_FIELDS.map((k) => [k, info[k]]));
  return hashJson({ schema: 'vitrine.identity/1', files, ...fields });
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
  const weights = (m: Manifest) => JSON.stringify(m.files.filter((f) => f.relpath !== INFO_FILE).map((f) => [f.relpath, f.md5]));
  return weights(a.manifest) === weights(b.manifest) && a.headline.labels.join('\n') === b.headline.labels.join('\n');
}
