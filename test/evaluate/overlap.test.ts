import { describe, expect, it } from 'vitest';
import { buildMetrics } from '../../pipeline/evaluate/metrics.ts';
import { baselineOverlap } from '../../pipeline/evaluate/overlap.ts';
import { defaultParams } from '../../pipeline/params.ts';

const split = { validation: 0.15, test: 0.2, salt: 'vitrine-split-v1' };
const objects = ['a', 'b', 'c', 'd'].map((md5, i) => ({ id: `o${i + 1}`, imageMd5: md5.repeat(32) }));

describe('baselineOverlap', () => {
  it('marks the test objects whose image the baseline trained or validated on', () => {
    const info = {
      split: {
        settings: { ...split, salt: 'old-salt' },
        trainImages: ['a'.repeat(32)],
        validationImages: ['c'.repeat(32)],
      },
    };
    expect(baselineOverlap({ info, split, objects })).toEqual({
      seen: [true, false, true, false],
      excluded: 2,
      splitChanged: true,
      imagesKnown: true,
    });
  });

  it('knows nothing about a baseline trained before the split was recorded', () => {
    expect(baselineOverlap({ info: {}, split, objects })).toEqual({
      seen: [false, false, false, false],
      excluded: 0,
      splitChanged: null,
      imagesKnown: false,
    });
  });

  it('says when only the settings are known to differ', () => {
    const info = { split: { settings: { ...split, test: 0.3 } } };
    expect(baselineOverlap({ info, split, objects })).toMatchObject({
      excluded: 0,
      splitChanged: true,
      imagesKnown: false,
    });
    expect(baselineOverlap({ info: { split: { settings: split } }, split, objects }).splitChanged).toBe(false);
  });
});

describe('buildMetrics with objects the baseline trained on', () => {
  it('compares candidate and baseline only on the objects the baseline never saw, and says how many were left out', () => {
    const params = defaultParams();
    params.evaluate.bootstrap = 200;
    const labels = ['coin', 'mask'];
    const y = [0, 0, 1, 1, 0, 1];
    const ids = y.map((_, i) => ({ id: `o${i + 1}` }));
    const candidate = [
      [0.9, 0.1],
      [0.6, 0.4],
      [0.2, 0.8],
      [0.45, 0.55],
      [0.4, 0.6],
      [0.6, 0.4],
    ];
    // The baseline is perfect on o1 and o2 (it trained on them) and wrong on the rest.
    const baseline = [
      [0.99, 0.01],
      [0.99, 0.01],
      [0.7, 0.3],
      [0.7, 0.3],
      [0.1, 0.9],
      [0.8, 0.2],
    ];
    const inputs = { data: 'abc.dir', labels: 'def', params: '123', commit: null };
    const common = {
      labels,
      objects: ids,
      y,
      candidate,
      params,
      createdAt: '2026-01-01T00:00:00.000Z',
      backend: 'cpu',
      backbone: 'b',
      inputs,
    };
    const all = buildMetrics({ ...common, baseline: { version: 'v1.0.0', probs: baseline } });
    const fair = buildMetrics({
      ...common,
      baseline: {
        version: 'v1.0.0',
        probs: baseline,
        exclude: [true, true, false, false, false, false],
        splitChanged: true,
      },
    });
    // The candidate's own scores are on every test object either way.
    expect(fair.n).toBe(6);
    expect(fair.accuracy).toEqual(all.accuracy);
    expect(fair.baseline).toMatchObject({ excluded: 2, splitChanged: true });
    expect(all.baseline!.excluded).toBe(0);
    // On o3..o6 the baseline gets nothing right; the candidate o3, o4 (and not o5, o6).
    expect(fair.baseline!.accuracy.value).toBe(0);
    expect(fair.baseline!.confusion.flat().reduce((s, v) => s + v, 0)).toBe(4);
    expect(all.baseline!.accuracy.value).toBeCloseTo(2 / 6);
    expect(fair.baseline!.comparison.test).toContain('same 4 test objects');
    // Candidate macro-F1 on o3..o6 is 1/3 (mask 2/3, coin 0); the baseline's is 0.
    expect(fair.baseline!.comparison.difference.value).toBeCloseTo(1 / 3);
    // The gate's drop check compares the two models on the same objects too.
    const drop = fair.gate.checks.find((c) => c.name.includes('below the baseline'))!;
    expect(drop.detail).toMatch(/^baseline 0\.000, candidate 0\.333/);
    expect(JSON.parse(JSON.stringify(fair))).toEqual(fair);
  });
});
