import { existsSync, readFileSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { holdLock } from '../pipeline/lock.ts';
import { memoryLogger } from '../pipeline/log.ts';
import { tempLockFiles } from './fixtures/lock-file.ts';

/*
 * Tester T11: an empty run.lock dated in the future (a clock set back since, a copy from another machine) made
 * `vitrine run` wait for ever: its age by this clock never grew past zero. A lock time ahead of this clock says
 * nothing of its age; how long this process has seen it unchanged does. Short limits here stand for the minutes.
 */

const lockFile = tempLockFiles();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const aDayAhead = () => new Date(Date.now() + 24 * 3_600_000);

/** Hold `file`, giving up ('waited') after `ms` of real time; `seconds` says how long taking it took. */
function holdWithin(ms: number, options: Partial<Parameters<typeof holdLock>[0]> & { file: string }) {
  const log = memoryLogger();
  const started = performance.now();
  const state = { seconds: 0 };
  const wait = (pause: number) =>
    performance.now() - started > ms ? Promise.reject(new Error('waited')) : sleep(Math.min(pause, 100));
  const result = holdLock({ what: 'a run of stages', log, wait, ...options }).then(
    (release) => {
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

/** This machine's boot id (Linux), '' elsewhere. */
const boot = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
})();

describe('a lock dated ahead of this clock', () => {
  it('when empty, is taken over once this process has seen it stay empty for the limit, saying so', async () => {
    const file = await lockFile();
    await writeFile(file, '');
    await utimes(file, aDayAhead(), aDayAhead());
    const { result: holding, log, state } = holdWithin(4_000, { file, emptyStaleMs: 600 });
    const result = await holding;
    expect(typeof result).toBe('function');
    expect(state.seconds).toBeGreaterThan(0.55);
    const warning = log.lines.find((l) => l.level === 'warn')!.message;
    expect(warning).toContain('was left by a run of stages that stopped before it could name itself');
    await (result as () => Promise<void>)();
  });

  it('when empty and then named by a live process, is still waited for', async () => {
    const file = await lockFile();
    await writeFile(file, '');
    await utimes(file, aDayAhead(), aDayAhead());
    const waiting = holdWithin(1_500, { file, emptyStaleMs: 600 });
    await sleep(300);
    // This test process names itself, as the lock's holder: alive on this machine.
    await writeFile(file, `${process.pid}\n${os.hostname()}\n${new Date().toISOString()}\n`);
    await utimes(file, aDayAhead(), aDayAhead());
    expect(await waiting.result).toBe('waited');
  });

  it.skipIf(!boot)('from another container, is taken over once seen unrenewed for the limit', async () => {
    const file = await lockFile();
    // Another container of this machine: this boot id, another process namespace.
    await writeFile(file, `4242\nneighbour\n2026-01-01T00:00:00.000Z\n${boot}\npid:[1]\n`);
    await utimes(file, aDayAhead(), aDayAhead());
    const { result: holding, log, state } = holdWithin(4_000, { file, neighbourStaleMs: 600 });
    const result = await holding;
    expect(typeof result).toBe('function');
    expect(state.seconds).toBeGreaterThan(0.55);
    expect(log.lines.find((l) => l.level === 'warn')!.message).toContain('process 4242 in another container');
    await (result as () => Promise<void>)();
  });

  it.skipIf(!boot)('from another container, is waited for while its holder renews it', async () => {
    const file = await lockFile();
    await writeFile(file, `4242\nneighbour\n2026-01-01T00:00:00.000Z\n${boot}\npid:[1]\n`);
    let ahead = aDayAhead().getTime();
    await utimes(file, new Date(ahead), new Date(ahead));
    // Its holder renews it every 200 ms (each renewal a new time, still ahead of this clock).
    const renew = setInterval(() => {
      ahead += 1_000;
      utimes(file, new Date(ahead), new Date(ahead)).catch(() => {});
    }, 200);
    try {
      expect(await holdWithin(1_800, { file, neighbourStaleMs: 600 }).result).toBe('waited');
    } finally {
      clearInterval(renew);
    }
  });
});

/*
 * D40: a takeover guard (run.lock.takeover) left dated ahead of this clock (the clock was ahead, the waiter was
 * killed while taking a lock over) was never removed: every later run waited on it for ever. Here the files are
 * written now and the clock passed in is a day behind: the clock put right after the guard was left.
 */
describe('a takeover guard dated ahead of this clock', () => {
  const aDayBehind = { now: () => new Date(Date.now() - 24 * 3_600_000) };

  it('is removed once this process has seen it unchanged for the limit, and the stale lock is taken over', async () => {
    const file = await lockFile();
    await writeFile(file, '');
    await writeFile(`${file}.takeover`, `4242\n${os.hostname()}\n`);
    const { result: holding, state } = holdWithin(4_000, { file, emptyStaleMs: 300, clock: aDayBehind });
    const result = await holding;
    expect(typeof result).toBe('function');
    expect(state.seconds).toBeGreaterThan(0.25);
    expect(existsSync(`${file}.takeover`)).toBe(false);
    await (result as () => Promise<void>)();
  });
});
