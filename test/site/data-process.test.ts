import { execFileSync, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogueDataApart } from '../../pipeline/catalogue/data-process.ts';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { isVitrineError, VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { catalogueStage } from '../../pipeline/stages/catalogue.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * The catalogue data is built in a child process that exits (its memory returned before Astro and
 * Pagefind run): the same files as a build in this process, byte for byte; its log lines arrive
 * through the logger passed in; an error thrown there arrives here as the same VitrineError. And the
 * files a rebuild did not change are not written again: after one label change the other objects'
 * IIIF manifests keep their inode and time, and the result equals a clean build byte for byte. A data
 * child whose build is killed (SIGKILL) does not go on by itself.
 */

const shared = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'five-museums');
const clock = { now: () => new Date('2026-12-01T10:00:00Z') };
const dirs: string[] = [];
let objects: FixtureObject[];
let labels: string[];

async function fixture(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-process-'));
  dirs.push(dir);
  await writeFixture({ root: dir, objects, labels, embeddingSize: 16 });
  return dir;
}

function params() {
  const p = defaultParams();
  p.collection.repository = 'example-museum/collection';
  p.catalogue.base = '/collection/';
  return p;
}

/** Every file of the catalogue folder (the data file and public/), by path, with its bytes. */
async function catalogueFiles(dir: string): Promise<Map<string, Buffer>> {
  const root = path.join(dir, '.vitrine', 'catalogue');
  const out = new Map<string, Buffer>();
  for (const e of await readdir(root, { withFileTypes: true, recursive: true }))
    if (e.isFile()) {
      const file = path.join(e.parentPath, e.name);
      out.set(path.relative(root, file), await readFile(file));
    }
  return out;
}

function differing(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => !a.get(n) || !b.get(n) || !a.get(n)!.equals(b.get(n)!)).sort();
}

async function relabel(dir: string, id: string, label: string): Promise<void> {
  const file = path.join(dir, '.vitrine', 'dataset', 'dataset.json');
  const dataset = JSON.parse(await readFile(file, 'utf8')) as { objects: { id: string; label: string | null }[] };
  dataset.objects.find((o) => o.id === id)!.label = label;
  await writeFile(file, JSON.stringify(dataset));
  const csv = path.join(dir, 'labels.csv');
  await writeFile(csv, (await readFile(csv, 'utf8')).replace(new RegExp(`^${id},.*$`, 'm'), `${id},${label}`));
}

