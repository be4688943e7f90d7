import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  type ListObjectsCommandOutput,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mapPool } from '../data/hash.ts';
import {
  clockAmount,
  dependabotNoKey,
  notStorageWords,
  s3Error,
  sayClockCorrected,
  silence,
  tlsAdvice,
  tlsWords,
} from '../data/remote.ts';
import { s3Client, s3Endpoint, sdkBodyAtMost } from '../data/s3-client.ts';
import { CLOCK_CORRECTED_MS, DEFAULT_IDLE_TIMEOUT_MS } from '../data/s3-objects.ts';
import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import type { Logger, Whereabouts } from '../log.ts';
import { listWords } from '../words.ts';
import { cacheControl, contentType, isEntry, searchProgram } from './files.ts';
import { imageLinks, type Rewrite } from './rewrite.ts';
import type { PublishTarget } from './settings.ts';

export type { PublishTarget };

/*
 * `vitrine publish`: the built catalogue (.vitrine/site/) to an S3-compatible bucket, in an order that
 * keeps the site online and whole at every moment:
 *   1. files the pages use (scripts, styles, search index chunks, thumbnails) that are new or changed;
 *   2. then the pages and the files that name the others (HTML, the sitemap);
 *   3. then Pagefind's program, when it changed (an upgrade): what its script loads (WebAssembly, worker),
 *      the script, the interfaces that load the script (`searchProgram`), one after the other;
 *   4. then the search index's switch: part 0's entry and the list of the other parts (`switchSearch`);
 *   5. only then, the files the new build no longer has.
 * The program's names do not change with its bytes, and a script works only with its own WebAssembly: no order
 * makes an upgrade atomic. Sent just before the switch, each group right after the one it loads, a visitor's
 * old script meets the new WebAssembly only while those few files are sent (not while every page is), and one
 * who has the new script gets the new WebAssembly. Browsers ask again for them each time (`cacheControl`).
 * Only files whose md5 differs from the bucket's copy are sent. Vitrine deletes only what it
 * published itself (listed in `<prefix>/.vitrine-published.json`), never other files in the bucket,
 * and never anything outside the prefix. Unlike `rclone sync` or `aws s3 sync --delete`, which delete
 * whatever the source lacks, it leaves files put there by other means (a press kit beside the site).
 * When the record is damaged, the files it published are those under the prefix that carry the md5
 * every Vitrine upload has stored in its metadata since the first version (`x-amz-meta-md5`). The record
 * is a file in the bucket that anyone who can write under the prefix can rewrite, so a file it lists is
 * deleted only when it carries that md5 too, and (when the record keeps one) the md5 the record says
 * was uploaded.
 */

/** What Vitrine has published under a prefix: written before any upload, rewritten after the deletes. */
export const MANIFEST = '.vitrine-published.json';

/** The publish record lists every file of the site (a few dozen bytes each): one over 512 MB is not ours. */
export const MAX_RECORD_BYTES = 512 * 1024 * 1024;
/** The search's list of parts names a few parts and carries their entries and metadata; one over 16 MB is not one. */
const MAX_PARTS_LIST_BYTES = 16 * 1024 * 1024;

export interface PublishResult {
  /** Site paths sent (or that would be, with dryRun). */
  uploaded: string[];
  /** Files already online with the same content. */
  unchanged: number;
  /** Site paths removed from the bucket (or that would be). */
  deleted: string[];
  dryRun: boolean;
  /** Where the site went, e.g. "s3://www/collection/". */
  destination: string;
}

/** What the bucket holds for one site path: the ETag from the listing, and the md5 from its metadata when read. */
export interface RemoteFile {
  etag: string;
  md5?: string;
}

/**
 * Which files to send, which are already online, which to delete. An ETag is an md5 only for
 * single-part uploads ("…-N" for multipart): otherwise the md5 Vitrine stores in metadata decides.
 */
export function plan({
  local,
  remote,
  published,
}: {
  local: Map<string, string>;
  remote: Map<string, RemoteFile>;
  published: Set<string>;
}): { upload: string[]; unchanged: string[]; stale: string[] } {
  const upload: string[] = [];
  const unchanged: string[] = [];
  for (const [file, md5] of local) {
    const online = remote.get(file);
    if (online && (online.etag === md5 || online.md5 === md5)) unchanged.push(file);
    else upload.push(file);
  }
  const stale = [...published].filter((file) => !local.has(file) && remote.has(file) && plainName(file));
  return { upload: upload.sort(), unchanged: unchanged.sort(), stale: stale.sort() };
}

const isMd5 = (etag: string) => /^[0-9a-f]{32}$/.test(etag);

/**
 * A site path with no empty, "." or ".." part: a server or proxy may resolve such a key to another one,
 * outside the prefix or a file of the new build, so it is never deleted.
 */
const plainName = (file: string) => file.split('/').every((part) => part !== '' && part !== '.' && part !== '..');

/**
 * The AWS SDK's client for the catalogue's bucket. When the server's clock is far from this computer's, the SDK signs
 * with the server's time from its answers on; the log says so once, as the data remote's does.
 */
function catalogueClient({
  target,
  idleTimeoutMs,
  log,
}: {
  target: PublishTarget;
  idleTimeoutMs: number;
  log: Logger;
}): S3Client {
  const endpoint = s3Endpoint({ endpoint: target.endpoint, region: target.region });
  return s3Client({
    ...target,
    idleTimeoutMs,
    onClockCorrected: (offsetMs) =>
      sayClockCorrected({
        log,
        remote: `catalogue ${target.bucket}`,
        endpoint,
        offsetMs,
        what: `the catalogue's bucket "${target.bucket}"`,
      }),
  });
}

