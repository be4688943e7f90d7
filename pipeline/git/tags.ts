import { randomBytes } from 'node:crypto';
import fs, { existsSync } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { VitrineError } from '../errors.ts';
import type { Clock, Logger } from '../log.ts';
import { type GtoTag, parseGtoTag } from '../registry/gto.ts';
import { gitDir } from './repo.ts';

/*
 * The registry's storage: annotated git tags read and written with isomorphic-git. A tag's message
 * is GTO's plain first line; Vitrine appends a blank line and a JSON block (lineage, file manifest)
 * that GTO shows as part of the message and ignores otherwise.
 */

/** Who signs the registry's tags when the caller does not say. */
export const DEFAULT_TAGGER = { name: 'Vitrine', email: 'vitrine@users.noreply.github.com' };

/** A GTO tag of the model as read from git: what it says, where it points, who wrote it when. */
export interface TagEvent extends GtoTag {
  /** Full tag name. */
  tag: string;
  /** Commit the tag points at. */
  commit: string;
  /** Tagger time. */
  createdAt: string;
  /** Seconds since the epoch, for ordering. */
  timestamp: number;
  author: string;
  authorEmail: string;
  /** The first line of the message. */
  headline: string;
  /** The whole message, its signature left out: what a tag pushed by hand says (`git tag -a -m …`). */
  message: string;
  /** The JSON block after the headline, or null when the tag has none (e.g. written by `gto`). */
  payload: Record<string, unknown> | null;
}

/** Compose a tag message: GTO's headline, a blank line, then the JSON payload. */
export function composeMessage({ headline, payload }: { headline: string; payload?: unknown }): string {
  return payload === undefined ? `${headline}\n` : `${headline}\n\n${JSON.stringify(payload, null, 2)}\n`;
}

/** Split a tag message into its headline and the JSON payload (null when absent or not JSON). */
export function parseMessage(message: string): { headline: string; payload: Record<string, unknown> | null } {
  const text = message.replace(/\r\n/g, '\n');
  const newline = text.indexOf('\n');
  const headline = (newline < 0 ? text : text.slice(0, newline)).trim();
  const brace = text.indexOf('\n{');
  if (brace < 0) return { headline, payload: null };
  // A signed tag carries its signature after the message; stop at the closing brace line.
  const body = text.slice(brace + 1);
  const end = body.search(/^}\s*$/m);
  try {
    const value = JSON.parse(end < 0 ? body : body.slice(0, end + 1)) as unknown;
    return {
      headline,
      payload: value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null,
    };
  } catch {
    return { headline, payload: null };
  }
}

/**
 * Is `dir` a git repository's work tree (a `.git` folder, or a `.git` file naming a whole repository: a clone made
 * with --separate-git-dir, a submodule)? A worktree or a clone borrowing objects is refused (gitDir), not taken for a
 * folder outside git: its registry would seem empty.
 */
export async function isGitRepo({ dir }: { dir: string }): Promise<boolean> {
  return (await gitDir({ dir })) !== null;
}

/** The git folder of `dir`, where the registry's locks are kept beside the tags. */
async function gitFolder(dir: string): Promise<string> {
  return (await gitDir({ dir })) ?? path.join(dir, '.git');
}

/** The commit HEAD points at, or null outside git / in a repository without commits. */
export async function headCommit({ dir }: { dir: string }): Promise<string | null> {
  try {
    return await git.resolveRef({ fs, dir, ref: 'HEAD' });
  } catch {
    await gitDir({ dir }); // a worktree's HEAD is not that of a repository without commits
    return null;
  }
}

/** The names of every tag in the repository at `dir`. */
export async function tagNames({ dir }: { dir: string }): Promise<string[]> {
  return git.listTags({ fs, dir });
}

/**
 * Remove the registry's tags of model `name` from the repository at `dir` (this clone only, not its remotes);
 * returns the tags removed. Other tags are left alone.
 */
export async function deleteModelTags({ dir, name }: { dir: string; name: string }): Promise<string[]> {
  const tags = (await git.listTags({ fs, dir })).filter((tag) => parseGtoTag(tag)?.name === name).sort();
  for (const ref of tags) await git.deleteTag({ fs, dir, ref });
  return tags;
}

