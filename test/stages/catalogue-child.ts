/*
 * The real catalogue stage run by the stage graph in its own process, as `vitrine run catalogue --single` runs it
 * (without its registry restore: the test repository has no git tags), so a test can kill it with SIGKILL half-way.
 * Usage: node catalogue-child.ts <repository> [--force]. Prints each stage's outcome as JSON at the end.
 */
import { silentLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueStage } from '../../pipeline/stages/catalogue.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import type { Stage } from '../../pipeline/stages/stage.ts';
import { upstreamNotRun } from './upstream.ts';

const [root, flag] = process.argv.slice(2);
const ws = workspace(root!);
const stage: Stage = { ...catalogueStage, prepare: undefined };
const upstream = upstreamNotRun();
const ctx = { ws, params: await loadParams({ file: ws.params }), log: silentLogger, clock: systemClock, env: {} };
const outcomes = await runStages({
  ctx,
  stages: [...upstream, stage],
  targets: ['catalogue'],
  single: true,
  force: flag === '--force',
});
process.stdout.write(
  `${JSON.stringify(outcomes.map((o) => ({ name: o.name, status: o.status, reason: o.reason })))}\n`,
);
