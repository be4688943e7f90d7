import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossValidateCollection } from '../../pipeline/evaluate/collection-cv.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { BUILTINS, builtinId } from '../../pipeline/model/backbone.ts';
import { embeddingConfigKey } from '../../pipeline/model/embed.ts';
import { appendSegment } from '../../pipeline/model/embedding-store.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { seededUniform } from '../../pipeline/random.ts';
import type { Dataset, DatasetObject, ModelInfo } from '../../pipeline/types.ts';
import { gitIn } from '../fixtures/git.ts';

/*
 * Tester T1 (MED-1): Tile and Bowl grew by a few objects each, so both were labels being built up and set aside;
 * only Spear was left. Every probability was then 1.00 in both arms, and the report still gave a verdict "judged on
 * every labelled object" ("a change of 0.000000", "TM-030 goes from 1.00 to 1.00"). With fewer than two labels left
 * there is nothing to compare: no comparison, and a record of why.
 */

const labels = ['Spear', 'Tile', 'Bowl'];
const params = defaultParams();
params.train.workers = 1;
params.evaluate.folds = 3;
params.evaluate.group_by = '';
let ws: Workspace;
let base: string;

/** 8 objects of each label at the base; now 2 more Tiles and 2 more Bowls, and one Spear relabelled Tile. */
const before = labels.flatMap((label) => Array.from({ length: 8 }, () => label));
const now = [...before.map((l, i) => (i === 0 ? 'Tile' : l)), 'Tile', 'Tile', 'Bowl', 'Bowl'];
const csv = (ls: string[]) =>
  `object_id,label\n${ls.map((l, i) => `O-${String(i).padStart(2, '0')},${l}`).join('\n')}\n`;

beforeAll(async () => {
  await tf.setBackend('cpu');
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-built-up-')));
  const git = gitIn({ root: ws.root });
  git('init', '-q', '-b', 'main');
  await writeFile(ws.labels, csv(before));
  git('add', 'labels.csv');
  git('commit', '-qm', 'labels before');
  base = git('rev-parse', 'HEAD').trim();
  await writeFile(ws.labels, csv(now));
});

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

/** Three clusters, their vectors put in the embedding cache as a backbone's (as in fold-l2-stability). */
async function collection(): Promise<{ dataset: Dataset; info: ModelInfo }> {
  const u = seededUniform(5);
  const entries: [string, Float32Array][] = [];
  const objects = now.map((label, n) => {
    const c = labels.indexOf(label);
    entries.push([`md5-${n}`, Float32Array.from({ length: 6 }, (_, j) => u() - 0.5 + (j % 3 === c ? 2 : 0))]);
    const id = `O-${String(n).padStart(2, '0')}`;
    return { id, image: `images/${n}.jpg`, imageMd5: `md5-${n}`, label, split: 'train', extra: {} } as DatasetObject;
  });
  const b = params.backbone;
  const id = builtinId({ params: b })!;
  const inputSize = BUILTINS[b.name as keyof typeof BUILTINS]!.inputSize;
  const key = embeddingConfigKey({
    backboneId: id,
    inputSize,
    fit: b.fit,
    inputRange: b.input_range,
    background: params.dataset.image.background,
  });
  await appendSegment({ folder: path.join(ws.cache, 'embeddings', key), entries });
  const info = {
    labels,
    backbone: { id, source: '', licence: '', inputSize, fit: b.fit, inputRange: b.input_range, layer: b.layer },
    l2: 1,
  } as unknown as ModelInfo;
  return { dataset: { labels, objects } as Dataset, info };
}

describe('the comparison on every labelled object when labels being built up leave fewer than two', () => {
  it('is not made, and what is recorded says which labels were set aside and which one was left', async () => {
    const { dataset, info } = await collection();
    const log = memoryLogger();
    const result = await crossValidateCollection({
      ws,
      params,
      env: {},
      dataset,
      info,
      tf,
      source: { ref: 'main', commit: base },
      log,
    });
    expect(result.crossValidated).toBeNull();
    expect(result.notJudged).toEqual({
      base: { ref: 'main', commit: base },
      changed: 5,
      setAside: ['Tile', 'Bowl'],
      left: ['Spear'],
    });
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).toContain('not judged on every labelled object');
    expect(said).toContain('Tile and Bowl');
  }, 120_000);
});
