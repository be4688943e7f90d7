import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { annotateCollection, type PredictObjects } from '../../pipeline/registry/annotate.ts';
import type { ReviewFile } from '../../pipeline/review/index.ts';
import type { Annotation, Dataset, DatasetObject } from '../../pipeline/types.ts';

/*
 * Annotations carry what the site needs for the review queue: labelIssue (how likely the human
 * label is wrong, and the label the model proposes) and published (sure enough to show).
 */

const object = (id: string, label: string | null): DatasetObject => ({
  id,
  title: id,
  maker: '',
  date: '',
  department: '',
  medium: '',
  creditLine: '',
  rights: '',
  description: '',
  image: `images/${id}.jpg`,
  extra: {},
  imageMd5: `md5-${id}`,
  width: 10,
  height: 10,
  label,
  split: 'train',
  colours: [],
  thumbnails: [],
});

const predict: PredictObjects = async ({ objects }) =>
  objects.map((o) => {
    const label = o.id === 'b' ? 'mask' : o.id === 'u2' ? 'mask' : 'coin';
    const confidence = o.id === 'u2' ? 0.55 : 0.95;
    return { id: o.id, label, confidence, top: [{ label, p: confidence }] };
  });

let ws: Workspace;
beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-annotate-')));
  const dataset: Dataset = {
    schema: 'vitrine.dataset/1',
    labels: ['coin', 'mask'],
    objects: [object('a', 'coin'), object('b', 'coin'), object('u1', null), object('u2', null)],
    issues: [],
    counts: { objects: 4, labelled: 2, bySplit: { train: 4, validation: 0, test: 0 }, byLabel: {} },
  };
  await mkdir(ws.dataset, { recursive: true });
  await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify(dataset));
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('annotations and the label review', () => {
  it('gives labelled objects a labelIssue (null when the label looks right) and unlabelled ones none', async () => {
    const review: ReviewFile = {
      schema: 'vitrine.review/1',
      labels: ['coin', 'mask'],
      checked: 2,
      confident: 1,
      items: [
        { id: 'b', label: 'coin', suggested: 'mask', score: 0.93, confidence: 0.9, confident: true, split: 'train' },
      ],
    };
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(review));
    const { annotations } = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log: silentLogger,
      predict,
    });
    const byId = new Map(annotations.map((a) => [a.id, a]));
    expect(byId.get('b')!.labelIssue).toEqual({ score: 0.93, suggested: 'mask', flagged: true, label: 'coin' });
    expect(byId.get('a')!.labelIssue).toBeNull();
    expect(byId.get('u1')!.labelIssue).toBeUndefined();
    const written = JSON.parse(await readFile(path.join(ws.registry, 'annotations.json'), 'utf8')) as Annotation[];
    expect(written.find((a) => a.id === 'b')!.labelIssue).toEqual({
      score: 0.93,
      suggested: 'mask',
      flagged: true,
      label: 'coin',
    });
    // No thresholds computed (no publication in metrics.json): no published flag.
    expect(byId.get('a')!.published).toBeUndefined();
  });

  it('carries a look-alike with another label into the labelIssue, for the object page to name', async () => {
    const lookAlike = { id: 'a', label: 'mask', similarity: 0.95 };
    const review: ReviewFile = {
      schema: 'vitrine.review/1',
      labels: ['coin', 'mask'],
      checked: 2,
      confident: 1,
      items: [
        {
          id: 'b',
          label: 'coin',
          suggested: 'mask',
          score: 0.93,
          confidence: 0.9,
          confident: true,
          split: 'train',
          lookAlike,
        },
      ],
    };
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(review));
    const { annotations } = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log: silentLogger,
      predict,
    });
    expect(annotations.find((a) => a.id === 'b')!.labelIssue).toEqual({
      score: 0.93,
      suggested: 'mask',
      flagged: true,
      label: 'coin',
      // With the similarity, for the catalogue to say how alike the photographs are.
      lookAlike: { id: 'a', label: 'mask', similarity: 0.95 },
    });
  });

  it('gives no labelIssue when the review came from a model no better than guessing', async () => {
    const review: ReviewFile = {
      schema: 'vitrine.review/1',
      labels: ['coin', 'mask'],
      checked: 2,
      confident: 0,
      agreement: { accuracy: 0.5, guessing: 0.5, better: false },
      items: [
        { id: 'b', label: 'coin', suggested: 'mask', score: 0.93, confidence: 0.9, confident: false, split: 'train' },
      ],
    };
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(review));
    const { annotations } = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log: silentLogger,
      predict,
    });
    expect(annotations.find((a) => a.id === 'b')!.labelIssue).toBeUndefined();
  });

  it('marks annotations below their class threshold as not published', async () => {
    const publication = {
      minPrecision: 0.9,
      thresholds: { coin: 0.9, mask: 0.6 },
      n: 2,
      coverage: { value: 0.5, low: 0.4, high: 0.6 },
      precision: { value: 0.9, low: 0.8, high: 1 },
    };
    await writeFile(
      path.join(ws.evaluate, 'metrics.json'),
      JSON.stringify({ schema: 'vitrine.metrics/1', publication }),
    );
    const { annotations } = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log: silentLogger,
      predict,
    });
    const byId = new Map(annotations.map((a) => [a.id, a]));
    expect(byId.get('a')!.published).toBe(true); // coin at 0.95 ≥ 0.9
    expect(byId.get('u2')!.published).toBe(false); // mask at 0.55 < 0.6
    expect(byId.get('b')!.published).toBe(true); // mask at 0.95
    await writeFile(
      path.join(ws.evaluate, 'metrics.json'),
      JSON.stringify({
        schema: 'vitrine.metrics/1',
        publication: { ...publication, thresholds: { coin: null, mask: 0.6 } },
      }),
    );
    const again = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log: silentLogger,
      predict,
    });
    // A class with no threshold is never published.
    expect(again.annotations.find((a) => a.id === 'a')!.published).toBe(false);
  });
});
