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
 * which the same photograph saved again with other metadata shares.
 */
export function assignSplits({
  objects,
  fractions,
}: {
  objects: { id: string; image: string }[];
  fractions: SplitFractions;
}): Map<string, Split> {
  const leader = new Map<string, string>();
  for (const { id, image } of objects) {
    const current = leader.get(image);
    if (current === undefined || compareIds(id, current) < 0) leader.set(image, id);
  }
  const splits = new Map<string, Split>();
  for (const { id, image } of objects) splits.set(id, splitOfId({ id: leader.get(image)!, ...fractions }));
  return splits;
}