/** Publish the built site in `site` to `target`. With `dryRun`, only says what it would do. */
export async function publishSite({
  site,
  target,
  log,
  dryRun = false,
  client,
  pageSize = 1000,
  idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
  maxRecordBytes = MAX_RECORD_BYTES,
  where = {},
  actor,
}: {
  site: string;
  target: PublishTarget;
  log: Logger;
  dryRun?: boolean;
  client?: S3Client;
  /** Objects per listing request (S3's most, 1000, unless a test wants several pages). */
  pageSize?: number;
  /** A connection silent this long fails a try (3 in all), as for the data remote (default 60 s); tests set less. */
  idleTimeoutMs?: number;
  /** The publish record on the bucket larger than this is refused (PUBLISH_RECORD_TOO_LARGE) rather than read whole. */
  maxRecordBytes?: number;
  /** Kept saying what visitors see at each moment, for the message of a publish stopped by Ctrl-C. */
  where?: Whereabouts;
  /** Who started this run on GitHub (GITHUB_ACTOR): a Dependabot run has no key, and is told why. */
  actor?: string;
}): Promise<PublishResult> {
  // Stopped by Ctrl-C: what visitors see then, and that the same command finishes the job.
  let sentCount = 0;
  const stoppedIn = (state: string) => () => `${state} Run "npx vitrine publish" again to finish: ${resume(sentCount)}`;
  where.now = stoppedIn(NOTHING_SENT);
  const s3 = client ?? catalogueClient({ target, idleTimeoutMs, log });
  const jobs = target.jobs ?? 8;
  const key = (file: string) => (target.prefix ? `${target.prefix}/${file}` : file);
  const destination = `s3://${target.bucket}/${target.prefix ? `${target.prefix}/` : ''}`;
  // Set once the server has answered: a refused connection after that means it stopped answering.
  const heard = { yet: false };
  const fail = failWith({ target, idleTimeoutMs, heard, actor });
  const rewrite = imageLinks({ base: target.base, imageBaseUrl: target.imageBaseUrl });

  const files = await siteFiles(site);
  const local = new Map<string, string>();
  await mapPool(files, jobs, async (file) => {
    local.set(file, md5Of(await fileBody({ site, file, rewrite })));
  });
  // A server that stops answering or fails before anything is sent: say that this publish changed nothing.
  // (Settings to fix, a missing bucket or a refused key, say what to change instead.)
  const beforeSending = <T>(step: Promise<T>) =>
    step.catch((error) => {
      if (!isVitrineError(error, 'PUBLISH_UNAVAILABLE') && !isVitrineError(error, 'PUBLISH_FAILED')) throw error;
      throw interrupted({ error, state: NOTHING_SENT, target, sent: 0 });
    });
  const remote = await beforeSending(listRemote({ s3, target, fail, pageSize }));
  heard.yet = true;
  // Objects uploaded in parts by another tool: their md5 is in the metadata, if anywhere.
  await beforeSending(
    mapPool(
      [...remote].filter(([file, r]) => !isMd5(r.etag) && local.has(file)),
      jobs,
      async ([file, r]) => {
        const head = await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key(file) })).catch((error) => {
          throw fail('check', key(file), error);
        });
        r.md5 = head.Metadata?.md5;
      },
    ),
  );
  const record = await beforeSending(readManifest({ s3, target, key: key(MANIFEST), fail, maxBytes: maxRecordBytes }));
  const published =
    record.damaged === undefined
      ? await beforeSending(checkListed({ s3, target, remote, local, record, jobs, key, fail, log, dryRun }))
      : await beforeSending(
          publishedByVitrine({ s3, target, remote, local, jobs, key, fail, log, dryRun, why: record.damaged }),
        );
  const decided = plan({ local, remote, published });
  const result = {
    uploaded: decided.upload,
    unchanged: decided.unchanged.length,
    deleted: decided.stale,
    dryRun,
    destination,
  };

  if (dryRun) {
    log.info(
      `Would upload ${count(decided.upload.length, 'file')} to ${destination} ` +
        `(${decided.unchanged.length} unchanged), would delete ${decided.stale.length}.`,
    );
    for (const file of decided.upload.slice(0, 50)) log.info(`  upload ${file}`);
    if (decided.upload.length > 50) log.info(`  … and ${decided.upload.length - 50} more to upload`);
    for (const file of decided.stale.slice(0, 50)) log.info(`  delete ${file}`);
    if (decided.stale.length > 50) log.info(`  … and ${decided.stale.length - 50} more to delete`);
    return result;
  }

  // Everything about to be sent is recorded first: a publish killed half-way leaves
  // nothing the next one cannot clean up.
  const toRecord = new Map([...published].map((file) => [file, record.md5.get(file) ?? ['']]));
  const sending = new Set(decided.upload);
  for (const [file, md5] of local) {
    // A file being replaced may hold either md5 until the final record (old online, new on its way): both are
    // named, so a publish stopped after sending it leaves the next one able to delete it. No old md5: the mark decides.
    const old = record.md5.get(file);
    toRecord.set(file, !(sending.has(file) && remote.has(file)) ? [md5] : old ? [...new Set([...old, md5])] : ['']);
  }
  const recorded = (file: string) => record.md5.get(file)?.join() ?? '';
  if (
    decided.upload.length > 0 &&
    [...toRecord].some(([file, md5]) => !record.files.has(file) || recorded(file) !== md5.join())
  )
    await beforeSending(writeManifest({ s3, target, key: key(MANIFEST), files: toRecord, fail }));
  // A page online already (not only a new build's new page): the bucket holds a site visitors see.
  const siteOnline = [...remote.keys()].some((file) => file.endsWith('.html'));
  const progress = log.progress(`Publishing to ${destination}`, decided.upload.length + decided.stale.length);
  const send = async (file: string) => {
    const bytes = await fileBody({ site, file, rewrite });
    const digest = createHash('md5').update(bytes).digest();
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key(file),
          Body: bytes,
          ContentMD5: digest.toString('base64'),
          ContentType: contentType(file),
          CacheControl: cacheControl(file),
          Metadata: { md5: digest.toString('hex') },
        }),
      );
    } catch (error) {
      throw fail('upload', key(file), error);
    }
    sentCount++;
    progress.tick();
  };
  const switches = decided.upload.filter((file) => SEARCH_SWITCH.includes(file));
  const program = decided.upload.filter((file) => searchProgram(file));
  const assets = decided.upload.filter((file) => !isEntry(file) && !searchProgram(file));
  const pages = decided.upload.filter((file) => isEntry(file) && !switches.includes(file) && !searchProgram(file));
  const assetsState = () =>
    siteOnline
      ? untouched()
      : `The site is not online yet: ${sentCount} of ${local.size} files are up, and the pages go up last, so ` +
        'no visitor sees a page whose pictures or scripts are missing.';
  where.now = () => stoppedIn(assetsState())();
  const assetsDone = await settle(assets, jobs, send);
  if (assetsDone.error) throw interrupted({ error: assetsDone.error, state: assetsState(), target, sent: sentCount });
  const pagesSent = new Set<string>();
  const pagesState = () => {
    // A page the bucket did not hold (a new object's) has no old version online: it is missing, not old.
    const left = pages.filter((f) => !pagesSent.has(f));
    const old = left.filter((f) => remote.has(f));
    const missing = left.filter((f) => !remote.has(f));
    const still = [
      ...(old.length
        ? [`${count(old.length, 'page')} ${old.length === 1 ? 'is' : 'are'} still the old version: ${someFiles(old)}`]
        : []),
      ...(missing.length
        ? [
            `${count(missing.length, 'new page')} ${missing.length === 1 ? 'is' : 'are'} not online yet: ${someFiles(missing)}`,
          ]
        : []),
    ];
    return pagesSent.size === 0
      ? untouched()
      : `${pagesSent.size} of ${pages.length} changed pages are already the new ones; ${still.join('; ')}. ` +
          'Visitors see this mix of old and new pages until a publish finishes; each page works (every file ' +
          'it uses is online), search is unchanged, and nothing was deleted.';
  };
  where.now = () => stoppedIn(pagesState())();
  const pagesDone = await settle(pages, jobs, async (file) => {
    await send(file);
    pagesSent.add(file);
  });
  if (pagesDone.error) throw interrupted({ error: pagesDone.error, state: pagesState(), target, sent: sentCount });
  const sent: string[] = [];
  const programState = () =>
    `${everyPage(pages.length)} But search may not work until this publish is finished: Pagefind's ` +
    `program is only partly the new version (${sent.length > 0 ? someFiles(sent) : 'none'} went up, not ` +
    `${someFiles(program.filter((f) => !sent.includes(f)))}).`;
  if (program.length > 0) where.now = () => stoppedIn(programState())();
  for (const group of ['loaded', 'loader', 'interface'] as const) {
    const done = await settle(
      program.filter((file) => searchProgram(file) === group),
      jobs,
      async (file) => {
        await send(file);
        sent.push(file);
      },
    );
    if (done.error) throw interrupted({ error: done.error, state: programState(), target, sent: sentCount });
  }
  const switched: SwitchState = { shortened: false, entry: false, listCarriesEntry: false };
  where.now = () => stoppedIn(`${everyPage(pages.length)} ${searchState({ switches, state: switched })}`)();
  try {
    await switchSearch({ site, switches, send, s3, target, key: key(SEARCH_PARTS), fail, state: switched });
  } catch (error) {
    throw interrupted({
      error,
      state: `${everyPage(pages.length)} ${searchState({ switches, state: switched })}`,
      target,
      sent: sentCount,
    });
  }

  const deletesState =
    'The new site is online, whole, search included; some files the previous build had and this one does ' +
    'not are still in the bucket (no page links to them).';
  where.now = stoppedIn(deletesState);
  const deletesDone = await settle(decided.stale, jobs, async (file) => {
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key(file) }));
    } catch (error) {
      throw fail('delete', key(file), error);
    }
    progress.tick();
  });
  if (deletesDone.error) throw interrupted({ error: deletesDone.error, state: deletesState, target, sent: sentCount });
  // Nothing was added or removed: the list is already right, and a publish with nothing to do writes nothing.
  // (A record that lists others' files, or lacks the md5s, is rewritten too.)
  const listChanged =
    record.files.size !== local.size || [...local].some(([file, md5]) => record.md5.get(file)?.join() !== md5);
  if (listChanged) {
    const uploaded = new Map([...local].map(([file, md5]) => [file, [md5]]));
    await writeManifest({ s3, target, key: key(MANIFEST), files: uploaded, fail });
  }
  progress.done();
  log.info(
    `Published the catalogue to ${destination}: ${count(decided.upload.length, 'file')} uploaded, ` +
      `${decided.unchanged.length} unchanged, ${decided.stale.length} deleted.`,
  );
  return result;
}

