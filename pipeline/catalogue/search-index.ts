import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { messageOf, VitrineError } from '../errors.ts';

/*
 * The search index: Pagefind reads the built object pages and writes `pagefind/` into the site.
 *
 * Pagefind cannot update an index: every build reads all object pages again and builds the whole
 * index. Two things a build can spare it, keeping the index the same byte for byte:
 * - parsing: its cost is per element, so it reads each page's searchable part (`searchablePart`),
 *   kept by the page's key and made again only for pages whose key is new;
 * - compressing and writing the result files of pages that did not change: Pagefind names its
 *   files by their content and never rewrites a file of that name already there. So the last
 *   build's index is kept (hard links); the result files of unchanged pages are linked into the new
 *   `pagefind/` first (not the word and filter chunks: see `clashing` for why names cannot be
 *   trusted alone), Pagefind writes the rest, and the files the new index does not name are removed.
 */

/** Pagefind's folders of content-named files, and the metadata file's name. */
const NAMED_FOLDERS = ['fragment', 'index', 'filter'];
const META_FILE = /^pagefind\.(.+)\.pf_meta$/;

/** An object page to index: its address in the site (`objects/<slug>/`) and a key that changes with its content. */
export interface IndexedPage {
  slug: string;
  key: string;
}

/**
 * Index the object pages in `outDir` with Pagefind into `outDir/pagefind/`; object pages mark their
 * searchable part and filters. With `cacheDir`, keep between builds, there: the last index
 * (`index/`, see above) and, given every page's key (`pages`), each page's searchable part
 * (`pages/`, see `searchablePart`), which Pagefind then reads instead of the whole pages. Returns
 * the number of pages indexed.
 */
