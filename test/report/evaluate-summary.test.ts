import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { ModelInfo } from '../../pipeline/types.ts';
import { withDemoEmbeddings } from '../fixtures/demo-embeddings.ts';
import { gitIn } from '../fixtures/git.ts';
import { commitLabels } from '../fixtures/left-out.ts';
import { promoteModel } from '../fixtures/promote.ts';

/*
 * SLOW (real dataset, train and evaluate stages on a tiny demo). One label changed since the model in production
 * was registered. Evaluate's summary line (shown by `vitrine run` and in the report's lineage) said
 * "1 labels changed since the commit of v1.0.0".
 */

const params = defaultParams();
params.demo.per_type = 6;
params.demo.unlabelled_per_type = 0;
params.demo.image_size = 64;
params.gate.min_test_objects = 1;
params.train.workers = 1;
params.train.epochs = 10;
params.evaluate.bootstrap = 100;
let ws: Workspace | undefined;

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

describe("evaluate's summary after one label change", () => {
  it('says "1 label changed"', { timeout: 600_000 }, async () => {
    ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-evaluate-summary-')));
    const ctx = { ws, params, log: memoryLogger(), clock: { now: () => new Date('2026-05-01T12:00:00Z') }, env: {} };
    await generateDemo({ ws, params, log: ctx.log });
    await withDemoEmbeddings({ ws, params });
    const commit = commitLabels({ root: ws.root });
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    const headline = { accuracy: 0.8, macroF1: 0.78, macroF1Low: 0.7, macroF1High: 0.85, n: 8, labels: info.labels };
    await promoteModel({ ws, name: params.registry.model_name, commit, headline, log: ctx.log });
    // Keeps a copy of its files in the version cache before .vitrine/model is overwritten.
    expect(await resolveModelDir({ ws, params, version: 'prod', log: ctx.log })).toMatchObject({ version: 'v1.0.0' });

    // Change one labelled object's label to another label of the vocabulary, and commit it.
    const lines = (await readFile(ws.labels, 'utf8')).split('\n');
    const at = lines.findIndex((l, i) => i > 0 && l.includes(','));
    const [id, label] = lines[at]!.split(',');
    lines[at] = `${id},${info.labels.find((l) => l !== label)}`;
    await writeFile(ws.labels, lines.join('\n'));
    gitIn({ root: ws.root })('commit', '-qam', 'One label');
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    const { summary } = await evaluateStage.run(ctx);
    expect(summary).toContain('(cross-validated, 1 label changed since the commit of v1.0.0)');
    expect(summary).not.toMatch(/\b1 (labels|objects|test objects)\b/);
  });

  // Tester: with no labelled test object the summary read "macro-F1 0.00 (0.00–0.00) … no detectable difference".
  it('says "not scored" when no labelled object is in the test split', { timeout: 600_000 }, async () => {
    if (!ws) throw new Error('runs after the test above');
    const noTest = structuredClone(params);
    // params.yaml refuses 0; a share this small leaves none of 36 objects in the test split.
    noTest.dataset.split.test = 0.001;
    const ctx = {
      ws,
      params: noTest,
      log: memoryLogger(),
      clock: { now: () => new Date('2026-05-02T12:00:00Z') },
      env: {},
    };
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    const { summary } = await evaluateStage.run(ctx);
    expect(summary).toMatch(/^not scored: no labelled object is in the test split; .*gate failed/);
    expect(summary).not.toContain('macro-F1');
  });
});
