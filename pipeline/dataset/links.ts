import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
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

/**
 * Why the image `relpath` of data/ (`dir`) is not there to read when a link is the cause: words that name the link
 * and where it leads (`said`), and what to do (`advice`); undefined when no link is on its way (the file is simply
 * not there). A folder on its way that is a link is not followed (neither is it by `vitrine data add`), and a link
 * whose target is gone leads nowhere: calling such an image "missing" sent people looking for a file they could see.
 */
export async function linkOnTheWay({
  dir,
  root,
  relpath,
}: {
  dir: string;
  /** The repository: a link leading out of it is said to. */
  root: string;
  relpath: string;
}): Promise<{ said: string; advice: string } | undefined> {
  const segments = relpath.split('/');
  for (let i = 1; i <= segments.length; i++) {
    const abs = path.join(dir, ...segments.slice(0, i));
    const info = await lstat(abs).catch(() => null);
    if (!info) return undefined;
    if (!info.isSymbolicLink()) continue;
    const link = `data/${segments.slice(0, i).join('/')}`;
    const parent = path.posix.dirname(link);
    const to = await readlink(abs).catch(() => '');
    const real = await realpath(abs).catch(() => null);
    const realRoot = await realpath(root).catch(() => root);
    const outside = real !== null && !isInside(realRoot, real) ? ', outside the repository' : '';
    if (i < segments.length) {
      const there = (await stat(path.join(dir, ...segments)).catch(() => null))?.isFile();
      return {
        said:
          `data/${relpath} is in ${link}, a link to the folder ${to}${outside}, and Vitrine does not follow links ` +
          `to folders, so it does not read it${there ? '' : ' (nor is there such a file in that folder)'}`,
        advice:
          `Put the folder itself (its files, not a link) in ${parent}/ in place of the link, then run ` +
          '"npx vitrine data add".',
      };
    }
    if (real === null)
      return {
        said: `data/${relpath} is a link to ${to}, which does not exist (the link leads nowhere)`,
        advice: `Put the image itself (a file, not a link) in ${parent}/, then run "npx vitrine data add".`,
      };
    if ((await stat(real).catch(() => null))?.isDirectory())
      return {
        said: `data/${relpath} is a link to the folder ${to}${outside}, not an image file`,
        advice: `Put the image itself in ${parent}/ in its place, then run "npx vitrine data add".`,
      };
    return undefined;
  }
  return undefined;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
