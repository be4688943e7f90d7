import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueData, buildSite, type SiteBuild } from '../../pipeline/catalogue/index.ts';
import { isVitrineError, type VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * A site build plans its object pages and updates the site in child processes that exit (their
 * memory returned before Astro and Pagefind run), and Astro checks the catalogue object by object
 * (no second copy of it): a bad object still stops the build, named by its path.
 */

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');
const clock = { now: () => new Date('2026-12-01T10:00:00Z') };
const dirs: string[] = [];
let objects: FixtureObject[];
let labels: string[];

function params() {
  const p = defaultParams();
  p.collection.repository = 'example-museum/collection';
  return p;
}

async function workspaceWithData(): Promise<ReturnType<typeof workspace>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-site-children-'));
  dirs.push(dir);
  await writeFixture({ root: dir, objects, labels, embeddingSize: 16 });
  const ws = workspace(dir);
  await buildCatalogueData({ ws, params: params(), log: memoryLogger(), clock });
  return ws;
}

/**
 * A workspace with its site built once, and what the build returned and said: the first test reads them, the second
 * starts from the built site (and changes it, last). Either test alone builds it.
 */
let builtOnce:
  | Promise<{ ws: ReturnType<typeof workspace>; built: SiteBuild; log: ReturnType<typeof memoryLogger> }>
  | undefined;
function builtWorkspace() {
  builtOnce ??= (async () => {
    const ws = await workspaceWithData();
    const log = memoryLogger();
    return { ws, built: await buildSite({ ws, params: params(), log }), log };
  })();
  return builtOnce;
}

beforeAll(async () => {
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 11 === 0).slice(0, 4);
  labels = [...new Set(picked.map((r) => r.label!))].sort();
  objects = picked.map((r) => ({
    id: r.id!,
    title: r.title!,
    label: r.label!,
    image: path.join(shared, r.file!),
  }));
}, 60_000);

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('site build in child processes', () => {
  it('plans the pages and updates the site in processes of their own', async () => {
    const { built, log } = await builtWorkspace();
    expect(built.pages).toBe(objects.length);
    expect(built.placePeakRss).toBeGreaterThan(0);
    for (const step of ['Planning the object pages', 'Placing the site']) {
      const line = log.lines.find((l) => l.message.startsWith(`${step}: in a separate process (pid `));
      expect(line?.message).toBeDefined();
      expect(line!.message).not.toContain(`(pid ${process.pid})`);
    }
  }, 300_000);

  it('stops on an object that does not match the catalogue schema, naming it, and leaves the site as it was', async () => {
    const { ws } = await builtWorkspace();
    const home = await readFile(path.join(ws.site, 'index.html'), 'utf8');
    const file = path.join(ws.catalogue, 'catalogue.json');
    const catalogue = JSON.parse(await readFile(file, 'utf8')) as { title: string; objects: { title: unknown }[] };
    catalogue.title = 'A title the site must not show';
    catalogue.objects[2]!.title = 5;
    await writeFile(file, JSON.stringify(catalogue));
    const error = await buildSite({ ws, params: params(), log: memoryLogger() }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'SITE_BUILD_FAILED')).toBe(true);
    expect((error as VitrineError).message).toMatch(/does not match the catalogue schema: objects\.2\.title: /);
    expect(await readFile(path.join(ws.site, 'index.html'), 'utf8')).toBe(home);
  }, 300_000);

  it('leaves no Astro process running when the build is killed (SIGKILL)', async () => {
    const ws = await workspaceWithData();
    const url = (f: string) =>
      JSON.stringify(pathToFileURL(path.resolve(import.meta.dirname, '../../pipeline', f)).href);
    const script = path.join(ws.root, 'build.mjs');
    await writeFile(
      script,
      `const { buildSite } = await import(${url('catalogue/site.ts')});\n` +
        `const { silentLogger } = await import(${url('log.ts')});\n` +
        `const { defaultParams } = await import(${url('params.ts')});\n` +
        `const { workspace } = await import(${url('paths.ts')});\n` +
        `await buildSite({ ws: workspace(${JSON.stringify(ws.root)}), params: defaultParams(), log: silentLogger });\n`,
    );
    const build = spawn(process.execPath, [script], { stdio: 'ignore' });
    const exited = new Promise((resolve) => build.on('exit', resolve));
    // The build's children, by their command lines (Linux /proc).
    const children = async (pid: number) => {
      const out: { pid: number; cmdline: string }[] = [];
      for (const task of await readdir(`/proc/${pid}/task`).catch(() => []))
        for (const c of (await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')).split(' '))
          if (c.trim())
            out.push({ pid: Number(c), cmdline: await readFile(`/proc/${c}/cmdline`, 'utf8').catch(() => '') });
      return out;
    };
    let astro = 0;
    for (let i = 0; i < 1200 && !astro; i++) {
      astro = (await children(build.pid!)).find((c) => c.cmdline.includes('astro'))?.pid ?? 0;
      if (!astro) await new Promise((r) => setTimeout(r, 100));
    }
    expect(astro).toBeGreaterThan(0);
    build.kill('SIGKILL');
    await exited;
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      gone = !alive(astro);
      if (!gone) await new Promise((r) => setTimeout(r, 100));
    }
    if (!gone) process.kill(astro, 'SIGKILL');
    expect(gone).toBe(true);
  }, 300_000);
});