export async function indexSite({
  outDir,
  cacheDir,
  pages,
}: {
  outDir: string;
  cacheDir?: string;
  pages?: IndexedPage[];
}): Promise<number> {
  const dest = path.join(outDir, 'pagefind');
  const keep = cacheDir && path.join(cacheDir, 'index');
  const pagefind = await import('pagefind');
  const check = (what: string, errors: string[]) => {
    if (errors.length > 0)
      throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${what} failed: ${errors.join('; ')}`, { errors });
  };
  try {
    // The map is taken before the parts' keys move on, and comes back only with a finished index: a
    // build that dies between the two must not leave old results filed under keys that changed.
    const kept = keep ? takeKeptResults(keep) : new Map<string, string>();
    const parts =
      cacheDir && pages ? await writeSearchPages({ outDir, pages, dir: path.join(cacheDir, 'pages') }) : null;
    const read = parts?.dir ?? outDir;
    await rm(dest, { recursive: true, force: true });
    const linked = keep ? linkKeptResults({ from: keep, to: dest, kept, unchanged: parts?.unchanged }) : [];
    const { errors, index } = await pagefind.createIndex({
      rootSelector: 'html',
      excludeSelectors: ['[data-pagefind-ignore]'],
    });
    check('creating the index', errors);
    if (!index) throw new VitrineError('SITE_INDEX_FAILED', 'Search index: Pagefind returned no index');
    const added = await index.addDirectory({ path: read, glob: 'objects/*/index.html' });
    check('reading the object pages', added.errors);
    if (pages && added.page_count !== pages.length)
      throw new VitrineError(
        'SITE_INDEX_FAILED',
        `Search index: Pagefind read ${added.page_count} object pages in ${read}, not the ${pages.length} built`,
        { read: added.page_count, built: pages.length },
      );
    const written = await index.writeFiles({ outputPath: dest });
    check('writing the index', written.errors);
    // A kept result can stand under a name the new index gives another page (see `clashing`):
    // remove those, and Pagefind writes them again (it writes only the files that are missing).
    // The second write is of the same index: it names the same files.
    const named = await namedFiles(dest);
    const wrong = new Set(clashing({ files: linked, named }));
    if (wrong.size > 0) {
      await Promise.all([...wrong].map((f) => rm(path.join(dest, f), { force: true })));
      const again = await index.writeFiles({ outputPath: dest });
      check('writing the index', again.errors);
    }
    await removeUnnamed({ dir: dest, named });
    if (keep) keepResults({ from: dest, to: keep, named, kept, reused: new Set(linked.filter((f) => !wrong.has(f))) });
    return added.page_count;
  } catch (error) {
    if (error instanceof VitrineError) throw error;
    throw new VitrineError(
      'SITE_INDEX_FAILED',
      `Search index could not be built: ${messageOf(error)}`,
      {},
      { cause: error },
    );
  } finally {
    await pagefind.close();
  }
}

/** Bump when `searchablePart` changes what it keeps: every kept part is then made again. */
const SEARCH_PAGES_VERSION = 1;

/**
 * Bring `dir/objects/<slug>/index.html` up to date with the pages' searchable parts: made again
 * only for pages whose key is new (`dir/pages.json` holds the keys they were made from), removed for
 * objects that left. Returns `dir`.
 */
async function writeSearchPages({
  outDir,
  pages,
  dir,
}: {
  outDir: string;
  pages: IndexedPage[];
  dir: string;
}): Promise<{ dir: string; unchanged: Set<string> }> {
  const manifest = path.join(dir, 'pages.json');
  const old = (await readFile(manifest, 'utf8')
    .then(JSON.parse)
    .catch(() => null)) as { version: number; keys: Record<string, string> } | null;
  const keys = old?.version === SEARCH_PAGES_VERSION ? old.keys : {};
  // Until it is written again, no part is trusted: a build stopped half-way makes them all again.
  await rm(manifest, { force: true });
  const tree = path.join(dir, 'objects');
  const slugs = new Set(pages.map((p) => p.slug));
  for (const slug of await readdir(tree).catch(() => [] as string[]))
    if (!slugs.has(slug)) await rm(path.join(tree, slug), { recursive: true, force: true });
  const next: Record<string, string> = {};
  const unchanged = new Set<string>();
  for (let i = 0; i < pages.length; i += 64)
    await Promise.all(
      pages.slice(i, i + 64).map(async ({ slug, key }) => {
        next[slug] = key;
        // A kept part that went missing (a cache restored in part) is made again, not trusted by its key.
        if (keys[slug] === key && existsSync(path.join(tree, slug, 'index.html'))) {
          unchanged.add(slug);
          return;
        }
        const html = await readFile(path.join(outDir, 'objects', slug, 'index.html'), 'utf8');
        await mkdir(path.join(tree, slug), { recursive: true });
        await writeFile(path.join(tree, slug, 'index.html'), searchablePart(html));
      }),
    );
  const temp = `${manifest}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ version: SEARCH_PAGES_VERSION, keys: next }));
  await rename(temp, manifest);
  return { dir, unchanged };
}

/**
 * Pagefind names a page's result file by the first 7 hex digits of its content's SHA-1, longer only
 * when two pages of one build clash, and never rewrites a file that exists. So a name the last build
 * gave one page's result can be another's now (Pagefind's own source warns of it; at 100,000 pages
 * about 19 pairs share 7 digits), and search would show the old page. Only the results of pages whose
 * content did not change are linked from the kept index (`linkKeptResults`), and of those, any whose
 * 7 digits the new index gives more than one name (a clash in this build) are written again.
 */
function clashing({ files, named }: { files: string[]; named: Set<string> }): string[] {
  const seen = new Map<string, number>();
  for (const f of named) if (f.startsWith('fragment')) seen.set(shortName(f), (seen.get(shortName(f)) ?? 0) + 1);
  return files.filter((f) => (seen.get(shortName(f)) ?? 0) > 1);
}

/** A result file's name cut to Pagefind's shortest: its language, "_" and 7 hex digits. */
function shortName(file: string): string {
  const base = path.basename(file).replace(/\.pf_[a-z]+$/, '');
  return base.slice(0, base.lastIndexOf('_') + 8);
}

/** The kept result files and the object each is for (`results.json`, removed here); empty when unreadable. */
function takeKeptResults(keep: string): Map<string, string> {
  let map = new Map<string, string>();
  try {
    const json = JSON.parse(readFileSync(path.join(keep, RESULTS), 'utf8')) as Record<string, string>;
    map = new Map(Object.entries(json));
  } catch {
    // No map (a first build, or one cut short): nothing is reused.
  }
  rmSync(path.join(keep, RESULTS), { force: true });
  return map;
}

