import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { link, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ListObjectsCommand, S3Client } from '@aws-sdk/client-s3';
import { isVitrineError, VitrineError } from '../errors.ts';
import { shellWord } from '../init/invocation.ts';
import type { Logger } from '../log.ts';
import {
  checkObjectId,
  cleanStaleObjectTemps,
  contentMd5,
  copyVerified,
  corruptError,
  exists,
  inDir,
  listObjectIds,
  listObjectSizes,
  objectKey,
  objectPath,
  tempName,
} from './cache.ts';
import { isUrl, type RemoteConfig, readDvcConfig } from './config.ts';
import { hashFile, mapPool } from './hash.ts';
import { emptiedFolderError, type Lacking, MARK_FILE, recordOf } from './pushed.ts';
import type { S3Credentials } from './s3-client.ts';
import {
  CLOCK_CORRECTED_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  MAX_CLOCK_SKEW_MS,
  NO_ETAG,
  readObjectBody,
  S3IdleTimeoutError,
  S3ResponseError,
  type StoredAnswer,
  s3Endpoint,
  s3Objects,
} from './s3-objects.ts';

// Lives in cache.ts, which gc.ts loads without this module and its S3 client.
export { listedWhole } from './cache.ts';

/*
 * Storage remotes in DVC's layout (`<remote>/files/md5/ab/cdef…`): a local or mounted folder, or
 * S3-compatible object storage. Every transfer is verified against the object's md5 and becomes
 * visible only when complete (temp name + rename on folders; a single PUT on S3).
 */

/** A place objects are pushed to and pulled from. */
export interface Remote {
  /** The remote's name in `.dvc/config`. */
  name: string;
  url: string;
  /** Whether it holds a whole copy of object `md5`; `size`, when known (the cache's file), must match. */
  has(md5: string, known?: { size?: number }): Promise<boolean>;
  /** Upload `file` as object `md5` (its bytes must hash to it). */
  put(options: { md5: string; file: string }): Promise<void>;
  /**
   * Download object `md5` to `file` (temp name, verify, rename). Throws REMOTE_OBJECT_MISSING when absent.
   * `keep` is given the verified bytes when they were held in memory anyway (small S3 objects).
   */
  get(options: { md5: string; file: string; keep?: (bytes: Uint8Array) => void }): Promise<void>;
  /**
   * What the remote holds for object `md5`, read whole, or null when absent: its size and the md5 of its
   * bytes (hashed as they come, never held whole or written anywhere). Not the ETag: S3 keeps the ETag of
   * what was uploaded, so bytes damaged at rest only show when read. Used by `verify --remote` and
   * `push --verify`.
   */
  inspect?(md5: string): Promise<{ size: number; md5: string } | null>;
  /**
   * Remove the temp files that killed transfers left on the remote and that no live process owns;
   * returns how many. Absent where uploads leave nothing behind (S3: one PUT is whole or absent).
   */
  cleanStaleTemps?(): Promise<number>;
  /**
   * Every object id the remote holds, with its size in bytes where the listing gives it, in one listing (1,000 per
   * request on S3): for a large push this replaces a check per object. Compare with `listedWhole`.
   */
  list?(): Promise<Map<string, number | undefined>>;
  /**
   * Whether the remote holds no object at all (one short listing): a folder list missing from an empty remote is a
   * misspelt address far more often than a forgotten push.
   */
  holdsNothing?(): Promise<boolean>;
  /**
   * The id of the mark at a folder remote's root (MARK_FILE in pushed.ts), or undefined (none, or a remote that keeps
   * none: S3, a folder inside the repository). With `make`, a push's, a missing mark is written first. Either way
   * REMOTE_FOLDER_EMPTIED first when the folder is not the remote the record names (check).
   */
  mark?(options: { make: boolean }): Promise<string | undefined>;
  /**
   * A folder remote's check that it is the remote this computer's record names, made before asking it what it holds:
   * REMOTE_FOLDER_EMPTIED when it lacks the mark (a share's mount point while the share is not mounted),
   * REMOTE_FOLDER_MISSING when it is not there. Without a record, only that it is there.
   */
  check?(): Promise<void>;
}

/** Objects up to this size are downloaded into memory and written at once. */
const SMALL_OBJECT = 8 * 1024 * 1024;

function missingError(remote: string, md5: string): VitrineError {
  return new VitrineError('REMOTE_OBJECT_MISSING', `Object ${md5} is not on the remote "${remote}".`, {
    object: md5,
    remote,
  });
}

/**
 * The folder of a local remote is not there: a network share or drive that is not mounted (or a mistyped
 * path). Writing into it would put the "backup" on this machine's own disk, so nothing is sent or fetched.
 */
export function folderMissingError({
  remote,
  dir,
  partway = false,
  root,
}: {
  remote: string;
  dir: string;
  /** It went away during a push or pull that had moved files already: the caller counts them. */
  partway?: boolean;
  /** The repository: a folder inside it (init's default, .vitrine-remote) is left out of git, so never shared. */
  root?: string;
}): VitrineError {
  if (root && inRepositoryFolder({ root, url: dir }))
    return new VitrineError(
      'REMOTE_FOLDER_MISSING',
      `The folder of the storage remote "${remote}" is not there: ${dir}.${partway ? '' : ' Nothing was sent or fetched.'} ` +
        'It is a folder inside the repository, which git leaves out, so it is only on the computer that sent the ' +
        'images: no clone (a GitHub runner’s neither) has it. On that computer, move the images to a remote every ' +
        `clone can reach: npx vitrine data init s3://bucket/folder --name ${remote} (or a shared folder), then ` +
        'npx vitrine data push --all (every version and the registered models’ files, not only the current images), ' +
        'and commit .dvc/config ("Moving the images to another remote" in docs/data.md).',
      { remote, url: dir },
    );
  // Gone part-way, it was there: making it, or correcting the url, would be the wrong advice.
  if (partway)
    return new VitrineError(
      'REMOTE_FOLDER_MISSING',
      `The folder of the storage remote "${remote}" went away part-way: ${dir}. A network share that was ` +
        'unmounted, or a drive that was disconnected, does this: connect or mount it again. Nothing was written ' +
        'in its place on this computer.',
      { remote, url: dir },
    );
  return new VitrineError(
    'REMOTE_FOLDER_MISSING',
    `The folder of the storage remote "${remote}" is not there: ${dir}. Nothing was sent or fetched. If it is ` +
      'on a network share or an external drive, connect or mount it and run again. If the storage has moved, ' +
      `correct the url of remote "${remote}" in .dvc/config. If it is meant to be a new, empty storage place, ` +
      `create the folder (mkdir -p ${shellWord(dir)}) and run again.`,
    { remote, url: dir },
  );
}

/**
 * A remote that is a folder on this machine or a mounted drive. With `mustExist` (every remote read from
 * .dvc/config: data init made its folder), a missing folder fails with REMOTE_FOLDER_MISSING rather than being
 * made, since it is most often a share that is not mounted. Without it (the default, for a folder the caller owns)
 * the first upload makes it.
 */
