import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import { holdLock } from '../lock.ts';
import { type Clock, type Logger, systemClock } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { catalogueFiles } from './data.ts';
import { parentWatch } from './guard.ts';
import { normaliseBase } from './location.ts';
import { cacheRenderedPages, type Placed, placeSiteApart } from './place.ts';
import {
  eachFileIn,
  filesIn,
  linkTree,
  PER_OBJECT_FOLDERS,
  type PlanOptions,
  plannedListings,
  plannedPages,
  planObjectPagesApart,
  siteFingerprint,
} from './plan.ts';
import { indexSite, SEARCH_INDEX } from './search-index.ts';

/** Where it lives now (catalogue/location.ts); kept here for those who import it from here. */
export { normaliseBase };

/** What a site build measured. */
export interface SiteBuild {
  outDir: string;
  pages: number;
  /**
   * Wall time of the Astro build, ms; and of the search index (Pagefind), from the moment it starts beside
   * the site's update to the moment the index is in the site.
   */
  astroMs: number;
  pagefindMs: number;
  /** Peak resident memory of the Astro build process, bytes (0 when unknown). */
  astroPeakRss: number;
  /** Peak resident memory of the process that put the build into the site, bytes. */
  placePeakRss: number;
  /** Bytes of the search index (`pagefind/`). */
  indexBytes: number;
  /** Object pages Astro rendered, and those kept from an earlier build (same key: same content). */
  objectPages: { rendered: number; reused: number };
  /**
   * Listing pages (pages of cards: all objects, the review queue, colours) Astro rendered, as counted in
   * its output, and those kept from an earlier build.
   */
  listingPages: { rendered: number; reused: number };
  /** Wall time of planning the object pages (keys, chunk files) and of putting the build into the site, ms. */
  planMs: number;
  placeMs: number;
  /** Wall time of updating the site and indexing it, which run side by side (less than the two added), ms. */
  placeAndIndexMs: number;
  /** What putting the build into the site did: files kept as they were, written, and removed. */
  files: Placed;
}

/**
 * Folders of the catalogue's public folder hard-linked into the site after Astro, not copied by it: the
 * per-object trees (many files), and the demo's model (megabytes of weights, which Astro's copy at every
 * build put on the disk once more: a nearly full disk ran out there).
 */
const LINKED_FOLDERS = [...PER_OBJECT_FOLDERS, 'model'];

/**
 * `.vitrine/site-build-unfinished.json`: written before a build first changes the site, written again with the time
 * it finished, and removed once lock.json records the build (the catalogue stage's `recorded`). While it is there, the
 * site may hold files of two builds (a build killed while it placed its pages: new pages beside the old search index),
 * or a whole build that lock.json does not describe: `vitrine publish` refuses it. It lies outside the site (never
 * published) and outside the catalogue stage's outputs (their hashes in lock.json do not see it).
 */
export interface UnfinishedSiteBuild {
  /** When the build began changing the site (ISO time; '' when the marker cannot be read). */
  started: string;
  /** When it had placed and indexed every page; absent while it has not. */
  finished?: string;
}

export function unfinishedSiteBuildFile(ws: Workspace): string {
  return path.join(ws.work, 'site-build-unfinished.json');
}

