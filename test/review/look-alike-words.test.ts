import { describe, expect, it } from 'vitest';
import { mislabelledSection } from '../../pipeline/report/mislabelled.ts';
import { type ReviewFile, type ReviewItem, renderReview } from '../../pipeline/review/index.ts';
import { LOOK_ALIKE_FLOOR } from '../../pipeline/review/look-alike.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * Look-alikes are shown at similarity LOOK_ALIKE_FLOOR (0.9) or more, and were all "very similar photographs": a copy
 * of one image (1.00) read the same as two photographs of two vases (0.946). Each now says how similar, in words, by
 * band: 0.99 or more, almost certainly the same photograph or a copy of it; 0.95 up to 0.99, very similar, perhaps
 * the same object photographed twice; below 0.95, similar. --json keeps the number.
 */

const item = (id: string, label: string, suggested: string, over: Partial<ReviewItem> = {}): ReviewItem => ({
  id,
  label,
  suggested,
  score: 0.9,
  confidence: 0.9,
  confident: true,
  reason: 'flagged',
  split: 'train',
  ...over,
});

/** Two flagged objects, each labelled what the other is taken for, at `similarity`. */
const pair = (a: string, b: string, similarity: number) => [
  item(a, 'vessel', 'print', { lookAlike: { id: b, label: 'print', similarity } }),
  item(b, 'print', 'vessel', { lookAlike: { id: a, label: 'vessel', similarity } }),
];

const list = (items: ReviewItem[]): ReviewFile => ({
  schema: 'vitrine.review/1',
  labels: ['print', 'vessel'],
  checked: 40,
  agreement: { accuracy: 0.9, guessing: 0.5, better: true },
  confident: items.length,
  items,
});

const line = (text: string, id: string) => text.split('\n').find((l) => l.trimStart().startsWith(`${id} `)) ?? '';

describe('how similar two look-alike photographs are, in vitrine review', () => {
  const text = renderReview({
    review: list([...pair('S-1', 'S-2', 1), ...pair('V-1', 'V-2', 0.97), ...pair('L-1', 'L-2', 0.92)]),
  });

  it('0.99 or more: almost certainly the same photograph or a copy of it', () => {
    expect(line(text, 'S-1')).toContain(
      'S-1 labelled vessel, and S-2 labelled print: almost certainly the same photograph or a copy of it, but ' +
        'different labels; at least one of the two labels is probably wrong',
    );
  });

  it('0.95 up to 0.99: very similar photographs, perhaps the same object photographed twice', () => {
    expect(line(text, 'V-1')).toContain(
      'V-1 labelled vessel, and V-2 labelled print: very similar photographs, perhaps the same object photographed ' +
        'twice, but different labels;',
    );
  });

  it('from the floor up to 0.95: similar photographs, never “very similar”', () => {
    expect(LOOK_ALIKE_FLOOR).toBe(0.9);
    expect(line(text, 'L-1')).toContain(
      'L-1 labelled vessel, and L-2 labelled print: similar photographs, but different',
    );
    expect(line(text, 'L-1')).not.toContain('very similar');
  });

  it('the key says what each band means and that --json gives the number', () => {
    expect(text).toContain(
      '"look-alikes": two or more objects whose photographs are alike and whose labels differ; the model, trained ' +
        'without each, takes each for the other, so it cannot tell which of the labels is wrong. How alike, by the ' +
        'similarity of the photographs (1 for one image twice; "lookAlike" in vitrine review --json): 0.99 or more, ' +
        'almost certainly the same photograph or a copy of it; 0.95 to 0.99, very similar, perhaps the same object ' +
        'photographed twice; 0.9 to 0.95, similar.',
    );
  });

  it('a group by its least similar two, every member’s numbers counted', () => {
    const group = (id: string, others: [string, number][]) =>
      item(id, id === 'G-2' ? 'print' : 'vessel', id === 'G-2' ? 'vessel' : 'print', {
        lookAlikes: others.map(([o, similarity]) => ({ id: o, label: o === 'G-2' ? 'print' : 'vessel', similarity })),
      });
    const review = list([
      group('G-1', [
        ['G-2', 1],
        ['G-3', 1],
      ]),
      group('G-2', [
        ['G-1', 1],
        ['G-3', 0.96],
      ]),
      group('G-3', [
        ['G-1', 1],
        ['G-2', 0.96],
      ]),
    ]);
    expect(renderReview({ review })).toContain(
      'These 3 objects have very similar photographs, perhaps of the same object photographed more than once, but ' +
        'different labels: G-1 labelled vessel, G-2 labelled print and G-3 labelled vessel;',
    );
    const same = list([
      group('G-1', [
        ['G-2', 1],
        ['G-3', 0.995],
      ]),
      group('G-2', [
        ['G-1', 1],
        ['G-3', 0.995],
      ]),
      group('G-3', [
        ['G-1', 0.995],
        ['G-2', 0.995],
      ]),
    ]);
    expect(renderReview({ review: same })).toContain(
      'These 3 objects have almost certainly the same photograph (or copies of it) but different labels: G-1',
    );
  });
});

describe('how similar two look-alike photographs are, in the pull request’s report', () => {
  const section = (top: NonNullable<Metrics['mislabelled']>['top']) =>
    mislabelledSection({
      metrics: { mislabelled: { checked: 40, candidates: top.length, confident: top.length, top } } as Metrics,
      links: () => ({ thumbnailUrl: null, pageUrl: null }),
      titleOf: () => '',
    });
  const rowOf = (markdown: string, id: string) => markdown.split('\n').find((l) => l.startsWith(`| ${id} |`)) ?? '';

  it('says it of a pair by band', () => {
    const markdown = section([...pair('S-1', 'S-2', 0.995), ...pair('L-1', 'L-2', 0.93)]);
    expect(rowOf(markdown, 'S-1')).toContain(
      'print, as S-2 is labelled: their photographs are almost certainly the same photograph or a copy of it, so at ' +
        'least one of the two labels is probably wrong',
    );
    expect(rowOf(markdown, 'L-1')).toContain('print, as L-2 is labelled: their photographs are similar, so at least');
  });
});
