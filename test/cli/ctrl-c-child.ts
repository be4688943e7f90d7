// A `vitrine run` reduced to its train step's long synchronous part: the run lock held, the Ctrl-C notice
// on, and an lbfgs head fitted on wide vectors (several seconds of fits). Argument: the repository folder.
import * as tf from '@tensorflow/tfjs';
import { terminalLogger } from '../../pipeline/cli/logger.ts';
import { holdRunLock, noticeCtrlC } from '../../pipeline/cli/run-lock.ts';
import { trainHead } from '../../pipeline/model/head.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { seededUniform } from '../../pipeline/random.ts';

await tf.setBackend('cpu');
const log = terminalLogger({ isTTY: false });
const ws = workspace(process.argv[2]!);
const quiet = noticeCtrlC({ log, again: 'vitrine run' });
const release = await holdRunLock({ ws, log });
const u = seededUniform(3);
const [n, d, classes] = [600, 1500, 5];
const x = Array.from({ length: n }, (_, i) =>
  Float32Array.from({ length: d }, (_, j) => u() - 0.5 + (j % 5 === i % 5 ? 0.1 : 0)),
);
const y = x.map((_, i) => i % classes);
const params = { ...defaultParams().train, solver: 'lbfgs' as const, hidden_units: 0 };
process.stdout.write('training\n');
await trainHead({ tf, train: { x, y }, labels: ['a', 'b', 'c', 'd', 'e'], params, log });
process.stdout.write('trained\n');
await release();
quiet();
