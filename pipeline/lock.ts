import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, type Stats, statSync } from 'node:fs';
import { link, mkdir, readdir, readFile, readlink, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VitrineError } from './errors.ts';
import { type Clock, type Logger, systemClock } from './log.ts';

/*
 * One lock helper for the repository's lock files (a catalogue build, a run of stages): a file created
 * exclusively that names its holder. A lock is taken over only when its holder is surely gone:
 * - its process has ended on this machine: the same kernel (boot id) and process namespace, whatever the
 *   machine is called now (a container started again under a new hostname is still this machine);
 * - from another container on this machine (same kernel, another process namespace, whose processes this
 *   one cannot see): not renewed for 5 minutes, by this machine's own clock;
 * - from another machine (a shared folder): not seen renewed for 30 minutes, watched from here. Its
 *   timestamps are on its own clock, which may be hours ahead or behind this one's.
 * The holder renews it every minute, so a long run (a first embedding of 100,000 images takes most of an
 * hour) keeps it, and removes it when stopped by Ctrl-C, SIGTERM or SIGHUP. A lock time ahead of this clock
 * (a clock set back since, a copy from another machine) says nothing of its age: its age is then how long
 * this process has seen it unchanged. So is a takeover guard's (below): one left by a waiter killed while taking
 * a lock over is removed once seen unchanged for a minute, whatever its time says.
 */

/** How long a lock from another machine must be seen unrenewed, from here, before it is taken over. */
const STALE_MS = 30 * 60_000;
/** The same from another container of this machine: one clock, so the lock's own time is trusted. */
const NEIGHBOUR_STALE_MS = 5 * 60_000;
/** An empty lock: left by an older Vitrine killed between creating the file and writing its holder. */
const EMPTY_STALE_MS = 60_000;
const RENEW_MS = 60_000;
/** How often a waiter says again that it is still waiting. */
const REMIND_MS = 5 * 60_000;

/** The holder a lock file names: one a line, the later lines absent from locks older Vitrines wrote. */
interface Holder {
  pid: string;
  host: string;
  /** When it took the lock, an ISO time on its own clock. */
  started: string;
  /** The kernel's boot id (Linux): the same for every container of one machine, new at each boot. */
  boot: string;
  /** The process namespace ("pid:[4026531836]"): the same process ids mean the same processes. */
  pidNs: string;
}

/** Where a lock's holder runs, seen from this process. */
type Place = 'here' | 'restarted' | 'neighbour' | 'elsewhere';

/** What a waiter has seen of the lock: its stamp (times and holder) and since when (this process's clock). */
interface Watch {
  stamp: string;
  since: number;
}

/**
 * Hold the lock `file`: resolves when it is held, with the function that releases it. `what` names the
 * work in messages ("a catalogue build"). A waiter says who holds it and how to free it should that run
 * be gone, once the wait has lasted `tellAfterMs`, then every `remindMs` that it still waits. `wait`
 * defaults to a timer; `staleMs` is how long a lock from another machine must be seen unrenewed,
 * `neighbourStaleMs` one from another container, `emptyStaleMs` an empty one (and a takeover guard left
 * by a waiter stopped while taking it). `clock` is this machine's, to which lock times are compared. A folder
 * that cannot be written fails with LOCK_FOLDER_READ_ONLY, naming it (`root`: messages show paths from it).
 */
