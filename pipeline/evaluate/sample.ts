import { createHash } from 'node:crypto';

/*
 * The stratified sample a large collection's heads learn from: the evaluate stage's
 * cross-validation (evaluate.cv_max_objects) and the lbfgs head's choice of L2
 * (train.l2_cv_max_objects). Its own module so that the head (pipeline/model/head.ts) can use it
 * without importing the cross-validation, which imports the head.
 */

/**
 * A stratified sample of about `max` objects (a mask), for a collection too large to train every
 * fold's head on all of it. Each stratum (class) keeps its share of the objects (largest remainder),
 * and at least two objects (or all it has), so a small class is still learnt. Objects in `keep` (the
 * labels a pull request changes: the verdict is about them) are always in, on top of the share.
 * Within a class, images come in an order fixed by `seed` and each image's key alone (a hash), so the
 * sample does not depend on the objects' order, and one label changing moves only a few objects in or
 * out; copies of an image are kept or left out together.
 */
export function stratifiedSample({
  keys,
  strata,
  max,
  seed,
  keep,
}: {
  keys: string[];
  strata: ArrayLike<number>;
  max: number;
  seed: number;
  keep?: ArrayLike<number>;
}): Uint8Array {
  const mask = new Uint8Array(keys.length);
  if (keys.length <= max) return mask.fill(1);
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const rank = (key: string) => createHash('md5').update(`${seed}\0${key}`).digest('hex');
  const byStratum = new Map<number, { key: string; rank: string }[]>();
  const size = new Map<number, number>();
  for (const [key, members] of groups) {
    const s = strata[members[0]!]!;
    const list = byStratum.get(s);
    const entry = { key, rank: rank(key) };
    if (list) list.push(entry);
    else byStratum.set(s, [entry]);
    size.set(s, (size.get(s) ?? 0) + members.length);
  }
  const order = [...byStratum.keys()].sort((a, b) => a - b);
  const exact = order.map((s) => (max * size.get(s)!) / keys.length);
  const quota = exact.map(Math.floor);
  let left = max - quota.reduce((a, b) => a + b, 0);
  for (const j of order.map((_, j) => j).sort((a, b) => exact[b]! - quota[b]! - (exact[a]! - quota[a]!) || a - b)) {
    if (left-- <= 0) break;
    quota[j]!++;
  }
  order.forEach((s, j) => {
    let room = Math.max(quota[j]!, Math.min(2, size.get(s)!));
    const entries = byStratum.get(s)!.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    for (const { key } of entries) {
      const members = groups.get(key)!;
      if (members.length > room) continue;
      for (const i of members) mask[i] = 1;
      room -= members.length;
      if (room <= 0) break;
    }
  });
  if (keep) {
    for (const [, members] of groups) if (members.some((i) => keep[i])) for (const i of members) mask[i] = 1;
  }
  return mask;
}
