import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { assignSlugs } from '../catalogue/derive.ts';
import type { Workspace } from '../paths.ts';

/*
 * The catalogue's address (objects/<slug>/) of each object, for the report's links. The catalogue keeps the
 * address an id had in its last build (assignSlugs, from .vitrine/cache/catalogue-slugs.json or, without it, the
 * last catalogue.json), so a look-alike id added beside a published one ("DM 0267" beside "DM-0267") gets the
 * address with a code. Working the names out again in dataset order could give the newcomer the published
 * object's address, and a report link would open the other object's page.
 */

/** Each id's address, as the catalogue's next build assigns it (ids in dataset order). */
export async function catalogueAddresses({ ws, ids }: { ws: Workspace; ids: string[] }): Promise<Map<string, string>> {
  const previous = (await savedAddresses(path.join(ws.cache, 'catalogue-slugs.json'))) ?? (await lastCatalogue(ws));
  const slugs = assignSlugs({ ids, previous });
  return new Map(ids.map((id, i) => [id, slugs[i]!]));
}

/** The addresses the last build saved (the catalogue's own file: `{ ids, slugs }`), or null when there are none. */
async function savedAddresses(file: string): Promise<Map<string, string> | null> {
  let saved: { ids?: unknown; slugs?: unknown } | null;
  try {
    saved = JSON.parse(await readFile(file, 'utf8')) as { ids?: unknown; slugs?: unknown } | null;
  } catch {
    return null;
  }
  const { ids, slugs } = saved ?? {};
  if (!Array.isArray(ids) || !Array.isArray(slugs) || ids.length !== slugs.length) return null;
  return new Map(ids.map((id, i) => [String(id), String(slugs[i])]));
}

/** The addresses in the last catalogue.json, read as the catalogue reads them; none without one. */
async function lastCatalogue(ws: Workspace): Promise<Map<string, string>> {
  const file = path.join(ws.catalogue, 'catalogue.json');
  if (!existsSync(file)) return new Map();
  // Loaded only here: the catalogue's module brings the whole build with it.
  const { previousSlugs } = await import('../catalogue/data.ts');
  return previousSlugs(file);
}
