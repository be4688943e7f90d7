import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, readFileSync, renameSync, type Stats, statSync } from 'node:fs';
import { copyFile, link, lstat, mkdir, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { entryThere, runApart } from './apart.ts';
import {
  eachFileIn,
  filesIn,
  type ListingPlan,
  PAGE_RECORDS,
  type PagePlan,
  type PageRecord,
  plannedListings,
  plannedPages,
  readPageRecords,
  recordOf,
  writePageRecords,
} from './plan.ts';

/*
 * Putting a build into `.vitrine/site/` in place. A site of 100,000 objects is about 900,000 files,
 * nearly all the same as the last build's: deleting the folder and putting it back together took
 * minutes. Here a file whose content did not change stays as it is (same inode), a changed one is
 * replaced whole through a rename, and files the new build no longer has are deleted once the new
 * ones are in place. Nothing touches the site before Astro has finished its own folder, so a failed
 * build leaves the previous site as it was.
 */

/** What placing a build did to the site's files. */
export interface Placed {
  /** Files already in the site with the same content (left as they were). */
  kept: number;
  /** Files written (new, or replaced whole). */
  written: number;
  /** Files the new build no longer has, deleted. */
  removed: number;
}

/** What `placeSiteApart` sends its child: `placeSite`'s options, the pages as `planObjectPages` wrote them. */
export type PlaceRequest = Omit<Parameters<typeof placeSite>[0], 'pages' | 'listings'> & { planDir: string };

/** The child's entry file, next to this one in the sources. */
export const PLACE_CHILD = path.join(import.meta.dirname, 'place-child.ts');

/**
 * `placeSite` in a child process that exits when done (apart.ts), so the memory of its checks over
 * every file of the site (1.8 GB at 100,000 objects, most of it garbage V8 keeps) is not kept by the
 * build process; Pagefind runs beside it (site.ts). The pages are read there from `planDir`. A failure
 * arrives as the child's VitrineError.
 */
export async function placeSiteApart({
  log,
  entry = PLACE_CHILD,
  ...request
}: PlaceRequest & { log: Logger; entry?: string }): Promise<{ placed: Placed; peakRss: number; pid: number }> {
  if (!(await entryThere(entry))) {
    log.debug(`Placing the site: in this process (${entry} is not there, as in a bundled action)`);
    const { planDir, ...options } = request;
    const [pages, listings] = [await plannedPages(planDir), await plannedListings(planDir)];
    const placed = await placeSite({ ...options, pages, listings });
    return { placed, peakRss: process.resourceUsage().maxRSS * 1024, pid: process.pid };
  }
  return runApart<PlaceRequest, { placed: Placed; peakRss: number }>({
    entry,
    request,
    log,
    what: 'Placing the site',
    code: 'SITE_PLACE_FAILED',
  });
}

/**
 * Update `siteDir` to this build: object and listing pages from the page cache by key (those Astro
 * rendered are first moved into the cache), the per-object folders from the catalogue's public folder (hard links:
 * the same inode is the same file, checked first), and everything else from Astro's output in `stageDir`. Then
 * delete what the build no longer has, leaving `keep` top-level folders (the search index) alone,
 * and drop cache entries no page uses.
 */
export async function placeSite({
  siteDir,
  stageDir,
  cacheDir,
  pages,
  listings = [],
  publicDir,
  folders,
  keep = [],
  cached = false,
}: {
  siteDir: string;
  /** Astro's output for this build (non-object pages, the object pages it rendered, assets). */
  stageDir: string;
  /** Kept object and listing pages, `<key>.html`. */
  cacheDir: string;
  pages: PagePlan[];
  listings?: ListingPlan[];
  /** The catalogue's public folder, whose `folders` hold a few files an object. */
  publicDir: string;
  folders: string[];
  /** Top-level folders of the site this step leaves alone. */
  keep?: string[];
  /** The pages Astro rendered are already in the cache (`cacheRenderedPages`): a site build moves them first. */
  cached?: boolean;
}): Promise<Placed> {
  const placed: Placed = { kept: 0, written: 0, removed: 0 };
  const wanted = new Set<string>();
  await mkdir(cacheDir, { recursive: true });
  const objectPage = (slug: string) => path.join('objects', slug, 'index.html');

  // A file new to its place is linked (or moved) there directly, synchronously: a link or a rename
  // appears whole, and a full build makes 800,000 of them at 100,000 objects. Anything else (a
  // file to replace, another file system) goes through `replaceWith`'s temporary name.
  const made = new Set<string>();
  const placeNew = (put: (from: string, to: string) => void, from: string, to: string): boolean => {
    try {
      const dir = path.dirname(to);
      if (!made.has(dir)) mkdirSync(dir, { recursive: true });
      made.add(dir);
      put(from, to);
      return true;
    } catch {
      return false;
    }
  };

  if (!cached) await cacheRenderedPages({ stageDir, cacheDir, pages, listings });

  // Object pages and per-object files: hard links, so the same inode is the same content. Nearly all
  // are unchanged: they are checked with synchronous stat calls (a fraction of the CPU of promised
  // ones, at 800,000 files for 100,000 objects), and only the others are compared or replaced.
  // Checked as they are listed, with no list of all 800,000 (their paths alone took hundreds of MB).
  const to = (rel: string) => path.join(siteDir, rel);
  const differ: { from: string; rel: string; size: number; there: boolean }[] = [];
  const check = (from: string, rel: string) => {
    wanted.add(rel);
    const source = statSync(from);
    const there = siteFile(to(rel));
    if (there?.isFile() && there.ino === source.ino && there.dev === source.dev) placed.kept++;
    else if (there?.isFile() && there.size === source.size && source.size <= SMALL && sameSmallFile(from, to(rel)))
      // A file the catalogue data wrote again with the same bytes (a IIIF manifest) is left as it is too.
      placed.kept++;
    else if (!there && placeNew(linkSync, from, to(rel))) placed.written++;
    else differ.push({ from, rel, size: source.size, there: there?.isFile() === true && there.size === source.size });
  };
  for (const p of pages) check(path.join(cacheDir, `${p.key}.html`), objectPage(p.slug));
  for (const l of listings) check(path.join(cacheDir, `${l.key}.html`), l.file);
  for (const folder of folders)
    eachFileIn(path.join(publicDir, folder), {}, (f) => check(path.join(publicDir, folder, f), path.join(folder, f)));
  await inBatches(differ, async ({ from, rel, size, there }) => {
    if (there && size > SMALL && (await sameBytes(from, to(rel), size))) {
      placed.kept++;
      return;
    }
    await replaceWith(from, to(rel));
    placed.written++;
  });

  // Astro's output (object and listing pages aside: placed above from the cache): moved in when its content changed.
  const rendered = new Set(pages.filter((p) => p.render).map((p) => objectPage(p.slug)));
  for (const l of listings) if (l.render) rendered.add(l.file);
  const moves: string[] = [];
  for (const rel of filesIn(stageDir)) {
    if (rendered.has(rel)) continue;
    wanted.add(rel);
    const from = path.join(stageDir, rel);
    const [staged, there] = [statSync(from), siteFile(to(rel))];
    const same = there?.isFile() && there.size === staged.size && staged.size <= SMALL;
    if (same && sameSmallFile(from, to(rel))) placed.kept++;
    else if (!there && placeNew(renameSync, from, to(rel))) placed.written++;
    else moves.push(rel);
  }
  await inBatches(moves, async (rel) => {
    const from = path.join(stageDir, rel);
    if (await sameContent(from, to(rel))) {
      placed.kept++;
      return;
    }
    await moveInto(from, to(rel));
    placed.written++;
  });

  // Only now, with every new file in place: delete what this build no longer has.
  const emptied = new Set<string>();
  const stale: string[] = [];
  eachFileIn(siteDir, { all: true, skip: keep }, (f) => {
    if (!wanted.has(f)) stale.push(f);
  });
  await inBatches(stale, async (rel) => {
    await rm(path.join(siteDir, rel), { force: true });
    emptied.add(path.dirname(rel));
    placed.removed++;
  });
  await removeEmptyFolders(siteDir, emptied);

  const keys = new Set([...pages, ...listings].map((p) => `${p.key}.html`));
  for (const f of await readdir(cacheDir))
    if (!keys.has(f) && f !== PAGE_RECORDS) await rm(path.join(cacheDir, f), { force: true });
  return placed;
}

/**
 * Move the object and listing pages Astro rendered (in `stageDir`) into the page cache under their key,
 * replacing whatever that entry held. A site build does it before updating the site, so that the search
 * index can read every page of this build from the cache while the site is updated beside it.
 */
export async function cacheRenderedPages({
  stageDir,
  cacheDir,
  pages,
  listings = [],
}: {
  stageDir: string;
  cacheDir: string;
  pages: PagePlan[];
  listings?: ListingPlan[];
}): Promise<void> {
  mkdirSync(cacheDir, { recursive: true });
  const rendered = [
    ...pages.filter((p) => p.render).map((p) => ({ ...p, file: path.join('objects', p.slug, 'index.html') })),
    ...listings.filter((l) => l.render).map((l) => ({ ...l, slug: undefined })),
  ];
  const stored = new Map<string, PageRecord | null>();
  await inBatches(rendered, async (p) => {
    const staged = path.join(stageDir, p.file);
    if (!(await stat(staged).catch(() => null)))
      throw new VitrineError(
        'SITE_BUILD_FAILED',
        p.slug === undefined
          ? `Astro did not write the listing page ${p.file} (${staged})`
          : `Astro did not write the page of object "${p.slug}" (${staged})`,
        p.slug === undefined ? { page: p.file } : { slug: p.slug },
      );
    // Moved, not linked: a rename replaces the entry whole, and leaves nothing in Astro's folder to delete.
    const entry = path.join(cacheDir, `${p.key}.html`);
    try {
      renameSync(staged, entry);
    } catch {
      await replaceWith(staged, entry);
    }
    stored.set(p.key, recordOf(entry));
  });
  // The records of this build's pages: those kept (as planning found them) and those just stored.
  const before = readPageRecords(cacheDir);
  const records = new Map<string, PageRecord>();
  for (const { key } of [...pages, ...listings]) {
    const record = stored.has(key) ? stored.get(key) : before.get(key);
    if (record) records.set(key, record);
  }
  await writePageRecords(cacheDir, records);
}

/** The site's file at `file`, if there is one (a file where a folder of its path should be: none). */
function siteFile(file: string): Stats | undefined {
  try {
    return lstatSync(file, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Run `each` over `items`, 64 at a time. */
async function inBatches<T>(items: T[], each: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 64) await Promise.all(items.slice(i, i + 64).map(each));
}

/** Whether two files hold the same bytes (false when `b` is missing or not a file). */
async function sameContent(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), lstat(b).catch(() => null)]);
  if (!sb?.isFile() || sa.size !== sb.size) return false;
  if (sa.ino === sb.ino && sa.dev === sb.dev) return true;
  return sameBytes(a, b, sa.size);
}

