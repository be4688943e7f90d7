import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compareLabelSets } from '../../pipeline/evaluate/label-change.ts';
import { buildMetrics } from '../../pipeline/evaluate/metrics.ts';
import { confidenceLevel, withAlpha } from '../../pipeline/evaluate/verdict-words.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { crossValidationCardLines } from '../../pipeline/registry/card.ts';
import { crossValidatedSection } from '../../pipeline/report/mislabelled.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { testerRun } from '../fixtures/tester-run.ts';

/*
 * The range of a change is the (1 − evaluate.alpha) interval of its test: with alpha 0.1 the ends are the 5th and 95th
 * percentiles. The report, the model card and the model page called it "95%" whatever alpha was. The alpha a run used
 * is stored beside its comparison in metrics.json, so that what is said later follows the run, not today’s params.yaml.
 */

/** Default params with evaluate.alpha `alpha` and 200 resamples. */
function paramsWith(alpha: number): Params {
  const params = defaultParams();
  return { ...params, evaluate: { ...params.evaluate, alpha, bootstrap: 200 } };
}

describe('the confidence level of a change’s range', () => {
  it('is 1 − alpha in per cent, written as a person would', () => {
    expect(confidenceLevel(0.05)).toBe('95%');
    expect(confidenceLevel(0.1)).toBe('90%');
    expect(confidenceLevel(0.01)).toBe('99%');
    expect(confidenceLevel(0.025)).toBe('97.5%');
    expect(confidenceLevel(0.001)).toBe('99.9%');
    // metrics.json written before alpha was recorded, the settings it was made with unknown: no level.
    expect(confidenceLevel(undefined)).toBe('');
  });

  it('is stored with each comparison in metrics.json, as evaluate ran it', async () => {
    const m = buildMetrics({
      labels: ['coin', 'mask'],
      objects: [{ id: 'o1' }, { id: 'o2' }, { id: 'o3' }, { id: 'o4' }],
      y: [0, 0, 1, 1],
      candidate: [
        [0.9, 0.1],
        [0.6, 0.4],
        [0.2, 0.8],
        [0.45, 0.55],
      ],
      baseline: {
        version: 'v1.0.0',
        probs: [
          [0.9, 0.1],
          [0.3, 0.7],
          [0.2, 0.8],
          [0.7, 0.3],
        ],
      },
      params: paramsWith(0.1),
      createdAt: '2026-01-01T00:00:00.000Z',
      backend: 'cpu',
      backbone: 'b',
      inputs: { data: 'abc.dir', labels: 'def', params: '123', commit: null },
    });
    expect(m.baseline!.comparison.alpha).toBe(0.1);
    const rows = [0.9, 0.8, 0.3, 0.4].map((p) => Float32Array.from([p, 1 - p]));
    const cv = await compareLabelSets({
      tf,
      x: rows,
      objects: rows.map(() => ({ split: 'train' as const })),
      head: [0, 0, 1, 1],
      base: [0, 1, 1, 1],
      folds: [0, 1, 0, 1],
      k: 2,
      labels: ['coin', 'mask'],
      params: paramsWith(0.01),
      headRows: rows,
      baseRows: rows,
      trainingSd: 0,
      log: silentLogger,
    });
    expect(cv.comparison.alpha).toBe(0.01);
  });

  it('is said in the report’s and the model card’s words on every labelled object', () => {
    const at = (alpha?: number) =>
      ({ n: 66, crossValidated: testerRun({ ref: 'main', comparison: { alpha } }) }) as unknown as Metrics;
    expect(crossValidatedSection({ metrics: at(0.1) })).toContain(
      'a change of +0.003, between +0.001 and +0.005 (90% range, allowing for the variation between training runs)',
    );
    expect(crossValidationCardLines(at(0.025)).join('\n')).toContain(
      'a change of +0.003, between +0.001 and +0.005 (97.5% interval), p = 0.002',
    );
    // Written before alpha was recorded, with no settings known to have made it: a range, at no level said (it was
    // read as 0.05, and a range made at alpha 0.1 called "95%").
    expect(crossValidatedSection({ metrics: at() })).toContain('+0.005 (range, allowing');
    expect(crossValidationCardLines(at()).join('\n')).toContain('+0.005 (interval), p = 0.002');
  });

  it('of metrics.json written before alpha was stored is that of the settings that made it, when they are known', () => {
    const old = {
      n: 66,
      inputs: { data: 'd', labels: 'l', params: 'md5-then', commit: null },
      crossValidated: testerRun({ ref: 'main', comparison: { alpha: undefined } }),
    } as unknown as Metrics;
    const read = withAlpha({ metrics: old, settings: { md5: 'md5-then', alpha: 0.1 } });
    expect(crossValidatedSection({ metrics: read })).toContain('+0.005 (90% range, allowing');
    // Other settings than those that made it (params.yaml changed since): unknown, so no level.
    const other = withAlpha({ metrics: old, settings: { md5: 'md5-now', alpha: 0.1 } });
    expect(crossValidatedSection({ metrics: other })).toContain('+0.005 (range, allowing');
    // A stored alpha is the run's own, whatever the settings say.
    const stored = { ...old, crossValidated: testerRun({ ref: 'main', comparison: { alpha: 0.025 } }) } as Metrics;
    expect(
      crossValidatedSection({ metrics: withAlpha({ metrics: stored, settings: { md5: 'md5-then', alpha: 0.1 } }) }),
    ).toContain('(97.5% range, allowing');
  });
});
