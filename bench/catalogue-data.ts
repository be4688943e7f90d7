/*
 * The catalogue data step alone (`buildCatalogueData`, issue 16 item 2): its wall time, CPU time and
 * peak resident memory on a synthetic collection (bench/scale.ts's), built cold and then again
 * after one label change, with how many IIIF manifests the rebuild wrote again. Each build runs in
 * its own process, so its peak is its own. `npx node bench/catalogue-data.ts [objects]` (default
 * 20,000); not part of `npm run bench` (a few minutes on 2 shared cores).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildCatalogueData } from '../pipeline/catalogue/index.ts';
import { silentLogger } from '../pipeline/log.ts';
import { defaultParams } from '../pipeline/params.ts';
import { workspace } from '../pipeline/paths.ts';
import { relabelOne, writeSyntheticWorkspace } from './scale.ts';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Run {
  wallMs: number;
  cpuMs: number;
  maxRss: number;
}

/** The child's side: one data build, then its figures on stdout. */
async function buildOnce(root: string): Promise<void> {
  const params = defaultParams();
  params.collection.repository = 'example-museum/collection';
  const t = Date.now();
  await buildCatalogueData({ ws: workspace(root), params, log: silentLogger });
  const u = process.resourceUsage();
  const run: Run = {
    wallMs: Date.now() - t,
    cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
    maxRss: u.maxRSS * 1024,
  };
  process.stdout.write(`\n@@DATA ${JSON.stringify(run)}\n`);
}

async function measured(root: string): Promise<Run> {
  const child = spawn(process.execPath, [import.meta.filename, '--build', root], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const marker = out.match(/@@DATA (.*)/);
  if (code !== 0 || !marker) throw new Error(`the data build exited with ${code}\n${out.slice(-2000)}`);
  return JSON.parse(marker[1]!) as Run;
}

/** Inode and modification time of every manifest, by path. */
async function manifests(root: string): Promise<Map<string, string>> {
  const dir = path.join(root, '.vitrine', 'catalogue', 'public', 'iiif');
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.name === 'manifest.json') {
      const file = path.join(e.parentPath, e.name);
      const st = await stat(file);
      out.set(file, `${st.ino}:${st.mtimeMs}`);
    }
  return out;
}

export async function run(count = Number(process.argv[2] ?? 20_000)): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-catdata-'));
  try {
    const t = Date.now();
    await writeSyntheticWorkspace({ root, count });
    console.log(`synthetic collection: ${count.toLocaleString('en')} objects, ${s(Date.now() - t)}`);
    const show = (what: string, r: Run) =>
      console.log(
        `${what.padEnd(26)} ${s(r.wallMs).padStart(8)} wall, ${s(r.cpuMs).padStart(7)} CPU, peak ${mb(r.maxRss)}`,
      );
    show('cold build', await measured(root));
    const before = await manifests(root);
    console.log(`one label changed: ${await relabelOne(root)}`);
    show('rebuild after one label', await measured(root));
    const after = await manifests(root);
    const rewritten = [...after].filter(([f, key]) => before.get(f) !== key).length;
    console.log(`manifests written again by the rebuild: ${rewritten} of ${after.size}`);
    console.log(
      `load average ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const at = process.argv.indexOf('--build');
  if (at >= 0) await buildOnce(process.argv[at + 1]!);
  else await run();
}
