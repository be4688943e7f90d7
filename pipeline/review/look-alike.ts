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
 * of the same label. No fixed number: the cut comes from the collection's photographs and backbone. Being the
 * nearest photograph overall, the other is also closer than any photograph with this object's own label.
 * Measured on the demo (docs/metrics.md): the two vases are at similarity 0.946, the median 0.939, the 99th
 * percentile 0.984 — so "almost identical" to the eye is only "closer than typical" to the backbone, and a
 * stricter cut would miss the pair; the mutual conflict is what tells it.
 *
 * A pair is always mutual: each object is in one pair at most and its partner names it back (a reviewer: three
 * near-identical photographs, two labelled one way, once gave one object two partners and an object page a
 * partner that named another). The closest conflicting two are paired first, ties in list order.
 */

/** The share of same-label nearest-neighbour similarities below the cut (0.5: the median). */
export const LOOK_ALIKE_QUANTILE = 0.5;
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

/** The similarity at or above which two photographs are close; null with too few objects to tell. */
export function lookAlikeCut({
  vectors,
  y,
}: {
  vectors: (ArrayLike<number> | undefined)[];
  y: ArrayLike<number>;
}): number | null {
  const step = Math.max(1, vectors.length / LOOK_ALIKE_SAMPLE);
  const sample: number[] = [];
  for (let i = 0; i < vectors.length; i += step) sample.push(Math.floor(i));
  const values = nearestNeighbours({ vectors, y, queries: sample, sameLabel: true })
    .map((n) => n.similarity)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (values.length < LOOK_ALIKE_MIN_OBJECTS) return null;
  return values[Math.min(values.length - 1, Math.floor(LOOK_ALIKE_QUANTILE * values.length))]!;
}

/** Two similarities this close are a tie (rounding of equal photographs' embeddings). */
const TIE = 1e-12;

/**
 * The conflicting pairs among flagged objects: index → the other member's index and similarity. `flagged`:
 * each flagged object's index and the class it is suggested. Pairs are mutual: each object is in one pair at
 * most, and its partner names it back. When several look-alikes conflict (three near-identical photographs,
 * two labelled one way), the closest two are paired first, ties in list order, and the rest stay single.
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
  if (flagged.size < 2) return pairs;
  const cut = lookAlikeCut({ vectors, y });
  if (cut === null) return pairs;
  const queries = [...flagged.keys()].sort((a, b) => a - b);
  const nearest = nearestNeighbours({ vectors, y, queries }).map((n) => n.similarity);
  const unit = unitRows(queries.map((q) => vectors[q]));
  // Candidates: two flagged objects, each suggested the other's label, close, and one of them (at least) a
  // nearest photograph of the other.
  const candidates: { a: number; b: number; similarity: number }[] = [];
  for (let p = 0; p < queries.length; p++) {
    const a = queries[p]!;
    for (let q = p + 1; q < queries.length; q++) {
      const b = queries[q]!;
      const u = unit[p];
      const w = unit[q];
      if (!u || !w || y[b] !== flagged.get(a) || flagged.get(b) !== y[a]) continue;
      const similarity = cosine(u, w);
      if (!Number.isFinite(similarity) || similarity < cut) continue;
      if (similarity >= nearest[p]! - TIE || similarity >= nearest[q]! - TIE) candidates.push({ a, b, similarity });
    }
  }
  // The closest first; ties in list order (a then b ascending): the same answer on every run.
  candidates.sort((m, n) => {
    if (Math.abs(m.similarity - n.similarity) > TIE) return n.similarity - m.similarity;
    return m.a - n.a || m.b - n.b;
  });
  for (const { a, b, similarity: s } of candidates) {
    if (pairs.has(a) || pairs.has(b)) continue;
    // Equal photographs can round to just above 1.
    const similarity = Math.min(1, s);
    pairs.set(a, { other: b, similarity });
    pairs.set(b, { other: a, similarity });
  }
  return pairs;
}