export function localRemote({
  name,
  dir,
  mustExist = false,
  root,
}: {
  name: string;
  dir: string;
  mustExist?: boolean;
  /** The repository whose .dvc/config names it, for what a missing folder inside it means. */
  root?: string;
}): Remote {
  // Where the objects go: a share whose mount point is the url leaves an empty folder there when not mounted.
  const layout = path.join(dir, 'files', 'md5');
  // Asked before writing and whenever something is not found, never remembered: a share can be unmounted
  // part-way through a transfer, and writing then would make the folder again on this machine's own disk.
  // True when files/md5 is there (an upload then makes nothing above it).
  const folder = async (): Promise<boolean> => {
    if (!mustExist) return false;
    const found = await stat(layout).then(
      () => true,
      (error: NodeJS.ErrnoException) =>
        ['ENOENT', 'ENOTDIR'].includes(error.code ?? '') ? false : Promise.reject(error),
    );
    if (found) {
      await heldLast();
      return true;
    }
    await stat(dir).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? folderMissingError({ remote: name, dir, root }) : error;
    });
    // There but empty, though files were sent there before: a share not mounted, far more often than emptied.
    const emptied = root ? await emptiedFolderError({ root, remote: { name, url: dir } }) : undefined;
    if (emptied) throw emptied;
    return false;
  };
  // What this computer's record says of this remote, read once: files/md5 without the remote's mark (or, for a record
  // from before the marks, without the folder list it sent or found there last) is the mount point of a share not
  // mounted, filled on this disk before (an older push, a "dvc push", a "mkdir -p" by hand). Files removed on purpose
  // (a "dvc gc") leave the mark: a normal remote (reviewer V19, F3).
  let record: ReturnType<typeof recordOf> | undefined;
  const heldLast = async (): Promise<void> => {
    if (!mustExist || !root) return;
    record ??= recordOf({ root, remote: { name, url: dir } });
    const known = await record;
    if (known === undefined) return;
    const lacking = await lackingAt(dir, known);
    if (lacking === undefined) return;
    // No files/md5 either (unmounted part-way, the mount point empty): said as folder() says it.
    if (!(await exists(layout))) return void (await folder());
    const emptied = await emptiedFolderError({ root, remote: { name, url: dir }, lacking });
    if (emptied) throw emptied;
  };
  // Fetching: checked before the first file only, not before each (one more read of the share per file; reviewer V24,
  // F3). A share dropped part-way leaves files missing (folder() says so) and fails the check of mark() at the end.
  let fetchChecked: Promise<void> | undefined;
  // No mark in a folder inside the repository (on no share, never taken for a mount point), nor in a caller's own.
  const marked = mustExist && root !== undefined && !inRepositoryFolder({ root, url: dir });
  let layoutSeen = false;
  return {
    name,
    url: dir,
    async has(md5, { size } = {}) {
      const info = await stat(objectPath(dir, md5)).catch(() => null);
      if (!info) {
        await folder();
        return false;
      }
      // A copy stopped half-way or a disk that filled leaves a file shorter than the object: not a copy.
      return size === undefined || info.size === size;
    },
    async put({ md5, file }) {
      const dest = objectPath(dir, md5);
      if (!mustExist) return copyVerified({ src: file, dest, md5, readOnly: true });
      // Once files/md5 has been seen on this remote, it is never made again either (reviewer V16): a first push
      // to a mount point, with no record yet, whose share drops part-way.
      // Once seen, one stat per upload still: a share unmounted part-way over files/md5 of this disk's own.
      if (layoutSeen) await heldLast();
      else layoutSeen = await folder();
      try {
        // The folder itself is never made here, only those under it: gone since the check, the copy fails.
        await copyVerified({ src: file, dest, md5, readOnly: true, below: layoutSeen ? layout : dir });
        // Made by this upload if it was not there: seen from now on.
        layoutSeen = true;
      } catch (error) {
        // A folder not found: the remote's gone (said so), or the cache file is (the caller's to say).
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          await folder();
          if (layoutSeen && !(await exists(layout)))
            throw folderMissingError({ remote: name, dir, partway: true, root });
        }
        throw error;
      }
    },
    async get({ md5, file }) {
      const src = objectPath(dir, md5);
      if (!(await exists(src))) {
        await folder();
        throw missingError(name, md5);
      }
      // Found, yet perhaps at a share's mount point, from a push made while it was unmounted: not fetched from there.
      fetchChecked ??= heldLast();
      await fetchChecked;
      await copyVerified({ src, dest: file, md5, readOnly: true, what: `remote "${name}"` });
    },
    async check() {
      await folder();
    },
    async cleanStaleTemps() {
      await folder();
      return cleanStaleObjectTemps({ base: dir });
    },
    async list() {
      await folder();
      return listObjectSizes(dir);
    },
    async holdsNothing() {
      return (await listObjectIds(dir)).size === 0;
    },
    // A mark is made only on the remote the record says this is: never on a mount point holding an old copy.
    ...(marked
      ? // Checked again before either: a pull notes the remote with it once every file has come (see get).
        { mark: async ({ make }: { make: boolean }) => (await heldLast(), make ? makeMark(dir) : readMark(dir)) }
      : {}),
    async inspect(md5) {
      const file = objectPath(dir, md5);
      const info = await stat(file).catch(() => null);
      if (!info) {
        await folder();
        return null;
      }
      return { size: info.size, md5: await hashFile({ file }) };
    },
  };
}

/**
 * REMOTE_FOLDER_EMPTIED when the folder remote `url` is not the one this computer's record says it sent files to, as a
 * push judges it (see heldLast in localRemote): no files/md5, or files/md5 without the remote's mark (another's; for a
 * record from before the marks, without the folder list recorded last), else undefined. For writers of their own, such as
 * the shard caches' index: a share's mount point while the share is not mounted is this computer's own disk.
 */
export async function notTheRemoteError({
  root,
  name,
  url,
}: {
  root: string;
  name: string;
  url: string;
}): Promise<VitrineError | undefined> {
  const remote = { name, url };
  if (!(await exists(path.join(url, 'files', 'md5')))) return emptiedFolderError({ root, remote });
  const known = await recordOf({ root, remote });
  if (known === undefined) return undefined;
  const lacking = await lackingAt(url, known);
  return lacking === undefined ? undefined : emptiedFolderError({ root, remote, lacking });
}

/**
 * What the folder remote `dir` lacks that the record `known` says it held, or undefined: the mark, or another in its
 * place; for a record from before the marks, the folder list sent or found there last. Not any recorded list: an
 * older one may be on a share's mount point, from a push made while the share was not mounted (reviewer V20, F1).
 */
async function lackingAt(dir: string, known: { lists: string[]; mark?: string }): Promise<Lacking | undefined> {
  if (known.mark === undefined) {
    const last = known.lists.at(-1);
    return last === undefined || (await exists(objectPath(dir, last))) ? undefined : 'lists';
  }
  const found = await readMark(dir);
  return found === known.mark ? undefined : found === undefined ? 'mark' : 'other mark';
}

/** The id of the mark at a folder remote's root (its first line), or undefined when there is none. */
async function readMark(dir: string): Promise<string | undefined> {
  const text = await readFile(path.join(dir, MARK_FILE), 'utf8').catch(() => '');
  const id = text.split('\n')[0]?.trim() ?? '';
  return /^[0-9a-f]{32}$/.test(id) ? id : undefined;
}

/**
 * The mark's id, written first when the folder has none: once, whole (a temp file linked to its name, which never
 * replaces one there: two pushes at once keep the first), and never making the folder itself.
 */
async function makeMark(dir: string): Promise<string | undefined> {
  const there = await readMark(dir);
  if (there) return there;
  const id = randomBytes(16).toString('hex');
  const text =
    `${id}\nVitrine's mark for this storage folder. Computers that sent images here look for it, to tell this ` +
    'folder from the empty mount point of a share that is not mounted. Keep it.\n';
  const file = path.join(dir, MARK_FILE);
  const temp = tempName(file);
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    // A file system without hard links (some shares): created only if absent, still never replaced.
    if (code !== 'EEXIST') await writeFile(file, text, { flag: 'wx' }).catch(() => undefined);
  } finally {
    await rm(temp, { force: true });
  }
  return readMark(dir);
}