/**
 * Link into `to` the kept result files (`fragment/`) of the pages in `unchanged`. Word and filter
 * chunks and the metadata are written afresh: their names can pass between contents across builds
 * in the same way, and no page vouches for their content. Returns the files linked.
 */
function linkKeptResults({
  from,
  to,
  kept,
  unchanged,
}: {
  from: string;
  to: string;
  kept: Map<string, string>;
  unchanged?: Set<string>;
}): string[] {
  if (!unchanged || unchanged.size === 0 || kept.size === 0) return [];
  mkdirSync(path.join(to, 'fragment'), { recursive: true });
  const linked: string[] = [];
  for (const [file, slug] of kept) {
    if (!unchanged.has(slug)) continue;
    try {
      linkSync(path.join(from, file), path.join(to, file));
      linked.push(file);
    } catch {
      // Gone from the kept copy, or another file system: Pagefind writes it.
    }
  }
  return linked;
}

/**
 * Make the kept copy this index's result files: the ones reused stay (same file), the ones Pagefind
 * wrote are linked in under a temp name and renamed over whatever stood there, the others go.
 * `results.json` is removed first and written last, so a copy cut short is not trusted.
 */
function keepResults({
  from,
  to,
  named,
  kept,
  reused,
}: {
  from: string;
  to: string;
  named: Set<string>;
  kept: Map<string, string>;
  reused: Set<string>;
}): void {
  rmSync(path.join(to, RESULTS), { force: true });
  mkdirSync(path.join(to, 'fragment'), { recursive: true });
  const next: Record<string, string> = {};
  for (const file of named) {
    if (!file.startsWith(`fragment${path.sep}`)) continue;
    if (reused.has(file)) {
      next[file] = kept.get(file)!;
      continue;
    }
    const slug = resultSlug(readFileSync(path.join(from, file)));
    if (slug === null) continue;
    const temp = `${path.join(to, file)}.${process.pid}.tmp`;
    rmSync(temp, { force: true });
    try {
      linkSync(path.join(from, file), temp);
    } catch {
      copyFileSync(path.join(from, file), temp);
    }
    renameSync(temp, path.join(to, file));
    next[file] = slug;
  }
  for (const name of readdirSync(path.join(to, 'fragment')))
    if (!(path.join('fragment', name) in next)) rmSync(path.join(to, 'fragment', name), { force: true });
  const temp = path.join(to, `${RESULTS}.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(next));
  renameSync(temp, path.join(to, RESULTS));
}

/** The kept result files and the object each is for, in the kept copy of the index. */
const RESULTS = 'results.json';

/** The object a kept result file is for (`/objects/<slug>/`), or null when it cannot be read. */
function resultSlug(gzipped: Buffer): string | null {
  try {
    const json = gunzipSync(gzipped).toString('utf8').slice('pagefind_dcd'.length);
    const url = (JSON.parse(json) as { url?: unknown }).url;
    const match = typeof url === 'string' ? /\/objects\/([^/]+)\/(?:index\.html)?$/.exec(url) : null;
    return match ? decodeURIComponent(match[1]!) : null;
  } catch {
    return null;
  }
}

/** Remove the content-named files of `dir` that are not in `named` (paths relative to `dir`). */
async function removeUnnamed({ dir, named }: { dir: string; named: Set<string> }): Promise<void> {
  const stale: string[] = [];
  for (const name of await readdir(dir)) if (META_FILE.test(name) && !named.has(name)) stale.push(name);
  for (const folder of NAMED_FOLDERS)
    for (const name of await readdir(path.join(dir, folder)).catch(() => [] as string[]))
      if (!named.has(path.join(folder, name))) stale.push(path.join(folder, name));
  for (let i = 0; i < stale.length; i += 64)
    await Promise.all(stale.slice(i, i + 64).map((f) => rm(path.join(dir, f), { force: true })));
}

/**
 * The content-named files the index in `dir` uses: each language's metadata file (named in
 * `pagefind-entry.json`) and the fragments, word chunks and filter chunks that metadata names.
 */
export async function namedFiles(dir: string): Promise<Set<string>> {
  const entry = JSON.parse(await readFile(path.join(dir, 'pagefind-entry.json'), 'utf8')) as {
    languages: Record<string, { hash: string }>;
  };
  const named = new Set<string>();
  for (const { hash } of Object.values(entry.languages)) {
    const file = `pagefind.${hash}.pf_meta`;
    named.add(file);
    const meta = readPagefindMeta(await readFile(path.join(dir, file)), file);
    for (const page of meta.pages) {
      named.add(path.join('fragment', `${page.hash}.pf_fragment`));
      // Pages bundled by Pagefind's maxFragments share one file.
      if (page.group) named.add(path.join('fragment', `${page.group}.pf_fragment`));
    }
    for (const chunk of meta.chunks) named.add(path.join('index', `${chunk}.pf_index`));
    for (const filter of meta.filters) named.add(path.join('filter', `${filter}.pf_filter`));
  }
  return named;
}

/** What a Pagefind metadata file names, read from its gzipped CBOR (Pagefind 1.x layout). */
export interface PagefindMeta {
  version: string;
  pages: { hash: string; words: number; group?: string }[];
  /** Hashes of the word index chunks and of the filter chunks. */
  chunks: string[];
  filters: string[];
}

export function readPagefindMeta(gzipped: Buffer, file: string): PagefindMeta {
  const fail = (why: string): never => {
    throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${file} is not a Pagefind 1.x metadata file (${why})`, {
      file,
    });
  };
  let bytes: Buffer;
  try {
    bytes = gunzipSync(gzipped);
  } catch {
    return fail('not gzip');
  }
  const signature = 'pagefind_dcd';
  if (bytes.toString('latin1', 0, signature.length) !== signature) fail('no signature');
  const root = decodeCbor(bytes, signature.length, fail).value;
  const list = (v: unknown, what: string): unknown[] => (Array.isArray(v) ? v : fail(`${what} is not a list`));
  const text = (v: unknown, what: string): string => (typeof v === 'string' ? v : fail(`${what} is not text`));
  const [version, pages, chunks, filters] = list(root, 'the metadata');
  return {
    version: text(version, 'the version'),
    pages: list(pages, 'pages').map((p) => {
      const [hash, words, group] = list(p, 'a page');
      return {
        hash: text(hash, 'a page hash'),
        words: typeof words === 'number' ? words : fail('a word count is not a number'),
        ...(typeof group === 'string' && group ? { group } : {}),
      };
    }),
    chunks: list(chunks, 'index chunks').map((c) => text(list(c, 'an index chunk')[2], 'an index chunk hash')),
    filters: list(filters, 'filters').map((f) => text(list(f, 'a filter')[1], 'a filter hash')),
  };
}

