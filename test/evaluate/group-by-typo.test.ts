import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import type { Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { smallDemoParams, trainSmallDemo } from '../fixtures/left-out.ts';

/*
 * Outside tester: evaluate.group_by misspelt ("departement") was said to be a field every labelled object has the
 * same value of ("there is no other source to hold out"), and the gate's check on an unseen source only said to set
 * evaluate.group_by, which was set. The log now says no object has that field, lists the fields there are with a
 * did-you-mean, and the gate's check points at it.
 */

const params: Params = smallDemoParams();
params.evaluate.folds = 2;
params.evaluate.group_by = 'departement';
params.gate.min_unseen_macro_f1 = 0.5;
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext & { log: ReturnType<typeof memoryLogger> };

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-group-by-typo-')));
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  await trainSmallDemo(ctx);
}, 300_000);
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('evaluate.group_by naming a field no object has', () => {
  it('says so, with the fields there are and a did-you-mean, in the log and in the gate’s check', async () => {
    const log = memoryLogger();
    await evaluateStage.run({ ...ctx, log });
    const warning = log.lines.find((l) => l.level === 'warn' && l.message.includes('evaluate.group_by'))?.message;
    expect(warning).toBeDefined();
    expect(warning).toContain('evaluate.group_by is "departement", but no labelled object has a field "departement"');
    expect(warning).not.toContain('the same departement');
    expect(warning).toMatch(/fields there are: [^.]*department/);
    expect(warning).toContain('Did you mean "department"?');
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.gate.passed).toBe(false);
    const check = metrics.gate.checks.find((c) => c.name.includes('unseen source'));
    expect(check?.passed).toBe(false);
    expect(check?.detail).toContain('no labelled object has a field "departement"');
    expect(check?.detail).toContain('Did you mean "department"?');
  }, 180_000);
});
