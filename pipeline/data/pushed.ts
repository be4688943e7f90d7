import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import { shellWord } from '../init/invocation.ts';
import { holdLock } from '../lock.ts';
import { type Logger, silentLogger } from '../log.ts';
import { readCachedManifest } from './cache.ts';
import { isUrl, readDvcConfig } from './config.ts';
import { readDvcFile } from './dvcfile.ts';

/*
 * What this machine knows is on a storage remote, without asking it: the versions of the data folder (folder-list
 * objects, "<md5>.dir") that a "data push" finished sending, that a "data pull" found whole, or that
 * "data status --remote" found complete. A remote that holds a folder list holds every file it lists (push sends
 * the list last), so one id per version is enough. Kept in .dvc/tmp (git ignores it; it is this machine's own):
 * plain "data status", "data add" and the promote stage read it to say when recorded images were never sent.
 * A missing note only means "not known here" (a clone pulled with DVC itself, a push from another machine).
 */

/**
 * The mark a push leaves at a folder remote's root (remote.ts): a random id, written once. A share's mount point while
 * the share is not mounted lacks it, whatever else it holds; a remote that lost some files on purpose still has it.
 */
export const MARK_FILE = '.vitrine-remote-id';

/** Versions kept per remote: the newest; an older version only loses its note ("not known here"). */
const KEPT = 500;

interface Note {
  /**
   * `inside`: a folder remote inside the repository, as a path from its folder (insideUrl). `mark`: the id of the
   * mark a folder remote holds at its root (remote.ts, MARK_FILE), read or written when the lists were noted. `sent`:
   * this computer pushed there (not only pulled), for the words of a refusal.
   */
  remotes: Record<string, { url: string; inside?: string; mark?: string; sent?: boolean; lists: string[] }>;
}

/** Where the note is kept. */
export function onRemoteFileOf(root: string): string {
  return path.join(path.resolve(root), '.dvc', 'tmp', 'vitrine-on-remote.json');
}

async function readNote(root: string): Promise<Note> {
  const text = await readFile(onRemoteFileOf(root), 'utf8').catch(() => null);
  if (text === null) return { remotes: {} };
  try {
    const value = JSON.parse(text) as Partial<Note>;
    const remotes: Note['remotes'] = {};
    for (const [name, entry] of Object.entries(value.remotes ?? {})) {
      if (typeof entry?.url !== 'string' || !Array.isArray(entry.lists)) continue;
      remotes[name] = {
        url: entry.url,
        ...(typeof entry.inside === 'string' ? { inside: entry.inside } : {}),
        ...(typeof entry.mark === 'string' ? { mark: entry.mark } : {}),
        ...(entry.sent === true ? { sent: true } : {}),
        lists: entry.lists.filter((l): l is string => typeof l === 'string'),
      };
    }
    return { remotes };
  } catch {
    return { remotes: {} }; // A damaged note is only knowledge lost: it is written afresh by the next push.
  }
}

/** A version (`list`, a folder list's id) on a remote, as noteOnRemote and knownOnRemote are asked about it. */
interface OnRemote {
  root: string;
  remote: { name: string; url: string };
  list: string;
}

/**
 * A folder remote inside the repository (the try-out's .vitrine-remote) as a path from the repository's folder: it
 * moves with the repository. Undefined for any other remote, which stays where it is when the repository moves.
 */
function insideUrl(root: string, url: string): string | undefined {
  if (isUrl(url)) return undefined;
  const relative = path.relative(path.resolve(root), url);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? relative.split(path.sep).join('/')
    : undefined;
}

/**
 * The versions the note has for `remote`: none when it names another place under that name (the remote was moved:
 * what was known about the old place does not hold). A remote inside the repository is the same place after the
 * repository was moved or copied whole (a tester's moved try-out warned that its images were never sent).
 */
function listsOf(note: Note, remote: OnRemote['remote'], root: string): string[] {
  const entry = note.remotes[remote.name];
  if (entry === undefined) return [];
  const inside = insideUrl(root, remote.url);
  return entry.url === remote.url || (inside !== undefined && entry.inside === inside) ? entry.lists : [];
}

/** How long a note waits on another before saying so: writing one takes milliseconds. */
const TELL_AFTER_MS = 10_000;

/** Note that `remote` holds the version `list` whole (under a lock, written atomically: changeNote). */
export async function noteOnRemote({
  root,
  remote,
  list,
  mark,
  sent = false,
  log = silentLogger,
}: OnRemote & {
  /** The id of the remote's mark (a folder remote's), kept with its lists. */
  mark?: string | undefined;
  /** Noted by a push (else a pull or a check found it there). */
  sent?: boolean;
  log?: Logger;
}): Promise<void> {
  await changeNote({
    root,
    log,
    change: (note) => {
      const entry = note.remotes[remote.name];
      // Lists noted under another mark are of another folder (replaced since): they no longer hold.
      const other = mark !== undefined && entry?.mark !== undefined && entry.mark !== mark;
      const lists = other ? [] : listsOf(note, remote, root).filter((l) => l !== list);
      const same = !other && entry?.url === remote.url;
      const kept = mark ?? (same ? entry?.mark : undefined);
      const inside = insideUrl(root, remote.url);
      note.remotes[remote.name] = {
        url: remote.url,
        ...(inside ? { inside } : {}),
        ...(kept ? { mark: kept } : {}),
        ...(sent || (same && entry?.sent) ? { sent: true } : {}),
        lists: [...lists, list].slice(-KEPT),
      };
    },
  });
}

