import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type AnalysisSettings, type ImageAnalysis, loadAnalyses, saveAnalyses } from '../dataset/analyse.ts';
import { type DecodeFailure, loadDecodeFailures, saveDecodeFailures } from '../dataset/images.ts';
import type { Workspace } from '../paths.ts';

/*
 * images.json and unreadable.json take the work of every shard run on this checkout (docs/scale.md:
 * two shards may share a machine) and of the pulls. Each writer reads the files again under a short
 * lock and adds its entries, so none overwrites the others' with what it read minutes before.
 */

/** A lock older than this was left by a run that died (it is held for a read and a write). */
const STALE_MS = 2 * 60_000;

/**
 * Add `analyses` and `failures` to the dataset's image caches. `replace`: entries already there are
 * replaced (this run computed them afresh); otherwise kept. Returns how many entries were not there.
 */
export async function addImageCaches({
  ws,
  settings,
  analyses,
  failures,
  replace,
}: {
  ws: Workspace;
  settings: AnalysisSettings;
  analyses: Map<string, ImageAnalysis>;
  failures: Map<string, DecodeFailure>;
  replace: boolean;
}): Promise<{ added: number }> {
  if (analyses.size === 0 && failures.size === 0) return { added: 0 };
  const release = await lock(path.join(ws.dataset, 'images.lock'));
  try {
    let added = 0;
    const merge = <T>(into: Map<string, T>, from: Map<string, T>) => {
      for (const [md5, entry] of from) {
        if (!into.has(md5)) added++;
        else if (!replace) continue;
        into.set(md5, entry);
      }
    };
    if (analyses.size > 0) {
      const current = await loadAnalyses({ datasetDir: ws.dataset, settings });
      merge(current, analyses);
      await saveAnalyses({ datasetDir: ws.dataset, settings, analyses: current });
    }
    if (failures.size > 0) {
      const current = await loadDecodeFailures({ dir: ws.dataset, maxPixels: settings.maxPixels });
      merge(current, failures);
      await saveDecodeFailures({ dir: ws.dataset, maxPixels: settings.maxPixels, failures: current });
    }
    return { added };
  } finally {
    await release();
  }
}

/** Hold `file` (created exclusively, holding our pid); waits while another live run holds it. */
async function lock(file: string): Promise<() => Promise<void>> {
  await mkdir(path.dirname(file), { recursive: true });
  for (;;) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await stale(file)) await rm(file, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Its run is gone (no such process on this machine), or it is older than STALE_MS. */
async function stale(file: string): Promise<boolean> {
  const [text, info] = await Promise.all([readFile(file, 'utf8').catch(() => ''), stat(file).catch(() => null)]);
  if (!info) return false; // just released: try again
  if (Date.now() - info.mtimeMs > STALE_MS) return true;
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return false; // being written
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
