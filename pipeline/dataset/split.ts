import { createHash } from 'node:crypto';
import { compareIds } from '../collection/index.ts';
import type { Split } from '../types.ts';

/*
 * Splits that stay put. An object's split comes from a hash of its id and a salt, never from its
 * position in a file or its label: adding objects, removing others or correcting a label never moves
 * an object between train and test, so test scores stay comparable from one pull request to the next.
 *
 * Identical images (same bytes, or the same pixels saved again with other metadata) must share a split, or the model would be tested on a
 * photograph it trained on. A group of identical images takes the split of its smallest id. The one
 * case where an object can move: a new object arrives with the same image bytes as an existing one
 * and a smaller id; the pair then follows the newcomer's split, which is the price of not leaking.
 *
 * A small collection's hash can leave a label without its share of the test split (tester T12: 0 of 19 "Street
 * scenes" in it, D27). A label with fewer test objects than its share (dataset.split.test of its objects, rounded)
 * and than dataset.min_test_per_class takes more from its train objects whose position is nearest the test split,
 * then from validation, up to the smaller of the two: past the minimum, objects staying put is worth more (the
 * demo's split is unchanged). Objects only ever move into the test split, never out: the scores stay on the
 * objects they were on, and a runner's shard (which guesses the train objects from the ids alone) at worst embeds
 * a few objects more. The price: a corrected label can move its object, or another of its label, into the test
 * split, which the comparison with the model in production then leaves out (evaluate/overlap.ts).
 */

export interface SplitFractions {
  /** Fraction of objects in the validation split. */
  validation: number;
  /** Fraction of objects in the test split. */
  test: number;
  /** Changing the salt reshuffles every split. */
  salt: string;
}

/** A number in [0, 1) decided only by the id and the salt (the first 52 bits of a SHA-256). */
export function splitPosition({ id, salt }: { id: string; salt: string }): number {
  const digest = createHash('sha256').update(salt).update('\u0000').update(id, 'utf8').digest();
  // 52 bits fit a double exactly.
  const high = digest.readUInt32BE(0);
  const low = digest.readUInt32BE(4) >>> 12;
  return (high * 2 ** 20 + low) / 2 ** 52;
}

/** The split of one object on its own, from its id: test first, then validation, the rest trains. */
export function splitOfId({ id, validation, test, salt }: SplitFractions & { id: string }): Split {
  const u = splitPosition({ id, salt });
  if (u < test) return 'test';
  if (u < test + validation) return 'validation';
  return 'train';
}

/**
 * Splits for a set of objects: each from its id, except that objects with identical images all take the split
 * of the smallest id among them. `image` says which are identical: the image's md5, or the md5 of its pixels,
 * which the same photograph saved again with other metadata shares. With `label`s, a label short of its share
 * of the test split is topped up (above).
 */
export function assignSplits({
  objects,
  fractions,
  minTestPerLabel = 0,
}: {
  objects: { id: string; image: string; label?: string | null }[];
  fractions: SplitFractions;
  /** dataset.min_test_per_class: a label is topped up to its share, or to this many if fewer (0: never). */
  minTestPerLabel?: number;
}): Map<string, Split> {
  const leader = new Map<string, string>();
  for (const { id, image } of objects) {
    const current = leader.get(image);
    if (current === undefined || compareIds(id, current) < 0) leader.set(image, id);
  }
  const ofImage = new Map<string, Split>();
  for (const [image, id] of leader) ofImage.set(image, splitOfId({ id, ...fractions }));
  if (minTestPerLabel > 0) topUpTest({ objects, leader, ofImage, fractions, most: minTestPerLabel });
  const splits = new Map<string, Split>();
  for (const { id, image } of objects) splits.set(id, ofImage.get(image)!);
  return splits;
}

/** Moves photographs (`ofImage`) into the test split until each label has its share there, if it can. */
function topUpTest({
  objects,
  leader,
  ofImage,
  fractions,
  most,
}: {
  objects: { image: string; label?: string | null }[];
  leader: ReadonlyMap<string, string>;
  ofImage: Map<string, Split>;
  fractions: SplitFractions;
  most: number;
}): void {
  // Per label, its objects on each photograph.
  const onImage = new Map<string, Map<string, number>>();
  for (const { image, label } of objects) {
    if (label === undefined || label === null) continue;
    const images = onImage.get(label) ?? new Map<string, number>();
    images.set(image, (images.get(image) ?? 0) + 1);
    onImage.set(label, images);
  }
  const position = (image: string) => splitPosition({ id: leader.get(image)!, salt: fractions.salt });
  const order: Record<Split, number> = { test: 0, train: 1, validation: 2 };
  for (const label of [...onImage.keys()].sort(compareIds)) {
    const images = onImage.get(label)!;
    let total = 0;
    let inTest = 0;
    for (const [image, n] of images) {
      total += n;
      if (ofImage.get(image) === 'test') inTest += n;
    }
    const share = Math.min(most, Math.round(total * fractions.test));
    if (inTest >= share) continue;
    const candidates = [...images.keys()]
      .filter((image) => ofImage.get(image) !== 'test')
      .map((image) => ({ image, split: ofImage.get(image)!, at: position(image) }))
      .sort((a, b) => order[a.split] - order[b.split] || a.at - b.at);
    for (const { image } of candidates) {
      if (inTest >= share) break;
      ofImage.set(image, 'test');
      inTest += images.get(image)!;
    }
  }
}