/** Files up to this size are compared with synchronous reads. */
const SMALL = 1 << 20;

/** Whether two small files hold the same bytes (read whole, synchronously). */
function sameSmallFile(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

/** Whether two files of `size` bytes hold the same bytes. */
async function sameBytes(a: string, b: string, size: number): Promise<boolean> {
  const [ha, hb] = await Promise.all([open(a, 'r'), open(b, 'r')]);
  try {
    const block = 1 << 16;
    const [ba, bb] = [Buffer.alloc(block), Buffer.alloc(block)];
    for (let at = 0; at < size; at += block) {
      const [ra, rb] = await Promise.all([ha.read(ba, 0, block, at), hb.read(bb, 0, block, at)]);
      if (ra.bytesRead !== rb.bytesRead || !ba.subarray(0, ra.bytesRead).equals(bb.subarray(0, rb.bytesRead)))
        return false;
    }
    return true;
  } finally {
    await Promise.all([ha.close(), hb.close()]);
  }
}

/** Make the folder `dir` of the site, deleting a file that stands where one of its folders goes. */
async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    for (let at = dir; at !== path.dirname(at); at = path.dirname(at)) {
      const info = await lstat(at).catch(() => null);
      if (info && !info.isDirectory()) await rm(at, { force: true });
    }
    await mkdir(dir, { recursive: true });
  }
}

