import { type Dirent, readdirSync } from 'node:fs';
import path from 'node:path';

/*
 * The files of a folder, as the catalogue's build walks them (the page cache, the site's folders, the search
 * index's parts). No imports of Vitrine's: the search index's code hash (search-index.ts) takes in what it imports.
 */

/** A temporary file a crash left (writeFileAtomic's `<name>.<12 hex>.tmp`): never kept, never published. */
export function isTempLeftover(name: string): boolean {
  return /\.[0-9a-f]{12}\.tmp$/.test(name);
}

/** Files only the build reads: markers of what made a folder, temporary files. */
function buildOnly(name: string): boolean {
  return name === '.vitrine-source' || isTempLeftover(name);
}

/**
 * Files under `dir`, as paths relative to it (none when it does not exist), not descending into the
 * top-level `skip` folders, and leaving out the build's own files (markers, temporary files) unless
 * `all`. Synchronous: a site of 100,000 objects has 900,000 files, and Node's promised recursive
 * `readdir` takes several times the CPU of this walk.
 */
export function filesIn(dir: string, options: { skip?: string[]; all?: boolean } = {}): string[] {
  const out: string[] = [];
  eachFileIn(dir, options, (f) => out.push(f));
  return out;
}

/** `filesIn`, each path handed to `each` as it is found rather than kept in a list. */
export function eachFileIn(
  dir: string,
  { skip = [], all = false }: { skip?: string[]; all?: boolean },
  each: (file: string) => void,
): void {
  const walk = (at: string, rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(at, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && rel === '') return;
      throw error;
    }
    for (const e of entries) {
      const name = rel ? path.join(rel, e.name) : e.name;
      if (e.isDirectory()) {
        if (!(rel === '' && skip.includes(e.name))) walk(path.join(at, e.name), name);
      } else if (all || (e.isFile() && !buildOnly(e.name))) each(name);
    }
  };
  walk(dir, '');
}
