import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { type LabelledVectors, trainHead } from '../../pipeline/model/head.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { seededUniform } from '../../pipeline/random.ts';

/*
 * What trainHead tells about its solver, for model-info.json and the model card: the lbfgs head has
 * no epochs, so it says how many L-BFGS iterations the fit took, whether it converged, and how its L2
 * was chosen.
 */

const labels = ['coin', 'mask', 'vessel'];

function blobs({ n, seed }: { n: number; seed: number }): LabelledVectors {
  const u = seededUniform(seed);
  const x: Float32Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push(Float32Array.from({ length: 8 }, (_, j) => (j === c ? 2 : 0) + (u() - 0.5)));
    y.push(c);
  }
  return { x, y };
}

const train = (over: Partial<ReturnType<typeof defaultParams>['train']> = {}) => ({
  ...defaultParams().train,
  solver: 'lbfgs' as const,
  hidden_units: 0,
  ...over,
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainHead reports what its solver did', () => {
  it('lbfgs: iterations to convergence, and an L2 chosen by 3-fold cross-validation among the choices', async () => {
    const log = memoryLogger();
    const { model, history } = await trainHead({
      tf,
      train: blobs({ n: 60, seed: 1 }),
      labels,
      params: train({ l2_choices: [0.1, 1, 0.1, 0.01] }),
      log,
    });
    model.dispose();
    expect(history.lbfgs).toMatchObject({
      converged: true,
      l2Chosen: 'cross-validation',
      choices: [1, 0.1, 0.01],
      folds: 3,
      sampled: false,
    });
    expect(history.lbfgs!.iterations).toBeGreaterThan(0);
    expect(history.lbfgs!.iterations).toBeLessThan(300);
    expect([1, 0.1, 0.01]).toContain(history.l2);
    // Said to staff in plain words: no solver's name.
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain(`until it stopped improving (${history.lbfgs!.iterations} steps)`);
    expect(said).not.toMatch(/L-BFGS|converge/);
  });

  it('lbfgs: a single L2 is fixed; too few objects to compare keeps the largest; a large set is sampled', async () => {
    const fixed = await trainHead({
      tf,
      train: blobs({ n: 30, seed: 2 }),
      labels,
      params: train({ l2_choices: [0.3] }),
      log: silentLogger,
    });
    fixed.model.dispose();
    expect(fixed.history.lbfgs).toMatchObject({ l2Chosen: 'fixed', choices: [0.3], folds: 0, sampled: null });
    expect(fixed.history.l2).toBe(0.3);

    const few = await trainHead({
      tf,
      train: blobs({ n: 4, seed: 3 }),
      labels,
      params: train({ l2_choices: [0.1, 3] }),
      log: silentLogger,
    });
    few.model.dispose();
    expect(few.history.lbfgs).toMatchObject({ l2Chosen: 'largest', folds: 0 });
    expect(few.history.l2).toBe(3);

    const sampled = await trainHead({
      tf,
      train: blobs({ n: 90, seed: 4 }),
      labels,
      params: train({ l2_choices: [0.1, 1], l2_cv_max_objects: 30 }),
      log: silentLogger,
    });
    sampled.model.dispose();
    expect(sampled.history.lbfgs).toMatchObject({ l2Chosen: 'cross-validation', folds: 3, sampled: true });
  });

  it('adam (and any head with hidden units) runs epochs and has no lbfgs facts', async () => {
    for (const params of [train({ solver: 'adam', epochs: 2 }), train({ hidden_units: 4, epochs: 2 })]) {
      const { model, history } = await trainHead({
        tf,
        train: blobs({ n: 30, seed: 5 }),
        labels,
        params,
        log: silentLogger,
      });
      model.dispose();
      expect(history.lbfgs).toBeUndefined();
      expect(history.epochs).toBe(2);
    }
  });
});