/** Every tag of `name` in GTO's format, oldest first (tagger time, then counter). Lightweight tags are skipped, as GTO does. */
export async function readTagEvents({ dir, name }: { dir: string; name?: string }): Promise<TagEvent[]> {
  if (!(await isGitRepo({ dir }))) return [];
  const names = await git.listTags({ fs, dir });
  // isomorphic-git's object cache: packfile indexes are read once for all the tags.
  const cache = {};
  const events: TagEvent[] = [];
  for (const tag of names) {
    const parsed = parseGtoTag(tag);
    if (!parsed || (name !== undefined && parsed.name !== name)) continue;
    let oid;
    try {
      oid = await git.resolveRef({ fs, dir, ref: `refs/tags/${tag}` });
    } catch {
      continue; // a ref left empty by a run killed while writing it: as if absent (createTag repairs it)
    }
    let object;
    try {
      ({ tag: object } = await git.readTag({ fs, dir, oid, cache }));
    } catch {
      continue; // a lightweight tag points straight at a commit
    }
    const commit = object.type === 'commit' ? object.object : await peel({ dir, oid: object.object, cache });
    const { headline, payload } = parseMessage(object.message);
    events.push({
      ...parsed,
      tag,
      commit,
      timestamp: object.tagger.timestamp,
      createdAt: new Date(object.tagger.timestamp * 1000).toISOString(),
      author: object.tagger.name,
      authorEmail: object.tagger.email,
      headline,
      // isomorphic-git leaves out a PGP signature, not an SSH one.
      message: object.message.replace(/\n?-----BEGIN SSH SIGNATURE-----[\s\S]*$/, ''),
      payload,
    });
  }
  events.sort((a, b) => a.timestamp - b.timestamp || (a.counter ?? 0) - (b.counter ?? 0) || (a.tag < b.tag ? -1 : 1));
  return events;
}

async function peel({ dir, oid, cache }: { dir: string; oid: string; cache: object }): Promise<string> {
  let current = oid;
  for (let i = 0; i < 10; i++) {
    const { tag } = await git.readTag({ fs, dir, oid: current, cache });
    if (tag.type === 'commit') return tag.object;
    current = tag.object;
  }
  return current;
}

/**
 * Create an annotated tag, failing with TAG_EXISTS when the name is taken. isomorphic-git checks
 * for the tag and then writes it; two promotions in flight could both pass the check, so the pair
 * runs under git's own ref lock (`refs/tags/<name>.lock`, created exclusively), which `git tag`
 * respects too.
 */
export async function createTag({
  dir,
  tag,
  commit,
  message,
  clock,
  after = 0,
  tagger = DEFAULT_TAGGER,
  log,
}: {
  dir: string;
  tag: string;
  commit: string;
  message: string;
  clock: Clock;
  /**
   * The newest tag time of the model (seconds): the new tag is dated at least one second later.
   * GTO orders events by tag time alone, so two tags in the same second could be read in the
   * wrong order (an assignment before its registration).
   */
  after?: number;
  tagger?: { name: string; email: string };
  log?: Logger;
}): Promise<void> {
  const gitdir = await gitFolder(dir);
  const lock = path.join(gitdir, 'refs', 'tags', `${tag}.lock`);
  await mkdir(path.dirname(lock), { recursive: true });
  if (!(await createLock({ lock, gitdir }))) {
    throw new VitrineError('TAG_EXISTS', `The tag "${tag}" is being written by another promotion.`, { tag });
  }
  const now = Math.floor(clock.now().getTime() / 1000);
  if (now < after - CLOCK_SLACK_SECONDS) warnClockBehind({ now, after, log });
  try {
    await removeBrokenRef({ file: path.join(gitdir, 'refs', 'tags', tag), log });
    await git.annotatedTag({
      fs,
      dir,
      ref: tag,
      object: commit,
      message,
      tagger: {
        ...tagger,
        timestamp: Math.max(now, after + 1),
        timezoneOffset: 0,
      },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'AlreadyExistsError') {
      throw new VitrineError('TAG_EXISTS', `The tag "${tag}" already exists.`, { tag }, { cause: error });
    }
    throw error;
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * Tags written in quick succession are dated a second apart and can run a little ahead of the
 * clock; past this, the clock itself is behind.
 */
const CLOCK_SLACK_SECONDS = 10 * 60;
const clockWarned = new WeakSet<Logger>();

/**
 * A clock set back (a runner without NTP, a restored VM) would date the entry before the last
 * one: it is dated just after instead, and the maintainer is told, since the model card's
 * dates come from the same clock.
 */
function warnClockBehind({ now, after, log }: { now: number; after: number; log?: Logger }): void {
  // Once per run: a promotion writes two or three tags from the same clock.
  if (!log || clockWarned.has(log)) return;
  clockWarned.add(log);
  const minute = (s: number) => `${new Date(s * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  log.warn(
    `This computer's clock reads ${minute(now)}, earlier than the model's last registry entry ` +
      `(${minute(after)}). The new entry is dated just after that one, so the model's history ` +
      `keeps its order, but dates written from this clock (the model card's) will be wrong: ` +
      'set the clock of this runner right (turn on network time).',
  );
}

/**
 * A tag ref file that holds no object id was cut short by a run killed while writing it (git
 * writes the object first, then the ref). Called under the tag's lock: nobody else is writing it.
 */
async function removeBrokenRef({ file, log }: { file: string; log?: Logger }): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null || /^[0-9a-f]{40}\s*$/.test(text)) return;
  await rm(file, { force: true });
  log?.warn(
    `Removed the tag ref ${path.basename(file)}, left empty by a run that was stopped while writing it; it is written again now.`,
  );
}

