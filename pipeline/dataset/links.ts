import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';

/*
 * Image files that are symbolic links leading outside `data/`. A link can be committed to git and so
 * point anywhere on the computer that runs Vitrine: following it would decode (and publish in the
 * catalogue) a file from elsewhere, such as a private photograph. `vitrine data add` refuses to record
 * such a link (DATA_PATH_LINK, pipeline/data/ops.ts); the dataset stage refuses to read one, by the same
 * rule: the link's final target, every link on the way resolved, must be inside data/. A link to another
 * file of data/ is read as that file, as DVC does.
 */

/** Of `relpaths` (files under `dir`, forward slashes), those that are links whose target is outside `dir`. */
export async function linksOutside({
  dir,
  relpaths,
}: {
  dir: string;
  relpaths: Iterable<string>;
}): Promise<Set<string>> {
  // One listing per folder tells which names are links: at 100,000 images, cheaper than a stat each.
  const byFolder = new Map<string, string[]>();
  for (const relpath of relpaths) {
    const folder = path.posix.dirname(relpath);
    const names = byFolder.get(folder);
    if (names) names.push(path.posix.basename(relpath));
    else byFolder.set(folder, [path.posix.basename(relpath)]);
  }
  const outside = new Set<string>();
  let real: string | undefined;
  for (const [folder, names] of byFolder) {
    const abs = folder === '.' ? dir : path.join(dir, ...folder.split('/'));
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    const wanted = new Set(names);
    for (const entry of entries) {
      if (!entry.isSymbolicLink() || !wanted.has(entry.name)) continue;
      real ??= await realpath(dir);
      const relpath = folder === '.' ? entry.name : `${folder}/${entry.name}`;
      const to = await realpath(path.join(abs, entry.name)).catch(() => null);
      const inside = to === null ? '..' : path.relative(real, to);
      if (!inside || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside))
        outside.add(relpath);
    }
  }
  return outside;
}

/** Why the image at `relpath` (under data/) is not read, and what to do instead. */
export function linkOutsideMessage(relpath: string): string {
  const folder = path.posix.dirname(relpath);
  return (
    `data/${relpath} is a link to a file outside data/: Vitrine does not follow it; put the image itself in ` +
    `data/${folder === '.' ? '' : `${folder}/`}.`
  );
}