/** The subset of CBOR (RFC 8949) Pagefind's metadata uses: unsigned integers, text, bytes, lists. */
function decodeCbor(bytes: Buffer, start: number, fail: (why: string) => never): { value: unknown; next: number } {
  if (start >= bytes.length) fail('cut short');
  const head = bytes[start]!;
  const major = head >> 5;
  const extra = head & 31;
  let at = start + 1;
  let n: number;
  if (extra < 24) n = extra;
  else if (extra <= 27) {
    const width = 1 << (extra - 24);
    if (at + width > bytes.length) fail('cut short');
    n = width === 8 ? Number(bytes.readBigUInt64BE(at)) : bytes.readUIntBE(at, width);
    at += width;
  } else return fail(`CBOR item ${head} is not read here`);
  if (major === 0) return { value: n, next: at };
  if (major === 2 || major === 3) {
    if (at + n > bytes.length) fail('cut short');
    return { value: major === 3 ? bytes.toString('utf8', at, at + n) : bytes.subarray(at, at + n), next: at + n };
  }
  if (major === 4) {
    const items: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const item = decodeCbor(bytes, at, fail);
      items.push(item.value);
      at = item.next;
    }
    return { value: items, next: at };
  }
  return fail(`CBOR major type ${major} is not read here`);
}

