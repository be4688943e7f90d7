import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { placeSite, placeSiteApart } from '../../pipeline/catalogue/place.ts';
import { isVitrineError, VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Putting the build into the site happens in a child process that exits (its memory returned before
 * Pagefind runs): the same site as `placeSite` in this process; an error thrown there arrives here as
 * the same VitrineError; a child that stops with no answer is named; and a child whose build is
 * killed (SIGKILL) does not go on by itself.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function put(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
}

/** A build to place: Astro's output, the plan's pages (one rendered), kept pages, thumbnails; an old site. */
async function build(): Promise<Record<'dir' | 'site' | 'stage' | 'cache' | 'pub' | 'plan', string>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-place-child-'));
  dirs.push(dir);
  const [site, stage, cache, pub, plan] = ['site', 'astro-out', 'pages', 'public', 'render'].map((d) =>
    path.join(dir, d),
  ) as [string, string, string, string, string];
  await put(path.join(stage, 'index.html'), 'home');
  await put(path.join(stage, 'all', '2', 'index.html'), 'page 2');
  await put(path.join(stage, 'objects', 'bowl', 'index.html'), '<html>bowl</html>');
  await put(path.join(cache, 'k1.html'), '<html>vase</html>');
  await put(path.join(pub, 'media', 'vase.webp'), 'vase picture');
  await put(path.join(pub, 'iiif', 'vase', 'manifest.json'), '{}');
  await put(path.join(site, 'index.html'), 'old home');
  await put(path.join(site, 'all', '3', 'index.html'), 'page 3');
  await put(path.join(site, 'pagefind', 'pagefind.js'), 'index');
  const pages = [
    { slug: 'vase', key: 'k1', render: false },
    { slug: 'bowl', key: 'k2', render: true },
  ];
  await put(path.join(plan, 'pages.json'), JSON.stringify(pages));
  // The planner names every listing page too (none here).
  await put(path.join(plan, 'listings.json'), '[]');
  return { dir, site, stage, cache, pub, plan };
}

