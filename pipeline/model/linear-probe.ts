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

/**
 * Per-dimension mean and 1/standard deviation of the rows (what standardisation subtracts and
 * multiplies by), each row counted `weight` times (default 1): a row of weight 0 changes nothing.
 */
export function standardiser({ x, weight }: { x: ArrayLike<number>[]; weight?: ArrayLike<number> }): {
  mean: Float64Array;
  scale: Float64Array;
} {
  const dim = x[0]?.length ?? 0;
  const mean = new Float64Array(dim);
  const scale = new Float64Array(dim);
  let total = 0;
  for (let i = 0; i < x.length; i++) total += weight?.[i] ?? 1;
  if (total === 0) return { mean, scale: scale.fill(1) };
  x.forEach((row, i) => {
    const a = (weight?.[i] ?? 1) / total;
    if (a > 0) for (let j = 0; j < dim; j++) mean[j]! += a * row[j]!;
  });
  x.forEach((row, i) => {
    const a = (weight?.[i] ?? 1) / total;
    if (a > 0) for (let j = 0; j < dim; j++) scale[j]! += a * (row[j]! - mean[j]!) ** 2;
  });
  // A constant dimension (variance 0) is left at scale 1: it carries nothing, and 1/0 would blow up.
  for (let j = 0; j < dim; j++) scale[j] = scale[j]! > 1e-12 ? 1 / Math.sqrt(scale[j]!) : 1;
  return { mean, scale };
}

/** Rows standardised into one row-major Float64Array (n × dim). */
export function standardise({
  x,
  mean,
  scale,
}: {
  x: ArrayLike<number>[];
  mean: Float64Array;
  scale: Float64Array;
}): Float64Array {
  const dim = mean.length;
  const z = new Float64Array(x.length * dim);
  x.forEach((row, i) => {
    for (let j = 0; j < dim; j++) z[i * dim + j] = (row[j]! - mean[j]!) * scale[j]!;
  });
  return z;
}

/** A multinomial logistic regression on standardised rows: logits[c] = bias[c] + Σ_j weights[c·dim + j] z[j]. */
export interface LogisticModel {
  classes: number;
  dim: number;
  weights: Float64Array;
  bias: Float64Array;
  /** L-BFGS iterations run, and the penalised loss reached. */
  iterations: number;
  loss: number;
}

/**
 * Weighted mean cross-entropy + (l2 / 2)·‖weights‖² (the bias is not penalised) and its gradient
 * for parameters `w` = [weights, bias]. `sampleWeight` sums to 1.
 */
function logisticLossAndGradient(
  w: Float64Array,
  grad: Float64Array,
  z: Float64Array,
  y: ArrayLike<number>,
  sampleWeight: Float64Array,
  classes: number,
  dim: number,
  l2: number,
): number {
  const n = sampleWeight.length;
  const biasAt = classes * dim;
  const logits = new Float64Array(classes);
  grad.fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const a = sampleWeight[i]!;
    if (a === 0) continue;
    const off = i * dim;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = w[biasAt + c]!;
      const wc = c * dim;
      for (let j = 0; j < dim; j++) s += w[wc + j]! * z[off + j]!;
      logits[c] = s;
      if (s > max) max = s;
    }
    let total = 0;
    for (let c = 0; c < classes; c++) total += Math.exp(logits[c]! - max);
    const lse = max + Math.log(total);
    loss -= a * (logits[y[i]!]! - lse);
    for (let c = 0; c < classes; c++) {
      const d = a * (Math.exp(logits[c]! - lse) - (c === y[i] ? 1 : 0));
      grad[biasAt + c]! += d;
      const wc = c * dim;
      for (let j = 0; j < dim; j++) grad[wc + j]! += d * z[off + j]!;
    }
  }
  for (let k = 0; k < biasAt; k++) {
    loss += 0.5 * l2 * w[k]! * w[k]!;
    grad[k]! += l2 * w[k]!;
  }
  return loss;
}

/**
 * The penalised loss at parameters `w` = [weights (classes × dim), bias], its gradient written into
 * `grad`: weighted mean cross-entropy + (l2 / 2)·‖weights‖².
 */
