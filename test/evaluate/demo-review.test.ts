import { cp, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDataset } from '../../pipeline/dataset/build.ts';
import { fixDemoLabels } from '../../pipeline/demo/fix-labels.ts';
import { planDemo } from '../../pipeline/demo/generate.ts';
import { assignFolds, outOfFoldProbabilities } from '../../pipeline/evaluate/crossval.ts';
import { compareLabelSets } from '../../pipeline/evaluate/label-change.ts';
import { buildMetrics } from '../../pipeline/evaluate/metrics.ts';
import { embedObjects, labelledObjects } from '../../pipeline/evaluate/oof.ts';
import { type Clock, memoryLogger } from '../../pipeline/log.ts';
import { selectBackend } from '../../pipeline/model/backend.ts';
import { predictProbabilities, seedIndependent, trainHead } from '../../pipeline/model/head.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { resolveModelDir } from '../../pipeline/registry/resolve.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { flaggedLabels } from '../../pipeline/review/flagged.ts';
import type { ReviewFile } from '../../pipeline/review/index.ts';
import { datasetStage } from '../../pipeline/stages/dataset.ts';
import { evaluateStage } from '../../pipeline/stages/evaluate.ts';
import type { StageContext } from '../../pipeline/stages/stage.ts';
import { trainStage } from '../../pipeline/stages/train.ts';
import type { Metrics, ModelInfo, Relabelled } from '../../pipeline/types.ts';
import { gitIn } from '../fixtures/git.ts';
import { promoteModel } from '../fixtures/promote.ts';
import { trainedDemo } from './helpers-trained-demo.ts';

/*
 * The demo collection exactly as `vitrine demo` makes it (300 labelled objects, 19 labels
 * deliberately wrong): the cross-validated review list must find the wrong labels.
 */

const params = defaultParams();
const clock: Clock = { now: () => new Date('2026-05-01T12:00:00Z') };
let ws: Workspace;
let ctx: StageContext;
let git: ReturnType<typeof gitIn>;

beforeAll(async () => {
  // The demo generated, its labels committed, the dataset and train stages run (shared with labels-lost).
  ws = await trainedDemo({ prefix: 'vitrine-demo-review-' });
  ctx = { ws, params, log: memoryLogger(), clock, env: {} };
  git = gitIn({ root: ws.root });
  await evaluateStage.run(ctx);
}, 900_000);

afterAll(async () => {
  if (ws) await rm(ws.root, { recursive: true, force: true });
});

const wrong = () =>
  new Set(
    planDemo({ demo: params.demo })
      .filter((i) => i.label !== null && i.label !== i.type)
      .map((i) => i.object.id),
  );

