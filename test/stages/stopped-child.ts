/*
 * A run of the stage graph in its own process, so a test can stop it with SIGKILL half-way through a stage, as a
 * person pressing Ctrl-C twice or a CI runner cancelled does. Two stages shaped like the real dataset and catalogue
 * stages (same outs) copy files. Usage: node stopped-child.ts <repository> finish|stop-before-writing|
 * stop-while-writing. `finish` runs the graph and prints each stage's outcome as JSON; the others run the catalogue
 * stage again (as "vitrine run catalogue --force" does), print "started" or "writing" and wait to be killed: before
 * the stage wrote anything, or once it has written half of .vitrine/catalogue.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger, systemClock } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import type { StageName } from '../../pipeline/stages/stage.ts';
import { copyStage } from './copy-stages.ts';

const [root, mode] = process.argv.slice(2);
const ws = workspace(root!);
const runs: StageName[] = [];
const dataset = copyStage({
  name: 'dataset',
  deps: { paths: ['data', 'labels.csv'], params: ['dataset'], stages: [] },
  read: ['data/objects.csv', 'labels.csv'],
  runs,
});
const finished = copyStage({
  name: 'catalogue',
  deps: { paths: ['site'], params: ['catalogue'], stages: ['dataset'] },
  read: ['.vitrine/dataset/out.txt'],
  runs,
});
/** Stops the process for good: the kill comes while it waits. */
const waitToBeKilled = (said: string) =>
  new Promise<never>(() => {
    process.stdout.write(`${said}\n`);
    setInterval(() => {}, 1000);
  });
const catalogue = {
  ...finished,
  async run(ctx: Parameters<typeof finished.run>[0]) {
    if (mode === 'stop-before-writing') return waitToBeKilled('started');
    if (mode === 'stop-while-writing') {
      const out = path.join(ctx.ws.root, '.vitrine', 'catalogue');
      await mkdir(out, { recursive: true });
      await writeFile(path.join(out, 'out.txt'), 'the first half of the catalogue');
      return waitToBeKilled('writing');
    }
    return finished.run(ctx);
  },
};
const ctx = { ws, params: defaultParams(), log: silentLogger, clock: systemClock, env: {} };
const stopping = mode !== 'finish';
const outcomes = await runStages({
  ctx,
  stages: [dataset, catalogue],
  ...(stopping ? { targets: ['catalogue'] as StageName[], force: true } : {}),
});
process.stdout.write(
  `${JSON.stringify(outcomes.map((o) => ({ name: o.name, status: o.status, reason: o.reason })))}\n`,
);
