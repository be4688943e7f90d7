import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf, VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { catalogueFiles } from './data.ts';
import { type ObjectPageProps, objectPageProps, pageGlobals, type RenderPlan } from './pages.ts';
import type { Catalogue } from './schema.ts';

/** What a site build measured. */
export interface SiteBuild {
  outDir: string;
  pages: number;
  /** Wall time of the Astro build and of the Pagefind index, ms. */
  astroMs: number;
  pagefindMs: number;
  /** Peak resident memory of the Astro build process, bytes (0 when unknown). */
  astroPeakRss: number;
  /** Bytes of the search index (`pagefind/`). */
  indexBytes: number;
  /** Object pages Astro rendered, and those kept from an earlier build (same key: same content). */
  objectPages: { rendered: number; reused: number };
  /** Wall time of planning the object pages (keys, chunk files) and of putting the kept ones in place, ms. */
  planMs: number;
  placeMs: number;
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
 * `chunkSize` pages; the others are hard-linked from the cache. Every other page is rendered each time.
 */
export async function buildSite({
  ws,
  params,
  log,
  siteDir = siteSourceDir(),
  env = {},
  chunkSize = 1000,
  reuse = true,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  siteDir?: string;
  env?: Record<string, string | undefined>;
  /** Object pages' props per chunk file (the Astro process holds one chunk at a time). */
  chunkSize?: number;
  /** Reuse object pages kept from earlier builds (false: render every page, and keep them). */
  reuse?: boolean;
}): Promise<SiteBuild> {
  const files = catalogueFiles(ws);
  if (!(await stat(files.data).catch(() => null))) {
    throw new VitrineError(
      'CATALOGUE_NO_DATA',
      `${path.relative(ws.root, files.data)} is missing: build the catalogue data first`,
      { file: files.data },
    );
  }
  const outDir = ws.site;
  await rm(outDir, { recursive: true, force: true });
  const base = normaliseBase(params.catalogue.base);
  let started = Date.now();
  const cacheDir = path.join(ws.cache, 'pages');
  const planDir = path.join(ws.catalogue, 'render');
  const pages = await planObjectPages({
    file: files.data,
    cacheDir,
    planDir,
    chunkSize,
    reuse,
    fingerprint: await siteFingerprint({ siteDir, base, site: params.catalogue.site }),
  });
  // Astro (Vite) copies its public folder file by file, blocking; the per-object trees (thumbnails,
  // IIIF manifests and tiles: 7 files an object) are hard-linked into the site afterwards instead.
  const astroPublic = path.join(ws.catalogue, 'astro-public');
  await linkTree({ from: files.publicDir, to: astroPublic, skip: PER_OBJECT_FOLDERS });
  const planMs = Date.now() - started;
  started = Date.now();
  // Astro stages every build in the site source's own `.astro/` folder, so two builds of the same
  // source (two repositories, or parallel tests) must take turns.
  const release = await lockSiteSource({ siteDir, log });
  let astroPeakRss: number;
  try {
    astroPeakRss = await runAstro({
      siteDir,
      log,
      env: {
        ...env,
        VITRINE_CATALOGUE: files.data,
        VITRINE_PUBLIC: astroPublic,
        VITRINE_OUT: outDir,
        VITRINE_CACHE: path.join(ws.catalogue, 'astro-cache'),
        VITRINE_BASE: base,
        VITRINE_SITE: params.catalogue.site,
        VITRINE_OBJECT_PAGES: pages.plan,
      },
    });
  } finally {
    await release();
  }
  const astroMs = Date.now() - started;
  started = Date.now();
  await placeObjectPages({ outDir, cacheDir, pages: pages.pages });
  for (const folder of PER_OBJECT_FOLDERS)
    await linkTree({ from: path.join(files.publicDir, folder), to: path.join(outDir, folder) });
  await rm(planDir, { recursive: true, force: true });
  await rm(astroPublic, { recursive: true, force: true });
  const placeMs = Date.now() - started;
  const t = Date.now();
  const indexed = await indexSite({ outDir });
  const pagefindMs = Date.now() - t;
  const indexBytes = await folderBytes(path.join(outDir, 'pagefind'));
  const rendered = pages.pages.filter((p) => p.render).length;
  const objectPages = { rendered, reused: pages.pages.length - rendered };
  log.info(
    `Catalogue site: ${indexed} object pages indexed in ${path.relative(ws.root, outDir)} (${rendered} rendered, ${objectPages.reused} kept from the last build; Astro ${(astroMs / 1000).toFixed(1)} s, Pagefind ${(pagefindMs / 1000).toFixed(1)} s)`,
  );
  return { outDir, pages: indexed, astroMs, pagefindMs, astroPeakRss, indexBytes, objectPages, planMs, placeMs };
}

/**
 * What the object pages depend on besides their props: the site's sources (and the pipeline files
 * it imports), Astro's version, the base path and the site's address.
 */
async function siteFingerprint({ siteDir, base, site }: { siteDir: string; base: string; site: string }) {
  const hash = createHash('sha256').update(JSON.stringify({ base, site }));
  const root = path.resolve(import.meta.dirname, '..', '..');
  const files: string[] = [];
  for (const e of await readdir(siteDir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && !/(^|[/\\])(\.astro|node_modules|dist)([/\\]|$)/.test(path.relative(siteDir, e.parentPath)))
      files.push(path.join(e.parentPath, e.name));
  for (const f of ['pages.ts', 'schema.ts', 'colour.ts']) files.push(path.join(import.meta.dirname, f));
  files.push(path.join(root, 'node_modules', 'astro', 'package.json'));
  for (const f of files.sort()) {
    hash.update(`\0${path.relative(root, f)}\0`);
    hash.update(await readFile(f));
  }
  return hash.digest('hex');
}

/** Folders of the catalogue's public files that hold a few files per object. */
const PER_OBJECT_FOLDERS = ['media', 'iiif'];

/** Hard-link (or copy, across file systems) every file of `from` into `to`, leaving out top-level `skip` folders. */
async function linkTree({ from, to, skip = [] }: { from: string; to: string; skip?: string[] }): Promise<void> {
  await rm(to, { recursive: true, force: true });
  const entries = await readdir(from, { withFileTypes: true, recursive: true }).catch((error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(from, path.join(e.parentPath, e.name)))
    .filter((f) => !skip.includes(f.split(path.sep)[0]!));
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

interface PagePlan {
  slug: string;
  key: string;
  render: boolean;
}

/**
 * Key every object page; write the props of those to render (not in the cache, or `reuse` off)
 * in chunk files and the plan Astro reads (VITRINE_OBJECT_PAGES).
 */
async function planObjectPages({
  file,
  cacheDir,
  planDir,
  chunkSize,
  reuse,
  fingerprint,
}: {
  file: string;
  cacheDir: string;
  planDir: string;
  chunkSize: number;
  reuse: boolean;
  fingerprint: string;
}): Promise<{ plan: string; pages: PagePlan[] }> {
  const catalogue = JSON.parse(await readFile(file, 'utf8')) as Catalogue;
  const globals = pageGlobals(catalogue);
  const props = objectPageProps(catalogue);
  const cached = new Set(reuse ? await readdir(cacheDir).catch(() => [] as string[]) : []);
  const pages = props.map((p) => {
    const key = pageKey({ props: p, globals, fingerprint });
    return { slug: p.object.slug, key, render: !cached.has(`${key}.html`) };
  });
  await rm(planDir, { recursive: true, force: true });
  const plan = await writeRenderPlan({
    pages: props.filter((_, i) => pages[i]!.render),
    dir: planDir,
    chunkSize: Math.max(1, chunkSize),
  });
  return { plan, pages };
}

/** A page's key: its props, the collection-wide values and the site's fingerprint. */
export function pageKey({
  props,
  globals,
  fingerprint,
}: {
  props: ObjectPageProps;
  globals: Record<string, unknown>;
  fingerprint: string;
}): string {
  return createHash('sha256')
    .update(fingerprint)
    .update('\0')
    .update(JSON.stringify(globals))
    .update('\0')
    .update(JSON.stringify(props))
    .digest('hex');
}

/** Write the pages' props into `dir` in chunks of `chunkSize`, and the plan naming them (`dir/plan.json`). */
async function writeRenderPlan({
  pages,
  dir,
  chunkSize,
}: {
  pages: ObjectPageProps[];
  dir: string;
  chunkSize: number;
}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const plan: RenderPlan = { chunks: [], pages: [] };
  for (let start = 0; start < pages.length; start += chunkSize) {
    const chunk = pages.slice(start, start + chunkSize);
    const file = path.join(dir, `chunk-${String(plan.chunks.length).padStart(5, '0')}.json`);
    await writeFileAtomic({ file, data: JSON.stringify(chunk) });
    chunk.forEach((p, index) => plan.pages.push({ slug: p.object.slug, chunk: plan.chunks.length, index }));
    plan.chunks.push(file);
  }
  const file = path.join(dir, 'plan.json');
  await writeFileAtomic({ file, data: JSON.stringify(plan) });
  return file;
}

/**
 * Keep the pages Astro rendered in the cache, put the kept ones in place (hard links: no copy, and
 * the cache never changes a published file), and drop cache entries this build no longer has.
 */
async function placeObjectPages({
  outDir,
  cacheDir,
  pages,
}: {
  outDir: string;
  cacheDir: string;
  pages: PagePlan[];
}): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const one = async (p: PagePlan) => {
    const page = path.join(outDir, 'objects', p.slug, 'index.html');
    const kept = path.join(cacheDir, `${p.key}.html`);
    if (p.render) {
      if (!(await stat(page).catch(() => null)))
        throw new VitrineError('SITE_BUILD_FAILED', `Astro did not write the page of object "${p.slug}" (${page})`, {
          slug: p.slug,
        });
      await linkOrCopy(page, kept);
    } else {
      await mkdir(path.dirname(page), { recursive: true });
      await linkOrCopy(kept, page);
    }
  };
  for (let i = 0; i < pages.length; i += 64) await Promise.all(pages.slice(i, i + 64).map(one));
  const keys = new Set(pages.map((p) => `${p.key}.html`));
  for (const f of await readdir(cacheDir)) if (!keys.has(f)) await rm(path.join(cacheDir, f), { force: true });
}

/** "/my-repo" → "/my-repo/"; "" → "/". */
export function normaliseBase(base: string): string {
  const trimmed = base.trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

/** Hold `<siteDir>/.astro/vitrine-build.lock` (created exclusively); a lock older than 30 minutes is stale. */
async function lockSiteSource({
  siteDir,
  log,
  wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
}: {
  siteDir: string;
  log: Logger;
  wait?: (ms: number) => Promise<void>;
}): Promise<() => Promise<void>> {
  const dir = path.join(siteDir, '.astro');
  const lock = path.join(dir, 'vitrine-build.lock');
  await mkdir(dir, { recursive: true });
  for (let told = false; ; ) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(lock).catch(() => null);
      if (info && Date.now() - info.mtimeMs > 30 * 60_000) {
        await rm(lock, { force: true });
        continue;
      }
      if (!told) log.info('Another catalogue build is using the site sources; waiting for it to finish.');
      told = true;
      await wait(500);
    }
  }
}

async function runAstro({
  siteDir,
  log,
  env,
}: {
  siteDir: string;
  log: Logger;
  env: Record<string, string | undefined>;
}): Promise<number> {
  const astro = pathToFileURL(
    path.resolve(import.meta.dirname, '..', '..', 'node_modules', 'astro', 'dist', 'core', 'index.js'),
  ).href;
  const script = [
    `const { build } = await import(${JSON.stringify(astro)});`,
    `await build({ root: ${JSON.stringify(siteDir)}, logLevel: 'warn' });`,
    `process.stdout.write('\\n@@VITRINE ' + JSON.stringify({ maxRSS: process.resourceUsage().maxRSS * 1024 }) + '\\n');`,
  ].join('\n');
  // A parent under Vite or vitest leaks its own mode and base URL into the environment; Astro must not see them.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(VITEST|VITE_|NODE_ENV$|BASE_URL$|MODE$|DEV$|PROD$|SSR$|TEST$)/.test(k),
    ),
  );
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: siteDir,
    env: {
      ...inherited,
      ...env,
      ASTRO_TELEMETRY_DISABLED: '1',
      NODE_OPTIONS: [process.env.NODE_OPTIONS, '--max-old-space-size=6144'].filter(Boolean).join(' '),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const marker = out.match(/@@VITRINE (.*)/);
  for (const line of out.replace(/@@VITRINE .*/, '').split('\n')) if (line.trim()) log.debug(`astro: ${line}`);
  if (code !== 0 || !marker) {
    const tail = `${err}\n${out}`.trim().split('\n').slice(-25).join('\n');
    throw new VitrineError(
      'SITE_BUILD_FAILED',
      `The catalogue site did not build (Astro exited with ${code}):\n${tail}`,
      { code },
    );
  }
  for (const line of err.split('\n')) if (line.trim()) log.debug(`astro: ${line}`);
  return (JSON.parse(marker[1]!) as { maxRSS: number }).maxRSS;
}

/** Index the built pages with Pagefind; object pages mark their searchable part and filters. */
export async function indexSite({ outDir }: { outDir: string }): Promise<number> {
  const pagefind = await import('pagefind');
  const check = (what: string, errors: string[]) => {
    if (errors.length > 0)
      throw new VitrineError('SITE_INDEX_FAILED', `Search index: ${what} failed: ${errors.join('; ')}`, { errors });
  };
  try {
    const { errors, index } = await pagefind.createIndex({
      rootSelector: 'html',
      excludeSelectors: ['[data-pagefind-ignore]'],
    });
    check('creating the index', errors);
    if (!index) throw new VitrineError('SITE_INDEX_FAILED', 'Search index: Pagefind returned no index');
    const added = await index.addDirectory({ path: outDir, glob: 'objects/*/index.html' });
    check('reading the object pages', added.errors);
    const written = await index.writeFiles({ outputPath: path.join(outDir, 'pagefind') });
    check('writing the index', written.errors);
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

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