describe('label errors on the demo', () => {
  it('puts at least 17 of the 19 deliberately wrong labels in the top 30 of the review list', async () => {
    const review = JSON.parse(await readFile(path.join(ws.evaluate, 'review.json'), 'utf8')) as ReviewFile;
    const truth = wrong();
    expect(truth.size).toBe(19);
    const found = review.items.slice(0, 30).filter((i) => truth.has(i.id));
    expect(found.length).toBeGreaterThanOrEqual(17);
    // A tester: the correctly labelled DM-0085 (a vase) was flagged 2nd, "the model says print (100%)", because the
    // mislabelled DM-0306 looks like it. The two are a look-alike pair. Besides pairs, at most two right labels are
    // lone suspects in the top 20: which ones depends on the folds. Measured over train.seed 42, 1, 2, 3, 4 (issue 13):
    // 1, 2, 2, 1, 1 with folds drawn by photograph (DM-0103, a striped rug, in four of them), and 0, 1, 1, 1, 3 with
    // the folds dealt label by label before (DM-0103 in four); the top 30 held all 19 wrong labels every time.
    expect(review.items.find((i) => i.id === 'DM-0085')?.lookAlike).toMatchObject({ id: 'DM-0306', label: 'print' });
    const lone = review.items
      .slice(0, 20)
      .filter((i) => !truth.has(i.id) && !(i.lookAlike && truth.has(i.lookAlike.id)));
    console.log(
      `demo review: ${found.length} of the 19 wrong labels in the top 30; ${review.flagged} flagged, ` +
        `${review.items.filter((i) => i.reason === 'flagged' && truth.has(i.id)).length} ` +
        `of them wrong labels; top 20: ${review.items
          .slice(0, 20)
          .map((i) => `${i.id}${truth.has(i.id) ? '*' : ''}${i.lookAlike ? `~${i.lookAlike.id}` : ''}`)
          .join(' ')}`,
    );
    expect(lone.length).toBeLessThanOrEqual(2);
    // What it suggests for them is what the object really is.
    const types = new Map(planDemo({ demo: params.demo }).map((i) => [i.object.id, i.type]));
    expect(found.filter((i) => i.suggested === types.get(i.id)).length).toBeGreaterThanOrEqual(17);
    // metrics.json carries the top 20 for the pull-request report.
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    expect(metrics.mislabelled!.top.map((i) => i.id)).toEqual(review.items.slice(0, 20).map((i) => i.id));
    expect(metrics.mislabelled!.candidates).toBe(review.items.length);
  });

  it('trains without the flagged labels with train.flagged: drop', async () => {
    const review = JSON.parse(await readFile(path.join(ws.evaluate, 'review.json'), 'utf8')) as ReviewFile;
    // What `vitrine review` marks "flagged", not every confident pick (a reviewer: one left out showed as "worth a look").
    const shown = review.items.filter((i) => i.reason === 'flagged' && i.split !== 'test').map((i) => i.id);
    const drop = structuredClone(params);
    drop.train.flagged = 'drop';
    // The cross-validation that finds them is the evaluate stage's: the same folds, and fold models that all take the
    // L2 the train stage chooses with every label (the one review.json's were given, as flagged: keep trains). Before
    // (issue 13) its fold models each chose their own: both left out 17, one differing each way (DM-0002, DM-0156).
    const { tf } = await selectBackend({ preference: params.train.backend, log: ctx.log });
    const all = await readDataset({ ws });
    const found = (await flaggedLabels({ ws, params: drop, dataset: all, tf, log: ctx.log })).ids;
    // Those in the test split stay in it, as they are.
    const ids = new Set(all.objects.filter((o) => found.has(o.id) && o.split !== 'test').map((o) => o.id));
    const flagged = [...ids].map((id) => ({ id }));
    expect(flagged.length).toBeGreaterThan(0);
    const only = [...shown.filter((id) => !ids.has(id)), ...[...ids].filter((id) => !shown.includes(id))];
    console.log(`train.flagged: drop leaves out ${flagged.length}; review.json flags ${shown.length}; differ: ${only}`);
    // The same list: training leaves out exactly the labels `vitrine review` flags outside the test split.
    expect(only).toEqual([]);
    const log = memoryLogger();
    // The model the default params trained (in beforeAll), put back at the end for the tests that follow: training
    // it again, as this test did before, took a training's CPU to make the model it replaced.
    const kept = `${ws.model}.default`;
    await cp(ws.model, kept, { recursive: true, preserveTimestamps: true });
    const { summary } = await trainStage.run({ ...ctx, params: drop, log });
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    const dataset = await readDataset({ ws });
    const usable = (split: string) => dataset.objects.filter((o) => o.split === split && o.label !== null).length;
    expect(info.trainCount + info.validationCount).toBe(usable('train') + usable('validation') - flagged.length);
    const md5 = new Map(dataset.objects.map((o) => [o.id, o.imageMd5]));
    for (const i of flagged) expect(info.split!.trainImages).not.toContain(md5.get(i.id));
    expect(summary).toContain(`${flagged.length} flagged labels left out`);
    // The model records what it left out, and the evaluate stage of that model flags the same objects.
    expect(info.flagged!.ids).toEqual([...found].sort());
    await evaluateStage.run({ ...ctx, params: drop, log });
    const after = JSON.parse(await readFile(path.join(ws.evaluate, 'review.json'), 'utf8')) as ReviewFile;
    expect(
      after.items
        .filter((i) => i.reason === 'flagged')
        .map((i) => i.id)
        .sort(),
    ).toEqual(info.flagged!.ids);
    // Back to the default for the tests that follow.
    await rm(ws.model, { recursive: true, force: true });
    await rename(kept, ws.model);
  }, 300_000);
});

