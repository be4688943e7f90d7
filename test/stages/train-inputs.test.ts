import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDataset } from '../../pipeline/dataset/build.ts';
import { writeJsonAtomic } from '../../pipeline/fs.ts';
import { memoryLogger, systemClock } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { FLAGGED_RULE } from '../../pipeline/review/flagged.ts';
import { runStages } from '../../pipeline/stages/graph.ts';
import type { Stage, StageName } from '../../pipeline/stages/stage.ts';
import { trainInputs, trainStage } from '../../pipeline/stages/train.ts';
import type { Dataset, DatasetObject, Split } from '../../pipeline/types.ts';

/*
 * The train stage's declared inputs, through the real stage graph: the real train stage's deps and
 * fingerprint, with its work replaced by a note that it ran. The dataset stand-in writes a
 * dataset.json from the objects table and labels, as the dataset stage does (titles included).
 */

let root: string;
let ws: Workspace;
let runs: StageName[];

const datasetStandIn: Stage = {
  name: 'dataset',
  summary: 'dataset',
  deps: { paths: ['data', 'labels.csv'], params: ['collection.vocabulary', 'dataset'], stages: [] },
  outs: ['.vitrine/dataset'],
  async run(ctx) {
    runs.push('dataset');
    const rows = (await readFile(ctx.ws.objects, 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    const labels = new Map(
      (await readFile(ctx.ws.labels, 'utf8'))
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',') as [string, string]),
    );
    const splits: Split[] = ['train', 'train', 'validation', 'test'];
    const objects: DatasetObject[] = [];
    for (const [i, [id, title]] of rows.entries()) {
      const image = `images/${id}.jpg`;
      const bytes = await readFile(path.join(ctx.ws.data, image));
      objects.push({
        id: id!,
        title: title!,
        maker: '',
        date: '',
        department: '',
        medium: '',
        creditLine: '',
        rights: '',
        description: '',
        image,
        extra: {},
        imageMd5: createHash('md5').update(bytes).digest('hex'),
        width: 10,
        height: 10,
        label: labels.get(id!) ?? null,
        split: ctx.params.dataset.split.salt === 'other' ? splits[(i + 1) % 4]! : splits[i % 4]!,
        colours: [],
        thumbnails: [],
      });
    }
    const vocabulary = [...new Set(labels.values())].sort();
    const dataset = {
      schema: 'vitrine.dataset/1',
      labels: vocabulary,
      objects,
      issues: [],
      counts: { objects: objects.length },
    } as unknown as Dataset;
    await writeJsonAtomic({ file: path.join(ctx.ws.dataset, 'dataset.json'), value: dataset });
    return { summary: 'dataset done' };
  },
};

const trainRecorder: Stage = {
  ...trainStage,
  async run(ctx) {
    runs.push('train');
    await mkdir(ctx.ws.model, { recursive: true });
    await writeFile(path.join(ctx.ws.model, 'model.json'), String(Date.now()));
    return { summary: 'trained' };
  },
};

async function run(
  params: Params = defaultParams(),
  train: Stage = trainRecorder,
  reasons: string[] = [],
): Promise<StageName[]> {
  runs = [];
  const outcomes = await runStages({
    ctx: { ws, params, log: memoryLogger(), clock: systemClock, env: {} },
    stages: [datasetStandIn, train],
  });
  for (const o of outcomes) if (o.status === 'ran') reasons.push(`${o.name}: ${o.reason}`);
  return runs;
}

