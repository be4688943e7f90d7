import { spawnSync } from 'node:child_process';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { holdLock } from '../../pipeline/lock.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { tempLockFiles } from '../fixtures/lock-file.ts';

/*
 * The repository's lock files (a catalogue build, a run of stages). A review found a live run's lock taken
 * over once it was 30 minutes old (a first embedding of a large collection takes longer), and the new
 * holder's lock then deleted by the first run's release.
 */

const lockFile = tempLockFiles();

function deadPid(): number {
  const ran = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(ran.stdout);
}

const minutesAgo = async (file: string, minutes: number) => {
  const then = new Date(Date.now() - minutes * 60_000);
  await utimes(file, then, then);
};

/** Hold `file` with a `wait` that gives up after a few waits: 'waited' when it had to wait. */
async function tryHold(file: string, log = memoryLogger()) {
  let waits = 0;
  const result = await holdLock({
    file,
    what: 'a run of stages',
    log,
    wait: async () => {
      if (++waits > 2) throw new Error('waited');
    },
  }).catch((e: Error) => e.message);
  return { result, log };
}

describe('a lock file', () => {
  it('held by a live process on this machine is waited for, however old it is', async () => {
    const file = await lockFile();
    await writeFile(file, `${process.pid}\n${os.hostname()}\n`);
    await minutesAgo(file, 45);
    expect((await tryHold(file)).result).toBe('waited');
  });

  it('from another machine, renewed 10 minutes ago, is waited for', async () => {
    // Its takeover is timed on this machine's clock, watching renewals stop: test/lock-holders.test.ts.
    const file = await lockFile();
    await writeFile(file, `4242\nanother-runner\n`);
    await minutesAgo(file, 10);
    expect((await tryHold(file)).result).toBe('waited');
  });

  it('left by a process that is gone is taken over at once, naming the work it was', async () => {
    const file = await lockFile();
    await writeFile(file, `${deadPid()}\n${os.hostname()}\n`);
    const { result, log } = await tryHold(file);
    expect(typeof result).toBe('function');
    expect(log.lines.find((l) => l.level === 'warn')!.message).toMatch(/left by a run of stages that is gone/);
  });

  it('left empty (killed before it named its holder) is waited for a minute, then taken over', async () => {
    const file = await lockFile();
    await writeFile(file, '');
    expect((await tryHold(file)).result).toBe('waited');
    await minutesAgo(file, 2);
    expect(typeof (await tryHold(file)).result).toBe('function');
  });

  it('is renewed while held, and its release leaves alone a lock another holder has taken', async () => {
    const file = await lockFile();
    const release = await holdLock({ file, what: 'a run of stages', log: memoryLogger(), renewMs: 20 });
    await minutesAgo(file, 40);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(Date.now() - (await stat(file)).mtimeMs).toBeLessThan(60_000);
    // Taken over meanwhile (say, by hand): it is no longer renewed by this holder, and this holder's release
    // must not delete the new holder's lock.
    await writeFile(file, `4242\nanother-runner\n`);
    await minutesAgo(file, 40);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(Date.now() - (await stat(file)).mtimeMs).toBeGreaterThan(30 * 60_000);
    await release();
    expect(await readFile(file, 'utf8')).toBe('4242\nanother-runner\n');
  });

  it('left stale is taken over by one waiter at a time, never two holders at once', async () => {
    let overlapping = 0;
    const dead = deadPid();
    for (let trial = 0; trial < 30; trial++) {
      const file = await lockFile();
      await writeFile(file, `${dead}\n${os.hostname()}\n2020-01-01T00:00:00.000Z\n`);
      let holders = 0;
      let most = 0;
      const one = async () => {
        const release = await holdLock({
          file,
          what: 'a run of stages',
          log: memoryLogger(),
          wait: () => new Promise((resolve) => setTimeout(resolve, 5)),
        });
        most = Math.max(most, ++holders);
        await new Promise((resolve) => setTimeout(resolve, 20));
        holders--;
        await release();
      };
      await Promise.all([one(), one(), one()]);
      if (most > 1) overlapping++;
    }
    expect(overlapping).toBe(0);
  });
});
