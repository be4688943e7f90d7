import { describe, expect, it } from 'vitest';
import { mislabelledSection } from '../../pipeline/report/mislabelled.ts';
import { type ReviewFile, renderReview } from '../../pipeline/review/index.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * A model better than guessing but still weak (as one that failed the gate with macro-F1 0.31): its
 * disagreements are a rough hint, and confident learning's picks at 27% are not "with confidence".
 */

const items: ReviewFile['items'] = [
  {
    id: 'MET_544531',
    label: 'Reliefs',
    suggested: 'Statuary',
    score: 0.81,
    confidence: 0.27,
    confident: true,
    split: 'train',
  },
  { id: 'MET_1', label: 'Coins', suggested: 'Vessels', score: 0.7, confidence: 0.8, confident: true, split: 'train' },
  { id: 'MET_2', label: 'Masks', suggested: 'Vessels', score: 0.6, confidence: 0.4, confident: false, split: 'test' },
];

function review(accuracy: number): ReviewFile {
  return {
    schema: 'vitrine.review/1',
    labels: ['Reliefs', 'Statuary', 'Coins', 'Vessels', 'Masks', 'Prints', 'Textiles', 'Arms', 'Glass', 'Books'],
    checked: 68,
    agreement: { accuracy, guessing: 0.1, better: true, labelsInUse: 10 },
    confident: 2,
    items,
  };
}

describe('a weak model', () => {
  it('vitrine review cautions that the list is a rough hint and does not say "flagged with confidence"', () => {
    const text = renderReview({ review: review(0.56) });
    expect(text.split('\n')[0]).toBe(
      'The model is weak: trained without each object, it named the right label for 56% of the objects of each ' +
        'kind (on average over the kinds). Its suggestions below are a rough hint of where to look, not evidence ' +
        'that a label is wrong.',
    );
    expect(text).not.toContain('with confidence');
    // A list written before `reason` was recorded: a weak model's picks (27%) are hints, not "flagged".
    expect(text).toContain('3 of 68 labelled objects may have a wrong label (3 worth a look)');
    expect(text).not.toContain('flagged');
    expect(text).toMatch(/MET_544531 .*\(27%\) {2}score 0\.81 {2}worth a look\n/);
  });

  it('a model that learnt its labels well keeps the plain list', () => {
    const text = renderReview({ review: review(0.85) });
    expect(text).not.toContain('weak');
    expect(text).toContain('(2 flagged, 1 worth a look)');
  });

  it("the report's section says the same, with no ⚠️ for a weak model's picks", () => {
    const metrics = {
      mislabelled: {
        checked: 68,
        candidates: 29,
        confident: 26,
        agreement: { accuracy: 0.56, guessing: 0.1, better: true, labelsInUse: 10 },
        top: items.map(({ split: _, ...i }) => i),
      },
    } as unknown as Metrics;
    const md = mislabelledSection({
      metrics,
      links: () => ({ thumbnailUrl: null, pageUrl: null }),
      titleOf: () => '',
    });
    expect(md).toContain('**The model is weak: trained without each object, it named the right label for 56%');
    expect(md).not.toContain('stand out clearly');
    expect(md).not.toContain('⚠️');
    const strong = mislabelledSection({
      metrics: {
        mislabelled: { ...metrics.mislabelled!, agreement: { ...metrics.mislabelled!.agreement!, accuracy: 0.9 } },
      } as Metrics,
      links: () => ({ thumbnailUrl: null, pageUrl: null }),
      titleOf: () => '',
    });
    expect(strong).toContain('stand out clearly');
    expect(strong).not.toContain('weak');
  });
});

describe('labels holding a comma in vitrine review', () => {
  it('are quoted, so that "Statuary, stone" does not read as two labels (outside tester)', () => {
    const comma: ReviewFile = {
      ...review(0.9),
      items: [{ ...items[1]!, label: 'Jewellery, beads', suggested: 'Statuary, stone' }],
    };
    expect(renderReview({ review: comma })).toContain(
      'labelled "Jewellery, beads", the model says "Statuary, stone" (80%)',
    );
  });
});