/** The file a check writes and deletes at once under the prefix: no site has a file of this name. */
export const CHECK_FILE = '.vitrine-publish-check';

/**
 * Whether a publish to `target` could start: the server answers, the bucket exists, and the key may
 * list, write, read and delete under the prefix (a small file written, read back, then deleted). Nothing of the site is
 * read or sent, so a workflow can ask before it changes anything (rollback.yml, before the tag moves).
 */
export async function checkPublishTarget({
  target,
  log,
  client,
  idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
  actor,
}: {
  target: PublishTarget;
  log: Logger;
  client?: S3Client;
  idleTimeoutMs?: number;
  /** Who started this run on GitHub (GITHUB_ACTOR): a Dependabot run has no key, and is told why. */
  actor?: string;
}): Promise<void> {
  const s3 = client ?? catalogueClient({ target, idleTimeoutMs, log });
  const heard = { yet: false };
  const fail = failWith({ target, idleTimeoutMs, heard, command: 'npx vitrine publish --check', actor });
  const prefix = target.prefix ? `${target.prefix}/` : '';
  try {
    await s3.send(new ListObjectsCommand({ Bucket: target.bucket, Prefix: prefix, MaxKeys: 1 }));
  } catch (error) {
    throw fail('list', prefix, error);
  }
  heard.yet = true;
  const key = `${prefix}${CHECK_FILE}`;
  const bytes = Buffer.from('Written and deleted by "vitrine publish --check".\n');
  try {
    await s3.send(new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: bytes, ContentType: 'text/plain' }));
  } catch (error) {
    throw fail('upload', key, error);
  }
  // A publish reads its record back (.vitrine-published.json): reading is checked too.
  try {
    const read = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    await sdkBodyAtMost(read.Body, 1024);
  } catch (error) {
    // The file is not left behind in the public bucket: deleted all the same, if the key may.
    await s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key })).catch(() => {});
    throw fail('read', key, error);
  }
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
  } catch (error) {
    const failed = fail('delete', key, error);
    throw new VitrineError(
      failed.code,
      `${failed.message} (A publish deletes the files a new build no longer has, so it needs that too. ` +
        `The check left ${key} in the bucket: delete it by hand.)`,
      failed.data,
      { cause: error },
    );
  }
  const where = `s3://${target.bucket}/${prefix}`;
  log.info(`Ready to publish to ${where} at ${s3Endpoint(target)}: the key may list, write, read and delete there.`);
}

