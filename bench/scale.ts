/*
 * Issue 16 at the sizes it names: `npm run bench -- scale` (opt-in: plain `npm run bench` does not
 * run it, as the 100,000-object catalogue alone takes 10-30 minutes on 2 shared cores).
 *
 * Prints each figure next to its target; a missed target is printed as missed, with what stands in
 * the way. Catalogue (item 2): a synthetic collection (a dozen real photographs reused, every object
 * with its own 6 thumbnail files as in a real dataset) built in full, then rebuilt after one label
 * change; the time and peak memory (resident, the whole process tree: the pipeline, Astro, Pagefind)
 * of each part, and the size of the site against GitHub Pages' 1 GB. Then the other items: each of
 * bench/{shard,data,pipeline}.ts's exported `scale()` when it has one.
 * Size: VITRINE_BENCH_SCALE_OBJECTS (default 100,000). Run alone: `npx node bench/scale.ts`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import sharp from 'sharp';
import { buildCatalogueDataApart } from '../pipeline/catalogue/data-process.ts';
import { buildSite } from '../pipeline/catalogue/index.ts';
import { readPartsManifest, SEARCH_INDEX } from '../pipeline/catalogue/search-index.ts';
import { silentLogger } from '../pipeline/log.ts';
import { defaultParams } from '../pipeline/params.ts';
import { workspace } from '../pipeline/paths.ts';
import { type FixtureObject, writeFixture } from '../test/site/fixture.ts';
import { LABELS, syntheticObjects } from './site.ts';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * A deterministic synthetic collection of `count` objects (about 8% where the model disagrees), its
 * pictures a dozen small synthetic images written to `dir` (small files keep a 100,000-object site
 * on disk; the size of real thumbnails is estimated from the shared photographs instead).
 */
export async function syntheticCollection({ count, dir }: { count: number; dir: string }): Promise<FixtureObject[]> {
  await mkdir(dir, { recursive: true });
  const images: string[] = [];
  for (let k = 0; k < 12; k++) {
    const file = path.join(dir, `source-${k}.png`);
    const channel = (n: number) => (n * 97 + k * 53) % 256;
    const pixels = Buffer.from(Array.from({ length: 12 * 9 * 3 }, (_, i) => channel(i + k * 7)));
    await sharp(pixels, { raw: { width: 12, height: 9, channels: 3 } })
      .png()
      .toFile(file);
    images.push(file);
  }
  return syntheticObjects({ count, images });
}

/**
 * Resident memory of a process and all its descendants, bytes, and the CPU time they used, ms
 * (their own and that of the children they waited for: Linux /proc, 100 ticks a second; 0 elsewhere).
 * `byRole`: the resident memory summed by what each process is (see `roleOf`).
 */
