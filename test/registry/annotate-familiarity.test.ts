import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familiarityCut, referenceObjects, unfamiliarity } from '../../pipeline/evaluate/familiarity.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { selectBackend } from '../../pipeline/model/backend.ts';
import type { Tf } from '../../pipeline/model/head.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { seededUniform } from '../../pipeline/random.ts';
import { annotateCollection, type EmbedObjects, type PredictObjects } from '../../pipeline/registry/annotate.ts';
import type { Dataset, DatasetObject, Metrics } from '../../pipeline/types.ts';

/*
 * annotate.familiarity: an object whose photograph is unlike every labelled photograph (its embedding far
 * from its nearest labelled ones) is held back however confident the model is; a photograph like the
 * labelled ones is published as before. Real files in a temporary workspace, synthetic embeddings.
 */

const D = 12;
const uniform = seededUniform(13);
const noise = () => (uniform() - 0.5) * 0.02;
/**
 * Two kinds of object, apart along the first two numbers; within a kind, photographs vary along one shared
 * direction (as real embeddings vary together, not number by number), plus a little noise.
 */
const like = (kind: 0 | 1) => {
  const t = uniform() * 2 - 1;
  return Float32Array.from({ length: D }, (_, j) => (j === kind ? 3 : 0) + 0.5 * t + noise());
};
/** A photograph of another kind: large where the labelled ones never are. */
const unlike = () => Float32Array.from({ length: D }, (_, j) => (j >= 6 ? 4 : 0) + noise());

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

const labelled = Array.from({ length: 40 }, (_, i) => object(`l${i}`, i % 2 === 0 ? 'coin' : 'mask'));
const vectors = new Map<string, Float32Array>([
  ...labelled.map((o, i) => [o.imageMd5, like((i % 2) as 0 | 1)] as const),
  ['md5-near', like(0)],
  ['md5-far', unlike()],
]);
const embed: EmbedObjects = async ({ objects }) =>
  new Map(objects.flatMap((o) => (vectors.has(o.imageMd5) ? [[o.imageMd5, vectors.get(o.imageMd5)!] as const] : [])));
// The model is sure of everything, as it is of a painting in an antiquities collection.
const predict: PredictObjects = async ({ objects }) =>
  objects.map((o) => ({ id: o.id, label: 'coin', confidence: 0.99, top: [{ label: 'coin', p: 0.99 }] }));

/** The part of model-info.json annotation reads here: which backbone the model sees photographs through. */
const modelInfo = (backbone: string) => ({
  schema: 'vitrine.model/1',
  labels: ['coin', 'mask'],
  backbone: { id: backbone },
});

let ws: Workspace;
let tf: Tf;
let cut: NonNullable<NonNullable<Metrics['publication']>['familiarity']>;
const publication = {
  minPrecision: 0.9,
  thresholds: { coin: 0.9, mask: 0.9 },
  n: 40,
  coverage: { value: 0.5, low: 0.4, high: 0.6 },
  precision: { value: 0.9, low: 0.8, high: 1 },
};
const writeMetrics = (value: object) =>
  writeFile(path.join(ws.evaluate, 'metrics.json'), JSON.stringify({ schema: 'vitrine.metrics/1', ...value }));

