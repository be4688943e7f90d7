import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VitrineError } from '../errors.ts';
import { writeJsonAtomic } from '../fs.ts';
import { type Clock, type Logger, systemClock } from '../log.ts';
import type { Params } from '../params.ts';
import { type Backbone, type BackboneInfo, BUILTINS, builtinId, loadBackbone } from './backbone.ts';
import { type ImportModule, isSingleThreaded, selectBackend } from './backend.ts';
import { type EmbeddedImage, type EmbedJob, type EmbedJobResult, embedBatch, shownPath } from './embed-batch.ts';
import type { WorkerSetup } from './embed-worker.ts';
import { appendSegment, compactStore, isFiniteVector, openStore } from './embedding-store.ts';

/*
 * Embeddings are cached by content: the key is the image's md5 plus everything that changes the
 * vector — the backbone's identity (weights and layer) and the preprocessing (input size, fit,
 * input range, the colour that replaces transparency). A pull request that only edits labels.csv
 * therefore embeds nothing, and one that adds 20 images embeds 20. The cache lives under
 * `cacheDir/embeddings/<config>/`, one folder per backbone configuration, which is also the folder
 * CI saves and restores with @actions/cache.
 */

/** Bump when prepareModelInput changes what pixels an image becomes (invalidates every cache). */
export const PREPROCESSING_VERSION = 1;

/** Store key suffix of an image's mirrored embedding. */
export const FLIP = '|flip';
/** Images sent to a worker at a time: small enough to balance the load, big enough to batch. */
const JOB_SIZE = 8;
const WORKER = new URL('./embed-worker.ts', import.meta.url);
/** With `workers` 0 (automatic), fewer images than this are embedded on the main thread. */
const MIN_FOR_WORKERS = 64;
/** New vectors kept in memory before they are written as a cache segment. */
const FLUSH_EVERY = 512;
/** ...or this long after the last write, so a killed run loses at most ~10 s of embedding. */
const FLUSH_EVERY_MS = 10_000;

export interface EmbedItem {
  /** md5 of the image file (the object's content hash). */
  key: string;
  /** Absolute path of the image. */
  file: string;
}

export interface EmbedResult {
  /** Embedding per image key. */
  vectors: Map<string, Float32Array>;
  /** Embedding of the mirrored image per key (empty unless `flips`). */
  flipped: Map<string, Float32Array>;
  /** Vectors computed in this run (a mirrored image counts as one). */
  computed: number;
  /** Vectors read from the cache. */
  fromCache: number;
  /** TF.js backend that computed the new vectors ("none" when all came from the cache). */
  backend: string;
  backbone: BackboneInfo;
  /** The cache folder used for this backbone configuration. */
  cacheFolder: string;
  /** The store entries computed in this run (keys as stored, mirrored ones with FLIP), for sharing. */
  fresh: [string, Float32Array][];
  /**
   * Keys (in `items` order) of the images the backbone gave no usable numbers for: they have no vector
   * in `vectors` and are not cached. Callers leave their objects out and name them (left-out.ts).
   */
  unusable: string[];
}

/** The cache folder name for a backbone configuration: a hash of its identity and preprocessing. */
export function embeddingConfigKey({
  backboneId,
  inputSize,
  fit,
  inputRange,
  background,
}: {
  backboneId: string;
  inputSize: number;
  fit: string;
  inputRange: string;
  background: string;
}): string {
  const identity = JSON.stringify({
    backboneId,
    inputSize,
    fit,
    inputRange,
    background: background.toLowerCase(),
    preprocessing: PREPROCESSING_VERSION,
  });
  return createHash('sha256').update(identity).digest('hex').slice(0, 20);
}

/**
 * Embed images with the backbone params.backbone names, reading what it can from the cache and
 * computing the rest (on worker threads when the backend runs on one thread), then caching them.
 */
