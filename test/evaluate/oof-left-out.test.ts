import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignFolds } from '../../pipeline/evaluate/crossval.ts';
import { crossValidate, oofFile } from '../../pipeline/evaluate/oof.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';

/*
 * crossValidate (train.flagged: drop runs it before training) with an object whose image has no
 * embedding (the backbone gave values that are not numbers): the others are cross-validated, that one
 * is neither learnt from nor predicted, and oof.json leaves it out instead of giving it a made-up answer.
 */

const labels = ['a', 'b', 'c'];
const params = {
  train: { ...defaultParams().train, epochs: 30, workers: 1 },
  evaluate: { ...defaultParams().evaluate, folds: 3 },
};

function collection(perClass: number) {
  const u = seededUniform(3);
  const objects: { id: string; image: string; imageMd5: string; split: 'train'; label: string }[] = [];
  const vectors = new Map<string, Float32Array>();
  const y: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < perClass; i++) {
      const n = objects.length;
      const v = Float32Array.from({ length: 6 }, (_, j) => (u() - 0.5) * 0.5 + (j % 3 === c ? 2 : 0));
      objects.push({
        id: `obj-${n}`,
        image: `images/${n}.jpg`,
        imageMd5: `md5-${n}`,
        split: 'train',
        label: labels[c]!,
      });
      vectors.set(`md5-${n}`, v);
      y.push(c);
    }
  }
  return { objects, vectors, y };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('crossValidate with an object without an embedding', () => {
  it('leaves it out of the folds and of oof.json, names it, and predicts the others', async () => {
    const { objects, vectors, y } = collection(6);
    vectors.delete('md5-4');
    const log = memoryLogger();
    const cv = await crossValidate({ tf, objects, vectors, y, labels, params, log });
    expect(cv.rows[4]).toBeUndefined();
    expect(cv.folds[4]).toBe(-1);
    for (const [i, row] of cv.rows.entries()) if (i !== 4) expect(Array.from(row!).every(Number.isFinite)).toBe(true);
    // The folds are drawn over the objects that are cross-validated.
    const kept = objects.filter((_, i) => i !== 4);
    const expected = assignFolds({ keys: kept.map((o) => o.imageMd5), k: 3, seed: params.train.seed });
    expect(Array.from(cv.folds).filter((_, i) => i !== 4)).toEqual(Array.from(expected));
    const oof = oofFile({ labels, objects, folds: cv.folds, rows: cv.rows, k: cv.k, seed: params.train.seed });
    expect(oof.objects.map((o) => o.id)).toEqual(kept.map((o) => o.id));
    const warning = log.lines.find((l) => l.level === 'warn')?.message;
    expect(warning).toContain('1 object is left out of cross-validation');
    expect(warning).toContain('obj-4 (data/images/4.jpg)');
  }, 60_000);

  it('is unchanged when every object has an embedding', async () => {
    const { objects, vectors, y } = collection(4);
    const log = memoryLogger();
    const cv = await crossValidate({ tf, objects, vectors, y, labels, params, log });
    expect(Array.from(cv.folds)).toEqual(
      Array.from(assignFolds({ keys: objects.map((o) => o.imageMd5), k: 3, seed: params.train.seed })),
    );
    expect(cv.rows.every((r) => r !== undefined)).toBe(true);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  }, 60_000);
});