/** S3-compatible settings as DVC names them in `['remote "name"']`. */
export interface S3Settings {
  /** `s3://bucket/prefix` */
  url: string;
  endpointurl?: string;
  access_key_id?: string;
  secret_access_key?: string;
  session_token?: string;
  region?: string;
  /** Seconds a connection may stay silent before a request is given up (DVC's name; default 60). */
  read_timeout?: string;
  /** DVC's `profile`: the profile of the AWS credentials file whose key is used when the remote has none. */
  profile?: string;
}

/** The idle timeout `read_timeout` (seconds) sets, in ms, or undefined for the default. */
function readTimeoutMs(value: string | undefined): number | undefined {
  const seconds = Number(value);
  return value && Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : undefined;
}

/**
 * Where and as whom a remote's S3 settings connect, for every client of that remote (the data, the
 * shard caches' index): endpoint (empty means Amazon S3), region and the configured keys (undefined:
 * the AWS SDK's usual sources).
 */
export function s3Connection({
  settings,
  env = process.env,
}: {
  settings: Omit<S3Settings, 'url'>;
  env?: Record<string, string | undefined>;
}): {
  endpoint?: string;
  region?: string;
  credentials?: S3Credentials;
  idleTimeoutMs?: number;
  profile?: string;
} {
  // The AWS tools (and DVC through them) take the endpoint from the environment when the config names
  // none; the listing (AWS SDK) and single objects (our own requests) must go to the same server.
  const endpoint = settings.endpointurl || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const credentials =
    settings.access_key_id && settings.secret_access_key
      ? {
          accessKeyId: settings.access_key_id,
          secretAccessKey: settings.secret_access_key,
          ...(settings.session_token ? { sessionToken: settings.session_token } : {}),
        }
      : undefined;
  const idleTimeoutMs = readTimeoutMs(settings.read_timeout);
  return {
    endpoint,
    region: settings.region || undefined,
    credentials,
    ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
  };
}

/** The remotes (name and endpoint) each log was told of a clock correction: the same log is told once per remote. */
const clockSaidTo = new WeakMap<Logger, Set<string>>();

/**
 * Say in `log` that this computer's clock was `offsetMs` off and the storage server's time was used, once per log and
 * remote: a command that opens the same remote twice (its data, then the registered model files; the shard caches'
 * index) is told once. Without a log nothing is said.
 */
export function sayClockCorrected({
  log,
  remote,
  endpoint,
  offsetMs,
  what = `remote "${remote}"`,
}: {
  log: Logger | undefined;
  remote: string;
  endpoint: string;
  offsetMs: number;
  /** What the server holds, in the message (default: the remote by name). */
  what?: string;
}): void {
  if (!log) return;
  const said = clockSaidTo.get(log) ?? new Set<string>();
  clockSaidTo.set(log, said);
  const key = `${remote}\n${endpoint}`;
  if (said.has(key)) return;
  said.add(key);
  log.warn(
    `This computer's clock is ${clockAmount(offsetMs)} off; used the storage server's time (${what} at ` +
      `${endpoint}). Set this computer's date and time (turn on automatic time, NTP).`,
  );
}

