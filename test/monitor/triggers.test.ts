import { describe, expect, it } from 'vitest';
import { retrainDecision, shouldRetrain } from '../../pipeline/monitor/triggers.ts';
import type { DriftReport } from '../../pipeline/monitor/types.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';

function params(retrain: Partial<Params['retrain']> = {}): Params {
  const p = defaultParams();
  p.retrain = { ...p.retrain, ...retrain };
  return p;
}

const drifted = { drifted: true, driftedSignals: ['novelty', 'saturation'] } as DriftReport;
const calm = { drifted: false, driftedSignals: [] as string[] } as DriftReport;

describe('shouldRetrain', () => {
  it('retrains at exactly the label threshold and not one below', () => {
    const p = params({ min_new_labels: 20, min_new_objects: 50 });
    expect(shouldRetrain({ params: p, newLabels: 19, newObjects: 0, drift: calm }).retrain).toBe(false);
    const at = shouldRetrain({ params: p, newLabels: 20, newObjects: 0, drift: calm, modelVersion: 'v1.2.0' });
    expect(at.retrain).toBe(true);
    expect(at.reasons).toEqual(['20 labels changed or added since v1.2.0 was promoted (the threshold is 20).']);
  });

  it('retrains at the object threshold', () => {
    const p = params({ min_new_labels: 20, min_new_objects: 50 });
    expect(shouldRetrain({ params: p, newLabels: 0, newObjects: 49 }).retrain).toBe(false);
    const r = shouldRetrain({ params: p, newLabels: 0, newObjects: 50 });
    expect(r.retrain).toBe(true);
    expect(r.reasons[0]).toMatch(/^50 objects added/);
  });

  it('retrains on drift only when on_drift is set', () => {
    expect(shouldRetrain({ params: params({ on_drift: true }), newLabels: 0, newObjects: 3, drift: drifted })).toEqual({
      retrain: true,
      reasons: ['The new objects look different from the training data (novelty, saturation).'],
    });
    const off = shouldRetrain({ params: params({ on_drift: false }), newLabels: 0, newObjects: 3, drift: drifted });
    expect(off.retrain).toBe(false);
    expect(off.reasons[0]).toContain('drift detected but params.retrain.on_drift is off');
    expect(shouldRetrain({ params: params(), newLabels: 0, newObjects: 0, drift: true }).retrain).toBe(true);
    expect(shouldRetrain({ params: params(), newLabels: 0, newObjects: 0, drift: calm }).retrain).toBe(false);
  });

  it('lists every reason that applies', () => {
    const r = shouldRetrain({
      params: params({ min_new_labels: 1, min_new_objects: 1 }),
      newLabels: 2,
      newObjects: 1,
      drift: drifted,
    });
    expect(r.reasons).toHaveLength(3);
    expect(r.reasons[1]).toMatch(/^1 object added/);
  });

  it('treats a threshold of 0 as "any": one is enough, none is not', () => {
    const p = params({ min_new_labels: 0, min_new_objects: 0 });
    expect(shouldRetrain({ params: p, newLabels: 0, newObjects: 0, drift: null }).retrain).toBe(false);
    expect(shouldRetrain({ params: p, newLabels: 1, newObjects: 0, drift: null }).retrain).toBe(true);
    expect(shouldRetrain({ params: p, newLabels: 0, newObjects: 1, drift: null }).retrain).toBe(true);
  });

  it('says why not, in plain words, and always trains a first model', () => {
    const r = shouldRetrain({ params: params(), newLabels: 3, newObjects: 4, drift: null, modelVersion: 'v2.0.0' });
    expect(r).toEqual({
      retrain: false,
      reasons: [
        'Since v2.0.0 was promoted: 3 labels changed (retrain at 20), 4 new objects (retrain at 50), drift not measured.',
      ],
    });
    expect(shouldRetrain({ params: params(), newLabels: 0, newObjects: 0, hasModel: false })).toEqual({
      retrain: true,
      reasons: ['There is no model in production yet.'],
    });
  });

  it('retrainDecision adds the counts and a job-summary line', () => {
    const d = retrainDecision({ params: params(), newLabels: 25, newObjects: 2, drift: calm, modelVersion: 'v1.0.0' });
    expect(d).toMatchObject({ retrain: true, newLabels: 25, newObjects: 2, drifted: false });
    expect(d.summaryLine).toBe(
      '**Retraining:** 25 labels changed or added since v1.0.0 was promoted (the threshold is 20).',
    );
    expect(retrainDecision({ params: params(), newLabels: 0, newObjects: 0, drift: calm }).summaryLine).toMatch(
      /^\*\*No retraining needed:\*\* /,
    );
  });
});
