import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { addData, initData, pushData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { monitorCommands } from '../../pipeline/monitor/commands.ts';
import type { EmbedImages } from '../../pipeline/monitor/drift.ts';
import {
  correctionRate,
  diffLabels,
  labelsChangedSince,
  objectsAddedSince,
  resolveCommit,
} from '../../pipeline/monitor/history.ts';
import { checkRetrain, monitorDrift, productionModel } from '../../pipeline/monitor/run.ts';
import type { CorrectionRate, DriftReport } from '../../pipeline/monitor/types.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import type { Dataset, DatasetObject } from '../../pipeline/types.ts';

/*
 * Monitoring over a real git repository (isomorphic-git) in a temp dir: labels corrected since the
 * production tag, objects added since, and the `vitrine monitor --check-retrain` command.
 */

const author = { name: 'Curator', email: 'curator@example.org' };
let ws: Workspace;
let time = 1_700_000_000;

async function commit(message: string, files: Record<string, string | Buffer>): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws.root, file)), { recursive: true });
    await writeFile(path.join(ws.root, file), content);
    await git.add({ fs, dir: ws.root, filepath: file });
  }
  time += 60;
  return git.commit({ fs, dir: ws.root, message, author: { ...author, timestamp: time, timezoneOffset: 0 } });
}

async function tag(name: string, oid: string): Promise<void> {
  time += 1;
  await git.annotatedTag({
    fs,
    dir: ws.root,
    ref: name,
    object: oid,
    message: name,
    tagger: { ...author, timestamp: time, timezoneOffset: 0 },
  });
}

const labelsText = (labels: Record<string, string>) =>
  `object_id,label\n${Object.entries(labels)
    .sort()
    .map(([id, l]) => `${id},${l}`)
    .join('\n')}\n`;
const objectsText = (ids: string[]) =>
  `id,title,image\n${ids.map((id) => `${id},Object ${id},images/${id}.png`).join('\n')}\n`;

const base: Record<string, string> = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`R${i}`, i % 2 ? 'coin' : 'mask']),
);

beforeEach(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-monitor-git-')));
  await git.init({ fs, dir: ws.root, defaultBranch: 'main' });
});

afterEach(async () => {
  await rm(ws.root, { recursive: true, force: true });
  // The data remote one test makes beside the repository.
  await rm(`${ws.root}-remote`, { recursive: true, force: true });
});

describe('label corrections since promotion', () => {
  it('counts changed and added labels per commit on main since the production tag', async () => {
    const promoted = await commit('Labels for the first model', { 'labels.csv': labelsText(base) });
    await tag('collection-classifier@v1.0.0', promoted);
    await tag('collection-classifier#prod#1', promoted);
    await commit('Merge pull request #2: fix three labels, label two more', {
      'labels.csv': labelsText({ ...base, R0: 'coin', R1: 'mask', R2: 'vessel', N1: 'coin', N2: 'print' }),
    });
    await commit('Update the README', { 'README.md': 'hello\n' });
    await commit('Merge pull request #3: one more fix', {
      'labels.csv': labelsText({ ...base, R0: 'coin', R1: 'mask', R2: 'vessel', R3: 'print', N1: 'coin', N2: 'print' }),
    });

    const params = defaultParams();
    const prod = await productionModel({ ws, params });
    expect(prod).toMatchObject({ version: 'v1.0.0', commit: promoted, labelsCommit: promoted });
    const rate = await correctionRate({ root: ws.root, since: prod!.labelsCommit, modelVersion: prod!.version });
    expect(rate).toMatchObject({
      schema: 'vitrine.corrections/1',
      since: promoted,
      changed: 4,
      added: 2,
      removed: 0,
      labelled: 12,
      rate: 0.4,
      commits: 2,
    });
    expect(rate.byCommit.map((c) => [c.message, c.changed, c.added])).toEqual([
      ['Merge pull request #2: fix three labels, label two more', 3, 2],
      ['Merge pull request #3: one more fix', 1, 0],
    ]);
    expect(await labelsChangedSince({ root: ws.root, since: 'collection-classifier#prod#1' })).toEqual({
      changed: 4,
      added: 2,
      removed: 0,
      ids: ['N1', 'N2', 'R0', 'R1', 'R2', 'R3'],
    });
  });

  it('resolves branches, tags and short commit ids, and names a ref it cannot find', async () => {
    const oid = await commit('first', { 'labels.csv': labelsText(base) });
    await tag('v1', oid);
    expect(await resolveCommit({ root: ws.root, ref: 'main' })).toBe(oid);
    expect(await resolveCommit({ root: ws.root, ref: 'v1' })).toBe(oid);
    expect(await resolveCommit({ root: ws.root, ref: oid.slice(0, 8) })).toBe(oid);
    await expect(resolveCommit({ root: ws.root, ref: 'no-such-branch' })).rejects.toMatchObject({
      code: 'REF_UNKNOWN',
      message: expect.stringContaining('"no-such-branch"'),
    });
  });

  it('diffLabels separates changed, added and removed lines', () => {
    const before = new Map([
      ['a', 'coin'],
      ['b', 'mask'],
      ['c', 'print'],
    ]);
    const after = new Map([
      ['a', 'coin'],
      ['b', 'vessel'],
      ['d', 'mask'],
    ]);
    expect(diffLabels({ before, after })).toEqual({ changed: ['b'], added: ['d'], removed: ['c'] });
  });
});

