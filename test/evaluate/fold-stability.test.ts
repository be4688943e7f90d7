import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignFolds } from '../../pipeline/evaluate/crossval.ts';
import { crossValidate } from '../../pipeline/evaluate/oof.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';

/*
 * An outside tester (issue 13): editing one object's label in a pull request changed the
 * "looks mislabelled" answer on unrelated objects (EA 1900.9 "Sculpture 0.66, agreeing", then after an
 * unrelated edit "Jewellery 0.74, disagreeing"). The folds were dealt class by class from one random
 * stream, so moving one object to another class moved most objects after it to another fold. An
 * object's fold now depends on its photograph and the seed alone.
 */

const labels = ['a', 'b', 'c', 'd'];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Overlapping clusters, so that which objects a head learns from shows in its answers. */
function collection(perClass: number) {
  const u = seededUniform(11);
  const objects: { id: string; image: string; imageMd5: string; split: 'train' }[] = [];
  const vectors = new Map<string, Float32Array>();
  const y: number[] = [];
  for (let c = 0; c < labels.length; c++) {
    for (let i = 0; i < perClass; i++) {
      const n = objects.length;
      const v = Float32Array.from({ length: 8 }, (_, j) => (u() - 0.5) * 2.4 + (j % labels.length === c ? 1 : 0));
      objects.push({ id: `obj-${n}`, image: `images/${n}.jpg`, imageMd5: `md5-${n}`, split: 'train' });
      vectors.set(`md5-${n}`, v);
      y.push(c);
    }
  }
  return { objects, vectors, y };
}

describe('folds when another object’s label changes', () => {
  it('draws an object’s fold from its photograph and the seed alone, whatever the other objects', () => {
    const keys = Array.from({ length: 120 }, (_, i) => `md5-${i % 110}`);
    const before = assignFolds({ keys, k: 5, seed: 42 });
    // Another order, objects added (new labels in a pull request) or left out: each keeps its fold.
    const order = keys.map((_, i) => i).reverse();
    const reversed = assignFolds({ keys: order.map((i) => keys[i]!), k: 5, seed: 42 });
    expect(order.map((i) => before[i])).toEqual(Array.from(reversed));
    const added = assignFolds({ keys: ['md5-new', ...keys.slice(30)], k: 5, seed: 42 });
    expect(Array.from(added.slice(1))).toEqual(Array.from(before.slice(30)));
  });

  it('gives an object whose label did not change nearly the same out-of-fold answer', async () => {
    const { objects, vectors, y } = collection(15);
    const params = {
      train: { ...defaultParams().train, workers: 1 },
      evaluate: { ...defaultParams().evaluate, folds: 5 },
    };
    const run = (given: number[]) =>
      crossValidate({ tf, objects, vectors, y: given, labels, params, log: silentLogger });
    const before = await run(y);
    // One label edited, as in the tester’s pull request: an object of class a relabelled d.
    const edited = [...y];
    edited[3] = 3;
    const after = await run(edited);
    const others = objects.flatMap((_, i) => (i === 3 ? [] : [i]));
    expect(others.filter((i) => after.folds[i] !== before.folds[i])).toEqual([]);
    // The heads of the folds that learnt from the edited object differ by that one label (and, on so few objects,
    // now and then by the L2 penalty its inner 3-fold choice picks): the others' answers move a little, where the
    // folds dealt label by label moved them a lot (median 0.11, the most probable label of 6 of the 59 others).
    const top = (row: ArrayLike<number>) => Array.from(row).indexOf(Math.max(...Array.from(row)));
    const moved = others
      .map((i) => Math.max(...labels.map((_, c) => Math.abs(after.rows[i]![c]! - before.rows[i]![c]!))))
      .sort((a, b) => a - b);
    expect(moved[moved.length >> 1]!).toBeLessThan(0.05);
    expect(others.filter((i) => top(after.rows[i]!) !== top(before.rows[i]!)).length).toBeLessThanOrEqual(1);
  }, 120_000);
});

describe('a label whose objects all fall in one fold', () => {
  it('is named once in a warning: that fold’s model never learnt it', async () => {
    const u = seededUniform(5);
    const params = {
      train: { ...defaultParams().train, workers: 1 },
      evaluate: { ...defaultParams().evaluate, folds: 3 },
    };
    // Two photographs that the seed puts in the same fold, for the two objects labelled c.
    const candidates = Array.from({ length: 20 }, (_, i) => `md5-c${i}`);
    const drawn = assignFolds({ keys: candidates, k: 3, seed: params.train.seed });
    const pair = candidates.filter((_, i) => drawn[i] === drawn[0]).slice(0, 2);
    // 12 objects of a, 12 of b, the 2 of c, 1 of d (no fold could learn it: not warned of).
    const y = [...Array<number>(12).fill(0), ...Array<number>(12).fill(1), 2, 2, 3];
    const objects = y.map((c, i) => ({
      id: `obj-${i}`,
      image: `images/${i}.jpg`,
      imageMd5: c === 2 ? pair[i - 24]! : `md5-${i}`,
      split: 'train' as const,
    }));
    const vectors = new Map(
      objects.map((o, i) => [
        o.imageMd5,
        Float32Array.from({ length: 4 }, (_, j) => (u() - 0.5) * 0.5 + (j === y[i] ? 2 : 0)),
      ]),
    );
    const log = memoryLogger();
    await crossValidate({ tf, objects, vectors, y, labels, params, log });
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual([
      expect.stringContaining('the 2 objects labelled "c" were answered by a model that learnt no object labelled "c"'),
    ]);
    expect(warnings[0]).toContain('Label more objects "c".');
  }, 60_000);

  it('is named when the label’s only other object is set aside to check training, which no fold learns from', async () => {
    const u = seededUniform(3);
    const params = {
      train: { ...defaultParams().train, workers: 1 },
      evaluate: { ...defaultParams().evaluate, folds: 5 },
    };
    // Two photographs in one fold for the two objects of c learnt from, and one in another fold for the third,
    // in the validation split (used to stop training, never learnt from): found by a reviewer, unwarned.
    const candidates = Array.from({ length: 40 }, (_, i) => `md5-c${i}`);
    const drawn = assignFolds({ keys: candidates, k: 5, seed: params.train.seed });
    const pair = candidates.filter((_, i) => drawn[i] === drawn[0]).slice(0, 2);
    const other = candidates.find((_, i) => drawn[i] !== drawn[0])!;
    const y = [...Array<number>(15).fill(0), ...Array<number>(15).fill(1), 2, 2, 2];
    const objects = y.map((_, i) => ({
      id: `obj-${i}`,
      image: `images/${i}.jpg`,
      imageMd5: i === 30 ? pair[0]! : i === 31 ? pair[1]! : i === 32 ? other : `md5-${i}`,
      split: i === 32 ? ('validation' as const) : ('train' as const),
    }));
    const vectors = new Map(
      objects.map((o, i) => [
        o.imageMd5,
        Float32Array.from({ length: 4 }, (_, j) => (u() - 0.5) * 0.5 + (j === y[i] ? 2 : 0)),
      ]),
    );
    const log = memoryLogger();
    const { rows } = await crossValidate({ tf, objects, vectors, y, labels, params, log });
    // What the warning is about: the two are answered by a model that never saw c.
    expect(rows[30]![2]!).toBeLessThan(0.1);
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual([expect.stringContaining('2 of the 3 objects labelled "c" were answered by a model')]);
  }, 60_000);
});