const SEARCH_ENTRY = 'pagefind/pagefind-entry.json';
const SEARCH_PARTS = 'pagefind/parts.json';
const SEARCH_SWITCH = [SEARCH_ENTRY, SEARCH_PARTS];

/**
 * Switch the search index to the new build's: part 0 (`pagefind/`, named by its entry) and the list of
 * the other parts (`parts.json`, pipeline/catalogue/search-index.ts), each one file put on its own,
 * after everything they name is online. The two cannot change at once, and a page can move between
 * part 0 and another part (the collection grew or shrank past a part), so either order alone lets a
 * visitor find a page twice for a moment (old part 0 with the new list when it grew, new part 0 with
 * the old list when it shrank). So, when both change: first a list of only the parts both builds list
 * (merged parts are named by their content, so a shared one is the same in both), then part 0, then
 * the new list. Each moment is then the old or the new index less some parts: a page may be missing
 * from search for a moment, never found twice. When the list online and the new one both carry part 0
 * (its entry and metadata: search-index.ts), the search page reads part 0 from the list alone: the new
 * list switches the whole index at once, and the shortened list would only hide the dropped parts.
 */
async function switchSearch({
  site,
  switches,
  send,
  s3,
  target,
  key,
  fail,
  state,
}: {
  site: string;
  switches: string[];
  send: (file: string) => Promise<void>;
  s3: S3Client;
  target: PublishTarget;
  key: string;
  fail: Fail;
  /** How far the switch went, for the message when it stops. */
  state: SwitchState;
}): Promise<void> {
  if (switches.length === 2) {
    const next = await readFile(path.join(site, ...SEARCH_PARTS.split('/')), 'utf8')
      .then((text) => partsList(text))
      .catch(() => null);
    const online = await s3
      .send(new GetObjectCommand({ Bucket: target.bucket, Key: key }))
      .then(async (r) => {
        // A list of a few parts: one far larger is not one, and is not read whole.
        const { bytes, complete } = await sdkBodyAtMost(r.Body, MAX_PARTS_LIST_BYTES);
        return complete ? partsList(bytes.toString('utf8')) : null;
      })
      .catch(() => null);
    // A list that carries its parts' entries (search-index.ts) is what the search page reads part 0 from.
    // Only when the new list carries it too: the new script (online before the switch) takes the files only then.
    state.listCarriesEntry = online?.parts[0]?.files !== undefined && next?.parts[0]?.files !== undefined;
    if (next && !state.listCarriesEntry) {
      const both = next.parts.slice(1).filter((p) => online?.parts.some((o) => o.path === p.path));
      // Needed only when the new list drops a part the old one names.
      if ((online?.parts.length ?? 1) - 1 > both.length) {
        const body = JSON.stringify({ version: 1, parts: [online?.parts[0] ?? next.parts[0], ...both] });
        try {
          await s3.send(
            new PutObjectCommand({
              Bucket: target.bucket,
              Key: key,
              Body: body,
              ContentType: contentType(SEARCH_PARTS),
              CacheControl: cacheControl(SEARCH_PARTS),
            }),
          );
        } catch (error) {
          throw fail('upload', key, error);
        }
        state.shortened = true;
      }
    }
  }
  for (const file of SEARCH_SWITCH)
    if (switches.includes(file)) {
      await send(file);
      if (file === SEARCH_ENTRY) state.entry = true;
    }
}

interface SwitchState {
  /** The list of only the parts both builds list is online. */
  shortened: boolean;
  /** The new part 0 (its entry) is online. */
  entry: boolean;
  /** The list online carries its parts' entries: the search page takes part 0 from it, not from the entry file. */
  listCarriesEntry: boolean;
}