export async function embedImages({
  items,
  params,
  root,
  cacheDir,
  workers = 0,
  flips = false,
  log,
  importModule,
  fetchImpl,
  clock = systemClock,
}: {
  items: EmbedItem[];
  params: Params;
  root: string;
  cacheDir: string;
  /** Worker threads: 0 = one per core; 1 = embed on the main thread. */
  workers?: number;
  /** Also embed each image mirrored left-right (training augmentation). */
  flips?: boolean;
  log: Logger;
  importModule?: ImportModule;
  fetchImpl?: typeof fetch;
  /** Times the cache writes (FLUSH_EVERY_MS); tests pass their own. */
  clock?: Clock;
}): Promise<EmbedResult> {
  const unique = new Map<string, string>();
  for (const item of items) if (!unique.has(item.key)) unique.set(item.key, item.file);

  // A built-in's identity is known without loading it; a custom one is identified by its weights.
  let backbone: Backbone | undefined;
  let backendName = 'none';
  let tfBackend: Awaited<ReturnType<typeof selectBackend>> | undefined;
  const startBackend = async () => {
    tfBackend ??= await selectBackend({ preference: params.train.backend, log, importModule });
    backendName = tfBackend.name;
    return tfBackend;
  };
  const startBackbone = async () => {
    backbone ??= await loadBackbone({ params: params.backbone, root, tf: (await startBackend()).tf, log, fetchImpl });
    return backbone;
  };
  const builtin = params.backbone.name === 'custom' ? undefined : BUILTINS[params.backbone.name];
  const identity = builtin
    ? { backboneId: builtinId({ params: params.backbone })!, inputSize: builtin.inputSize }
    : await startBackbone().then((b) => ({ backboneId: b.id, inputSize: b.inputSize }));
  const configKey = embeddingConfigKey({
    ...identity,
    fit: params.backbone.fit,
    inputRange: params.backbone.input_range,
    background: params.dataset.image.background,
  });
  const folder = path.join(cacheDir, 'embeddings', configKey);
  const store = await openStore({ folder, log });

  const vectors = new Map<string, Float32Array>();
  const flipped = new Map<string, Float32Array>();
  let fromCache = 0;
  const todo: EmbedJob['items'] = [];
  const plain: boolean[] = [];
  const flip: boolean[] = [];
  for (const [key, file] of unique) {
    const v = store.vectors.get(key);
    const f = flips ? store.vectors.get(key + FLIP) : undefined;
    if (v) vectors.set(key, v);
    if (f) flipped.set(key, f);
    fromCache += (v ? 1 : 0) + (f ? 1 : 0);
    if (!v || (flips && !f)) {
      todo.push({ key, file });
      plain.push(!v);
      flip.push(flips && !f);
    }
  }

  let computed = 0;
  const fresh: [string, Float32Array][] = [];
  const unusable: string[] = [];
  if (todo.length > 0) {
    const bb = await startBackbone();
    const total = plain.filter(Boolean).length + flip.filter(Boolean).length;
    const threads = workers === 0 ? availableParallelism() : workers;
    // A worker needs a few seconds to start its backend and backbone: not worth it for a handful.
    const enough = workers === 0 ? todo.length >= MIN_FOR_WORKERS : todo.length > JOB_SIZE;
    // A bundled copy of this module has no embed-worker.ts beside it: then the main thread does the work.
    const useWorkers = isSingleThreaded(backendName) && threads > 1 && enough && existsSync(fileURLToPath(WORKER));
    log.info(
      `Embedding ${total} image${total === 1 ? '' : 's'} with ${bb.id} ` +
        `on ${backendName}${useWorkers ? ` (${threads} worker threads)` : ''}; ${fromCache} from the cache.`,
    );
    const progress = log.progress('Embedding images', total);
    let pending: [string, Float32Array][] = [];
    let flushedAt = clock.now().getTime();
    const flush = async () => {
      const entries = pending;
      fresh.push(...entries);
      pending = [];
      flushedAt = clock.now().getTime();
      await appendSegment({ folder, entries });
    };
    // Images whose vector holds values that are not numbers (a backbone can give NaN): never cached —
    // written, the whole segment would read as damaged — and returned, so callers leave them out.
    const notFinite = new Set<string>();
    const accept = async (results: EmbeddedImage[]) => {
      for (const r of results) {
        const done = (r.vector ? 1 : 0) + (r.flipped ? 1 : 0);
        if (r.vector && !isFiniteVector(r.vector)) {
          notFinite.add(r.key);
          r.vector = undefined;
        }
        if (r.flipped && !isFiniteVector(r.flipped)) {
          // The image itself is fine: training only goes without its mirror image.
          log.warn(
            `The backbone gave no usable numbers for ${shownPath({ file: unique.get(r.key)!, root })} mirrored; ` +
              'it is trained on without its mirror image.',
          );
          r.flipped = undefined;
        }
        if (r.vector) {
          vectors.set(r.key, r.vector);
          pending.push([r.key, r.vector]);
          computed++;
        }
        if (r.flipped) {
          flipped.set(r.key, r.flipped);
          pending.push([r.key + FLIP, r.flipped]);
          computed++;
        }
        progress.tick(done);
      }
      if (pending.length >= FLUSH_EVERY || (pending.length > 0 && clock.now().getTime() - flushedAt >= FLUSH_EVERY_MS))
        await flush();
    };
    const jobs: EmbedJob[] = [];
    for (let i = 0; i < todo.length; i += JOB_SIZE) {
      jobs.push({
        id: jobs.length,
        items: todo.slice(i, i + JOB_SIZE),
        plain: plain.slice(i, i + JOB_SIZE),
        flip: flip.slice(i, i + JOB_SIZE),
      });
    }
    try {
      if (useWorkers) {
        await runOnWorkers({
          jobs,
          threads: Math.min(threads, jobs.length),
          setup: { params, root, backend: backendName as WorkerSetup['backend'] },
          accept,
        });
      } else {
        for (const job of jobs) {
          await accept(
            await embedBatch({
              backbone: bb,
              job,
              maxPixels: params.dataset.image.max_pixels,
              background: params.dataset.image.background,
              root,
            }),
          );
        }
      }
    } finally {
      // Whatever was finished is kept, even when one image fails.
      await flush();
      progress.done();
    }
    await writeJsonAtomic({ file: path.join(folder, 'backbone.json'), value: infoOf(bb) });
    const merged = await compactStore({ store: await openStore({ folder, log }) });
    if (merged) log.debug(`Merged the embedding cache segments in ${folder}.`);
    // One image must not stop a run over a whole collection: the callers leave its objects out and
    // name them (left-out.ts); it is embedded again next time, as it was not cached.
    if (notFinite.size > 0) {
      const files = [...notFinite].map((key) => shownPath({ file: unique.get(key)!, root }));
      const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? ` and ${files.length - 10} more` : '');
      log.debug(`The backbone gave no usable numbers for ${shown}; not cached.`);
    }
    unusable.push(...[...unique.keys()].filter((key) => notFinite.has(key)));
  }
  const info = backbone
    ? infoOf(backbone)
    : await cachedInfo({ folder }).then((i) => i ?? startBackbone().then(infoOf));
  backbone?.dispose();
  return {
    vectors,
    flipped,
    computed,
    fromCache,
    backend: backendName,
    backbone: info,
    cacheFolder: folder,
    fresh,
    unusable,
  };
}

