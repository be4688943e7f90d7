import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { messageOf, VitrineError } from '../errors.ts';
import { jumpHash } from '../shard/assign.ts';
import { moduleCodeHash } from './code-hash.ts';
import { filesIn } from './files-in.ts';
import { pagefindChildren, whilePagefindRuns } from './pagefind-watch.ts';
import {
  compactSearchIndex,
  decodeCbor,
  expandSearchMeta,
  isCompactMeta,
  metaPayload,
  takesSearchFiles,
} from './search-meta.ts';
import { INDEX_OPTIONS, PAGES_GLOB, searchablePart } from './searchable-part.ts';

export { searchablePart };

/*
 * The search index: Pagefind reads the built object pages and writes `pagefind/` into the site.
 *
 * Pagefind cannot update an index, and holds a whole index in memory while it builds it (about 30 kB
 * a page: 3 GB at 100,000 pages). So the object pages are split into ⌈pages / `partPages`⌉ parts
 * (about `partPages` pages each: a hash does not split exactly), each its own Pagefind index; the
 * search page searches them together (Pagefind's `mergeIndex`, in the browser). A page's part is
 * fixed by its slug (jump consistent hash), so a new object moves few pages between parts. Each part
 * has a key over its pages' keys and the hash of the code that makes it (`searchCodeHash`: this module and what it
 * runs, Pagefind's version); a rebuild runs
 * Pagefind only for parts whose key is new, one after the other (one Pagefind process at a time),
 * and keeps the others as they are.
 * A collection smaller than `partPages` has one part: `pagefind/` as Pagefind writes it.
 *
 * Kept between builds in `cacheDir`:
 * - `pages/<part>/objects/<slug>/index.html`: each page's searchable part (`searchablePart`), which
 *   Pagefind parses in half the time of the whole page; made again only for pages whose key is new;
 * - `parts/<key>/`: each part's index as Pagefind wrote it (renamed in once complete), with a record of
 *   its files' sizes and hashes (`KEPT_RECORD`), against which it and its site copies are checked.
 * In the site: part 0 is `pagefind/` itself (the index the search page loads first, with Pagefind's
 * script and WebAssembly), the others `pagefind/parts/<key>/` (a folder is never changed once in place: a
 * changed part is a new folder), and `pagefind/parts.json` lists them. The manifest is the switch: it
 * is written last, and a part's folder is removed only once no manifest names it.
 */

/** The search index's folder in the site, its manifest, and the folder of the parts merged into part 0. */
export const SEARCH_INDEX = 'pagefind';
export const PARTS_FILE = 'parts.json';
const PARTS_DIR = 'parts';

/** Object pages in one part of the search index, unless params say otherwise (`catalogue.search_part_pages`). */
export const DEFAULT_PART_PAGES = 20_000;

/**
 * A hash of the code that makes the search index's parts and the searchable pages they are made from: this module
 * (`file`) and every file of Vitrine's it runs (searchable-part.ts, search-meta.ts…) but errors.ts and fs.ts (what a
 * failure says, safe writes: a comment added to errors.ts indexed every site again), and the installed Pagefind's
 * version. The kept parts and pages are keyed on it, so an upgrade of Vitrine that changes how they are made makes
 * them again; not the catalogue's pages (they reach the parts through the pages' keys). This module whole, not the
 * few modules said to decide what is indexed: its Pagefind calls, the compact metadata, each searchable page written,
 * pages.json and the kept records shape the parts too, and left out, edited, they kept stale parts (a reviewer). In a
 * bundle, `file` stands for all the code in it. A few milliseconds; `indexSite` takes it once per process.
 */
export function searchCodeHash({
  file = import.meta.filename,
  root,
  pagefind = pagefindVersion(),
}: {
  file?: string;
  root?: string;
  pagefind?: string;
} = {}): string {
  return moduleCodeHash({ file, root, versions: { pagefind }, leaving: ['pipeline/errors.ts', 'pipeline/fs.ts'] });
}

let ownSearchCode: string | undefined;

/** An object page to index: its address in the site (`objects/<slug>/`) and a key that changes with its content. */
export interface IndexedPage {
  slug: string;
  key: string;
}

