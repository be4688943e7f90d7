import type { Params } from '../params.ts';
import type { ModelInfo } from '../types.ts';

/*
 * A baseline is only a fair yardstick on objects it never learnt from. When `dataset.split` changes
 * (another salt, other fractions) some of today's test objects were in the baseline's training or
 * validation data, and it would look better than it is. Models record their split in
 * model-info.json (`split`); this finds the overlap by image md5 — what the model actually saw.
 */

/** What is known about the overlap between today's test objects and a baseline's training data. */
export interface BaselineOverlap {
  /** Per test object: the baseline trained or validated on its image. */
  seen: boolean[];
  /** How many are `seen`. */
  excluded: number;
  /** dataset.split differs from the baseline's; null when the baseline did not record it. */
  splitChanged: boolean | null;
  /** The baseline recorded its images, so `seen` is exact (otherwise nothing is marked). */
  imagesKnown: boolean;
}

/** Which test objects the baseline (described by its model-info.json) trained or validated on. */
export function baselineOverlap({
  info,
  split,
  objects,
}: {
  info: Pick<ModelInfo, 'split'>;
  split: Params['dataset']['split'];
  objects: { imageMd5: string }[];
}): BaselineOverlap {
  const recorded = info.split;
  const splitChanged = recorded
    ? recorded.settings.salt !== split.salt ||
      recorded.settings.validation !== split.validation ||
      recorded.settings.test !== split.test
    : null;
  const imagesKnown = Array.isArray(recorded?.trainImages);
  const images = new Set([...(recorded?.trainImages ?? []), ...(recorded?.validationImages ?? [])]);
  const seen = objects.map((o) => images.has(o.imageMd5));
  return { seen, excluded: seen.filter(Boolean).length, splitChanged, imagesKnown };
}
