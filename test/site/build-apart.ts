/*
 * One catalogue build in a process of its own, as `vitrine run catalogue` in a repository: the workspace folder and
 * the base path as arguments. Prints what the build rendered and its log's messages, as JSON.
 * `node test/site/build-apart.ts <folder> <base>` (test/site/incremental.test.ts, two repositories built at once).
 */
import { buildCatalogueData, buildSite } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

const [dir, base] = process.argv.slice(2);
const ws = workspace(dir!);
const params = defaultParams();
params.catalogue.base = base!;
await buildCatalogueData({ ws, params, log: memoryLogger(), clock: { now: () => new Date('2026-12-01T10:00:00Z') } });
const log = memoryLogger();
const built = await buildSite({ ws, params, log });
process.stdout.write(JSON.stringify({ objectPages: built.objectPages, lines: log.lines.map((l) => l.message) }));
