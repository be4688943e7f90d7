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
import type { WithdrawnLabels } from './withdrawn-words.ts';

export type { WithdrawnLabels } from './withdrawn-words.ts';

/*
 * A rollback puts an earlier model back; it does not take back the labels the withdrawn model learnt from. They stay
 * in labels.csv, and the next merge, whatever it changes, trains on them again: tester T10 rolled back from a model
 * that "misreads masks as figurines", merged an unrelated pull request, and the version it promoted had learnt the
 * same labels, with nothing said. The rollback and the next report say so, from the registry's own record.
 */

/**
 * The label changes of the version a rollback withdrew that labels.csv (as it is in the workspace) still holds, when
 * production is the version that rollback put back. Null when production was not put back by a rollback, when both
 * versions learnt the same labels (the labels did not make the difference), when labels.csv holds none of the
 * changes any more (reverted), or when the registry or either version's labels cannot be read here.
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
  const prod = state?.stages.prod;
  const restored = state?.versions.find((v) => v.version === prod);
  const from = restored?.putBack?.from;
  const withdrawn = from ? state?.versions.find((v) => v.version === from) : undefined;
  if (!restored || !withdrawn?.withdrawn) return null;
  const was = restored.registration?.lineage?.labels;
  const learnt = withdrawn.registration?.lineage?.labels;
  if (!was?.commit || !learnt?.commit || was.md5 === learnt.md5) return null;
  const name = path.basename(ws.labels);
  try {
    const before = await labelsAt({ ws, commit: was.commit, md5: was.md5 });
    const after = await labelsAt({ ws, commit: learnt.commit, md5: learnt.md5 });
    if (!before || !after) return null;
    const nowText = await readFile(ws.labels);
    const now = labelMap(nowText.toString('utf8'), name);
    let changes = 0;
    let kept = 0;
    for (const id of new Set([...before.keys(), ...after.keys()])) {
      const label = after.get(id) ?? null;
      if ((before.get(id) ?? null) === label) continue;
      changes++;
      if ((now.get(id) ?? null) === label) kept++;
    }
    if (kept === 0) return null;
    return {
      withdrawn: withdrawn.version,
      date: withdrawn.withdrawn.date,
      reason: withdrawn.withdrawn.reason,
      restored: restored.version,
      changes,
      kept,
      same: md5(nowText) === learnt.md5,
      commits: { restored: was.commit, withdrawn: learnt.commit },
    };
  } catch (error) {
    // Only a warning to give: never a reason to stop a rollback or a report.
    log.debug(`The labels of ${withdrawn.version} could not be compared with labels.csv: ${messageOf(error)}`);
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
