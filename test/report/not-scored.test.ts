import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * Tester: with no labelled object in the test split (a tiny collection, or a test fraction too small for it), evaluate
 * scores nothing and writes zeros. The report read "No detectable difference ... Macro-F1 is 0.000 with this change and
 * 0.000 for the model in production", as if both models got everything wrong.
 */

const objects = demoObjects().map((o) => ({ ...o, split: 'train' as const }));
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const zero = { value: 0, low: 0, high: 0 };

describe('a model with no test objects', () => {
  it('is "not scored", in words, with no table of zeros', async () => {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    const perClass = VOCABULARY.map((label) => ({ label, precision: 0, recall: 0, f1: 0, support: 0 }));
    const confusion = VOCABULARY.map(() => VOCABULARY.map(() => 0));
    const empty = { accuracy: zero, macroF1: zero, topK: { k: 2, accuracy: zero }, ece: zero, perClass, confusion };
    const baseline = {
      version: 'v1.0.0',
      ...empty,
      comparison: {
        metric: 'macroF1',
        difference: zero,
        pValue: 1,
        test: 'paired bootstrap',
        verdict: 'no detectable difference',
      },
    } as unknown as NonNullable<Metrics['baseline']>;
    await writeStageOutputs({ ws: repo.ws, objects, head: labels, metrics: { n: 0, ...empty, baseline } });
    const { markdown, json } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    expect(json.verdict).toBe('not scored');
    expect(markdown.split('\n')[0]).toBe(
      '❌ **Not scored: no labelled object is in the test split.** ' + '**The promotion gate does not pass.**',
    );
    expect(markdown).toContain('dataset.split.test');
    expect(markdown).not.toContain('0.000');
    expect(markdown).not.toContain('No detectable difference');
    // A fork's comment is rebuilt from its report.json, whose verdict it checks (a reviewer: "not scored" was refused).
    const fork = forkReport({
      reportJson: JSON.stringify(json),
      metricsJson: await readFile(path.join(repo.ws.evaluate, 'metrics.json'), 'utf8'),
    });
    expect(fork.rebuilt).toBe(true);
    expect(fork.markdown.split('\n')[0]).toContain('Not scored: no labelled object is in the test split.');
  });
});
