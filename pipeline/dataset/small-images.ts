import { compareIdsNaturally } from '../collection/index.ts';
import type { Logger } from '../log.ts';
import type { DatasetObject } from '../types.ts';

/*
 * A 1×1 placeholder or a tiny thumbnail exported in place of the photograph decodes fine, so nothing else
 * catches it, but the model learns nothing from it and the catalogue shows a blur. The object stays in
 * (staff may have no better photograph yet); each one is named, the first few in full.
 */

/** Shorter side under this many pixels: too small to show an object. */
export const MIN_IMAGE_SIDE = 32;
const LISTED = 5;

export function warnSmallImages({ objects, log }: { objects: DatasetObject[]; log: Logger }): number {
  // Listed as staff count ids (OBJ-2 before OBJ-10), not in the table's code-point order.
  const small = objects
    .filter((o) => o.image !== '' && Math.min(o.width, o.height) < MIN_IMAGE_SIDE)
    .sort((a, b) => compareIdsNaturally(a.id, b.id));
  for (const o of small.slice(0, LISTED)) {
    log.warn(
      `The image of object "${o.id}" (data/${o.image}) is very small: ${o.width}×${o.height} pixels, under ` +
        `${MIN_IMAGE_SIDE} on the short side. The model can learn little from it; replace it with a larger photograph.`,
      { object: o.id },
    );
  }
  if (small.length > LISTED) {
    const rest = small.slice(LISTED);
    log.warn(
      `${small.length} objects have very small images (under ${MIN_IMAGE_SIDE} pixels on the short side); ` +
        `${rest.length} more not listed above: ${rest
          .slice(0, 10)
          .map((o) => o.id)
          .join(', ')}${rest.length > 10 ? ', …' : ''}.`,
    );
  }
  return small.length;
}
