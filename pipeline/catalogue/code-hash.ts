import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/*
 * Hashes of Vitrine's own code, for the caches an upgrade of Vitrine must empty: the files a module imports,
 * directly or not, read from its sources. Few imports of its own: a module whose code is hashed may import this
 * one without its hash taking in much besides.
 */

/** Vitrine's own folder (the one holding `pipeline/`, `site/` and the node_modules with Astro). */
export const VITRINE_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Folders of the site's sources that hold no source: Astro's work folder, packages, output. */
const NOT_SOURCES = new Set(['.astro', 'node_modules', 'dist']);

/** A relative import's specifier (`from './x.ts'`, `import('../y.ts')`, `import './z.css'`), in any source file. */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"\n?]+)(?:\?[^'"\n]*)?['"]/g;

/** `import type … from '…'` or `export type … from '…'`: nothing of the file it names runs. */
const TYPE_ONLY_IMPORT =
  /\b(?:import|export)\s+type\s+(?:\{[^}]*\}|\*\s+as\s+[\w$]+|[\w$]+)\s+from\s*['"][^'"\n]+['"]/g;

/**
 * The files `entries` (files, or folders taken whole) are, and every file they import by a relative path,
 * directly or not, with their bytes (each read once), by absolute path in sorted order. A file that is not there is
 * left out (a bundle has no sources). Synchronous and small: the catalogue's code is about 230 files.
 */
export function sourceClosure(entries: string[]): Map<string, Buffer> {
  return closureOf({ entries, types: true });
}

/**
 * `sourceClosure`, leaving out the files imported for their types alone when `types` is false, and the files of
 * `left` (absolute paths) with what only they import.
 */
function closureOf({
  entries,
  types,
  left = new Set(),
}: {
  entries: string[];
  types: boolean;
  left?: Set<string>;
}): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const add = (file: string) => {
    if (found.has(file) || left.has(file)) return;
    const info = statSync(file, { throwIfNoEntry: false });
    if (info?.isDirectory()) {
      for (const e of readdirSync(file, { withFileTypes: true }))
        if (!(e.isDirectory() && NOT_SOURCES.has(e.name))) add(path.join(file, e.name));
    } else if (info?.isFile()) {
      const bytes = readFileSync(file);
      found.set(file, bytes);
      if (/\.(ts|mts|js|mjs|astro|css)$/.test(file)) {
        const text = bytes.toString('utf8');
        for (const m of (types ? text : text.replace(TYPE_ONLY_IMPORT, '')).matchAll(RELATIVE_IMPORT))
          add(path.resolve(path.dirname(file), m[1]!));
      }
    }
  };
  for (const e of entries) add(e);
  return new Map([...found].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** Hash each of `files` by its path from `root` and its bytes. */
export function hashSources({
  hash,
  root,
  files,
}: {
  hash: ReturnType<typeof createHash>;
  root: string;
  files: Map<string, Buffer>;
}) {
  for (const [f, bytes] of files) {
    hash.update(`\0${path.relative(root, f).split(path.sep).join('/')}\0`);
    hash.update(bytes);
  }
}

/**
 * A narrow hash of the code that makes one cache (the deep-zoom tiles, the search index's parts): the module `file`
 * (or modules) and every file of Vitrine's it imports for what runs, directly or not (a file imported for its types
 * alone, as the catalogue's schema often is, changes nothing the module makes: left out), by path from `root` and
 * bytes, and `versions` (of the packages that do the work: sharp and libvips, Pagefind). `leaving` (paths from
 * `root`) are left out with what only they import: code the module runs that decides nothing it makes (errors.ts,
 * what a failure says). Synchronous, a few milliseconds: a cache keyed on it is made again after an upgrade of
 * Vitrine that changes that code, and only then. In a bundle, `file` is the bundle, which stands for all the code in it.
 */
export function moduleCodeHash({
  file,
  versions,
  root = VITRINE_ROOT,
  leaving = [],
}: {
  file: string | string[];
  versions: Record<string, unknown>;
  root?: string;
  leaving?: string[];
}): string {
  const hash = createHash('sha256');
  const left = new Set(leaving.map((f) => path.resolve(root, f)));
  hashSources({ hash, root, files: closureOf({ entries: [file].flat(), types: false, left }) });
  hash.update(`\0${JSON.stringify(versions)}`);
  return hash.digest('hex');
}
