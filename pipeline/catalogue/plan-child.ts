/*
 * The child process of `planObjectPagesApart` (plan.ts): keys every object page and writes the
 * render plan, then exits, returning the memory of the catalogue it parsed (see apart.ts).
 */
import { serveApart } from './apart.ts';
import { buildPid, dieWithParent } from './guard.ts';
import { type PlanOptions, planObjectPages } from './plan.ts';

dieWithParent({ parent: buildPid() });
serveApart(async (options: PlanOptions) => {
  const { plan, pages } = await planObjectPages(options);
  return { plan, rendered: pages.filter((p) => p.render).length, peakRss: process.resourceUsage().maxRSS * 1024 };
});
