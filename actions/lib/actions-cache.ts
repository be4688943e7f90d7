import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as cache from '@actions/cache';
import { gcData } from '../../pipeline/data/gc.ts';
import { messageOf } from '../../pipeline/errors.ts';
import type { Logger } from '../../pipeline/log.ts';

/*
 * The GitHub Actions cache as a fast layer in front of the data remote: `.dvc/cache` is restored
 * before `vitrine data pull` (which then fetches only what is missing) and saved after. The key is
 * the content of data.dvc, so a new data version gets a new entry while restore-keys still bring
 * back the previous version's objects. Caching never fails a run: any problem is a warning.
 *
 * A pull request from a fork can restore what the default branch saved (GitHub allows it and it cannot be
 * turned off), so before saving, the cache is pruned to the current data version ("vitrine data gc"):
 * images removed from the collection do not travel on in it. With `images: false` (the action's
 * `save-images: 'false'`) the images never enter the Actions cache and every run pulls from the remote.
 */

/**
 * Default key prefix; change it to start the caches afresh. v2: the entries v1 saved were not pruned (they may
 * hold images since removed) and an exact hit keeps an entry alive for ever, so v2 never restores them.
 */
export const DATA_CACHE_PREFIX = 'vitrine-dvc-cache-v2';

export interface DataCacheKeys {
  /** `<prefix>-<md5 of data.dvc>` (or `<prefix>-untracked`). */
  key: string;
  /** Fallbacks for restore: any earlier version. */
  restoreKeys: string[];
  /** Absolute path of the cache folder. */
  paths: string[];
}

/** The cache key for the data version recorded in `<root>/data.dvc`. */
export async function dataCacheKeys({
  root,
  prefix = DATA_CACHE_PREFIX,
}: {
  root: string;
  prefix?: string;
}): Promise<DataCacheKeys> {
  let version = 'untracked';
  try {
    version = createHash('md5')
      .update(await readFile(path.join(root, 'data.dvc')))
      .digest('hex');
  } catch {
    // No data.dvc yet: one shared entry.
  }
  return {
    key: `${prefix}-${version}`,
    restoreKeys: [`${prefix}-`],
    paths: [path.join(path.resolve(root), '.dvc', 'cache')],
  };
}

/** The @actions/cache functions used here; passed in so tests can point at other implementations. */
export interface CacheService {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

/** What the log says when the images are kept out of the Actions cache. */
const IMAGES_OFF =
  "save-images is 'false': the images are kept out of the GitHub Actions cache (which pull requests from forks can " +
  'read), so they come from the data remote on every run.';

/** Restore `.dvc/cache`. Returns what was matched; never throws. */
export async function restoreDataCache({
  root,
  log,
  prefix,
  images = true,
  service = cache,
}: {
  root: string;
  log: Logger;
  prefix?: string;
  /** False: the images stay out of the Actions cache; nothing is restored. */
  images?: boolean;
  service?: CacheService;
}): Promise<{ hit: boolean; matchedKey?: string; key: string }> {
  const keys = await dataCacheKeys({ root, prefix });
  if (!images) {
    log.info(IMAGES_OFF);
    return { hit: false, key: keys.key };
  }
  try {
    if (!service.isFeatureAvailable()) {
      log.warn('The GitHub Actions cache is not available here, so the images will come from the data remote.');
      return { hit: false, key: keys.key };
    }
    const matchedKey = await service.restoreCache(keys.paths, keys.key, keys.restoreKeys);
    if (matchedKey)
      log.info(
        `Restored the image cache (${matchedKey === keys.key ? 'this exact data version' : `an earlier version: ${matchedKey}`}).`,
      );
    else log.info('No image cache yet for this repository; the images will come from the data remote.');
    return { hit: matchedKey === keys.key, matchedKey, key: keys.key };
  } catch (error) {
    log.warn(`Could not restore the image cache (${messageOf(error)}); carrying on without it.`);
    return { hit: false, key: keys.key };
  }
}

/**
 * Save `.dvc/cache` under the data version's key, unless it was an exact hit, first pruned to what the
 * current data.dvc needs; a cache that cannot be pruned is not saved. Never throws.
 */
export async function saveDataCache({
  root,
  log,
  prefix,
  hit = false,
  images = true,
  service = cache,
}: {
  root: string;
  log: Logger;
  prefix?: string;
  hit?: boolean;
  /** False: the images stay out of the Actions cache; nothing is saved. */
  images?: boolean;
  service?: CacheService;
}): Promise<{ saved: boolean; key: string }> {
  const keys = await dataCacheKeys({ root, prefix });
  if (!images) return { saved: false, key: keys.key };
  if (hit) return { saved: false, key: keys.key };
  try {
    if (!service.isFeatureAvailable()) {
      log.warn('The GitHub Actions cache is not available here, so the image cache was not saved.');
      return { saved: false, key: keys.key };
    }
    try {
      // Only the current version, removed without asking the data remote: the runner's cache holds what it pulled.
      await gcData({ root, log, workspaceOnly: true, removeUnpushed: true });
    } catch (error) {
      log.warn(
        'The image cache was not saved: it could not first be pruned to the current data version, and saved unpruned it would ' +
          `carry earlier versions' images, removed ones included. The next run pulls from the data remote. ${messageOf(error)}`,
      );
      return { saved: false, key: keys.key };
    }
    const id = await service.saveCache(keys.paths, keys.key);
    if (id === -1) {
      log.warn('The image cache was not saved (the cache service declined); the next run pulls from the data remote.');
      return { saved: false, key: keys.key };
    }
    log.info(`Saved the image cache as ${keys.key}.`);
    return { saved: true, key: keys.key };
  } catch (error) {
    // Includes ReserveCacheError (another job saved the same key first): not a reason to fail.
    log.warn(`Could not save the image cache (${messageOf(error)}); carrying on.`);
    return { saved: false, key: keys.key };
  }
}
