import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { mapPool } from '../data/hash.ts';
import { openRemote, type Remote } from '../data/index.ts';
import { tempName } from '../data/temp.ts';
import { analysisKey, type ImageAnalysis } from '../dataset/analyse.ts';
import { analysisSettings } from '../dataset/build.ts';
import { type DecodeFailure, failuresKey, md5Of } from '../dataset/images.ts';
import type { ShardAnalysis } from '../dataset/shard.ts';
import { isVitrineError } from '../errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import { BUILTINS, builtinId } from '../model/backbone.ts';
import { embeddingConfigKey } from '../model/embed.ts';
import { encodeSegment } from '../model/embedding-store.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { Shard } from './assign.ts';
import { packFiles, unpackFiles } from './file-pack.ts';
import { addImageCaches } from './image-caches.ts';
import { openShardIndex, type ShardIndexStore } from './index-store.ts';

/*
 * The caches the shards share through the data remote. A shard sends what it computed — one
 * embedding segment per backbone configuration, one pack of image analyses (sizes, colours, which
 * images would not decode) and the thumbnails — as DVC objects named by their md5, then one index
 * file naming them (index-store.ts). The index goes last, so a job that finds it finds every file it
 * names. Pulling puts each file where a single-process run keeps its own, so the stages read them as
 * if they had computed them: nothing is computed twice.
 */

/** Transfers at once. */
const JOBS = 8;
/** Thumbnails travel in packs of about this size. */
const PACK_BYTES = 64 * 1024 * 1024;

/** One shard run's index file. */
export interface ShardIndexFile {
  schema: 'vitrine.shard-caches/1';
  shard: Shard;
  /** Embedding segments, by backbone configuration (the store's folder name). */
  embeddings: { config: string; md5: string; vectors: number }[];
  /** Packs of image analyses, by analysis settings (analysisKey). */
  analyses: { key: string; md5: string; images: number }[];
}

interface AnalysisPack {
  schema: 'vitrine.shard-analyses/1';
  key: string;
  failuresKey: string;
  analyses: Record<string, ImageAnalysis>;
  failures: Record<string, DecodeFailure>;
  /** The thumbnails (files of `.vitrine/dataset/thumbs/`), packed (file-pack.ts): the packs' md5. */
  thumbPacks: string[];
}

/** What pulled files remember having applied, per folder (so a merge of segments is not undone). */
const PULLED = 'pulled-from-shards.json';

export interface PushResult {
  /** Files sent (those the remote already had are not sent again). */
  sent: number;
  /** The index file written, or null when the shard computed nothing new. */
  index: string | null;
}

