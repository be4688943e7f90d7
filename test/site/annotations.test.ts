import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import type { Annotation } from '../../pipeline/types.ts';
import { type FixtureObject, writeFixture } from './fixture.ts';

/*
 * The registry may mark an annotation as not published (below its class's confidence threshold) and
 * score how likely the staff label is wrong (labelIssue). Absent fields mean published, no score.
 */

let dir: string;
// Every folder a test made (one test makes several): each is removed, not only the last.
const made: string[] = [];
afterEach(async () => {
  for (const folder of made.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function build(patch: (a: Annotation[]) => void) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-annotations-'));
  made.push(dir);
  const labels = ['coin', 'mask', 'vessel'];
  const objects: FixtureObject[] = Array.from({ length: 12 }, (_, i) => ({
    id: `O-${i}`,
    title: `Object ${i}`,
    label: labels[i % 3]!,
    image: null,
    predicted: { label: labels[i % 3]!, confidence: 0.6 + i / 100 },
  }));
  await writeFixture({ root: dir, objects, labels, withMetrics: false });
  const ws = workspace(dir);
  const file = path.join(ws.registry, 'annotations.json');
  const annotations = JSON.parse(await readFile(file, 'utf8')) as Annotation[];
  patch(annotations);
  await writeFile(file, JSON.stringify(annotations));
  return (await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() })).catalogue;
}

describe('annotation contract: published and labelIssue', () => {
  it('treats absent fields as published with no label issue', async () => {
    const c = await build(() => {});
    expect(c.objects.every((o) => o.annotation!.published && o.annotation!.labelIssue === null)).toBe(true);
    expect(c.counts.byPredicted.reduce((s, r) => s + r.count, 0)).toBe(12);
  });

  it('keeps an unpublished prediction out of the predicted-type counts and puts it in the review queue', async () => {
    const c = await build((a) => {
      a[4]!.published = false;
      a[7]!.published = false;
    });
    const o4 = c.objects.find((o) => o.id === 'O-4')!;
    expect(o4.annotation!.published).toBe(false);
    expect(o4.needsReview).toBe(true);
    expect(o4.reviewReason).toBe('waiting');
    expect(c.reviewQueue).toEqual(expect.arrayContaining(['O-4', 'O-7']));
    expect(c.counts.byPredicted.reduce((s, r) => s + r.count, 0)).toBe(10);
  });

  it('ranks likely label mistakes by labelIssue score when the registry gives one', async () => {
    const c = await build((a) => {
      a[2]!.labelIssue = { score: 0.7, suggested: 'coin' };
      a[9]!.labelIssue = { score: 0.92, suggested: 'mask' };
      a[5]!.labelIssue = { score: 0.05, suggested: 'vessel' };
      a[1]!.label = 'vessel';
      a[1]!.agrees = false;
      a[1]!.confidence = 0.95;
    });
    // A scored object ranks by its score; an unscored disagreement by the model's confidence; a low score is no mistake.
    expect(c.reviewQueue.slice(0, 3)).toEqual(['O-1', 'O-9', 'O-2']);
    expect(c.objects.find((o) => o.id === 'O-5')!.reviewReason).not.toBe('label-issue');
    const o9 = c.objects.find((o) => o.id === 'O-9')!;
    expect(o9.reviewReason).toBe('label-issue');
    expect(o9.annotation!.labelIssue).toEqual({ score: 0.92, suggested: 'mask', flagged: true });
  });

  it('queues a label confident learning flags even when its score is under one half; an unflagged low one not', async () => {
    const c = await build((a) => {
      a[3]!.labelIssue = { score: 0.3, suggested: 'coin', flagged: true };
      a[6]!.labelIssue = { score: 0.3, suggested: 'mask', flagged: false };
    });
    expect(c.objects.find((o) => o.id === 'O-3')!.reviewReason).toBe('label-issue');
    expect(c.objects.find((o) => o.id === 'O-6')!.reviewReason).not.toBe('label-issue');
    expect(c.objects.find((o) => o.id === 'O-6')!.annotation!.labelIssue!.flagged).toBe(false);
  });

  it('drops a label issue whose suggestion staff have since made the label (no "may be wrong; perhaps" the same)', async () => {
    // O-2 is labelled vessel in labels.csv now; the production model, promoted before the fix, suggested vessel.
    const c = await build((a) => {
      a[2]!.humanLabel = 'coin';
      a[2]!.labelIssue = { score: 0.9, suggested: 'vessel' };
    });
    const o2 = c.objects.find((o) => o.id === 'O-2')!;
    expect(o2.label).toBe('vessel');
    expect(o2.annotation!.labelIssue).toBeNull();
    expect(o2.reviewReason).not.toBe('label-issue');
  });

  it('drops a label issue about a label staff have since changed to another one than suggested', async () => {
    // Scored against "coin" and "mask" suggested; staff chose "vessel": the issue was about a label the object no longer has.
    const c = await build((a) => {
      a[2]!.humanLabel = 'coin';
      a[2]!.labelIssue = { score: 0.9, suggested: 'mask' };
      a[5]!.labelIssue = { score: 0.9, suggested: 'mask' };
    });
    const o2 = c.objects.find((o) => o.id === 'O-2')!;
    expect(o2.label).toBe('vessel');
    expect(o2.annotation!.labelIssue).toBeNull();
    expect(o2.reviewReason).not.toBe('label-issue');
    // The same issue on an object whose label did not change stays.
    const o5 = c.objects.find((o) => o.id === 'O-5')!;
    expect(o5.annotation!.labelIssue).toEqual({ score: 0.9, suggested: 'mask', flagged: true });
    expect(o5.reviewReason).toBe('label-issue');
  });
});