async function treeUsage(pid: number): Promise<{ rss: number; cpuMs: number; byRole: Record<string, number> }> {
  let rss = 0;
  let cpuMs = 0;
  const byRole: Record<string, number> = {};
  const pending = [pid];
  while (pending.length > 0) {
    const p = pending.pop()!;
    const statm = await readFile(`/proc/${p}/statm`, 'utf8').catch(() => '');
    const own = Number(statm.split(' ')[1] ?? 0) * 4096;
    rss += own;
    const role = p === pid ? 'build' : roleOf(await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => ''));
    byRole[role] = (byRole[role] ?? 0) + own;
    const stat = await readFile(`/proc/${p}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuMs += [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i] ?? 0), 0) * 10;
    for (const task of await readdir(`/proc/${p}/task`).catch(() => [])) {
      const children = await readFile(`/proc/${p}/task/${task}/children`, 'utf8').catch(() => '');
      for (const c of children.split(' ')) if (c.trim()) pending.push(Number(c));
    }
  }
  return { rss, cpuMs, byRole };
}

/** What a process of the build is, from its command line. */
function roleOf(cmdline: string): string {
  if (/pagefind/i.test(cmdline)) return 'pagefind';
  if (/data-child/.test(cmdline)) return 'data';
  if (/place-child/.test(cmdline)) return 'place';
  if (/plan-child|planObjectPages/.test(cmdline) && !/astro/.test(cmdline)) return 'plan';
  if (/astro/.test(cmdline)) return 'astro';
  return 'other';
}

interface Phase {
  name: string;
  start: number;
  end: number;
  /** Exact CPU time of the build's processes in the step, ms (null off Linux: sampled instead). */
  cpuMs: number | null;
}

/**
 * CPU time of this process and every child it has waited for (theirs included), ms; null off Linux.
 * Exact where the 250 ms samples of the tree are not: on a loaded machine a sample comes late, and a
 * step's CPU lands in the next one's (a rebuild once showed its data step at 86.7 s wall, 0.1 s CPU).
 */
function ownTreeCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i] ?? 0), 0) * 10;
  } catch {
    return null;
  }
}

/** Exact CPU of a build (ownTreeCpuMs in its process): the data step, the site, ms; null where unknown. */
interface ExactCpu {
  data: number;
  site: number;
}

/** One build in a child process (so its memory is measured alone): phases with wall times and peak tree RSS. */
async function measuredBuild({ root, label }: { root: string; label: string }): Promise<{
  phases: (Phase & { peak: number; cpuMs: number; peaks: Record<string, number> })[];
  report: Record<string, unknown>;
  cpu: ExactCpu | null;
}> {
  const child = spawn(process.execPath, [import.meta.filename, '--build', root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const samples: { t: number; rss: number; cpuMs: number; byRole: Record<string, number> }[] = [];
  const timer = setInterval(async () => {
    if (child.pid) samples.push({ t: Date.now(), ...(await treeUsage(child.pid)) });
  }, 250);
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  const marker = out.match(/@@SCALE (.*)/);
  if (code !== 0 || !marker) throw new Error(`${label}: the build exited with ${code}\n${out.slice(-2000)}`);
  const { phases, report, cpu } = JSON.parse(marker[1]!) as {
    phases: Phase[];
    report: Record<string, unknown>;
    cpu: ExactCpu | null;
  };
  // Where the build gave no exact CPU (off Linux): the tree's sampled total at the phase's end less that at its start.
  const cpuAt = (t: number) => samples.filter((x) => x.t <= t).at(-1)?.cpuMs ?? 0;
  return {
    phases: phases.map((p) => {
      const during = samples.filter((x) => x.t >= p.start - 250 && x.t <= p.end + 250);
      // Each process kind's own peak in the phase (they need not peak at the same moment).
      const peaks: Record<string, number> = {};
      for (const x of during) for (const [k, v] of Object.entries(x.byRole)) peaks[k] = Math.max(peaks[k] ?? 0, v);
      return {
        ...p,
        peak: Math.max(0, ...during.map((x) => x.rss)),
        peaks,
        cpuMs: p.cpuMs ?? Math.max(0, cpuAt(p.end) - cpuAt(p.start)),
      };
    }),
    report,
    cpu,
  };
}

/** The child's side: build the catalogue data and the site, printing phase boundaries. */
async function buildInChild(root: string): Promise<void> {
  const ws = workspace(root);
  const params = defaultParams();
  params.collection.repository = 'example-museum/collection';
  // Each step's end as it happens, with the CPU time of this process and every child it has waited
  // for: exact, as each step's child has exited when it ends (samples of the tree under load come late,
  // and a step's CPU landed in the next one's: a rebuild once showed its data step at 86.7 s wall, 0.1 s CPU).
  const marks: { at: number; cpu: number | null }[] = [];
  const mark = () => marks.push({ at: Date.now(), cpu: ownTreeCpuMs() });
  mark();
  // As the catalogue stage builds it: in a child process that exits before the site builds.
  await buildCatalogueDataApart({ ws, params, log: silentLogger });
  mark();
  // Progress on stderr (shown as it happens): at 100,000 objects on a loaded machine a build takes long.
  process.stderr.write(`  (catalogue data done in ${s(marks[1]!.at - marks[0]!.at)}; building the site)\n`);
  // Planning the object pages (keys, chunk files), Astro, then updating the site in place (kept pages,
  // per-object files, Astro's output; deleting what the build no longer has) and Pagefind side by side.
  const site = await buildSite({ ws, params, log: silentLogger, onStep: mark });
  mark();
  const names = ['catalogue data', 'plan pages', 'astro', 'site ‖ pagefind'];
  if (marks.length !== names.length + 1)
    throw new Error(`the build marked ${marks.length - 1} steps, not ${names.length}`);
  const phases: Phase[] = names.map((name, i) => {
    const [from, to] = [marks[i]!, marks[i + 1]!];
    return { name, start: from.at, end: to.at, cpuMs: from.cpu === null || to.cpu === null ? null : to.cpu - from.cpu };
  });
  const [first, data, last] = [marks[0]!.cpu, marks[1]!.cpu, marks.at(-1)!.cpu];
  const cpu = first === null || data === null || last === null ? null : { data: data - first, site: last - data };
  const { outDir: _o, ...report } = site;
  process.stdout.write(`\n@@SCALE ${JSON.stringify({ phases, report, cpu })}\n`);
}

async function folderSize(dir: string, skip: (rel: string) => boolean = () => false) {
  let bytes = 0;
  let files = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    if (skip(path.relative(dir, file))) continue;
    files++;
    bytes += (await stat(file)).size;
  }
  return { bytes, files };
}

/** Bytes of one object's thumbnails (3 widths, webp and jpeg) made from real photographs: the mean over a dozen. */
async function realThumbnailBytes(): Promise<number> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-thumbs-'));
  try {
    const shared = path.resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'five-museums');
    const rows = parse(await readFile(path.join(shared, 'metadata.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const picked = rows.filter((_, i) => i % 10 === 0).slice(0, 12);
    await writeFixture({
      root,
      objects: picked.map((r, i) => ({ id: `T-${i}`, title: 't', label: 'coin', image: path.join(shared, r.file!) })),
      labels: LABELS,
      widths: [240, 480, 960],
    });
    const { bytes } = await folderSize(path.join(root, '.vitrine', 'dataset', 'thumbnails'));
    return bytes / picked.length;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** A workspace at `root` whose dataset and annotations hold `count` synthetic objects, six thumbnails each. */
export async function writeSyntheticWorkspace({ root, count }: { root: string; count: number }): Promise<void> {
  await writeFixture({
    root,
    objects: await syntheticCollection({ count, dir: path.join(root, 'sources') }),
    labels: LABELS,
    widths: [240, 480, 960],
    uniqueThumbnails: true,
  });
}

/** Relabel one object in labels.csv and dataset.json, as a merged label pull request would. */
export async function relabelOne(root: string): Promise<string> {
  const file = path.join(root, '.vitrine', 'dataset', 'dataset.json');
  const dataset = JSON.parse(await readFile(file, 'utf8')) as { objects: { id: string; label: string | null }[] };
  const o = dataset.objects[Math.floor(dataset.objects.length / 2)]!;
  const to = LABELS.find((l) => l !== o.label)!;
  o.label = to;
  await writeFile(file, JSON.stringify(dataset));
  const csv = await readFile(path.join(root, 'labels.csv'), 'utf8');
  await writeFile(path.join(root, 'labels.csv'), csv.replace(new RegExp(`^${o.id},.*$`, 'm'), `${o.id},${to}`));
  return `${o.id} → ${to}`;
}

/** One line per figure: what was measured, the target, and met or missed (with what stands in the way). */
function verdict(what: string, measured: string, target: string, met: boolean, why = ''): void {
  console.log(
    `  ${what.padEnd(40)} ${measured.padStart(12)}   target ${target.padEnd(10)} ${met ? 'met' : `MISSED: ${why}`}`,
  );
}

type Measured = Awaited<ReturnType<typeof measuredBuild>>;

function slowest(r: Measured): string {
  const p = [...r.phases].sort((a, b) => b.end - b.start - (a.end - a.start))[0]!;
  return `${p.name} takes ${s(p.end - p.start)}`;
}

function slowestCpu(r: Measured): string {
  const p = [...r.phases].sort((a, b) => b.cpuMs - a.cpuMs)[0]!;
  return `${p.name} uses ${s(p.cpuMs)} of CPU`;
}

function heaviest(r: Measured): string {
  const p = [...r.phases].sort((a, b) => b.peak - a.peak)[0]!;
  return `the build's processes together peak at ${mb(p.peak)} during ${p.name} (Astro alone: astroPeakRss)`;
}

/** Issue 16 item 2 at `count` objects: full build, one-label rebuild, site size, search page weight. */
export async function catalogueFigures(count: number): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-scale-'));
  try {
    const t = Date.now();
    await writeSyntheticWorkspace({ root, count });
    console.log(
      `synthetic collection: ${count.toLocaleString('en')} objects, ${count * 6} thumbnail files, ${s(Date.now() - t)}`,
    );
    const show = (what: string, r: Measured) => {
      console.log(`${what}: ${JSON.stringify(r.report)}`);
      for (const p of r.phases)
        console.log(
          `  ${p.name.padEnd(18)} ${s(p.end - p.start).padStart(9)} wall,`,
          `${s(p.cpuMs).padStart(8)} CPU  peak ${mb(p.peak)}`,
          `(${Object.entries(p.peaks)
            .filter(([, v]) => v > 0)
            .map(([k, v]) => `${k} ${mb(v)}`)
            .join(', ')})`,
        );
      // The two steps that run side by side, each alone (the second ends once its index is in the site).
      const { placeMs, pagefindMs } = r.report as { placeMs?: number; pagefindMs?: number };
      if (placeMs !== undefined && pagefindMs !== undefined)
        console.log(`    of which, side by side: updating the site ${s(placeMs)}, Pagefind ${s(pagefindMs)} wall`);
      const total = r.phases.at(-1)!.end - r.phases[0]!.start;
      // The exact figure when there is one (each phase's CPU above is then exact too, read as the step ended).
      const cpu = r.cpu ? r.cpu.data + r.cpu.site : r.phases.reduce((n, p) => n + p.cpuMs, 0);
      const exact = r.cpu ? ` (exactly: catalogue data ${s(r.cpu.data)}, the site ${s(r.cpu.site)})` : '';
      console.log(`  total ${s(total)} wall, ${s(cpu)} CPU${exact} (load average ${os.loadavg()[0]!.toFixed(1)})`);
      return { total, cpu, peak: Math.max(...r.phases.map((p) => p.peak)) };
    };
    const fullRun = await measuredBuild({ root, label: 'full build' });
    const full = show(`full build of ${count.toLocaleString('en')} objects`, fullRun);
    const siteDir = path.join(root, '.vitrine', 'site');
    const all = await folderSize(siteDir);
    const pages = await folderSize(siteDir, (f) => f.startsWith(`media${path.sep}`));
    const thumbs = await realThumbnailBytes();
    const withReal = pages.bytes + thumbs * count;
    console.log(
      `site: ${all.files.toLocaleString('en')} files, ${mb(all.bytes)} with the synthetic thumbnails;`,
      `${mb(pages.bytes)} without media/; with thumbnails the size of real photographs'`,
      `(${(thumbs / 1024).toFixed(0)} kB an object at 240/480/960 px, webp + jpeg): ${mb(withReal)}`,
    );
    const parts = async () => (await readPartsManifest(path.join(siteDir, SEARCH_INDEX)))?.parts ?? [];
    const before = await parts();
    console.log(
      `search index: ${before.length} part(s) of about`,
      `${defaultParams().catalogue.search_part_pages.toLocaleString('en')} pages`,
    );
    console.log(`one label changed: ${await relabelOne(root)}`);
    const againRun = await measuredBuild({ root, label: 'rebuild' });
    const again = show('rebuild after one label', againRun);
    const after = await parts();
    const redone = after.filter((p) => !before.some((b) => b.key === p.key)).length;
    console.log(`  search index parts indexed again: ${redone} of ${after.length}`);

    let search = 'not measured: bench/site.ts has no measureSearch()';
    const site = (await import('./site.ts')) as Record<string, unknown>;
    if (typeof site.measureSearch === 'function') {
      const { serveSite } = await import('../test/site/server.ts');
      const server = await serveSite({ dir: siteDir });
      try {
        const w = (await site.measureSearch({ url: server.url })) as {
          requests: number;
          gzipBytes: number;
          firstResultMs: number;
        };
        const kB = (w.gzipBytes / 1024).toFixed(0);
        const met = w.requests <= 15 && w.gzipBytes <= 150 * 1024 ? 'met' : 'MISSED';
        search =
          `${w.requests} requests, ${kB} kB gzip (targets ≤ 15, ≤ 150 kB: ${met}), ` +
          `first result ${w.firstResultMs.toFixed(0)} ms`;
        if (typeof site.printSearch === 'function') site.printSearch(w);
      } finally {
        await server.close();
      }
    }

    console.log(
      `\nIssue 16 item 2, catalogue at ${count.toLocaleString('en')} objects (2 shared cores; see the load average):`,
    );
    verdict('full build', s(full.total), '≤ 600 s', full.total <= 600_000, slowest(fullRun));
    verdict(
      '  its CPU time (2 cores × the target)',
      s(full.cpu),
      '≤ 1200 s',
      full.cpu <= 1_200_000,
      slowestCpu(fullRun),
    );
    const peakMet = full.peak <= 2 * 1024 ** 3;
    verdict('peak memory of the full build', mb(full.peak), '≤ 2048 MB', peakMet, heaviest(fullRun));
    verdict('rebuild after one label change', s(again.total), '≤ 120 s', again.total <= 120_000, slowest(againRun));
    verdict(
      '  its CPU time (2 cores × the target)',
      s(again.cpu),
      '≤ 240 s',
      again.cpu <= 240_000,
      slowestCpu(againRun),
    );
    verdict(
      'site size (real-sized thumbnails)',
      mb(withReal),
      '≤ 1024 MB',
      withReal <= 1024 ** 3,
      'GitHub Pages caps a site at 1 GB: publish to a bucket (docs/scale.md)',
    );
    console.log(`  search page at this size: ${search}`);
    console.log(
      `  load average at the end: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  await catalogueFigures(Number(process.env.VITRINE_BENCH_SCALE_OBJECTS ?? 100_000));
  // The other items of issue 16, each measured by its own benchmark's scale().
  for (const name of ['shard', 'data', 'pipeline']) {
    console.log(`\n--- bench/${name}.ts scale() ---`);
    const module = (await import(`./${name}.ts`).catch(() => null)) as { scale?: () => Promise<void> } | null;
    if (typeof module?.scale !== 'function') {
      console.log(`not measured: bench/${name}.ts has no scale()`);
      continue;
    }
    await module.scale();
  }
}

if (import.meta.main) {
  const at = process.argv.indexOf('--build');
  if (at >= 0) await buildInChild(process.argv[at + 1]!);
  else await run();
}