/** What a visitor's search uses when the switch stopped (`state`) before its end. */
function searchState({ switches, state }: { switches: string[]; state: SwitchState }): string {
  const changed = `objects added or moved since the previous build may not be found by search.`;
  if (state.entry && !state.listCarriesEntry)
    return state.shortened
      ? `Search uses the new index's first part (${SEARCH_ENTRY}) with only the other parts both builds list ` +
          `(${SEARCH_PARTS} is a shortened list put up for the switch): ${changed}`
      : `Search uses the new index's first part (${SEARCH_ENTRY}) with the previous list of the other parts ` +
          `(${SEARCH_PARTS}): ${changed}`;
  if (state.shortened)
    return (
      `Search uses the previous index without the parts the new one drops (${SEARCH_PARTS} lists only the ` +
      `parts both builds share, with the previous first part): objects in the parts left out are not ` +
      'found by search.'
    );
  const files =
    state.entry && state.listCarriesEntry
      ? `${SEARCH_PARTS}, which carries its first part's entry, was`
      : switches.length === 2
        ? `${SEARCH_ENTRY} and ${SEARCH_PARTS} were`
        : `${switches[0]} was`;
  return (
    `Search still uses the previous index, whole: ${files} not changed, so a search finds what the previous ` +
    'build had.'
  );
}

const NOTHING_SENT =
  'This publish sent and deleted nothing: the bucket holds what it held before. (If an earlier publish stopped ' +
  'part-way, visitors may still see its mix of old and new pages until one finishes.)';

const untouched = () =>
  'The pages already online were not changed, and nothing was deleted: the site people see is the previous one, ' +
  'whole.';

const everyPage = (pages: number) =>
  `${pages > 0 ? 'Every page is the new one' : 'Every page is up to date'}; every file the old and the new pages ` +
  'use is online, and nothing was deleted.';

/** Up to 5 file names, sorted: "a, b, c", "a, b, c, d, e and 3 more". */
const someFiles = (files: string[]) => listWords([...files].sort(), { last: ',', max: 5 });

/** A `parts.json` as the search page reads it, or null when it is not one. */
function partsList(text: string): { parts: { path: string; files?: unknown }[] } | null {
  const json = JSON.parse(text) as { parts?: unknown };
  if (!Array.isArray(json.parts) || json.parts.length === 0) return null;
  if (!json.parts.every((p) => typeof (p as { path?: unknown })?.path === 'string')) return null;
  return json as { parts: { path: string }[] };
}

/** Run `fn` over `items`, `jobs` at once; after the first failure start no more, and wait for those under way. */
async function settle<T>(
  items: T[],
  jobs: number,
  fn: (item: T) => Promise<void>,
): Promise<{ done: number; error?: unknown }> {
  let error: unknown;
  let done = 0;
  await mapPool(items, jobs, async (item) => {
    if (error !== undefined) return;
    try {
      await fn(item);
      done++;
    } catch (e) {
      error ??= e;
    }
  });
  return { done, error };
}

/** What the next publish does after one that stopped having sent `sent` files. */
function resume(sent: number): string {
  const again = sent > 0 ? ` (the ${count(sent, 'file')} this one sent are not sent again)` : '';
  return (
    `it sends only the files not already online with the same content${again}, ` +
    'then deletes what the new build no longer has.'
  );
}

function interrupted({
  error,
  state,
  target,
  sent,
}: {
  error: unknown;
  state: string;
  target: PublishTarget;
  /** Files this publish sent before it stopped: the next one does not send them again. */
  sent: number;
}): VitrineError {
  const reason = error instanceof Error ? error.message : String(error);
  const code = error instanceof VitrineError ? error.code : 'PUBLISH_INTERRUPTED';
  return new VitrineError(
    code,
    // A server that did not answer: its message already says to run the command again.
    code === 'PUBLISH_UNAVAILABLE'
      ? `${reason}\n${state} The next "npx vitrine publish" carries on where this one stopped: ${resume(sent)}`
      : `${reason}\n${state} Run "npx vitrine publish" again to finish: ${resume(sent)}`,
    { ...(error instanceof VitrineError ? error.data : {}), bucket: target.bucket },
    { cause: error },
  );
}

/** Every file under the built site, as "a/b.html" paths. */
async function siteFiles(site: string): Promise<string[]> {
  const index = await stat(path.join(site, 'index.html')).catch(() => null);
  if (!index?.isFile()) {
    throw new VitrineError(
      'PUBLISH_NO_SITE',
      `There is no built catalogue in ${site} (no index.html): ` +
        'run "npx vitrine catalogue" (or "npx vitrine run") first, then publish.',
      { file: site },
    );
  }
  const entries = await readdir(site, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const e of entries) {
    const full = path.join(e.parentPath, e.name);
    // A linked file (a thumbnail linked from the dataset) is published as the file it points to.
    if (!e.isFile() && !(e.isSymbolicLink() && (await stat(full).catch(() => null))?.isFile())) continue;
    const file = path.relative(site, full).split(path.sep).join('/');
    if (file !== MANIFEST) files.push(file);
  }
  return files.sort();
}

async function fileBody({ site, file, rewrite }: { site: string; file: string; rewrite?: Rewrite }): Promise<Buffer> {
  const bytes = await readFile(path.join(site, ...file.split('/')));
  if (!rewrite) return bytes;
  try {
    return rewrite(file, bytes);
  } catch (error) {
    // A search result file is unpacked to rewrite its image links: one cut short cannot be.
    throw new VitrineError(
      'PUBLISH_DAMAGED_FILE',
      `${file} in the built catalogue (${site}) is damaged (${messageOf(error)}), so its image links cannot be ` +
        'rewritten for catalogue.s3.image_base_url. Build the catalogue again ("npx vitrine catalogue"), then publish.',
      { file },
      { cause: error },
    );
  }
}

