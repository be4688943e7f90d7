import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseLabels } from '../collection/index.ts';
import { messageOf } from '../errors.ts';
import { readBytesAtRef } from '../git/repo.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { readRegistry } from './registry.ts';
import { compareVersions } from './semver.ts';
import type { WithdrawnLabels, WithdrawnVersionLabels } from './withdrawn-words.ts';

export type { WithdrawnLabels, WithdrawnVersionLabels } from './withdrawn-words.ts';

/*
 * A rollback puts an earlier model back; it does not take back the labels the withdrawn model learnt from. They stay
 * in labels.csv, and the next merge, whatever it changes, trains on them again: tester T10 rolled back from a model
 * that "misreads masks as figurines", merged an unrelated pull request, and the version it promoted had learnt the
 * same labels, with nothing said. The rollback and the next report say so, from the registry's own record.
 */

/**
 * The label changes of the versions withdrawn since the one in production was put back that labels.csv (as it is in
 * the workspace) still holds: each version's own changes, counted from the version before it (the one put back, or
 * the version withdrawn before it), so that each change is named with the version that made it. Two rollbacks in a
 * row named only the last version withdrawn, and the first one's changes stayed unsaid (reviewer V16). Versions the
 * rollback went back past without their being in production then are named too (`passedOver`, task D5). Null when
 * production was not put back by a rollback, when labels.csv holds none of the changes (reverted, or the versions
 * learnt the same labels), or when the registry or the labels of the version put back cannot be read here.
 */
export async function withdrawnLabelsKept({
  ws,
  params,
  log,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
}): Promise<WithdrawnLabels | null> {
  const state = await readRegistry({ dir: ws.root, name: params.registry.model_name }).catch(() => null);
  const restored = state?.versions.find((v) => v.version === state.stages.prod);
  if (!state || !restored?.putBack) return null;
  // Withdrawn and not put back or promoted since (registry.ts), newer than the version put back: oldest first. With
  // them, the versions the rollback went back past without taking them out of production (registered and never
  // assigned, or replaced before): their label changes are in labels.csv too, and were said as the next version's.
  const back = Date.parse(restored.putBack.date);
  const chain = state.versions.filter(
    (v) =>
      compareVersions(v.version, restored.version) > 0 &&
      (v.withdrawn || (v.active && Date.parse(v.createdAt) <= back)),
  );
  const was = restored.registration?.lineage?.labels;
  if (chain.length === 0 || !was?.commit) return null;
  const name = path.basename(ws.labels);
  try {
    const base = await labelsAt({ ws, commit: was.commit, md5: was.md5 });
    if (!base) return null;
    const nowText = await readFile(ws.labels);
    const now = labelMap(nowText.toString('utf8'), name);
    const found: WithdrawnVersionLabels[] = [];
    let since = { version: restored.version, commit: was.commit, labels: base };
    let lastMd5 = '';
    for (const v of chain) {
      const learnt = v.registration?.lineage?.labels;
      // A version whose labels cannot be read here: its changes are counted with the next one's.
      const labels = learnt?.commit ? await labelsAt({ ws, commit: learnt.commit, md5: learnt.md5 }) : null;
      if (!learnt?.commit || !labels) continue;
      let changes = 0;
      let kept = 0;
      for (const id of new Set([...since.labels.keys(), ...labels.keys()])) {
        const label = labels.get(id) ?? null;
        // Its own change, and still a change from the version put back (not one it took back).
        if ((since.labels.get(id) ?? null) === label || (base.get(id) ?? null) === label) continue;
        changes++;
        if ((now.get(id) ?? null) === label) kept++;
      }
      if (kept > 0) {
        found.push({
          version: v.version,
          date: v.withdrawn?.date ?? restored.putBack.date,
          reason: v.withdrawn?.reason ?? null,
          ...(v.withdrawn ? {} : { passedOver: true as const }),
          ...(v.everAssigned.includes('prod') ? {} : { neverInProduction: true as const }),
          since: since.version,
          changes,
          kept,
          commits: { since: since.commit, version: learnt.commit },
        });
        lastMd5 = learnt.md5;
      }
      since = { version: v.version, commit: learnt.commit, labels };
    }
    if (found.length === 0) return null;
    return { restored: restored.version, date: restored.putBack.date, versions: found, same: md5(nowText) === lastMd5 };
  } catch (error) {
    // Only a warning to give: never a reason to stop a rollback or a report.
    log.debug(`The labels of the versions withdrawn could not be compared with labels.csv: ${messageOf(error)}`);
    return null;
  }
}

/** labels.csv at `commit` as id → label, or null when it is not there or not the one the version learnt (md5). */
async function labelsAt({
  ws,
  commit,
  md5: expected,
}: {
  ws: Workspace;
  commit: string;
  md5: string;
}): Promise<Map<string, string> | null> {
  const name = path.basename(ws.labels);
  const bytes = await readBytesAtRef({ dir: ws.root, ref: commit, filepath: name });
  if (!bytes || md5(bytes) !== expected) return null;
  return labelMap(Buffer.from(bytes).toString('utf8'), `${name} at ${commit.slice(0, 7)}`);
}

/** Ids and labels compared with their accents encoded alike, as labelsChangedSince compares them. */
function labelMap(text: string, file: string): Map<string, string> {
  return new Map(
    parseLabels({ text, file }).map((l) => [l.objectId.normalize('NFC'), l.label.trim().normalize('NFC')]),
  );
}

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