describe('pull requests that should not matter', () => {
  it('get "no detectable difference" at least 19 times out of 20, and every time the labels change', async () => {
    // The pieces the evaluate stage uses, on the cached embeddings. The demo's 24 unlabelled objects come last (the
    // folds are drawn by photograph, and no head learns from them): the labelled objects' answers are as without them.
    const dataset = await readDataset({ ws });
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    const labels = dataset.labels;
    const objects = labelledObjects(dataset);
    const unlabelled = dataset.objects.filter((o) => o.label === null && o.image !== '' && o.imageMd5 !== '');
    expect(unlabelled).toHaveLength(24);
    const all = [...objects, ...unlabelled];
    const vectors = await embedObjects({ ws, params, info, objects: all, log: ctx.log });
    const x = all.map((o) => vectors.get(o.imageMd5)!);
    const y = Int32Array.from(all, (o) => (o.label === null ? -1 : labels.indexOf(o.label)));
    const k = params.evaluate.folds;
    const folds = assignFolds({ keys: all.map((o) => o.imageMd5), k, seed: params.train.seed });
    const validation = all.map((o) => o.split === 'validation');
    const { tf } = await selectBackend({ preference: params.train.backend, log: ctx.log });
    // As the evaluate stage trains them: every fold's head, in both arms, with the L2 the train stage chose. Such a
    // head does not depend on its seed, so there is no training noise to measure (0, as evaluate says).
    expect(info.l2).toBeDefined();
    const train = { ...params.train, l2_choices: [info.l2!] };
    expect(seedIndependent(train)).toBe(true);
    const baseRows = await outOfFoldProbabilities({ tf, x, y, validation, folds, k, labels, train, log: ctx.log });
    const verdicts: string[] = [];
    const trainingSd = 0;
    const judge = async (what: string, head: Int32Array, counted = true) => {
      const result = await compareLabelSets({
        tf,
        x,
        objects: all,
        head,
        base: y,
        folds,
        k,
        labels,
        params: { ...params, train },
        baseRows,
        trainingSd,
        log: ctx.log,
      });
      const c = result.comparison;
      if (counted) verdicts.push(c.verdict);
      // Whether they count against evaluate.min_change (label-change.ts relabelledChange).
      const moved: Relabelled | undefined = c.relabelled;
      const own = moved
        ? `; the ${moved.objects} relabelled ${moved.baseline.toFixed(3)} → ` +
          `${moved.candidate.toFixed(3)}${moved.counts ? ' (they count)' : ''}`
        : '';
      console.log(
        `${what}: ${c.verdict}, difference ${c.difference.value.toExponential(2)}, p = ${c.pValue.toFixed(3)}${own}`,
      );
      return c;
    };

    // 5 re-cased labels ("Coin" for "coin"): the dataset stage skips the line, so the object is unlabelled now.
    for (const p of [3, 87, 177, 268, 45]) {
      const head = Int32Array.from(y);
      head[p] = -1;
      await judge(`re-cased object ${p}`, head);
    }

    // 7 relabels a reviewer asked for (issue 13): objects the model also reads as another label, moved to it.
    // Labelled right (the demo's true type), and the cross-validated model gives another label at least 0.4 times
    // the probability of theirs; most ambiguous first. Not "about equally": the demo has one object at 0.8 or more
    // (DM-0202, print 0.49 and figurine 0.44, 0.90), then 0.74, 0.65, 0.56, 0.54 and 0.47 (DM-0072).
    const truth = new Map(planDemo({ demo: params.demo }).map((i) => [i.object.id, i.type]));
    const ambiguous = all
      .flatMap((o, i) => {
        if (y[i]! < 0 || o.label !== truth.get(o.id)) return [];
        const r = baseRows[i]!;
        const other = labels
          .map((_, c) => c)
          .filter((c) => c !== y[i])
          .sort((a, b) => r[b]! - r[a]!)[0]!;
        const ratio = Math.min(r[other]!, r[y[i]!]!) / Math.max(r[other]!, r[y[i]!]!);
        return ratio >= 0.4 ? [{ i, other, ratio }] : [];
      })
      .sort((a, b) => b.ratio - a.ratio);
    console.log(
      `ambiguous objects: ${ambiguous
        .map(
          ({ i, other }) =>
            `${all[i]!.id} ${labels[y[i]!]} ${baseRows[i]![y[i]!]!.toFixed(2)}, ` +
            `${labels[other]} ${baseRows[i]![other]!.toFixed(2)}`,
        )
        .join('; ')}`,
    );
    expect(ambiguous.length).toBeGreaterThanOrEqual(6);
    const a = ambiguous.slice(0, 6);
    // The unlabelled objects labelled by their true type, as staff adding labels would.
    const added = (head: Int32Array) => {
      for (let i = objects.length; i < all.length; i++) head[i] = labels.indexOf(truth.get(all[i]!.id)!);
      return head;
    };
    const relabel = async (which: number[], withAdded: boolean, counted = true) => {
      const head = withAdded ? added(Int32Array.from(y)) : Int32Array.from(y);
      for (const j of which) head[a[j]!.i] = a[j]!.other;
      const ids = which.map((j) => all[a[j]!.i]!.id).join(', ');
      return judge(`${withAdded ? '24 labels added, ' : ''}${which.length} relabelled (${ids})`, head, counted);
    };
    for (const j of [0, 1, 2]) await relabel([j], true);
    await relabel([3, 4], false);
    await relabel([5, 0], false);
    await relabel([0, 1, 2], true);
    await relabel([3, 4, 5], true);
    // 12 label-based null pull requests, none loud.
    expect(verdicts).toHaveLength(12);
    expect(verdicts.filter((v) => v !== 'no detectable difference')).toEqual([]);

    // All 6 relabelled is not a null: they fit their new labels worse (0.317 → 0.291), their own test says worse,
    // and the change over every object is significant. It is the case the half-change rule is for: their own change
    // is over evaluate.min_change and goes the same way, but they make under half the change over every object (the
    // rest is every other object's answers moving a little), so it does not count and the verdict stays.
    const six = await relabel([0, 1, 2, 3, 4, 5], false, false);
    const moved = six.relabelled!;
    const own = moved.candidate - moved.baseline;
    expect(six.pValue).toBeLessThanOrEqual(params.evaluate.alpha);
    expect(Math.abs(own)).toBeGreaterThanOrEqual(params.evaluate.min_change);
    expect(Math.sign(own)).toBe(Math.sign(six.difference.value));
    expect(Math.abs((own * moved.objects) / objects.length)).toBeLessThan(Math.abs(six.difference.value) / 2);
    expect(moved.counts).toBe(false);
    expect(six.verdict).toBe('no detectable difference');

    // 5 other seeds and 3 title edits: the labels are the same, so the verdict is the test split's
    // comparison with production (trained with seed 42 on the same labels).
    const split = (s: string) => objects.map((o, i) => ({ o, i })).filter(({ o }) => o.split === s);
    const part = (s: string) => ({ x: split(s).map(({ i }) => x[i]!), y: split(s).map(({ i }) => y[i]!) });
    const test = split('test');
    const testRows = async (seed: number) => {
      const { model } = await trainHead({
        tf,
        train: part('train'),
        validation: part('validation'),
        labels,
        params: { ...params.train, seed },
        log: ctx.log,
      });
      try {
        return predictProbabilities({ tf, model, x: test.map(({ i }) => x[i]!) });
      } finally {
        model.dispose();
      }
    };
    const production = await testRows(params.train.seed);
    const verdictOn = (rows: Float32Array[]) =>
      buildMetrics({
        labels,
        objects: test.map(({ o }) => o),
        y: test.map(({ i }) => y[i]!),
        candidate: rows,
        baseline: { version: 'v1.0.0', probs: production },
        params,
        createdAt: '',
        backend: '',
        backbone: '',
        inputs: { data: '', labels: '', params: '', commit: null },
      }).baseline!.comparison.verdict;
    for (const seed of [1, 7, 99, 2024, 31337]) verdicts.push(verdictOn(await testRows(seed)));
    // A title edit changes nothing the model reads: the same weights, the same predictions.
    for (let i = 0; i < 3; i++) verdicts.push(verdictOn(production));

    expect(verdicts).toHaveLength(20);
    const loud = verdicts.filter((v) => v !== 'no detectable difference');
    console.log(`null pull requests: ${loud.length} of 20 not "no detectable difference" (${verdicts.join(', ')})`);
    expect(loud.length).toBeLessThanOrEqual(1);
  }, 900_000);
});

