// Runs one promotion in its own process, for the kill tests: says "ready" just before promoting.
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import { standInPredict } from '../registry/helpers.ts';

const [root] = process.argv.slice(2) as [string];
const params = defaultParams();
params.evaluate.factors = ['department'];
process.stdout.write('ready\n');
const started = performance.now();
const result = await promote({
  ctx: { ws: workspace(root), params, log: memoryLogger(), clock: { now: () => new Date() }, env: {} },
  predict: standInPredict,
});
process.stdout.write(`${JSON.stringify({ version: result.version, ms: performance.now() - started })}\n`);
