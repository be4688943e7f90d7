import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  type Fixture,
  makeRepo,
  readAnnotations,
  sh,
  standInPredict,
  steppingClock,
  writeDataset,
  writeMetrics,
  writeModel,
} from '../registry/helpers.ts';

/*
 * Promotion under kill -9 at each step: whatever moment the process dies (before, while or
 * after registering, assigning production or annotating), the next run converges: one version,
 * in production, annotations written, no lock left to wait on. Real processes, real git repository.
 */

const fixtures: Fixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await rm(f.parent, { recursive: true, force: true });
});

async function prepared(): Promise<Fixture> {
  const f = await makeRepo();
  fixtures.push(f);
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts: 'coin' });
  await writeMetrics({ ws: f.ws, params: f.params });
  return f;
}

const worker = path.join(import.meta.dirname, 'promote-worker.ts');

/**
 * Start a promotion process and kill -9 it as soon as `killWhen` holds (polled every millisecond
 * after it says "ready"), or let it finish when `killWhen` is null.
 */
function runWorker(root: string, killWhen: (() => boolean) | null): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, root], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let poll: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killWhen && !poll && out.includes('ready\n')) {
        poll = setInterval(() => {
          if (killWhen()) {
            child.kill('SIGKILL');
            clearInterval(poll);
          }
        }, 1);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve({ killed: true });
      else if (code === 0) resolve({ killed: false });
      else reject(new Error(`promotion worker failed (${code}): ${out}`));
    });
  });
}

async function lockFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
      else if (e.name.endsWith('.lock') || e.name.endsWith('.takeover'))
        found.push(path.relative(dir, path.join(d, e.name)));
    }
  };
  await walk(dir);
  return found;
}

describe('promotion killed at each step', () => {
  it('converges on the next run whatever moment the promotion died', async () => {
    const tag = (root: string, name: string) => existsSync(path.join(root, '.git', 'refs', 'tags', name));
    const points: { name: string; when: (f: Fixture) => () => boolean }[] = [
      { name: 'at once', when: () => () => true },
      { name: 'once model files reach the remote', when: (f) => () => existsSync(path.join(f.remoteDir, 'files')) },
      { name: 'while writing the version tag', when: (f) => () => tag(f.root, 'collection-classifier@v1.0.0.lock') },
      { name: 'right after registering', when: (f) => () => tag(f.root, 'collection-classifier@v1.0.0') },
      {
        name: 'holding the production lock',
        when: (f) => () => existsSync(path.join(f.root, '.git', 'vitrine-collection-classifier-prod.lock')),
      },
      { name: 'right after assigning production', when: (f) => () => tag(f.root, 'collection-classifier#prod#1') },
    ];
    const outcomes: string[] = [];
    for (const point of points) {
      const f = await prepared();
      const { killed } = await runWorker(f.root, point.when(f));
      const before = await readRegistry({ dir: f.root, name: 'collection-classifier' });
      outcomes.push(
        `${point.name}: ${killed ? 'killed' : 'finished first'}, ${before.versions.length} version(s), ` +
          `prod ${before.stages.prod ?? 'none'}`,
      );
      const log = memoryLogger();
      const again = await promote({
        ctx: { ws: f.ws, params: f.params, log, clock: steppingClock(Date.now()), env: {} },
        predict: standInPredict,
      });
      expect(again, point.name).toMatchObject({ version: 'v1.0.0', prod: 'v1.0.0', annotated: 12 });
      const after = await readRegistry({ dir: f.root, name: 'collection-classifier' });
      expect(after.versions.map((v) => v.version)).toEqual(['v1.0.0']);
      expect(after.stages).toEqual({ prod: 'v1.0.0' });
      expect(sh(f.root, 'tag', '-l', 'collection-classifier#prod#*').split('\n')).toHaveLength(1);
      expect((await readAnnotations(f.ws)).every((a) => a.modelVersion === 'v1.0.0')).toBe(true);
      expect(await lockFiles(path.join(f.root, '.git'))).toEqual([]);
      // git itself reads every tag the killed process may have been writing.
      sh(f.root, 'fsck', '--no-dangling');
      await expect(stat(path.join(f.ws.registry, 'versions.json'))).resolves.toBeTruthy();
    }
    console.log(outcomes.join('\n'));
    // The case of the issue happened: a version registered whose production was never assigned.
    expect(outcomes.some((o) => o.endsWith('1 version(s), prod none'))).toBe(true);
  });

  it('repairs a tag ref cut short while being written and the lock its killed writer left', async () => {
    const f = await prepared();
    await runWorker(f.root, null);
    // What a kill during the assignment's ref write leaves: an empty ref and the writer's lock.
    const ref = path.join(f.root, '.git', 'refs', 'tags', 'collection-classifier#prod#1');
    await writeFile(ref, '');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(
      `${ref}.lock`,
      JSON.stringify({ pid: dead, host: os.hostname(), startedAt: new Date().toISOString() }),
    );
    const log = memoryLogger();
    const again = await promote({
      ctx: { ws: f.ws, params: f.params, log, clock: steppingClock(Date.now()), env: {} },
      predict: standInPredict,
    });
    expect(again).toMatchObject({ version: 'v1.0.0', prod: 'v1.0.0' });
    expect(
      log.lines.some(
        (l) => l.level === 'warn' && /Removed the tag ref collection-classifier#prod#1, left empty/.test(l.message),
      ),
    ).toBe(true);
    expect(
      log.lines.some(
        (l) => l.level === 'warn' && /Took over the lock collection-classifier#prod#1\.lock/.test(l.message),
      ),
    ).toBe(true);
    expect(await lockFiles(path.join(f.root, '.git'))).toEqual([]);
    sh(f.root, 'fsck', '--no-dangling');
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.0.0' });
  });
});