beforeAll(async () => {
  const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  const picked = rows.filter((_, i) => i % 9 === 0).slice(0, 10);
  labels = [...new Set(picked.map((r) => r.label!))].sort();
  objects = picked.map((r) => ({
    id: r.id!,
    title: r.title!,
    maker: r.artist || 'Unknown maker',
    date: r.date,
    department: r.museum,
    medium: r.medium,
    rights: r.license,
    label: r.label!,
    image: path.join(shared, r.file!),
  }));
}, 60_000);

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('catalogue data in a child process', () => {
  it('builds in another process the same files as a build in this one, its log lines passed on', async () => {
    const apart = await fixture();
    const log = memoryLogger();
    const summary = await buildCatalogueDataApart({ ws: workspace(apart), params: params(), log, clock });
    expect(summary.pid).not.toBe(process.pid);
    expect(summary.counts.objects).toBe(objects.length);
    expect(summary.models).toBeGreaterThan(0);
    expect(summary.peakRss).toBeGreaterThan(0);
    const info = log.lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(info).toContain(`Catalogue: linking thumbnails: ${objects.length * 4}/${objects.length * 4}`);
    expect(info.some((m) => m.startsWith(`Catalogue: ${objects.length} objects`))).toBe(true);

    const here = await fixture();
    await buildCatalogueData({ ws: workspace(here), params: params(), log: memoryLogger(), clock });
    const [a, b] = [await catalogueFiles(apart), await catalogueFiles(here)];
    expect(a.size).toBeGreaterThan(objects.length);
    expect(differing(a, b)).toEqual([]);
  }, 300_000);

  it('passes on an error thrown in the child as the same VitrineError', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-process-'));
    dirs.push(dir);
    const ws = workspace(dir);
    const error = await buildCatalogueDataApart({ ws, params: params(), log: memoryLogger(), clock }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VitrineError);
    expect(isVitrineError(error, 'CATALOGUE_NO_DATASET')).toBe(true);
    expect((error as VitrineError).message).toMatch(/dataset\.json is missing: run the dataset stage first/);
    expect((error as VitrineError).data).toEqual({ file: path.join(ws.dataset, 'dataset.json') });
  }, 60_000);

  it('passes on a schema error with the object it names and the path as data', async () => {
    const dir = await fixture();
    const ws = workspace(dir);
    const file = path.join(ws.dataset, 'dataset.json');
    const dataset = JSON.parse(await readFile(file, 'utf8')) as { objects: { id: string; width: number }[] };
    dataset.objects[3]!.width = -5;
    await writeFile(file, JSON.stringify(dataset));
    const error = await buildCatalogueDataApart({ ws, params: params(), log: memoryLogger(), clock }).catch(
      (e: unknown) => e,
    );
    expect(isVitrineError(error, 'CATALOGUE_INVALID')).toBe(true);
    expect((error as VitrineError).message).toContain(
      `at objects.3.width (object "${dataset.objects[3]!.id}"): Too small`,
    );
    expect((error as VitrineError).data).toEqual({ path: ['objects', 3, 'width'] });
  }, 300_000);

  it('the catalogue stage builds its data in a child process', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-process-'));
    dirs.push(dir);
    const log = memoryLogger();
    const run = catalogueStage.run({ ws: workspace(dir), params: params(), log, clock, env: {} });
    await expect(run).rejects.toMatchObject({ code: 'CATALOGUE_NO_DATASET' });
    const line = log.lines.find((l) => /^The catalogue data step: in a separate process \(pid \d+\)/.test(l.message));
    expect(line?.message).toBeDefined();
    expect(line!.message).not.toContain(`pid ${process.pid})`);
  }, 60_000);

  it('says so when the child stops without an answer (out of memory, killed)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-process-'));
    dirs.push(dir);
    const entry = path.join(dir, 'dies.mjs');
    await writeFile(
      entry,
      "process.stderr.write('FATAL ERROR: JavaScript heap out of memory\\n'); process.exit(134);\n",
    );
    const error = await buildCatalogueDataApart({
      ws: workspace(dir),
      params: params(),
      log: memoryLogger(),
      clock,
      entry,
    }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'CATALOGUE_DATA_FAILED')).toBe(true);
    expect((error as VitrineError).message).toMatch(
      /stopped before it finished \(exit code 134\):\nFATAL ERROR: JavaScript heap/,
    );
  }, 60_000);

  it('builds in this process when the child entry is not there (a bundled action)', async () => {
    const dir = await fixture();
    const log = memoryLogger();
    const entry = path.join(dir, 'no-such-entry.ts');
    const summary = await buildCatalogueDataApart({ ws: workspace(dir), params: params(), log, clock, entry });
    expect(summary.pid).toBe(process.pid);
    expect(log.lines.some((l) => l.message.includes(`built in this process (${entry} is not there`))).toBe(true);
  }, 300_000);

  it('a data child whose build is killed (SIGKILL) stops, even in the middle of its work', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-data-process-'));
    dirs.push(dir);
    const ws = workspace(dir);
    // dataset.json is a named pipe: the real data child blocks reading it for as long as the test holds it.
    const fifo = path.join(ws.dataset, 'dataset.json');
    await mkdir(ws.dataset, { recursive: true });
    execFileSync('mkfifo', [fifo]);
    const url = (f: string) =>
      JSON.stringify(pathToFileURL(path.resolve(import.meta.dirname, '../../pipeline', f)).href);
    const script = path.join(dir, 'build.mjs');
    await writeFile(
      script,
      `const { buildCatalogueDataApart } = await import(${url('catalogue/data-process.ts')});\n` +
        `const { silentLogger } = await import(${url('log.ts')});\n` +
        `const { defaultParams } = await import(${url('params.ts')});\n` +
        `const { workspace } = await import(${url('paths.ts')});\n` +
        `await buildCatalogueDataApart({ ws: workspace(${JSON.stringify(dir)}), params: defaultParams(), ` +
        `log: silentLogger });\n`,
    );
    const build = spawn(process.execPath, [script], { stdio: 'ignore' });
    const exited = new Promise((resolve) => build.on('exit', resolve));
    // Opening the pipe for writing returns once the child opens it to read: it is then at work.
    let timer: NodeJS.Timeout | undefined;
    const writer = await Promise.race([
      open(fifo, 'w'),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), 60_000);
      }),
    ]);
    clearTimeout(timer);
    if (!writer) {
      // Release the pending open (a reader of our own), then fail.
      await (await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK)).close();
      build.kill('SIGKILL');
    }
    expect(writer).not.toBeNull();
    const children: number[] = [];
    for (const task of await readdir(`/proc/${build.pid}/task`).catch(() => []))
      for (const c of (await readFile(`/proc/${build.pid}/task/${task}/children`, 'utf8').catch(() => '')).split(' '))
        if (c.trim() && (await readFile(`/proc/${c}/cmdline`, 'utf8').catch(() => '')).includes('data-child'))
          children.push(Number(c));
    expect(children).toHaveLength(1);
    const child = children[0]!;
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive(child)).toBe(true);
    build.kill('SIGKILL');
    await exited;
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      gone = !alive(child);
      if (!gone) await new Promise((r) => setTimeout(r, 100));
    }
    if (!gone) process.kill(child, 'SIGKILL');
    await writer!.close();
    expect(gone).toBe(true);
  }, 120_000);
});