function dataset(objects: { id: string; md5: string; split?: 'train' | 'test'; label?: string | null }[]): Dataset {
  const list = objects.map(
    (o) =>
      ({
        id: o.id,
        title: `Object ${o.id}`,
        image: `images/${o.id}.png`,
        imageMd5: o.md5,
        width: 16,
        height: 16,
        label: o.label ?? null,
        split: o.split ?? 'train',
      }) as DatasetObject,
  );
  return {
    schema: 'vitrine.dataset/1',
    labels: ['coin', 'mask'],
    objects: list,
    issues: [],
    counts: { objects: list.length, labelled: 0, bySplit: { train: 0, validation: 0, test: 0 }, byLabel: {} },
  };
}

describe('objects added since a commit', () => {
  it('reads the data folder manifest of data.dvc at that commit: new and re-photographed objects count', async () => {
    const png = (grey: number) =>
      sharp({ create: { width: 8, height: 8, channels: 3, background: { r: grey, g: grey, b: grey } } })
        .png()
        .toBuffer();
    await mkdir(ws.images, { recursive: true });
    for (const id of ['A', 'B']) await writeFile(path.join(ws.images, `${id}.png`), await png(id === 'A' ? 10 : 20));
    await initData({ root: ws.root, remoteUrl: path.join(ws.root, '..', `${path.basename(ws.root)}-remote`) });
    const first = await addData({ root: ws.root, log: silentLogger });
    await pushData({ root: ws.root, log: silentLogger });
    const then = await commit('data v1', { 'data.dvc': await readFile(ws.dataDvc, 'utf8') });
    // B is re-photographed, C is new.
    await writeFile(path.join(ws.images, 'B.png'), await png(200));
    await writeFile(path.join(ws.images, 'C.png'), await png(30));
    const second = await addData({ root: ws.root, log: silentLogger });
    expect(second.md5).not.toBe(first.md5);
    const { createHash } = await import('node:crypto');
    const md5 = async (id: string) =>
      createHash('md5')
        .update(await readFile(path.join(ws.images, `${id}.png`)))
        .digest('hex');
    const data = dataset([
      { id: 'A', md5: await md5('A') },
      { id: 'B', md5: await md5('B') },
      { id: 'C', md5: await md5('C') },
    ]);
    const { before, added } = await objectsAddedSince({ ws, dataset: data, commit: then });
    expect(before.map((o) => o.id)).toEqual(['A']);
    expect(added.map((o) => o.id)).toEqual(['B', 'C']);

    // A fresh CI checkout has only the current data in its cache: the old folder list comes from the remote.
    await pushData({ root: ws.root, log: silentLogger });
    await rm(path.join(ws.root, '.dvc', 'cache'), { recursive: true, force: true });
    expect((await objectsAddedSince({ ws, dataset: data, commit: then })).added.map((o) => o.id)).toEqual(['B', 'C']);
  });

  it('falls back to data/objects.csv in git, and says when the manifest is not in the local cache', async () => {
    const then = await commit('objects', { 'data/objects.csv': objectsText(['A', 'B']) });
    const data = dataset([
      { id: 'A', md5: 'x' },
      { id: 'B', md5: 'y' },
      { id: 'C', md5: 'z' },
    ]);
    expect((await objectsAddedSince({ ws, dataset: data, commit: then })).added.map((o) => o.id)).toEqual(['C']);
    const missing = await commit('dvc', {
      'data.dvc': 'outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  path: data\n  hash: md5\n',
    });
    await expect(objectsAddedSince({ ws, dataset: data, commit: missing })).rejects.toMatchObject({
      code: 'DATA_MANIFEST_MISSING',
      message: expect.stringContaining('vitrine data pull'),
    });
  });
});

