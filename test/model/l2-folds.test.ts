import { describe, expect, it } from 'vitest';
import { l2Folds } from '../../pipeline/model/head.ts';

/*
 * The folds that choose the head's L2 penalty dealt rows, not photographs: with train.augment, a photograph's mirror
 * image was held out while the photograph itself was learnt from, a near-duplicate that made the weakest penalty look
 * best (helper M2's measurement in docs/backbone.md: L2 0.01 chosen every time once copies were among the rows).
 */
describe('the folds that choose L2', () => {
  // 30 photographs of three classes, each with its mirror image: rows 2i and 2i+1 are one photograph.
  const photographs = Array.from({ length: 30 }, (_, i) => ({ key: `md5-${i}`, y: i % 3 }));
  const rows = photographs.flatMap((p) => [p, p]);
  const train = { x: rows.map(() => new Float32Array(2)), y: rows.map((r) => r.y), keys: rows.map((r) => r.key) };

  it('hold out a photograph with its mirror image, never one without the other', () => {
    const fold = l2Folds({ train, classes: 3, k: 5, seed: 7 });
    for (let i = 0; i < rows.length; i += 2) expect(fold[i + 1], rows[i]!.key).toBe(fold[i]);
  });

  it('deal each class’s photographs across every fold, as evenly as they go', () => {
    const fold = l2Folds({ train, classes: 3, k: 5, seed: 7 });
    for (let c = 0; c < 3; c++) {
      const counts = new Array(5).fill(0);
      for (let i = 0; i < rows.length; i += 2) if (rows[i]!.y === c) counts[fold[i]!]++;
      expect(counts, `class ${c}`).toEqual([2, 2, 2, 2, 2]);
    }
  });

  it('deal one row per photograph as without keys, and leave rows out of the sample at -1', () => {
    const single = { x: photographs.map(() => new Float32Array(2)), y: photographs.map((p) => p.y) };
    const keyed = { ...single, keys: photographs.map((p) => p.key) };
    expect(l2Folds({ train: keyed, classes: 3, k: 5, seed: 3 })).toEqual(
      l2Folds({ train: single, classes: 3, k: 5, seed: 3 }),
    );
    const sample = Uint8Array.from(photographs, (_, i) => (i < 15 ? 1 : 0));
    const fold = l2Folds({ train: keyed, classes: 3, k: 5, seed: 3, sample });
    expect(fold.slice(15).every((f) => f === -1)).toBe(true);
    expect(fold.slice(0, 15).every((f) => f >= 0 && f < 5)).toBe(true);
  });
});
