/*
 * Conflicting look-alikes. Two labelled objects with almost the same photograph and different labels are
 * each predicted, out of fold, from the other: confident learning then flags both, each suggesting the
 * other's label, and cannot tell which of the two labels is the wrong one (a tester: the demo's correctly
 * labelled "Vase with Two Handles" was flagged second, because a mislabelled vase photographed alike).
 * Such a pair is reported as a pair ("at least one of the two labels is probably wrong"), not as two accusations.
 *
 * The rule: an object flagged with suggestion S is in a pair when its nearest labelled photograph (cosine
 * similarity of the embeddings) is labelled S, is itself flagged with this object's label as its suggestion,
 * and is close: at least as similar as the typical (median) labelled object is to its own nearest photograph
 * of the same label, and never below LOOK_ALIKE_FLOOR (0.9): in a mixed archive the typical similarity is low, and
 * two clearly different pictures must not be sent to staff as a duplicate. Being the
 * nearest photograph overall, the other is also closer than any photograph with this object's own label.
 * Measured on the demo (docs/metrics.md): the two vases are at similarity 0.946, the median 0.939, the 99th
 * percentile 0.984 — so "almost identical" to the eye is only "closer than typical" to the backbone, and a
 * stricter cut would miss the pair; the mutual conflict is what tells it.
 *
 * A pair is always mutual: each object is in one pair at most and its partner names it back (a reviewer: three
 * near-identical photographs, two labelled one way, once gave one object two partners and an object page a
 * partner that named another). The closest conflicting two are paired first, ties in list order.
 *
 * Three or more such objects (photographs of one object, one placeholder photograph) are also one group: paired two
 * by two, the one left over read as a plain suspect and the rest as unrelated pairs. A group starts from its closest
 * conflicting two and takes in look-alikes that are close to every member, not only to one (a reviewer: a chain of
 * flagged vessels photographed along an arc, each close to the next, was once "13 objects with very similar
 * photographs", the last at similarity 0 to the first). Pairs are made inside groups (`conflictingGroups`).
 */

/** The share of same-label nearest-neighbour similarities below the cut (0.5: the median). */
export const LOOK_ALIKE_QUANTILE = 0.5;
/**
 * The least similarity of two look-alikes, whatever the collection: the cut is never below it. In a mixed archive
 * (prints, drawings, amulets) the median above is low, 0.77 on a tester's, and two clearly different pictures at
 * 0.767 were called "very similar photographs". Measured with the default backbone: on the 1,827 Egyptian objects
 * (docs/metrics.md), a photograph's nearest photograph of another label is below 0.874 for 99% of them and below
 * 0.90 for all but 11, at 0.99 or more (one image twice; the set's 21 recorded duplicate images are at 1.00); the
 * tester's archive's nearest photographs are at 0.77 (median) and 0.90 (99th percentile); the demo's vases, a pair,
 * are at 0.946 (the demo's median is 0.939, so the median stays its cut).
 */
export const LOOK_ALIKE_FLOOR = 0.9;
/**
 * How alike two look-alikes' photographs are, said in words by band (a copy of one image at 1.00 and two vases
 * photographed alike at 0.946 were both "very similar photographs"): at LOOK_ALIKE_SAME or more, almost certainly
 * the same photograph or a copy of it (the Egyptian set's recorded duplicate images are at 1.00); at LOOK_ALIKE_VERY
 * up to it, very similar, perhaps the same object photographed twice; below, similar.
 */
export const LOOK_ALIKE_SAME = 0.99;
/** See LOOK_ALIKE_SAME. */
export const LOOK_ALIKE_VERY = 0.95;

/** The band of a look-alike similarity (LOOK_ALIKE_SAME, LOOK_ALIKE_VERY). */
export function alikeBand(similarity: number): 'same' | 'very' | 'similar' {
  return similarity >= LOOK_ALIKE_SAME ? 'same' : similarity >= LOOK_ALIKE_VERY ? 'very' : 'similar';
}

/**
 * How alike two photographs are, after "their photographs are" or "A and B:": "almost certainly the same photograph
 * or a copy of it", "very similar photographs, perhaps the same object photographed twice", "similar photographs".
 * `are`: the words after "their photographs are" ("almost certainly …", "very similar, perhaps …", "similar").
 */
export function alikeWords(similarity: number, { are = false } = {}): string {
  const band = alikeBand(similarity);
  if (band === 'same') return 'almost certainly the same photograph or a copy of it';
  const how = band === 'very' ? 'very similar' : 'similar';
  const twice = band === 'very' ? ', perhaps the same object photographed twice' : '';
  return `${how}${are ? '' : ' photographs'}${twice}`;
}

