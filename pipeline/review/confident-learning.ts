/*
 * Label errors found by confident learning (Northcutt, Jiang & Chuang, "Confident Learning:
 * Estimating Uncertainty in Dataset Labels", JAIR 70, 2021), as cleanlab's
 * `find_label_issues(filter_by="prune_by_noise_rate")` computes it, from out-of-fold probabilities:
 *
 * 1. per-class thresholds: t_j = the mean probability of class j over the objects labelled j
 *    (the class's average self-confidence);
 * 2. the confident joint C[given][true]: an object counts for the class(es) whose probability
 *    reaches that class's threshold (the most probable one if several); then calibrated so each row
 *    sums to the number of objects with that label, and rounded keeping the row totals;
 * 3. for each label i and other class j, the C[i][j] objects labelled i with the largest margin
 *    p_j − p_i are flagged;
 * 4. an object whose most probable class is its label is never flagged;
 * 5. flagged objects are ranked by normalized margin, (p_given − max other p + 1) / 2, lowest first.
 */

/** One object whose label looks wrong. */
export interface LabelIssue {
  /** Index into the rows given. */
  index: number;
  /** Class index of its label. */
  given: number;
  /** The class the model finds most probable for it. */
  suggested: number;
  /** 1 − normalized margin: in 0..1, higher = the label more likely wrong. */
  score: number;
  /** Probability of its label (self-confidence). */
  selfConfidence: number;
}

/** Per-class thresholds: the mean probability of class j over objects labelled j (NaN-free: 1 when none). */
export function confidentThresholds({
  y,
  probs,
  classes,
}: {
  y: ArrayLike<number>;
  probs: ArrayLike<number>[];
  classes: number;
}): number[] {
  const sum = new Array<number>(classes).fill(0);
  const count = new Array<number>(classes).fill(0);
  for (let i = 0; i < y.length; i++) {
    sum[y[i]!]! += probs[i]![y[i]!]!;
    count[y[i]!]!++;
  }
  return sum.map((s, j) => (count[j] === 0 ? 1 : s / count[j]!));
}

/** Round a matrix to integers keeping each row's (rounded) total: largest remainders get the extra units. */
export function roundPreservingRowTotals(matrix: number[][]): number[][] {
  return matrix.map((row) => {
    const total = Math.round(row.reduce((s, v) => s + v, 0));
    const floors = row.map(Math.floor);
    let missing = total - floors.reduce((s, v) => s + v, 0);
    const order = row.map((v, j) => ({ j, frac: v - Math.floor(v) })).sort((a, b) => b.frac - a.frac || a.j - b.j);
    for (const { j } of order) {
      if (missing <= 0) break;
      floors[j]!++;
      missing--;
    }
    return floors;
  });
}

/** The calibrated confident joint C[given][true] (counts). */
export function confidentJoint({
  y,
  probs,
  classes,
}: {
  y: ArrayLike<number>;
  probs: ArrayLike<number>[];
  classes: number;
}): number[][] {
  const thresholds = confidentThresholds({ y, probs, classes });
  const joint = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < y.length; i++) {
    const row = probs[i]!;
    let confident = 0;
    let first = -1;
    let best = 0;
    for (let j = 0; j < classes; j++) {
      if (row[j]! >= thresholds[j]! - 1e-6) {
        confident++;
        if (first < 0) first = j;
      }
      if (row[j]! > row[best]!) best = j;
    }
    if (confident === 0) continue;
    joint[y[i]!]![confident > 1 ? best : first]!++;
  }
  // Every class keeps at least one "correct" count, as cleanlab does.
  for (let j = 0; j < classes; j++) joint[j]![j] = Math.max(1, joint[j]![j]!);
  const labelCounts = new Array<number>(classes).fill(0);
  for (let i = 0; i < y.length; i++) labelCounts[y[i]!]!++;
  const rows = joint.map((row, i) => {
    const s = Math.max(
      row.reduce((a, b) => a + b, 0),
      1e-12,
    );
    return row.map((v) => (v / s) * labelCounts[i]!);
  });
  const total = rows.flat().reduce((a, b) => a + b, 0);
  const n = labelCounts.reduce((a, b) => a + b, 0);
  return roundPreservingRowTotals(rows.map((row) => row.map((v) => (total > 0 ? (v / total) * n : 0))));
}

/** Normalized margin of each object's label: (p_given − max other p + 1) / 2, lower = more likely wrong. */
export function normalizedMargin(row: ArrayLike<number>, given: number): number {
  let other = 0;
  for (let j = 0; j < row.length; j++) if (j !== given && row[j]! > other) other = row[j]!;
  return (row[given]! - other + 1) / 2;
}

/** Objects whose label looks wrong, most likely wrong first. `y`: class index of each object's label. */
export function findLabelIssues({
  y,
  probs,
  classes,
}: {
  y: ArrayLike<number>;
  probs: ArrayLike<number>[];
  classes: number;
}): LabelIssue[] {
  const joint = confidentJoint({ y, probs, classes });
  const flagged = new Set<number>();
  for (let given = 0; given < classes; given++) {
    const members: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === given) members.push(i);
    if (members.length <= 1) continue;
    for (let j = 0; j < classes; j++) {
      const count = j === given ? 0 : joint[given]![j]!;
      if (count <= 0) continue;
      const byMargin = [...members].sort(
        (a, b) => probs[b]![j]! - probs[b]![given]! - (probs[a]![j]! - probs[a]![given]!) || a - b,
      );
      for (const i of byMargin.slice(0, count)) flagged.add(i);
    }
  }
  const issues: LabelIssue[] = [];
  for (const i of flagged) {
    const row = probs[i]!;
    const given = y[i]!;
    let best = 0;
    for (let j = 1; j < classes; j++) if (row[j]! > row[best]!) best = j;
    // The model agrees with the label: not an issue, however the counting went.
    if (row[given]! + 1e-9 >= row[best]!) continue;
    issues.push({
      index: i,
      given,
      suggested: best,
      score: 1 - normalizedMargin(row, given),
      selfConfidence: row[given]!,
    });
  }
  return issues.sort((a, b) => b.score - a.score || a.index - b.index);
}
