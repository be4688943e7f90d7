import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicationEstimate } from '../../pipeline/evaluate/publication.ts';
import type { Clock } from '../../pipeline/log.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { assignStage, registerVersion } from '../../pipeline/registry/registry.ts';
import { manifestOf, versionCacheDir } from '../../pipeline/registry/store.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { publicationChanges } from '../../pipeline/report/publication.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * Outside tester: a pull request that only broke 3 photographs moved the label "textile"'s publication
 * threshold from 0.55 to 0.99 (52 guesses held back instead of 13), and the report said nothing about
 * publication. The report compares each label's publication with the model in production (the metrics.json
 * registered with it) and says, in plain words near the verdict, which labels would wait for staff more or less.
 */

type Publication = NonNullable<Metrics['publication']>;
const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });
const interval = (value: number) => ({ value, low: value, high: value });

/** A publication rule: every label at 0.8 with 4 of 60 guesses held back, then `over` per label. */
function publication(
  over: Record<string, { threshold: number | null; guessed: number; heldBack: number }>,
  { byLabel = true, minPrecision = 0.9 } = {},
): Publication {
  const all = Object.fromEntries(VOCABULARY.map((l) => [l, { threshold: 0.8, guessed: 60, heldBack: 4 }]));
  const rule = { ...all, ...over };
  return {
    minPrecision,
    thresholds: Object.fromEntries(Object.entries(rule).map(([l, r]) => [l, r.threshold])),
    n: 360,
    coverage: interval(0.9),
    precision: interval(0.93),
    ...(byLabel
      ? {
          byLabel: Object.fromEntries(
            Object.entries(rule).map(([l, r]) => [l, { guessed: r.guessed, heldBack: r.heldBack }]),
          ),
        }
      : {}),
  };
}

/**
 * Register the head's model folder as v1.0.0 on `commit` and assign it to prod, with `base` as the metrics.json
 * stored with it (its evidence, in the cache folder promotion restores it to), as `vitrine run promote` leaves it.
 */
async function production({
  ws,
  commit,
  base,
  identity,
}: {
  ws: Workspace;
  commit: string;
  base: Partial<Metrics>;
  identity?: string;
}) {
  const name = params.registry.model_name;
  const evidenceDir = `${versionCacheDir({ ws, name, version: 'v1.0.0' })}.evidence`;
  await mkdir(evidenceDir, { recursive: true });
  await writeFile(path.join(evidenceDir, 'metrics.json'), JSON.stringify(base));
  let t = Date.parse('2026-05-01T12:00:00Z');
  const clock: Clock = { now: () => new Date((t += 1000)) };
  const record = {
    manifest: await manifestOf({ dir: ws.model }),
    evidence: await manifestOf({ dir: evidenceDir }),
    remote: 'local',
    ...(identity ? { identity } : {}),
    inputs: { labels: VOCABULARY, data: 'data.dir', labelsMd5: 'labels-1' },
    headline: { accuracy: 0.86, macroF1: 0.85, macroF1Low: 0.73, macroF1High: 0.95, n: 36, labels: VOCABULARY },
    lineage: {} as never,
  };
  await registerVersion({ dir: ws.root, name, commit, record, clock, log: silentLogger });
  await assignStage({ dir: ws.root, name, version: 'v1.0.0', stage: 'prod', clock, log: silentLogger });
}

/** A repository whose production model v1.0.0 has `base` and whose pull request's evaluation has `head`. */
async function repoWith({ base, head }: { base: Publication | null; head: Publication }) {
  const repo = await makeRepo({ objects, base: labels, head: labels });
  await writeStageOutputs({ ws: repo.ws, objects, head: labels, metrics: { publication: head } });
  await production({ ws: repo.ws, commit: repo.baseCommit, base: base ? { publication: base } : {} });
  return repo;
}

const DEFECT = {
  base: publication({ textile: { threshold: 0.55, guessed: 60, heldBack: 13 } }),
  head: publication({ textile: { threshold: 0.99, guessed: 60, heldBack: 52 } }),
};