/** How alike the photographs of a group of three or more are: "These 3 objects have …", by its least similar two. */
export function alikeGroupWords(similarity: number): string {
  const band = alikeBand(similarity);
  return band === 'same'
    ? 'almost certainly the same photograph (or copies of it)'
    : band === 'very'
      ? 'very similar photographs, perhaps of the same object photographed more than once,'
      : 'similar photographs';
}

/** The key to the bands, for a list that shows look-alikes. */
export const ALIKE_KEY =
  `${LOOK_ALIKE_SAME} or more, ${alikeWords(1)}; ${LOOK_ALIKE_VERY} to ${LOOK_ALIKE_SAME}, ` +
  `${alikeWords(LOOK_ALIKE_VERY, { are: true })}; ${LOOK_ALIKE_FLOOR} to ${LOOK_ALIKE_VERY}, similar`;

/** Fewer labelled objects with a same-label neighbour than this: no cut (too few to say what "close" is). */
export const LOOK_ALIKE_MIN_OBJECTS = 20;

/** The other member of a conflicting pair (review.json `lookAlike`). */
export interface LookAlike {
  id: string;
  /** Its label in labels.csv. */
  label: string;
  /** Cosine similarity of the two photographs' embeddings, in −1..1. */
  similarity: number;
}

/** Rows compared for the cut at most (an even sample): keeps a large collection to seconds. */
export const LOOK_ALIKE_SAMPLE = 2000;

/** Unit-length copies of the rows; null for a row without usable numbers. */
function unitRows(vectors: (ArrayLike<number> | undefined)[]): (Float64Array | null)[] {
  return vectors.map((v) => {
    if (!v) return null;
    let norm = 0;
    for (let j = 0; j < v.length; j++) norm += v[j]! * v[j]!;
    if (!(norm > 0) || !Number.isFinite(norm)) return null;
    const k = 1 / Math.sqrt(norm);
    return Float64Array.from(v, (x) => x * k);
  });
}

function cosine(u: Float64Array, w: Float64Array): number {
  if (u.length !== w.length) return Number.NaN;
  let s = 0;
  for (let j = 0; j < u.length; j++) s += u[j]! * w[j]!;
  return s;
}

/**
 * For each row of `queries` (indices), its nearest other row (cosine) — overall, or among rows of the same
 * class with `sameLabel` — and that similarity; −1 and NaN when there is none.
 */
export function nearestNeighbours({
  vectors,
  y,
  queries,
  sameLabel = false,
}: {
  vectors: (ArrayLike<number> | undefined)[];
  y: ArrayLike<number>;
  queries: number[];
  sameLabel?: boolean;
}): { nearest: number; similarity: number }[] {
  const unit = unitRows(vectors);
  return queries.map((q) => {
    const u = unit[q];
    let nearest = -1;
    let similarity = Number.NaN;
    if (!u) return { nearest, similarity };
    unit.forEach((w, o) => {
      if (!w || o === q || (sameLabel && y[o] !== y[q])) return;
      const s = cosine(u, w);
      if (Number.isFinite(s) && !(s <= similarity)) {
        similarity = s;
        nearest = o;
      }
    });
    return { nearest, similarity };
  });
}

/**
 * The similarity at or above which two photographs are close: the collection's median, at least `floor`
 * (LOOK_ALIKE_FLOOR); null with too few objects to tell.
 */
export function lookAlikeCut({
  vectors,
  y,
  floor = LOOK_ALIKE_FLOOR,
}: {
  vectors: (ArrayLike<number> | undefined)[];
  y: ArrayLike<number>;
  floor?: number;
}): number | null {
  const step = Math.max(1, vectors.length / LOOK_ALIKE_SAMPLE);
  const sample: number[] = [];
  for (let i = 0; i < vectors.length; i += step) sample.push(Math.floor(i));
  const values = nearestNeighbours({ vectors, y, queries: sample, sameLabel: true })
    .map((n) => n.similarity)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (values.length < LOOK_ALIKE_MIN_OBJECTS) return null;
  return Math.max(floor, values[Math.min(values.length - 1, Math.floor(LOOK_ALIKE_QUANTILE * values.length))]!);
}

/** Two similarities this close are a tie (rounding of equal photographs' embeddings). */
const TIE = 1e-12;

/** Two flagged objects that are conflicting look-alikes of each other (indices a < b), with their similarity. */
interface Conflict {
  a: number;
  b: number;
  similarity: number;
}

