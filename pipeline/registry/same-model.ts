import { sameModel } from './identity.ts';
import type { VersionRecord } from './registry.ts';

/*
 * A merge registers a new version unless the model is the newest version's (registerVersion); a model equal to an
 * older one (a revert merged: v1.3.0 computing exactly what v1.1.0 does) is registered again under a new number.
 * Kept so (version numbers only go up, and the tags are the registry's history); `models show` and the model card
 * say which earlier version it is the same model as (an outside tester).
 */

/** The earliest version registered before `version` with the very same model (identity, or weights and types). */
export function sameModelBefore({ versions, version }: { versions: VersionRecord[]; version: string }): string | null {
  const at = versions.findIndex((v) => v.version === version);
  const registration = versions[at]?.registration;
  if (!registration) return null;
  // Oldest first (readRegistry sorts by version number).
  const earlier = versions.slice(0, at).find((v) => v.registration && sameModel(v.registration, registration));
  return earlier?.version ?? null;
}

/** What a card's "What changed" says first of a version that is an earlier one's model registered again. */
export function sameModelWords(earlier: string): string {
  return (
    `The same model as ${earlier} (same weights, types and image model), registered again as a new version: the ` +
    `change merged gave back what ${earlier} learnt (a revert, say), so its answers are ${earlier}’s.`
  );
}
