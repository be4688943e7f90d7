import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignFolds, groupFolds, outOfFoldProbabilities, stratifiedSample } from '../../pipeline/evaluate/crossval.ts';
import { outOfCollectionEstimate } from '../../pipeline/evaluate/out-of-collection.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';

/*
 * Out-of-fold probabilities on synthetic embeddings: three well-separated clusters, one object
 * per class labelled against its cluster. Each object must be predicted by a head that never saw it.
 */

const labels = ['a', 'b', 'c'];
const train = { ...defaultParams().train, epochs: 100, patience: 20, learning_rate: 0.05, batch_size: 8 };

function clusters(perClass: number, seed = 1): { x: Float32Array[]; y: number[] } {
  const u = seededUniform(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perClass; i++) {
      const v = new Float32Array(8);
      for (let j = 0; j < 8; j++) v[j] = (u() - 0.5) * 0.6 + (j % 3 === c ? 2 : 0);
      x.push(v);
      y.push(c);
    }
  }
  return { x, y };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('assignFolds', () => {
  it('puts each image in one fold, of sizes about n / k, fixed by the seed', () => {
    const keys = Array.from({ length: 440 }, (_, i) => `img${i % 400}`);
    const folds = assignFolds({ keys, k: 4, seed: 7 });
    expect(folds).toEqual(assignFolds({ keys, k: 4, seed: 7 }));
    expect(folds).not.toEqual(assignFolds({ keys, k: 4, seed: 8 }));
    // The same image twice: the same fold (a copy must never be both trained on and predicted).
    for (let i = 400; i < 440; i++) expect(folds[i]).toBe(folds[i - 400]);
    // Drawn by a hash, not dealt: 100 images a fold on average, about ±9 (four standard deviations: ±35).
    const sizes = [0, 1, 2, 3].map((f) => Array.from(folds.slice(0, 400)).filter((v) => v === f).length);
    for (const size of sizes) expect(Math.abs(size - 100)).toBeLessThan(35);
  });
});

describe('stratifiedSample', () => {
  it('always keeps the objects it is told to (the labels a pull request changes) and two of every class', () => {
    const strata = Array.from({ length: 1000 }, (_, i) => (i < 997 ? i % 4 : 4 + (i % 2)));
    const keys = strata.map((_, i) => `img${i}`);
    const keep = new Uint8Array(1000);
    for (const i of [3, 17, 400, 401, 998]) keep[i] = 1;
    const sample = stratifiedSample({ keys, strata, max: 100, seed: 5, keep });
    for (const i of [3, 17, 400, 401, 998]) expect(sample[i]).toBe(1);
    // Classes 4 (2 objects) and 5 (1 object) are far below one object's share of 100 in 1,000.
    for (const i of [997, 998, 999]) expect(sample[i]).toBe(1);
    expect(sample.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100 + 5 + 3);
  });

  it('moves few objects in or out when one label changes (each image keeps its rank in its class)', () => {
    const strata = Array.from({ length: 5000 }, (_, i) => i % 5);
    const keys = strata.map((_, i) => `img${i}`);
    const before = stratifiedSample({ keys, strata, max: 1000, seed: 5 });
    const changed = [...strata];
    changed[42] = (changed[42]! + 1) % 5;
    const after = stratifiedSample({ keys, strata: changed, max: 1000, seed: 5 });
    const moved = before.reduce((n, v, i) => n + (v !== after[i] ? 1 : 0), 0);
    expect(moved).toBeLessThanOrEqual(4);
  });

  it('keeps at most `max` objects, each class in its share, fixed by the seed and by nothing else', () => {
    // 600 of class 0, 300 of class 1, 100 of class 2; objects 580–599 show the images of 560–579.
    const strata = Array.from({ length: 1000 }, (_, i) => (i < 600 ? 0 : i < 900 ? 1 : 2));
    const keys = strata.map((_, i) => `img${i >= 580 && i < 600 ? i - 20 : i}`);
    const sample = stratifiedSample({ keys, strata, max: 200, seed: 5 });
    const kept = (c: number) => strata.filter((s, i) => s === c && sample[i]).length;
    expect([kept(0), kept(1), kept(2)]).toEqual([120, 60, 20]);
    expect(sample).toEqual(stratifiedSample({ keys, strata, max: 200, seed: 5 }));
    expect(sample).not.toEqual(stratifiedSample({ keys, strata, max: 200, seed: 6 }));
    // The objects' order does not change which images are kept.
    const order = strata.map((_, i) => i).reverse();
    const reversed = stratifiedSample({
      keys: order.map((i) => keys[i]!),
      strata: order.map((i) => strata[i]!),
      max: 200,
      seed: 5,
    });
    expect(order.map((i) => sample[i])).toEqual(Array.from(reversed));
    // A copy of an image is kept or left out with it.
    for (let i = 580; i < 600; i++) expect(sample[i]).toBe(sample[i - 20]);
    // Nothing to leave out: every object is kept.
    expect(Array.from(stratifiedSample({ keys, strata, max: 1000, seed: 5 }))).toEqual(strata.map(() => 1));
  });
});

describe('groupFolds', () => {
  it('leaves one group out at a time, and pools groups into at most maxFolds folds', () => {
    const groups = ['met', 'met', 'cleveland', 'met', 'cleveland', 'brooklyn'];
    const { folds, names } = groupFolds({ groups, maxFolds: 10 });
    expect(names).toEqual(['met', 'cleveland', 'brooklyn']);
    expect(Array.from(folds)).toEqual([0, 0, 1, 0, 1, 2]);
    const many = Array.from({ length: 30 }, (_, i) => `g${i}`);
    const pooled = groupFolds({ groups: many, maxFolds: 5 });
    expect(new Set(pooled.folds).size).toBe(5);
  });
});

