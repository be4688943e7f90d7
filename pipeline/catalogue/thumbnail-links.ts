import { runWorker } from '../worker.ts';

/*
 * Which thumbnail links an earlier build left in place. At 100,000 objects that is 600,000 links and
 * 1.2 million `stat` calls (each link and its source), about a sixth of a rebuild's catalogue data
 * step, all on one thread. The check runs on a worker thread, so on two cores it overlaps the IIIF
 * manifests and the downloads the build writes meanwhile; no link is made or removed before its answer.
 */

export interface ThumbnailLinks {
  /** Thumbnails (paths under the dataset folder and media/) to link again, and whether a file is in the way. */
  missing: { file: string; there: boolean }[];
  /** Files under media/ no object has any longer (paths relative to media/). */
  stale: string[];
}

// Plain JavaScript (pipeline/worker.ts). Synchronous: a stat of a cached inode takes
// microseconds, less than a promise's round trip through the thread pool.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readdirSync, statSync } = require('node:fs');
const path = require('node:path');
const { sourceDir, mediaDir, files } = workerData;
const present = new Set();
const pending = [mediaDir];
while (pending.length > 0) {
  const folder = pending.pop();
  let entries = [];
  try { entries = readdirSync(folder, { withFileTypes: true }); } catch {}
  for (const e of entries) {
    const file = path.join(folder, e.name);
    if (e.isDirectory()) pending.push(file);
    else present.add(path.relative(mediaDir, file));
  }
}
const same = (a, b) => {
  const x = statSync(a, { throwIfNoEntry: false });
  const y = statSync(b, { throwIfNoEntry: false });
  return x !== undefined && y !== undefined && x.ino === y.ino && x.dev === y.dev;
};
const missing = [];
const wanted = new Set();
for (const file of files) {
  const key = path.normalize(file);
  wanted.add(key);
  const there = present.has(key);
  if (!there || !same(path.join(sourceDir, file), path.join(mediaDir, file))) missing.push({ file, there });
}
const stale = [];
for (const f of present) if (!wanted.has(f)) stale.push(f);
parentPort.postMessage({ missing, stale });
`;

/**
 * Start checking the links under `mediaDir` against their sources in `sourceDir`; the answer names
 * the thumbnails to link again and the files to remove. Nothing on disk is changed by the check.
 */
export function checkThumbnailLinks({
  sourceDir,
  mediaDir,
  files,
}: {
  sourceDir: string;
  mediaDir: string;
  /** Every thumbnail the catalogue shows, by its path under `sourceDir` (the same under `mediaDir`). */
  files: string[];
}): Promise<ThumbnailLinks> {
  return runWorker({ source: WORKER_SOURCE, name: 'the thumbnail check', data: { sourceDir, mediaDir, files } });
}