/** A remote in an S3-compatible bucket. Without credentials in the config, the AWS SDK's usual sources apply. */
export function s3Remote({
  name,
  settings: given,
  env = process.env,
  idleTimeoutMs,
  log,
}: {
  name: string;
  settings: S3Settings;
  /** Where a clock corrected to the server's time is said (once). */
  log?: Logger;
  /** Read when the remote is opened: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL stand in for endpointurl. */
  env?: Record<string, string | undefined>;
  /** How long a silent connection is waited for (default: read_timeout, else 60 s); tests set a short one. */
  idleTimeoutMs?: number;
}): Remote {
  const settings = { ...given, endpointurl: s3Connection({ settings: given, env }).endpoint };
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(settings.url);
  if (!m)
    throw new VitrineError(
      'DVC_REMOTE_URL',
      `Remote "${name}": "${settings.url}" is not an S3 URL like s3://bucket/folder.`,
      { remote: name, url: settings.url },
    );
  const bucket = m[1];
  const prefix = m[2].replace(/\/+$/, '');
  const connection = s3Connection({ settings, env });
  const configured = connection.credentials;
  const idleMs = idleTimeoutMs ?? connection.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  // The AWS SDK is loaded only when needed (a listing, or keys from its usual sources): loading it costs
  // more than a whole "data status".
  let sdk: Promise<{ client: S3Client; ListObjectsCommand: typeof ListObjectsCommand }> | undefined;
  const sdkClient = () => {
    sdk ??= Promise.all([import('@aws-sdk/client-s3'), import('./s3-client.ts')]).then(([aws, shared]) => ({
      ListObjectsCommand: aws.ListObjectsCommand,
      client: shared.s3Client({
        endpoint: settings.endpointurl,
        region: settings.region,
        ...(configured ? { credentials: configured } : {}),
        ...(connection.profile ? { profile: connection.profile } : {}),
        idleTimeoutMs: idleMs,
        // The SDK signs with the server's time once an answer showed the clocks apart (its systemClockOffset).
        onClockCorrected: (offsetMs) => clockCorrected(offsetMs),
      }),
    }));
    return sdk;
  };
  const endpoint = s3Endpoint({ endpoint: settings.endpointurl, region: settings.region });
  // Said once, however many transfers were refused at once, by this client or the AWS SDK's (a listing).
  const clockCorrected = (offsetMs: number) => sayClockCorrected({ log, remote: name, endpoint, offsetMs });
  const objects = s3Objects({
    endpoint: settings.endpointurl,
    region: settings.region || 'us-east-1',
    bucket,
    credentials: async () => configured ?? (await (await sdkClient()).client.config.credentials()),
    idleTimeoutMs: idleMs,
    onClockCorrected: clockCorrected,
  });
  const key = (md5: string) => (prefix ? `${prefix}/${objectKey(md5)}` : objectKey(md5));
  const fail = (action: string, md5: string, error: unknown) =>
    s3Error({
      remote: name,
      endpoint,
      bucket,
      action,
      md5,
      error,
      idleMs,
      readTimeout: given.read_timeout,
      keyFrom: keySource({ configured: configured !== undefined, profile: connection.profile, env }),
      ...(connection.profile ? { profile: connection.profile } : {}),
      // Read from the environment passed in, when the remote is opened (in Actions, GitHub sets it for every step).
      actor: env.GITHUB_ACTOR,
    });
  // Asked once, at the first absent object: a missing bucket would otherwise read as "nothing pushed yet".
  let bucketChecked: Promise<void> | undefined;
  const checkBucket = (md5: string) => {
    bucketChecked ??= objects.bucketExists().then((found) => {
      if (!found) throw new S3ResponseError('NoSuchBucket', `The bucket ${bucket} does not exist`, 404);
    });
    return bucketChecked.catch((error) => {
      throw fail('check', md5, error);
    });
  };
  /** Size and ETag (lower case, unquoted) of object `md5`, or null when absent. */
  const head = async (md5: string) => {
    const at = key(md5);
    let found;
    try {
      found = await objects.head({ key: at });
    } catch (error) {
      throw fail('check', md5, error);
    }
    if (!found) await checkBucket(md5);
    return (
      found && {
        size: found.size,
        // An ETag that is not the md5 by design (a KMS or customer key) says nothing of the bytes: not compared.
        etag: found.etagNotMd5 ? '' : plainEtag(found.etag),
        ...(found.etagNotMd5 ? { etagNotMd5: found.etagNotMd5 } : {}),
      }
    );
  };
  /**
   * Refuse an upload of object `md5` (`size` bytes) answered "stored" when the server does not hold those bytes.
   * One PUT's ETag is the md5 of what the server stored, which is the object's id: compared. Vitrine never uploads
   * in parts (MAX_SINGLE_PUT), so an ETag of parts ("…-2"), none, or one not the md5 by design (a KMS or customer
   * key) is something this check cannot read: the server is asked for the object's size instead (one HEAD).
   */
  const confirmStored = async ({ md5, size, answer }: { md5: string; size: number; answer: StoredAnswer }) => {
    const etag = plainEtag(answer.etag);
    const comparable = !answer.etagNotMd5 && /^[0-9a-f]{32}$/.test(etag);
    if (comparable && etag === contentMd5(md5)) return;
    // Another ETag alone is no proof: some servers' ETags are not the md5 of the bytes by design, with headers of
    // their own (Huawei OBS's encrypted buckets, Google Cloud Storage with a customer-managed key; reviewer V9), and
    // refusing would stop every push there. The server is asked for the object's size instead (one HEAD).
    const found = await head(md5);
    if (found && found.size === size) return;
    throw notStoredError({ md5, size, held: found ? found.size : null, ...(comparable ? { etag } : {}) });
  };
  const notStoredError = ({
    md5,
    etag,
    size,
    held,
  }: {
    md5: string;
    /** The ETag the PUT's answer gave, when it is the md5 of something else. */
    etag?: string;
    /** The file's size and what the server holds (null: nothing), when asked after an ETag it could not compare. */
    size?: number;
    held?: number | null;
  }) => {
    const what = md5.endsWith('.dir') ? `the folder list (object ${md5})` : `object ${md5}`;
    const holds =
      held === null
        ? 'asked right after, it answered that there is no such object'
        : `it holds ${held} bytes under that name, not the file’s ${size}`;
    const but =
      etag !== undefined
        ? `the checksum it gave back (ETag ${etag}) is not the file’s (${contentMd5(md5)}), and ${holds}`
        : held === null
          ? `it does not hold it: ${holds}`
          : holds;
    return new VitrineError(
      'REMOTE_UPLOAD_NOT_STORED',
      `The storage server at ${endpoint} answered that it stored ${what} (remote "${name}"), but ${but}. ` +
        'Nothing is lost: the file is still in the local cache, and the push does not count as done. Run ' +
        '"npx vitrine data push" again; if it comes back, something between this computer and the storage (a ' +
        'proxy or gateway) or the storage server itself drops uploads: ask whoever runs it, and check ' +
        `${endpointIn(name)}.`,
      {
        remote: name,
        endpoint,
        object: md5,
        ...(etag !== undefined ? { etag } : {}),
        ...(size !== undefined ? { size } : {}),
        ...(held !== undefined ? { held } : {}),
      },
    );
  };
  return {
    name,
    url: settings.url,
    async has(md5, { size } = {}) {
      const found = await head(md5);
      // As in list(): a single-part ETag that is not the md5 marks a damaged or half-written object; so does a size
      // other than the file's (an ETag of a multipart upload is not its md5, so cannot tell).
      if (found && size !== undefined && found.size !== size) return false;
      return found !== null && goodCopy({ id: md5, size: found.size, etag: found.etag });
    },
    async list() {
      const root = prefix ? `${prefix}/files/md5/` : 'files/md5/';
      const ids = new Map<string, number | undefined>();
      /** Listed with a 32-hex ETag that is not the md5: a damaged copy, or one encrypted with a KMS or customer key. */
      const unsure: { id: string; size: number | undefined }[] = [];
      // ListObjects (v1) with Marker = the last key seen: every S3-compatible server has it, while v2's
      // continuation tokens fail on some (s3rver's use a cipher OpenSSL 3 no longer offers).
      let after: string | undefined;
      do {
        let page;
        try {
          const { client, ListObjectsCommand: List } = await sdkClient();
          page = await client.send(new List({ Bucket: bucket, Prefix: root, ...(after ? { Marker: after } : {}) }));
        } catch (error) {
          throw fail('list', '(all)', error);
        }
        const keys = (page.Contents ?? []).map((item) => item.Key ?? '');
        for (const item of page.Contents ?? []) {
          const m = /^([0-9a-f]{2})\/([0-9a-f]{30}(?:\.dir)?)$/.exec((item.Key ?? '').slice(root.length));
          if (!m) continue;
          const id = m[1] + m[2];
          const etag = (item.ETag ?? '').replace(/"/g, '').toLowerCase();
          if (goodCopy({ id, size: item.Size, etag })) ids.set(id, item.Size);
          else if (item.Size !== 0) unsure.push({ id, size: item.Size });
        }
        after = page.IsTruncated && keys.length > 0 ? keys[keys.length - 1] : undefined;
      } while (after);
      // The listing cannot say which: one HEAD each (none in a bucket without such objects), else a bucket that
      // encrypts with a KMS key would have every object sent again by every large push.
      await mapPool(unsure, 8, async ({ id, size }) => {
        const found = await head(id);
        if (found?.etagNotMd5 && (size === undefined || found.size === size)) ids.set(id, found.size);
      });
      return ids;
    },
    async holdsNothing() {
      const root = prefix ? `${prefix}/files/md5/` : 'files/md5/';
      try {
        const { client, ListObjectsCommand: List } = await sdkClient();
        const page = await client.send(new List({ Bucket: bucket, Prefix: root, MaxKeys: 1 }));
        return (page.Contents ?? []).length === 0;
      } catch (error) {
        throw fail('list', '(all)', error);
      }
    },
    async inspect(md5) {
      checkObjectId(md5);
      // Every byte is read: the ETag is the md5 of what was uploaded, not of what the disk holds now. A
      // connection dropped in the middle is tried again (up to 3 times in all), as a download is.
      for (let attempt = 1; ; attempt++) {
        try {
          return await readOnce(md5);
        } catch (error) {
          if (isVitrineError(error)) throw error;
          if (error instanceof S3IdleTimeoutError) error.tries = Math.max(error.tries, attempt);
          if (attempt >= 3) throw fail('read', md5, error);
          await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** (attempt - 1)));
        }
      }
    },
    async put({ md5, file }) {
      const at = key(md5);
      const { size } = statSync(file);
      if (size > MAX_SINGLE_PUT) {
        throw new VitrineError(
          'REMOTE_OBJECT_TOO_LARGE',
          `${file} is ${(size / 2 ** 30).toFixed(1)} GiB: S3 takes at most 5 GiB in one upload, and Vitrine ` +
            'does not upload in parts yet. Keep files under 5 GiB (a derivative of the master image, for example).',
          { remote: name, md5, file, size },
        );
      }
      // Small files (most images): one read. Large ones are hashed, then streamed, never held whole.
      const body = size <= SMALL_OBJECT ? readFileSync(file) : () => createReadStream(file);
      const digest = Buffer.isBuffer(body) ? createHash('md5').update(body).digest() : await md5OfFile(file);
      if (digest.toString('hex') !== contentMd5(md5))
        throw corruptError({ md5, actual: digest.toString('hex'), where: file });
      let answer: StoredAnswer;
      try {
        // One PUT: the object appears whole or not at all; Content-MD5 makes the server check the bytes.
        answer = await objects.put({ key: at, body, length: size, contentMd5: digest.toString('base64') });
      } catch (error) {
        throw fail('upload', md5, error);
      }
      // "200 OK" is not enough: a gateway that drops the body says it too (confirmStored).
      await confirmStored({ md5, size, answer });
    },
    async get({ md5, file, keep }) {
      checkObjectId(md5);
      // A connection dropped in the middle of the bytes is tried again (up to 3 times in all), as the
      // request itself is; what it wrote is removed first, and the last failure names the object.
      for (let attempt = 1; ; attempt++) {
        try {
          return await getOnce({ md5, file, keep });
        } catch (error) {
          // This computer's disk refused the write (full, read-only): not the remote's doing, and trying again cannot
          // help; the caller names the cache folder (as for a folder remote).
          if (isVitrineError(error) || localWriteRefusal(error)) throw error;
          // A body that fell silent: its request was answered once, so the tries are this loop's.
          if (error instanceof S3IdleTimeoutError) error.tries = Math.max(error.tries, attempt);
          if (attempt >= 3) throw fail('download', md5, error);
          await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** (attempt - 1)));
        }
      }
    },
  };

  /** A GET's failure that means the object is not there (a missing bucket is checked for apart). */
  function absent(error: unknown): boolean {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return (error as Error).name === 'NoSuchKey' || (status === 404 && (error as Error).name !== 'NoSuchBucket');
  }

  /** Object `md5` read through once and hashed as it streams in (nothing kept), or null when absent. */
  async function readOnce(md5: string): Promise<{ size: number; md5: string } | null> {
    let response;
    try {
      response = await objects.get({ key: key(md5) });
    } catch (error) {
      if (!absent(error)) throw fail('read', md5, error);
      await checkBucket(md5);
      return null;
    }
    const hash = createHash('md5');
    let size = 0;
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        size += chunk.length;
      }
    } catch (error) {
      response.body.destroy();
      throw error;
    }
    return { size, md5: hash.digest('hex') };
  }

  async function getOnce({ md5, file, keep }: { md5: string; file: string; keep?: (bytes: Uint8Array) => void }) {
    {
      let response;
      try {
        response = await objects.get({ key: key(md5) });
      } catch (error) {
        if (!absent(error)) throw fail('download', md5, error);
        // A missing bucket answers every GET with 404 too: a fresh clone's pull blamed a missing push (tester).
        await checkBucket(md5);
        throw missingError(name, md5);
      }
      const temp = tempName(file);
      let kept: Uint8Array | undefined;
      try {
        await inDir(path.dirname(file), async () => {
          if ((response.contentLength ?? Infinity) <= SMALL_OBJECT) {
            // Small objects (most images): one buffer, one write.
            const bytes = await readObjectBody(response.body);
            const actual = createHash('md5').update(bytes).digest('hex');
            if (actual !== contentMd5(md5)) throw corruptError({ md5, actual, where: `remote "${name}"` });
            // Synchronous: one small write costs less than a trip through the thread pool.
            writeFileSync(temp, bytes, { mode: 0o444, flag: 'wx' });
            kept = bytes;
            return;
          }
          const hash = createHash('md5');
          const out = await open(temp, 'wx', 0o444);
          try {
            for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
              hash.update(chunk);
              await out.write(chunk);
            }
          } finally {
            await out.close();
          }
          const actual = hash.digest('hex');
          if (actual !== contentMd5(md5)) throw corruptError({ md5, actual, where: `remote "${name}"` });
        });
        renameSync(temp, file);
      } catch (error) {
        response.body.destroy();
        await rm(temp, { force: true });
        throw error;
      }
      if (kept) keep?.(kept);
    }
  }
}

