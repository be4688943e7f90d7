import { keptAddresses } from '../catalogue/addresses.ts';
import type { Workspace } from '../paths.ts';

/*
 * The catalogue's address (objects/<slug>/) of each object, for the report's links. The catalogue keeps the
 * address an id had in its last build (pipeline/catalogue/addresses.ts), so a look-alike id added beside a
 * published one ("DM 0267" beside "DM-0267") gets the address with a code. Working the names out again in
 * dataset order could give the newcomer the published object's address, and a report link would open the other
 * object's page.
 */

/** Each id's address, as the catalogue's next build assigns it (ids in dataset order). */
export async function catalogueAddresses({ ws, ids }: { ws: Workspace; ids: string[] }): Promise<Map<string, string>> {
  const slugs = await keptAddresses({ ws, ids });
  return new Map(ids.map((id, i) => [id, slugs[i]!]));
}
