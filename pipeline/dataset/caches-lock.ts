import path from 'node:path';
import { holdLock } from '../lock.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';

/*
 * images.json and unreadable.json take the work of the whole dataset stage and of every shard run on this
 * checkout (docs/scale.md: two shards may share a machine). Each writer writes them under one lock, so none
 * writes what it read minutes before over another's newer files.
 */

/** The image caches' lock file, in the dataset's folder. */
export const IMAGE_CACHES_LOCK = 'images.lock';

/**
 * Hold the image caches' lock: resolves with the function that releases it. `what` names the holder's work in
 * messages ("a run adding to the image caches"). Held for a read and a write: waits are short, so they are
 * checked often, and said only once one lasts 5 s (a run that seems hung should say what it waits for).
 */
export function holdImageCaches({
  ws,
  what,
  log,
}: {
  ws: Workspace;
  what: string;
  log: Logger;
}): Promise<() => Promise<void>> {
  return holdLock({
    file: path.join(ws.dataset, IMAGE_CACHES_LOCK),
    what,
    log,
    root: ws.root,
    wait: () => new Promise((resolve) => setTimeout(resolve, 20)),
    tellAfterMs: 5_000,
  });
}
