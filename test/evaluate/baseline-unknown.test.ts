import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import type { Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { assignStage } from '../../pipeline/registry/registry.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { smallDemoParams, trainSmallDemo } from '../fixtures/left-out.ts';
import { promoteTrainedModel } from '../fixtures/promote.ts';

/*
 * Outside tester: evaluate.baseline naming a model that is not registered was taken for "no model yet", so the
 * model was judged on its own, without the check against the baseline, and a much worse model was promoted. A
 * version that is not registered now stops the evaluation, naming the registered ones; prod with no model promoted
 * yet is still the first model.
 */

const base: Params = smallDemoParams();
// Cross-validation is not what is tested here (and each fold trains a head).
base.evaluate.folds = 0;
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext & { log: ReturnType<typeof memoryLogger> };

function withBaseline(baseline: string): StageContext & { log: ReturnType<typeof memoryLogger> } {
  const params = structuredClone(base);
  params.evaluate.baseline = baseline;
  return { ...ctx, params, log: memoryLogger() };
}

async function refusal(baseline: string): Promise<{ message: string; data: Record<string, unknown> }> {
  try {
    await evaluateStage.run(withBaseline(baseline));
  } catch (error) {
    if (isVitrineError(error, 'EVALUATE_BASELINE_UNKNOWN')) return { message: error.message, data: error.data };
    throw error;
  }
  throw new Error(`expected evaluate.baseline ${baseline} to be refused`);
}

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-baseline-unknown-')));
  ctx = { ws, params: base, log: memoryLogger(), clock, env: {} };
  await trainSmallDemo(ctx);
}, 300_000);
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('evaluate.baseline naming a model that is not registered', () => {
  it('prod with no model promoted yet: the first model, judged on its own', async () => {
    const first = withBaseline('prod');
    await evaluateStage.run(first);
    expect(first.log.lines.map((l) => l.message)).toContain(
      'No model is registered as "prod" yet: this model is judged on its own.',
    );
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.baseline).toBeNull();
  }, 120_000);

  it('a version with no model registered at all: stopped, saying none is registered yet', async () => {
    const { message } = await refusal('v9.9.9');
    expect(message).toContain('evaluate.baseline is "v9.9.9"');
    expect(message).toContain('No version of this model is registered yet');
    expect(message).toContain('set evaluate.baseline to prod');
  }, 60_000);

  it('a version that is not registered: stopped, naming the registered versions; a registered one is compared', async () => {
    await promoteTrainedModel({ ws, name: base.registry.model_name, n: 10, log: memoryLogger() });
    const { message, data } = await refusal('v9.9.9');
    expect(message).toContain('There is no model version "v9.9.9" of collection-classifier.');
    expect(message).toContain('Registered versions: v1.0.0; stages: prod.');
    expect(data.known).toEqual(['v1.0.0']);
    // Written without its v, a registered version is found.
    const compared = withBaseline('1.0.0');
    await evaluateStage.run(compared);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.baseline?.version).toBe('v1.0.0');
    // Said as the version asked for, not as production (helper P).
    expect(compared.log.lines.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^Evaluating: comparing with the version asked for \(v1\.0\.0\)/),
    );
  }, 120_000);

  // `gto assign` gives a version another stage by hand (collection-classifier#staging#N): the settings check refused
  // every stage but prod, though the registry finds a version by any stage it holds.
  it('a stage assigned with GTO is compared with; a stage no version holds stops the evaluation, said as a stage', async () => {
    const log = memoryLogger();
    const assigned = await assignStage({
      dir: ws.root,
      name: base.registry.model_name,
      version: 'v1.0.0',
      stage: 'staging',
      clock,
      log,
    });
    expect(assigned.tag).toMatch(/^collection-classifier#staging#\d+$/);
    const compared = withBaseline('staging');
    await evaluateStage.run(compared);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.baseline?.version).toBe('v1.0.0');
    expect(compared.log.lines.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^Evaluating: comparing with the model in stage staging \(v1\.0\.0\)/),
    );
    const { message } = await refusal('qa');
    expect(message).toContain('evaluate.baseline is "qa"');
    expect(message).toContain('No version of collection-classifier is in stage "qa".');
    expect(message).toContain('stages: prod, staging.');
    expect(message).toContain('Vitrine assigns only prod');
  }, 300_000);
});