/**
 * Every two flagged objects that are look-alikes (close, and one of them at least a nearest photograph of the other)
 * and conflict: each suggested the other's label. `agreeing`: look-alikes with the same label and the same
 * suggestion, which join a group but make no pair. The closest first; ties in list order (a then b ascending): the
 * same answer on every run. `unit`: the flagged objects' unit rows, by index; `cut`: NaN when there is none.
 */
function conflicts({
  vectors,
  y,
  flagged,
}: {
  vectors: (ArrayLike<number> | undefined)[];
  y: ArrayLike<number>;
  flagged: Map<number, number>;
}): { found: Conflict[]; agreeing: Conflict[]; unit: Map<number, Float64Array | null>; cut: number } {
  const unit = new Map<number, Float64Array | null>();
  const found: Conflict[] = [];
  const agreeing: Conflict[] = [];
  if (flagged.size < 2) return { found, agreeing, unit, cut: Number.NaN };
  const cut = lookAlikeCut({ vectors, y });
  if (cut === null) return { found, agreeing, unit, cut: Number.NaN };
  const queries = [...flagged.keys()].sort((a, b) => a - b);
  const nearest = nearestNeighbours({ vectors, y, queries }).map((n) => n.similarity);
  unitRows(queries.map((q) => vectors[q])).forEach((u, p) => unit.set(queries[p]!, u));
  for (let p = 0; p < queries.length; p++) {
    const a = queries[p]!;
    for (let q = p + 1; q < queries.length; q++) {
      const b = queries[q]!;
      const u = unit.get(a);
      const w = unit.get(b);
      const conflicting = y[b] === flagged.get(a) && flagged.get(b) === y[a];
      const agree = y[b] === y[a] && flagged.get(b) === flagged.get(a);
      if (!u || !w || !(conflicting || agree)) continue;
      const similarity = cosine(u, w);
      if (!Number.isFinite(similarity) || similarity < cut) continue;
      if (similarity >= nearest[p]! - TIE || similarity >= nearest[q]! - TIE)
        (conflicting ? found : agreeing).push({ a, b, similarity });
    }
  }
  found.sort((m, n) => {
    if (Math.abs(m.similarity - n.similarity) > TIE) return n.similarity - m.similarity;
    return m.a - n.a || m.b - n.b;
  });
  return { found, agreeing, unit, cut };
}

/**
 * Flagged look-alikes in groups of two or more: index → its group's members (ascending; one array per group). Each
 * group starts from the closest conflicting two not yet in a group (`found` order), then takes in, one at a time, a
 * look-alike of a member that is at least as similar as the cut to every member (complete linkage: a chain of
 * look-alikes, each close only to the next, is not one group), the closest to all first, ties in list order.
 */
function partition({
  found,
  agreeing,
  unit,
  cut,
}: {
  found: Conflict[];
  agreeing: Conflict[];
  unit: Map<number, Float64Array | null>;
  cut: number;
}): Map<number, number[]> {
  const linked = new Map<number, number[]>();
  for (const { a, b } of [...found, ...agreeing]) {
    if (!linked.has(a)) linked.set(a, []);
    if (!linked.has(b)) linked.set(b, []);
    linked.get(a)!.push(b);
    linked.get(b)!.push(a);
  }
  const similarity = (i: number, j: number) => cosine(unit.get(i)!, unit.get(j)!);
  const groups = new Map<number, number[]>();
  for (const { a, b } of found) {
    if (groups.has(a) || groups.has(b)) continue;
    const members: number[] = [];
    // Each look-alike of a member not yet taken in → its least similarity to the members (one cosine per member).
    // Any look-alike of a member has one of the two members' label and suggestion: it agrees or conflicts with each.
    const least = new Map<number, number>();
    const take = (m: number) => {
      members.push(m);
      least.delete(m);
      for (const [c, s] of least) least.set(c, Math.min(s, similarity(c, m)));
      for (const c of linked.get(m) ?? []) {
        if (groups.has(c) || least.has(c) || members.includes(c)) continue;
        least.set(c, Math.min(...members.map((o) => similarity(c, o))));
      }
    };
    take(a);
    take(b);
    for (;;) {
      let best = -1;
      let closest = Number.NEGATIVE_INFINITY;
      for (const [c, s] of least) {
        if (!(s >= cut)) continue;
        if (s > closest + TIE || (s >= closest - TIE && c < best)) [best, closest] = [c, s];
      }
      if (best < 0) break;
      take(best);
    }
    members.sort((m, n) => m - n);
    for (const m of members) groups.set(m, members);
  }
  return groups;
}

