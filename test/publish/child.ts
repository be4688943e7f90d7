/*
 * A publish run in its own process, so a test can kill it with SIGKILL half-way.
 * Usage: node child.ts <site folder> <target as JSON>. Prints "done" when the publish finished.
 */
import { silentLogger } from '../../pipeline/log.ts';
import { publishSite } from '../../pipeline/publish/s3.ts';

const [site, target] = process.argv.slice(2);
await publishSite({ site, target: JSON.parse(target), log: silentLogger });
process.stdout.write('done\n');