function md5Of(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

type Fail = (action: string, key: string, error: unknown) => VitrineError;

async function listRemote({
  s3,
  target,
  fail,
  pageSize,
}: {
  s3: S3Client;
  target: PublishTarget;
  fail: Fail;
  pageSize: number;
}): Promise<Map<string, RemoteFile>> {
  const out = new Map<string, RemoteFile>();
  const prefix = target.prefix ? `${target.prefix}/` : '';
  // The original listing (with Marker), which every S3-compatible server pages the same way;
  // s3rver cannot make ListObjectsV2's continuation tokens under OpenSSL 3.
  let marker: string | undefined;
  do {
    let page: ListObjectsCommandOutput;
    try {
      page = await s3.send(
        new ListObjectsCommand({ Bucket: target.bucket, Prefix: prefix, Marker: marker, MaxKeys: pageSize }),
      );
    } catch (error) {
      throw fail('list', prefix, error);
    }
    const items = page.Contents ?? [];
    for (const item of items) {
      if (!item.Key) continue;
      out.set(item.Key.slice(prefix.length), { etag: (item.ETag ?? '').replace(/"/g, '').toLowerCase() });
    }
    marker = page.IsTruncated ? (page.NextMarker ?? items.at(-1)?.Key) : undefined;
  } while (marker);
  return out;
}

async function readManifest({
  s3,
  target,
  key,
  fail,
  maxBytes,
}: {
  s3: S3Client;
  target: PublishTarget;
  key: string;
  fail: Fail;
  maxBytes: number;
}): Promise<PublishRecord> {
  let text: string;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    const { bytes, complete } = await sdkBodyAtMost(response.Body, maxBytes);
    if (!complete)
      throw new VitrineError(
        'PUBLISH_RECORD_TOO_LARGE',
        `The publish record ${key} in bucket "${target.bucket}" (${s3Endpoint(target)}) is larger than ` +
          `${Math.round(maxBytes / 1024 / 1024)} MB, far more than a record of this site's files holds, so Vitrine ` +
          'stopped reading it and published nothing. Something other than Vitrine wrote it, or the server sent something ' +
          'else: delete that file from the bucket and publish again (the next publish writes a new record).',
        { bucket: target.bucket, endpoint: s3Endpoint(target), key, limit: maxBytes },
      );
    text = bytes.toString('utf8');
  } catch (error) {
    if (isVitrineError(error, 'PUBLISH_RECORD_TOO_LARGE')) throw error;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // No record: nothing was published under this prefix yet.
    if (status === 404 || (error as Error).name === 'NoSuchKey')
      return { files: new Set(), md5: new Map<string, string[]>() };
    throw fail('read', key, error);
  }
  const none = { files: new Set<string>(), md5: new Map<string, string[]>() };
  if (!text.trim()) return { ...none, damaged: 'it is empty' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ...none, damaged: 'it is not valid JSON: it may have been cut short or overwritten' };
  }
  const files = (json as { files?: unknown } | null)?.files;
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string'))
    return { ...none, damaged: 'it has no "files" list of file names' };
  // The md5 of each file as uploaded, beside the names (records written before it have none); a list of md5s for a
  // file that was being replaced, either of which it may hold.
  const sums = (json as { md5?: unknown }).md5;
  const md5 = new Map<string, string[]>();
  if (Array.isArray(sums) && sums.length === files.length)
    files.forEach((file, i) => {
      const sum: unknown = sums[i];
      if (typeof sum === 'string' && isMd5(sum)) md5.set(file, [sum]);
      else if (Array.isArray(sum) && sum.length > 0 && sum.every((m) => typeof m === 'string' && isMd5(m)))
        md5.set(file, sum);
    });
  return { files: new Set(files), md5 };
}

/** The bucket's record of what earlier publishes put under the prefix. */
interface PublishRecord {
  files: Set<string>;
  /** The md5 each file had when uploaded, where the record says (two for a file that was being replaced). */
  md5: Map<string, string[]>;
  /** What is wrong with the record, when it cannot be read. */
  damaged?: string;
}

/** Folders under the prefix holding another site's record (published there on its own): none of their files are ours. */
function nestedSites(remote: Map<string, RemoteFile>): string[] {
  return [...remote.keys()]
    .filter((file) => file !== MANIFEST && file.endsWith(`/${MANIFEST}`))
    .map((file) => file.slice(0, -MANIFEST.length));
}

/**
 * The record's files, less those it would have deleted that Vitrine did not put there: a file listed for
 * deletion must carry the md5 Vitrine stores on every upload and, when the record keeps one, the same md5.
 * Anyone who can write one file under the prefix can rewrite the record: it alone must not decide what is
 * deleted (a press kit, or with prefix "" the data remote's files). One HEAD per file to delete.
 */
async function checkListed({
  s3,
  target,
  remote,
  local,
  record,
  jobs,
  key,
  fail,
  log,
  dryRun,
}: {
  s3: S3Client;
  target: PublishTarget;
  remote: Map<string, RemoteFile>;
  local: Map<string, string>;
  record: PublishRecord;
  dryRun: boolean;
  jobs: number;
  key: (file: string) => string;
  fail: Fail;
  log: Logger;
}): Promise<Set<string>> {
  const nested = nestedSites(remote);
  const leave = new Set<string>();
  const candidates = [...record.files].filter((file) => !local.has(file) && remote.has(file) && plainName(file));
  await mapPool(candidates, jobs, async (file) => {
    if (nested.some((folder) => file.startsWith(folder))) return void leave.add(file);
    const head = await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key(file) })).catch((error) => {
      // Gone since the listing: nothing to delete.
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw fail('check', key(file), error);
    });
    const mark = head?.Metadata?.md5 ?? '';
    const uploaded = record.md5.get(file);
    if (head && !(isMd5(mark) && (uploaded === undefined || uploaded.includes(mark)))) leave.add(file);
  });
  if (leave.size) {
    const left = [...leave].sort();
    log.warn(
      `The publish record s3://${target.bucket}/${key(MANIFEST)} lists ${count(left.length, 'file')} that Vitrine ` +
        `did not put there, so ${left.length === 1 ? 'it is' : 'they are'} left alone: ${someFiles(left)}. ` +
        `Something other than "vitrine publish" changed the record; ${dryRun ? 'the next publish' : 'this publish'} ` +
        'writes a good one. If you did not expect this, check who can write to the bucket.',
    );
  }
  return new Set([...record.files].filter((file) => !leave.has(file)));
}

