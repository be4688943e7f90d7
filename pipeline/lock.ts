import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from './log.ts';

/*
 * One lock helper for the repository's lock files (a catalogue build, a run of stages): a file created
 * exclusively that names its holder's process and machine. A lock is taken over only when its holder is
 * surely gone: its process has ended on this machine, or, from another machine (a shared folder), it has
 * not been renewed for 30 minutes. The holder renews it every minute, so a long run (a first embedding of
 * 100,000 images takes most of an hour) keeps it.
 */

/** How long a lock from another machine, or one left empty, must go unrenewed before it is taken over. */
const STALE_MS = 30 * 60_000;
/** An empty lock: killed between creating the file and writing its holder. */
const EMPTY_STALE_MS = 60_000;
const RENEW_MS = 60_000;

/**
 * Hold the lock `file`: resolves when it is held, with the function that releases it. `what` names the
 * work in messages ("a catalogue build"); `waiting` says who holds it when this one has to wait (the
 * default names the file). `wait` defaults to a timer.
 */
export async function holdLock({
  file,
  what,
  log,
  waiting,
  wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  renewMs = RENEW_MS,
}: {
  file: string;
  what: string;
  log: Logger;
  waiting?: () => Promise<string>;
  wait?: (ms: number) => Promise<void>;
  renewMs?: number;
}): Promise<() => Promise<void>> {
  await mkdir(path.dirname(file), { recursive: true });
  // Its holder's process, machine and start (an ISO time), one a line.
  const mine = `${process.pid}\n${os.hostname()}\n${new Date().toISOString()}\n`;
  for (let told = false; ; ) {
    try {
      await writeFile(file, mine, { flag: 'wx' });
      return held({ file, mine, renewMs });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readFile(file, 'utf8').catch(() => '');
    const stale = await staleness({ file, owner });
    if (stale) {
      if (await takeOver({ file, owner, mine })) log.warn(`${file} was left by ${what} that ${stale}: taking it over.`);
      else await wait(50);
      continue;
    }
    if (!told) log.info(waiting ? await waiting() : `Another ${what} holds ${file}; waiting for it to finish.`);
    told = true;
    await wait(500);
  }
}

/**
 * Remove the stale lock `file` if it still holds `owner`: one waiter at a time, under `<file>.takeover`,
 * so a waiter that judged it stale a moment ago cannot remove the lock another waiter has just made.
 * False when another waiter is at it or got there first.
 */
async function takeOver({ file, owner, mine }: { file: string; owner: string; mine: string }): Promise<boolean> {
  const guard = `${file}.takeover`;
  try {
    await writeFile(guard, mine, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // One left by a waiter killed in these few lines is old.
    const info = await stat(guard).catch(() => null);
    if (info && Date.now() - info.mtimeMs > EMPTY_STALE_MS) await rm(guard, { force: true });
    return false;
  }
  try {
    // Judged again under the guard: the lock may have been taken over and made anew (and, just created,
    // still be empty) since it was read.
    if ((await readFile(file, 'utf8').catch(() => null)) !== owner) return false;
    if (!(await staleness({ file, owner }))) return false;
    await rm(file, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

/** Renew the held lock every minute; release removes it only while it is still this holder's. */
function held({ file, mine, renewMs }: { file: string; mine: string; renewMs: number }): () => Promise<void> {
  const renew = setInterval(async () => {
    // Only while it is still this holder's: one taken over (a machine that slept past 30 minutes) is not renewed.
    if ((await readFile(file, 'utf8').catch(() => null)) !== mine) return clearInterval(renew);
    const now = new Date();
    await utimes(file, now, now).catch(() => {});
  }, renewMs);
  renew.unref();
  return async () => {
    clearInterval(renew);
    const owner = await readFile(file, 'utf8').catch(() => null);
    if (owner === mine) await rm(file, { force: true });
  };
}

/** Why the lock's holder is surely gone (words for the warning), or null while it may still be working. */
async function staleness({ file, owner }: { file: string; owner: string }): Promise<string | null> {
  const [pid, host] = owner.split('\n');
  const info = await stat(file).catch(() => null);
  const age = info ? Date.now() - info.mtimeMs : 0;
  if (!owner.trim()) return age > EMPTY_STALE_MS ? 'stopped before it could name itself' : null;
  if (host === os.hostname() && /^\d+$/.test(pid ?? '')) {
    // On this machine the process table is the truth, however long the holder has been at it.
    return processGone(Number(pid)) ? `is gone (process ${pid})` : null;
  }
  return age > STALE_MS
    ? `has not renewed it for ${Math.round(age / 60_000)} minutes (process ${pid} on ${host})`
    : null;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
