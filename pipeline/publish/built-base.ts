import { type CatalogueLocation, normaliseBase } from '../catalogue/location.ts';
import type { Workspace } from '../paths.ts';
import { type LockEntry, readLock } from '../stages/lock-file.ts';

/*
 * What the built site was made for, as .vitrine/lock.json records it: apart from the checks before publishing
 * (publish/built.ts), so that `vitrine serve` reads it without loading the stages' and the catalogue build's code.
 */

/** The base path the built site was made for, as lock.json records it; undefined when no build is recorded. */
export async function builtSiteBase({ ws }: { ws: Workspace }): Promise<string | undefined> {
  const entry = (await readLock({ file: ws.lock })).stages.catalogue;
  return entry ? builtFor(entry).base : undefined;
}

/**
 * The base path and address the site was built for, as the catalogue stage recorded them. A record edited by hand
 * (no deps, a number for the base) reads as the defaults: it is lock.json, not a reason to stop.
 */
export function builtFor(entry: LockEntry): CatalogueLocation {
  const deps = (entry.deps ?? {}) as Partial<LockEntry['deps']>;
  const extra = deps.extra as { location?: Partial<CatalogueLocation> } | null | undefined;
  const section = (deps.params?.catalogue ?? {}) as Partial<CatalogueLocation>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    base: normaliseBase(text(extra?.location?.base) ?? text(section.base) ?? '/'),
    site: text(extra?.location?.site) ?? text(section.site) ?? '',
  };
}
