import path from 'node:path';
import { exists } from '../data/cache.ts';
import { VitrineError } from '../errors.ts';
import type { Workspace } from '../paths.ts';

/*
 * An init stopped halfway (killed, the machine off) leaves params.yaml, .dvc/ and data/ but no data.dvc or .git.
 * The marker `.vitrine/init-unfinished` says so while init works; a folder an init before the marker left is known
 * by those files (a collection always has data.dvc). Init does it again; nothing else runs on it.
 */

/** Where init's marker is: `.vitrine/init-unfinished`. */
export function initMarker(ws: Workspace): string {
  return path.join(ws.work, 'init-unfinished');
}

/** The marker's path when this folder is one an init left half made, else null. */
export async function unfinishedInit({ ws }: { ws: Workspace }): Promise<string | null> {
  const marker = initMarker(ws);
  if (await exists(marker)) return marker;
  const halfMade =
    (await exists(ws.params)) &&
    (await exists(path.join(ws.root, '.dvc', 'config'))) &&
    (await exists(ws.objects)) &&
    !(await exists(ws.dataDvc)) &&
    !(await exists(path.join(ws.root, '.git')));
  return halfMade ? marker : null;
}

/**
 * Before a run reads the collection: one an init left half made has no data.dvc and no git repository yet, and a
 * run on it would build, train and publish a collection nobody has recorded (an outside tester's went through
 * every stage). It stops, saying what to do.
 */
export async function refuseUnfinishedInit({ ws }: { ws: Workspace }): Promise<void> {
  // The marker only: a collection set up by hand can be in the state an older init left (not recorded yet).
  const marker = initMarker(ws);
  if (!(await exists(marker))) return;
  throw new VitrineError(
    'INIT_INTERRUPTED',
    'vitrine init did not finish in this folder, so the collection is only half made (not yet recorded in ' +
      'data.dvc and staged for its first commit). Nothing was run. Run the same vitrine init command again: it does the unfinished steps ' +
      'again. Then run this again.',
    { file: path.relative(ws.root, marker) },
  );
}
