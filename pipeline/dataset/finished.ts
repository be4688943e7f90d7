import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { mapPool } from '../data/hash.ts';
import { tempName } from '../data/temp.ts';
import { writeJsonAtomic } from '../fs.ts';
import {
  type AnalysisSettings,
  analysisKey,
  checkThumbnails,
  FINISHED_DIR,
  FINISHED_NAME,
  type ImageAnalysis,
} from './analyse.ts';
import { type DecodeFailure, failuresKey } from './images.ts';

/*
 * What a dataset stage stopped part-way (Ctrl-C, kill, a crash) had finished. images.json and unreadable.json are
 * written once, when every image is read: a stage stopped before then decoded every image again on the next run,
 * hours on a large collection. So each image's answer is also written on its own as soon as it is known, after its
 * thumbnails: `.vitrine/dataset/finished/<md5>-<settings key>.json`, through a temporary file renamed into place, so
 * a file there is always whole. The next run takes these instead of decoding the images again (an analysis only
 * while its thumbnails are still as written), then folds them into images.json and unreadable.json and removes them.
 */

/** One image's answer, as written. */
interface FinishedFile {
  schema: 'vitrine.dataset-image/1';
  key: string;
  /** The image decoded: its analysis (thumbnails already written). */
  analysis?: ImageAnalysis;
  /** The image could not be used: why, and what that depends on besides the bytes (failuresKey). */
  failure?: DecodeFailure;
  failuresKey?: string;
}

/** Write the answer for image `md5` (atomically): its analysis, or why it could not be used. */
export async function saveFinished({
  datasetDir,
  settings,
  md5,
  result,
}: {
  datasetDir: string;
  settings: AnalysisSettings;
  md5: string;
  result: { analysis: ImageAnalysis } | { failure: DecodeFailure };
}): Promise<void> {
  const key = analysisKey(settings);
  const value: FinishedFile =
    'analysis' in result
      ? { schema: 'vitrine.dataset-image/1', key, analysis: result.analysis }
      : {
          schema: 'vitrine.dataset-image/1',
          key,
          failure: result.failure,
          failuresKey: failuresKey({ maxPixels: settings.maxPixels }),
        };
  // Named by its process: a later dataset stage removes the temporary file of a killed one (removeLeftTemps).
  await writeJsonAtomic({ file: path.join(datasetDir, FINISHED_DIR, `${md5}-${key}.json`), value, temp: tempName });
}

/**
 * The answers a stopped run left for the images of `wanted` (md5s) under these settings. An analysis whose
 * thumbnails are missing or changed, or a failure found by another decoder or pixel limit, is not taken: the
 * image is read again.
 */
export async function loadFinished({
  datasetDir,
  settings,
  wanted,
}: {
  datasetDir: string;
  settings: AnalysisSettings;
  wanted: Set<string>;
}): Promise<{ analyses: Map<string, ImageAnalysis>; failures: Map<string, DecodeFailure> }> {
  const analyses = new Map<string, ImageAnalysis>();
  const failures = new Map<string, DecodeFailure>();
  const key = analysisKey(settings);
  const decoder = failuresKey({ maxPixels: settings.maxPixels });
  const dir = path.join(datasetDir, FINISHED_DIR);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => {
    const m = FINISHED_NAME.exec(name);
    return m !== null && m[2] === key && wanted.has(m[1]!);
  });
  await mapPool(names, 32, async (name) => {
    const md5 = name.slice(0, 32);
    let file: FinishedFile;
    try {
      file = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as FinishedFile;
    } catch {
      return; // damaged: reading the image again only costs time
    }
    if (typeof file !== 'object' || file === null || file.schema !== 'vitrine.dataset-image/1' || file.key !== key)
      return;
    if (file.analysis && typeof file.analysis === 'object') {
      const checked = await checkThumbnails({ datasetDir, analysis: file.analysis }).catch(() => null);
      if (checked) analyses.set(md5, checked.analysis);
    } else if (file.failure && file.failuresKey === decoder && typeof file.failure.code === 'string')
      failures.set(md5, file.failure);
  });
  return { analyses, failures };
}

/**
 * Remove the answers now kept in images.json and unreadable.json (`folded`, by md5), and those no run will take:
 * of other settings, or, when `inUse` is given (the whole stage, which knows every image in use), of images no
 * object uses. Temporary files are removeLeftTemps's. Returns how many were removed.
 */
export async function removeFinished({
  datasetDir,
  settings,
  folded,
  inUse,
}: {
  datasetDir: string;
  settings: AnalysisSettings;
  folded: Set<string>;
  inUse?: Set<string>;
}): Promise<number> {
  const key = analysisKey(settings);
  const dir = path.join(datasetDir, FINISHED_DIR);
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = FINISHED_NAME.exec(name);
    if (!m || (m[2] === key && (inUse?.has(m[1]!) ?? true) && !folded.has(m[1]!))) continue;
    await rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