/** Rename `to` over, deleting first a folder that stands where the file goes. */
async function renameOver(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      await makeFolder(path.dirname(to));
    } else if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') {
      await rm(to, { recursive: true, force: true });
    } else throw error;
    await rename(from, to);
  }
}

/** Move the staged file `from` to `to` (a rename: `to` is replaced whole), copying across file systems. */
async function moveInto(from: string, to: string): Promise<void> {
  try {
    await renameOver(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await replaceWith(from, to);
  }
}

/**
 * Put `from` at `to` (hard link, or a copy across file systems) through a temporary name beside it
 * and a rename: `to` is replaced whole, whatever it held, and never left half-written.
 */
export async function replaceWith(from: string, to: string): Promise<void> {
  const temp = `${to}.${randomBytes(6).toString('hex')}.tmp`;
  const put = () =>
    link(from, temp).catch(async (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw error;
      await copyFile(from, temp);
    });
  try {
    try {
      await put();
    } catch (error) {
      // The folder is new to the site (the source is there).
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || !(await stat(from).catch(() => null))) throw error;
      await makeFolder(path.dirname(to));
      await put();
    }
    await renameOver(temp, to);
  } finally {
    // rename() leaves both names when they are already links of one file.
    await rm(temp, { force: true });
  }
}

/** Delete the folders in `dirs` (paths in `root`) and their parents that are left empty. */
async function removeEmptyFolders(root: string, dirs: Set<string>): Promise<void> {
  const deepestFirst = [...dirs].sort((a, b) => b.split(path.sep).length - a.split(path.sep).length);
  for (const start of deepestFirst)
    for (let dir = start; dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
      const gone = await rmdir(path.join(root, dir)).then(
        () => true,
        () => false,
      );
      if (!gone) break;
    }
}