describe('publication per label, compared with the model in production', () => {
  it('says which label would wait for staff more, in the comment near the verdict and in report.json', async () => {
    const { ws } = await repoWith(DEFECT);
    const log = memoryLogger();
    const { markdown, fullMarkdown, json } = await buildReport({ ws, params, base: 'main', log });
    const sentence =
      'textile: 52 of 60 guesses would wait for staff instead of 13 of 60 (the model must now be 99% sure, was 55%)';
    // report.md is the pull-request comment (the report action posts it as it is).
    expect(markdown).toContain(sentence);
    expect(fullMarkdown).toContain(sentence);
    // Near the verdict: before the gate's checks and the label changes.
    const at = markdown.indexOf(sentence);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(markdown.indexOf('Promotion gate'));
    // In all: 52 + 5 × 4 against 13 + 5 × 4.
    expect(markdown).toContain('In all, 72 guesses of the labelled objects would wait for staff instead of 33');
    expect(json.publication).toEqual({
      baseVersion: 'v1.0.0',
      minPrecision: { base: 0.9, head: 0.9 },
      heldBack: { base: 33, head: 72 },
      changes: [
        {
          label: 'textile',
          threshold: { base: 0.55, head: 0.99 },
          guessed: { base: 60, head: 60 },
          heldBack: { base: 13, head: 52 },
          coverage: { base: 47 / 60, head: 8 / 60 },
          words: sentence,
        },
      ],
    });
    // The other labels did not move: not mentioned.
    expect(markdown).not.toMatch(/^- (coin|figurine|mask|print|vessel):/m);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('says nothing when production was evaluated before per-label figures were kept', async () => {
    const { ws } = await repoWith({ base: { ...DEFECT.base, byLabel: undefined }, head: DEFECT.head });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.publication).toBeUndefined();
    expect(markdown).not.toContain('wait for staff instead of');
  });

  it('says nothing when production has no publication figures at all, or there is no model in production', async () => {
    const none = await repoWith({ base: null, head: DEFECT.head });
    const report = await buildReport({ ws: none.ws, params, base: 'main', log: silentLogger });
    expect(report.json.publication).toBeUndefined();
    expect(report.markdown).not.toContain('wait for staff instead of');

    // First model: metrics.json has no baseline, so there is nothing to compare publication with.
    const first = await makeRepo({ objects, base: labels, head: labels });
    await writeStageOutputs({
      ws: first.ws,
      objects,
      head: labels,
      metrics: { publication: DEFECT.head, baseline: null },
    });
    const firstReport = await buildReport({ ws: first.ws, params, base: 'main', log: silentLogger });
    expect(firstReport.json.verdict).toBe('first model');
    expect(firstReport.json.publication).toBeUndefined();
  });

  it('leaves out small moves: the list stays empty and the comment says nothing', async () => {
    const { ws } = await repoWith({
      base: DEFECT.base,
      head: publication({ textile: { threshold: 0.57, guessed: 61, heldBack: 15 } }),
    });
    const { markdown, json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.publication?.changes).toEqual([]);
    expect(markdown).not.toContain('would wait for staff');
  });
});

describe('a label none of whose guesses can be published', () => {
  // A public tester: every textile guess waited for staff and nothing said why; the surest textile guesses were
  // objects labelled otherwise (the demo's deliberately wrong labels), which staff can correct.
  it('is said near the verdict, with the surest guesses that disagree with labels.csv, labels and ids escaped', async () => {
    const head: Publication = {
      ...publication({ textile: { threshold: null, guessed: 50, heldBack: 50 } }),
      unpublished: {
        textile: {
          guessed: 50,
          precision: 0.86,
          surestMisses: [
            { id: 'DM-0228', labelled: 'coin', confidence: 0.997 },
            { id: 'DM_*1*', labelled: 'coin', confidence: 0.9 },
          ],
        },
      },
    };
    const { ws } = await repoWith({ base: null, head });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: memoryLogger() });
    const sentence =
      '⚠️ No textile guess can be published: on the labelled objects, the model’s surest textile guesses are right at ' +
      'most 86% of the time';
    expect(markdown.replace(/'/g, '’')).toContain(sentence);
    expect(markdown).toContain('annotate.min\\_precision asks 90%');
    expect(markdown).toContain(
      'The surest that disagree with labels.csv: DM-0228 (labelled coin, guessed textile 99% sure), DM\\_\\*1\\* ' +
        '(labelled coin, guessed textile 90% sure). If those labels are wrong, correcting them in labels.csv may let ' +
        'textile guesses be published',
    );
    expect(markdown.indexOf('No textile guess')).toBeLessThan(markdown.indexOf('Promotion gate'));
  });
});

describe('publicationChanges: what counts as a noticeable change', () => {
  const change = (base: Publication, head: Publication) =>
    publicationChanges({ base, head, baseVersion: 'v1.0.0' })?.changes.map((c) => c.words);

  it('counts 5 more or fewer objects waiting, or a share published that moves by 10 points', () => {
    // 4 more waiting on a large label: 7 points of 60, not noticeable.
    expect(change(DEFECT.base, publication({ textile: { threshold: 0.6, guessed: 60, heldBack: 17 } }))).toEqual([]);
    // 5 fewer waiting.
    expect(change(DEFECT.base, publication({ textile: { threshold: 0.5, guessed: 60, heldBack: 8 } }))).toEqual([
      'textile: 8 of 60 guesses would wait for staff instead of 13 of 60 (the model must now be 50% sure, was 55%)',
    ]);
    // A small label: 3 of its 6 guesses wait instead of none (50 points).
    expect(
      change(
        publication({ mask: { threshold: 0.6, guessed: 6, heldBack: 0 } }),
        publication({ mask: { threshold: 0.9, guessed: 6, heldBack: 3 } }),
      ),
    ).toEqual([
      'mask: 3 of 6 guesses would wait for staff instead of 0 of 6 (the model must now be 90% sure, was 60%)',
    ]);
  });

  it('says nothing when only the number of labelled objects grew: the same share waits (a reviewer)', () => {
    // An import pull request doubling textile's labelled objects: 13 of 60 → 26 of 120, the same rule.
    expect(change(DEFECT.base, publication({ textile: { threshold: 0.55, guessed: 120, heldBack: 26 } }))).toEqual([]);
  });

  it('words a label the model is never sure enough of, and one with the same threshold', () => {
    expect(
      change(
        publication({ print: { threshold: 0.7, guessed: 20, heldBack: 2 } }),
        publication({ print: { threshold: null, guessed: 20, heldBack: 20 } }),
      ),
    ).toEqual([
      'print: 20 of 20 guesses would wait for staff instead of 2 of 20 (none is published now: no guess is sure enough; was 70%)',
    ]);
    expect(
      change(
        publication({ print: { threshold: null, guessed: 20, heldBack: 20 } }),
        publication({ print: { threshold: 0.7, guessed: 20, heldBack: 2 } }),
      ),
    ).toEqual([
      'print: 2 of 20 guesses would wait for staff instead of 20 of 20 (the model must now be 70% sure; none was published before)',
    ]);
    expect(
      change(
        publication({ print: { threshold: 0.7, guessed: 20, heldBack: 2 } }),
        publication({ print: { threshold: 0.7, guessed: 40, heldBack: 12 } }),
      ),
    ).toEqual([
      'print: 12 of 40 guesses would wait for staff instead of 2 of 20 (the model must be 70% sure, as before)',
    ]);
  });

  it('says when the wanted precision itself changed, and nothing without per-label figures on both sides', () => {
    const result = publicationChanges({
      base: DEFECT.base,
      head: { ...DEFECT.head, minPrecision: 0.95 },
      baseVersion: 'v1.0.0',
    });
    expect(result?.minPrecision).toEqual({ base: 0.9, head: 0.95 });
    expect(
      publicationChanges({ base: { ...DEFECT.base, byLabel: undefined }, head: DEFECT.head, baseVersion: 'v1' }),
    ).toBeNull();
    expect(
      publicationChanges({ base: DEFECT.base, head: { ...DEFECT.head, byLabel: undefined }, baseVersion: 'v1' }),
    ).toBeNull();
  });
});

describe('metrics.publication.byLabel', () => {
  it('counts, per label, the out-of-fold guesses of it and those below its threshold', () => {
    // Label a guessed 6 times: 0.95, 0.9 right, 0.8 wrong, 0.7 right, 0.6 and 0.5 wrong; threshold at 0.75 is 0.7.
    const confidences = [0.95, 0.9, 0.8, 0.7, 0.6, 0.5];
    const probs = confidences.map((p) => [p, 1 - p]);
    const y = [0, 0, 1, 0, 1, 1];
    const estimate = publicationEstimate({
      y,
      probs,
      folds: [0, 1, 0, 1, 0, 1],
      k: 2,
      labels: ['a', 'b'],
      minPrecision: 0.75,
      resamples: 10,
    });
    expect(estimate.thresholds.a).toBeCloseTo(0.7, 6);
    expect(estimate.byLabel).toEqual({ a: { guessed: 6, heldBack: 2 }, b: { guessed: 0, heldBack: 0 } });
  });
});

/** The stage outputs, with metrics.json naming the model it evaluated. */
async function evaluated({ ws, model }: { ws: Workspace; model: string }) {
  const metrics = await writeStageOutputs({ ws, objects, head: labels });
  metrics.inputs = { ...metrics.inputs, model };
  await writeFile(path.join(ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
}

describe('a pull request that changes nothing the model learns from', () => {
  // A tester: a title edited got "a change of 0.000 … within what chance alone could give", as if a new model.
  it('says the model tested is production’s own, and that merging registers no new version', async () => {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    await evaluated({ ws: repo.ws, model: 'model-abc' });
    await production({ ws: repo.ws, commit: repo.baseCommit, base: {}, identity: 'model-abc' });
    const { markdown, json } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    expect(json.sameModelAs).toBe('v1.0.0');
    expect(markdown.replace(/\\([()[\]_*.])/g, '$1')).toContain(
      '**This pull request changes nothing the model learns from**, so the model tested is the one in production ' +
        '(v1.0.0), scored again: merging it keeps v1.0.0 in production and registers no new version.',
    );
    // Another model: said as before.
    const other = await makeRepo({ objects, base: labels, head: labels });
    await evaluated({ ws: other.ws, model: 'model-new' });
    await production({ ws: other.ws, commit: other.baseCommit, base: {}, identity: 'model-abc' });
    const again = await buildReport({ ws: other.ws, params, base: 'main', log: silentLogger });
    expect(again.json.sameModelAs).toBeUndefined();
    expect(again.markdown).not.toContain('changes nothing the model learns from');
  });
});