/**
 * The files under the prefix that Vitrine published and the new build lacks, when the record that lists
 * them is damaged: those the listing found that carry the md5 Vitrine stores on every upload (one HEAD
 * each). Files without it were put there by other means and are left alone, as when the record is whole.
 */
async function publishedByVitrine({
  s3,
  target,
  remote,
  local,
  jobs,
  key,
  fail,
  log,
  dryRun,
  why,
}: {
  s3: S3Client;
  target: PublishTarget;
  /** Every object under the prefix (the listing), by site path. */
  remote: Map<string, RemoteFile>;
  local: Map<string, string>;
  jobs: number;
  key: (file: string) => string;
  fail: Fail;
  log: Logger;
  dryRun: boolean;
  /** What is wrong with the record. */
  why: string;
}): Promise<Set<string>> {
  // Another site published to a folder under this prefix has its own record there: none of its files are ours.
  const nested = nestedSites(remote);
  const candidates = [...remote.keys()].filter(
    (file) =>
      file !== MANIFEST && !local.has(file) && plainName(file) && !nested.some((folder) => file.startsWith(folder)),
  );
  const ours = new Set<string>();
  await mapPool(candidates, jobs, async (file) => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key(file) })).catch((error) => {
      // Gone since the listing: nothing to delete.
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw fail('check', key(file), error);
    });
    if (head && isMd5(head.Metadata?.md5 ?? '')) ours.add(file);
  });
  const others = candidates.length - ours.size;
  const under = target.prefix ? `under ${target.prefix}/` : 'in the bucket';
  log.warn(
    `The publish record s3://${target.bucket}/${key(MANIFEST)} is damaged (${why}), so it cannot say which ` +
      `files earlier publishes put there. Vitrine looked through the files ${under} instead: ` +
      `${count(ours.size, 'file')} it published that this build no longer has ${dryRun ? 'would be' : 'will be'} ` +
      'deleted' +
      (others
        ? `; ${count(others, 'other file')} not put there by Vitrine ${others === 1 ? 'is' : 'are'} left alone`
        : '') +
      (dryRun
        ? '. The next "npx vitrine publish" (not --dry-run) writes a good record.'
        : '. This publish writes a good record.'),
  );
  return ours;
}

async function writeManifest({
  s3,
  target,
  key,
  files,
  fail,
}: {
  s3: S3Client;
  target: PublishTarget;
  key: string;
  /** Each file with the md5 uploaded, or the md5s it may hold while being replaced ('' when not known). */
  files: Map<string, string[]>;
  fail: Fail;
}): Promise<void> {
  const about =
    'Files "vitrine publish" put here, with the md5 of each as uploaded; it deletes only these when a new build ' +
    'no longer has them, and only when the file still carries that md5.';
  const names = [...files.keys()].sort();
  const md5 = names.map((file) => {
    const sums = files.get(file) ?? [''];
    return sums.length === 1 ? sums[0] : sums;
  });
  const body = `${JSON.stringify({ about, files: names, md5 })}\n`;
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json; charset=utf-8',
        CacheControl: 'no-store',
      }),
    );
  } catch (error) {
    throw fail('upload', key, error);
  }
}

/** Where the publishing address is set. */
const ENDPOINT_SETTING = '"catalogue.s3.endpoint" in params.yaml';

const KEYS_HINT =
  'Set VITRINE_PUBLISH_ACCESS_KEY_ID and VITRINE_PUBLISH_SECRET_ACCESS_KEY (in GitHub: secrets of the ' +
  'vitrine-remote-write environment, not repository secrets), ' +
  'or AWS_ACCESS_KEY_ID and ' +
  'AWS_SECRET_ACCESS_KEY, or name a remote whose keys are in .dvc/config.local with catalogue.s3.credentials_remote.';

/** A Dependabot run cannot publish: the publishing key is a write key, never given to Dependabot. */
const DEPENDABOT_PUBLISH =
  'The publishing key may change the public site and must not be a Dependabot secret: publish from a run a ' +
  'person starts (merge to main, or Actions, the workflow, Run workflow).';