describe('the README label-fix pull request, judged on every labelled object', () => {
  it('gets "better", significant at the 5% level, and the report says so', async () => {
    // Production: the model trained on the demo's labels, registered on that commit (as `vitrine run` on main does).
    const info = JSON.parse(await readFile(path.join(ws.model, 'model-info.json'), 'utf8')) as ModelInfo;
    const commit = git('rev-parse', 'HEAD').trim();
    const headline = { accuracy: 0.9, macroF1: 0.9, macroF1Low: 0.8, macroF1High: 1, n: 66, labels: info.labels };
    await promoteModel({ ws, name: params.registry.model_name, commit, headline, log: ctx.log });
    expect(await resolveModelDir({ ws, params, version: 'prod', log: ctx.log })).toMatchObject({ version: 'v1.0.0' });

    // The walkthrough: a branch, `vitrine demo --fix-labels`, a commit, `vitrine run`.
    git('checkout', '-q', '-b', 'fix-labels');
    const { fixed } = await fixDemoLabels({ ws, params });
    expect(fixed).toHaveLength(19);
    git('commit', '-qam', 'Correct mislabelled objects');
    await datasetStage.run(ctx);
    await trainStage.run(ctx);
    const { summary } = await evaluateStage.run(ctx);
    const metrics = JSON.parse(await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8')) as Metrics;
    const cv = metrics.crossValidated!;
    expect(cv.base.commit).toBe(commit);
    expect(cv.changed).toBe(19);
    expect(cv.objects).toBe(300);
    console.log(
      `README label fix: probability of the labels now ${cv.probability.baseline.toFixed(3)} ` +
        `→ ${cv.probability.candidate.toFixed(3)}, difference ${cv.comparison.difference.value.toFixed(3)} ` +
        `[${cv.comparison.difference.low.toFixed(3)}, ${cv.comparison.difference.high.toFixed(3)}], p ` +
        `= ${cv.comparison.pValue.toFixed(3)}; macro-F1 ${cv.baseline.value.toFixed(3)} → ${cv.candidate.value.toFixed(3)}`,
    );
    expect(cv.comparison.verdict).toBe('better');
    expect(cv.comparison.pValue).toBeLessThan(0.05);
    expect(summary).toContain('better (p = ');
    const { markdown, json } = await buildReport({
      ws,
      params,
      log: memoryLogger(),
      now: new Date('2026-05-01T12:00:00Z'),
    });
    expect(json.verdict).toBe('better');
    expect(markdown).toContain('### Judged on every labelled object');
    expect(markdown).toMatch(/a change of \+0\.\d\d, between [+−]?0\.\d\d and \+0\.\d\d \(95% range/);
    // Back on main for whatever follows.
    git('checkout', '-q', 'main');
  }, 900_000);
});
