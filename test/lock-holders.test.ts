import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { holdLock } from '../pipeline/lock.ts';
import { memoryLogger } from '../pipeline/log.ts';
import { tempLockFiles } from './fixtures/lock-file.ts';

/*
 * Who holds a lock, and when it is taken over (pipeline/lock.ts). Found in use: a container whose hostname
 * changed between runs took its own dead lock for another machine's and waited 30 minutes; a lock from a
 * machine whose clock is ahead was never taken over, and one from a machine whose clock is behind was taken
 * over while its run was still renewing it. Holders here are real processes.
 */

const LOCK = pathToFileURL(path.resolve('pipeline/lock.ts')).href;
const NODE = process.execPath;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const lockFile = tempLockFiles();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A process holding `file` with pipeline/lock.ts (renewing it every `renewMs`), until killed. */
async function holder(file: string, { renewMs = 60_000, command = [] as string[] } = {}): Promise<ChildProcess> {
  const script =
    `const { holdLock } = await import(${JSON.stringify(LOCK)});` +
    `const log = { info() {}, warn() {}, error() {}, debug() {}, progress: () => ({ tick() {}, done() {} }) };` +
    `await holdLock({ file: ${JSON.stringify(file)}, what: 'a test', log, renewMs: ${renewMs} });` +
    `process.stdout.write('held\\n'); setInterval(() => {}, 1e6);`;
  const [program, ...args] = [...command, NODE, '--input-type=module', '-e', script];
  const child = spawn(program!, args, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    child.on('exit', (code) => reject(new Error(`the holder exited (${code})`)));
  });
  return child;
}

/** Kill the holder and everything it started (kill -9: it cannot remove its lock). */
async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}

/** Hold `file`, giving up (resolving 'waited') after `ms` of real time; `held` says whether it holds it yet. */
function holdWithin(ms: number, options: Partial<Parameters<typeof holdLock>[0]> & { file: string }) {
  const log = memoryLogger();
  const started = performance.now();
  const state = { held: false, seconds: 0 };
  const wait = (pause: number) =>
    performance.now() - started > ms ? Promise.reject(new Error('waited')) : sleep(pause);
  const result = holdLock({ what: 'a run of stages', log, wait, ...options }).then(
    (release) => {
      state.held = true;
      state.seconds = (performance.now() - started) / 1000;
      return release;
    },
    (error: Error) => {
      if (error.message !== 'waited') throw error;
      return 'waited' as const;
    },
  );
  return { result, log, state };
}

const canMakePidNamespace = spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;

describe('a lock whose holder is on this machine', () => {
  it('is taken over at once when its process is gone, though the machine was renamed since (a new container)', async () => {
    const file = await lockFile();
    const child = await holder(file);
    await killHard(child);
    // As a container started again under a new hostname sees it.
    const [pid, , ...rest] = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, [pid, 'container-of-yesterday', ...rest].join('\n'));
    const { result: holding, log } = holdWithin(5_000, { file });
    const result = await holding;
    expect(typeof result).toBe('function');
    expect(log.lines.find((l) => l.level === 'warn')!.message).toMatch(/left by a run of stages that is gone/);
    await (result as () => Promise<void>)();
  });

  it('is waited for while its process lives, though the machine was renamed since', async () => {
    const file = await lockFile();
    await holder(file);
    const [pid, , ...rest] = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, [pid, 'container-of-yesterday', ...rest].join('\n'));
    const old = new Date(Date.now() - 3 * 3_600_000);
    await utimes(file, old, old);
    expect(await holdWithin(1_500, { file }).result).toBe('waited');
  });

  it('is taken over at once when it dates from before the machine restarted (another boot id, same name)', async () => {
    const file = await lockFile();
    const child = await holder(file);
    await killHard(child);
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[3] = '00000000-0000-4000-8000-000000000000';
    // A live process of this boot may have the same id: the lock's holder is not it.
    lines[0] = String(process.pid);
    await writeFile(file, lines.join('\n'));
    const { result: holding, log } = holdWithin(5_000, { file });
    const result = await holding;
    expect(typeof result).toBe('function');
    expect(log.lines.find((l) => l.level === 'warn')!.message).toMatch(/before this machine restarted/);
    await (result as () => Promise<void>)();
  });

  it.skipIf(!canMakePidNamespace)(
    'in another container (another pid namespace) is taken over once unrenewed for 5 minutes, not 30',
    async () => {
      const file = await lockFile();
      const child = await holder(file, { command: ['unshare', '--pid', '--fork', '--kill-child'] });
      // Its process id is one of the other namespace's: this machine's process table cannot judge it.
      expect((await readFile(file, 'utf8')).split('\n')[0]).toBe('1');
      expect(await holdWithin(1_500, { file }).result).toBe('waited');
      await killHard(child);
      const then = new Date(Date.now() - 6 * 60_000);
      await utimes(file, then, then);
      const { result: holding, log } = holdWithin(5_000, { file });
      const result = await holding;
      expect(typeof result).toBe('function');
      expect(log.lines.find((l) => l.level === 'warn')!.message).toMatch(/has not renewed it for 6 minutes/);
      await (result as () => Promise<void>)();
    },
  );
});

