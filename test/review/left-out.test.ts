import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { flaggedDifferWords, flaggedLabels } from '../../pipeline/review/flagged.ts';
import { type ReviewFile, type ReviewItem, renderReview } from '../../pipeline/review/index.ts';
import type { Dataset } from '../../pipeline/types.ts';

/*
 * train.flagged: drop: `vitrine review` marks each label on its list "left out of training" or "but the model learnt
 * from it". A reviewer found: "Training left out 0 labels"; look-alikes with no mark; a label left out that the
 * evaluation now only ranks shown as "worth a look" with nothing saying the model never learnt from it; and "correct
 * or confirm" when there is no way to confirm a label. Plain lists written by hand: no cross-validation.
 */

const item = (id: string, over: Partial<ReviewItem> = {}): ReviewItem => ({
  id,
  label: 'coin',
  suggested: 'mask',
  score: 0.9,
  confidence: 0.9,
  confident: true,
  reason: 'flagged',
  split: 'train',
  ...over,
});

const list = (items: ReviewItem[], leftOut?: string[]): ReviewFile => ({
  schema: 'vitrine.review/1',
  labels: ['coin', 'mask'],
  checked: 40,
  agreement: { accuracy: 0.9, guessing: 0.5, better: true },
  confident: items.length,
  items,
  ...(leftOut ? { leftOut } : {}),
});

const line = (text: string, id: string) => text.split('\n').find((l) => l.trimStart().startsWith(`${id} `)) ?? '';

describe('vitrine review, with train.flagged: drop', () => {
  it('marks each flagged label left out of training or learnt from, and says nothing more when the lists match', () => {
    const text = renderReview({
      review: list([item('A-1'), item('A-2'), item('T-1', { split: 'test' })], ['A-1', 'A-2']),
    });
    expect(line(text, 'A-1')).toMatch(/flagged, left out of training$/);
    expect(line(text, 'T-1')).toMatch(/ flagged$/);
    expect(text).toContain('"left out of training": the model was trained without this label');
    expect(text).not.toContain('differ');
  });

  it('says “no label” when training left out none, and never “0 labels”', () => {
    const text = renderReview({ review: list([item('A-3')], []) });
    expect(line(text, 'A-3')).toMatch(/flagged, but the model learnt from it$/);
    expect(text).toContain('Training left out no label (train.flagged: drop)');
    expect(text).not.toContain('0 labels');
  });

  it('marks a label left out that the evaluation only ranks, and asks to leave a correct label as it is', () => {
    const text = renderReview({
      review: list([item('A-3'), item('A-4', { reason: 'ranked', confident: false })], ['A-4']),
    });
    expect(line(text, 'A-4')).toMatch(/worth a look, left out of training$/);
    expect(text).toContain(
      'Correct in labels.csv each label named here that is wrong, and leave a correct label as it is; training ' +
        'leaves it out again while the check finds it unlikely.',
    );
    expect(text).not.toMatch(/confirm/);
  });

  it('says which look-alikes the model was trained without', () => {
    const pair = item('P-1', { lookAlike: { id: 'P-2', label: 'mask', similarity: 0.99 } });
    const text = renderReview({ review: list([pair, item('P-2', { label: 'mask', suggested: 'coin' })], ['P-1']) });
    expect(line(text, 'P-1')).toContain('look-alikes (P-1 left out of training, the model learnt from the rest)');
    // Without train.flagged: drop, no mark.
    expect(line(renderReview({ review: list([pair]) }), 'P-1')).toMatch(/look-alikes$/);
  });
});

describe('when the label lists differ, in words staff read', () => {
  // A reviewer: "in a collection larger than evaluate.cv_max_objects" names a setting, not a size. The size comes
  // first, in plain words; the setting stays after it, for whoever maintains params.yaml.
  const differing = list([item('A-1'), item('A-2')], ['A-1', 'A-3']);

  it('vitrine review says how many objects make a collection large, then the setting', () => {
    const text = renderReview({ review: differing, cvMaxObjects: 2500 });
    expect(text).toContain(
      'in a collection of more than 2,500 labelled objects (evaluate.cv_max_objects in params.yaml)',
    );
    expect(text).not.toContain('larger than evaluate.cv_max_objects');
  });

  it('the run log does too', () => {
    const splitOf = new Map([
      ['A-1', 'train' as const],
      ['A-2', 'train' as const],
      ['A-3', 'train' as const],
    ]);
    const text = flaggedDifferWords({ left: ['A-1', 'A-3'], review: differing, splitOf, cvMaxObjects: 12000 });
    expect(text).toContain(
      'in a collection of more than 12,000 labelled objects (evaluate.cv_max_objects in params.yaml)',
    );
    expect(text).not.toContain('larger than evaluate.cv_max_objects');
  });

  it('`vitrine review` takes the number from params.yaml, and its help says the default', async () => {
    const ws = workspace(await mkdtemp(path.join(os.tmpdir(), 'vitrine-review-size-')));
    try {
      await writeFile(
        ws.params,
        'collection:\n  name: Test Museum\n  vocabulary: [coin, mask]\nevaluate:\n  cv_max_objects: 2500\n',
      );
      await mkdir(ws.evaluate, { recursive: true });
      await writeFile(path.join(ws.evaluate, 'review.json'), JSON.stringify(differing));
      const run = async (args: string[]) => {
        let out = '';
        expect(await main(args, { cwd: ws.root, env: {}, stdout: (t) => (out += t), log: memoryLogger() })).toBe(0);
        return out;
      };
      expect(await run(['review'])).toContain(
        'more than 2,500 labelled objects (evaluate.cv_max_objects in params.yaml)',
      );
      const help = (await run(['review', '--help'])).replace(/\s+/g, ' ');
      // The help is written once: the default, checked here against params.ts.
      const most = defaultParams().evaluate.cv_max_objects.toLocaleString('en');
      expect(help).toContain(`more than ${most} labelled objects unless evaluate.cv_max_objects in params.yaml says`);
    } finally {
      await rm(ws.root, { recursive: true, force: true });
    }
  });
});

describe('train.flagged: drop with no check to make', () => {
  // model-info.json records why nothing was left out, for the model card to say so (not "none was found").
  it('records that no check was made when evaluate.folds is below 2', async () => {
    const params = defaultParams();
    params.train.flagged = 'drop';
    params.evaluate.folds = 0;
    const log = memoryLogger();
    const found = await flaggedLabels({
      ws: workspace(os.tmpdir()),
      params,
      dataset: { labels: [], objects: [] } as unknown as Dataset,
      tf: null as never,
      log,
    });
    expect(found).toEqual({ ids: new Set(), l2: null, unchecked: 'no-folds' });
    expect(log.lines.some((l) => l.level === 'warn')).toBe(true);
  });
});