/** Plain words for an S3 failure while publishing, naming the params key to check. The data layer classifies it. */
function failWith({
  target,
  idleTimeoutMs,
  heard,
  command = 'npx vitrine publish',
  actor,
}: {
  target: PublishTarget;
  idleTimeoutMs: number;
  /** Whether the server has answered this publish yet. */
  heard: { yet: boolean };
  /** What to run again once the server answers. */
  command?: string;
  /** Who started this run on GitHub (GITHUB_ACTOR). */
  actor?: string;
}): Fail {
  const endpoint = s3Endpoint(target);
  return (action, key, error) => {
    const classified = s3Error({
      remote: 'publish',
      endpoint,
      bucket: target.bucket,
      action,
      md5: key,
      error,
      idleMs: idleTimeoutMs,
    });
    // `key`, not `object`: the terminal reads `object` as a museum object's id ("object a-1: …").
    const data = { bucket: target.bucket, endpoint, key };
    // "list the files at the top of bucket", "upload a/b.html to bucket": followed by the bucket's name.
    const place = target.prefix ? `under ${key} in` : 'at the top of';
    const what =
      action === 'list'
        ? `list the files ${place} bucket`
        : `${action} ${key} ${action === 'upload' ? 'to' : 'in'} bucket`;
    const doing =
      action === 'list'
        ? `listing the files ${place} bucket`
        : `${GERUNDS[action] ?? action} ${key} ${action === 'upload' ? 'to' : 'in'} bucket`;
    const options = { cause: error };
    switch (classified.code) {
      case 'REMOTE_NO_CREDENTIALS':
        return new VitrineError(
          'PUBLISH_NO_CREDENTIALS',
          `Publishing to bucket "${target.bucket}" needs an access key, and none was found. ${KEYS_HINT}` +
            dependabotNoKey({ actor, key: DEPENDABOT_PUBLISH }),
          data,
          options,
        );
      case 'REMOTE_ACCESS_DENIED':
        return new VitrineError(
          'PUBLISH_ACCESS_DENIED',
          `The storage server at ${endpoint} refused to ${what} "${target.bucket}": ` +
            `the access key is wrong or may not write there. ${KEYS_HINT}`,
          data,
          options,
        );
      case 'REMOTE_TLS': {
        const problem = String(classified.data.reason);
        return new VitrineError(
          'PUBLISH_TLS',
          `${tlsWords({ endpoint, problem })}. ${tlsAdvice({ problem, where: ENDPOINT_SETTING })}`,
          { ...data, reason: problem },
          options,
        );
      }
      case 'REMOTE_NOT_STORAGE': {
        const status = typeof classified.data.status === 'number' ? classified.data.status : undefined;
        return new VitrineError(
          'PUBLISH_NOT_STORAGE',
          `${notStorageWords({ endpoint, status })}. Check ${ENDPOINT_SETTING}: it must be the address of the storage ` +
            "service's S3 interface (for MinIO, its API port, not its console), not the website.",
          data,
          options,
        );
      }
      case 'REMOTE_CLOCK_SKEW': {
        // Refused again once signed with the server's own time (the AWS SDK's correction): the clocks, in words.
        const offsetMs = classified.data.clockOffsetMs;
        // The clocks agree, yet the request reached it too late: a slow upload, or a proxy holding the whole body.
        if (typeof offsetMs === 'number' && Math.abs(offsetMs) <= CLOCK_CORRECTED_MS)
          return new VitrineError(
            'PUBLISH_TOO_SLOW',
            `The storage server at ${endpoint} refused to ${what} "${target.bucket}": the request reached it more ` +
              "than 15 minutes after it was signed (RequestTimeTooSkewed), and this computer's clock agrees with " +
              "the server's. A slow connection, or a proxy in front of the storage that holds a whole upload before " +
              `passing it on, does this: run "${command}" again from a faster connection, or ask whoever runs the ` +
              'storage server to let uploads through as they come.',
            data,
            options,
          );
        const clocks =
          typeof offsetMs === 'number'
            ? `this computer's clock is ${clockAmount(offsetMs)} ${offsetMs > 0 ? 'behind' : 'ahead of'} the server's`
            : "this computer's clock and the server's are too far apart";
        return new VitrineError(
          'PUBLISH_CLOCK_SKEW',
          `The storage server at ${endpoint} refused to ${what} "${target.bucket}": ${clocks}, and it refuses ` +
            `requests whose time is more than 15 minutes from its own (RequestTimeTooSkewed). Set this computer's ` +
            `date and time (turn on automatic time, NTP; for a runner, ask whoever runs it), then run "${command}" ` +
            "again. If this computer's clock is right, ask whoever runs the storage server to set the server's.",
          { ...data, ...(typeof offsetMs === 'number' ? { clockOffsetMs: offsetMs } : {}) },
          options,
        );
      }
      case 'REMOTE_NO_BUCKET':
        return new VitrineError(
          'PUBLISH_NO_BUCKET',
          `The storage server at ${endpoint} has no bucket called "${target.bucket}". ` +
            'Check "catalogue.s3.bucket" (and "catalogue.s3.endpoint") in params.yaml, or create the bucket.',
          data,
          options,
        );
      default:
        if (classified.data.reason === 'timeout') {
          // What was being sent or fetched, how long and how often the server was waited for.
          return new VitrineError(
            'PUBLISH_UNAVAILABLE',
            `The storage server at ${endpoint} did not answer while Vitrine was ${doing} "${target.bucket}" ` +
              `(${silence(classified.data)}). Check that it is running and that this computer can reach it ` +
              `(network, VPN; "catalogue.s3.endpoint" in params.yaml), then run "${command}" again.`,
            {
              ...data,
              reason: 'timeout',
              waitedMs: classified.data.waitedMs ?? idleTimeoutMs,
              tries: classified.data.tries,
            },
            options,
          );
        }
        if (classified.data.reason) {
          const reason = String(classified.data.reason);
          // A server that never answered did not stop: refused (nothing listens there), cut the connection at once
          // (a broken proxy, a firewall), or was not reached at all.
          const how = heard.yet
            ? 'stopped answering'
            : reason === 'ECONNREFUSED'
              ? 'refused the connection'
              : reason === 'ECONNRESET' || reason === 'EPIPE'
                ? 'closed the connection without answering'
                : 'did not answer';
          return new VitrineError(
            'PUBLISH_UNAVAILABLE',
            `The storage server at ${endpoint} ${how} (${reason}) while ` +
              `Vitrine was ${doing} "${target.bucket}". Check that it is running, that "catalogue.s3.endpoint" ` +
              `in params.yaml is right and that this computer can reach it, then run "${command}" again.`,
            data,
            options,
          );
        }
        return new VitrineError(
          'PUBLISH_FAILED',
          `Could not ${what} "${target.bucket}" at ${endpoint}: ${messageOf(error)}`,
          data,
          options,
        );
    }
  };
}

const GERUNDS: Record<string, string> = {
  check: 'checking',
  upload: 'uploading',
  delete: 'deleting',
  read: 'reading',
};

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