/**
 * `pagefind/parts.json`: the parts of the index, part 0 (`pagefind/` itself, path "") first. Each carries
 * its entry and metadata files (`files`, base64 by name), which the search page hands to Pagefind instead
 * of asking for them one by one (search-meta.ts): at 100,000 objects in five parts, 10 requests fewer.
 */
export interface SearchPartsManifest {
  version: 1;
  parts: { path: string; key: string; pages: number; files?: Record<string, string> }[];
}

/** What this module uses of Pagefind's Node API (passed in by tests that need it to fail). */
export type PagefindApi = Pick<typeof import('pagefind'), 'createIndex' | 'close'>;

/**
 * Index the object pages in `outDir` with Pagefind into `outDir/pagefind/`; object pages mark their
 * searchable part and filters. With `cacheDir` and every page's key (`pages`), the index comes in
 * ⌈pages / `partPages`⌉ parts, and only the parts whose pages changed are indexed again
 * (see above); `workDir`, on the site's file system and outside it, holds what is put into the site
 * while it is assembled. Without them, one index of every page, written afresh. Returns the number of
 * pages indexed.
 */
export async function indexSite({
  outDir,
  cacheDir,
  pages,
  partPages = DEFAULT_PART_PAGES,
  workDir = path.join(path.dirname(outDir), '.search-index-work'),
  pagefind,
  copy = false,
  stats,
  pageFile = (p) => path.join(outDir, 'objects', p.slug, 'index.html'),
  placeAfter = async () => {},
  code = (ownSearchCode ??=
    searchCodeHash()),
}: {
  outDir: string;
  cacheDir?: string;
  pages?: IndexedPage[];
  partPages?: number;
  workDir?: string;
  pagefind?: PagefindApi;
  /**
   * Where a page whose key is new is read from (with `cacheDir` and `pages`); by default the site's copy. A site
   * build reads the page cache instead, so the index is made while the site is still being updated.
   */
  pageFile?: (page: IndexedPage) => string;
  /**
   * Awaited once the parts are made, before anything of the index is put into the site: the site's pages are
   * in place by then. When it fails, the site's index is left as it was (the parts made stay in `cacheDir`).
   */
  placeAfter?: () => Promise<unknown>;
  /** Copy kept files into the site instead of hard-linking them, as across file systems (tests force it). */
  copy?: boolean;
  /** Filled in: how many files were read and hashed to check them (tests count them). */
  stats?: { hashed: number };
  /** The hash of the code that makes the parts, by default `searchCodeHash()` (a test passes its own). */
  code?: string;
}): Promise<number> {
  const api = pagefind ?? (await import('pagefind'));
  try {
    if (!cacheDir || !pages) {
      const dest = path.join(outDir, SEARCH_INDEX);
      await rm(dest, { recursive: true, force: true });
      return await runPagefind({ api, read: outDir, out: dest });
    }
    return await indexParts({
      outDir,
      cacheDir,
      pages,
      partPages,
      workDir,
      api,
      kept: { copy, stats, touched: new Set(), code },
      pageFile,
      placeAfter,
    });
  } catch (error) {
    if (error instanceof VitrineError) throw error;
    throw new VitrineError(
      'SITE_INDEX_FAILED',
      `Search index could not be built: ${messageOf(error)}`,
      {},
      { cause: error },
    );
  } finally {
    await api.close();
  }
}

