import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Tester T10 (LOW): a maintainer raised train.epochs from 80 to 120; the model is fitted in one go by default
 * (train.solver lbfgs), which never reads it. The run trained again and the report listed "train.epochs | 80 | 120"
 * with no word that it changes nothing; only the merge's "The model is unchanged since version v2.0.0" hinted at it.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const fittedInOneGo = {
  epochs: 1,
  history: { loss: [0.01], valLoss: [0.78], accuracy: [1], valAccuracy: [0.67] },
  l2: 0.01,
  lbfgs: {
    iterations: 36,
    converged: true,
    l2Chosen: 'cross-validation' as const,
    choices: [3, 1, 0.3, 0.1, 0.03, 0.01],
    folds: 3,
    sampled: false,
  },
};

describe('settings changed that the model does not use', () => {
  it('are said under the settings table when the model is fitted in one go', async () => {
    const { ws } = await makeRepo({
      objects,
      base: labels,
      head: labels,
      baseParams: 'train:\n  epochs: 40\n  batch_size: 32\n  seed: 1\n',
      headParams: 'train:\n  epochs: 60\n  batch_size: 64\n  seed: 2\n',
    });
    // The run's params are the head's params.yaml.
    const head = validateParams({ raw: { train: { epochs: 60, batch_size: 64, seed: 2 } } });
    await writeStageOutputs({ ws, objects, head: labels, params: head, model: fittedInOneGo });
    const { markdown } = await buildReport({ ws, params: head, base: 'main', log: silentLogger });
    expect(markdown).toContain(
      'Not used by this model, which is fitted in one go (the default): `train.batch_size`, `train.epochs`. ' +
        'Changing them trains again but gives the same model.',
    );
    expect(markdown).not.toMatch(/Not used by this model[^\n]*train\.seed/);
  });

  it('are not said of a model trained in passes, which uses them', async () => {
    const { ws } = await makeRepo({ objects, base: labels, head: labels });
    await writeStageOutputs({ ws, objects, head: labels, params });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain('train.epochs');
    expect(markdown).not.toContain('Not used by this model');
  });

  // Reviewer V16 (LOW): a pull request switching train.solver from adam to lbfgs while changing train.epochs was
  // told "gives the same model": the model did change, by the solver.
  it('do not promise the same model when the change also switches how the model is trained', async () => {
    const { ws } = await makeRepo({
      objects,
      base: labels,
      head: labels,
      baseParams: 'train:\n  solver: adam\n  epochs: 40\n',
      headParams: 'train:\n  solver: lbfgs\n  epochs: 60\n',
    });
    const head = validateParams({ raw: { train: { solver: 'lbfgs', epochs: 60 } } });
    await writeStageOutputs({ ws, objects, head: labels, params: head, model: fittedInOneGo });
    const { markdown } = await buildReport({ ws, params: head, base: 'main', log: silentLogger });
    expect(markdown).toContain('Not used by this model, which is fitted in one go (the default): `train.epochs`.');
    expect(markdown).not.toContain('gives the same model');
  });
});
