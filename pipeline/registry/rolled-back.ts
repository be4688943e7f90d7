import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { readRegistry } from './registry.ts';

/*
 * After `vitrine models rollback`, the model taken out of production is still the newest registered. A pull request
 * that changes nothing it learns from (a title) trains that very model again: merging it registers no new version
 * (registerVersion reuses the newest when the model is the same) and does not put it back in production (promotion
 * assigns a version only the first time). The report said "The promotion gate passes" as if merging would promote
 * the model tested (an outside tester): it says so instead.
 */

/**
 * The version a rollback took out of production whose very model the pull request's run evaluated (`identity`,
 * metrics.json `inputs.model`), with the version in production: merging leaves production as it is. Null otherwise,
 * and when the registry cannot be read here.
 */
export async function rolledBackModel({
  ws,
  params,
  identity,
}: {
  ws: Workspace;
  params: Params;
  identity: string | undefined;
}): Promise<{ version: string; prod: string | null } | null> {
  if (!identity) return null;
  const state = await readRegistry({ dir: ws.root, name: params.registry.model_name }).catch(() => null);
  // Only the newest registered version is reused by a merge with the same model (registerVersion).
  const latest = state ? ([...state.versions].reverse().find((v) => v.active) ?? null) : null;
  if (!state || !latest?.registration?.identity) return null;
  if (latest.registration.identity !== identity) return null;
  const rolledBack = latest.everAssigned.includes('prod') && !latest.assigned.includes('prod');
  return rolledBack ? { version: latest.version, prod: state.stages.prod ?? null } : null;
}