describe('catalogue files not written again when unchanged', () => {
  it('rewrites only the changed manifests after one label change, and equals a clean build', async () => {
    const warm = await fixture();
    const ws = workspace(warm);
    const first = await buildCatalogueData({ ws, params: params(), log: memoryLogger(), clock });
    const manifest = (slug: string) => path.join(ws.catalogue, 'public', 'iiif', slug, 'manifest.json');
    const stamp = async (file: string) => {
      const st = await stat(file);
      return `${st.ino}:${st.mtimeMs}`;
    };
    const before = new Map<string, string>();
    for (const o of first.catalogue.objects) before.set(o.slug, await stamp(manifest(o.slug)));

    // Leftovers in the kept data/ folder: a removed version's card, a crashed write's temporary file.
    const stale = [
      path.join(ws.catalogue, 'public', 'data', 'cards', 'v0.0.1.md'),
      path.join(ws.catalogue, 'public', 'data', 'catalogue.csv.0123456789ab.tmp'),
    ];
    for (const f of stale) await writeFile(f, 'left over');
    const target = first.catalogue.objects[4]!;
    const to = labels.find((l) => l !== target.label)!;
    await relabel(warm, target.id, to);
    await buildCatalogueData({ ws, params: params(), log: memoryLogger(), clock });
    const changed: string[] = [];
    for (const [slug, was] of before) if ((await stamp(manifest(slug))) !== was) changed.push(slug);
    // The manifest lists the staff label: only the relabelled object's is written again.
    expect(changed).toEqual([target.slug]);
    for (const f of stale) expect(await stat(f).catch(() => null)).toBeNull();

    const cold = await fixture();
    await relabel(cold, target.id, to);
    await buildCatalogueData({ ws: workspace(cold), params: params(), log: memoryLogger(), clock });
    const [a, b] = [await catalogueFiles(warm), await catalogueFiles(cold)];
    expect(a.size).toBeGreaterThan(objects.length);
    expect(differing(a, b)).toEqual([]);
  }, 300_000);
});