/** S3's limit for one PUT. */
const MAX_SINGLE_PUT = 5 * 2 ** 30;

/** The md5 of a file, read as a stream. */
async function md5OfFile(file: string): Promise<Buffer> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest();
}

/** The network error codes that mean the server could not be reached at all. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** The codes of a connection the server (or something between) closed, rather than one never made. */
const CLOSED = new Set(['ECONNRESET', 'EPIPE']);

/** Where a data remote's address is set. */
function endpointIn(remote: string): string {
  return `endpointurl under ['remote "${remote}"'] in .dvc/config`;
}

/** TLS codes of a certificate this computer does not accept; `plain-http` for an https:// address of a plain server. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** What went wrong setting up https with the server: a certificate's code, `plain-http`, or undefined. */
export function tlsProblem(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
  ) {
    if (typeof e.code === 'string' && CERTIFICATE_CODES.has(e.code)) return e.code;
    // The answer to an https greeting was not https: the server speaks plain http on that port.
    if (
      e.code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
      (e.code === 'EPROTO' && /wrong version number/i.test(String(e.message)))
    )
      return 'plain-http';
    e = e.cause as typeof e;
    depth++;
  }
  return undefined;
}

/** The first sentence about a TLS problem (`tlsProblem`), without its full stop. */
export function tlsWords({ endpoint, problem }: { endpoint: string; problem: string }): string {
  if (problem === 'plain-http')
    return `The address ${endpoint} starts with https://, but the server there does not speak https`;
  if (problem === 'CERT_HAS_EXPIRED' || problem === 'CERT_NOT_YET_VALID')
    return `The server at ${endpoint} showed a certificate that is out of date (${problem})`;
  if (problem === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `The server at ${endpoint} showed a certificate made out to another name than its address (${problem})`;
  return `The server at ${endpoint} showed a certificate this computer does not trust (${problem})`;
}

/** What to do about a TLS problem; `where` names the setting holding the address. */
export function tlsAdvice({ problem, where }: { problem: string; where: string }): string {
  if (problem === 'plain-http')
    return `If the server has no https, write the address with http:// (${where}); otherwise check the port.`;
  if (problem === 'CERT_HAS_EXPIRED' || problem === 'CERT_NOT_YET_VALID')
    return "Ask whoever runs the server to renew it, and check this computer's date and time.";
  if (problem === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return `Check the address (${where}): use the name on the certificate.`;
  return (
    "If the museum signs its own certificates, give Vitrine the signer's certificate: set NODE_EXTRA_CA_CERTS to " +
    `its file (a .pem) before running it. Otherwise check the address (${where}).`
  );
}

/** The first sentence about an answer that is not S3's (a web page), without its full stop. */
export function notStorageWords({
  endpoint,
  status,
  sent = 'something else, such as a web page',
}: {
  endpoint: string;
  status?: number;
  /** What it sent instead. */
  sent?: string;
}): string {
  const answered = status ? ` (HTTP ${status})` : '';
  return `The server at ${endpoint} answered${answered}, but not as S3 storage does: it sent ${sent}`;
}

/** The error code of a Node network error, looked for on the error and its causes. */
function networkCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string' && UNREACHABLE.has(e.code)) return e.code;
    // An AggregateError (IPv4 and IPv6 both refused) holds the codes in .errors.
    for (const inner of Array.isArray(e.errors) ? e.errors : []) {
      const code = (inner as { code?: unknown }).code;
      if (typeof code === 'string' && UNREACHABLE.has(code)) return code;
    }
  }
  return undefined;
}