/**
 * The part of an object page Pagefind reads, as a page of its own: the `<html>` element's language,
 * the `<title>`, and the `data-pagefind-body` element with everything in it except the contents of
 * `data-pagefind-ignore` elements, of which only what Pagefind still reads is kept: elements with
 * `data-pagefind-*` metadata or filters, with an `id` (Pagefind numbers every anchor) and images.
 * Pagefind gives such a page exactly the index entry of the whole page (`test/site/search-index.test.ts`
 * checks it on the site's own pages) and parses it in about half the time: its cost is per element.
 * A page without a `data-pagefind-body` element is returned whole.
 */
export function searchablePart(html: string): string {
  const tag = new RegExp(TAG.source, 'g');
  let lang = '';
  let title = '';
  let body = -1;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const [whole, close, rawName, attrs = ''] = m;
    const name = rawName?.toLowerCase();
    if (!name || close) continue;
    if (name === 'html') lang = /\blang\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/i.exec(attrs)?.[1] ?? '';
    else if (name === 'title' && !title) title = html.slice(m.index, html.indexOf('</title>', m.index) + 8);
    else if (/\sdata-pagefind-body\b/i.test(attrs)) {
      body = m.index;
      break;
    }
    if (name === 'script' || name === 'style') tag.lastIndex = skipRawText(html, name, m.index + whole.length);
  }
  if (body < 0) return html;
  const out: string[] = [`<!DOCTYPE html><html${lang ? ` lang=${lang}` : ''}><head>${title}</head><body>`];
  interface Open {
    name: string;
    /** Inside a `data-pagefind-ignore` element. */
    ignored: boolean;
    /** Kept whole, with all it holds. */
    whole: boolean;
    written: boolean;
  }
  const stack: Open[] = [];
  let last = body;
  tag.lastIndex = body;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    const [whole, close, rawName, attrs = '', selfClosing] = m;
    const top = stack.at(-1);
    // Text between tags: kept where Pagefind reads it.
    if (top && m.index > last && (!top.ignored || top.whole)) out.push(html.slice(last, m.index));
    last = m.index + whole.length;
    if (!rawName) continue; // a comment
    const name = rawName.toLowerCase();
    if (close) {
      const at = stack.findLastIndex((o) => o.name === name);
      if (at < 0) continue;
      for (const o of stack.splice(at).reverse()) if (o.written) out.push(`</${o.name}>`);
      if (stack.length === 0) break;
      continue;
    }
    const ignoredHere = /\sdata-pagefind-ignore\b/i.test(attrs);
    let open: Open;
    if (!top) open = { name, ignored: ignoredHere, whole: false, written: true };
    else if (!top.ignored || top.whole)
      open = { name, ignored: top.ignored || ignoredHere, whole: top.whole, written: true };
    else if (PAGEFIND_READS.test(attrs) || name === 'img') open = { name, ignored: true, whole: true, written: true };
    else open = { name, ignored: true, whole: false, written: false };
    if (open.written) out.push(whole);
    if (name === 'script' || name === 'style') {
      last = tag.lastIndex = skipRawText(html, name, last);
      if (open.written) out.push(`</${name}>`);
      continue;
    }
    if (!VOID.has(name) && !selfClosing) stack.push(open);
  }
  out.push('</body></html>');
  return out.join('');
}

/** A start or end tag (quoted attribute values may hold `>`), or a comment. */
const TAG =
  /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/;
/** Attributes Pagefind reads on an ignored element's children: metadata, filters, sorts, anchors. */
const PAGEFIND_READS = /\s(id|data-pagefind-(meta|default-meta|filter|sort|index-attrs|title))\s*(=|\s|$)/i;
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Where the raw text of a `<script>` or `<style>` that starts at `from` ends (after its end tag). */
function skipRawText(html: string, name: string, from: number): number {
  const end = new RegExp(`</${name}`, 'gi');
  end.lastIndex = from;
  const at = end.exec(html)?.index;
  return at === undefined ? html.length : html.indexOf('>', at) + 1;
}
