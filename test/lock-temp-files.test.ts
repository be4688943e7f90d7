import { readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdLock } from '../pipeline/lock.ts';
import { memoryLogger } from '../pipeline/log.ts';
import { tempLockFiles } from './fixtures/lock-file.ts';
import { holdLockInChild } from './fixtures/lock-holder.ts';

/*
 * Reviewer: a lock is written whole to `<lock>.<pid>.<random>.tmp` first, then linked into place (pipeline/lock.ts).
 * A process killed between the write and the link left that temp file beside the lock for ever, one more each
 * time. The next process to take the lock now removes the ones surely left behind: their process has ended on
 * this machine, or they are older than a few minutes (a temp file lives for a moment). The holders here are real
 * processes, killed with kill -9 as a run killed in that moment would be.
 */

const lockFile = tempLockFiles();

/** The holder's line as a process killed between the write and the link left it: a temp file, and no lock. */
async function leftByKilledProcess(file: string): Promise<string> {
  const child = await holdLockInChild({ file, what: 'a test' });
  const content = await readFile(file, 'utf8');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  await rm(file);
  const temp = `${file}.${child.pid}.0123456789ab.tmp`;
  await writeFile(temp, content);
  return temp;
}

async function holdAndRelease(file: string) {
  const log = memoryLogger();
  const release = await holdLock({ file, what: 'a test', log });
  await release();
  return log;
}

const names = async (file: string) => (await readdir(path.dirname(file))).sort();

describe("a lock's temp files left behind", () => {
  it('are removed by the next process that takes the lock when their process has ended', async () => {
    const file = await lockFile();
    const temp = await leftByKilledProcess(file);
    // The takeover guard is made the same way: its temp file too.
    const guard = await leftByKilledProcess(`${file}.takeover`);
    expect(await names(file)).toEqual([path.basename(temp), path.basename(guard)].sort());
    await holdAndRelease(file);
    expect(await names(file)).toEqual([]);
  });

  it('are kept while fresh and their process lives (it is linking one right now); removed once minutes old', async () => {
    const file = await lockFile();
    const live = await holdLockInChild({ file: `${file}.other`, what: 'a test' });
    const content = await readFile(`${file}.other`, 'utf8');
    const temp = `${file}.${live.pid}.0123456789ab.tmp`;
    await writeFile(temp, content);
    await holdAndRelease(file);
    expect(await names(file)).toContain(path.basename(temp));
    const then = new Date(Date.now() - 10 * 60_000);
    await utimes(temp, then, then);
    await holdAndRelease(file);
    expect(await names(file)).not.toContain(path.basename(temp));
  });

  it('from another machine are removed only after 30 minutes; empty ones after a minute', async () => {
    const file = await lockFile();
    const foreign = `4242\nanother-runner\n2026-01-01T00:00:00.000Z\n0f0f0f0f-another-boot\npid:[4026531836]\n`;
    const theirs = `${file}.4242.0123456789ab.tmp`;
    const empty = `${file}.4243.0123456789ab.tmp`;
    await writeFile(theirs, foreign);
    await writeFile(empty, '');
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    await utimes(theirs, minutesAgo(10), minutesAgo(10));
    await holdAndRelease(file);
    expect(await names(file)).toEqual([path.basename(theirs), path.basename(empty)].sort());
    await utimes(theirs, minutesAgo(31), minutesAgo(31));
    await utimes(empty, minutesAgo(2), minutesAgo(2));
    await holdAndRelease(file);
    expect(await names(file)).toEqual([]);
  });

  it('leave files that are not its temp files alone', async () => {
    const file = await lockFile();
    const others = [`${path.basename(file)}.notes.tmp`, 'images.lock.4242.0123456789ab.tmp', 'run.lock.backup'];
    const old = new Date(Date.now() - 60 * 60_000);
    for (const name of others) {
      await writeFile(path.join(path.dirname(file), name), '');
      await utimes(path.join(path.dirname(file), name), old, old);
    }
    await holdAndRelease(file);
    expect(await names(file)).toEqual([...others].sort());
    expect(os.hostname()).not.toBe('another-runner');
  });
});