/**
 * Repair what a killed promotion leaves: the registry's own locks whose holder is gone (its process
 * ended, or older than `staleMs`), the stage locks in `.git` and the tag locks of model `name`, and
 * tag refs of the model cut short while being written. Left alone, git (fsck, push, fetch) and
 * tools that write the same tag would trip over them.
 */
export async function clearStaleLocks({
  dir,
  name,
  staleMs = 60_000,
  log,
}: {
  dir: string;
  name: string;
  staleMs?: number;
  log?: Logger;
}): Promise<void> {
  const gitdir = await gitFolder(dir);
  const tagsDir = path.join(gitdir, 'refs', 'tags');
  const locksIn = async (folder: string, prefix: string) =>
    (await readdir(folder).catch(() => [] as string[]))
      .filter((f) => f.startsWith(prefix) && f.endsWith('.lock'))
      .map((f) => path.join(folder, f));
  for (const lock of [...(await locksIn(gitdir, 'vitrine-')), ...(await locksIn(tagsDir, name))])
    await takeOverIfStale({ lock, staleMs, log });
  // A tag ref cut short with no lock left on it is not being written by anyone: remove it.
  for (const file of await readdir(tagsDir).catch(() => [] as string[])) {
    if (!file.startsWith(name) || file.endsWith('.lock') || existsSync(path.join(tagsDir, `${file}.lock`))) continue;
    await removeBrokenRef({ file: path.join(tagsDir, file), log });
  }
}

/** What a lock file of ours says about its holder (git's own lock files hold nothing we read). */
interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/** Prefix of the files a lock's holder record is written to before it becomes the lock. */
const HOLDER_TEMP = 'vitrine-lock-holder-';

/**
 * Create `lock` exclusively, already saying who holds it (pid, host, time), so a later run can tell
 * a killed holder from a slow one. The record is written to a temp file in `gitdir` and hard-linked
 * to the lock's name, which fails when the lock exists: a lock is never seen empty, even when its
 * process is killed at once. False when someone else holds it.
 */
