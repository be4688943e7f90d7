import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planDemo } from '../../pipeline/demo/generate.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { gitIn } from '../fixtures/git.ts';
import { promoteTrainedModel } from '../fixtures/promote.ts';
import { trainedDemo } from './helpers-trained-demo.ts';

/*
 * The tester's HIGH defect (session 25): a pull request that deletes every label but the coins' (a filter
 * left on in a spreadsheet before saving labels.csv). Scored on the labels now, the one-class model is
 * perfect by construction; it was called "Better", and with gate.min_test_objects 10 the gate passed and
 * promotion published every object of the collection as a coin.
 */

const params = defaultParams();
params.gate.min_test_objects = 10;
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext;
let git: ReturnType<typeof gitIn>;

beforeAll(async () => {
  // The demo generated, its labels committed, the dataset and train stages run (shared with demo-review): none of
  // them reads the gate setting above.
  ws = await trainedDemo({ prefix: 'vitrine-labels-lost-' });
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  git = gitIn({ root: ws.root });
  // Production: the model trained on the demo's labels, registered on that commit.
  await promoteTrainedModel({ ws, name: params.registry.model_name, n: 66, log: ctx.log });
  // Cached as a version folder now: the training on the branch below replaces .vitrine/model.
  expect(await resolveModelDir({ ws, params, version: 'prod', log: ctx.log })).toMatchObject({ version: 'v1.0.0' });
}, 900_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

describe('a pull request that keeps the labels of one class only', () => {
  it('fails the gate, is not called better, and says which labels lost all their objects', async () => {
    git('checkout', '-q', '-b', 'coins-only');
    const lines = (await readFile(ws.labels, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const kept = [lines[0]!, ...lines.slice(1).filter((l) => l.endsWith(',coin'))];
    const removed = lines.length - kept.length;
    expect(kept.length - 1).toBeGreaterThan(20);
    expect(removed).toBeGreaterThan(200);
    await writeFile(ws.labels, `${kept.join('\n')}\n`);
    git('commit', '-qam', 'keep coins only');
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    const { summary } = await evaluateStage.run(ctx);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    const lost = ['figurine', 'mask', 'print', 'textile', 'vessel'];

    // The gate (promotion and --fail-on-gate read it from metrics.json).
    expect(metrics.gate.passed).toBe(false);
    const failed = metrics.gate.checks.filter((c) => !c.passed);
    expect(failed.map((c) => c.name)).toContain('at least two classes with test objects');
    const lostCheck = failed.find((c) => c.name === 'no label lost all its objects');
    expect(lostCheck?.detail).toMatch(/5 labels lost all their objects: figurine, mask, print, textile, vessel/);
    for (const c of metrics.gate.checks) expect(c.detail.length).toBeLessThanOrEqual(400);
    expect(summary).toContain('gate failed');
    for (const c of failed) console.log(`gate fails: ${c.name}: ${c.detail}`);

    // The cross-validated verdict scores the labels removed too: the coins-only model calls them coins.
    const cv = metrics.crossValidated!;
    expect(cv.comparison.verdict).not.toBe('better');
    expect(cv.objects).toBe(300);
    console.log(
      `coins only: ${cv.changed} labels changed; probability ${cv.probability.baseline.toFixed(3)} → ` +
        `${cv.probability.candidate.toFixed(3)}, p = ${cv.comparison.pValue.toFixed(3)}: ${cv.comparison.verdict}`,
    );

    const { markdown, json } = await buildReport({ ws, params, log: memoryLogger(), now: clock.now() });
    expect(json.verdict).not.toBe('better');
    expect(json.gate.passed).toBe(false);
    expect(json.headline).not.toMatch(/^Better/);
    const first = markdown.split('\n')[0]!;
    console.log(`${first}\n${markdown.split('\n').filter((l) => l.startsWith('⚠️ **5 labels lost'))[0]}`);
    expect(first).not.toContain('Better');
    expect(markdown).toContain(`⚠️ **5 labels lost all their objects: ${lost.join(', ')}; ${removed} labels removed`);
    // Plain words museum staff read: short lines, and what to do.
    const said = markdown.split('\n').filter((l) => l.startsWith('⚠️ **5 labels lost'));
    expect(said).toHaveLength(1);
    expect(said[0]!.length).toBeLessThanOrEqual(200);
    expect(markdown).toContain('restore labels.csv');
    git('checkout', '-q', 'main');
  }, 900_000);
});

describe('a pull request that removes the 19 wrong labels instead of correcting them', () => {
  // Removed labels are scored on the label they had: a clean-up must not be called worse for it.
  it('is not called worse, and no label is lost', async () => {
    git('checkout', '-q', '-b', 'remove-wrong');
    const wrong = new Set(
      planDemo({ demo: params.demo })
        .filter((i) => i.label !== null && i.label !== i.type)
        .map((i) => i.object.id),
    );
    expect(wrong.size).toBe(19);
    const lines = (await readFile(ws.labels, 'utf8')).split('\n').filter((l) => l.trim() !== '');
    const kept = lines.filter((l, i) => i === 0 || !wrong.has(l.split(',')[0]!));
    expect(lines.length - kept.length).toBe(19);
    await writeFile(ws.labels, `${kept.join('\n')}\n`);
    git('commit', '-qam', 'remove the wrong labels');
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    await evaluateStage.run(ctx);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics & {
      labelLoss?: { removed: number; lost: unknown[] };
    };
    const cv = metrics.crossValidated!;
    console.log(
      `wrong labels removed: ${cv.changed} labels changed; probability ${cv.probability.baseline.toFixed(3)} → ` +
        `${cv.probability.candidate.toFixed(3)}, p = ${cv.comparison.pValue.toFixed(3)}: ${cv.comparison.verdict}`,
    );
    expect(metrics.labelLoss).toMatchObject({ removed: 19, lost: [] });
    expect(metrics.gate.checks.map((c) => c.name)).not.toContain('no label lost all its objects');
    expect(cv.comparison.verdict).not.toBe('worse');
    git('checkout', '-q', 'main');
  }, 900_000);
});