/** Send a shard's new cache entries to the data remote, then its index file. */
export async function pushShardCaches({
  ws,
  params,
  shard,
  analysis,
  embeddings,
  remote,
  index,
  log,
}: {
  ws: Workspace;
  params: Params;
  shard: Shard;
  /** Where the data remote says it corrected this computer's clock to the server's (the stage's log). */
  log?: Logger;
  analysis: Pick<ShardAnalysis, 'analyses' | 'failures'>;
  /** New store entries, by the store folder they were written to. */
  embeddings: { folder: string; entries: [string, Float32Array][] }[];
  remote?: Remote;
  index?: ShardIndexStore;
}): Promise<PushResult> {
  const files: { md5: string; file: string }[] = [];
  const entry: ShardIndexFile = { schema: 'vitrine.shard-caches/1', shard, embeddings: [], analyses: [] };
  // A folder of its own: two shard runs in one checkout must not delete each other's files.
  await mkdir(ws.cache, { recursive: true });
  const staging = await mkdtemp(path.join(ws.cache, 'shard-push-'));
  const stage = async (bytes: Uint8Array) => {
    const md5 = md5Of(bytes);
    const file = path.join(staging, md5);
    await writeFileAtomic({ file, data: bytes });
    files.push({ md5, file });
    return md5;
  };
  try {
    if (analysis.analyses.size > 0 || analysis.failures.size > 0) {
      const settings = analysisSettings(params);
      // The thumbnails in packs of about PACK_BYTES, read and staged one pack at a time.
      const thumbPacks: string[] = [];
      let group: { name: string; bytes: Uint8Array }[] = [];
      let size = 0;
      const flush = async () => {
        if (group.length > 0) thumbPacks.push(await stage(packFiles({ files: group })));
        group = [];
        size = 0;
      };
      for (const [, a] of [...analysis.analyses].sort(([x], [y]) => (x < y ? -1 : 1)))
        for (const t of a.thumbnails)
          for (const name of [path.posix.basename(t.webp), path.posix.basename(t.jpeg)]) {
            const bytes = await readFile(path.join(ws.dataset, 'thumbs', name));
            group.push({ name, bytes });
            size += bytes.length;
            if (size >= PACK_BYTES) await flush();
          }
      await flush();
      const pack: AnalysisPack = {
        schema: 'vitrine.shard-analyses/1',
        key: analysisKey(settings),
        failuresKey: failuresKey({ maxPixels: settings.maxPixels }),
        analyses: sortedRecord(analysis.analyses),
        failures: sortedRecord(analysis.failures),
        thumbPacks,
      };
      const md5 = await stage(Buffer.from(JSON.stringify(pack)));
      entry.analyses.push({ key: pack.key, md5, images: analysis.analyses.size + analysis.failures.size });
    }
    for (const { folder, entries } of embeddings) {
      if (entries.length === 0) continue;
      const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const md5 = await stage(encodeSegment(sorted));
      entry.embeddings.push({ config: path.basename(folder), md5, vectors: sorted.length });
    }
    if (files.length === 0) return { sent: 0, index: null };
    const target = remote ?? (await openRemote({ root: ws.root, ...(log ? { log } : {}) }));
    const sent = await mapPool(files, JOBS, async (f) => {
      if (await target.has(f.md5)) return 0;
      await target.put(f);
      return 1;
    });
    const bytes = Buffer.from(`${JSON.stringify(entry, null, 2)}\n`);
    const name = `${md5Of(bytes)}.json`;
    await (index ?? (await openShardIndex({ root: ws.root, ...(log ? { log } : {}) }))).write(name, bytes);
    return { sent: sent.reduce<number>((a, b) => a + b, 0), index: name };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export interface PullResult {
  /** Index files found on the remote. */
  indexes: number;
  /** Vectors and image analyses brought in by this pull (not already here). */
  vectors: number;
  images: number;
}

/**
 * Bring the shards' caches from the data remote into this workspace. With `shard`, only what a run
 * of the same shard needs (its own earlier work); without, everything (the final job).
 */
export async function pullShardCaches({
  ws,
  params,
  log,
  shard,
  remote,
  index,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  shard?: Shard;
  remote?: Remote;
  index?: ShardIndexStore;
}): Promise<PullResult> {
  const store = index ?? (await openShardIndex({ root: ws.root, log }));
  const names = await store.list();
  const parsed = await mapPool(names, JOBS, async (name) => {
    try {
      const file = JSON.parse((await store.read(name)).toString('utf8')) as ShardIndexFile;
      return file.schema === 'vitrine.shard-caches/1' ? file : null;
    } catch (error) {
      log.warn(
        `The shard cache index ${name} on ${store.where} could not be read (${(error as Error).message}); ` +
          'it is skipped.',
      );
      return null;
    }
  });
  // Names from the remote become paths here: only the shapes Vitrine writes are taken.
  const indexes = parsed.filter((f): f is ShardIndexFile => f !== null && wellFormed(f));
  if (indexes.length < parsed.filter(Boolean).length)
    log.warn(`Some shard cache index files on ${store.where} name files Vitrine never writes; they are skipped.`);
  // Another runner's share under the same split is not this shard's work.
  const wanted = indexes.filter((f) => !shard || f.shard.count !== shard.count || f.shard.index === shard.index);
  const source = remote ?? (names.length > 0 ? await openRemote({ root: ws.root, log }) : undefined);
  const result: PullResult = { indexes: names.length, vectors: 0, images: 0 };
  if (names.length === 0) {
    // The final job of a sharded run then embeds and analyses every image itself: hours, where minutes were meant.
    log.warn(
      `No shard has shared its caches on ${store.where} yet, so there is nothing to pull: this run computes every ` +
        'image itself. If shard jobs ran before it, check that they finished and use the same data remote.',
    );
    return result;
  }
  if (!source) return result;

  // Embedding segments, each into its configuration's store folder: only today's backbone
  // configuration (others, from earlier params, would pile up for ever). A custom backbone's is known
  // only once its weights are read: then every configuration comes in.
  const today = embeddingConfigOf(params);
  const segments = new Map<string, { config: string; md5: string; vectors: number }>();
  for (const f of wanted)
    for (const e of f.embeddings) if (!today || e.config === today) segments.set(`${e.config}/${e.md5}`, e);
  const pulledOf = new Map<string, Set<string>>();
  for (const { config } of segments.values())
    if (!pulledOf.has(config)) pulledOf.set(config, await readPulled(path.join(ws.cache, 'embeddings', config)));
  const fetched = await mapPool(
    [...segments.values()].filter((e) => !pulledOf.get(e.config)!.has(e.md5)),
    JOBS,
    async (e) => {
      const file = path.join(ws.cache, 'embeddings', e.config, `${e.md5}.emb`);
      await mkdir(path.dirname(file), { recursive: true });
      const got = await fetchOrSkip({ source, md5: e.md5, file, what: `embedding segment of ${e.config}`, log });
      if (got) await chmod(file, 0o644); // the store merges and deletes its files
      return got ? e : null;
    },
  );
  const newSegments = fetched.filter((e) => e !== null);
  for (const e of newSegments) {
    pulledOf.get(e.config)!.add(e.md5);
    result.vectors += e.vectors;
  }
  for (const [config, pulled] of pulledOf) await writePulled(path.join(ws.cache, 'embeddings', config), pulled);

  // Image analyses and their thumbnails, for today's analysis settings only.
  const settings = analysisSettings(params);
  const key = analysisKey(settings);
  const applied = await readPulled(ws.dataset, key);
  const packs = [...new Map(wanted.flatMap((f) => f.analyses).map((a) => [a.md5, a])).values()].filter(
    (a) => a.key === key && !applied.has(a.md5),
  );
  if (packs.length > 0) {
    await mkdir(ws.cache, { recursive: true });
    const temp = await mkdtemp(path.join(ws.cache, 'shard-pull-'));
    try {
      const downloaded = await mapPool(packs, JOBS, async (a) => {
        const file = path.join(temp, a.md5);
        if (!(await fetchOrSkip({ source, md5: a.md5, file, what: 'pack of image analyses', log }))) return null;
        try {
          const pack = JSON.parse(await readFile(file, 'utf8')) as AnalysisPack;
          if (typeof pack !== 'object' || pack === null) throw new Error('not a JSON object');
          return pack;
        } catch (error) {
          log.warn(skipped(`The pack of image analyses ${a.md5}`, `unreadable: ${(error as Error).message}`));
          return null;
        }
      });
      const thumbPacks = [...new Set(downloaded.flatMap((pack) => pack?.thumbPacks ?? []))].filter((m) => MD5.test(m));
      // Four packs at once: at most a few hundred MB in memory.
      const lost = new Set<string>();
      await mapPool(thumbPacks, 4, async (md5) => {
        const file = path.join(temp, md5);
        if (!(await fetchOrSkip({ source, md5, file, what: 'pack of thumbnails', log }))) return lost.add(md5);
        const where = `${store.where} object ${md5}`;
        let thumbs: ReturnType<typeof unpackFiles>;
        try {
          thumbs = unpackFiles({ bytes: await readFile(file), where });
        } catch (error) {
          if (!isVitrineError(error, 'SHARD_PACK_DAMAGED')) throw error;
          log.warn(skipped(`The pack of thumbnails ${md5}`, error.message));
          return lost.add(md5);
        }
        // Named by their process: a dataset stage removes those of a killed one (removeLeftTemps).
        for (const thumb of thumbs)
          await writeFileAtomic({
            file: path.join(ws.dataset, 'thumbs', thumb.name),
            data: thumb.bytes,
            temp: tempName,
          });
        await rm(file, { force: true });
      });
      // Analyses without their thumbnails would leave the catalogue without pictures: not taken.
      const contents = downloaded.filter(
        (pack): pack is AnalysisPack => pack !== null && !(pack.thumbPacks ?? []).some((m) => lost.has(m)),
      );
      const analyses = new Map<string, ImageAnalysis>();
      const failures = new Map<string, DecodeFailure>();
      const sameDecoder = failuresKey({ maxPixels: settings.maxPixels });
      for (const pack of contents) {
        for (const [md5, a] of Object.entries(pack.analyses ?? {}))
          if (!analyses.has(md5) && MD5.test(md5) && safeThumbnails(a)) analyses.set(md5, a);
        // A failure depends on the decoder's version too: another runner's libvips may read the image.
        if (pack.failuresKey !== sameDecoder) continue;
        for (const [md5, f] of Object.entries(pack.failures ?? {}))
          if (!failures.has(md5) && MD5.test(md5)) failures.set(md5, f);
      }
      // What is here already (this runner's own work) is kept.
      result.images += (await addImageCaches({ ws, settings, analyses, failures, replace: false, log })).added;
      for (const [i, a] of packs.entries()) if (contents.includes(downloaded[i]!)) applied.add(a.md5);
      await writePulled(ws.dataset, applied, key);
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
  log.info(
    `Pulled the shared caches from ${store.where}: ${result.vectors} embeddings and ${result.images} image analyses ` +
      `(${names.length} index file${names.length === 1 ? '' : 's'}` +
      `${shard ? `, for shard ${shard.index}/${shard.count}` : ''}).`,
  );
  return result;
}

const MD5 = /^[0-9a-f]{32}$/;

function wellFormed(f: ShardIndexFile): boolean {
  return (
    Number.isInteger(f.shard?.index) &&
    Number.isInteger(f.shard?.count) &&
    Array.isArray(f.embeddings) &&
    Array.isArray(f.analyses) &&
    f.embeddings.every((e) => /^[0-9a-f]{20}$/.test(e.config) && MD5.test(e.md5) && Number.isInteger(e.vectors)) &&
    f.analyses.every((a) => MD5.test(a.key) && MD5.test(a.md5) && Number.isInteger(a.images))
  );
}

/** Thumbnails named as analyse.ts names them, inside the thumbnails folder. */
function safeThumbnails(a: ImageAnalysis): boolean {
  const name = /^thumbs\/[0-9a-f]{32}-\d+\.(webp|jpg)$/;
  return Array.isArray(a?.thumbnails) && a.thumbnails.every((t) => name.test(t.webp) && name.test(t.jpeg));
}

/**
 * The store folder today's backbone configuration embeds into (as embed.ts names it), or undefined for
 * a custom backbone (its id comes from its weights, read only when it is loaded).
 */
export function embeddingConfigOf(params: Params): string | undefined {
  const backboneId = builtinId({ params: params.backbone });
  if (!backboneId || params.backbone.name === 'custom') return undefined;
  return embeddingConfigKey({
    backboneId,
    inputSize: BUILTINS[params.backbone.name].inputSize,
    fit: params.backbone.fit,
    inputRange: params.backbone.input_range,
    background: params.dataset.image.background,
  });
}

const skipped = (what: string, why: string) =>
  `${what} named by a shard cache index could not be used (${why}); it is skipped, and the run computes that ` +
  'work again.';

/**
 * Download object `md5` to `file`; false, with a warning naming it, when the remote no longer has it
 * (e.g. after "dvc gc --cloud") or holds a damaged copy. Other failures (no network, no access) throw.
 */
async function fetchOrSkip({
  source,
  md5,
  file,
  what,
  log,
}: {
  source: Remote;
  md5: string;
  file: string;
  what: string;
  log: Logger;
}): Promise<boolean> {
  try {
    await source.get({ md5, file });
    return true;
  } catch (error) {
    if (!isVitrineError(error, 'REMOTE_OBJECT_MISSING') && !isVitrineError(error, 'DATA_CORRUPT')) throw error;
    log.warn(skipped(`The ${what} ${md5}`, error.message));
    return false;
  }
}

async function readPulled(dir: string, key = ''): Promise<Set<string>> {
  try {
    const state = JSON.parse(await readFile(path.join(dir, PULLED), 'utf8')) as { key: string; applied: string[] };
    return state.key === key ? new Set(state.applied) : new Set();
  } catch {
    return new Set(); // none yet, or damaged: pulling again only costs the transfer
  }
}

async function writePulled(dir: string, applied: Set<string>, key = ''): Promise<void> {
  const value = { key, applied: [...applied].sort() };
  await writeJsonAtomic({ file: path.join(dir, PULLED), value, temp: tempName });
}

function sortedRecord<T>(map: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
