import { VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { listWords } from '../words.ts';

/*
 * An image the backbone gives no usable numbers for (values that are not numbers: a backend fault, an
 * odd image) has no embedding. On a collection of 100,000 objects one such image must not stop the
 * run: each stage leaves its objects out, says so naming them, and goes on. Only when nothing (or too
 * little) is left does it stop, saying how many were left out and why.
 */

/** An object left out for want of an embedding: its id and image (relative to `data/`). */
export interface LeftOutObject {
  id: string;
  image: string;
}

/** Why an object is left out, in the words every stage uses. */
export const NO_EMBEDDING_WHY = 'the backbone gave no usable numbers for its image (values that are not numbers)';

/** What staff can do about it. */
const REMEDY = 'Open the image to check it, save it again or replace it, and run again.';

/** The objects with an embedding (in the given order) and those without, by their image's md5. */
export function splitByEmbedding<T extends { imageMd5: string }>({
  objects,
  vectors,
}: {
  objects: T[];
  vectors: { has(key: string): boolean };
}): { kept: T[]; leftOut: T[] } {
  const kept: T[] = [];
  const leftOut: T[] = [];
  for (const o of objects) (vectors.has(o.imageMd5) ? kept : leftOut).push(o);
  return { kept, leftOut };
}

/** "obj-1 (data/images/a.png), obj-2 (data/images/b.png) and 3 more". */
export function listLeftOut(objects: LeftOutObject[], max = 10): string {
  return listWords(
    objects.map((o) => (o.image ? `${o.id} (data/${o.image})` : o.id)),
    { last: ',', max },
  );
}

/**
 * Warn that objects are left out of `what` ("training", "the test scores") for want of an embedding,
 * naming each (the first 10) with its image. Nothing is said when none is left out.
 */
export function warnLeftOut({
  leftOut,
  what,
  consequence = '',
  log,
}: {
  leftOut: LeftOutObject[];
  /** What they are left out of, e.g. "training". */
  what: string;
  /** A sentence on what follows for them, e.g. "They get no machine annotation." */
  consequence?: string;
  log: Logger;
}): void {
  if (leftOut.length === 0) return;
  const one = leftOut.length === 1;
  log.warn(
    `${leftOut.length} ${one ? 'object is' : 'objects are'} left out of ${what}: ` +
      `${NO_EMBEDDING_WHY.replace('its image', one ? 'its image' : 'their images')}: ${listLeftOut(leftOut)}. ` +
      `${consequence ? `${consequence} ` : ''}${REMEDY}`,
  );
}

/**
 * The typed error for a stage left with nothing (or too little) to work on because `leftOut` objects
 * have no embedding. `problem` says what is missing, e.g. "No training object has a usable embedding".
 */
export function leftOutError({
  code,
  problem,
  leftOut,
  data = {},
}: {
  code: string;
  problem: string;
  leftOut: LeftOutObject[];
  data?: Record<string, unknown>;
}): VitrineError {
  const one = leftOut.length === 1;
  return new VitrineError(
    code,
    `${problem}: ${leftOut.length} ${one ? 'object was' : 'objects were'} left out because ` +
      `${NO_EMBEDDING_WHY.replace('its image', one ? 'its image' : 'their images')} — ${listLeftOut(leftOut)}. ${REMEDY}`,
    { ...data, leftOut: leftOut.map((o) => o.id), images: leftOut.map((o) => o.image) },
  );
}
