import { VitrineError } from '../errors.ts';

/*
 * Which runner does which image. A shard is "i/n": runner i of n (1-based, as people count). An
 * image belongs to a shard by its md5 alone, through jump consistent hashing (Lamping & Veach,
 * 2014): adding images never moves an image already assigned, and going from n to n+1 runners moves
 * only the 1/(n+1) of the images that the new runner takes.
 */

export interface Shard {
  /** 1-based: 1 ≤ index ≤ count. */
  index: number;
  count: number;
}

/** Read `--shard i/n`; anything else is a USAGE error (exit 2) naming the flag. */
export function parseShard(value: string): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(value.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new VitrineError(
      'USAGE',
      `--shard takes "i/n": this runner's number i out of n runners, whole numbers with 1 ≤ i ≤ n ` +
        `(got "${value}"), like: npx vitrine run --shard 2/3`,
      { flag: '--shard', value },
    );
  return { index, count };
}

/** The 0-based bucket of `key` among `buckets` (jump consistent hash over a 64-bit key). */
export function jumpHash(key: bigint, buckets: number): number {
  let b = -1n;
  let j = 0n;
  let k = BigInt.asUintN(64, key);
  while (j < BigInt(buckets)) {
    b = j;
    k = BigInt.asUintN(64, k * 2862933555777941757n + 1n);
    j = BigInt(Math.floor(((Number(b) + 1) * 2 ** 31) / (Number(k >> 33n) + 1)));
  }
  return Number(b);
}

/** Does the image with this md5 belong to `shard`? */
export function inShard({ md5, shard }: { md5: string; shard: Shard }): boolean {
  if (shard.count === 1) return true;
  return jumpHash(BigInt(`0x${md5.slice(0, 16)}`), shard.count) === shard.index - 1;
}
