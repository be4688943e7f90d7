import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import { entryThere, runApart } from './apart.ts';
import { hashSources, sourceClosure, VITRINE_ROOT } from './code-hash.ts';
import { filesIn } from './files-in.ts';
import {
  type Card,
  cardOf,
  eachCardList,
  eachObjectPageProps,
  LISTING_PAGE_SIZE,
  listingPages,
  type ObjectPageProps,
  objectPagePropsText,
  pageGlobals,
  type RenderPlan,
  similarCards,
} from './pages.ts';
import type { Catalogue, CatalogueObject } from './schema.ts';

/*
 * Which object pages a site build renders and which it keeps from the cache (see pages.ts), and
 * the public files linked for Astro (place.ts puts the build into the site). Light imports only: the planning
 * and placing child processes (plan-child.ts, place-child.ts) load this module.
 */

export { sourceClosure, VITRINE_ROOT } from './code-hash.ts';
export { eachFileIn, filesIn, isTempLeftover } from './files-in.ts';

/**
 * What the object pages depend on besides their props: the site's sources and every file of Vitrine's they
 * import, directly or not (a fix in how look-alikes are worded, in `pipeline/review/`, changes pages too), the
 * installed versions of Astro and of what it builds with (Vite, esbuild, the compiler…: an update within
 * Astro's ranges can change the output), the base path and the address.
 */
export async function siteFingerprint({
  siteDir,
  base,
  site,
  root = VITRINE_ROOT,
}: {
  siteDir: string;
  base: string;
  site: string;
  /** The folder whose node_modules holds Astro (this repository's). */
  root?: string;
}) {
  const hash = createHash('sha256').update(JSON.stringify({ base, site }));
  hashSources({ hash, root, files: sourceClosure([siteDir]) });
  hash.update(`\0${JSON.stringify(await builderVersions(root))}`);
  return hash.digest('hex');
}

