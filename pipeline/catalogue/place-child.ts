/*
 * The child process of `placeSiteApart` (place.ts): updates the site in place with `placeSite` and
 * exits, returning the memory its 800,000 file checks took (see apart.ts).
 */
import { serveApart } from './apart.ts';
import { buildPid, dieWithParent } from './guard.ts';
import { type PlaceRequest, placeSite } from './place.ts';
import { plannedListings, plannedPages } from './plan.ts';

dieWithParent({ parent: buildPid() });
serveApart(async ({ planDir, ...options }: PlaceRequest) => {
  const [pages, listings] = [await plannedPages(planDir), await plannedListings(planDir)];
  const placed = await placeSite({ ...options, pages, listings });
  return { placed, peakRss: process.resourceUsage().maxRSS * 1024 };
});