/**
 * Forget all this computer noted about the remote `name` (data push --new-remote), and only that remote: its folder
 * was emptied, replaced or moved on purpose, so what was sent there before is no longer known to be there.
 */
export async function forgetRemote({
  root,
  name,
  log = silentLogger,
}: {
  root: string;
  name: string;
  log?: Logger;
}): Promise<void> {
  await changeNote({ root, log, change: (note) => void delete note.remotes[name] });
}

/**
 * Change the note. Two pushes or pulls at once (two terminals, a shard run) each read the note, change it and write
 * it: under a lock (pipeline/lock.ts), so neither loses the other's entry, and written atomically (temp, then
 * rename), so a reader never sees half a note.
 */
async function changeNote({
  root,
  log,
  change,
}: {
  root: string;
  log: Logger;
  change: (note: Note) => void;
}): Promise<void> {
  const file = onRemoteFileOf(root);
  const release = await holdLock({
    file: `${file}.lock`,
    what: 'a push or pull noting what a storage remote holds',
    log,
    root: path.resolve(root),
    // Held for milliseconds: asked again soon rather than every half second.
    wait: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 20))),
    tellAfterMs: TELL_AFTER_MS,
  });
  try {
    const note = await readNote(root);
    change(note);
    await writeJsonAtomic({ file, value: note });
  } finally {
    await release();
  }
}

/** Whether this machine knows that `remote` holds the version `list`. */
export async function knownOnRemote({ root, remote, list }: OnRemote): Promise<boolean> {
  return listsOf(await readNote(root), remote, root).includes(list);
}

/**
 * For data.dvc's version `list`: the default remote and whether this machine knows it holds that version; null
 * when no remote is set up (nothing to say about pushing). Reads only local files.
 */
export async function sentState({
  root,
  list,
}: {
  root: string;
  list: string;
}): Promise<{ remote: string; url: string; known: boolean } | null> {
  const config = await readDvcConfig({ root });
  const remote = config.defaultRemote ? config.remotes[config.defaultRemote] : undefined;
  if (!remote?.url) return null;
  return { remote: remote.name, url: remote.url, known: await knownOnRemote({ root, remote, list }) };
}

/**
 * data.dvc's version when this machine does not know the default remote holds it (never pushed from here, never
 * pulled whole): with the remote's name and place. Null when there is nothing to say: no data.dvc, no remote set
 * up, or the remote is known to have it. Reads only local files.
 */
export async function unsentVersion({
  root,
  target = 'data',
}: {
  root: string;
  target?: string;
}): Promise<{ md5: string; remote: string; url: string } | null> {
  const dvcFile = path.join(path.resolve(root), `${target}.dvc`);
  const md5 = await readDvcFile({ file: dvcFile }).then(
    (parsed) => parsed.outs[0]?.md5,
    () => undefined,
  );
  if (!md5?.endsWith('.dir')) return null;
  const sent = await sentState({ root, list: md5 });
  return sent && !sent.known ? { md5, remote: sent.remote, url: sent.url } : null;
}

/**
 * What a computer without a record of data.dvc's images on the remote can say of them (`data status`, the promote
 * stage): an upgrade of Vitrine, or a push from another computer, leaves no record either.
 */
export function noRecordWords({ remote, url }: { remote: string; url: string }): string {
  return (
    `This computer has no record that the remote "${remote}" (${url}) has the images data.dvc records: they may be ` +
    'only on this computer (or they were sent from another computer, or by a Vitrine that kept no such record)'
  );
}

/** What to run about it. */
export const NO_RECORD_ADVICE =
  'Run "npx vitrine data push" to send them (it sends only what the remote lacks), or "npx vitrine data status ' +
  '--remote" to ask the remote.';

/**
 * The other likely cause of an object missing from a remote, said beside "whoever added it did not push": the remote
 * was moved (data init with a new place) and only the current images were sent there (tester T10).
 */
export function movedRemoteWords(remote: string): string {
  return (
    `Or the remote "${remote}" was moved or changed (a new folder or bucket) and only the current images were sent ` +
    'there, not the older versions nor the registered models’ files: on a computer with the repository, run ' +
    '"npx vitrine data push --all --from <the old folder or bucket>" (or copy the old folder or bucket there whole).'
  );
}

/**
 * What this computer's record says of the folder remote `remote`: the versions (folder list ids) it sent there or
 * found whole there, oldest first, and the id of the remote's mark then; undefined without a record, or for a folder
 * inside the repository (on no share). A folder remote without that mark is most often a share's mount point while
 * the share is not mounted.
 */
