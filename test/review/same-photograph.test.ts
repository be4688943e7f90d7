import { describe, expect, it } from 'vitest';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { renderReview, reviewFromOof } from '../../pipeline/review/index.ts';

/*
 * Outside tester (session 49): NHM.2019.1.1 (Mineral) was given a copy of L.0123426’s photograph (Fossil). The
 * dataset stage warned that the two have the same image, but `vitrine review` listed NHM.2019.1.1 alone, and never
 * named L.0123426: out of fold, the model still took L.0123426 for the Fossil it is labelled (many Fossils look like
 * it), so only one of the two was flagged, and a look-alike pair needed both flagged, each suggesting the other’s
 * label. One photograph under two labels is a pair whatever the model says of either: one label, or the photograph,
 * is wrong.
 */

const dims = 12;
let state = 4242;
const noise = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648 - 0.5;
};
const around = (axis: number, spread: number) =>
  Array.from({ length: dims }, (_, j) => (j === axis ? 1 : 0) + spread * noise());

const objects: { id: string; label: string; p: number[]; v: number[] }[] = [];
for (let i = 0; i < 30; i++) objects.push({ id: `m${i}`, label: 'Mineral', p: [0.95, 0.05], v: around(0, 0.6) });
for (let i = 0; i < 30; i++) objects.push({ id: `f${i}`, label: 'Fossil', p: [0.05, 0.95], v: around(1, 0.6) });
const photograph = around(1, 0.6);
// The model agrees with the Fossil’s label: it is no suspect of its own.
objects.push({ id: 'L.0123426', label: 'Fossil', p: [0.3, 0.7], v: photograph });
objects.push({ id: 'NHM.2019.1.1', label: 'Mineral', p: [0.02, 0.98], v: [...photograph] });

const oof: OofFile = {
  schema: 'vitrine.oof/1',
  labels: ['Mineral', 'Fossil'],
  k: 5,
  seed: 42,
  objects: objects.map((o) => ({ id: o.id, label: o.label, split: 'train', fold: 0, probabilities: o.p })),
};
const vectors = new Map(objects.map((o) => [o.id, o.v]));

describe('two objects with the same photograph and different labels', () => {
  it('are a pair in vitrine review even when the model flags only one of them', () => {
    const review = reviewFromOof({ oof, vectors });
    const byId = new Map(review.items.map((i) => [i.id, i]));
    expect(byId.get('NHM.2019.1.1')?.lookAlike).toEqual({ id: 'L.0123426', label: 'Fossil', similarity: 1 });
    expect(byId.get('L.0123426')?.lookAlike).toEqual({ id: 'NHM.2019.1.1', label: 'Mineral', similarity: 1 });
    // Side by side.
    const at = review.items.findIndex((i) => i.lookAlike);
    expect(new Set(review.items.slice(at, at + 2).map((i) => i.id))).toEqual(new Set(['L.0123426', 'NHM.2019.1.1']));
    const text = renderReview({ review });
    const pair = text.split('\n').find((l) => l.includes('NHM.2019.1.1'))!;
    expect(pair).toMatch(
      /NHM\.2019\.1\.1 labelled Mineral, and L\.0123426 labelled Fossil|L\.0123426 labelled Fossil, and NHM/,
    );
    expect(pair).toContain(
      'almost certainly the same photograph or a copy of it, but different labels; at least one of the two labels ' +
        'is probably wrong',
    );
    expect(text).not.toMatch(/NHM\.2019\.1\.1 +labelled Mineral, the model says/);
  });

  it('with the same label are no pair', () => {
    const same = { ...oof, objects: oof.objects.map((o) => (o.id === 'L.0123426' ? { ...o, label: 'Mineral' } : o)) };
    const review = reviewFromOof({ oof: same, vectors });
    expect(review.items.filter((i) => i.lookAlike)).toEqual([]);
  });
});

describe('one photograph shared by three objects', () => {
  /*
   * A photograph shared by three objects: two Minerals (one of them flagged) and a Fossil. The flagged Mineral’s
   * nearest photograph was the other Mineral’s (the same photograph, earlier in the list), so the Fossil under the
   * same photograph was never paired with it and review listed the flagged Mineral alone.
   */
  it('pairs the flagged object with the one under another label, not the one under its own', () => {
    const twin = { id: 'NHM.2019.1.2', label: 'Mineral', p: [0.95, 0.05], v: [...photograph] };
    const three = [twin, ...objects];
    const withTwin: OofFile = {
      ...oof,
      objects: three.map((o) => ({ id: o.id, label: o.label, split: 'train', fold: 0, probabilities: o.p })),
    };
    const review = reviewFromOof({ oof: withTwin, vectors: new Map(three.map((o) => [o.id, o.v])) });
    const byId = new Map(review.items.map((i) => [i.id, i]));
    expect(byId.get('NHM.2019.1.1')?.lookAlike).toEqual({ id: 'L.0123426', label: 'Fossil', similarity: 1 });
  });
});
