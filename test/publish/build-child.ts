/*
 * A catalogue build in its own process, run and recorded in .vitrine/lock.json as `vitrine run catalogue --single
 * --force` does it (the real catalogue stage, without its registry restore: the test repository has no git tags),
 * so a test can kill it with SIGKILL half-way. Usage: node build-child.ts <repository> [--die-before-record]: with
 * the flag it kills itself once the stage has built the site, before lock.json records it. Prints "done" at the end.
 */
import { silentLogger, systemClock } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueStage } from '../../pipeline/stages/catalogue.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import type { Stage } from '../../pipeline/stages/stage.ts';
import { upstreamNotRun } from '../stages/upstream.ts';

const [root, flag] = process.argv.slice(2);
const ws = workspace(root!);
const stage: Stage = {
  ...catalogueStage,
  prepare: undefined,
  async run(ctx) {
    const result = await catalogueStage.run(ctx);
    if (flag === '--die-before-record') process.kill(process.pid, 'SIGKILL');
    return result;
  },
};
const upstream = upstreamNotRun();
const ctx = { ws, params: await loadParams({ file: ws.params }), log: silentLogger, clock: systemClock, env: {} };
await runStages({ ctx, stages: [...upstream, stage], targets: ['catalogue'], single: true, force: true });
process.stdout.write('done\n');
