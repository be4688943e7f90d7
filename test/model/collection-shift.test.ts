import { describe, expect, it } from 'vitest';
import { priorShiftEM, refinePrototypes, standardiseByCollection } from '../../pipeline/model/collection-shift.ts';

const mean = (rows: Float32Array[], j: number) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length;
const atAngle = (degrees: number) => [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180)];

describe('standardiseByCollection', () => {
  const x = [
    [1, 10],
    [3, 14],
    [101, -5],
    [105, -1],
    [103, -3],
  ];
  const collection = ['met', 'met', 'cleveland', 'cleveland', 'cleveland'];

  it("centres each collection on its own mean, leaving each row's place within its collection", () => {
    const out = standardiseByCollection({ x, collection, scale: false });
    const met = [out[0]!, out[1]!];
    const cleveland = [out[2]!, out[3]!, out[4]!];
    for (const rows of [met, cleveland]) for (const j of [0, 1]) expect(mean(rows, j)).toBeCloseTo(0, 6);
    expect(Array.from(out[0]!)).toEqual([-1, -2]);
    expect(Array.from(out[3]!)).toEqual([2, 2]);
  });

  it('scales each collection to unit standard deviation when asked', () => {
    const out = standardiseByCollection({ x, collection, scale: true });
    expect(Array.from(out[0]!)).toEqual([-1, -1]);
    expect(out[3]![0]).toBeCloseTo(2 / Math.sqrt(8 / 3), 5);
  });

  it('names the mismatch when a row or a collection is missing', () => {
    expect(() => standardiseByCollection({ x, collection: ['met'], scale: false })).toThrow(
      /1 collections given for 5/,
    );
    expect(() => standardiseByCollection({ x: [[1, 2], [3]], collection: ['a', 'a'], scale: false })).toThrow(
      /row 1 has 1 numbers/,
    );
  });
});

describe('refinePrototypes', () => {
  // Labelled objects at 0° and 90°; the other collection's photographs are turned: its class 0 lies
  // between 35° and 55°, so half of it is nearer the class-1 prototype until the prototypes move.
  const source = { x: [atAngle(-2), atAngle(2), atAngle(88), atAngle(92)], y: [0, 0, 1, 1] };
  const target = [...[35, 38, 41, 44, 46, 49, 52, 55].map(atAngle), ...[125, 130, 135, 140, 145].map(atAngle)];
  const truth = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
  const accuracy = (probs: Float64Array[]) =>
    probs.filter((p, i) => (p[0]! > p[1]! ? 0 : 1) === truth[i]).length / truth.length;

  it('moves the prototypes to the unlabelled collection and gets what the labelled ones missed', () => {
    const before = refinePrototypes({ source, target, classes: 2, iterations: 0 });
    const after = refinePrototypes({ source, target, classes: 2, iterations: 5 });
    expect(accuracy(before)).toBeCloseTo(9 / 13, 6);
    expect(accuracy(after)).toBe(1);
    for (const row of after) expect(row[0]! + row[1]!).toBeCloseTo(1, 9);
  });
});

describe('priorShiftEM', () => {
  it("recovers the new collection's class shares from a balanced model's probabilities", () => {
    // p(a | class 0) = 0.8, p(a | class 1) = 0.3; the new collection is 80% class 0, so 70% of its rows are "a".
    const pa = [0.8 / 1.1, 0.3 / 1.1];
    const pb = [0.2 / 0.9, 0.7 / 0.9];
    const probs = [...Array.from({ length: 70 }, () => pa), ...Array.from({ length: 30 }, () => pb)];
    const { priors, probs: adjusted } = priorShiftEM({ probs, trainPriors: [0.5, 0.5], iterations: 2000 });
    expect(priors[0]).toBeCloseTo(0.8, 3);
    expect(priors[1]).toBeCloseTo(0.2, 3);
    // Re-weighted to 80/20, an "a" row is now more surely class 0 than the balanced model said.
    expect(adjusted[0]![0]).toBeGreaterThan(pa[0]!);
    expect(adjusted[0]![0]).toBeCloseTo((0.8 * 0.8) / (0.8 * 0.8 + 0.2 * 0.3), 3);
  });
});