// Staff have no dvc command: name the file and lines, or the environment variables, that Vitrine reads.
const CREDENTIALS_HINT =
  'Vitrine reads the key from the lines access_key_id and secret_access_key under [\'remote "NAME"\'] in ' +
  '.dvc/config.local (a file kept out of git, beside .dvc/config; create it if it is not there), and when ' +
  'they are not set there, from the AWS credentials file (~/.aws/credentials) when a line profile = <name> under ' +
  'the remote, or AWS_PROFILE, names one of its profiles; else from the environment variables AWS_ACCESS_KEY_ID ' +
  "and AWS_SECRET_ACCESS_KEY; else from that file's [default] profile.";

/**
 * Where the key a remote signs with came from, as the AWS SDK looks for it after the remote's own lines: said
 * when the server refuses it, so that a key of another account (a [default] profile) is not a riddle (tester T4).
 */
export function keySource({
  configured,
  profile,
  env,
}: {
  configured: boolean;
  profile: string | undefined;
  env: Record<string, string | undefined>;
}): string {
  if (configured) return 'the lines access_key_id and secret_access_key in .dvc/config.local (or .dvc/config)';
  if (profile) return `the profile "${profile}" of the AWS credentials file (profile = ${profile} under the remote)`;
  if (env.AWS_PROFILE) return `the profile "${env.AWS_PROFILE}" of the AWS credentials file (AWS_PROFILE)`;
  if (env.AWS_ACCESS_KEY_ID) return 'the environment variable AWS_ACCESS_KEY_ID';
  return 'the AWS credentials file (~/.aws/credentials, its [default] profile) or another of the AWS SDK’s sources';
}

/** The login GitHub gives Dependabot: the actor (GITHUB_ACTOR) of the runs it starts, and of their re-runs. */
export const DEPENDABOT = 'dependabot[bot]';

/**
 * Why a run Dependabot started has no key (GitHub gives it only the Dependabot secrets), in plain words, with
 * what to do; '' for any other run. `key` says what to do about it.
 */
export function dependabotNoKey({ actor, key }: { actor: string | undefined; key: string }): string {
  if (actor !== DEPENDABOT) return '';
  return (
    ` This run was started by Dependabot, and GitHub gives the runs Dependabot starts (and their re-runs) only ` +
    `the Dependabot secrets, never the repository's or an environment's: so it has no key. ${key}`
  );
}

/** What a Dependabot run without the data remote's key needs: the read-only key, as Dependabot secrets. */
const DEPENDABOT_READ_KEY =
  'Add the read-only key as Dependabot secrets too, with the same names VITRINE_REMOTE_READ_ACCESS_KEY_ID and ' +
  'VITRINE_REMOTE_READ_SECRET_ACCESS_KEY (Settings, Secrets and variables, Dependabot), never the write key; then ' +
  'run it again (docs/actions.md, Keys of the data remote).';

/**
 * A typed error in plain words for an S3 failure: no credentials, refused credentials, a server that
 * did not answer, a bucket that does not exist; anything else keeps the server's own message.
 */
export function s3Error({
  remote,
  endpoint,
  bucket,
  action,
  md5,
  error,
  idleMs,
  readTimeout,
  keyFrom,
  profile,
  actor,
}: {
  remote: string;
  endpoint: string;
  bucket: string;
  action: string;
  md5: string;
  error: unknown;
  /** The idle timeout the client had, for a timeout's message. */
  idleMs?: number;
  /** The remote's read_timeout in .dvc/config, when set: a timeout's advice is then to raise it. */
  readTimeout?: string;
  /** Where the key came from (keySource), said when the server refuses it. */
  keyFrom?: string;
  /** The profile the remote names (`profile = …`), said when no key was found under it. */
  profile?: string;
  /** Who started this run on GitHub (GITHUB_ACTOR): Dependabot's runs get no key, said so when none is found. */
  actor?: string;
}): VitrineError {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message || error.name : String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // Server-wide problems (no key, no answer, no bucket) are not about one object: naming its id would
  // only read as a riddle before the message (the terminal prints `object …:` for it).
  const data = { remote, endpoint };
  const objectData = md5 === '(all)' ? data : { ...data, object: md5 };
  const what =
    md5 === '(all)' ? 'the objects' : md5.endsWith('.dir') ? `the folder list (object ${md5})` : `object ${md5}`;
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new VitrineError(
      'REMOTE_NO_CREDENTIALS',
      `The storage remote "${remote}" needs an access key, and none was found.` +
        (profile
          ? ` It names the profile "${profile}" (profile = ${profile} under it): the AWS credentials file ` +
            '(~/.aws/credentials, or AWS_SHARED_CREDENTIALS_FILE) has no key under that name; check its spelling.'
          : '') +
        ` ${CREDENTIALS_HINT.replace('NAME', remote)}` +
        dependabotNoKey({ actor, key: DEPENDABOT_READ_KEY }),
      data,
      { cause: error },
    );
  }
  // The AWS SDK names a reset connection (ECONNRESET, EPIPE, the system's ETIMEDOUT) "TimeoutError" too, though
  // it did not wait: those are told by their code below, without a wait or advice to wait longer (an outside tester).
  const lateMs = error instanceof S3ResponseError ? error.lateMs : undefined;
  if (name === 'RequestTimeTooSkewed' && lateMs !== undefined) {
    // Refused as too old while the clocks agree: the request was slow (a large upload, a proxy that holds the whole
    // body before passing it on), not the clock wrong. Sending it again would take as long.
    const took = lateMs >= 60_000 ? `${clockAmount(lateMs)} after it was signed` : 'too long after it was signed';
    // After a correction this computer's own clock is still off, but the request carried the server's time.
    const off = Math.abs(clockOffset(error) ?? 0) > CLOCK_CORRECTED_MS;
    const clocks = off ? "it was signed with the server's own time" : "this computer's clock agrees with the server's";
    return new VitrineError(
      'REMOTE_TOO_SLOW',
      `The storage server at ${endpoint} refused to let remote "${remote}" ${action} ${what}: the request reached it ` +
        `${took}, more than the ${MAX_CLOCK_SKEW_MS / 60_000} minutes it allows (RequestTimeTooSkewed), and ${clocks}. ` +
        'A slow connection, or a proxy in front of the storage that holds ' +
        'a whole upload before passing it on, does this to large files: send them from a faster connection, or ask ' +
        'whoever runs the storage server to let uploads through as they come.',
      { ...objectData, ...(lateMs >= 60_000 ? { lateMs } : {}) },
      { cause: error },
    );
  }
  if (name === 'RequestTimeTooSkewed') {
    const offsetMs = clockOffset(error);
    return new VitrineError(
      'REMOTE_CLOCK_SKEW',
      `${clockWords({ endpoint, remote, offsetMs })}: the server refuses requests whose time is more than ` +
        `${MAX_CLOCK_SKEW_MS / 60_000} minutes from its own (RequestTimeTooSkewed). Set this computer's date and time ` +
        "(turn on automatic time, NTP; for a runner, ask whoever runs it), then try again. If this computer's clock " +
        "is right, ask whoever runs the storage server to set the server's.",
      { ...data, ...(offsetMs !== undefined ? { clockOffsetMs: offsetMs } : {}) },
      { cause: error },
    );
  }
  if (error instanceof S3IdleTimeoutError || (name === 'TimeoutError' && !networkCode(error))) {
    // Our own client's timeout knows its wait; the AWS SDK's (a listing) is the one the remote gave it.
    const waited = error instanceof S3IdleTimeoutError ? error.idleMs : idleMs;
    // The tries actually made: ours count them; the AWS SDK's error carries its attempts.
    const tries =
      error instanceof S3IdleTimeoutError
        ? error.tries
        : (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
    return new VitrineError(
      'REMOTE_UNAVAILABLE',
      `The storage server at ${endpoint} did not answer (remote "${remote}": ${silence({ waitedMs: waited, tries })}). ` +
        'Check that it is running and that this computer can reach it (network, VPN), then try again. ' +
        longerWait({ remote, readTimeout }),
      { ...data, reason: 'timeout', ...(waited ? { waitedMs: waited } : {}), ...(tries ? { tries } : {}) },
      { cause: error },
    );
  }
  const tls = tlsProblem(error);
  if (tls) {
    return new VitrineError(
      'REMOTE_TLS',
      `${tlsWords({ endpoint, problem: tls })} (remote "${remote}"). ${tlsAdvice({ problem: tls, where: endpointIn(remote) })}`,
      { ...data, reason: tls },
      { cause: error },
    );
  }
  // The AWS SDK could not read the answer as S3's (a web page); a server error's page is a server error all the same.
  const unreadable = /Deserialization error|XML parse error/i.test(message);
  if (name === 'NotStorage' || (unreadable && (!status || status < 500))) {
    return new VitrineError(
      'REMOTE_NOT_STORAGE',
      `${notStorageWords({ endpoint, status, ...(message === NO_ETAG ? { sent: NO_ETAG } : {}) })} ` +
        `(remote "${remote}"). Check ${endpointIn(remote)}: it must be the ` +
        "address of the storage service's S3 interface (for MinIO, its API port, not its console), not a website.",
      { ...data, ...(status ? { status } : {}) },
      { cause: error },
    );
  }
  const code = networkCode(error);
  if (code) {
    return new VitrineError(
      'REMOTE_UNAVAILABLE',
      `The storage server at ${endpoint} ${CLOSED.has(code) ? 'closed the connection without answering' : 'did not answer'} ` +
        `(remote "${remote}", ${code}). Check that it is running and that this computer can reach it (network, VPN, ` +
        'a proxy or firewall in between), then try again.',
      { ...data, reason: code },
      { cause: error },
    );
  }
  // A check's bare 403 (no code) sent again with the server's time and refused all the same: not the clock, the key.
  const offsetMs = clockOffset(error);
  if (name === 'Forbidden' && action === 'check' && offsetMs !== undefined && Math.abs(offsetMs) > CLOCK_CORRECTED_MS) {
    return new VitrineError(
      'REMOTE_ACCESS_DENIED',
      `The storage server at ${endpoint} refused to let remote "${remote}" check ${what}, though the request was ` +
        `signed with the server's own time (this computer's clock is ${clockAmount(offsetMs)} off): the access key ` +
        `is wrong, or it may not have permission for bucket "${bucket}" (without permission to list the bucket, a ` +
        'missing object is refused rather than reported missing). Ask whoever manages the storage, or check the ' +
        `key: ${CREDENTIALS_HINT.replace('NAME', remote)}`,
      { ...objectData, clockOffsetMs: offsetMs },
      { cause: error },
    );
  }
  if (
    ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken'].includes(name) ||
    (status === 403 && action === 'check' && name !== 'AccessDenied')
  ) {
    return new VitrineError(
      'REMOTE_ACCESS_DENIED',
      `The storage server at ${endpoint} did not accept the access key of remote "${remote}" ` +
        `(${name || status}).${keyFrom ? ` The key came from ${keyFrom}.` : ''} ` +
        `Check the key and secret: ${CREDENTIALS_HINT.replace('NAME', remote)}`,
      data,
      { cause: error },
    );
  }
  if (name === 'AccessDenied' || status === 403) {
    return new VitrineError(
      'REMOTE_ACCESS_DENIED',
      `The storage server at ${endpoint} refused to let remote "${remote}" ${action} ${what}: the access ` +
        `key works but may not have permission for bucket "${bucket}". Ask whoever manages the storage, or ` +
        `check the key: ${CREDENTIALS_HINT.replace('NAME', remote)}`,
      objectData,
      { cause: error },
    );
  }
  if (name === 'NoSuchBucket') {
    return new VitrineError(
      'REMOTE_NO_BUCKET',
      `The storage server at ${endpoint} has no bucket called "${bucket}" (remote "${remote}"). Check the url ` +
        `in .dvc/config, or create the bucket.`,
      { ...data, bucket },
      { cause: error },
    );
  }
  return new VitrineError(
    'REMOTE_UNAVAILABLE',
    `Could not ${action} ${what} on the remote "${remote}" at ${endpoint}: ` +
      serverAnswer({ name, message: unreadable ? '' : message, status }),
    { ...objectData, ...(status ? { status } : {}), ...(name && status ? { serverCode: name } : {}) },
    { cause: error },
  );
}

