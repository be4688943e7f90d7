import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { percentRange } from '../../pipeline/evaluate/boundary.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { type ModelCard, pct } from '../../pipeline/registry/card.ts';
import { rollbackAndPublish, type VersionsFile } from '../../pipeline/registry/publish.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import type { ModelInfo } from '../../pipeline/types.ts';
import {
  type Fixture,
  readAnnotations,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  steppingClock,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

const newRepo = repoPerTest();

/** Train-and-evaluate stand-in: model, metrics and dataset for the workspace as it is now. */
async function prepare(
  f: Fixture,
  { predicts, passed = true, accuracy = 0.8125 }: { predicts: string; passed?: boolean; accuracy?: number },
) {
  await writeDataset({ ws: f.ws });
  await writeModel({ ws: f.ws, predicts });
  return writeMetrics({ ws: f.ws, params: f.params, passed, accuracy });
}

const tagsOf = (f: Fixture) => sh(f.root, 'tag', '-l').split('\n').filter(Boolean).sort();

describe('promotion', () => {
  it('refuses a model that failed the gate, naming the failed check, and writes no tag', async () => {
    const fixture = await newRepo();
    await prepare(fixture, { predicts: 'coin', passed: false });
    const error = await promote({ ctx: stageContext(fixture), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROMOTE_GATE_FAILED' });
    expect((error as Error).message).toContain('min_class_f1 (mask has F1 0.21 < 0.3)');
    expect((error as Error).message).not.toContain('min_macro_f1');
    // A new collection that cannot pass yet still gets its catalogue, and the message says how.
    expect((error as Error).message).toContain('npx vitrine run catalogue --single');
    expect(tagsOf(fixture)).toEqual([]);
  });

  it('says to commit the collection first in a repository without a commit (an outside tester)', async () => {
    const fixture = await newRepo();
    await prepare(fixture, { predicts: 'coin' });
    await rm(path.join(fixture.root, '.git'), { recursive: true, force: true });
    sh(fixture.root, 'init', '-q');
    const error = await promote({ ctx: stageContext(fixture), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REGISTRY_NO_GIT' });
    expect((error as Error).message).toContain('has no commit yet');
    expect((error as Error).message).toContain('commit the collection first: git add -A, then git commit');
    expect(tagsOf(fixture)).toEqual([]);
  });

  it('refuses a model evaluated on other labels or params, saying what changed and what to rerun', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    // A label changed after the pull request's evaluation.
    const labels = await readFile(f.ws.labels, 'utf8');
    await writeFile(f.ws.labels, labels.replace('obj-001,coin', 'obj-001,mask'));
    let error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PROMOTE_INPUTS_CHANGED',
      data: { changed: [{ what: 'the labels (labels.csv)' }] },
    });
    expect((error as Error).message).toMatch(
      /labels \(labels\.csv\) changed after the model was made from them.*Rerun dataset, train and evaluate/,
    );
    await writeFile(f.ws.labels, labels);
    f.params.train.epochs = 3;
    error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PROMOTE_INPUTS_CHANGED',
      data: { changed: [{ what: 'the parameters (params.yaml)' }] },
    });
    expect(tagsOf(f)).toEqual([]);
  });

  it('registers, assigns prod, stores files, writes lineage, card, versions.json and annotations', async () => {
    const f = await newRepo();
    const metrics = await prepare(f, { predicts: 'coin' });
    const ctx = stageContext(f, {
      env: { GITHUB_REF: 'refs/pull/42/merge', GITHUB_REPOSITORY: 'museum/collection', GITHUB_RUN_ID: '777' },
    });
    const result = await promote({ ctx, predict: standInPredict });
    expect(result).toMatchObject({ version: 'v1.0.0', reused: false, prod: 'v1.0.0', annotated: 12 });
    expect(tagsOf(f)).toEqual(['collection-classifier#prod#1', 'collection-classifier@v1.0.0']);

    // The model's files are in the folder remote under their md5 (DVC 3 layout).
    const state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    const reg = state.versions[0]!.registration!;
    for (const file of reg.manifest.files) {
      const stored = path.join(f.remoteDir, 'files', 'md5', file.md5.slice(0, 2), file.md5.slice(2));
      expect(await readFile(stored)).toEqual(await readFile(path.join(f.ws.model, file.relpath)));
    }
    expect(reg.manifest.files.map((x) => x.relpath)).toEqual(['group1-shard1of1.bin', 'model-info.json', 'model.json']);

    // Lineage.
    const head = sh(f.root, 'rev-parse', 'HEAD');
    expect(reg.lineage).toMatchObject({
      data: { hash: metrics.inputs.data, source: 'data/' },
      labels: { md5: metrics.inputs.labels, commit: head },
      params: { md5: metrics.inputs.params },
      code: { commit: head },
      backbone: { id: 'nsfwjs-mobilenet_v2@4.4.0#global_average_pooling2d_1', licence: 'MIT' },
      backend: 'wasm',
      durations: { embedMs: 1234, trainMs: 5678 },
      pullRequest: { number: 42, url: 'https://github.com/museum/collection/pull/42' },
      run: { url: 'https://github.com/museum/collection/actions/runs/777' },
    });
    expect(reg.lineage.runtime.node).toBe(process.version);
    expect(reg.lineage.runtime.packages['@tensorflow/tfjs']).toBe('4.22.0');

    // versions.json for the catalogue.
    const versions = JSON.parse(await readFile(path.join(f.ws.registry, 'versions.json'), 'utf8')) as VersionsFile;
    expect(versions).toMatchObject({
      model: 'collection-classifier',
      prod: 'v1.0.0',
      versions: [
        {
          version: 'v1.0.0',
          stages: ['prod'],
          headline: { accuracy: metrics.accuracy.value, n: 16 },
          pullRequest: { number: 42 },
          card: { markdown: 'cards/v1.0.0.md' },
        },
      ],
    });

    // Annotations: one per object with agreement against the human label (the last object has none).
    const annotations = await readAnnotations(f.ws);
    expect(annotations).toHaveLength(12);
    expect(annotations[0]).toMatchObject({
      id: 'obj-001',
      label: 'coin',
      modelVersion: 'v1.0.0',
      humanLabel: 'coin',
      agrees: true,
    });
    expect(annotations[1]).toMatchObject({ id: 'obj-002', humanLabel: 'mask', agrees: false });
    expect(annotations[11]).toMatchObject({ id: 'obj-012', humanLabel: null, agrees: null });
    expect(annotations[0]!.top.length).toBeGreaterThan(1);

    // Running promote again on the same commit and model changes nothing.
    const again = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(again).toMatchObject({ version: 'v1.0.0', reused: true });
    expect(tagsOf(f)).toHaveLength(2);
  });

  it('reruns a promoted commit after its outputs were deleted: timings in model-info.json are not the model', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    expect(await promote({ ctx: stageContext(f), predict: standInPredict })).toMatchObject({
      version: 'v1.0.0',
      reused: false,
    });
    // `rm -rf .vitrine && vitrine run`: the same weights come back, with other run timings.
    const infoFile = path.join(f.ws.model, 'model-info.json');
    const info = JSON.parse(await readFile(infoFile, 'utf8')) as ModelInfo;
    await writeFile(
      infoFile,
      JSON.stringify(
        { ...info, durationMs: { embed: 99, train: 42 }, embeddings: { computed: 0, fromCache: 9 } },
        null,
        2,
      ),
    );
    await rm(f.ws.registry, { recursive: true, force: true });
    const again = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(again).toMatchObject({ version: 'v1.0.0', reused: true, prod: 'v1.0.0', annotated: 12 });
    expect(tagsOf(f)).toEqual(['collection-classifier#prod#1', 'collection-classifier@v1.0.0']);
  });

  it('keeps the version a commit already has when a rerun trains slightly different weights, and says so', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    // Same commit, same inputs, other weights (another backend rounds differently).
    await writeModel({ ws: f.ws, predicts: 'vessel' });
    const ctx = stageContext(f);
    const again = await promote({ ctx, predict: standInPredict });
    expect(again).toMatchObject({ version: 'v1.0.0', reused: true, prod: 'v1.0.0' });
    expect(
      ctx.log.lines.some((l) => l.level === 'warn' && /already has model version v1\.0\.0.*kept/.test(l.message)),
    ).toBe(true);
    // The catalogue shows what the registered version predicts, not this run's files.
    expect((await readAnnotations(f.ws)).every((a) => a.label === 'coin')).toBe(true);
    expect(tagsOf(f)).toEqual(['collection-classifier#prod#1', 'collection-classifier@v1.0.0']);
  });

  it('lets two runs of one commit promote at once: both succeed with one version, the loser reuses it', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    const infoFile = path.join(f.ws.model, 'model-info.json');
    const info = JSON.parse(await readFile(infoFile, 'utf8')) as ModelInfo;
    // The second run trained the same weights with its own timings.
    const otherModel = path.join(f.parent, 'model-b');
    await cp(f.ws.model, otherModel, { recursive: true });
    await writeFile(
      path.join(otherModel, 'model-info.json'),
      JSON.stringify({ ...info, durationMs: { embed: 1, train: 2 } }, null, 2),
    );
    const first = promote({ ctx: stageContext(f), predict: standInPredict });
    const second = promote({
      ctx: { ...stageContext(f), ws: { ...f.ws, model: otherModel } },
      predict: standInPredict,
    });
    const results = await Promise.allSettled([first, second]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const versions = results.map((r) => (r as PromiseFulfilledResult<{ version: string }>).value.version);
    expect(versions).toEqual(['v1.0.0', 'v1.0.0']);
    expect(tagsOf(f)).toEqual(['collection-classifier#prod#1', 'collection-classifier@v1.0.0']);
    // And a third run converges too.
    expect(await promote({ ctx: stageContext(f), predict: standInPredict })).toMatchObject({
      version: 'v1.0.0',
      reused: true,
      prod: 'v1.0.0',
    });
  });

  it('repairs a promotion that registered the version but crashed before assigning production', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    // The crash: the registration tag was written, the assignment never was.
    sh(f.root, 'tag', '-d', 'collection-classifier#prod#1');
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({});
    const again = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(again).toMatchObject({ version: 'v1.0.0', reused: true, prod: 'v1.0.0', annotated: 12 });
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.0.0' });
    // Converged: one more run writes nothing.
    const tags = tagsOf(f);
    await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(tagsOf(f)).toEqual(tags);
  });

  it('does not undo a rollback when the rolled-back commit is promoted again', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-003,vessel', 'obj-003,coin'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-003');
    await prepare(f, { predicts: 'vessel' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    await rollbackAndPublish({
      ws: f.ws,
      params: f.params,
      version: 'v1.0.0',
      clock: steppingClock(Date.parse('2026-04-01T00:00:00Z')),
      log: memoryLogger(),
      predict: standInPredict,
    });
    const again = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(again).toMatchObject({ version: 'v1.1.0', reused: true, prod: 'v1.0.0' });
    // Tester, session 22 #8: the rollback is a Vitrine command, and the summary says so.
    expect(again.summary).toContain(
      'model unchanged: still v1.1.0; production is v1.0.0 (rolled back with vitrine models rollback)',
    );
  });

  // train.flagged: drop: the card lists the labels training left out; the review list promoted with it (the check
  // made at evaluation) can flag others in a large collection after labels changed, and the card then names them.
  it('writes the labels train.flagged: drop left out on the card, and where the review list stored with it differs', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    const infoFile = path.join(f.ws.model, 'model-info.json');
    const info = JSON.parse(await readFile(infoFile, 'utf8')) as ModelInfo;
    const leftOut = [
      { id: 'obj-001', label: 'coin' },
      { id: 'obj-004', label: 'mask' },
    ];
    info.flagged = { l2: 0.3, ids: ['obj-001', 'obj-004'], leftOut };
    await writeFile(infoFile, JSON.stringify(info));
    const item = (id: string) => ({
      id,
      label: 'coin',
      suggested: 'mask',
      score: 0.9,
      confidence: 0.9,
      confident: true,
      reason: 'flagged',
      split: 'train',
    });
    await writeFile(
      path.join(f.ws.evaluate, 'review.json'),
      JSON.stringify({
        schema: 'vitrine.review/1',
        labels: ['coin', 'mask'],
        checked: 12,
        confident: 2,
        items: [item('obj-001'), item('obj-005')],
        leftOut: ['obj-001', 'obj-004'],
      }),
    );
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const card = JSON.parse(await readFile(path.join(f.ws.registry, 'cards', 'v1.0.0.json'), 'utf8')) as ModelCard;
    expect(card.details.flagged).toEqual({
      objects: leftOut,
      complete: true,
      differs: { learnt: ['obj-005'], notFlagged: ['obj-004'] },
    });
    const md = await readFile(path.join(f.ws.registry, 'cards', 'v1.0.0.md'), 'utf8');
    expect(md).toContain('Training left out 2 labels as likely wrong (train.flagged: drop)');
    // Published as it is on the catalogue for ever: counts, no object named (one may be taken out of the catalogue).
    expect(md).not.toMatch(/obj-00[145]/);
    expect(md).toContain('it flags 1 label the model learnt from; it does not flag 1 of those training left out.');
  });

  // A damaged review.json stored with the version (not JSON) stopped its card being written at all; the card is
  // written without it, and the run log says so.
  it('writes the card of a version whose stored review list is damaged, without it, and says so', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    const infoFile = path.join(f.ws.model, 'model-info.json');
    const info = JSON.parse(await readFile(infoFile, 'utf8')) as ModelInfo;
    info.flagged = { l2: 0.3, ids: ['obj-001'], leftOut: [{ id: 'obj-001', label: 'coin' }] };
    await writeFile(infoFile, JSON.stringify(info));
    await writeFile(path.join(f.ws.evaluate, 'review.json'), '{"schema": "vitrine.review/1", "items": [');
    const ctx = stageContext(f);
    await promote({ ctx, predict: standInPredict });
    const card = JSON.parse(await readFile(path.join(f.ws.registry, 'cards', 'v1.0.0.json'), 'utf8')) as ModelCard;
    expect(card.details.flagged).toEqual({ objects: info.flagged.leftOut, complete: true, differs: null });
    const warned = ctx.log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warned).toContainEqual(
      expect.stringContaining('The review list (review.json) stored with v1.0.0 could not be read'),
    );
    expect(warned.join('\n')).not.toContain('could not be written');
  });

  it('writes a model card with every section and the numbers of metrics.json', async () => {
    const f = await newRepo();
    const m1 = await prepare(f, { predicts: 'coin', accuracy: 0.75 });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    // A second version with changed labels: the card says what changed.
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-002,mask', 'obj-002,vessel'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-002 (#7)');
    const m2 = await prepare(f, { predicts: 'mask', accuracy: 0.8125 });
    await promote({ ctx: stageContext(f), predict: standInPredict });

    const md = await readFile(path.join(f.ws.registry, 'cards', 'v1.1.0.md'), 'utf8');
    const card = JSON.parse(await readFile(path.join(f.ws.registry, 'cards', 'v1.1.0.json'), 'utf8')) as ModelCard;
    const front = parseYaml(md.split('---\n')[1]!) as Record<string, any>;
    expect(front).toMatchObject({
      license: 'mit',
      library_name: 'tfjs',
      datasets: ['vitrine-demo-museum'],
      metrics: ['accuracy', 'f1'],
      base_model: 'nsfwjs-mobilenet_v2@4.4.0#global_average_pooling2d_1',
    });
    expect(front.tags).toContain('image-classification');
    const results = front['model-index'][0].results[0];
    expect(results.dataset.split).toBe('test');
    expect(results.metrics.find((x: { name: string }) => x.name === 'Accuracy').value).toBe(m2.accuracy.value);
    expect(results.metrics.find((x: { name: string }) => x.name === 'Macro F1').value).toBe(
      Math.round(m2.macroF1.value * 10000) / 10000,
    );

    const sections = [
      '## Model details',
      '## Intended use',
      '### Out-of-scope uses',
      '## Factors',
      '## Metrics',
      '## Training and evaluation data',
      '## Quantitative analyses',
      '## Ethical considerations',
      '## Caveats and recommendations',
    ];
    let at = -1;
    for (const s of sections) {
      const i = md.indexOf(`\n${s}\n`);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    expect(md).toMatch(/not for|Attribution of objects/i);
    expect(md).toContain('Authentication, dating or valuation');
    // Every figure is the metrics.json figure; interval ends rounded outwards (evaluate/boundary.ts).
    expect(md).toContain(`| Accuracy | ${pct(m2.accuracy.value)} | ${percentRange(m2.accuracy)} |`);
    expect(md).toContain(`| Macro-F1 | ${pct(m2.macroF1.value)} | ${percentRange(m2.macroF1)} |`);
    expect(md).toContain(`| Top-2 accuracy | ${pct(m2.topK.accuracy.value)} |`);
    for (const c of m2.perClass)
      expect(md).toContain(`| ${c.label} | ${pct(c.precision)} | ${pct(c.recall)} | ${pct(c.f1)} | ${c.support} |`);
    for (const g of m2.factors[0]!.groups)
      expect(md).toContain(`| ${g.value} | ${g.n} | ${pct(g.accuracy)} | ${pct(g.macroF1)} |`);
    // Counts per class and per factor come from dataset.json.
    const dataset = JSON.parse(await readFile(path.join(f.ws.dataset, 'dataset.json'), 'utf8')) as {
      counts: { byLabel: Record<string, { train: number; validation: number; test: number }> };
    };
    for (const [label, c] of Object.entries(dataset.counts.byLabel))
      expect(md).toContain(
        `| ${label} | ${c.train} | ${c.validation} | ${c.test} | ${c.train + c.validation + c.test} |`,
      );
    expect(md).toContain('### Objects by department');
    // What changed since v1.0.0.
    expect(card.details.changes[0]).toBe(
      'Labels changed since v1.0.0, so this is a new minor version (the same types, new or changed photographs or labels).',
    );
    expect(md).toContain(`Accuracy ${pct(m1.accuracy.value)} → ${pct(m2.accuracy.value)} (+6.3 pts)`);
    expect(card.details.pullRequest).toEqual({ number: 7, url: null });
    expect(card.metrics.accuracy).toEqual(m2.accuracy);
    expect(card.quantitative).toEqual(m2.factors);
    // The first version's card is still there.
    expect((await readdir(path.join(f.ws.registry, 'cards'))).sort()).toEqual([
      'v1.0.0.json',
      'v1.0.0.md',
      'v1.1.0.json',
      'v1.1.0.md',
    ]);
  });

  it('rolls back on a fresh clone: restores the previous version’s files from the remote and re-annotates', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const v1Files = await readFile(path.join(f.ws.model, 'group1-shard1of1.bin'));
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-003,vessel', 'obj-003,coin'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-003');
    await prepare(f, { predicts: 'vessel' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    expect((await readAnnotations(f.ws))[0]!.modelVersion).toBe('v1.1.0');

    // A fresh clone next to the repository: tags come with it, no .vitrine, same folder remote.
    const cloneRoot = path.join(f.parent, 'clone');
    sh(f.parent, 'clone', '-q', f.root, cloneRoot);
    const clone = workspace(cloneRoot);
    await cp(path.join(f.ws.dataset, 'dataset.json'), path.join(clone.dataset, 'dataset.json'));
    const log = memoryLogger();
    const result = await rollbackAndPublish({
      ws: clone,
      params: f.params,
      version: 'v1.0.0',
      reason: 'misreads vessels',
      clock: steppingClock(Date.parse('2026-04-01T00:00:00Z')),
      log,
      predict: standInPredict,
    });
    expect(result).toMatchObject({
      version: 'v1.0.0',
      from: 'v1.1.0',
      tag: 'collection-classifier#prod#4',
      unassigned: ['v1.1.0'],
      annotated: 12,
    });
    expect(await readFile(path.join(result.dir, 'group1-shard1of1.bin'))).toEqual(v1Files);
    expect(JSON.parse(await readFile(path.join(result.dir, 'model.json'), 'utf8'))).toMatchObject({ predicts: 'coin' });
    expect(
      log.lines.some((l) => /Restored model version v1.0.0 \(3 files, 3 from the data remote\)/.test(l.message)),
    ).toBe(true);
    const annotations = await readAnnotations(clone);
    expect(annotations.every((a) => a.modelVersion === 'v1.0.0' && a.label === 'coin')).toBe(true);
    // Cards of both versions are rebuilt in the clone from the evidence stored in the remote.
    expect((await readdir(path.join(clone.registry, 'cards'))).sort()).toEqual([
      'v1.0.0.json',
      'v1.0.0.md',
      'v1.1.0.json',
      'v1.1.0.md',
    ]);
    const versions = JSON.parse(await readFile(path.join(clone.registry, 'versions.json'), 'utf8')) as VersionsFile;
    expect(versions.prod).toBe('v1.0.0');
    // The catalogue's "Recent changes" lists it (it listed only registrations).
    expect(versions.rollbacks).toEqual([
      { date: expect.stringMatching(/^2026-04-01T/), version: 'v1.0.0', from: 'v1.1.0', reason: 'misreads vessels' },
    ]);
    expect(sh(cloneRoot, 'tag', '-l', '--format=%(contents:subject)', 'collection-classifier#prod#4')).toBe(
      'Assigning stage prod to artifact collection-classifier version v1.0.0',
    );
    // resolve now finds prod in the local cache.
    expect(await resolveModelDir({ ws: clone, params: f.params, version: 'prod', log })).toEqual({
      version: 'v1.0.0',
      dir: result.dir,
    });
  });
});

