import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { md5Of } from '../../pipeline/dataset/images.ts';
import type { DemoStyle } from '../../pipeline/demo/draw.ts';
import { type DemoItem, planDemo, planDemoBatch, renderDemoImage } from '../../pipeline/demo/generate.ts';
import type { EmbedImages } from '../../pipeline/monitor/drift.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import type { Dataset, DatasetObject, Split } from '../../pipeline/types.ts';

/** Small demo params: few objects, small images, so the backbone work stays in seconds. */
export function smallParams(): Params {
  const params = defaultParams();
  params.demo.per_type = 4;
  params.demo.unlabelled_per_type = 0;
  params.demo.wrong_label_rate = 0;
  params.demo.image_size = 128;
  params.monitor.permutations = 200;
  params.train.workers = 1;
  return params;
}

/** Render demo items into `ws.images` and return them as dataset objects. */
export async function writeDemoObjects({
  ws,
  params,
  items,
  split,
}: {
  ws: Workspace;
  params: Params;
  items: DemoItem[];
  split: Split;
}): Promise<DatasetObject[]> {
  await mkdir(ws.images, { recursive: true });
  const out: DatasetObject[] = [];
  for (const item of items) {
    const bytes = await renderDemoImage({ item, demo: params.demo });
    const image = `images/${item.object.id}.jpg`;
    await writeFile(path.join(ws.data, image), bytes);
    out.push({
      ...item.object,
      image,
      imageMd5: md5Of(bytes),
      width: params.demo.image_size,
      height: params.demo.image_size,
      label: item.label ?? item.type,
      split,
      colours: [],
      thumbnails: [],
    });
  }
  return out;
}

/** The demo collection (studio photography) plus batches, as a dataset. */
export async function demoDataset({
  ws,
  params,
  batches,
}: {
  ws: Workspace;
  params: Params;
  batches: { count: number; style: DemoStyle }[];
}): Promise<{ dataset: Dataset; base: DatasetObject[]; batches: DatasetObject[][] }> {
  const base = await writeDemoObjects({ ws, params, items: planDemo({ demo: params.demo }), split: 'train' });
  const added: DatasetObject[][] = [];
  for (const [i, b] of batches.entries()) {
    // New objects carry no label yet; they sit in whatever split their id hashes to.
    const objects = await writeDemoObjects({
      ws,
      params,
      items: planDemoBatch({ demo: params.demo, batch: i + 1, count: b.count, style: b.style }),
      split: 'test',
    });
    added.push(objects.map((o) => ({ ...o, label: null })));
  }
  const objects = [...base, ...added.flat()];
  const dataset: Dataset = {
    schema: 'vitrine.dataset/1',
    labels: params.collection.vocabulary,
    objects,
    issues: [],
    counts: {
      objects: objects.length,
      labelled: base.length,
      bySplit: { train: base.length, validation: 0, test: objects.length - base.length },
      byLabel: {},
    },
  };
  return { dataset, base, batches: added };
}

/** The real backbone's embeddings (pipeline/model/embed.ts; MobileNetV2 from nsfwjs, offline). */
export async function realEmbed(): Promise<EmbedImages> {
  const { embedImages } = await import('../../pipeline/model/embed.ts');
  return embedImages;
}
