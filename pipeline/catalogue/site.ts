import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf, VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { catalogueFiles } from './data.ts';

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
}

/** The site's source folder (Astro project) in this repository. */
export function siteSourceDir(): string {
  return path.resolve(import.meta.dirname, '..', '..', 'site');
}

/**
 * Build the static site from `.vitrine/catalogue/` into `.vitrine/site/` (Astro, in a child
 * process so its memory is its own), then index the object pages with Pagefind's Node API.
 */
export async function buildSite({
  ws,
  params,
  log,
  siteDir = siteSourceDir(),
  env = {},
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  siteDir?: string;
  env?: Record<string, string | undefined>;
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
  const started = Date.now();
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
        VITRINE_PUBLIC: files.publicDir,
        VITRINE_OUT: outDir,
        VITRINE_CACHE: path.join(ws.catalogue, 'astro-cache'),
        VITRINE_BASE: base,
        VITRINE_SITE: params.catalogue.site,
      },
    });
  } finally {
    await release();
  }
  const astroMs = Date.now() - started;
  const t = Date.now();
  const pages = await indexSite({ outDir });
  const pagefindMs = Date.now() - t;
  const indexBytes = await folderBytes(path.join(outDir, 'pagefind'));
  log.info(
    `Catalogue site: ${pages} object pages indexed in ${path.relative(ws.root, outDir)} (Astro ${(astroMs / 1000).toFixed(1)} s, Pagefind ${(pagefindMs / 1000).toFixed(1)} s)`,
  );
  return { outDir, pages, astroMs, pagefindMs, astroPeakRss, indexBytes };
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