describe('retraining check and monitoring runs', () => {
  async function setup({ newLabels }: { newLabels: number }): Promise<Dataset> {
    const ids = Object.keys(base);
    const promoted = await commit('first model', {
      'labels.csv': labelsText(base),
      'data/objects.csv': objectsText(ids),
    });
    await tag('collection-classifier@v1.0.0', promoted);
    await tag('collection-classifier#prod#1', promoted);
    const more = Object.fromEntries(Array.from({ length: newLabels }, (_, i) => [`N${i}`, 'coin']));
    const newIds = ['N0', 'N1', 'N2', 'N3'];
    await commit('new acquisitions', {
      'labels.csv': labelsText({ ...base, ...more }),
      'data/objects.csv': objectsText([...ids, ...newIds]),
    });
    await mkdir(ws.images, { recursive: true });
    for (const [i, id] of [...ids, ...newIds].entries()) {
      await sharp({
        create: {
          // 32 px: a smaller picture is no photograph of its object (IMAGE_TOO_SMALL).
          width: 32,
          height: 32,
          channels: 3,
          background: id.startsWith('N')
            ? { r: 20, g: 90 + i, b: 220 }
            : { r: 120 + i * 5, g: 120 + i * 5, b: 120 + i * 5 },
        },
      })
        .png()
        .toFile(path.join(ws.images, `${id}.png`));
    }
    const data = dataset([
      ...ids.map((id) => ({ id, md5: `m-${id}`, label: base[id]! })),
      ...newIds.map((id) => ({ id, md5: `m-${id}`, split: 'test' as const })),
    ]);
    await mkdir(ws.dataset, { recursive: true });
    await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify(data));
    return data;
  }

  // Vectors by image key: the new objects point elsewhere.
  const embed: EmbedImages = async ({ items }) => ({
    vectors: new Map(
      items.map((item) => {
        const id = item.key.slice(2);
        const n = Number(id.slice(1));
        return [item.key, Float32Array.from(id.startsWith('N') ? [0.1 * n, 5, 1] : [5, 0.3 * n, 1])];
      }),
    ),
    backbone: { id: 'fixed' },
  });

  it(
    'vitrine monitor --check-retrain brings the dataset up to date and reports the decision on stdout, in the ' +
      'step output and the job summary',
    async () => {
      await setup({ newLabels: 3 });
      await writeFile(ws.params, 'retrain:\n  min_new_labels: 3\n  min_new_objects: 50\n  on_drift: false\n');
      const output = path.join(ws.root, 'github-output');
      const summary = path.join(ws.root, 'step-summary');
      let stdout = '';
      const run = (values: Record<string, unknown>, env: Record<string, string>) => {
        const ctx: CommandContext = {
          ws,
          log: memoryLogger(),
          clock: { now: () => new Date('2026-01-01T00:00:00Z') },
          env,
          json: Boolean(values.json),
          out: (t) => (stdout += t),
        };
        return monitorCommands.find((c) => c.name === 'monitor')!.run(ctx, { values, positionals: [] });
      };
      expect(await run({ 'check-retrain': true }, { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary })).toBe(0);
      expect(stdout).toBe(
        'retrain=true\n  3 labels changed or added since v1.0.0 was promoted (the threshold is 3).\n',
      );
      expect(await readFile(output, 'utf8')).toBe('retrain=true\n');
      expect(await readFile(summary, 'utf8')).toBe(
        '**Retraining:** 3 labels changed or added since v1.0.0 was promoted (the threshold is 3).\n',
      );

      await writeFile(ws.params, 'retrain:\n  min_new_labels: 4\n  on_drift: false\n');
      stdout = '';
      expect(await run({ 'check-retrain': true, json: true }, {})).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ retrain: false, newLabels: 3, newObjects: 4, drift: null });
      // The dataset stage ran on the repository's files (real image md5s, not the fixture's).
      const built = JSON.parse(await readFile(path.join(ws.dataset, 'dataset.json'), 'utf8')) as Dataset;
      expect(built.objects).toHaveLength(14);
      expect(built.objects[0]!.imageMd5).toMatch(/^[0-9a-f]{32}$/);
    },
  );

  it(
    'monitorDrift compares the production training objects with the objects added since and writes drift.json ' +
      'and corrections.json',
    async () => {
      const data = await setup({ newLabels: 0 });
      const params = defaultParams();
      params.monitor.permutations = 100;
      const { report, corrections, files } = await monitorDrift({
        ws,
        params,
        log: memoryLogger(),
        embed,
        dataset: data,
      });
      expect(report.modelVersion).toBe('v1.0.0');
      expect(report.reference).toMatchObject({
        kind: 'model-training',
        count: 10,
        description: 'the training objects of v1.0.0',
      });
      expect(report.current).toMatchObject({ kind: 'added-since', count: 4 });
      expect(report.drifted).toBe(true);
      expect(report.unfamiliar.map((u) => u.id).sort()).toEqual(['N0', 'N1', 'N2', 'N3']);
      expect(files.map((f) => path.basename(f))).toEqual(['drift.json', 'history.json', 'corrections.json']);
      const written = JSON.parse(await readFile(path.join(ws.monitor, 'drift.json'), 'utf8')) as DriftReport;
      expect(written.summary).toBe(report.summary);
      expect(
        (JSON.parse(await readFile(path.join(ws.monitor, 'corrections.json'), 'utf8')) as CorrectionRate).changed,
      ).toBe(corrections!.changed);

      const decision = await checkRetrain({ ws, params, log: memoryLogger(), embed, dataset: data });
      expect(decision.retrain).toBe(true);
      expect(decision.reasons.at(-1)).toMatch(/^The new objects look different from the training data \(/);
    },
  );

  it('vitrine monitor prints the summary and the least familiar objects (real backbone, 14 tiny images)', async () => {
    const data = await setup({ newLabels: 0 });
    // The real embedder checks each image against the md5 the dataset recorded: use the files' own.
    for (const o of data.objects)
      o.imageMd5 = createHash('md5')
        .update(await readFile(path.join(ws.data, o.image)))
        .digest('hex');
    await writeFile(path.join(ws.dataset, 'dataset.json'), JSON.stringify(data));
    await writeFile(ws.params, 'monitor:\n  permutations: 100\ntrain:\n  workers: 1\n');
    // Training embedded every image already, into the content-addressed cache it shares with monitoring.
    const { embedImages } = await import('../../pipeline/model/embed.ts');
    const items = data.objects.map((o) => ({ key: o.imageMd5, file: path.join(ws.data, o.image) }));
    const trained = await embedImages({
      items,
      params: { ...defaultParams(), train: { ...defaultParams().train, workers: 1 } },
      root: ws.root,
      cacheDir: ws.cache,
      workers: 1,
      log: silentLogger,
    });
    expect(trained.computed).toBe(new Set(items.map((i) => i.key)).size);
    let stdout = '';
    const ctx: CommandContext = {
      ws,
      log: memoryLogger(),
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      env: {},
      json: false,
      out: (t) => (stdout += t),
    };
    expect(await monitorCommands[0]!.run(ctx, { values: { 'skip-dataset': true }, positionals: [] })).toBe(0);
    // Monitoring embedded nothing again.
    expect(
      (ctx.log as ReturnType<typeof memoryLogger>).lines.filter((l) => /^Embedding \d+ image/.test(l.message)),
    ).toEqual([]);
    const report = JSON.parse(await readFile(path.join(ws.monitor, 'drift.json'), 'utf8')) as DriftReport;
    expect(stdout.startsWith(`${report.summary}\n`)).toBe(true);
    expect(stdout).toContain('Least familiar new objects');
    for (const id of ['N0', 'N1', 'N2', 'N3']) expect(stdout).toContain(id);
    expect(stdout).toContain(
      'Written: .vitrine/monitor/drift.json, .vitrine/monitor/history.json, .vitrine/monitor/corrections.json',
    );
    expect(report.signals.embeddings!.backbone).toMatch(/^nsfwjs-mobilenet_v2/);
  }, 60_000);

  it('compares the unlabelled objects of the first import with the labelled training objects, not only objects added since', async () => {
    const ids = Object.keys(base);
    const unlabelled = ['U0', 'U1', 'U2', 'U3'];
    const promoted = await commit('first import', {
      'labels.csv': labelsText(base),
      'data/objects.csv': objectsText([...ids, ...unlabelled]),
    });
    await tag('collection-classifier@v1.0.0', promoted);
    await tag('collection-classifier#prod#1', promoted);
    await mkdir(ws.images, { recursive: true });
    for (const [i, id] of [...ids, ...unlabelled].entries())
      await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 10 * i, g: 90, b: 90 } } })
        .png()
        .toFile(path.join(ws.images, `${id}.png`));
    const data = dataset([
      ...ids.map((id) => ({ id, md5: `m-${id}`, label: base[id]! })),
      ...unlabelled.map((id) => ({ id, md5: `m-${id}`, split: 'test' as const })),
    ]);
    const params = defaultParams();
    params.monitor.permutations = 100;
    const uEmbed: EmbedImages = async ({ items }) => ({
      vectors: new Map(
        items.map((item) => [
          item.key,
          Float32Array.from(item.key.includes('U') ? [0.1, 5, 1] : [5, 0.3 * Number(item.key.slice(3)), 1]),
        ]),
      ),
      backbone: { id: 'fixed' },
    });
    const log = memoryLogger();
    const { report } = await monitorDrift({ ws, params, log, embed: uEmbed, dataset: data });
    expect(report.reference).toMatchObject({ kind: 'model-training', count: 10 });
    expect(report.current).toMatchObject({
      kind: 'new-and-unlabelled',
      count: 4,
      // None were added since: the words say the group is the unlabelled objects (G1).
      description: 'the unlabelled objects (none added since v1.0.0)',
    });
    expect(report.pooled).toBeUndefined();
    expect(
      log.lines.some(
        (l) => l.message === 'Comparing 4 unlabelled objects (none added since v1.0.0) with 10 reference objects.',
      ),
    ).toBe(true);
  });

  it('without a production model, monitoring asks for a reference and retraining says yes', async () => {
    await commit('labels', { 'labels.csv': labelsText(base), 'data/objects.csv': objectsText(Object.keys(base)) });
    const params = defaultParams();
    const data = dataset(Object.keys(base).map((id) => ({ id, md5: `m-${id}` })));
    await expect(monitorDrift({ ws, params, log: memoryLogger(), embed, dataset: data })).rejects.toMatchObject({
      code: 'NO_REFERENCE',
      message: expect.stringContaining('--reference main'),
    });
    expect(await checkRetrain({ ws, params, log: memoryLogger(), embed })).toMatchObject({
      retrain: true,
      reasons: ['There is no model in production yet.'],
    });
  });
});
