import { isRetiredType } from '../registry/retired-types.ts';
import type { CatalogueObject } from './schema.ts';

type ObjectAnnotation = NonNullable<CatalogueObject['annotation']>;

/**
 * An annotation whose guess names a type collection.vocabulary no longer has (renamed or removed since its model was
 * trained: a rollback, or a rename merged before a new model): held back whatever its confidence, never a value of the
 * predicted-type facet, and waiting for no one (registry/retired-types.ts). `vocabulary`: today's, composed (NFC).
 * One held back for a staff type outside the vocabulary is left so: that reason is the museum's own word.
 */
export function heldForRetiredType(a: ObjectAnnotation, vocabulary: ReadonlySet<string>): ObjectAnnotation {
  if (a.outsideVocabulary || !isRetiredType({ label: a.label, vocabulary })) return a;
  const { unfamiliar: _u, noThreshold: _n, needed: _d, ...rest } = a;
  return { ...rest, published: false, retiredType: true };
}
