/*
 * A linear probe: multinomial logistic regression on standardised embeddings, in plain
 * TypeScript so it is deterministic and needs no backend. It is how backbones are compared
 * (docs/backbone.md, bench/model.ts): a better backbone is one whose embeddings a simple linear
 * head can separate. The trained head of `vitrine train` is a separate, TF.js model.
 */

export interface LinearProbe {
  classes: number;
  dim: number;
  mean: Float64Array;
  scale: Float64Array;
  /** weights[c * dim + j] */
  weights: Float64Array;
  bias: Float64Array;
}

/**
 * Fit a softmax classifier with L2 penalty `l2` by full-batch Adam. With `classWeighting`, each
 * class counts as much as any other however many objects it has (as in `vitrine train`).
 */
export function fitLinearProbe({
  x,
  y,
  classes,
  l2 = 1e-3,
  iterations = 300,
  learningRate = 0.05,
  classWeighting = true,
}: {
  x: ArrayLike<number>[];
  y: ArrayLike<number>;
  classes: number;
  l2?: number;
  iterations?: number;
  learningRate?: number;
  classWeighting?: boolean;
}): LinearProbe {
  const n = x.length;
  const dim = x[0]?.length ?? 0;
  const mean = new Float64Array(dim);
  const scale = new Float64Array(dim);
  for (const row of x) for (let j = 0; j < dim; j++) mean[j]! += row[j]! / n;
  for (const row of x) for (let j = 0; j < dim; j++) scale[j]! += (row[j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < dim; j++) scale[j] = 1 / Math.sqrt(scale[j]! + 1e-8);
  const z = x.map((row) => {
    const out = new Float64Array(dim);
    for (let j = 0; j < dim; j++) out[j] = (row[j]! - mean[j]!) * scale[j]!;
    return out;
  });
  const counts = new Float64Array(classes);
  for (let i = 0; i < n; i++) counts[y[i]!]!++;
  const sampleWeight = new Float64Array(n);
  let weightSum = 0;
  for (let i = 0; i < n; i++) {
    sampleWeight[i] = classWeighting ? n / (classes * counts[y[i]!]!) : 1;
    weightSum += sampleWeight[i]!;
  }
  const weights = new Float64Array(classes * dim);
  const bias = new Float64Array(classes);
  const gw = new Float64Array(classes * dim);
  const gb = new Float64Array(classes);
  const mw = new Float64Array(classes * dim);
  const vw = new Float64Array(classes * dim);
  const mb = new Float64Array(classes);
  const vb = new Float64Array(classes);
  const p = new Float64Array(classes);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  for (let t = 1; t <= iterations; t++) {
    gw.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      softmaxInto(p, z[i]!, weights, bias, classes, dim);
      const w = sampleWeight[i]! / weightSum;
      for (let c = 0; c < classes; c++) {
        const d = (p[c]! - (c === y[i] ? 1 : 0)) * w;
        if (d === 0) continue;
        gb[c]! += d;
        const row = z[i]!;
        const off = c * dim;
        for (let j = 0; j < dim; j++) gw[off + j]! += d * row[j]!;
      }
    }
    const lr = (learningRate * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    for (let k = 0; k < gw.length; k++) {
      const g = gw[k]! + l2 * weights[k]!;
      mw[k] = b1 * mw[k]! + (1 - b1) * g;
      vw[k] = b2 * vw[k]! + (1 - b2) * g * g;
      weights[k]! -= (lr * mw[k]!) / (Math.sqrt(vw[k]!) + eps);
    }
    for (let c = 0; c < classes; c++) {
      mb[c] = b1 * mb[c]! + (1 - b1) * gb[c]!;
      vb[c] = b2 * vb[c]! + (1 - b2) * gb[c]! * gb[c]!;
      bias[c]! -= (lr * mb[c]!) / (Math.sqrt(vb[c]!) + eps);
    }
  }
  return { classes, dim, mean, scale, weights, bias };
}

/** Class probabilities for each row. */
export function predictLinearProbe({ probe, x }: { probe: LinearProbe; x: ArrayLike<number>[] }): Float64Array[] {
  const z = new Float64Array(probe.dim);
  return x.map((row) => {
    for (let j = 0; j < probe.dim; j++) z[j] = (row[j]! - probe.mean[j]!) * probe.scale[j]!;
    const p = new Float64Array(probe.classes);
    softmaxInto(p, z, probe.weights, probe.bias, probe.classes, probe.dim);
    return p;
  });
}

function softmaxInto(
  p: Float64Array,
  z: Float64Array,
  weights: Float64Array,
  bias: Float64Array,
  classes: number,
  dim: number,
): void {
  let max = -Infinity;
  for (let c = 0; c < classes; c++) {
    let s = bias[c]!;
    const off = c * dim;
    for (let j = 0; j < dim; j++) s += weights[off + j]! * z[j]!;
    p[c] = s;
    if (s > max) max = s;
  }
  let total = 0;
  for (let c = 0; c < classes; c++) {
    p[c] = Math.exp(p[c]! - max);
    total += p[c]!;
  }
  for (let c = 0; c < classes; c++) p[c]! /= total;
}