export async function holdLock({
  file,
  what,
  log,
  root,
  wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  renewMs = RENEW_MS,
  staleMs = STALE_MS,
  neighbourStaleMs = NEIGHBOUR_STALE_MS,
  emptyStaleMs = EMPTY_STALE_MS,
  remindMs = REMIND_MS,
  tellAfterMs = 0,
  clock = systemClock,
}: {
  file: string;
  what: string;
  log: Logger;
  root?: string;
  wait?: (ms: number) => Promise<void>;
  renewMs?: number;
  staleMs?: number;
  neighbourStaleMs?: number;
  emptyStaleMs?: number;
  remindMs?: number;
  tellAfterMs?: number;
  clock?: Clock;
}): Promise<() => Promise<void>> {
  await mkdir(path.dirname(file), { recursive: true }).catch((error) => notWritable({ error, file, what, root }));
  const me = await identity();
  await removeLeftTemps({ file, me, log, clock });
  const mine = [process.pid, os.hostname(), clock.now().toISOString(), me.boot, me.pidNs, ''].join('\n');
  const watch: Watch = { stamp: '', since: 0 };
  // The takeover guard's, watched as the lock is: one dated ahead of this clock is aged by how long it is seen.
  const guardWatch: Watch = { stamp: '', since: 0 };
  const limits = { staleMs, neighbourStaleMs, emptyStaleMs, renewMs, clock };
  const started = performance.now();
  for (let toldAt = Number.NaN; ; ) {
    try {
      if (await createWhole(file, mine)) return held({ file, mine, renewMs, clock });
    } catch (error) {
      notWritable({ error, file, what, root });
    }
    const owner = await readFile(file, 'utf8').catch(() => '');
    const stale = await staleness({ file, owner, me, watch, limits });
    if (stale) {
      if (await takeOver({ file, owner, mine, me, watch, guardWatch, limits }))
        log.warn(`${shown(file, root)} was left by ${what} that ${stale}: taking it over.`);
      else await wait(50);
      continue;
    }
    const now = performance.now();
    if (Number.isNaN(toldAt) && now - started >= tellAfterMs) {
      log.info(holderLine({ file, owner, what, me, root }));
      toldAt = now;
    } else if (now - toldAt >= remindMs) {
      log.info(
        `Still waiting for ${what} to finish (${minutes(now - started)} so far); it holds ${shown(file, root)}.`,
      );
      toldAt = now;
    }
    await wait(500);
  }
}

/**
 * Create `file` holding `content`, or return false if it exists: written whole beside it first, then linked
 * into place, so nobody ever reads it created but still empty (a waiter read such a lock as held by "a
 * process that has not named itself yet"). On a disk without hard links (a FAT stick, some network
 * shares), created exclusively and then written, as before.
 */
async function createWhole(file: string, content: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const temp = tempName(file);
    await writeFile(temp, content, { flag: 'wx' });
    try {
      await link(temp, file);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      // Removed between the write and the link by another machine's waiter, whose clock made it look left behind
      // (removeLeftTemps): written again.
      if (code === 'ENOENT' && attempt < 3) continue;
      // The temp file was written: this folder is writable, and EPERM here means no hard links on this disk.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code)) throw error;
    } finally {
      await unlink(temp).catch(() => {});
    }
    break;
  }
  try {
    await writeFile(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The temp file a lock (or its takeover guard) is written to before it is linked into place. */
function tempName(file: string): string {
  return `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Temp files of `file` and of its takeover guard, as tempName names them: `<lock>[.takeover].<pid>.<12 hex>.tmp`. */
function tempsOf(file: string): RegExp {
  const name = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${name}(?:\\.takeover)?\\.\\d+\\.[0-9a-f]{12}\\.tmp$`);
}

/**
 * Remove the temp files of `file` left by processes stopped between writing and linking one (kill -9, a power cut):
 * otherwise they stay beside the lock for ever. A temp file lives for a moment, so one is left behind when it is
 * judged as its lock would be (its process has ended on this machine, or its machine restarted), or when it is
 * older than a few minutes by this machine's clock (30 from another machine, whose clock may be behind this one's).
 */
async function removeLeftTemps({
  file,
  me,
  log,
  clock,
}: {
  file: string;
  me: Identity;
  log: Logger;
  clock: Clock;
}): Promise<void> {
  const folder = path.dirname(file);
  const ours = tempsOf(file);
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names.filter((n) => ours.test(n))) {
    const temp = path.join(folder, name);
    const info = await stat(temp).catch(() => null);
    if (!info) continue;
    const age = clock.now().getTime() - info.mtimeMs;
    const holder = parseHolder(await readFile(temp, 'utf8').catch(() => ''));
    const place = holder.pid ? placeOf(holder, me) : 'here';
    const left =
      place === 'restarted' ||
      (!holder.pid && age > EMPTY_STALE_MS) ||
      (place === 'here' && /^\d+$/.test(holder.pid) && processGone(Number(holder.pid))) ||
      age > (place === 'elsewhere' ? STALE_MS : NEIGHBOUR_STALE_MS);
    if (!left) continue;
    // Best effort: a folder this process cannot change gets its plain words from the lock's own write below.
    if (
      !(await rm(temp, { force: true }).then(
        () => true,
        () => false,
      ))
    )
      continue;
    log.debug(`Removed ${name}, left beside ${path.basename(file)} by a process stopped while taking it.`);
  }
}

