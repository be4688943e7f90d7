import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo, planDemo } from '../../pipeline/demo/generate.ts';
import { memoryLogger, type Clock } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace, type Workspace } from '../../pipeline/paths.ts';
import type { ReviewFile } from '../../pipeline/review/index.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * The demo collection exactly as `vitrine demo` makes it (300 labelled objects, 19 labels
 * deliberately wrong): the cross-validated review list must find the wrong labels.
 */

const params = defaultParams();
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext;
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: ws.root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org' } });

beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-demo-review-')));
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  await generateDemo({ ws, params, log: ctx.log });
  git('init', '-q', '-b', 'main');
  git('add', 'labels.csv');
  git('commit', '-qm', 'Demo labels');
  await datasetStage.run(ctx);
  await trainStage.run(ctx);
  await evaluateStage.run(ctx);
}, 900_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

const wrong = () => new Set(planDemo({ demo: params.demo }).filter((i) => i.label !== null && i.label !== i.type).map((i) => i.object.id));

describe('label errors on the demo', () => {
  it('puts at least 17 of the 19 deliberately wrong labels in the top 30 of the review list', async () => {
    const review = JSON.parse(await readFile(path.join(ws.evaluate, 'review.json'), 'utf8')) as ReviewFile;
    const truth = wrong();
    expect(truth.size).toBe(19);
    const found = review.items.slice(0, 30).filter((i) => truth.has(i.id));
    expect(found.length).toBeGreaterThanOrEqual(17);
    // What it suggests for them is what the object really is.
    const types = new Map(planDemo({ demo: params.demo }).map((i) => [i.object.id, i.type]));
    expect(found.filter((i) => i.suggested === types.get(i.id)).length).toBeGreaterThanOrEqual(17);
    // metrics.json carries the top 20 for the pull-request report.
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.mislabelled!.top.map((i) => i.id)).toEqual(review.items.slice(0, 20).map((i) => i.id));
    expect(metrics.mislabelled!.candidates).toBe(review.items.length);
  });
});