/** Every file under `dir`, by path, with its text. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const file = path.join(e.parentPath, e.name);
      out[path.relative(dir, file)] = await readFile(file, 'utf8');
    }
  return out;
}

const options = (b: Awaited<ReturnType<typeof build>>) => ({
  siteDir: b.site,
  stageDir: b.stage,
  cacheDir: b.cache,
  publicDir: b.pub,
  folders: ['media', 'iiif'],
  keep: ['pagefind'],
});

describe('placing the site in a child process', () => {
  it('places in another process the same files as placeSite in this one', async () => {
    const [apart, here] = [await build(), await build()];
    const result = await placeSiteApart({ ...options(apart), planDir: apart.plan, log: memoryLogger() });
    expect(result.pid).not.toBe(process.pid);
    expect(result.peakRss).toBeGreaterThan(0);
    const pages = JSON.parse(await readFile(path.join(here.plan, 'pages.json'), 'utf8'));
    const placed = await placeSite({ ...options(here), pages });
    expect(result.placed).toEqual(placed);
    expect(await tree(apart.site)).toEqual(await tree(here.site));
    expect(await tree(apart.site)).toEqual({
      'all/2/index.html': 'page 2',
      'iiif/vase/manifest.json': '{}',
      'index.html': 'home',
      'media/vase.webp': 'vase picture',
      'objects/bowl/index.html': '<html>bowl</html>',
      'objects/vase/index.html': '<html>vase</html>',
      'pagefind/pagefind.js': 'index',
    });
    // The thumbnails are the catalogue's files, linked.
    expect((await stat(path.join(apart.site, 'media', 'vase.webp'))).ino).toBe(
      (await stat(path.join(apart.pub, 'media', 'vase.webp'))).ino,
    );
  }, 60_000);

  it('passes on an error thrown in the child as the same VitrineError, naming what failed', async () => {
    const b = await build();
    await rm(path.join(b.stage, 'objects'), { recursive: true });
    const before = await tree(b.site);
    const error = await placeSiteApart({ ...options(b), planDir: b.plan, log: memoryLogger() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VitrineError);
    expect(isVitrineError(error, 'SITE_BUILD_FAILED')).toBe(true);
    expect((error as VitrineError).message).toMatch(/Astro did not write the page of object "bowl"/);
    expect((error as VitrineError).data).toEqual({ slug: 'bowl' });
    // Nothing was placed: the last site is as it was.
    expect(await tree(b.site)).toEqual(before);
  }, 60_000);

  it('says so when the child stops without an answer (out of memory, killed)', async () => {
    const b = await build();
    const entry = path.join(b.dir, 'dies.mjs');
    await writeFile(
      entry,
      "process.stderr.write('FATAL ERROR: JavaScript heap out of memory\\n'); process.exit(134);\n",
    );
    const error = await placeSiteApart({ ...options(b), planDir: b.plan, log: memoryLogger(), entry }).catch(
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'SITE_PLACE_FAILED')).toBe(true);
    expect((error as VitrineError).message).toMatch(
      /^Placing the site stopped before it finished \(exit code 134\):\nFATAL ERROR: JavaScript heap/,
    );
  }, 60_000);

  it('places in this process when the child entry is not there (a bundled action)', async () => {
    const b = await build();
    const log = memoryLogger();
    const entry = path.join(b.dir, 'no-such-entry.ts');
    const result = await placeSiteApart({ ...options(b), planDir: b.plan, log, entry });
    expect(result.pid).toBe(process.pid);
    expect((await tree(b.site))['objects/vase/index.html']).toBe('<html>vase</html>');
  }, 60_000);

  it('a child whose build is killed (SIGKILL) stops, even in the middle of synchronous work', async () => {
    const b = await build();
    const pidFile = path.join(b.dir, 'child.pid');
    // The child: guarded as place-child.ts is, then busy without ever yielding to its event loop.
    const entry = path.join(b.dir, 'busy.mjs');
    const guard = pathToFileURL(path.resolve(import.meta.dirname, '../../pipeline/catalogue/guard.ts')).href;
    await writeFile(
      entry,
      `import { writeFileSync } from 'node:fs';\n` +
        `const { buildPid, dieWithParent } = await import(${JSON.stringify(guard)});\n` +
        `dieWithParent({ parent: buildPid(), everyMs: 50 });\n` +
        `writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n` +
        `for (;;) {}\n`,
    );
    // The build: a process that starts the child and is then killed.
    const place = pathToFileURL(path.resolve(import.meta.dirname, '../../pipeline/catalogue/place.ts')).href;
    const logModule = pathToFileURL(path.resolve(import.meta.dirname, '../../pipeline/log.ts')).href;
    const parentFile = path.join(b.dir, 'build.mjs');
    await writeFile(
      parentFile,
      `const { placeSiteApart } = await import(${JSON.stringify(place)});\n` +
        `const { silentLogger } = await import(${JSON.stringify(logModule)});\n` +
        `await placeSiteApart({ ...${JSON.stringify(options(b))}, planDir: ${JSON.stringify(b.plan)}, ` +
        `log: silentLogger, entry: ${JSON.stringify(entry)} });\n`,
    );
    const parent = spawn(process.execPath, [parentFile], { stdio: 'ignore' });
    const exited = new Promise((resolve) => parent.on('exit', resolve));
    let childPid = 0;
    for (let i = 0; i < 300 && !childPid; i++) {
      childPid = Number(await readFile(pidFile, 'utf8').catch(() => '0'));
      if (!childPid) await new Promise((r) => setTimeout(r, 100));
    }
    expect(childPid).toBeGreaterThan(0);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await exited;
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      gone = !alive(childPid);
      if (!gone) await new Promise((r) => setTimeout(r, 100));
    }
    if (!gone) process.kill(childPid, 'SIGKILL');
    expect(gone).toBe(true);
  }, 60_000);
});
