import path from 'node:path';
import { readDvcConfig } from '../data/config.ts';
import { hashTree } from '../data/hash.ts';
import { stateFileOf } from '../data/ops.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import { inShard, type Shard } from '../shard/assign.ts';
import { addImageCaches } from '../shard/image-caches.ts';
import type { ImageAnalysis } from './analyse.ts';
import { analyseImages, analysisSettings, refuseBeforeImages } from './build.ts';
import { removeFinished } from './finished.ts';
import { imageNames } from './image-names.ts';
import { type DecodeFailure, decodeFailureOf } from './images.ts';
import { labelsEmptied, unreadBase } from './labels-deleted.ts';
import { linksOutside } from './links.ts';
import { renamedLabels } from './renamed-labels.ts';
import { assignSplits } from './split.ts';
import { checkLabels, readLabelsChecked, readObjectsChecked } from './validate.ts';

/*
 * The dataset stage's per-image work for one shard: decode, thumbnails and colour palettes of the
 * images that belong to it (by md5, shard/assign.ts), kept in the same files the whole stage reuses
 * (`images.json`, `thumbs/`, `unreadable.json`). The stage itself (dataset.json, issues, splits)
 * runs once, in the final job, where every image's analysis is already there.
 */

/** An image of the shard that later stages embed. */
export interface ShardImage {
  md5: string;
  /** Absolute path of its first file under data/. */
  file: string;
  /** A labelled training object shows it: training also embeds it mirrored (train.augment). */
  train: boolean;
}

export interface ShardAnalysis {
  /** The shard's images that decoded, for the embeddings. */
  images: ShardImage[];
  /** Analyses made in this run (not read from an earlier run or a pulled cache), by md5. */
  analyses: Map<string, ImageAnalysis>;
  /** Images found unreadable in this run, by md5. */
  failures: Map<string, DecodeFailure>;
  /** Images of the shard, in all. */
  total: number;
}

export async function analyseShard({
  ws,
  params,
  log,
  jobs,
  shard,
  env = {},
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  jobs: number;
  shard: Shard;
  /** The run's environment (a pull request's base branch), for the words of an emptied labels.csv. */
  env?: Record<string, string | undefined>;
}): Promise<ShardAnalysis> {
  const objectsName = rel(ws, ws.objects);
  // Problems in the tables are the final job's to report, once; a shard only skips those rows.
  const read = await readObjectsChecked({ file: ws.objects, name: objectsName });
  const { labels, blanks, empty } = await readLabelsChecked({ file: ws.labels, name: rel(ws, ws.labels) });
  // What stops the final job's dataset stage before any image is read stops a shard job too, in the same words and
  // order (an emptied labels.csv, a typo in the vocabulary, a label's old name), before it embeds and sends its share.
  const vocabulary = params.collection.vocabulary;
  await refuseBeforeImages({
    ws,
    params,
    objects: read.objects,
    labels,
    empty,
    emptied: () => labelsEmptied({ ws, params, env }),
    unread: () => unreadBase({ ws, params, env }),
    renamed: (names) => renamedLabels({ ws, labels: names, vocabulary }),
  });
  const tree = await hashTree({ dir: ws.data, stateFile: stateFileOf(ws.root) });
  const md5Of = new Map(tree.entries.map((e) => [e.relpath, e.md5]));
  // As the final job finds them (build.ts): a path in another Unicode form than the file's name is that file.
  const names = imageNames(md5Of.keys());
  let mine: { id: string; md5: string; relpath: string }[] = [];
  for (const object of read.objects) {
    const found = object.image ? names.resolve(path.posix.normalize(object.image.split('\\').join('/'))) : undefined;
    const relpath = found && 'relpath' in found ? found.relpath : undefined;
    const md5 = relpath === undefined ? undefined : md5Of.get(relpath);
    if (relpath !== undefined && md5 && inShard({ md5, shard })) mine.push({ id: object.id, md5, relpath });
  }
  // Links leading outside data/ are never read; the final job reports them (links.ts).
  const { cacheDir } = await readDvcConfig({ root: ws.root });
  const outside = await linksOutside({ dir: ws.data, relpaths: mine.map((o) => o.relpath), cacheDir });
  if (outside.size > 0) mine = mine.filter((o) => !outside.has(o.relpath));
  const firstPathOf = new Map<string, string>();
  for (const { md5, relpath } of mine) if (!firstPathOf.has(md5)) firstPathOf.set(md5, relpath);

  const settings = analysisSettings(params);
  const { previous, unreadable, analyses, failures } = await analyseImages({ ws, settings, firstPathOf, jobs, log });
  const fresh = new Map([...analyses].filter(([md5]) => !previous.has(md5)));
  const freshFailures = new Map(
    [...failures]
      .filter(([md5]) => !unreadable.has(md5))
      .map(([md5, error]) => [md5, decodeFailureOf({ error, file: `data/${firstPathOf.get(md5)}` })]),
  );
  // Added to what is there now: another shard run on this checkout may have written since we read.
  await addImageCaches({ ws, settings, analyses: fresh, failures: freshFailures, replace: true, log });
  // Now in images.json and unreadable.json: the answers written one by one as each image was read go (finished.ts).
  const folded = new Set([...fresh.keys(), ...freshFailures.keys()]);
  await removeFinished({ datasetDir: ws.dataset, settings, folded });

  const usable = mine.filter((o) => !failures.has(o.md5));
  const { labelOf } = checkLabels({
    labels,
    blanks,
    objectIds: new Set(read.objects.map((o) => o.id)),
    vocabulary,
    name: rel(ws, ws.labels),
  });
  // Images with the same bytes share a split, and all sit in this shard: the split is the whole run's.
  const splits = assignSplits({
    // By bytes: the same pixels in another file may sit in another shard (the final job groups those too).
    objects: usable.map((o) => ({ id: o.id, image: o.md5 })),
    fractions: params.dataset.split,
  });
  const images = new Map<string, ShardImage>();
  for (const o of usable) {
    const image = images.get(o.md5) ?? { md5: o.md5, file: path.join(ws.data, firstPathOf.get(o.md5)!), train: false };
    if (splits.get(o.id) === 'train' && labelOf.has(o.id)) image.train = true;
    images.set(o.md5, image);
  }
  return { images: [...images.values()], analyses: fresh, failures: freshFailures, total: firstPathOf.size };
}
