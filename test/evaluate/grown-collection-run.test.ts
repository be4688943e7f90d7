import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { withDemoEmbeddings } from '../fixtures/demo-embeddings.ts';
import { commitLabels, smallDemoParams } from '../fixtures/left-out.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Brief (D2): a collection `vitrine init` gave the small-collection gate (gate.min_test_objects 5,
 * gate.max_macro_f1_drop 0.5) kept it as it grew, and nothing said the defaults could now be used. On a real run
 * whose test split holds at least 30 photographed objects, the evaluate stage says it once in its log and records it
 * for the report’s gate section.
 */

const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };

describe('the evaluate stage of a collection grown out of the small-collection gate', () => {
  it('says once that the default gate can now be used, naming the settings', async () => {
    const params = smallDemoParams();
    params.demo.per_type = 30;
    params.gate.max_macro_f1_drop = 0.5;
    params.evaluate.baseline = 'none';
    const ws = workspace(await tempDir('vitrine-grown-'));
    const log = memoryLogger();
    const ctx = { ws, params, log, clock, env: {} };
    await generateDemo({ ws, params, log });
    await withDemoEmbeddings({ ws, params });
    commitLabels({ root: ws.root, message: 'Demo labels' });
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    await evaluateStage.run(ctx);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    const inTest = metrics.gate.grown?.photographedInTest ?? 0;
    expect(inTest).toBeGreaterThanOrEqual(30);
    expect(metrics.gate.grown?.settings.map((s) => [s.key, s.now, s.default])).toEqual([
      ['gate.min_test_objects', 5, 30],
      ['gate.max_macro_f1_drop', 0.5, 0.02],
    ]);
    const said = log.lines.filter((l) => l.message.startsWith('The collection has grown'));
    expect(said).toHaveLength(1);
    expect(said[0]!.level).toBe('info');
    expect(said[0]!.message).toContain(`its test split now holds ${inTest} objects with a photograph`);
    expect(said[0]!.message).toContain('gate.min_test_objects 30 and gate.max_macro_f1_drop 0.02');
  }, 900_000);
});
