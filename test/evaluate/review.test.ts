import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import type { OofFile } from '../../pipeline/evaluate/oof.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { type ReviewFile, renderReview, reviewFromOof } from '../../pipeline/review/index.ts';

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
  // A Vitrine repository (the command looks for params.yaml), on the default params.
  await writeFile(ws.params, '');
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('the review list', () => {
  it('lists the disagreements, most likely wrong first, marking those confident learning flags', () => {
    const review = reviewFromOof(oof);
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
    await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(reviewFromOof(oof)));
    out = '';
    expect(await main(['review', '--json'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
    expect((JSON.parse(out) as ReviewFile).items.map((i) => i.id)).toEqual(['x2', 'x1']);
    out = '';
    expect(await main(['review'], { cwd: ws.root, env: {}, stdout: (t) => (out += t), log })).toBe(0);
    expect(out).toMatch(/x2 +labelled coin, the model says mask \(98%\)/);
  });
});
