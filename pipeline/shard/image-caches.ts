import { type AnalysisSettings, type ImageAnalysis, loadAnalyses, saveAnalyses } from '../dataset/analyse.ts';
import { holdImageCaches } from '../dataset/caches-lock.ts';
import { type DecodeFailure, loadDecodeFailures, saveDecodeFailures } from '../dataset/images.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { Workspace } from '../paths.ts';

/*
 * images.json and unreadable.json take the work of every shard run on this checkout (docs/scale.md:
 * two shards may share a machine) and of the pulls. Each writer reads the files again under a short
 * lock (images.lock, which the whole dataset stage's write holds too) and adds its entries, so none
 * overwrites the others' with what it read minutes before.
 */

/**
 * Add `analyses` and `failures` to the dataset's image caches. `replace`: entries already there are
 * replaced (this run computed them afresh); otherwise kept. Returns how many entries were not there.
 * `log` hears of a wait for another run's lock that is not short.
 */
export async function addImageCaches({
  ws,
  settings,
  analyses,
  failures,
  replace,
  log = silentLogger,
}: {
  ws: Workspace;
  settings: AnalysisSettings;
  analyses: Map<string, ImageAnalysis>;
  failures: Map<string, DecodeFailure>;
  replace: boolean;
  log?: Logger;
}): Promise<{ added: number }> {
  if (analyses.size === 0 && failures.size === 0) return { added: 0 };
  const release = await holdImageCaches({ ws, what: 'a run adding to the image caches', log });
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
      // Never prunes thumbnails: another run's are written before they are recorded.
      await saveAnalyses({ datasetDir: ws.dataset, settings, analyses: current, prune: false });
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
