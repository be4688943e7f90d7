import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import type { DriftReport } from '../../pipeline/monitor/types.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * The pull-request comment's own sentences said what each p-value means, but the p-values it shows from elsewhere did
 * not: the evaluate stage's line in "Where this result comes from" ("better than v1.0.0 (p = 0.012)"), the drift
 * table ("p = 0.004 (alarm from 50%)") and the drift summary. Staff who are not data scientists read "p = 0.012"
 * as jargon there too.
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
    // The evaluate stage's summary as it writes it: the test split's p-value, then the cross-validated one.
    const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
    lock.stages.evaluate.summary =
      'overall score 0.94, each label counting equally (macro-F1; 95% range 0.85–1.00), and 94.4% right on 18 test ' +
      'objects; better than v1.0.0 (p = 0.012); on the 36 labelled objects (cross-validated, 3 labels changed since ' +
      'main): better (p < 0.001; a change of +0.05, between +0.03 and +0.07); gate passed';
    await writeFile(ws.lock, JSON.stringify(lock));
    await mkdir(ws.monitor, { recursive: true });
    await writeFile(path.join(ws.monitor, 'drift.json'), JSON.stringify(drift));
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    // As GitHub shows it: no Markdown escapes, "&lt;" as "<".
    const shownText = markdown.replace(/\\([()[\]*_.<>-])/g, '$1').replace(/&lt;/g, '<');
    const shown = [...shownText.matchAll(/\bp (=|<) \d\.\d{3}(.{0,80})/g)];
    expect(shown.length).toBe(6);
    for (const [whole, , after] of shown) expect(after, whole).toMatch(new RegExp(`^(: | \\()${CHANCE}`));
    expect(shownText).toContain(
      `better than v1.0.0 (p = 0.012: ${CHANCE} about 1 time in 80); on the 36 labelled objects (cross-validated, 3 ` +
        `labels changed since main): better (p < 0.001: ${CHANCE} less than 1 time in 1,000; a change of +0.05`,
    );
    expect(shownText).toContain(`+80% farther than usual, p = 0.004 (${CHANCE} about 1 time in 250; alarm from 50%) |`);
    expect(shownText).toContain(`(energy coefficient 0.31, p = 0.002: ${CHANCE} about 1 time in 500).`);
  });
});