describe('rollback safety', () => {
  it('changes nothing when the older version cannot annotate the collection on this machine', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-003,vessel', 'obj-003,coin'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-003');
    await prepare(f, { predicts: 'vessel' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const before = tagsOf(f);
    const failing = async () => {
      throw new Error('image data/images/obj-001.png is missing');
    };
    await expect(
      rollbackAndPublish({
        ws: f.ws,
        params: f.params,
        version: 'v1.0.0',
        clock: steppingClock(),
        log: memoryLogger(),
        predict: failing,
      }),
    ).rejects.toThrow(/obj-001\.png is missing/);
    expect(tagsOf(f)).toEqual(before);
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.1.0' });
    expect((await readAnnotations(f.ws))[0]!.modelVersion).toBe('v1.1.0');
  });

  it('is refused on a branch other than the collection branch, production unchanged (an outside tester)', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-003,vessel', 'obj-003,coin'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-003');
    await prepare(f, { predicts: 'vessel' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    sh(f.root, 'switch', '-q', '-c', 'objects-edit');
    const before = tagsOf(f);
    const error = await rollbackAndPublish({
      ws: f.ws,
      params: f.params,
      version: 'v1.0.0',
      clock: steppingClock(),
      log: memoryLogger(),
      predict: standInPredict,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ROLLBACK_OFF_BRANCH', data: { branch: 'objects-edit', main: 'main' } });
    expect((error as Error).message).toMatch(/on branch "objects-edit".*git switch main/);
    expect(tagsOf(f)).toEqual(before);
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.1.0' });
    // Back on main it goes ahead.
    sh(f.root, 'switch', '-q', 'main');
    await rollbackAndPublish({
      ws: f.ws,
      params: f.params,
      version: 'v1.0.0',
      clock: steppingClock(),
      log: memoryLogger(),
      predict: standInPredict,
    });
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.0.0' });
  });

  /*
   * A merge's run failed (a runner went down), a newer merge was promoted, and then someone pressed "Re-run jobs" on
   * the older run: GitHub re-runs it on the older commit. It registered the next version and took production with
   * the older labels, and its catalogue, built from the older commit, replaced the newer one on the public site.
   */
  it('refuses to promote a commit older than one whose model is registered (a re-run of an older merge’s workflow)', async () => {
    const f = await newRepo();
    const older = sh(f.root, 'rev-parse', 'HEAD');
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-003,vessel', 'obj-003,coin'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-003');
    const newer = sh(f.root, 'rev-parse', 'HEAD');
    await prepare(f, { predicts: 'vessel' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const before = tagsOf(f);

    // The re-run's checkout: main at the older merge's commit.
    sh(f.root, 'checkout', '-q', '-B', 'main', older);
    await prepare(f, { predicts: 'coin' });
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'PROMOTE_OLDER_COMMIT',
      data: { commit: older, newer: { version: 'v1.0.0', commit: newer } },
    });
    expect((error as Error).message).toBe(
      `Not promoted: this run is of commit ${older.slice(0, 7)}, older than commit ${newer.slice(0, 7)}, whose ` +
        "model v1.0.0 is registered already (most often a re-run of an older merge's workflow). Nothing was " +
        'registered, production keeps v1.0.0, and no catalogue should be built from this older commit. To go back ' +
        'to an older model, use "npx vitrine models rollback <version>" (or the "Roll back the production model" workflow).',
    );
    expect(tagsOf(f)).toEqual(before);
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.0.0' });

    // A new commit on top of the older one (main reset, then committed to) is not older: it is promoted.
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-001,coin', 'obj-001,mask'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-001');
    await prepare(f, { predicts: 'mask' });
    const next = await promote({ ctx: stageContext(f), predict: standInPredict });
    expect(next).toMatchObject({ version: 'v1.1.0', prod: 'v1.1.0' });
  });

  it('refuses it too when the older commit has a version of its own: its catalogue would replace the newer one', async () => {
    const f = await newRepo();
    await prepare(f, { predicts: 'coin' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const older = sh(f.root, 'rev-parse', 'HEAD');
    await writeFile(f.ws.labels, (await readFile(f.ws.labels, 'utf8')).replace('obj-003,vessel', 'obj-003,coin'));
    sh(f.root, 'commit', '-q', '-am', 'Relabel obj-003');
    await prepare(f, { predicts: 'vessel' });
    await promote({ ctx: stageContext(f), predict: standInPredict });
    const before = tagsOf(f);
    sh(f.root, 'checkout', '-q', '-B', 'main', older);
    // Failing the gate too: a gate failure still publishes the catalogue (on-gate-failure: keep-production).
    await prepare(f, { predicts: 'coin', passed: false });
    const error = await promote({ ctx: stageContext(f), predict: standInPredict }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PROMOTE_OLDER_COMMIT', data: { newer: { version: 'v1.1.0' } } });
    expect(tagsOf(f)).toEqual(before);
    expect((await readRegistry({ dir: f.root, name: 'collection-classifier' })).stages).toEqual({ prod: 'v1.1.0' });
  });
});
