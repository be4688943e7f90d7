import { describe, expect, it } from 'vitest';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * An outside tester's settings that passed `vitrine params` and then misled or crashed a run: evaluate.baseline
 * "production" (no such model: a much worse model was judged on its own and promoted), train.dropout 1 (training
 * stopped as "a bug in Vitrine"), learning_rate 0 ("is 0, expected at least 0"), and evaluate.alpha 0, 1 or so
 * small that no p-value from evaluate.bootstrap resamples can be below it. Each case failed before the fix.
 */

const { load, errorOf } = paramsTexts({ prefix: 'vitrine-params-evaluate-' });

describe('evaluate.baseline', () => {
  it('refuses a name that is no stage or version, naming the line, with a did-you-mean', async () => {
    const message = await errorOf('train:\n  epochs: 5\nevaluate:\n  baseline: production\n');
    expect(message).toContain('params.yaml:4: "evaluate.baseline" is "production", expected prod');
    expect(message).toContain('Did you mean "prod"?');
    expect(await errorOf('evaluate:\n  baseline: Prod\n')).toContain('Did you mean "prod"?');
    expect(await errorOf('evaluate:\n  baseline: nnoe\n')).toContain('Did you mean "none"?');
    expect(await errorOf('evaluate:\n  baseline: ""\n')).toContain('"evaluate.baseline" is ""');
    expect(await errorOf('evaluate:\n  baseline: v1.2\n')).toContain('"evaluate.baseline" is "v1.2"');
  });

  it('accepts prod, none, latest and a version with or without its v', async () => {
    for (const baseline of ['prod', 'none', 'latest', 'v1.0.0', '1.2.3', 'v2.0.0-rc.1'])
      expect((await load(`evaluate:\n  baseline: "${baseline}"\n`)).evaluate.baseline).toBe(baseline);
  });
});

describe('evaluate.baseline naming a stage assigned with GTO', () => {
  // `gto assign` writes a stage tag such as collection-classifier#staging#1, and the registry finds a version by any
  // stage it holds (findVersion): the check refused every stage but prod.
  it('accepts a stage name GTO allows, and still refuses a slip for prod, none or latest', async () => {
    for (const baseline of ['staging', 'dev', 'qa', 'pre-prod', 'team/review'])
      expect((await load(`evaluate:\n  baseline: ${baseline}\n`)).evaluate.baseline).toBe(baseline);
    const production = await errorOf('evaluate:\n  baseline: production\n');
    expect(production).toContain('Did you mean "prod"?');
    expect(production).toContain('another stage assigned with GTO');
    // Not a name GTO allows: capitals, a dot, a space.
    for (const baseline of ['Staging', 'stage.1', 'my stage'])
      expect(await errorOf(`evaluate:\n  baseline: "${baseline}"\n`)).toContain(`"evaluate.baseline" is "${baseline}"`);
  });
});

describe('training settings that crashed a run', () => {
  it('refuses dropout of 1 or more, naming the line', async () => {
    const message = await errorOf('train:\n  epochs: 5\n  dropout: 1\n');
    expect(message).toContain('params.yaml:3: "train.dropout" is 1, expected less than 1');
    expect(await errorOf('train:\n  dropout: 1.5\n')).toContain('"train.dropout" is 1.5, expected less than 1');
    expect((await load('train:\n  dropout: 0.9\n')).train.dropout).toBe(0.9);
    expect((await load('train:\n  dropout: 0\n')).train.dropout).toBe(0);
  });

  it('says "more than 0" for a setting that must be positive, not "at least 0"', async () => {
    const rate = await errorOf('train:\n  learning_rate: 0\n');
    expect(rate).toContain('"train.learning_rate" is 0, expected more than 0');
    expect(rate).not.toContain('at least 0');
    expect(await errorOf('train:\n  learning_rate: -1\n')).toContain('expected more than 0');
    const side = await errorOf('catalogue:\n  deep_zoom_min_side: 0\n');
    expect(side).toContain('"catalogue.deep_zoom_min_side" is 0, expected more than 0');
  });
});

describe('evaluate.alpha', () => {
  it('refuses 0 and 1: a test at either level could never or would always find a difference', async () => {
    expect(await errorOf('evaluate:\n  alpha: 0\n')).toContain('"evaluate.alpha" is 0, expected more than 0');
    expect(await errorOf('evaluate:\n  alpha: 1\n')).toContain('"evaluate.alpha" is 1, expected less than 1');
  });

  it('refuses a level no p-value from evaluate.bootstrap resamples can be below, saying what to change', async () => {
    const message = await errorOf('evaluate:\n  bootstrap: 1000\n  alpha: 1e-7\n');
    expect(message).toContain('params.yaml:3: "evaluate.alpha" is 1e-7');
    expect(message).toContain('evaluate.bootstrap');
    expect(message).toContain('0.002');
    // 2 / (1000 + 1) is the smallest p-value of 1000 resamples: alpha must be above it.
    expect(await errorOf('evaluate:\n  alpha: 0.001\n')).toContain('"evaluate.alpha" is 0.001');
    expect((await load('evaluate:\n  alpha: 0.01\n')).evaluate.alpha).toBe(0.01);
    expect((await load('evaluate:\n  bootstrap: 10000\n  alpha: 0.001\n')).evaluate.alpha).toBe(0.001);
  });

  it('leaves the other fractions as they were: 0 and 1 still allowed', async () => {
    const params = await load('evaluate:\n  min_change: 0\ngate:\n  max_macro_f1_drop: 1\n  min_unseen_macro_f1: 0\n');
    expect(params.evaluate.min_change).toBe(0);
    expect(params.gate.max_macro_f1_drop).toBe(1);
  });
});
