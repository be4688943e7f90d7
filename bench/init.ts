/*
 * `vitrine init` on the whole Egyptian export (../shared/datasets/egyptian-antiquities, 1,827 objects),
 * then `git commit` and `vitrine run`, from an empty folder: the three commands the README gives a
 * museum, timed, with the figures a maintainer would ask for (import, first run, objects per second).
 * Target: a promoted model and a built catalogue, no file edited by hand; the run within 15 minutes on
 * this 2-core CPU machine (issue 13: training the Egyptian set on wasm under 15 minutes).
 * The test suite runs the same three commands on a third of the export (test/cli/init-e2e.test.ts);
 * this is the whole of it. The export is copied to a temp folder, never into the repository.
 * Run: npx node bench/init.ts (about 5 minutes when the machine is free).
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../pipeline/cli.ts';
import { memoryLogger } from '../pipeline/log.ts';

const egyptian = path.resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'egyptian-antiquities');

async function vitrine(args: string[], cwd: string): Promise<{ seconds: number; messages: string }> {
  const log = memoryLogger();
  const started = performance.now();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log, interactive: false });
  const messages = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
  if (code !== 0) throw new Error(`vitrine ${args.join(' ')} exited with ${code}:\n${messages}`);
  return { seconds: (performance.now() - started) / 1000, messages };
}

export async function run(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-init-'));
  try {
    const from = path.join(root, 'export');
    await cp(egyptian, from, { recursive: true });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const init = await vitrine(['init', '--from', path.join(from, 'metadata.csv'), '--images', from], museum);
    execFileSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@museum.example', 'commit', '-qm', 'Start'], {
      cwd: museum,
    });
    const first = await vitrine(['run'], museum);
    const promoted = /registered (v\d+\.\d+\.\d+)/.exec(first.messages)?.[1] ?? 'nothing';
    const catalogue = /ran {5}catalogue .*?(\d+) objects/.exec(first.messages)?.[1] ?? '0';
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: museum, encoding: 'utf8' });
    console.log(`init (import, first push): ${init.seconds.toFixed(1)} s`);
    console.log(
      `first run (dataset → catalogue): ${first.seconds.toFixed(1)} s, target < 900 s: ` +
        `${first.seconds < 900 ? 'met' : 'MISSED'}`,
    );
    console.log(`promoted: ${promoted}; catalogue: ${catalogue} object pages`);
    console.log(`files left to commit by hand: ${status.trim() === '' ? 'none' : status.trim().split('\n').length}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await run();