export async function recordOf({
  root,
  remote,
}: {
  root: string;
  remote: { name: string; url: string };
}): Promise<{ lists: string[]; mark?: string } | undefined> {
  if (insideUrl(root, remote.url) !== undefined) return undefined;
  const note = await readNote(root);
  const lists = listsOf(note, remote, root);
  if (lists.length === 0) return undefined;
  const mark = note.remotes[remote.name]?.mark;
  return { lists, ...(mark ? { mark } : {}) };
}

/** What a folder remote lacks that this computer's record says it held: see emptiedFolderError. */
export type Lacking = 'mark' | 'other mark' | 'lists';

/**
 * For a folder remote that lacks what this computer sent there: REMOTE_FOLDER_EMPTIED when this computer's record
 * says it held some before (pushed there, pulled whole from it), else undefined (a new remote, or a folder inside the
 * repository). Without `lacking`, its folder holds no files/md5 at all; with it, files/md5 is there but not the
 * remote's mark (`mark`), or another (`other mark`), or, for a record from before the marks, the folder list recorded
 * last (`lists`).
 * An unmounted network share leaves its mount point a folder on this computer's own disk, empty or holding what was
 * put there while unmounted (an older push, a "dvc push", a "mkdir -p"): a remote whose url is the mount point was
 * filled on this computer's own disk, and a pull said the files were missing from the remote.
 */
export async function emptiedFolderError({
  root,
  remote,
  lacking,
}: {
  root: string;
  remote: { name: string; url: string };
  lacking?: Lacking;
}): Promise<VitrineError | undefined> {
  // A folder inside the repository is on no share: the demo makes its own again when a clone lacks it.
  if (insideUrl(root, remote.url) !== undefined) return undefined;
  const note = await readNote(root);
  const lists = listsOf(note, remote, root);
  if (lists.length === 0) return undefined;
  const dir = remote.url;
  // Counted only where they are not there: in a folder that holds something, they may well be (reviewer V19, F5).
  const files = lacking ? undefined : await filesOfNewest({ root, lists });
  // Not there at all (plain "data status" asks without opening the remote): not said to be empty.
  const listing = lacking ? undefined : await readdir(dir).catch(() => undefined);
  const holds =
    listing === undefined
      ? 'is not there'
      : listing.length === 0
        ? 'is empty'
        : 'holds none of the files Vitrine stores there';
  const held = files === undefined ? 'files' : files === 1 ? '1 file' : `${files} files`;
  // A computer that only pulled from it never left the mark there, nor sent it files (reviewer V20, F2).
  const sent = note.remotes[remote.name]?.sent === true;
  const state =
    lacking === 'mark'
      ? sent
        ? `lacks the mark Vitrine left in it (${MARK_FILE}) when this computer sent files there`
        : `lacks the mark this computer found there before (${MARK_FILE})`
      : lacking === 'other mark'
        ? `holds the mark of another storage folder (${MARK_FILE}), not of the one this computer ${
            sent ? 'sent files to' : 'fetched files from'
          }`
        : lacking === 'lists'
          ? 'lacks the list of the version this computer sent there last, or fetched from it last ' +
            `(${lists.at(-1)}), though it may hold older ones`
          : `${holds}, but this computer sent ${held} there before, or fetched them from it`;
  // What a share's mount point holds is on this computer's own disk: said, so it is not taken for the remote's.
  const local = lacking ? " What that folder holds now would then be on this computer's own disk." : '';
  const { defaultRemote } = await readDvcConfig({ root }).catch(() => ({ defaultRemote: undefined }));
  const named = defaultRemote === remote.name ? '' : ` --remote ${shellWord(remote.name)}`;
  return new VitrineError(
    'REMOTE_FOLDER_EMPTIED',
    `The storage remote's folder ${dir} (remote "${remote.name}") ${state}: is it a network share or a drive that ` +
      `is not mounted?${local} Mount or connect it and run again; nothing was sent or fetched. Only if it is ` +
      'mounted and the remote really was emptied, replaced or moved on purpose, run ' +
      `"npx vitrine data push${named} --new-remote": this computer then forgets what it sent to that remote (and ` +
      'only that one) and sends what the remote lacks.',
    {
      remote: remote.name,
      url: dir,
      ...(files === undefined ? {} : { filesBefore: files }),
      ...(lacking ? { lacking } : {}),
    },
  );
}

/** The files (contents, as a push counts them) of the newest recorded version whose folder list the cache has. */
async function filesOfNewest({ root, lists }: { root: string; lists: string[] }): Promise<number | undefined> {
  const { cacheDir } = await readDvcConfig({ root });
  for (const list of [...lists].reverse()) {
    const entries = await readCachedManifest({ cacheDir, md5: list }).catch(() => undefined);
    if (entries) return new Set(entries.map((e) => e.md5)).size;
  }
  return undefined;
}
