import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { flaggedIds } from '../../pipeline/review/flagged.ts';
import { notBetterThanGuessing, type ReviewFile, renderReview, reviewFromOof } from '../../pipeline/review/index.ts';

const oof: OofFile = {
  schema: 'vitrine.oof/1',
  labels: ['coin', 'mask'],
  k: 5,
  seed: 42,
  objects: [
    ...Array.from({ length: 10 }, (_, i) => ({
      id: `c${i}`,
      label: 'coin',
      split: 'train' as const,
      fold: i % 5,
      probabilities: [0.9, 0.1],
    })),
    ...Array.from({ length: 10 }, (_, i) => ({
      id: `m${i}`,
      label: 'mask',
      split: 'train' as const,
      fold: i % 5,
      probabilities: [0.1, 0.9],
    })),
    { id: 'x1', label: 'coin', split: 'test', fold: 0, probabilities: [0.45, 0.55] },
    { id: 'x2', label: 'coin', split: 'validation', fold: 1, probabilities: [0.02, 0.98] },
  ],
};

let ws: Workspace;
beforeAll(async () => {
  ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-review-')));
  // A Vitrine repository (the command looks for params.yaml), on the default labels.
  await writeFile(
    ws.params,
    'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
  );
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

/** 60 objects of 4 labels whose out-of-fold predictions are no better than guessing. */
function chanceOof(): OofFile {
  const labels = ['Met', 'Cleveland', 'Chicago', 'NGA'];
  const counts = [20, 16, 12, 12];
  const objects: OofFile['objects'] = [];
  let n = 0;
  counts.forEach((count, c) => {
    for (let i = 0; i < count; i++, n++) {
      // The model's guess cycles through the labels whatever the object is: right about a quarter of the time.
      const guess = (n * 3) % 4;
      const probabilities = labels.map((_, j) => (j === guess ? 0.97 : 0.01));
      objects.push({ id: `o${n}`, label: labels[c]!, split: 'train', fold: n % 5, probabilities });
    }
  });
  return { schema: 'vitrine.oof/1', labels, k: 5, seed: 42, objects };
}

describe('the review list', () => {
  it('says when the model is no better than guessing, and then flags no label with confidence', () => {
    const review = reviewFromOof({ oof: chanceOof() });
    expect(review.agreement).toMatchObject({ guessing: 0.25, better: false });
    expect(review.agreement!.accuracy).toBeLessThan(0.3);
    expect(review.items.length).toBeGreaterThan(30);
    expect(review.confident).toBe(0);
    expect(review.items.every((i) => !i.confident)).toBe(true);
    const text = renderReview({ review });
    expect(text).toContain('not yet better than guessing');
    expect(text).not.toContain('flagged');
    // A model that does learn its labels is better than guessing.
    expect(reviewFromOof({ oof }).agreement).toMatchObject({ better: true, guessing: 0.5 });
  });

  it('does not call a model no better than guessing when it is only too few objects to tell', () => {
    const few: OofFile = {
      ...oof,
      objects: [
        ...['c0', 'c1', 'c2'].map((id) => ({
          id,
          label: 'coin',
          split: 'train' as const,
          fold: 0,
          probabilities: [0.9, 0.1],
        })),
        ...['m0', 'm1'].map((id) => ({
          id,
          label: 'mask',
          split: 'train' as const,
          fold: 1,
          probabilities: [0.1, 0.9],
        })),
        { id: 'm2', label: 'mask', split: 'train' as const, fold: 1, probabilities: [0.8, 0.2] },
      ],
    };
    const review = reviewFromOof({ oof: few });
    expect(review.agreement).toMatchObject({ better: false });
    expect(review.agreement!.accuracy).toBeGreaterThan(0.8);
    const text = renderReview({ review });
    expect(text).not.toContain('not yet better than guessing');
    expect(text).toContain('not clearly better than guessing');
    expect(text).toContain('too few');
  });

  it('gives a tie between the label and another only its share of the credit, and skips rows that are not numbers', () => {
    // A collapsed model: the same probability for every label. It is right by luck only.
    const uniform: OofFile = {
      ...oof,
      objects: oof.objects.map((o) => ({ ...o, probabilities: [0.5, 0.5] })),
    };
    const review = reviewFromOof({ oof: uniform });
    expect(review.agreement!.accuracy).toBeCloseTo(0.5, 6);
    expect(review.agreement!.better).toBe(false);
    const broken: OofFile = {
      ...oof,
      objects: [
        ...oof.objects,
        { id: 'nan', label: 'coin', split: 'train', fold: 2, probabilities: [Number.NaN, 0.3] },
      ],
    };
    const listed = reviewFromOof({ oof: broken }).items;
    expect(listed.map((i) => i.id)).not.toContain('nan');
    expect(listed.every((i) => Number.isFinite(i.score))).toBe(true);
  });

  it('leaves no label out of training (train.flagged: drop) on the word of a model at chance, and says why', () => {
    const log = memoryLogger();
    expect(flaggedIds({ review: reviewFromOof({ oof: chanceOof() }), log }).size).toBe(0);
    const said = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('no label was left out');
    expect(said[0]).toContain('not yet better than guessing');
    // From a model that learnt, confident learning's flags are left out.
    expect([...flaggedIds({ review: reviewFromOof({ oof }), log: memoryLogger() })]).toEqual(['x2']);
  });

  // A reviewer: a pick in confident learning's count but under its type's threshold was left out of training while
  // `vitrine review` showed it only as "worth a look". Training leaves out what the list marks "flagged".
  it('leaves out of training only what `vitrine review` marks flagged, not every confident pick', () => {
    const review = reviewFromOof({ oof });
    const below = { ...review.items[0]!, id: 'below', confident: true, reason: 'ranked' as const };
    const both = { ...review, items: [...review.items, below] };
    expect([...flaggedIds({ review: both, log: memoryLogger() })]).not.toContain('below');
  });

  it('never says a model at chance agrees with every label, and words the caveat by what holds it back', () => {
    // A collapsed model: ties everywhere, so nothing is listed, but it checked nothing either.
    const uniform: OofFile = { ...oof, objects: oof.objects.map((o) => ({ ...o, probabilities: [0.5, 0.5] })) };
    const text = renderReview({ review: reviewFromOof({ oof: uniform }) });
    expect(text).not.toContain('agrees with every one');
    expect(text).toContain('not yet better than guessing');
    expect(text).toContain('cannot check the labels yet');
    // One label in use: nothing to tell apart, no made-up percentages.
    const one: OofFile = {
      ...oof,
      objects: oof.objects.map((o) => ({ ...o, label: 'coin', probabilities: [0.2, 0.8] })),
    };
    const lone = renderReview({ review: reviewFromOof({ oof: one }) });
    expect(lone).toContain('Only one label');
    expect(lone.split('\n')[0]).not.toMatch(/\d+%/);
    // Many objects, a small edge: not "too few objects".
    const big = { accuracy: 0.51, guessing: 0.5, better: false, labelsInUse: 2 };
    expect(notBetterThanGuessing(big, 5000)).not.toContain('too few');
    expect(notBetterThanGuessing(big, 5000)).toContain('too small');
    expect(notBetterThanGuessing({ ...big, accuracy: 0.83 }, 6)).toContain('too few');
    // Guessing is among the labels in use, and the message says how many.
    expect(notBetterThanGuessing(big, 5000)).toContain('one of the 2 labels in use');
  });

  it('warns when labels.csv changed since the list was made (another branch, an edit)', async () => {
    const dir = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-review-stale-')));
    try {
      await writeFile(
        dir.params,
        'collection:\n  name: Test Museum\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
      );
      await writeFile(dir.labels, 'object_id,label\nc0,coin\n');
      await mkdir(dir.evaluate, { recursive: true });
      await writeFile(path.join(dir.evaluate, 'review.json'), JSON.stringify(reviewFromOof({ oof })));
      const inputs = { data: 'absent', labels: 'not-the-md5-of-labels.csv', params: 'p', commit: null };
      await writeFile(path.join(dir.evaluate, 'metrics.json'), JSON.stringify({ inputs }));
      const log = memoryLogger();
      let out = '';
      expect(await main(['review'], { cwd: dir.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
      const said = log.lines.map((l) => l.message).join('\n');
      expect(said).toContain('labels.csv has changed since');
      expect(said).toContain('vitrine run evaluate');
      expect(out).toContain('x2');
    } finally {
      await rm(dir.root, { recursive: true, force: true });
    }
  });

  it('lists the disagreements, most likely wrong first, marking those confident learning flags', () => {
    const review = reviewFromOof({ oof });
    expect(review.checked).toBe(22);
    expect(review.items.map((i) => i.id)).toEqual(['x2', 'x1']);
    expect(review.items[0]).toMatchObject({
      label: 'coin',
      suggested: 'mask',
      confidence: 0.98,
      confident: true,
      split: 'validation',
    });
    expect(review.items[0]!.score).toBeCloseTo(1 - (0.02 - 0.98 + 1) / 2, 6);
    // 0.55 is below class mask's threshold (its mean self-confidence, 0.9): a disagreement, not flagged.
    expect(review.items[1]!.confident).toBe(false);
    expect(review.confident).toBe(1);
    expect(renderReview({ review })).toContain('x2');
  });

  it('is printed by `vitrine review --json`, and explained when evaluate has not run', async () => {
    const log = memoryLogger();
    let out = '';
    expect(await main(['review', '--json'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).not.toBe(0);
    expect(log.lines.map((l) => l.message).join('\n')).toContain('vitrine run evaluate');
    await mkdir(ws.evaluate, { recursive: true });
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(reviewFromOof({ oof })));
    out = '';
    expect(await main(['review', '--json'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
    expect((JSON.parse(out) as ReviewFile).items.map((i) => i.id)).toEqual(['x2', 'x1']);
    out = '';
    expect(await main(['review'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
    expect(out).toMatch(/x2 +labelled coin, the model says mask \(98%\)/);
  });
});
