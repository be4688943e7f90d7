import { VitrineError } from '../errors.ts';
import { standardiser } from './linear-probe.ts';

/*
 * Adapting to a collection the model never saw, without its labels (issue 13, docs/backbone.md
 * "Another museum without its labels"). Three cheap ideas over cached embeddings:
 *
 * - standardiseByCollection: each collection's embeddings centred (and optionally scaled) by that
 *   collection's own mean (and standard deviation), so a new photographer's overall shift in
 *   brightness, background or lens is removed before the head sees them (AdaBN-like);
 * - refinePrototypes: class prototypes (mean directions) from the labelled collection, moved by a
 *   few k-means steps over the unlabelled one (transductive);
 * - priorShiftEM: the new collection's class shares estimated by EM (Saerens et al., Neural
 *   Computation 2002) and the probabilities re-weighted to them.
 *
 * Measured on the cross-museum protocol; none is wired into the pipeline, because none wins in both
 * directions (see the doc).
 */

function checkRows(x: ArrayLike<number>[], what: string): number {
  const dim = x[0]?.length ?? 0;
  x.forEach((row, i) => {
    if (row.length !== dim)
      throw new VitrineError('SHIFT_SHAPE', `${what}: row ${i} has ${row.length} numbers, row 0 has ${dim}.`, {
        row: i,
      });
  });
  return dim;
}

/** Each collection's rows minus that collection's mean (and divided by its standard deviation when `scale`). */
export function standardiseByCollection({
  x,
  collection,
  scale,
}: {
  x: ArrayLike<number>[];
  /** The collection (museum, photographer, …) of each row. */
  collection: string[];
  scale: boolean;
}): Float32Array[] {
  if (collection.length !== x.length)
    throw new VitrineError('SHIFT_SHAPE', `${collection.length} collections given for ${x.length} embeddings.`, {});
  checkRows(x, 'embeddings');
  const out = new Array<Float32Array>(x.length);
  for (const name of new Set(collection)) {
    const rows = collection.flatMap((c, i) => (c === name ? [i] : []));
    const { mean, scale: inverse } = standardiser({ x: rows.map((i) => x[i]!) });
    for (const i of rows) out[i] = Float32Array.from(x[i]!, (v, j) => (v - mean[j]!) * (scale ? inverse[j]! : 1));
  }
  return out;
}

function unit(row: ArrayLike<number>): Float64Array {
  let norm = 0;
  for (let j = 0; j < row.length; j++) norm += row[j]! * row[j]!;
  norm = Math.sqrt(norm) || 1;
  return Float64Array.from(row, (v) => v / norm);
}

function softmaxRow(scores: Float64Array): Float64Array {
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

/**
 * Class probabilities for `target` rows from cosine similarity to class prototypes: the labelled
 * rows' mean direction per class, then `iterations` k-means steps over the target rows (each
 * prototype becomes the mean direction of the target rows nearest to it). A class with no labelled
 * rows, or no target rows nearest to it, keeps its prototype.
 */
export function refinePrototypes({
  source,
  target,
  classes,
  iterations,
  sharpness = 10,
}: {
  source: { x: ArrayLike<number>[]; y: number[] };
  target: ArrayLike<number>[];
  classes: number;
  iterations: number;
  /** Cosine similarities are multiplied by this before the softmax. */
  sharpness?: number;
}): Float64Array[] {
  const dim = checkRows([...source.x, ...target], 'embeddings');
  if (source.y.length !== source.x.length)
    throw new VitrineError('SHIFT_SHAPE', `${source.y.length} labels given for ${source.x.length} embeddings.`, {});
  const meanDirection = (rows: Float64Array[], fallback: Float64Array) => {
    if (rows.length === 0) return fallback;
    const sum = new Float64Array(dim);
    for (const r of rows) for (let j = 0; j < dim; j++) sum[j]! += r[j]!;
    return unit(sum);
  };
  const labelled = source.x.map(unit);
  let prototypes = Array.from({ length: classes }, (_, c) =>
    meanDirection(
      labelled.filter((_, i) => source.y[i] === c),
      new Float64Array(dim),
    ),
  );
  const z = target.map(unit);
  const similarities = () =>
    z.map((row) =>
      Float64Array.from(prototypes, (p) => {
        let s = 0;
        for (let j = 0; j < dim; j++) s += row[j]! * p[j]!;
        return s;
      }),
    );
  for (let t = 0; t < iterations; t++) {
    const nearest = similarities().map((s) => s.indexOf(Math.max(...s)));
    prototypes = prototypes.map((p, c) =>
      meanDirection(
        z.filter((_, i) => nearest[i] === c),
        p,
      ),
    );
  }
  return similarities().map((s) => softmaxRow(s.map((v) => v * sharpness)));
}

/**
 * Saerens–Latinne–Decaestecker EM: the class shares of the rows `probs` were predicted for, when the
 * model was trained with class shares `trainPriors` (uniform for a class-balanced head), and the
 * probabilities re-weighted to those shares.
 */
export function priorShiftEM({
  probs,
  trainPriors,
  iterations = 100,
}: {
  probs: ArrayLike<number>[];
  trainPriors: number[];
  iterations?: number;
}): { priors: number[]; probs: Float64Array[] } {
  const classes = trainPriors.length;
  let priors = [...trainPriors];
  let adjusted = probs.map((p) => Float64Array.from(p));
  for (let t = 0; t < iterations; t++) {
    adjusted = probs.map((p) => {
      const row = Float64Array.from({ length: classes }, (_, c) => (p[c]! * priors[c]!) / trainPriors[c]!);
      const total = row.reduce((s, v) => s + v, 0) || 1;
      return row.map((v) => v / total);
    });
    const next = new Array<number>(classes).fill(0);
    for (const row of adjusted) for (let c = 0; c < classes; c++) next[c]! += row[c]! / adjusted.length;
    const moved = next.reduce((s, v, c) => s + Math.abs(v - priors[c]!), 0);
    priors = next;
    if (moved < 1e-9) break;
  }
  return { priors, probs: adjusted };
}