beforeAll(async () => {
  tf = (await selectBackend({ preference: 'cpu', log: silentLogger })).tf;
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-familiarity-')));
  const dataset: Dataset = {
    schema: 'vitrine.dataset/1',
    labels: ['coin', 'mask'],
    objects: [...labelled, object('near', null), object('far', null)],
    issues: [],
    counts: { objects: 42, labelled: 40, bySplit: { train: 42, validation: 0, test: 0 }, byLabel: {} },
  };
  await mkdir(ws.dataset, { recursive: true });
  await mkdir(ws.evaluate, { recursive: true });
  await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify(dataset));
  const reference = referenceObjects({ objects: dataset.objects, labels: dataset.labels });
  cut = (await familiarityCut({ tf, reference: reference.map((o) => vectors.get(o.imageMd5)!), q: 0.95 }))!;
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('familiarity of a photograph', () => {
  it('puts a far-away embedding beyond the cut and a training-like one within it', async () => {
    expect(cut).toMatchObject({ k: 5, quantile: 0.95, reference: 40 });
    const reference = labelled.map((o) => vectors.get(o.imageMd5)!);
    const [near, far] = await unfamiliarity({
      tf,
      reference,
      queries: [vectors.get('md5-near')!, vectors.get('md5-far')!],
    });
    expect(near!).toBeLessThanOrEqual(cut.cut);
    expect(far!).toBeGreaterThan(cut.cut);
  });

  it('lets the event loop run between chunks of photographs (Ctrl-C is heard during a long comparison)', async () => {
    const reference = labelled.map((o) => vectors.get(o.imageMd5)!);
    const queries = Array.from({ length: 1500 }, (_, i) => like((i % 2) as 0 | 1));
    let heard = 0;
    const listen = () => {
      heard += 1;
      if (heard < 100) handle = setImmediate(listen);
    };
    let handle = setImmediate(listen);
    const distance = await unfamiliarity({ tf, reference, queries });
    const before = heard;
    clearImmediate(handle);
    expect(distance).toHaveLength(1500);
    expect(before).toBeGreaterThanOrEqual(2);
  });

  it('has no cut when there are too few labelled photographs to say what they look like', async () => {
    expect(await familiarityCut({ tf, reference: [like(0), like(1)], q: 0.95 })).toBeNull();
  });

  it('takes one object per photograph, labelled with a label of the vocabulary, as the reference', () => {
    const twin = { ...object('twin', 'coin'), imageMd5: 'md5-l0' };
    const other = object('other', 'statue');
    const chosen = referenceObjects({ objects: [labelled[0]!, twin, other, object('u', null)], labels: ['coin'] });
    expect(chosen.map((o) => o.id)).toEqual(['l0']);
  });
});

describe('annotations of unfamiliar photographs', () => {
  it('holds back the annotation of a photograph unlike the labelled ones and says why in the log', async () => {
    await writeMetrics({ publication: { ...publication, familiarity: cut } });
    const log = memoryLogger();
    const { annotations, file } = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log,
      predict,
      embed,
    });
    const byId = new Map(annotations.map((a) => [a.id, a]));
    expect(byId.get('far')).toMatchObject({ published: false, unfamiliar: true, label: 'coin' });
    expect(byId.get('near')!.published).toBe(true);
    expect(byId.get('near')!.unfamiliar).toBeUndefined();
    expect(byId.get('l3')!.published).toBe(true);
    const written = JSON.parse(await readFile(file, 'utf8')) as { id: string; published: boolean }[];
    expect(written.find((a) => a.id === 'far')!.published).toBe(false);
    const info = log.lines.find((l) => l.level === 'info' && l.message.startsWith('Annotated'))!.message;
    expect(info).toContain('1 object waits for staff because its photograph is unlike the ones the model learnt from');
    expect(info).not.toContain('below their label');
  });

  it('leaves an annotation below its threshold to the threshold: it waits for staff already', async () => {
    await writeMetrics({ publication: { ...publication, familiarity: cut } });
    const unsure: PredictObjects = async ({ objects }) =>
      objects.map((o) => {
        const confidence = o.id === 'far' ? 0.5 : 0.99;
        return { id: o.id, label: 'coin', confidence, top: [{ label: 'coin', p: confidence }] };
      });
    const asked: string[] = [];
    const watching: EmbedObjects = async (input) => {
      asked.push(...input.objects.map((o) => o.imageMd5));
      return embed(input);
    };
    const log = memoryLogger();
    const { annotations } = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log,
      predict: unsure,
      embed: watching,
    });
    const far = annotations.find((a) => a.id === 'far')!;
    expect(far.published).toBe(false);
    expect(far.unfamiliar).toBeUndefined();
    expect(asked).not.toContain('md5-far');
    const info = log.lines.find((l) => l.message.startsWith('Annotated'))!.message;
    expect(info).toContain("1 annotation is below its label's publication threshold and waits for staff");
    expect(info).not.toContain('unlike the ones');
  });

  it('does not hold it back with a cut measured through another backbone, and says so', async () => {
    await writeMetrics({ publication: { ...publication, familiarity: { ...cut, backbone: 'other-backbone#x' } } });
    await mkdir(ws.model, { recursive: true });
    await writeFile(
      path.join(ws.model, 'model-info.json'),
      JSON.stringify(modelInfo('nsfwjs-mobilenet_v2_mid@4.4.0#x')),
    );
    const log = memoryLogger();
    try {
      const { annotations } = await annotateCollection({
        ws,
        params: defaultParams(),
        modelDir: ws.model,
        modelVersion: 'v1.0.0',
        log,
        predict,
        embed,
      });
      expect(annotations.find((a) => a.id === 'far')!.published).toBe(true);
      expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('through another backbone'))).toBe(true);
      // The same backbone as the cut's: held back again.
      await writeMetrics({
        publication: { ...publication, familiarity: { ...cut, backbone: 'nsfwjs-mobilenet_v2_mid@4.4.0#x' } },
      });
      const again = await annotateCollection({
        ws,
        params: defaultParams(),
        modelDir: ws.model,
        modelVersion: 'v1.0.0',
        log: silentLogger,
        predict,
        embed,
      });
      expect(again.annotations.find((a) => a.id === 'far')!.published).toBe(false);
    } finally {
      await rm(ws.model, { recursive: true, force: true });
    }
  });

  it('publishes it as before when annotate.familiarity is off', async () => {
    await writeMetrics({ publication: { ...publication, familiarity: cut } });
    const params = defaultParams();
    params.annotate.familiarity = false;
    const refuse: EmbedObjects = async () => {
      throw new Error('no embeddings are needed with familiarity off');
    };
    const { annotations } = await annotateCollection({
      ws,
      params,
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log: silentLogger,
      predict,
      embed: refuse,
    });
    const far = annotations.find((a) => a.id === 'far')!;
    expect(far.published).toBe(true);
    expect(far.unfamiliar).toBeUndefined();
  });

  it('publishes it as before with a metrics.json written before the familiarity cut existed', async () => {
    await writeMetrics({ publication });
    const refuse: EmbedObjects = async () => {
      throw new Error('no embeddings are needed without a cut');
    };
    const { annotations } = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log: silentLogger,
      predict,
      embed: refuse,
    });
    expect(annotations.every((a) => a.published === true && a.unfamiliar === undefined)).toBe(true);
  });

  it('says so once when too few labelled photographs can be compared to run the check', async () => {
    await writeMetrics({ publication: { ...publication, familiarity: cut } });
    // Most labelled photographs have no embedding on this machine: only k of them are left to compare with.
    const few: EmbedObjects = async ({ objects }) => {
      const all = await embed({ objects });
      for (const o of labelled.slice(cut.k)) all.delete(o.imageMd5);
      return all;
    };
    const log = memoryLogger();
    const { annotations } = await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log,
      predict,
      embed: few,
    });
    expect(annotations.find((a) => a.id === 'far')!.unfamiliar).toBeUndefined();
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`only ${cut.k} labelled photographs`);
    expect(warnings[0]).toContain('no annotation is held back');
  });

  it('says annotations wait for staff because the version has no thresholds, not that they are below them', async () => {
    const log = memoryLogger();
    await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log,
      predict,
      embed,
      publication: null,
    });
    const info = log.lines.find((l) => l.message.startsWith('Annotated'))!.message;
    expect(info).toContain('42 annotations wait for staff because model version v1.0.0 has no publication thresholds');
    expect(info).not.toContain('below');
  });

  it('says no type reached the wanted precision when every threshold is null, not that there are none', async () => {
    const log = memoryLogger();
    await annotateCollection({
      ws,
      params: defaultParams(),
      modelDir: ws.model,
      modelVersion: 'v1.0.0',
      log,
      predict,
      embed,
      publication: { ...publication, thresholds: { coin: null, mask: null } },
    });
    const info = log.lines.find((l) => l.message.startsWith('Annotated'))!.message;
    expect(info).toContain(
      '42 annotations wait for staff because no type reached the wanted precision of 0.9 on the labelled ' +
        'objects, so nothing is published as fact',
    );
    expect(info).not.toContain('no publication thresholds');
  });
});