/**
 * The storage server's clock minus this computer's (ms): our own client reads the answer's Date header; the AWS
 * SDK's error carries the server's <ServerTime>.
 */
function clockOffset(error: unknown): number | undefined {
  if (error instanceof S3ResponseError) return error.clockOffsetMs;
  const serverTime = Date.parse(String((error as { ServerTime?: unknown }).ServerTime ?? ''));
  return Number.isNaN(serverTime) ? undefined : serverTime - Date.now();
}

/** How far apart two clocks are, in words: "20 minutes", "3 hours", "2 days". */
export function clockAmount(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hours = Math.round(minutes / 60);
  return minutes < 120 ? `${minutes} minutes` : hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

/**
 * "This computer's clock is 20 minutes behind the storage server's at … (remote "storage"; the server's time:
 * 2026-12-06 11:36 UTC)", without its full stop.
 */
function clockWords({ endpoint, remote, offsetMs }: { endpoint: string; remote: string; offsetMs?: number }): string {
  if (offsetMs === undefined)
    return `This computer's clock and the storage server's at ${endpoint} are too far apart (remote "${remote}")`;
  const amount = clockAmount(offsetMs);
  const server = new Date(Date.now() + offsetMs).toISOString().slice(0, 16).replace('T', ' ');
  return (
    `This computer's clock is ${amount} ${offsetMs > 0 ? 'behind' : 'ahead of'} the storage server's at ` +
    `${endpoint} (remote "${remote}"; the server's time: ${server} UTC)`
  );
}

/**
 * What to do about a server too slow for the wait: add read_timeout to the remote's section, or, when the line is
 * there already (`readTimeout`, its value in seconds), raise it.
 */
export function longerWait({ remote, readTimeout }: { remote: string; readTimeout?: string }): string {
  const where = `under ['remote "${remote}"'] in .dvc/config`;
  return readTimeoutMs(readTimeout)
    ? `A slow server may need a longer wait: raise read_timeout (now ${readTimeout} seconds) ${where}.`
    : `A slow server may need a longer wait: add the line "read_timeout = SECONDS" ${where}.`;
}

/**
 * What the server answered, as a sentence's end: its S3 error code and HTTP status first (InternalError, SlowDown,
 * HTTP 500 or 503: what whoever runs it asks for), then its own free text, quoted ("the server answered
 * InternalError (HTTP 500): "We encountered an internal error.""). Without a status, the error's own words.
 */
function serverAnswer({ name, message, status }: { name: string; message: string; status?: number }): string {
  // Our own reading of the answer (the bucket's region) is already plain words.
  if (!status || name === 'WrongRegion') return fullStop(message);
  // A name made from the status ("Http500") or a plain Error says nothing the status does not.
  const code = name && !/^(Http\d+|Error|UnknownError)$/.test(name) ? `${name} ` : '';
  const text = message && message !== name && message !== `HTTP ${status}` ? `: "${message}"` : '';
  return `the server answered ${code}(HTTP ${status})${text}.`;
}

/** `text` ending as a sentence does, so the next sentence is not read as part of it. */
export function fullStop(text: string): string {
  const trimmed = text.trimEnd();
  return /[.!?]["')\]]?$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * How long a silent server was waited for, and how many times: "it sent nothing for 60 s, 3 tries"
 * (`waitedMs` and `tries` as s3Error puts them in a timeout's data); "it stopped answering" when unknown.
 */
export function silence({ waitedMs, tries }: { waitedMs?: unknown; tries?: unknown }): string {
  const counted = typeof tries === 'number' && tries > 0 ? `, ${tries === 1 ? '1 try' : `${tries} tries`}` : '';
  return typeof waitedMs === 'number' && waitedMs > 0
    ? `it sent nothing for ${formatSeconds(waitedMs)}${counted}`
    : `it stopped answering${counted}`;
}

/** "0.3 s", "60 s", "2 min". */
function formatSeconds(ms: number): string {
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * True when `url` is a folder inside the repository at `root` (init's default, .vitrine-remote): .gitignore leaves it
 * out, so it is on the computer that made it only.
 */
export function inRepositoryFolder({ root, url }: { root: string; url: string }): boolean {
  if (isUrl(url)) return false;
  const folder = path.resolve(root, url);
  const rel = path.relative(path.resolve(root), folder);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The remote from a config entry (`root`: the repository whose .dvc/config it is). */
export function remoteFromConfig({
  config,
  root,
  log,
}: {
  config: RemoteConfig;
  root?: string;
  /** Where an S3 remote says it corrected this computer's clock to the server's. */
  log?: Logger;
}): Remote {
  if (!config.url)
    throw new VitrineError('DVC_REMOTE_URL', `The remote "${config.name}" has no url in .dvc/config.`, {
      remote: config.name,
    });
  if (config.url.startsWith('s3://'))
    return s3Remote({
      name: config.name,
      settings: { ...config.options, url: config.url } as S3Settings,
      ...(log ? { log } : {}),
    });
  if (isUrl(config.url)) {
    throw new VitrineError(
      'DVC_REMOTE_UNSUPPORTED',
      `The remote "${config.name}" (${config.url}) uses a kind of storage Vitrine does not support yet: use a ` +
        `folder or S3-compatible storage (s3://…).`,
      { remote: config.name, url: config.url },
    );
  }
  return localRemote({ name: config.name, dir: config.url, mustExist: true, root });
}

/** Open the named remote, or the default (`core.remote`) from `.dvc/config` + `.dvc/config.local`. */
export async function openRemote({
  root,
  name,
  log,
}: {
  root: string;
  name?: string;
  /** Where an S3 remote says it corrected this computer's clock to the server's. */
  log?: Logger;
}): Promise<Remote> {
  const config = await readDvcConfig({ root });
  const wanted = name ?? config.defaultRemote;
  if (!wanted) {
    throw new VitrineError(
      'DVC_NO_REMOTE',
      'No storage remote is set up: run "npx vitrine data init" or "dvc remote add -d NAME URL" to choose where the images are stored.',
      {},
    );
  }
  const remote = config.remotes[wanted];
  if (!remote) {
    const known = Object.keys(config.remotes);
    throw new VitrineError(
      'DVC_REMOTE_UNKNOWN',
      `There is no remote called "${wanted}" in .dvc/config${known.length ? ` (known: ${known.join(', ')})` : ''}.`,
      { remote: wanted },
    );
  }
  return remoteFromConfig({ config: remote, root, ...(log ? { log } : {}) });
}

/** A refusal by this computer's disk (full, over quota, read-only, no permission) of a file being written. */
function localWriteRefusal(error: unknown): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  const refused = ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM'].includes(e?.code ?? '');
  // A network call's refusal (a firewall's EACCES on connect) is the remote's side.
  return refused && typeof e?.syscall === 'string' && !['connect', 'getaddrinfo'].includes(e.syscall);
}

/** An ETag as S3 compares them: without its quotes (and a weak mark a proxy may add), in lower case. */
function plainEtag(etag: string | undefined): string {
  return (etag ?? '').replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
}

/** The md5 of no bytes: the one object an empty copy is good for. */
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/**
 * Whether an S3 object (its listing or HEAD) looks like a whole copy of object `id`. A single-part ETag is the md5
 * of the bytes: one that differs marks a damaged or half-written object (some servers keep the part a killed upload
 * sent). An empty object is a good copy of no other file, whatever its ETag: a server stopped mid-upload kept one,
 * listed with an empty ETag, and a large push counted it as there (a tester). Either is left out, uploaded again.
 */
function goodCopy({ id, size, etag }: { id: string; size: number | undefined; etag: string }): boolean {
  const md5 = contentMd5(id);
  if (size === 0 && md5 !== EMPTY_MD5) return false;
  return !/^[0-9a-f]{32}$/.test(etag) || etag === md5;
}

/**
 * The remote `from` names, to read what this computer lacks from (`data push --all --from`): a remote of .dvc/config
 * by its name, else a folder (from the repository, as "data init" takes it) or an s3:// address. An address a remote
 * of .dvc/config has is opened with that remote's settings (the old endpoint and keys "data init" kept, V17); another
 * with the settings of the default remote when it is of the same kind (the endpoint and keys of a bucket whose
 * address "data init" changed). A folder that is not there is refused, not made, and so is `pushingTo` itself.
 */
export async function openRemoteAt({
  root,
  from,
  pushingTo,
  log,
}: {
  root: string;
  from: string;
  /** The name of the remote being pushed to: --from naming it reads nothing new (reviewer V17). */
  pushingTo?: string;
  log?: Logger;
}): Promise<Remote> {
  const config = await readDvcConfig({ root });
  const url = config.remotes[from] ? config.remotes[from].url : isUrl(from) ? from : path.resolve(root, from);
  const target = pushingTo ? config.remotes[pushingTo] : undefined;
  const named =
    config.remotes[from] ??
    Object.values(config.remotes).find((r) => r.url === url && r.name !== pushingTo) ??
    (target?.url === url ? target : undefined);
  const server = (r: RemoteConfig | undefined) => r?.options.endpointurl ?? '';
  if (target && (named?.name === pushingTo || (target.url === url && server(named ?? target) === server(target))))
    throw new VitrineError(
      'REMOTE_FROM_IS_TARGET',
      `--from names the remote being pushed to ("${pushingTo}", ${target.url}): it can only give what that remote ` +
        'has already. Give --from the old place: the folder, s3:// address or remote name the images were on before ' +
        '"data init" moved them. Nothing was sent.',
      { from, remote: pushingTo },
    );
  if (named) return openRemote({ root, name: named.name, ...(log ? { log } : {}) });
  if (!isUrl(url) && !(await stat(url).catch(() => null))?.isDirectory())
    throw new VitrineError(
      'REMOTE_FROM_MISSING',
      `The old place given to --from, ${from}, is not there (no folder ${url}). Nothing was sent. Give --from the ` +
        'folder that holds the old remote (a network share or drive must be connected first), its s3:// address, ' +
        'or its remote name.',
      { from, url },
    );
  const base = config.defaultRemote ? config.remotes[config.defaultRemote] : undefined;
  const sameKind = base !== undefined && isUrl(base.url) && base.url.split('://')[0] === url.split('://')[0];
  const options = sameKind ? { ...base.options, url } : { url };
  return remoteFromConfig({ config: { name: from, url, options }, root, ...(log ? { log } : {}) });
}