/** The marker of a site build that lock.json does not record yet, or null when there is none. */
export async function unfinishedSiteBuild(ws: Workspace): Promise<UnfinishedSiteBuild | null> {
  let text: string;
  try {
    text = await readFile(unfinishedSiteBuildFile(ws), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const marker = JSON.parse(text) as Partial<UnfinishedSiteBuild>;
    return {
      started: typeof marker.started === 'string' ? marker.started : '',
      ...(typeof marker.finished === 'string' ? { finished: marker.finished } : {}),
    };
  } catch {
    // Cut short by the kill it records: a build began, and nothing says it finished.
    return { started: '' };
  }
}

/** Forget the marker: lock.json now records the site as it is. */
export async function forgetUnfinishedSiteBuild(ws: Workspace): Promise<void> {
  await rm(unfinishedSiteBuildFile(ws), { force: true });
}

/** The site's source folder (Astro project) in this repository. */
export function siteSourceDir(): string {
  return path.resolve(import.meta.dirname, '..', '..', 'site');
}

/**
 * Build the static site from `.vitrine/catalogue/` into `.vitrine/site/` (Astro, in a child
 * process so its memory is its own), then index the object pages with Pagefind's Node API.
 *
 * Object pages are kept by key in `.vitrine/cache/pages/` (see pages.ts): Astro renders only the
 * object pages whose key was not built before, reading their props from chunk files of
 * `chunkSize` pages; the others are hard-linked from the cache. Listing pages (pages of cards) are kept
 * the same way, by a key over what they show. Every other page is rendered each time.
 * Astro writes into a folder of its own (it empties its output folder first); only once it has
 * finished is the site updated in place (place.ts), so a failed build leaves the last site as it was. From the
 * moment it starts changing the site, `.vitrine/site-build-unfinished.json` says so (see UnfinishedSiteBuild): the
 * caller removes it once it has recorded the build.
 */
export async function buildSite({
  ws,
  params,
  log,
  clock = systemClock,
  siteDir = siteSourceDir(),
  env = {},
  chunkSize = 1000,
  listingPageSize,
  reuse = true,
  onStep,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  /** For the times in the marker of a build that changes the site. */
  clock?: Clock;
  siteDir?: string;
  env?: Record<string, string | undefined>;
  /** Object pages' props per chunk file (the Astro process holds one chunk at a time). */
  chunkSize?: number;
  /** Cards a listing page shows (48; fewer in tests, for lists of several pages). */
  listingPageSize?: number;
  /** Reuse object pages kept from earlier builds (false: render every page, and keep them). */
  reuse?: boolean;
  /**
   * Called as each step ends whose process has exited: planning, then Astro (a benchmark reads the CPU
   * time of the build's processes there, exact where samples are not).
   */
  onStep?: (step: 'planned' | 'astro') => void;
}): Promise<SiteBuild> {
  // Astro (Vite) fails deep inside with a stack of its own on such a path (a fault tester's folder name).
  if (/[\n\r]/.test(ws.root))
    throw new VitrineError(
      'CATALOGUE_PATH_LINE_BREAK',
      `The repository's folder path has a line break in it (${JSON.stringify(ws.root)}): Astro, which builds ` +
        'the catalogue, cannot build in such a folder. Rename the folder (or move the repository) to a path ' +
        'without a line break, then run the catalogue again. The other stages are not affected.',
      { dir: ws.root },
    );
  // Vite cuts its paths at "#" ("Cannot resolve entry module ../Collection "): Vitrine's own site folder only, since
  // a repository in such a folder builds (an outside tester's "Collection #1").
  if (siteDir.includes('#'))
    throw new VitrineError(
      'CATALOGUE_PATH_HASH',
      `Vitrine's folder path has a “#” in it (${path.dirname(siteDir)}): Astro, which builds the catalogue, cuts ` +
        'paths at “#” and cannot build from there. Rename the folder (or move Vitrine) to a path without a “#”, then ' +
        'run the catalogue again. The other stages are not affected.',
      { dir: siteDir },
    );
  // Without the site's address, IIIF ids and sitemap locations are paths, which viewers and search engines elsewhere
  // cannot follow (a public tester): said, and the object pages then offer no manifest.
  if (!params.catalogue.site)
    log.info(
      'catalogue.site is empty, so the IIIF manifests and the sitemap hold paths (/iiif/…), not full addresses: IIIF ' +
        'viewers such as Mirador and search engines cannot follow them, and the object pages offer no IIIF manifest. ' +
        "Before publishing, set catalogue.site in params.yaml to the site's full address (https://…/); the GitHub " +
        'Pages workflow sets it for you.',
    );
  const files = catalogueFiles(ws);
  if (!(await stat(files.data).catch(() => null))) {
    throw new VitrineError(
      'CATALOGUE_NO_DATA',
      `${path.relative(ws.root, files.data)} is missing: build the catalogue data first`,
      { file: files.data },
    );
  }
  const outDir = ws.site;
  // One build of a workspace at a time, from the first file it touches to the last page it places:
  // another would change the site or the plan under it.
  const releaseWorkspace = await holdBuildLock({ file: path.join(ws.catalogue, 'site-build.lock'), log });
  const planDir = path.join(ws.catalogue, 'render');
  // Astro (Vite) copies its public folder file by file, blocking; the per-object trees (thumbnails,
  // IIIF manifests and tiles: 7 files an object) and the model are hard-linked into the site afterwards instead.
  const astroPublic = path.join(ws.catalogue, 'astro-public');
  // Astro's own output folder: beside the site, on the same file system (its files are renamed in).
  const stageDir = path.join(ws.catalogue, 'astro-out');
  try {
    const base = normaliseBase(params.catalogue.base);
    let started = Date.now();
    const cacheDir = path.join(ws.cache, 'pages');
    await linkTree({ from: files.publicDir, to: astroPublic, skip: LINKED_FOLDERS });
    const plan: PlanOptions = {
      file: files.data,
      cacheDir,
      planDir,
      chunkSize,
      ...(listingPageSize ? { listingPageSize } : {}),
      reuse,
      fingerprint: await siteFingerprint({ siteDir, base, site: params.catalogue.site }),
    };
    // Planned in a child process that exits: the catalogue parsed for the pages' keys is not kept
    // by this process, nor by Astro's, which reads it again.
    const planned = await planObjectPagesApart({ ...plan, log });
    const planMs = Date.now() - started;
    onStep?.('planned');
    log.debug(
      `Planning the pages: ${planned.rendered} object and ${planned.listingsRendered} listing page(s) to render, ` +
        `keyed from ${planned.read === 'digests' ? "the catalogue data step's digests" : 'the catalogue, parsed'}`,
    );
    started = Date.now();
    // Astro stages its pages' server code in `.astro/` of its working folder (its output folder is outside it), and
    // Node loads that code from there: under the site sources, so that Astro's packages resolve. Each build works in
    // a folder of its own there, so builds of two repositories (or parallel tests) need not take turns.
    const astroCwd = await astroWorkFolder(siteDir);
    let ran: { maxRSS: number };
    try {
      ran = await runAstro({
        siteDir,
        cwd: astroCwd,
        log,
        root: ws.root,
        // Where Astro writes: a full disk is named by the folder that filled, not by the site.
        folders: [stageDir, astroPublic, planDir, path.join(ws.catalogue, 'astro-cache'), astroCwd],
        env: {
          ...env,
          VITRINE_CATALOGUE: files.data,
          VITRINE_OBJECT_PAGES: planned.plan,
          VITRINE_PUBLIC: astroPublic,
          VITRINE_OUT: stageDir,
          VITRINE_CACHE: path.join(ws.catalogue, 'astro-cache'),
          VITRINE_BASE: base,
          VITRINE_SITE: params.catalogue.site,
        },
      });
    } finally {
      await rm(astroCwd, { recursive: true, force: true });
    }
    const astroPeakRss = ran.maxRSS;
    const astroMs = Date.now() - started;
    onStep?.('astro');
    started = Date.now();
    const pages = await plannedPages(planDir);
    const listings = await plannedListings(planDir);
    // Counted in Astro's output, not taken from the plan: what was rendered, whatever the plan said.
    const listingsRendered = listingFilesIn(stageDir);
    // Every page of this build is in the page cache from here on: the search index reads it there,
    // while the site is updated beside it (a process each: the placing child stats the site's files
    // on one core, Pagefind indexes on the other). Only once the site holds this build's pages is
    // the new index put into it; a placing that fails leaves the last index as it was.
    await cacheRenderedPages({ stageDir, cacheDir, pages, listings });
    // From here the site changes: until the last page is placed and indexed it may mix this build and the last.
    const marker = { started: clock.now().toISOString() };
    await writeJsonAtomic({ file: unfinishedSiteBuildFile(ws), value: marker });
    let placeMs = 0;
    // In a child process that exits: its checks over every file of the site take gigabytes at
    // 100,000 objects, which this process would keep.
    const placing = placeSiteApart({
      siteDir: outDir,
      stageDir,
      cacheDir,
      planDir,
      publicDir: files.publicDir,
      folders: LINKED_FOLDERS,
      keep: [SEARCH_INDEX],
      cached: true,
      log,
    }).finally(() => {
      placeMs = Date.now() - started;
    });
    // Only the parts of the index whose pages changed are made again, outside the site; the site's
    // index changes once they all are (a failed build leaves the last one as it was).
    let pagefindMs = 0;
    const indexing = indexSite({
      outDir,
      workDir: path.join(ws.catalogue, 'search-index-work'),
      cacheDir: path.join(ws.cache, 'search'),
      pages,
      partPages: params.catalogue.search_part_pages,
      pageFile: (p) => path.join(cacheDir, `${p.key}.html`),
      placeAfter: () => placing,
    }).finally(() => {
      pagefindMs = Date.now() - started;
    });
    // Both are waited for, whichever fails: neither may run on past the build's lock.
    const [placeResult, indexResult] = await Promise.allSettled([placing, indexing]);
    if (placeResult.status === 'rejected') throw placeResult.reason;
    if (indexResult.status === 'rejected') throw indexResult.reason;
    const { placed, peakRss: placePeakRss } = placeResult.value;
    const indexed = indexResult.value;
    await writeJsonAtomic({
      file: unfinishedSiteBuildFile(ws),
      value: { ...marker, finished: clock.now().toISOString() },
    });
    await removeAll([planDir, astroPublic, stageDir]);
    const placeAndIndexMs = Date.now() - started;
    const indexBytes = folderBytes(path.join(outDir, SEARCH_INDEX));
    const rendered = pages.filter((p) => p.render).length;
    const objectPages = { rendered, reused: pages.length - rendered };
    const listingPages = {
      rendered: listingsRendered,
      reused: listings.filter((l) => !l.render).length,
    };
    log.info(
      `Catalogue site: ${indexed} object pages indexed in ${path.relative(ws.root, outDir)} ` +
        `(${rendered} rendered, ${objectPages.reused} kept from the last build; listing pages: ` +
        `${listingPages.rendered} rendered, ${listingPages.reused} kept; ` +
        `${placed.written} files written, ${placed.removed} removed, ${placed.kept} unchanged; ` +
        `Astro ${(astroMs / 1000).toFixed(1)} s, Pagefind ${(pagefindMs / 1000).toFixed(1)} s)`,
    );
    return {
      outDir,
      pages: indexed,
      astroMs,
      pagefindMs,
      astroPeakRss,
      placePeakRss,
      indexBytes,
      objectPages,
      listingPages,
      planMs,
      placeMs,
      placeAndIndexMs,
      files: placed,
    };
  } finally {
    // A failed build leaves nothing of its own behind; the site is as it was (or, if placing failed,
    // holds whole files, some old and some new, which the next build completes).
    await removeAll([planDir, astroPublic, stageDir]);
    await releaseWorkspace();
  }
}

/**
 * A new folder for one Astro run under `<siteDir>/.astro/builds/`. Folders a day old are removed first: left by a
 * build that was killed (a build ends in well under an hour, and removes its own).
 */
async function astroWorkFolder(siteDir: string): Promise<string> {
  const builds = path.join(siteDir, '.astro', 'builds');
  await mkdir(builds, { recursive: true });
  for (const name of await readdir(builds)) {
    const info = await stat(path.join(builds, name)).catch(() => null);
    if (info && Date.now() - info.mtimeMs > DAY_MS) await rm(path.join(builds, name), { recursive: true, force: true });
  }
  return mkdtemp(path.join(builds, `${process.pid}-`));
}

const DAY_MS = 24 * 60 * 60_000;

/** Listing pages in Astro's output folder: pages of all objects, the review queue, colour families and swatches. */
function listingFilesIn(stageDir: string): number {
  let count = 0;
  for (const folder of ['all', 'review', 'colours'])
    eachFileIn(path.join(stageDir, folder), {}, (f) => {
      if (f.endsWith('index.html') && !(folder === 'colours' && f === 'index.html')) count++;
    });
  return count;
}

async function removeAll(dirs: string[]): Promise<void> {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}

/** Hold a catalogue build's lock `file` (pipeline/lock.ts): a second build waits for the first. */
export async function holdBuildLock({
  file,
  log,
  wait,
}: {
  file: string;
  log: Logger;
  wait?: (ms: number) => Promise<void>;
}): Promise<() => Promise<void>> {
  return holdLock({ file, what: 'a catalogue build', log, wait });
}

async function runAstro({
  siteDir,
  cwd,
  log,
  env,
  root,
  folders,
}: {
  siteDir: string;
  /** Astro's working folder: it stages the pages' server code in its `.astro/` (see buildSite). */
  cwd: string;
  log: Logger;
  env: Record<string, string | undefined>;
  root: string;
  folders: string[];
}): Promise<{ maxRSS: number }> {
  // Astro's build alone: its core/index.js also loads the dev server and preview (30 modules the build never runs).
  const astro = pathToFileURL(
    path.resolve(import.meta.dirname, '..', '..', 'node_modules', 'astro', 'dist', 'core', 'build', 'index.js'),
  ).href;
  const script = [
    // Astro stops with the build: a killed build leaves no Astro writing on (guard.ts's watch, started here).
    `const { Worker } = await import('node:worker_threads');`,
    `new Worker(${JSON.stringify(parentWatch({ parent: process.pid }))}, { eval: true }).unref();`,
    `const { default: build } = await import(${JSON.stringify(astro)});`,
    // Without Astro's sync step: it writes TypeScript types for editors (and content collections, which the site
    // has none of) into the sources' .astro/ folder, which builds of two repositories would share. The pages are
    // the same byte for byte, and the step's own Vite server is not started.
    `await build({ root: ${JSON.stringify(siteDir)}, logLevel: 'warn' }, { sync: false });`,
    `const maxRSS = process.resourceUsage().maxRSS * 1024;`,
    `process.stdout.write('\\n@@VITRINE ' + JSON.stringify({ maxRSS }) + '\\n');`,
  ].join('\n');
  // A parent under Vite or vitest leaks its own mode and base URL into the environment; Astro must not see them.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(VITEST|VITE_|NODE_ENV$|BASE_URL$|MODE$|DEV$|PROD$|SSR$|TEST$)/.test(k),
    ),
  );
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    env: {
      ...inherited,
      ...env,
      ASTRO_TELEMETRY_DISABLED: '1',
      NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-old-space-size=6144'].filter(Boolean).join(' '),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { code, out, err } = await outputOf(child);
  const marker = out.match(/@@VITRINE (.*)/);
  if (code !== 0 || !marker) throw astroFailure({ code, out, err, root, folders, log });
  for (const line of `${out.replace(/@@VITRINE .*/, '')}\n${err}`.split('\n'))
    if (line.trim()) log.debug(`astro: ${line}`);
  return JSON.parse(marker[1]!) as { maxRSS: number };
}