async function createLock({ lock, gitdir }: { lock: string; gitdir: string }): Promise<boolean> {
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  const temp = path.join(gitdir, `${HOLDER_TEMP}${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, JSON.stringify(holder));
  try {
    await link(temp, lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
    await removeStaleHolderTemps({ gitdir });
  }
}

/** Holder records left by a run killed between writing one and linking it (older than a minute). */
async function removeStaleHolderTemps({ gitdir }: { gitdir: string }): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(gitdir).catch(() => [] as string[])) {
    if (!name.startsWith(HOLDER_TEMP)) continue;
    const file = path.join(gitdir, name);
    const info = await stat(file).catch(() => null);
    if (info && now - info.mtimeMs > 60_000) await rm(file, { force: true });
  }
}

async function readHolder(lock: string): Promise<LockHolder | null> {
  try {
    const value = JSON.parse(await readFile(lock, 'utf8')) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? (value as LockHolder) : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Why a lock is stale, or null while its holder may still be working: the holder's process on this
 * machine has ended (a kill or crash), or the lock is older than `staleMs` (a hung run, or a holder
 * on another machine sharing the folder).
 */
export async function staleReason({
  lock,
  staleMs,
  now = Date.now(),
}: {
  lock: string;
  staleMs: number;
  now?: number;
}): Promise<string | null> {
  let info;
  try {
    info = await stat(lock);
  } catch {
    return null; // released meanwhile
  }
  const holder = await readHolder(lock);
  if (holder && holder.host === os.hostname() && holder.pid !== process.pid && !isRunning(holder.pid)) {
    return `its process ${holder.pid} is no longer running`;
  }
  const age = now - info.mtimeMs;
  if (age <= staleMs) return null;
  const by = holder ? `, held by process ${holder.pid} on ${holder.host}` : '';
  return `it is older than ${Math.round(staleMs / 1000)} s (${Math.round(age / 1000)} s)${by}`;
}

/**
 * Remove `lock` if it is stale. Two waiters may judge the same lock stale at once; the removal runs
 * under a short-lived `<lock>.takeover` file and checks again there, so the second waiter cannot
 * remove the lock the first one has just taken.
 */
async function takeOverIfStale({
  lock,
  staleMs,
  log,
}: {
  lock: string;
  staleMs: number;
  log?: Logger;
}): Promise<boolean> {
  if (!(await staleReason({ lock, staleMs }))) return false;
  const guard = `${lock}.takeover`;
  let handle;
  try {
    handle = await open(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A takeover guard outlives its few milliseconds only when its run died in between.
    if (await staleReason({ lock: guard, staleMs: 10_000 })) await rm(guard, { force: true });
    return false;
  }
  try {
    const reason = await staleReason({ lock, staleMs });
    if (!reason) return false;
    await rm(lock, { force: true });
    log?.warn(`Took over the lock ${path.basename(lock)} left by an earlier run: ${reason}.`);
    return true;
  } finally {
    await handle.close();
    await rm(guard, { force: true });
  }
}

/** Remove a stale tag lock left by a crashed promotion (its process gone, or older than `maxAgeMs`). */
export async function clearStaleLock({
  dir,
  tag,
  maxAgeMs = 60_000,
  log,
}: {
  dir: string;
  tag: string;
  maxAgeMs?: number;
  log?: Logger;
}): Promise<boolean> {
  return takeOverIfStale({
    lock: path.join(await gitFolder(dir), 'refs', 'tags', `${tag}.lock`),
    staleMs: maxAgeMs,
    log,
  });
}

/**
 * Run `fn` holding an exclusive lock file inside `.git` (created with O_EXCL, as git locks refs),
 * which records the holder's process. A live holder is waited for up to `timeoutMs`; a lock whose
 * process has ended, or older than `staleMs`, is from a crashed or hung run and is taken over at
 * once, with a warning.
 */
export async function withGitLock<T>({
  dir,
  name,
  timeoutMs = 30_000,
  staleMs = 60_000,
  log,
  fn,
}: {
  dir: string;
  name: string;
  timeoutMs?: number;
  staleMs?: number;
  log?: Logger;
  fn: () => Promise<T>;
}): Promise<T> {
  const gitdir = await gitFolder(dir);
  const lock = path.join(gitdir, `${name}.lock`);
  const started = Date.now();
  for (;;) {
    if (await createLock({ lock, gitdir })) break;
    if (await takeOverIfStale({ lock, staleMs, log })) continue;
    if (Date.now() - started > timeoutMs) {
      const holder = await readHolder(lock);
      const who = holder ? ` (process ${holder.pid} on ${holder.host})` : '';
      throw new VitrineError(
        'REGISTRY_BUSY',
        `Another promotion${who} has held ${path.join('.git', `${name}.lock`)} for over ${Math.round(timeoutMs / 1000)} s ` +
          'and is still running. Wait for it to finish, then try again.',
        { lock },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

/** Read a small text file or return null when absent. */
export async function readTextOrNull(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