describe('outOfFoldProbabilities', () => {
  it('gives every object a probability row from a head that did not train on it, the same on every run', async () => {
    const { x, y } = clusters(12);
    // Object 0 sits in cluster a but is labelled c: a head trained on it would lean to c; one that never saw it says a.
    const given = [...y];
    given[0] = 2;
    const folds = assignFolds({ keys: x.map((_, i) => `k${i}`), k: 4, seed: 3 });
    const validation = x.map((_, i) => i % 7 === 0 && i !== 0);
    const run = () =>
      outOfFoldProbabilities({ tf, x, y: given, validation, folds, k: 4, labels, train, log: silentLogger });
    const rows = await run();
    expect(rows).toHaveLength(x.length);
    for (const row of rows) expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    expect(rows[0]![0]).toBeGreaterThan(rows[0]![2]!);
    const right = rows.filter((row, i) => i !== 0 && row.indexOf(Math.max(...row)) === y[i]).length;
    expect(right).toBeGreaterThanOrEqual(x.length - 3);
    expect((await run()).map((r) => Array.from(r))).toEqual(rows.map((r) => Array.from(r)));
  });

  it('does not train on objects whose class is -1, but still predicts them', async () => {
    const { x, y } = clusters(10, 2);
    const given = y.map((c, i) => (i < 5 ? -1 : c));
    const folds = assignFolds({ keys: x.map((_, i) => `k${i}`), k: 3, seed: 1 });
    const rows = await outOfFoldProbabilities({
      tf,
      x,
      y: given,
      validation: x.map(() => false),
      folds,
      k: 3,
      labels,
      train,
      log: silentLogger,
    });
    for (let i = 0; i < 5; i++) expect(rows[i]!.indexOf(Math.max(...rows[i]!))).toBe(0);
  });
});

describe('outOfFoldProbabilities on worker threads', () => {
  it('trains the folds on worker threads and gives exactly the rows of the main thread', async () => {
    const { x, y } = clusters(12, 4);
    const folds = assignFolds({ keys: x.map((_, i) => `k${i}`), k: 4, seed: 2 });
    const validation = x.map((_, i) => i % 5 === 0);
    const given = y.map((c, i) => (i % 9 === 0 ? -1 : c));
    const run = (workers: number, log = silentLogger) =>
      outOfFoldProbabilities({
        tf,
        x,
        y: given,
        validation,
        folds,
        k: 4,
        labels,
        train: { ...train, epochs: 30, workers },
        log,
      });
    const log = memoryLogger();
    const threaded = await run(2, log);
    expect(log.lines.map((l) => l.message)).toContainEqual(expect.stringContaining('on 2 worker threads'));
    const single = await run(1);
    expect(threaded.map((r) => Array.from(r))).toEqual(single.map((r) => Array.from(r)));
  }, 60_000);

  it('keeps small lbfgs heads on the main thread with train.workers 0 (a worker costs more to start)', async () => {
    // Fewer rows than half the dimensions: the heads fit in their rows' span, in a fraction of a second.
    const { x: narrow, y } = clusters(10, 3);
    const x = narrow.map((v) =>
      Float32Array.from({ length: 64 }, (_, j) => v[j % 8]! + 0.01 * Math.sin(j * (v[0]! + 1))),
    );
    const folds = assignFolds({ keys: x.map((_, i) => `k${i}`), k: 3, seed: 2 });
    const validation = x.map(() => false);
    const log = memoryLogger();
    const run = (workers: number) =>
      outOfFoldProbabilities({ tf, x, y, validation, folds, k: 3, labels, train: { ...train, workers }, log });
    const auto = await run(0);
    expect(log.lines.map((l) => l.message)).not.toContainEqual(expect.stringContaining('worker threads'));
    expect(auto.map((r) => Array.from(r))).toEqual((await run(1)).map((r) => Array.from(r)));
  }, 60_000);
});

describe('outOfCollectionEstimate', () => {
  it('holds out each source whole, and is lower than random folds when a source photographs differently', async () => {
    // Two museums; the second photographs everything with a strong shift on the class axes.
    const a = clusters(14, 5);
    const b = clusters(14, 6);
    const shifted = b.x.map((v) => v.map((value, j) => value + (j % 3 === 0 ? 1.6 : j % 3 === 1 ? -0.8 : 0)));
    const x = [...a.x, ...shifted];
    const y = [...a.y, ...b.y];
    const groups = [...a.x.map(() => 'museum A'), ...b.x.map(() => 'museum B')];
    const validation = x.map(() => false);
    const params = { ...defaultParams(), train };
    const folds = assignFolds({ keys: x.map((_, i) => `k${i}`), k: 4, seed: 1 });
    const randomRows = await outOfFoldProbabilities({
      tf,
      x,
      y,
      validation,
      folds,
      k: 4,
      labels,
      train,
      log: silentLogger,
    });
    const estimate = await outOfCollectionEstimate({
      tf,
      x,
      y,
      groups,
      validation,
      randomRows,
      labels,
      params,
      field: 'museum',
      log: silentLogger,
    });
    expect(estimate.field).toBe('museum');
    expect(estimate.n).toBe(x.length);
    expect(estimate.groups.map((g) => [g.value, g.n])).toEqual([
      ['museum A', 42],
      ['museum B', 42],
    ]);
    expect(estimate.randomFolds.macroF1.value).toBeGreaterThan(estimate.macroF1.value + 0.1);
    expect(estimate.macroF1.low).toBeLessThanOrEqual(estimate.macroF1.value);
    expect(estimate.macroF1.high).toBeGreaterThanOrEqual(estimate.macroF1.value);
  });
});