const check = (what: string, errors: string[]) => {
  if (errors.length > 0)
    throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${what} failed: ${errors.join('; ')}`, { errors });
};

/** One Pagefind index of the object pages under `read`, written to `out`; the Pagefind process is stopped after. */
async function runPagefind({
  api,
  read,
  out,
  expected,
}: {
  api: PagefindApi;
  read: string;
  out: string;
  expected?: number;
}): Promise<number> {
  try {
    // Pagefind's process starts with the index: a request pending when it dies must not wait for ever.
    const creating = api.createIndex(INDEX_OPTIONS);
    const pids = pagefindChildren();
    const watched = <T>(work: Promise<T>) => whilePagefindRuns({ work, pids });
    const { errors, index } = await watched(creating);
    check('creating the index', errors);
    if (!index) throw new VitrineError('SITE_INDEX_FAILED', 'Search index: Pagefind returned no index');
    const added = await watched(index.addDirectory({ path: read, glob: PAGES_GLOB }));
    check('reading the object pages', added.errors);
    if (expected !== undefined && added.page_count !== expected)
      throw new VitrineError(
        'SITE_INDEX_FAILED',
        `Search index: Pagefind read ${added.page_count} object pages in ${read}, not the ${expected} built`,
        { read: added.page_count, built: expected },
      );
    const written = await watched(index.writeFiles({ outputPath: out }));
    check('writing the index', written.errors);
    // The metadata every search loads, without its list of fragment names (search-meta.ts).
    await compactSearchIndex({ dir: out });
    return added.page_count;
  } finally {
    // Its memory goes with the process: the next part starts a new one.
    await api.close();
  }
}

interface Part {
  /** Its number: which pages are in it (`partOf`). */
  number: number;
  pages: IndexedPage[];
  key: string;
}

/** The part (0 to `count` − 1) an object page belongs to, by its slug alone. */
export function partOf(slug: string, count: number): number {
  if (count <= 1) return 0;
  return jumpHash(BigInt(`0x${createHash('md5').update(slug).digest('hex').slice(0, 16)}`), count);
}

async function indexParts({
  outDir,
  cacheDir,
  pages,
  partPages,
  workDir,
  api,
  kept,
  pageFile,
  placeAfter,
}: {
  outDir: string;
  cacheDir: string;
  pages: IndexedPage[];
  partPages: number;
  workDir: string;
  api: PagefindApi;
  kept: KeptContext;
  pageFile: (page: IndexedPage) => string;
  placeAfter: () => Promise<unknown>;
}): Promise<number> {
  if (!Number.isInteger(partPages) || partPages < 1)
    throw new VitrineError('SITE_INDEX_FAILED', `Search index: pages per part must be ≥ 1, not ${partPages}`, {
      partPages,
    });
  const seen = new Set<string>();
  for (const { slug } of pages) {
    if (seen.has(slug))
      throw new VitrineError('SITE_INDEX_FAILED', `Search index: object page "${slug}" is listed twice`, { slug });
    seen.add(slug);
  }
  const count = Math.max(1, Math.ceil(pages.length / partPages));
  const grouped: IndexedPage[][] = Array.from({ length: count }, () => []);
  for (const p of pages) grouped[partOf(p.slug, count)]!.push(p);
  const all: Part[] = grouped.map((list, number) => ({
    number,
    pages: list,
    key: partKey({ pages: list, code: kept.code }),
  }));
  // Empty parts (small collections with small parts) are not indexed; part 0 stands for an empty collection.
  const listed = all.filter((p) => p.pages.length > 0);
  if (listed.length === 0) listed.push(all[0]!);

  // The index kept whole by earlier versions, before parts.
  await rm(path.join(cacheDir, 'index'), { recursive: true, force: true });
  const built = path.join(cacheDir, 'parts');
  await mkdir(built, { recursive: true });
  // A kept part is trusted only when it holds every file its metadata names (a cache restored in part) and
  // each file is as it was kept (its site copy is the same file: one written over in place changes both);
  // each is Pagefind's whole output, script and WebAssembly included.
  const missing: Part[] = [];
  const records = new Map<string, KeptRecord>();
  for (const p of listed) {
    const folder = path.join(built, p.key);
    const record = await checkKept(folder, kept);
    if (record && (await lacking(folder, { primary: true })).length === 0) records.set(p.key, record);
    else missing.push(p);
  }
  const pagesDir = path.join(cacheDir, 'pages');
  if (missing.length > 0) await writeSearchPages({ parts: all, dir: pagesDir, pageFile, code: kept.code });
  for (const part of missing) {
    const temp = path.join(built, `${part.key}.tmp`);
    await rm(temp, { recursive: true, force: true });
    await rm(path.join(built, part.key), { recursive: true, force: true });
    await runPagefind({
      api,
      read: path.join(pagesDir, String(part.number)),
      out: temp,
      expected: part.pages.length,
    });
    records.set(part.key, await writeKeptRecord(temp, kept));
    await rename(temp, path.join(built, part.key));
  }
  await placeAfter();
  await placeParts({ outDir, workDir, built, listed, records, kept });
  // Site copies checked by their bytes or copied in (not linked) had their times recorded: kept for the next build.
  for (const [key, record] of records)
    if (kept.touched.has(record)) await saveKeptRecord(path.join(built, key), record);
  // Kept: the parts of this index only.
  const keys = new Set(listed.map((p) => p.key));
  for (const name of await readdir(built))
    if (!keys.has(name)) await rm(path.join(built, name), { recursive: true, force: true });
  return pages.length;
}

/** A part's key: its pages and their keys, and the code that makes it (Pagefind's version and settings among it). */
function partKey({ pages, code }: { pages: IndexedPage[]; code: string }): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([code, INDEX_OPTIONS]));
  for (const p of [...pages].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)))
    hash.update(`\n${p.slug}\t${p.key}`);
  return hash.digest('hex').slice(0, 20);
}

/** The installed Pagefind's version (found as Node finds the package: in the nearest `node_modules`). */
function pagefindVersion(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    try {
      return (
        JSON.parse(readFileSync(path.join(dir, 'node_modules', 'pagefind', 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    } catch {
      if (path.dirname(dir) === dir) return 'unknown';
    }
  }
}

/**
 * Put the parts into the site. Merged parts first, each into a new folder named by its key (not yet
 * listed, so no visitor sees it); then the manifest, which switches the search page to the new parts,
 * in place when part 0 is unchanged, else with a new `pagefind/` (part 0's files, the merged parts'
 * folder moved over, the manifest) renamed in for the old one. Last, the folders no manifest names.
 */
async function placeParts({
  outDir,
  workDir,
  built,
  listed,
  records,
  kept,
}: {
  outDir: string;
  workDir: string;
  built: string;
  listed: Part[];
  /** Each part's kept record (its files as they were kept), by key. */
  records: Map<string, KeptRecord>;
  kept: KeptContext;
}): Promise<void> {
  const index = path.join(outDir, SEARCH_INDEX);
  workDir = await workDirBeside({ outDir, workDir });
  await recoverSwap({ index, workDir });
  const folder = (p: Part) => p.key;
  const manifest: SearchPartsManifest = {
    version: 1,
    parts: await Promise.all(
      listed.map(async (p, i) => ({
        path: i === 0 ? '' : `${PARTS_DIR}/${folder(p)}/`,
        key: p.key,
        pages: p.pages.length,
        files: await startFiles(path.join(built, p.key)),
      })),
    ),
  };
  for (const part of listed.slice(1)) {
    const target = path.join(index, PARTS_DIR, folder(part));
    // Named by its content, so a folder there is this part, but it may have lost files since (a site
    // restored in part, a hand at work) or had one changed: linked in again then.
    const damaged =
      existsSync(target) &&
      ((await lacking(target, { primary: false })).length > 0 ||
        changedCopies({ dir: target, record: records.get(part.key)!, only: isSearchFile, kept }).length > 0);
    if (existsSync(target) && !damaged) continue;
    const staged = path.join(workDir, 'part');
    await rm(staged, { recursive: true, force: true });
    await linkTree({
      from: path.join(built, part.key),
      to: staged,
      only: isSearchFile,
      record: records.get(part.key)!,
      kept,
    });
    await mkdir(path.dirname(target), { recursive: true });
    if (damaged) await rename(target, path.join(workDir, 'part-damaged'));
    await rename(staged, target);
    await rm(path.join(workDir, 'part-damaged'), { recursive: true, force: true });
  }
  const old = await readPartsManifest(index);
  const primary = listed[0]!;
  if (
    old?.parts[0]?.key === primary.key &&
    (await lacking(index, { primary: true })).length === 0 &&
    changedCopies({
      dir: index,
      record: records.get(primary.key)!,
      only: (rel) => !rel.startsWith(PARTS_DIR),
      kept,
    }).length === 0
  ) {
    const temp = path.join(workDir, PARTS_FILE);
    await writeFile(temp, JSON.stringify(manifest));
    await rename(temp, path.join(index, PARTS_FILE));
  } else {
    const next = path.join(workDir, 'primary-next');
    const previous = path.join(workDir, 'primary-previous');
    await linkTree({
      from: path.join(built, primary.key),
      to: next,
      only: (rel) => !rel.startsWith(KEPT_RECORD),
      record: records.get(primary.key)!,
      kept,
    });
    await writeFile(path.join(next, PARTS_FILE), JSON.stringify(manifest));
    try {
      // The only moment the site has no search index: between these renames.
      if (existsSync(path.join(index, PARTS_DIR)))
        await rename(path.join(index, PARTS_DIR), path.join(next, PARTS_DIR));
      if (existsSync(index)) await rename(index, previous);
      await rename(next, index);
    } catch (error) {
      await recoverSwap({ index, workDir });
      throw error;
    }
    await rm(previous, { recursive: true, force: true });
  }
  const named = new Set(listed.slice(1).map(folder));
  for (const name of await readdir(path.join(index, PARTS_DIR)).catch(() => [] as string[]))
    if (!named.has(name)) await rm(path.join(index, PARTS_DIR, name), { recursive: true, force: true });
  if (named.size === 0) await rm(path.join(index, PARTS_DIR), { recursive: true, force: true });
}

/**
 * `workDir` (made) when it is on the site's file system, else a folder beside the one the site is through its links:
 * the index's parts and its new `pagefind/` are renamed from there into the site, and a rename cannot cross file
 * systems (a `.vitrine/site` linked to another disk failed with EXDEV). Always the same folder for one site, so that
 * a swap cut short is found and undone by the next build. Outside the site: nothing of it is ever published.
 */
async function workDirBeside({ outDir, workDir }: { outDir: string; workDir: string }): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await mkdir(workDir, { recursive: true });
  const site = await realpath(outDir);
  if ((await stat(workDir)).dev === (await stat(site)).dev) return workDir;
  const beside = path.join(path.dirname(site), `.${path.basename(site)}.search-index-work`);
  await mkdir(beside, { recursive: true });
  return beside;
}

/**
 * What Pagefind reads of a part before its first search, by name, base64: its entry and the metadata
 * file of each language. Only for a compact index whose script takes them (search-meta.ts).
 */
async function startFiles(dir: string): Promise<Record<string, string> | undefined> {
  if (!(await takesSearchFiles(dir))) return undefined;
  const entry = await readFile(path.join(dir, 'pagefind-entry.json'));
  const { languages } = JSON.parse(entry.toString('utf8')) as { languages: Record<string, { hash: string }> };
  const files: Record<string, string> = { 'pagefind-entry.json': entry.toString('base64') };
  for (const { hash } of Object.values(languages)) {
    const name = `pagefind.${hash}.pf_meta`;
    const meta = await readFile(path.join(dir, name));
    if (!isCompactMeta(metaPayload(meta, name))) return undefined;
    files[name] = meta.toString('base64');
  }
  return files;
}

/**
 * Undo a swap of `pagefind/` that was cut short (a build killed between its renames): the old index
 * goes back with its merged parts. Then nothing of an unfinished build is left in `workDir`.
 */
async function recoverSwap({ index, workDir }: { index: string; workDir: string }): Promise<void> {
  const next = path.join(workDir, 'primary-next');
  const previous = path.join(workDir, 'primary-previous');
  if (!existsSync(index) && existsSync(previous)) await rename(previous, index);
  if (existsSync(index) && !existsSync(path.join(index, PARTS_DIR)) && existsSync(path.join(next, PARTS_DIR)))
    await rename(path.join(next, PARTS_DIR), path.join(index, PARTS_DIR));
  for (const name of ['primary-next', 'primary-previous', 'part', 'part-damaged', PARTS_FILE])
    await rm(path.join(workDir, name), { recursive: true, force: true });
}

/** The site's parts manifest, or null when there is none (one index written whole, or none yet). */
export async function readPartsManifest(index: string): Promise<SearchPartsManifest | null> {
  try {
    const json = JSON.parse(await readFile(path.join(index, PARTS_FILE), 'utf8')) as SearchPartsManifest;
    return json.version === 1 && Array.isArray(json.parts) && json.parts.length > 0 ? json : null;
  } catch {
    return null;
  }
}

/**
 * The files a Pagefind index in `dir` needs that it lacks, [] when it is whole: its entry, the
 * metadata files the entry names, and the fragments, word chunks and filter chunks each metadata file
 * names; for part 0 (`primary`) also Pagefind's script and WebAssembly. Only the entry and metadata
 * are read; the rest is three folder listings (cheap at 100,000 pages: no fragment is opened), so a
 * file cut short is not seen, only one gone.
 */
export async function lacking(dir: string, { primary }: { primary: boolean }): Promise<string[]> {
  let entry: { languages: Record<string, { hash: string; wasm?: string }> };
  try {
    entry = JSON.parse(await readFile(path.join(dir, 'pagefind-entry.json'), 'utf8'));
    if (typeof entry.languages !== 'object' || entry.languages === null) throw new Error('no languages');
    const languages = Object.values(entry.languages as Record<string, unknown>);
    // An index naming no language finds nothing; a language without its metadata's name cannot load.
    if (languages.length === 0) throw new Error('no languages');
    for (const l of languages)
      if (typeof l !== 'object' || l === null || typeof (l as { hash?: unknown }).hash !== 'string')
        throw new Error('a language without its metadata');
  } catch {
    return ['pagefind-entry.json'];
  }
  const listing = async (folder: string) => new Set(await readdir(path.join(dir, folder)).catch(() => []));
  const [top, fragments, chunks, filters] = await Promise.all(['', 'fragment', 'index', 'filter'].map(listing));
  const out: string[] = [];
  const need = (have: Set<string>, folder: string, name: string) => {
    if (!have.has(name)) out.push(folder ? `${folder}/${name}` : name);
  };
  if (primary) need(top!, '', 'pagefind.js');
  for (const { hash, wasm } of Object.values(entry.languages)) {
    // Pagefind's script loads `wasm.unknown.pagefind` for a language it has no WebAssembly of its own for.
    if (primary) need(top!, '', `wasm.${wasm || 'unknown'}.pagefind`);
    const file = `pagefind.${hash}.pf_meta`;
    let meta: PagefindMeta;
    try {
      meta = readPagefindMeta(await readFile(path.join(dir, file)), file);
    } catch {
      out.push(file);
      continue;
    }
    for (const page of meta.pages) {
      need(fragments!, 'fragment', `${page.hash}.pf_fragment`);
      // Pages bundled by Pagefind's maxFragments share one file.
      if (page.group) need(fragments!, 'fragment', `${page.group}.pf_fragment`);
    }
    for (const chunk of meta.chunks) need(chunks!, 'index', `${chunk}.pf_index`);
    for (const filter of meta.filters) need(filters!, 'filter', `${filter}.pf_filter`);
  }
  return out;
}

/**
 * A kept part's files as Pagefind wrote them (`.vitrine-kept.json` in its folder, written before the folder
 * is renamed in): each file's size and SHA-1, and the modification time it had when last checked. The
 * site's copies are hard links to these files, so a site file written over in place (a deploy step, an
 * editor, `truncate`) changes the kept one too, and a file cut short is not a file gone: only its bytes tell.
 * Hashing every file of every part each build would cost seconds at 100,000 pages, so a file whose size and
 * modification time are those recorded is taken as unchanged (any write changes the time; a restore of the
 * CI cache, `tar --posix`, keeps it to the nanosecond, and a restore cut short never set it), and only the
 * others are read and hashed. The record names the code that made the part (`searchCodeHash`): one of other code is
 * not trusted.
 */
const KEPT_RECORD = '.vitrine-kept.json';

interface KeptRecord {
  code: string;
  /**
   * Path in the part's folder (with the platform's separators) → [size, SHA-1, mtimeMs, the site copy's mtimeMs].
   * The last is there when the site's copy is not a link to the kept file (copied across file systems, or
   * replaced by the same bytes): a copy gets a time of its own, recorded once it is known whole.
   */
  files: Record<string, [number, string, number] | [number, string, number, number]>;
}

/** How kept files are put into the site, what checking them cost, and the records whose copies' times changed. */
interface KeptContext {
  copy: boolean;
  stats?: { hashed: number };
  touched: Set<KeptRecord>;
  /** The hash of the code that makes the parts (`searchCodeHash`). */
  code: string;
}

function sha1Of(file: string, kept: KeptContext): string {
  if (kept.stats) kept.stats.hashed++;
  return createHash('sha1').update(readFileSync(file)).digest('hex');
}

/** Write `record` into the kept part `dir` (whole or not at all). */
async function saveKeptRecord(dir: string, record: KeptRecord): Promise<void> {
  const temp = path.join(dir, `${KEPT_RECORD}.${process.pid}.tmp`);
  await writeFile(temp, JSON.stringify(record));
  await rename(temp, path.join(dir, KEPT_RECORD));
}

/** Record the files of a part just written by Pagefind in `dir`. */
async function writeKeptRecord(dir: string, kept: KeptContext): Promise<KeptRecord> {
  const record: KeptRecord = { code: kept.code, files: {} };
  for (const rel of filesIn(dir)) {
    if (rel.startsWith(KEPT_RECORD)) continue;
    const file = path.join(dir, rel);
    const s = statSync(file);
    record.files[rel] = [s.size, sha1Of(file, kept), s.mtimeMs];
  }
  await writeFile(path.join(dir, KEPT_RECORD), JSON.stringify(record));
  return record;
}

/**
 * A kept part's record when every file it names is as it was kept, else null (no record: a part kept by an
 * earlier version, which cannot be told whole). Files checked by their bytes get their new time recorded,
 * so the next build (and the site's copies, links to the same files) need only a `stat`.
 */
async function checkKept(dir: string, kept: KeptContext): Promise<KeptRecord | null> {
  let record: KeptRecord;
  try {
    record = JSON.parse(await readFile(path.join(dir, KEPT_RECORD), 'utf8')) as KeptRecord;
    const files = record.files as unknown;
    // Pagefind writes a dozen files at least: a record naming none vouches for nothing.
    if (record.code !== kept.code || typeof files !== 'object' || files === null || Array.isArray(files)) return null;
    if (Object.keys(files).length === 0) return null;
  } catch {
    return null;
  }
  let restamped = false;
  for (const [rel, entry] of Object.entries(record.files)) {
    // A record damaged itself cannot vouch for anything.
    if (!Array.isArray(entry) || (entry.length !== 3 && entry.length !== 4) || typeof entry[1] !== 'string')
      return null;
    const verdict = checkCopy(path.join(dir, rel), entry, kept);
    if (verdict === 'changed') return null;
    if (verdict === 'same bytes') {
      entry[2] = statSync(path.join(dir, rel)).mtimeMs;
      restamped = true;
    }
  }
  if (restamped) await saveKeptRecord(dir, record);
  return record;
}

/** A copy of a kept file against its record: untouched since, written since but with the same bytes, or changed. */
function checkCopy(file: string, [size, sha1, mtimeMs, copyMtimeMs]: KeptRecord['files'][string], kept: KeptContext) {
  let s: ReturnType<typeof statSync>;
  try {
    s = statSync(file);
  } catch {
    return 'changed' as const;
  }
  if (!s.isFile() || s.size !== size) return 'changed' as const;
  if (s.mtimeMs === mtimeMs || s.mtimeMs === copyMtimeMs) return 'unchanged' as const;
  return sha1Of(file, kept) === sha1 ? ('same bytes' as const) : ('changed' as const);
}

/** The files of `record` (those `only` takes) whose copy in `dir` (a part in the site) is missing or changed. */
function changedCopies({
  dir,
  record,
  only,
  kept,
}: {
  dir: string;
  record: KeptRecord;
  only: (rel: string) => boolean;
  kept: KeptContext;
}): string[] {
  const changed: string[] = [];
  for (const [rel, entry] of Object.entries(record.files)) {
    if (!only(rel)) continue;
    const verdict = checkCopy(path.join(dir, rel), entry, kept);
    if (verdict === 'changed') changed.push(rel);
    // A copy with the kept bytes and a time of its own: its time is recorded, so the next build only stats it.
    if (verdict === 'same bytes') stampCopy(record, rel, path.join(dir, rel), kept);
  }
  return changed;
}

/** Record the time of `copy`, the site's copy (not a link) of the kept file `rel`, known to hold its bytes. */
function stampCopy(record: KeptRecord, rel: string, copy: string, kept: KeptContext): void {
  const entry = record.files[rel];
  if (!entry) return;
  record.files[rel] = [entry[0], entry[1], entry[2], statSync(copy).mtimeMs];
  kept.touched.add(record);
}

/** The files of a part the search page reads when merging it (not Pagefind's script, WebAssembly and UI). */
function isSearchFile(rel: string): boolean {
  return (
    rel === 'pagefind-entry.json' ||
    (!rel.includes(path.sep) && rel.endsWith('.pf_meta')) ||
    ['fragment', 'index', 'filter'].some((f) => rel.startsWith(`${f}${path.sep}`))
  );
}

/** Hard-link the files of `from` (those `only` takes) into `to`, a new folder; copied across file systems. */
async function linkTree({
  from,
  to,
  only = () => true,
  record,
  kept,
}: {
  from: string;
  to: string;
  only?: (rel: string) => boolean;
  /** The kept part's record (its files checked this build): a copy's time goes into it. */
  record: KeptRecord;
  kept: KeptContext;
}): Promise<void> {
  await rm(to, { recursive: true, force: true });
  const files = filesIn(from).filter(only);
  for (const dir of new Set(files.map((f) => path.dirname(path.join(to, f))))) await mkdir(dir, { recursive: true });
  for (let i = 0; i < files.length; i += 64)
    await Promise.all(
      files.slice(i, i + 64).map(async (rel) => {
        if (!kept.copy)
          try {
            await link(path.join(from, rel), path.join(to, rel));
            return;
          } catch (error) {
            if (!['EXDEV', 'EPERM', 'ENOTSUP'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
          }
        await copyFile(path.join(from, rel), path.join(to, rel));
        // The copy has the kept bytes (checked this build) and a time of its own: recorded, so it is not hashed.
        stampCopy(record, rel, path.join(to, rel), kept);
      }),
    );
}

/**
 * Bring `dir/<part>/objects/<slug>/index.html` up to date with the pages' searchable parts: made
 * again only for pages whose key is new (`dir/pages.json` holds the keys they were made from, and the
 * hash of the code that made them: `code`, as `searchablePart` is), moved when their part's number
 * changed (the collection grew or shrank past a part), removed for objects that left.
 */
async function writeSearchPages({
  parts,
  dir,
  pageFile,
  code,
}: {
  parts: Part[];
  dir: string;
  pageFile: (page: IndexedPage) => string;
  code: string;
}): Promise<void> {
  const manifest = path.join(dir, 'pages.json');
  const old = (await readFile(manifest, 'utf8')
    .then(JSON.parse)
    .catch(() => null)) as { code: string; keys: Record<string, string> } | null;
  // A list damaged (by hand, by a disk), or made by other code, trusts no page: each is made again.
  const keys = old?.code === code && typeof old.keys === 'object' && old.keys !== null ? old.keys : {};
  // Until it is written again, no page is trusted: a build stopped half-way makes them all again.
  await rm(manifest, { force: true });
  const home = new Map<string, number>();
  for (const part of parts) for (const p of part.pages) home.set(p.slug, part.number);
  const file = (number: number, slug: string) => path.join(dir, String(number), 'objects', slug);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const number = /^\d+$/.test(name) ? Number(name) : -1;
    if (number < 0) {
      // Another layout (an earlier version's), or a stray file.
      await rm(path.join(dir, name), { recursive: true, force: true });
      continue;
    }
    for (const slug of await readdir(path.join(dir, name, 'objects')).catch(() => [] as string[])) {
      const to = home.get(slug);
      if (to === number) continue;
      if (to === undefined || existsSync(file(to, slug)))
        await rm(file(number, slug), { recursive: true, force: true });
      else {
        await mkdir(path.dirname(file(to, slug)), { recursive: true });
        await rename(file(number, slug), file(to, slug));
      }
    }
    if (number >= parts.length) await rm(path.join(dir, name), { recursive: true, force: true });
  }
  const next: Record<string, string> = {};
  const todo = parts.flatMap((part) => part.pages.map((p) => ({ ...p, number: part.number })));
  for (let i = 0; i < todo.length; i += 64)
    await Promise.all(
      todo.slice(i, i + 64).map(async ({ slug, key, number }) => {
        next[slug] = key;
        const target = path.join(file(number, slug), 'index.html');
        // A kept page that went missing (a cache restored in part) is made again, not trusted by its key.
        if (keys[slug] === key && existsSync(target)) return;
        const html = await readFile(pageFile({ slug, key }), 'utf8');
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, searchablePart(html));
      }),
    );
  const temp = `${manifest}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ code, keys: next }));
  await rename(temp, manifest);
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
  let cbor: Buffer;
  try {
    // A compact index's metadata (search-meta.ts) is read as Pagefind's script in the browser reads it.
    const expanded = expandSearchMeta(metaPayload(gzipped, file));
    cbor = Buffer.from(expanded.buffer, expanded.byteOffset, expanded.byteLength);
  } catch (error) {
    if (error instanceof VitrineError) throw error;
    return fail('cut short');
  }
  const root = decodeCbor(cbor, 0, fail).value;
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