/** Plain words for a lock folder this user may not write (a read-only checkout), thrown as a VitrineError. */
function notWritable({
  error,
  file,
  what,
  root,
}: {
  error: unknown;
  file: string;
  what: string;
  root?: string;
}): never {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (!['EACCES', 'EPERM', 'EROFS'].includes(code)) throw error;
  // The folder it failed in: the lock's own, or the nearest one above that exists (the one to fix).
  let folder = path.dirname(file);
  while (!statSync(folder, { throwIfNoEntry: false }) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  const where = shown(folder, root) || 'the repository folder';
  const why =
    code === 'EROFS'
      ? `${where} is on a read-only disk`
      : `${where} is read-only for this user (${code === 'EPERM' ? 'operation not permitted' : 'permission denied'})`;
  const fix =
    code === 'EROFS'
      ? 'Work in a copy of the repository on a disk that can be written to.'
      : `Make it writable (chmod -R u+w ${shellPath(folder, root)}, or ask its owner), or work in a copy ` +
        'of the repository that can be written to.';
  throw new VitrineError(
    'LOCK_FOLDER_READ_ONLY',
    `${what.charAt(0).toUpperCase()}${what.slice(1)} cannot start: ${why}, and it writes its lock ` +
      `${shown(file, root)} and its outputs there. ${fix}`,
    // Not `file`: the message names the folder to fix, and the lock is not there to open.
    { lock: file, folder },
    { cause: error },
  );
}

/**
 * Who holds the lock, since when, when it would be taken over, and what to delete should that run be gone:
 * a lock left by a run whose machine or container is gone waits otherwise.
 */
function holderLine({
  file,
  owner,
  what,
  me,
  root,
}: {
  file: string;
  owner: string;
  what: string;
  me: Identity;
  root?: string;
}): string {
  const holder = parseHolder(owner);
  const place = owner.trim() ? placeOf(holder, me) : 'here';
  const who = holder.pid ? `process ${holder.pid}` : 'a process that has not named itself yet';
  const where = {
    here: 'on this machine',
    restarted: 'on this machine before it restarted',
    neighbour: `in another container of this machine${holder.host ? ` (${holder.host})` : ''}`,
    elsewhere: `on the machine ${holder.host || 'that did not say its name'}`,
  }[place];
  const since = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(holder.started)
    ? `, since ${holder.started.slice(11, 19)} UTC${place === 'elsewhere' ? ' by its clock' : ''}`
    : '';
  const rule = {
    here: 'once that process ends, this one takes the lock over at once',
    restarted: 'it is gone, and this one takes the lock over',
    neighbour: 'its run renews it every minute; this one takes it over after 5 minutes without renewal',
    elsewhere: 'its run renews it every minute; this one takes it over once it has gone 30 minutes without renewal',
  }[place];
  const name = shown(file, root);
  return (
    `Another ${what.replace(/^(a|an) /, '')} (${who} ${where}${since}) holds ${name}: this one waits for it ` +
    `to finish (${rule}). Should that run be gone (stopped, or its machine or container shut down), delete ` +
    `${name} and this one goes on.`
  );
}

/** `file` relative to `root` when inside it ('' for the root itself), else as given. */
function shown(file: string, root: string | undefined): string {
  if (!root) return file;
  const relative = path.relative(root, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** `file` as typed in a shell at `root`. */
function shellPath(file: string, root: string | undefined): string {
  const words = shown(file, root) || '.';
  return /^[\w./-]+$/.test(words) ? words : `'${words.replaceAll("'", "'\\''")}'`;
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 1 ? 'under a minute' : m === 1 ? '1 minute' : `${m} minutes`;
}

/**
 * Remove the stale lock `file` if it still holds `owner`: one waiter at a time, under `<file>.takeover`,
 * so a waiter that judged it stale a moment ago cannot remove the lock another waiter has just made.
 * False when another waiter is at it or got there first.
 */
async function takeOver({
  file,
  owner,
  mine,
  me,
  watch,
  guardWatch,
  limits,
}: {
  file: string;
  owner: string;
  mine: string;
  me: Identity;
  watch: Watch;
  guardWatch: Watch;
  limits: Limits;
}): Promise<boolean> {
  const guard = `${file}.takeover`;
  if (!(await createWhole(guard, mine))) {
    // One left by a waiter killed in these few lines is old; dated ahead (tester T11's case for the lock), its
    // age is how long this process has seen it unchanged, or it would stop every later run for ever (D40).
    const info = await stat(guard).catch(() => null);
    const text = info ? await readFile(guard, 'utf8').catch(() => '') : '';
    if (info && ageOf({ info, owner: text, watch: guardWatch, clock: limits.clock }) > limits.emptyStaleMs)
      await rm(guard, { force: true });
    return false;
  }
  try {
    // Judged again under the guard: the lock may have been taken over and made anew (and, just created,
    // still be empty), or renewed, since it was read.
    if ((await readFile(file, 'utf8').catch(() => null)) !== owner) return false;
    if (!(await staleness({ file, owner, me, watch, limits }))) return false;
    await rm(file, { force: true });
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

/** The locks this process holds (file → its content), removed should the process be stopped by a signal. */
const heldLocks = new Map<string, string>();

/** The signals that stop a run: Ctrl-C, `kill` (or a job cancelled), the terminal closed. */
const STOPS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * A stopping signal while a lock is held: remove this process's locks, then stop as the signal would have
 * (a shell sees 130, 143 or 129). Synchronous: nothing else runs before the process ends.
 */
function onSignal(signal: NodeJS.Signals): void {
  for (const [file, mine] of heldLocks) {
    try {
      if (readFileSync(file, 'utf8') === mine) rmSync(file, { force: true });
    } catch {
      // Gone already, or its folder with it.
    }
  }
  heldLocks.clear();
  for (const stop of STOPS) process.removeListener(stop, onSignal);
  // Raised again, now without this handler: with no other, it ends the process as it would have. Another
  // handler (a library's that exits only when it is the last) hears it again, and is now the last.
  process.kill(process.pid, signal);
}

/** Renew the held lock every minute; release removes it only while it is still this holder's. */
function held({
  file,
  mine,
  renewMs,
  clock,
}: {
  file: string;
  mine: string;
  renewMs: number;
  clock: Clock;
}): () => Promise<void> {
  if (heldLocks.size === 0) for (const stop of STOPS) process.on(stop, onSignal);
  heldLocks.set(file, mine);
  const renew = setInterval(async () => {
    // Only while it is still this holder's: one taken over (a machine that slept past 30 minutes) is not renewed.
    if ((await readFile(file, 'utf8').catch(() => null)) !== mine) return clearInterval(renew);
    const now = clock.now();
    await utimes(file, now, now).catch(() => {});
  }, renewMs);
  renew.unref();
  return async () => {
    clearInterval(renew);
    const owner = await readFile(file, 'utf8').catch(() => null);
    if (owner === mine) await rm(file, { force: true });
    // Only now: a Ctrl-C while the file was being removed still found the handler that removes it.
    if (heldLocks.get(file) === mine) heldLocks.delete(file);
    if (heldLocks.size === 0) for (const stop of STOPS) process.removeListener(stop, onSignal);
  };
}

interface Identity {
  boot: string;
  pidNs: string;
}

interface Limits {
  staleMs: number;
  neighbourStaleMs: number;
  emptyStaleMs: number;
  renewMs: number;
  /** This machine's clock, to which the files' times are compared. */
  clock: Clock;
}

let identityOf: Promise<Identity> | undefined;

/** This machine's boot id and this process's pid namespace; empty where the system has none (not Linux). */
function identity(): Promise<Identity> {
  identityOf ??= Promise.all([
    readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
      (text) => text.trim(),
      () => '',
    ),
    readlink('/proc/self/ns/pid').catch(() => ''),
  ]).then(([boot, pidNs]) => ({ boot, pidNs }));
  return identityOf;
}

function parseHolder(text: string): Holder {
  const [pid = '', host = '', started = '', boot = '', pidNs = ''] = text.split('\n');
  return { pid, host, started, boot, pidNs };
}

/** Where the holder runs: its boot id and namespace say it when both sides have them, else its hostname. */
function placeOf(holder: Holder, me: Identity): Place {
  if (holder.boot && me.boot) {
    // Another boot under this machine's name: this machine before a restart (a power cut), not a second
    // machine of the same name sharing the folder.
    if (holder.boot !== me.boot) return holder.host === os.hostname() ? 'restarted' : 'elsewhere';
    return holder.pidNs === me.pidNs ? 'here' : 'neighbour';
  }
  return holder.host === os.hostname() ? 'here' : 'elsewhere';
}

/** Why the lock's holder is surely gone (words for the warning), or null while it may still be working. */
async function staleness({
  file,
  owner,
  me,
  watch,
  limits,
}: {
  file: string;
  owner: string;
  me: Identity;
  watch: Watch;
  limits: Limits;
}): Promise<string | null> {
  const holder = parseHolder(owner);
  const info = await stat(file).catch(() => null);
  const unrenewed = seenUnchanged({ info, owner, watch });
  const age = info ? ageOf({ info, owner, watch, clock: limits.clock }) : 0;
  if (!owner.trim()) return age > limits.emptyStaleMs ? 'stopped before it could name itself' : null;
  const place = placeOf(holder, me);
  if (place === 'here' && /^\d+$/.test(holder.pid)) {
    // On this machine the process table is the truth, however long the holder has been at it.
    return processGone(Number(holder.pid)) ? `is gone (process ${holder.pid})` : null;
  }
  if (place === 'restarted') return `is gone (process ${holder.pid}, before this machine restarted)`;
  if (place === 'neighbour') {
    return age > limits.neighbourStaleMs
      ? `has not renewed it for ${minutes(age)} (process ${holder.pid} in another container of this machine)`
      : null;
  }
  // Another machine's times are on its clock: what counts is whether the lock is seen renewed from here.
  // A lock that already looks old (abandoned, or its holder's clock is behind): a few missed renewals tell.
  const enough = age > limits.staleMs ? Math.min(limits.staleMs, 3 * limits.renewMs) : limits.staleMs;
  return unrenewed >= enough
    ? `has not renewed it while this one watched (${minutes(unrenewed)}; ` +
        `process ${holder.pid} on the machine ${holder.host || 'that did not say its name'})`
    : null;
}

/** How long this process has seen the file as it is: a renewal or a new holder changes its stamp. */
function seenUnchanged({ info, owner, watch }: { info: Stats | null; owner: string; watch: Watch }): number {
  const now = performance.now();
  const stamp = `${info?.mtimeMs}:${info?.ctimeMs}:${owner}`;
  if (stamp !== watch.stamp) {
    watch.stamp = stamp;
    watch.since = now;
  }
  return now - watch.since;
}

/**
 * A lock file's age by `clock`; a time ahead of it (a clock set back since, or a copy) would be fresh for ever
 * (tester T11), so its age is then how long this process has seen it unchanged.
 */
function ageOf({ info, owner, watch, clock }: { info: Stats; owner: string; watch: Watch; clock: Clock }): number {
  const unrenewed = seenUnchanged({ info, owner, watch });
  const now = clock.now().getTime();
  return info.mtimeMs > now ? unrenewed : now - info.mtimeMs;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
