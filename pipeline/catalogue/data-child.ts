/*
 * The child process of `buildCatalogueDataApart` (data-process.ts): builds the catalogue data and
 * sends back its summary, then exits, returning its memory to the system (see apart.ts). It dies
 * with its build (guard.ts): one still writing the catalogue after the build's lock is gone would
 * race the next build.
 */
import { serveApart } from './apart.ts';
import { buildCatalogueData } from './data.ts';
import { type DataBuildRequest, summaryOf } from './data-process.ts';
import { buildPid, dieWithParent } from './guard.ts';

dieWithParent({ parent: buildPid() });
serveApart(async ({ ws, params, now }: DataBuildRequest, log) => {
  const at = new Date(now);
  return summaryOf(await buildCatalogueData({ ws, params, log, clock: { now: () => at } }));
});
