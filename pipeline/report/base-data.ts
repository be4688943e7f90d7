import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeText } from '../collection/index.ts';
import { parseRefusedImages, REFUSED_IMAGES, type RefusedImage } from '../collection/refused-images.ts';
import { objectPath, readCachedManifest } from '../data/cache.ts';
import { readDvcConfig } from '../data/config.ts';
import { parseDvcFile } from '../data/dvcfile.ts';
import { parseObjectsChecked } from '../dataset/validate.ts';
import { messageOf } from '../errors.ts';
import { readTextAtCommit } from '../git/history.ts';
import type { Logger } from '../log.ts';
import { rel, type Workspace } from '../paths.ts';
import type { CollectionObject } from '../types.ts';

/*
 * The collection's data folder at the base of a pull request. Git holds only data.dvc there; the folder's listing
 * (path under data/ → md5) and its files are in the local DVC cache when it has them, as after `npx vitrine data add`
 * on the base. Each part is read once, when a section asks for it: the photographs section and the objects that leave
 * the catalogue both compare with the base.
 */

/** data.dvc's folder listing at the base: `md5` its id; `files` null when the cache lacks the listing. */
export interface BaseListing {
  md5: string;
  files: Map<string, string> | null;
}

/** What the report reads of the base's data, each part read once when first asked for. */
export interface BaseData {
  /** data.dvc's listing at the base, or null when data.dvc there records none. */
  listing: () => Promise<BaseListing | null>;
  /** Whether data.dvc records the same folder at the base and in the work tree (then no data file changed). */
  sameAsWorkTree: () => Promise<boolean>;
  /** data/objects.csv at the base (from git when it tracks it, else the DVC cache), or null when it cannot be read. */
  objects: () => Promise<CollectionObject[] | null>;
  /** The work tree's data.dvc listing (path under data/ → md5), or null when the local DVC cache lacks it. */
  workTreeFiles: () => Promise<Map<string, string> | null>;
  /**
   * The image files import had refused at the base (data/.refused-images.json), by object id: empty when the base has
   * no such file, null when it cannot be read. (Absent: not known.)
   */
  refusedImages?: () => Promise<Map<string, RefusedImage> | null>;
}

/** The base's data at `commit`, read lazily (see BaseData). Failures are said in the log's detail and read as null. */
export function baseData({ ws, commit, log }: { ws: Workspace; commit: string; log: Logger }): BaseData {
  const once = <T>(read: () => Promise<T>): (() => Promise<T>) => {
    let promise: Promise<T> | undefined;
    return () => {
      promise ??= read();
      return promise;
    };
  };
  const listing = once(() => listingAt({ ws, commit, log }));
  const sameAsWorkTree = once(async () => {
    const base = await listing();
    return !!base && (await workTreeDvcMd5({ ws })) === base.md5;
  });
  const objects = once(async () => {
    const file = rel(ws, ws.objects);
    try {
      // A repository may keep data/objects.csv in git beside data.dvc.
      const tracked = await readTextAtCommit({ dir: ws.root, commit, filepath: file });
      // Read as the dataset stage reads it (a repeated id keeps its first row): the comparison is with what it used.
      if (tracked !== null) return parseObjectsChecked({ text: tracked, name: `${file} (base)` }).objects;
      const md5 = (await listing())?.files?.get(path.relative(ws.data, ws.objects).split(path.sep).join('/'));
      if (!md5) return null;
      const { cacheDir } = await readDvcConfig({ root: ws.root });
      const text = decodeText({ bytes: await readFile(objectPath(cacheDir, md5)), file });
      return parseObjectsChecked({ text, name: `${file} (base)` }).objects;
    } catch (error) {
      log.debug(`The base's ${file} could not be read: ${messageOf(error)}`);
      return null;
    }
  });
  const workTreeFiles = once(async () => {
    const md5 = await workTreeDvcMd5({ ws });
    if (!md5?.endsWith('.dir')) return null;
    try {
      const { cacheDir } = await readDvcConfig({ root: ws.root });
      const manifest = await readCachedManifest({ cacheDir, md5, target: 'data' });
      return manifest ? new Map(manifest.map((e) => [e.relpath, e.md5])) : null;
    } catch (error) {
      log.debug(`The work tree's data.dvc listing could not be read: ${messageOf(error)}`);
      return null;
    }
  });
  const refusedImages = once(async () => {
    const files = (await listing())?.files;
    if (!files) return null;
    const md5 = files.get(REFUSED_IMAGES);
    if (!md5) return new Map<string, RefusedImage>();
    try {
      const { cacheDir } = await readDvcConfig({ root: ws.root });
      return parseRefusedImages(await readFile(objectPath(cacheDir, md5), 'utf8'));
    } catch (error) {
      log.debug(`The base's data/${REFUSED_IMAGES} could not be read: ${messageOf(error)}`);
      return null;
    }
  });
  return { listing, sameAsWorkTree, objects, workTreeFiles, refusedImages };
}

/** data.dvc's folder listing at `commit`, or null when data.dvc there records none or cannot be read. */
async function listingAt({
  ws,
  commit,
  log,
}: {
  ws: Workspace;
  commit: string;
  log: Logger;
}): Promise<BaseListing | null> {
  try {
    const dvcText = await readTextAtCommit({ dir: ws.root, commit, filepath: 'data.dvc' });
    if (dvcText === null) return null;
    const out = parseDvcFile({ text: dvcText, file: 'data.dvc' }).outs[0];
    if (!out?.md5?.endsWith('.dir')) return null;
    const { cacheDir } = await readDvcConfig({ root: ws.root });
    const manifest = await readCachedManifest({ cacheDir, md5: out.md5, target: 'data' });
    return { md5: out.md5, files: manifest ? new Map(manifest.map((e) => [e.relpath, e.md5])) : null };
  } catch (error) {
    log.debug(`The base's data.dvc could not be read: ${messageOf(error)}`);
    return null;
  }
}

/** The md5 the work tree's data.dvc records, or null. */
async function workTreeDvcMd5({ ws }: { ws: Workspace }): Promise<string | null> {
  try {
    const dvcText = await readFile(path.join(ws.root, 'data.dvc'), 'utf8');
    return parseDvcFile({ text: dvcText, file: 'data.dvc' }).outs[0]?.md5 ?? null;
  } catch {
    return null;
  }
}
