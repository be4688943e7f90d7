/*
 * The dataset stage run in its own process, so a test can kill it with SIGKILL while it writes thumbnails.
 * Usage: node dataset-child.ts <repo root> <params.json>. Prints "start" once the modules are loaded and
 * "done" when the stage finished.
 */
import { readFile } from 'node:fs/promises';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';

const [root, paramsFile] = process.argv.slice(2);
const params = JSON.parse(await readFile(paramsFile!, 'utf8'));
process.stdout.write('start\n');
await buildDataset({ ws: workspace(root!), params, log: silentLogger, jobs: 2 });
process.stdout.write('done\n');
