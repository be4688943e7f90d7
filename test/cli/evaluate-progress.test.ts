import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import { smallDemoParams } from '../fixtures/left-out.ts';

/* Tester, session 22 #9: `vitrine evaluate` printed nothing for 5 min 35 s. It says what it is doing. */

let ws: Workspace | undefined;
afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

describe('the evaluate stage', () => {
  it('says what it is doing while it works: scoring, then cross-validating', async () => {
    ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-evaluate-progress-')));
    const params = smallDemoParams();
    params.train.epochs = 10;
    const clock = { now: () => new Date('2026-05-01T12:00:00Z') };
    const quiet = { ws, params, log: memoryLogger(), clock, env: {} };
    await generateDemo({ ws, params, log: quiet.log });
    await datasetStage.run(quiet);
    await trainStage.run(quiet);
    const log = memoryLogger();
    await evaluateStage.run({ ...quiet, log });
    const said = log.lines.filter((l) => l.level === 'info').map((l) => l.message);
    const scoring = said.findIndex((m) => /^Evaluating: scoring this model on \d+ test objects/.test(m));
    const folds = said.findIndex((m) => m.startsWith(`Evaluating: cross-validating on all labelled objects (5 folds`));
    expect(scoring, said.join('\n')).toBeGreaterThanOrEqual(0);
    expect(folds, said.join('\n')).toBeGreaterThan(scoring);
  }, 300_000);
});