/**
 * The conflicting pairs among flagged objects: index → the other member's index and similarity. `flagged`:
 * each flagged object's index and the class it is suggested. Pairs are mutual: each object is in one pair at
 * most, and its partner names it back. When several look-alikes conflict (three near-identical photographs,
 * two labelled one way), the closest two are paired first, ties in list order, and the rest stay single:
 * `conflictingGroups` says which of them belong together. The two of a pair are always in one group, so that a
 * pair never names an object of another group.
 */
export function conflictingPairs({
  vectors,
  y,
  flagged,
}: {
  vectors: (ArrayLike<number> | undefined)[];
  y: ArrayLike<number>;
  flagged: Map<number, number>;
}): Map<number, { other: number; similarity: number }> {
  const pairs = new Map<number, { other: number; similarity: number }>();
  const look = conflicts({ vectors, y, flagged });
  const groups = partition(look);
  for (const { a, b, similarity: s } of look.found) {
    if (pairs.has(a) || pairs.has(b) || groups.get(a) !== groups.get(b)) continue;
    // Equal photographs can round to just above 1.
    const similarity = Math.min(1, s);
    pairs.set(a, { other: b, similarity });
    pairs.set(b, { other: a, similarity });
  }
  return pairs;
}

/**
 * Three or more flagged look-alikes whose labels disagree (three or more photographs of one object, or one
 * placeholder photograph): paired two by two they read as separate pairs, and one of them could be left out as a
 * plain suspect. A group starts from a conflicting pair and takes in look-alikes close to every member (`partition`):
 * index → the other members, each with its similarity to this one (at most 1), closest first, ties in list order.
 * Two look-alikes with the same label and suggestion may join a group but are no conflict on their own. Objects in a
 * group of two are only a pair (`conflictingPairs`) and are not here.
 */
export function conflictingGroups({
  vectors,
  y,
  flagged,
}: {
  vectors: (ArrayLike<number> | undefined)[];
  y: ArrayLike<number>;
  flagged: Map<number, number>;
}): Map<number, { other: number; similarity: number }[]> {
  const look = conflicts({ vectors, y, flagged });
  const groups = new Map<number, { other: number; similarity: number }[]>();
  for (const [i, group] of partition(look)) {
    if (group.length < 3) continue;
    const others = group
      .filter((o) => o !== i)
      .map((o) => ({ other: o, similarity: Math.min(1, cosine(look.unit.get(i)!, look.unit.get(o)!)) }))
      .sort((m, n) => (Math.abs(m.similarity - n.similarity) > TIE ? n.similarity - m.similarity : m.other - n.other));
    groups.set(i, others);
  }
  return groups;
}

/**
 * Flagged objects whose nearest photograph under another label is the same photograph (similarity LOOK_ALIKE_SAME or
 * more), paired with it whatever the model says of that other object: index → the other's index and similarity,
 * both ways. A tester gave a Mineral a copy of a Fossil's photograph: the model, trained without each, still took the
 * Fossil for a Fossil, so only the Mineral was flagged and `conflictingPairs` (both flagged, each suggesting the
 * other's label) found no pair; one photograph under two labels means one of them, or the photograph, is wrong.
 * `taken`: objects already in a pair or group, left as they are.
 */
export function samePhotographPairs({
  vectors,
  y,
  flagged,
  taken,
}: {
  vectors: (ArrayLike<number> | undefined)[];
  y: ArrayLike<number>;
  flagged: Map<number, number>;
  taken: ReadonlySet<number>;
}): Map<number, { other: number; similarity: number }> {
  const pairs = new Map<number, { other: number; similarity: number }>();
  const queries = [...flagged.keys()].filter((i) => !taken.has(i)).sort((a, b) => a - b);
  if (queries.length === 0) return pairs;
  // The nearest under another label: a photograph shared by three objects may be nearest to one under the same.
  const unit = unitRows(vectors);
  for (const a of queries) {
    const u = unit[a];
    if (!u) continue;
    let nearest = -1;
    let s = Number.NaN;
    unit.forEach((w, o) => {
      if (!w || o === a || y[o] === y[a]) return;
      const c = cosine(u, w);
      if (Number.isFinite(c) && !(c <= s)) {
        s = c;
        nearest = o;
      }
    });
    if (nearest < 0 || !(s >= LOOK_ALIKE_SAME)) continue;
    if (pairs.has(a) || pairs.has(nearest) || taken.has(nearest)) continue;
    // Equal photographs can round to just above 1.
    const similarity = Math.min(1, s);
    pairs.set(a, { other: nearest, similarity });
    pairs.set(nearest, { other: a, similarity });
  }
  return pairs;
}
