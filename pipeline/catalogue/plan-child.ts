/*
 * The child process of `planObjectPagesApart` (plan.ts): keys every object and listing page and writes
 * the render plan, then exits, returning the memory of the catalogue it parsed (see apart.ts).
 */
import { serveApart } from './apart.ts';
import { buildPid, dieWithParent } from './guard.ts';
import { type PlanOptions, plannedSummary, planObjectPages } from './plan.ts';

dieWithParent({ parent: buildPid() });
serveApart(async (options: PlanOptions) => plannedSummary(await planObjectPages(options)));
