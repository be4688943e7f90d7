/*
 * The one seeded PRNG (mulberry32) of the project: the demo collection, the bootstrap, the head's
 * shuffling and the drift permutation tests all need the same numbers for a seed on every machine, so
 * data, reports and models are reproducible.
 */

/** A function returning uniform numbers in [0, 1), fixed by `seed`. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffle `items` (an array or a typed array) in place (Fisher–Yates) with the given uniform source; returns the same object. */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(
  items: A,
  uniform: () => number,
): A {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

/** Seeded helpers over one uniform source, for generating data (the demo collection). */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** A Random fixed by `seed` (the same sequence as seededUniform(seed)). */
export function seededRandom(seed: number): Random {
  const next = seededUniform(seed);
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/** A seed for one item, derived from the run's seed and the item's name. */
export function childSeed(seed: number, name: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
