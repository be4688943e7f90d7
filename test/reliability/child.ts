/*
 * A data operation run in its own process so the reliability battery can kill it with SIGKILL at a
 * random point. Usage: node child.ts push|pull|checkout <repo root>. Prints "start" once the modules
 * are loaded (the kill delay counts from there) and "done" when the operation finished.
 */
import { checkoutData, pullData, pushData } from '../../pipeline/data/ops.ts';
import { silentLogger } from '../../pipeline/log.ts';

const [op, root] = process.argv.slice(2);
process.stdout.write('start\n');
if (op === 'push') await pushData({ root, log: silentLogger });
else if (op === 'pull') await pullData({ root, log: silentLogger });
else if (op === 'checkout') await checkoutData({ root, log: silentLogger });
else throw new Error(`unknown operation ${op}`);
process.stdout.write('done\n');