/** A package's import specifier (`from 'astro'`, `from 'csv-parse/sync'`), `node:` and Astro's `astro:` left out. */
const PACKAGE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"]((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:\/[^'"\n]*)?['"]/g;

/**
 * A hash of Vitrine's own code that makes the catalogue: the catalogue stage, `pipeline/catalogue/`, the site's
 * sources (`site/`), every file of Vitrine's they import (the model's predictions, the look-alike groups, the
 * rights words…), and the installed versions of the packages they import and of Astro's and Vite's dependencies.
 * The catalogue stage's fingerprint holds it: an upgrade of Vitrine that changes how the catalogue is made
 * rebuilds it (a rights or privacy fix would otherwise reach the published site only with new data).
 */
export async function catalogueCodeHash({ root = VITRINE_ROOT }: { root?: string } = {}): Promise<string> {
  const files = sourceClosure(
    [path.join('pipeline', 'stages', 'catalogue.ts'), path.join('pipeline', 'catalogue'), 'site'].map((e) =>
      path.join(root, e),
    ),
  );
  const hash = createHash('sha256');
  hashSources({ hash, root, files });
  const packages = new Set<string>();
  for (const [f, bytes] of files)
    if (/\.(ts|mts|js|mjs|astro)$/.test(f))
      for (const m of bytes.toString('utf8').matchAll(PACKAGE_IMPORT)) packages.add(m[1]!);
  const versions: Record<string, string> = {};
  for (const name of [...packages].sort()) {
    const text = await readFile(path.join(root, 'node_modules', name, 'package.json'), 'utf8').catch(() => null);
    // A word in a comment that looks like an import names no package: left out.
    if (text) versions[name] = (JSON.parse(text) as PackageJson).version ?? '';
  }
  hash.update(`\0${JSON.stringify(versions)}\0${JSON.stringify(await builderVersions(root))}`);
  return hash.digest('hex');
}

/** Installed versions of Astro, its dependencies and Vite's (as Node resolves them from Astro's folder). */
async function builderVersions(root: string): Promise<Record<string, string | null>> {
  const modules = path.join(root, 'node_modules');
  const manifest = async (name: string, from: string[]) => {
    for (const dir of from) {
      const text = await readFile(path.join(dir, name, 'package.json'), 'utf8').catch(() => null);
      if (text) return { dir: path.join(dir, name), json: JSON.parse(text) as PackageJson };
    }
    return null;
  };
  const astro = await manifest('astro', [modules]);
  const versions: Record<string, string | null> = { astro: astro?.json.version ?? null };
  if (!astro) return versions;
  const fromAstro = [path.join(astro.dir, 'node_modules'), modules];
  const vite = await manifest('vite', fromAstro);
  const names = [astro.json, vite?.json].flatMap((j) =>
    Object.keys({ ...j?.dependencies, ...j?.optionalDependencies }),
  );
  for (const name of [...new Set(['vite', ...names])].sort())
    versions[name] = (await manifest(name, fromAstro))?.json.version ?? null;
  return versions;
}

interface PackageJson {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Folders of the catalogue's public files that hold a few files per object. */
export const PER_OBJECT_FOLDERS = ['media', 'iiif'];

/**
 * Hard-link (or copy, across file systems) every file of `from` into `to`, leaving out top-level
 * `skip` folders and the build's own files (markers, temporary files).
 */
export async function linkTree({ from, to, skip = [] }: { from: string; to: string; skip?: string[] }): Promise<void> {
  await rm(to, { recursive: true, force: true });
  const files = filesIn(from, { skip });
  const made = new Map<string, Promise<unknown>>();
  for (let i = 0; i < files.length; i += 64)
    await Promise.all(
      files.slice(i, i + 64).map(async (f) => {
        const dir = path.dirname(path.join(to, f));
        if (!made.has(dir)) made.set(dir, mkdir(dir, { recursive: true }));
        await made.get(dir);
        await linkOrCopy(path.join(from, f), path.join(to, f));
      }),
    );
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
    await copyFile(from, to);
  }
}

/*
 * The page cache's record of its entries (`records.json` in the cache folder): each entry's size, time
 * and content hash, taken when the entry was stored or last found whole. A page is kept only while its
 * entry is the file on record: same size, and the same time or else the same bytes (a cache restored
 * from an archive has new times and the same bytes). An entry changed in any way since (cut short,
 * or written in place through the site's hard link, even at the same size) is rendered again; an
 * entry with no record (a crash between storing and recording) too.
 */

/** The page cache's record of its entries, in the cache folder (no page's key can be this name). */
export const PAGE_RECORDS = 'records.json';

/** An entry as it was stored: its size, its time (ms, as `stat` gives it) and its bytes' SHA-256 (base64url). */
export type PageRecord = [size: number, mtimeMs: number, sha256: string];

/** The records of the cache `cacheDir` (none when there are none, or they cannot be read). */
export function readPageRecords(cacheDir: string): Map<string, PageRecord> {
  try {
    const raw = JSON.parse(readFileSync(path.join(cacheDir, PAGE_RECORDS), 'utf8')) as { entries?: unknown };
    if (raw.entries && typeof raw.entries === 'object') return new Map(Object.entries(raw.entries));
  } catch {
    // Missing or damaged: every entry is rendered again, and recorded anew.
  }
  return new Map();
}

/** Replace the records of the cache `cacheDir` (atomically). */
export async function writePageRecords(cacheDir: string, records: Map<string, PageRecord>): Promise<void> {
  const about = 'Each kept page (<key>.html) as it was stored: size, time (ms), SHA-256 (base64url).';
  await writeFileAtomic({
    file: path.join(cacheDir, PAGE_RECORDS),
    data: JSON.stringify({ about, entries: Object.fromEntries(records) }),
  });
}

/** The record of the file `file` now (read whole, for its hash), or null when it is not there. */
export function recordOf(file: string): PageRecord | null {
  try {
    const bytes = readFileSync(file);
    const { size, mtimeMs } = statSync(file);
    return size === bytes.length ? [size, mtimeMs, contentHash(bytes)] : null;
  } catch {
    return null;
  }
}

function contentHash(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url');
}

/**
 * The entry `file`'s record if it is still the file `record` names, else null. Cheap for an entry
 * untouched since: one synchronous `stat` (the planning process does nothing else meanwhile); its
 * bytes are read only when its time changed.
 */
function stillRecorded(file: string, record: PageRecord | undefined): PageRecord | null {
  if (!Array.isArray(record)) return null;
  const info = statSync(file, { throwIfNoEntry: false });
  if (!info?.isFile() || info.size !== record[0]) return null;
  if (info.mtimeMs === record[1]) return record;
  const now = recordOf(file);
  return now && now[0] === record[0] && now[2] === record[2] ? now : null;
}

export interface PagePlan {
  slug: string;
  key: string;
  render: boolean;
}

/** A listing page (a page of cards: `all/2/index.html`), by its file in the site. */
export interface ListingPlan {
  file: string;
  key: string;
  render: boolean;
}

/** Where a build's object pages are planned, and how. */
export interface PlanOptions {
  /** The catalogue file. */
  file: string;
  /** Kept pages, `<key>.html`. */
  cacheDir: string;
  /**
   * Chunk files, `plan.json` (read by the site), `pages.json` and `listings.json` (every object page's and
   * listing page's key, read by `placeSite`).
   */
  planDir: string;
  chunkSize: number;
  /** Cards a listing page shows (48; fewer in tests, to have lists of several pages). */
  listingPageSize?: number;
  reuse: boolean;
  fingerprint: string;
}

/**
 * Key every object page and every listing page; write the props of the object pages to render (not
 * in the cache, or `reuse` off) in chunk files, the plan Astro reads (VITRINE_OBJECT_PAGES: those
 * chunks and the listing pages to render) and every page's key. A site build runs it in a process of
 * its own (`planObjectPagesApart`), which exits before Astro starts.
 */
export async function planObjectPages({
  file,
  cacheDir,
  planDir,
  chunkSize,
  listingPageSize = LISTING_PAGE_SIZE,
  reuse,
  fingerprint,
}: PlanOptions): Promise<{ plan: string; pages: PagePlan[]; listings: ListingPlan[]; read: PlanSource['read'] }> {
  const pageSize = Math.max(1, Math.floor(listingPageSize));
  // From what the catalogue data step left beside the catalogue when it is for these bytes, else from a parse.
  const source =
    (await digestedSource({ file, pageSize })) ??
    parsedSource({ catalogue: JSON.parse(await readFile(file, 'utf8')) as Catalogue, pageSize });
  const records = reuse ? readPageRecords(cacheDir) : new Map<string, PageRecord>();
  const kept = new Map<string, PageRecord>();
  const keyed = pageKeys({ globals: source.globals, fingerprint });
  // An entry that is not the file on record (changed, cut short, never recorded) is rendered again, and replaced.
  const render = (key: string) => {
    const record = stillRecorded(path.join(cacheDir, `${key}.html`), records.get(key));
    if (record) kept.set(key, record);
    return !record;
  };
  const pages = source.pages.map((p) => {
    const key = keyed(p.digest);
    return { slug: p.slug, key, render: render(key) };
  });
  const listings = source.listings.map((l) => {
    const key = keyed(l.digest, 'listing');
    return { file: l.file, key, render: render(key) };
  });
  // From here on the records name only the entries this build keeps; those it renders are recorded once stored.
  await writePageRecords(cacheDir, kept);
  await rm(planDir, { recursive: true, force: true });
  const plan = await writeRenderPlan({
    pages: pages.flatMap((p, i) => (p.render ? [i] : [])),
    props: source.props,
    listings: { pageSize, render: listings.filter((l) => l.render).map((l) => l.file) },
    dir: planDir,
    chunkSize: Math.max(1, chunkSize),
  });
  await writeFileAtomic({ file: path.join(planDir, 'pages.json'), data: JSON.stringify(pages) });
  await writeFileAtomic({ file: path.join(planDir, 'listings.json'), data: JSON.stringify(listings) });
  return { plan, pages, listings, read: source.read };
}

/** The child's entry file, next to this one in the sources. */
export const PLAN_CHILD = path.join(import.meta.dirname, 'plan-child.ts');

/**
 * `planObjectPages` in a child process that exits when done (apart.ts): the catalogue it parses and
 * every page's props (a gigabyte at 100,000 objects) are returned to the system before Astro, which
 * reads the catalogue again, starts. Resolves with the plan's file and the number of pages to render.
 */
export async function planObjectPagesApart({
  log,
  entry = PLAN_CHILD,
  ...options
}: PlanOptions & { log: Logger; entry?: string }): Promise<Planned> {
  if (!(await entryThere(entry))) return plannedSummary(await planObjectPages(options));
  return runApart<PlanOptions, Planned>({
    entry,
    request: options,
    log,
    what: 'Planning the object pages',
    code: 'SITE_PLAN_FAILED',
  });
}

/** What planning sends back from its process: the plan's file, the pages to render, its peak memory. */
export interface Planned {
  plan: string;
  read: PlanSource['read'];
  rendered: number;
  listingsRendered: number;
  peakRss: number;
}

export function plannedSummary({ plan, pages, listings, read }: Awaited<ReturnType<typeof planObjectPages>>): Planned {
  return {
    plan,
    read,
    rendered: pages.filter((p) => p.render).length,
    listingsRendered: listings.filter((l) => l.render).length,
    peakRss: process.resourceUsage().maxRSS * 1024,
  };
}

/** The keys `planObjectPages` gave every object page. */
export async function plannedPages(planDir: string): Promise<PagePlan[]> {
  return JSON.parse(await readFile(path.join(planDir, 'pages.json'), 'utf8')) as PagePlan[];
}

/** The keys `planObjectPages` gave every listing page. */
export async function plannedListings(planDir: string): Promise<ListingPlan[]> {
  return JSON.parse(await readFile(path.join(planDir, 'listings.json'), 'utf8')) as ListingPlan[];
}

/**
 * Pages' keys: a hash of a page's digest (of its props, or a listing page's content), the collection-wide
 * values and the site's fingerprint (the hash of what every page shares is taken once). A listing page's
 * digest is hashed after a word of its own, so that no listing page's key can be an object page's.
 */
function pageKeys({
  globals,
  fingerprint,
}: {
  globals: Record<string, unknown>;
  fingerprint: string;
}): (digest: string, kind?: 'listing') => string {
  const shared = createHash('sha256').update(fingerprint).update('\0').update(JSON.stringify(globals)).update('\0');
  return (digest, kind) => {
    const hash = shared.copy();
    if (kind) hash.update(`${kind}\0`);
    return hash.update(digest).digest('hex');
  };
}

/** Write the props of the pages `pages` (indices) into `dir` in chunks of `chunkSize`, and the plan naming them (`dir/plan.json`). */
async function writeRenderPlan({
  pages,
  props,
  listings,
  dir,
  chunkSize,
}: {
  pages: number[];
  props: (index: number) => ObjectPageProps;
  listings: RenderPlan['listings'];
  dir: string;
  chunkSize: number;
}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const plan: RenderPlan = { chunks: [], pages: [], listings };
  for (let start = 0; start < pages.length; start += chunkSize) {
    const chunk = pages.slice(start, start + chunkSize).map(props);
    const file = path.join(dir, `chunk-${String(plan.chunks.length).padStart(5, '0')}.json`);
    await writeFileAtomic({ file, data: JSON.stringify(chunk) });
    chunk.forEach((p, index) => plan.pages.push({ slug: p.object.slug, chunk: plan.chunks.length, index }));
    plan.chunks.push(file);
  }
  const file = path.join(dir, 'plan.json');
  await writeFileAtomic({ file, data: JSON.stringify(plan) });
  return file;
}

/*
 * Planning without parsing the catalogue again. The catalogue data step has every object in memory
 * once it has written catalogue.json; it writes beside it (`page-digests.json`, `writePageDigests`)
 * what planning needs: each page's digest (the SHA-256 of an object page's props, or of a listing
 * page's content), the collection-wide values, and where each object's JSON lies in the file.
 * Planning keys the pages from the digests, and parses only the objects of the pages it renders (and
 * of the cards they show). The digests are used only for the bytes they were made from (the file's
 * size and SHA-256, checked), by the code that made them (a hash of its modules) and at the listing
 * pages' size they were made for; anything else is planned from a parse of the whole catalogue, which
 * gives the same digests.
 */

/** The digests' file, beside the catalogue file. */
export function pageDigestsFile(catalogueFile: string): string {
  return path.join(path.dirname(catalogueFile), 'page-digests.json');
}

const DIGESTS_SCHEMA = 'vitrine.page-digests/1';

interface PageDigests {
  schema: string;
  about: string;
  /** `codeHash()` of the code that made them. */
  code: string;
  catalogue: { size: number; sha256: string };
  globals: Record<string, unknown>;
  listingPageSize: number;
  /** Each object page, in the catalogue's order: its object's id and slug, its props' digest, its object's JSON (bytes) and hasCard. */
  objects: [id: string, slug: string, digest: string, offset: number, length: number, hasCard: boolean][];
  listings: [file: string, digest: string][];
}

/** What planning reads of a catalogue: its pages' digests and, for the pages to render, their props. */
interface PlanSource {
  /** Where the pages' digests came from: the data step's file, or a parse of the catalogue. */
  read: 'digests' | 'catalogue';
  globals: Record<string, unknown>;
  pages: { slug: string; digest: string }[];
  listings: { file: string; digest: string }[];
  props: (index: number) => ObjectPageProps;
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * A hash of the modules that make pages' props and their digests, and of what they import; null where they
 * cannot be read (a bundle).
 */
function codeHash(): string | null {
  const files = sourceClosure(['pages.ts', 'plan.ts', 'schema.ts'].map((f) => path.join(import.meta.dirname, f)));
  if (files.size === 0) return null;
  const hash = createHash('sha256');
  hashSources({ hash, root: VITRINE_ROOT, files });
  return hash.digest('hex');
}

/** The plan's source from the parsed catalogue. */
function parsedSource({ catalogue, pageSize }: { catalogue: Catalogue; pageSize: number }): PlanSource {
  const props: ObjectPageProps[] = [];
  const pages: PlanSource['pages'] = [];
  eachObjectPageProps(catalogue, (p) => {
    props.push(p);
    pages.push({ slug: p.object.slug, digest: digestOf(objectPagePropsText(p, JSON.stringify(p.object))) });
  });
  return {
    read: 'catalogue',
    globals: pageGlobals(catalogue),
    pages,
    listings: listingDigests(catalogue, pageSize).map(([file, digest]) => ({ file, digest })),
    props: (i) => props[i]!,
  };
}

function listingDigests(catalogue: Catalogue, pageSize: number): [string, string][] {
  const out: [string, string][] = [];
  eachCardList(catalogue, (list) => {
    for (const page of listingPages(list, pageSize)) out.push([page.file, digestOf(JSON.stringify(page.content))]);
  });
  return out;
}

/**
 * The plan's source from the digests beside `file`, when they were made from its bytes by this code at
 * this `pageSize`; else null. An object page's props are made from its object's bytes alone, and the
 * cards of its similar objects from theirs.
 */
async function digestedSource({ file, pageSize }: { file: string; pageSize: number }): Promise<PlanSource | null> {
  const code = codeHash();
  if (!code) return null;
  let d: PageDigests;
  try {
    d = JSON.parse(await readFile(pageDigestsFile(file), 'utf8')) as PageDigests;
  } catch {
    return null;
  }
  if (d?.schema !== DIGESTS_SCHEMA || d.code !== code || d.listingPageSize !== pageSize) return null;
  const bytes = await readFile(file);
  if (bytes.length !== d.catalogue.size || createHash('sha256').update(bytes).digest('hex') !== d.catalogue.sha256)
    return null;
  const objectAt = (i: number) => {
    const [, , , offset, length] = d.objects[i]!;
    return JSON.parse(bytes.toString('utf8', offset, offset + length)) as CatalogueObject;
  };
  // As objectPageProps: an id names the last object of that id.
  const byId = new Map(d.objects.map(([id], i) => [id, i]));
  const cards = new Map<number, Card>();
  const cardAt = (i: number) => {
    let card = cards.get(i);
    if (!card) cards.set(i, (card = cardOf(objectAt(i))));
    return card;
  };
  return {
    read: 'digests',
    globals: d.globals,
    pages: d.objects.map(([, slug, digest]) => ({ slug, digest })),
    listings: d.listings.map(([f, digest]) => ({ file: f, digest })),
    props: (i) => {
      const object = objectAt(i);
      const similar = similarCards(object, (id) => (byId.has(id) ? cardAt(byId.get(id)!) : null));
      return { object, hasCard: d.objects[i]![5], similar };
    },
  };
}

/**
 * Write the digests of the catalogue `catalogue`, just written to `file`, beside it (the catalogue data
 * step calls this). Each object's JSON is found in the file's bytes; when one is not there (a file
 * written otherwise), no digests are written and planning parses the catalogue. True when written.
 */
export async function writePageDigests({ file, catalogue }: { file: string; catalogue: Catalogue }): Promise<boolean> {
  const out = pageDigestsFile(file);
  await rm(out, { force: true });
  const code = codeHash();
  if (!code) return false;
  const bytes = await readFile(file);
  const objects: PageDigests['objects'] = [];
  let at = 0;
  let found = true;
  eachObjectPageProps(catalogue, (p) => {
    if (!found) return;
    const text = JSON.stringify(p.object);
    const needle = Buffer.from(text);
    // Objects follow one another a comma apart: looked for there first, then anywhere further on.
    const next = at + 1;
    const offset =
      at > 0 &&
      next + needle.length <= bytes.length &&
      bytes.compare(needle, 0, needle.length, next, next + needle.length) === 0
        ? next
        : bytes.indexOf(needle, at);
    if (offset < 0) {
      found = false;
      return;
    }
    objects.push([
      p.object.id,
      p.object.slug,
      digestOf(objectPagePropsText(p, text)),
      offset,
      needle.length,
      p.hasCard,
    ]);
    at = offset + needle.length;
  });
  if (!found) return false;
  const digests: PageDigests = {
    schema: DIGESTS_SCHEMA,
    about:
      "What planning the site's pages needs of catalogue.json, made by the step that wrote it (pipeline/catalogue/plan.ts).",
    code,
    catalogue: { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') },
    globals: pageGlobals(catalogue),
    listingPageSize: LISTING_PAGE_SIZE,
    objects,
    listings: listingDigests(catalogue, LISTING_PAGE_SIZE),
  };
  await writeFileAtomic({ file: out, data: JSON.stringify(digests) });
  return true;
}
