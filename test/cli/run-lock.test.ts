import { spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { holdRunLock } from '../../pipeline/cli/run-lock.ts';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs } from '../dataset/fixtures.ts';

/*
 * Two `vitrine run dataset --force` at once (two terminals, two jobs on one runner) wrote the same
 * outputs and lock.json together. The second waits for the first and says which run holds the lock;
 * a lock left by a killed run does not stop the next one.
 */

afterAll(removeTempDirs);

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: () => {}, log });
  return { code, lines: log.lines };
}

async function repo() {
  const ws = await makeCollection({
    objects: ['a1', 'a2', 'a3', 'a4'].map((id) => object(id)),
    labels: [
      { objectId: 'a1', label: 'coin' },
      { objectId: 'a2', label: 'mask' },
    ],
  });
  await writeFile(ws.params, 'collection:\n  vocabulary: [coin, mask]\n');
  return ws;
}

/** The id of a process that has exited. */
function deadPid(): number {
  const ran = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(ran.stdout);
}

describe('two runs of the same repository at once', () => {
  it('the second waits for the first, naming the process that holds the lock', async () => {
    const ws = await repo();
    const [first, second] = await Promise.all([
      vitrine(['run', 'dataset', '--force'], ws.root),
      vitrine(['run', 'dataset', '--force'], ws.root),
    ]);
    expect([first.code, second.code]).toEqual([0, 0]);
    const waited = [first, second].map((r) =>
      r.lines.filter((l) => l.level === 'info' && /^Another Vitrine run/.test(l.message)),
    );
    // Exactly one of them waited, and it named this process (both run in it) and the lock file.
    expect(waited.map((w) => w.length).sort()).toEqual([0, 1]);
    const line = waited.flat()[0]!.message;
    expect(line).toContain(`(process ${process.pid} on this machine, since `);
    expect(line).toContain('this one waits for it to finish');
    expect(line).toContain(path.join('.vitrine', 'run.lock'));
    expect(line).not.toMatch(/catalogue/);
    // Each ran the stage whole, one after the other: lock.json names it, and no lock is left behind.
    const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
    expect(lock.stages.dataset.summary).toMatch(/^4 objects/);
    expect(await stat(path.join(ws.work, 'run.lock')).catch(() => null)).toBeNull();
  });

  it('a lock left by a run that was killed is taken over at once, with a warning', async () => {
    const ws = await repo();
    await mkdir(ws.work, { recursive: true });
    await writeFile(path.join(ws.work, 'run.lock'), `${deadPid()}\n${os.hostname()}\n`);
    const started = Date.now();
    const result = await vitrine(['run', 'dataset'], ws.root);
    expect(result.code).toBe(0);
    expect(
      result.lines.some(
        (l) => l.level === 'warn' && /run\.lock was left by a Vitrine run that is gone/.test(l.message),
      ),
    ).toBe(true);
    expect(result.lines.some((l) => /^Another Vitrine run/.test(l.message))).toBe(false);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await stat(path.join(ws.work, 'run.lock')).catch(() => null)).toBeNull();
  });

  it('`vitrine monitor` brings the dataset up to date under the same lock', async () => {
    const ws = await repo();
    const release = await holdRunLock({ ws, log: memoryLogger() });
    let finished = false;
    const monitor = vitrine(['monitor'], ws.root).finally(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // It waits for the run holding the lock, and has not built the dataset meanwhile.
    expect(finished).toBe(false);
    expect(await stat(ws.lock).catch(() => null)).toBeNull();
    await release();
    const result = await monitor;
    expect(result.lines.some((l) => /^Another Vitrine run/.test(l.message))).toBe(true);
    const lock = JSON.parse(await readFile(ws.lock, 'utf8'));
    expect(lock.stages.dataset.summary).toMatch(/^4 objects/);
  });
});