describe('label issues after a rollback', () => {
  it('keeps an issue about today’s label on an object relabelled since the annotating model learnt it', async () => {
    // The restored model learnt O-2 as coin (humanLabel); staff made it vessel since; the review judged vessel.
    const c = await build((a) => {
      a[2]!.humanLabel = 'coin';
      a[2]!.labelIssue = { score: 0.9, suggested: 'mask', label: 'vessel' };
    });
    const o2 = c.objects.find((o) => o.id === 'O-2')!;
    expect(o2.label).toBe('vessel');
    expect(o2.annotation!.labelChanged).toBe(true);
    expect(o2.annotation!.labelIssue).toEqual({ score: 0.9, suggested: 'mask', flagged: true });
    expect(o2.reviewReason).toBe('label-issue');
  });
});

describe('model card factors written differently', () => {
  it('merges "Faience" and "faience" into one group with the summed size and an interval', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-factors-'));
    made.push(dir);
    const labels = ['coin', 'mask'];
    await writeFixture({
      root: dir,
      objects: [
        { id: 'A', title: 'A', label: 'coin', image: null },
        { id: 'B', title: 'B', label: 'mask', image: null },
      ],
      labels,
    });
    const ws = workspace(dir);
    const file = path.join(ws.evaluate, 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8')) as { factors: unknown };
    metrics.factors = [
      {
        factor: 'medium',
        groups: [
          { value: 'Faience', n: 30, accuracy: 0.9, macroF1: 0.8 },
          { value: 'faience', n: 10, accuracy: 0.5, macroF1: 0.4 },
          { value: 'Travertine (Egyptian alabaster)', n: 4, accuracy: 1, macroF1: 1 },
          { value: 'travertine', n: 2, accuracy: 0.5, macroF1: 0.5 },
        ],
      },
    ];
    await writeFile(file, JSON.stringify(metrics));
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    const groups = catalogue.models.find((m) => m.current)!.metrics!.factors[0]!.groups;
    expect(groups.map((g) => [g.value, g.n])).toEqual([
      ['Faience', 40],
      ['Travertine (Egyptian alabaster)', 6],
    ]);
    expect(groups[0]!.accuracy).toBeCloseTo(0.8, 10);
    expect(groups[0]!.low).toBeLessThan(0.8);
    expect(groups[0]!.high).toBeGreaterThan(0.8);
  });
});

describe('recent changes on the home page', () => {
  // Outside tester: after the gate refused a new model, the public list said "the new model says “Jewellery” where the
  // previous said “Reliefs”" of a model never promoted; production still said Reliefs.
  async function recentWith({
    baseline,
    commit,
    model,
    identity,
  }: {
    baseline: string;
    commit: string;
    /** The identity of the model metrics.json evaluated. */
    model?: string;
    /** Production's registered identity (versions.json). */
    identity?: string;
  }) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-recent-'));
    made.push(dir);
    const labels = ['coin', 'mask'];
    const objects: FixtureObject[] = [
      { id: 'A', title: 'A', label: 'coin', image: null },
      { id: 'B', title: 'B', label: 'mask', image: null },
    ];
    await writeFixture({ root: dir, objects, labels });
    const ws = workspace(dir);
    const file = path.join(ws.evaluate, 'metrics.json');
    const metrics = JSON.parse(await readFile(file, 'utf8'));
    const { accuracy, macroF1, topK, ece, perClass, confusion } = metrics;
    const comparison = {
      metric: 'macroF1',
      difference: { value: 0, low: -0.05, high: 0.05 },
      pValue: 0.9,
      test: 'paired bootstrap',
      verdict: 'no detectable difference',
    };
    metrics.baseline = { accuracy, macroF1, topK, ece, perClass, confusion, version: baseline, comparison };
    metrics.inputs = { data: 'd', labels: 'l', params: 'p', commit, ...(model ? { model } : {}) };
    metrics.changedPredictions = [{ id: 'A', label: 'coin', baseline: 'coin', candidate: 'mask' }];
    await writeFile(file, JSON.stringify(metrics));
    if (identity) {
      const versionsFile = path.join(ws.registry, 'versions.json');
      const versions = JSON.parse(await readFile(versionsFile, 'utf8'));
      versions.versions[0].identity = identity;
      await writeFile(versionsFile, JSON.stringify(versions));
    }
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    return catalogue.recent.map((r) => r.text);
  }
  const listed = 'Object A: the new model says “mask” where the previous said “coin”';
  const lists = (texts: string[]) => texts.includes(listed);

  it('lists what the evaluated model changed only while it is the model in production', async () => {
    // The model production registered (same identity), whether on the evaluation's commit or on a merge after it.
    expect(lists(await recentWith({ baseline: 'v1.0.0', commit: 'fed9876', model: 'm2', identity: 'm2' }))).toBe(true);
    // Another model: refused by the gate, not promoted yet, compared with a fixed older baseline, or rolled back.
    expect(lists(await recentWith({ baseline: 'v1.0.0', commit: 'abc1234', model: 'm3', identity: 'm2' }))).toBe(false);
    expect(lists(await recentWith({ baseline: 'v1.1.0', commit: 'fed9876', model: 'm3', identity: 'm2' }))).toBe(false);
  });

  it('goes by the commit for a version registered before identities were recorded', async () => {
    expect(lists(await recentWith({ baseline: 'v1.0.0', commit: 'abc1234' }))).toBe(true);
    expect(lists(await recentWith({ baseline: 'v1.1.0', commit: 'fed9876' }))).toBe(false);
  });
});