export type LogisticObjective = (w: Float64Array, grad: Float64Array, l2: number) => number;

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
};

/**
 * Fit a multinomial logistic regression to convergence with L-BFGS (10 correction pairs, backtracking
 * line search). The problem is convex, so the answer does not depend on a seed or a batch order;
 * `init` (a previous fit, e.g. at a nearby L2) only makes it faster.
 */
export function fitLogistic({
  z,
  y,
  sampleWeight,
  objective,
  classes,
  dim,
  l2,
  init,
  maxIterations = 300,
  tolerance = 1e-5,
}: {
  /** Standardised rows, row-major (n × dim). */
  z?: Float64Array;
  y?: ArrayLike<number>;
  /** One weight per row, summing to 1. */
  sampleWeight?: Float64Array;
  /** Instead of z, y and sampleWeight: the loss and gradient computed elsewhere (e.g. on a TF.js backend). */
  objective?: LogisticObjective;
  classes: number;
  dim: number;
  l2: number;
  init?: LogisticModel;
  maxIterations?: number;
  tolerance?: number;
}): LogisticModel {
  const size = classes * dim + classes;
  const w = new Float64Array(size);
  if (init) {
    w.set(init.weights);
    w.set(init.bias, classes * dim);
  }
  const g = new Float64Array(size);
  const f = objective
    ? (at: Float64Array, into: Float64Array) => objective(at, into, l2)
    : (at: Float64Array, into: Float64Array) =>
        logisticLossAndGradient(at, into, z!, y!, sampleWeight!, classes, dim, l2);
  let loss = f(w, g);
  const memory = 10;
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(size);
  const next = new Float64Array(size);
  const gNext = new Float64Array(size);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let gMax = 0;
    for (let k = 0; k < size; k++) gMax = Math.max(gMax, Math.abs(g[k]!));
    if (gMax < tolerance) break;
    // Two-loop recursion: direction = −H·g.
    direction.set(g);
    const alpha = new Array<number>(sList.length);
    for (let m = sList.length - 1; m >= 0; m--) {
      alpha[m] = rho[m]! * dot(sList[m]!, direction);
      const ym = yList[m]!;
      for (let k = 0; k < size; k++) direction[k]! -= alpha[m]! * ym[k]!;
    }
    const last = sList.length - 1;
    const gamma = last >= 0 ? dot(sList[last]!, yList[last]!) / dot(yList[last]!, yList[last]!) : 1 / Math.max(gMax, 1);
    for (let k = 0; k < size; k++) direction[k]! *= gamma;
    for (let m = 0; m < sList.length; m++) {
      const beta = rho[m]! * dot(yList[m]!, direction);
      const sm = sList[m]!;
      for (let k = 0; k < size; k++) direction[k]! += sm[k]! * (alpha[m]! - beta);
    }
    for (let k = 0; k < size; k++) direction[k] = -direction[k]!;
    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction (rounding): restart from steepest descent.
      sList.length = 0;
      yList.length = 0;
      rho.length = 0;
      for (let k = 0; k < size; k++) direction[k] = -g[k]! / Math.max(gMax, 1);
      slope = dot(g, direction);
    }
    // Backtracking until the Armijo condition holds.
    let step = 1;
    let nextLoss = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 30; tries++) {
      for (let k = 0; k < size; k++) next[k] = w[k]! + step * direction[k]!;
      nextLoss = f(next, gNext);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextLoss < loss)) break;
    const s = new Float64Array(size);
    const yv = new Float64Array(size);
    for (let k = 0; k < size; k++) {
      s[k] = next[k]! - w[k]!;
      yv[k] = gNext[k]! - g[k]!;
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      if (sList.length === memory) {
        sList.shift();
        yList.shift();
        rho.shift();
      }
      sList.push(s);
      yList.push(yv);
      rho.push(1 / sy);
    }
    const change = loss - nextLoss;
    w.set(next);
    g.set(gNext);
    loss = nextLoss;
    if (change < 1e-9 * Math.max(1, Math.abs(loss))) {
      iterations++;
      break;
    }
  }
  return {
    classes,
    dim,
    weights: w.slice(0, classes * dim),
    bias: w.slice(classes * dim),
    iterations,
    loss,
  };
}