describe('a lock from another machine, whose clock is not this one', () => {
  // Another machine's lock as its holder writes it: process, machine, start, boot id, pid namespace.
  const foreign = `4242\nanother-runner\n2026-01-01T00:00:00.000Z\n0f0f0f0f-another-boot\npid:[4026531836]\n`;

  it('that already looks old is taken over once a few renewals are seen missed, saying so', async () => {
    const file = await lockFile();
    await writeFile(file, foreign);
    const old = new Date(Date.now() - 31 * 60_000);
    await utimes(file, old, old);
    // Its holder renews every 300 ms here: three missed renewals tell, not 30 minutes.
    const { result: holding, log, state } = holdWithin(15_000, { file, renewMs: 300 });
    const result = await holding;
    expect(typeof result).toBe('function');
    expect(state.seconds).toBeGreaterThan(0.85);
    expect(state.seconds).toBeLessThan(5);
    const warning = log.lines.find((l) => l.level === 'warn')!.message;
    expect(warning).toContain('was left by a run of stages that has not renewed it while this one watched');
    expect(warning).toContain('process 4242 on the machine another-runner');
    await (result as () => Promise<void>)();
  });

  it('ahead of this one is still taken over once it goes unrenewed (watched from here)', async () => {
    const file = await lockFile();
    await writeFile(file, foreign);
    const ahead = new Date(Date.now() + 24 * 3_600_000);
    await utimes(file, ahead, ahead);
    const { result: holding, log, state } = holdWithin(15_000, { file, staleMs: 2_000 });
    const result = await holding;
    expect(typeof result).toBe('function');
    expect(state.seconds).toBeGreaterThan(1.9);
    expect(log.lines.find((l) => l.level === 'warn')!.message).toContain('another-runner');
    await (result as () => Promise<void>)();
  });

  it('behind this one is not taken over while its holder renews it, and is once it stops', async () => {
    const file = await lockFile();
    await writeFile(file, foreign);
    // The holder's renewals, two hours behind this machine's clock.
    const renewer = spawn(
      NODE,
      [
        '-e',
        `const fs = require('node:fs'); setInterval(() => { const t = new Date(Date.now() - 7_200_000); ` +
          `fs.utimesSync(${JSON.stringify(file)}, t, t); }, 100);`,
      ],
      { stdio: 'ignore', detached: true },
    );
    children.push(renewer);
    await sleep(300);
    const waiting = holdWithin(15_000, { file, staleMs: 2_000, renewMs: 500 });
    await sleep(4_000);
    expect(waiting.state.held).toBe(false);
    await killHard(renewer);
    const result = await waiting.result;
    expect(typeof result).toBe('function');
    // Taken over within a few renewal periods of its holder stopping, not 30 minutes.
    expect(waiting.state.seconds).toBeLessThan(9);
    await (result as () => Promise<void>)();
  });
});

describe('a waiter', () => {
  it('says who holds the lock, since when and the file to delete should that run be gone; then again', async () => {
    const file = await lockFile();
    const child = await holder(file);
    const log = memoryLogger();
    const release = holdLock({ file, what: 'a run of stages', log, remindMs: 1_000 });
    await sleep(2_600);
    const said = log.lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(said.length).toBeGreaterThanOrEqual(2);
    expect(said.length).toBeLessThanOrEqual(4);
    expect(said[0]).toContain(`process ${child.pid} on this machine`);
    expect(said[0]).toMatch(/since \d\d:\d\d:\d\d UTC/);
    expect(said[0]).toContain(file);
    expect(said[0]).toMatch(/delete/);
    expect(said.at(-1)).toMatch(/still waiting/i);
    await killHard(child);
    await (await release)();
  });
});

describe('a holder stopped by Ctrl-C while it releases the lock', () => {
  it('leaves no lock behind (its signal handler was removed before the lock file, so Ctrl-C killed it in between)', async () => {
    const file = await lockFile();
    const script =
      `const { holdLock } = await import(${JSON.stringify(LOCK)});` +
      `const log = { info() {}, warn() {}, error() {}, debug() {}, progress: () => ({ tick() {}, done() {} }) };` +
      `const release = await holdLock({ file: ${JSON.stringify(file)}, what: 'a test', log });` +
      `const released = release(); process.kill(process.pid, 'SIGINT'); await released;` +
      `setInterval(() => {}, 1e6);`;
    const child = spawn(NODE, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    const ended = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    expect(ended).toBe('SIGINT');
    await expect(readFile(file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