function infoOf(b: BackboneInfo): BackboneInfo {
  return {
    id: b.id,
    source: b.source,
    licence: b.licence,
    inputSize: b.inputSize,
    fit: b.fit,
    inputRange: b.inputRange,
    layer: b.layer,
    embeddingSize: b.embeddingSize,
  };
}

async function cachedInfo({ folder }: { folder: string }): Promise<BackboneInfo | undefined> {
  try {
    return JSON.parse(await readFile(path.join(folder, 'backbone.json'), 'utf8')) as BackboneInfo;
  } catch {
    return undefined;
  }
}

/** Hand jobs to `threads` workers as each becomes free; the first failure stops the run. */
async function runOnWorkers({
  jobs,
  threads,
  setup,
  accept,
}: {
  jobs: EmbedJob[];
  threads: number;
  setup: WorkerSetup;
  accept: (results: EmbeddedImage[]) => Promise<void>;
}): Promise<void> {
  const pool = Array.from({ length: threads }, () => new Worker(WORKER, { workerData: setup }));
  let next = 0;
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let chain = Promise.resolve();
            const send = () => {
              if (next >= jobs.length) return resolve();
              worker.postMessage(jobs[next++]);
            };
            worker.on('message', (message: EmbedJobResult) => {
              if ('error' in message) {
                reject(new VitrineError(message.error.code, message.error.message, message.error.data));
                return;
              }
              chain = chain.then(() => accept(message.results));
              chain.then(send, reject);
            });
            worker.on('error', (error) =>
              reject(
                new VitrineError(
                  'EMBED_FAILED',
                  `An embedding worker thread failed: ${error.message}`,
                  {},
                  { cause: error },
                ),
              ),
            );
            worker.on('exit', (code) => {
              if (code !== 0)
                reject(
                  new VitrineError(
                    'EMBED_FAILED',
                    `An embedding worker thread stopped unexpectedly (exit code ${code}).`,
                    { code },
                  ),
                );
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