/** Class probabilities of standardised rows (row-major, n × dim) under a LogisticModel. */
export function predictLogistic({ model, z }: { model: LogisticModel; z: Float64Array }): Float64Array[] {
  const { dim, classes } = model;
  const n = dim === 0 ? 0 : z.length / dim;
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const p = new Float64Array(classes);
    softmaxInto(p, z.subarray(i * dim, (i + 1) * dim), model.weights, model.bias, classes, dim);
    out.push(p);
  }
  return out;
}

/**
 * Coordinates of n rows (row-major, n × dim) in an orthonormal basis of the space they span, when
 * that is smaller than `dim`. An L2-penalised linear model's best weights lie in that span (a part
 * orthogonal to every row changes no logit and only adds penalty), so fitting on the coordinates
 * gives the same model at a fraction of the cost when there are fewer rows than dimensions.
 */
export interface RowSpace {
  /** Dimensions of the span (≤ rows). */
  rank: number;
  /** Each row's coordinates, row-major (n × rank). */
  coords: Float64Array;
  /** Weights in the full space (classes × dim) for weights on the coordinates (classes × rank). */
  toWeights: (reduced: Float64Array, classes: number) => Float64Array;
}

/**
 * The row space by a Cholesky factorisation of the rows' Gram matrix (Z·Zᵀ = L·Lᵀ, so L holds the
 * coordinates); a row that adds less than a 1e-5 part of its length to the span (a duplicate
 * image) takes no basis vector of its own.
 */
export function rowSpace({ z, dim }: { z: Float64Array; dim: number }): RowSpace {
  const n = dim === 0 ? 0 : z.length / dim;
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = i * dim;
    for (let j = 0; j <= i; j++) {
      const b = j * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) s += z[a + k]! * z[b + k]!;
      gram[i * n + j] = s;
    }
  }
  // l[i·n + m]: row i's coordinate on basis vector m; basis vector m is made from row pivots[m].
  const l = new Float64Array(n * n);
  const pivots: number[] = [];
  for (let i = 0; i < n; i++) {
    const li = i * n;
    let rest = gram[li + i]!;
    for (let m = 0; m < pivots.length; m++) {
      const lp = pivots[m]! * n;
      let s = gram[li + pivots[m]!]!;
      for (let q = 0; q < m; q++) s -= l[li + q]! * l[lp + q]!;
      const c = s / l[lp + m]!;
      l[li + m] = c;
      rest -= c * c;
    }
    if (rest > 1e-10 * gram[li + i]! && rest > 0) {
      l[li + pivots.length] = Math.sqrt(rest);
      pivots.push(i);
    }
  }
  const rank = pivots.length;
  const coords = new Float64Array(n * rank);
  for (let i = 0; i < n; i++) coords.set(l.subarray(i * n, i * n + rank), i * rank);
  const toWeights = (reduced: Float64Array, classes: number): Float64Array => {
    // W = B·Q with Q = P⁻¹·Z_pivots (P: the pivot rows' coordinates, lower triangular): A = B·P⁻¹, W = A·Z_pivots.
    const out = new Float64Array(classes * dim);
    const a = new Float64Array(rank);
    for (let c = 0; c < classes; c++) {
      for (let m = rank - 1; m >= 0; m--) {
        let s = reduced[c * rank + m]!;
        for (let q = m + 1; q < rank; q++) s -= a[q]! * l[pivots[q]! * n + m]!;
        a[m] = s / l[pivots[m]! * n + m]!;
      }
      const w = c * dim;
      for (let m = 0; m < rank; m++) {
        const am = a[m]!;
        const row = pivots[m]! * dim;
        for (let k = 0; k < dim; k++) out[w + k]! += am * z[row + k]!;
      }
    }
    return out;
  };
  return { rank, coords, toWeights };
}
