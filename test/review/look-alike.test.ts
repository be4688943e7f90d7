import { describe, expect, it } from 'vitest';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { renderReview, reviewFromOof } from '../../pipeline/review/index.ts';
import { conflictingPairs } from '../../pipeline/review/look-alike.ts';

/*
 * A tester, on the README demo: a correctly labelled vase was flagged second ("the model says print, 100%"),
 * because a mislabelled vase with a very similar photograph was labelled print: out of fold, each of the two is
 * predicted from the other, so confident learning flags both and cannot tell which label is wrong. Here
 * "vase-ok" (vessel, right) and "vase-bad" (print, wrong) have near-identical embeddings; "lone" is a plain
 * mistake (print, looks like a vessel) whose nearest photograph is a vessel no one doubts.
 */

const dims = 12;
// Deterministic noise (a small linear congruential generator): no two runs differ.
let state = 12345;
const noise = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648 - 0.5;
};
const around = (axis: number, spread: number) =>
  Array.from({ length: dims }, (_, j) => (j === axis ? 1 : 0) + spread * noise());

const objects: { id: string; label: string; p: number[]; v: number[] }[] = [];
for (let i = 0; i < 30; i++) objects.push({ id: `v${i}`, label: 'vessel', p: [0.95, 0.05], v: around(0, 0.6) });
for (let i = 0; i < 30; i++) objects.push({ id: `p${i}`, label: 'print', p: [0.05, 0.95], v: around(1, 0.6) });
const vase = around(0, 0.3);
objects.push({ id: 'vase-ok', label: 'vessel', p: [0.001, 0.999], v: vase });
objects.push({ id: 'vase-bad', label: 'print', p: [0.998, 0.002], v: vase.map((x, j) => x + (j === 3 ? 0.001 : 0)) });
objects.push({ id: 'lone', label: 'print', p: [0.99, 0.01], v: around(0, 0.6) });

const oof: OofFile = {
  schema: 'vitrine.oof/1',
  labels: ['vessel', 'print'],
  k: 5,
  seed: 42,
  objects: objects.map((o) => ({ id: o.id, label: o.label, split: 'train', fold: 0, probabilities: o.p })),
};
const vectors = new Map(objects.map((o) => [o.id, o.v]));

describe('look-alike objects with conflicting labels', () => {
  it('are one pair in the review list, not two suspects, and a plain mistake stays a suspect', () => {
    const review = reviewFromOof({ oof: oof, vectors });
    const byId = new Map(review.items.map((i) => [i.id, i]));
    expect(byId.get('vase-ok')?.reason).toBe('flagged');
    expect(byId.get('vase-ok')?.lookAlike).toMatchObject({ id: 'vase-bad', label: 'print' });
    expect(byId.get('vase-ok')!.lookAlike!.similarity).toBeGreaterThan(0.99);
    expect(byId.get('vase-bad')?.lookAlike).toMatchObject({ id: 'vase-ok', label: 'vessel' });
    expect(byId.get('lone')?.reason).toBe('flagged');
    expect(byId.get('lone')?.lookAlike).toBeUndefined();
    // The two side by side in the list.
    const at = review.items.findIndex((i) => i.lookAlike);
    expect(new Set(review.items.slice(at, at + 2).map((i) => i.id))).toEqual(new Set(['vase-ok', 'vase-bad']));
    const text = renderReview({ review, titles: new Map([['vase-ok', 'Vase with Two Handles']]) });
    expect(text).toContain(
      'vase-ok “Vase with Two Handles”, labelled vessel, and vase-bad labelled print: almost certainly the same ' +
        'photograph or a copy of it, but different labels; at least one of the two labels is probably wrong',
    );
    expect(text).not.toMatch(/vase-ok .*the model says/);
    expect(text).toMatch(/lone +labelled print, the model says vessel/);
  });

  it('are not a pair when their photographs are far apart', () => {
    // The same two conflicting flags, but photographs unlike each other.
    const far = new Map(vectors);
    far.set('vase-ok', around(0, 0.6));
    far.set(
      'vase-bad',
      around(0, 0.6).map((x) => -x),
    );
    const review = reviewFromOof({ oof: oof, vectors: far });
    expect(review.items.filter((i) => i.lookAlike)).toEqual([]);
  });

  it('are left as they were without embeddings (a review list made before they were recorded)', () => {
    expect(reviewFromOof({ oof }).items.filter((i) => i.lookAlike)).toEqual([]);
  });
});

describe('conflicting pairs among several look-alikes', () => {
  // 30 background objects, two tight classes, so that the cut exists.
  const background = () => {
    const vs: number[][] = [];
    const ys: number[] = [];
    for (let k = 0; k < 30; k++) {
      vs.push([1, 0.01 * k, k % 2 ? 0.2 : 0]);
      ys.push(k % 2);
    }
    return { vs, ys };
  };
  const mutual = (pairs: Map<number, { other: number }>) => {
    for (const [a, p] of pairs) expect(pairs.get(p.other)?.other, `${a} names ${p.other}`).toBe(a);
  };

  it('name each other: three near-identical photographs, one labelled the other way, make one pair', () => {
    const { vs, ys } = background();
    const i = vs.push([0, 1, 0.001]) - 1;
    ys.push(0); // labelled A, flagged as B
    const j = vs.push([0, 1, 0]) - 1;
    ys.push(1); // labelled B, flagged as A
    const k = vs.push([0, 1, -0.0008]) - 1;
    ys.push(0); // labelled A, flagged as B
    const pairs = conflictingPairs({
      vectors: vs,
      y: ys,
      flagged: new Map([
        [i, 1],
        [j, 0],
        [k, 1],
      ]),
    });
    mutual(pairs);
    // j is in one pair only, with the closer of the two (k); i is in no pair, but the three are one group.
    expect(pairs.get(j)?.other).toBe(k);
    expect(pairs.get(k)?.other).toBe(j);
    expect(pairs.has(i)).toBe(false);
  });

  it('name each other when many objects share one photograph (a placeholder), pairing by list order', () => {
    const same = Array.from({ length: 40 }, () => [1, 1, 1]);
    const ys = Array.from({ length: 40 }, (_, i) => i % 2);
    const flagged = new Map([
      [0, 1],
      [1, 0],
      [2, 1],
      [3, 0],
    ]);
    const pairs = conflictingPairs({ vectors: same, y: ys, flagged });
    mutual(pairs);
    expect([...pairs].map(([a, p]) => `${a}-${p.other}`).sort()).toEqual(['0-1', '1-0', '2-3', '3-2']);
  });
});
