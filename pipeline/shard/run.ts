import { availableParallelism } from 'node:os';
import path from 'node:path';
import { analyseShard } from '../dataset/shard.ts';
import type { Logger } from '../log.ts';
import { embedImages } from '../model/embed.ts';
import type { StageContext, StageName } from '../stages/stage.ts';
import type { Shard } from './assign.ts';
import { pullShardCaches, pushShardCaches } from './caches.ts';

/*
 * `vitrine run [stages] --shard i/n`: one runner's share of the per-object work of those stages —
 * decoding, thumbnails and colour palettes (dataset), embeddings (train, evaluate, promote's
 * annotation) — for the images that belong to shard i, sent to the data remote for the others. The
 * whole-collection steps (dataset.json, the head, the evaluation, the report) wait for the final job,
 * `vitrine run --pull-caches`, which finds every image already done.
 */

export interface ShardRunResult {
  shard: Shard;
  /** Distinct images of this shard. */
  images: number;
  /** Decoded in this run (the rest came from the caches). */
  analysed: number;
  /** Embeddings computed in this run (a mirrored one counts as one). */
  embedded: number;
  /** Embeddings found in the caches. */
  fromCache: number;
  /** Files sent to the data remote. */
  sent: number;
  summary: string;
}

export async function runShard({
  ctx,
  shard,
  targets,
  jobs = availableParallelism(),
}: {
  ctx: StageContext;
  shard: Shard;
  /** The stages named on the command line (none: all). Only `dataset` needs no embeddings. */
  targets: StageName[];
  jobs?: number;
}): Promise<ShardRunResult> {
  const { ws, params, log } = ctx;
  const label = `${shard.index}/${shard.count}`;
  // This shard's earlier work (another run, another pull request), so that only what is new is done.
  await pullShardCaches({ ws, params, log, shard });
  const analysis = await analyseShard({ ws, params, log, jobs, shard, env: ctx.env });
  const analysed = analysis.analyses.size + analysis.failures.size;
  const embeddings: { folder: string; entries: [string, Float32Array][] }[] = [];
  let embedded = 0;
  let fromCache = 0;
  const needsEmbeddings = targets.length === 0 || targets.some((t) => t !== 'dataset');
  if (needsEmbeddings && analysis.images.length > 0) {
    // What the stages embed, with the backbone params.yaml names: training images (mirrored too with
    // train.augment), then every other image (validation, test, unlabelled: evaluation, annotation).
    const embed = (images: typeof analysis.images, flips: boolean) =>
      embedImages({
        items: images.map((i) => ({ key: i.md5, file: i.file })),
        params,
        root: ws.root,
        cacheDir: ws.cache,
        workers: params.train.workers,
        flips,
        log,
      });
    const training = analysis.images.filter((i) => i.train);
    const results = [];
    if (params.train.augment && training.length > 0) results.push(await embed(training, true));
    results.push(await embed(analysis.images, false));
    warnUnusable({ images: analysis.images, results, shard: label, root: ws.root, log });
    for (const r of results) {
      embedded += r.computed;
      fromCache += r.fromCache;
      embeddings.push({ folder: r.cacheFolder, entries: r.fresh });
    }
    // The second call found the training images' vectors that the first had just made or read.
    if (results.length === 2) fromCache -= training.length;
  }
  const pushed = await pushShardCaches({ ws, params, shard, analysis, embeddings, log });
  const summary =
    `shard ${label}: ${analysis.total} images, ${analysed} read here (${analysis.total - analysed} from the caches)` +
    (needsEmbeddings ? `, ${embedded} embeddings computed, ${fromCache} from the caches` : '') +
    `; ${pushed.sent} files sent to the data remote`;
  return { shard, images: analysis.total, analysed, embedded, fromCache, sent: pushed.sent, summary };
}

/**
 * Name the images the backbone gave no usable numbers for: they are not cached nor sent, so the final
 * job embeds them again and leaves their objects out. Said here too, so that the shard's log (the job
 * that met them) shows which files to open. Each image once, though both calls may meet it.
 */
function warnUnusable({
  images,
  results,
  shard,
  root,
  log,
}: {
  images: { md5: string; file: string }[];
  results: { unusable: string[] }[];
  shard: string;
  root: string;
  log: Logger;
}): void {
  const keys = new Set(results.flatMap((r) => r.unusable));
  if (keys.size === 0) return;
  const files = images.filter((i) => keys.has(i.md5)).map((i) => path.relative(root, i.file).split(path.sep).join('/'));
  const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? ` and ${files.length - 10} more` : '');
  const one = files.length === 1;
  log.warn(
    `Shard ${shard}: the backbone gave no usable numbers for ${one ? 'this image' : `these ${files.length} images`} ` +
      `(values that are not numbers): ${shown}. ${one ? 'It is' : 'They are'} not cached, and the stages leave ` +
      `${one ? 'its objects' : 'their objects'} out of training, scores and annotation. Open ${one ? 'it' : 'them'} ` +
      'to check, save again or replace, and run again.',
  );
}