/** Wait for `child` to end, keeping what it printed. */
export async function outputOf(child: ChildProcess): Promise<{ code: number | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, out, err };
}

/**
 * The error for an Astro child that failed (exit `code`, its output `out` and `err`). Its own output
 * (stack frames of Vite and rolldown) goes to the debug log, shown with --verbose. A full disk is the
 * machine's, not the site's: it is said alone, naming the folder of `folders` that Astro was writing
 * (relative to `root`). Any other failure keeps the end of Astro's output, which says what broke.
 */
export function astroFailure({
  code,
  out,
  err,
  root,
  folders,
  log,
}: {
  code: number | null;
  out: string;
  err: string;
  root: string;
  folders: string[];
  log: Logger;
}): VitrineError {
  const raw = `${err}\n${out.replace(/@@VITRINE .*/, '')}`.trim();
  for (const line of raw.split('\n')) if (line.trim()) log.debug(`astro: ${line}`);
  // Node words it "ENOSPC: no space left on device, copyfile 'from' -> 'to'" (open, write, mkdir: one path).
  const lines = [...raw.matchAll(/\b(ENOSPC|EDQUOT)\b[^\n]*?(?:, \w+ '([^']+)'(?: -> '([^']+)')?)?$/gm)];
  if (lines.length > 0 || /no space left on device/i.test(raw)) {
    const named = lines.find((m) => m[2]);
    // A copy names its source first: the destination is where the space ran out.
    const target = named?.[3] ?? named?.[2];
    const folder = target ? filledFolder({ target, root, folders }) : undefined;
    const quota = lines[0]?.[1] === 'EDQUOT';
    // Not `file`: the boundary would annotate that file in the pull request, and it is Astro's, not the museum's.
    return new VitrineError(
      'DISK_FULL',
      `${quota ? 'The disk quota is used up' : 'The disk is full'}: the catalogue site could not be written ` +
        `(Astro ran out of space${folder ? ` in ${folder}` : ''}). Free some space and run again.`,
      { code, folder, path: target, quota },
    );
  }
  const tail = raw.split('\n').slice(-25).join('\n');
  return new VitrineError(
    'SITE_BUILD_FAILED',
    `The catalogue site did not build (Astro exited with ${code}):\n${tail}`,
    {
      code,
    },
  );
}

/** The innermost of `folders` holding `target` (else its own folder), relative to `root` when inside it. */
function filledFolder({ target, root, folders }: { target: string; root: string; folders: string[] }): string {
  const holding = folders
    .filter((f) => !path.relative(f, target).startsWith('..'))
    .sort((a, b) => b.length - a.length)[0];
  const folder = holding ?? path.dirname(target);
  const relative = path.relative(root, folder);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : folder;
}

/** Bytes of the files under `dir` (synchronous calls: the index has a file a page). */
function folderBytes(dir: string): number {
  let total = 0;
  for (const f of filesIn(dir, { all: true })) total += statSync(path.join(dir, f)).size;
  return total;
}
