import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { summarise } from '../../pipeline/monitor/drift.ts';
import type { DriftReport } from '../../pipeline/monitor/types.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { evaluateSummary } from '../../pipeline/stages/evaluate.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { testerRun } from '../fixtures/tester-run.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * The pull-request comment's own sentences said what each p-value means, but the p-values it shows from elsewhere did
 * not: the evaluate stage's line in "Where this result comes from" ("better than v1.0.0 (p = 0.012)"), the drift
 * table ("p = 0.004 (alarm from 50%)") and the drift summary. Staff who are not data scientists read "p = 0.012"
 * as jargon there too. The stages now write the words themselves (pValueWords), and the comment shows their text.
 */

const objects = demoObjects();
const head = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const CHANCE = 'with no real difference, one this large would turn up by chance';

const drift: DriftReport = {
  createdAt: '2026-01-01T00:00:00Z',
  modelVersion: 'v1.0.0',
  reference: {
    kind: 'model-training',
    description: 'the 12 training objects',
    modelVersion: 'v1.0.0',
    ref: null,
    count: 12,
  },
  current: { kind: 'added-since', description: 'the 6 objects added since', modelVersion: null, ref: null, count: 6 },
  signals: {
    embeddings: {
      signal: 'embeddings',
      value: 0.1,
      effect: 0.31,
      pValue: 0.002,
      threshold: 0.01,
      minEffect: 0.2,
      drifted: true,
      permutations: 500,
      seed: 1,
      backbone: 'b',
      compared: { reference: 12, current: 6 },
    },
    novelty: {
      signal: 'novelty',
      value: 0.8,
      pValue: 0.004,
      threshold: 0.01,
      minIncrease: 0.5,
      drifted: true,
      permutations: 500,
      seed: 1,
    },
    imageStats: [],
    predictedLabels: null,
  },
  unfamiliarThreshold: 0.3,
  unusualShare: 0,
  unfamiliar: [],
  drifted: true,
  driftedSignals: ['embeddings', 'novelty'],
  summary: 'Drift: what the photographs show has changed as a whole (energy coefficient 0.31, p = 0.002).',
} as unknown as DriftReport;

describe('p-values in the pull-request comment', () => {
  it('each says what it means, in the drift section and the stage summaries too', async () => {
    const { ws } = await makeRepo({ objects, base: head, head });
    await writeStageOutputs({ ws, objects, head });
    // The evaluate stage's summary as it writes it (evaluateSummary): the test split's p-value, then the
    // cross-validated one, each with its words; the drift check's summary too (summarise).
    const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
    lock.stages.evaluate.summary = evaluateSummary({
      metrics: {
        n: 18,
        macroF1: { value: 0.94, low: 0.85, high: 1 },
        accuracy: { value: 0.944, low: 0.86, high: 1 },
        baseline: { version: 'v1.0.0', comparison: { pValue: 0.012, verdict: 'better' } },
        crossValidated: testerRun({
          ref: 'main',
          comparison: { difference: { value: 0.052, low: 0.031, high: 0.074 }, verdict: 'better', pValue: 0.0004 },
        }),
        gate: { passed: true, checks: [] },
      } as unknown as Metrics,
      unread: 0,
      leftOut: 0,
      mayBeWrong: null,
    });
    await writeFile(ws.lock, JSON.stringify(lock));
    await mkdir(ws.monitor, { recursive: true });
    await writeFile(path.join(ws.monitor, 'drift.json'), JSON.stringify({ ...drift, summary: summarise(drift) }));
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    // As GitHub shows it: no Markdown escapes, "&lt;" as "<".
    const shownText = markdown.replace(/\\([()[\]*_.<>-])/g, '$1').replace(/&lt;/g, '<');
    const shown = [...shownText.matchAll(/\bp (=|<) \d\.\d{3}(.{0,80})/g)];
    // Two in the evaluate summary, two in the drift summary, two in the drift table, one in the report’s own words.
    expect(shown.length).toBe(7);
    for (const [whole, , after] of shown) expect(after, whole).toMatch(new RegExp(`^(: | \\()${CHANCE}`));
    expect(shownText).toContain(
      `better than v1.0.0 (p = 0.012: ${CHANCE} about 1 time in 80); on the 300 objects labelled before or now ` +
        '(cross-validated, 2 labels removed since main; scored on the labels now',
    );
    expect(shownText).toContain(`+80% farther than usual, p = 0.004 (${CHANCE} about 1 time in 250; alarm from 50%) |`);
    expect(shownText).toContain(`better (p < 0.001: ${CHANCE} less than 1 time in 1,000; a change of +0.05`);
    expect(shownText).toContain(`(energy coefficient 0.31, p = 0.002: ${CHANCE} about 1 time in 500)`);
  });
});