const ids = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-train-inputs-'));
  ws = workspace(root);
  await mkdir(path.join(ws.data, 'images'), { recursive: true });
  for (const id of ids) await writeFile(path.join(ws.data, 'images', `${id}.jpg`), `image ${id}`);
  await writeFile(ws.objects, `id,title\n${ids.map((id) => `${id},Object ${id}`).join('\n')}\n`);
  await writeFile(
    ws.labels,
    `object_id,label\n${ids.map((id, i) => `${id},${i % 2 ? 'coin' : 'vessel'}`).join('\n')}\n`,
  );
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('train stage inputs: exactly what the model reads', () => {
  it('does not retrain when only an object title changes', async () => {
    expect(await run()).toEqual(['dataset', 'train']);
    await writeFile(ws.objects, (await readFile(ws.objects, 'utf8')).replace('A,Object A', 'A,Bowl with a lid'));
    expect(await run()).toEqual(['dataset']);
  });

  it('retrains when a label, an image, the split or a train or backbone param changes', async () => {
    await run();
    await writeFile(ws.labels, (await readFile(ws.labels, 'utf8')).replace('A,vessel', 'A,coin'));
    expect(await run()).toEqual(['dataset', 'train']);
    await writeFile(path.join(ws.data, 'images', 'B.jpg'), 'image B, rephotographed');
    expect(await run()).toEqual(['dataset', 'train']);
    const params = defaultParams();
    params.dataset.split.salt = 'other';
    expect(await run(params)).toEqual(['dataset', 'train']);
    params.train.epochs = 3;
    expect(await run(params)).toEqual(['train']);
    params.backbone.fit = 'crop';
    expect(await run(params)).toEqual(['train']);
    expect(await run(params)).toEqual([]);
  });

  it('does not retrain when a test object is relabelled: the head never reads it', async () => {
    await run();
    // D is the fourth object: the test split.
    await writeFile(ws.labels, (await readFile(ws.labels, 'utf8')).replace('D,coin', 'D,vessel'));
    expect(await run()).toEqual(['dataset']);
  });

  it('with train.flagged: drop, retrains when a test object is relabelled or the cross-validation changes', async () => {
    // The labels to leave out are found by cross-validating every labelled object, the test split's too.
    const drop = defaultParams();
    drop.train.flagged = 'drop';
    expect(await run(drop)).toEqual(['dataset', 'train']);
    await writeFile(ws.labels, (await readFile(ws.labels, 'utf8')).replace('D,coin', 'D,vessel'));
    expect(await run(drop)).toEqual(['dataset', 'train']);
    drop.evaluate.folds = 3;
    expect(await run(drop)).toEqual(['train']);
    drop.evaluate.cv_max_objects = 4;
    expect(await run(drop)).toEqual(['train']);
    expect(await run(drop)).toEqual([]);
    // With flagged: keep, neither is read.
    const keep = structuredClone(drop);
    keep.train.flagged = 'keep';
    expect(await run(keep)).toEqual(['train']);
    keep.evaluate.folds = 4;
    expect(await run(keep)).toEqual([]);
  });

  it('retrains once a model whose L2 folds were dealt by row, only where a photograph has several rows', async () => {
    // Helper R4: the folds that choose the lbfgs head’s L2 now keep every row of a photograph in one fold (l2Folds),
    // but nothing in the fingerprint said so: with train.augment (a photograph and its mirror image) a model chosen
    // on the older folds was kept. The older Vitrine’s fingerprint: the training inputs alone.
    const older: Stage = {
      ...trainRecorder,
      fingerprint: async (ctx) => trainInputs(await readDataset({ ws: ctx.ws }).catch(() => null)),
    };
    const plain = defaultParams();
    expect(await run(plain, older)).toEqual(['dataset', 'train']);
    // One row per photograph: the folds are as they were, the model is kept.
    expect(await run(plain)).toEqual([]);
    // B given A's photograph: the training rows changed and the rule now applies. Not said as the rule alone (V4).
    await writeFile(path.join(ws.data, 'images', 'B.jpg'), 'image A');
    const both: string[] = [];
    expect(await run(plain, trainRecorder, both)).toEqual(['dataset', 'train']);
    expect(both).toEqual(['dataset: data changed', 'train: what it reads from dataset changed']);
    await writeFile(path.join(ws.data, 'images', 'B.jpg'), 'image B');
    expect(await run(plain)).toEqual(['dataset', 'train']);
    const augment = defaultParams();
    augment.train.augment = true;
    expect(await run(augment, older)).toEqual(['train']);
    const reasons: string[] = [];
    expect(await run(augment, trainRecorder, reasons)).toEqual(['train']);
    // Said as what changed (review V3: it read "what it reads from dataset changed", which had not changed).
    expect(reasons).toEqual(['train: L2 penalty folds changed']);
    expect(await run(augment)).toEqual([]);
    // Two training objects (A and B) sharing one photograph, without augment: their rows were dealt apart too.
    await writeFile(path.join(ws.data, 'images', 'B.jpg'), 'image A');
    expect(await run(plain, older)).toEqual(['dataset', 'train']);
    expect(await run(plain)).toEqual(['train']);
    expect(await run(plain)).toEqual([]);
    // An adam head chooses no L2: its model is kept.
    const adam = structuredClone(augment);
    adam.train.solver = 'adam';
    expect(await run(adam, older)).toEqual(['train']);
    expect(await run(adam)).toEqual([]);
  });

  it('with train.flagged: drop, fingerprints how the labels to leave out are found (a new rule retrains)', async () => {
    const drop = defaultParams();
    drop.train.flagged = 'drop';
    await run(drop);
    const ctx = { ws, params: drop, log: memoryLogger(), clock: systemClock, env: {} };
    expect(await trainStage.fingerprint!(ctx)).toMatchObject({ flagged: { rule: FLAGGED_RULE } });
    expect(await trainStage.fingerprint!({ ...ctx, params: defaultParams() })).not.toHaveProperty('flagged');
  });
});
