import type { Tensor2D } from '@tensorflow/tfjs';
import type { TF } from '../model/backend.ts';
import { seededUniform } from '../random.ts';

/*
 * "More like this": each object's visually nearest objects by cosine similarity of the embeddings
 * the pipeline already computed. Exact search over every pair; when that would be slow (many
 * objects with long vectors) the vectors are first projected onto their top principal subspace
 * (randomised range finder, two power iterations), which keeps the near neighbours and makes the
 * exact search cheaper still.
 */

/** Pairs × dimensions above which the vectors are reduced first. */
const EXACT_BUDGET = 2e9;
/** Rows of the similarity matrix computed at a time (rows × objects floats in memory). */
const CHUNK = 512;

/**
 * The k nearest objects of each object (indexes, nearest first; fewer when there are fewer objects).
 * The matrix products run on TF.js (the pipeline's backend: wasm or native), which is what makes
 * exact search over 10,000 objects take seconds.
 */
export async function nearestNeighbours({
  vectors,
  k,
  tf,
  dims = 64,
  seed = 7,
}: {
  vectors: Float32Array[];
  k: number;
  tf: TF;
  dims?: number;
  seed?: number;
}): Promise<{ neighbours: number[][]; reducedTo: number | null }> {
  const n = vectors.length;
  if (n === 0) return { neighbours: [], reducedTo: null };
  const want = Math.min(k, n - 1);
  if (want <= 0) return { neighbours: vectors.map(() => []), reducedTo: null };
  const d = vectors[0]!.length;
  const flat = new Float32Array(n * d);
  vectors.forEach((v, i) => flat.set(v.subarray(0, d), i * d));
  const reduce = (n * n * d) / 2 > EXACT_BUDGET && d > dims;
  // Unit length: squared distance is then 2 − 2·cosine, so nearest by distance is nearest by cosine.
  const unit = tf.tidy(() => {
    const x = tf.tensor2d(flat, [n, d]);
    return x.div(x.norm('euclidean', 1, true).add(1e-12)) as Tensor2D;
  });
  let y: Tensor2D = unit;
  if (reduce) {
    y = await project({ tf, x: unit, d, dims, seed });
    unit.dispose();
  }
  // Within a row |a|² is constant, so ranking by 2a·b − |b|² is ranking by −|a − b|².
  const halfNorms = tf.tidy(() => y.square().sum(1).div(2).expandDims(0));
  const neighbours: number[][] = [];
  const take = want + 1;
  for (let start = 0; start < n; start += CHUNK) {
    const rows = Math.min(CHUNK, n - start);
    const top = tf.tidy(
      () => tf.topk(y.slice([start, 0], [rows, -1]).matMul(y, false, true).sub(halfNorms), take).indices,
    );
    const ids = await top.data();
    top.dispose();
    // One more than needed, then the object itself is dropped (it is not always first: exact duplicates tie).
    for (let r = 0; r < rows; r++)
      neighbours.push(
        Array.from(ids.subarray(r * take, (r + 1) * take))
          .filter((j) => j !== start + r)
          .slice(0, want),
      );
  }
  y.dispose();
  halfNorms.dispose();
  return { neighbours, reducedTo: reduce ? dims : null };
}

/** Centre the rows and project them on an orthonormal basis of their top `dims` principal directions. */
async function project({
  tf,
  x,
  d,
  dims,
  seed,
}: {
  tf: TF;
  x: Tensor2D;
  d: number;
  dims: number;
  seed: number;
}): Promise<Tensor2D> {
  const centred = tf.tidy(() => x.sub(x.mean(0, true)) as Tensor2D);
  // Range finder on XᵀX: V ← orth(Xᵀ X V) from a seeded random start; two rounds separate the top directions.
  const random = seededUniform(seed);
  const v = Float64Array.from({ length: d * dims }, () => random() - 0.5);
  orthonormalise(v, d, dims);
  for (let round = 0; round < 2; round++) {
    const next = tf.tidy(() =>
      centred.matMul(centred.matMul(tf.tensor2d(Float32Array.from(v), [d, dims])), true, false),
    );
    v.set(await next.data());
    next.dispose();
    orthonormalise(v, d, dims);
  }
  const y = tf.tidy(() => centred.matMul(tf.tensor2d(Float32Array.from(v), [d, dims])) as Tensor2D);
  centred.dispose();
  return y;
}

/** Modified Gram-Schmidt on the columns of a (rows×cols, row-major). */
function orthonormalise(a: Float64Array, rows: number, cols: number): void {
  for (let c = 0; c < cols; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += a[r * cols + c]! * a[r * cols + p]!;
      for (let r = 0; r < rows; r++) a[r * cols + c]! -= dot * a[r * cols + p]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += a[r * cols + c]! ** 2;
    const s = norm > 1e-20 ? 1 / Math.sqrt(norm) : 0;
    for (let r = 0; r < rows; r++) a[r * cols + c]! *= s;
  }
}
