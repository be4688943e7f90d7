import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { dvc2CacheLinkMessage, isDvc2CacheObject, linkLeadsTo, realCacheDir } from '../data/ops.ts';

/*
 * Image files that are symbolic links leading outside `data/`. A link can be committed to git and so
 * point anywhere on the computer that runs Vitrine: following it would decode (and publish in the
 * catalogue) a file from elsewhere, such as a private photograph. `vitrine data add` refuses to record
 * such a link (DATA_PATH_LINK, pipeline/data/ops.ts); the dataset stage refuses to read one, by the same
 * rule (`linkLeadsTo`): the link's final target, every link on the way resolved, must be inside data/ or
 * an object of the repository's cache (DVC's cache.type: symlink). A link to another file of data/ is read
 * as that file, as DVC does.
 */

/** Why a link is not read: it leads outside data/, or into the cache as DVC 2 laid it out (not read either). */
export type LinkRefusal = 'outside' | 'dvc2-cache';

/** Of `relpaths` (files under `dir`, forward slashes), those that are links whose target is outside `dir`, and why. */
export async function linksOutside({
  dir,
  relpaths,
  cacheDir,
}: {
  dir: string;
  relpaths: Iterable<string>;
  /** The repository's DVC cache (`cache.dir`): a link to one of its objects is the file DVC recorded. */
  cacheDir: string;
}): Promise<Map<string, LinkRefusal>> {
  // One listing per folder tells which names are links: at 100,000 images, cheaper than a stat each.
  const byFolder = new Map<string, string[]>();
  for (const relpath of relpaths) {
    const folder = path.posix.dirname(relpath);
    const names = byFolder.get(folder);
    if (names) names.push(path.posix.basename(relpath));
    else byFolder.set(folder, [path.posix.basename(relpath)]);
  }
  const outside = new Map<string, LinkRefusal>();
  let real: string | undefined;
  let realCache: string | undefined;
  for (const [folder, names] of byFolder) {
    const abs = folder === '.' ? dir : path.join(dir, ...folder.split('/'));
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    const wanted = new Set(names);
    for (const entry of entries) {
      if (!entry.isSymbolicLink() || !wanted.has(entry.name)) continue;
      real ??= await realpath(dir);
      realCache ??= realCacheDir(cacheDir) ?? '';
      const relpath = folder === '.' ? entry.name : `${folder}/${entry.name}`;
      const to = await realpath(path.join(abs, entry.name)).catch(() => null);
      // The data layer's rule (`vitrine data add` records by it): inside data/, or an object of the cache.
      if (to === null || linkLeadsTo({ realData: real, realCache: realCache || undefined, to }) === 'outside')
        outside.set(
          relpath,
          to && isDvc2CacheObject({ realCache: realCache || undefined, to }) ? 'dvc2-cache' : 'outside',
        );
    }
  }
  return outside;
}

/** Why the image at `relpath` (under data/) is not read, and what to do instead. */
export function linkOutsideMessage(relpath: string, why: LinkRefusal = 'outside'): string {
  const folder = path.posix.dirname(relpath);
  if (why === 'dvc2-cache') return dvc2CacheLinkMessage({ file: `data/${relpath}` });
  return (
    `data/${relpath} is a link to a file outside data/: Vitrine does not follow it; put the image itself in ` +
    `data/${folder === '.' ? '' : `${folder}/`}.`
  );
}
